"""Named, pure transforms on raw legacy values (the ``transform:`` chains of a mapping profile).

A profile writes a chain per canonical field::

    gross_amt: {from: 应发金额, transform: [trim, fullwidth_to_halfwidth, thousands, money]}
    dep_code:  {from: 科目, transform: [{split_code_name: code}, {crosswalk: pre2007}]}

Each item is a transform name, or a one-key mapping ``{name: args}`` where ``args`` is a mapping of
the transform's arguments or, for transforms with a *shorthand* argument, a single scalar
(``{date_format: "%Y%m%d"}`` = ``{date_format: {format: "%Y%m%d"}}``).

Every transform is compiled once per profile (``compile_chain``) into a plain function
``value -> value``. A value that cannot be translated raises ``Reject`` with a stable reason code
and a reason in Chinese and English: the engine turns it into a rejected row, so no exception
escapes and nothing is "repaired" by guessing (a lost leading zero or an account number mangled by
Excel's scientific notation is rejected, never reconstructed). ``None`` (an empty cell) passes
through every transform unchanged except ``constant``; whether a field may be empty is decided by
the standard (required fields) at the end of the chain.

Values that arrive are ``str`` for text formats and native cell values (``int``, ``float``,
``Decimal``, ``date``, ``datetime``, ``bool``) for Excel and DBF; multi-column mappings
(``from: [a, b]``, ``derive: [x, y]``) pass a ``tuple``.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jincai.errors import JincaiError

Fn = Callable[[Any], Any]


class Reject(Exception):
    """A value that cannot be translated: a stable reason code and a reason in zh and en."""

    __slots__ = ("code", "zh", "en")

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(code)
        self.code = code
        self.zh = zh
        self.en = en

    def __repr__(self) -> str:
        return f"Reject({self.code!r}, {self.zh!r}, {self.en!r})"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(_Args):
    pass


@dataclass(frozen=True)
class Example:
    input: Any
    output: Any  # a value, or "reject:<code>"
    args: Any = None


@dataclass(frozen=True)
class TransformDef:
    name: str
    summary_zh: str
    summary_en: str
    args: type[_Args]
    build: Callable[[Any, "BuildContext"], Fn]
    shorthand: str | None = None  # the argument a scalar ``{name: value}`` fills
    multi: bool = False  # takes a tuple (from: [a, b] / derive: [x, y])
    reasons: tuple[str, ...] = ()  # reason codes it can reject with
    examples: tuple[Example, ...] = ()
    arity: Callable[[Any], int | None] | None = None  # inputs its arguments require (checked when the profile loads)


@dataclass
class BuildContext:
    """What a transform may need when it is compiled: crosswalk tables (already loaded), the profile
    folder, and lazily the code-list registry."""

    crosswalks: dict[str, "Crosswalk"] = field(default_factory=dict)
    profile_dir: Path | None = None
    registry_factory: Callable[[], Any] | None = None
    #: the canonical field the chain is compiled for (named in reasons; None outside a target)
    field: str | None = None

    def registry(self) -> Any:
        if self.registry_factory is not None:
            return self.registry_factory()
        from jincai import codelists  # owned by the code-list helper

        return codelists.registry()


REGISTRY: dict[str, TransformDef] = {}


def _register(d: TransformDef) -> None:
    REGISTRY[d.name] = d


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# text clean-up
# ---------------------------------------------------------------------------------------------


#: whitespace as ``trim``, the filters and ``when`` strip it: Unicode whitespace (what ``str.strip()``
#: strips) except the four ASCII separators U+001C–U+001F, which are control characters (C14). The
#: same set as Rust's ``char::is_whitespace``, so the columnar path strips exactly the same.
WS = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in "\x1c\x1d\x1e\x1f")


class TrimArgs(_Args):
    chars: str | None = Field(None, description="要去掉的字符（默认空白，含全角空格 U+3000）/ characters to strip (default whitespace incl. U+3000)")
    empty_is_null: bool = Field(True, description="去空白后为空视为空值 / an empty result is an empty cell (null)")


def _build_trim(a: TrimArgs, ctx: BuildContext) -> Fn:
    chars = a.chars
    empty_null = a.empty_is_null

    def run(value: Any) -> Any:
        if type(value) is not str:
            return value
        out = value.strip(chars if chars is not None else WS)
        if not out and empty_null:
            return None
        return out

    return run


_register(
    TransformDef(
        "trim",
        "去掉首尾空白（含全角空格）；结果为空则视为空值",
        "strip leading/trailing whitespace (full-width space included); an empty result is null",
        TrimArgs,
        _build_trim,
        shorthand="chars",
        examples=(Example("  行政运行\u3000", "行政运行"), Example("   ", None)),
    )
)

_FW_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW_TABLE[0x3000] = 0x20  # ideographic space
_FW_TABLE[0x2212] = 0x2D  # minus sign
_FW_TABLE[0xFE63] = 0x2D  # small hyphen-minus


class FullwidthArgs(_Args):
    ideographic_period: bool = Field(
        False, description="也把句号 。 当作小数点 . / also turn the ideographic full stop 。 into . (only for amounts)"
    )


def _build_fullwidth(a: FullwidthArgs, ctx: BuildContext) -> Fn:
    table = dict(_FW_TABLE)
    if a.ideographic_period:
        table[0x3002] = 0x2E
    return _text_fn("fullwidth_to_halfwidth", lambda s: s.translate(table))


_register(
    TransformDef(
        "fullwidth_to_halfwidth",
        "全角字符转半角：数字、字母、标点（含全角负号、逗号、句点、括号）、全角空格",
        "full-width to half-width: digits, letters, punctuation (full-width minus, comma, period, "
        "parentheses included) and the ideographic space",
        FullwidthArgs,
        _build_fullwidth,
        examples=(Example("１２３，４５６．７８", "123,456.78"), Example("（－５）", "(-5)"), Example("ＡＢｃ", "ABc")),
    )
)


class UpperArgs(_Args):
    pass


_register(
    TransformDef(
        "upper",
        "转为大写（如统一社会信用代码、身份证号末位 x）",
        "upper-case (e.g. a social credit code, the x of a citizen ID)",
        UpperArgs,
        lambda a, ctx: _text_fn("upper", str.upper),
        examples=(Example("91130681ma0d8n1j7g", "91130681MA0D8N1J7G"),),
    )
)


class NullIfArgs(_Args):
    values: list[str] = Field(description="视为空值的写法 / spellings that mean an empty cell")


def _build_null_if(a: NullIfArgs, ctx: BuildContext) -> Fn:
    values = frozenset(a.values)

    def run(value: Any) -> Any:
        if type(value) is str and value.strip(WS) in values:
            return None
        return value

    return run


_register(
    TransformDef(
        "null_if",
        "把表示“无”的写法（如 -、无、/）视为空值",
        "treat placeholders meaning 'nothing' (e.g. -, 无, /) as an empty cell",
        NullIfArgs,
        _build_null_if,
        shorthand="values",
        examples=(Example("无", None, ["-", "无"]), Example("12", "12", ["-", "无"])),
    )
)


class SliceArgs(_Args):
    start: int = Field(0, ge=0, description="起始字符位置（从 0 起）/ first character (0-based)")
    end: int | None = Field(None, ge=0, description="结束位置（不含）/ end (exclusive)")
    exact: bool = Field(True, description="值长度不足 end 时拒绝 / reject a value shorter than end")


def _build_slice(a: SliceArgs, ctx: BuildContext) -> Fn:
    start, end, exact = a.start, a.end, a.exact

    def cut(s: str) -> Any:
        if exact and end is not None and len(s) < end:
            raise Reject(
                "slice-too-short",
                f"slice：值 {_show(s)} 长度 {len(s)} 不足 {end} 个字符",
                f"slice: the value {_show(s)} has {len(s)} characters, fewer than {end}",
            )
        return s[start:end]

    return _text_fn("slice", cut)


_register(
    TransformDef(
        "slice",
        "截取字符（按字符计，不按字节）",
        "take characters start..end (characters, not bytes)",
        SliceArgs,
        _build_slice,
        reasons=("slice-too-short",),
        examples=(Example("202403", "2024", {"start": 0, "end": 4}),),
    )
)


class JoinArgs(_Args):
    sep: str = Field("", description="分隔符 / separator")
    skip_empty: bool = Field(False, description="跳过空的部分；否则有空部分即为空值 / skip empty parts; otherwise any empty part makes the result null")


def _build_join(a: JoinArgs, ctx: BuildContext) -> Fn:
    sep, skip = a.sep, a.skip_empty

    def run(value: Any) -> Any:
        parts = value if isinstance(value, tuple) else (value,)
        texts = []
        for p in parts:
            if p is None or p == "":
                if skip:
                    continue
                return None
            texts.append(p if isinstance(p, str) else _as_text(p, "join"))
        return sep.join(texts) if texts else None

    return run


_register(
    TransformDef(
        "join",
        "把多列（from: [a, b]）连成一个文本",
        "join several columns (from: [a, b]) into one text",
        JoinArgs,
        _build_join,
        shorthand="sep",
        multi=True,
        examples=(Example(("2024", "03", "000123"), "2024-03-000123", {"sep": "-"}),),
    )
)


class ConstantArgs(_Args):
    value: Any = Field(description="常量值 / the constant value")


def _build_constant(a: ConstantArgs, ctx: BuildContext) -> Fn:
    v = a.value
    return lambda value: v


_register(
    TransformDef(
        "constant",
        "不论输入，输出常量（通常直接用字段的 const:）",
        "output a constant whatever the input (usually write const: on the field instead)",
        ConstantArgs,
        _build_constant,
        shorthand="value",
        multi=True,
        examples=(Example("x", "1", "1"),),
    )
)

# ---------------------------------------------------------------------------------------------
# numbers and money
# ---------------------------------------------------------------------------------------------


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

# ---------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_DATE = re.compile(r"\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?\s*")
_CHINESE_DATE_HANZI = re.compile(r"\s*([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*[日号]\s*")


def _hanzi_number(s: str) -> int | None:
    """一..九, 十, 十一..十九, 二十.., 三十一 (months and days)."""
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    head, _, tail = s.partition("十")
    tens = 1 if head == "" else _CN_DIGITS.get(head)
    ones = 0 if tail == "" else _CN_DIGITS.get(tail)
    if tens is None or ones is None or len(head) > 1 or len(tail) > 1:
        return None
    return tens * 10 + ones


def _make_date(y: int, m: int, d: int, name: str, raw: Any) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise Reject(
            "date-not-in-calendar",
            f"{name}：{_show(raw)} 不是真实存在的日期",
            f"{name}: {_show(raw)} is not a real calendar date",
        ) from None


class ChineseDateArgs(_Args):
    hanzi: bool = Field(True, description="也接受汉字数字（二〇〇七年三月五日）/ also accept Chinese numerals")


def _build_chinese_date(a: ChineseDateArgs, ctx: BuildContext) -> Fn:
    hanzi = a.hanzi

    def run(value: Any) -> Any:
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        s = _as_text(value, "chinese_date")
        m = _CHINESE_DATE.fullmatch(s)
        if m:
            return _make_date(int(m[1]), int(m[2]), int(m[3]), "chinese_date", s)
        if hanzi:
            m = _CHINESE_DATE_HANZI.fullmatch(s)
            if m:
                y = int("".join(str(_CN_DIGITS[c]) for c in m[1]))
                mo, d = _hanzi_number(m[2]), _hanzi_number(m[3])
                if mo is not None and d is not None:
                    return _make_date(y, mo, d, "chinese_date", s)
        zh, en = _hint_fullwidth(s)
        raise Reject(
            "chinese-date-invalid",
            f"chinese_date：{_show(s)} 不是“2007年3月5日”形式的日期{zh}",
            f"chinese_date: {_show(s)} is not a date like 2007年3月5日{en}",
        )

    return run


_register(
    TransformDef(
        "chinese_date",
        "中文日期 → 日期：2007年3月5日、2007年03月05日、二〇〇七年三月五日",
        "Chinese dates → date: 2007年3月5日, 2007年03月05日, 二〇〇七年三月五日",
        ChineseDateArgs,
        _build_chinese_date,
        reasons=("chinese-date-invalid", "date-not-in-calendar"),
        examples=(Example("2007年3月5日", "2007-03-05"), Example("二〇〇七年三月五日", "2007-03-05"), Example("2007年2月30日", "reject:date-not-in-calendar")),
    )
)


class ExcelSerialArgs(_Args):
    system: Literal[1900, 1904] = Field(1900, description="Excel 日期系统：1900（Windows，含 1900-02-29 错误）或 1904（旧版 Mac）/ date system")
    allow_time: bool = Field(False, description="允许带时间的小数部分（丢弃时间）/ accept a time fraction (dropped)")


_D1899_12_30 = date(1899, 12, 30)
_D1899_12_31 = date(1899, 12, 31)
_D1904_01_01 = date(1904, 1, 1)


def excel_serial_to_date(serial: int, system: int = 1900) -> date:
    """Excel serial day number → date. 1900 system: 1 = 1900-01-01, 60 is Excel's fictitious
    1900-02-29 (``ValueError``), 61 = 1900-03-01. 1904 system: 0 = 1904-01-01."""
    if system == 1904:
        if serial < 0:
            raise ValueError("negative serial")
        return _D1904_01_01 + timedelta(days=serial)
    if serial < 1:
        raise ValueError("serial before 1900-01-01")
    if serial == 60:
        raise ValueError("1900-02-29 does not exist")
    if serial < 60:
        return _D1899_12_31 + timedelta(days=serial)
    return _D1899_12_30 + timedelta(days=serial)


def date_to_excel_serial(d: date, system: int = 1900) -> int:
    """The inverse of ``excel_serial_to_date``."""
    if system == 1904:
        return (d - _D1904_01_01).days
    n = (d - _D1899_12_30).days
    return n if n > 60 else n - 1


def _build_excel_serial(a: ExcelSerialArgs, ctx: BuildContext) -> Fn:
    system, allow_time = a.system, a.allow_time

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.time() != datetime.min.time() and not allow_time:
                raise Reject("excel-date-has-time", f"excel_serial_date：{value} 带有时间", f"excel_serial_date: {value} carries a time")
            return value.date()
        if isinstance(value, date):
            return value
        try:
            d = _parse_decimal(value, "excel_serial_date")
        except Reject:
            raise Reject(
                "excel-date-invalid",
                f"excel_serial_date：{_show(value)} 不是 Excel 日期序号",
                f"excel_serial_date: {_show(value)} is not an Excel date serial number",
            ) from None
        whole = int(d)
        if d != whole and not allow_time:
            raise Reject(
                "excel-date-has-time",
                f"excel_serial_date：{_show(value)} 含时间（小数部分）",
                f"excel_serial_date: {_show(value)} has a time part (fraction)",
            )
        try:
            return excel_serial_to_date(whole, system)
        except (ValueError, OverflowError) as exc:
            raise Reject(
                "excel-date-invalid",
                f"excel_serial_date：{_show(value)} 不是有效的 Excel 日期序号（{exc}）",
                f"excel_serial_date: {_show(value)} is not a valid Excel serial ({exc})",
            ) from None

    return run


_register(
    TransformDef(
        "excel_serial_date",
        "Excel 日期序号 → 日期（1900 系统含 1900-02-29 错误：60 拒绝；或 1904 系统）",
        "Excel serial date → date (1900 system with its 1900-02-29 bug: 60 is rejected; or the 1904 system)",
        ExcelSerialArgs,
        _build_excel_serial,
        shorthand="system",
        reasons=("excel-date-invalid", "excel-date-has-time"),
        examples=(Example(39146, "2007-03-05"), Example(61, "1900-03-01"), Example(60, "reject:excel-date-invalid"), Example(0, "1904-01-01", 1904)),
    )
)

_DIRECTIVES = {"Y": r"([0-9]{4})", "m": None, "d": None, "H": None, "M": None, "S": None}


def compile_date_format(fmt: str) -> tuple[re.Pattern[str], list[str]]:
    """``%Y%m%d``-style format → (full-match regex, directive order). ``%m %d %H %M %S`` take one or
    two digits when a literal separates them from the next directive, exactly two otherwise (so
    ``%Y%m%d`` is never ambiguous). ``%%`` is a literal ``%``."""
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%":
            if i + 1 >= len(fmt):
                raise ValueError("format ends with %")
            d = fmt[i + 1]
            if d == "%":
                items.append(("lit", "%"))
            elif d in _DIRECTIVES:
                items.append(("dir", d))
            else:
                raise ValueError(f"unsupported directive %{d} (supported: %Y %m %d %H %M %S %%)")
            i += 2
        else:
            items.append(("lit", c))
            i += 1
    order: list[str] = []
    parts: list[str] = []
    for k, (kind, v) in enumerate(items):
        if kind == "lit":
            parts.append(re.escape(v))
            continue
        if v in order:
            raise ValueError(f"directive %{v} appears twice")
        order.append(v)
        if v == "Y":
            parts.append(_DIRECTIVES["Y"])
            continue
        prev_dir = k > 0 and items[k - 1][0] == "dir"
        next_dir = k + 1 < len(items) and items[k + 1][0] == "dir"
        parts.append(r"([0-9]{2})" if (prev_dir or next_dir) else r"([0-9]{1,2})")
    if "Y" not in order or "m" not in order or "d" not in order:
        raise ValueError("a date format needs %Y, %m and %d")
    return re.compile(r"\s*" + "".join(parts) + r"\s*"), order


class DateFormatArgs(_Args):
    format: str = Field(description="格式，如 %Y%m%d、%Y/%m/%d、%Y-%m-%d %H:%M:%S / the format")

    @field_validator("format")
    @classmethod
    def _valid(cls, v: str) -> str:
        compile_date_format(v)
        return v


def _build_date_format(a: DateFormatArgs, ctx: BuildContext) -> Fn:
    rx, order = compile_date_format(a.format)
    iy, im, idd = order.index("Y") + 1, order.index("m") + 1, order.index("d") + 1
    fmt = a.format

    def run(value: Any) -> Any:
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        s = _as_text(value, "date_format")
        m = rx.fullmatch(s)
        if m is None:
            zh, en = _hint_fullwidth(s)
            raise Reject(
                "date-format-mismatch",
                f"date_format：{_show(s)} 不符合日期格式 {fmt}{zh}",
                f"date_format: {_show(s)} does not match the date format {fmt}{en}",
            )
        return _make_date(int(m[iy]), int(m[im]), int(m[idd]), "date_format", s)

    return run


_register(
    TransformDef(
        "date_format",
        "按格式解析日期（%Y %m %d，时间 %H %M %S 会被校验后丢弃）；不符即拒绝",
        "parse a date with a format (%Y %m %d; %H %M %S are matched and dropped); a mismatch is rejected",
        DateFormatArgs,
        _build_date_format,
        shorthand="format",
        reasons=("date-format-mismatch", "date-not-in-calendar"),
        examples=(Example("20070305", "2007-03-05", "%Y%m%d"), Example("2007/3/5", "2007-03-05", "%Y/%m/%d"), Example("2007135", "reject:date-format-mismatch", "%Y%m%d")),
    )
)


class DatetimeFormatArgs(_Args):
    format: str = Field(description="格式，如 %Y-%m-%d %H:%M:%S / the format")
    offset: str = Field("+08:00", pattern=r"^[+-][0-9]{2}:[0-5][0-9]$", description="源系统的时区偏移 / the source system's UTC offset")

    @field_validator("format")
    @classmethod
    def _valid(cls, v: str) -> str:
        compile_date_format(v)
        return v


def _build_datetime_format(a: DatetimeFormatArgs, ctx: BuildContext) -> Fn:
    rx, order = compile_date_format(a.format)
    idx = {k: order.index(k) + 1 for k in order}
    sign = 1 if a.offset[0] == "+" else -1
    tz = timezone(sign * timedelta(hours=int(a.offset[1:3]), minutes=int(a.offset[4:6])))
    fmt = a.format

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        s = _as_text(value, "datetime_format")
        m = rx.fullmatch(s)
        if m is None:
            raise Reject(
                "date-format-mismatch",
                f"datetime_format：{_show(s)} 不符合格式 {fmt}",
                f"datetime_format: {_show(s)} does not match the format {fmt}",
            )
        parts = [int(m[idx[k]]) if k in idx else 0 for k in ("Y", "m", "d", "H", "M", "S")]
        try:
            return datetime(*parts, tzinfo=tz)
        except ValueError:
            raise Reject(
                "date-not-in-calendar",
                f"datetime_format：{_show(s)} 不是真实存在的时间",
                f"datetime_format: {_show(s)} is not a real date and time",
            ) from None

    return run


_register(
    TransformDef(
        "datetime_format",
        "按格式解析时间戳，并加上源系统的时区偏移（默认 +08:00）",
        "parse a datetime with a format and attach the source system's UTC offset (default +08:00)",
        DatetimeFormatArgs,
        _build_datetime_format,
        shorthand="format",
        reasons=("date-format-mismatch", "date-not-in-calendar"),
        examples=(Example("2024-03-05 10:22:33", "2024-03-05T10:22:33+08:00", "%Y-%m-%d %H:%M:%S"),),
    )
)

# ---------------------------------------------------------------------------------------------
# codes
# ---------------------------------------------------------------------------------------------


class SplitCodeNameArgs(_Args):
    part: Literal["code", "name"] = Field("code", description="取代码还是名称 / which part to keep")


_CODE_NAME = re.compile(r"\s*[\[【(（]?\s*([0-9A-Za-z][0-9A-Za-z.\-]*)\s*[\]】)）]?\s*[-—:：、]?\s*(.*?)\s*", re.S)


def _build_split(a: SplitCodeNameArgs, ctx: BuildContext) -> Fn:
    want_code = a.part == "code"

    def run(s: str) -> Any:
        m = _CODE_NAME.fullmatch(s)
        if m is None:
            zh, en = _hint_fullwidth(s)
            raise Reject(
                "split-code-name-no-code",
                f"split_code_name：{_show(s)} 开头没有代码{zh}",
                f"split_code_name: {_show(s)} does not start with a code{en}",
            )
        if want_code:
            return m[1]
        return m[2] or None

    return _text_fn("split_code_name", run)


_register(
    TransformDef(
        "split_code_name",
        "一格里的“代码 名称”拆开：2010101 行政运行、[2010101]行政运行、2010101-行政运行",
        "split a cell holding 'code name': 2010101 行政运行, [2010101]行政运行, 2010101-行政运行",
        SplitCodeNameArgs,
        _build_split,
        shorthand="part",
        reasons=("split-code-name-no-code",),
        examples=(
            Example("2010101 行政运行", "2010101"),
            Example("[2010101]行政运行", "行政运行", "name"),
            # no separator: the code is the leading run of ASCII letters/digits, the name the rest
            Example("30208取暖费", "30208"),
            Example("30208取暖费", "取暖费", "name"),
        ),
    )
)


class MapArgs(_Args):
    values: dict[str, Any] = Field(description="源代码 → 标准代码 / source code → standard code")
    default: Any = Field(None, description="未列出的代码的结果；不写则拒绝 / result for unlisted codes; without it they are rejected")


def _build_map(a: MapArgs, ctx: BuildContext) -> Fn:
    table = {str(k): v for k, v in a.values.items()}
    has_default, default = "default" in a.model_fields_set, a.default
    known = "、".join(list(table)[:20])

    def run(value: Any) -> Any:
        if value is None:
            return None
        key = value if type(value) is str else _as_text(value, "map")
        try:
            return table[key]
        except KeyError:
            if has_default:
                return default
            raise Reject(
                "map-unmapped",
                f"map：代码 {_show(key)} 没有对应的标准代码（已列出：{known}）",
                f"map: the code {_show(key)} has no standard code (listed: {known})",
            ) from None

    return run


_register(
    TransformDef(
        "map",
        "厂商私有代码 → 标准代码（写在 profile 里）；未列出的代码拒绝",
        "vendor-private code → standard code (inline in the profile); an unlisted code is rejected",
        MapArgs,
        _build_map,
        reasons=("map-unmapped",),
        examples=(Example("ZJ", "1", {"values": {"ZJ": "1", "SQ": "2"}}), Example("XX", "reject:map-unmapped", {"values": {"ZJ": "1"}})),
    )
)


@dataclass(frozen=True)
class Crosswalk:
    """A legacy → standard code table read from a CSV file (columns ``from,to`` and optionally
    ``from_name, to_name, note``). An empty ``to`` means the legacy code has no single standard code
    (it was split): such values are rejected as ambiguous."""

    name: str
    path: Path
    table: dict[str, str | None]

    @classmethod
    def from_bytes(cls, name: str, path: Path, raw: bytes) -> "Crosswalk":
        """The table from the file's bytes (read by the profile, confined to its folder). Errors
        name the line and the column, never the file's content."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JincaiError(
                "adapter-crosswalk-malformed",
                f"对照表必须是 UTF-8 编码（字节偏移 {exc.start}）",
                f"a crosswalk must be UTF-8 (byte offset {exc.start})",
                str(path),
            ) from None
        reader = csv.DictReader(text.splitlines())
        try:
            fieldnames = reader.fieldnames
        except csv.Error as exc:
            raise JincaiError("adapter-crosswalk-malformed", f"对照表首行不是合法的 CSV：{exc}", f"a crosswalk's first line is not valid CSV: {exc}", f"{path}:1") from None
        missing = [c for c in ("from", "to") if fieldnames is None or c not in fieldnames]
        if missing:
            raise JincaiError(
                "adapter-crosswalk-malformed",
                f"对照表首行必须有 from 和 to 两列，缺少 {'、'.join(missing)}",
                f"a crosswalk's header must have the columns from and to; missing: {', '.join(missing)}",
                f"{path}:1",
            )
        table: dict[str, str | None] = {}
        rows = iter(reader)
        for line_no in itertools.count(2):
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                raise JincaiError("adapter-crosswalk-malformed", f"第 {line_no} 行不是合法的 CSV：{exc}", f"line {line_no} is not valid CSV: {exc}", f"{path}:{line_no}") from None
            src = (row.get("from") or "").strip()
            dst = (row.get("to") or "").strip() or None
            if not src:
                raise JincaiError("adapter-crosswalk-malformed", f"第 {line_no} 行 from 为空", f"line {line_no}: from is empty", f"{path}:{line_no}")
            if src in table and table[src] != dst:
                raise JincaiError(
                    "adapter-crosswalk-malformed",
                    f"第 {line_no} 行：旧代码 {src} 对应了两个不同的标准代码（一对多请把 to 留空，表示需人工处理）",
                    f"line {line_no}: the legacy code {src} maps to two different standard codes (leave to empty for a split)",
                    f"{path}:{line_no}",
                )
            table[src] = dst
        return cls(name, path, table)


class CrosswalkArgs(_Args):
    table: str = Field(description="profile 中 crosswalks 下的对照表名 / the name of a table under crosswalks:")


def _build_crosswalk(a: CrosswalkArgs, ctx: BuildContext) -> Fn:
    cw = ctx.crosswalks.get(a.table)
    if cw is None:
        raise JincaiError(
            "adapter-profile-invalid",
            f"crosswalk 引用了未声明的对照表 {a.table}",
            f"crosswalk refers to the undeclared table {a.table}",
        )
    table = cw.table
    tname = a.table

    def run(value: Any) -> Any:
        if value is None:
            return None
        key = value if type(value) is str else _as_text(value, "crosswalk")
        try:
            out = table[key]
        except KeyError:
            raise Reject(
                "crosswalk-unmapped",
                f"crosswalk：旧代码 {_show(key)} 不在对照表 {tname} 中",
                f"crosswalk: the legacy code {_show(key)} is not in the crosswalk {tname}",
            ) from None
        if out is None:
            raise Reject(
                "crosswalk-ambiguous",
                f"crosswalk：旧代码 {_show(key)} 在对照表 {tname} 中没有唯一的标准代码（已拆分），需人工确定",
                f"crosswalk: the legacy code {_show(key)} has no single standard code in {tname} (it was split); decide by hand",
            )
        return out

    return run


_register(
    TransformDef(
        "crosswalk",
        "用 CSV 对照表把旧代码转成标准代码（如 2007 年前的类款项预算科目 → 现行支出功能分类）；未列出或已拆分的拒绝",
        "legacy → standard code through a CSV crosswalk (e.g. pre-2007 类款项 budget subjects → the current "
        "functional classification); unlisted or split codes are rejected",
        CrosswalkArgs,
        _build_crosswalk,
        shorthand="table",
        reasons=("crosswalk-unmapped", "crosswalk-ambiguous"),
        examples=(),
    )
)


class PadLeftArgs(_Args):
    width: int = Field(ge=1, le=64, description="源字段的固定长度 / the source field's fixed length")
    fill: str = Field("0", min_length=1, max_length=1, description="填充字符 / fill character")
    source_is_fixed_length: Literal[True] = Field(
        description="必须写 true：声明源系统中该字段定长、左补零是源系统的约定 / must be true: the source system defines this field as fixed-length"
    )
    basis: str = Field(
        min_length=4,
        description="依据（如接口文档章节），说明为什么可以补零 / the basis (e.g. the interface document's section) for padding",
    )


def _build_pad_left(a: PadLeftArgs, ctx: BuildContext) -> Fn:
    width, fill = a.width, a.fill
    digits = re.compile(r"[0-9A-Za-z]+").fullmatch

    def run(s: str) -> Any:
        if len(s) > width:
            raise Reject(
                "pad-left-too-long",
                f"pad_left：{_show(s)} 长于声明的定长 {width}",
                f"pad_left: {_show(s)} is longer than the declared fixed length {width}",
            )
        if digits(s) is None:
            raise Reject(
                "pad-left-not-code",
                f"pad_left：{_show(s)} 不是代码（只能含字母数字）",
                f"pad_left: {_show(s)} is not a code (letters and digits only)",
            )
        return s.rjust(width, fill)

    return _text_fn("pad_left", run)


_register(
    TransformDef(
        "pad_left",
        "左补齐到源系统声明的定长（必须写 source_is_fixed_length: true 和依据 basis）；绝不用来猜测丢失的前导零",
        "left-pad to the fixed length the source system defines (source_is_fixed_length: true and a basis are "
        "required); never a way to guess lost leading zeros",
        PadLeftArgs,
        _build_pad_left,
        reasons=("pad-left-too-long", "pad-left-not-code"),
        examples=(Example("123", "000123", {"width": 6, "source_is_fixed_length": True, "basis": "接口规范 3.2 节：单位代码定长 6 位右对齐"}),),
    )
)


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


class DeriveGovEcoArgs(_Args):
    pass


def _build_gov_eco(a: DeriveGovEcoArgs, ctx: BuildContext) -> Fn:
    state: dict[str, Any] = {}

    def run(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, tuple) or len(value) != 2:
            raise Reject(
                "derive-gov-eco-args",
                "derive_gov_eco：需要两个输入 derive: [dep_bgt_eco_code, fiscal_year]",
                "derive_gov_eco: needs two inputs, derive: [dep_bgt_eco_code, fiscal_year]",
            )
        dep, year = value
        if dep is None or year is None:
            return None
        if "reg" not in state:
            state["reg"] = ctx.registry()
        try:
            out = state["reg"].dep_to_gov(str(dep), int(year))
        except (KeyError, LookupError, ValueError):
            out = None
        if not out:
            raise Reject(
                "gov-eco-unmapped",
                f"derive_gov_eco：{year} 年部门经济分类 {dep} 没有对应的政府经济分类",
                f"derive_gov_eco: the department economic code {dep} has no government economic code in {year}",
            )
        return out

    return run


_register(
    TransformDef(
        "derive_gov_eco",
        "由部门预算经济分类推出政府预算经济分类（按年度对照表），derive: [dep_bgt_eco_code, fiscal_year]",
        "derive the government economic code from the department economic code (by year's table), "
        "derive: [dep_bgt_eco_code, fiscal_year]",
        DeriveGovEcoArgs,
        _build_gov_eco,
        multi=True,
        reasons=("gov-eco-unmapped",),
        examples=(),
    )
)

# ---------------------------------------------------------------------------------------------
# arithmetic over several columns or fields: exact, + and − only, never eval
# ---------------------------------------------------------------------------------------------


class SumArgs(_Args):
    signs: list[Literal["+", "-", "\u2212"]] | None = Field(
        None, description="每个输入的符号（+ 或 -），按输入顺序；不写则全部相加 / the sign of each input, in order; default: all added"
    )
    empty_is_zero: bool = Field(
        False, description="空的输入按 0 计；否则任一输入为空则结果为空 / an empty input counts as 0; otherwise any empty input makes the result empty"
    )


def _build_sum(a: SumArgs, ctx: BuildContext) -> Fn:
    import decimal

    signs = [-1 if s != "+" else 1 for s in a.signs] if a.signs is not None else None
    zero = a.empty_is_zero
    # wide enough for any amount a file can hold; a result that would still need rounding is an
    # error (Inexact is trapped), so the sum is exact or there is none
    exact = decimal.Context(prec=200, Emax=999, Emin=-999, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])

    def run(value: Any) -> Any:
        parts = value if isinstance(value, tuple) else (value,)
        if signs is not None and len(signs) != len(parts):
            raise Reject(
                "sum-arity",
                f"sum：有 {len(parts)} 个输入，signs 给了 {len(signs)} 个符号",
                f"sum: {len(parts)} inputs but {len(signs)} signs",
            )
        total = Decimal(0)
        for i, p in enumerate(parts):
            if p is None or (isinstance(p, str) and not p.strip(WS)):
                if zero:
                    continue
                return None
            d = _parse_decimal(p.strip(WS) if isinstance(p, str) else p, "sum")
            try:
                total = exact.subtract(total, d) if signs is not None and signs[i] < 0 else exact.add(total, d)
            except decimal.DecimalException:
                raise Reject("sum-out-of-range", f"sum：{_show(value)} 的结果超出精确计算的范围", f"sum: the result of {_show(value)} cannot be computed exactly") from None
        return total

    return run


_register(
    TransformDef(
        "sum",
        "多列（from: [a, b]）或多个规范字段（derive: [x, y]）精确相加减（Decimal，+ 与 - 两种运算，不四舍五入），如 应发 = 实发 + 扣款",
        "add or subtract several columns (from: [a, b]) or canonical fields (derive: [x, y]) exactly (Decimal, + and - only, "
        "never rounded), e.g. gross = net + deductions",
        SumArgs,
        _build_sum,
        shorthand="signs",
        multi=True,
        reasons=("sum-not-a-number", "scientific-notation", "sum-arity", "sum-out-of-range"),
        examples=(
            Example(("3112.01", "458.21"), "3570.22"),
            Example(("3570.22", "458.21"), "3112.01", ["+", "-"]),
            Example(("3112.01", None), None),
            Example(("3112.01", ""), "3112.01", {"empty_is_zero": True}),
            Example(("1,000.00", "1"), "reject:sum-not-a-number"),
        ),
        arity=lambda a: len(a.signs) if a.signs is not None else None,
    )
)

# ---------------------------------------------------------------------------------------------
# compiling a chain
# ---------------------------------------------------------------------------------------------


class TransformSpecError(ValueError):
    """A transform item that is not valid: ``where`` is the path inside the chain item."""

    def __init__(self, where: str, zh: str, en: str):
        super().__init__(en)
        self.where = where
        self.zh = zh
        self.en = en


def parse_item(item: Any) -> tuple[TransformDef, Any]:
    """One chain item → (definition, validated args). ``TransformSpecError`` when invalid."""
    if isinstance(item, str):
        name, raw = item, None
    elif isinstance(item, dict) and len(item) == 1:
        name, raw = next(iter(item.items()))
    else:
        raise TransformSpecError(
            "",
            "转换应写作名称，或只有一个键的映射 {名称: 参数}",
            "a transform is a name or a one-key mapping {name: args}",
        )
    d = REGISTRY.get(name) if isinstance(name, str) else None
    if d is None:
        known = ", ".join(sorted(REGISTRY))
        raise TransformSpecError("", f"未知的转换 {name}；可用：{known}", f"unknown transform {name}; available: {known}")
    if raw is None:
        data: dict[str, Any] = {}
    elif isinstance(raw, dict):
        data = raw
    elif d.shorthand:
        data = {d.shorthand: raw}
    else:
        raise TransformSpecError(
            f".{name}",
            f"转换 {name} 的参数应为映射",
            f"the arguments of {name} must be a mapping",
        )
    try:
        args = d.args(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        raise TransformSpecError(
            f".{name}{loc}",
            f"转换 {name} 的参数有误：{err['msg']}",
            f"invalid arguments for {name}: {err['msg']}",
        ) from None
    except TypeError as exc:
        raise TransformSpecError(f".{name}", f"转换 {name} 的参数有误：{exc}", f"invalid arguments for {name}: {exc}") from None
    return d, args


def build_item(item: Any, ctx: BuildContext) -> tuple[TransformDef, Fn]:
    d, args = parse_item(item)
    try:
        return d, d.build(args, ctx)
    except ValueError as exc:
        raise TransformSpecError(f".{d.name}", f"转换 {d.name} 的参数有误：{exc}", f"invalid arguments for {d.name}: {exc}") from None


def compile_chain(items: list[Any], ctx: BuildContext) -> Fn | None:
    """A list of chain items → one function (``None`` for an empty chain)."""
    fns = [build_item(item, ctx)[1] for item in items]
    if not fns:
        return None
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        f0, f1 = fns
        return lambda v: f1(f0(v))
    if len(fns) == 3:
        f0, f1, f2 = fns
        return lambda v: f2(f1(f0(v)))

    def chain(v: Any) -> Any:
        for f in fns:
            v = f(v)
        return v

    return chain


def apply(name: str, value: Any, args: Any = None, ctx: BuildContext | None = None) -> Any:
    """Run one transform on one value — for tests and documentation examples."""
    item: Any = name if args is None else {name: args}
    return build_item(item, ctx or BuildContext())[1](value)


def args_json_schema(d: TransformDef) -> dict[str, Any]:
    """JSON Schema of one chain item for this transform (used by the profile schema)."""
    schema = d.args.model_json_schema()
    schema.pop("title", None)
    props = schema.get("properties", {})
    for p in props.values():
        p.pop("title", None)
    arg_forms: list[dict[str, Any]] = [schema]
    if d.shorthand:
        short = dict(props.get(d.shorthand, {}))
        short.pop("default", None)
        short.pop("description", None)
        arg_forms.append(short or {})
    if not schema.get("required"):
        arg_forms.append({"type": "null"})
    obj = {
        "type": "object",
        "description": f"{d.summary_zh} / {d.summary_en}",
        "properties": {d.name: {"anyOf": arg_forms} if len(arg_forms) > 1 else arg_forms[0]},
        "required": [d.name],
        "additionalProperties": False,
    }
    return obj


# ---------------------------------------------------------------------------------------------
# reason codes
# ---------------------------------------------------------------------------------------------

#: Every reason code an adapter run can give, with a generic description (zh, en) — used in the
#: ledger, where the row-specific message (which may quote a value) is not shown. Codes are stable:
#: they are never renamed, only added. Codes not listed here come from the standard's model
#: (pydantic error types such as ``string-pattern-mismatch``, and the identifier checks of
#: ``jincai.identifiers`` such as ``citizen-id-check-char``).
REASONS: dict[str, tuple[str, str]] = {
    # readers
    "csv-field-count": ("字段个数与表头不符", "number of fields differs from the header"),
    "fixed-width-record-length": ("定长记录的字节长度不对", "fixed-width record of the wrong byte length"),
    "fixed-width-split-character": ("字段边界切断了多字节字符", "a field boundary cuts a multi-byte character"),
    "undecodable-bytes": ("含有不能按编码解码的字节", "bytes that do not decode in the encoding"),
    "sql-value-not-literal": ("值不是字面量（转储只读取字面量，从不执行）", "a value that is not a literal (a dump is read, never executed)"),
    "sql-value-invalid": ("值不能作为所在列的类型装入", "a value that does not fit its column's type"),
    "sql-value-count": ("值的个数与列数不符", "the number of values differs from the number of columns"),
    "sql-join-unmatched": ("内连接找不到匹配的行", "an inner join finds no matching row"),
    "sql-join-duplicated": ("连接匹配到多行，这一行会被重复计算", "a join matches several rows: the row would be counted more than once"),
    "sql-query-dropped": ("提取查询的结果中没有这一行", "the extraction query's result lacks the row"),
    "sheet-not-selected": ("工作表未被配置的 sheets 选中，未读取", "sheet not selected by the profile's sheets option; not read"),
    "dbf-record-past-count": ("记录在 DBF 表头声明的记录数之外", "a record past the DBF header's record count"),
    "dbf-record-truncated": ("DBF 记录被截断", "a DBF record cut short"),
    "dbf-records-missing": ("DBF 表头声明的记录在文件中不存在", "records the DBF header declares are not in the file"),
    "dbf-data-after-end": ("DBF 文件结束标记（0x1A）之后还有数据", "data after the DBF end-of-file mark (0x1A)"),
    "dbf-padding": ("DBF 文件结束标记之后的填充字节", "padding after the DBF end-of-file mark"),
    "dbf-bad-value": ("DBF 字段的值无法读取（日期时间超出范围、备注指针无效…）", "a DBF value that cannot be read (date-time out of range, bad memo pointer …)"),
    "xml-record-off-path": ("记录元素不在配置的记录路径上（上级元素名不符）", "a record element off the profile's record path (a parent's name differs)"),
    "xml-unexpected-element": ("记录位置上出现了意外的元素（记录名不符）", "an unexpected element where records are (the record's name differs)"),
    "xml-no-records": ("记录路径上的元素中没有记录", "an element on the record path holds no record"),
    "xml-outside-record-path": ("不在记录路径上的元素，未读取", "an element off the record path; not read"),
    "xml-not-in-any-row": ("含记录的元素中不在任何行里的字段或文字", "fields or text of an element with records that are in no row"),
    "fixed-width-control-record": ("定长文件的控制记录（批头/批尾），其值见账本的文件级值与核对", "control record of a fixed-width file (batch header/trailer); its values are in the ledger's document values and checks"),
    "fixed-width-control-record-misplaced": ("控制记录的类型出现在布局规定的位置之外", "a control record type where the layout allows none"),
    # engine
    "missing": ("必填字段为空", "required field empty"),
    "transform-failed": ("转换出错", "a transform failed"),
    "no-target": ("没有目标接受这一行", "no target accepts the row"),
    "value-type": ("单元格类型不能转换为该字段的类型", "cell type cannot become the field's type"),
    "date-invalid": ("不是 YYYY-MM-DD 日期", "not a YYYY-MM-DD date"),
    "date-has-time": ("日期带有时间", "a date carries a time"),
    "datetime-invalid": ("不是带时区的 RFC 3339 时间", "not an RFC 3339 datetime with an offset"),
    "datetime-no-offset": ("时间没有时区偏移", "datetime without a UTC offset"),
    "boolean-invalid": ("不是 true/false", "not true/false"),
    "decimal-out-of-range": ("小数超出范围", "decimal out of range"),
    "decimal-too-many-decimals": ("小数位数过多（不四舍五入）", "too many decimals (never rounded)"),
    # transforms
    "chinese-date-invalid": ("不是“2007年3月5日”形式的中文日期", "not a Chinese date like 2007年3月5日"),
    "code-too-long": ("代码比应有长度长", "code longer than expected"),
    "crosswalk-ambiguous": ("旧代码已拆分，没有唯一的标准代码", "legacy code was split: no single standard code"),
    "crosswalk-unmapped": ("旧代码不在对照表中", "legacy code not in the crosswalk"),
    "date-format-mismatch": ("日期不符合声明的格式", "date does not match the declared format"),
    "date-not-in-calendar": ("日期不存在", "date not in the calendar"),
    "excel-date-has-time": ("Excel 日期带时间", "Excel date with a time part"),
    "excel-date-invalid": ("不是有效的 Excel 日期序号", "not a valid Excel date serial"),
    "gov-eco-unmapped": ("部门经济分类没有对应的政府经济分类", "no government economic code for the department code"),
    "implied-decimal-not-digits": ("隐含小数的金额不是数字串", "implied-decimal amount is not digits"),
    "integer-invalid": ("不是整数", "not an integer"),
    "leading-zeros-lost": ("前导零丢失", "leading zeros lost"),
    "length-mismatch": ("长度不符（可能被截断）", "length does not match (truncated?)"),
    "map-unmapped": ("私有代码没有对应的标准代码", "vendor code not in the map"),
    "money-not-a-number": ("金额不是数字", "amount is not a number"),
    "money-out-of-range": ("金额超出范围", "amount out of range"),
    "money-too-many-decimals": ("金额超过两位小数（不四舍五入）", "amount with more than two decimals (never rounded)"),
    "pad-left-not-code": ("要补齐的值不是代码", "value to pad is not a code"),
    "pad-left-too-long": ("值长于声明的定长", "value longer than the declared fixed length"),
    "paren-negative-signed": ("括号负数内又有符号", "sign inside accounting parentheses"),
    "red-ink-already-negative": ("红字金额本身已是负数", "red-ink amount already negative"),
    "red-ink-columns": ("红字需要金额和标志两列", "red ink needs amount and marker columns"),
    "red-ink-marker": ("红字标志不认识", "unknown red-ink marker"),
    "scientific-notation": ("长数字（账号、代码、金额）被 Excel 改成了科学计数法或小数", "a long number (account, code, amount) mangled by Excel into scientific notation or a float"),
    "slice-too-short": ("值比截取范围短", "value shorter than the slice"),
    "split-code-name-no-code": ("单元格开头没有代码", "cell does not start with a code"),
    "sum-arity": ("sum 的符号个数与输入个数不符", "sum: the number of signs differs from the number of inputs"),
    "sum-not-a-number": ("sum 的输入不是数字", "a sum input is not a number"),
    "sum-out-of-range": ("sum 的结果超出精确计算范围", "sum result cannot be computed exactly"),
    "thousands-bad-grouping": ("千分位分组不正确", "bad thousands grouping"),
    "wan-yuan-not-a-number": ("万元金额不是数字", "万元 amount is not a number"),
    "wan-yuan-too-many-decimals": ("万元换算为元后超过两位小数", "万元 amount has more than two decimals in yuan"),
}
