"""Canonical values and their JSON form.

A canonical record is a dict field → Python value: ``str`` (text, code), ``int``, ``bool``,
``Decimal`` with exactly the element's scale (money, decimal), ``date``, aware ``datetime``; an
absent optional field is simply missing (null and absent mean the same, C06). This module turns
such records into the JSON form of the standard and back, without touching floats.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from jincai.standard import Element, Entity


_MINUTE = timedelta(minutes=1)


def datetime_text(value: datetime) -> str:
    """The one canonical text of a datetime (C03): ``YYYY-MM-DDThh:mm:ss[.f]Z|±hh:mm``.

    The fraction has no trailing zeros and is left out when zero (``.1``, not ``.100000``); a zero
    offset is ``Z`` (never ``+00:00``); any other offset is the submitter's, ``±hh:mm``. Every
    artifact writes this text — model JSON, JSON Lines, Avro, protobuf, adapters — so receipts and
    digests over it agree. ``ValueError`` for a naive datetime or an offset that is not whole minutes.
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("datetime without offset (C03)")
    minutes, rest = divmod(offset, _MINUTE)
    if rest:
        raise ValueError(f"offset {offset} is not a whole number of minutes (C03)")
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    if not minutes:
        return text + "Z"
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{mins:02d}"


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
        try:
            return datetime_text(value)
        except ValueError as exc:
            raise ValueError(f"{element.id}: {exc}") from None
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
