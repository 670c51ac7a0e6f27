"""Fixed-width text: bank and mainframe-style files (``source.format: fixed_width``).

Field widths are counted in BYTES of the legacy encoding, as the interface documents of such
systems count them: a Chinese character is two bytes in GBK (four for the rare GB18030 extensions).
Each record is sliced as bytes and each field decoded on its own.

Options (the profile's ``source`` block, checked by ``FixedWidthOptions``)::

    source:
      format: fixed_width
      encoding: gbk                  # optional; detected over the WHOLE file when absent
      fields:                        # the detail records' layout, in order; ``start`` (1-based byte
        - {name: 记录类型, width: 1}  # position) is optional — without it a field starts where
        - {name: 单位代码, width: 9}  # the previous one ended
        - {name: 金额, start: 30, width: 12}
      record_length: 41              # bytes, without the line terminator; default: end of the last field
      line_terminator: auto          # auto: one record per line, ended by LF, CRLF or CR (mixed is
                                     # fine); none: records back to back
      header_lines: 0                # lines at the start that are not records (titles, column rulers)
      strip: both                    # padding to remove from each field: both | right | none
      record_type: 记录类型           # the field that holds the record type (needed by control_records)
      control_records:               # batch header / trailer records, each with its own layout
        H: {position: first, fields: [...]}            # the first record of the file
        T: {position: last, fields: [...], record_length: 60}   # the last one (default length: the detail's)
      document:                      # file-level values for every row: ``_doc.<name>`` in the profile
        region: {record: H, field: 财政区划}

How a line becomes a row, in this order (nothing is filtered before its length is checked):

1. A line longer than ``limits.line_bytes`` stops the file (``limit-line-bytes``): memory stays
   bounded whatever the file.
2. The declared control records, found at their positions (the first / last non-blank record), are
   rows the reader itself marks as filtered (``fixed-width-control-record``): the ledger counts them,
   their values feed ``document`` and the profile's ``controls`` checks. A required control record
   that is missing, of the wrong type or of the wrong length is a file-level error
   (``fixed-width-control-record-missing`` / ``-invalid``) with its location.
3. A record whose length in bytes differs from ``record_length`` is yielded with ``extra["reject"]``
   (reason ``fixed-width-record-length``) and the values that could be read.
4. A record of the right length whose type is a control type, anywhere else than where the layout
   puts that control record, is rejected (``fixed-width-control-record-misplaced``) — never taken
   for a header or trailer.
5. A record with a byte that does not decode (``undecodable-bytes``, with its byte offset) or a
   field boundary that cuts a multi-byte character in two (``fixed-width-split-character``) is
   rejected with the values that could be read.

An empty line (or one of spaces, tabs, NULs) is a row whose fields are all empty (the ``blank``
filter records it). A final DOS end-of-file byte (0x1A) on its own is not a record.

Every row carries the file's document values in ``extra["doc"]`` (one dict shared by the file's
rows) and ``info["document"]`` holds them too, for the engine's ``controls`` checks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Iterator

from jincai import limits
from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._batch import META
from jincai.adapters.readers._bytes import CR, LF, count_byte
from jincai.adapters.readers._common import open_binary
from jincai.adapters.readers._fixed import FixedField, FixedWidthOptions, render_record  # noqa: F401 - re-exported
from jincai.adapters.readers._text import detect
from jincai.errors import JincaiError

CHUNK = 8 << 20  # bytes per block on the columnar path
LINE_CHUNK = 1 << 20  # bytes read at a time when splitting lines one by one
ROWS_PER_FRAME = 16384  # rows per batch on the line-by-line path: memory does not grow with rejects

CONTROL_RECORD = "fixed-width-control-record"
MISPLACED = "fixed-width-control-record-misplaced"
_BLANK = b" \t\r\x00"


def _reject(code: str, zh: str, en: str, column: str | None = None, raw: Any = None) -> dict[str, Any]:
    return {"reject": {"code": code, "zh": zh, "en": en, "column": column, "raw": raw}}


_POOL = None


def _pool():
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2)), thread_name_prefix="jincai-fw")
    return _POOL


def _strip_fn(kind: str):
    # padding is ASCII spaces; other whitespace (tabs, U+3000) is data for the profile to trim
    return {"both": lambda s: s.strip(" "), "right": lambda s: s.rstrip(" "), "none": None}[kind]


def _last_cut(data: bytes) -> int:
    """Bytes of ``data`` that end in a line terminator known to be complete (a CR at the very end
    may be the first half of a CRLF)."""
    return max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1


def _too_long(path: str, number: int, offset: int) -> JincaiError:
    return limits.exceeded("line_bytes", f">{limits.limit('line_bytes')}", f"{path}:{number}@{offset}")


@dataclass
class _Layout:
    """One layout compiled for slicing."""

    names: list[str]
    starts: list[int]
    slices: list[slice]
    getter: Any
    length: int

    @classmethod
    def of(cls, opts: FixedWidthOptions) -> "_Layout":
        spans = opts.spans()
        slices = [slice(s, s + w) for s, w in spans]
        getter = itemgetter(*slices) if len(slices) > 1 else (lambda t, s=slices[0]: (t[s],))
        return cls([f.name for f in opts.fields], [s for s, _ in spans], slices, getter, opts.length())


@dataclass
class _File:
    """What one read of one file knows."""

    path: str
    opts: FixedWidthOptions
    codec: str
    fh: Any
    start: int  # first byte after a byte-order mark
    size: int
    layout: _Layout
    strip: Any
    body_offset: int = 0  # first byte after the header lines
    body_number: int = 0  # lines before it
    type_slice: slice | None = None
    control_types: dict[bytes, str] = field(default_factory=dict)  # encoded type → type
    controls: dict[int, tuple[str, dict[str, str]]] = field(default_factory=dict)  # offset → (type, values)
    doc: dict[str, str] = field(default_factory=dict)


@register("fixed_width")
class FixedWidthReader:
    name = "fixed_width"
    options_model = FixedWidthOptions

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    # ---- opening: encoding, header lines, control records, document values -------------------

    def _open(self, path: str, options: dict[str, Any]) -> _File:
        opts = FixedWidthOptions.model_validate({k: v for k, v in options.items() if k in FixedWidthOptions.model_fields})
        enc = detect(path, opts.encoding)
        self.info = {"encoding": enc.codec, "encoding_how": enc.how, "preamble_lines": opts.header_lines}
        fh = open_binary(path)
        try:
            size = os.fstat(fh.fileno()).st_size
            f = _File(path, opts, enc.codec, fh, enc.bom, size, _Layout.of(opts), _strip_fn(opts.strip))
            if opts.line_terminator == "none":
                limits.check("line_bytes", opts.length(), f"{path} source.record_length")
            ts = opts.type_span()
            if ts is not None:
                f.type_slice = slice(ts[0], ts[0] + ts[1])
                f.control_types = {k.encode(enc.codec): k for k in opts.control_records}
            f.body_offset, f.body_number = self._skip_header(f)
            self._locate_controls(f)
        except BaseException:
            fh.close()
            raise
        if f.doc:
            self.info["document"] = dict(f.doc)
        return f

    def _skip_header(self, f: _File) -> tuple[int, int]:
        if not f.opts.header_lines:
            return f.start, 0
        f.fh.seek(f.start)
        offset, number = f.start, 0
        for number, offset, rec, size in self._lines(f, f.start, 0):
            if number == f.opts.header_lines:
                return offset + size, number
        return f.size, number

    def _locate_controls(self, f: _File) -> None:
        """Find the declared control records at their positions and read the document values."""
        opts = f.opts
        if not opts.control_records:
            return
        first = self._first_record(f)
        if first is None:  # no record at all: an empty file, which the engine reports as such
            return
        last = self._last_record(f)
        found: dict[str, dict[str, str]] = {}
        for kind, ctl in sorted(opts.control_records.items(), key=lambda kv: kv[1].position != "first"):
            at = first if ctl.position == "first" else last
            if ctl.position == "last" and at is not None and at[0] in f.controls:
                at = None  # the only record is the header: there is no trailer
            values = self._control(f, kind, at)
            if values is not None:
                assert at is not None
                found[kind] = values
                f.controls[at[0]] = (kind, values)
        for name, ref in opts.document.items():
            values = found.get(ref.record)
            if values is None:
                ctl = opts.control_records[ref.record]
                raise JincaiError(
                    "adapter-document-missing",
                    f"文件没有控制记录 {ref.record}（{'首' if ctl.position == 'first' else '末'}条记录），取不到文件级的值 {name}",
                    f"the file has no control record {ref.record} ({ctl.position} record), so the document value {name} is missing",
                    f.path,
                    {"document": name, "record": ref.record},
                )
            f.doc[name] = values[ref.field]

    def _first_record(self, f: _File) -> tuple[int, bytes] | None:
        """(offset, bytes) of the first non-blank record after the header lines."""
        if f.opts.line_terminator == "none":
            f.fh.seek(f.body_offset)
            rec = f.fh.read(f.layout.length)
            return (f.body_offset, rec) if rec and rec != b"\x1a" else None
        f.fh.seek(f.body_offset)
        for _, offset, rec, _ in self._lines(f, f.body_offset, f.body_number):
            if rec.strip(_BLANK):
                return offset, rec
        return None

    def _last_record(self, f: _File) -> tuple[int, bytes] | None:
        """(offset, bytes) of the last non-blank record, read backwards from the end (a final DOS
        end-of-file byte is not a record)."""
        start, size = f.body_offset, f.size
        if f.opts.line_terminator == "none":
            n, rest = divmod(size - start, f.layout.length)
            if rest and not (rest == 1 and self._byte_at(f, size - 1) == b"\x1a"):
                f.fh.seek(start + n * f.layout.length)
                return start + n * f.layout.length, f.fh.read(rest)  # a partial record is the last one
            if not n:
                return None
            at = start + (n - 1) * f.layout.length
            f.fh.seek(at)
            return at, f.fh.read(f.layout.length)
        cap = limits.limit("line_bytes")
        pos, tail = size, b""
        if size > start and self._byte_at(f, size - 1) == b"\x1a" and (size - 1 == start or self._byte_at(f, size - 2) in (b"\n", b"\r")):
            pos = size - 1  # a final DOS end-of-file byte on its own is left out
        while pos > start:
            step = min(LINE_CHUNK, pos - start)
            pos -= step
            f.fh.seek(pos)
            tail = f.fh.read(step) + tail
            lines = tail.splitlines(keepends=True)
            whole = 0 if pos == start else 1  # the first piece may be the end of a longer line
            o = pos + len(tail)
            for i in range(len(lines) - 1, whole - 1, -1):
                o -= len(lines[i])
                rec = lines[i].rstrip(b"\r\n")
                if len(rec) > cap:
                    raise _too_long(f.path, 0, o)
                if rec.strip(_BLANK):
                    return o, rec
            tail = lines[0] if whole and lines else b""
            if len(tail) > cap + 2:
                raise _too_long(f.path, 0, pos)
        return None

    def _byte_at(self, f: _File, offset: int) -> bytes:
        f.fh.seek(offset)
        return f.fh.read(1)

    def _control(self, f: _File, kind: str, at: tuple[int, bytes] | None) -> dict[str, str] | None:
        """The values of control record ``kind`` found at ``at``, or ``None`` when it is optional
        and not there; a required one that is not there as the layout says is an error."""
        opts = f.opts
        ctl = opts.control_records[kind]
        where_zh = "第一条记录" if ctl.position == "first" else "最后一条记录"
        where_en = "the first record" if ctl.position == "first" else "the last record"
        if at is None:
            if not ctl.required:
                return None
            raise JincaiError(
                "fixed-width-control-record-missing",
                f"文件没有控制记录 {kind}（应为{where_zh}）",
                f"the file has no control record {kind} (it should be {where_en})",
                f.path,
                {"record": kind},
            )
        offset, rec = at
        got = rec[f.type_slice].strip(b" ") if f.type_slice is not None else b""
        length = opts.control_length(kind)
        # the line number is counted from the start of the file: only when there is an error to report
        def location() -> str:
            return f"{f.path}:{self._line_number(f, offset)}@{offset}"

        if got != kind.encode(f.codec):
            if not ctl.required:
                return None
            shown = got.decode(f.codec, errors="backslashreplace")
            raise JincaiError(
                "fixed-width-control-record-missing",
                f"{where_zh}应为控制记录 {kind}，其记录类型却是 {shown!r}",
                f"{where_en} should be the control record {kind}, its record type is {shown!r}",
                location(),
                {"record": kind, "found": shown},
            )
        if len(rec) != length:
            if not ctl.required:
                return None
            raise JincaiError(
                "fixed-width-control-record-invalid",
                f"控制记录 {kind}（{where_zh}）长 {len(rec)} 字节，布局规定为 {length} 字节",
                f"the control record {kind} ({where_en}) is {len(rec)} bytes long, its layout says {length}",
                location(),
                {"record": kind, "length": len(rec), "expected": length},
            )
        layout = _Layout.of(opts.control_layout(kind))
        values: dict[str, str] = {}
        for name, s0, sl in zip(layout.names, layout.starts, layout.slices):
            try:
                v = rec[sl].decode(f.codec)
            except UnicodeDecodeError as exc:
                raise JincaiError(
                    "fixed-width-control-record-invalid",
                    f"控制记录 {kind} 的字段 {name} 在字节偏移 {offset + s0 + exc.start} 处不是合法的 {f.codec} 编码",
                    f"field {name} of the control record {kind}: the bytes at byte offset {offset + s0 + exc.start} are not valid {f.codec}",
                    location(),
                    {"record": kind, "field": name},
                ) from None
            values[name] = f.strip(v) if f.strip else v
        return values

    def _line_number(self, f: _File, offset: int) -> int:
        """1-based line of the byte at ``offset`` (only for messages: it reads up to there)."""
        if f.opts.line_terminator == "none":
            return (offset - f.start) // f.layout.length + 1
        pos = f.fh.tell()
        f.fh.seek(f.start)
        number = 0
        for number, o, _, _ in self._lines(f, f.start, 0):
            if o >= offset:
                break
        f.fh.seek(pos)
        return number

    # ---- lines ---------------------------------------------------------------------------------

    def _lines(self, f: _File, offset: int, number: int) -> Iterator[tuple[int, int, bytes, int]]:
        """(line number, byte offset, record, bytes with its terminator) of every line from the
        file's current position (``offset``). Lines end with LF, CRLF or CR; a line longer than
        ``limits.line_bytes`` is an error; a final 0x1A on its own is not a line."""
        if f.opts.line_terminator == "none":
            reclen = f.layout.length
            while True:
                rec = f.fh.read(reclen)
                if not rec:
                    return
                if rec == b"\x1a" and len(rec) < reclen:
                    self.info["eof_marker"] = True
                    return
                number += 1
                yield number, offset, rec, len(rec)
                offset += len(rec)
        cap = limits.limit("line_bytes")
        carry = b""
        while True:
            chunk = f.fh.read(LINE_CHUNK)
            buf = carry + chunk if carry else chunk
            if not buf:
                return
            if chunk:
                cut = _last_cut(buf)
                if cut == 0:
                    carry = buf
                    if len(carry) > cap + 1:
                        raise _too_long(f.path, number + 1, offset)
                    continue
                work, carry = buf[:cut], buf[cut:]
            else:
                work, carry = buf, b""
                if work == b"\x1a":
                    self.info["eof_marker"] = True
                    return
            for line in work.splitlines(keepends=True):
                rec = line.rstrip(b"\r\n")
                number += 1
                if len(rec) > cap:
                    raise _too_long(f.path, number, offset)
                yield number, offset, rec, len(line)
                offset += len(line)
            if not chunk:
                return

    def _row(self, f: _File, number: int, offset: int, rec: bytes) -> SourceRow:
        """One line as a row (see the module docstring for the order of the checks)."""
        doc = f.doc
        ctl = f.controls.get(offset) if f.controls else None
        if ctl is not None:
            extra: dict[str, Any] = {"filtered": CONTROL_RECORD}
            if doc:
                extra["doc"] = doc
            return SourceRow(f.path, number, dict(ctl[1]), byte_offset=offset, extra=extra)
        layout = f.layout
        if len(rec) == layout.length:
            if f.control_types:
                kind = f.control_types.get(rec[f.type_slice].strip(b" "))
                if kind is not None:
                    return self._misplaced(f, number, offset, rec, kind)
            t = rec.decode("latin-1")
            parts = layout.getter(t)
            if not rec.isascii():
                try:
                    parts = [p if p.isascii() else p.encode("latin-1").decode(f.codec) for p in parts]
                except UnicodeDecodeError:
                    return self._bad_bytes(f, number, offset, rec)
            strip = f.strip
            if strip is not None:
                parts = map(strip, parts)
            return SourceRow(f.path, number, dict(zip(layout.names, parts)), byte_offset=offset, extra={"doc": doc} if doc else {})
        if not rec.strip(_BLANK):
            return SourceRow(f.path, number, dict.fromkeys(layout.names, ""), byte_offset=offset, extra={"doc": doc} if doc else {})
        extra = _reject(
            "fixed-width-record-length",
            f"记录长度 {len(rec)} 字节，应为 {layout.length} 字节",
            f"the record is {len(rec)} bytes long, it should be {layout.length}",
        )
        if doc:
            extra["doc"] = doc
        return SourceRow(f.path, number, self._salvage(f, rec), byte_offset=offset, extra=extra)

    def _misplaced(self, f: _File, number: int, offset: int, rec: bytes, kind: str) -> SourceRow:
        ctl = f.opts.control_records[kind]
        where_zh = "第一条" if ctl.position == "first" else "最后一条"
        extra = _reject(
            MISPLACED,
            f"记录类型为 {kind}（控制记录），但控制记录 {kind} 只能是{where_zh}记录；该记录不作为控制记录，也不作为明细",
            f"the record type is {kind} (a control record), but the control record {kind} can only be the {ctl.position} record; "
            "it is taken neither as a control record nor as a detail",
            f.opts.record_type,
            kind,
        )
        if f.doc:
            extra["doc"] = f.doc
        return SourceRow(f.path, number, self._salvage(f, rec), byte_offset=offset, extra=extra)

    @staticmethod
    def _salvage(f: _File, rec: bytes) -> dict[str, Any]:
        """What can be read of a record that is rejected whole (for the rejected-rows file)."""
        values: dict[str, Any] = {}
        strip = f.strip
        for name, sl in zip(f.layout.names, f.layout.slices):
            v = rec[sl].decode(f.codec, errors="backslashreplace")
            values[name] = strip(v) if strip else v
        return values

    @staticmethod
    def _bad_bytes(f: _File, number: int, start: int, rec: bytes) -> SourceRow:
        codec, strip = f.codec, f.strip
        values: dict[str, Any] = {}
        problem = None
        for name, s0, sl in zip(f.layout.names, f.layout.starts, f.layout.slices):
            raw = rec[sl]
            try:
                v = raw.decode(codec)
                values[name] = strip(v) if strip else v
            except UnicodeDecodeError as exc:
                v = raw.decode(codec, errors="backslashreplace")
                values[name] = strip(v) if strip else v
                if problem is None:
                    problem = (name, s0, exc, raw)
        assert problem is not None
        name, s0, exc, raw = problem
        at = start + s0 + exc.start
        shown = raw[exc.start : exc.end].hex(" ")
        try:  # the whole record decodes: the field boundary cuts a character in two
            rec.decode(codec)
            split = True
        except UnicodeDecodeError:
            split = False
        if split:
            code = "fixed-width-split-character"
            zh = f"字段 {name} 的边界把一个多字节字符切成两半（字节偏移 {at}，第 {number} 行），布局的字节宽度可能有误"
            en = f"the boundary of field {name} cuts a multi-byte character in two (byte offset {at}, line {number}); check the layout's byte widths"
        else:
            code = "undecodable-bytes"
            zh = f"字段 {name} 中字节偏移 {at}（第 {number} 行）处的字节 {shown} 不是合法的 {codec} 编码"
            en = f"field {name}: the bytes {shown} at byte offset {at} (line {number}) are not valid {codec}"
        extra = _reject(code, zh, en, name, raw.decode(codec, errors="backslashreplace"))
        if f.doc:
            extra["doc"] = f.doc
        return SourceRow(f.path, number, values, byte_offset=start, extra=extra)

    # ---- row by row ----------------------------------------------------------------------------

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        f = self._open(path, options)
        with f.fh:
            f.fh.seek(f.body_offset)
            for number, offset, rec, _ in self._lines(f, f.body_offset, f.body_number):
                yield self._row(f, number, offset, rec)

    # ---- in batches (the columnar fast path) -------------------------------------------------

    def read_batches(self, path: str, options: dict[str, Any]) -> Iterator[Any]:
        """The same rows as ``read``, as polars DataFrames of text columns plus the ``META``
        columns. A block of records that all have the right length, decode and are no control
        record is sliced column by column (Arrow kernels); any other block goes through the line
        path, in frames of at most ``ROWS_PER_FRAME`` rows."""
        f = self._open(path, options)
        opts = f.opts
        reclen = f.layout.length
        pos = {"number": f.body_number, "offset": f.body_offset}
        controls = sorted(f.controls)
        with f.fh:
            f.fh.seek(f.body_offset)
            carry = b""
            while True:
                chunk = f.fh.read(CHUNK)
                data = carry + chunk if carry else chunk
                if not data:
                    break
                if chunk:
                    cut = len(data) - len(data) % reclen if opts.line_terminator == "none" else _last_cut(data)
                    if cut <= 0:
                        carry = data
                        if len(carry) > limits.limit("line_bytes") + 1:
                            raise _too_long(path, pos["number"] + 1, pos["offset"])
                        continue
                    block, carry = data[:cut], data[cut:]
                else:
                    block, carry = data, b""
                for seg, alone in self._segments(block, pos["offset"], controls, reclen if opts.line_terminator == "none" else None):
                    frame = None
                    if not alone:
                        frame, n = self._fast(f, seg, pos["number"], pos["offset"])
                        if frame is not None:
                            if frame.height:
                                yield frame
                            pos["number"] += n
                            pos["offset"] += len(seg)
                            continue
                    yield from self._slow(f, seg, pos, final=not chunk)
                if not chunk:
                    break

    @staticmethod
    def _segments(block: bytes, offset: int, controls: list[int], reclen: int | None) -> Iterator[tuple[bytes, bool]]:
        """``block`` cut so that each control record is a segment of its own: (bytes, is_control).
        ``reclen`` is the record length when records are back to back (no line ends)."""
        at = 0
        for c in controls:
            if not offset <= c < offset + len(block):
                continue
            i = c - offset
            if i > at:
                yield block[at:i], False
            end = min(len(block), i + reclen) if reclen else _line_end(block, i)
            yield block[i:end], True
            at = end
        if at < len(block):
            yield block[at:], False

    def _fast(self, f: _File, block: bytes, number: int, offset: int):
        import array

        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        opts = f.opts
        reclen = f.layout.length
        if opts.line_terminator == "none":
            step = reclen
            if len(block) % step:
                return None, 0
        else:
            step = None
            nl, cr = count_byte(block, LF), count_byte(block, CR)
            for t in (b"\r\n", b"\n", b"\r"):
                s = reclen + len(t)
                n = len(block) // s
                if not n or len(block) != n * s or block[s - 1 :: s] != t[-1:] * n:
                    continue
                if t == b"\r\n" and nl == n and cr == n and block[s - 2 :: s] == b"\r" * n:
                    step = s
                elif t == b"\n" and nl == n and cr == 0:
                    step = s
                elif t == b"\r" and cr == n and nl == 0:
                    step = s
                if step is not None:
                    break
            if step is None:
                return None, 0
        n = len(block) // step
        offs = array.array("i", range(0, (n + 1) * step, step)) if (n + 1) * step < 2**31 else array.array("q", range(0, (n + 1) * step, step))
        btype = pa.binary() if offs.typecode == "i" else pa.large_binary()
        lines = pa.Array.from_buffers(btype, n, [None, pa.py_buffer(offs), pa.py_buffer(block)])
        if f.control_types:  # a control type anywhere in a block is left to the line path
            ts = f.type_slice
            kinds = pc.unique(pc.binary_slice(lines, ts.start, ts.stop)).to_pylist()
            if any(k.strip(b" ") in f.control_types for k in kinds):
                return None, 0
        all_ascii = block.isascii()
        stype = pa.large_string() if btype == pa.large_binary() else pa.string()
        codec = f.codec

        def column(span: tuple[int, int]):
            s, w = span
            b = pc.binary_slice(lines, s, s + w)
            v = b.view(stype)
            if not all_ascii and not pc.all(pc.string_is_ascii(v)).as_py():
                joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, n], pa.int32()), b.cast(pa.binary())), b"\n")[0].as_py()
                try:
                    text = joined.decode(codec)
                except UnicodeDecodeError:
                    return None
                parts = text.split("\n")
                if len(parts) != n:  # pragma: no cover - a decoded field never holds a line feed
                    return None
                v = pa.array(parts, pa.string())
            if opts.strip == "both":
                v = pc.utf8_trim(v, " ")
            elif opts.strip == "right":
                v = pc.utf8_rtrim(v, " ")
            return v

        # Arrow kernels release the GIL: slice the fields on all cores
        arrays = list(_pool().map(column, opts.spans()))
        if any(a is None for a in arrays):
            return None, 0
        cols = {f2.name: a for f2, a in zip(opts.fields, arrays)}
        frame = pl.from_arrow(pa.table(cols), rechunk=True)
        if not isinstance(frame, pl.DataFrame):  # pragma: no cover
            frame = frame.to_frame()
        frame = frame.with_columns(
            pl.int_range(number + 1, number + n + 1, dtype=pl.Int64).alias("__jc_row"),
            pl.int_range(offset, offset + n * step, step, dtype=pl.Int64).alias("__jc_off"),
            *[pl.lit(None, dtype=pl.Utf8).alias(m) for m in META[2:]],
        )
        return frame, n

    def _slow(self, f: _File, block: bytes, pos: dict[str, int], final: bool) -> Iterator[Any]:
        """The lines of ``block`` through ``_row``, in frames of at most ``ROWS_PER_FRAME`` rows;
        ``pos`` (line number and byte offset) moves along."""
        from jincai.adapters.readers._batch import rows_to_frame

        names = f.layout.names
        rows: list[SourceRow] = []
        if f.opts.line_terminator == "none":
            reclen = f.layout.length
            pieces = [block[i : i + reclen] for i in range(0, len(block), reclen)]
            if final and pieces and pieces[-1] == b"\x1a" and reclen > 1:
                pieces.pop()
                self.info["eof_marker"] = True
            ends = [(p, len(p)) for p in pieces]
        else:
            lines = block.splitlines(keepends=True)
            if final and lines and lines[-1] == b"\x1a":
                lines.pop()
                self.info["eof_marker"] = True
            ends = ((line.rstrip(b"\r\n"), len(line)) for line in lines)
        cap = limits.limit("line_bytes")
        for rec, size in ends:
            pos["number"] += 1
            if len(rec) > cap:
                raise _too_long(f.path, pos["number"], pos["offset"])
            rows.append(self._row(f, pos["number"], pos["offset"], rec))
            pos["offset"] += size
            if len(rows) >= ROWS_PER_FRAME:
                yield rows_to_frame(names, rows)
                rows = []
        if rows:
            yield rows_to_frame(names, rows)


def _line_end(block: bytes, i: int) -> int:
    """The end (terminator included) of the line that starts at ``block[i]``."""
    cr = block.find(b"\r", i)
    lf = block.find(b"\n", i)
    if cr < 0 and lf < 0:
        return len(block)
    if cr < 0 or (0 <= lf < cr):
        return lf + 1
    return cr + 2 if block[cr + 1 : cr + 2] == b"\n" else cr + 1
