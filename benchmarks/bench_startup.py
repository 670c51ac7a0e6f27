"""Start-up time (issue 8 #12): ``jincai --help`` and ``jincai validate`` on one small file.

Each figure is the median of ``runs`` fresh processes (wall and user+system CPU; CPU is the steadier
one on a shared machine): ``--help``; ``validate`` on a one-record file with a warm cache (the usual
case: the standard's YAML and the rendered SQL rules come from ``jincai.cache``), with a cold cache
(first run after an install or an edit), and with the cache off (``JINCAI_CACHE=off``: libyaml and
sqlglot every time). Also the import time of ``jincai.cli`` (``python -X importtime``).

    .venv/bin/python -m benchmarks.bench_startup [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "startup.json"

#: what a clerk should not wait for (CPU seconds, median)
TARGETS = {"help_cpu_s": 0.5, "validate_warm_cpu_s": 1.0}


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "jincai", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, r.returncode


def _median(argv: list[str], env: dict[str, str], runs: int, fresh_cache: Path | None = None) -> dict:
    walls, cpus, codes = [], [], set()
    for _ in range(runs):
        if fresh_cache is not None:
            shutil.rmtree(fresh_cache, ignore_errors=True)
        wall, cpu, code = _once(argv, env)
        walls.append(wall)
        cpus.append(cpu)
        codes.add(code)
    return {"wall_s": round(statistics.median(walls), 3), "cpu_s": round(statistics.median(cpus), 3), "wall_min_s": round(min(walls), 3), "exit_codes": sorted(codes), "runs": runs}


def _import_ms(env: dict[str, str]) -> float:
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import jincai.cli"], capture_output=True, text=True, env=env)
    for line in r.stderr.splitlines():
        if line.rstrip().endswith("| jincai.cli"):
            return round(int(line.split("|")[1]) / 1000, 1)
    return float("nan")


def main(runs: int = 9, write: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "JINCAI_CACHE_DIR": str(cache)}
        env.pop("JINCAI_CACHE", None)
        sample = Path(tmp) / "sample"
        subprocess.run([sys.executable, "-m", "jincai", "sample", "--out", str(sample), "--region", "130681", "--year", "2024", "--scale", "1"],
                       check=True, capture_output=True, env=env)
        small = sample / "agency.jsonl"
        validate = ["validate", str(small)]
        _once(validate, env)  # fill the cache
        result = {
            "file": {"name": small.name, "records": sum(1 for _ in small.open(encoding="utf-8")), "bytes": small.stat().st_size},
            "help": _median(["--help"], env, runs),
            "validate_warm_cache": _median(validate, env, runs),
            "validate_cold_cache": _median(validate, env, runs, fresh_cache=cache),
            "validate_cache_off": _median(validate, {**env, "JINCAI_CACHE": "off"}, runs),
            "import_jincai_cli_ms": _import_ms(env),
            "load_average": list(os.getloadavg()),
        }
    result["targets"] = TARGETS
    result["met"] = {
        "help_cpu_s": result["help"]["cpu_s"] <= TARGETS["help_cpu_s"],
        "validate_warm_cpu_s": result["validate_warm_cache"]["cpu_s"] <= TARGETS["validate_warm_cpu_s"],
    }
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    print(json.dumps(main(args.runs), ensure_ascii=False, indent=2))
