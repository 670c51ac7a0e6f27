"""Submission files: which entity and format each is, and a plain-Python reader for each format.

A submission is one or more files (or folders of files) named ``<entity>.<ext>`` —
``payment_voucher.jsonl``, ``payment_voucher.part2.csv`` — or any name with ``--entity``.
Formats: JSON Lines (``.jsonl``/``.ndjson``), CSV with canonical headers in UTF-8 (``.csv``), Avro
container files (``.avro``) and Parquet (``.parquet``).

``read_rows`` is the per-record reader: it yields every row with its JSON-form values (what
``json.loads`` would give), so the per-record path and the bulk fall-backs see the same records.
The bulk path reads the big formats natively in DuckDB (``staging.py``) and must agree with it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from jincai import limits
from jincai.errors import JincaiError
from jincai.masking import mask_text
from jincai.standard import standard
from jincai.validation.fields_py import csv_form, json_form

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".avro": "avro", ".parquet": "parquet"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    name: str  # the file as the report names it (the path as given)
    entity: str
    format: str


class FileProblem(Exception):
    """A problem that stops reading the file (struct.unreadable, struct.encoding, struct.empty-file).

    Every exception a reading library raises becomes one of these, with the row where it happened
    when that is known — never a crash."""

    def __init__(self, rule: str, value: str | None, row: int | None = None):
        super().__init__(f"{rule}: {value}")
        self.rule, self.value, self.row = rule, value, row


@dataclass
class Row:
    """One row of a file: its values, or the structural rule that kept it from being a record."""

    row: int
    values: dict[str, Any] | None = None  # column → JSON-form value
    bad: str | None = None  # struct.json-syntax / struct.not-object / struct.row-width
    bad_value: str | None = None
    bad_expected: str | None = None
    dups: frozenset[str] = field(default_factory=frozenset)  # keys repeated inside this record


def _usage(code: str, zh: str, en: str, where: str) -> JincaiError:
    return JincaiError(code, zh, en, where)


def _regular(p: Path, given: str) -> None:
    """A FIFO, a device or a socket never ends (or never starts): refused before it is opened."""
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        raise _usage("input-not-found", f"无法读取输入文件 {given}：{exc.strerror}", f"cannot read the input file {given}: {exc.strerror}", given) from None
    if not stat.S_ISREG(mode):
        raise _usage(
            "input-not-regular-file",
            f"输入 {given} 不是普通文件（管道、设备或套接字）：请先保存为文件",
            f"the input {given} is not a regular file (a pipe, device or socket): save it to a file first",
            given,
        )


#: a text file this short whose bytes are only a BOM and whitespace is an empty file
_EMPTY_PROBE = 4096


def check_not_empty(f: InputFile) -> None:
    """An empty input — no bytes, or (text formats) only a byte-order mark and whitespace — is one
    finding, ``struct.empty-file``, whatever its format: the same outcome for JSON Lines, CSV, Avro
    and Parquet (a zero-byte Avro or Parquet file is empty, not a damaged container)."""
    try:
        size = f.path.stat().st_size
        head = b"" if size == 0 or size > _EMPTY_PROBE or f.format not in ("jsonl", "csv") else f.path.read_bytes()[: _EMPTY_PROBE + 1]
    except OSError as exc:
        raise FileProblem("struct.unreadable", exc.strerror or str(exc)) from exc
    if size == 0 or (head and not head.removeprefix(b"\xef\xbb\xbf").strip(b" \t\r\n")):
        raise FileProblem("struct.empty-file", None)


def entity_of(path: Path) -> str | None:
    """``payment_voucher.part2.jsonl`` → ``payment_voucher`` if the standard has that entity."""
    name = path.name.split(".", 1)[0]
    return name if name in standard().entities else None


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def resolve(paths: list[str | Path], entity: str | None = None) -> list[InputFile]:
    """Expand folders, work out each file's entity and format; usage errors raise ``JincaiError``.

    In a folder, files of other formats or of no entity (a manifest, a README) are skipped; a file
    named on the command line must be readable as one of the formats and entities.
    """
    if entity is not None:
        standard().entity(entity)  # raises with the list of entities
    out: list[InputFile] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                fmt, ent = format_of(child), entity or entity_of(child)
                if fmt and ent and not child.is_dir():
                    _regular(child, str(child))
                    out.append(InputFile(child, str(child), ent, fmt))
            continue
        if not p.exists():
            raise _usage("input-not-found", f"找不到输入文件 {given}", f"input file {given} not found", str(given))
        _regular(p, str(given))
        fmt = format_of(p)
        if fmt is None:
            known = ", ".join(sorted(FORMATS))
            raise _usage("input-format", f"不支持的文件格式 {p.suffix or '(无扩展名)'}；支持 {known}", f"unsupported file format {p.suffix or '(none)'}; supported: {known}", str(given))
        ent = entity or entity_of(p)
        if ent is None:
            raise _usage(
                "input-entity",
                f"无法从文件名 {p.name} 得知实体：请命名为 <实体>.{p.suffix.lstrip('.')} 或使用 --entity",
                f"cannot tell the entity from the file name {p.name}: name it <entity>.{p.suffix.lstrip('.')} or pass --entity",
                str(given),
            )
        out.append(InputFile(p, str(given), ent, fmt))
    if not out:
        raise _usage("input-empty", "没有可校验的文件", "no files to validate", " ".join(map(str, paths)))
    return out


# ------------------------------------------------------------------------------------------------
# per-record readers
# ------------------------------------------------------------------------------------------------


class _DupDict(dict):
    dups: frozenset[str] = frozenset()


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    d = dict(pairs)
    if len(d) != len(pairs):  # a key given twice: remember which (only the top level matters)
        d = _DupDict(d)
        d.dups = frozenset(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return d


_DECODE = json.JSONDecoder(object_pairs_hook=_pairs).decode
#: a \\uD800–\\uDFFF escape: only then can a decoded string hold a lone surrogate
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogate(obj: Any) -> bool:
    """True if a decoded string holds a lone surrogate: not a character (C08), not valid I-JSON
    (RFC 7493 §2.1); DuckDB's JSON reader refuses such a line, so this reader does too."""
    if isinstance(obj, str):
        try:
            obj.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(obj, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in obj.items())
    if isinstance(obj, list):
        return any(_lone_surrogate(v) for v in obj)
    return False


def _jsonl_rows(f: InputFile) -> tuple[list[str] | None, Iterator[Row]]:
    def rows() -> Iterator[Row]:
        try:
            fh = f.path.open("rb")
        except OSError as exc:
            raise FileProblem("struct.unreadable", str(exc)) from exc
        cap = limits.limit("line_bytes")
        with fh:
            i = 0
            while True:
                try:
                    raw = fh.readline(cap + 1)
                except OSError as exc:
                    raise FileProblem("struct.unreadable", exc.strerror or str(exc), i + 1) from exc
                if not raw:
                    return
                i += 1
                if raw.endswith(b"\n"):
                    raw = raw[:-1]
                elif len(raw) > cap:  # read no further into a line that is over the limit
                    raise FileProblem("struct.unreadable", _limit_text("line_bytes", f">{cap}", i), i)
                if i == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]  # a UTF-8 byte-order mark is tolerated (RFC 8259 §8.1)
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise FileProblem("struct.encoding", _bad_bytes(raw, exc), i) from exc
                try:
                    obj = _DECODE(line)
                except (ValueError, RecursionError):
                    yield Row(i, bad="struct.json-syntax", bad_value=line[:200])
                    continue
                if "\\u" in line and _SURROGATE_ESCAPE.search(line) and _lone_surrogate(obj):
                    yield Row(i, bad="struct.json-syntax", bad_value=line[:200])
                    continue
                if type(obj) not in (dict, _DupDict):
                    yield Row(i, bad="struct.not-object", bad_value=line[:200])
                    continue
                yield Row(i, values=obj, dups=getattr(obj, "dups", frozenset()))

    return None, rows()


def _bad_bytes(raw: bytes, exc: UnicodeDecodeError) -> str:
    return raw[max(0, exc.start - 10) : exc.end + 10].hex(" ")


def _csv_rows(f: InputFile) -> tuple[list[str], Iterator[Row]]:
    ent = standard().entity(f.entity)
    elements = {fl.name: fl.element for fl in ent.fields}
    try:
        data = f.path.read_bytes()
    except OSError as exc:
        raise FileProblem("struct.unreadable", str(exc)) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n")  # 0 = the header line
        raise FileProblem("struct.encoding", data[max(0, exc.start - 10) : exc.end + 10].hex(" "), row) from exc
    cap = limits.limit("line_bytes")
    long_line = re.search(rb"[^\n]{%d}" % (cap + 1), data)
    if long_line:
        row = data[: long_line.start()].count(b"\n")
        raise FileProblem("struct.unreadable", _limit_text("line_bytes", f">{cap}", row), row)
    limits.csv_field_limit()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise FileProblem("struct.unreadable", _csv_error(exc, 0), 0) from exc
    first: dict[str, int] = {}
    for i, name in enumerate(header):
        first.setdefault(name, i)

    def rows() -> Iterator[Row]:
        n = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem("struct.unreadable", _csv_error(exc, n + 1), n + 1) from exc
            if not cells:
                continue  # a blank line is not a row (DuckDB skips it too)
            n += 1
            if len(cells) != len(header):
                yield Row(n, bad="struct.row-width", bad_value=str(len(cells)), bad_expected=str(len(header)))
                continue
            values = {}
            for name, i in first.items():
                el = elements.get(name)
                values[name] = csv_form(el, cells[i]) if el is not None else (cells[i] or None)
            yield Row(n, values=values)

    return header, rows()


def _parquet_rows(f: InputFile) -> tuple[list[str], Iterator[Row]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(f.path)
    except Exception as exc:  # noqa: BLE001 - any unreadable container is reported as such
        raise FileProblem("struct.unreadable", f"Parquet: {_first_line(exc)}") from exc
    names = pf.schema_arrow.names
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)

    def rows() -> Iterator[Row]:
        n = 0
        for group in range(pf.num_row_groups):
            batches = pf.iter_batches(batch_size=65536, row_groups=[group])
            while True:
                # a damaged page, bad compression, an invalid dictionary index or non-UTF-8 text in
                # a string column: the file's problem, named with the row group and rows it concerns
                try:
                    batch = next(batches, None)
                    if batch is None:
                        break
                    cols = {name: batch.column(i).to_pylist() for name, i in first.items()}
                except UnicodeDecodeError as exc:
                    raise FileProblem("struct.encoding", exc.object[max(0, exc.start - 10) : exc.end + 10].hex(" "), n + 1) from exc
                except Exception as exc:  # noqa: BLE001 - pyarrow raises OSError, ArrowInvalid, ArrowNotImplementedError …
                    raise FileProblem("struct.unreadable", f"Parquet row group {group + 1} (rows from {n + 1}): {_first_line(exc)}", n + 1) from exc
                for j in range(batch.num_rows):
                    n += 1
                    yield Row(n, values={name: json_form(col[j]) for name, col in cols.items()})

    return names, rows()


def _first_line(exc: BaseException) -> str:
    """A library's message, first line only (some quote the file's content further down), masked."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return mask_text(text[:300])


def _limit_text(name: str, actual: str, row: int | None = None) -> str:
    """A limit that was hit, short enough for both languages of the issue's message."""
    e = limits.exceeded(name, actual)
    return f"{e.code} ({e.details['value']} {limits.LIMITS[name].unit}, JINCAI_LIMIT_{name.upper()})"


def limit_problem(name: str, actual: str, row: int | None) -> FileProblem:
    return FileProblem("struct.unreadable", _limit_text(name, actual), row)


def _csv_error(exc: csv.Error, row: int) -> str:
    limit_error = limits.csv_error(exc, f"row {row}")
    if limit_error is not None:
        return _limit_text("field_bytes", limit_error.details["actual"])
    return f"CSV row {row}: {_first_line(exc)}"


def _avro_rows(f: InputFile) -> tuple[list[str], Iterator[Row]]:
    import fastavro

    try:
        fh = f.path.open("rb")
        reader = fastavro.reader(fh)
        schema = reader.writer_schema
    except Exception as exc:  # noqa: BLE001
        raise FileProblem("struct.unreadable", f"Avro: {_first_line(exc)}") from exc
    names = [fl["name"] for fl in schema.get("fields", [])] if isinstance(schema, dict) else []

    def rows() -> Iterator[Row]:
        with fh:
            try:
                for n, rec in enumerate(reader, 1):
                    if not isinstance(rec, dict):
                        yield Row(n, bad="struct.not-object", bad_value=str(rec)[:200])
                        continue
                    yield Row(n, values={k: json_form(v) for k, v in rec.items()})
            except Exception as exc:  # noqa: BLE001 - a corrupt block
                raise FileProblem("struct.unreadable", f"Avro: {_first_line(exc)}") from exc

    return names, rows()


def read_rows(f: InputFile) -> tuple[list[str] | None, Iterator[Row]]:
    """The file's columns (None for JSON Lines, whose keys are per record) and its rows.

    Raises ``FileProblem`` (before or during iteration) when the file cannot be read at all.
    """
    check_not_empty(f)
    return {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows, "avro": _avro_rows}[f.format](f)
