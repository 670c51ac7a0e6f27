"""The fixed-width layout (``FixedWidthOptions``) and ``render_record``, its inverse.

Kept apart from the reader module so that writing sample or test files does not register a reader
(the registry discovers readers by importing their modules).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FixedField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="字段名（profile 中 from 引用它）/ field name")
    width: int = Field(ge=1, description="宽度，按字节 / width in bytes")
    start: int | None = Field(None, ge=1, description="起始字节位置（从 1 起）；不写则紧接上一字段 / 1-based start byte")


class FixedWidthOptions(BaseModel):
    """Options of the ``fixed_width`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["fixed_width"] = "fixed_width"
    encoding: str | None = Field(None, description="字符编码；不写则整文件检测 / encoding; detected when absent")
    fields: list[FixedField] = Field(min_length=1, description="字段布局 / the layout")
    record_length: int | None = Field(None, ge=1, description="记录长度（字节，不含换行）/ record length in bytes, without the line end")
    line_terminator: Literal["auto", "none"] = Field("auto", description="auto：每行一条记录；none：记录首尾相接 / one record per line, or back to back")
    header_lines: int = Field(0, ge=0, description="文件开头非记录的行数 / leading lines that are not records")
    strip: Literal["both", "right", "none"] = Field("both", description="去掉字段的填充空格 / padding to strip")

    @model_validator(mode="after")
    def _layout(self) -> "FixedWidthOptions":
        names = set()
        for f in self.fields:
            if f.name in names:
                raise ValueError(f"字段名重复 / duplicate field name {f.name}")
            names.add(f.name)
        end = max(s + w for s, w in self.spans())
        if self.record_length is not None and self.record_length < end:
            raise ValueError(f"record_length {self.record_length} 小于最后一个字段的结束位置 {end} / is shorter than the layout ({end} bytes)")
        if self.line_terminator == "none" and self.header_lines:
            raise ValueError("line_terminator: none 时不能有 header_lines / header_lines needs line ends")
        return self

    def spans(self) -> list[tuple[int, int]]:
        """(0-based start, width) of each field."""
        out = []
        pos = 0
        for f in self.fields:
            start = f.start - 1 if f.start is not None else pos
            out.append((start, f.width))
            pos = start + f.width
        return out

    def length(self) -> int:
        return self.record_length or max(s + w for s, w in self.spans())



def render_record(options: dict[str, Any] | FixedWidthOptions, values: dict[str, Any], align: dict[str, str] | None = None) -> bytes:
    """One record in a fixed-width layout (the inverse of the reader, for sample and test files):
    each value's text encoded in the layout's encoding and padded with spaces to its width in
    bytes — left-aligned, or right-aligned for the names in ``align`` mapped to ``"right"``. A value
    that does not fit is a ``ValueError`` (never truncated). No line terminator."""
    opts = options if isinstance(options, FixedWidthOptions) else FixedWidthOptions.model_validate(options)
    codec = (opts.encoding or "utf-8").lower()
    if codec in ("gbk", "gb2312", "cp936"):
        codec = "gb18030"
    align = align or {}
    out = bytearray(b" " * opts.length())
    for f, (start, width) in zip(opts.fields, opts.spans()):
        v = values.get(f.name)
        data = b"" if v is None else str(v).encode(codec)
        if len(data) > width:
            raise ValueError(f"{f.name}: {v!r} is {len(data)} bytes, the field holds {width}")
        data = data.rjust(width, b" ") if align.get(f.name) == "right" else data.ljust(width, b" ")
        out[start : start + width] = data
    return bytes(out)
