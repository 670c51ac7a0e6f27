"""One verdict: the bulk path (DuckDB, set-at-a-time) and the per-record path (pydantic + Python)
find exactly the same (rule, file, row, field) — on every fixture of the catalogue and on
hypothesis-generated single-field mutations of valid records, in JSON Lines and in CSV.

Only the builtin families are compared (struct, field, code, ident, record): the cross-record and
cross-entity rules exist only as SQL. Both paths are also held to the pydantic models and to the
published JSON Schema (in Python jsonschema, jsonschema-rs and ajv) on every C01–C15 edge value by
``tests/interop/test_json_schema_interop.py``.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jincai import paths
from jincai.standard import standard
from jincai.strategies import UNKNOWN_FIELD, mutations, valid_record
from jincai.canonical import record_to_json
from jincai.validation.engine import validate

FIXTURES = paths.VALIDATORS / "fixtures"
BUILTIN = {"struct", "field", "code", "ident", "record"}
FOLDERS = sorted(p for p in FIXTURES.glob("*/*") if p.is_dir())


def verdicts(folder: Path, year: int | None = None) -> tuple[set, set]:
    bulk = validate([folder], year=year, max_issues=None, sql=False)
    record = validate([folder], year=year, max_issues=None, path="record")
    key = lambda r: {(i.rule, Path(i.file).name, i.row, i.field) for i in r.issues if i.rule.split(".")[0] in BUILTIN}  # noqa: E731
    return key(bulk), key(record)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f"{p.parent.name}/{p.name}" for p in FOLDERS])
def test_fixture_one_verdict(folder):
    opts = folder / "options.json"
    year = json.loads(opts.read_text())["year"] if opts.exists() else None
    if year is None and (folder / "expected.json").exists():
        year = json.loads((folder / "expected.json").read_text()).get("options", {}).get("year")
    bulk, record = verdicts(folder, year)
    assert bulk == record, f"bulk only: {sorted(bulk - record, key=str)}; record only: {sorted(record - bulk, key=str)}"


# ------------------------------------------------------------------------------------------------
# mutations of valid records
# ------------------------------------------------------------------------------------------------

ENTITIES = sorted(standard().entities)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write(folder: Path, entity: str, objs: list[dict]) -> None:
    with open(folder / f"{entity}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for o in objs:
            fh.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")
    # the same records as CSV with canonical headers (in another folder: same keys, same entity)
    csv_dir = folder / "csv"
    csv_dir.mkdir()
    names = standard().entity(entity).field_names + sorted({k for o in objs for k in o} - set(standard().entity(entity).field_names))
    with open(csv_dir / f"{entity}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        for o in objs:
            w.writerow([_cell(o.get(n)) for n in names])


def _batch(entity: str):
    ent = standard().entity(entity)
    clean = valid_record(ent).map(lambda r: (record_to_json(ent, r), None, None))
    return st.lists(st.one_of(mutations(ent), clean), min_size=1, max_size=12)


@pytest.mark.slow
@pytest.mark.parametrize("entity", ENTITIES)
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_mutations_one_verdict(entity, data):
    batch = data.draw(_batch(entity))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, entity, [o for o, _, _ in batch])
        for sub in (folder / "csv", folder / f"{entity}.jsonl"):
            bulk, record = verdicts(sub)
            assert bulk == record, f"{sub.name}: bulk only {sorted(bulk - record, key=str)}; record only {sorted(record - bulk, key=str)}"
        # and every mutation is found (JSON Lines), at its record and field (or once for the file's column)
        for row, (_, fld, kind) in enumerate(batch, 1):
            if fld is None:
                continue
            want = UNKNOWN_FIELD if kind == "unknown-field" else fld
            at_row = {(r, f) for _, _, r, f in bulk}
            file_level = {f for rule, _, _, f in bulk if rule.startswith("struct.")}  # once per file and column
            assert (row, want) in at_row or want in file_level, f"mutation {kind} of {fld} at row {row} not found"
