"""Large submissions are staged in a temporary DuckDB database file (compressed, within the memory
limit) instead of memory: the report must not depend on where the stage tables live, and the file
must be gone after the run, whatever happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from jincai import paths
from jincai.validation import engine
from jincai.validation.engine import limit_bytes, stage_on_disk, validate
from jincai.validation.inputs import resolve

FIXTURES = paths.VALIDATORS / "fixtures"
# the cross-entity rules (the SQL that reads the stage tables hardest) and a few builtin layers
FOLDERS = sorted(p for p in FIXTURES.glob("xent.*/fail")) + [FIXTURES / r / "fail" for r in ("code.not-leaf", "xrec.duplicate-key", "xrec.voucher-unbalanced")]


def _report(folder: Path) -> dict:
    data = validate([folder]).model_dump(mode="json")
    data["summary"].pop("seconds")
    return data


def _left_over() -> list[Path]:
    work = Path(engine._work_dir())
    return sorted(work.glob("stage-*")) if work.exists() else []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.parent.name for f in FOLDERS])
def test_same_report_on_disk_and_in_memory(folder, monkeypatch):
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "never")
    in_memory = _report(folder)
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "always")
    on_disk = _report(folder)
    assert on_disk == in_memory
    assert in_memory["summary"]["issues_total"] > 0  # the comparison saw findings
    assert _left_over() == []


def test_auto_stages_on_disk_when_the_input_outgrows_the_memory_limit(monkeypatch):
    files = resolve([FIXTURES / "xent.accounting-amount-mismatch" / "fail"])
    size = sum(f.path.stat().st_size for f in files)
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "auto")
    assert stage_on_disk(files, f"{size - 1}B") is True
    assert stage_on_disk(files, f"{size}B") is False
    assert stage_on_disk(files, "1GB") is False
    monkeypatch.setenv("JINCAI_MEMORY_LIMIT", "1KB")
    assert stage_on_disk(files) is True
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "never")
    assert stage_on_disk(files) is False
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "always")
    assert stage_on_disk(resolve([FIXTURES / "code.not-leaf" / "fail"]), "1TB") is True
    monkeypatch.delenv("JINCAI_STAGE_ON_DISK")
    assert stage_on_disk(files, "1KB") is True  # auto is the default
    assert stage_on_disk(files, "1GB") is False


def test_the_database_file_is_removed_when_the_run_fails(monkeypatch):
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "always")

    def boom(*_a, **_k):
        raise RuntimeError("stopped in the middle")

    monkeypatch.setattr(engine.bulk, "run", boom)
    with pytest.raises(RuntimeError):
        validate([FIXTURES / "xent.accounting-amount-mismatch" / "fail"])
    assert _left_over() == []


@pytest.mark.parametrize(
    "text,expected",
    [("1GB", 10**9), ("512MB", 512 * 10**6), ("4GiB", 4 * 2**30), ("1.5gb", 15 * 10**8), (" 384 MiB ", 384 * 2**20), ("100", 100), ("lots", None), ("1XB", None), ("", None)],
)
def test_memory_limit_is_read_as_duckdb_reads_it(text, expected):
    assert limit_bytes(text) == expected


def test_without_a_writable_temporary_directory_it_stages_in_memory(monkeypatch, tmp_path):
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "always")
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    monkeypatch.setattr(engine, "_work_dir", lambda: str(blocked / "sub"))
    report = validate([FIXTURES / "xent.accounting-amount-mismatch" / "fail"])
    assert report.summary.issues_total > 0


def test_a_mistyped_setting_is_a_clear_error(monkeypatch):
    from jincai.errors import JincaiError

    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", "yes")
    with pytest.raises(JincaiError) as err:
        validate([FIXTURES / "code.not-leaf" / "fail"])
    assert err.value.code == "input-setting" and "JINCAI_STAGE_ON_DISK" in err.value.message_en


@pytest.mark.parametrize("mode", ["never", "auto"])
def test_a_memory_limit_too_small_is_a_clear_error(tmp_path, monkeypatch, mode):
    """DuckDB out of memory — while staging, checking or in a rule — is the limit's fault, not a bug
    in jincai: exit 2 with `memory-limit-exceeded`, the limit and what to raise; no traceback, and no
    stage file left behind."""
    from typer.testing import CliRunner

    from jincai.cli import app

    source = (FIXTURES / "xent.accounting-amount-mismatch" / "pass" / "payment_voucher.jsonl").read_text(encoding="utf-8")
    (tmp_path / "payment_voucher.jsonl").write_text(source * max(1, 3_000_000 // len(source)), encoding="utf-8")
    monkeypatch.setenv("JINCAI_MEMORY_LIMIT", "2MB")
    monkeypatch.setenv("JINCAI_STAGE_ON_DISK", mode)
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "payment_voucher.jsonl")])
    assert result.exit_code == 2, result.output
    assert "memory-limit-exceeded" in result.output and "JINCAI_MEMORY_LIMIT" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert _left_over() == []
