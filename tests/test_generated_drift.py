"""Committed artifacts are exactly what the generator makes from ``standards/`` (byte for byte).

Fix a failure with ``python -m jincai.generate`` (``make generate``) and commit the result.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jincai import generate, paths
from jincai.standard import load_standard


def test_no_drift() -> None:
    problems = generate.drift()
    assert not problems, "run `python -m jincai.generate`: " + ", ".join(f"{what} {rel}" for rel, what in problems)


def test_check_mode_exit_code() -> None:
    result = subprocess.run([sys.executable, "-m", "jincai.generate", "--check"], capture_output=True, text=True, cwd=paths.HOME)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_generation_is_deterministic() -> None:
    assert generate.render_all() == generate.render_all()


def test_check_reports_every_drifted_file(tmp_path: Path) -> None:
    """Drift is found in a copy of the outputs: changed, missing and stale files are all listed."""
    expected = generate.render_all()
    for rel, content in expected.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(content)
    assert generate.drift(tmp_path) == []
    (tmp_path / "schemas/json/payment_voucher.schema.json").write_bytes(b"{}\n")
    (tmp_path / "schemas/avro/agency.avsc").unlink()
    (tmp_path / "schemas/json/retired_entity.schema.json").write_text("{}\n")
    assert generate.drift(tmp_path) == [
        ("schemas/avro/agency.avsc", "missing"),
        ("schemas/json/payment_voucher.schema.json", "changed"),
        ("schemas/json/retired_entity.schema.json", "stale"),
    ]


def test_a_changed_standard_is_drift(tmp_path: Path) -> None:
    """Editing the YAML (here: a longer agency name) makes the committed artifacts drift."""
    import shutil

    shutil.copytree(paths.STANDARDS, tmp_path / "standards")
    elements = tmp_path / "standards" / "elements.yaml"
    text = elements.read_text(encoding="utf-8")
    assert "  max_length: 300\n  source: AGENCY_NAME" in text
    elements.write_text(text.replace("  max_length: 300\n  source: AGENCY_NAME", "  max_length: 301\n  source: AGENCY_NAME"), encoding="utf-8")
    changed = {rel for rel, what in generate.drift(std=load_standard(tmp_path / "standards"))}
    assert "jincai/models/generated.py" in changed
    assert "schemas/json/agency.schema.json" in changed
    assert "docs/standard/data-dictionary.zh.md" in changed
