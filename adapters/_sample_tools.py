"""Shared by the sample makers of the systems rendered from the sample province
(``adapters/<system>/make_samples.py``): the province's canonical records, the golden ``expected/``
files and ``defects/expected_rejections.json``, and the driver that renders them all from one
generated province.

For each such system (``adapters/<id>/``) its maker writes:

* ``samples/`` — the files the fictional legacy system would export, rendered from canonical records
  of the sample province (``jincai sample --region 130600 --year 2024``);
* ``expected/<entity>.jsonl`` — exactly those canonical records, in the order the files hold them:
  translating ``samples/`` with the profile must give these back, byte for byte;
* ``defects/`` — files with the classic defects, ``defects/expected_rejections.json`` listing each
  rejected row (file, sheet, row, reason codes, the defect) and the row counts, and
  ``defects/expected/`` the records the defect files must still give.

A maker defines ``ENTITIES`` (what it takes from the province), ``DIVISION`` (``city`` or
``county``: which region's records) and ``render(records, folder, div)``. The sample is
``--region 130600 --year 2024 --scale 3``; the county of the county systems is the one the Excel
profile names in its constants. Everything is deterministic: regenerating gives the same bytes
(``tests/test_legacy_samples.py`` checks the committed files this way).

    .venv/bin/python adapters/_sample_tools.py [--out adapters] [--sample-dir DIR] [--profile ID]   # every system
    .venv/bin/python adapters/<id>/make_samples.py [--out adapters] [--sample-dir DIR]              # one

(``bank_payroll_fixed`` renders its own, smaller province: see its ``make_samples.py``.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

from jincai import paths
from jincai.canonical import dumps_record, record_from_json
from jincai.standard import standard

REGION = "130600"
YEAR = 2024
SCALE = 3  # budget units per fiscal region: small, but with project payments and reversals

Records = dict[str, list[dict[str, Any]]]  # entity -> canonical JSON objects


# ------------------------------------------------------------------------------------ sample input


def run_sample(out: Path, region: str = REGION, year: int = YEAR, scale: int = SCALE) -> Path:
    """Generate the sample province with the project's own generator (``jincai sample``)."""
    from jincai.sample import Options, generate

    generate(Options(out=out, region=region, year=year, scale=scale, fmt="jsonl", workers=1))
    return out


def load_canonical(sample_dir: Path, entities: Iterable[str]) -> Records:
    """Canonical JSON objects per entity, from the ``<entity>*.jsonl`` files under ``sample_dir``."""
    out: Records = {}
    for entity in entities:
        files = sorted(p for p in sample_dir.rglob(f"{entity}*.jsonl") if p.name.split(".")[0] == entity)
        rows: list[dict[str, Any]] = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                rows += [json.loads(line) for line in fh if line.strip()]
        out[entity] = rows
    return out


def write_expected(folder: Path, entity: str, objs: list[dict[str, Any]]) -> None:
    ent = standard().entity(entity)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{entity}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for obj in objs:
            fh.write(dumps_record(ent, record_from_json(ent, obj)) + "\n")


def write_rejections(folder: Path, inputs: list[str], rejected: list[dict[str, Any]], counts: dict[str, int],
                     translated: dict[str, list[dict[str, Any]]]) -> None:
    """``defects/expected_rejections.json`` (the same shape as the other shipped profiles': inputs,
    rejected rows with file, sheet, row, reason codes and what the defect is, and the row counts) and
    ``defects/expected/<entity>.jsonl`` (the records the defect files must still give)."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"inputs": inputs, "rejected": rejected, "counts": counts}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    (folder / "expected_rejections.json").write_text(text, encoding="utf-8", newline="\n")
    for entity, objs in translated.items():
        write_expected(folder / "expected", entity, objs)


def rejected_row(file: str, sheet: str | None, row: int, reason: str, defect: str) -> dict[str, Any]:
    out: dict[str, Any] = {"file": file}
    if sheet is not None:
        out["sheet"] = sheet
    out.update({"row": row, "reasons": [reason], "defect": defect})
    return out


def by_region(objs: list[dict[str, Any]], div: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["mof_div_code"] == div]


def iso_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def fresh(folder: Path) -> None:
    for sub in ("samples", "expected", "defects"):
        p = folder / sub
        if p.exists():
            shutil.rmtree(p)
        p.mkdir(parents=True)



def pick_vouchers(vouchers: list[dict], lines_of: dict[str, list[dict]], n: int) -> list[dict]:
    """A varied, deterministic selection: payments, reversals (red ink) and revenue vouchers."""
    kinds: dict[str, list[dict]] = {}
    seen: set[tuple] = set()
    for v in vouchers:  # within a kind, vouchers with classifications not seen before come first
        ls = lines_of.get(v["acct_voucher_id"], [])
        negative = any(Decimal(x["dr_amt"]) < 0 or Decimal(x["cr_amt"]) < 0 for x in ls)
        kind = f"{v.get('src_entity')}{'-red' if negative else ''}"
        combo = tuple((x.get("exp_func_code"), x.get("rev_class_code")) for x in ls)
        group = kinds.setdefault(kind, [])
        if combo in seen:
            group.append(v)
        else:
            seen.add(combo)
            group.insert(sum(1 for g in group if g.get("_new")), dict(v, _new=True))
    for group in kinds.values():
        for i, v in enumerate(group):
            group[i] = {k: x for k, x in v.items() if k != "_new"}
    chosen: list[dict] = []
    while len(chosen) < n and any(kinds.values()):
        for kind in sorted(kinds):
            if kinds[kind] and len(chosen) < n:
                chosen.append(kinds[kind].pop(0))
    order = {v["acct_voucher_id"]: i for i, v in enumerate(vouchers)}
    return sorted(chosen, key=lambda v: order[v["acct_voucher_id"]])


# -------------------------------------------------------------------------------------- driver


def makers() -> dict[str, ModuleType]:
    """Every system's maker that renders from the sample province, by profile id."""
    out = {}
    for path in sorted(paths.ADAPTERS.glob("*/make_samples.py")):
        spec = importlib.util.spec_from_file_location(f"make_samples_{path.parent.name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        if hasattr(mod, "ENTITIES") and hasattr(mod, "render"):
            out[path.parent.name] = mod
    return out


def regions(records: Records) -> tuple[str, str]:
    """(the city's own fiscal region, the county of the two county profiles) — the county is the one
    the Excel profile names in its constants (博野县, chosen because its vouchers use several
    functional classes, so the pre-2007 crosswalk is exercised)."""
    from jincai import yaml_load

    profile = yaml_load.load_file(paths.ADAPTERS / "county_reports_excel" / "profile.yaml")
    return f"{REGION}000", profile["constants"]["mof_div_code"]


def generate(out_root: Path = paths.ADAPTERS, sample_dir: Path | None = None, only: Iterable[str] | None = None) -> list[Path]:
    chosen = {pid: m for pid, m in makers().items() if not only or pid in only}
    entities = sorted({e for m in chosen.values() for e in m.ENTITIES} | {"fiscal_region"})
    with tempfile.TemporaryDirectory() as tmp:
        src = sample_dir or run_sample(Path(tmp) / "sample")
        records = load_canonical(Path(src), entities)
    city, county = regions(records)
    done = []
    for pid, maker in chosen.items():
        folder = out_root / pid
        if out_root != paths.ADAPTERS:  # a copy elsewhere (tests): bring the profile's own files along
            src_folder = paths.ADAPTERS / pid
            if src_folder.exists():
                shutil.copytree(src_folder, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("samples", "expected", "defects"))
        folder.mkdir(parents=True, exist_ok=True)
        maker.render(records, folder, city if maker.DIVISION == "city" else county)
        done.append(folder)
    return done


def main(argv: list[str] | None = None, only: Iterable[str] | None = None) -> int:
    prog = f"adapters/{next(iter(only))}/make_samples.py" if only else "adapters/_sample_tools.py"
    ap = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=paths.ADAPTERS)
    ap.add_argument("--sample-dir", type=Path)
    if not only:
        ap.add_argument("--profile", action="append")
    args = ap.parse_args(argv)
    for folder in generate(args.out, args.sample_dir, only or args.profile):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
