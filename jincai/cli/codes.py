"""``jincai codes``：代码集的列出、查询、展示与导入 / list, look up, show and import code lists.

Exit codes: 0 success (lookup: the code is valid), 1 lookup: the code is not valid, 2 usage error
(unknown list, malformed file, bad option …).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator, Optional

import typer

from typing import TYPE_CHECKING

from jincai.errors import JincaiError

if TYPE_CHECKING:  # imported when a command runs: `jincai --help` need not load pydantic models
    from jincai.codelists import CodeList, Registry, Row

codes_app = typer.Typer(
    help="代码集：列出、查询、展示、导入年度文件 / code lists: list, look up, show, import yearly files",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CODELISTS_HELP = "代码集目录，默认为本检出的 standards/codelists / code-list folder (default: this checkout's)"


def register(app: typer.Typer) -> None:
    app.add_typer(codes_app, name="codes")


@contextmanager
def _user_errors(as_json: bool = False) -> Iterator[None]:
    """A ``JincaiError`` becomes a bilingual message (or one JSON object) and exit code 2."""
    try:
        yield
    except JincaiError as exc:
        if as_json:
            typer.echo(json.dumps({"error": {"code": exc.code, "message_zh": exc.message_zh, "message_en": exc.message_en,
                                             "location": exc.location, "details": exc.details}}, ensure_ascii=False))
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(2) from None


def _registry(root: Optional[Path]) -> Registry:
    from jincai.codelists import load_registry, registry

    return load_registry(root) if root else registry()


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise JincaiError("bad-date", f"日期 {value!r} 无效，应为 YYYY-MM-DD", f"date {value!r} is invalid: use YYYY-MM-DD", "--date") from None


def _level_text(cl: CodeList, row: Row) -> str:
    lv = next((lv for lv in cl.levels if lv.level == row.level), None)
    return f"{row.level} {lv.name_zh} {lv.name_en}".strip() if lv else str(row.level)


def _row_name(cl: CodeList, code: str, year: Optional[int], on: Optional[date]) -> str:
    if not code:
        return ""
    rows = cl.history(code)
    if not rows:
        return code
    try:
        valid = [r for r in rows if r.overlaps(*cl.window(year, on))]
    except JincaiError:
        valid = []
    return f"{code} {(valid or rows)[-1].name_zh}"


# --------------------------------------------------------------------------------------------------


@codes_app.command("list")
def list_cmd(
    codelists: Optional[Path] = typer.Option(None, "--codelists", help=CODELISTS_HELP),
) -> None:
    """列出代码集 / list the code lists.

    每个代码集的名称、封闭/开放、有效期类型、行数及已核实（V）/未核实（M）行数。

    Name, closed/open, validity kind, row count and verified (V) / unverified (M) counts of every list.
    """
    from rich.console import Console
    from rich.table import Table

    with _user_errors():
        reg = _registry(codelists)
    table = Table(title="代码集 Code lists", show_lines=False)
    for col in ("id", "名称 name", "封闭 closed", "有效期 validity", "行数 rows", "V", "M", "完整 complete"):
        table.add_column(col, no_wrap=col in ("id",))
    for cl in reg:
        v = sum(1 for r in cl.rows if r.status == "V")
        table.add_row(
            cl.id, f"{cl.name_zh} / {cl.name_en}", "封闭 closed" if cl.closed else "开放 open",
            "预算年度 fiscal year" if cl.validity == "fiscal_year" else "日期 date",
            str(len(cl.rows)), str(v), str(len(cl.rows) - v), "是 yes" if cl.complete else "否 starter set",
        )
    for m in reg.mappings.values():
        n = len(reg.dep_to_gov_rows) if m.id == "dep_to_gov" else 0
        v = sum(1 for r in reg.dep_to_gov_rows if r.status == "V") if m.id == "dep_to_gov" else 0
        table.add_row(m.id, f"{m.name_zh} / {m.name_en}", "映射 mapping", "预算年度 fiscal year", str(n), str(v), str(n - v), "")
    Console(width=160).print(table)


@codes_app.command("lookup")
def lookup_cmd(
    list_id: str = typer.Argument(..., metavar="LIST", help="代码集 id，如 exp_func / list id, e.g. exp_func"),
    code: str = typer.Argument(..., help="要查询的代码 / the code to look up"),
    year: Optional[int] = typer.Option(None, "--year", help="预算年度 / fiscal year"),
    on: Optional[str] = typer.Option(None, "--date", help="日期 YYYY-MM-DD（按日期有效的代码集）/ a date, for date-valid lists"),
    as_json: bool = typer.Option(False, "--json", help="只输出一个 JSON 对象 / print exactly one JSON object"),
    codelists: Optional[Path] = typer.Option(None, "--codelists", help=CODELISTS_HELP),
) -> None:
    """查询代码 / look a code up.

    查询代码在某预算年度（或某日）是否有效：有效退出 0，无效 1，用法错误 2。按日期有效的代码集（mof_div、town）给出 --year 时，表示“该年内至少一日有效”。

    Is the code valid for the fiscal year (or date)? Exit 0 valid, 1 not valid, 2 usage error. For date-valid lists (mof_div, town) --year means "valid on at least one day of that year".
    """
    with _user_errors(as_json):
        reg = _registry(codelists)
        cl = reg.get(list_id)
        when = _parse_date(on)
        if year is None and when is None:
            raise JincaiError("codelist-year-required", "请给出 --year（或 --date）", "give --year (or --date)", "--year")
        hit = cl.lookup(code, year, when)
    history = cl.history(code) if hit.found else (cl.history(hit.national_code) if hit.national_code else [])
    if as_json:
        out = {"year": year, "date": when.isoformat() if when else None, "list_name_zh": cl.name_zh,
               "list_name_en": cl.name_en, "closed": cl.closed, **hit.to_dict(),
               "history": [r.to_dict() for r in history]}
        typer.echo(json.dumps(out, ensure_ascii=False))
        raise typer.Exit(0 if hit.valid else 1)

    if when is not None:
        when_text = when.isoformat()
    elif cl.validity == "date":
        when_text = f"{year} 年内任一日 on any day of {year}"
    else:
        when_text = f"{year} 年度 fiscal year {year}"
    lines = [f"{cl.id} {cl.name_zh} / {cl.name_en} — {when_text}", f"代码 code        {code}"]
    row = hit.row or hit.national_row
    if hit.national_code:
        lines.append(f"地方扩展 local extension of {hit.national_code}")
    if row is not None:
        lines += [
            f"名称 name        {row.name_zh} / {row.name_en or '—'}",
            f"层级 level       {_level_text(cl, row)}",
            f"上级 parent      {_row_name(cl, row.parent, year, when) or '—'}",
            f"有效期 validity  {row.validity_text()}",
            f"核实 verified    {row.status} " + ("已核实 verified" if row.status == "V" else "未核实 unverified"),
            f"来源 source      {row.source}",
        ]
        for extra_key, extra_value in row.extra.items():
            if extra_value:
                lines.append(f"{extra_key:16}{extra_value}")
    if len(history) > 1:
        lines.append("历史 history:")
        for r in history:
            lines.append(f"  {r.validity_text():28} {r.name_zh} / {r.name_en or '—'} [{r.status}]")
    verdict = "有效 valid" if hit.valid else f"无效 NOT valid ({hit.reason_code}, {hit.severity})"
    lines.append(f"结果 result      {verdict}: {hit.reason_zh} / {hit.reason_en}")
    typer.echo("\n".join(lines))
    raise typer.Exit(0 if hit.valid else 1)


@codes_app.command("show")
def show_cmd(
    list_id: str = typer.Argument(..., metavar="LIST", help="代码集 id / list id"),
    year: Optional[int] = typer.Option(None, "--year", help="只显示该年度有效的行 / only rows valid that year"),
    on: Optional[str] = typer.Option(None, "--date", help="只显示该日有效的行 / only rows valid that day"),
    codelists: Optional[Path] = typer.Option(None, "--codelists", help=CODELISTS_HELP),
) -> None:
    """显示代码集 / show a list's rows.

    按层级缩进显示代码集的行；给出 --year（或 --date）时只显示当时有效的行。

    Prints the rows as an indented tree; with --year (or --date) only the rows valid then.
    """
    with _user_errors():
        reg = _registry(codelists)
        cl = reg.get(list_id)
        when = _parse_date(on)
        rows = cl.rows_valid(year, when) if (year is not None or when is not None) else list(cl.rows)
    top = min((lv.level for lv in cl.levels), default=1)
    scope = f"{year} 年 / {year}" if year is not None else (when.isoformat() if when else "全部年度 all years")
    out = [f"{cl.id} {cl.name_zh} / {cl.name_en} — {scope} — {len(rows)} 行 rows"]
    for r in rows:
        indent = "  " * max(r.level - top, 0)
        validity = "" if (year is not None or when is not None) else f"  ({r.validity_text()})"
        out.append(f"{indent}{r.code} {r.name_zh} / {r.name_en or '—'} [{r.status}]{validity}")
    typer.echo("\n".join(out))


@codes_app.command("import")
def import_cmd(
    list_id: str = typer.Argument(..., metavar="LIST", help="代码集 id，如 exp_func / list id"),
    file: Path = typer.Argument(..., metavar="FILE", help="财政部年度文件 .xlsx 或 .csv（UTF-8/GBK）/ official yearly file"),
    year: int = typer.Option(..., "--year", help="该文件适用的预算年度 / the fiscal year of the file"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只显示变化，不写入 / show the changes, write nothing"),
    codelists: Optional[Path] = typer.Option(None, "--codelists", help=CODELISTS_HELP),
) -> None:
    """导入年度分类文件 / import an official yearly file.

    读取财政部年度文件（.xlsx，或 UTF-8/GBK 编码的 .csv），新增、更名、停用记为代码集 CSV 中的有效年度；文件有误时不作任何改动（退出 2）。

    Reads the Ministry's yearly file (.xlsx, or .csv in UTF-8/GBK); additions, renamings and retirements become validity years in the list's CSV. A malformed file changes nothing (exit 2).
    """
    from jincai.codelist_import import import_file

    with _user_errors():
        reg = _registry(codelists)
        cl = reg.get(list_id)
        plan, official = import_file(cl, file, year, dry_run=dry_run)
    s = plan.summary()
    lines = [
        f"{cl.id} {cl.name_zh} ← {file.name}（{year} 年度 fiscal year {year}）"
        + (f" [{official.encoding}]" if official.encoding else f" [{official.sheet}]"),
        f"新增 added {s['added']}，更名 renamed {s['renamed']}，停用 retired {s['retired']}，"
        f"不变 unchanged {s['unchanged']}，确认 confirmed {s['confirmed']}",
    ]
    if official.skipped:
        lines.append(f"跳过无编码的行 skipped rows without a code: {len(official.skipped)} ({', '.join(official.skipped[:5])}{' …' if len(official.skipped) > 5 else ''})")
    for code, old, new in plan.renamed[:20]:
        lines.append(f"  更名 renamed {code}: {old} → {new}")
    for label, codes in (("新增 added", plan.added), ("停用 retired", plan.retired)):
        if codes:
            lines.append(f"  {label}: {', '.join(codes[:20])}{' …' if len(codes) > 20 else ''}")
    if dry_run:
        lines.append("试运行，未写入 dry run: nothing written")
    elif plan.changed:
        lines.append(f"已写入 written: {cl.path}")
        from jincai.codelists import registry

        registry.cache_clear()
    else:
        lines.append("无变化，未写入 no change: nothing written")
    typer.echo("\n".join(lines))
