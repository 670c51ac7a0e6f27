"""Issue 7 items 8 and 11 and the Excel crashes, and issue 8 #9 (document values above the header).

Every workbook here is made in the test (from the shipped sample, with one part changed): a sheet
selection that selects nothing, sheets not selected, the four resource bombs, damaged parts. What a
user relies on is checked where they see it — the exit code and error code of ``jincai translate``
and ``jincai codes import``, the ledger — and the reader's rows where the detail matters.
"""

from __future__ import annotations

import json
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.bench_xlsx_bombs import SAMPLE, dimension_bomb, merged_bomb, shared_strings_bomb, zip_bomb
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile
from jincai.adapters.readers import get_reader
from jincai.cli import app
from jincai.errors import JincaiError

SHEET_OPTIONS = {"sheets": ["re:^月报.*"], "header_match": "科目编码及名称", "header_rows": 2, "fill_merged": True}


def _rezip(dst: Path, changes: dict, src: Path = SAMPLE) -> Path:
    """The sample workbook with members changed: name → new bytes, or a function of the old ones."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            change = changes.get(info.filename)
            if callable(change):
                data = change(data)
            elif change is not None:
                data = change
            zout.writestr(info.filename, data)
    return dst


def _read(path: Path, **options) -> list:
    return list(get_reader("excel").read(str(path), {**SHEET_OPTIONS, **options}))


def _cli(*argv: str):
    return CliRunner().invoke(app, list(argv))


def _translate_cli(path: Path, out: Path):
    return _cli("translate", "--profile", "county_reports_excel", str(path), "--out", str(out), "-q")


def _error_code(output: str) -> str | None:
    m = re.search(r"\b((?:limit|adapter|codelist)-[a-z0-9-]+)\b", output)
    return m.group(1) if m else None


# ------------------------------------------------------------------------------------- item 8


def test_issue7_08_excel_profile_matching_no_sheet_is_an_error_naming_the_sheets(tmp_path):
    renamed = _rezip(tmp_path / "renamed.xlsx", {"xl/workbook.xml": lambda b: b.replace("月报（".encode(), "报表（".encode())})
    r = _translate_cli(renamed, tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert _error_code(r.output) == "adapter-sheet-missing"
    assert "报表（1-6月）" in r.output and "填报说明" in r.output  # the sheets found are named


def test_issue7_08_unselected_sheets_are_reported_as_filtered_in_the_ledger(tmp_path):
    ledger = translate(load_profile("county_reports_excel"), [SAMPLE], tmp_path)
    assert ledger.reconciled, ledger.problems()
    assert ledger.filtered_by_reason["sheet-not-selected"] == 1
    data = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    reader = data["files"][0]["reader"]
    assert reader["sheets_not_selected"] == ["填报说明"] and reader["sheets_read"] == ["月报（1-6月）", "月报（7-12月）"]
    assert reader["preamble_lines"] == 8  # title, unit and two header rows on each sheet
    trail = (tmp_path / "ledger_rows.csv").read_text(encoding="utf-8-sig")
    assert "填报说明,0,filtered,,,sheet-not-selected" in trail


# ------------------------------------------------------------------------------------ item 11


def test_issue7_11_merged_cell_bomb_reads_in_bounded_memory(tmp_path):
    """Thousands of merged ranges over whole rows: they cover no cell the sheet holds beyond G, so
    they cost nothing (the old reader expanded each to 32,768 cells: over 4 GiB)."""
    bomb = merged_bomb(tmp_path / "merged.xlsx")
    tracemalloc.start()
    out = _read(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [(r.row, r.values) for r in out] == [(r.row, r.values) for r in _read(SAMPLE)]
    assert peak < 40_000_000, peak
    ledger = translate(load_profile("county_reports_excel"), [bomb], tmp_path / "out")
    assert ledger.reconciled


def test_issue7_11_merged_ranges_over_the_cells_a_sheet_holds_are_limited(tmp_path):
    def far_cells_and_merges(body: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        merges = b"".join(b'<mergeCell ref="A%d:XFD%d"/>' % (k * 3 + 100, k * 3 + 101) for k in range(40))
        body = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", body, flags=re.S)
        return body.replace(b"</sheetData>", far + b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)

    bomb = _rezip(tmp_path / "m.xlsx", {"xl/worksheets/sheet2.xml": far_cells_and_merges})
    with pytest.raises(JincaiError) as err:
        _read(bomb)
    assert err.value.code == "limit-xlsx-merged-cells"
    assert "sheet2" not in err.value.location and "月报（1-6月）" in err.value.location


def test_issue7_11_forged_dimension_is_refused_by_translate_and_codes_import(tmp_path):
    bomb = dimension_bomb(tmp_path / "dimension.xlsx")
    r = _translate_cli(bomb, tmp_path / "out")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-xlsx-cells", r.output
    r = _cli("codes", "import", "exp_func", str(bomb), "--year", "2025", "--dry-run")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-xlsx-cells", r.output


def test_issue7_11_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = zip_bomb(tmp_path / "zip.xlsx", 64)  # 64 MiB of blanks in 60 KB; the bench builds 2.1 GB
    assert bomb.stat().st_size < 200_000
    r = _translate_cli(bomb, tmp_path / "out")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-zip-ratio", r.output
    r = _cli("codes", "import", "exp_func", str(bomb), "--year", "2025", "--dry-run")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-zip-ratio", r.output


def test_issue7_11_shared_strings_bomb_is_refused_before_it_is_loaded(tmp_path, monkeypatch):
    bomb = shared_strings_bomb(tmp_path / "ss.xlsx", 2_000_000)
    r = _translate_cli(bomb, tmp_path / "out")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-zip-ratio", r.output
    # a table that compresses like text is held to its own limit
    monkeypatch.setenv("JINCAI_LIMIT_XLSX_SHARED_STRINGS_BYTES", "1000")
    r = _translate_cli(SAMPLE, tmp_path / "out2")
    assert r.exit_code == 2 and _error_code(r.output) == "limit-xlsx-shared-strings-bytes", r.output


@pytest.mark.parametrize(
    "limit,value,code",
    [("XLSX_CELLS", "200", "limit-xlsx-cells"), ("XLSX_COLUMNS", "5", "limit-xlsx-columns"), ("XLSX_ELEMENTS", "10", "limit-xlsx-elements"),
     ("ZIP_UNCOMPRESSED_BYTES", "10000", "limit-zip-uncompressed-bytes"), ("XLSX_PART_BYTES", "1000", "limit-xlsx-part-bytes"),
     ("CELL_CHARS", "10", "limit-cell-chars")],
)
def test_issue7_11_each_workbook_limit_is_checked(tmp_path, monkeypatch, limit, value, code):
    monkeypatch.setenv(f"JINCAI_LIMIT_{limit}", value)
    with pytest.raises(JincaiError) as err:
        _read(SAMPLE)
    assert err.value.code == code
    assert err.value.details["limit"] == limit.lower()


# ------------------------------------------------------------------------- damaged workbooks


def _sheet2(fn) -> dict:
    return {"xl/worksheets/sheet2.xml": fn}


@pytest.mark.parametrize(
    "name,change,code",
    [
        ("zzzz-column", _sheet2(lambda b: b.replace(b'r="G5"', b'r="ZZZZ5"', 1)), "limit-xlsx-columns"),
        ("zzzz-inside-a-row", _sheet2(lambda b: b.replace(b'r="E5"', b'r="ZZZZ5"', 1)), "adapter-xlsx-malformed"),
        ("xfe-column", _sheet2(lambda b: b.replace(b'r="E5"', b'r="XFE5"', 1)), "limit-xlsx-columns"),
        ("rows-out-of-order", _sheet2(lambda b: b.replace(b'<row r="6"', b'<row r="3"', 1)), "adapter-xlsx-malformed"),
        ("cell-repeats", _sheet2(lambda b: b.replace(b'r="E5"', b'r="A5"', 1)), "adapter-xlsx-malformed"),
        ("row-beyond-excel", _sheet2(lambda b: b.replace(b'<row r="43"', b'<row r="2000000"', 1)), "adapter-xlsx-malformed"),
        ("shared-string-index", _sheet2(lambda b: re.sub(rb'(<c r="E5"[^>]*t="s"[^>]*><v>)[0-9]+', rb"\g<1>99999", b, count=1)), "adapter-xlsx-malformed"),
        ("number-not-a-number", _sheet2(lambda b: re.sub(rb'(<c r="F5"[^>]*><v>)[^<]+', rb"\g<1>abc", b, count=1)), "adapter-xlsx-malformed"),
        ("broken-xml", _sheet2(lambda b: b.replace(b"</row>", b"</rox>", 3)), "adapter-xlsx-malformed"),
        ("style-index", _sheet2(lambda b: re.sub(rb'(<c r="F5"[^>]*?) s="[0-9]+"', rb'\1 s="9999"', b, count=1)), "adapter-xlsx-malformed"),
        ("workbook-xml", {"xl/workbook.xml": b"<workbook"}, "adapter-unreadable-file"),
        ("no-workbook", {"xl/workbook.xml": None, "[Content_Types].xml": b"<Types/>"}, "adapter-unreadable-file"),
    ],
)
def test_issue7_excel_damaged_parts_are_coded_errors_with_the_place(tmp_path, name, change, code):
    path = _rezip(tmp_path / f"{name}.xlsx", change)
    r = _translate_cli(path, tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert _error_code(r.output) == code, r.output
    if code == "adapter-xlsx-malformed":
        assert "月报（1-6月）" in r.output  # the sheet is named


def test_issue7_xls_damaged_file_is_a_coded_error(tmp_path):
    xls = (Path(__file__).parent / "data" / "adapters" / "月报.xls").read_bytes()
    codes = set()
    for i, cut in enumerate((len(xls) // 2, len(xls) - 100, 600)):
        path = tmp_path / f"cut{i}.xls"
        path.write_bytes(xls[:cut])
        with pytest.raises(JincaiError) as err:
            list(get_reader("excel").read(str(path), {"header": False, "sheets": ["re:.*"]}))
        codes.add(err.value.code)
    assert codes <= {"adapter-unreadable-file", "adapter-xlsx-malformed"}


# ----------------------------------------------------------------------- issue 8 #9: document


def test_issue8_09_excel_document_values_from_cells_above_the_header():
    doc = {"title": {"cell": "A1"}, "unit_name": {"label": "编制单位"}, "amount_unit": {"label": "单位"}}
    out = [r for r in _read(SAMPLE, document=doc) if "filtered" not in r.extra]
    first = {r.sheet: r.extra["doc"] for r in out}
    assert first == {
        "月报（1-6月）": {"title": "博野县2024年1-6月财政收支月报", "unit_name": "博野县财政局", "amount_unit": "万元"},
        "月报（7-12月）": {"title": "博野县2024年7-12月财政收支月报", "unit_name": "博野县财政局", "amount_unit": "万元"},
    }
    same_sheet = [r.extra["doc"] for r in out if r.sheet == "月报（1-6月）"]
    assert all(d is same_sheet[0] for d in same_sheet)  # one dict per sheet, shared by its rows


def _labelled_workbook(path: Path, rows: list[list]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    wb.close()
    return path


def test_issue8_09_excel_document_label_takes_the_cell_to_its_right(tmp_path):
    path = _labelled_workbook(tmp_path / "t.xlsx", [
        ["单位负责人：张三", None, "编报日期", None, 45322],
        ["编报单位 ：", "XX县财政局"],
        ["科目", "金额"],
        ["201", 1],
    ])
    got = list(get_reader("excel").read(str(path), {"header_row": 3, "document": {"unit": {"label": "编报单位"}, "date": {"label": "编报日期："}, "head": {"label": "单位负责人"}}}))
    assert got[0].extra["doc"] == {"unit": "XX县财政局", "date": 45322, "head": "张三"}
    with pytest.raises(JincaiError) as err:  # 单位负责人 is not the label 单位
        list(get_reader("excel").read(str(path), {"header_row": 3, "document": {"u": {"label": "单位"}}}))
    assert err.value.code == "adapter-document-value-missing" and "表" in err.value.message_en


def test_issue8_09_excel_document_value_a_sheet_lacks_is_an_error(tmp_path):
    with pytest.raises(JincaiError) as err:
        _read(SAMPLE, document={"date": {"label": "编报日期"}})  # 编报日期 is a column here, not above the header
    assert err.value.code == "adapter-document-value-missing" and err.value.details["sheet"] == "月报（1-6月）"
    with pytest.raises(JincaiError) as err:
        _read(SAMPLE, document={"x": {"cell": "B3"}})  # in the header, not above it
    assert err.value.code == "adapter-document-value-missing" and err.value.location.endswith("!B3")
    with pytest.raises(JincaiError) as err:
        _read(SAMPLE, document={"x": {"cell": "D1"}})  # empty
    assert err.value.code == "adapter-document-value-missing"
    with pytest.raises(JincaiError) as err:
        _read(SAMPLE, document={"x": {"cell": "A1", "label": "y"}})
    assert err.value.code == "adapter-reader-option"


def test_a_workbook_without_a_worksheet_is_a_coded_error_for_codes_import(tmp_path):
    """Found by the 5,000-case fuzz run (case 2957): ``codes import`` of a workbook whose sheet list
    is empty stopped on an internal assertion (exit 3)."""
    import openpyxl
    import re

    src = tmp_path / "one-sheet.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["编码", "名称"])
    wb.save(src)
    empty = _rezip(tmp_path / "no-sheet.xlsx", {"xl/workbook.xml": lambda d: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", d)}, src)
    r = _cli("codes", "import", "exp_func", str(empty), "--year", "2025", "--dry-run")
    assert r.exit_code == 2 and _error_code(r.output) == "codelist-import-empty", r.output
