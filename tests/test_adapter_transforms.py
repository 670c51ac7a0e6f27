"""Transforms: exact, never rounding, never guessing; every failure a rejection with a stable code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jincai.adapters import transforms as T
from jincai.adapters.transforms import Reject, apply

HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "


def _reject(name, value, args=None) -> str:
    with pytest.raises(Reject) as e:
        apply(name, value, args)
    assert e.value.zh and e.value.en and e.value.zh != e.value.en
    return e.value.code


def to_full(s: str) -> str:
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) for c in s)


# ---- every documented example holds ---------------------------------------------------------


@pytest.mark.parametrize("d, ex", [(d, ex) for d in T.REGISTRY.values() for ex in d.examples], ids=lambda x: getattr(x, "name", ""))
def test_documented_examples(d, ex):
    if isinstance(ex.output, str) and ex.output.startswith("reject:"):
        assert _reject(d.name, ex.input, ex.args) == ex.output[7:]
        return
    out = apply(d.name, ex.input, ex.args)
    assert (out.isoformat() if hasattr(out, "isoformat") else (format(out, "f") if isinstance(out, Decimal) else out)) == ex.output


def test_every_reason_code_is_catalogued():
    for d in T.REGISTRY.values():
        for code in d.reasons:
            assert code in T.REASONS, code
    for code in T.REASONS:
        assert code == code.lower() and "_" not in code


# ---- full-width ↔ half-width ----------------------------------------------------------------


@given(st.text(alphabet=HALF, max_size=40))
def test_fullwidth_round_trip(s):
    assert apply("fullwidth_to_halfwidth", to_full(s)) == s
    assert apply("fullwidth_to_halfwidth", s) == s


def test_fullwidth_punctuation():
    assert apply("fullwidth_to_halfwidth", "（－１，２３４．５０）") == "(-1,234.50)"
    assert apply("fullwidth_to_halfwidth", "２０２４。５", {"ideographic_period": True}) == "2024.5"
    assert apply("fullwidth_to_halfwidth", "行政运行") == "行政运行"


# ---- money ----------------------------------------------------------------------------------


@given(st.integers(-10**16 + 1, 10**16 - 1), st.integers(2, 6))
def test_wan_yuan_is_exact(n, decimals):
    wan = Decimal(n).scaleb(-decimals)
    text = format(wan, "f")
    expected = wan * 10000
    if expected == expected.quantize(Decimal("0.01")):
        out = apply("wan_yuan", text)
        assert out == expected and out.as_tuple().exponent == -2
    else:
        assert _reject("wan_yuan", text) == "wan-yuan-too-many-decimals"


@given(st.integers(-10**12, 10**12))
def test_wan_yuan_six_decimals_always_fit(micro):
    wan = Decimal(micro).scaleb(-6)
    assert apply("wan_yuan", format(wan, "f")) == Decimal(micro).scaleb(-2)


@given(st.integers(-10**12, 10**12))
def test_money_thousands_parens(fen):
    amount = Decimal(fen).scaleb(-2)
    grouped = f"{abs(amount):,.2f}"
    text = f"({grouped})" if fen < 0 else grouped
    chain = T.compile_chain(["trim", "paren_negative", "thousands", "money"], T.BuildContext())
    out = chain(f" {text} ")
    assert out == amount and out.as_tuple().exponent == -2


@pytest.mark.parametrize("text", ["1234.567", "0.001", "-3.141"])
def test_money_never_rounds(text):
    assert _reject("money", text) == "money-too-many-decimals"


@pytest.mark.parametrize("text, out", [("12.340", "12.34"), ("-0", "0.00"), ("-0.00", "0.00"), ("+5", "5.00"), (".5", "0.50"), ("007", "7.00")])
def test_money_exact_values(text, out):
    assert format(apply("money", text), "f") == out


@pytest.mark.parametrize("value, code", [("1,234.5", "money-not-a-number"), ("１２３", "money-not-a-number"), ("6.22E+18", "scientific-notation"), ("abc", "money-not-a-number"), (1.0e20, "scientific-notation")])
def test_money_rejections(value, code):
    assert _reject("money", value) == code


def test_money_from_native_cells():
    assert apply("money", 12) == Decimal("12.00")
    assert apply("money", 0.1) == Decimal("0.10")
    assert apply("money", Decimal("3.5")) == Decimal("3.50")
    assert _reject("money", 0.1 + 0.2) == "money-too-many-decimals"


def test_fullwidth_hint():
    with pytest.raises(Reject) as e:
        apply("money", "１２３．４５")
    assert "fullwidth_to_halfwidth" in e.value.en


def test_thousands_grouping_is_checked():
    assert _reject("thousands", "1,23,4.00") == "thousands-bad-grouping"
    assert apply("thousands", "1,23,4.00", {"strict": False}) == "1234.00"


def test_paren_and_red_ink():
    assert apply("paren_negative", "（1,234.50）") == "-1,234.50"
    assert _reject("paren_negative", "(-5)") == "paren-negative-signed"
    assert apply("red_ink", ("12.00", "红字")) == "-12.00"
    assert apply("red_ink", ("12.00", None)) == "12.00"
    assert apply("red_ink", ("12.00", True)) == "-12.00"
    assert _reject("red_ink", ("12.00", "蓝")) == "red-ink-marker"
    assert _reject("red_ink", ("-12.00", "红字")) == "red-ink-already-negative"
    assert apply("red_ink", "红字1,200.00") == "-1,200.00"


def test_implied_decimal():
    assert apply("implied_decimal", "000000523450") == Decimal("5234.50")
    assert apply("implied_decimal", "5", {"places": 0}) == Decimal("5")
    assert _reject("implied_decimal", "12.34") == "implied-decimal-not-digits"


# ---- dates ----------------------------------------------------------------------------------


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_excel_serial_1900_matches_datetime(d):
    serial = (d - date(1899, 12, 30)).days  # what Excel stores after its fictitious 1900-02-29
    assert apply("excel_serial_date", serial) == d
    assert apply("excel_serial_date", float(serial)) == d
    assert apply("excel_serial_date", str(serial)) == d
    assert T.date_to_excel_serial(d) == serial


@given(st.dates(min_value=date(1904, 1, 1), max_value=date(9999, 12, 31)))
def test_excel_serial_1904(d):
    assert apply("excel_serial_date", (d - date(1904, 1, 1)).days, 1904) == d


def test_excel_serial_edges():
    assert apply("excel_serial_date", 1) == date(1900, 1, 1)
    assert apply("excel_serial_date", 59) == date(1900, 2, 28)
    assert _reject("excel_serial_date", 60) == "excel-date-invalid"  # Excel's 1900-02-29
    assert apply("excel_serial_date", 61) == date(1900, 3, 1)
    assert _reject("excel_serial_date", 0) == "excel-date-invalid"
    assert _reject("excel_serial_date", 39146.5) == "excel-date-has-time"
    assert apply("excel_serial_date", 39146.5, {"allow_time": True}) == date(2007, 3, 5)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_chinese_dates(d):
    assert apply("chinese_date", f"{d.year}年{d.month}月{d.day}日") == d
    assert apply("chinese_date", f"{d.year}年{d.month:02d}月{d.day:02d}日") == d


def test_chinese_numerals():
    assert apply("chinese_date", "二〇〇七年三月五日") == date(2007, 3, 5)
    assert apply("chinese_date", "二〇二四年十二月三十一日") == date(2024, 12, 31)
    assert apply("chinese_date", "二〇二四年十月二十日") == date(2024, 10, 20)
    assert _reject("chinese_date", "2007年2月30日") == "date-not-in-calendar"
    assert _reject("chinese_date", "2007-03-05") == "chinese-date-invalid"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_date_format_round_trip(d):
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        assert apply("date_format", d.strftime(fmt).zfill(len(d.strftime(fmt))), fmt) == d


def test_date_format_is_not_lenient():
    assert apply("date_format", "2007/3/5", "%Y/%m/%d") == date(2007, 3, 5)
    assert _reject("date_format", "2007135", "%Y%m%d") == "date-format-mismatch"
    assert _reject("date_format", "20070230", "%Y%m%d") == "date-not-in-calendar"
    assert apply("date_format", "2007-03-05 10:22:33", "%Y-%m-%d %H:%M:%S") == date(2007, 3, 5)
    out = apply("datetime_format", "2007-03-05 10:22:33", "%Y-%m-%d %H:%M:%S")
    assert out.isoformat() == "2007-03-05T10:22:33+08:00"


def test_bad_date_format_is_a_profile_error():
    with pytest.raises(T.TransformSpecError):
        T.parse_item({"date_format": "%d.%m.%y"})


# ---- codes ----------------------------------------------------------------------------------


def test_split_code_name():
    assert apply("split_code_name", "2010101 行政运行") == "2010101"
    assert apply("split_code_name", "2010101行政运行", "name") == "行政运行"
    assert apply("split_code_name", "【2010101】行政运行") == "2010101"
    assert apply("split_code_name", "201-01 x") == "201-01"
    assert _reject("split_code_name", "行政运行") == "split-code-name-no-code"


def test_guards_never_repair():
    assert _reject("scientific_notation_guard", "6.22E+18") == "scientific-notation"
    assert _reject("scientific_notation_guard", "6222021234567890000.0") == "scientific-notation"
    assert _reject("scientific_notation_guard", 6.222021234567891e18) == "scientific-notation"
    assert apply("scientific_notation_guard", 622202123456789.0) == "622202123456789"
    assert _reject("leading_zero_guard", "1234", 6) == "leading-zeros-lost"
    assert _reject("leading_zero_guard", 1234, 6) == "leading-zeros-lost"
    assert _reject("leading_zero_guard", "12345678", 6) == "code-too-long"
    assert apply("leading_zero_guard", "20101", {"lengths": [3, 5, 7]}) == "20101"
    assert _reject("leading_zero_guard", "2010", {"lengths": [3, 5, 7]}) == "leading-zeros-lost"
    assert _reject("length_check", "622202", [16, 19]) == "length-mismatch"


def test_pad_left_needs_a_declaration():
    with pytest.raises(T.TransformSpecError):
        T.parse_item({"pad_left": {"width": 6}})
    with pytest.raises(T.TransformSpecError):
        T.parse_item({"pad_left": {"width": 6, "source_is_fixed_length": False, "basis": "文档第三节"}})
    assert apply("pad_left", "123", {"width": 6, "source_is_fixed_length": True, "basis": "接口规范 3.2 节"}) == "000123"
    assert _reject("pad_left", "1234567", {"width": 6, "source_is_fixed_length": True, "basis": "接口规范 3.2 节"}) == "pad-left-too-long"


def test_map_and_crosswalk(tmp_path: Path):
    assert apply("map", "ZJ", {"values": {"ZJ": "1"}}) == "1"
    assert _reject("map", "XX", {"values": {"ZJ": "1"}}) == "map-unmapped"
    assert apply("map", "XX", {"values": {"ZJ": "1"}, "default": "9"}) == "9"
    cw = tmp_path / "cw.csv"
    cw.write_text("from,to,note\n270101,2010101,\n270109,,拆分\n", encoding="utf-8-sig")
    ctx = T.BuildContext(crosswalks={"old": T.Crosswalk.from_bytes("old", cw, cw.read_bytes())})
    fn = T.compile_chain([{"crosswalk": "old"}], ctx)
    assert fn("270101") == "2010101"
    for value, code in (("279999", "crosswalk-unmapped"), ("270109", "crosswalk-ambiguous")):
        with pytest.raises(Reject) as e:
            fn(value)
        assert e.value.code == code
    bad = tmp_path / "bad.csv"
    bad.write_text("from,to\n1,2\n1,3\n", encoding="utf-8")
    from jincai.errors import JincaiError

    with pytest.raises(JincaiError):
        T.Crosswalk.from_bytes("bad", bad, bad.read_bytes())


def test_derive_gov_eco_uses_the_code_lists():
    class Reg:
        def dep_to_gov(self, dep, year):
            return {"30101": "50101"}.get(dep)

    fn = T.compile_chain(["derive_gov_eco"], T.BuildContext(registry_factory=Reg))
    assert fn(("30101", "2024")) == "50101"
    with pytest.raises(Reject) as e:
        fn(("39999", "2024"))
    assert e.value.code == "gov-eco-unmapped"


def test_derive_gov_eco_with_the_shipped_code_lists():
    from jincai.codelists import registry

    reg = registry()
    fn = T.compile_chain(["derive_gov_eco"], T.BuildContext())
    expected = reg.dep_to_gov("30101", 2024)
    assert expected and fn(("30101", "2024")) == expected


def test_trim_null_if_upper_slice_join_integer():
    assert apply("trim", "\u3000 a \t") == "a"
    assert apply("trim", "\x1fa") == "\x1fa"  # a control character is data, rejected later (C14)
    assert apply("null_if", " - ", ["-"]) is None
    assert apply("upper", "x") == "X"
    assert apply("slice", "202403", {"start": 4, "end": 6}) == "03"
    assert _reject("slice", "2024", {"start": 4, "end": 6}) == "slice-too-short"
    assert apply("join", ("a", "b"), "-") == "a-b"
    assert apply("join", ("a", None), "-") is None
    assert apply("integer", " 03 ") == 3
    assert apply("integer", "12.00") == 12
    assert _reject("integer", "１２") == "integer-invalid"


def test_unexpected_input_types_are_rejections_not_crashes():
    for name in ("money", "trim", "upper", "integer", "split_code_name", "chinese_date", "date_format"):
        args = "%Y%m%d" if name == "date_format" else None
        try:
            apply(name, object(), args)
        except Reject:
            pass
