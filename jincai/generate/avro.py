"""Generate ``schemas/avro/<entity>.avsc``: one Avro record schema per entity.

Mapping (standards/README.md): text/code → ``string``; integer → ``long``; money →
``bytes`` ``decimal(18,2)``; decimal → ``bytes`` ``decimal(18,scale)``; date → ``int`` ``date``;
datetime → ``string`` holding the RFC 3339 text — *not* ``timestamp-micros``, which stores an
instant and drops the submitter's offset that C03 preserves; boolean → ``boolean``. Optional fields
are ``["null", T]`` with ``"default": null``.
"""

from __future__ import annotations

import json
from typing import Any

from jincai.standard import MONEY_PRECISION, Element, Entity, Standard


def avro_type(element: Element) -> Any:
    kind = element.type
    if kind in ("text", "code"):
        return "string"
    if kind == "integer":
        return "long"
    if kind in ("money", "decimal"):
        return {"type": "bytes", "logicalType": "decimal", "precision": MONEY_PRECISION, "scale": element.effective_scale}
    if kind == "date":
        return {"type": "int", "logicalType": "date"}
    if kind == "datetime":
        return "string"
    if kind == "boolean":
        return "boolean"
    raise ValueError(f"unknown element type {kind}")


def _doc(element: Element) -> str:
    doc = f"{element.name_zh} / {element.name_en}"
    if element.type == "datetime":
        doc += " (RFC 3339 带时区偏移 with offset, C03)"
    return doc


def entity_schema(std: Standard, entity: Entity) -> dict[str, Any]:
    fields = []
    for f in entity.fields:
        t = avro_type(f.element)
        field: dict[str, Any] = {"name": f.name, "doc": _doc(f.element)}
        if f.required:
            field["type"] = t
        else:
            field["type"] = ["null", t]
            field["default"] = None
        fields.append(field)
    doc = f"{entity.name_zh} / {entity.name_en}"
    return {
        "type": "record",
        "name": entity.pascal_name,
        "namespace": std.namespace,
        "doc": doc,
        "fields": fields,
        "jincai.entity": entity.id,
        "jincai.standard": f"{std.id} {std.version}",
    }


def render(std: Standard) -> dict[str, bytes]:
    return {
        f"schemas/avro/{e.id}.avsc": (json.dumps(entity_schema(std, e), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for e in std.entities.values()
    }
