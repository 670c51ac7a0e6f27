"""``make bench``: run every ``benchmarks/bench_*.py`` and write ``benchmarks/results/<name>.json``.

Each module's ``main()`` returns its figures (a dict); this runner adds the machine — CPU model,
cores, RAM, Python and library versions — and writes one JSON file per benchmark. Select some with
``python -m benchmarks.run validate xent``. ``JINCAI_BENCH_SCALE`` (e.g. ``0.1``) shrinks the
benchmarks that support it.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
LIBRARIES = ("duckdb", "pyarrow", "polars", "pydantic", "pydantic-core", "jsonschema", "frictionless", "fastavro", "sqlglot")


def probe_ms() -> float:
    """A fixed pure-Python workload, best of 5, in ms. The VM's speed drifts by up to 2× within an
    hour (a neighbour's load: 2026-12-04, jsonschema on the same 20 k records took 4.7 s one run and
    8.2 s the next); results taken at different probe figures are not comparable."""
    import json as _json

    best = float("inf")
    doc = {"k%d" % i: [i, str(i), i / 7] for i in range(200)}
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(60):
            _json.loads(_json.dumps(doc))
            sum(i * i for i in range(20_000))
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 1)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for lib in LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "libraries": versions,
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "probe_ms_at_start": probe_ms(),
    }


def modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if selected:
        names = [n for n in names if n.removeprefix("bench_") in selected or n in selected]
    return names


def main(selected: list[str] | None = None) -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name in modules(selected or []):
        started = time.perf_counter()
        print(f"== {name}", file=sys.stderr, flush=True)
        info = machine()
        try:
            figures = importlib.import_module(f"benchmarks.{name}").main()
        except Exception:  # noqa: BLE001 - one failing benchmark must not hide the others
            traceback.print_exc()
            failed += 1
            continue
        info["probe_ms_at_end"] = probe_ms()
        out = {"benchmark": name, **figures, "machine": {**info, **(figures.get("machine") or {})}, "seconds_total": round(time.perf_counter() - started, 1)}
        path = RESULTS / f"{name.removeprefix('bench_')}.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"   → {path.relative_to(HERE.parent)} ({out['seconds_total']} s)", file=sys.stderr, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
