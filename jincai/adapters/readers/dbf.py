"""dBase / FoxPro / Visual FoxPro tables (``source.format: dbf``).

Options (the profile's ``source`` block):

``encoding``
    The code page of the character and memo fields. Without it the file's language-driver byte
    (header byte 29, e.g. ``0x7A`` or ``0x4D`` = GBK/cp936) decides; GB2312/GBK/cp936 are read as
    GB18030. A file whose byte is ``0x00`` (no code page recorded, common for DOS-era exports) is read
    as ASCII, and its first non-ASCII byte is an error asking for ``encoding`` to be declared.
``memo_file``
    Path of the memo file when it is not beside the table under the same name (``.fpt`` for FoxPro,
    ``.dbt`` for dBase). A table with memo fields whose memo file is missing is an error.

Every record becomes a ``SourceRow`` — deleted records (deletion flag ``*``) too, with
``extra["deleted"] = True``, so the profile filters them and the ledger counts them.
``row`` is the 1-based record number, ``byte_offset`` where the record starts in the table file.

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

from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers._common import normalize_encoding, parse_options, undecodable, open_binary
from jincai.errors import JincaiError

_NUMBER = re.compile(rb"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_INTEGER = re.compile(rb"[+-]?[0-9]+")
_VFP_VERSIONS = {0x30, 0x31, 0x32}
_JULIAN_1970 = 2440588  # Julian day number of 1970-01-01 (VFP datetimes)


class _Memo:
    """Random access to the blocks of an .fpt (FoxPro) or .dbt (dBase III / IV) memo file."""

    def __init__(self, path: str, version: int):
        self.path = path
        self.fh = open(path, "rb")
        head = self.fh.read(512)
        self.kind = "fpt" if path.lower().endswith(".fpt") else ("dbt3" if version == 0x83 else "dbt4")
        if self.kind == "fpt":
            self.block = struct.unpack(">H", head[6:8])[0] or 64
        else:
            size = struct.unpack("<H", head[20:22])[0] if self.kind == "dbt4" else 0
            self.block = size if size >= 512 and self.kind == "dbt4" else 512

    def get(self, index: int) -> tuple[bytes, bool]:
        """(data, is_text) of the memo at block ``index``."""
        self.fh.seek(index * self.block)
        if self.kind == "fpt":
            head = self.fh.read(8)
            if len(head) < 8:
                raise EOFError
            kind, length = struct.unpack(">LL", head)
            data = self.fh.read(length)
            if len(data) < length:
                raise EOFError
            return data, kind == 1
        if self.kind == "dbt4":
            head = self.fh.read(8)
            if len(head) < 8:
                raise EOFError
            if head[:4] == b"\xff\xff\x08\x00":
                length = struct.unpack("<L", head[4:8])[0] - 8
                data = self.fh.read(length)
                return data, True
            self.fh.seek(index * self.block)
        # dBase III: text up to the 0x1A terminator.
        chunks = []
        while True:
            part = self.fh.read(self.block)
            if not part:
                raise EOFError
            end = part.find(b"\x1a")
            if end >= 0:
                chunks.append(part[:end])
                return b"".join(chunks), True
            chunks.append(part)

    def close(self) -> None:
        self.fh.close()


def _find_memo(path: str, declared: str | None) -> str | None:
    if declared:
        return declared
    stem, _ = os.path.splitext(path)
    folder = os.path.dirname(path) or "."
    base = os.path.basename(stem).lower()
    for name in os.listdir(folder):
        s, ext = os.path.splitext(name)
        if s.lower() == base and ext.lower() in (".fpt", ".dbt"):
            return os.path.join(folder, name)
    return None


class DbfOptions(BaseModel):
    """Options of the ``dbf`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["dbf"] = "dbf"
    encoding: str | None = Field(None, description="代码页；不写则按表头语言驱动字节（0x7A/0x4D = GBK）/ code page; default: the header's language-driver byte")
    memo_file: str | None = Field(None, description="备注文件路径（不与表同名同目录时）/ memo file path, when not beside the table")


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
        self.info = {"encoding": encoding, "encoding_how": how, "version": f"0x{version:02X}", "records": n_records}
        fields = []  # (name, type, start, length, decimals)
        pos = 1
        for i in range(0, len(descriptors) - 31, 32):
            d = descriptors[i : i + 32]
            if d[0] == 0x0D:
                break
            raw_name = d[:11].split(b"\x00", 1)[0].strip()
            try:
                fname = raw_name.decode(encoding)
            except UnicodeDecodeError:
                fname = raw_name.decode("gb18030", errors="strict") if encoding == "ascii" else raw_name.decode("latin-1")
            ftype = chr(d[11]).upper()
            length, decimals = d[16], d[17]
            if ftype == "C" and not vfp and decimals:  # Clipper/FoxPro long character fields
                length += decimals * 256
                decimals = 0
            fields.append((fname, ftype, pos, length, decimals))
            pos += length
        if not fields:
            raise _malformed(path, "表中没有字段定义", "the table defines no fields")
        memo = None
        if any(f[1] in "MGP" or (f[1] == "B" and not vfp) for f in fields):
            memo_path = _find_memo(path, options.get("memo_file"))
            if memo_path is None or not os.path.exists(memo_path):
                raise JincaiError(
                    "adapter-dbf-memo-missing",
                    "表有备注字段，但找不到备注文件（.fpt/.dbt）",
                    "the table has memo fields but its memo file (.fpt/.dbt) is missing",
                    path,
                )
            memo = _Memo(memo_path, version)
        try:
            yield from self._records(fh, path, header_len, record_len, n_records, fields, encoding, how, vfp, memo)
        finally:
            if memo:
                memo.close()

    def _records(self, fh, path, header_len, record_len, n_records, fields, encoding, how, vfp, memo):
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
        batch = max(1, (1 << 16) // record_len)
        number = 0
        offset = header_len
        while number < n_records:
            want = min(batch, n_records - number)
            block = fh.read(want * record_len)
            whole = len(block) // record_len
            for raws in layout.iter_unpack(block[: whole * record_len]):
                number += 1
                try:
                    values = {name: conv(raw) for (name, conv), raw in zip(plan, raws[1:])}
                except (UnicodeDecodeError, EOFError):
                    self._explain(path, number, offset, plan, starts, raws[1:], encoding, how)
                    raise
                yield SourceRow(file=path, row=number, values=values, byte_offset=offset, extra={"deleted": raws[0] == b"*"})
                offset += record_len
            if whole < want:
                raise _malformed(
                    path,
                    f"文件被截断：表头声明 {n_records} 条记录，只读到 {number} 条完整记录",
                    f"truncated file: the header declares {n_records} records, only {number} are complete",
                )

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
            except EOFError:
                raise _malformed(path, f"第 {number} 条记录的备注字段 {name} 指向备注文件之外", f"record {number}: memo field {name} points past the end of the memo file") from None


def _memo_value(raw: bytes, memo: _Memo, encoding: str, ftype: str):
    if len(raw) == 4:
        index = struct.unpack("<L", raw)[0]
    else:
        text = raw.strip(b" \x00")
        if not text:
            return None
        if not text.isdigit():
            return raw.decode("latin-1").strip()
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
            return dt.datetime(1970, 1, 1) + dt.timedelta(days=day - _JULIAN_1970, milliseconds=ms)
        return parse_datetime
    return lambda raw: bytes(raw)


def _malformed(path: str, zh: str, en: str) -> JincaiError:
    return JincaiError("adapter-dbf-malformed", f"DBF 文件结构有误：{zh}", f"malformed DBF file: {en}", path)
