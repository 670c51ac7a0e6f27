"""Canonical records ↔ protobuf messages of ``proto/jincai/fiscal/v1/fiscal.proto``.

``to_message(entity, record)`` builds the entity's message; ``from_message(entity, msg)`` reads it
back into an identical canonical record. Money travels as integer fen (``Money.fen``, C05), other
decimals as their canonical text (``Decimal.value``, C13), dates and datetimes as their canonical JSON text.
A field is absent from the record exactly when it is not set in the message (explicit presence).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from google.protobuf.message import Message

from jincai.canonical import datetime_text
from jincai.standard import Entity, standard

__all__ = ["from_message", "message_class", "pb2", "to_message"]


def pb2() -> Any:
    """The generated stub module (``jincai.proto_gen.jincai.fiscal.v1.fiscal_pb2``)."""
    from jincai.proto_gen.jincai.fiscal.v1 import fiscal_pb2

    return fiscal_pb2


def _entity(entity: str | Entity) -> Entity:
    return entity if isinstance(entity, Entity) else standard().entity(entity)


def message_class(entity: str | Entity) -> type[Message]:
    return getattr(pb2(), _entity(entity).pascal_name)


def to_message(entity: str | Entity, record: dict[str, Any]) -> Message:
    """Canonical record → protobuf message of the entity."""
    ent = _entity(entity)
    msg = message_class(ent)()
    for f in ent.fields:
        value = record.get(f.name)
        if value is None:
            continue
        kind = f.element.type
        if kind == "money":
            if not isinstance(value, Decimal) or value.as_tuple().exponent != -2:
                raise ValueError(f"{f.name}: {value!r} is not money with exactly two decimals")
            getattr(msg, f.name).fen = int(value.scaleb(2))
        elif kind == "decimal":
            scale = f.element.effective_scale or 0
            if not isinstance(value, Decimal) or value.as_tuple().exponent != -scale:
                raise ValueError(f"{f.name}: {value!r} is not a Decimal with exactly {scale} decimals")
            getattr(msg, f.name).value = format(value, "f")
        elif kind == "date":
            setattr(msg, f.name, value.isoformat())
        elif kind == "datetime":
            setattr(msg, f.name, datetime_text(value))  # the canonical text (C03)
        else:
            setattr(msg, f.name, value)
    return msg


def from_message(entity: str | Entity, msg: Message) -> dict[str, Any]:
    """Protobuf message → canonical record (unset fields left out)."""
    ent = _entity(entity)
    record: dict[str, Any] = {}
    for f in ent.fields:
        if not msg.HasField(f.name):
            continue
        value = getattr(msg, f.name)
        kind = f.element.type
        if kind == "money":
            value = Decimal(value.fen).scaleb(-2)
        elif kind == "decimal":
            value = Decimal(value.value)
        elif kind == "date":
            value = date.fromisoformat(value)
        elif kind == "datetime":
            value = datetime.fromisoformat(value)
        record[f.name] = value
    return record
