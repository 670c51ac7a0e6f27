"""XML exports of accounting software (``source.format: xml``), read as a stream.

Options (the profile's ``source`` block):

``record`` (required)
    The repeating element that is one source row, as a tag path: ``/电子账簿/记账凭证/分录`` from the
    root, or without the leading ``/`` matched against the end of the path (``记账凭证/分录`` matches
    every ``分录`` whose parent is a ``记账凭证``). Namespaces are ignored (``{uri}tag`` is ``tag``).
``encoding``
    Overrides the encoding; without it a byte-order mark, else the XML declaration, else UTF-8
    decides. GB2312 and GBK are read as GB18030. A byte that does not decode is an error with its
    byte offset.
``context``
    Whether a row also carries the simple (text-only) children and the attributes of the record's
    ancestors that precede it — a voucher's header fields for each of its lines — under
    ``<ancestor tag>/<child tag>`` and ``<ancestor tag>/@<attribute>`` (default true). Only what comes
    *before* the record in the file is known when the record is read.

Values (all text, as written): the record's attributes as ``@name``; each descendant element with
text as its path below the record (``金额``, ``辅助核算/部门``); an element repeated under the same
parent gets ``[2]``, ``[3]``… after the first (``明细``, ``明细[2]``); an empty element is ``""``;
the record's own text (if it has any besides whitespace) as ``#text``.

``row`` is the record's ordinal in the file (1-based), ``sheet`` the record's tag path, and
``extra["path"]`` its position with indexes (``/电子账簿/记账凭证[12]/分录[3]``). Completed parts
of the tree are discarded as the stream goes, so memory stays flat however large the file.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from typing import Any, Iterator, Literal

from jincai.adapters.readers import SourceRow, register
from pydantic import BaseModel, ConfigDict, Field

from jincai.adapters.readers._common import normalize_encoding, option_error, parse_options, undecodable, open_binary
from jincai.errors import JincaiError

_DECL = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([A-Za-z0-9._-]+)\2""")
_DECL_BYTES = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]


def sniff_encoding(head: bytes, declared: str | None, path: str) -> tuple[str, int]:
    """(codec, BOM length) of an XML file from its first bytes."""
    bom_codec, bom_len = None, 0
    for bom, codec in _BOMS:
        if head.startswith(bom):
            bom_codec, bom_len = codec, len(bom)
            break
    if declared:
        return normalize_encoding(declared, "source.encoding"), bom_len
    if bom_codec:
        return bom_codec, bom_len
    if head.startswith(b"<\x00?\x00"):
        return "utf-16-le", 0
    if head.startswith(b"\x00<\x00?"):
        return "utf-16-be", 0
    m = _DECL_BYTES.match(head)
    if m:
        return normalize_encoding(m.group(1).decode("ascii"), f"{path}: <?xml encoding?>"), 0
    return "utf-8", 0


class _Utf8Stream:
    """A file-like object giving the source re-encoded as UTF-8 for the XML parser, with the
    declaration's encoding rewritten to match; undecodable bytes raise with their byte offset."""

    def __init__(self, fh, path: str, codec: str, skip: int):
        self.fh, self.path, self.codec = fh, path, codec
        self.decoder = codecs.getincrementaldecoder(codec)(errors="strict")
        self.consumed = skip
        self.first = True
        self.done = False
        fh.seek(skip)

    def read(self, size: int = -1) -> bytes:
        while not self.done:
            raw = self.fh.read(size if size and size > 0 else 1 << 16)
            final = not raw
            try:
                text = self.decoder.decode(raw, final)
            except UnicodeDecodeError as exc:
                buffered = len(self.decoder.getstate()[0])
                raise undecodable(self.path, exc, self.consumed - buffered, "XML 文件", "XML file") from None
            self.consumed += len(raw)
            self.done = final
            if text:
                if self.first:
                    self.first = False
                    text = _DECL.sub(lambda m: f"{m.group(1)}{m.group(2)}UTF-8{m.group(2)}", text, count=1)
                return text.encode("utf-8")
        return b""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


class XmlOptions(BaseModel):
    """Options of the ``xml`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["xml"] = "xml"
    encoding: str | None = Field(None, description="覆盖 BOM 与 XML 声明中的编码 / overrides the BOM and the XML declaration")
    record: str | None = Field(None, description="重复元素（一行源数据）的路径，如 /电子账簿/记账凭证/分录 / path of the repeating element")
    context: bool = Field(True, description="带上上级元素中已读到的简单字段 / add the ancestors' simple fields read so far")


@register("xml")
class XmlReader:
    name = "xml"
    options_model = XmlOptions
    sparse_columns = True  # an absent optional element is an absent key (see adapters/NEEDS.md §2)

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        options = parse_options(XmlOptions, options, "xml").model_dump()
        record = options.get("record")
        if not isinstance(record, str) or not record.strip("/"):
            raise option_error("xml", "record", "必须给出重复元素的路径，如 /电子账簿/记账凭证/分录", "give the repeating element's path, e.g. /电子账簿/记账凭证/分录")
        absolute = record.startswith("/")
        want = [t for t in record.strip("/").split("/") if t]
        context = options.get("context", True) is not False
        fh = open_binary(path)
        with fh:
            codec, bom = sniff_encoding(fh.read(1024), options.get("encoding"), path)
            stream = _Utf8Stream(fh, path, codec, bom)
            yield from self._parse(path, stream, want, absolute, context)

    def _parse(self, path, stream, want, absolute, context) -> Iterator[SourceRow]:
        n = len(want)
        tags: list[str] = []  # local tag path of the open elements
        elems: list[ET.Element] = []
        counters: list[dict[str, int]] = [{}]  # per open element: child tag -> count so far
        indexed: list[str] = []  # "tag[k]" path parts
        ordinal = 0
        in_record = 0  # depth of the open record element, 0 when outside any record
        try:
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    tag = _local(elem.tag)
                    k = counters[-1].get(tag, 0) + 1
                    counters[-1][tag] = k
                    counters.append({})
                    tags.append(tag)
                    elems.append(elem)
                    indexed.append(f"{tag}[{k}]" if k > 1 else tag)
                    if not in_record and len(tags) >= n and tags[-n:] == want and (not absolute or len(tags) == n):
                        in_record = len(tags)
                    continue
                is_record = in_record == len(tags)
                if is_record:
                    ordinal += 1
                    values: dict[str, Any] = {}
                    if context:
                        for anc, anc_tag in zip(elems[:-1], tags[:-1]):
                            for key, val in anc.attrib.items():
                                values[f"{anc_tag}/@{_local(key)}"] = val
                            for child in anc:
                                if len(child) == 0 and child is not elem:
                                    values.setdefault(f"{anc_tag}/{_local(child.tag)}", child.text or "")
                    for key, val in elem.attrib.items():
                        values[f"@{_local(key)}"] = val
                    if elem.text and elem.text.strip():
                        values["#text"] = elem.text
                    _flatten(elem, "", values)
                    yield SourceRow(
                        file=path,
                        row=ordinal,
                        values=values,
                        sheet="/" + "/".join(tags),
                        extra={"path": "/" + "/".join(indexed)},
                    )
                tags.pop()
                elems.pop()
                counters.pop()
                indexed.pop()
                if is_record:
                    in_record = 0
                if (is_record or (len(elem) and not in_record)) and elems:
                    elems[-1].remove(elem)
                    elem.clear()
        except ET.ParseError as exc:
            line, col = exc.position
            raise JincaiError(
                "adapter-xml-malformed",
                f"XML 格式错误（第 {line} 行第 {col} 列）：{exc}",
                f"malformed XML at line {line}, column {col}: {exc}",
                f"{path}:{line}:{col}",
                {"line": line, "column": col},
            ) from None


def _flatten(elem: ET.Element, prefix: str, out: dict[str, Any]) -> None:
    seen: dict[str, int] = {}
    for child in elem:
        tag = _local(child.tag)
        k = seen.get(tag, 0) + 1
        seen[tag] = k
        key = f"{prefix}{tag}" if k == 1 else f"{prefix}{tag}[{k}]"
        for a, v in child.attrib.items():
            out[f"{key}/@{_local(a)}"] = v
        if len(child):
            if child.text and child.text.strip():
                out[f"{key}/#text"] = child.text
            _flatten(child, key + "/", out)
        else:
            out[key] = child.text or ""
