"""Canonical records ↔ Avro (fastavro), with the schemas of ``schemas/avro/``.

``to_datum``/``from_datum`` convert one record; ``write_avro``/``read_avro`` write and read an Avro
container file (deflate). A round trip gives back an identical canonical record: money and decimals
as ``Decimal`` with their scale, dates as ``date``, datetimes as their canonical RFC 3339 text (offset kept, C03).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import fastavro

from jincai.canonical import datetime_text
from jincai.errors import JincaiError
from jincai.standard import Entity, standard

__all__ = ["AvroContents", "avro_schema", "from_datum", "read_avro", "to_datum", "write_avro"]


class AvroContents(NamedTuple):
    entity: str
    records: list[dict[str, Any]]


@lru_cache(maxsize=None)
def avro_schema(entity_id: str) -> Any:
    """The parsed Avro schema of an entity (generated from the standard, equal to ``schemas/avro/``)."""
    from jincai.generate.avro import entity_schema

    std = standard()
    return fastavro.parse_schema(entity_schema(std, std.entity(entity_id)))


def _entity(entity: str | Entity) -> Entity:
    return entity if isinstance(entity, Entity) else standard().entity(entity)


def to_datum(entity: str | Entity, record: dict[str, Any]) -> dict[str, Any]:
    """Canonical record → Avro datum (every field present; ``None`` for absent optional fields)."""
    ent = _entity(entity)
    datum: dict[str, Any] = {}
    for f in ent.fields:
        value = record.get(f.name)
        if value is not None and f.element.type == "datetime":
            value = datetime_text(value)  # the canonical text (C03)
        datum[f.name] = value
    return datum


def from_datum(entity: str | Entity, datum: dict[str, Any]) -> dict[str, Any]:
    """Avro datum → canonical record (``None`` fields left out)."""
    ent = _entity(entity)
    record: dict[str, Any] = {}
    for f in ent.fields:
        value = datum.get(f.name)
        if value is None:
            continue
        kind = f.element.type
        if kind == "datetime":
            value = datetime.fromisoformat(value)
        elif kind in ("money", "decimal"):
            scale = f.element.effective_scale or 0
            if not isinstance(value, Decimal) or value.as_tuple().exponent != -scale:
                value = Decimal(value).quantize(Decimal(1).scaleb(-scale))
        elif kind == "date" and not isinstance(value, date):
            raise ValueError(f"{f.name}: expected a date, got {value!r}")
        record[f.name] = value
    return record


def write_avro(path: str | Path, entity: str | Entity, records: Iterable[dict[str, Any]]) -> int:
    """Write canonical records as an Avro container file (deflate codec); returns the count."""
    ent = _entity(entity)
    schema = avro_schema(ent.id)
    count = 0

    def data() -> Iterable[dict[str, Any]]:
        nonlocal count
        for rec in records:
            count += 1
            yield to_datum(ent, rec)

    with open(path, "wb") as fh:
        fastavro.writer(fh, schema, data(), codec="deflate")
    return count


def read_avro(path: str | Path) -> AvroContents:
    """Read an Avro container file written with a jincai schema: ``(entity id, canonical records)``."""
    with open(path, "rb") as fh:
        reader = fastavro.reader(fh)
        writer_schema = reader.writer_schema or {}
        entity_id = writer_schema.get("jincai.entity")
        if entity_id is None:
            name = str(writer_schema.get("name", "")).rsplit(".", 1)[-1]
            by_pascal = {e.pascal_name: e.id for e in standard().entities.values()}
            entity_id = by_pascal.get(name)
        if entity_id is None:
            raise JincaiError(
                "avro-unknown-schema",
                "Avro 文件的写入模式不是本标准的实体",
                "the Avro file's writer schema is not an entity of the standard",
                str(path),
            )
        ent = standard().entity(entity_id)
        return AvroContents(ent.id, [from_datum(ent, d) for d in reader])
