"""Interop: a Node.js client (@grpc/grpc-js + @grpc/proto-loader, installed from the npm registry by
this test into tests/node_client/ from its committed package-lock.json) submits a sample region and
gets a receipt with the same content as the Python client's for the same data — and the receipt
verifies with ``jincai gateway verify-receipt``. The same npm project carries buf, which lints the
gateway proto and checks that it stays wire-compatible with the committed v1 image."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateway_harness import COUNTY, ThreadGateway, make_sample, region_folder, submit
from jincai.gateway import client

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "tests" / "node_client"


@pytest.fixture(scope="module")
def node_project() -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail("Node.js 20 与 npm 是必需的 / Node.js and npm are required for this test")
    if not (NODE / "node_modules" / "@grpc" / "grpc-js").exists() or not (NODE / "node_modules" / ".bin" / "buf").exists():
        r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
    return NODE


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("node")
    return region_folder(make_sample(tmp / "sample"), COUNTY, tmp / COUNTY)


def _comparable(content: dict) -> dict:
    return {k: v for k, v in content.items() if k not in ("submission_id", "server_time")}


def test_node_client_gets_the_same_receipt_content_as_the_python_client(node_project, county, tmp_path):
    py_gw, node_gw = ThreadGateway(tmp_path / "py"), ThreadGateway(tmp_path / "node")
    try:
        py = client.content(submit(py_gw.stub(), county, py_gw.token("submitter", COUNTY), "interop").receipt)
        r = subprocess.run(
            ["node", "submit.js", "--target", node_gw.target, "--ca", str(node_gw.cfg.tls / "ca.pem"),
             "--token", node_gw.token("submitter", COUNTY), "--proto", str(ROOT / "proto"), "--folder", str(county),
             "--region", COUNTY, "--year", "2024", "--period", "2024", "--key", "interop",
             "--product-name", py["product_name"], "--product-version", py["product_version"]],
            cwd=node_project, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr[-3000:]
        receipt = json.loads(r.stdout)
        node = json.loads(receipt["payload"])
        assert node["status"] == "accepted"
        assert _comparable(node) == _comparable(py)
        path = tmp_path / "node-receipt.json"
        path.write_text(json.dumps(receipt), encoding="utf-8")
        v = subprocess.run([sys.executable, "-m", "jincai", "gateway", "verify-receipt", str(path), "--data", str(node_gw.data)], capture_output=True, text=True)
        assert v.returncode == 0, v.stderr
    finally:
        py_gw.stop()
        node_gw.stop()


#: buf's configuration for the gateway API: the module is proto/; STANDARD lint rules; WIRE_JSON
#: breaking rules against the committed v1 image (rebuild it only when a new major version starts)
BUF_CONFIG = '{"version":"v2","modules":[{"path":"proto"}],"lint":{"use":["STANDARD"]},"breaking":{"use":["WIRE_JSON"]}}'
V1_IMAGE = "proto/jincai/ingest/v1/ingest.v1.binpb"


def test_gateway_proto_passes_buf_lint_and_stays_wire_compatible(node_project):
    buf = str(node_project / "node_modules" / ".bin" / "buf")
    lint = subprocess.run([buf, "lint", ".", "--path", "proto/jincai/ingest", "--config", BUF_CONFIG], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    breaking = subprocess.run(
        [buf, "breaking", ".", "--against", V1_IMAGE, "--config", BUF_CONFIG, "--against-config", BUF_CONFIG],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert breaking.returncode == 0, breaking.stdout + breaking.stderr


def test_record_batch_has_a_field_of_the_right_message_for_every_entity():
    """A new entity of the standard must get a field (a new number) in RecordBatch."""
    from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb
    from jincai.standard import standard

    fields = {f.name: f for f in pb.RecordBatch.DESCRIPTOR.fields}
    for e in standard().entities.values():
        assert e.id in fields, f"RecordBatch lacks {e.id}"
        assert fields[e.id].message_type.full_name == f"jincai.fiscal.v1.{e.pascal_name}"
        assert fields[e.id].is_repeated
