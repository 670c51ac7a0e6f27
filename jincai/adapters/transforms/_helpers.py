"""Helpers shared by the transform families: reading a value as text or as a decimal, showing it in
a reason, and making exact money."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from jincai.adapters.transforms._registry import Fn, Reject


_FULLWIDTH_DIGITS = re.compile("[\uff10-\uff19\uff0c\uff0e\uff0d\uff08\uff09\u3000]")


def _hint_fullwidth(text: str) -> tuple[str, str]:
    if _FULLWIDTH_DIGITS.search(text):
        return (
            "（含全角字符，请在转换链中先加 fullwidth_to_halfwidth）",
            " (it contains full-width characters: put fullwidth_to_halfwidth earlier in the chain)",
        )
    return ("", "")


def _k(name: str) -> str:
    """A transform name as the start of a kebab-case reason code."""
    return name.replace("_", "-")


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _as_text(value: Any, name: str) -> str:
    """A scalar cell value as text, for transforms that work on text (numbers are formatted
    exactly; floats with repr, which is exact for what Excel stores)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise Reject(f"{_k(name)}-type", f"{name}：不接受布尔值 {value}", f"{name}: a boolean {value} is not accepted")
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        raise Reject(
            f"{_k(name)}-type",
            f"{name}：只接受一列，实为 {len(value)} 列（多列请先用 join 等合并）",
            f"{name}: takes one column, got {len(value)} (combine them first, e.g. with join)",
        )
    raise Reject(
        f"{_k(name)}-type",
        f"{name}：不接受 {type(value).__name__} 类型的值 {_show(value)}",
        f"{name}: a {type(value).__name__} value {_show(value)} is not accepted",
    )


_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _parse_decimal(value: Any, name: str) -> Decimal:
    """Text or a number → Decimal, exactly (no thousands separators, no exponent)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise Reject(f"{_k(name)}-not-a-number", f"{name}：{value} 不是有限数", f"{name}: {value} is not a finite number")
        return value
    if isinstance(value, bool):
        raise Reject(f"{_k(name)}-not-a-number", f"{name}：布尔值不是数", f"{name}: a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Reject(f"{_k(name)}-not-a-number", f"{name}：{value} 不是有限数", f"{name}: {value} is not a finite number")
        text = repr(value)
        if "e" in text or "E" in text:
            raise Reject(
                "scientific-notation",
                f"{name}：数值 {text} 是科学计数法，可能已失去精度",
                f"{name}: {text} is in scientific notation and may have lost precision",
            )
        return Decimal(text)
    text = _as_text(value, name).strip()
    if _NUMBER_TEXT.fullmatch(text) is None:
        zh, en = _hint_fullwidth(text)
        if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", text):
            raise Reject(
                "scientific-notation",
                f"{name}：{_show(text)} 是科学计数法，可能已被 Excel 截断精度",
                f"{name}: {_show(text)} is in scientific notation and may have been truncated by Excel",
            )
        raise Reject(
            f"{_k(name)}-not-a-number",
            f"{name}：{_show(text)} 不是数字{zh}",
            f"{name}: {_show(text)} is not a number{en}",
        )
    return Decimal(text)


_CENT = Decimal("0.01")


def to_money(value: Decimal, name: str, raw: Any) -> Decimal:
    """Exactly two decimals, or a ``Reject`` — never rounded. ``12.340`` is accepted (it is
    exactly 12.34); ``12.345`` is not."""
    try:
        q = value.quantize(_CENT)
    except InvalidOperation:
        raise Reject(f"{_k(name)}-out-of-range", f"{name}：{_show(raw)} 超出金额范围", f"{name}: {_show(raw)} is out of range") from None
    if q != value:
        raise Reject(
            f"{_k(name)}-too-many-decimals",
            f"{name}：{_show(raw)} 超过两位小数（金额精确到分，不做四舍五入）",
            f"{name}: {_show(raw)} has more than two decimals (money is exact to the fen and is never rounded)",
        )
    if q == 0 and q.is_signed():
        q = abs(q)  # -0.00 → 0.00
    return q


def _text_fn(name: str, fn: Callable[[str], Any]) -> Fn:
    def run(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is str:
            return fn(value)
        return fn(_as_text(value, name))

    return run
