"""Delimited text: CSV / TXT exports (``source.format: csv``).

Options (the profile's ``source`` block, checked by ``CsvOptions``)::

    source:
      format: csv
      encoding: gbk          # optional; detected over the WHOLE file when absent (see _text.py)
      delimiter: ","         # one character; "\\t" or "tab" for tab-separated, "|" …
      quotechar: '"'         # null: no quoting at all
      header_row: 1          # physical line of the column names (1-based); 0 = no header line
      skip_lines: 0          # lines after the header (or at the start when there is none) that are
                             # not data, e.g. a "单位：元" line or a ----- rule
      columns: [a, b, c]     # column names when header_row is 0

Every data row becomes a ``SourceRow`` whose ``row`` is the physical line where the record starts
(a quoted field may span lines) and whose values are the cells exactly as written (``str``, not
trimmed; the profile's transforms decide). A row with fewer cells than there are columns is yielded
with ``extra["reject"]`` (reason ``csv-field-count``) so the ledger accounts for it; surplus cells
that are all empty (a trailing delimiter) are ignored, other surplus cells are a rejection too. A
blank line is a row whose cells are all empty — the profile's ``blank`` filter records it.

A byte that does not decode is an error with its byte offset and line (``adapter-undecodable-bytes``).
Lines end with LF, CRLF or CR. A line longer than ``limits.line_bytes`` (in the file's bytes) and a
field longer than ``limits.field_bytes`` (in UTF-8 bytes of its text) stop the file with the limit's
coded error (``limit-line-bytes``, ``limit-field-bytes``): memory stays bounded whatever the file.
An empty file, or one with a header and no data line, yields no row (the engine reports it as
``no-data-rows``).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jincai import limits
from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._batch import META
from jincai.adapters.readers._bytes import LF, count_byte, line_ends, longest_line, quote_inside_field
from jincai.adapters.readers._common import open_binary
from jincai.adapters.readers._text import BoundedLines, _first_error, ascii_lines, detect, field_limit, line_too_long, undecodable_error
from jincai.errors import JincaiError

ROWS_PER_FRAME = 16384  # rows per batch when a block goes through the csv module row by row


class CsvOptions(BaseModel):
    """Options of the ``csv`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["csv"] = "csv"
    encoding: str | None = Field(None, description="字符编码；不写则整文件检测 / encoding; detected over the whole file when absent")
    delimiter: str = Field(",", description='分隔符，一个字符；制表符写 "\\t" 或 tab / delimiter, one character; "\\t" or tab for tabs')
    quotechar: str | None = Field('"', description="引号字符；null 表示不使用引号 / quote character; null for none")
    header_row: int = Field(1, ge=0, description="列名所在的物理行（从 1 起）；0 表示无表头 / physical line of the column names; 0 = none")
    skip_lines: int = Field(0, ge=0, description="表头之后（无表头时为文件开头）非数据的行数 / non-data lines after the header")
    columns: list[str] | None = Field(None, description="无表头时的列名 / column names when there is no header")

    @field_validator("delimiter")
    @classmethod
    def _delim(cls, v: str) -> str:
        v = {"tab": "\t", "\\t": "\t"}.get(v, v)
        if len(v) != 1 or v in "\r\n":
            raise ValueError("分隔符必须是一个字符 / the delimiter must be one character")
        return v

    @field_validator("quotechar")
    @classmethod
    def _quote(cls, v: str | None) -> str | None:
        if v is not None and len(v) != 1:
            raise ValueError("引号必须是一个字符 / the quote character must be one character")
        return v


def _reject(code: str, zh: str, en: str, column: str | None = None, raw: Any = None) -> dict[str, Any]:
    return {"reject": {"code": code, "zh": zh, "en": en, "column": column, "raw": raw}}


CHUNK = 8 << 20


@register("csv")
class DelimitedReader:
    name = "csv"
    options_model = CsvOptions

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    def _setup(self, path: str, options: dict[str, Any]):
        opts = CsvOptions.model_validate({k: v for k, v in options.items() if k in CsvOptions.model_fields})
        enc = detect(path, opts.encoding)
        self.info = {"encoding": enc.codec, "encoding_how": enc.how, "preamble_lines": 0}
        raw = open_binary(path)
        raw.seek(enc.bom)
        kw: dict[str, Any] = {"delimiter": opts.delimiter}
        if opts.quotechar is None:
            kw["quoting"] = csv.QUOTE_NONE
        else:
            kw["quotechar"] = opts.quotechar
        return opts, enc, raw, kw

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        opts, enc, raw, kw = self._setup(path, options)
        if ascii_lines(enc.codec):
            text: Any = BoundedLines(raw, enc.codec, path)
        else:  # pragma: no cover - UTF-16/32 declared: lines cannot be cut as bytes
            text = io.TextIOWrapper(raw, encoding=enc.codec, errors="strict", newline="")
        try:
            with field_limit(path):
                names, base = self._header(text, opts, kw)
                if names is None:
                    return
                reader = csv.reader(text, **kw)
                yield from self._data(path, reader, names, base)
        except UnicodeDecodeError:
            raise self._decode_error(path, enc) from None
        finally:
            raw.close()

    def _decode_error(self, path: str, enc) -> JincaiError:
        hit = _first_error(path, enc.codec, enc.bom)
        if hit is None:  # pragma: no cover - the decoder disagreed with itself
            return JincaiError("adapter-undecodable-bytes", "无法解码", "cannot decode", path)
        return undecodable_error(path, enc.codec, hit[0], hit[1])

    def _header(self, text, opts: CsvOptions, kw: dict[str, Any]) -> tuple[list[str] | None, int]:
        """Read the preamble, the header and the skipped lines from ``text`` (a text stream or a
        list of lines): the column names and the number of physical lines consumed."""
        base = 0
        if opts.header_row:
            for _ in range(opts.header_row - 1):
                text.readline()
                base += 1
        reader = csv.reader(text, **kw)
        if opts.header_row:
            try:
                header = next(reader)
            except StopIteration:
                self.info["preamble_lines"] = base
                return None, base
            cap = limits.limit("field_bytes")
            for h in header:
                if len(h) > cap // 4 and len(h.encode("utf-8")) > cap:
                    raise limits.exceeded("field_bytes", len(h.encode("utf-8")), f"source.header_row {opts.header_row}")
            names = _unique([h.strip().lstrip("\ufeff") for h in header])
            while names and names[-1].startswith("#") and not header[len(names) - 1].strip():
                names.pop()  # a trailing delimiter on the header line
        else:
            names = list(opts.columns or [])
        for _ in range(opts.skip_lines):
            if next(reader, None) is None:
                break
        self.info["preamble_lines"] = base + reader.line_num
        self.info["columns"] = names
        return names, base + reader.line_num

    def _data(self, path: str, reader, names: list[str], base: int) -> Iterator[SourceRow]:
        n = len(names)
        prev = reader.line_num
        take = base + 1 - prev
        cap = limits.limit("field_bytes")
        quick = cap // 4  # a character is at most 4 bytes in UTF-8
        for cells in reader:
            start = prev + take
            prev = reader.line_num
            if cells and max(map(len, cells)) > quick:
                for c in cells:
                    if len(c) > quick and len(c.encode("utf-8")) > cap:
                        raise limits.exceeded("field_bytes", len(c.encode("utf-8")), f"{path}:{start}")
            if not names:  # no header, no declared columns: name them 1, 2, 3 …
                names = [str(i + 1) for i in range(len(cells))]
                n = len(names)
                self.info["columns"] = names
            if len(cells) == n:
                yield SourceRow(path, start, dict(zip(names, cells)))
                continue
            if not cells:  # a blank line
                yield SourceRow(path, start, dict.fromkeys(names, ""))
                continue
            if len(cells) > n and not any(c.strip() for c in cells[n:]):
                yield SourceRow(path, start, dict(zip(names, cells)))
                continue
            values = dict(zip(names, cells))
            for i in range(n, len(cells)):
                values[f"#{i + 1}"] = cells[i]
            yield SourceRow(
                path,
                start,
                values,
                extra=_reject(
                    "csv-field-count",
                    f"该行有 {len(cells)} 个字段，表头有 {n} 列",
                    f"the row has {len(cells)} fields, the header has {n} columns",
                ),
            )

    # ---- in batches (the columnar fast path) -------------------------------------------------

    def read_batches(self, path: str, options: dict[str, Any]) -> Iterator[Any]:
        """The same rows as ``read``, as polars DataFrames (see ``_batch.py``). A block without
        the quote character is split into lines and fields with Arrow kernels (the lines whose
        field count differs from the header's go through the ``csv`` module one by one); a block
        with quotes is parsed by the ``csv`` module, row by row."""
        import itertools

        from jincai.adapters.readers._batch import rows_to_frame

        opts, enc, raw, kw = self._setup(path, options)
        with raw, field_limit(path):
            blocks = self._text_blocks(path, raw, enc)
            first = next(blocks, "")
            while _line_count(first) < max(opts.header_row, 1) + opts.skip_lines:  # the preamble spans blocks
                more = next(blocks, None)
                if more is None:
                    break
                first += more
            names, consumed = self._header(io.StringIO(first, newline=""), opts, kw)
            if names is None:
                return
            pos = 0
            ends = _LINE_END.finditer(first)
            for _ in range(consumed):  # past the preamble's lines, whatever their line ends
                m = next(ends, None)
                pos = len(first) if m is None else m.end()
            number = consumed
            for text in itertools.chain([first[pos:]], blocks):
                if not text:
                    continue
                if not names:
                    names = [str(i + 1) for i in range(len(next(csv.reader([_LINE_END.split(text, 1)[0]], **kw), [])))]
                    self.info["columns"] = names
                frame, lines = self._fast(path, text, opts, names, number, kw)
                if frame is None:
                    rows: list[SourceRow] = []
                    for row in self._data(path, _Counted(text, kw), names, number):
                        rows.append(row)
                        if len(rows) >= ROWS_PER_FRAME:
                            yield rows_to_frame(names, rows)
                            rows = []
                    if rows:
                        yield rows_to_frame(names, rows)
                    number += _line_count(text)
                    continue
                self._check_fields(path, frame, names, number)
                if frame.height:
                    yield frame
                number += lines

    @staticmethod
    def _check_fields(path: str, frame: Any, names: list[str], number: int) -> None:
        """``limits.field_bytes`` on a batch (the row path checks each row as it reads it)."""
        import polars as pl

        cap = limits.limit("field_bytes")
        cols = [c for c in names if c in frame.columns]
        if not cols or not frame.height:
            return
        longest = frame.select(pl.max_horizontal([pl.col(c).str.len_bytes().max() for c in cols])).item()
        if longest is not None and longest > cap:
            at = frame.filter(pl.any_horizontal([pl.col(c).str.len_bytes() > cap for c in cols]))["__jc_row"][0]
            raise limits.exceeded("field_bytes", longest, f"{path}:{at}")

    def _text_blocks(self, path: str, raw, enc) -> Iterator[str]:
        """Decoded blocks of about ``CHUNK`` bytes, each ending with a line end (but the last)."""
        carry = b""
        cap = limits.limit("line_bytes")
        lines_before = 0
        while True:
            chunk = raw.read(CHUNK)
            buf = carry + chunk
            if not buf:
                return
            if chunk:
                cut = buf.rfind(b"\n") + 1
                if cut <= 0:
                    cut = buf.rfind(b"\r", 0, len(buf) - 1) + 1  # old Mac line ends
                if cut <= 0:
                    carry = buf
                    if len(carry) > cap + 1:
                        raise line_too_long(path, lines_before + 1)
                    continue
                block, carry = buf[:cut], buf[cut:]
            else:
                block, carry = buf, b""
            if len(block) > cap and longest_line(block) > cap:
                for i, ln in enumerate(block.splitlines()):
                    if len(ln) > cap:
                        raise line_too_long(path, lines_before + i + 1)
            lines_before += line_ends(block)
            try:
                yield _decode(block, enc.codec)
            except UnicodeDecodeError:
                raise self._decode_error(path, enc) from None
            if not chunk:
                return

    def _fast(self, path: str, text: str, opts: CsvOptions, names: list[str], number: int, kw: dict[str, Any]):
        """A block parsed by polars' CSV reader when the block is plainly well formed — one record
        per line, every line with the header's number of fields, quotes only around whole fields —
        which is checked with counts over the whole block; else ``_by_lines``."""
        import polars as pl

        body = text[:-1] if text.endswith("\n") else text
        if not body or ("\r" in body and body.count("\r") != body.count("\r\n") + (1 if body.endswith("\r") else 0)):
            return self._by_lines(path, text, opts, names, number, kw)
        d, q = opts.delimiter, opts.quotechar
        data = body.encode("utf-8")
        if q is not None and q in body:
            odd = quote_inside_field(data, d, q)
            if odd is None:
                odd = re.compile(f"[^{re.escape(d)}\r\n{re.escape(q)}]{re.escape(q)}[^{re.escape(d)}\r\n{re.escape(q)}]").search(body) is not None
            if odd or body.startswith(q + q + q):
                return self._by_lines(path, text, opts, names, number, kw)
        k = len(names)
        try:
            frame = pl.read_csv(
                data, has_header=False, new_columns=names, infer_schema=False, separator=d,
                quote_char=q, empty_string_is_null=False, raise_if_empty=False, truncate_ragged_lines=False,
            )
        except Exception:
            return self._by_lines(path, text, opts, names, number, kw)
        n = count_byte(data, LF) + 1
        if frame.height != n or frame.width != k:
            return self._by_lines(path, text, opts, names, number, kw)
        inner = 0
        if q is not None and q in body:
            inner = int(frame.select(pl.sum_horizontal([pl.col(c).str.count_matches(d, literal=True).sum() for c in names])).item() or 0)
        if (count_byte(data, ord(d)) if ord(d) < 128 else body.count(d)) != n * (k - 1) + inner:
            return self._by_lines(path, text, opts, names, number, kw)
        frame = frame.with_columns(
            pl.int_range(number + 1, number + n + 1, dtype=pl.Int64).alias("__jc_row"),
            pl.lit(None, dtype=pl.Int64).alias("__jc_off"),
            *[pl.lit(None, dtype=pl.Utf8).alias(m) for m in META[2:]],
        )
        return frame, n

    def _by_lines(self, path: str, text: str, opts: CsvOptions, names: list[str], number: int, kw: dict[str, Any]):
        """A block as a batch with Arrow's CSV parser, for the lines where it and the ``csv``
        module cannot disagree: every field either unquoted without the quote character, or quoted
        with inner quotes doubled. Other lines — blank, with another number of fields — go through
        the ``csv`` module one by one; a block where a quoted field may span lines goes whole."""
        import polars as pl
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        from jincai.adapters.readers._batch import rows_to_frame

        body = text[:-1] if text.endswith("\n") else text
        if "\r" in body and body.count("\r") != body.count("\r\n") + (1 if body.endswith("\r") else 0):
            return None, 0  # a bare CR (old Mac line end, or inside a line): the csv module decides
        lines = pc.split_pattern(pa.array([body], pa.large_string()), "\n").flatten()
        if "\r" in body:
            lines = pc.replace_substring_regex(lines, "\r$", "")
        n = len(lines)
        d = _rx(opts.delimiter)
        q = opts.quotechar
        if q is None:
            count = pc.add(pc.count_substring(lines, opts.delimiter), 1)
            good = pc.equal(count, len(names))
        else:
            qq = _rx(q)
            field = f'{qq}(?:[^{qq}]|{qq}{qq})*{qq}|[^{qq}{d}]*'
            simple = pc.match_substring_regex(lines, f"^(?:{field})(?:{d}(?:{field}))*$")
            if q in body and not pc.all(pc.or_(simple, pc.invert(pc.match_substring(lines, q)))).as_py():
                return None, 0  # a quote the simple form does not explain: maybe a field spanning lines
            bare = pc.replace_substring_regex(lines, f"{qq}(?:[^{qq}]|{qq}{qq})*{qq}", "")
            count = pc.add(pc.count_substring(bare, opts.delimiter), 1)
            good = pc.and_(simple, pc.equal(count, len(names)))
        good = pc.and_(good, pc.not_equal(pc.utf8_length(lines), 0))
        all_good = pc.all(good).as_py()
        if all_good:
            kept = lines
        else:
            bad_idx = pc.indices_nonzero(pc.invert(good)).to_pylist()
            if len(bad_idx) > max(64, n // 20):
                return None, 0
            kept = lines.filter(good)
        rows = pl.int_range(number + 1, number + n + 1, dtype=pl.Int64, eager=True)
        if len(kept):
            joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(kept)], pa.int32()), kept.cast(pa.string())), "\n")
            table = pcsv.read_csv(
                pa.BufferReader(joined[0].as_buffer()),
                read_options=pcsv.ReadOptions(column_names=[f"c{i}" for i in range(len(names))], use_threads=True),
                parse_options=pcsv.ParseOptions(delimiter=opts.delimiter, quote_char=q if q is not None else False, double_quote=True, newlines_in_values=False, ignore_empty_lines=False),
                convert_options=pcsv.ConvertOptions(column_types={f"c{i}": pa.string() for i in range(len(names))}, strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
            if table.num_rows != len(kept):  # pragma: no cover - the checks above make them agree
                return None, 0
            frame = pl.from_arrow(table.rename_columns(names), rechunk=True)
        else:
            frame = pl.DataFrame({name: pl.Series(name, [], dtype=pl.Utf8) for name in names})
        frame = frame.with_columns(
            (rows.filter(pl.Series(good)) if not all_good else rows).alias("__jc_row"),
            pl.lit(None, dtype=pl.Int64).alias("__jc_off"),
            *[pl.lit(None, dtype=pl.Utf8).alias(m) for m in META[2:]],
        )
        if not all_good:
            odd = []
            for i in bad_idx:
                line = lines[i].as_py()
                odd += list(self._data(path, _Counted(line + "\n", kw), names, number + i))
            extra = rows_to_frame(names, odd)
            for c in extra.columns:
                if c not in frame.columns:
                    frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(c))
            frame = pl.concat([frame, extra.select(frame.columns)], how="vertical").sort("__jc_row")
        return frame, n


_LINE_END = re.compile(r"\r\n|\r|\n")
_DECODE_SLICE = 1 << 20


def _decode(block: bytes, codec: str) -> str:
    """``block.decode(codec)`` a megabyte at a time: decoding holds the GIL, and the translation
    thread gets it back between slices instead of waiting for the whole block."""
    if len(block) <= _DECODE_SLICE:
        return block.decode(codec)
    import codecs

    dec = codecs.getincrementaldecoder(codec)("strict")
    view = memoryview(block)
    parts = [dec.decode(view[i : i + _DECODE_SLICE]) for i in range(0, len(block), _DECODE_SLICE)]
    parts.append(dec.decode(b"", True))
    return "".join(parts)


def _line_count(text: str) -> int:
    """Physical lines of a block as the csv module counts them (LF, CRLF and CR end a line)."""
    if not text:
        return 0
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if text.endswith(("\n", "\r")) else 1)


def _rx(ch: str) -> str:
    """One character as a literal in a regular expression (RE2), in or out of a class."""
    if ch in "\\.^$|?*+()[]{}-":
        return "\\" + ch
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(ch, ch)


class _Counted:
    """A ``csv.reader`` over a text block that counts physical lines like the streaming reader."""

    def __init__(self, text: str, kw: dict[str, Any]):
        self._reader = csv.reader(io.StringIO(text, newline=""), **kw)

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._reader)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"#{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}#{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out
