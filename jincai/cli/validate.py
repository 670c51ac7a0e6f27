"""``jincai validate PATH...`` — check a submission against the standard and the rule catalogue.

Exit codes: 0 nothing of severity error or fatal; 1 something was found; 2 usage error, an input
that cannot be read, or a report that could not be written — standard output closed (``>&-``) or
a reader that stopped reading (``| head -1``) included (a clear bilingual message, never a
traceback).

``--max-issues N``: list at most N issues (all are counted and the report says it is truncated);
0, or a number beyond any report's size, lists them all; a negative number is a usage error.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from jincai.errors import JincaiError

UNREADABLE = ("struct.unreadable", "struct.encoding")
#: a --max-issues this large lists every issue (and keeps the number within SQL's LIMIT)
ALL_ISSUES = 1 << 62


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


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
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help="执行引擎：duckdb（进程内）或 spark（Apache Spark，见 docs/spark/）/ engine: duckdb (in process) or spark (Apache Spark, see docs/spark/)"),
    spark_master: Optional[str] = typer.Option(None, "--spark-master", help="Spark 主节点 URL（默认本地模式 local[*]）/ Spark master URL (default: local mode, local[*])", metavar="URL"),
) -> None:
    from jincai.validation.engine import validate
    from jincai.validation.report import render

    if fmt is Fmt.xlsx and out is None:
        _usage("xlsx 报告需要 --out FILE", "an xlsx report needs --out FILE")
    if year is not None and not 1900 <= year <= 2999:
        _usage(f"--year 应为四位年度，而不是 {year}", f"--year must be a four-digit year, not {year}")
    if max_issues < 0:
        _usage(f"--max-issues 不能为负数（{max_issues}）；0 表示全部列出", f"--max-issues cannot be negative ({max_issues}); 0 lists them all")
    if spark_master is not None and engine is not Engine.spark:
        _usage("--spark-master 只能与 --engine spark 一起使用", "--spark-master needs --engine spark")
    listed = None if max_issues == 0 or max_issues >= ALL_ISSUES else max_issues
    try:
        with _progress() as progress:
            report = validate(
                paths, year=year, max_issues=listed, entity=entity, progress=progress, engine=engine.value, spark_master=spark_master
            )
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
        _to_stdout(data)
    unreadable = [i for i in report.issues if i.rule in UNREADABLE]
    if unreadable:
        for i in unreadable:
            typer.echo(f"错误 error: {i.file}: {i.message_zh} / {i.message_en}", err=True)
        raise typer.Exit(2)
    raise typer.Exit(report.exit_code)


def _to_stdout(data: str | bytes) -> None:
    """Write the report; a closed standard output or a reader that went away is a clean exit 2."""
    stream = sys.stdout
    try:
        if stream is None:
            raise BrokenPipeError
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            stream.write(data if isinstance(data, str) else data.decode("utf-8"))
        else:
            stream.flush()
            # a buffered write that meets a closed pipe returns a short count instead of raising:
            # write until everything is out, so the next write raises
            view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
            while view:
                n = buffer.write(view)
                view = view[n or 0 :]
            buffer.flush()
        stream.flush()
    except (BrokenPipeError, ValueError, OSError):  # ValueError: I/O operation on closed file
        try:  # nothing more may reach the dead pipe, not even the interpreter's final flush
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
        except OSError:
            pass
        sys.stdout = None  # type: ignore[assignment]
        _usage("标准输出已关闭，报告未能完整写出（可用 --out FILE）", "standard output is closed: the report could not be written in full (use --out FILE)")


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
