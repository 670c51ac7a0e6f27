"""Excel workbooks (``source.format: xlsx``; ``.xls`` files too, through xlrd).

Options (the profile's ``source`` block):

``sheets``
    Which sheets to read: a list of sheet names, or patterns written ``re:^[0-9]+月$`` (full match).
    Default: the first sheet only. Sheets are read in workbook order; a name that matches no sheet is
    an error, and so is a list that selects no sheet at all (the error names the sheets found). A
    sheet that is not selected is not read: it is reported as one filtered item (row 0, reason
    ``sheet-not-selected``), so the ledger shows every sheet of the workbook.
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
``document``
    Values that sit above the header (the report's title, 编报单位, 编报日期), by name: ``{cell: A1}``
    takes a cell by its address; ``{label: 编报单位}`` finds, in the 100 rows above the header, the
    first cell whose text starts with the label followed by a colon (``：`` or ``:``), a space or
    nothing, and takes the text after the colon (``编报单位：XX县财政局`` → ``XX县财政局``) or, when
    nothing follows, the next non-empty cell to its right. Each row of the sheet carries them as
    ``extra["doc"]`` (one dict per sheet, shared by its rows; the adapter engine exposes them as the
    pseudo-columns ``_doc.<name>``). A declared value a sheet lacks is an error naming the sheet.

Column names: header text with whitespace normalised (``本年\\n累计`` → ``本年累计``). A column whose
header is empty is named by its letter; a repeated name gets ``@<letter>`` (``金额``, ``金额@F``).
A value in a column right of the header is still reported, under its letter.

Every physical row below the header up to the last non-empty row becomes a ``SourceRow`` — blank
rows, 合计/小计 rows and notes under the table included (the profile filters them); ``row`` is the
Excel row number, ``sheet`` the sheet name. The rows above and in the header are counted in the
ledger as ``preamble_lines``. Values are passed as stored: numbers as ``int``/``float`` (a number
stored as text stays text, an account number Excel turned into ``6.222021234567890e+18`` stays a
float), date-formatted numbers as ``datetime``, formulas as their cached result.
``extra["number_formats"]`` gives the number format of each numeric or date cell whose format is
not ``General`` (so a transform can tell a date serial from an amount), ``extra["columns"]`` the
column letter of each name (shared by the rows of a sheet), ``extra["date1904"]`` is present and
true for workbooks on the 1904 date system.

Resources: an .xlsx is checked against ``jincai.limits`` before it is read (zip sizes and ratio,
shared strings, dimension, cells, columns, merged ranges: ``_xlsx_guard``); an .xls against
``xls_bytes``, ``xlsx_cells`` and ``xlsx_merged_cells``. A damaged workbook is the user error
``adapter-xlsx-malformed`` (or ``adapter-unreadable-file``) with the sheet and row, never a crash.
"""

from __future__ import annotations

import os
import re
from collections import deque
from typing import Any, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jincai import limits
from jincai.adapters import patterns
from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._common import header_text, parse_options
from jincai.adapters.readers._xlsx_guard import col_letter, col_number, malformed, open_checked, open_workbook  # noqa: F401 - open_workbook is this module's public safe-open
from jincai.errors import JincaiError

_MAX_INT_FLOAT = 2**53
_DOC_ROWS_ABOVE = 100


class _Grid:
    """One sheet, row by row: ``rows()`` yields ``(row_number, [(value, number_format), …])``."""

    name: str
    merges: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col), 1-based
    date1904: bool = False
    where: str = ""

    def prepare(self) -> None:
        """Load what ``merges`` needs (an .xls sheet is parsed only when it is read)."""

    def rows(self) -> Iterator[tuple[int, list[tuple[Any, str | None]]]]:  # pragma: no cover
        raise NotImplementedError


class _XlsxGrid(_Grid):
    def __init__(self, book, ws, scan, path: str):
        self.ws = ws
        self.name = ws.title
        self.where = f"{path}#{ws.title}"
        self.date1904 = bool(getattr(book, "epoch", None) and book.epoch.year == 1904)
        self.merges = scan.merges
        self.scan = scan

    def rows(self):
        number = 0
        with_cells = 0
        cap = limits.limit("cell_chars")
        for cells in self.ws.iter_rows():  # guarded: library errors arrive as JincaiError
            number += 1  # openpyxl yields every row from 1 on, the missing ones empty
            if cells:
                with_cells += 1
            try:
                out = []
                for cell in cells:
                    value = getattr(cell, "value", None)
                    fmt = None
                    if value is not None and not isinstance(value, (str, bool)):
                        fmt = cell.number_format
                    elif isinstance(value, str) and len(value) > cap:
                        raise limits.exceeded("cell_chars", len(value), f"{self.where}!{col_letter(len(out) + 1)}{number}")
                    out.append((value, fmt))
            except JincaiError:
                raise
            except Exception as exc:  # noqa: BLE001 - a style index or value the library cannot resolve
                raise malformed(f"{self.where}!row {number}", f"工作表「{self.name}」第 {number} 行无法读取：{type(exc).__name__}: {exc}",
                                f"sheet {self.name!r}: row {number} cannot be read: {type(exc).__name__}: {exc}", sheet=self.name, row=number) from None
            yield number, out
        if with_cells != self.scan.rows_with_cells:  # what the library read must be what the sheet holds
            raise malformed(
                self.where,
                f"工作表「{self.name}」有 {self.scan.rows_with_cells} 行含单元格，读取库只读到 {with_cells} 行",
                f"sheet {self.name!r} has {self.scan.rows_with_cells} rows with cells, the reading library read {with_cells}",
            )


class _XlsGrid(_Grid):
    def __init__(self, book, index: int, name: str, path: str):
        self.book = book
        self.index = index
        self.name = name
        self.where = f"{path}#{name}"
        self.date1904 = bool(book.datemode)
        self.merges = []
        self.sheet = None

    def prepare(self) -> None:
        try:
            self.sheet = sheet = self.book.sheet_by_index(self.index)
            nrows = sheet.nrows
            spent = sum(max(sheet.row_len(r), 1) for r in range(nrows))
            width = max((sheet.row_len(r) for r in range(nrows)), default=0)
            raw = list(sheet.merged_cells)
        except JincaiError:
            raise
        except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on a damaged file
            raise malformed(self.where, f"无法读取 .xls 工作表「{self.name}」：{type(exc).__name__}: {exc}", f"cannot read the .xls sheet {self.name!r}: {type(exc).__name__}: {exc}") from None
        limits.check("xlsx_cells", spent, self.where)
        area = 0
        for rlo, rhi, clo, chi in raw:
            r1, c1, r2, c2 = rlo + 1, clo + 1, min(rhi, nrows), min(chi, width)
            if r1 > r2 or c1 > c2:
                continue
            area += (r2 - r1 + 1) * (c2 - c1 + 1)
            self.merges.append((r1, c1, r2, c2))
        limits.check("xlsx_merged_cells", area, self.where)

    def rows(self):
        import xlrd

        book, sheet = self.book, self.sheet
        cap = limits.limit("cell_chars")
        for r in range(sheet.nrows):
            try:
                out = []
                for c in range(sheet.row_len(r)):
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
                        elif isinstance(value, float) and value.is_integer() and abs(value) < _MAX_INT_FLOAT:
                            value = int(value)
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    elif ctype == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "#ERR")
                    elif isinstance(value, str) and len(value) > cap:
                        raise limits.exceeded("cell_chars", len(value), f"{self.where}!{col_letter(c + 1)}{r + 1}")
                    out.append((value, fmt))
            except JincaiError:
                raise
            except Exception as exc:  # noqa: BLE001 - a damaged record xlrd cannot resolve
                raise malformed(f"{self.where}!row {r + 1}", f".xls 工作表「{self.name}」第 {r + 1} 行无法读取：{type(exc).__name__}: {exc}",
                                f".xls sheet {self.name!r}: row {r + 1} cannot be read: {type(exc).__name__}: {exc}", sheet=self.name, row=r + 1) from None
            yield r + 1, out


def _open_grids(path: str) -> tuple[list[_Grid], Any]:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise JincaiError("adapter-unreadable-file", f"无法打开文件：{exc}", f"cannot open the file: {exc}", path) from None
    if magic.startswith(b"PK"):
        checked = open_checked(path)
        grids = [_XlsxGrid(checked.book, ws, checked.scans[ws.title], path) for ws in checked.book.worksheets]
        return grids, checked.book
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return _open_xls(path)
    raise JincaiError("adapter-unreadable-file", "不是 Excel 工作簿（.xlsx/.xls）", "not an Excel workbook (.xlsx/.xls)", path)


def _open_xls(path: str) -> tuple[list[_Grid], Any]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover
        raise JincaiError("adapter-xls-unsupported", "读取 .xls 需要安装 xlrd", "reading .xls needs xlrd installed", path) from None
    limits.check("xls_bytes", os.path.getsize(path), path)
    try:
        # ragged rows: a row is as long as its last cell, never padded to the widest row
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, ragged_rows=True, logfile=open(os.devnull, "w"))
        names = book.sheet_names()
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds (struct.error, KeyError …) on a damaged file
        raise JincaiError("adapter-unreadable-file", f"无法读取 .xls 工作簿：{type(exc).__name__}: {exc}", f"cannot read the .xls workbook: {type(exc).__name__}: {exc}", path) from None
    return [_XlsGrid(book, i, name, path) for i, name in enumerate(names)], book


def _select(names: list[str], wanted: Any, path: str) -> set[int]:
    """Indexes of the selected sheets."""
    if not names:
        raise JincaiError("adapter-sheet-missing", "工作簿中没有工作表（只有图表页或为空）", "the workbook has no worksheet (only chart sheets, or none)", path)
    if wanted is None:
        return {0}
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise JincaiError("adapter-reader-option", "sheets 应为工作表名称或 re: 模式的列表", "sheets must be a list of sheet names or re: patterns", "source.sheets")
    found = "、".join(names) or "（无 none）"
    chosen: set[int] = set()
    for w in wanted:
        if w.startswith("re:"):
            pattern = patterns.compile(w[3:])  # checked with the options; linear time (RE2)
            chosen |= {i for i, n in enumerate(names) if pattern.matches_whole(n)}
        else:
            match = {i for i, n in enumerate(names) if n == w}
            if not match:
                raise JincaiError("adapter-sheet-missing", f"工作簿中没有工作表「{w}」；已有：{found}", f"the workbook has no sheet {w!r}; it has: {found}", path)
            chosen |= match
    if not chosen:
        listed = "、".join(wanted)
        raise JincaiError(
            "adapter-sheet-missing",
            f"配置的 sheets（{listed}）没有选中任何工作表；工作簿中的工作表：{found}",
            f"the profile's sheets ({', '.join(wanted)}) select no sheet; the workbook has: {found}",
            path,
            {"sheets": names},
        )
    return chosen


class _Merges:
    """Merged ranges, asked row by row in increasing order: which cells of a row a range covers."""

    def __init__(self, merges: list[tuple[int, int, int, int]]):
        self.pending = sorted(merges, reverse=True)  # popped from the end: by first row
        self.active: list[tuple[int, int, int, int]] = []
        self.tops = {(r1, c1) for r1, c1, _, _ in merges}

    def row(self, number: int) -> dict[int, tuple[int, int]]:
        """Column → the top-left cell of the range covering (``number``, column), for covered cells
        other than the top-left itself."""
        while self.pending and self.pending[-1][0] <= number:
            self.active.append(self.pending.pop())
        if not self.active:
            return {}
        self.active = [m for m in self.active if m[2] >= number]
        out: dict[int, tuple[int, int]] = {}
        for r1, c1, _, c2 in self.active:
            for c in range(c1, c2 + 1):
                if r1 != number or c != c1:
                    out[c] = (r1, c1)
        return out


class DocumentValue(BaseModel):
    """Where a document value is: a cell address, or a label."""

    model_config = ConfigDict(extra="forbid")

    cell: str | None = Field(None, pattern=r"^[A-Za-z]{1,3}[1-9][0-9]{0,6}$", description="单元格地址，如 A1 / a cell address, e.g. A1")
    label: str | None = Field(None, min_length=1, description="标签文字，如 编报单位 / a label, e.g. 编报单位")

    def model_post_init(self, _context: Any) -> None:
        if (self.cell is None) == (self.label is None):
            raise ValueError("give exactly one of cell or label / cell 与 label 须且只须给出一个")


class ExcelOptions(BaseModel):
    """Options of the ``excel`` (alias ``xlsx``) reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["excel", "xlsx"] = "excel"
    encoding: str | None = Field(None, description="不适用（工作簿自带编码）/ not used: workbooks carry their own encoding")
    sheets: str | list[str] | None = Field(None, description="工作表名或 re: 模式；默认第一张 / sheet names or re: patterns; default the first sheet")
    header: bool = Field(True, description="有无表头；false 时列名为列字母 / whether there is a header; false: columns named by letter")
    header_row: int | None = Field(None, ge=1, le=1_048_576, description="表头（第一行）所在行号 / row of the (first) header row")
    header_match: str | list[str] | None = Field(None, description="表头行中某单元格的文字（用于定位表头）/ a header cell text that finds the header row")
    header_search_rows: int = Field(50, ge=1, le=10_000, description="header_match 搜索的行数 / rows searched for header_match")
    header_rows: int = Field(1, ge=1, le=10, description="表头占几行（多行表头）/ how many rows the header spans")
    header_separator: str = Field("/", description="多行表头各层之间的连接符 / joins the levels of a multi-row header")
    fill_merged: bool = Field(False, description="数据区合并单元格的值填入其覆盖的每格 / fill merged cells in the data rows")
    document: dict[str, DocumentValue] | None = Field(
        None,
        description="表头以上的文档值（标题、编报单位、编报日期），按名称：{cell: A1} 或 {label: 编报单位} / "
        "values above the header (title, 编报单位, 编报日期) by name: {cell: A1} or {label: 编报单位}",
    )

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

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        opts = parse_options(ExcelOptions, options, "excel")
        if opts.document:
            for name in opts.document:
                if not re.fullmatch(r"\w+", name):
                    raise JincaiError("adapter-reader-option", f"document 的名称 {name!r} 只能含字母、数字、汉字和下划线", f"document name {name!r}: letters, digits and _ only", "source.document")
        self.info = {"sheets_read": [], "sheets_not_selected": [], "preamble_lines": 0}
        grids, book = _open_grids(path)
        try:
            chosen = _select([g.name for g in grids], opts.sheets, path)
            for i, grid in enumerate(grids):
                if i in chosen:
                    self.info["sheets_read"].append(grid.name)
                    yield from self._sheet(path, grid, opts)
                else:
                    self.info["sheets_not_selected"].append(grid.name)
                    yield SourceRow(file=path, row=0, values={}, sheet=grid.name, extra={"filtered": "sheet-not-selected"})
        finally:
            close = getattr(book, "close", None) or getattr(book, "release_resources", None)
            if close:
                close()

    def _sheet(self, path: str, grid: _Grid, opts: ExcelOptions) -> Iterator[SourceRow]:
        grid.prepare()
        has_header = opts.header is not False
        header_rows = opts.header_rows if has_header else 0
        sep = opts.header_separator
        match = opts.header_match if has_header else None
        if isinstance(match, str):
            match = [match]
        matchset = {header_text(m) for m in match} if match else None
        search_limit = opts.header_search_rows
        first_row = opts.header_row or 1
        fill = opts.fill_merged
        merges = _Merges(grid.merges)
        tops = merges.tops
        wanted_doc = opts.document or {}
        doc_cells = {(int(re.sub(r"[A-Za-z]", "", d.cell)), col_number(re.sub(r"[0-9]", "", d.cell))) for d in wanted_doc.values() if d.cell}
        doc_rows = {r for r, _ in doc_cells}
        above: deque = deque(maxlen=_DOC_ROWS_ABOVE)  # the rows above the header, for labels
        kept: dict[int, list] = {}  # rows holding a document cell given by address

        rows = grid.rows()
        header: list[tuple[int, list, dict]] = []
        start_values: dict[tuple[int, int], Any] = {}  # top-left values of merges, as rows pass
        preamble = 0

        def remember(number: int, cells: list) -> None:
            if tops:
                for c, (v, _) in enumerate(cells, 1):
                    if (number, c) in tops:
                        start_values[(number, c)] = v

        def keep_above(number: int, cells: list) -> None:
            if wanted_doc:
                above.append((number, cells))
                if number in doc_rows:
                    kept[number] = cells

        if matchset is not None and has_header:
            found = None
            for number, cells in rows:
                remember(number, cells)
                if number > search_limit:
                    break
                if any(header_text(v) in matchset for v, _ in cells if v is not None):
                    found = number
                    header.append((number, cells, merges.row(number)))
                    break
                merges.row(number)
                keep_above(number, cells)
            if found is None:
                raise JincaiError(
                    "adapter-header-not-found",
                    f"工作表「{grid.name}」前 {search_limit} 行中找不到表头（{'、'.join(sorted(matchset))}）",
                    f"sheet {grid.name!r}: no header row ({', '.join(sorted(matchset))}) within the first {search_limit} rows",
                    f"{path}#{grid.name}",
                )
            first_row = found
        for number, cells in rows if len(header) < header_rows or (not has_header and first_row > 1) else ():
            remember(number, cells)
            covered = merges.row(number)
            if number < first_row:
                keep_above(number, cells)
                if not has_header and number == first_row - 1:
                    break
                continue
            header.append((number, cells, covered))
            if len(header) >= header_rows:
                break
        if has_header and len(header) < header_rows:
            raise JincaiError(
                "adapter-header-not-found",
                f"工作表「{grid.name}」在第 {first_row} 行没有 {header_rows} 行表头",
                f"sheet {grid.name!r}: no {header_rows}-row header at row {first_row}",
                f"{path}#{grid.name}",
            )
        preamble = first_row - 1 + header_rows
        doc = self._document(path, grid, wanted_doc, first_row, above, kept) if wanted_doc else None
        names = self._names(header, start_values, sep)
        letters = {name: col_letter(i + 1) for i, name in enumerate(names)}
        data_start = first_row + header_rows

        # blank rows are held back until a non-blank row follows (trailing blank rows, e.g. a million
        # formatted but empty rows, are not rows of the table); an all-empty row is held as its number
        blanks: list[SourceRow | int] = []
        base_extra: dict[str, Any] = {"columns": letters}
        if grid.date1904:
            base_extra["date1904"] = True
        if doc is not None:
            base_extra["doc"] = doc
        for number, cells in rows:
            remember(number, cells)
            covered = merges.row(number) if fill else None
            if number < data_start:
                continue
            values: dict[str, Any] = {}
            formats: dict[str, str] = {}
            nonblank = False
            for c, (v, fmt) in enumerate(cells, 1):
                if covered and v is None and c in covered:
                    v = start_values.get(covered[c])
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
            if covered:  # a merged value reaching right of the row's last stored cell
                for c in sorted(covered):
                    if c > len(cells) and c <= len(names):
                        v = start_values.get(covered[c])
                        values[names[c - 1]] = v
                        nonblank = nonblank or (v is not None and v != "")
            for name in names[len(cells) :]:
                values.setdefault(name, None)
            extra: dict[str, Any] = dict(base_extra)
            if formats:
                extra["number_formats"] = formats
            if nonblank:
                for held in blanks:
                    if isinstance(held, int):
                        held = SourceRow(file=path, row=held, values=dict.fromkeys(names), sheet=grid.name, extra=dict(base_extra))
                    yield held
                blanks.clear()
                yield SourceRow(file=path, row=number, values=values, sheet=grid.name, extra=extra)
            elif all(v is None for v in values.values()):
                blanks.append(number)
            else:
                blanks.append(SourceRow(file=path, row=number, values=values, sheet=grid.name, extra=extra))
        self.info["preamble_lines"] += preamble

    @staticmethod
    def _document(path: str, grid: _Grid, wanted: dict[str, DocumentValue], header_row: int, above: deque, kept: dict[int, list]) -> dict[str, Any]:
        """The sheet's document values (see the module docstring); a missing one is an error."""
        doc: dict[str, Any] = {}
        for name, spec in wanted.items():
            value = None
            if spec.cell:
                row = int(re.sub(r"[A-Za-z]", "", spec.cell))
                col = col_number(re.sub(r"[0-9]", "", spec.cell))
                where = f"{path}#{grid.name}!{spec.cell.upper()}"
                if row >= header_row:
                    raise JincaiError(
                        "adapter-document-value-missing",
                        f"文档值 {name} 的单元格 {spec.cell.upper()} 不在表头（第 {header_row} 行）以上",
                        f"document value {name}: cell {spec.cell.upper()} is not above the header (row {header_row})",
                        where,
                    )
                cells = kept.get(row) or []
                if col <= len(cells):
                    value = cells[col - 1][0]
                how_zh, how_en = f"单元格 {spec.cell.upper()} 为空", f"cell {spec.cell.upper()} is empty"
            else:
                where = f"{path}#{grid.name}"
                value = _labelled(spec.label or "", above)
                how_zh, how_en = f"表头以上找不到标签“{spec.label}”及其值", f"no label {spec.label!r} with a value above the header"
            if value is None or (isinstance(value, str) and not value.strip()):
                raise JincaiError(
                    "adapter-document-value-missing",
                    f"工作表「{grid.name}」缺少文档值 {name}：{how_zh}",
                    f"sheet {grid.name!r} lacks the document value {name}: {how_en}",
                    where,
                    {"name": name, "sheet": grid.name},
                )
            doc[name] = value
        return doc

    @staticmethod
    def _names(header, start_values, sep) -> list[str]:
        if not header:
            return []
        width = max(len(cells) for _, cells, _ in header)
        for _, _, covered in header:
            width = max([width, *covered.keys()]) if covered else width
        grid_values = []
        for number, cells, covered in header:
            line = []
            for c in range(1, width + 1):
                v = cells[c - 1][0] if c <= len(cells) else None
                if v is None and c in covered:
                    v = start_values.get(covered[c])
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


_SEPARATORS = "：:"


def _labelled(label: str, above) -> Any:
    """The value a label gives in the rows above the header (see ``document``)."""
    want = header_text(label).rstrip(_SEPARATORS)
    if not want:
        return None
    for _, cells in above:
        for c, (v, _) in enumerate(cells):
            if not isinstance(v, str):
                continue
            text = header_text(v)
            if not text.startswith(want):
                continue
            rest = text[len(want) :]
            if rest and rest[0] not in _SEPARATORS and not rest[0].isspace():
                continue  # 单位负责人 is not the label 单位
            rest = rest.lstrip(_SEPARATORS + " \t")
            if rest:
                return rest
            for v2, _ in cells[c + 1 :]:
                if v2 is not None and not (isinstance(v2, str) and not v2.strip()):
                    return v2.strip() if isinstance(v2, str) else v2
            return None
    return None
