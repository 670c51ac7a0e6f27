"""The conformance suite as content: the builder has not drifted, the published schemas are current,
lint is clean and finds what it must, the release bundle verifies, and the harness protocol as
documented is what the reference harness speaks."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from jincai import paths, yaml_load
from jincai.cli import app
from jincai.conformance import builders, schemas
from jincai.conformance.lint import lint
from jincai.conformance.suite import load_suite

runner = CliRunner()


def test_committed_cases_are_what_the_builder_makes():
    """Cases are data reviewed like data, but made by code: the two never drift apart."""
    problems = builders.drift()
    assert not problems, "run `python -m jincai.conformance.builders`: " + ", ".join(f"{w} {r}" for r, w in problems[:20])


def test_published_schemas_are_current():
    for name, text in schemas.render().items():
        assert (paths.SCHEMAS / "conformance" / name).read_text(encoding="utf-8") == text, f"run python -m jincai.conformance.schemas ({name})"


def test_every_case_fits_the_published_case_schema():
    import yaml

    schema = json.loads((paths.SCHEMAS / "conformance" / "case.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    cases = sorted(paths.CONFORMANCE.glob("cases/*/*/case.yaml"))
    assert len(cases) > 300
    for p in cases:
        errors = list(validator.iter_errors(yaml.safe_load(p.read_text(encoding="utf-8"))))
        assert not errors, f"{p}: {errors[0].message}"


def test_lint_is_clean_and_prints_coverage():
    r = runner.invoke(app, ["conformance", "lint"])
    assert r.exit_code == 0, r.output
    from jincai.validation.catalogue import catalogue

    n = len(catalogue().rules)  # every rule of the catalogue has a must-fire and a must-not-fire case
    assert f"rules: {n}/{n}" in r.output and "must-fire" in r.output and "requirements:" in r.output


def test_every_rule_fires_and_stays_silent_somewhere():
    problems, cov = lint()
    assert cov.rules_fire == cov.rules == cov.rules_silent
    assert cov.covered + cov.untested_with_reason == cov.requirements


@pytest.fixture(scope="module")
def suite_copy(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("suite") / "conformance_tests"
    shutil.copytree(paths.CONFORMANCE, dest)
    return dest


def test_lint_finds_a_renumbered_a_deleted_an_orphan_and_an_unknown_rule(suite_copy, tmp_path):
    root = tmp_path / "s"
    shutil.copytree(suite_copy, root)
    case = root / "cases" / "field" / "field.date.fires" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("number: 3.", "number: 3.9", 1), encoding="utf-8")
    shutil.rmtree(root / "cases" / "field" / "field.date.silent")
    (root / "cases" / "field" / "field.pattern.fires" / "stray.txt").write_text("x")
    other = root / "cases" / "field" / "field.pattern.fires" / "case.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("rule: field.pattern", "rule: field.no-such-rule"), encoding="utf-8")
    codes = {p.code for p in lint(root)[0]}
    assert {"number-changed", "case-deleted", "orphan-file", "unknown-rule", "release-drift"} <= codes
    r = runner.invoke(app, ["conformance", "lint", "--suite", str(root)])
    assert r.exit_code == 1 and "number-changed" in r.output


def test_numbers_are_frozen_in_the_register():
    suite = load_suite()
    with open(paths.CONFORMANCE / "numbers.csv", encoding="utf-8") as fh:
        register = {line.split(",")[0]: line.split(",")[1] for line in fh.read().splitlines()[1:]}
    assert all(register[c.case.id] == c.case.number for c in suite.cases)
    assert len(set(register.values())) == len(register)


def test_gateway_profile_is_active_and_every_gateway_requirement_has_a_case():
    suite = load_suite()
    gateway = next(p for p in suite.suite.profiles if p.id == "gateway")
    assert gateway.status == "active" and gateway.operation == "submit"
    cases = [c for c in suite.cases if c.case.module == "gateway" and c.case.status == "active"]
    assert cases and all(c.case.actors == ["gateway"] and c.case.operation == "submit" for c in cases)
    covered = {r for c in cases for r in c.case.requirements}
    gw_reqs = {r.id for r in suite.requirements.values() if r.id.startswith("R-GW-")}
    assert gw_reqs and gw_reqs <= covered and not any(suite.requirements[r].untested_reason_en for r in gw_reqs)
    named = {c.case.input.observer for c in cases} | {s.credential for c in cases for s in c.case.input.steps}
    assert named - {None, "none", "forged", "foreign-cert"} <= set(suite.suite.gateway.credentials)


def test_export_writes_a_verifiable_dated_bundle(tmp_path):
    r = runner.invoke(app, ["conformance", "export", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    (bundle,) = tmp_path.iterdir()
    suite = load_suite().suite
    assert bundle.name == f"{suite.id}-{suite.version}-{suite.release_date}"
    sums = (bundle / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) > 800 and any(line.endswith("  schemas/case.schema.json") for line in sums)
    for line in sums[:50]:
        sha, rel = line.split("  ", 1)
        assert hashlib.sha256((bundle / rel).read_bytes()).hexdigest() == sha


def test_export_refuses_a_suite_that_drifted_from_its_release(suite_copy, tmp_path):
    from jincai.conformance.export import export
    from jincai.errors import JincaiError

    root = tmp_path / "s"
    shutil.copytree(suite_copy, root)
    (root / "cases" / "field" / "field.date.fires" / "tax_receipt.jsonl").write_bytes(b"{}\n")
    with pytest.raises(JincaiError) as exc:
        export(tmp_path / "out", root)
    assert exc.value.code == "conformance-export-refused" and "field.date.fires" in exc.value.message_en


def test_reference_harness_speaks_the_documented_protocol(tmp_path):
    """Every request and answer of a short session fits harness-messages.schema.json."""
    schema = json.loads((paths.SCHEMAS / "conformance" / "harness-messages.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    case = paths.CONFORMANCE / "cases" / "translation" / "adapter.bank_payroll_fixed.defects"
    requests = [
        {"id": 1, "op": "describe"},
        {"id": 2, "op": "validate", "files": [str(paths.CONFORMANCE / "cases/field/field.date.fires/tax_receipt.jsonl")], "year": None},
        {"id": 3, "op": "translate", "system": "bank_payroll_fixed", "profile": str(case / "profile.yaml"),
         "inputs": [str(p) for p in sorted((case / "inputs").iterdir())], "out": str(tmp_path / "t")},
        {"id": 4, "op": "validate", "files": ["/no/such/file.jsonl"], "year": None},
        {"id": 5, "op": "shutdown"},
    ]
    proc = subprocess.run([sys.executable, "-m", "jincai.conformance.reference_harness"], input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True, timeout=300)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in answers] == [1, 2, 3, 4, 5]
    for msg in requests + answers:
        errors = list(validator.iter_errors(msg))
        assert not errors, (msg, errors[0].message)
    expected = yaml_load.load_file(case / "case.yaml", size_limit=None)["expected"]["ledger"]["rows"]["rejected"]
    assert answers[1]["issues"][0]["rule"] == "field.date" and answers[2]["ledger"]["rows"]["rejected"] == expected
    assert answers[3]["ok"] is False and answers[3]["error"]["code"]
