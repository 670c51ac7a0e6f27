"""Code transforms: a code and its name in one cell, vendor code maps, crosswalks of old codes,
documented fixed-length padding."""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from jincai.adapters.transforms._helpers import _as_text, _hint_fullwidth, _show, _text_fn
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, Reject, TransformDef, _Args, _register
from jincai.errors import JincaiError


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


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "crosswalk-ambiguous": ("旧代码已拆分，没有唯一的标准代码", "legacy code was split: no single standard code"),
        "crosswalk-unmapped": ("旧代码不在对照表中", "legacy code not in the crosswalk"),
        "map-unmapped": ("私有代码没有对应的标准代码", "vendor code not in the map"),
        "pad-left-not-code": ("要补齐的值不是代码", "value to pad is not a code"),
        "pad-left-too-long": ("值长于声明的定长", "value longer than the declared fixed length"),
        "split-code-name-no-code": ("单元格开头没有代码", "cell does not start with a code"),
    }
)
