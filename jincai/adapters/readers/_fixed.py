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


def _check_layout(fields: list[FixedField], spans: list[tuple[int, int]], record_length: int | None, what: str) -> None:
    names = set()
    for f in fields:
        if f.name in names:
            raise ValueError(f"{what}字段名重复 / duplicate field name {f.name}")
        names.add(f.name)
    end = max(s + w for s, w in spans)
    if record_length is not None and record_length < end:
        raise ValueError(f"{what}record_length {record_length} 小于最后一个字段的结束位置 {end} / is shorter than the layout ({end} bytes)")


def _spans(fields: list[FixedField]) -> list[tuple[int, int]]:
    """(0-based start, width) of each field."""
    out = []
    pos = 0
    for f in fields:
        start = f.start - 1 if f.start is not None else pos
        out.append((start, f.width))
        pos = start + f.width
    return out


class ControlRecord(BaseModel):
    """A batch header or trailer record: where it must be and its own layout."""

    model_config = ConfigDict(extra="forbid")

    position: Literal["first", "last"] = Field(description="first：第一条记录（批头）；last：最后一条记录（批尾）/ first record (header) or last record (trailer)")
    fields: list[FixedField] = Field(min_length=1, description="控制记录自己的布局 / the control record's own layout")
    record_length: int | None = Field(None, ge=1, description="记录长度（字节）；默认与明细记录相同 / record length in bytes; default: the detail record's")
    required: bool = Field(True, description="文件必须有这条控制记录 / the file must have it")

    @model_validator(mode="after")
    def _layout(self) -> "ControlRecord":
        _check_layout(self.fields, self.spans(), self.record_length, "")
        return self

    def spans(self) -> list[tuple[int, int]]:
        return _spans(self.fields)


class DocumentValue(BaseModel):
    """A value that sits outside the data rows (``_doc.<name>`` in the profile)."""

    model_config = ConfigDict(extra="forbid")

    record: str = Field(min_length=1, description="控制记录的类型（control_records 的键）/ the control record's type (a key of control_records)")
    field: str = Field(min_length=1, description="该控制记录布局中的字段 / a field of that record's layout")


class FixedWidthOptions(BaseModel):
    """Options of the ``fixed_width`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["fixed_width"] = "fixed_width"
    encoding: str | None = Field(None, description="字符编码；不写则整文件检测 / encoding; detected when absent")
    fields: list[FixedField] = Field(min_length=1, description="字段布局（明细记录）/ the layout (of the detail records)")
    record_length: int | None = Field(None, ge=1, description="记录长度（字节，不含换行）/ record length in bytes, without the line end")
    line_terminator: Literal["auto", "none"] = Field(
        "auto", description="auto：每行一条记录，换行可为 LF、CRLF、CR 或混用；none：记录首尾相接 / one record per line (LF, CRLF, CR or mixed), or back to back"
    )
    header_lines: int = Field(0, ge=0, description="文件开头非记录的行数 / leading lines that are not records")
    strip: Literal["both", "right", "none"] = Field("both", description="去掉字段的填充空格 / padding to strip")
    record_type: str | None = Field(None, description="记录类型所在的字段（fields 中的名字）/ the field (of fields) holding the record type")
    control_records: dict[str, ControlRecord] = Field(
        default_factory=dict, description="记录类型 → 控制记录（批头/批尾）的位置与布局 / record type → where the control record is and its layout"
    )
    document: dict[str, DocumentValue] = Field(
        default_factory=dict, description="文件级的值（_doc.<名称>），取自控制记录 / file-level values (_doc.<name>) taken from control records"
    )

    @model_validator(mode="after")
    def _layout(self) -> "FixedWidthOptions":
        _check_layout(self.fields, self.spans(), self.record_length, "")
        if self.line_terminator == "none" and self.header_lines:
            raise ValueError("line_terminator: none 时不能有 header_lines / header_lines needs line ends")
        names = [f.name for f in self.fields]
        if self.record_type is not None and self.record_type not in names:
            raise ValueError(f"record_type {self.record_type} 不是 fields 中的字段 / is not a field of fields")
        if self.control_records and self.record_type is None:
            raise ValueError("声明 control_records 时须给出 record_type / control_records need record_type")
        seen: dict[str, str] = {}
        for kind, ctl in self.control_records.items():
            if ctl.position in seen:
                raise ValueError(f"控制记录 {seen[ctl.position]} 与 {kind} 的位置都是 {ctl.position} / two control records at {ctl.position}")
            seen[ctl.position] = kind
            end = max(s + w for s, w in ctl.spans())
            if end > self.control_length(kind):
                raise ValueError(f"控制记录 {kind} 的布局长 {end} 字节，超过记录长度 {self.control_length(kind)} / the layout of control record {kind} ({end} bytes) is longer than its record ({self.control_length(kind)})")
            if self.line_terminator == "none" and self.control_length(kind) != self.length():
                raise ValueError(f"line_terminator: none 时控制记录 {kind} 须与明细等长 / with line_terminator none the control record {kind} must have the detail's length")
        for name, ref in self.document.items():
            ctl = self.control_records.get(ref.record)
            if ctl is None:
                raise ValueError(f"document.{name}：没有类型为 {ref.record} 的控制记录 / no control record of type {ref.record}")
            if ref.field not in [f.name for f in ctl.fields]:
                raise ValueError(f"document.{name}：控制记录 {ref.record} 没有字段 {ref.field} / the control record {ref.record} has no field {ref.field}")
        return self

    def spans(self) -> list[tuple[int, int]]:
        """(0-based start, width) of each field."""
        return _spans(self.fields)

    def length(self) -> int:
        return self.record_length or max(s + w for s, w in self.spans())

    def control_length(self, kind: str) -> int:
        """Record length of the control record ``kind`` (default: the detail record's)."""
        return self.control_records[kind].record_length or self.length()

    def control_layout(self, kind: str) -> "FixedWidthOptions":
        """The control record ``kind`` as a layout of its own (to read or render it)."""
        return FixedWidthOptions(encoding=self.encoding, fields=self.control_records[kind].fields, record_length=self.control_length(kind), strip=self.strip)

    def type_span(self) -> tuple[int, int] | None:
        """(0-based start, width) of the record-type field, if declared."""
        if self.record_type is None:
            return None
        return self.spans()[[f.name for f in self.fields].index(self.record_type)]


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
