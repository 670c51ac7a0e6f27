"""The shipped DBF / SQL Server / Excel / XML profiles' sample files are reproducible from the sample
province, and translate back to exactly the canonical records (issue 4 §4).

Each system's maker (``adapters/<system>/make_samples.py``, shared steps in
``adapters/_sample_tools.py``) rewrites them; these tests fail when a committed file differs from
what the makers make now (e.g. after the sample generator changed: regenerate and commit).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile


def _tools():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_sample_tools", paths.ADAPTERS / "_sample_tools.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


L = _tools()
PROFILES = list(L.makers())
REGENERATE = ".venv/bin/python adapters/_sample_tools.py"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("legacy")
    L.generate(out)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for sub in ("samples", "expected", "defects")
        for p in sorted((folder / sub).rglob("*"))
        if p.is_file()
    }


def test_every_province_system_has_its_maker_beside_its_profile():
    assert PROFILES == ["city_ledger_xml", "city_treasury_sqlserver", "county_accounting_dbf", "county_reports_excel"]
    assert not (paths.HOME / "jincai" / "adapters" / "legacy_samples.py").exists()  # not in the engine


@pytest.mark.parametrize("pid", PROFILES)
def test_committed_samples_are_reproducible(regenerated, pid):
    committed = _files(paths.ADAPTERS / pid)
    fresh = _files(regenerated / pid)
    assert sorted(committed) == sorted(fresh), f"regenerate: {REGENERATE}"
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert not changed, f"differs from the makers' output ({REGENERATE}): {changed}"


def _inputs(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.upper() not in (".FPT", ".DBT", ".JSON")]


@pytest.mark.parametrize("pid", PROFILES)
def test_samples_translate_back_exactly(tmp_path, pid):
    folder = paths.ADAPTERS / pid
    ledger = translate(load_profile(pid), _inputs(folder / "samples"), tmp_path)
    summary = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert summary["reconciled"] is True
    assert summary["rows"]["rejected"] == 0, (tmp_path / "rejected.csv").read_text(encoding="utf-8-sig")
    for expected in sorted((folder / "expected").glob("*.jsonl")):
        got = tmp_path / expected.name
        assert got.read_bytes() == expected.read_bytes(), expected.name
    assert ledger is not None


@pytest.mark.parametrize("pid", PROFILES)
def test_defects_are_rejected_with_their_reasons(tmp_path, pid):
    import csv

    folder = paths.ADAPTERS / pid / "defects"
    spec = json.loads((folder / "expected_rejections.json").read_text(encoding="utf-8"))
    translate(load_profile(pid), [str(folder / name) for name in spec["inputs"]], tmp_path)
    summary = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert summary["rows"] == spec["counts"]
    assert summary["reconciled"] is True
    with open(tmp_path / "ledger_rows.csv", encoding="utf-8-sig", newline="") as fh:
        trail = list(csv.reader(fh))[1:]
    got = [(Path(r[0]).name, r[1] or None, int(r[2]), r[6].split(" | ")) for r in trail if r[3] == "rejected"]
    want = [(x["file"], x.get("sheet"), x["row"], x["reasons"]) for x in spec["rejected"]]
    assert got == want
    for expected in sorted((folder / "expected").glob("*.jsonl")):
        assert (tmp_path / expected.name).read_bytes() == expected.read_bytes(), expected.name


def test_crosswalk_covers_the_county_and_is_all_unverified():
    import csv

    with open(paths.ADAPTERS / "county_accounting_dbf" / "crosswalk_pre2007_exp_func.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["status"] == "M" for r in rows)  # compiled, not checked against the official table
    assert all(len(r["from"]) == 6 and r["from"].isdigit() for r in rows)
    assert any(not r["to"] for r in rows)  # at least one split code, rejected as ambiguous
    lines = (paths.ADAPTERS / "county_accounting_dbf" / "expected" / "accounting_voucher_line.jsonl").read_text(encoding="utf-8").splitlines()
    used = {json.loads(x).get("exp_func_code") for x in lines} - {None}
    assert used and used <= {r["to"] for r in rows}
