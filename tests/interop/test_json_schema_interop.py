"""One verdict in every implementation (issue 8 items 1–3).

Cases: for every entity, hypothesis-drawn valid records, each with every applicable single-field
mutation (``jincai.strategies.applicable_mutations``), every edge value of the conventions C01–C15
(``jincai.strategies.edge_cases``: every C14 character, lone surrogates, calendar and clock edges,
money forms…) and null in every nullable field. Each case has one expected verdict: valid, or
invalid at exactly the named field. Seven implementations must give it:

* the pydantic models, from JSON text and from Python objects;
* ``jincai validate``, bulk (DuckDB) and per-record paths — struct, field and ident findings;
* Python ``jsonschema`` (``jincai.jsonschema_check``), ``jsonschema-rs`` with its linear-time
  regex engine, and ``ajv`` in strict mode with ajv-formats (Node; one process for all cases) —
  all three on the schemas exactly as published in ``schemas/json/``.

Two documented limits of the JSON data model are counted, not hidden: ``12.0`` is an integer for
JSON Schema (C04 cannot be stated in a schema — ajv and jsonschema-rs accept it, as the spec says),
and a lone surrogate is refused by some implementations as a whole document rather than at its field
(not valid I-JSON). Counts go to ``benchmarks/results/interop.json``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import node_versions, run_node
from jincai import paths
from jincai.canonical import record_to_json
from jincai.generate.json_schema import ANNOTATIONS
from jincai.jsonschema_check import FORMAT_CHECKER, error_fields, schema_for, validator_for
from jincai.models import model_for
from jincai.standard import standard
from jincai.strategies import UNKNOWN_FIELD, applicable_mutations, apply_mutation, edge_cases, valid_record
from jincai.validation.engine import validate

ENTITIES = sorted(standard().entities)
SCHEMA_DIR = paths.SCHEMAS / "json"
RECORDS_PER_ENTITY = 3
RESULTS = paths.HOME / "benchmarks" / "results" / "interop.json"
DOCUMENT = "<document>"  # the implementation refused the whole record, not a field
#: 12.0 for an integer: invalid by C04, an integer by the JSON data model (JSON Schema cannot say C04)
DATA_MODEL_KINDS = frozenset({"integer-as-float", "exponent-float"})
#: a lone surrogate is not a character (C08): refusing the whole document is the same verdict
SURROGATE_KINDS = re.compile(r"forbidden-U\+D[89A-F]")
JSON_SCHEMA_IMPLEMENTATIONS = ("python-jsonschema", "jsonschema-rs", "ajv")


@dataclass
class Case:
    entity: str
    obj: dict[str, Any]
    field: str  # "" for a valid case
    kind: str
    valid: bool


def _cases(data: st.DataObject) -> list[Case]:
    out: list[Case] = []
    for entity_id in ENTITIES:
        entity = standard().entity(entity_id)
        records = data.draw(st.lists(valid_record(entity), min_size=RECORDS_PER_ENTITY, max_size=RECORDS_PER_ENTITY), label=entity_id)
        for record in records:
            obj = record_to_json(entity, record)
            out.append(Case(entity_id, obj, "", "valid", True))
            for field, kind in applicable_mutations(entity, obj):
                out.append(Case(entity_id, apply_mutation(entity, obj, field, kind), field, kind, False))
            for broken, field, kind, ok in edge_cases(entity, obj):
                out.append(Case(entity_id, broken, "" if ok else field, kind, ok))
    return out


def _line(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only a JSON escape can carry it
        text = json.dumps(obj, separators=(",", ":"))
    return text


# ------------------------------------------------------------------------------------------------
# the implementations: each returns (valid, fields) per case
# ------------------------------------------------------------------------------------------------


def _models(cases: list[Case], mode: str) -> list[tuple[bool, set[str]]]:
    out = []
    for c in cases:
        model = model_for(c.entity)
        try:
            if mode == "json":
                model.model_validate_json(_line(c.obj))
            else:
                model.model_validate(c.obj)
            out.append((True, set()))
        except ValidationError as exc:
            out.append((False, {str(e["loc"][0]) if e["loc"] else DOCUMENT for e in exc.errors()}))
    return out


def _python_jsonschema(cases: list[Case]) -> list[tuple[bool, set[str]]]:
    out = []
    for c in cases:
        errors = list(validator_for(c.entity).iter_errors(c.obj))
        out.append((not errors, {f for e in errors for f in error_fields(e)}))
    return out


def _rs_formats() -> dict[str, Any]:
    return {name: FORMAT_CHECKER.checkers[name][0] for name in ("jincai-uscc", "jincai-orgcode", "jincai-citizen-id", "jincai-cnaps")}


def _rs_validator(entity_id: str) -> Any:
    schema = json.loads((SCHEMA_DIR / f"{entity_id}.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(
        schema, formats=_rs_formats(), validate_formats=True, pattern_options=jsonschema_rs.RegexOptions()
    )


def _rs_fields(error: Any) -> set[str]:
    if error.instance_path:
        return {str(error.instance_path[0])}
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return {kind.property}
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return set(kind.unexpected)
    return {DOCUMENT}


def _jsonschema_rs(cases: list[Case]) -> list[tuple[bool, set[str]]]:
    validators = {e: _rs_validator(e) for e in ENTITIES}
    out = []
    for c in cases:
        try:
            errors = list(validators[c.entity].iter_errors(c.obj))
        except (ValueError, TypeError):  # a string Rust cannot hold (a lone surrogate)
            out.append((False, {DOCUMENT}))
            continue
        out.append((not errors, {f for e in errors for f in _rs_fields(e)}))
    return out


def _ajv(cases: list[Case], node_dir: Path, work: Path) -> list[tuple[bool, set[str]]]:
    path = work / "cases.jsonl"
    path.write_text("".join(_line({"e": c.entity, "r": c.obj}) + "\n" for c in cases), encoding="utf-8")
    lines = run_node(node_dir, "json_schema_verdicts.js", str(SCHEMA_DIR), str(path)).splitlines()
    assert len(lines) == len(cases)
    return [(v["ok"], set(v["fields"])) for v in map(json.loads, lines)]


_VALIDATE_FAMILIES = ("struct.", "field.", "ident.")


def _validate_paths(cases: list[Case], work: Path) -> dict[str, list[tuple[bool, set[str]]]]:
    """``jincai validate`` on one JSON Lines file per entity (row = the case's index in the file)."""
    folder = work / "validate"
    folder.mkdir()
    rows: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        rows.setdefault(c.entity, []).append(i)
    for entity_id, indexes in rows.items():
        (folder / f"{entity_id}.jsonl").write_text("".join(_line(cases[i].obj) + "\n" for i in indexes), encoding="utf-8")
    out = {}
    for name, options in (("validate-bulk", {"sql": False}), ("validate-record", {"path": "record"})):
        report = validate([folder], max_issues=None, **options)
        found: list[tuple[bool, set[str]]] = [(True, set()) for _ in cases]
        file_level: dict[str, set[str]] = {}
        for issue in report.issues:
            if not issue.rule.startswith(_VALIDATE_FAMILIES):
                continue
            entity_id = Path(issue.file).name.split(".")[0]
            if issue.row is None or issue.rule.endswith("-column"):  # once per file and column, at its first row
                file_level.setdefault(entity_id, set()).add(issue.field or DOCUMENT)
                continue
            i = rows[entity_id][issue.row - 1]
            found[i] = (False, found[i][1] | {issue.field or DOCUMENT})
        for i, c in enumerate(cases):  # a file-level finding counts for every row that has it
            if c.field and c.field in file_level.get(c.entity, set()) and c.field in c.obj:
                found[i] = (False, found[i][1] | {c.field})
        out[name] = found
    return out


# ------------------------------------------------------------------------------------------------
# the comparison
# ------------------------------------------------------------------------------------------------


def _agrees(c: Case, got: tuple[bool, set[str]], implementation: str) -> bool:
    ok, fields = got
    if c.kind in DATA_MODEL_KINDS and implementation in ("jsonschema-rs", "ajv"):
        return ok  # the JSON data model: 12.0 is an integer; these two follow the spec
    if c.valid:
        return ok
    if ok:
        return False
    want = UNKNOWN_FIELD if c.kind == "unknown-field" else c.field
    return fields == {want} or (bool(SURROGATE_KINDS.match(c.kind)) and fields == {DOCUMENT})


# one drawn example holds thousands of cases; shrinking them would take longer than it is worth
@settings(max_examples=1, deadline=None, derandomize=True, database=None, phases=(Phase.generate,), suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_issue8_01_03_one_verdict_in_every_implementation(data: st.DataObject, node_dir: Path) -> None:
    cases = _cases(data)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        verdicts = {
            "pydantic-json": _models(cases, "json"),
            "pydantic-python": _models(cases, "python"),
            **_validate_paths(cases, work),
            "python-jsonschema": _python_jsonschema(cases),
            "jsonschema-rs": _jsonschema_rs(cases),
            "ajv": _ajv(cases, node_dir, work),
        }
    summary: dict[str, Any] = {}
    failures: list[str] = []
    for name, got in verdicts.items():
        wrong = [(c, g) for c, g in zip(cases, got) if not _agrees(c, g, name)]
        data_model = sum(1 for c, (ok, _) in zip(cases, got) if c.kind in DATA_MODEL_KINDS and ok)
        summary[name] = {"records_checked": len(cases), "disagreements": len(wrong), "accepted_12_0_as_integer": data_model}
        failures += [f"{name}: {c.entity}.{c.field or '-'} {c.kind} {c.obj.get(c.field)!r} → {g}" for c, g in wrong[:8]]
    _write_results(cases, summary, node_dir)
    assert not failures, "\n".join(failures)


def _write_results(cases: list[Case], summary: dict[str, Any], node_dir: Path) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "what": "one verdict across implementations: hypothesis-drawn valid records, every single-field mutation and every C01–C15 edge value (tests/interop/test_json_schema_interop.py)",
        "command": ".venv/bin/python -m pytest tests/interop/test_json_schema_interop.py",
        "cases": len(cases),
        "valid_cases": sum(c.valid for c in cases),
        "entities": len(ENTITIES),
        "implementations": summary,
        "versions": {
            "jsonschema": _dist("jsonschema"),
            "jsonschema-rs": _dist("jsonschema-rs"),
            "pydantic": _dist("pydantic"),
            **node_versions(node_dir),
        },
        "kinds": dict(sorted(Counter(c.kind for c in cases).items())),
    }
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _dist(name: str) -> str:
    from importlib.metadata import version

    return version(name)


# ------------------------------------------------------------------------------------------------
# the published schemas themselves
# ------------------------------------------------------------------------------------------------


def test_issue8_03_every_schema_loads_in_jsonschema_rs_with_the_linear_regex_engine() -> None:
    for entity_id in ENTITIES:
        _rs_validator(entity_id)  # raises on a pattern the Rust regex crate cannot compile


def test_issue8_03_annotations_are_declared_by_the_published_vocabulary() -> None:
    """Every entity schema is valid against the annotation meta-schema (so no x-* keyword is
    undeclared), in Python jsonschema and jsonschema-rs; ajv strict compiles them (the test above)."""
    from referencing import Registry, Resource

    meta = json.loads((SCHEMA_DIR / "meta" / "annotations.schema.json").read_text(encoding="utf-8"))
    assert set(meta["properties"]) == set(ANNOTATIONS)
    registry = Registry().with_resource(meta["$id"], Resource.from_contents(meta))
    python = jsonschema.Draft202012Validator(meta, registry=registry)
    rust = jsonschema_rs.validator_for(meta, registry=jsonschema_rs.Registry([(meta["$id"], meta)]))
    used: set[str] = set()
    for entity_id in ENTITIES:
        schema = schema_for(entity_id)
        assert not list(python.iter_errors(schema)), entity_id
        assert rust.is_valid(schema), entity_id
        used |= {k for k in schema if k.startswith("x-")}
        used |= {k for p in schema["properties"].values() for k in p if k.startswith("x-")}
    assert used == set(ANNOTATIONS)
    assert not python.is_valid({**schema_for("agency"), "x-undeclared": 1})


# one drawn example holds thousands of cases; shrinking them would take longer than it is worth
@settings(max_examples=1, deadline=None, derandomize=True, database=None, phases=(Phase.generate,), suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_issue8_02_null_in_every_nullable_field_is_accepted_by_every_schema_validator(data: st.DataObject, node_dir: Path) -> None:
    named = {
        ("dept_budget_line", "pro_name"), ("budget_indicator", "pro_name"), ("budget_indicator", "sup_bgt_doc_no"),
        ("budget_indicator", "bgt_dec"), ("expense_quota", "calc_desc"), ("payment_voucher", "use_des"),
        ("payment_request", "use_des"), ("payment_detail", "per_name"), ("payment_detail", "add_word"),
    }
    cases = []
    for entity_id in ENTITIES:
        entity = standard().entity(entity_id)
        base = record_to_json(entity, data.draw(valid_record(entity), label=entity_id))
        for f in entity.fields:
            if not f.required:
                cases.append(Case(entity_id, {**base, f.name: None}, "", "null", True))
    assert named <= {(c.entity, n) for c in cases for n, v in c.obj.items() if v is None}
    with tempfile.TemporaryDirectory() as tmp:
        got = {"python-jsonschema": _python_jsonschema(cases), "jsonschema-rs": _jsonschema_rs(cases), "ajv": _ajv(cases, node_dir, Path(tmp))}
    for name, verdicts in got.items():
        refused = [(c.entity, [k for k, v in c.obj.items() if v is None]) for c, (ok, _) in zip(cases, verdicts) if not ok]
        assert not refused, (name, refused[:5])


def _pattern_samples() -> list[str]:
    samples = {
        "", "\n", "0", "9\n", "\n9", "130000000", "130000000\n", "2024", "2024-05-04", "2024-05-04\n", "2024-02-29",
        "2023-02-29", "0000-01-01", "2024-05-07T16:22:33+08:00", "2024-05-07T16:22:33Z\n", "2024-05-07T23:59:60Z",
        "2024-05-07T16:22:33.5-05:00", "1234.50", "1234.50\n", "-3.00", "0.00", "１2.00", "PC-2024_01",
        "91110000600037341L", "11010519491231002X", "102121000013", "payment_voucher", "1.0.0", "0" * 64, "财政厅",
        "财政\n厅", "财政厅\r", "a\tb", "😀𠀀", "\U0010ffff", "\ufffe", "\u00a0", "ABC", "abc_def", "a\r\n", "a\n\n",
    }
    from jincai.strategies import ALLOWED_TEXT_EDGES, FORBIDDEN_TEXT_CHARS

    samples |= {f"a{c}b" for c in FORBIDDEN_TEXT_CHARS if not 0xD800 <= ord(c) <= 0xDFFF}  # Rust strings cannot hold surrogates
    samples |= {f"a{c}" for c in ALLOWED_TEXT_EDGES}
    return sorted(samples)


def test_issue8_03_patterns_mean_the_same_in_python_re_ecma262_and_rust_regex(node_dir: Path) -> None:
    """Every published pattern finds the same matches in ECMA-262 (u flag), Rust regex (jsonschema-rs)
    and Python ``re.search`` — except that Python's ``$`` also matches before a final line feed,
    which the schemas' final-LF guard refuses in all three."""
    patterns: set[str] = set()
    for entity_id in ENTITIES:
        for prop in schema_for(entity_id)["properties"].values():
            patterns.update(p for p in (prop.get("pattern"), prop.get("not", {}).get("pattern")) if p)
    guard = "\\n$"
    assert guard in patterns
    pairs = [(p, s) for p in sorted(patterns) for s in _pattern_samples()]
    ecma = dict(zip(pairs, json.loads(run_node(node_dir, "regex_verdicts.js", stdin=json.dumps(pairs)))))
    rust_validators = {p: jsonschema_rs.validator_for({"pattern": p}, pattern_options=jsonschema_rs.RegexOptions()) for p in patterns}
    python = {(p, s): re.search(p, s) is not None for p, s in pairs}
    rust = {(p, s): rust_validators[p].is_valid(s) for p, s in pairs}
    diffs = []
    for p, s in pairs:
        raw = (python[p, s], ecma[p, s], rust[p, s])
        if (not s.endswith("\n") or p == guard) and len(set(raw)) != 1:
            diffs.append(("pattern", p[:50], s, raw))
        schema = tuple(v[p, s] and not v[guard, s] for v in (python, ecma, rust))  # pattern and the guard together
        if len(set(schema)) != 1:
            diffs.append(("schema", p[:50], s, schema))
    assert not diffs, diffs[:10]
    assert all(python[guard, s] == s.endswith("\n") for s in _pattern_samples())
