"""Opening an .xlsx safely: the package is checked against ``jincai.limits`` before openpyxl reads it.

openpyxl trusts what a workbook says about itself: a 7 KB file can declare a dimension of 17 billion
cells, a 13 KB one thousands of merged ranges over whole rows, a 3 MB zip can inflate to gigabytes,
and its shared-strings table is held in memory whole (≈ 7.5× its XML size). So before openpyxl sees
a part, this module checks

* the zip: each member's declared size and compression ratio and their total (``zip_ratio``,
  ``zip_uncompressed_bytes``; zipfile itself never inflates a member past its declared size, and a
  member that does not match its CRC is an error), the shared-strings table
  (``xlsx_shared_strings_bytes``) and every other part read whole (``xlsx_part_bytes``);
* each worksheet, in one streaming pass over its XML (never held whole; the cells are skipped by
  C-level searches, ≈ 0.5 s for 600 k cells): the declared dimension (``xlsx_cells``,
  ``xlsx_columns``), the cells openpyxl would produce row by row — every row up to the last one,
  each as wide as its last cell (``xlsx_cells``), columns (``xlsx_columns``), the XML elements
  held in memory at once (``xlsx_elements``), merged ranges (``xlsx_merged_cells``, their areas
  clipped to the cells the sheet holds), and what openpyxl would drop without a word: rows out of
  order, a cell outside any row.

``open_workbook(path)`` gives the openpyxl workbook (read-only, values) with each worksheet's
declared dimension ignored and its rows guarded: each row's cells are checked as openpyxl parses
them (a column that repeats or goes back would be overwritten; columns), the cells produced are
counted against ``xlsx_cells``, and a library error while rows are read becomes
``adapter-xlsx-malformed`` naming the sheet and row. ``jincai codes import`` opens workbooks
through it too.

openpyxl parses through defusedxml when it is installed (it is a dependency of jincai): entity
declarations in a workbook part are refused. That costs ≈ 35 % of openpyxl's parsing time
(measured on a 30 k-row sheet); ``OPENPYXL_DEFUSEDXML=False`` turns it off.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from jincai import limits
from jincai.errors import JincaiError

EXCEL_MAX_ROWS = 1_048_576
_RATIO_FLOOR = 1 << 20  # a member smaller than this is never a bomb, whatever its ratio
_CHUNK = 1 << 20
_MAX_TAG = 1 << 20

_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
# the tags the scan stops at (literal alternatives first: a C-level search that skips the cells);
# cells are looked at a row at a time, by C-level searches too
_SCAN = re.compile(
    rb"<(?:(row|mergeCell|dimension)\b"
    rb"|/(row)\s*>"
    rb"|[A-Za-z_][\w.-]*:(row|mergeCell|dimension)\b"
    rb"|/[A-Za-z_][\w.-]*:(row)\s*>)"
)
_CELL = re.compile(rb"<" + _NAME + rb"c[\s/>]")
_LETTERS = re.compile(rb"\$?([A-Za-z]+)")
_ROW_R = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_REF = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")
_RANGE = re.compile(rb"\$?([A-Za-z]{1,4})\$?([0-9]{1,9})(?::\$?([A-Za-z]{1,4})\$?([0-9]{1,9}))?")


def col_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def malformed(where: str, zh: str, en: str, **details: Any) -> JincaiError:
    return JincaiError("adapter-xlsx-malformed", f"Excel 工作簿结构有误：{zh}", f"malformed Excel workbook: {en}", where, details)


@dataclass
class SheetScan:
    """What one pass over a worksheet's XML found (before openpyxl reads it)."""

    member: str
    max_row: int = 0  # last row number with a row element
    max_col: int = 0  # rightmost column any cell reaches
    rows_with_cells: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), clipped
    declared: str | None = None  # the <dimension ref>


_WORKSHEET_TYPE = "spreadsheetml.worksheet+xml"
_SHARED_STRINGS_TYPE = "spreadsheetml.sharedStrings+xml"


def check_package(path: str) -> zipfile.ZipFile:
    """The zip-level checks; returns the open archive (the caller closes it)."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise JincaiError("adapter-unreadable-file", f"无法读取 Excel 工作簿（zip 结构损坏）：{exc}", f"cannot read the Excel workbook (damaged zip): {exc}", path) from None
    try:
        total = 0
        ratio = limits.limit("zip_ratio")
        for info in infos:
            total += info.file_size
            if info.file_size >= _RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
                raise limits.exceeded("zip_ratio", info.file_size // max(info.compress_size, 1), f"{path}!{info.filename}")
        limits.check("zip_uncompressed_bytes", total, path)
        roles = _content_types(zf, path)
        for info in infos:
            where = f"{path}!{info.filename}"
            role = roles.get(info.filename, "")
            if role.endswith(_SHARED_STRINGS_TYPE):
                limits.check("xlsx_shared_strings_bytes", info.file_size, where)
            elif not role.endswith(_WORKSHEET_TYPE):  # worksheets are streamed and checked cell by cell
                limits.check("xlsx_part_bytes", info.file_size, where)
    except BaseException:
        zf.close()
        raise
    return zf


def _content_types(zf: zipfile.ZipFile, path: str) -> dict[str, str]:
    """Part name → content type, from ``[Content_Types].xml`` (how openpyxl finds the parts)."""
    from defusedxml import ElementTree as SafeET

    try:
        info = zf.getinfo("[Content_Types].xml")
    except KeyError:
        return {}
    limits.check("xlsx_part_bytes", info.file_size, f"{path}![Content_Types].xml")
    try:
        root = SafeET.fromstring(zf.read(info))
    except Exception:  # noqa: BLE001 - a damaged manifest: openpyxl reports it when it loads
        return {}
    out = {}
    for el in root:
        name = el.get("PartName")
        if name and el.tag.endswith("Override"):
            out[name.lstrip("/")] = el.get("ContentType", "")
    return out


def scan_sheet(zf: zipfile.ZipFile, member: str, where: str) -> SheetScan:
    """One streaming pass over a worksheet part; raises the limit or malformed error it finds.
    Cells are not parsed here (openpyxl does that, and the guarded rows check each one): a row is
    measured by its last cell reference, found by C-level searches."""
    out = SheetScan(member)
    cells_cap = limits.limit("xlsx_cells")
    cols_cap = limits.limit("xlsx_columns")
    elems_cap = limits.limit("xlsx_elements")
    spent = 0  # cells openpyxl will produce: each row as wide as its last cell, an empty row as 1
    in_row = False
    row_no = 0
    width = 0
    has_cell = False
    other = row_elems = 0
    raw_merges: list[tuple[int, int, int, int]] = []
    try:
        fh = zf.open(member)
    except KeyError:
        raise malformed(where, f"工作表部件 {member} 不存在", f"the worksheet part {member} is missing") from None

    def measure(data: bytes, a: int, b: int) -> None:
        """A stretch of the current row: does it hold a cell, how far right does it reach."""
        nonlocal width, has_cell
        if a >= b or _CELL.search(data, a, b) is None:
            return
        has_cell = True
        at = data.rfind(b' r="', a, b)
        m = _LETTERS.match(data, at + 4) if at >= 0 else None
        if m is None:  # cells without references: each one right of the previous
            width += len(_CELL.findall(data, a, b))
            return
        letters = m.group(1)
        if len(letters) > 3:
            raise limits.exceeded("xlsx_columns", f"{letters.decode()}（>{col_letter(cols_cap)}）", f"{where}!{letters.decode()}{row_no}")
        width = max(width, col_number(letters))
        if width > cols_cap:
            raise limits.exceeded("xlsx_columns", width, f"{where}!{col_letter(width)}{row_no}")

    tail = b""
    with fh:
        while True:
            try:
                chunk = fh.read(_CHUNK)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                raise malformed(where, f"工作表部件 {member} 无法解压：{exc}", f"the worksheet part {member} cannot be inflated: {exc}") from None
            data = tail + chunk
            if chunk:
                cut = data.rfind(b"<")
                if cut >= 0 and data.find(b">", cut) < 0:  # an unfinished tag waits for the next chunk
                    if len(data) - cut > _MAX_TAG:
                        raise malformed(where, "XML 标记超过 1 MiB", "an XML tag longer than 1 MiB")
                    data, tail = data[:cut], data[cut:]
                else:
                    tail = b""
            seg = 0  # where the stretch not yet counted starts
            for m in _SCAN.finditer(data):
                tag = m.group(1) or m.group(3)
                if tag is not None:
                    gt = data.find(b">", m.end())
                    attrs, end = data[m.end() : gt], gt + 1
                if tag == b"row":  # a row starts
                    if in_row:
                        raise malformed(where, f"第 {row_no} 行未结束又开始新行", f"a row starts inside row {row_no}")
                    _outside_cells(data, seg, m.start(), where, row_no)
                    other += _elements(data, seg, m.start())
                    r = _ROW_R.search(attrs)
                    if r:
                        try:
                            number = float(r.group(1))
                            if not number.is_integer():
                                raise ValueError
                            number = int(number)
                        except (ValueError, OverflowError):
                            raise malformed(where, f"行号 {r.group(1).decode(errors='replace')!r} 无效", f"invalid row number {r.group(1).decode(errors='replace')!r}") from None
                    else:
                        number = row_no + 1
                    if number <= row_no:
                        raise malformed(
                            where,
                            f"第 {number} 行出现在第 {row_no} 行之后（会被读取库丢弃）",
                            f"row {number} comes after row {row_no} (the reading library would drop it)",
                            row=number,
                        )
                    if number > EXCEL_MAX_ROWS:
                        raise malformed(where, f"行号 {number} 超过 Excel 的最大行数 {EXCEL_MAX_ROWS}", f"row number {number} is beyond Excel's last row {EXCEL_MAX_ROWS}", row=number)
                    spent += number - row_no  # the empty rows in between, and this one at least
                    row_no = number
                    width = 0
                    has_cell = False
                    if attrs.rstrip().endswith(b"/"):  # <row …/>: an empty row
                        other += 1
                    else:
                        in_row = True
                        row_elems = 1
                    seg = end
                elif tag is None:  # a row ends
                    if not in_row:
                        raise malformed(where, f"第 {row_no} 行之后有多余的行结束标记", f"a stray end of row after row {row_no}")
                    measure(data, seg, m.start())
                    row_elems += _elements(data, seg, m.end())
                    seg = m.end()
                    if row_elems > elems_cap:
                        raise limits.exceeded("xlsx_elements", row_elems, f"{where}!row {row_no}")
                    in_row = False
                    spent += max(width, 1) - 1
                    if has_cell:
                        out.rows_with_cells += 1
                        out.max_col = max(out.max_col, width)
                    if spent > cells_cap:
                        raise limits.exceeded("xlsx_cells", f">{spent}", f"{where}!row {row_no}")
                elif not in_row and tag == b"mergeCell":
                    ref = _REF.search(attrs)
                    rng = _RANGE.fullmatch(ref.group(1)) if ref else None
                    if rng is None:
                        raise malformed(where, "合并区域的引用无效", "a merged range with an invalid reference")
                    raw_merges.append(_range(rng, where, cols_cap))
                elif not in_row and tag == b"dimension":
                    ref = _REF.search(attrs)
                    rng = _RANGE.fullmatch(ref.group(1)) if ref else None
                    if rng is not None:
                        r1, c1, r2, c2 = _range(rng, where, cols_cap)
                        out.declared = ref.group(1).decode()
                        limits.check("xlsx_cells", (r2 - r1 + 1) * (c2 - c1 + 1), f"{where} <dimension ref={out.declared}>")
            if in_row:
                measure(data, seg, len(data))
                row_elems += _elements(data, seg, len(data))
                if row_elems > elems_cap:
                    raise limits.exceeded("xlsx_elements", row_elems, f"{where}!row {row_no}")
            else:
                _outside_cells(data, seg, len(data), where, row_no)
                other += _elements(data, seg, len(data))
            if other > elems_cap:
                raise limits.exceeded("xlsx_elements", other, where)
            if not chunk:
                break
    out.max_row = row_no
    # merged ranges matter only over the cells the sheet holds: a range over whole rows or columns
    # is clipped to them, and its area counts toward the limit
    area = 0
    for r1, c1, r2, c2 in raw_merges:
        r2, c2 = min(r2, out.max_row), min(c2, out.max_col)
        if r1 > r2 or c1 > c2:
            continue
        area += (r2 - r1 + 1) * (c2 - c1 + 1)
        if area > limits.limit("xlsx_merged_cells"):
            raise limits.exceeded("xlsx_merged_cells", f">{area}", where)
        out.merges.append((r1, c1, r2, c2))
    return out


def _outside_cells(data: bytes, a: int, b: int, where: str, row_no: int) -> None:
    if a < b and _CELL.search(data, a, b) is not None:
        raise malformed(where, f"第 {row_no} 行之后有不在任何行内的单元格（会被读取库丢弃）", f"a cell outside any row after row {row_no} (the reading library would drop it)")


def _elements(data: bytes, start: int, end: int) -> int:
    """Element start tags in ``data[start:end]``."""
    return data.count(b"<", start, end) - data.count(b"</", start, end) - data.count(b"<?", start, end) - data.count(b"<!", start, end)


def _range(m: re.Match, where: str, cols_cap: int) -> tuple[int, int, int, int]:
    c1, r1, c2, r2 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
    for letters in (c1, c2):
        if len(letters) > 3 or col_number(letters) > cols_cap:
            raise limits.exceeded("xlsx_columns", letters.decode(), f"{where}!{m.group(0).decode()}")
    a, b = sorted((int(r1), int(r2)))
    c, d = sorted((col_number(c1), col_number(c2)))
    return a, c, b, d


# ------------------------------------------------------------------------------------------------
# the workbook, through openpyxl
# ------------------------------------------------------------------------------------------------

_GUARDED: type | None = None


def _guarded_class() -> type:
    """A ReadOnlyWorksheet whose rows turn library errors into a coded error with the row, and
    stop at the cell limit (openpyxl is imported only when a workbook is opened)."""
    global _GUARDED
    if _GUARDED is None:
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        class GuardedWorksheet(ReadOnlyWorksheet):
            jincai_where = ""

            def _get_row(self, row, min_col=1, max_col=None, values_only=False):
                # the row's cells as parsed: a column that repeats or goes back would be overwritten
                cap = limits.limit("xlsx_columns")
                prev = 0
                for cell in row:
                    c = cell["column"]
                    if c > cap:
                        raise limits.exceeded("xlsx_columns", c, f"{self.jincai_where}!{col_letter(c)}{cell['row']}")
                    if c <= prev:
                        raise malformed(
                            f"{self.jincai_where}!{col_letter(c)}{cell['row']}",
                            f"工作表「{self.title}」第 {cell['row']} 行的单元格 {col_letter(c)} 重复或顺序颠倒（会被覆盖）",
                            f"sheet {self.title!r}: row {cell['row']}: cell {col_letter(c)} repeats or comes after a cell to its right (it would be overwritten)",
                            sheet=self.title,
                            row=cell["row"],
                        )
                    prev = c
                return super()._get_row(row, min_col, max_col, values_only)

            def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
                rows = super()._cells_by_row(min_col, min_row, max_col, max_row, values_only)
                number = min_row - 1
                spent = 0
                cap = limits.limit("xlsx_cells")
                while True:
                    try:
                        cells = next(rows)
                    except StopIteration:
                        return
                    except JincaiError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - any library error on a damaged sheet
                        raise malformed(
                            f"{self.jincai_where}!row {number + 1}",
                            f"工作表「{self.title}」第 {number + 1} 行附近无法读取：{type(exc).__name__}: {exc}",
                            f"sheet {self.title!r}: cannot read near row {number + 1}: {type(exc).__name__}: {exc}",
                            sheet=self.title,
                            row=number + 1,
                        ) from None
                    number += 1
                    spent += max(len(cells), 1)
                    if spent > cap:
                        raise limits.exceeded("xlsx_cells", f">{cap}", f"{self.jincai_where}!row {number}")
                    yield cells

        _GUARDED = GuardedWorksheet
    return _GUARDED


@dataclass
class CheckedWorkbook:
    """An openpyxl workbook that passed the checks, and what the checks found per sheet title."""

    book: Any
    scans: dict[str, SheetScan]

    def close(self) -> None:
        self.book.close()


def open_checked(path: str) -> CheckedWorkbook:
    """Check the package, load it with openpyxl (read-only, cached values), check every worksheet
    part openpyxl will read, and guard its rows."""
    zf = check_package(path)
    try:
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except JincaiError:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
            raise JincaiError("adapter-unreadable-file", f"无法读取 Excel 工作簿：{type(exc).__name__}: {exc}", f"cannot read the Excel workbook: {type(exc).__name__}: {exc}", path) from None
        try:
            scans: dict[str, SheetScan] = {}
            cls = _guarded_class()
            for ws in book.worksheets:
                member = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
                where = f"{path}#{ws.title}"
                scans[ws.title] = scan_sheet(zf, member, where)
                ws.__class__ = cls
                ws.jincai_where = where
                ws.reset_dimensions()  # the declared <dimension> is checked, never trusted
        except BaseException:
            book.close()
            raise
    finally:
        zf.close()
    return CheckedWorkbook(book, scans)


def open_workbook(path: str) -> Any:
    """The openpyxl workbook of ``path``, opened safely (see the module docstring): every limit is
    checked first, and reading its rows raises only ``JincaiError``."""
    return open_checked(str(path)).book
