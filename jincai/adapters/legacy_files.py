"""Writers for legacy file formats: DBF (+ FPT memo), SQL Server scripts — used by the shipped
systems' sample makers (``adapters/<system>/make_samples.py``) and by the reader tests.

They write what old software writes, byte for byte where it matters: a FoxPro 2.x table with its
code-page byte, fixed-width ASCII numbers, ``YYYYMMDD`` dates, blank-padded GBK text, a deletion
flag per record, and memo blocks in an ``.fpt`` file.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

# language-driver bytes (header byte 29) of the code pages a Chinese county system uses
LDID = {"gbk": 0x7A, "cp936": 0x7A, "gb2312": 0x7A, "gb18030": 0x7A, "none": 0x00, "cp1252": 0x03, "cp437": 0x01}


@dataclass(frozen=True)
class DbfField:
    name: str  # ASCII, at most 10 characters
    type: str  # C, N, D, L, M
    length: int = 0
    decimals: int = 0

    def size(self) -> int:
        if self.type == "D":
            return 8
        if self.type == "L":
            return 1
        if self.type == "M":
            return 10
        return self.length


def _encode(value: Any, f: DbfField, encoding: str, memo: "_MemoWriter | None") -> bytes:
    size = f.size()
    if isinstance(value, bytes):  # raw bytes, as a defect file needs them
        data = value
    elif f.type == "C":
        data = b"" if value is None else str(value).encode(encoding)
        if len(data) > size:
            raise ValueError(f"{f.name}: {value!r} is {len(data)} bytes, the field holds {size}")
        return data.ljust(size, b" ")
    elif f.type in ("N", "F"):
        if value is None:
            data = b""
        elif isinstance(value, Decimal):
            data = format(value.quantize(Decimal(1).scaleb(-f.decimals)) if f.decimals else value, "f").encode("ascii")
        elif isinstance(value, int):
            data = (f"{value}.{'0' * f.decimals}" if f.decimals else str(value)).encode("ascii")
        else:
            data = str(value).encode("ascii")
        if len(data) > size:
            data = b"*" * size  # what dBase writes when a number overflows its field
        return data.rjust(size, b" ")
    elif f.type == "D":
        if value is None:
            data = b""
        elif isinstance(value, (dt.date, dt.datetime)):
            data = value.strftime("%Y%m%d").encode("ascii")
        else:
            data = str(value).encode("ascii")
    elif f.type == "L":
        data = b"?" if value is None else (b"T" if value else b"F")
    elif f.type == "M":
        if value is None or value == "":
            data = b""
        else:
            assert memo is not None
            data = str(memo.add(str(value).encode(encoding))).encode("ascii")
        return data.rjust(size, b" ")
    else:
        raise ValueError(f"unsupported DBF field type {f.type}")
    return data[:size].ljust(size, b" ")


class _MemoWriter:
    """FoxPro ``.fpt``: 512-byte header (next free block, block size), then typed, length-prefixed blocks."""

    def __init__(self, block: int = 64):
        self.block = block
        self.body = bytearray()
        self.next = 512 // block

    def add(self, data: bytes) -> int:
        index = self.next
        chunk = struct.pack(">LL", 1, len(data)) + data
        pad = (-len(chunk)) % self.block
        self.body += chunk + b"\x00" * pad
        self.next += (len(chunk) + pad) // self.block
        return index

    def bytes(self) -> bytes:
        head = struct.pack(">L", self.next) + b"\x00\x00" + struct.pack(">H", self.block)
        return head.ljust(512, b"\x00") + bytes(self.body)


def write_dbf(
    path: str | Path,
    fields: list[DbfField],
    records: Iterable[dict[str, Any]],
    *,
    encoding: str = "gbk",
    ldid: int | None = None,
    deleted: Iterable[int] = (),
    updated: dt.date = dt.date(2024, 12, 31),
) -> int:
    """Write a FoxPro 2.x table (``.fpt`` memo beside it when a field is ``M``). ``deleted`` holds the
    0-based indexes of records to flag as deleted. Returns the number of records."""
    path = Path(path)
    memo = _MemoWriter() if any(f.type == "M" for f in fields) else None
    deleted = set(deleted)
    rec_len = 1 + sum(f.size() for f in fields)
    header_len = 32 + 32 * len(fields) + 1
    n = 0
    with open(path, "wb") as fh:
        fh.write(b"\x00" * header_len)  # the header is written last, when the count is known
        buf = bytearray()
        for i, rec in enumerate(records):
            buf += b"*" if i in deleted else b" "
            for f in fields:
                buf += _encode(rec.get(f.name), f, encoding, memo)
            n += 1
            if len(buf) > 1 << 20:
                fh.write(buf)
                buf.clear()
        buf += b"\x1a"
        fh.write(buf)
        version = 0xF5 if memo else 0x03
        code = LDID.get(encoding.lower(), 0) if ldid is None else ldid
        head = bytearray(struct.pack("<BBBBLHH20x", version, updated.year - 1900, updated.month, updated.day, n, header_len, rec_len))
        head[29] = code
        desc = bytearray()
        for f in fields:
            name = f.name.encode("ascii")
            if len(name) > 10:
                raise ValueError(f"DBF field names have at most 10 characters: {f.name}")
            d = bytearray(32)
            d[: len(name)] = name
            d[11] = ord(f.type)
            d[16] = f.size() % 256
            d[17] = f.decimals if f.type in "NF" else (f.size() // 256 if f.type == "C" else 0)
            desc += d
        fh.seek(0)
        fh.write(bytes(head) + bytes(desc) + b"\x0d")
    if memo:
        path.with_suffix(".fpt" if path.suffix.islower() else ".FPT").write_bytes(memo.bytes())
    return n


def tsql_literal(value: Any, sql_type: str) -> str:
    """A value as SQL Server Management Studio's "Generate Scripts" writes it."""
    if value is None:
        return "NULL"
    t = sql_type.lower()
    if t.startswith(("decimal", "numeric")):
        return f"CAST({value} AS {sql_type.replace('decimal', 'Decimal').replace('numeric', 'Numeric')})"
    if t.startswith(("datetime", "date")):
        if isinstance(value, dt.datetime):
            text = value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
        elif isinstance(value, dt.date):
            text = value.isoformat() + "T00:00:00.000"
        else:
            text = str(value)
        return f"CAST(N'{text}' AS {'DateTime' if t.startswith('datetime') else 'Date'})"
    if t.startswith(("int", "bigint", "smallint", "tinyint")):
        return str(value)
    if t == "bit":
        return "1" if value else "0"
    return "N'" + str(value).replace("'", "''") + "'"
