"""``jincai standard show`` and ``jincai standard export``."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from jincai import paths
from jincai.cli import app
from jincai.standard import standard

runner = CliRunner()


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real entry point (``jincai.cli.main``), which turns JincaiError into exit 2."""
    code = "import sys; from jincai.cli import main; sys.argv = ['jincai', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=paths.HOME)


def test_show_table() -> None:
    result = runner.invoke(app, ["standard", "show", "payment_detail"])
    assert result.exit_code == 0, result.output
    for text in ("支付明细", "Payment line", "iden_no", "公民身份号码", "citizen_id", "是 yes", "mof_div", "必填 yes"):
        assert text in result.output


def test_show_json() -> None:
    result = runner.invoke(app, ["standard", "show", "payment_voucher", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    entity = standard().entity("payment_voucher")
    assert data["entity"] == "payment_voucher"
    assert data["key"] == entity.key
    assert [f["field"] for f in data["fields"]] == entity.field_names
    pay_amt = next(f for f in data["fields"] if f["field"] == "pay_amt")
    assert pay_amt == {
        "field": "pay_amt",
        "tag": 21,
        "name_zh": "支付（缴款）金额",
        "name_en": "Amount paid",
        "type": "money",
        "required": True,
        "length_pattern": "scale 2 -?(0|[1-9][0-9]{0,15})\\.[0-9]{2}",
        "codelist": None,
        "identifier": None,
        "personal": False,
    }


def test_show_unknown_entity_exits_2_and_lists_entities() -> None:
    result = _main("standard", "show", "payment_vouchers")
    assert result.returncode == 2
    assert "unknown-entity" in result.stderr
    assert "payment_voucher" in result.stderr and "tax_receipt" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_bundle(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = runner.invoke(app, ["standard", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    std = standard()
    assert manifest["standard"]["id"] == std.id and manifest["standard"]["version"] == std.version
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(manifest["files"]) == [f for f in files if f != "MANIFEST.json"]
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, rel
    for entity_id in std.entities:
        assert f"schemas/json/{entity_id}.schema.json" in manifest["files"]
        assert f"schemas/avro/{entity_id}.avsc" in manifest["files"]
    for rel in ("standards/standard.yaml", "standards/elements.yaml", "proto/jincai/fiscal/v1/fiscal.proto",
                "docs/standard/data-dictionary.zh.md", "docs/standard/data-dictionary.en.md"):
        assert rel in manifest["files"]
    # the bundle carries exactly the committed artifacts and the standard as it is
    for rel in manifest["files"]:
        assert (out / rel).read_bytes() == (paths.HOME / rel).read_bytes(), rel


def test_export_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert runner.invoke(app, ["standard", "export", "--out", str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "a" / "MANIFEST.json").read_bytes() == (tmp_path / "b" / "MANIFEST.json").read_bytes()


def test_export_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    result = _main("standard", "export", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "export-dir-not-empty" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "x"
