"""Golden tests for every shipped profile under ``adapters/*/`` (whoever wrote it).

A shipped profile folder holds:

* ``samples/`` — legacy files rendered from the sample province. Translating them all (sorted by
  name; memo companions ``.fpt``/``.dbt`` are read through their table, not given as inputs) must
  write exactly the files in ``expected/`` (``<entity>.jsonl``, byte for byte), reject nothing,
  and reconcile.
* ``defects/`` — files with the classic defects, listed in ``defects/expected_rejections.json``::

      {"inputs": ["FILE", …],
       "rejected": [{"file": "FILE", "sheet": "…" (optional), "row": 3, "reasons": ["code", …]}, …],
       "counts": {"source": n, "translated": n, "rejected": n, "filtered": n},
       "findings": [{"file": "FILE", "code": "control-count-mismatch", "document": "笔数"}, …]}   (optional)

  Translating the inputs must reject exactly those rows with exactly those reason codes, give
  those counts, reconcile to the fen, give exactly those ledger findings (when listed; none may be
  given otherwise), and — when ``defects/expected/`` exists — write exactly its files for the rows
  that still translate. A sample run has no findings.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile

COMPANIONS = {".fpt", ".dbt"}
PROFILES = sorted(p.parent.name for p in paths.ADAPTERS.glob("*/profile.yaml"))


def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in COMPANIONS and not p.name.startswith("."))


def _trail(out: Path) -> list[dict]:
    with open(out / "ledger_rows.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    return [{"file": Path(r[0]).name, "sheet": r[1], "row": int(r[2]), "outcome": r[3], "entity": r[4], "key": r[5], "reasons": r[6].split(" | ") if r[6] else []} for r in rows]


def test_there_are_shipped_profiles():
    assert "bank_payroll_fixed" in PROFILES
    assert len(PROFILES) >= 4


@pytest.mark.parametrize("name", PROFILES)
def test_samples_translate_to_expected(name, tmp_path):
    folder = paths.ADAPTERS / name
    profile = load_profile(name)
    inputs = _inputs(folder / "samples")
    assert inputs, f"{name}: no sample files"
    ledger = translate(profile, inputs, tmp_path)
    assert ledger.reconciled, ledger.problems()
    assert ledger.rejected == 0, json.dumps(ledger.to_json()["rejected_by_reason"], ensure_ascii=False)
    assert not ledger.findings, [f.to_json() for f in ledger.findings]
    expected = sorted(p.name for p in (folder / "expected").glob("*.jsonl"))
    produced = sorted(p.name for p in tmp_path.glob("*.jsonl"))
    assert produced == expected
    for fname in expected:
        assert (tmp_path / fname).read_bytes() == (folder / "expected" / fname).read_bytes(), f"{name}: {fname} differs"


@pytest.mark.parametrize("name", [p for p in PROFILES if (paths.ADAPTERS / p / "defects" / "expected_rejections.json").is_file()])
def test_defects_are_rejected_with_their_reasons(name, tmp_path):
    folder = paths.ADAPTERS / name / "defects"
    spec = json.loads((folder / "expected_rejections.json").read_text(encoding="utf-8"))
    profile = load_profile(name)
    ledger = translate(profile, [folder / f for f in spec["inputs"]], tmp_path)
    assert ledger.reconciled, ledger.problems()
    counts = spec.get("counts", {})
    for k in ("source", "translated", "rejected", "filtered"):
        if k in counts:
            assert getattr(ledger, k) == counts[k], (k, ledger.to_json()["rows"])
    if "findings" in spec:
        found = [{"file": Path(f.file).name, "code": f.code, **({"document": f.details["document"]} if "document" in f.details else {})} for f in ledger.findings]
        assert found == spec["findings"], found
    got = [r for r in _trail(tmp_path) if r["outcome"] == "rejected"]
    want = spec["rejected"]
    assert len(got) == len(want), [(r["row"], r["reasons"]) for r in got]
    for g, w in zip(got, want):
        assert g["file"] == w["file"] and g["row"] == w["row"], (g, w)
        if "sheet" in w:
            assert g["sheet"] == (w["sheet"] or "")
        assert g["reasons"] == w["reasons"], (g, w)
    exp_dir = folder / "expected"
    if exp_dir.is_dir():
        for f in sorted(exp_dir.glob("*.jsonl")):
            assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f"{name}: defects/{f.name} differs"


def test_shipped_samples_are_current():
    """The bank payroll samples are still what make_samples.py renders from the sample province."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", paths.ADAPTERS / "bank_payroll_fixed" / "make_samples.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    files = mod.build()
    stale = [str(p.relative_to(paths.ADAPTERS)) for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    assert not stale, f"run adapters/bank_payroll_fixed/make_samples.py: {stale}"


@pytest.mark.parametrize("name", PROFILES)
def test_translated_samples_pass_jincai_validate(name, tmp_path):
    """What a profile produces is a submission ``jincai validate`` accepts (issue 4 §3)."""
    from typer.testing import CliRunner

    from jincai.cli import app

    folder = paths.ADAPTERS / name
    ledger = translate(load_profile(name), _inputs(folder / "samples"), tmp_path / "out")
    assert ledger.rejected == 0
    outputs = sorted((tmp_path / "out").glob("*.jsonl"))
    r = CliRunner().invoke(app, ["validate", *map(str, outputs)])
    assert r.exit_code == 0, r.output[-3000:]
