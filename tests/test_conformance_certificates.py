"""Certificates: issued only from a certify-mode run with every required case passing; verify says
which check failed; one changed byte in the certificate, the results bundle or the suite is caught."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from jincai import paths
from jincai.cli import app
from jincai.conformance.certificates import certify, verify
from jincai.conformance.runner import run
from jincai.errors import JincaiError
from jincai.validation.cert_registry import load_registry

runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, ["conformance", *args])


def _flip(path: Path, at: int | None = None) -> None:
    """Change one byte (in the middle unless told where)."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if at is None else at
    data[i] = ord("0") if data[i] != ord("0") else ord("1")
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """A certify-mode run of the producer profile (one case), a key pair and a certificate."""
    base = tmp_path_factory.mktemp("cert")
    sut = base / "sut.yaml"
    sut.write_text(yaml.safe_dump({"harness": {"command": ["{python}", "-m", "jincai.conformance.reference_harness", "--certificate", "JC-TEST-0001"]}}), encoding="utf-8")
    results = base / "results"
    outcome = run("producer", sut, results, mode="certify")
    assert outcome.exit_code == 0
    r = cli("keygen", "--out", str(base / "keys"))
    assert r.exit_code == 0, r.output
    registry = base / "registry.csv"
    shutil.copy(paths.VALIDATORS / "registries" / "certificates.csv", registry)
    r = cli("certify", str(results), "--key", str(base / "keys" / "issuer.key"), "--out", str(base / "certificate.json"), "--registry", str(registry))
    assert r.exit_code == 0, r.output
    return base


def _verify(base: Path, *extra: str, cert: Path | None = None):
    return cli("verify", str(cert or base / "certificate.json"), "--issuer-key", str(base / "keys" / "issuer.pub"), *extra)


def test_a_certificate_verifies_with_its_results_and_suite(issued):
    r = _verify(issued, "--results", str(issued / "results"), "--suite", str(paths.CONFORMANCE), "--revoked", str(paths.VALIDATORS / "registries" / "certificates.csv"))
    assert r.exit_code == 0, r.output
    for check in ("form", "issuer", "signature", "validity", "revocation", "results", "suite"):
        assert f"✓ {check}" in r.output
    cert = json.loads((issued / "certificate.json").read_text(encoding="utf-8"))
    jsonschema.validate(cert, json.loads((paths.SCHEMAS / "conformance" / "certificate.schema.json").read_text(encoding="utf-8")))
    body = cert["body"]
    assert body["product"]["name"].startswith("金财参考实现") and body["certified"][0]["profile"] == "producer"
    assert body["suite_digest"].startswith("sha256:") and set(body["results_files"]) >= {"producer/results.json", "producer/report.html"}


def test_certify_appends_the_certificate_to_the_registry(issued):
    number = json.loads((issued / "certificate.json").read_text(encoding="utf-8"))["body"]["number"]
    reg = load_registry(issued / "registry.csv")
    assert reg[number].status == "issued" and reg[number].product.startswith("金财参考实现")


@pytest.mark.parametrize("at", [None, 40, -40])
def test_one_changed_byte_in_the_certificate_fails_verify(issued, tmp_path, at):
    cert = tmp_path / "c.json"
    shutil.copy(issued / "certificate.json", cert)
    size = cert.stat().st_size
    _flip(cert, None if at is None else at % size)
    r = _verify(issued, cert=cert)
    assert r.exit_code == 1, r.output
    assert "✗ signature" in r.output or "✗ form" in r.output or "✗ issuer" in r.output


@pytest.mark.parametrize("name", ["results.json", "junit.xml", "results.csv", "coverage.csv", "report.html"])
def test_one_changed_byte_in_the_results_bundle_fails_verify(issued, tmp_path, name):
    bundle = tmp_path / "results"
    shutil.copytree(issued / "results", bundle)
    _flip(bundle / name)
    r = _verify(issued, "--results", str(bundle))
    assert r.exit_code == 1 and "✗ results" in r.output and name in r.output


def test_one_changed_byte_in_the_suite_fails_verify_certify_and_a_certify_run(issued, tmp_path):
    suite = tmp_path / "conformance_tests"
    shutil.copytree(paths.CONFORMANCE, suite)
    _flip(suite / "cases" / "producer" / "producer.county-month" / "expected" / "totals.json")
    r = _verify(issued, "--suite", str(suite))
    assert r.exit_code == 1 and "✗ suite" in r.output
    with pytest.raises(JincaiError) as exc:
        certify([issued / "results"], issued / "keys" / "issuer.key", issuer="t", suite_root=suite)
    assert exc.value.code == "conformance-certify-refused" and "suite changed" in exc.value.message_en
    sut = tmp_path / "sut.yaml"
    sut.write_text(yaml.safe_dump({"harness": {"command": ["{python}", "-m", "jincai.conformance.reference_harness"]}}), encoding="utf-8")
    with pytest.raises(JincaiError) as exc:
        run("producer", sut, tmp_path / "o", mode="certify", suite_root=suite)
    assert exc.value.code == "conformance-certify-refused" and "totals.json" in exc.value.message_en


def test_a_revoked_certificate_fails_verify(issued, tmp_path):
    number = json.loads((issued / "certificate.json").read_text(encoding="utf-8"))["body"]["number"]
    (tmp_path / "revoked.txt").write_text(f"# revoked\n{number}\n", encoding="utf-8")
    r = _verify(issued, "--revoked", str(tmp_path / "revoked.txt"))
    assert r.exit_code == 1 and "✗ revocation" in r.output


def test_an_expired_certificate_and_a_foreign_key_fail_verify(issued, tmp_path):
    body = json.loads((issued / "certificate.json").read_text(encoding="utf-8"))["body"]
    checks = verify(issued / "certificate.json", issued / "keys" / "issuer.pub", today=date.fromisoformat(body["expires"]) + timedelta(days=1))
    assert [c.name for c in checks if not c.ok] == ["validity"]
    cli("keygen", "--out", str(tmp_path), "--name", "other")
    r = cli("verify", str(issued / "certificate.json"), "--issuer-key", str(tmp_path / "other.pub"))
    assert r.exit_code == 1 and "✗ issuer" in r.output


def test_certify_refuses_dev_mode_and_failing_runs(issued, tmp_path):
    dev = tmp_path / "dev"
    shutil.copytree(issued / "results", dev)
    data = json.loads((dev / "results.json").read_text(encoding="utf-8"))
    data["mode"] = "dev"
    (dev / "results.json").write_text(json.dumps(data), encoding="utf-8")
    r = cli("certify", str(dev), "--key", str(issued / "keys" / "issuer.key"), "--out", str(tmp_path / "c.json"))
    assert r.exit_code == 2 and "certify-mode" in r.output
    failing = tmp_path / "failing"
    shutil.copytree(issued / "results", failing)
    data = json.loads((failing / "results.json").read_text(encoding="utf-8"))
    data["cases"][0]["status"] = "fail"
    data["summary"]["required_passed"] = False
    (failing / "results.json").write_text(json.dumps(data), encoding="utf-8")
    r = cli("certify", str(failing), "--key", str(issued / "keys" / "issuer.key"), "--out", str(tmp_path / "c.json"))
    assert r.exit_code == 2 and "required cases did not pass" in r.output
    assert not (tmp_path / "c.json").exists()


def test_keygen_never_overwrites_a_key(issued):
    r = cli("keygen", "--out", str(issued / "keys"))
    assert r.exit_code == 2 and "never overwritten" in r.output
