"""Encoding handling shared by the text readers (``csv``, ``fixed_width``) and ``jincai adapter init``.

Rules (issue 4 §1, LESSONS.md):

* a declared encoding is used as declared (GB2312/GBK/CP936 are read as GB18030);
* otherwise the WHOLE file decides, never its first 100 KB: a UTF-8 byte-order mark means UTF-8;
  a file that decodes as strict UTF-8 from start to end is UTF-8; else one that decodes as strict
  GB18030 is GB18030; else it is an error naming the byte offset and line of the first byte that
  decodes in neither, asking for the encoding to be declared;
* a byte that does not decode is never replaced: it is an error (or, where a reader can isolate it
  to one record, that record's rejection) with its byte offset and line number.
"""

from __future__ import annotations

import codecs
import csv
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from jincai import limits
from jincai.adapters.readers._common import normalize_encoding, open_binary
from jincai.errors import JincaiError

CHUNK = 1 << 20
BOM_UTF8 = codecs.BOM_UTF8


@dataclass(frozen=True)
class Encoding:
    codec: str  # Python codec name: "utf-8", "gb18030", …
    bom: int  # bytes of byte-order mark to skip
    how: str  # "declared" | "bom" | "detected"

    def describe(self) -> tuple[str, str]:
        zh = {"declared": "配置声明", "bom": "字节顺序标记", "detected": "整个文件检测"}[self.how]
        return f"{self.codec}（{zh}）", f"{self.codec} ({self.how})"


def _first_error(path: str, codec: str, start: int) -> tuple[int, UnicodeDecodeError] | None:
    """Decode the file from ``start`` with an incremental strict decoder, chunk by chunk; the
    absolute offset and the error of the first undecodable byte, or ``None``."""
    dec = codecs.getincrementaldecoder(codec)("strict")
    pos = start
    with open(path, "rb") as fh:
        fh.seek(start)
        while True:
            chunk = fh.read(CHUNK)
            final = not chunk
            try:
                dec.decode(chunk, final)
            except UnicodeDecodeError as exc:
                # bytes held back from the previous chunk (an incomplete sequence) come first
                pending = len(exc.object) - len(chunk)
                return pos - pending + exc.start, exc
            if final:
                return None
            pos += len(chunk)


def line_of(path: str, offset: int) -> int:
    """1-based line number of the byte at ``offset``."""
    lines = 1
    done = 0
    with open(path, "rb") as fh:
        while done < offset:
            chunk = fh.read(min(CHUNK, offset - done))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            done += len(chunk)
    return lines


def undecodable_error(path: str, codec: str, offset: int, exc: UnicodeDecodeError | None = None, hint: tuple[str, str] = ("", "")) -> JincaiError:
    line = line_of(path, offset)
    with open(path, "rb") as fh:
        fh.seek(offset)
        bad = fh.read(exc.end - exc.start if exc is not None else 1)
    shown = bad.hex(" ")
    return JincaiError(
        "adapter-undecodable-bytes",
        f"第 {line} 行、字节偏移 {offset} 处的字节 {shown} 不是合法的 {codec} 编码{hint[0]}",
        f"line {line}, byte offset {offset}: the bytes {shown} are not valid {codec}{hint[1]}",
        f"{path}:{line}@{offset}",
        {"byte_offset": offset, "line": line, "encoding": codec, "bytes": shown},
    )


def detect(path: str, declared: str | None = None) -> Encoding:
    """The encoding of a text file (see the module docstring). Raises ``JincaiError``
    (``adapter-undecodable-bytes``) when the file decodes neither as UTF-8 nor as GB18030."""
    with open_binary(path) as fh:
        head = fh.read(3)
    bom = 3 if head == BOM_UTF8 else 0
    if declared:
        codec = normalize_encoding(declared, "source.encoding")
        if codec == "utf-8-sig":
            codec = "utf-8"
        return Encoding(codec, bom if codec == "utf-8" else 0, "declared")
    if bom:
        hit = _first_error(path, "utf-8", 3)
        if hit is not None:
            raise undecodable_error(path, "utf-8", hit[0], hit[1], ("（文件有 UTF-8 字节顺序标记）", " (the file has a UTF-8 byte-order mark)"))
        return Encoding("utf-8", 3, "bom")
    if _first_error(path, "utf-8", 0) is None:
        return Encoding("utf-8", 0, "detected")
    hit = _first_error(path, "gb18030", 0)
    if hit is None:
        return Encoding("gb18030", 0, "detected")
    raise undecodable_error(
        path,
        "gb18030",
        hit[0],
        hit[1],
        (
            "；整个文件既不是 UTF-8 也不是 GB18030。若文件确为 GBK，请在配置中声明 source.encoding: gbk"
            "（定长文件将只拒绝出错的记录）",
            "; the file is neither UTF-8 nor GB18030 as a whole. If it is GBK, declare source.encoding: gbk "
            "in the profile (a fixed-width file then rejects only the affected records)",
        ),
    )


def detect_bytes(data: bytes) -> str | None:
    """The same rule on bytes already in memory (for ``adapter init``); ``None`` if neither."""
    if data.startswith(BOM_UTF8):
        data = data[3:]
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


# ---- bounded lines and fields ------------------------------------------------------------------

LINE_CHUNK = 1 << 20
_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def last_cut(data: bytes) -> int:
    """Bytes of ``data`` that end in a line terminator known to be complete (a CR at the very end
    may be the first half of a CRLF)."""
    return max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1


def line_too_long(path: str, line: int, offset: int | None = None) -> JincaiError:
    where = f"{path}:{line}" + (f"@{offset}" if offset is not None else "")
    return limits.exceeded("line_bytes", f">{limits.limit('line_bytes')}", where)


def ascii_lines(codec: str) -> bool:
    """Whether CR and LF are single bytes that no other character contains (UTF-8, the GB family,
    single-byte codepages): only then can bytes be cut into lines before decoding."""
    try:
        return "\r\n".encode(codec) == b"\r\n" and codec.replace("_", "-").lower() not in ("utf-16", "utf-32")
    except LookupError:  # pragma: no cover - the codec was looked up already
        return False


class BoundedLines:
    """Decoded lines of a binary stream, terminators kept (LF, CRLF, CR), each at most
    ``limits.line_bytes`` bytes long — a longer line is an error before it is held in memory. Feeds
    ``csv.reader`` (``newline=""`` semantics) and offers ``readline`` for preambles."""

    def __init__(self, raw, codec: str, path: str):
        self.raw = raw
        self.codec = codec
        self.path = path
        self.cap = limits.limit("line_bytes")
        self.pending: list[str] = []
        self.carry = b""
        self.done = False
        self.lines = 0

    def _fill(self) -> bool:
        while not self.pending:
            if self.done:
                return False
            chunk = self.raw.read(LINE_CHUNK)
            buf = self.carry + chunk if self.carry else chunk
            if not chunk:
                self.done = True
                work, self.carry = buf, b""
                if not work:
                    return False
            else:
                cut = last_cut(buf)
                if cut == 0:
                    self.carry = buf
                    if len(buf) > self.cap + 1:
                        raise line_too_long(self.path, self.lines + 1)
                    continue
                work, self.carry = buf[:cut], buf[cut:]
            if len(work) > self.cap and max(map(len, work.splitlines())) > self.cap:
                longest = next(i for i, ln in enumerate(work.splitlines()) if len(ln) > self.cap)
                raise line_too_long(self.path, self.lines + longest + 1)
            self.pending = _TEXT_LINE.findall(work.decode(self.codec))
            self.pending.reverse()
        return True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if not self.pending and not self._fill():
            raise StopIteration
        self.lines += 1
        return self.pending.pop()

    def readline(self) -> str:
        return next(self, "")


@contextmanager
def field_limit(where: str):
    """Fields longer than ``limits.field_bytes`` are the limit's coded error, never the ``csv``
    module's own exception (whose limit is process-wide state: it is only ever raised here)."""
    cap = limits.limit("field_bytes")
    # the csv module's limit (in characters) only backs ours up: a field within one line is
    # measured by the reader itself, so that both of its paths give the same error
    floor = max(cap, limits.limit("line_bytes"))
    if csv.field_size_limit() < floor:
        csv.field_size_limit(floor)
    try:
        yield cap
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise limits.exceeded("field_bytes", f">{csv.field_size_limit()}", where) from None
        raise
