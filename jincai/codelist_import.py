"""导入财政部年度分类文件 Import an official yearly classification file into a code list.

    jincai codes import exp_func 2025年政府收支分类科目.xlsx --year 2025 [--dry-run]

Three steps, so that each can be tested on its own:

1. ``read_official_file(path)`` reads an ``.xlsx`` (openpyxl) or ``.csv`` (UTF-8 — checked strictly over
   the whole file — else GB18030, which covers GBK) and finds the header row among the first 30 rows by
   its Chinese or English column names (code: 科目编码/编码/代码/code; name: 科目名称/名称/name;
   optional English name: 英文名称/name_en). Rows before the header and rows with neither code nor
   name are skipped (reported); every other row becomes an ``ImportRow`` with its ``file:row``.
2. ``plan_import(codelist, rows, year)`` is pure: it checks the file (code characters, prefix, length
   per the list's ``levels``, pattern, duplicates, missing parent, missing name → ``JincaiError`` with
   the location) and computes the list's new rows:

   * a code in the file already valid in YEAR with the same name continues (an unverified M row is
     split: M up to YEAR-1, V from YEAR, so earlier years stay flagged unverified);
   * a code in the file valid in YEAR under another name is renamed: the old row ends at YEAR-1, a new
     row starts at YEAR;
   * a code not valid in YEAR is added from YEAR (reopening its row if it ended at YEAR-1 under the
     same name);
   * a national code valid in YEAR but absent from the file ends at YEAR-1 (a row that only started in
     YEAR is dropped). Local extensions (longer than the national levels) are never retired by an
     official file.

   New rows are status V, source "official file NAME imported DATE"; level and parent come from the
   code length. Names are compared after NFKC normalisation and whitespace removal, so （）/() or a
   trailing space is not a renaming.
3. ``write_plan(plan)`` writes the CSV atomically; nothing is written when any check fails.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from jincai import limits
from jincai.codelists import FIRST_FISCAL_YEAR, CodeList, Row, control_char, load_codelist, write_codelist_csv
from jincai.errors import JincaiError

HEADER_SCAN_ROWS = 30
CODE_HEADERS = {"科目编码", "科目代码", "编码", "代码", "code", "科目编号", "编号"}
NAME_HEADERS = {"科目名称", "名称", "name", "name_zh", "中文名称"}
NAME_EN_HEADERS = {"英文名称", "name_en", "englishname", "英文"}
_CODE_CHARS = re.compile(r"[0-9A-Za-z]+")


@dataclass(frozen=True)
class ImportRow:
    code: str
    name_zh: str
    name_en: str = ""
    location: str = ""  # file:row


@dataclass
class OfficialFile:
    path: Path
    rows: list[ImportRow]
    skipped: list[str] = field(default_factory=list)  # file:row of rows without code and name
    encoding: str = ""  # csv only
    sheet: str = ""  # xlsx only
    header_row: int = 0


@dataclass
class ImportPlan:
    list_id: str
    year: int
    file_name: str
    rows: list[Row]  # the list's complete new rows
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (code, old name, new name)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)  # unverified M rows now confirmed from YEAR

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.retired or self.confirmed)

    def summary(self) -> dict:
        return {
            "list": self.list_id, "year": self.year, "file": self.file_name,
            "added": len(self.added), "renamed": len(self.renamed), "retired": len(self.retired),
            "unchanged": len(self.unchanged), "confirmed": len(self.confirmed), "rows_after": len(self.rows),
        }


def _err(code: str, zh: str, en: str, location: str = "", **details) -> JincaiError:
    return JincaiError(code, zh, en, location, details)


def _norm_header(value: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).lower()


def _norm_name(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _clean_code(value: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _cell_text(value)))


def _clean_name(value: object) -> str:
    # official files indent names with ideographic spaces by level
    return _cell_text(value).strip().strip("\u3000").strip()


# --------------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """UTF-8 (checked strictly over the whole file, BOM allowed), else GB18030 (a superset of GBK)."""
    try:
        text = data.decode("utf-8")
        return text.removeprefix("\ufeff"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _err(
            "codelist-import-encoding", "文件既不是 UTF-8 也不是 GBK/GB18030 编码",
            "the file is neither UTF-8 nor GBK/GB18030", f"{path.name}:byte {exc.start}",
        ) from exc


def _csv_table(path: Path, text: str) -> list[tuple[int, list[object]]]:
    """The CSV's records with their numbers; a field over ``limits.field_bytes`` or a malformed
    record is an error at its record."""
    limits.csv_field_limit()
    reader = csv.reader(io.StringIO(text, newline=""))
    table: list[tuple[int, list[object]]] = []
    while True:
        where = f"{path.name}:{len(table) + 1}"
        try:
            vals = next(reader, None)
        except csv.Error as exc:
            raise limits.csv_error(exc, where) or _err(
                "codelist-import-malformed", f"CSV 格式错误：{exc}", f"malformed CSV: {exc}", where,
            ) from None
        if vals is None:
            return table
        table.append((len(table) + 1, list(vals)))


def _find_header(path: Path, table: list[tuple[int, list[object]]]) -> tuple[int, int, int, int | None]:
    for rowno, values in table[:HEADER_SCAN_ROWS]:
        heads = [_norm_header(v) for v in values]
        code_col = next((i for i, h in enumerate(heads) if h in CODE_HEADERS), None)
        name_col = next((i for i, h in enumerate(heads) if h in NAME_HEADERS), None)
        if code_col is not None and name_col is not None:
            en_col = next((i for i, h in enumerate(heads) if h in NAME_EN_HEADERS), None)
            return rowno, code_col, name_col, en_col
    raise _err(
        "codelist-import-no-header",
        f"前 {HEADER_SCAN_ROWS} 行中找不到表头：需要编码列（科目编码/编码/code）和名称列（科目名称/名称/name）",
        f"no header in the first {HEADER_SCAN_ROWS} rows: need a code column (科目编码/编码/code) and a name column (科目名称/名称/name)",
        f"{path.name}:1",
    )


def _rows_from_table(path: Path, table: list[tuple[int, list[object]]]) -> tuple[list[ImportRow], list[str], int]:
    header_row, code_col, name_col, en_col = _find_header(path, table)
    rows: list[ImportRow] = []
    skipped: list[str] = []
    for rowno, values in table:
        if rowno <= header_row:
            continue
        get = lambda i: values[i] if i is not None and i < len(values) else None  # noqa: E731
        where = f"{path.name}:{rowno}"
        code, name = _clean_code(get(code_col)), _clean_name(get(name_col))
        name_en = _clean_name(get(en_col)) if en_col is not None else ""
        if not code:
            if name or any(_cell_text(v).strip() for v in values):
                skipped.append(where)  # headings such as 一、一般公共预算收入科目
            continue
        _refuse_control(get(code_col), "编码", "code", where)
        _refuse_control(get(name_col), "名称", "name", where)
        if en_col is not None:
            _refuse_control(get(en_col), "英文名称", "English name", where)
        rows.append(ImportRow(code, name, name_en, where))
    return rows, skipped, header_row


def _refuse_control(value: object, what_zh: str, what_en: str, where: str) -> None:
    """A cell with a control character (NUL, CR, LF, TAB, C1, U+2028/9, bidi overrides) is refused,
    before any trimming: a stored code list never holds one (a name that looks like a formula,
    ``=…``, is data here; every CSV/XLSX jincai writes for people neutralises it)."""
    bad = control_char(_cell_text(value))
    if bad:
        raise _err(
            "codelist-import-control-character",
            f"{what_zh}含控制字符 {bad}：代码集不接受控制字符（换行、制表符、NUL 等），请在文件中删去",
            f"the {what_en} holds the control character {bad}: a code list takes no control characters (line breaks, tabs, NUL …); remove it from the file",
            where,
            character=bad,
        )


def read_official_file(path: Path | str) -> OfficialFile:
    """Read an official classification file (.xlsx or .csv); see the module docstring."""
    path = Path(path)
    if not path.is_file():
        raise _err("codelist-import-unreadable", f"文件不存在：{path}", f"no such file: {path}", str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            from jincai.adapters.readers.excel import open_workbook  # limits checked before reading (issue 7 #11)

            wb = open_workbook(path)
        except JincaiError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _err("codelist-import-unreadable", f"无法读取 Excel 文件：{exc}", f"cannot read the Excel file: {exc}", path.name) from exc
        try:
            first_error: JincaiError | None = None
            for ws in wb.worksheets:
                table = [(i, list(vals)) for i, vals in enumerate(ws.iter_rows(values_only=True), start=1)]
                try:
                    rows, skipped, header = _rows_from_table(path, table)
                except JincaiError as exc:
                    first_error = first_error or exc
                    continue
                return OfficialFile(path, rows, skipped, sheet=ws.title, header_row=header)
            if first_error is None:  # a workbook without a single worksheet
                raise _err("codelist-import-empty", "工作簿中没有工作表", "the workbook has no worksheet", path.name)
            raise first_error
        finally:
            wb.close()
    if suffix in (".csv", ".txt"):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _err("codelist-import-unreadable", f"无法读取文件：{exc}", f"cannot read the file: {exc}", path.name) from exc
        text, encoding = _decode(path, data)
        rows, skipped, header = _rows_from_table(path, _csv_table(path, text))
        return OfficialFile(path, rows, skipped, encoding=encoding, header_row=header)
    raise _err(
        "codelist-import-unsupported-file", f"不支持的文件类型 {suffix}：请用 .xlsx 或 .csv",
        f"unsupported file type {suffix}: use .xlsx or .csv", path.name,
    )


# --------------------------------------------------------------------------------------------------
# planning (pure)
# --------------------------------------------------------------------------------------------------


def _check_rows(cl: CodeList, rows: Sequence[ImportRow]) -> dict[str, ImportRow]:
    lengths = sorted(cl.level_by_length)
    seen: dict[str, ImportRow] = {}
    for r in rows:
        where = r.location
        if not _CODE_CHARS.fullmatch(r.code):
            raise _err("codelist-import-bad-code", f"编码 {r.code!r} 含非法字符", f"code {r.code!r} has invalid characters", where)
        if cl.prefix and not r.code.startswith(cl.prefix):
            raise _err(
                "codelist-import-wrong-prefix",
                f"编码 {r.code} 不以 {cl.prefix} 开头：文件不属于代码集 {cl.id}（{cl.name_zh}）？",
                f"code {r.code} does not start with {cl.prefix}: is the file really list {cl.id} ({cl.name_en})?", where,
            )
        if len(r.code) not in cl.level_by_length:
            raise _err(
                "codelist-import-bad-length",
                f"编码 {r.code} 长度为 {len(r.code)}，代码集 {cl.id} 的层级长度为 {'/'.join(map(str, lengths))}",
                f"code {r.code} has length {len(r.code)}; the levels of list {cl.id} have lengths {'/'.join(map(str, lengths))}", where,
            )
        if not re.fullmatch(cl.pattern, r.code):
            raise _err("codelist-import-bad-code", f"编码 {r.code} 不符合格式 {cl.pattern}",
                       f"code {r.code} does not match the pattern {cl.pattern}", where)
        if not r.name_zh:
            raise _err("codelist-import-missing-name", f"编码 {r.code} 没有名称", f"code {r.code} has no name", where)
        if r.code in seen:
            raise _err("codelist-import-duplicate-code", f"编码 {r.code} 重复（首次出现于 {seen[r.code].location}）",
                       f"code {r.code} is duplicated (first at {seen[r.code].location})", where)
        seen[r.code] = r
    for r in rows:
        parent = cl.parent_for(r.code)
        if parent and parent not in seen:
            raise _err("codelist-import-parent-missing", f"编码 {r.code} 的上级 {parent} 不在文件中",
                       f"the parent {parent} of code {r.code} is not in the file", r.location)
    return seen


def plan_import(
    codelist: CodeList,
    rows: Sequence[ImportRow],
    year: int,
    *,
    file_name: str = "",
    imported_on: date | None = None,
) -> ImportPlan:
    """The list's rows after loading the official file for ``year`` (pure; see the module docstring)."""
    cl = codelist
    if cl.validity != "fiscal_year" or not cl.level_by_length:
        raise _err(
            "codelist-import-unsupported",
            f"代码集 {cl.id} 不支持按年度文件导入（仅支持按预算年度有效、层级由编码长度区分的分类）",
            f"list {cl.id} cannot be imported from a yearly file (only fiscal-year lists whose levels differ by code length)",
        )
    if not isinstance(year, int) or not FIRST_FISCAL_YEAR <= year <= 2999:
        raise _err("codelist-import-bad-year", f"年度 {year} 无效：标准自 {FIRST_FISCAL_YEAR} 年起",
                   f"year {year} is invalid: the standard starts in {FIRST_FISCAL_YEAR}")
    if not rows:
        raise _err("codelist-import-empty", "文件中没有任何代码行", "the file has no code rows", file_name)
    incoming = _check_rows(cl, rows)
    Y, prev = str(year), str(year - 1)
    lo_y = date(year, 1, 1).toordinal()
    hi_y = date(year, 12, 31).toordinal()
    on = imported_on or date.today()
    source = f"official file {file_name or 'unnamed'} imported {on.isoformat()}"
    plan = ImportPlan(cl.id, year, file_name, [])

    by_code: dict[str, list[Row]] = {}
    for r in cl.rows:
        by_code.setdefault(r.code, []).append(r)
    out: dict[str, list[Row]] = {}

    def new_row(item: ImportRow, valid_to: str = "", name_en: str = "", extra: dict | None = None) -> Row:
        lv = cl.level_for(item.code)
        assert lv is not None
        return Row(item.code, cl.parent_for(item.code), lv.level, item.name_zh, item.name_en or name_en,
                   Y, valid_to, "V", source, dict(extra or {c: "" for c in cl.extra_columns}))

    for code in sorted(set(by_code) | set(incoming)):
        history = list(by_code.get(code, []))
        item = incoming.get(code)
        current = [r for r in history if r.overlaps(lo_y, hi_y)]
        if item is None:
            if current and len(code) in cl.level_by_length:  # a national code the file no longer has
                kept = []
                for r in history:
                    if not r.overlaps(lo_y, hi_y):
                        kept.append(r)
                    elif r.lo < lo_y:
                        kept.append(r.replace(valid_to=prev))
                    # else: the row only started in YEAR → dropped
                history = kept
                plan.retired.append(code)
            out[code] = history
            continue
        if current:
            row = current[-1]
            rest = [r for r in history if r is not row]
            if _norm_name(row.name_zh) == _norm_name(item.name_zh):
                if row.status == "V" or row.lo >= lo_y:
                    if row.status != "V":
                        rest.append(row.replace(status="V", source=f"{row.source}; confirmed by {source}"))
                        plan.confirmed.append(code)
                    else:
                        rest.append(row)
                        plan.unchanged.append(code)
                else:  # unverified row: M up to YEAR-1, V from YEAR
                    rest.append(row.replace(valid_to=prev))
                    rest.append(row.replace(valid_from=Y, status="V", source=f"confirmed by {source}"))
                    plan.confirmed.append(code)
            else:
                if row.lo < lo_y:
                    rest.append(row.replace(valid_to=prev))
                    rest.append(new_row(item, valid_to=row.valid_to, extra=row.extra))
                else:  # the row started in YEAR (an earlier import of the same year): rename in place
                    rest.append(row.replace(name_zh=item.name_zh, name_en=item.name_en, status="V", source=source))
                plan.renamed.append((code, row.name_zh, item.name_zh))
            out[code] = rest
            continue
        # not valid in YEAR: reopen a row that ended at YEAR-1 or starts at YEAR+1 under the same name
        rest = list(history)
        before = [r for r in history if r.hi < lo_y]
        after = [r for r in history if r.lo > hi_y]
        if before and before[-1].valid_to == prev and _norm_name(before[-1].name_zh) == _norm_name(item.name_zh):
            old = before[-1]
            rest.remove(old)
            nxt = after[0].lo if after else None
            valid_to = str(date.fromordinal(nxt).year - 1) if nxt else ""
            if old.status == "V":
                rest.append(old.replace(valid_to=valid_to))
            else:
                rest.append(old)
                rest.append(new_row(item, valid_to=valid_to, name_en=old.name_en, extra=old.extra))
        elif after and after[0].valid_from == str(year + 1) and _norm_name(after[0].name_zh) == _norm_name(item.name_zh) \
                and after[0].status == "V":
            rest.remove(after[0])
            rest.append(after[0].replace(valid_from=Y))
        else:
            valid_to = str(date.fromordinal(after[0].lo).year - 1) if after else ""
            rest.append(new_row(item, valid_to=valid_to))
        plan.added.append(code)
        out[code] = rest

    plan.rows = [r for code in sorted(out) for r in sorted(out[code], key=lambda r: r.lo)]
    # the result must be a well-formed list (no overlapping rows, parents valid)
    problems = CodeList(cl.meta, plan.rows, cl.path, cl.extra_columns).check()
    if problems:
        row, zh, en = problems[0]
        raise _err("codelist-import-inconsistent", f"导入结果不一致：代码 {row.code}：{zh}",
                   f"the import would make the list inconsistent: code {row.code}: {en}", file_name)
    return plan


# --------------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------------


def write_plan(plan: ImportPlan, codelist: CodeList, path: Path | None = None) -> Path:
    """Write the planned rows to the list's CSV (atomically) and re-read it as a check."""
    target = Path(path or codelist.path or codelist.file)
    write_codelist_csv(target, plan.rows, codelist.extra_columns)
    load_codelist(codelist.meta, target)
    return target


def import_file(codelist: CodeList, file: Path | str, year: int, *, dry_run: bool = False,
                imported_on: date | None = None) -> tuple[ImportPlan, OfficialFile]:
    """Read, plan and (unless ``dry_run``) write. Raises ``JincaiError`` before writing anything."""
    official = read_official_file(file)
    plan = plan_import(codelist, official.rows, year, file_name=Path(file).name, imported_on=imported_on)
    if not dry_run and plan.changed:
        write_plan(plan, codelist)
    return plan, official
