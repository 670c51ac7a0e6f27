"""Excel workbooks (``source.format: xlsx``; ``.xls`` files too, through xlrd).

Options (the profile's ``source`` block):

``sheets``
    Which sheets to read: a list of sheet names, or patterns written ``re:^[0-9]+月$`` (full match).
    Default: the first sheet only. Sheets are read in workbook order; a name that matches no sheet is
    an error (a pattern that matches none is not).
``header_row``
    1-based row of the (first) header row. Default 1, unless ``header_match`` is given.
``header_match``
    Instead of a fixed row: a cell text (or list of texts) that marks the header row, e.g. ``科目编码``;
    the first row within ``header_search_rows`` (default 50) with a cell equal to one of them (after
    whitespace is normalised) is the header. Each sheet is searched separately.
``header_rows``
    How many rows the header spans (multi-row headers), default 1.
``header_separator``
    Joins the levels of a multi-row header, default ``/``: a cell ``1月`` merged over two columns
    above ``本月`` and ``累计`` gives the columns ``1月/本月`` and ``1月/累计``. A merged cell counts
    for every row and column it covers; repeated levels are given once (``科目`` merged down two rows
    is just ``科目``).
``header: false``
    No header: columns are named by their letters (``A``, ``B``…); data starts at ``header_row``
    (default 1).
``fill_merged``
    Fill a merged cell's value into every cell it covers in the data rows too (default false: data
    cells are as stored, a merged range's value is in its top-left cell only).

Column names: header text with whitespace normalised (``本年\\n累计`` → ``本年累计``). A column whose
header is empty is named by its letter; a repeated name gets ``@<letter>`` (``金额``, ``金额@F``).
A value in a column right of the header is still reported, under its letter.

Every physical row below the header up to the last non-empty row becomes a ``SourceRow`` — blank
rows, 合计/小计 rows and notes under the table included (the profile filters them); ``row`` is the
Excel row number, ``sheet`` the sheet name. Values are passed as stored: numbers as ``int``/``float``
(a number stored as text stays text, an account number Excel turned into ``6.222021234567890e+18``
stays a float), date-formatted numbers as ``datetime``, formulas as their cached result.
``extra["number_formats"]`` gives the number format of each numeric or date cell whose format is
not ``General`` (so a transform can tell a date serial from an amount), ``extra["columns"]`` the
column letter of each name (shared by the rows of a sheet), ``extra["date1904"]`` is present and
true for workbooks on the 1904 date system.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any, Iterator, Literal

from jincai.adapters import patterns
from jincai.adapters.readers import SourceRow, register
from pydantic import BaseModel, ConfigDict, Field, field_validator

from jincai.adapters.readers._common import header_text, parse_options
from jincai.errors import JincaiError

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_MAX_INT_FLOAT = 2**53


def col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n


class _Grid:
    """One sheet, row by row: ``rows()`` yields ``(row_number, [(value, number_format), …])``."""

    name: str
    merges: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col), 1-based
    date1904: bool = False

    def rows(self) -> Iterator[tuple[int, list[tuple[Any, str | None]]]]:  # pragma: no cover
        raise NotImplementedError


class _XlsxGrid(_Grid):
    def __init__(self, wb, ws, archive_path: str | None, path: str):
        self.ws = ws
        self.name = ws.title
        self.date1904 = bool(getattr(wb, "epoch", None) and wb.epoch.year == 1904)
        self.merges = _xlsx_merges(path, archive_path) if archive_path else []

    def rows(self):
        number = 0
        for cells in self.ws.iter_rows():
            number += 1
            out = []
            for cell in cells:
                value = getattr(cell, "value", None)
                fmt = None
                if value is not None and not isinstance(value, str) and not isinstance(value, bool):
                    fmt = cell.number_format
                out.append((value, fmt))
            if cells:
                first = cells[0]
                if getattr(first, "row", None):
                    number = first.row
            yield number, out


def _xlsx_merges(path: str, member: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, found by scanning its XML for ``<mergeCell ref=…>`` (the element
    follows the cell data, and openpyxl's read-only mode does not expose it)."""
    merges = []
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        tail = b""
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            cut = data.rfind(b"<")
            scan, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            for m in _MERGE.finditer(scan):
                c1, r1, c2, r2 = m.groups()
                c2, r2 = c2 or c1, r2 or r1
                merges.append((int(r1), _col_number(c1), int(r2), _col_number(c2)))
        for m in _MERGE.finditer(tail):
            c1, r1, c2, r2 = m.groups()
            c2, r2 = c2 or c1, r2 or r1
            merges.append((int(r1), _col_number(c1), int(r2), _col_number(c2)))
    return merges


class _XlsGrid(_Grid):
    def __init__(self, book, sheet):
        self.book = book
        self.sheet = sheet
        self.name = sheet.name
        self.date1904 = bool(book.datemode)
        self.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]

    def rows(self):
        import xlrd

        book, sheet = self.book, self.sheet
        for r in range(sheet.nrows):
            out = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                ctype, value = cell.ctype, cell.value
                fmt = None
                if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                elif ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                    try:
                        fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                    except (IndexError, KeyError, AttributeError, TypeError):
                        fmt = None
                    if ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            pass  # stays the serial number
                    elif value.is_integer() and abs(value) < _MAX_INT_FLOAT:
                        value = int(value)
                elif ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#ERR")
                out.append((value, fmt))
            yield r + 1, out


def _open_grids(path: str) -> tuple[list[_Grid], Any]:
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise JincaiError("adapter-unreadable-file", f"无法读取 Excel 工作簿：{exc}", f"cannot read the Excel workbook: {exc}", path) from exc
        members = _sheet_members(path)
        grids = [_XlsxGrid(wb, ws, members.get(ws.title), path) for ws in wb.worksheets]
        return grids, wb
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        try:
            import xlrd
        except ImportError:  # pragma: no cover
            raise JincaiError("adapter-xls-unsupported", "读取 .xls 需要安装 xlrd", "reading .xls needs xlrd installed", path) from None
        try:
            book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
        except Exception as exc:
            raise JincaiError("adapter-unreadable-file", f"无法读取 .xls 工作簿：{exc}", f"cannot read the .xls workbook: {exc}", path) from exc
        return [_XlsGrid(book, book.sheet_by_index(i)) for i in range(book.nsheets)], book
    raise JincaiError("adapter-unreadable-file", "不是 Excel 工作簿（.xlsx/.xls）", "not an Excel workbook (.xlsx/.xls)", path)


def _sheet_members(path: str) -> dict[str, str]:
    """Sheet title → its XML part in the package (from workbook.xml and its relationships)."""
    import xml.etree.ElementTree as ET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        try:
            wb = ET.fromstring(zf.read("xl/workbook.xml"))
            rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        except KeyError:
            return out
        targets = {}
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = target
        for sheet in wb.iter(f"{ns_main}sheet"):
            rid = sheet.get(f"{ns_rel}id")
            if rid in targets:
                out[sheet.get("name")] = targets[rid]
    return out


def _select(grids: list[_Grid], wanted: Any, path: str) -> list[_Grid]:
    if wanted is None:
        return grids[:1]
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise JincaiError("adapter-reader-option", "sheets 应为工作表名称或 re: 模式的列表", "sheets must be a list of sheet names or re: patterns", "source.sheets")
    chosen = []
    for w in wanted:
        if w.startswith("re:"):
            pattern = patterns.compile(w[3:])  # checked with the options; linear time (RE2)
            chosen += [g for g in grids if pattern.matches_whole(g.name) and g not in chosen]
        else:
            match = [g for g in grids if g.name == w]
            if not match:
                names = "、".join(g.name for g in grids)
                raise JincaiError(
                    "adapter-sheet-missing",
                    f"工作簿中没有工作表「{w}」；已有：{names}",
                    f"the workbook has no sheet {w!r}; it has: {names}",
                    path,
                )
            chosen += [g for g in match if g not in chosen]
    order = {id(g): i for i, g in enumerate(grids)}
    return sorted(chosen, key=lambda g: order[id(g)])


class ExcelOptions(BaseModel):
    """Options of the ``excel`` (alias ``xlsx``) reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["excel", "xlsx"] = "excel"
    encoding: str | None = Field(None, description="不适用（工作簿自带编码）/ not used: workbooks carry their own encoding")
    sheets: str | list[str] | None = Field(None, description="工作表名或 re: 模式；默认第一张 / sheet names or re: patterns; default the first sheet")
    header: bool = Field(True, description="有无表头；false 时列名为列字母 / whether there is a header; false: columns named by letter")
    header_row: int | None = Field(None, ge=1, description="表头（第一行）所在行号 / row of the (first) header row")
    header_match: str | list[str] | None = Field(None, description="表头行中某单元格的文字（用于定位表头）/ a header cell text that finds the header row")
    header_search_rows: int = Field(50, ge=1, description="header_match 搜索的行数 / rows searched for header_match")
    header_rows: int = Field(1, ge=1, le=10, description="表头占几行（多行表头）/ how many rows the header spans")
    header_separator: str = Field("/", description="多行表头各层之间的连接符 / joins the levels of a multi-row header")
    fill_merged: bool = Field(False, description="数据区合并单元格的值填入其覆盖的每格 / fill merged cells in the data rows")

    @field_validator("sheets")
    @classmethod
    def _sheet_patterns(cls, v: Any) -> Any:
        for i, w in enumerate([v] if isinstance(v, str) else v or []):
            if w.startswith("re:"):
                try:
                    patterns.check(w[3:])
                except patterns.PatternError as exc:
                    exc.where = (i,) if isinstance(v, list) else ()
                    raise
        return v


@register("xlsx")
@register("excel")
class ExcelReader:
    name = "excel"
    options_model = ExcelOptions

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        options = parse_options(ExcelOptions, options, "excel").model_dump()
        grids, book = _open_grids(path)
        try:
            for grid in _select(grids, options.get("sheets"), path):
                yield from self._sheet(path, grid, options)
        finally:
            close = getattr(book, "close", None) or getattr(book, "release_resources", None)
            if close:
                close()

    def _sheet(self, path: str, grid: _Grid, options: dict[str, Any]) -> Iterator[SourceRow]:
        has_header = options.get("header", True) is not False
        header_rows = int(options.get("header_rows", 1)) if has_header else 0
        sep = str(options.get("header_separator", "/"))
        match = options.get("header_match") if has_header else None
        if isinstance(match, str):
            match = [match]
        matchset = {header_text(m) for m in match} if match else None
        search_limit = int(options.get("header_search_rows", 50))
        first_row = int(options.get("header_row") or 1)
        fill = bool(options.get("fill_merged", False))
        merges = grid.merges
        # top-left value of each merged cell, looked up by the cells it covers
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in merges:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                continue  # a whole-column merge: nothing to fill sensibly
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered[(r, c)] = (r1, c1)

        rows = grid.rows()
        header: list[list] = []
        start_values: dict[tuple[int, int], Any] = {}  # top-left values of merges, as rows pass
        merge_tops = {(r1, c1) for r1, c1, _, _ in merges}

        def remember(number: int, cells: list) -> None:
            if merge_tops:
                for c, (v, _) in enumerate(cells, 1):
                    if (number, c) in merge_tops:
                        start_values[(number, c)] = v

        if matchset is not None and has_header:
            found = None
            for number, cells in rows:
                remember(number, cells)
                if number > search_limit:
                    break
                if any(header_text(v) in matchset for v, _ in cells if v is not None):
                    found = number
                    header.append((number, cells))
                    break
            if found is None:
                raise JincaiError(
                    "adapter-header-not-found",
                    f"工作表「{grid.name}」前 {search_limit} 行中找不到表头（{'、'.join(sorted(matchset))}）",
                    f"sheet {grid.name!r}: no header row ({', '.join(sorted(matchset))}) within the first {search_limit} rows",
                    f"{path}#{grid.name}",
                )
            first_row = found
        for number, cells in rows if len(header) < header_rows else ():
            remember(number, cells)
            if number < first_row:
                continue
            header.append((number, cells))
            if len(header) >= header_rows:
                break
        if has_header and len(header) < header_rows:
            raise JincaiError(
                "adapter-header-not-found",
                f"工作表「{grid.name}」在第 {first_row} 行没有 {header_rows} 行表头",
                f"sheet {grid.name!r}: no {header_rows}-row header at row {first_row}",
                f"{path}#{grid.name}",
            )
        names = self._names(header, covered, start_values, sep)
        letters = {name: col_letter(i + 1) for i, name in enumerate(names)}
        data_start = first_row + header_rows

        # blank rows are held back until a non-blank row follows (trailing blank rows, e.g. a million
        # formatted but empty rows, are not rows of the table); an all-empty row is held as its number
        blanks: list[SourceRow | int] = []
        empty_extra: dict[str, Any] = {"columns": letters, **({"date1904": True} if grid.date1904 else {})}
        for number, cells in rows:
            remember(number, cells)
            if number < data_start:
                continue
            values: dict[str, Any] = {}
            formats: dict[str, str] = {}
            nonblank = False
            for c, (v, fmt) in enumerate(cells, 1):
                if fill and v is None and (number, c) in covered:
                    v = start_values.get(covered[(number, c)])
                if c <= len(names):
                    key = names[c - 1]
                else:
                    if v is None:
                        continue
                    key = col_letter(c)
                    letters.setdefault(key, key)
                values[key] = v
                if v is not None and v != "":
                    nonblank = True
                    if fmt and fmt != "General":
                        formats[key] = fmt
            for name in names[len(cells) :]:
                values[name] = None
            extra: dict[str, Any] = {"columns": letters}
            if formats:
                extra["number_formats"] = formats
            if grid.date1904:
                extra["date1904"] = True
            if nonblank:
                for held in blanks:
                    if isinstance(held, int):
                        held = SourceRow(file=path, row=held, values=dict.fromkeys(names), sheet=grid.name, extra=dict(empty_extra))
                    yield held
                blanks.clear()
                yield SourceRow(file=path, row=number, values=values, sheet=grid.name, extra=extra)
            elif all(v is None for v in values.values()):
                blanks.append(number)
            else:
                blanks.append(SourceRow(file=path, row=number, values=values, sheet=grid.name, extra=extra))

    @staticmethod
    def _names(header, covered, start_values, sep) -> list[str]:
        if not header:
            return []
        width = max(len(cells) for _, cells in header)
        grid_values = []
        for number, cells in header:
            line = []
            for c in range(1, width + 1):
                v = cells[c - 1][0] if c <= len(cells) else None
                if v is None and (number, c) in covered:
                    v = start_values.get(covered[(number, c)])
                line.append(header_text(v))
            grid_values.append(line)
        names: list[str] = []
        seen: set[str] = set()
        for c in range(width):
            parts: list[str] = []
            for line in grid_values:
                if line[c] and (not parts or parts[-1] != line[c]):
                    parts.append(line[c])
            name = sep.join(parts) or col_letter(c + 1)
            if name in seen:
                name = f"{name}@{col_letter(c + 1)}"
            seen.add(name)
            names.append(name)
        # trailing columns with no header text at all are not columns of the table
        while names and names[-1] == col_letter(len(names)):
            names.pop()
        return names
