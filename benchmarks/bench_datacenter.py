"""The data center on ≈10M stored records, embedded store (issue 10 §5 benchmarks).

Targets: the consolidation of a month over every region, and a position query, each ≤ 5 s on the
embedded (DuckDB) store of a ≈10M-record province.

1. ``jincai sample`` writes Baoding 130600, 2024, ``--scale 330`` (27 regions, ≈10M records; shared
   with ``bench_xent``'s cached dataset, not timed).
2. The records are put into a gateway store as one accepted version per region and entity (straight
   into ``rec_<entity>`` and ``gw_data_version`` by DuckDB — ingesting 10M records through the
   gateway is ``bench_gateway``'s subject, not this one's); timed as ``load_seconds``.
3. Timed, in a fresh subprocess (its own peak RSS): ``consolidate`` of 2024-12 for the city (27
   regions, complete) and for the province root 130000000 (every region of the province, those
   without data listed as missing), and ``position`` of the city with its indicators, as of now.
4. The store exported as Parquet partitioned by region and year (``jincai datacenter export``;
   timed as ``export_seconds``), and the same three questions answered from the export by DuckDB
   and by Apache Spark in local mode (issue 12; ``parquet_duckdb``, ``parquet_spark``: each in its
   own subprocess, Spark's peak memory including its JVM). Set ``JINCAI_BENCH_NO_SPARK=1`` to skip
   Spark. Every engine must give the same answers (``same_answers``).

    .venv/bin/python -m benchmarks.bench_datacenter [--scale 330]     # full size: long
    .venv/bin/python -m benchmarks.bench_datacenter --scale 1         # proves it works

The scale is ``--scale`` / ``$JINCAI_BENCH_DATACENTER_SCALE``, or 330 × ``$JINCAI_BENCH_SCALE``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_xent import dataset

TARGET_SECONDS = 5.0
DEFAULT_SCALE = 330
REGION, YEAR = "130600", 2024


def load(folder: Path, db: Path) -> dict:
    """Every entity file of ``folder`` into a fresh store at ``db``, one version per region/entity."""
    from datetime import datetime, timezone

    from jincai.gateway.store.duckdb import DuckDBStore
    from jincai.gateway.store.migrations import quote, record_table
    from jincai.standard import standard

    db.unlink(missing_ok=True)
    store = DuckDBStore(db)
    con = store.con
    t0 = time.perf_counter()
    now = datetime.now(timezone.utc)
    records = 0
    for path in sorted(folder.glob("*.jsonl")):
        entity = path.stem
        ent = standard().entity(entity)
        cols = ", ".join(quote(f) for f in ent.field_names)
        spec = "{" + ", ".join(f"'{f}': 'VARCHAR'" for f in ent.field_names) + "}"
        sid = "'bench-' || mof_div_code || '-" + entity + "'" if "mof_div_code" in ent.field_names else f"'bench-all-{entity}'"
        con.execute(
            f"INSERT INTO {record_table(entity)} (_submission_id, _row, {cols}) "
            f"SELECT {sid}, row_number() OVER (), {cols} FROM read_json('{path}', format = 'newline_delimited', columns = {spec})"
        )
        for (region, n) in con.execute(f"SELECT mof_div_code, count(*) FROM {record_table(entity)} GROUP BY mof_div_code").fetchall():
            records += n
            con.execute(
                "INSERT INTO gw_data_version VALUES (?, ?, ?, ?, 1, ?, ?, ?, NULL, NULL)",
                [region, YEAR, str(YEAR), entity, f"bench-{region}-{entity}", n, now],
            )
    seconds = time.perf_counter() - t0
    store.close()
    return {"records": records, "load_seconds": round(seconds, 2)}


def _child(db: str, engine: str = "store") -> dict:
    """In a fresh subprocess: the three questions on the store (``store``) or on its export
    (``duckdb``/``spark``); their timings, a digest of the answers, and the peak memory."""
    import hashlib
    import threading

    from benchmarks.bench_spark import _tree_rss, _vm_hwm
    from jincai.datacenter.consolidate import consolidate
    from jincai.datacenter.position import position

    peak, stop = [0], threading.Event()

    def sample() -> None:  # this process and its children (Spark's JVM)
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(os.getpid()))
            stop.wait(0.2)

    threading.Thread(target=sample, daemon=True).start()
    if engine == "store":
        from jincai.gateway.store.duckdb import DuckDBStore

        store = DuckDBStore(Path(db))
        at = None
    else:
        from jincai.datacenter.parquet import exported_at, open_export

        t0 = time.perf_counter()
        store = open_export(Path(db), engine)
        opened = time.perf_counter() - t0
        at = exported_at(store.manifest)
    out: dict = {} if engine == "store" else {"open_seconds": round(opened, 3)}
    digest = hashlib.sha256()
    for name, call in (
        ("consolidate_city_month", lambda: consolidate(store, f"{REGION}000", f"{YEAR}-12", at)),
        ("consolidate_province_month", lambda: consolidate(store, "130000000", f"{YEAR}-12", at)),
        ("position_city", lambda: position(store, f"{REGION}000", at, YEAR, True)),
    ):
        t0 = time.perf_counter()
        result = call()
        out[f"{name}_seconds"] = round(time.perf_counter() - t0, 3)
        answer = result.as_json()
        answer.pop("as_of", None)  # the moment asked differs (now vs the export's); the figures must not
        digest.update(json.dumps(answer, sort_keys=True, default=str).encode())
        if name.startswith("consolidate"):
            out[f"{name}_regions"] = len(result.regions)
            out[f"{name}_missing"] = len(result.missing)
            out[f"{name}_differences"] = len(result.differences)
        else:
            out["position_indicators"] = len(result.indicators)
    store.close()
    out["answers_sha256"] = digest.hexdigest()
    stop.set()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would report the parent's peak
    out["peak_rss_mib"] = round(_vm_hwm() / 2**20, 1)
    if engine == "spark":  # the JVM is a child process of this one
        out["peak_rss_with_jvm_mib"] = round(max(peak[0], _tree_rss(os.getpid())) / 2**20, 1)
    return out


def _run_child(target: Path, engine: str) -> dict:
    r = subprocess.run([sys.executable, "-m", "benchmarks.bench_datacenter", "--child", str(target), "--engine", engine], capture_output=True, text=True)
    if r.returncode:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1][:500]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(scale: int | None = None) -> dict:
    if scale is None:
        env = os.environ.get("JINCAI_BENCH_DATACENTER_SCALE")
        scale = int(env) if env else max(1, round(DEFAULT_SCALE * float(os.environ.get("JINCAI_BENCH_SCALE", "1"))))
    folder, manifest, generated = dataset(REGION, YEAR, scale)
    db = Path(os.environ.get("JINCAI_BENCH_DIR") or Path(tempfile.gettempdir()) / "jincai-bench") / f"datacenter-s{scale}.duckdb"
    loaded = load(folder, db)
    timed = _run_child(db, "store")
    out = {
        "scale": scale,
        "dataset": f"jincai sample --region {REGION} --year {YEAR} --scale {scale}",
        "generate_seconds": None if generated is None else round(generated, 1),
        **loaded,
        **timed,
        "target_seconds": TARGET_SECONDS,
        "met": all(v <= TARGET_SECONDS for k, v in timed.items() if k.endswith("_seconds")),
    }
    # issue 12: the same questions from the store's Parquet export, on DuckDB and on Spark
    import shutil

    from jincai.datacenter import parquet
    from jincai.gateway.store.duckdb import DuckDBStore

    export_dir = db.with_suffix(".parquet")
    shutil.rmtree(export_dir, ignore_errors=True)
    store = DuckDBStore(db)
    t0 = time.perf_counter()
    parquet.export(store, export_dir)
    out["export_seconds"] = round(time.perf_counter() - t0, 2)
    store.close()
    out["export_mib"] = round(sum(f.stat().st_size for f in export_dir.rglob("*.parquet")) / 2**20, 1)
    engines = ["duckdb"] + ([] if os.environ.get("JINCAI_BENCH_NO_SPARK") else ["spark"])
    for engine in engines:
        out[f"parquet_{engine}"] = _run_child(export_dir, engine)
    digests = {out.get("answers_sha256")} | {out[f"parquet_{e}"].get("answers_sha256") for e in engines}
    out["same_answers"] = len(digests) == 1 and None not in digests
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int)
    ap.add_argument("--child")
    ap.add_argument("--engine", default="store", choices=["store", "duckdb", "spark"])
    ns = ap.parse_args()
    if ns.child:
        print(json.dumps(_child(ns.child, ns.engine)))
    else:
        print(json.dumps(main(ns.scale), indent=1))
