"""The ``jincai`` command line.

Each module in this package registers one command group through ``register(app)``; they are
discovered here so that adding a command never edits a shared file.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from jincai.errors import JincaiError

app = typer.Typer(
    help="金财 jincai：财政数据标准工具 / fiscal data standard tools",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}").register(app)


def main() -> None:
    """Entry point: user errors print a bilingual message and exit 2, never a traceback.

    Anything else is a bug in jincai: it is reported as one (exit 3), with the traceback only when
    ``JINCAI_DEBUG`` is set, so a clerk never faces a Python stack.
    """
    try:
        app(standalone_mode=True)
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("已中断 interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 — last resort, see the docstring
        if os.environ.get("JINCAI_DEBUG"):
            raise
        from jincai.masking import mask_text

        typer.echo(
            f"内部错误 internal error: {type(exc).__name__}: {mask_text(str(exc))}\n"
            "这是 jincai 的缺陷，请连同命令报告；设置 JINCAI_DEBUG=1 可显示详细信息。/ "
            "This is a bug in jincai; please report it with the command. Set JINCAI_DEBUG=1 for details.",
            err=True,
        )
        sys.exit(3)
