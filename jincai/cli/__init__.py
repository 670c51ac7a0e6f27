"""The ``jincai`` command line.

Each module in this package registers one command group through ``register(app)``; they are
discovered here so that adding a command never edits a shared file.
"""

from __future__ import annotations

import importlib
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
    """Entry point: user errors print a bilingual message and exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        sys.exit(2)
