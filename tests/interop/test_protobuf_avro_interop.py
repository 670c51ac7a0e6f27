"""The protobuf and Avro artifacts in second implementations (issue 8 items 4 and 5).

* ``buf lint`` (npm ``@bufbuild/buf``) with the rules ``proto/buf.yaml`` states (STANDARD, COMMENTS)
  passes on the published proto;
* protobufjs decodes messages that Python encoded, re-encodes them byte for byte, and reads the same
  values (money in fen, datetimes in their canonical text, C03, C05);
* avsc reads Avro container files that Python (fastavro, deflate) wrote, with the same values.

Records are hypothesis-drawn for every entity, several per entity, in one node process per check.
"""

from __future__ import annotations

import base64
import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import run_node
from jincai import avro_io, paths, proto_io
from jincai.canonical import datetime_text
from jincai.standard import standard
from jincai.strategies import valid_record

ENTITIES = sorted(standard().entities)
PER_ENTITY = 3  # one hypothesis example draws every entity: more would exceed its size budget
PROTO_DIR = paths.HOME / "proto"
_ONCE = settings(max_examples=1, deadline=None, derandomize=True, database=None, phases=(Phase.generate,), suppress_health_check=list(HealthCheck))


def _records(data: st.DataObject) -> dict[str, list[dict[str, Any]]]:
    return {
        e: data.draw(st.lists(valid_record(standard().entity(e)), min_size=PER_ENTITY, max_size=PER_ENTITY), label=e)
        for e in ENTITIES
    }


def test_issue8_05_buf_lint_standard_and_comments_passes(node_dir: Path) -> None:
    config = yaml.safe_load((PROTO_DIR / "buf.yaml").read_text(encoding="utf-8"))
    assert set(config["lint"]["use"]) >= {"STANDARD", "COMMENTS"}
    result = subprocess.run([str(node_dir / "node_modules" / ".bin" / "buf"), "lint"], cwd=PROTO_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _proto_json(entity_id: str, record: dict[str, Any]) -> dict[str, Any]:
    """What protobufjs's toObject should give for a canonical record (longs as strings)."""
    out: dict[str, Any] = {}
    for f in standard().entity(entity_id).fields:
        value = record.get(f.name)
        if value is None:
            continue
        kind = f.element.type
        if kind == "money":
            fen = int(value.scaleb(2))
            out[f.name] = {"fen": str(fen)} if fen else {}  # proto3: 0 fen is not on the wire; the Money message is
        elif kind == "decimal":
            out[f.name] = {"value": format(value, "f")}
        elif kind == "integer":
            out[f.name] = str(value)
        elif kind == "date":
            out[f.name] = value.isoformat()
        elif kind == "datetime":
            out[f.name] = datetime_text(value)
        else:
            out[f.name] = value
    return out


@_ONCE
@given(data=st.data())
def test_issue8_05_protobufjs_decodes_and_reencodes_byte_identically(data: st.DataObject, node_dir: Path, tmp_path_factory) -> None:
    records = _records(data)
    cases = []
    for entity_id, recs in records.items():
        for rec in recs:
            wire = proto_io.to_message(entity_id, rec).SerializeToString()
            cases.append((entity_id, rec, wire))
    path = tmp_path_factory.mktemp("proto") / "cases.jsonl"
    path.write_text(
        "".join(json.dumps({"m": standard().entity(e).pascal_name, "b": base64.b64encode(w).decode()}) + "\n" for e, _, w in cases),
        encoding="utf-8",
    )
    lines = run_node(node_dir, "proto_roundtrip.js", str(PROTO_DIR / "jincai/fiscal/v1/fiscal.proto"), str(path)).splitlines()
    assert len(lines) == len(cases) == len(ENTITIES) * PER_ENTITY
    for (entity_id, rec, wire), line in zip(cases, lines):
        got = json.loads(line)
        assert base64.b64decode(got["b"]) == wire, entity_id
        assert got["v"] == _proto_json(entity_id, rec), entity_id


def _avro_json(entity_id: str, record: dict[str, Any]) -> dict[str, Any]:
    """What avsc should read for a canonical record: decimals as two's-complement bytes, dates as days."""
    out: dict[str, Any] = {}
    for f in standard().entity(entity_id).fields:
        value = record.get(f.name)
        kind = f.element.type
        if value is None:
            out[f.name] = None
        elif kind in ("money", "decimal"):
            out[f.name] = int(value.scaleb(f.element.effective_scale or 0))
        elif kind == "date":
            out[f.name] = (value - date(1970, 1, 1)).days
        elif kind == "datetime":
            out[f.name] = datetime_text(value)
        else:
            out[f.name] = value
    return out


def _from_avsc(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"hex"}:
        return int.from_bytes(bytes.fromhex(value["hex"]), "big", signed=True)
    return value


@_ONCE
@given(data=st.data())
def test_issue8_avsc_reads_python_written_avro_containers(data: st.DataObject, node_dir: Path, tmp_path_factory) -> None:
    records = _records(data)
    folder = tmp_path_factory.mktemp("avro")
    files = []
    for entity_id, recs in records.items():
        path = folder / f"{entity_id}.avro"
        avro_io.write_avro(path, entity_id, recs)
        files.append(str(path))
    lines = run_node(node_dir, "avro_read.js", *files).splitlines()
    assert len(lines) == len(ENTITIES)
    for line in lines:
        got = json.loads(line)
        entity_id = Path(got["file"]).stem
        assert got["schema"] == f"jincai.fiscal.v1.{standard().entity(entity_id).pascal_name}"
        read = [{k: _from_avsc(v) for k, v in r.items()} for r in got["records"]]
        assert read == [_avro_json(entity_id, r) for r in records[entity_id]], entity_id
