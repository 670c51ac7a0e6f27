"""``jincai validate PATH...`` — check a submission against the standard and the rule catalogue.

Exit codes: 0 nothing of severity error or fatal; 1 something was found; 2 usage error or an input
that cannot be read (a clear bilingual message, never a traceback).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from jincai.errors import JincaiError

UNREADABLE = ("struct.unreadable", "struct.encoding")


class Fmt(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


_HELP = (
    "按标准和规则目录校验一次报送（一个或多个文件、文件夹）：结构、字段、代码集、标识符、记录规则，以及跨记录、跨实体规则。"
    "文件名为 <实体>.<扩展名>（.jsonl .csv .avro .parquet）。退出码：0 无错误，1 有错误或致命问题，2 用法错误或输入无法读取。\n\n"
    "Check a submission (files or folders) against the standard and the rule catalogue: structure, fields, "
    "code lists, identifiers, record rules, cross-record and cross-entity rules. Files are named "
    "<entity>.<ext> (.jsonl .csv .avro .parquet). Exit 0 when nothing of severity error or fatal was "
    "found, 1 when something was, 2 on a usage error or unreadable input."
)


def validate_cmd(
    paths: list[Path] = typer.Argument(..., help="文件或文件夹 / files or folders", metavar="PATH..."),
    year: Optional[int] = typer.Option(None, "--year", help="报送的预算年度（其他年度的记录将被报告）/ the submission's fiscal year", metavar="YYYY"),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="报告格式 / report format: text | json | csv | xlsx"),
    out: Optional[Path] = typer.Option(None, "--out", help="报告写入的文件（默认标准输出）/ write the report here (default: stdout)", metavar="FILE"),
    max_issues: int = typer.Option(100_000, "--max-issues", help="最多列出的问题数，0 = 不限（全部计数）/ list at most N issues, 0 = all (all are counted)", metavar="N"),
    entity: Optional[str] = typer.Option(None, "--entity", help="文件名不含实体时指定实体 / the entity of files whose name does not say it", metavar="E"),
) -> None:
    from jincai.validation.engine import validate
    from jincai.validation.report import render

    if fmt is Fmt.xlsx and out is None:
        _usage("xlsx 报告需要 --out FILE", "an xlsx report needs --out FILE")
    if year is not None and not 1900 <= year <= 2999:
        _usage(f"--year 应为四位年度，而不是 {year}", f"--year must be a four-digit year, not {year}")
    try:
        with _progress() as progress:
            report = validate(paths, year=year, max_issues=max_issues or None, entity=entity, progress=progress)
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(2) from None
    data = render(report, fmt.value)
    if out is not None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data) if isinstance(data, bytes) else out.write_text(data, encoding="utf-8")
        except OSError as exc:
            _usage(f"无法写入报告 {out}：{exc}", f"cannot write the report {out}: {exc}")
        if fmt is not Fmt.text:
            typer.echo(_one_line(report), err=True)
    else:
        sys.stdout.write(data)  # type: ignore[arg-type]
    unreadable = [i for i in report.issues if i.rule in UNREADABLE]
    if unreadable:
        for i in unreadable:
            typer.echo(f"错误 error: {i.file}: {i.message_zh} / {i.message_en}", err=True)
        raise typer.Exit(2)
    raise typer.Exit(report.exit_code)


def _usage(zh: str, en: str) -> None:
    typer.echo(f"错误 error: {zh} / {en}", err=True)
    raise typer.Exit(2)


def _one_line(report) -> str:
    s = report.summary
    verdict = "通过 passed" if s.passed else "未通过 failed"
    return f"{verdict}: {s.issues_total} 个问题 issues ({', '.join(f'{k} {v}' for k, v in s.by_severity.items())})"


class _progress:
    """A rich progress bar on stderr for long runs — only when stderr is a terminal."""

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), transient=True)
        self.bar.start()
        self.tasks: dict[str, int] = {}
        labels = {"staging": "读取文件 reading files", "checks": "校验 checking", "cross-entity rules": "跨实体规则 cross-entity rules", "records": "逐条校验 per record"}

        def update(what: str, done: int, total: int) -> None:
            if what not in self.tasks:
                self.tasks[what] = self.bar.add_task(labels.get(what, what), total=total)
            self.bar.update(self.tasks[what], completed=done, total=total)

        return update

    def __exit__(self, *exc) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()


def register(app: typer.Typer) -> None:
    app.command("validate", help=_HELP, no_args_is_help=True)(validate_cmd)
