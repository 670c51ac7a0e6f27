"""Fixed-width text: bank and mainframe-style files (``source.format: fixed_width``).

Field widths are counted in BYTES of the legacy encoding, as the interface documents of such
systems count them: a Chinese character is two bytes in GBK (four for the rare GB18030 extensions).
Each record is sliced as bytes and each field decoded on its own.

Options (the profile's ``source`` block, checked by ``FixedWidthOptions``)::

    source:
      format: fixed_width
      encoding: gbk                  # optional; detected over the WHOLE file when absent
      fields:                        # in order; ``start`` (1-based byte position) is optional —
        - {name: 单位代码, width: 9}  # without it a field starts where the previous one ended
        - {name: 姓名, width: 20}
        - {name: 金额, start: 30, width: 12}
      record_length: 41              # bytes, without the line terminator; default: end of the last field
      line_terminator: auto          # auto: one record per line (\\n or \\r\\n); none: records back to back
      header_lines: 0                # lines at the start that are not records (titles, column rulers)
      strip: both                    # padding to remove from each field: both | right | none

A record whose length in bytes differs from ``record_length`` is yielded with ``extra["reject"]``
(reason ``fixed-width-record-length``) and the values that could be read; so is a record with a
byte that does not decode (``undecodable-bytes``, with its byte offset) or a field boundary that
cuts a multi-byte character in two (``fixed-width-split-character``). An empty line is a row whose
fields are all empty (the ``blank`` filter records it). A final DOS end-of-file byte (0x1A) is not
a record.
"""

from __future__ import annotations

import os
from operator import itemgetter
from typing import Any, Iterator

from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._batch import META
from jincai.adapters.readers._fixed import FixedField, FixedWidthOptions, render_record  # noqa: F401 - re-exported
from jincai.adapters.readers._text import detect
from jincai.adapters.readers._common import open_binary


def _reject(code: str, zh: str, en: str, column: str | None = None, raw: Any = None) -> dict[str, Any]:
    return {"reject": {"code": code, "zh": zh, "en": en, "column": column, "raw": raw}}


CHUNK = 8 << 20


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


@register("fixed_width")
class FixedWidthReader:
    name = "fixed_width"
    options_model = FixedWidthOptions

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    def _open(self, path: str, options: dict[str, Any]):
        opts = FixedWidthOptions.model_validate({k: v for k, v in options.items() if k in FixedWidthOptions.model_fields})
        enc = detect(path, opts.encoding)
        self.info = {"encoding": enc.codec, "encoding_how": enc.how, "preamble_lines": opts.header_lines}
        fh = open_binary(path)
        fh.seek(enc.bom)
        return opts, enc, fh

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        opts, enc, fh = self._open(path, options)
        with fh:
            yield from self._records(path, fh, opts, enc.codec, enc.bom, 0, opts.header_lines)

    # ---- row by row -------------------------------------------------------------------------

    def _records(self, path: str, fh, opts: FixedWidthOptions, codec: str, offset: int, number: int, skip: int) -> Iterator[SourceRow]:
        """Rows of ``fh`` from byte ``offset``; ``number`` lines come before it; the first ``skip``
        lines read here are not records."""
        names = [f.name for f in opts.fields]
        spans = opts.spans()
        starts = [s for s, _ in spans]
        slices = [slice(s, s + w) for s, w in spans]
        getter = itemgetter(*slices) if len(slices) > 1 else (lambda t, s=slices[0]: (t[s],))
        reclen = opts.length()
        strip = _strip_fn(opts.strip)
        blank = dict.fromkeys(names, "")

        if opts.line_terminator == "none":
            records = iter(lambda: fh.read(reclen), b"")
        else:
            records = iter(fh)

        for line in records:
            number += 1
            start = offset
            offset += len(line)
            if skip:
                skip -= 1
                continue
            rec = line
            if opts.line_terminator == "auto":
                if rec[-1:] == b"\n":
                    rec = rec[:-2] if rec[-2:-1] == b"\r" else rec[:-1]
                elif rec == b"\x1a":  # DOS end-of-file marker
                    self.info["eof_marker"] = True
                    continue
            elif rec == b"\x1a":
                self.info["eof_marker"] = True
                continue
            if len(rec) == reclen:
                t = rec.decode("latin-1")
                parts = getter(t)
                if not rec.isascii():
                    try:
                        parts = [p if p.isascii() else p.encode("latin-1").decode(codec) for p in parts]
                    except UnicodeDecodeError:
                        yield self._bad_bytes(path, number, start, rec, names, starts, slices, codec, strip)
                        continue
                if strip is not None:
                    parts = map(strip, parts)
                yield SourceRow(path, number, dict(zip(names, parts)), byte_offset=start)
                continue
            if not rec.strip(b" \t\r\x00"):
                yield SourceRow(path, number, dict(blank), byte_offset=start)
                continue
            values = self._salvage(rec, names, slices, codec, strip)
            yield SourceRow(
                path,
                number,
                values,
                byte_offset=start,
                extra=_reject(
                    "fixed-width-record-length",
                    f"记录长度 {len(rec)} 字节，应为 {reclen} 字节",
                    f"the record is {len(rec)} bytes long, it should be {reclen}",
                    None,
                    None,
                ),
            )

    @staticmethod
    def _salvage(rec: bytes, names, slices, codec, strip) -> dict[str, Any]:
        """What can be read of a record of the wrong length (for the rejected-rows file)."""
        values: dict[str, Any] = {}
        for name, sl in zip(names, slices):
            v = rec[sl].decode(codec, errors="backslashreplace")
            values[name] = strip(v) if strip else v
        return values

    @staticmethod
    def _bad_bytes(path, number, start, rec, names, starts, slices, codec, strip) -> SourceRow:
        values: dict[str, Any] = {}
        problem = None
        for name, s0, sl in zip(names, starts, slices):
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
        return SourceRow(
            path, number, values, byte_offset=start,
            extra=_reject(code, zh, en, name, raw.decode(codec, errors="backslashreplace")),
        )

    # ---- in batches (the columnar fast path) -------------------------------------------------

    def read_batches(self, path: str, options: dict[str, Any]) -> Iterator[Any]:
        """The same rows as ``read``, as polars DataFrames of text columns plus the ``META``
        columns. A block of records that all have the right length and decode is sliced column by
        column (Arrow kernels); any other block goes through ``read`` line by line."""
        opts, enc, fh = self._open(path, options)
        with fh:
            number = 0
            offset = enc.bom
            for _ in range(opts.header_lines):
                line = fh.readline()
                if not line:
                    break
                number += 1
                offset += len(line)
            reclen = opts.length()
            carry = b""
            while True:
                chunk = fh.read(CHUNK)
                data = carry + chunk
                if not data:
                    break
                if chunk:
                    if opts.line_terminator == "none":
                        cut = len(data) - len(data) % reclen
                    else:
                        cut = data.rfind(b"\n") + 1
                    if cut <= 0:
                        carry = data
                        continue
                    block, carry = data[:cut], data[cut:]
                else:
                    block, carry = data, b""
                frame, lines = self._fast(path, block, opts, enc.codec, number, offset, reclen)
                if frame is None:
                    frame, lines = self._slow(path, block, opts, enc.codec, number, offset)
                if frame.height:
                    yield frame
                number += lines
                offset += len(block)
                if not chunk:
                    break

    def _fast(self, path: str, block: bytes, opts: FixedWidthOptions, codec: str, number: int, offset: int, reclen: int):
        import array

        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc

        if opts.line_terminator == "none":
            step = reclen
            if len(block) % step:
                return None, 0
        else:
            step = None
            for t in (b"\r\n", b"\n"):
                s = reclen + len(t)
                n = len(block) // s
                if n and len(block) == n * s and block[s - 1 :: s] == b"\n" * n and block.count(b"\n") == n and (t == b"\n" or block[s - 2 :: s] == b"\r" * n):
                    if t == b"\n" and b"\r" in block[s - 2 :: s]:
                        continue  # a record ending in CR: the row path reads it as too short
                    step = s
                    break
            if step is None:
                return None, 0
        n = len(block) // step
        offs = array.array("i", range(0, (n + 1) * step, step)) if (n + 1) * step < 2**31 else array.array("q", range(0, (n + 1) * step, step))
        btype = pa.binary() if offs.typecode == "i" else pa.large_binary()
        lines = pa.Array.from_buffers(btype, n, [None, pa.py_buffer(offs), pa.py_buffer(block)])
        all_ascii = block.isascii()
        stype = pa.large_string() if btype == pa.large_binary() else pa.string()

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
        cols = {f.name: a for f, a in zip(opts.fields, arrays)}
        frame = pl.from_arrow(pa.table(cols), rechunk=True)
        if not isinstance(frame, pl.DataFrame):  # pragma: no cover
            frame = frame.to_frame()
        frame = frame.with_columns(
            pl.int_range(number + 1, number + n + 1, dtype=pl.Int64).alias("__jc_row"),
            pl.int_range(offset, offset + n * step, step, dtype=pl.Int64).alias("__jc_off"),
            *[pl.lit(None, dtype=pl.Utf8).alias(m) for m in META[2:]],
        )
        return frame, n

    def _slow(self, path: str, block: bytes, opts: FixedWidthOptions, codec: str, number: int, offset: int):
        import io

        from jincai.adapters.readers._batch import rows_to_frame

        rows = list(self._records(path, io.BytesIO(block), opts, codec, offset, number, 0))
        if opts.line_terminator == "none":
            lines = len(block) // opts.length() + (1 if len(block) % opts.length() else 0)
        else:
            lines = block.count(b"\n") + (0 if block.endswith(b"\n") or not block else 1)
        return rows_to_frame([f.name for f in opts.fields], rows), lines
