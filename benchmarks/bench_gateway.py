"""The ingestion gateway (issue 10): ingest throughput, latency, server memory, crash run.

Every figure is measured against a real ``jincai gateway serve`` child process over TLS with bearer
tokens, fed by the Python client from a ``jincai sample`` of Baoding 130600 (2024):

* ``ingest_embedded`` / ``ingest_postgres`` — records/s including validation, 4 concurrent clients,
  each submitting whole regions (every entity) in turn until all 27 regions are in (targets
  100,000 and 50,000 records/s). PostgreSQL only when ``JINCAI_PG_DSN`` is set.
* ``latency`` — 10 concurrent clients, each submitting 1,000-record payment-voucher submissions;
  p50/p99 milliseconds per submission (target p99 ≤ 100 ms).
* ``memory`` — the server's RSS (VmRSS, sampled every 0.2 s) while one client submits every region
  one after the other: first-region peak vs overall peak (target: flat).
* ``crash`` — ``tests/gateway_harness.crash_run``: concurrent clients, SIGKILL at random moments,
  restart without repair, ≥ 100 kills on each store; lost acknowledgements and partial submissions
  must be 0.

Scale: ``--scale`` (budget units per region; default 20 ≈ 610k records) or 20 × ``JINCAI_BENCH_SCALE``;
``--kills`` (default 100) and ``--latency-rounds`` (default 10) shrink with ``JINCAI_BENCH_SCALE`` too
(at least 2 each), so ``JINCAI_BENCH_SCALE=0.05 python -m benchmarks.run gateway`` is a short run
(its ``targets_met`` stays honest: the crash target needs 100 kills). Where the time goes:
``benchmarks/profile_gateway.py`` and docs/gateway/performance.md. Prove it works with a tiny run (not for the results):

    .venv/bin/python -m benchmarks.bench_gateway --scale 1 --kills 2 --latency-rounds 2 --no-write [--only latency crash]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the gateway harness (real server processes, crash run)

RESULTS = ROOT / "benchmarks" / "results" / "gateway.json"
REGION, YEAR = "130600", 2024
TARGETS = {"ingest_embedded_records_per_second": 100_000, "ingest_postgres_records_per_second": 50_000, "latency_p99_ms": 100, "crash_kills": 100}


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append(_rss_kib(self.pid))
            except OSError:
                pass
            time.sleep(0.2)


def _region_folders(sample: Path, base: Path) -> list[tuple[str, Path]]:
    import json as _json

    from gateway_harness import region_folder

    regions = sorted({_json.loads(x)["mof_div_code"] for x in (sample / "submission_envelope.jsonl").read_text().splitlines()})
    return [(r, region_folder(sample, r, base / r)) for r in regions]


def _ingest(kind: str, folders: list[tuple[str, Path]], tmp: Path, clients: int = 4, sample_rss: bool = False) -> dict:
    from gateway_harness import ProcessGateway, drop_schema, store_args, submit

    store, schema = store_args(kind)
    gw = ProcessGateway(tmp / f"gw-{kind}", store, schema)
    sampler = RssSampler(gw.proc.pid)
    sampler.start()
    queue = list(folders)
    lock = threading.Lock()
    done, records, errors, first_peak = [], [0], [], [0]

    def worker() -> None:
        stub = gw.stub()
        while True:
            with lock:
                if not queue:
                    return
                region, folder = queue.pop(0)
            token = gw.token("submitter", region)
            try:
                answer = submit(stub, folder, token, f"bench-{region}", timeout=3600)
                content = json.loads(answer.receipt.payload)
                with lock:
                    records[0] += sum(e["records"] for e in content["entities"])
                    done.append((region, content["status"]))
                    if len(done) == 1:
                        first_peak[0] = max(sampler.samples or [0])
            except Exception as exc:  # noqa: BLE001 - counted, reported
                with lock:
                    errors.append(f"{region}: {exc}")

    time.sleep(3)  # let the validator warm up, as a running gateway would be
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    gw.stop()
    if schema:
        drop_schema(schema)
    out = {
        "store": kind, "clients": clients, "regions": len(done), "records": records[0], "seconds": round(seconds, 2),
        "records_per_second": round(records[0] / seconds) if seconds else None, "rejected": sum(1 for _, s in done if s != "accepted"),
        "errors": errors[:5], "server_rss_peak_mib": round(max(sampler.samples or [0]) / 1024, 1),
    }  # fmt: skip
    if sample_rss:
        out["server_rss_after_first_region_mib"] = round(first_peak[0] / 1024, 1)
    return out


def _latency(sample: Path, tmp: Path, clients: int = 10, rounds: int = 10) -> dict:
    from gateway_harness import COUNTY, ProcessGateway, region_folder, submission_requests
    from jincai.gateway import client

    rows = [json.loads(x) for x in (region_folder(sample, COUNTY, tmp / "lat-src", ["payment_voucher"]) / "payment_voucher.jsonl").read_text().splitlines()]
    rows = [dict(r) for r in (rows * (1000 // max(len(rows), 1) + 1))[:1000]]
    for i, r in enumerate(rows):  # distinct keys: 1,000 different vouchers
        r["pay_cert_id"] = f"LAT{i:08d}"
    gw = ProcessGateway(tmp / "gw-latency", env={"JINCAI_LIMIT_GATEWAY_REGION_SUBMISSIONS": str(clients)})
    token = gw.token("submitter", COUNTY)
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(c: int) -> None:
        stub = gw.stub()
        for n in range(rounds):
            t0 = time.perf_counter()
            try:
                stub.Submit(submission_requests(COUNTY, f"lat-{c}-{n}", rows, batch=1000), metadata=client.bearer(token), timeout=600)
                with lock:
                    times.append(time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(str(exc)[:200])

    time.sleep(3)
    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gw.stop()
    times.sort()
    p = lambda q: round(1000 * times[min(len(times) - 1, int(q * len(times)))], 1) if times else None  # noqa: E731
    return {"clients": clients, "submissions": len(times), "records_each": len(rows), "p50_ms": p(0.50), "p99_ms": p(0.99),
            "mean_ms": round(1000 * statistics.mean(times), 1) if times else None, "errors": errors[:5]}  # fmt: skip


PARTS = ("ingest", "memory", "latency", "crash")


def main(scale: int | None = None, kills: int | None = None, latency_rounds: int | None = None, write: bool = True, only: tuple[str, ...] = PARTS) -> dict:
    from gateway_harness import crash_run, make_sample

    factor = float(os.environ.get("JINCAI_BENCH_SCALE") or 1)
    scale = scale or max(1, round(20 * factor))
    kills = kills if kills is not None else int(os.environ.get("JINCAI_BENCH_GATEWAY_KILLS") or max(2, round(TARGETS["crash_kills"] * min(factor, 1))))
    latency_rounds = latency_rounds or max(2, round(10 * min(factor, 1)))
    base = Path(os.environ.get("JINCAI_BENCH_DIR") or Path(tempfile.gettempdir()) / "jincai-bench")
    sample = base / f"sample-{REGION}-{YEAR}-s{scale}"
    if not (sample / "manifest.json").exists():
        make_sample_scaled(sample, scale)
    out: dict = {"what": "ingestion gateway: ingest, latency, memory, crash", "sample": {"region": REGION, "year": YEAR, "scale": scale}, "targets": TARGETS}
    with tempfile.TemporaryDirectory(prefix="jincai-bench-gateway-") as t:
        tmp = Path(t)
        folders = _region_folders(sample, tmp / "regions") if {"ingest", "memory"} & set(only) else []
        if "ingest" in only:
            out["ingest_embedded"] = _ingest("duckdb", folders, tmp, sample_rss=True)
            if os.environ.get("JINCAI_PG_DSN"):
                out["ingest_postgres"] = _ingest("postgres", folders, tmp)
        if "memory" in only:
            out["memory"] = _ingest("duckdb", folders, tmp / "mem", clients=1, sample_rss=True)
        if "latency" in only:
            out["latency"] = _latency(sample, tmp, rounds=latency_rounds)
        if "crash" in only:
            small = make_sample(tmp / "crash-sample")
            out["crash"] = {"duckdb": crash_run(tmp / "crash-duckdb", small, "duckdb", kills=kills, seed=11)}
            if os.environ.get("JINCAI_PG_DSN"):
                out["crash"]["postgres"] = crash_run(tmp / "crash-postgres", small, "postgres", kills=kills, seed=12)
    met: dict = {}
    if "ingest_embedded" in out:
        met["ingest_embedded"] = out["ingest_embedded"]["records_per_second"] >= TARGETS["ingest_embedded_records_per_second"]
    if "ingest_postgres" in out:
        met["ingest_postgres"] = out["ingest_postgres"]["records_per_second"] >= TARGETS["ingest_postgres_records_per_second"]
    if "latency" in out:
        met["latency_p99"] = out["latency"]["p99_ms"] is not None and out["latency"]["p99_ms"] <= TARGETS["latency_p99_ms"]
    if "crash" in out:
        met["crash"] = all(not r["lost_acknowledged"] and not r["integrity_problems"] for r in out["crash"].values()) and kills >= TARGETS["crash_kills"]
    if set(only) != set(PARTS) and RESULTS.exists():  # a partial run updates its parts, keeps the others
        earlier = json.loads(RESULTS.read_text(encoding="utf-8"))
        met = {**earlier.get("targets_met", {}), **met}
        out = {**{k: v for k, v in earlier.items() if k not in ("benchmark", "machine", "seconds_total")}, **out}
        out["parts_run_last"] = list(only)
    out["targets_met"] = met
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def make_sample_scaled(folder: Path, scale: int) -> None:
    from jincai.sample import Options, generate

    generate(Options(out=folder, region=REGION, year=YEAR, scale=scale))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int)
    ap.add_argument("--kills", type=int)
    ap.add_argument("--latency-rounds", type=int)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    a = ap.parse_args()
    print(json.dumps(main(a.scale, a.kills, a.latency_rounds, write=not a.no_write, only=tuple(a.only)), ensure_ascii=False, indent=2))
