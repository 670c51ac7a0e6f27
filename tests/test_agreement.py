"""Every artifact means the same thing (hypothesis).

For every entity: a valid record (``jincai.strategies.valid_record``) in its JSON form is accepted
by the pydantic model (``model_validate_json`` and ``model_validate``) and by the JSON Schema
validator; the model gives back the same canonical record; the record survives an Avro container
round trip and a protobuf round trip unchanged. Every mutation (``jincai.strategies.mutations``) is
rejected by both the model and the JSON Schema, and both name the mutated field.

Examples per test come from the hypothesis profile (``dev`` 50, ``ci`` 100; tests/conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from jincai import avro_io, proto_io
from jincai.canonical import record_to_json
from jincai.jsonschema_check import error_fields, validator_for
from jincai.models import model_for
from jincai.standard import standard
from jincai.strategies import MUTATION_KINDS, applicable_mutations, apply_mutation, mutations, valid_record

ENTITIES = sorted(standard().entities)


@pytest.fixture(scope="module")
def avro_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("avro")


def _same(entity_id: str, expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Equal canonical values *and* equal JSON text (keeps datetime offsets and decimal scales honest)."""
    entity = standard().entity(entity_id)
    assert actual == expected
    assert record_to_json(entity, actual) == record_to_json(entity, expected)


@pytest.mark.parametrize("entity_id", ENTITIES)
@given(data=st.data())
def test_valid_records_agree(entity_id: str, data: st.DataObject, avro_dir: Path) -> None:
    entity = standard().entity(entity_id)
    record = data.draw(valid_record(entity), label="record")
    obj = record_to_json(entity, record)
    model = model_for(entity_id)

    from_json = model.model_validate_json(json.dumps(obj, ensure_ascii=False))
    from_obj = model.model_validate(obj)
    from_python = model.model_validate(record)
    for m in (from_json, from_obj, from_python):
        _same(entity_id, record, m.canonical())
    assert from_json.model_dump(mode="json", exclude_none=True) == obj

    errors = list(validator_for(entity_id).iter_errors(obj))
    assert not errors, [e.message for e in errors]

    path = avro_dir / f"{entity_id}.avro"
    assert avro_io.write_avro(path, entity_id, [record, from_json.canonical()]) == 2
    contents = avro_io.read_avro(path)
    assert contents.entity == entity_id
    for back in contents.records:
        _same(entity_id, record, back)
    _same(entity_id, record, avro_io.from_datum(entity_id, avro_io.to_datum(entity_id, record)))

    message = proto_io.to_message(entity_id, record)
    wire = message.SerializeToString()
    parsed = proto_io.message_class(entity_id).FromString(wire)
    _same(entity_id, record, proto_io.from_message(entity_id, parsed))


def _rejections(entity_id: str, obj: dict[str, Any]) -> dict[str, set[str] | None]:
    model = model_for(entity_id)
    out: dict[str, set[str] | None] = {}
    for mode in ("json", "python"):
        try:
            if mode == "json":
                model.model_validate_json(json.dumps(obj, ensure_ascii=False))
            else:
                model.model_validate(obj)
            out[mode] = None
        except ValidationError as exc:
            out[mode] = {str(e["loc"][0]) for e in exc.errors()}
    errors = list(validator_for(entity_id).iter_errors(obj))
    out["schema"] = {f for e in errors for f in error_fields(e)} if errors else None
    return out


@pytest.mark.parametrize("entity_id", ENTITIES)
@given(data=st.data())
def test_mutations_are_rejected_at_the_field(entity_id: str, data: st.DataObject) -> None:
    obj, field, kind = data.draw(mutations(entity_id), label="mutation")
    assert _rejections(entity_id, obj) == {"json": {field}, "python": {field}, "schema": {field}}, kind


@pytest.mark.parametrize("entity_id", ENTITIES)
@given(data=st.data())
def test_every_applicable_mutation_of_a_record(entity_id: str, data: st.DataObject) -> None:
    """Exhaustive over (field, kind) for each drawn record — no kind is left to chance."""
    entity = standard().entity(entity_id)
    obj = record_to_json(entity, data.draw(valid_record(entity), label="record"))
    for field, kind in applicable_mutations(entity, obj):
        broken = apply_mutation(entity, obj, field, kind)
        got = _rejections(entity_id, broken)
        assert got == {"json": {field}, "python": {field}, "schema": {field}}, (field, kind, broken.get(field), got)


def test_every_mutation_kind_applies_somewhere() -> None:
    """No mutation kind is dead: each applies to at least one field of some entity's fixed record."""
    seen: set[str] = set()
    for entity_id in ENTITIES:
        entity = standard().entity(entity_id)
        obj: dict[str, Any] = {}
        for f in entity.fields:  # a record with every field present, values irrelevant for applicability
            e = f.element
            obj[f.name] = {"integer": 1, "boolean": True}.get(e.type, "0" if e.type != "datetime" else "2024-01-01T00:00:00Z")
        seen.update(k for _, k in applicable_mutations(entity, obj))
    assert seen == set(MUTATION_KINDS)
