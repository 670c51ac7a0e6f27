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

Nothing off the record path vanishes. With an absolute ``record`` path, a document whose root is
not the path's first element is an error (``adapter-xml-root-mismatch``). Every element the reader
does not turn into a row (or into a row's context) is an item of the ledger, with ``row`` = its line,
``sheet`` = its tag path, ``extra["path"]`` and ``extra["line"]``, and its content as values:

* an element with the record's name at another path (a record whose parent's name is mistyped) —
  rejected, ``xml-record-off-path`` (its ancestors' fields are its context, as for a record);
* an element with children where records are (its parent is a record's parent) — rejected,
  ``xml-unexpected-element`` (a record whose own name is mistyped);
* any other element with children and no record inside — filtered, ``xml-no-records`` when it sits
  on the record path (a voucher without lines), else ``xml-outside-record-path``;
* the fields, attributes and text of an element with records that are in no row (after its last
  record, or with ``context: false``) — filtered, ``xml-not-in-any-row``.

The rejected ones are problems of the file, booked before the profile's filters. Comments and
processing instructions are not data. The parser is ``defusedxml``'s (no entity declarations, no
external entities: ``adapter-xml-forbidden``); nesting deeper than ``xml_depth`` and a record, or
the fields held before the records, larger than ``xml_held_elements`` are limit errors.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, Iterator, Literal

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from pydantic import BaseModel, ConfigDict, Field

from jincai import limits
from jincai.adapters.readers import SourceRow, register
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
        builder = _Builder(path, want, absolute, context)
        parser = SafeET.DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        builder.line = lambda: parser.parser.CurrentLineNumber
        try:
            while True:
                chunk = stream.read(1 << 16)
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
                yield from builder.out
                builder.out.clear()
                if not chunk:
                    break
        except SafeET.ParseError as exc:
            line, col = exc.position
            raise JincaiError(
                "adapter-xml-malformed",
                f"XML 格式错误（第 {line} 行第 {col} 列）：{exc}",
                f"malformed XML at line {line}, column {col}: {exc}",
                f"{path}:{line}:{col}",
                {"line": line, "column": col},
            ) from None
        except DefusedXmlException as exc:
            line = builder.line()
            raise JincaiError(
                "adapter-xml-forbidden",
                f"XML 文件含实体声明或外部引用（第 {line} 行），为安全起见不予读取：{type(exc).__name__}",
                f"the XML file declares entities or refers to external ones (line {line}); refused for safety: {type(exc).__name__}",
                f"{path}:{line}",
                {"line": line},
            ) from None


_OPEN, _RECORD, _OFFPATH, _IN = range(4)


class _Node:
    """An element, kept only as long as it may still become (part of) a row or an item."""

    __slots__ = ("tag", "attrib", "text", "tail", "children", "line", "ipath", "tags", "leaf", "weight")

    def __init__(self, tag: str, attrib: dict, line: int, ipath: str, tags: tuple[str, ...]):
        self.tag, self.attrib, self.line, self.ipath, self.tags = tag, attrib, line, ipath, tags
        self.text = ""
        self.tail = ""
        self.children: list[_Node] = []
        self.leaf = True
        self.weight = 1 + len(attrib)  # itself, its attributes and the children it holds


class _Frame:
    """An open element."""

    __slots__ = ("node", "kind", "has_record", "consumed", "counters", "stray", "size")

    def __init__(self, node: _Node, kind: int):
        self.node, self.kind = node, kind
        self.has_record = False  # a record (or an off-path one) started inside it
        self.consumed = 0  # its children before this index are in some row's context
        self.counters: dict[str, int] = {}
        self.stray: list[str] = []  # text between its children (mixed content)
        self.size = 0  # elements of a record, so far


class _Builder:
    """The parser's target: builds records and the ledger items of everything else as it streams."""

    def __init__(self, path: str, want: list[str], absolute: bool, context: bool):
        self.path, self.want, self.absolute, self.context = path, want, absolute, context
        self.n = len(want)
        self.parent_want = tuple(want[:-1])
        self.stack: list[_Frame] = []
        self.out: list[SourceRow] = []
        self.ordinal = 0
        self.held = 0
        self.buf: list[str] = []
        self.depth_cap = limits.limit("xml_depth")
        self.held_cap = limits.limit("xml_held_elements")
        self.line = lambda: 0
        self.record_frame: _Frame | None = None

    # ---- the parser's events --------------------------------------------------------------

    def data(self, text: str) -> None:
        self.buf.append(text)

    def start(self, tag: str, attrib: dict) -> None:
        self._flush()
        stack = self.stack
        line = self.line()
        if len(stack) >= self.depth_cap:
            raise limits.exceeded("xml_depth", len(stack) + 1, f"{self.path}:{line}")
        local = _local(tag)
        attrib = {_local(k): v for k, v in attrib.items()} if attrib else {}
        parent = stack[-1] if stack else None
        if parent is None:
            if self.absolute and local != self.want[0]:
                raise JincaiError(
                    "adapter-xml-root-mismatch",
                    f"根元素是 <{local}>，配置的记录路径 /{'/'.join(self.want)} 从 <{self.want[0]}> 开始",
                    f"the root element is <{local}>, the profile's record path /{'/'.join(self.want)} starts at <{self.want[0]}>",
                    f"{self.path}:{line}",
                    {"line": line, "root": local},
                )
            tags: tuple[str, ...] = (local,)
            ipath = "/" + local
        else:
            parent.node.leaf = False
            k = parent.counters.get(local, 0) + 1
            parent.counters[local] = k
            tags = parent.node.tags + (local,)
            ipath = f"{parent.node.ipath}/{local}" if k == 1 else f"{parent.node.ipath}/{local}[{k}]"
        node = _Node(local, attrib, line, ipath, tags)
        if parent is not None and parent.kind != _OPEN:  # inside a record
            parent.node.children.append(node)
            rec = self.record_frame
            rec.size += 1 + len(attrib)
            if rec.size > self.held_cap:
                raise limits.exceeded("xml_held_elements", rec.size, f"{self.path}:{rec.node.line} {rec.node.ipath}")
            stack.append(_Frame(node, _IN))
            return
        if len(tags) >= self.n and list(tags[-self.n :]) == self.want and (not self.absolute or len(tags) == self.n):
            kind = _RECORD
        elif local == self.want[-1]:
            kind = _OFFPATH
        else:
            kind = _OPEN
        frame = _Frame(node, kind)
        if kind != _OPEN:
            self.record_frame = frame
            frame.size = 1 + len(attrib)
            for anc in stack:  # every ancestor now holds a record
                if not anc.has_record:
                    anc.has_record = True
                    self._emit_pending(anc)
                if self.context:
                    anc.consumed = len(anc.node.children)
        stack.append(frame)

    def end(self, tag: str) -> None:
        self._flush()
        frame = self.stack.pop()
        node = frame.node
        parent = self.stack[-1] if self.stack else None
        if frame.kind == _IN:
            return
        if frame.kind != _OPEN:
            self.record_frame = None
            self._emit_record(frame)
            return
        if node.leaf and parent is not None:  # a field: context for the records that follow it
            self._attach(parent, node)
            return
        self.held -= node.weight - 1 - len(node.attrib)  # what it holds is settled now
        if frame.has_record:
            self._emit_unread(frame)
            return
        # an element holding no record: an item now, unless its parent may still turn out to hold
        # none either (then it is part of the parent's item)
        if parent is None or parent.has_record or parent.kind != _OPEN:
            self._emit_block(node)
        else:
            self._attach(parent, node)

    def _attach(self, parent: _Frame, node: _Node) -> None:
        parent.node.children.append(node)
        parent.node.weight += node.weight
        self.held += node.weight
        if self.held > self.held_cap:
            raise limits.exceeded("xml_held_elements", self.held, f"{self.path}:{node.line} {parent.node.ipath}")

    def close(self) -> None:
        self._flush()

    # ---- rows and items -------------------------------------------------------------------

    def _flush(self) -> None:
        if not self.buf:
            return
        text = "".join(self.buf)
        self.buf.clear()
        if not self.stack:
            return  # whitespace around the root (the parser refuses anything else there)
        top = self.stack[-1]
        node = top.node
        if top.kind != _OPEN:
            if node.children:
                node.children[-1].tail += text
            else:
                node.text += text
        elif node.leaf:
            node.text += text
        elif text.strip():
            top.stray.append(text.strip())
            node.weight += 1
            self.held += 1

    def _context(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if not self.context:
            return values
        for anc in self.stack:
            anc_tag = anc.node.tag
            for key, val in anc.node.attrib.items():
                values[f"{anc_tag}/@{key}"] = val
            for child in anc.node.children:
                if child.leaf:
                    values.setdefault(f"{anc_tag}/{child.tag}", child.text)
        return values

    def _emit_record(self, frame: _Frame) -> None:
        node = frame.node
        values = self._context()
        for key, val in node.attrib.items():
            values[f"@{key}"] = val
        if node.text.strip():
            values["#text"] = node.text
        _flatten(node, "", values)
        sheet = "/" + "/".join(node.tags)
        if frame.kind == _RECORD:
            self.ordinal += 1
            self.out.append(SourceRow(file=self.path, row=self.ordinal, values=values, sheet=sheet, extra={"path": node.ipath}))
            return
        want = "/" * self.absolute + "/".join(self.want)
        self.out.append(self._item(node, values, "reject", "xml-record-off-path",
                                   f"记录元素 <{node.tag}> 不在配置的记录路径 {want} 上（位于 {sheet}）",
                                   f"a record element <{node.tag}> off the profile's record path {want} (at {sheet})"))

    def _emit_pending(self, frame: _Frame) -> None:
        """An element's first record: the record-less elements before it are items now."""
        kept = []
        for child in frame.node.children:
            if child.leaf:
                kept.append(child)
            else:
                self.held -= child.weight
                frame.node.weight -= child.weight
                self._emit_block(child)
        frame.node.children = kept

    def _emit_block(self, node: _Node) -> None:
        values: dict[str, Any] = {f"@{k}": v for k, v in node.attrib.items()}
        if node.text.strip():
            values["#text"] = node.text.strip()
        _flatten(node, "", values)
        parent_tags = node.tags[:-1]
        at_record_place = len(self.want) > 1 and (
            parent_tags == self.parent_want if self.absolute else parent_tags[-len(self.parent_want) :] == self.parent_want
        )
        if at_record_place:
            self.out.append(self._item(node, values, "reject", "xml-unexpected-element",
                                       f"记录位置上出现了意外的元素 <{node.tag}>（应为 <{self.want[-1]}>）",
                                       f"an unexpected element <{node.tag}> where records are (expected <{self.want[-1]}>)"))
        elif self.absolute and list(node.tags) == self.want[: len(node.tags)]:
            self.out.append(self._item(node, values, "filtered", "xml-no-records",
                                       f"记录路径上的元素 <{node.tag}> 中没有记录", f"element <{node.tag}> on the record path holds no record"))
        else:
            self.out.append(self._item(node, values, "filtered", "xml-outside-record-path",
                                       f"元素 <{node.tag}> 不在记录路径上，未读取", f"element <{node.tag}> is off the record path; not read"))

    def _emit_unread(self, frame: _Frame) -> None:
        """An element that held records: its fields, attributes and text that are in no row."""
        node = frame.node
        values: dict[str, Any] = {}
        if not self.context:
            values.update({f"@{k}": v for k, v in node.attrib.items()})
        seen: dict[str, int] = {}
        for child in node.children[frame.consumed :]:
            k = seen.get(child.tag, 0) + 1
            seen[child.tag] = k
            key = child.tag if k == 1 else f"{child.tag}[{k}]"
            for a, v in child.attrib.items():
                values[f"{key}/@{a}"] = v
            values[key] = child.text
        texts = ([node.text.strip()] if node.text.strip() else []) + frame.stray
        if texts:
            values["#text"] = " ".join(texts)
        if values:
            self.out.append(self._item(node, values, "filtered", "xml-not-in-any-row",
                                       f"元素 <{node.tag}> 中有不在任何行中的字段或文字（在最后一条记录之后，或未取上下文）",
                                       f"element <{node.tag}> has fields or text that are in no row (after its last record, or context is off)"))

    def _item(self, node: _Node, values: dict[str, Any], kind: str, code: str, zh: str, en: str) -> SourceRow:
        extra: dict[str, Any] = {"path": node.ipath, "line": node.line}
        if kind == "filtered":
            extra["filtered"] = code
        else:
            extra["reject"] = {"code": code, "zh": f"第 {node.line} 行：{zh}", "en": f"line {node.line}: {en}", "column": None, "raw": node.ipath, "file": True}
        return SourceRow(file=self.path, row=node.line, values=values, sheet="/" + "/".join(node.tags), extra=extra)


def _flatten(elem: _Node, prefix: str, out: dict[str, Any]) -> None:
    seen: dict[str, int] = {}
    for child in elem.children:
        tag = child.tag
        k = seen.get(tag, 0) + 1
        seen[tag] = k
        key = f"{prefix}{tag}" if k == 1 else f"{prefix}{tag}[{k}]"
        for a, v in child.attrib.items():
            out[f"{key}/@{a}"] = v
        if child.children:
            if child.text and child.text.strip():
                out[f"{key}/#text"] = child.text
            _flatten(child, key + "/", out)
        else:
            out[key] = child.text or ""
        if child.tail and child.tail.strip():
            out[f"{key}/#tail"] = child.tail.strip()
