"""Render the sample county's month reports as the hand-kept Excel workbook (万元, merged cells,
subtotal rows, the header repeated, notes under the table).

    .venv/bin/python adapters/county_reports_excel/make_samples.py [--out adapters] [--sample-dir DIR]

Shared steps (the sample province, golden files, rejections): ``adapters/_sample_tools.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # adapters/_sample_tools.py, shared by the sample makers
    sys.path.insert(0, str(HERE.parent))

import _sample_tools  # noqa: E402
from _sample_tools import YEAR, Records, by_region, fresh, rejected_row, write_expected, write_rejections  # noqa: E402
from jincai import paths  # noqa: E402

ENTITIES = ("fiscal_report", "fiscal_report_line")
DIVISION = "county"  # the sample's county region

XLSX_FILE = "2024年财政收支月报.xlsx"
XLSX_HEADER = ["月份", "报表编号", "编报日期", "行次", "科目编码及名称", "本月数", "本年累计数"]
_TEN_THOUSAND = Decimal(10000)


def _code_names(year: int) -> dict[str, str]:
    """Code → Chinese name valid in ``year`` (functional and revenue classifications)."""
    names: dict[str, str] = {}
    for lst in ("exp_func", "rev_class"):
        with open(paths.STANDARDS / "codelists" / f"{lst}.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                lo = int(row["valid_from"][:4]) if row["valid_from"] else 0
                hi = int(row["valid_to"][:4]) if row["valid_to"] else 9999
                if lo <= year <= hi:
                    names[row["code"]] = row["name_zh"]
    return names


def _wan(amount: str) -> float:
    """Yuan text → the 万元 number Excel stores (a double; exact for up to 15 significant digits)."""
    value = Decimal(amount) / _TEN_THOUSAND
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"{amount} yuan is not exact in 万元 as a double")
    return as_float


class _Book:
    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path))
        self.wb.set_properties({"created": dt.datetime(2025, 1, 10, 9, 0, 0)})  # fixed: reproducible bytes
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.head = add({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
        self.cell = add({"border": 1, "valign": "vcenter"})
        self.month = add({"border": 1, "align": "center", "valign": "vcenter", "num_format": '0"月"'})
        self.date = add({"border": 1, "align": "center", "valign": "vcenter", "num_format": 'yyyy"年"m"月"d"日"'})
        self.amount = add({"border": 1, "num_format": "#,##0.00"})
        self.total = add({"border": 1, "bold": True, "num_format": "#,##0.00"})

    def sheet(self, name: str, title: str, unit_name: str):
        ws = self.wb.add_worksheet(name)
        ws.set_column(0, 0, 7)
        ws.set_column(1, 2, 14)
        ws.set_column(3, 3, 6)
        ws.set_column(4, 4, 30)
        ws.set_column(5, 6, 14)
        ws.merge_range(0, 0, 0, 6, title, self.title)
        ws.merge_range(1, 0, 1, 2, f"编制单位：{unit_name}")
        ws.write(1, 6, "单位：万元")
        for c, text in enumerate(XLSX_HEADER[:5]):
            ws.merge_range(2, c, 3, c, text, self.head)
        ws.merge_range(2, 5, 2, 6, "金额", self.head)
        ws.write(3, 5, "本月数", self.head)
        ws.write(3, 6, "本年累计数", self.head)
        return ws

    def block(self, ws, r: int, header: dict, lines: list[dict], names: dict[str, str], repeat_header: bool, bad: dict | None = None) -> tuple[int, list[int]]:
        """One month's report from row ``r`` (0-based); returns the next free row and the Excel row
        number (1-based) of each line."""
        bad = bad or {}
        at: list[int] = []
        if repeat_header:  # printed reports repeat the header on each page
            for c, text in enumerate(XLSX_HEADER):
                ws.write(r, c, text, self.head)
            r += 1
        first = r
        rev = [x for x in lines if x.get("rev_class_code")]
        in_order = all(x.get("rev_class_code") for x in lines[: len(rev)])
        for k, line in enumerate(lines):
            code = line.get("rev_class_code") or line["exp_func_code"]
            at.append(r + 1)
            ws.write_number(r, 3, line["line_no"], self.cell)
            ws.write_string(r, 4, f"{code} {names[code]}", self.cell)
            ws.write_number(r, 5, _wan(line["cur_period_amt"]), self.amount)
            ws.write_number(r, 6, _wan(line["ytd_amt"]), self.amount)
            for key, value in bad.items():
                if isinstance(key, tuple) and key[0] == k:
                    col = key[1]
                    (ws.write_string if isinstance(value, str) else ws.write)(r, col, value, self.cell)
            r += 1
            if in_order and rev and k == len(rev) - 1:
                self._total(ws, r, "收入合计", rev)
                r += 1
        exp = [x for x in lines if x.get("exp_func_code")]
        self._total(ws, r, "支出合计" if in_order and rev else "合计", exp if in_order and rev else lines)
        r += 1
        last = r - 1
        ws.merge_range(first, 0, last, 0, header["period_no"], self.month)
        ws.merge_range(first, 1, last, 1, header["report_id"], self.cell)
        date_value = bad.get("date")
        if date_value is not None:
            ws.merge_range(first, 2, last, 2, date_value, self.cell)
        else:
            ws.merge_range(first, 2, last, 2, "", self.date)
            ws.write_datetime(first, 2, dt.datetime.fromisoformat(header["report_date"]), self.date)
        return r, at

    def _total(self, ws, r: int, label: str, lines: list[dict]) -> None:
        ws.write_string(r, 4, label, self.total)
        for col, key in ((5, "cur_period_amt"), (6, "ytd_amt")):
            total = sum((Decimal(x[key]) for x in lines), Decimal("0.00"))
            ws.write_number(r, col, _wan(format(total, "f")), self.total)

    def notes(self, ws, r: int) -> None:
        r += 1  # a blank row under the table
        ws.write(r, 0, "注：1. 本表金额单位为万元，按六位小数保存，显示两位。")
        ws.write(r + 1, 0, "2. “收入合计”“支出合计”为小计行，不参与上报。")
        ws.write(r + 2, 0, "填表人：王芳        审核人：李强        报送日期：2025年1月10日")

    def close(self) -> None:
        self.wb.close()


def render_county_reports_excel(records: Records, folder: Path, div: str) -> None:
    fresh(folder)
    region_name = next(r["mof_div_name"] for r in records["fiscal_region"] if r["mof_div_code"] == div)
    year = int(records["fiscal_report"][0]["fiscal_year"]) if records["fiscal_report"] else YEAR
    names = _code_names(year)
    headers = [h for h in by_region(records["fiscal_report"], div) if h["report_period_code"] == "2" and h["consolidation_scope_code"] == "1"]
    headers.sort(key=lambda h: h["period_no"])
    ids = {h["report_id"] for h in headers}
    lines_of: dict[str, list[dict]] = {}
    for line in by_region(records["fiscal_report_line"], div):
        if line["report_id"] in ids:
            lines_of.setdefault(line["report_id"], []).append(line)
    book = _Book(folder / "samples" / XLSX_FILE)
    intro = book.wb.add_worksheet("填报说明")
    intro.write(0, 0, f"{region_name}财政局 {year} 年财政收支月报：每半年一张表，金额单位万元。")
    intro.write(1, 0, "“月份”“报表编号”“编报日期”三列按月合并单元格。")
    out_lines: list[dict] = []
    for half, months in (("1-6", range(1, 7)), ("7-12", range(7, 13))):
        ws = book.sheet(f"月报（{half}月）", f"{region_name}{year}年{half}月财政收支月报", f"{region_name}财政局")
        r = 4
        for k, h in enumerate(x for x in headers if x["period_no"] in months):
            lines = sorted(lines_of[h["report_id"]], key=lambda x: x["line_no"])
            r, _ = book.block(ws, r, h, lines, names, repeat_header=k > 0)
            out_lines += lines
        book.notes(ws, r)
    book.close()
    write_expected(folder / "expected", "fiscal_report", headers)
    write_expected(folder / "expected", "fiscal_report_line", out_lines)

    # defects: one month's report with a defect in each line (and in its date)
    h = headers[0]
    lines = sorted(lines_of[h["report_id"]], key=lambda x: x["line_no"])
    book = _Book(folder / "defects" / "月报缺陷.xlsx")
    ws = book.sheet("月报（缺陷）", f"{region_name}{year}年1月财政收支月报", f"{region_name}财政局")
    lines = lines[:3] + [dict(lines[-1], line_no=len(lines[:3]) + 1 + i) for i in range(2)]
    bad = {
        "date": "2024年2月30日",  # typed by hand in the merged date cell: a day that does not exist (line 1 row)
        (1, 5): 0.1234567,  # 万元 with seven decimals: below the fen
        (2, 6): "12.5万",  # text with a unit in an amount cell
        (3, 3): 3.5,  # a line number that is not a whole number
    }
    r, at = book.block(ws, 4, h, lines, names, repeat_header=False, bad=bad)
    book.notes(ws, r)
    book.close()
    reasons = [
        ("excel-date-invalid", "编报日期手工录入为“2024年2月30日” / the report date typed by hand as a day that does not exist"),
        ("wan-yuan-too-many-decimals", "本月数 0.1234567 万元，小于一分 / 万元 with seven decimals, below the fen"),
        ("wan-yuan-not-a-number", "本年累计数写成“12.5万” / an amount written with its unit"),
        ("integer-invalid", "行次 3.5 不是整数 / a line number that is not a whole number"),
    ]
    source = r  # Excel rows 5 … r+4: the lines, the subtotals, a blank row and three notes
    write_rejections(
        folder / "defects",
        ["月报缺陷.xlsx"],
        [rejected_row("月报缺陷.xlsx", "月报（缺陷）", at[i], code, what) for i, (code, what) in enumerate(reasons)],
        {"source": source, "translated": len(lines) - len(reasons), "rejected": len(reasons), "filtered": source - len(lines)},
        {"fiscal_report": [], "fiscal_report_line": lines[len(reasons):]},
    )


render = render_county_reports_excel


if __name__ == "__main__":
    raise SystemExit(_sample_tools.main(sys.argv[1:], only=["county_reports_excel"]))
