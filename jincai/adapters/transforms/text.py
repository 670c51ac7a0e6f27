"""Text clean-up transforms: trim, full-width digits, upper case, null markers, slices, joins, constants."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jincai.adapters.transforms._helpers import _as_text, _show, _text_fn
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, Reject, TransformDef, _Args, _register


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


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "slice-too-short": ("值比截取范围短", "value shorter than the slice"),
    }
)
