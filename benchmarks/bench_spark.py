"""The whole catalogue on DuckDB versus Spark local mode (issue 12): time, peak memory, growth.

Two datasets, written by ``jincai sample`` (not timed; cached like ``bench_xent``'s):

* ``province_10m`` — the sample province of ``bench_xent`` (Baoding 130600, 2024, ``--scale 330``,
  ≈ 10 M records);
* ``multi_50m`` — five such samples, three regions over two fiscal years (130600/2024 is the same
  folder as above; 130100/2024, 130200/2024, 130600/2023, 130100/2023), ≈ 50 M records.

Each (dataset, engine) pair runs ``jincai.validation.validate`` — staging, builtin layers and every
SQL rule, the report built — in a fresh subprocess, which samples the resident memory of its whole
process tree every 0.2 s: for Spark that includes the JVM (local mode runs it as a child of the
Python driver) and its Python workers. Reported: seconds, the driver's own peak RSS (VmHWM), the
tree's peak RSS, the JVM's VmHWM, and Spark's time growth from 10 M to 50 M (``growth``, linear
= 5.0 for five times the records).

``JINCAI_BENCH_SCALE`` shrinks both datasets (0.01 → scale 3 per sample); run it at full size only
on a quiet machine (``make bench``). ``JINCAI_BENCH_SPARK_MASTER`` runs Spark elsewhere. A run that
has not finished after ``JINCAI_BENCH_SPARK_TIMEOUT`` seconds (default 3 h) is killed and recorded
as not finished; Spark on the 50 M dataset is not started when it did not finish the 10 M one.

    .venv/bin/python -m benchmarks.bench_spark [province_10m] [multi_50m]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "spark.json"
DATASETS = {
    "province_10m": [("130600", 2024)],
    "multi_50m": [("130600", 2024), ("130100", 2024), ("130200", 2024), ("130600", 2023), ("130100", 2023)],
}


def _scale() -> int:
    from benchmarks.bench_xent import DEFAULT_SCALE

    return max(1, round(DEFAULT_SCALE * float(os.environ.get("JINCAI_BENCH_SCALE") or 1)))


def folders(name: str) -> tuple[list[Path], int]:
    """The sample folders of a dataset (generated when missing) and their total records."""
    from benchmarks.bench_xent import dataset

    out, records = [], 0
    for region, year in DATASETS[name]:
        folder, manifest, _ = dataset(region, year, _scale())
        out.append(folder)
        records += int(manifest.get("total_records") or 0)
    return out, records


# ------------------------------------------------------------------------------------------------
# the measuring child
# ------------------------------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(d))
            rss[int(d)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _vm_hwm(pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def child(engine: str, paths: list[str]) -> dict:
    from jincai.validation.engine import validate

    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(os.getpid()))
            stop.wait(0.2)

    threading.Thread(target=sample, daemon=True).start()
    out: dict = {"engine": engine}
    if engine == "spark":
        from jincai.spark import session

        t0 = time.perf_counter()
        session.session(os.environ.get("JINCAI_BENCH_SPARK_MASTER"))
        out["session_start_seconds"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    report = validate(paths, max_issues=1000, engine=engine, spark_master=os.environ.get("JINCAI_BENCH_SPARK_MASTER"))
    out["seconds"] = round(time.perf_counter() - t0, 2)
    stop.set()
    out["records"] = sum(report.summary.records.values())
    out["issues"] = report.summary.issues_total
    out["driver_peak_rss_mib"] = round(_vm_hwm() / 2**20, 1)
    out["tree_peak_rss_mib"] = round(max(peak[0], _tree_rss(os.getpid())) / 2**20, 1)
    if engine == "spark":
        from jincai.spark import session

        jvm = session.jvm_peak_rss_bytes()
        out["jvm_peak_rss_mib"] = round(jvm / 2**20, 1) if jvm else None
    return out


def _run(engine: str, paths: list[Path]) -> dict:
    """One measuring child; after ``JINCAI_BENCH_SPARK_TIMEOUT`` seconds (default 3 h) it is killed
    with everything it started (the JVM) and the run is recorded as not finished, not waited for."""
    import signal

    cmd = [sys.executable, "-m", "benchmarks.bench_spark", "--child", engine, *map(str, paths)]
    limit = float(os.environ.get("JINCAI_BENCH_SPARK_TIMEOUT") or 3 * 3600)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"engine": engine, "error": [f"not finished within {limit:.0f} s (killed)"], "wall_seconds": round(time.perf_counter() - t0, 2)}
    p = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if p.returncode != 0:  # the lines that say what failed (a Java stack's last line says nothing)
        lines = p.stderr.strip().splitlines()
        said = [x.strip()[:600] for x in lines if "Error:" in x or "Exception:" in x or x.startswith("jincai.")][:4]
        return {"engine": engine, "error": said or lines[-1:] or ["failed"], "wall_seconds": round(time.perf_counter() - t0, 2)}
    out = json.loads(p.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(time.perf_counter() - t0, 2)  # with interpreter (and JVM) start-up
    return out


def main(write: bool = True, only: list[str] | None = None) -> dict:
    """``only`` (or ``JINCAI_BENCH_SPARK_DATASETS=province_10m``): the datasets to run
    (``JINCAI_BENCH_SPARK_ENGINES=duckdb``: only that engine; the other keeps its last figures); the others
    keep the last run's figures (``from_previous_run``) or are recorded as not run (the 50 M one
    needs four more samples, ≈ 40 M records, generated first)."""
    only = only or [x for x in (os.environ.get("JINCAI_BENCH_SPARK_DATASETS") or "").split(",") if x] or list(DATASETS)
    engines = [x for x in (os.environ.get("JINCAI_BENCH_SPARK_ENGINES") or "").split(",") if x] or ["duckdb", "spark"]
    try:  # a dataset not selected keeps its figures from the last run, marked as such
        before = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    runs: dict[str, dict] = {}
    records: dict[str, int] = {}
    for name in DATASETS:
        if name not in only:
            old = (before.get("runs") or {}).get(name)
            if old and any("seconds" in r for r in old.values()):
                runs[name] = {e: {**r, "from_previous_run": True} for e, r in old.items()}
                records[name] = int((before.get("records") or {}).get(name) or 0)
            else:
                records[name] = 0
                runs[name] = {e: {"engine": e, "error": ["not run: dataset not selected"]} for e in ("duckdb", "spark")}
            continue
        paths, records[name] = folders(name)
        old = (before.get("runs") or {}).get(name) or {}
        runs[name] = {}
        for eng in ("duckdb", "spark"):
            if eng not in engines and "seconds" in old.get(eng, {}):  # an engine not selected keeps its last figures
                runs[name][eng] = {**old[eng], "from_previous_run": True}
            elif eng == "spark" and name == "multi_50m" and "province_10m" in only and "seconds" not in runs["province_10m"]["spark"]:
                runs[name][eng] = {"engine": "spark", "error": ["not run: Spark did not finish the 10 M dataset"]}  # 5× a run that did not finish
            else:
                runs[name][eng] = _run(eng, paths)
    small, big = runs["province_10m"], runs["multi_50m"]

    def ratio(a: dict, b: dict) -> float | None:
        return round(a["seconds"] / b["seconds"], 2) if "seconds" in a and "seconds" in b and b["seconds"] else None

    out = {
        "scale_per_sample": _scale(),
        "records": records,
        "runs": runs,
        "spark_over_duckdb": {name: ratio(r["spark"], r["duckdb"]) for name, r in runs.items()},
        "growth_10m_to_50m": {
            "records": round(records["multi_50m"] / records["province_10m"], 2) if records["province_10m"] else None,
            "duckdb": ratio(big["duckdb"], small["duckdb"]),
            "spark": ratio(big["spark"], small["spark"]),
        },
        "same_issue_counts": {name: r["duckdb"].get("issues") == r["spark"].get("issues") for name, r in runs.items()},
    }
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3:])))
    else:
        print(json.dumps(main(only=sys.argv[1:] or None), ensure_ascii=False, indent=2))
