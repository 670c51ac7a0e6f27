"""Every CSV and XLSX file jincai writes is safe to open in a spreadsheet.

A clerk double-clicks ``rejected.csv`` or an error report and Excel (or WPS, LibreOffice) opens it.
A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula there (OWASP "CSV injection"): ``=HYPERLINK("http://…","点击")`` becomes a live link,
``=cmd|' /C calc'!A0`` a DDE call. Values come from submitted files, so they can say anything.

The rules, one place for every writer (validation reports, ``rejected.csv``, ``ledger_rows.csv``,
and the data center's spreadsheets):

**CSV — a reversible quote prefix.** A cell whose text starts with one of
``= + - @ TAB CR LF`` or their full-width forms ``＝ ＋ － ＠`` (Chinese input methods type these,
and some spreadsheets take them as formula starts too) gets a single quote ``'`` in front — the
OWASP-recommended neutraliser, which spreadsheets show as text. So that the prefix can always be
taken off again, a cell whose text itself starts with ``'`` gets one too. Reading back is therefore
exact: ``restore(cell)`` removes one leading ``'`` if there is one (``read_rows`` does it for a
whole file). ``restore(neutralise(s)) == s`` for every string ``s``.

*Numbers stay numbers.* Text that is a plain decimal number — ``-12.50``, ``-3``, i.e.
``-?[0-9]+(\\.[0-9]+)?`` — is not a formula in any spreadsheet and is data (a negative amount, a
red-ink refund): it is written as it is, so a negative amount stays usable as a number. Anything
else that starts with ``-`` (``-2+3``, ``-A1``, ``-1E5``) is prefixed.

*What cannot round-trip.* CSV files are UTF-8: a lone surrogate (``"\\ud800"`` written as a JSON
escape; text decoded from a file never holds one) cannot be encoded and is written as the text
``\\ud800``. Control characters are kept (a CSV cell can hold them; quoted where the csv module
needs it).

**XLSX — strings are strings.** Every text value is written with xlsxwriter's ``write_string`` (a
string cell, never a formula, URL or number), the workbook's automatic conversions are off, and a
text that looks like a formula start also gets Excel's *quote prefix* cell style, so that editing
the cell does not turn it into a formula either; the value itself stays exactly what it was.
Characters XML cannot hold (C0 controls other than TAB and LF, U+FFFE/U+FFFF) are written in
Excel's own ``_xHHHH_`` escape, which Excel turns back into the character (``openpyxl`` leaves it
escaped; ``openpyxl.utils.escape.unescape`` undoes it). Lone surrogates become U+FFFD. A text
longer than Excel's cell maximum (32,767 UTF-16 units) is cut, with a visible marker, and a sheet
longer than Excel's 1,048,576 rows ends with a row saying how many were left out — never silently.

Canonical data files (``<entity>.csv`` of a submission, ``jincai sample --format csv``, the code
lists under ``standards/codelists/``) are data for programs, not files written for people, and are
written as they are: neutralising them would change the data.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, Iterable, Iterator, Sequence

QUOTE = "'"
#: first characters that make a spreadsheet read a cell as a formula (OWASP), with the full-width forms
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_FIRST = FORMULA_STARTS | {QUOTE}
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
#: the same rule as a Rust-regex pattern (polars): a plain number is left alone
PLAIN_NUMBER_PATTERN = r"^-?[0-9]+(?:\.[0-9]+)?$"

XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767  # UTF-16 code units
_CUT = "…（已截断 truncated）"
_SURROGATE = re.compile("[\ud800-\udfff]")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` as a formula (see the module docstring)."""
    return bool(text) and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.match(text)


def neutralise(text: str) -> str:
    """CSV cell text for ``text``: a ``'`` in front when it looks like a formula or starts with ``'``."""
    if text and text[0] in _FIRST and not _PLAIN_NUMBER.match(text):
        return QUOTE + text
    return text


def restore(cell: str) -> str:
    """The value a neutralised CSV cell stands for (the inverse of ``neutralise``)."""
    return cell[1:] if cell[:1] == QUOTE else cell


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell for people: text neutralised, ``None`` empty, numbers exact."""
    t = type(value)
    if t is str:
        return QUOTE + value if value and value[0] in _FIRST and not _PLAIN_NUMBER.match(value) else value
    if value is None:
        return ""
    if t is int:
        return value  # digits, or "-" and digits: a number either way
    if t is bool:
        return "true" if value else "false"
    if t is Decimal:
        return neutralise(format(value, "f"))
    return neutralise(str(value))


class _LineEnds:
    """Python's csv module quotes a field holding a line break only when that character is part of
    its ``lineterminator``: with ``"\n"`` a bare CR goes out unquoted, and a spreadsheet starts a
    new row there — a cell ``"\r=1+1"`` would become a formula in the next row. So the writer
    always ends rows with CRLF (every CR and LF inside a field is quoted) and this puts the line
    end the caller asked for in its place."""

    def __init__(self, fh: IO[str], end: str):
        self.fh, self.end = fh, end

    def write(self, s: str) -> Any:
        return self.fh.write(s[:-2] + self.end if s.endswith("\r\n") else s)


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``, and whose fields holding CR or LF
    are always quoted whatever the line terminator."""

    def __init__(self, fh: IO[str], **kw: Any):
        end = kw.pop("lineterminator", "\r\n")
        self._w = csv.writer(fh if end == "\r\n" else _LineEnds(fh, end), lineterminator="\r\n", **kw)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        w = self._w.writerow
        for row in rows:
            w([csv_cell(v) for v in row])


def csv_writer(fh: IO[str], **kw: Any) -> SafeCsvWriter:
    """The writer every CSV jincai writes for people uses. Open ``fh`` with
    ``errors="backslashreplace"`` (see ``open_csv``) so that a lone surrogate cannot stop it."""
    return SafeCsvWriter(fh, **kw)


def open_csv(path: Any, bom: bool = True) -> IO[str]:
    """A CSV file for people: UTF-8 (with a BOM so that Excel knows it), ``newline=""`` as the csv
    module wants, lone surrogates written as ``\\udXXX`` text."""
    return open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="", errors="backslashreplace")


def text_for_csv(text: str) -> str:
    """CSV text built in memory, made encodable (lone surrogates → ``\\udXXX``)."""
    if _SURROGATE.search(text):
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def read_rows(fh: IO[str], **kw: Any) -> Iterator[list[str]]:
    """Rows of a CSV file jincai wrote, every cell ``restore``d: what a resubmission reads."""
    for row in csv.reader(fh, **kw):
        yield [restore(c) for c in row]


def polars_neutralise(expr: Any) -> Any:
    """``neutralise`` as a polars expression over a text column (for frames written with
    ``write_csv``); nulls stay null."""
    import polars as pl

    first = expr.str.slice(0, 1)
    danger = first.is_in(sorted(_FIRST)) & ~expr.str.contains(PLAIN_NUMBER_PATTERN)
    return pl.when(danger).then(pl.lit(QUOTE) + expr).otherwise(expr)


# ------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------


def xlsx_text(text: str) -> str:
    """Text as an XLSX string cell can hold it: lone surrogates → U+FFFD, cut at Excel's maximum."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if len(text) > XLSX_MAX_CELL // 2 and len(text.encode("utf-16-le")) // 2 > XLSX_MAX_CELL:
        keep = XLSX_MAX_CELL - len(_CUT) - 1
        units = text.encode("utf-16-le")[: keep * 2].decode("utf-16-le", "ignore")
        text = units + _CUT
    return text


@dataclass
class Sheet:
    """One worksheet: its name, a bold header row, then rows of values (str, int, Decimal, None …)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


def write_xlsx(target: Any, sheets: Iterable[Sheet]) -> None:
    """Write a workbook (a path or a binary file object) the safe way: see the module docstring.

    Rows are streamed (xlsxwriter's constant-memory mode), so a 100,000-row report stays small in
    memory. Numbers (``int``, ``float``) are number cells; ``Decimal`` and everything else is text,
    so money keeps its exact digits.
    """
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = wb.add_format({"bold": True})
    quoted = wb.add_format({"quote_prefix": True})
    try:
        for sheet in sheets:
            ws = wb.add_worksheet(sheet.name)
            for col, w in enumerate(sheet.widths):
                ws.set_column(col, col, w)
            for col, h in enumerate(sheet.header):
                ws.write_string(0, col, xlsx_text(str(h)), bold)
            ws.freeze_panes(1, 0)
            r = 1
            rows = iter(sheet.rows)
            for row in rows:
                if r == XLSX_MAX_ROWS - 1:
                    left = 1 + sum(1 for _ in rows)
                    ws.write_string(r, 0, f"（另有 {left} 行超出 Excel 的行数上限，未写出；请用 csv 或 json 格式 "
                                          f"{left} more rows exceed Excel's row limit and are not written; use csv or json）")
                    break
                for col, v in enumerate(row):
                    _write_cell(ws, r, col, v, quoted)
                r += 1
    finally:
        wb.close()


def _write_cell(ws: Any, r: int, c: int, v: Any, quoted: Any) -> None:
    if v is None:
        return
    t = type(v)
    if (t is int and abs(v) < 2**53) or (t is float and math.isfinite(v)):
        ws.write_number(r, c, v)  # exact in a spreadsheet's double
        return
    if t is bool:
        text = "true" if v else "false"
    elif t is Decimal:
        text = format(v, "f")
    else:
        text = xlsx_text(str(v))
    if looks_like_formula(text):
        ws.write_string(r, c, text, quoted)
    else:
        ws.write_string(r, c, text)
