"""``jincai conformance run`` against the reference product (every profile it declares passes),
the runner's exit codes and outputs, the mutants, and the Node.js harness — at the level users rely
on: the command, its exit code and the files it writes."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from jincai import paths
from jincai.cli import app

runner = CliRunner()
REFERENCE = paths.HOME / "harnesses" / "jincai" / "sut.yaml"
NODE = paths.HOME / "harnesses" / "node"


def run(*args: str):
    return runner.invoke(app, ["conformance", "run", *args])


def _sut(tmp_path: Path, command: list[str], **extra) -> Path:
    import yaml

    path = tmp_path / "sut.yaml"
    path.write_text(yaml.safe_dump({"format": "jincai-conformance-sut/1", "harness": {"command": command, "timeout_seconds": 60}, **extra}), encoding="utf-8")
    return path


def _results(out: Path) -> dict:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    schema = json.loads((paths.SCHEMAS / "conformance" / "results.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    return data


@pytest.mark.parametrize("profile", ["adapter", "producer", pytest.param("validator", marks=pytest.mark.slow), pytest.param("auditor", marks=pytest.mark.slow)])
def test_reference_product_passes_every_case_of_its_profiles(profile, tmp_path):
    out = tmp_path / profile
    r = run("--profile", profile, "--sut", str(REFERENCE), "--out", str(out))
    assert r.exit_code == 0, r.output[-3000:]
    data = _results(out)
    statuses = {c["status"] for c in data["cases"]}
    assert statuses <= {"pass", "xfail"}, [c["id"] for c in data["cases"] if c["status"] not in ("pass", "xfail")]
    assert data["summary"]["required_passed"] and data["product"]["name"].startswith("金财参考实现")
    assert all(c["reason"] for c in data["cases"] if c["status"] == "xfail")
    junit = ET.parse(out / "junit.xml").getroot()
    assert int(junit.get("tests")) == len(data["cases"])
    with open(out / "coverage.csv", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[0].startswith("需求")
    assert "符合性测试报告" in (out / "report.html").read_text(encoding="utf-8")


def test_a_failing_case_exits_1_and_the_report_shows_expected_against_actual(tmp_path):
    """A mutant of the reference (field.date disabled) fails the case that needs it."""
    sut = _sut(tmp_path, ["{python}", "-m", "jincai.conformance.reference_harness", "--mutant", "rule.field.date"])
    r = run("--profile", "validator", "--sut", str(sut), "--out", str(tmp_path / "o"), "--cases", "field.date.*", "--previous", str(tmp_path / "o"))
    assert r.exit_code == 2  # --previous must exist
    r = run("--profile", "validator", "--sut", str(sut), "--out", str(tmp_path / "o"), "--cases", "field.date.*")
    assert r.exit_code == 1, r.output
    data = _results(tmp_path / "o")
    fired = next(c for c in data["cases"] if c["id"] == "field.date.fires")
    assert fired["status"] == "fail" and any("missing" in d and "field.date" in d for d in fired["differences"])
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "field.date.fires" in html and "预期 expected" in html
    # the previous run is compared: the same cases now pass with the real product
    r = run("--profile", "validator", "--sut", str(REFERENCE), "--out", str(tmp_path / "p"), "--cases", "field.date.*", "--previous", str(tmp_path / "o"))
    assert r.exit_code == 0
    assert "与上次运行相比" in (tmp_path / "p" / "report.html").read_text(encoding="utf-8")


def test_a_harness_that_cannot_run_exits_4(tmp_path):
    r = run("--profile", "validator", "--sut", str(_sut(tmp_path, [sys.executable, "-c", "import sys; sys.exit(3)"])), "--out", str(tmp_path / "o"), "--cases", "c01.*")
    assert r.exit_code == 4, r.output
    r = run("--profile", "validator", "--sut", str(_sut(tmp_path, [sys.executable, "-c", "print('hello')"])), "--out", str(tmp_path / "o"), "--cases", "c01.*")
    assert r.exit_code == 4, r.output
    data = _results(tmp_path / "o")
    assert {c["status"] for c in data["cases"]} == {"error"} and "JSON" in data["cases"][0]["reason"]
    r = run("--profile", "validator", "--sut", str(_sut(tmp_path, ["/no/such/harness"])), "--out", str(tmp_path / "o"))
    assert r.exit_code == 4 and "Traceback" not in r.output


@pytest.mark.parametrize("problem", ["bad-yaml", "unknown-key", "no-file", "bad-profile", "bad-mode"])
def test_usage_errors_exit_2_with_a_reason(tmp_path, problem):
    sut = _sut(tmp_path, ["{python}", "-m", "jincai.conformance.reference_harness"])
    args = ["--profile", "validator", "--sut", str(sut), "--out", str(tmp_path / "o")]
    if problem == "bad-yaml":
        sut.write_text("harness: [", encoding="utf-8")
    elif problem == "unknown-key":
        sut.write_text(sut.read_text() + "shell: true\n", encoding="utf-8")
    elif problem == "no-file":
        args[3] = str(tmp_path / "none.yaml")
    elif problem == "bad-profile":
        args[1] = "nobody"
    else:
        args += ["--mode", "strict"]
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "错误 error" in r.output and "Traceback" not in r.output


def test_a_pending_profile_is_refused_with_its_note(tmp_path):
    """A profile designed before its cases exist (status pending) is a usage error, not an empty pass."""
    from jincai.conformance.runner import run as run_profile
    from jincai.errors import JincaiError

    suite = tmp_path / "suite"
    shutil.copytree(paths.CONFORMANCE, suite)
    text = (suite / "suite.yaml").read_text(encoding="utf-8")
    (suite / "suite.yaml").write_text(text.replace("    operation: submit\n    status: active", "    operation: submit\n    status: pending"), encoding="utf-8")
    with pytest.raises(JincaiError) as exc:
        run_profile("gateway", REFERENCE, tmp_path / "o", suite_root=suite)
    assert exc.value.code == "conformance-profile-pending"


def test_certify_mode_refuses_filters_and_expected_failures(tmp_path):
    r = run("--profile", "validator", "--sut", str(REFERENCE), "--out", str(tmp_path / "o"), "--mode", "certify", "--cases", "c01.*")
    assert r.exit_code == 2 and "--cases" in r.output
    sut = tmp_path / "sut.yaml"
    sut.write_text(REFERENCE.read_text(encoding="utf-8").replace("expected_failures: []", "expected_failures:\n  - case: c14.c1-last\n    reason_zh: 例 e.g.\n    reason_en: e.g."), encoding="utf-8")
    assert "c14.c1-last" in sut.read_text(encoding="utf-8")
    r = run("--profile", "validator", "--sut", str(sut), "--out", str(tmp_path / "o2"), "--mode", "certify")
    assert r.exit_code == 2 and "expected_failures" in r.output, r.output


def test_skipped_cases_say_why(tmp_path):
    """A product that declares no CSV input skips the CSV cases, with the reason."""
    script = tmp_path / "h.py"
    script.write_text(
        "import json,sys\n"
        "from jincai.conformance.reference_harness import Reference\n"
        "ref = Reference()\n"
        "for line in sys.stdin:\n"
        "    m = json.loads(line)\n"
        "    if m['op'] == 'shutdown':\n"
        "        print(json.dumps({'id': m['id'], 'ok': True}), flush=True); break\n"
        "    a = ref.handle(m)\n"
        "    if m['op'] == 'describe': a['features'] = []\n"
        "    print(json.dumps(a), flush=True)\n",
        encoding="utf-8",
    )
    r = run("--profile", "validator", "--sut", str(_sut(tmp_path, ["{python}", str(script)])), "--out", str(tmp_path / "o"), "--cases", "c06.csv-*,c06.optional-null")
    assert r.exit_code == 0, r.output
    data = _results(tmp_path / "o")
    skipped = [c for c in data["cases"] if c["status"] == "skip"]
    assert len(skipped) == 2 and all("input.csv" in c["reason"] for c in skipped)
    assert [c["status"] for c in data["cases"] if c["id"] == "c06.optional-null"] == ["pass"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["rule", "transform", "other"])
def test_every_mutant_is_killed(kind):
    """The mutation score: 100 % for rule-disabling mutants (required), and today for the others too."""
    r = runner.invoke(app, ["conformance", "mutants", "--kind", kind])
    assert r.exit_code == 0, r.output[-3000:]
    assert "SURVIVED" not in r.output, [line for line in r.output.splitlines() if "SURVIVED" in line]
    assert f"mutation score {kind}:" in r.output and "= 100.0%" in r.output


def test_mutants_are_listed():
    r = runner.invoke(app, ["conformance", "mutants", "--list"])
    assert r.exit_code == 0
    assert "rule.xent.payment-detail-sum" in r.output and "transform.red_ink" in r.output and "money-rounded-to-yuan" in r.output


@pytest.mark.slow
def test_node_harness_runs_through_the_same_runner(tmp_path):
    """The second harness (Node.js + ajv, installed from the npm registry with the committed lock
    file) runs the validator profile; what it cannot do is reported as failures, not hidden."""
    if not shutil.which("npm") or not shutil.which("node"):
        pytest.skip("node/npm not installed")
    if not (NODE / "node_modules" / "ajv").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE, check=True, capture_output=True, timeout=600)
    out = tmp_path / "node"
    r = run("--profile", "validator", "--sut", str(NODE / "sut.yaml"), "--out", str(out))
    assert r.exit_code == 1, r.output[-2000:]
    data = _results(out)
    status = {c["id"]: c["status"] for c in data["cases"]}
    assert data["product"]["name"].startswith("Node.js")
    # what a JSON Schema expresses, it gets right …
    assert status["field.date.fires"] == status["c03.no-offset"] == status["ident.uscc.wrong-check"] == "pass"
    assert status["c14.line-separator"] == "pass"
    # … code lists by year, record and cross-entity rules it cannot; CSV input it does not declare
    assert status["codelist.mof_div.xingtai-130521-2021"] == status["xent.payment-detail-sum.fires"] == status["record.payroll-net.fires"] == "fail"
    assert status["c04.fraction"] == "fail"  # JavaScript reads 28.0 as the integer 28
    assert status["c06.csv-empty-required"] == "skip"
    assert data["summary"]["by_status"]["pass"] > 150
