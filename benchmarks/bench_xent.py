"""The whole cross-record + cross-entity catalogue on a sample province of ≈10M records (issue 3 §5).

Target: the xrec + xent SQL rules over a 10M-record sample in ≤ 60 s on this 2-core machine.

1. ``jincai sample`` writes the dataset (not timed; cached in ``$JINCAI_BENCH_DIR`` or the temp dir,
   reused while its manifest exists): Baoding 130600, fiscal year 2024, ``--scale 330`` — 27 fiscal
   regions × 330 budget units ≈ 10M records (``jincai sample --help``: ≈ 1,165 records per unit).
2. A fresh subprocess (so that the peak RSS is its own) stages every file into a file-backed DuckDB
   database with the engine's staging (``jincai.validation.staging``; timed separately) and then runs
   every xrec/xent rule (``jincai.validation.sql_rules.run_rules``; the figure the target is about).

``main()`` returns the figures and writes them to ``benchmarks/results/xent.json``. The scale is
``--scale`` / ``$JINCAI_BENCH_XENT_SCALE``, or 330 × ``$JINCAI_BENCH_SCALE`` (``benchmarks/run.py``).

    .venv/bin/python -m benchmarks.bench_xent [--scale 330] [--region 130600] [--threads 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "xent.json"
TARGET_SECONDS = 60.0
DEFAULT_REGION = "130600"
DEFAULT_YEAR = 2024
DEFAULT_SCALE = 330


def dataset(region: str, year: int, scale: int, base: Path | None = None) -> tuple[Path, dict, float | None]:
    """The sample dataset folder (generated when missing), its manifest, and the seconds it took."""
    base = base or Path(os.environ.get("JINCAI_BENCH_DIR") or Path(tempfile.gettempdir()) / "jincai-bench")
    folder = base / f"sample-{region}-{year}-s{scale}"
    manifest = folder / "manifest.json"
    took = None
    if not manifest.exists():
        from jincai.sample.build import Options, generate

        t0 = time.perf_counter()
        generate(Options(out=folder, region=region, year=year, scale=scale))
        took = time.perf_counter() - t0
    return folder, json.loads(manifest.read_text(encoding="utf-8")), took


def _child(folder: str, db: str, threads: int, memory_limit: str) -> dict:
    """Runs in the measuring subprocess: stage, then the whole SQL catalogue."""
    import duckdb

    from jincai.validation.inputs import resolve
    from jincai.validation.sql_rules import run_rules, sql_rules
    from jincai.validation.staging import stage

    con = duckdb.connect(db)
    if threads:
        con.execute(f"SET threads = {threads}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    t0 = time.perf_counter()
    staging = stage(con, resolve([folder]))
    t1 = time.perf_counter()
    rss_staged = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rules = sql_rules()
    result = run_rules(con, rules, present=set(staging.by_entity()))
    t2 = time.perf_counter()
    records = staging.records()
    return {
        "records": sum(records.values()),
        "records_by_entity": records,
        "stage_seconds": round(t1 - t0, 2),
        "rules_seconds": round(t2 - t1, 2),
        "rules": len(rules),
        "rules_ran": len(result.ran),
        "rules_skipped": [s["rule"] for s in result.skipped],
        "seconds_by_rule": {k: round(v, 2) for k, v in sorted(result.seconds.items(), key=lambda kv: -kv[1])},
        "issues": len(result.issues),
        "issues_by_rule": result.by_rule(),
        "peak_rss_mib_after_staging": round(rss_staged, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "duckdb_threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "duckdb_memory_limit": con.execute("SELECT current_setting('memory_limit')").fetchone()[0],
    }


def main(scale: int | None = None, region: str = DEFAULT_REGION, year: int = DEFAULT_YEAR, threads: int = 0,
         memory_limit: str = "1GB", write: bool = True) -> dict:
    if not scale:
        if os.environ.get("JINCAI_BENCH_XENT_SCALE"):
            scale = int(os.environ["JINCAI_BENCH_XENT_SCALE"])
        else:  # benchmarks/run.py: JINCAI_BENCH_SCALE=0.1 shrinks every benchmark
            scale = max(1, round(DEFAULT_SCALE * float(os.environ.get("JINCAI_BENCH_SCALE") or 1)))
    folder, manifest, gen_seconds = dataset(region, year, scale)
    with tempfile.TemporaryDirectory(prefix="jincai-bench-xent-") as tmp:
        db = str(Path(tmp) / "stage.duckdb")
        cmd = [sys.executable, "-m", "benchmarks.bench_xent", "--child", str(folder), "--db", db,
               "--threads", str(threads), "--memory-limit", memory_limit]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"bench_xent child failed:\n{proc.stderr[-4000:]}")
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
    out = {
        "what": "xrec + xent SQL catalogue on a sample province (DuckDB, in process)",
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "sample": {"region": region, "year": year, "scale": scale, "manifest_records": manifest.get("total_records"),
                   "generate_seconds": round(gen_seconds, 1) if gen_seconds else None, "folder": str(folder)},
        **figures,
        "target_seconds": TARGET_SECONDS,
        "target_met": figures["rules_seconds"] <= TARGET_SECONDS,
        "records_per_second_rules": round(figures["records"] / figures["rules_seconds"]) if figures["rules_seconds"] else None,
    }
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="xrec + xent catalogue benchmark / 跨记录跨实体规则基准")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=int, default=None)
    ap.add_argument("--region", default=DEFAULT_REGION)
    ap.add_argument("--year", type=int, default=DEFAULT_YEAR)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--memory-limit", default="1GB")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.db, args.threads, args.memory_limit), ensure_ascii=False))
    else:
        print(json.dumps(main(args.scale, args.region, args.year, args.threads, args.memory_limit), ensure_ascii=False, indent=2))
