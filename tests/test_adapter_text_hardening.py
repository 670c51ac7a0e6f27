"""Issue 7 (text readers and the ledger) and issue 8 #9 (document values, controls, exact derive):
one regression test per defect, named after it, at the level users rely on (``jincai translate``'s
exit code, the files it writes, the ledger) — and a hypothesis property over mutations of the shipped
fixed-width and CSV samples: every row and every fen accounted for, or a coded error, never another
exception."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile, parse_profile
from jincai.adapters.readers import get_reader
from jincai.cli import app
from jincai.errors import JincaiError

BANK = paths.ADAPTERS / "bank_payroll_fixed"
JAN = BANK / "samples" / "YZB_GZ_130681000_202401.txt"
JAN_LINES = JAN.read_bytes().split(b"\r\n")[:-1]  # H, 27 × D, T
DOC = paths.DOCS / "adapters" / "profile-reference.zh-en.md"


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output


def _ledger(out: Path) -> dict:
    return json.loads((out / "ledger.json").read_text(encoding="utf-8"))


def _trail(out: Path) -> list[list[str]]:
    with open(out / "ledger_rows.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _both_paths(profile, inputs, out: Path, sets: dict | None = None):
    """Translate with the columnar and the row path; their outputs must be identical."""
    a = translate(profile, inputs, out / "col", sets=sets)
    with _env(JINCAI_ADAPTER_ROWS="1"):
        translate(profile, inputs, out / "row", sets=sets)
    for name in ("rejected.csv", "ledger_rows.csv", *(p.name for p in (out / "row").glob("*.jsonl"))):
        assert (out / "col" / name).read_bytes() == (out / "row" / name).read_bytes(), name
    ja, jb = _ledger(out / "col"), _ledger(out / "row")
    for j in (ja, jb):
        j.pop("outputs")
        for f in j["files"]:
            f.pop("engine")
    assert ja == jb
    return a


# ---- item 4: fixed-width line ends, order of checks, control records -------------------------


@pytest.mark.parametrize("end", [b"\r", b"\n", b"mixed"])
def test_issue7_04_fixed_width_cr_only_line_ends_lose_no_rows(tmp_path, end):
    """CR-only (old Mac), LF and mixed line ends read the same 27 salary records as CRLF."""
    ends = [b"\r\n", b"\n", b"\r"]
    data = b"".join(line + (ends[i % 3] if end == b"mixed" else end) for i, line in enumerate(JAN_LINES))
    src = tmp_path / JAN.name
    src.write_bytes(data)
    code, out = _run("translate", "-q", "-p", "bank_payroll_fixed", str(src), "--out", str(tmp_path / "o"))
    assert code == 0, out
    led = _ledger(tmp_path / "o")
    assert led["rows"] == {"source": 29, "translated": 27, "rejected": 0, "filtered": 2}
    assert led["filtered_by_reason"]["fixed-width-control-record"]["count"] == 2
    translate(load_profile("bank_payroll_fixed"), [JAN], tmp_path / "crlf")
    assert (tmp_path / "o" / "payroll_record.jsonl").read_bytes() == (tmp_path / "crlf" / "payroll_record.jsonl").read_bytes()
    _both_paths(load_profile("bank_payroll_fixed"), [src], tmp_path / "paths")


def _old_style_profile(tmp_path: Path) -> Path:
    """The profile as it was before control records: a match filter on the record type."""
    text = (BANK / "profile.yaml").read_text(encoding="utf-8")
    text = re.sub(r"  record_type: .*\n", "", text)
    text = text[: text.index("  control_records:")] + text[text.index("\nfilters:") :]
    text = re.sub(r"\ncontrols:.*?\n\n", "\n\n", text, flags=re.S)
    text = text.replace("_doc.财政区划", "财政区划").replace("_doc.发放年度", "发放年度").replace("_doc.发放月份", "发放月份")
    text = text.replace("filters:\n  - blank\n", 'filters:\n  - blank\n  - {kind: match, column: 记录类型, pattern: "[HT]", fullmatch: true, code: batch-control-record, reason_zh: 批头批尾, reason_en: control record}\n')
    p = tmp_path / "old" / "profile.yaml"
    p.parent.mkdir()
    p.write_text(text, encoding="utf-8")
    return p


def test_issue7_04_wrong_length_line_is_rejected_before_any_filter(tmp_path):
    """Even with a profile whose filter drops every H/T record, a line of the wrong length that starts
    with H is rejected for its length (one long CR-only "record" can no longer pass as a header)."""
    profile = load_profile(_old_style_profile(tmp_path))
    lines = list(JAN_LINES)
    lines[3] = lines[3][:100]  # a detail cut short …
    lines[3] = b"H" + lines[3][1:]  # … whose first byte is H
    src = tmp_path / "a.txt"
    src.write_bytes(b"\r\n".join(lines) + b"\r\n")
    ledger = _both_paths(profile, [src], tmp_path / "o")
    assert ledger.rejected_by_reason == {"fixed-width-record-length": 1}
    assert (ledger.translated, ledger.filtered) == (26, 2)
    one_line = tmp_path / "b.txt"  # what a CR-only file was before CR was a line end: one huge "H" line
    one_line.write_bytes(b"".join(JAN_LINES) + b"\n")
    ledger = translate(profile, [one_line], tmp_path / "o2")
    assert (ledger.source, ledger.rejected, ledger.filtered) == (1, 1, 0)


def test_issue7_04_detail_typed_h_is_rejected_not_filtered(tmp_path):
    lines = list(JAN_LINES)
    lines[5] = b"H" + lines[5][1:]
    src = tmp_path / JAN.name
    src.write_bytes(b"\r\n".join(lines) + b"\r\n")
    code, out = _run("translate", "-q", "-p", "bank_payroll_fixed", str(src), "--out", str(tmp_path / "o"))
    assert code == 1
    led = _ledger(tmp_path / "o")
    assert led["rows"] == {"source": 29, "translated": 26, "rejected": 1, "filtered": 2}
    assert list(led["rejected_by_reason"]) == ["fixed-width-control-record-misplaced"]
    with open(tmp_path / "o" / "rejected.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [(r[2], r[5]) for r in rows] == [("6", "fixed-width-control-record-misplaced")]
    _both_paths(load_profile("bank_payroll_fixed"), [src], tmp_path / "paths")


def test_issue7_04_trailer_count_and_total_mismatch_fails_the_ledger(tmp_path):
    """A detail lost after the trailer was written: every row translates, the run still fails."""
    src = tmp_path / JAN.name
    src.write_bytes(b"\r\n".join(JAN_LINES[:4] + JAN_LINES[5:]) + b"\r\n")
    code, out = _run("translate", "-p", "bank_payroll_fixed", str(src), "--out", str(tmp_path / "o"))
    assert code == 1 and "control-count-mismatch" in out
    led = _ledger(tmp_path / "o")
    assert led["rows"]["rejected"] == 0 and led["reconciled"] and not led["ok"]
    assert [(f["code"], f["details"]["document"]) for f in led["findings"]] == [
        ("control-count-mismatch", "笔数"), ("control-total-mismatch", "应发总额"), ("control-total-mismatch", "实发总额")]
    count = next(c for c in led["controls"] if c["kind"] == "count")
    assert (count["expected"], count["actual"], count["ok"]) == (27, 26, False)
    net = next(c for c in led["controls"] if c["document"] == "实发总额")
    lost = Decimal(JAN_LINES[4][181:196].decode().strip())
    assert Decimal(net["expected"]) - Decimal(net["actual"]) == lost
    # the shipped file itself agrees with its trailer
    code, _ = _run("translate", "-q", "-p", "bank_payroll_fixed", str(JAN), "--out", str(tmp_path / "ok"))
    assert code == 0 and all(c["ok"] for c in _ledger(tmp_path / "ok")["controls"])


@pytest.mark.parametrize(
    "case, code",
    [
        ("no_header", "fixed-width-control-record-missing"),
        ("no_trailer", "fixed-width-control-record-missing"),
        ("short_trailer", "fixed-width-control-record-invalid"),
        ("only_header", "fixed-width-control-record-missing"),
    ],
)
def test_issue7_04_required_control_record_not_where_the_layout_says_is_a_file_error(tmp_path, case, code):
    lines = {
        "no_header": JAN_LINES[1:],
        "no_trailer": JAN_LINES[:-1],
        "short_trailer": JAN_LINES[:-1] + [JAN_LINES[-1][:-10]],
        "only_header": JAN_LINES[:1],
    }[case]
    src = tmp_path / "f.txt"
    src.write_bytes(b"\r\n".join(lines) + b"\r\n")
    exit_code, out = _run("translate", "-q", "-p", "bank_payroll_fixed", str(src), "--out", str(tmp_path / "o"))
    assert exit_code == 2 and code in out and str(src) in out
    assert not (tmp_path / "o" / "payroll_record.jsonl").exists()


def test_issue7_04_control_checks_are_declared_and_checked_at_load(tmp_path):
    base = load_profile("bank_payroll_fixed").model_dump(by_alias=True, exclude_none=True)
    bad = copy.deepcopy(base)
    bad["controls"] = [{"count": "没有这个值"}]
    with pytest.raises(JincaiError) as e:
        parse_profile(bad, base=tmp_path / "p.yaml")
    assert "controls[0].count" in e.value.location
    bad = copy.deepcopy(base)
    bad["controls"] = [{"total": "实发总额", "field": "per_name"}]
    with pytest.raises(JincaiError) as e:
        parse_profile(bad, base=tmp_path / "p.yaml")
    assert "money" in e.value.message_en
    bad = copy.deepcopy(base)
    bad["source"]["control_records"]["T"]["position"] = "first"
    with pytest.raises(JincaiError):
        parse_profile(bad, base=tmp_path / "p.yaml")


# ---- item 11: bounded memory, line and field limits ------------------------------------------


def test_issue7_11_many_short_lines_come_in_bounded_batches(tmp_path):
    """2 M short lines once became one batch of 2 M Python rows (> 4 GiB); batches are now bounded
    whatever the number of rejects (the memory itself is measured by benchmarks/bench_text_rejects)."""
    from jincai.adapters.readers import fixed_width

    src = tmp_path / "short.txt"
    src.write_bytes(JAN_LINES[0] + b"\r\n" + b"D1\n" * 50_000 + JAN_LINES[-1] + b"\r\n")
    opts = load_profile("bank_payroll_fixed").source.options()
    sizes = [f.height for f in get_reader("fixed_width").read_batches(str(src), opts)]
    assert sum(sizes) == 50_002 and max(sizes) <= fixed_width.ROWS_PER_FRAME
    ledger = translate(load_profile("bank_payroll_fixed"), [src], tmp_path / "o")
    assert ledger.reconciled and ledger.rejected == 50_000


@pytest.mark.parametrize("fmt", ["fixed_width", "csv"])
@pytest.mark.parametrize("terminated", [True, False])
def test_issue7_11_a_huge_line_is_the_line_limit_error(tmp_path, fmt, terminated):
    src = tmp_path / "big.txt"
    if fmt == "fixed_width":
        profile = "bank_payroll_fixed"
        body = JAN_LINES[0] + b"\r\n" + b"D" * 5000 + (b"\r\n" + JAN_LINES[-1] + b"\r\n" if terminated else b"")
    else:
        profile = str(_csv_profile(tmp_path))
        body = b"\n".join(_csv_sample().split(b"\n")[:3]) + b"\n" + b"1," * 2500 + (b"\n" if terminated else b"")
    src.write_bytes(body)
    for rows in ("", "1"):
        with _env(JINCAI_LIMIT_LINE_BYTES="4096", JINCAI_ADAPTER_ROWS=rows):
            code, out = _run("translate", "-q", "-p", profile, str(src), "--out", str(tmp_path / "o"), "--set", "fiscal_year=2024")
        assert code == 2 and "limit-line-bytes" in out, out


def test_issue7_11_csv_huge_field_is_the_field_limit_error_in_translate_and_init(tmp_path):
    src = tmp_path / "big.csv"
    header = "某县财政局2024年3月工资发放表\n流水号,单位,身份证号,姓名,工资卡号,代理行号,功能科目,应发(万元),扣款(万元),实发(万元)\n"
    src.write_text(header + "x" * 200_000 + ",1,2,3,4,5,6,7,8,9\n", encoding="gbk")
    profile = str(_csv_profile(tmp_path))
    for rows in ("", "1"):
        with _env(JINCAI_LIMIT_FIELD_BYTES="50000", JINCAI_ADAPTER_ROWS=rows):
            code, out = _run("translate", "-q", "-p", profile, str(src), "--out", str(tmp_path / "o"), "--set", "fiscal_year=2024")
        assert code == 2 and "limit-field-bytes" in out and "big.csv:3" in out, out
    sample = tmp_path / "sample.csv"
    sample.write_text("单位,金额,摘要\n" + "001001,1.00,x\n" * 5 + "001002,2.00," + "长" * 140_000 + "\n", encoding="gbk")
    # the csv module's own limit is 131,072 characters: this used to crash adapter init (exit 3)
    code, out = _run("adapter", "init", str(sample))
    assert code == 0, out
    with _env(JINCAI_LIMIT_FIELD_BYTES="50000"):
        code, out = _run("adapter", "init", str(sample))
    assert code == 2 and "limit-field-bytes" in out, out


# ---- low: ledger_rows.csv identity -------------------------------------------------------------


def test_issue7_low_ledger_rows_identity_is_unambiguous(tmp_path):
    """Rows that make several records (unpivot, several targets) share (file, sheet, row): the item
    column tells their lines apart, and the byte offset pins a text row in its file."""
    src = tmp_path / "plan.csv"
    src.write_text("单位,1月,2月,3月\n001001,1.00,2.00,3.00\n\n001002,4.00,,6.00\n", encoding="utf-8")
    profile = parse_profile({
        "id": "t_plan", "name_zh": "测试", "name_en": "test",
        "source": {"format": "csv", "encoding": "utf-8"},
        "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
        "filters": ["blank"],
        "targets": [{"entity": "payment_detail", "unpivot": {"pattern": "([0-9]+)月", "key_as": "月", "value_as": "金额", "skip_blank": True}, "fields": {
            "pay_detail_id": {"from": ["单位", "月"], "transform": [{"join": "-"}]}, "pay_cert_id": {"const": "Z1"}, "agency_code": "单位",
            "payee_acct_name": {"const": "某单位"}, "payee_acct_no": {"const": "6222020000"}, "payee_acct_bank_name": {"const": "某银行"},
            "pay_amt": {"from": "金额", "transform": ["money"]}}}],
    }, base=tmp_path / "p.yaml")
    translate(profile, [src], tmp_path / "o")
    trail = _trail(tmp_path / "o")
    assert trail[0][-2:] == ["记录序号 item", "字节偏移 byte offset"]
    ids = [(r[0], r[1], r[2], r[7]) for r in trail[1:]]
    assert len(ids) == len(set(ids)) == 6
    assert [(r[2], r[3], r[7]) for r in trail[1:]] == [("2", "translated", "1"), ("2", "translated", "2"), ("2", "translated", "3"),
                                                       ("3", "filtered", "0"), ("4", "translated", "1"), ("4", "translated", "2")]
    # fixed-width rows carry their byte offset
    translate(load_profile("bank_payroll_fixed"), [JAN], tmp_path / "fw")
    offsets = [int(r[8]) for r in _trail(tmp_path / "fw")[1:]]
    assert offsets == [i * 238 for i in range(29)]
    # one input twice would make two lines of each row identical: refused
    code, out = _run("translate", "-q", "-p", "bank_payroll_fixed", str(JAN), str(JAN), "--out", str(tmp_path / "twice"))
    assert code == 2 and "adapter-usage" in out


# ---- empty inputs: the same outcome in every format -------------------------------------------


def _csv_profile(tmp_path: Path) -> Path:
    """The worked example of the profile reference (a GBK CSV in 万元)."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1].split("## 3.", 1)[0]
    p = tmp_path / "csv_profile" / "profile.yaml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(re.findall(r"```yaml\n(.*?)```", section, re.S)[0], encoding="utf-8")
    return p


def _csv_sample() -> bytes:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1].split("## 3.", 1)[0]
    return next(b for lang, b in re.findall(r"```(\w*)\n(.*?)```", section, re.S) if not lang and "流水号" in b).encode("gbk")


@pytest.mark.parametrize(
    "fmt, content",
    [
        ("csv", b""),
        ("csv", "流水号,单位,身份证号,姓名,工资卡号,代理行号,功能科目,应发(万元),扣款(万元),实发(万元)\n".encode("gbk")),
        ("csv", "某县财政局2024年3月工资发放表\n流水号,单位,身份证号,姓名,工资卡号,代理行号,功能科目,应发(万元),扣款(万元),实发(万元)\n,,,,,,,,,\n".encode("gbk")),
        ("fixed_width", b""),
        ("fixed_width", b"\r\n\r\n"),
        ("fixed_width", JAN_LINES[0] + b"\r\n" + JAN_LINES[-1].replace(b"27   ", b"0    ") + b"\r\n"),
    ],
)
def test_issue7_empty_inputs_give_no_data_rows_in_every_text_format(tmp_path, fmt, content):
    src = tmp_path / "empty.txt"
    src.write_bytes(content)
    profile = "bank_payroll_fixed" if fmt == "fixed_width" else str(_csv_profile(tmp_path))
    for rows in ("", "1"):
        with _env(JINCAI_ADAPTER_ROWS=rows):
            code, out = _run("translate", "-q", "-p", profile, str(src), "--out", str(tmp_path / "o"), "--set", "fiscal_year=2024")
        assert code == 1, out
        led = _ledger(tmp_path / "o")
        assert [f["code"] for f in led["findings"]] == ["no-data-rows"] and led["reconciled"]
        assert led["rows"]["translated"] == led["rows"]["rejected"] == 0


def test_issue7_empty_input_among_good_ones_fails_only_itself(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out = _run("translate", "-q", "-p", "bank_payroll_fixed", str(JAN), str(empty), "--out", str(tmp_path / "o"))
    assert code == 1 and "no-data-rows" in out
    led = _ledger(tmp_path / "o")
    assert led["rows"]["translated"] == 27 and [f["file"] for f in led["findings"]] == [str(empty)]


# ---- issue 8 #9: document values and the exact derive -----------------------------------------


def test_issue8_09_header_values_feed_every_record(tmp_path):
    """The header's region and period reach every record, whatever the details carry."""
    lines = [JAN_LINES[0].replace(b"2024", b"2023", 1)] + [ln[:10] + b"1999" + ln[14:] for ln in JAN_LINES[1:-1]] + [JAN_LINES[-1]]
    src = tmp_path / JAN.name
    src.write_bytes(b"\r\n".join(lines) + b"\r\n")
    _both_paths(load_profile("bank_payroll_fixed"), [src], tmp_path / "o")
    recs = [json.loads(x) for x in (tmp_path / "o" / "col" / "payroll_record.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 27 and {r["fiscal_year"] for r in recs} == {"2023"} and {r["pay_month"] for r in recs} == {1}
    led = _ledger(tmp_path / "o" / "col")
    assert led["files"][0]["document"]["发放年度"] == "2023" and led["files"][0]["document"]["笔数"] == "27"


def test_issue8_09_document_values_in_when_and_filters_and_undeclared_ones(tmp_path):
    base = load_profile("bank_payroll_fixed").model_dump(by_alias=True, exclude_none=True)
    data = copy.deepcopy(base)
    data["targets"][0]["when"] = {"column": "_doc.发放月份", "equals": "01"}
    data["filters"] = ["blank", {"kind": "match", "column": "_doc.财政区划", "pattern": "^1306", "code": "other-region", "reason_zh": "外县", "reason_en": "another county"}]
    profile = parse_profile(data, base=tmp_path / "p.yaml")
    ledger = _both_paths(profile, [JAN], tmp_path / "o")
    assert ledger.filtered_by_reason == {"fixed-width-control-record": 2, "other-region": 27}
    data["filters"] = ["blank"]
    data["targets"][0]["fields"]["bgt_id"] = "_doc.没有声明"
    with pytest.raises(JincaiError) as e:
        parse_profile(data, base=tmp_path / "p.yaml")
    assert "source.document" in e.value.message_en and "bgt_id" in e.value.location


def test_issue8_09_a_file_without_a_declared_document_value_is_a_file_error(tmp_path):
    base = load_profile("bank_payroll_fixed").model_dump(by_alias=True, exclude_none=True)
    base["source"]["control_records"]["T"]["required"] = False
    profile = parse_profile(base, base=tmp_path / "p.yaml")
    src = tmp_path / "f.txt"
    src.write_bytes(b"\r\n".join(JAN_LINES[:-1]) + b"\r\n")
    with pytest.raises(JincaiError) as e:
        translate(profile, [src], tmp_path / "o")
    assert e.value.code == "adapter-document-missing" and "笔数" in e.value.message_en


_money = st.decimals(min_value=Decimal("-99999999999999.99"), max_value=Decimal("99999999999999.99"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(_money, min_size=2, max_size=4), st.data())
def test_issue8_09_sum_is_exact_decimal_arithmetic(amounts, data):
    from jincai.adapters import transforms as T

    signs = data.draw(st.lists(st.sampled_from(["+", "-"]), min_size=len(amounts), max_size=len(amounts)))
    texts = tuple(format(a, "f") for a in amounts)
    expect = sum((a if s == "+" else -a for a, s in zip(amounts, signs)), Decimal(0))
    assert T.apply("sum", texts, signs) == expect
    assert T.apply("sum", tuple(amounts), signs) == expect


def test_issue8_09_gross_derived_from_net_and_deductions(tmp_path):
    """gross = net + deductions, from the source columns or from the canonical fields, to the fen;
    a sign list that does not fit the inputs is refused when the profile loads."""
    base = load_profile("bank_payroll_fixed").model_dump(by_alias=True, exclude_none=True)
    january = b"".join((BANK / "expected" / "payroll_record.jsonl").read_bytes().splitlines(keepends=True)[:27])
    for i, gross in enumerate(({"from": ["实发金额", "扣款金额"], "transform": ["sum"]}, {"derive": ["net_amt", "deduct_amt"], "transform": ["sum"]})):
        data = copy.deepcopy(base)
        data["targets"][0]["fields"]["gross_amt"] = gross
        ledger = translate(parse_profile(data, base=tmp_path / "p.yaml"), [JAN], tmp_path / f"o{i}")
        assert ledger.ok and ledger.translated == 27  # the trailer's gross total agrees too
        assert (tmp_path / f"o{i}" / "payroll_record.jsonl").read_bytes() == january
    data = copy.deepcopy(base)
    data["targets"][0]["fields"]["gross_amt"] = {"from": ["实发金额", "扣款金额"], "transform": [{"sum": ["+", "+", "-"]}]}
    with pytest.raises(JincaiError) as e:
        parse_profile(data, base=tmp_path / "p.yaml")
    assert "3 inputs" in e.value.message_en


# ---- the property: mutations of the shipped samples -------------------------------------------


def _lines_of(data: bytes) -> int:
    """Physical lines as the fixed-width reader counts them (LF, CRLF, CR; a final lone 0x1A is none)."""
    pieces = re.split(rb"\r\n|\r|\n", data)
    if pieces and pieces[-1] == b"":
        pieces.pop()
    if pieces and pieces[-1] == b"\x1a":
        pieces.pop()
    return len(pieces)


_INSERTS = [b"\r", b"\n", b"\r\n", b"\xff", b"H", b"T", b"D", b" ", b"\x1a", b"\x00", "行".encode("gbk"), b"\xb0", b"1", b".", b","]


@st.composite
def _mutations(draw, original: bytes, line_ends: bool = True):
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["ends", "truncate", "insert", "type", "drop_line", "overwrite"] if line_ends else ["truncate", "insert", "overwrite", "drop_line"]))
        if kind == "ends":
            end = draw(st.sampled_from([b"\r", b"\n", b"mixed"]))
            lines = re.split(rb"\r\n|\r|\n", bytes(data))
            ends = [b"\r\n", b"\n", b"\r"]
            data = bytearray(b"".join(ln + (ends[i % 3] if end == b"mixed" else end) for i, ln in enumerate(lines[:-1])) + lines[-1])
        elif kind == "truncate" and data:
            del data[draw(st.integers(0, len(data) - 1)):]
        elif kind == "insert":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.sampled_from(_INSERTS)) * draw(st.integers(1, 3))
        elif kind == "overwrite" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.sampled_from([0x20, 0x30, 0x39, 0x2E, 0x2D, 0xFF, 0x48, 0x54, 0x0D, 0x0A, 0xD6]))
        elif kind in ("type", "drop_line"):
            starts = [0] + [m.end() for m in re.finditer(rb"\r\n|\r|\n", bytes(data))]
            i = draw(st.sampled_from(starts))
            if kind == "type" and i < len(data):
                data[i] = ord(draw(st.sampled_from("HTDX")))
            elif kind == "drop_line":
                m = re.compile(rb"\r\n|\r|\n").search(bytes(data), i)
                del data[i : m.end() if m else len(data)]
    return bytes(data)


def _accounted(ledger, source_lines: int | None) -> None:
    assert ledger.reconciled, ledger.problems()  # rows and every money field, to the fen
    assert ledger.source == ledger.translated + ledger.rejected + ledger.filtered
    if source_lines is not None:
        assert ledger.source == source_lines
    for t in ledger.money.values():
        assert t.source == t.translated + t.rejected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutations(JAN.read_bytes()), st.booleans())
def test_issue7_mutated_fixed_width_sample_accounts_for_every_row_and_fen(tmp_path_factory, data, declared):
    """With the shipped profile (control records declared) and with the old style (a filter on the
    record type), so that mutations also reach rows the control records would stop."""
    tmp = tmp_path_factory.mktemp("fwmut")
    src = tmp / JAN.name
    src.write_bytes(data)
    profile = load_profile("bank_payroll_fixed" if declared else _old_style_profile(tmp))
    try:
        ledger = _both_paths(profile, [src], tmp)
    except JincaiError as exc:  # a coded, located error is a fine outcome; any other exception is not
        assert exc.code and exc.message_zh and exc.message_en and str(src) in (exc.location or "")
        return
    _accounted(ledger, _lines_of(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutations(_csv_sample()))
def test_issue7_mutated_csv_sample_accounts_for_every_row_and_fen(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("csvmut")
    src = tmp / "2024年03月.csv"
    src.write_bytes(data)
    profile = load_profile(_csv_profile(tmp))
    try:
        ledger = _both_paths(profile, [src], tmp, sets={"fiscal_year": "2024"})
    except JincaiError as exc:
        assert exc.code and exc.message_zh and exc.message_en
        return
    _accounted(ledger, None)

