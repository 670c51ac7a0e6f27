"""The generated pydantic models and the JSON Schema validator, convention by convention (C01–C14).

Every edge case is checked in three ways that must agree: ``model_validate_json`` (the fast path),
``model_validate`` on the parsed JSON object, and the configured JSON Schema validator.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from jincai.canonical import record_to_json
from jincai.errors import JincaiError
from jincai.identifiers import check_cnaps
from jincai.jsonschema_check import error_fields, schema_for, validator_for
from jincai.models import MODELS, model_for
from jincai.models.types import FORMAT_ONLY_IDENTIFIERS, anchored, parse_date, parse_datetime
from jincai.standard import standard

PV: dict[str, Any] = {
    "mof_div_code": "130000000",
    "fiscal_year": "2024",
    "pay_cert_id": "PC2024000123",
    "pay_cert_no": "ZF-2024-000123",
    "pay_app_id": "PA2024000100",
    "bgt_id": "BGT2024-0001",
    "agency_code": "101001",
    "fund_type_code": "1",
    "exp_func_code": "2010101",
    "dep_bgt_eco_code": "30201",
    "gov_bgt_eco_code": "50201",
    "pay_type_code": "1",
    "set_mode_code": "2",
    "vou_date": "2024-05-04",
    "pay_acct_name": "河北省财政厅国库支付中心",
    "pay_acct_no": "1302000000000001",
    "pay_acct_bank_name": "中国工商银行石家庄分行",
    "payee_acct_name": "石家庄某某办公用品有限公司",
    "payee_acct_no": "6222000011112222",
    "payee_acct_bank_name": "中国建设银行石家庄裕华支行",
    "pay_amt": "12345.60",
    "agent_bank_code": "102121000013",
    "pay_status_code": "3",
    "is_reversal": False,
    "xpay_date": "2024-05-06",
    "update_time": "2024-05-07T16:22:33+08:00",
}
PD: dict[str, Any] = {
    "mof_div_code": "130102000",
    "fiscal_year": "2024",
    "pay_detail_id": "D1",
    "pay_cert_id": "PC2024000123",
    "agency_code": "101001",
    "payee_acct_name": "张三",
    "payee_acct_no": "6222000011112222",
    "payee_acct_bank_name": "中国农业银行",
    "pay_amt": "300.00",
    "per_name": "张三",
    "iden_no": "11010519491231002X",
    "unifsoc_cred_code": "91110000600037341L",
}
ABD: dict[str, Any] = {
    "mof_div_code": "130000000",
    "fiscal_year": "2024",
    "agency_code": "101001",
    "staff_authorized": 120,
    "staff_in_service": 112,
    "retired_count": 40,
    "office_area": "2400.50",
    "vehicle_count": 3,
}
ENV: dict[str, Any] = {
    "submission_id": "S-1",
    "mof_div_code": "130000000",
    "fiscal_year": "2024",
    "product_name": "某某财政一体化系统",
    "product_version": "3.2.1",
    "standard_version": "1.0.0",
    "entity_name": "payment_voucher",
    "record_count": 9007199254740991,
    "content_sha256": "0" * 64,
    "create_time": "2024-05-07T16:22:33Z",
}
BASES = {"payment_voucher": PV, "payment_detail": PD, "agency_basic_data": ABD, "submission_envelope": ENV}


def _with(entity: str, **changes: Any) -> dict[str, Any]:
    obj = dict(BASES[entity])
    for k, v in changes.items():
        if v is _ABSENT:
            obj.pop(k, None)
        else:
            obj[k] = v
    return obj


_ABSENT = object()


def verdicts(entity: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Accept/reject by the three paths, with the fields the errors name."""
    model = model_for(entity)
    out: dict[str, Any] = {}
    for mode in ("json", "python"):
        try:
            if mode == "json":
                model.model_validate_json(json.dumps(obj, ensure_ascii=False))
            else:
                model.model_validate(obj)
            out[mode] = None
        except ValidationError as exc:
            out[mode] = sorted({str(e["loc"][0]) for e in exc.errors()})
    errors = list(validator_for(entity).iter_errors(obj))
    out["schema"] = sorted({f for e in errors for f in error_fields(e)}) if errors else None
    return out


def assert_valid(entity: str, obj: dict[str, Any]) -> None:
    v = verdicts(entity, obj)
    assert v == {"json": None, "python": None, "schema": None}, v


def assert_invalid(entity: str, obj: dict[str, Any], field: str) -> None:
    v = verdicts(entity, obj)
    assert v == {"json": [field], "python": [field], "schema": [field]}, v


def test_fixtures_are_valid() -> None:
    for entity, obj in BASES.items():
        assert_valid(entity, obj)


def test_every_entity_has_a_model_and_schema() -> None:
    std = standard()
    assert set(MODELS) == set(std.entities)
    for entity_id, entity in std.entities.items():
        model = MODELS[entity_id]
        assert model.__name__ == entity.pascal_name
        assert model.__entity__ == entity_id
        assert list(model.model_fields) == entity.field_names
        for f in entity.fields:
            assert model.model_fields[f.name].is_required() == f.required
        schema = schema_for(entity_id)
        assert schema["required"] == [f.name for f in entity.fields if f.required]
        assert list(schema["properties"]) == entity.field_names


def test_all_patterns_run_on_the_rust_regex_engine() -> None:
    # Python's re would let $ match before a final newline; Rust regex does not (C01)
    for model in MODELS.values():
        text = repr(model.__pydantic_validator__)
        assert "RustRegex" in text
        assert "PythonRe" not in text, model.__name__


def test_unknown_entity() -> None:
    with pytest.raises(JincaiError) as info:
        model_for("payment_vouchers")
    assert info.value.code == "unknown-entity"
    assert "payment_voucher" in info.value.message_en
    with pytest.raises(JincaiError):
        validator_for("nope")


# ---- C01 whole-value patterns, C07 ASCII digits ------------------------------------------------


@pytest.mark.parametrize(
    "value", ["130000000\n", "1300000001", "x130000000", "13000000", "１30000000", "130000000 ", " 130000000"]
)
def test_c01_code_must_match_in_full(value: str) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", mof_div_code=value), "mof_div_code")


@pytest.mark.parametrize(
    "field,value",
    [("vou_date", "２024-05-04"), ("pay_amt", "１2.00"), ("fiscal_year", "２０２４"), ("update_time", "2024-05-07T16:22:33+０8:00")],
)
def test_c07_fullwidth_digits(field: str, value: str) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", **{field: value}), field)


# ---- C02 dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
def test_c02_real_dates(value: str) -> None:
    assert_valid("payment_voucher", _with("payment_voucher", vou_date=value))


@pytest.mark.parametrize(
    "value",
    ["2023-02-29", "1900-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01", "2024-5-4",
     "20240504", "2024-05-04T00:00:00", "2024-05-04 ", "2024-05-04\n", "", 1700000000, 20240504, None],
)
def test_c02_bad_dates(value: Any) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", vou_date=value), "vou_date")


def test_c02_python_values() -> None:
    from jincai.models import PaymentVoucher

    m = PaymentVoucher.model_validate(_with("payment_voucher", vou_date=date(2024, 5, 4)))
    assert m.vou_date == date(2024, 5, 4)
    with pytest.raises(ValidationError):
        PaymentVoucher.model_validate(_with("payment_voucher", vou_date=datetime(2024, 5, 4)))


# ---- C03 datetimes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,offset",
    [
        ("2024-05-07T16:22:33+08:00", 8 * 60),
        ("2024-05-07T16:22:33Z", 0),
        ("2024-05-07T16:22:33.5-05:00", -5 * 60),
        ("2024-05-07T16:22:33.123456+05:45", 5 * 60 + 45),
        ("2024-05-07T16:22:33+23:59", 23 * 60 + 59),
    ],
)
def test_c03_valid_datetimes_keep_their_offset(value: str, offset: int) -> None:
    from jincai.models import PaymentVoucher

    assert_valid("payment_voucher", _with("payment_voucher", update_time=value))
    for m in (
        PaymentVoucher.model_validate_json(json.dumps(_with("payment_voucher", update_time=value))),
        PaymentVoucher.model_validate(_with("payment_voucher", update_time=value)),
    ):
        assert m.update_time.utcoffset() == timedelta(minutes=offset)
        assert m.update_time == parse_datetime(value)
        assert m.model_dump(mode="json")["update_time"] == value  # each value here is already canonical text (C03)


@pytest.mark.parametrize(
    "value",
    ["2024-05-07 16:22:33+08:00", "2024-05-07T16:22:33+0800", "2024-05-07T16:22:33", "2024-05-07t16:22:33Z",
     "2024-05-07T16:22:33z", "2024-05-07T16:22:33+08", "2024-05-07T24:00:00Z", "2024-05-07T23:59:60Z",
     "2024-05-07T16:22:33+05:60", "2024-05-07T16:22:33+24:00", "2024-05-07T16:22:33.1234567Z",
     "2024-05-07T16:22:33.Z", "2024-02-30T16:22:33Z", "2024-05-07T16:22:33+08:00\n", "2024-05-07", 1715070153],
)
def test_c03_bad_datetimes(value: Any) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", update_time=value), "update_time")


def test_c03_python_values() -> None:
    from jincai.models import PaymentVoucher

    aware = datetime(2024, 5, 7, 16, 22, 33, tzinfo=timezone(timedelta(hours=8)))
    assert PaymentVoucher.model_validate(_with("payment_voucher", update_time=aware)).update_time is aware
    with pytest.raises(ValidationError):
        PaymentVoucher.model_validate(_with("payment_voucher", update_time=aware.replace(tzinfo=None)))


TRICKY = [
    "2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31", "2024-12-32",
    "2024-05-07T16:22:33Z", "2024-05-07T24:00:00Z", "2024-05-07T23:60:00Z", "2024-05-07T23:59:60Z",
    "2024-05-07T16:22:33+05:60", "2024-05-07T16:22:33+23:59", "2024-05-07T16:22:33+24:00",
    "2024-05-07T16:22:33-00:00", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-14:00",
    "2023-02-29T00:00:00Z", "2024-02-29T00:00:00.000001Z",
]


@pytest.mark.parametrize("value", TRICKY)
def test_format_checker_and_model_agree(value: str) -> None:
    """The JSON Schema format checks (Python parsers) and the model (pydantic-core) agree."""
    field, parse = ("update_time", parse_datetime) if "T" in value else ("vou_date", parse_date)
    try:
        parse(value)
        ok = True
    except ValueError:
        ok = False
    v = verdicts("payment_voucher", _with("payment_voucher", **{field: value}))
    expected = None if ok else [field]
    assert v == {"json": expected, "python": expected, "schema": expected}


# ---- C04 integers ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["12", 12.0, 1.2e1, True, False, None, [12], 12.5])
def test_c04_integer_is_not_a_string_or_float(value: Any) -> None:
    assert_invalid("agency_basic_data", _with("agency_basic_data", vehicle_count=value), "vehicle_count")


def test_c04_integer_json_text() -> None:
    from jincai.models import AgencyBasicData

    for text in ('12.0', '1.2e1', '1e1', '"12"', 'true'):
        line = json.dumps(ABD).replace('"vehicle_count": 3', f'"vehicle_count": {text}')
        with pytest.raises(ValidationError):
            AgencyBasicData.model_validate_json(line)
        assert not validator_for("agency_basic_data").is_valid(json.loads(line))


def test_c04_plain_jsonschema_would_accept_a_float() -> None:
    """Why jincai.jsonschema_check redefines ``integer``: the spec counts 2024.0 as an integer."""
    obj = _with("agency_basic_data", vehicle_count=3.0)
    assert Draft202012Validator(schema_for("agency_basic_data")).is_valid(obj)
    assert not validator_for("agency_basic_data").is_valid(obj)


def test_c04_integer_bounds() -> None:
    assert_valid("agency_basic_data", _with("agency_basic_data", vehicle_count=0))
    assert_valid("agency_basic_data", _with("agency_basic_data", vehicle_count=100000))
    assert_invalid("agency_basic_data", _with("agency_basic_data", vehicle_count=-1), "vehicle_count")
    assert_invalid("agency_basic_data", _with("agency_basic_data", vehicle_count=100001), "vehicle_count")
    assert_valid("submission_envelope", ENV)  # 2^53 - 1
    assert_invalid("submission_envelope", _with("submission_envelope", record_count=2**53), "record_count")


# ---- C05 money, C13 decimals ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1234.50", "-3.00", "0.00", "-0.01", "9999999999999999.99", "-9999999999999999.99"])
def test_c05_valid_money(value: str) -> None:
    from jincai.models import PaymentVoucher

    assert_valid("payment_voucher", _with("payment_voucher", pay_amt=value))
    m = PaymentVoucher.model_validate_json(json.dumps(_with("payment_voucher", pay_amt=value)))
    assert m.pay_amt == Decimal(value) and m.pay_amt.as_tuple().exponent == -2
    assert m.model_dump(mode="json")["pay_amt"] == value


@pytest.mark.parametrize(
    "value",
    ["1234.5", "1234.500", "1234", "01.00", "00.00", "1,234.00", " 1.00", "1.00 ", "+1.00", "1.00\n", ".50", "1.",
     "10000000000000000.00", "NaN", "Infinity", "1e3", "1E+3", "", 1234.5, 1234, 0, True, None],
)
def test_c05_bad_money(value: Any) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", pay_amt=value), "pay_amt")


def test_c05_python_decimals() -> None:
    from jincai.models import PaymentVoucher

    ok = PaymentVoucher.model_validate(_with("payment_voucher", pay_amt=Decimal("1.50")))
    assert ok.pay_amt == Decimal("1.50")
    for bad in (Decimal("1.5"), Decimal("1.500"), Decimal("1E+2"), Decimal("NaN"), Decimal("Infinity"),
                Decimal("10000000000000000.00"), 1.5, 2):
        with pytest.raises(ValidationError) as info:
            PaymentVoucher.model_validate(_with("payment_voucher", pay_amt=bad))
        assert info.value.errors()[0]["type"] == "money_format"


@pytest.mark.parametrize("value", ["-0.01", "-0.00", "-1.00"])
def test_c05_minimum_zero(value: str) -> None:
    """bgt_line_amt / office_area have minimum 0.00: the pattern has no sign, so -0.00 is out too."""
    assert_invalid("agency_basic_data", _with("agency_basic_data", office_area=value), "office_area")


def test_c13_decimal_scale() -> None:
    assert_valid("agency_basic_data", _with("agency_basic_data", office_area="0.00"))
    for bad in ("12.5", "12.505", "12", 12.5):
        assert_invalid("agency_basic_data", _with("agency_basic_data", office_area=bad), "office_area")


# ---- C06 null and empty, C09 closed records -----------------------------------------------------


def test_c06_absent_and_null_are_the_same() -> None:
    from jincai.models import PaymentVoucher

    absent = _with("payment_voucher", clear_id=_ABSENT)
    null = _with("payment_voucher", clear_id=None)
    assert_valid("payment_voucher", absent)
    assert_valid("payment_voucher", null)
    assert PaymentVoucher.model_validate(absent).canonical() == PaymentVoucher.model_validate(null).canonical()


def test_c06_required_and_empty() -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name=None), "pay_acct_name")
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name=_ABSENT), "pay_acct_name")
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name=""), "pay_acct_name")
    assert_invalid("payment_voucher", _with("payment_voucher", clear_id=""), "clear_id")
    assert_valid("payment_voucher", _with("payment_voucher", use_des=""))  # empty_allowed


def test_c09_unknown_field() -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", remark="x"), "remark")
    assert_invalid("payment_voucher", _with("payment_voucher", PAY_AMT="1.00"), "PAY_AMT")


# ---- C08 lengths in characters, C14 control characters --------------------------------------------


def test_c08_lengths_count_characters() -> None:
    assert_valid("payment_voucher", _with("payment_voucher", pay_acct_name="财" * 300))
    assert_valid("payment_voucher", _with("payment_voucher", pay_acct_name="𠀀" * 300))  # astral: 1 each
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name="财" * 301), "pay_acct_name")
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name="𠀀" * 301), "pay_acct_name")


@pytest.mark.parametrize("ch", ["\n", "\r", "\t", "\x00", "\x1f", "\x7f"])
def test_c14_control_characters(ch: str) -> None:
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name=f"财政{ch}厅"), "pay_acct_name")
    assert_invalid("payment_voucher", _with("payment_voucher", pay_acct_name=f"财政厅{ch}"), "pay_acct_name")


def test_c14_other_characters_are_text() -> None:
    for value in ("  财政 厅  ", "１２３", "€¥", "\u00a0", "\u3000全角空格", "emoji 😀"):
        assert_valid("payment_voucher", _with("payment_voucher", pay_acct_name=value))


# ---- C11 identifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("unifsoc_cred_code", "91110000600037341M", "uscc-check-char"),
        ("unifsoc_cred_code", "91110000600037340L", None),  # embedded org code broken: any uscc-* code
        ("iden_no", "360426199101010072", "citizen-id-check-char"),
        ("iden_no", "360426199102300071", "citizen-id-birth-date"),
    ],
)
def test_c11_check_characters(field: str, value: str, code: str | None) -> None:
    from jincai.models import PaymentDetail

    assert_invalid("payment_detail", _with("payment_detail", **{field: value}), field)
    with pytest.raises(ValidationError) as info:
        PaymentDetail.model_validate_json(json.dumps(_with("payment_detail", **{field: value})))
    err_type = info.value.errors()[0]["type"]
    if code:
        assert err_type == code
    else:
        assert err_type.startswith("uscc-")
    assert "/" in info.value.errors()[0]["msg"]  # zh / en


def test_c11_valid_identifiers() -> None:
    assert_valid("payment_detail", _with("payment_detail", iden_no="360426199101010071"))
    assert_valid("payment_detail", _with("payment_detail", iden_no=_ABSENT, unifsoc_cred_code=None))


def test_c11_lowercase_x_is_a_pattern_error() -> None:
    assert_invalid("payment_detail", _with("payment_detail", iden_no="11010519491231002x"), "iden_no")


@given(st.text(alphabet="0123456789０１x \n", max_size=14))
def test_cnaps_pattern_is_the_whole_check(value: str) -> None:
    """The model skips check_cnaps because the pattern is exactly the check (FORMAT_ONLY_IDENTIFIERS)."""
    assert "cnaps" in FORMAT_ONLY_IDENTIFIERS
    element = standard().elements["agent_bank_code"]
    import re

    assert (re.fullmatch(element.pattern or "", value) is not None and len(value) <= (element.max_length or 0)) == check_cnaps(value).valid


def test_cnaps_in_model() -> None:
    for bad in ("10212100001", "1021210000133", "10212100001X", "１02121000013"):
        assert_invalid("payment_voucher", _with("payment_voucher", agent_bank_code=bad), "agent_bank_code")


# ---- model behaviour -----------------------------------------------------------------------------


def test_models_are_frozen_and_canonical() -> None:
    from jincai.models import PaymentVoucher

    m = PaymentVoucher.model_validate_json(json.dumps(PV))
    with pytest.raises(ValidationError):
        m.pay_amt = Decimal("1.00")  # type: ignore[misc]
    entity = standard().entity("payment_voucher")
    canonical = m.canonical()
    assert "clear_id" not in canonical
    assert record_to_json(entity, canonical) == m.model_dump(mode="json", exclude_none=True)
    assert m.model_dump(mode="json", exclude_none=True) == PV


def test_schema_patterns_are_anchored_and_guarded_without_lookaround() -> None:
    """C01 in a portable form: ``^(?:P)$`` (no look-around) plus the final-line-feed guard."""
    for entity_id in standard().entities:
        for name, prop in schema_for(entity_id)["properties"].items():
            if "pattern" in prop:
                assert prop["pattern"].startswith("^(?:") and prop["pattern"].endswith(")$"), name
                assert "(?=" not in prop["pattern"] and "(?!" not in prop["pattern"] and "(?<" not in prop["pattern"], name
                assert prop["not"] == {"type": "string", "pattern": "\\n$"}, name


def test_anchored() -> None:
    assert anchored("[0-9]") == "^(?:[0-9])$"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\udc00"])
def test_c08_lone_surrogates_are_not_text(escape: str) -> None:
    """A JSON escape can carry a lone surrogate; it is not a character. All three reject it."""
    from jincai.models import PaymentVoucher

    line = json.dumps(PV, ensure_ascii=False).replace('"河北省财政厅国库支付中心"', f'"{escape}"')
    obj = json.loads(line)
    with pytest.raises(ValidationError):  # jiter refuses the whole document (json_invalid)
        PaymentVoucher.model_validate_json(line)
    with pytest.raises(ValidationError) as info:
        PaymentVoucher.model_validate(obj)
    assert {e["loc"][0] for e in info.value.errors()} == {"pay_acct_name"}
    errors = list(validator_for("payment_voucher").iter_errors(obj))
    assert errors and {f for e in errors for f in error_fields(e)} == {"pay_acct_name"}


def test_astral_text_is_not_a_surrogate_pair_in_python() -> None:
    assert_valid("payment_voucher", _with("payment_voucher", pay_acct_name="😀𠀀"))
