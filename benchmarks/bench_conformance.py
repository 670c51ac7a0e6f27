"""The whole validator profile of the conformance suite against the reference product (issue 9).

Target: under 2 minutes on this 2-core machine, end to end — ``jincai conformance run --profile
validator --sut harnesses/jincai/sut.yaml`` in a fresh process: suite loading, harness start-up,
every case, every output file. Timed by wall clock; the figures include the slowest cases and the
load average (the machine is shared).

    .venv/bin/python -m benchmarks.bench_conformance [--profile validator] [--cases GLOB]
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

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 120.0


def measure(profile: str = "validator", cases: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="jincai-bench-conformance-") as tmp:
        cmd = [sys.executable, "-m", "jincai", "conformance", "run", "--profile", profile, "--sut", str(ROOT / "harnesses" / "jincai" / "sut.yaml"), "--out", tmp]
        if cases:
            cmd += ["--cases", cases]
        load = list(os.getloadavg())
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        results = json.loads((Path(tmp) / "results.json").read_text(encoding="utf-8"))
    per_case = sorted(((c["seconds"], c["id"]) for c in results["cases"]), reverse=True)
    return {
        "profile": profile,
        "cases_filter": cases,
        "cases": len(results["cases"]),
        "by_status": results["summary"]["by_status"],
        "exit_code": proc.returncode,
        "seconds_end_to_end": round(seconds, 1),
        "seconds_in_cases": round(sum(s for s, _ in per_case), 1),
        "cases_per_second": round(len(per_case) / seconds, 2),
        "slowest_cases": [{"case": i, "seconds": s} for s, i in per_case[:5]],
        "target_seconds": TARGET_SECONDS,
        "target_met": cases is None and seconds < TARGET_SECONDS,
        "load_average_before": load,
        "load_average_after": list(os.getloadavg()),
    }


def main() -> dict:
    return measure(os.environ.get("JINCAI_BENCH_CONFORMANCE_PROFILE", "validator"), os.environ.get("JINCAI_BENCH_CONFORMANCE_CASES") or None)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="validator")
    ap.add_argument("--cases")
    args = ap.parse_args()
    print(json.dumps(measure(args.profile, args.cases), ensure_ascii=False, indent=2))
