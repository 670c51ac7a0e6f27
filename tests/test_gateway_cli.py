"""The gateway as its users run it: ``jincai gateway serve`` with no store argument just works,
credentials come from the CLI, and ``jincai submit`` writes the receipt and exits 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateway_harness import COUNTY, OTHER_COUNTY, free_port, make_sample, region_folder

JINCAI = [sys.executable, "-m", "jincai"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``jincai gateway serve --port P`` started in an empty folder, nothing else given."""
    home = tmp_path_factory.mktemp("serve")
    port = free_port()
    proc = subprocess.Popen([*JINCAI, "gateway", "serve", "--port", str(port), "--mtls-port", str(free_port())], cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "listening" in line, proc.stderr.read() if proc.poll() is not None else line
    yield home, port
    proc.terminate()
    assert proc.wait(30) == 0


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli-data")
    sample = make_sample(tmp / "sample")
    good = region_folder(sample, COUNTY, tmp / "good", ["payment_voucher", "fiscal_region"])
    bad = tmp / "bad"
    bad.mkdir()
    rows = [json.loads(x) for x in (good / "payment_voucher.jsonl").read_text().splitlines()]
    rows[0]["exp_func_code"] = "2999999"  # no such functional classification
    (bad / "payment_voucher.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return good, bad


def _run(args, cwd, env=None):
    return subprocess.run([*JINCAI, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


def test_serve_without_arguments_creates_its_data_folder(served):
    home, _ = served
    data = home / "jincai-gateway-data"
    for part in ("gateway.duckdb", "tls/ca.pem", "tls/server.pem", "keys/receipt-ed25519.pem", "keys/receipt-ed25519.pub.pem", "audit"):
        assert (data / part).exists(), part
    assert oct((data / "tls" / "ca.key").stat().st_mode & 0o777) == "0o600"


def test_submit_exit_codes_and_receipt_files(served, folders, tmp_path):
    home, port = served
    good, bad = folders
    token = json.loads(_run(["gateway", "issue-token", "--role", "submitter", "--region", COUNTY, "--json"], home).stdout)["token"]
    common = ["--to", f"localhost:{port}", "--ca", str(home / "jincai-gateway-data/tls/ca.pem"), "--quiet"]

    first = _run(["submit", str(good), *common, "--receipt", str(tmp_path / "r1.json")], home, {"JINCAI_GATEWAY_TOKEN": token})
    assert first.returncode == 0, first.stderr
    assert "ACCEPTED" in first.stdout
    verify = _run(["gateway", "verify-receipt", str(tmp_path / "r1.json"), "--json"], home)
    assert verify.returncode == 0 and json.loads(verify.stdout)["status"] == "accepted"

    again = _run(["submit", str(good), *common, "--token", token, "--receipt", str(tmp_path / "r2.json")], home)
    assert again.returncode == 0 and "replayed" in again.stdout
    assert json.loads((tmp_path / "r1.json").read_text()) == json.loads((tmp_path / "r2.json").read_text())

    rejected = _run(["submit", str(bad), *common, "--token", token, "--region", COUNTY, "--year", "2024", "--receipt", str(tmp_path / "r3.json")], home)
    assert rejected.returncode == 1, rejected.stderr
    assert "REJECTED" in rejected.stderr and json.loads(json.loads((tmp_path / "r3.json").read_text())["payload"])["status"] == "rejected"

    other = _run(["submit", str(good), *common, "--token", token, "--region", OTHER_COUNTY, "--year", "2024"], home)
    assert other.returncode == 2 and "PERMISSION_DENIED" in other.stderr and "Traceback" not in other.stderr

    nothing = _run(["submit", str(good), *common], home)
    assert nothing.returncode == 2 and "submit-credentials" in nothing.stderr


def test_issue_cert_writes_a_bound_certificate_and_verify_audit_passes(served, tmp_path):
    home, _ = served
    r = _run(["gateway", "issue-cert", "--role", "reader", "--region", COUNTY, "--out", str(tmp_path / "c")], home)
    assert r.returncode == 0, r.stderr
    from jincai.gateway.ca import binding

    role, region, serial = binding((tmp_path / "c" / "client.pem").read_bytes())
    assert (role, region) == ("reader", COUNTY) and format(serial, "x") in r.stdout
    assert oct((tmp_path / "c" / "client.key").stat().st_mode & 0o777) == "0o600"
    bad = _run(["gateway", "issue-token", "--role", "king", "--region", COUNTY], home)
    assert bad.returncode == 2 and "gateway-role-unknown" in bad.stderr
    assert _run(["gateway", "verify-audit"], home).returncode == 0
