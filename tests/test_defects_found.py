"""``jincai validate`` on a sample province with ``--defects`` finds every defect of the manifest
— at its file, row and field, by a rule that declares that defect kind — and nothing else: no
issue on a clean record. Run on JSON Lines and CSV, and on a clean sample (no issue at all).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jincai.cli import app
from jincai.validation.catalogue import catalogue
from jincai.validation.engine import validate

runner = CliRunner()


def _sample(out: Path, fmt: str, defects: int, seed: int) -> dict:
    r = runner.invoke(app, ["sample", "--out", str(out), "--region", "130100", "--year", "2024", "--scale", "1",
                            "--format", fmt, "--defects", str(defects), "--seed", str(seed), "--quiet", "--workers", "1"])
    assert r.exit_code == 0, r.output
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_every_defect_kind_is_declared_by_a_rule():
    from jincai.sample import defects as sample_defects

    kinds = {k for r in catalogue().rules.values() for k in r.sample_defect_kinds}
    assert set(sample_defects.ALL_KINDS) <= kinds, f"defect kinds no rule declares: {sorted(set(sample_defects.ALL_KINDS) - kinds)}"


@pytest.mark.slow
@pytest.mark.parametrize("fmt,seed", [("jsonl", 1), ("csv", 2)])
def test_defects_found_exactly(tmp_path, fmt, seed):
    from jincai.sample.defects import ALL_KINDS

    manifest = _sample(tmp_path, fmt, defects=len(ALL_KINDS), seed=seed)  # scale 1: one defect per budget unit
    kinds = {d["kind"] for d in manifest["defects"]}
    assert kinds == set(ALL_KINDS) if fmt == "jsonl" else len(kinds) >= len(ALL_KINDS) - 2  # CSV cannot write a JSON number
    report = validate([tmp_path], max_issues=None)
    cat = catalogue()
    by_place: dict[tuple, list] = {}
    for i in report.issues:
        by_place.setdefault((Path(i.file).name, i.row, i.field), []).append(i)
    missed = []
    for d in manifest["defects"]:
        hits = [i for i in by_place.get((d["file"], d["row"], d["field"]), []) if d["kind"] in cat.rule(i.rule).sample_defect_kinds]
        if not hits:
            missed.append((d["kind"], d["file"], d["row"], d["field"], [i.rule for i in by_place.get((d["file"], d["row"], d["field"]), [])]))
    assert not missed, f"defects not found: {missed}"
    places = {(d["file"], d["row"]) for d in manifest["defects"]}
    extra = [(i.rule, Path(i.file).name, i.row, i.field) for i in report.issues if (Path(i.file).name, i.row) not in places]
    assert not extra, f"issues on clean records: {extra[:10]}"


def test_clean_sample_has_no_issue(tmp_path):
    _sample(tmp_path, "jsonl", defects=0, seed=0)
    report = validate([tmp_path], max_issues=None)
    assert report.summary.passed and report.summary.issues_total == 0, report.summary.by_rule
    assert sum(report.summary.records.values()) > 10_000
