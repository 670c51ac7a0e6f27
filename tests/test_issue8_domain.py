"""Issue 8 items 6, 7, 8 and 11: what real county files showed about the domain rules.

* 6 — translation leaves identifier check characters to validation (``ident.*``);
* 7 — an incomplete code list warns (``code.unknown-incomplete``) where the parent is valid;
* 8 — record rules that catch money that does not move (zero vouchers) and payroll/report gaps;
* 11 — small fixes: the scientific-notation reason names the field, ``--quiet`` is quiet,
  ``split_code_name`` without a separator.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import identifiers, paths
from jincai.adapters.transforms import BuildContext, Reject, apply, build_item
from jincai.cli import app
from jincai.validation.engine import validate

PAYROLL = paths.ADAPTERS / "bank_payroll_fixed"


def _translate(tmp_path: Path, *extra: str) -> tuple[object, Path, dict]:
    spec = json.loads((PAYROLL / "defects" / "expected_rejections.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["translate", "--profile", "bank_payroll_fixed", *[str(PAYROLL / "defects" / f) for f in spec["inputs"]], "--out", str(out), *extra])
    return r, out, spec


# ------------------------------------------------------------------------------------------------
# item 6: identifier check characters are validation's
# ------------------------------------------------------------------------------------------------


def test_issue8_06_bad_citizen_id_check_char_is_translated_and_validate_reports_it(tmp_path):
    r, out, spec = _translate(tmp_path)
    assert r.exit_code == 1  # the file's other defects are still rejected
    left = spec["left_to_validation"]
    assert left and all(x["rule"] == "ident.citizen-id" for x in left)
    rejected_rows = {(x["file"], x["row"]) for x in spec["rejected"]}
    assert not {(x["file"], x["row"]) for x in left} & rejected_rows
    lines = (out / "payroll_record.jsonl").read_text(encoding="utf-8").splitlines()
    for x in left:
        rec = json.loads(lines[x["output_row"] - 1])
        assert not identifiers.check_citizen_id(rec[x["field"]]).valid  # written as the source had it
    for path in ("bulk", "record"):
        report = validate([out / "payroll_record.jsonl"], max_issues=None, sql=False, path=path)
        found = {(i.rule, i.row, i.field) for i in report.issues if i.rule.startswith("ident.")}
        assert found == {(x["rule"], x["output_row"], x["field"]) for x in left}, path


def test_issue8_06_validate_cli_reports_ident_at_the_row(tmp_path):
    _, out, spec = _translate(tmp_path)
    x = spec["left_to_validation"][0]
    r = CliRunner().invoke(app, ["validate", str(out / "payroll_record.jsonl"), "--format", "json"])
    assert r.exit_code == 1, r.output
    issues = json.loads(r.stdout)["issues"]
    assert any(i["rule"] == "ident.citizen-id" and i["row"] == x["output_row"] and i["field"] == "iden_no" for i in issues)


def _engine_check(entity: str, field: str):
    from jincai.adapters.engine import FieldCheck
    from jincai.models import model_for
    from jincai.standard import standard

    return FieldCheck(model_for(entity), field, standard().entity(entity).field(field).element)


GOOD_USCC = identifiers.make_uscc("91", "130681", "MA0D8N1J")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([c for c in identifiers.USCC_CHARSET if c != GOOD_USCC[-1]]))
def test_issue8_06_translation_boundary_uscc(wrong):
    check = _engine_check("agency", "unifsoc_cred_code")
    good = GOOD_USCC
    assert identifiers.check_uscc(good).valid
    # every other check character: well-formed, so translated (validation judges it)
    bad = good[:-1] + wrong
    assert not identifiers.check_uscc(bad).valid
    assert check(bad) == bad
    # what cannot be a USCC at all is still rejected at translation
    for malformed in (good[:-1], good + "0", good[:-1] + "I", good.lower()):
        try:
            check(malformed)
        except Reject as r:
            assert r.code in ("string-pattern-mismatch", "string-too-long")
        else:  # pragma: no cover - the assertion below explains
            raise AssertionError(f"{malformed!r} was accepted")


def test_issue8_06_models_and_validate_keep_the_check():
    """The boundary is translation's only: the canonical model still refuses a bad check character."""
    from pydantic import ValidationError

    from jincai.models import model_for

    rec = {"mof_div_code": "130100000", "fiscal_year": "2024", "agency_code": "101001", "agency_name": "某局", "unifsoc_cred_code": GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1")}
    try:
        model_for("agency").model_validate(rec)
    except ValidationError as exc:
        assert any(e["type"].startswith("uscc-") for e in exc.errors())
    else:
        raise AssertionError("the model accepted a wrong USCC check character")


# ------------------------------------------------------------------------------------------------
# item 11: small fixes
# ------------------------------------------------------------------------------------------------


def test_issue8_11_scientific_notation_reason_names_the_field():
    fn = build_item("scientific_notation_guard", BuildContext(field="unifsoc_cred_code"))[1]
    try:
        fn("9.11307E+17")
    except Reject as r:
        assert "unifsoc_cred_code" in r.zh and "unifsoc_cred_code" in r.en
        assert "账号" not in r.zh and "account" not in r.en
    else:
        raise AssertionError("not rejected")


def test_issue8_11_scientific_notation_in_a_translated_credit_code_names_it(tmp_path):
    import yaml

    src = tmp_path / "lines.csv"
    src.write_text("明细号,凭证号,单位,收款人,收款账号,开户行,金额,信用代码\nMX1,ZF1,101001,某公司,6222021234567890123,某银行,12.50,9.11307E+17\n", encoding="utf-8")
    profile = {
        "id": "sci_test",
        "name_zh": "测试：信用代码被科学计数法损坏",
        "name_en": "test: a credit code in scientific notation",
        "source": {"format": "csv", "encoding": "utf-8"},
        "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
        "targets": [{"entity": "payment_detail", "fields": {
            "pay_detail_id": "明细号", "pay_cert_id": "凭证号", "agency_code": "单位", "payee_acct_name": "收款人",
            "payee_acct_no": "收款账号", "payee_acct_bank_name": "开户行", "pay_amt": {"from": "金额", "transform": ["money"]},
            "unifsoc_cred_code": {"from": "信用代码", "transform": ["scientific_notation_guard"]},
        }}],
    }
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    r = CliRunner().invoke(app, ["translate", "--profile", str(p), str(src), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 1, r.output
    text = (tmp_path / "o" / "rejected.csv").read_text(encoding="utf-8-sig")
    assert "scientific-notation" in text and "unifsoc_cred_code" in text and "account number" not in text


def test_issue8_11_quiet_prints_no_rejected_rows_line(tmp_path):
    r, out, _ = _translate(tmp_path, "--quiet")
    assert r.exit_code == 1
    assert (out / "rejected.csv").is_file()
    assert "被拒绝" not in r.output and "rows were rejected" not in r.output
    assert "妥善保管" in r.output  # the personal-data notice stays (issue 7 item 10)
    r2, _, _ = _translate(tmp_path / "loud")
    assert "行被拒绝" in r2.output and "rows were rejected" in r2.output  # without --quiet the line is there


def test_issue8_11_split_code_name_without_separator():
    assert apply("split_code_name", "30208取暖费") == "30208"
    assert apply("split_code_name", "30208取暖费", "name") == "取暖费"
    assert apply("split_code_name", "30208", "name") is None
    doc = (paths.DOCS / "adapters" / "profile-reference.zh-en.md").read_text(encoding="utf-8")
    assert "30208取暖费" in doc


def test_issue8_11_money_and_wan_yuan_float_cells_documented_and_exact():
    from decimal import Decimal

    assert apply("money", 3514.7) == Decimal("3514.70")
    assert apply("wan_yuan", 3514.7) == Decimal("35147000.00")
    for t, v, code in (("money", 0.1 + 0.2, "money-too-many-decimals"), ("money", 1e16, "scientific-notation"), ("wan_yuan", 1.23456789, "wan-yuan-too-many-decimals")):
        try:
            apply(t, v)
        except Reject as r:
            assert r.code == code
        else:
            raise AssertionError((t, v))
    doc = (paths.DOCS / "adapters" / "profile-reference.zh-en.md").read_text(encoding="utf-8")
    assert "0.30000000000000004" in doc and "Excel number cells" in doc


# ------------------------------------------------------------------------------------------------
# item 7: a starter list that cannot judge a code warns
# ------------------------------------------------------------------------------------------------

REAL_2024 = ["2010601", "2050203", "2130101", "2130104", "2100201", "2130301", "2140101"]
FIX = paths.VALIDATORS / "fixtures"


def _lines(tmp_path: Path, codes: list[str]) -> Path:
    base = json.loads((FIX / "code.unknown-incomplete" / "pass" / "dept_budget_line.jsonl").read_text(encoding="utf-8").splitlines()[0])
    rows = [dict(base, budget_line_id=f"YS9{i:04d}", exp_func_code=c) for i, c in enumerate(codes)]
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "dept_budget_line.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_issue8_07_real_2024_functional_codes_are_warnings_in_both_paths(tmp_path):
    folder = _lines(tmp_path, REAL_2024 + ["2880101"])  # class 288 does not exist: still an error
    for path in ("bulk", "record"):
        report = validate([folder], max_issues=None, sql=False, path=path)
        got = {(i.rule, i.row, i.severity) for i in report.issues if i.field == "exp_func_code"}
        want = {("code.unknown-incomplete", n, "warning") for n in range(1, len(REAL_2024) + 1)} | {("code.unknown", len(REAL_2024) + 1, "error")}
        assert got == want, path
        warn = next(i for i in report.issues if i.rule == "code.unknown-incomplete")
        text = f"{warn.message_zh} {warn.message_en}"
        assert "exp_func" in text and "jincai codes import" in text and "complete: false" in text


def test_issue8_07_cli_exit_0_for_warnings_only(tmp_path):
    folder = _lines(tmp_path, REAL_2024)
    r = CliRunner().invoke(app, ["validate", str(folder), "--format", "json"])
    assert r.exit_code == 0, r.output
    rules = {i["rule"] for i in json.loads(r.stdout)["issues"]}
    assert rules == {"code.unknown-incomplete"}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(REAL_2024), st.integers(0, 999_999))
def test_issue8_07_local_extensions_under_unjudged_codes_warn(code, tail):
    from jincai.codelists import registry

    ext = code + str(tail)[: 6]  # 8–13 characters (a local extension when ≥ 9)
    hit = registry().get("exp_func").lookup(ext, year=2024)
    if len(ext) >= 9:
        assert (hit.valid, hit.reason_code, hit.severity) == (False, "unverified", "warning")
    hit = registry().get("exp_func").lookup(code, year=2024)
    assert hit.severity == "warning" and hit.row is None and hit.national_row is not None  # the valid parent


def test_issue8_07_complete_lists_stay_errors():
    from jincai.codelists import registry

    mof = registry().get("mof_div")
    assert mof.complete
    assert mof.lookup("130199000", year=2024).severity == "error"


# ------------------------------------------------------------------------------------------------
# item 8: record rules
# ------------------------------------------------------------------------------------------------


def _voucher(**changes) -> dict:
    base = json.loads((FIX / "record.amount-zero" / "pass" / "payment_voucher.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return {**base, **changes}


def _validate_vouchers(tmp_path: Path, rows: list[dict]) -> dict[str, set]:
    folder = tmp_path / "v"
    folder.mkdir(exist_ok=True)
    (folder / "payment_voucher.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = {}
    for path in ("bulk", "record"):
        report = validate([folder], max_issues=None, sql=False, path=path)
        out[path] = {(i.rule, i.row, i.field) for i in report.issues if i.rule.startswith("record.")}
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(-10**9, 10**9), st.booleans())
def test_issue8_08_zero_voucher_fails_and_only_zero(tmp_path_factory, fen, reversal):
    from decimal import Decimal

    amt = format(Decimal(fen).scaleb(-2), "f")
    found = _validate_vouchers(tmp_path_factory.mktemp("z"), [_voucher(pay_amt=amt, is_reversal=reversal)])
    assert found["bulk"] == found["record"]
    zero = ("record.amount-zero", 1, "pay_amt") in found["bulk"]
    assert zero == (fen == 0)
    assert (("record.negative-not-reversal", 1, "pay_amt") in found["bulk"]) == (fen < 0 and not reversal)


def test_issue8_08_zero_voucher_cli(tmp_path):
    folder = tmp_path / "cli"
    folder.mkdir()
    (folder / "payment_voucher.jsonl").write_text(json.dumps(_voucher(pay_amt="0.00"), ensure_ascii=False) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", str(folder), "--format", "json"])
    assert r.exit_code == 1
    issues = json.loads(r.stdout)["issues"]
    assert [(i["rule"], i["row"], i["field"]) for i in issues] == [("record.amount-zero", 1, "pay_amt")]


@settings(max_examples=25, deadline=None)
@given(st.dates(), st.integers(-3, 3), st.integers(-3, 3), st.booleans())
def test_issue8_08_payment_date_order(tmp_path_factory, vou, paid_after, cleared_after, has_xpay):
    from datetime import date, timedelta

    vou = date(2024, 1, 4) + timedelta(days=vou.toordinal() % 360)
    xpay = vou + timedelta(days=paid_after)
    lqd = (xpay if has_xpay else vou) + timedelta(days=cleared_after)
    rec = _voucher(pay_type_code="2", clear_id="C1", vou_date=vou.isoformat(), act_lqd_date=lqd.isoformat())
    if has_xpay:
        rec["xpay_date"] = xpay.isoformat()
    found = _validate_vouchers(tmp_path_factory.mktemp("d"), [rec])
    assert found["bulk"] == found["record"]
    order = {f for r, _, f in found["bulk"] if r == "record.payment-date-order"}
    if has_xpay and paid_after < 0:
        assert order == {"xpay_date"}
    elif cleared_after < 0:
        assert order == {"act_lqd_date"}
    else:
        assert order == set()


def test_issue8_08_payroll_net_negative_both_paths():
    for path in ("bulk", "record"):
        report = validate([FIX / "record.payroll-net-negative" / "fail"], max_issues=None, sql=False, path=path)
        assert {(i.rule, i.row) for i in report.issues} == {("record.payroll-net-negative", 2)}, path
