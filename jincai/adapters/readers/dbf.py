"""dBase / FoxPro / Visual FoxPro tables (``source.format: dbf``).

Options (the profile's ``source`` block):

``encoding``
    The code page of the character and memo fields. Without it the file's language-driver byte
    (header byte 29, e.g. ``0x7A`` or ``0x4D`` = GBK/cp936) decides; GB2312/GBK/cp936 are read as
    GB18030. A file whose byte is ``0x00`` (no code page recorded, common for DOS-era exports) is read
    as ASCII, and its first non-ASCII byte is an error asking for ``encoding`` to be declared.
``memo_file``
    Name of the memo file when it is not beside the table under the same name (``.fpt`` for FoxPro,
    ``.dbt`` for dBase): a relative path resolved inside **the table's own folder** (the memo file
    travels with the table it belongs to), which must be a regular file within ``memo_file_bytes``;
    anything else (``/etc/passwd``, ``../x``, ``/dev/zero``) is refused without reading it. A table
    with memo fields whose memo file is missing is an error.

Every record becomes a ``SourceRow`` — deleted records (deletion flag ``*``) too, with
``extra["deleted"] = True``, so the profile filters them and the ledger counts them.
``row`` is the 1-based record number, ``byte_offset`` where the record starts in the table file.

The header's record count is compared with what the file's length holds, and nothing is read or
dropped silently: records past the count are rejected items (``dbf-record-past-count``, their
values decoded where they can be), a last record cut short is ``dbf-record-truncated``, records
the header declares but the file does not hold are one item ``dbf-records-missing``, bytes after
the end-of-file mark (0x1A) are booked in pieces of one record's length: ``dbf-data-after-end``
(rejected) for each piece holding data, one filtered ``dbf-padding`` item for the pieces of padding
(0x00/0x1A). These are problems of the file, booked before any
profile filter; ``ledger.json`` shows ``records_declared`` and ``records_in_file`` for the file.
A value that cannot be read (a ``T`` date-time out of range, a memo pointer past the end of the
memo file) rejects its record (``dbf-bad-value``, with the field and the raw bytes in hex).

Values, as stored: ``C`` text with its trailing blank padding removed (leading blanks kept); ``N``/``F``
an ``int`` when the field has no decimals and the text is an integer, else a ``Decimal`` with the
digits exactly as stored (never a float), ``None`` when blank, and the raw text (stripped) when it is
not a number (e.g. ``*****`` overflow); ``D`` a ``datetime.date``, ``None`` when blank, the raw text
when not a real date; ``L`` ``True``/``False``/``None``; ``M`` memo text (``bytes`` for binary
memos, ``G``/``P``); ``I`` int; ``Y`` a ``Decimal`` with 4 decimals; ``T`` a ``datetime``; ``B`` a
float in Visual FoxPro (a memo in dBase). A byte that does not decode in the code page is an error
naming the record, field and byte offset — never a replacement character.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from decimal import Decimal
from typing import Any, Iterator, Literal

from dbfread.codepages import codepages as _CODEPAGES
from pydantic import BaseModel, ConfigDict, Field

from jincai import limits
from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._common import normalize_encoding, parse_options, undecodable, open_binary
from jincai.errors import JincaiError

_NUMBER = re.compile(rb"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_INTEGER = re.compile(rb"[+-]?[0-9]+")
_VFP_VERSIONS = {0x30, 0x31, 0x32}
_JULIAN_1970 = 2440588  # Julian day number of 1970-01-01 (VFP datetimes)


class _BadValue(Exception):
    """A stored value that cannot be read (it rejects its record, not the file)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


class _Memo:
    """Random access to the blocks of an .fpt (FoxPro) or .dbt (dBase III / IV) memo file."""

    def __init__(self, fh, name: str, version: int):
        self.fh = fh
        self.name = name
        self.size = os.fstat(fh.fileno()).st_size
        head = fh.read(512)
        self.kind = "fpt" if name.lower().endswith(".fpt") else ("dbt3" if version == 0x83 else "dbt4")
        if self.kind == "fpt":
            self.block = struct.unpack(">H", head[6:8])[0] if len(head) >= 8 else 0
            self.block = self.block or 64
        else:
            size = struct.unpack("<H", head[20:22])[0] if self.kind == "dbt4" and len(head) >= 22 else 0
            self.block = size if size >= 512 and self.kind == "dbt4" else 512
        self.cap = limits.limit("memo_bytes")

    def get(self, index: int) -> tuple[bytes, bool]:
        """(data, is_text) of the memo at block ``index``."""
        start = index * self.block
        if start >= self.size:
            raise _BadValue(f"备注指针 {index} 指向备注文件之外", f"memo pointer {index} points past the end of the memo file")
        self.fh.seek(start)
        if self.kind == "fpt":
            head = self.fh.read(8)
            if len(head) < 8:
                raise _BadValue(f"备注指针 {index} 处的块头不完整", f"memo block {index} has a short header")
            kind, length = struct.unpack(">LL", head)
            return self._exact(length, index), kind == 1
        if self.kind == "dbt4":
            head = self.fh.read(8)
            if head[:4] == b"\xff\xff\x08\x00" and len(head) == 8:
                length = struct.unpack("<L", head[4:8])[0] - 8
                return self._exact(max(length, 0), index), True
            self.fh.seek(start)
        # dBase III: text up to the 0x1A terminator.
        chunks = []
        total = 0
        while True:
            part = self.fh.read(self.block)
            if not part:
                raise _BadValue(f"备注块 {index} 没有结束标记（0x1A）", f"memo block {index} has no end mark (0x1A)")
            end = part.find(b"\x1a")
            if end >= 0:
                chunks.append(part[:end])
                return b"".join(chunks), True
            chunks.append(part)
            total += len(part)
            if total > self.cap:
                raise limits.exceeded("memo_bytes", f">{total}", f"{self.name}@{start}")

    def _exact(self, length: int, index: int) -> bytes:
        if length > self.size - self.fh.tell():
            raise _BadValue(f"备注块 {index} 声明 {length} 字节，超出备注文件末尾", f"memo block {index} declares {length} bytes, past the end of the memo file")
        if length > self.cap:
            raise limits.exceeded("memo_bytes", length, f"{self.name}@{index * self.block}")
        return self.fh.read(length)

    def close(self) -> None:
        self.fh.close()


def _open_memo(path: str, declared: str | None, version: int) -> _Memo | None:
    """The table's memo file: ``memo_file`` inside the table's folder, else the file beside it with
    the table's name and .fpt/.dbt (any case); ``None`` when there is none."""
    folder = os.path.dirname(path) or "."
    name = declared
    if not name:
        stem = os.path.splitext(os.path.basename(path))[0].lower()
        try:
            listing = os.listdir(folder)
        except OSError:
            listing = []
        name = next((n for n in sorted(listing) if os.path.splitext(n)[0].lower() == stem and os.path.splitext(n)[1].lower() in (".fpt", ".dbt")), None)
        if name is None:
            return None
    fh = limits.open_confined(
        folder, name, "备注", "memo", "source.memo_file" if declared else path, "memo_file_bytes",
        base_zh="表所在目录", base_en="the table's folder",
    )
    return _Memo(fh, name, version)


class DbfOptions(BaseModel):
    """Options of the ``dbf`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["dbf"] = "dbf"
    encoding: str | None = Field(None, description="代码页；不写则按表头语言驱动字节（0x7A/0x4D = GBK）/ code page; default: the header's language-driver byte")
    memo_file: str | None = Field(None, description="备注文件名（不与表同名时），相对于表所在目录 / memo file name when not the table's, relative to the table's folder")


@register("dbf")
class DbfReader:
    name = "dbf"
    options_model = DbfOptions

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        options = parse_options(DbfOptions, options, "dbf").model_dump()
        stem, ext = os.path.splitext(path)
        if ext.lower() in (".fpt", ".dbt"):
            # a memo file has no rows of its own: its texts are read through the table's memo fields
            table = next((stem + e for e in (".dbf", ".DBF", ".Dbf") if os.path.exists(stem + e)), None)
            if table is None:
                raise JincaiError(
                    "adapter-dbf-memo-alone",
                    "给出的是备注文件（.fpt/.dbt），但旁边没有同名的表（.dbf）",
                    "this is a memo file (.fpt/.dbt) and its table (.dbf) is not beside it",
                    path,
                )
            self.info = {"memo_file_of": table}
            return
        fh = open_binary(path)
        with fh:
            yield from self._read(fh, path, options)

    def _read(self, fh, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        head = fh.read(32)
        if len(head) < 32:
            raise _malformed(path, "文件太短，不是 DBF 表", "too short to be a DBF table")
        version = head[0]
        n_records, header_len, record_len = struct.unpack("<LHH", head[4:12])
        ldid = head[29]
        if header_len < 33 or record_len < 1:
            raise _malformed(path, "表头长度或记录长度无效", "invalid header or record length")
        size = os.fstat(fh.fileno()).st_size
        if size < header_len:
            raise _malformed(path, f"表头声明长度 {header_len} 字节，文件只有 {size} 字节", f"the header declares {header_len} bytes, the file has {size}")
        limits.check("dbf_record_bytes", record_len, path)
        descriptors = fh.read(header_len - 32)
        declared = options.get("encoding")
        if declared:
            encoding = normalize_encoding(declared, "source.encoding")
            how = "declared"
        elif ldid in _CODEPAGES and ldid != 0:
            encoding = normalize_encoding(_CODEPAGES[ldid][0])
            how = f"language driver 0x{ldid:02X}"
        elif ldid == 0:
            encoding = "ascii"
            how = "no code page"
        else:
            raise JincaiError(
                "adapter-unknown-encoding",
                f"DBF 语言驱动字节 0x{ldid:02X} 未知；请在配置 source.encoding 中声明代码页",
                f"unknown DBF language driver byte 0x{ldid:02X}; declare source.encoding in the profile",
                path,
            )
        vfp = version in _VFP_VERSIONS
        in_file = (size - header_len) // record_len
        self.info = {
            "encoding": encoding, "encoding_how": how, "version": f"0x{version:02X}", "records": n_records,
            "records_declared": n_records, "records_in_file": in_file, "record_count_matches": in_file == n_records,
        }
        limits.check("source_rows", min(n_records, in_file + 1), path)
        fields = _fields(path, descriptors, encoding, vfp)
        memo = None
        if any(f[1] in "MGP" or (f[1] == "B" and not vfp) for f in fields):
            memo = _open_memo(path, options.get("memo_file"), version)
            if memo is None:
                raise JincaiError(
                    "adapter-dbf-memo-missing",
                    "表有备注字段，但找不到备注文件（.fpt/.dbt）",
                    "the table has memo fields but its memo file (.fpt/.dbt) is missing",
                    path,
                )
        try:
            yield from self._records(fh, path, header_len, record_len, n_records, size, fields, encoding, how, vfp, memo)
        finally:
            if memo:
                memo.close()

    def _records(self, fh, path, header_len, record_len, n_records, size, fields, encoding, how, vfp, memo):
        fh.seek(header_len)
        names: list[str] = []
        convs: list = []
        starts: list[int] = []
        fmt = ["<1s"]
        pos = 1
        for name, ftype, start, length, decimals in fields:
            if start > pos:
                fmt.append(f"{start - pos}x")
            pos = start + length
            if ftype == "0":  # Visual FoxPro's hidden null-flags field
                fmt.append(f"{length}x")
                continue
            fmt.append(f"{length}s")
            names.append(name)
            starts.append(start)
            if ftype in ("C", "V"):  # V: Visual FoxPro varchar, blank-padded like C
                convs.append(lambda raw, enc=encoding: raw.rstrip(b" \x00").decode(enc))
            elif ftype in "MGP" or (ftype == "B" and not vfp):
                convs.append(lambda raw, t=ftype: _memo_value(raw, memo, encoding, t))
            else:
                convs.append(_parser(ftype, length, decimals, vfp))
        if record_len > pos:
            fmt.append(f"{record_len - pos}x")
        layout = struct.Struct("".join(fmt))
        if layout.size != record_len:
            raise _malformed(path, "字段长度之和与记录长度不符", "the field lengths do not add up to the record length")
        plan = list(zip(names, convs))

        def row(raws, number: int, offset: int) -> SourceRow:
            try:
                values = {name: conv(raw) for (name, conv), raw in zip(plan, raws[1:])}
            except UnicodeDecodeError:
                self._explain(path, number, offset, plan, starts, raws[1:], encoding, how)
                raise
            except _BadValue:
                values, reject = self._bad_value(plan, raws[1:])
                return SourceRow(file=path, row=number, values=values, byte_offset=offset, extra={"deleted": raws[0] == b"*", "reject": reject})
            return SourceRow(file=path, row=number, values=values, byte_offset=offset, extra={"deleted": raws[0] == b"*"})

        batch = max(1, (1 << 16) // record_len)
        number = 0
        offset = header_len
        in_file = (size - header_len) // record_len
        while number < min(n_records, in_file):
            want = min(batch, n_records - number, in_file - number)
            block = fh.read(want * record_len)
            whole = len(block) // record_len
            for raws in layout.iter_unpack(block[: whole * record_len]):
                number += 1
                yield row(raws, number, offset)
                offset += record_len
            if whole < want:  # the file shrank while it was read
                break
        yield from self._rest(fh, path, layout, row, number, offset, n_records, size, record_len)

    def _rest(self, fh, path, layout, row, number, offset, n_records, size, record_len):
        """What lies after the records read: records past the header's count, a record cut short,
        the end-of-file mark and what follows it, records declared but absent (module docstring)."""
        fh.seek(offset)
        while True:
            raw = fh.read(record_len)
            if not raw:
                break
            if raw[:1] == b"\x1a":  # the end-of-file mark
                yield from _after_mark(fh, path, raw[1:], number + 1, offset + 1, size - offset - 1, record_len)
                break
            number += 1
            if len(raw) < record_len:
                yield _item(path, number, offset, "reject", "dbf-record-truncated",
                            f"第 {number} 条记录被截断：只有 {len(raw)} 字节，应为 {record_len} 字节", f"record {number} is cut short: {len(raw)} of {record_len} bytes", raw[:32].hex(" "))
                break
            try:
                values = row(layout.unpack(raw), number, offset).values
            except JincaiError:  # undecodable: the raw bytes are in the rejection
                values = {}
            yield SourceRow(file=path, row=number, values=values, byte_offset=offset, extra={"reject": {
                "code": "dbf-record-past-count", "zh": f"第 {number} 条记录在表头声明的记录数 {n_records} 之外", "en": f"record {number} lies past the header's record count {n_records}",
                "column": None, "raw": raw[:32].hex(" "), "file": True}})
            offset += record_len
        if number < n_records:
            yield _item(path, number + 1, size, "reject", "dbf-records-missing",
                        f"表头声明 {n_records} 条记录，文件在第 {number} 条之后结束（缺 {n_records - number} 条）",
                        f"the header declares {n_records} records, the file ends after record {number} ({n_records - number} missing)")

    @staticmethod
    def _bad_value(plan, raws) -> tuple[dict[str, Any], dict[str, Any]]:
        """The record's values with the unreadable one as its raw bytes (hex), and the rejection."""
        values: dict[str, Any] = {}
        reject = None
        for (name, conv), raw in zip(plan, raws):
            try:
                values[name] = conv(raw)
            except (_BadValue, UnicodeDecodeError) as exc:
                values[name] = raw.hex(" ")
                if reject is None:
                    zh = exc.zh if isinstance(exc, _BadValue) else "无法解码"
                    en = exc.en if isinstance(exc, _BadValue) else "cannot be decoded"
                    reject = {"code": "dbf-bad-value", "zh": f"字段 {name} 的值无法读取：{zh}", "en": f"field {name}: the value cannot be read: {en}", "column": name, "raw": raw.hex(" ")}
        assert reject is not None
        return values, reject

    @staticmethod
    def _explain(path, number, offset, plan, starts, raws, encoding, how) -> None:
        """Find the field that failed and raise the error that names it."""
        for (name, conv), start, raw in zip(plan, starts, raws):
            try:
                conv(raw)
            except UnicodeDecodeError as exc:
                err = undecodable(path, exc, offset + start, f"第 {number} 条记录的字段 {name}（{how}）", f"record {number}, field {name} ({how})")
                if encoding == "ascii":
                    err.message_zh += "；DBF 文件未记录代码页，请在配置 source.encoding 中声明（如 GBK）"
                    err.message_en += "; the DBF file records no code page: declare source.encoding (e.g. GBK) in the profile"
                raise err from None
            except _BadValue:
                continue


def _item(path: str, number: int, offset: int, kind: str, code: str, zh: str, en: str, raw: str | None = None) -> SourceRow:
    """A problem of the file's structure, as an item of the ledger (booked before profile filters)."""
    if kind == "filtered":
        extra = {"filtered": code}
    else:
        extra = {"reject": {"code": code, "zh": zh, "en": en, "column": None, "raw": raw, "file": True}}
    return SourceRow(file=path, row=number, values={}, byte_offset=offset, extra=extra)


def _after_mark(fh, path: str, first: bytes, number: int, offset: int, more: int, record_len: int) -> Iterator[SourceRow]:
    """Bytes after the end-of-file mark, in pieces of one record's length: a piece holding anything
    but padding (0x00/0x1A) is a rejected ``dbf-data-after-end`` item of its own — records written
    after a stale mark are counted one by one, not hidden in a single item — and the padding pieces
    together are one filtered ``dbf-padding`` item."""
    if more <= 0:
        return
    pending = first
    at, padding, first_padding = offset, 0, None
    while True:
        while len(pending) < record_len:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            pending += chunk
        if not pending:
            break
        piece, pending = pending[:record_len], pending[record_len:]
        if piece.strip(b"\x00\x1a"):
            yield _item(path, number, at, "reject", "dbf-data-after-end",
                        f"文件结束标记（0x1A）之后的第 {at - offset + 1} 字节起有 {len(piece)} 字节数据",
                        f"{len(piece)} bytes of data after the end-of-file mark (0x1A), from its byte {at - offset + 1}", piece.lstrip(b"\x00\x1a")[:32].hex(" "))
            number += 1
        else:
            padding += len(piece)
            first_padding = at if first_padding is None else first_padding
        at += len(piece)
    if padding:
        yield _item(path, number, first_padding, "filtered", "dbf-padding",
                    f"文件结束标记（0x1A）之后有 {padding} 字节填充（0x00/0x1A）", f"{padding} bytes of padding (0x00/0x1A) after the end-of-file mark (0x1A)")


_FIXED_LENGTHS = {"I": 4, "+": 4, "Y": 8, "T": 8, "@": 8}


def _fields(path: str, descriptors: bytes, encoding: str, vfp: bool) -> list[tuple[str, str, int, int, int]]:
    """(name, type, start, length, decimals) of each field descriptor."""
    fields = []
    pos = 1
    seen: set[str] = set()
    for i in range(0, len(descriptors) - 31, 32):
        d = descriptors[i : i + 32]
        if d[0] == 0x0D:
            break
        at = 32 + i
        raw_name = d[:11].split(b"\x00", 1)[0].strip()
        try:
            fname = raw_name.decode(encoding if encoding != "ascii" else "gb18030")
        except UnicodeDecodeError:
            raise _malformed(
                path, f"字段描述（字节偏移 {at}）的字段名 {raw_name.hex(' ')} 不是合法的 {encoding} 文本",
                f"the field descriptor at byte offset {at} has a name {raw_name.hex(' ')} that is not valid {encoding}", at) from None
        if not fname or not fname.isprintable() or fname in seen:
            problem = ("为空或含控制字符", "is empty or holds control characters") if not fname or not fname.isprintable() else ("重复", "repeats")
            raise _malformed(path, f"字段描述（字节偏移 {at}）的字段名{problem[0]}", f"the field descriptor at byte offset {at} has a name that {problem[1]}", at)
        seen.add(fname)
        ftype = chr(d[11]).upper()
        length, decimals = d[16], d[17]
        if ftype == "C" and not vfp and decimals:  # Clipper/FoxPro long character fields
            length += decimals * 256
            decimals = 0
        need = _FIXED_LENGTHS.get(ftype) or (8 if ftype == "B" and vfp else None)
        if need is not None and length != need:
            raise _malformed(path, f"字段 {fname}（类型 {ftype}）长度应为 {need}，实为 {length}", f"field {fname} (type {ftype}) must be {need} bytes long, not {length}", at)
        fields.append((fname, ftype, pos, length, decimals))
        pos += length
    if not fields:
        raise _malformed(path, "表中没有字段定义", "the table defines no fields")
    return fields


def _memo_value(raw: bytes, memo: _Memo, encoding: str, ftype: str):
    if len(raw) == 4:
        index = struct.unpack("<L", raw)[0]
    else:
        text = raw.strip(b" \x00")
        if not text:
            return None
        if not text.isdigit():
            raise _BadValue(f"备注指针 {text!r} 不是数字", f"the memo pointer {text!r} is not a number")
        index = int(text)
    if index <= 0:
        return None
    data, is_text = memo.get(index)
    if ftype == "M" and is_text:
        return data.decode(encoding)
    return data


def _parser(ftype: str, length: int, decimals: int, vfp: bool):
    if ftype in ("N", "F"):
        def parse_number(raw: bytes):
            text = raw.strip(b" \x00")
            if not text:
                return None
            if decimals == 0 and _INTEGER.fullmatch(text):
                return int(text)
            if _NUMBER.fullmatch(text):
                return Decimal(text.decode("ascii"))
            return text.decode("latin-1")
        return parse_number
    if ftype == "D":
        def parse_date(raw: bytes):
            text = raw.strip(b" \x00")
            if not text:
                return None
            try:
                return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 and text.isdigit() else text.decode("latin-1")
            except ValueError:
                return text.decode("latin-1")
        return parse_date
    if ftype == "L":
        def parse_logical(raw: bytes):
            c = raw[:1]
            if c in b"TtYy" and c:
                return True
            if c in b"FfNn" and c:
                return False
            return None
        return parse_logical
    if ftype == "I" or ftype == "+":
        return lambda raw: struct.unpack("<i", raw[:4])[0]
    if ftype == "Y":
        return lambda raw: Decimal(struct.unpack("<q", raw[:8])[0]).scaleb(-4)
    if ftype == "B":  # Visual FoxPro double
        return lambda raw: struct.unpack("<d", raw[:8])[0]
    if ftype in ("T", "@"):
        def parse_datetime(raw: bytes):
            day, ms = struct.unpack("<ll", raw[:8])
            if day == 0 and ms == 0:
                return None
            try:
                if not 0 <= ms < 86_400_000:
                    raise ValueError
                return dt.datetime(1970, 1, 1) + dt.timedelta(days=day - _JULIAN_1970, milliseconds=ms)
            except (OverflowError, ValueError):
                raise _BadValue(f"日期时间（儒略日 {day}，毫秒 {ms}）超出范围", f"date-time out of range (Julian day {day}, {ms} ms)") from None
        return parse_datetime
    return lambda raw: bytes(raw)


def _malformed(path: str, zh: str, en: str, offset: int | None = None) -> JincaiError:
    where = path if offset is None else f"{path}@{offset}"
    return JincaiError("adapter-dbf-malformed", f"DBF 文件结构有误：{zh}", f"malformed DBF file: {en}", where, {} if offset is None else {"byte_offset": offset})
