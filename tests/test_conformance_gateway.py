"""The conformance suite's gateway profile: the runner is a gRPC client of a live gateway.

At the level users rely on: ``jincai conformance run --profile gateway`` against the reference
product (which starts jincai's own gateway for the run and stops it afterwards), against a gateway
already running that the SUT file names with pre-issued credential files, and the gateway mutants
(each fault must fail at least one case).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml
from typer.testing import CliRunner

from jincai import paths
from jincai.cli import app
from gateway_harness import ThreadGateway

runner = CliRunner()
REFERENCE = paths.HOME / "harnesses" / "jincai" / "sut.yaml"


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_reference_gateway_passes_every_gateway_case_and_is_stopped_afterwards(tmp_path, monkeypatch):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # the harness's gateway puts its data folder here
    r = runner.invoke(app, ["conformance", "run", "--profile", "gateway", "--sut", str(REFERENCE), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    data = _results(tmp_path / "o")
    cases = data["cases"]
    assert len(cases) >= 20 and {c["status"] for c in cases} == {"pass"}, [(c["id"], c["reason"]) for c in cases if c["status"] != "pass"]
    assert {c["module"] for c in cases} == {"gateway"}
    clean = next(c for c in cases if c["id"] == "gateway.clean-month-accepted")
    assert clean["actual"]["steps"][0]["receipt"]["signature"] == "valid"
    rejected = next(c for c in cases if c["id"] == "gateway.rule-errors-quarantined")["actual"]["steps"][0]
    assert rejected["status"] == "FAILED_PRECONDITION" and {i["rule"] for i in rejected["issues"]} == {"field.control-char", "field.date", "field.pattern"}
    assert not list(tmp.glob("jincai-conformance-gateway-*")), "the gateway's data folder outlived the run"


def test_gateway_named_in_the_sut_file_with_pre_issued_credentials(tmp_path):
    """A vendor's gateway already running: target, CA and credential files come from SUT.yaml, and the
    harness only describes the product."""
    gw = ThreadGateway(tmp_path / "gw")
    try:
        creds = {}
        suite = yaml.safe_load((paths.CONFORMANCE / "suite.yaml").read_text(encoding="utf-8"))
        for name, spec in suite["gateway"]["credentials"].items():
            if spec.get("kind") == "cert":
                key, cert, serial = gw.cert(spec["role"], spec["region"])
                if spec.get("state") == "revoked":
                    gw.creds.revoke("cert", format(serial, "x"))
                (tmp_path / f"{name}.pem").write_bytes(cert)
                (tmp_path / f"{name}.key").write_bytes(key)
                creds[name] = {"cert": f"{name}.pem", "key": f"{name}.key"}
                continue
            tid, token = gw.creds.issue_token(spec["role"], spec["region"])
            if spec.get("state") == "revoked":
                gw.creds.revoke("token", tid)
            (tmp_path / f"{name}.token").write_text(token + "\n", encoding="utf-8")
            creds[name] = {"token_file": f"{name}.token"}
        shutil.copy(gw.data / "tls" / "ca.pem", tmp_path / "ca.pem")
        harness = tmp_path / "describe_only.py"
        harness.write_text(
            "import json, sys\n"
            "for line in sys.stdin:\n"
            "    m = json.loads(line)\n"
            "    a = {'id': m['id'], 'ok': True}\n"
            "    if m['op'] == 'describe':\n"
            "        a.update(protocol='jincai-conformance-harness/1', profiles=['gateway'], features=[],\n"
            "                 product={'vendor': 'v', 'name': 'gw', 'version': '1'})\n"
            "    print(json.dumps(a), flush=True)\n"
            "    if m['op'] == 'shutdown': break\n",
            encoding="utf-8",
        )
        sut = tmp_path / "sut.yaml"
        sut.write_text(yaml.safe_dump({
            "format": "jincai-conformance-sut/1", "harness": {"command": ["{python}", str(harness)], "timeout_seconds": 60},
            "gateway": {"target": gw.target, "mtls_target": f"localhost:{gw.mtls_port}", "ca": "ca.pem", "credentials": creds},
        }), encoding="utf-8")  # fmt: skip
        r = runner.invoke(app, ["conformance", "run", "--profile", "gateway", "--sut", str(sut), "--out", str(tmp_path / "o"),
                                "--cases", "15.3.*,15.4.01,15.5.01,15.6.*"])  # fmt: skip
        assert r.exit_code == 0, r.output
        cases = _results(tmp_path / "o")["cases"]
        assert len(cases) >= 15 and {c["status"] for c in cases} == {"pass"}, [(c["id"], c["reason"]) for c in cases if c["status"] != "pass"]
        # a second run against the same gateway passes too: keys are new, checks are relative
        r = runner.invoke(app, ["conformance", "run", "--profile", "gateway", "--sut", str(sut), "--out", str(tmp_path / "o2"), "--cases", "15.4.01,15.5.01"])
        assert r.exit_code == 0, r.output
    finally:
        gw.stop()


def test_an_unreachable_gateway_fails_its_cases_with_the_reason(tmp_path):
    from gateway_harness import free_port

    sut = tmp_path / "sut.yaml"
    shutil.copy(paths.HOME / "harnesses" / "jincai" / "sut.yaml", sut)
    doc = yaml.safe_load(sut.read_text(encoding="utf-8"))
    (tmp_path / "ca.pem").write_text("", encoding="utf-8")
    doc["gateway"] = {"target": f"localhost:{free_port()}", "credentials": {"county-reader": {"token_file": "t"}}}
    (tmp_path / "t").write_text("x", encoding="utf-8")
    sut.write_text(yaml.safe_dump(doc), encoding="utf-8")
    r = runner.invoke(app, ["conformance", "run", "--profile", "gateway", "--sut", str(sut), "--out", str(tmp_path / "o"), "--cases", "15.3.01"])
    assert r.exit_code == 1, r.output
    case = _results(tmp_path / "o")["cases"][0]
    assert case["status"] == "fail" and "UNAVAILABLE" in case["reason"] and "Traceback" not in r.output


def test_gateway_mutants_are_all_killed():
    from jincai.conformance import mutants

    results = mutants.score(kinds=["gateway"])
    assert len(results) >= 5
    survivors = [r.name for r in results if not r.killed]
    assert not survivors, survivors
    assert {r.by for r in results} >= {"gateway.clean-month-accepted", "gateway.auth-revoked-token", "gateway.idempotent-resubmission"}


def test_gateway_operations_of_the_reference_harness_fit_the_message_schema():
    schema = json.loads((paths.SCHEMAS / "conformance" / "harness-messages.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    requests = [
        {"id": 1, "op": "describe"},
        {"id": 2, "op": "gateway_credential", "name": "x", "role": "submitter", "region": "130681000", "state": "active", "kind": "token"},
        {"id": 3, "op": "gateway_start"},
        {"id": 4, "op": "gateway_credential", "name": "x", "role": "submitter", "region": "130681000", "state": "revoked", "kind": "token"},
        {"id": 5, "op": "gateway_credential", "name": "y", "role": "reader", "region": "130681000", "state": "active", "kind": "cert"},
        {"id": 6, "op": "shutdown"},
    ]
    proc = subprocess.run([sys.executable, "-m", "jincai.conformance.reference_harness"], input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in answers] == [1, 2, 3, 4, 5, 6] and proc.returncode == 0, proc.stderr[-2000:]
    for msg in requests + answers:
        errors = list(validator.iter_errors(msg))
        assert not errors, (msg, errors[0].message)
    assert "gateway" in answers[0]["profiles"]
    assert answers[1]["ok"] is False and answers[1]["error"]["code"] == "gateway-not-started"  # credentials need a gateway
    assert answers[2]["target"].startswith("localhost:") and "BEGIN CERTIFICATE" in answers[2]["ca_pem"]
    assert answers[3]["token"].startswith("jct.") and "BEGIN CERTIFICATE" in answers[4]["cert_pem"]


def test_lint_names_a_gateway_case_whose_credential_the_suite_does_not_define(tmp_path):
    from jincai.conformance.lint import lint

    root = tmp_path / "suite"
    shutil.copytree(paths.CONFORMANCE, root)
    case = root / "cases" / "gateway" / "gateway.auth-none" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("credential: none", "credential: nobody"), encoding="utf-8")
    problems, _ = lint(root)
    assert any(p.code == "unknown-credential" and "gateway.auth-none" in p.location for p in problems), [str(p) for p in problems]
