"""Fast, exact record writers for the sample generator.

The chain (``chain.py``) hands every record to a ``Sink`` as positional values in the entity's
field order, in a *raw* form that is cheap to produce:

=========  =====================================================================================
type       raw value
=========  =====================================================================================
text/code  ``str`` (the generator only produces text without ``"``, ``\\`` or control characters)
integer    ``int``
money      ``int`` fen (分); ``decimal`` elements (all of scale 2) likewise in hundredths
date       ``str`` ``YYYY-MM-DD``
datetime   ``str`` RFC 3339 with offset
boolean    ``bool``
absent     ``None`` (optional fields only)
=========  =====================================================================================

For each entity a serialiser is compiled once from the standard (``compile_entity``): one
f-string per record. Its output is byte-for-byte what ``jincai.canonical.dumps_record`` writes for
the same canonical record (tested), at a fraction of the cost of ``json.dumps``.

A ``Sink`` writes one region's records of one entity into a *part file*, counts them, sums their
money fields and hashes their canonical JSON Lines text (``sha256`` of the UTF-8 lines, each ending
with ``\\n``) — the value of ``submission_envelope.content_sha256``. ``CSV`` sinks write the CSV
row but still hash the canonical JSON line, so the envelope means the same in every format.

Field-level defects are applied to the JSON object after serialisation (``Sink.arm``): the first
record accepted by the armed predicate is parsed, changed, and re-serialised with the same
``json.dumps`` settings as ``canonical.dumps_record``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from datetime import date, datetime
from typing import Any, Callable

from jincai.standard import Entity

_B = ("false", "true")


def fen(x: int) -> str:
    """Integer fen → canonical money text (``-3.00``, ``1234.50``, ``0.05``)."""
    if x >= 100:
        s = str(x)
        return s[:-2] + "." + s[-2:]
    if x >= 0:
        return ("0.0" if x < 10 else "0.") + str(x)
    return "-" + fen(-x)


def fen_to_decimal(x: int) -> Decimal:
    return Decimal(fen(x))


def _json_piece(kind: str, var: str) -> tuple[str, str]:
    """(f-string fragment for the JSON value, CSV cell expression) of one raw variable."""
    if kind in ("text", "code", "date", "datetime"):
        return f'"{{{var}}}"', var
    if kind in ("money", "decimal"):
        return f'"{{_m({var})}}"', f"_m({var})"
    if kind == "integer":
        return f"{{{var}}}", f"str({var})"
    if kind == "boolean":
        return f"{{_B[{var}]}}", f"_B[{var}]"
    raise ValueError(kind)


@dataclass
class Compiled:
    entity: Entity
    to_json: Callable[..., str]  # raw positional values → JSON line (no newline)
    to_csv: Callable[..., list]  # raw positional values → CSV cells
    money_fields: list[str]  # money fields, in order (their totals are kept)
    money_index: list[int]  # their positions in the raw tuple
    key_index: list[int]


def compile_entity(entity: Entity) -> Compiled:
    """Build the serialisers of one entity (generated Python source, compiled once)."""
    names = [f"v{i}" for i in range(len(entity.fields))]
    if not entity.fields[0].required:
        raise ValueError(f"{entity.id}: the first field must be required")
    for f in entity.fields:
        if f.element.type == "decimal" and f.element.scale != 2:
            raise ValueError(f"{entity.id}.{f.name}: only scale-2 decimals are supported")
    code = [f"def to_json({', '.join(names)}):"]
    group = "{{"  # the object's opening brace, escaped for the f-string
    started = False
    for i, f in enumerate(entity.fields):
        piece, _ = _json_piece(f.element.type, names[i])
        frag = f'{"" if i == 0 else ","}"{f.name}":{piece}'
        if f.required:
            group += frag
            continue
        if group:
            code.append(f"    s {'+=' if started else '='} f'{group}'")
            started, group = True, ""
        code.append(f"    if {names[i]} is not None: s += f'{frag}'")
    if started:
        code.append(f"    return s + f'{group}}}}}'")
    else:
        code.append(f"    return f'{group}}}}}'")
    src_json = "\n".join(code)

    cells = []
    for i, f in enumerate(entity.fields):
        _, cell = _json_piece(f.element.type, names[i])
        if f.required:
            cells.append(cell)
        else:
            cells.append(f"('' if {names[i]} is None else {cell})")
    src_csv = f"def to_csv({', '.join(names)}):\n    return [{', '.join(cells)}]"
    ns: dict[str, Any] = {"_m": fen, "_B": _B}
    exec(compile(src_json, f"<sample:{entity.id}:json>", "exec"), ns)  # noqa: S102 - generated from the standard
    exec(compile(src_csv, f"<sample:{entity.id}:csv>", "exec"), ns)  # noqa: S102
    money_fields = [f.name for f in entity.fields if f.element.type == "money"]
    money_index = [i for i, f in enumerate(entity.fields) if f.element.type == "money"]
    key_index = [entity.field_names.index(k) for k in entity.key]
    return Compiled(entity, ns["to_json"], ns["to_csv"], money_fields, money_index, key_index)


def raw_to_canonical(entity: Entity, values: tuple) -> dict[str, Any]:
    """Raw positional values → canonical record (``Decimal``, ``date``, ``datetime``) — for tests."""
    out: dict[str, Any] = {}
    for f, v in zip(entity.fields, values):
        if v is None:
            continue
        kind = f.element.type
        if kind in ("money", "decimal"):
            v = fen_to_decimal(v)
        elif kind == "date":
            v = date.fromisoformat(v)
        elif kind == "datetime":
            v = datetime.fromisoformat(v)
        out[f.name] = v
    return out


def dumps_obj(obj: dict) -> str:
    """Serialise a (possibly defective) JSON object exactly as ``canonical.dumps_record`` does."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Armed:
    """A field-level defect waiting for its record: ``accept(values)`` picks it, ``mutate(obj)``
    changes the parsed JSON object in place and returns (field, original, injected)."""

    accept: Callable[[tuple], bool]
    mutate: Callable[[dict], tuple[str, Any, Any]]
    on_fire: Callable[[int, dict, str, Any, Any], None]  # (row, obj, field, original, injected)
    n: int = -1  # the defect number


class Sink:
    """One region's records of one entity → a part file (JSON Lines or CSV rows).

    ``write(*values)`` is a function compiled for the entity (see ``_compile_write``): it appends the
    JSON line (and the CSV row), adds the money fields to the running totals and flushes every
    ``FLUSH`` records. ``count`` is the number of records written so far.
    """

    FLUSH = 4000

    def __init__(self, compiled: Compiled, path, fmt: str):
        self.c = compiled
        self.entity = compiled.entity
        self.fmt = fmt
        self.fh = open(path, "wb")
        self.hash = hashlib.sha256()
        self._flushed = 0
        self.totals = [0] * len(compiled.money_index)
        self._buf: list[str] = []
        self._csvbuf: list[list] = []
        self._armed: list[Armed] = []
        if fmt == "csv":
            self._sio = io.StringIO()
            self._csv = csv.writer(self._sio, lineterminator="\n")
        self._write_fast = _compile_write(self)
        self.write = self._write_fast  # swapped while a defect is armed

    @property
    def count(self) -> int:
        return self._flushed + len(self._buf)

    def _write_armed(self, *v) -> None:
        for a in self._armed:
            if a.accept(v):
                self._armed.remove(a)
                if not self._armed:
                    self.write = self._write_fast
                self._write_mutated(v, a)
                return
        self._write_fast(*v)

    def _write_mutated(self, v: tuple, a: Armed) -> None:
        obj = json.loads(self.c.to_json(*v))
        fld, original, injected = a.mutate(obj)
        self._buf.append(dumps_obj(obj))
        if self.fmt == "csv":
            self._csvbuf.append([_csv_cell(obj.get(f.name)) for f in self.entity.fields])
        t = self.totals
        for k, i in enumerate(self.c.money_index):
            x = v[i]
            if x is not None:
                t[k] += x
        a.on_fire(self.count, obj, fld, original, injected)
        if len(self._buf) >= self.FLUSH:
            self.flush()

    def write_line_copy(self, *v) -> int:
        """Write the record again (a duplicate-key defect); returns its row."""
        self._write_fast(*v)
        return self.count

    def arm(self, armed: Armed) -> None:
        self._armed.append(armed)
        self.write = self._write_armed

    def disarm_all(self) -> list[Armed]:
        left, self._armed = self._armed, []
        self.write = self._write_fast
        return left

    def flush(self) -> None:
        if not self._buf:
            return
        data = ("\n".join(self._buf) + "\n").encode("utf-8")
        self.hash.update(data)
        if self.fmt == "csv":
            self._csv.writerows(self._csvbuf)
            self.fh.write(self._sio.getvalue().encode("utf-8"))
            self._sio.seek(0)
            self._sio.truncate()
            self._csvbuf.clear()
        else:
            self.fh.write(data)
        self._flushed += len(self._buf)
        self._buf.clear()

    def close(self) -> None:
        if not self.fh.closed:
            self.flush()
            self.fh.close()


def _compile_write(sink: Sink):
    """The entity's ``write(*values)``: no loops, no attribute look-ups per record."""
    c = sink.c
    n = len(c.entity.fields)
    args = ", ".join(f"v{i}" for i in range(n))
    body = [f"def write({args}):", f"    buf_append(to_json({args}))"]
    if sink.fmt == "csv":
        body.append(f"    csv_append(to_csv({args}))")
    for k, i in enumerate(c.money_index):
        if c.entity.fields[i].required:
            body.append(f"    t[{k}] += v{i}")
        else:
            body.append(f"    if v{i} is not None: t[{k}] += v{i}")
    body.append("    if len(buf) >= FLUSH: flush()")
    ns = {
        "buf": sink._buf,
        "buf_append": sink._buf.append,
        "csv_append": sink._csvbuf.append,
        "to_json": c.to_json,
        "to_csv": c.to_csv,
        "t": sink.totals,
        "FLUSH": sink.FLUSH,
        "flush": sink.flush,
    }
    exec(compile("\n".join(body), f"<sample:{c.entity.id}:write>", "exec"), ns)  # noqa: S102
    return ns["write"]


def _csv_cell(value: Any) -> str:
    """JSON value → CSV cell (defective records only: values as their JSON text, null empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _B[value]
    if isinstance(value, str):
        return value
    return json.dumps(value)


def csv_header(entity: Entity) -> bytes:
    sio = io.StringIO()
    csv.writer(sio, lineterminator="\n").writerow(entity.field_names)
    return sio.getvalue().encode("utf-8")
