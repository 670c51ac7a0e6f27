"""The staging contract the SQL rules build on, and the readers behind it (JSON Lines, CSV, Avro, Parquet)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jincai import paths
from jincai.avro_io import write_avro
from jincai.canonical import record_from_json
from jincai.standard import standard
from jincai.validation.engine import connect, validate
from jincai.validation.inputs import resolve
from jincai.validation.staging import stage

FIX = paths.VALIDATORS / "fixtures"
PV = FIX / "record.payment-before-doc-date" / "pass" / "payment_voucher.jsonl"
AGENCY = FIX / "struct.unknown-column" / "pass" / "agency.jsonl"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _both(folder) -> tuple[set, set]:
    key = lambda r: {(i.rule, Path(i.file).name, i.row, i.field) for i in r.issues}  # noqa: E731
    return key(validate([folder], max_issues=None, sql=False)), key(validate([folder], max_issues=None, path="record"))


def test_view_contract():
    con = connect()
    stage(con, resolve([PV]))
    cols = dict((r[0], r[1]) for r in con.execute("DESCRIBE payment_voucher").fetchall())
    entity = standard().entity("payment_voucher")
    assert list(cols)[:2] == ["_file", "_row"] and cols["_row"] == "BIGINT"
    assert cols["pay_amt"] == "DECIMAL(18,2)" and cols["vou_date"] == "DATE" and cols["is_reversal"] == "BOOLEAN"
    assert cols["update_time"] == "TIMESTAMP WITH TIME ZONE" and cols["fiscal_year"] == "VARCHAR"
    for f in entity.field_names:
        assert cols[f"_ok_{f}"] == "BOOLEAN"
    row = con.execute("SELECT _file, _row, pay_amt, _ok_pay_amt FROM payment_voucher").fetchall()
    assert row == [(str(PV), 1, Decimal(_lines(PV)[0]["pay_amt"]), True)]
    # only the submission's entities have a view
    assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'budget_indicator'").fetchall() == [(0,)]


def test_rejected_fields_are_null_and_not_ok(tmp_path):
    rec = _lines(AGENCY)[0]
    rows = [dict(rec, agency_code=f"A{i:03d}") for i in range(3)]
    rows[1]["agency_name"] = "x" * 301
    rows[2]["budget_level_code"] = 3
    p = tmp_path / "agency.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "not json\n", encoding="utf-8")
    con = connect()
    st = stage(con, resolve([p]))
    assert (st.files[0].rows, st.files[0].records) == (4, 3)
    got = con.execute("SELECT _row, agency_name IS NULL, _ok_agency_name, budget_level_code, _ok_budget_level_code FROM agency ORDER BY _row").fetchall()
    assert got == [(1, False, True, "3", True), (2, True, False, "3", True), (3, False, True, None, False)]


def test_several_files_of_one_entity(tmp_path):
    recs = _lines(AGENCY)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "agency.jsonl").write_text(json.dumps(recs[0], ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "b" / "agency.part2.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[1:]), encoding="utf-8")
    con = connect()
    stage(con, resolve([tmp_path]))
    got = con.execute("SELECT _file, _row FROM agency ORDER BY _file, _row").fetchall()
    assert [(Path(f).name, r) for f, r in got] == [("agency.jsonl", 1), ("agency.part2.jsonl", 1), ("agency.part2.jsonl", 2)]


def test_csv_rows_quotes_blank_lines_bom_crlf(tmp_path):
    header = standard().entity("agency").field_names
    rec = _lines(AGENCY)[0]
    cells = lambda r: ",".join(f'"{r.get(f, "")}"' if f == "agency_name" else str(r.get(f, "") or "") for f in header)  # noqa: E731
    lines = [",".join(header), cells(dict(rec, agency_code="A001")), "", cells(dict(rec, agency_code="A002", agency_name="两行\n名称")), cells(dict(rec, agency_code="A003x"))]
    p = tmp_path / "agency.csv"
    p.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    report = validate([p], max_issues=None)
    assert {(i.rule, i.row, i.field) for i in report.issues} == {("field.control-char", 2, "agency_name"), ("field.pattern", 3, "agency_code")}
    assert report.summary.records == {"agency": 3}
    bulk, record = _both(tmp_path)
    assert bulk == record


def test_jsonl_bom_crlf_whitespace_escapes(tmp_path):
    rec = _lines(AGENCY)[0]
    text = json.dumps(rec, ensure_ascii=False)
    spaced = json.dumps(dict(rec, agency_code="A002"), ensure_ascii=True, indent=None, separators=(" , ", " : "))
    p = tmp_path / "agency.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + (text + "\r\n" + spaced + "\r\n" + '  ' + text.replace('"101001"', '"A003"', 1) + "\n").encode("utf-8"))
    report = validate([p], max_issues=None)
    assert report.summary.passed and report.summary.records == {"agency": 3}, [(i.rule, i.row) for i in report.issues]
    bulk, record = _both(tmp_path)
    assert bulk == record


def test_control_byte_lines_fall_back_to_python(tmp_path):
    rec = _lines(AGENCY)[0]
    p = tmp_path / "agency.jsonl"
    p.write_text(json.dumps(rec, ensure_ascii=False) + "\n" + '{"agency_name":"a\x01b"}\n', encoding="utf-8")
    con = connect()
    st = stage(con, resolve([p]))
    assert st.files[0].path == "python"
    report = validate([p], max_issues=None)
    assert [(i.rule, i.row) for i in report.issues] == [("struct.json-syntax", 2)]


def test_parquet_typed_and_string_columns(tmp_path):
    recs = _lines(FIX / "field.money-format" / "pass" / "tax_receipt.jsonl")
    entity = standard().entity("tax_receipt")
    canon = [record_from_json(entity, r) for r in recs]
    table = pa.table({
        "mof_div_code": [r["mof_div_code"] for r in canon],
        "fiscal_year": [r["fiscal_year"] for r in canon],
        "tax_receipt_id": [r["tax_receipt_id"] for r in canon],
        "tax_bill_no": [r["tax_bill_no"] for r in canon],
        "rev_class_code": [r["rev_class_code"] for r in canon],
        "budget_level_code": [r["budget_level_code"] for r in canon],
        "receipt_date": pa.array([r["receipt_date"] for r in canon], pa.date32()),
        "inc_amt": pa.array([r["inc_amt"] for r in canon], pa.decimal128(18, 2)),
        "is_reversal": [r["is_reversal"] for r in canon],
    })
    pq.write_table(table, tmp_path / "tax_receipt.parquet")
    assert validate([tmp_path]).summary.passed
    bad = table.set_column(7, "inc_amt", pa.array([float(r["inc_amt"]) for r in canon], pa.float64()))
    bad = bad.set_column(6, "receipt_date", pa.array([str(r["receipt_date"]) for r in canon]))
    bad = bad.append_column("extra", pa.array([1] * len(canon)))
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    pq.write_table(bad, tmp_path / "tax_receipt.parquet")
    report = validate([tmp_path], max_issues=None)
    assert {(i.rule, i.field) for i in report.issues} == {("field.money-format", "inc_amt"), ("struct.unknown-column", "extra")}
    bulk, record = _both(tmp_path)
    assert bulk == record


def test_avro_container(tmp_path):
    entity = standard().entity("payment_voucher")
    recs = [record_from_json(entity, r) for r in _lines(PV)]
    write_avro(tmp_path / "payment_voucher.avro", entity, recs)
    report = validate([tmp_path], max_issues=None)
    assert report.summary.passed and report.summary.records == {"payment_voucher": 1}
    (tmp_path / "payment_voucher.avro").write_bytes(b"Obj\x01 broken")
    report = validate([tmp_path], max_issues=None)
    assert [i.rule for i in report.issues] == ["struct.unreadable"]


@pytest.mark.parametrize("name", ["agency.jsonl", "agency.csv", "agency.parquet", "agency.avro"])
def test_empty_files(tmp_path, name):
    """A file without records is one struct.empty-file error in every format (issue 7 #8)."""
    p = tmp_path / name
    if name.endswith(".parquet"):
        pq.write_table(pa.table({f: pa.array([], pa.string()) for f in standard().entity("agency").field_names}), p)
    elif name.endswith(".avro"):
        write_avro(p, standard().entity("agency"), [])
    elif name.endswith(".csv"):
        p.write_text(",".join(standard().entity("agency").field_names) + "\n", encoding="utf-8")
    else:
        p.write_text("", encoding="utf-8")
    report = validate([p])
    assert [i.rule for i in report.issues] == ["struct.empty-file"] and not report.summary.passed
    bulk, record = _both(tmp_path)
    assert bulk == record


def test_memory_limit_and_spill_settings():
    con = connect(memory_limit="512MB", threads=1)
    assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].startswith("48")  # 512 MB in MiB
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchall() == [(True,)]
    assert isinstance(con, duckdb.DuckDBPyConnection)


# ------------------------------------------------------------------------------------------------
# JSON Lines read once (issue 11): each line parsed once, to a struct of JSON values; a value's kind
# comes from its first byte and its text from its compact JSON — as the Python reader's kind_text.
# ------------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from jincai.canonical import record_to_json  # noqa: E402
from jincai.strategies import valid_record  # noqa: E402
from jincai.validation import staging as staging_mod  # noqa: E402
from jincai.validation.fields_py import kind_text  # noqa: E402

_ODD_VALUES = [None, 0, -0, 1, -1, 2024, 2024.0, -0.0, 1.5, 1e2, 0.1, 9223372036854775807, -9223372036854775808,
               18446744073709551615, 18446744073709551616, -9223372036854775809, True, False, "", " ", "x\u0001y", "\u2028",
               "é", "a\"b\\c/d", "１２", "\x7f\x85", {"a": [1, 2]}, [], {}, "0000-01-01"]


@pytest.mark.parametrize("ascii_only", [False, True])
def test_jsonl_kind_and_text_as_the_python_reader(tmp_path, ascii_only):
    entity = standard().entity("agency")
    p = tmp_path / "agency.jsonl"
    p.write_text("".join(json.dumps({"agency_name": v}, ensure_ascii=ascii_only) + "\n" for v in _ODD_VALUES), encoding="utf-8")
    con = connect()
    got = con.execute(f"SELECT k_agency_name, t_agency_name FROM ({staging_mod._jsonl_raw(entity, str(p))})").fetchall()
    want = [kind_text(json.loads(json.dumps(v))) for v in _ODD_VALUES]
    # an object's text is its JSON, spaced differently by the two readers (and never a valid value)
    same = lambda kt: (kt[0], None if kt[0] == "o" else kt[1])  # noqa: E731
    assert [same(g) for g in got] == [same(w) for w in want]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.text(), min_size=1, max_size=12), ascii_only=st.booleans())
def test_jsonl_text_of_any_string_as_the_python_reader(tmp_path, values, ascii_only):
    """Any Unicode string — multi-byte, astral, combining, escaped — keeps its exact text in the
    bulk raw layer (which cuts the quotes off by character count)."""
    entity = standard().entity("agency")
    p = tmp_path / "agency.jsonl"
    p.write_text("".join(json.dumps({"agency_name": v}, ensure_ascii=ascii_only) + "\n" for v in values), encoding="utf-8")
    got = connect().execute(f"SELECT k_agency_name, t_agency_name FROM ({staging_mod._jsonl_raw(entity, str(p))})").fetchall()
    assert got == [("s", v) for v in values]


@st.composite
def _jsonl_file(draw) -> bytes:
    """A JSON Lines file of agency records, some with odd values, unknown or missing keys, escapes,
    whitespace, CR, blank, broken, non-object and doubled lines."""
    ent = standard().entity("agency")
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        obj = record_to_json(ent, draw(valid_record(ent)))
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.sampled_from(["value", "unknown", "drop"]))
            name = draw(st.sampled_from(ent.field_names))
            if choice == "value":
                obj[name] = draw(st.sampled_from(_ODD_VALUES))
            elif choice == "unknown":
                obj["x_" + name] = draw(st.sampled_from(_ODD_VALUES))
            else:
                obj.pop(name, None)
        how = draw(st.sampled_from(["canonical", "canonical", "ascii", "spaced"]))
        line = json.dumps(obj, ensure_ascii=how == "ascii", separators=None if how == "spaced" else (",", ":"))
        line = draw(st.sampled_from([line, line, line, line + "\r", "  " + line, line[:-1] + ',"agency_code":"1"}', "", " ", "[1]", "null",
                                     '[{"agency_code":"1"}]', line[:-3], line + line]))
        lines.append(line)
    return ("\n".join(lines) + draw(st.sampled_from(["\n", ""]))).encode("utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_jsonl_file())
def test_jsonl_odd_lines_one_verdict(tmp_path, data):
    p = tmp_path / "agency.jsonl"
    p.write_bytes(data)
    bulk, record = _both(tmp_path)
    assert bulk == record
