"""Canonical values and their JSON form.

A canonical record is a dict field → Python value: ``str`` (text, code), ``int``, ``bool``,
``Decimal`` with exactly the element's scale (money, decimal), ``date``, aware ``datetime``; an
absent optional field is simply missing (null and absent mean the same, C06). This module turns
such records into the JSON form of the standard and back, without touching floats.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from jincai.standard import Element, Entity


def to_json_value(element: Element, value: Any) -> Any:
    """Python canonical value → JSON value (C02–C05, C13)."""
    if value is None:
        return None
    kind = element.type
    if kind in ("money", "decimal"):
        scale = element.effective_scale or 0
        if not isinstance(value, Decimal) or value.as_tuple().exponent != -scale:
            raise ValueError(f"{element.id}: {value!r} is not a Decimal with exactly {scale} decimals")
        return format(value, "f")
    if kind == "date":
        return value.isoformat()
    if kind == "datetime":
        if value.tzinfo is None:
            raise ValueError(f"{element.id}: datetime without offset")
        return value.isoformat()
    return value


def from_json_value(element: Element, value: Any) -> Any:
    """JSON value (already checked against the standard) → Python canonical value."""
    if value is None:
        return None
    kind = element.type
    if kind in ("money", "decimal"):
        return Decimal(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    return value


def record_to_json(entity: Entity, record: dict[str, Any]) -> dict[str, Any]:
    """Canonical record → JSON object in the entity's field order; None/absent fields omitted."""
    out: dict[str, Any] = {}
    for f in entity.fields:
        value = record.get(f.name)
        if value is not None:
            out[f.name] = to_json_value(f.element, value)
    return out


def record_from_json(entity: Entity, obj: dict[str, Any]) -> dict[str, Any]:
    return {f.name: from_json_value(f.element, obj[f.name]) for f in entity.fields if obj.get(f.name) is not None}


def dumps_record(entity: Entity, record: dict[str, Any]) -> str:
    """One JSON Lines line (UTF-8 text, no ASCII escaping, compact)."""
    return json.dumps(record_to_json(entity, record), ensure_ascii=False, separators=(",", ":"))


def write_jsonl(path, entity: Entity, records: Iterable[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(dumps_record(entity, rec))
            fh.write("\n")
            n += 1
    return n


def money(text: str) -> Decimal:
    """A money literal, checked to have exactly two decimals — for code and tests."""
    value = Decimal(text)
    if value.as_tuple().exponent != -2:
        raise ValueError(f"money must have exactly two decimals: {text!r}")
    return value
