"""Number and money transforms: thousands separators, accounting and red-ink negatives, yuan, 万元,
implied decimals, integers — exact, never a float."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic import Field

from jincai.adapters.transforms._helpers import _CENT, _as_text, _hint_fullwidth, _parse_decimal, _show, _text_fn, to_money
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, NoArgs, Reject, TransformDef, _Args, _register


class ThousandsArgs(_Args):
    strict: bool = Field(True, description="检查千分位分组（每组 3 位）/ check that groups have 3 digits")


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")


def _build_thousands(a: ThousandsArgs, ctx: BuildContext) -> Fn:
    strict = a.strict

    def run(s: str) -> Any:
        if "," not in s:
            return s
        t = s.strip()
        inner = t[1:-1] if t[:1] == "(" and t[-1:] == ")" else t
        if strict and _GROUPED.fullmatch(inner) is None:
            raise Reject(
                "thousands-bad-grouping",
                f"thousands：{_show(s)} 的千分位分组不正确",
                f"thousands: {_show(s)} is not grouped in thousands",
            )
        return s.replace(",", "")

    return _text_fn("thousands", run)


_register(
    TransformDef(
        "thousands",
        "去掉千分位逗号（默认检查分组正确）",
        "remove thousands separators (checking the grouping by default)",
        ThousandsArgs,
        _build_thousands,
        reasons=("thousands-bad-grouping",),
        examples=(Example("1,234,567.50", "1234567.50"), Example("12,34.00", "reject:thousands-bad-grouping")),
    )
)


def _build_paren_negative(a: NoArgs, ctx: BuildContext) -> Fn:
    def run(s: str) -> Any:
        t = s.strip()
        if t[:1] in ("(", "（") and t[-1:] in (")", "）"):
            inner = t[1:-1].strip()
            if inner[:1] in ("-", "+"):
                raise Reject(
                    "paren-negative-signed",
                    f"paren_negative：括号内已有符号 {_show(s)}",
                    f"paren_negative: a sign inside the parentheses {_show(s)}",
                )
            return "-" + inner
        return s

    return _text_fn("paren_negative", run)


_register(
    TransformDef(
        "paren_negative",
        "会计括号负数：(1,234.50) → -1,234.50",
        "accounting negatives: (1,234.50) → -1,234.50",
        NoArgs,
        _build_paren_negative,
        reasons=("paren-negative-signed",),
        examples=(Example("(1,234.50)", "-1,234.50"), Example("1,234.50", "1,234.50")),
    )
)


class RedInkArgs(_Args):
    markers: list[str] = Field(
        default_factory=lambda: ["红字", "红", "1", "Y", "y", "是", "R", "-"],
        description="标志列中表示红字（负数）的值 / marker-column values meaning red ink (negative)",
    )
    prefixes: list[str] = Field(
        default_factory=lambda: ["红字", "红"], description="金额前的红字前缀 / red-ink prefixes written before the amount"
    )


def _negate_text(t: str, raw: Any) -> str:
    t = t.strip()
    if t.startswith("-"):
        raise Reject(
            "red-ink-already-negative",
            f"red_ink：红字金额本身已是负数 {_show(raw)}",
            f"red_ink: a red-ink amount is already negative {_show(raw)}",
        )
    return "-" + t.lstrip("+")


def _build_red_ink(a: RedInkArgs, ctx: BuildContext) -> Fn:
    markers = frozenset(a.markers)
    prefixes = tuple(sorted(a.prefixes, key=len, reverse=True))

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, tuple):
            if len(value) != 2:
                raise Reject(
                    "red-ink-columns",
                    "red_ink：需要两列（金额, 红字标志）",
                    "red_ink: needs two columns (amount, red-ink marker)",
                )
            amount, marker = value
            if amount is None:
                return None
            text = _as_text(amount, "red_ink")
            m = marker.strip() if isinstance(marker, str) else marker
            if m is None or m == "" or m is False or m == 0:
                return text
            if (str(m) if not isinstance(m, str) else m) in markers or m is True:
                return _negate_text(text, value)
            raise Reject(
                "red-ink-marker",
                f"red_ink：红字标志 {_show(marker)} 不认识（已知：{'、'.join(sorted(markers))}）",
                f"red_ink: unknown red-ink marker {_show(marker)} (known: {', '.join(sorted(markers))})",
            )
        text = _as_text(value, "red_ink")
        t = text.strip()
        for p in prefixes:
            if t.startswith(p):
                return _negate_text(t[len(p) :], value)
        return text

    return run


_register(
    TransformDef(
        "red_ink",
        "红字（负数）：金额前缀“红字”，或与标志列一起 from: [金额, 红字标志]",
        "red ink (negative): a 红字 prefix on the amount, or with a marker column from: [amount, marker]",
        RedInkArgs,
        _build_red_ink,
        multi=True,
        reasons=("red-ink-marker", "red-ink-already-negative", "red-ink-columns"),
        examples=(Example("红字1234.50", "-1234.50"), Example(("1234.50", "红字"), "-1234.50"), Example(("1234.50", ""), "1234.50")),
    )
)


class MoneyArgs(_Args):
    pass


def _build_money(a: MoneyArgs, ctx: BuildContext) -> Fn:
    fullmatch = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?").fullmatch

    def run(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is str:
            t = value.strip()
            if fullmatch(t) is not None:  # fast path: the usual case
                if t.startswith("-0") and t.lstrip("-0.") == "":
                    t = t[1:]
                d = Decimal(t)
                return d if d.as_tuple().exponent == -2 else d.quantize(_CENT)
        return to_money(_parse_decimal(value, "money"), "money", value)

    return run


_register(
    TransformDef(
        "money",
        "文本 → 金额（元，恰好两位小数）；三位及以上小数拒绝，绝不四舍五入；不接受千分位（先用 thousands）",
        "text → money (yuan, exactly two decimals); three or more decimals are rejected, never rounded; "
        "no thousands separators (use thousands first)",
        MoneyArgs,
        _build_money,
        reasons=("money-too-many-decimals", "money-not-a-number", "scientific-notation", "money-out-of-range"),
        examples=(Example("1234.5", "1234.50"), Example("-3", "-3.00"), Example("1234.567", "reject:money-too-many-decimals")),
    )
)


class WanYuanArgs(_Args):
    pass


_TEN_THOUSAND = Decimal(10000)


def _build_wan_yuan(a: WanYuanArgs, ctx: BuildContext) -> Fn:
    def run(value: Any) -> Any:
        if value is None:
            return None
        d = _parse_decimal(value, "wan_yuan")
        return to_money(d * _TEN_THOUSAND, "wan_yuan", value)

    return run


_register(
    TransformDef(
        "wan_yuan",
        "万元 → 元，精确 ×10000；结果超过两位小数（原值超过 6 位小数）则拒绝，不四舍五入",
        "万元 (ten thousand yuan) → yuan, exactly ×10000; a result with more than two decimals (more "
        "than six in 万元) is rejected, not rounded",
        WanYuanArgs,
        _build_wan_yuan,
        reasons=("wan-yuan-too-many-decimals", "wan-yuan-not-a-number", "scientific-notation"),
        examples=(Example("12.345678", "123456.78"), Example("0.0000001", "reject:wan-yuan-too-many-decimals")),
    )
)


class ImpliedDecimalArgs(_Args):
    places: int = Field(2, ge=0, le=6, description="隐含的小数位数（分为单位时为 2）/ implied decimal places (2 for fen)")


def _build_implied(a: ImpliedDecimalArgs, ctx: BuildContext) -> Fn:
    scale = Decimal(1).scaleb(-a.places)
    digits = re.compile(r"[+-]?[0-9]+").fullmatch

    def run(s: str) -> Any:
        t = s.strip()
        if digits(t) is None:
            zh, en = _hint_fullwidth(t)
            raise Reject(
                "implied-decimal-not-digits",
                f"implied_decimal：{_show(s)} 应为整数数字串{zh}",
                f"implied_decimal: {_show(s)} should be a string of digits{en}",
            )
        return Decimal(int(t)) * scale

    return _text_fn("implied_decimal", run)


_register(
    TransformDef(
        "implied_decimal",
        "隐含小数点的整数（如以分为单位、左补零的银行金额 000000523450 → 5234.50）",
        "an integer with an implied decimal point (e.g. a bank amount in fen, zero-filled: 000000523450 → 5234.50)",
        ImpliedDecimalArgs,
        _build_implied,
        shorthand="places",
        reasons=("implied-decimal-not-digits",),
        examples=(Example("000000523450", "5234.50"), Example("-00012", "-0.12")),
    )
)


class IntegerArgs(_Args):
    pass


def _build_integer(a: IntegerArgs, ctx: BuildContext) -> Fn:
    digits = re.compile(r"[+-]?[0-9]+").fullmatch

    def run(value: Any) -> Any:
        if value is None or (type(value) is int):
            return value
        if isinstance(value, bool):
            raise Reject("integer-invalid", "integer：布尔值不是整数", "integer: a boolean is not an integer")
        if isinstance(value, (float, Decimal)):
            if value == int(value):
                return int(value)
            raise Reject("integer-invalid", f"integer：{_show(value)} 不是整数", f"integer: {_show(value)} is not an integer")
        t = _as_text(value, "integer").strip()
        if digits(t) is None:
            zh, en = _hint_fullwidth(t)
            if re.fullmatch(r"[+-]?[0-9]+\.0+", t):
                return int(t.split(".")[0])
            raise Reject("integer-invalid", f"integer：{_show(t)} 不是整数{zh}", f"integer: {_show(t)} is not an integer{en}")
        return int(t)

    return run


_register(
    TransformDef(
        "integer",
        "文本 → 整数（12.0 这种写法也接受；12.5 拒绝）",
        "text → integer (12.0 is accepted; 12.5 is rejected)",
        IntegerArgs,
        _build_integer,
        reasons=("integer-invalid",),
        examples=(Example("03", 3), Example("12.5", "reject:integer-invalid")),
    )
)


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "implied-decimal-not-digits": ("隐含小数的金额不是数字串", "implied-decimal amount is not digits"),
        "integer-invalid": ("不是整数", "not an integer"),
        "money-not-a-number": ("金额不是数字", "amount is not a number"),
        "money-out-of-range": ("金额超出范围", "amount out of range"),
        "money-too-many-decimals": ("金额超过两位小数（不四舍五入）", "amount with more than two decimals (never rounded)"),
        "paren-negative-signed": ("括号负数内又有符号", "sign inside accounting parentheses"),
        "red-ink-already-negative": ("红字金额本身已是负数", "red-ink amount already negative"),
        "red-ink-columns": ("红字需要金额和标志两列", "red ink needs amount and marker columns"),
        "red-ink-marker": ("红字标志不认识", "unknown red-ink marker"),
        "scientific-notation": ("长数字（账号、代码、金额）被 Excel 改成了科学计数法或小数", "a long number (account, code, amount) mangled by Excel into scientific notation or a float"),
        "thousands-bad-grouping": ("千分位分组不正确", "bad thousands grouping"),
        "wan-yuan-not-a-number": ("万元金额不是数字", "万元 amount is not a number"),
        "wan-yuan-too-many-decimals": ("万元换算为元后超过两位小数", "万元 amount has more than two decimals in yuan"),
    }
)
