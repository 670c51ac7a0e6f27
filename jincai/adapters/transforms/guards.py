"""Guards on identifiers and account numbers: what Excel's scientific notation, lost leading zeros
or truncation did to a value is rejected, never repaired."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic import Field

from jincai.adapters.transforms._helpers import _as_text, _show, _text_fn
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, Reject, TransformDef, _Args, _register


class ScientificGuardArgs(_Args):
    pass


_SCI = re.compile(r"\s*[+-]?[0-9]*\.?[0-9]+\s*[eE]\s*[+-]?[0-9]+\s*")
_FLOATISH = re.compile(r"\s*[0-9]+\.[0-9]+\s*")


def _sci_texts(ctx: BuildContext) -> tuple[str, str]:
    """The reason names the field the guard protects (an account, a credit code, an agency code…)."""
    if ctx.field:
        return f"{ctx.field} 的值被 Excel 改成了科学计数法或小数，原值已丢失", f"the value of {ctx.field} was mangled by Excel into scientific notation or a float; the original is lost"
    return "值被 Excel 改成了科学计数法或小数，原值已丢失", "value mangled by Excel into scientific notation or a float; the original is lost"


def _build_sci_guard(a: ScientificGuardArgs, ctx: BuildContext) -> Fn:
    sci_zh, sci_en = _sci_texts(ctx)

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            if value != value or abs(value) >= 1e15 or value != int(value):
                raise Reject("scientific-notation", f"{sci_zh}：{_show(value)}", f"{sci_en}: {_show(value)}")
            return str(int(value))
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            if value != value.to_integral_value() or value.as_tuple().exponent != 0:
                raise Reject("scientific-notation", f"{sci_zh}：{_show(value)}", f"{sci_en}: {_show(value)}")
            return str(value)
        s = _as_text(value, "scientific_notation_guard")
        if _SCI.fullmatch(s) or _FLOATISH.fullmatch(s):
            raise Reject("scientific-notation", f"{sci_zh}：{_show(s)}", f"{sci_en}: {_show(s)}")
        return s

    return run


_register(
    TransformDef(
        "scientific_notation_guard",
        "拒绝被 Excel 改成科学计数法或浮点形式的账号/代码（6.22E+18、6222021234567890000.0）；绝不尝试恢复",
        "reject account numbers or codes that Excel turned into scientific notation or a float "
        "(6.22E+18, 6222021234567890000.0); never tries to recover them",
        ScientificGuardArgs,
        _build_sci_guard,
        reasons=("scientific-notation",),
        examples=(Example("6.22E+18", "reject:scientific-notation"), Example("6222021234567890123", "6222021234567890123")),
    )
)


class LeadingZeroArgs(_Args):
    length: int | None = Field(None, ge=1, description="代码应有的长度 / the code's expected length")
    lengths: list[int] | None = Field(None, description="允许的几种长度（如科目 3/5/7 位）/ allowed lengths (e.g. 3/5/7)")


def _build_lz_guard(a: LeadingZeroArgs, ctx: BuildContext) -> Fn:
    allowed = sorted(set(a.lengths or []) | ({a.length} if a.length else set()))
    if not allowed:
        raise ValueError("leading_zero_guard needs length or lengths")
    shortest = allowed[0]
    allowed_set = frozenset(allowed)
    expect = "/".join(str(n) for n in allowed)
    sci_zh, sci_en = _sci_texts(ctx)

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            if value != int(value) or abs(value) >= 1e15:
                raise Reject("scientific-notation", f"{sci_zh}：{_show(value)}", f"{sci_en}: {_show(value)}")
            s = str(int(value))
        else:
            s = value if type(value) is str else _as_text(value, "leading_zero_guard")
        n = len(s)
        if n in allowed_set:
            return s
        if n < shortest or n not in allowed_set and any(n < k for k in allowed):
            raise Reject(
                "leading-zeros-lost",
                f"前导零丢失：{_show(s)} 只有 {n} 位，应为 {expect} 位（不会自动补零）",
                f"leading zeros lost: {_show(s)} has {n} characters, expected {expect} (it is not padded automatically)",
            )
        raise Reject(
            "code-too-long",
            f"代码 {_show(s)} 有 {n} 位，应为 {expect} 位",
            f"the code {_show(s)} has {n} characters, expected {expect}",
        )

    return run


_register(
    TransformDef(
        "leading_zero_guard",
        "代码长度已知而到达时变短（如 Excel 把 001234 变成 1234）→ 拒绝“前导零丢失”",
        "a code whose length is known arrived shorter (e.g. Excel turned 001234 into 1234) → rejected 'leading zeros lost'",
        LeadingZeroArgs,
        _build_lz_guard,
        shorthand="length",
        reasons=("leading-zeros-lost", "code-too-long", "scientific-notation"),
        examples=(Example("1234", "reject:leading-zeros-lost", 6), Example("001234", "001234", 6)),
    )
)


class LengthCheckArgs(_Args):
    lengths: list[int] = Field(min_length=1, description="允许的长度（字符数）/ allowed lengths in characters")


def _build_length_check(a: LengthCheckArgs, ctx: BuildContext) -> Fn:
    allowed = frozenset(a.lengths)
    expect = "/".join(str(n) for n in sorted(allowed))

    def run(s: str) -> Any:
        n = len(s)
        if n in allowed:
            return s
        if n < min(allowed):
            zh, en = "（可能被截断）", " (truncated?)"
        else:
            zh, en = "", ""
        raise Reject(
            "length-mismatch",
            f"长度 {n} 不符，应为 {expect} 位{zh}",
            f"length {n} does not match, expected {expect}{en}",
        )

    return _text_fn("length_check", run)


_register(
    TransformDef(
        "length_check",
        "值的长度必须是声明的几种之一（如某银行的个人账号为 19 位）；不符即拒绝（如被截断的账号）",
        "the value's length must be one of those declared (e.g. a bank's personal accounts have 19 digits); "
        "otherwise rejected (e.g. a truncated account number)",
        LengthCheckArgs,
        _build_length_check,
        shorthand="lengths",
        reasons=("length-mismatch",),
        examples=(Example("6222021234", "reject:length-mismatch", [19]), Example("6222021234567890123", "6222021234567890123", [19])),
    )
)


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "code-too-long": ("代码比应有长度长", "code longer than expected"),
        "leading-zeros-lost": ("前导零丢失", "leading zeros lost"),
        "length-mismatch": ("长度不符（可能被截断）", "length does not match (truncated?)"),
    }
)
