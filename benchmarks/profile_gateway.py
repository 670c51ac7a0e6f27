"""Where a gateway submission's time goes (issue 10, benchmarks): a phase breakdown, in process.

The gateway's own ``Ingestor`` (the code behind ``Submit``) takes one region of a ``jincai sample``
as serialized ``SubmitRequest`` messages — what gRPC hands the server — and commits it to a DuckDB
store (or PostgreSQL with ``--store postgres`` and ``JINCAI_PG_DSN``), one submission after the
other, so the phases add up to the wall time. Each phase is timed by wrapping the function that
does it (nothing else changes):

    decode      bytes → protobuf messages (``SubmitRequest.FromString``)
    spool       protobuf → canonical JSON Lines records, region check, hashing, spool write
    connect     a fresh in-memory DuckDB for the validation
    stage       validation: files → typed stage tables (``staging``)
    checks      validation: builtin field/code/record layers (``bulk``)
    sql_rules   validation: cross-record and cross-entity SQL rules
    report      validation: the rest (applicability, report, its JSON)
    totals      money totals per entity for the receipt
    load        store: the typed records into ``rec_<entity>`` (Arrow into DuckDB / COPY into PostgreSQL)
    sign        the receipt's Ed25519 signature
    commit_rest store: control rows, versions, the transaction's commit (WAL sync)

Then the floor: ``jincai.validation.validate`` alone on a payment-voucher file of 1 and of 1,000
records (the fixed cost of one entity, and the cost per record on top of it).

    .venv/bin/python -m benchmarks.profile_gateway [--scale 1] [--region 130602000] [--submissions 3] [--store duckdb|postgres] [--validation-threads 2] [--cprofile N]

Another checkout's gateway (e.g. main, for "before"): ``PYTHONPATH=/path/to/it .venv/bin/python benchmarks/profile_gateway.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # region_folder: the same per-region folders as bench_gateway

PHASES = ("decode", "spool", "connect", "stage", "checks", "sql_rules", "report", "totals", "load", "sign", "commit_rest")


class Clock:
    """Wall and CPU seconds per phase; a phase nested in another is subtracted from its parent. CPU
    is the process's (DuckDB's worker threads included): on a shared machine wall time mostly
    measures the neighbours, CPU time what a submission costs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._stack = threading.local()

    def wrap(self, owner, name: str, phase: str) -> None:
        inner = getattr(owner, name, None)
        if inner is None:  # an older checkout without this function (to measure "before")
            return
        clock = self

        def timed(*args, **kwargs):
            stack = clock._stack.__dict__.setdefault("s", [])
            stack.append((0.0, 0.0))
            t, c = time.perf_counter(), time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                spent, cpu = time.perf_counter() - t, time.process_time() - c
                nested, nested_cpu = stack.pop()
                clock.seconds[phase] += spent - nested
                clock.cpu[phase] += cpu - nested_cpu
                if stack:
                    stack[-1] = (stack[-1][0] + spent, stack[-1][1] + cpu)

        setattr(owner, name, timed)


def instrument(clock: Clock) -> None:
    from jincai.gateway import ingest
    from jincai.gateway.receipts import Signer
    from jincai.gateway.store.base import Store
    from jincai.gateway.store.duckdb import DuckDBStore
    from jincai.gateway.store.postgres import PostgresStore
    from jincai.validation import bulk, engine

    clock.wrap(ingest.Spool, "add", "spool")
    clock.wrap(engine, "connect", "connect")
    clock.wrap(engine, "_stage", "stage")
    clock.wrap(bulk, "run", "checks")
    clock.wrap(engine, "_run_sql", "sql_rules")
    clock.wrap(engine, "validate", "report")  # what validate spends outside the phases above
    clock.wrap(ingest, "money_totals", "totals")
    clock.wrap(DuckDBStore, "_load_records", "load")
    clock.wrap(PostgresStore, "_load_records", "load")
    clock.wrap(Signer, "sign", "sign")
    clock.wrap(Store, "commit", "commit_rest")


def submissions(sample: Path, region: str, tmp: Path) -> tuple[list[bytes], int]:
    from gateway_harness import region_folder

    from jincai.gateway import client

    prep = client.prepare([region_folder(sample, region, tmp / "src")], region, 2024)
    reqs = [r.SerializeToString() for r in client.requests(prep, client.header(prep, "2024", "profile"))]
    return reqs, prep.records_hint or 0


def floor(tmp: Path, sample: Path, region: str) -> dict:
    """validate() alone, one payment-voucher file: 1 record (the fixed cost) and 10,000 records;
    best of three, CPU seconds (process) and wall."""
    from jincai.validation.engine import validate

    lines = [x for x in (sample / "payment_voucher.jsonl").read_text(encoding="utf-8").splitlines() if f'"{region}"' in x]
    out = {}
    for n in (1, 10_000):
        rows = [json.loads(x) for x in (lines * (n // len(lines) + 1))[:n]]
        for i, r in enumerate(rows):
            r["pay_cert_id"] = f"F{i:08d}"  # distinct keys
        folder = tmp / f"floor-{n}"
        folder.mkdir()
        (folder / "payment_voucher.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        validate([folder], year=2024, max_issues=1000)
        runs = [_timed(lambda: validate([folder], year=2024, max_issues=1000)) for _ in range(3)]
        out[f"payment_voucher_{n}"] = {"cpu_seconds": round(min(c for c, _ in runs), 3), "wall_seconds": round(min(w for _, w in runs), 3)}
    extra = out["payment_voucher_10000"]["cpu_seconds"] - out["payment_voucher_1"]["cpu_seconds"]
    out["cpu_us_per_record_beyond_the_first"] = round(extra / 9_999 * 1e6, 1)
    return out


def _timed(fn) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.process_time() - c, time.perf_counter() - t


def main(scale: int = 1, region: str = "130602000", count: int = 3, store_kind: str = "duckdb", cprofile: int = 0, validation_threads: int = 2) -> dict:
    from jincai.gateway.auth import Principal
    from jincai.gateway.ingest import Ingestor
    from jincai.gateway.receipts import Signer
    from jincai.gateway.store import open_store
    from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb
    from jincai.sample import Options, generate

    base = Path(os.environ.get("JINCAI_BENCH_DIR") or Path(tempfile.gettempdir()) / "jincai-bench")
    sample = base / f"sample-130600-2024-s{scale}"
    if not (sample / "manifest.json").exists():
        generate(Options(out=sample, region="130600", year=2024, scale=scale))
    with tempfile.TemporaryDirectory(prefix="jincai-profile-gateway-") as t:
        tmp = Path(t)
        reqs, records = submissions(sample, region, tmp)
        if store_kind == "postgres":
            schema = f"profile_{os.getpid()}"
            store = open_store(os.environ["JINCAI_PG_DSN"], schema)
        else:
            schema, store = None, open_store(tmp / "store")
        ingestor = Ingestor(store, Signer(tmp / "receipt.key"), tmp / "spool", validation_threads=validation_threads)
        principal = Principal("token", "profile", "submitter", region)
        clock = Clock()

        def submit(n: int) -> tuple[float, float]:
            t0, c0 = time.perf_counter(), time.process_time()
            msgs = [pb.SubmitRequest.FromString(b) for b in reqs]
            clock.seconds["decode"] += time.perf_counter() - t0
            clock.cpu["decode"] += time.process_time() - c0
            msgs[0].header.idempotency_key = f"profile-{n}"
            outcome = ingestor.submit(principal, iter(msgs), lambda: True)
            assert outcome.row["status"] == "accepted", outcome.row["report_json"][:500]
            return time.perf_counter() - t0, time.process_time() - c0

        submit(0)  # warm: catalogue, code lists, imports
        instrument(clock)
        clock.seconds.clear()
        clock.cpu.clear()
        runs = [submit(n) for n in range(1, count + 1)]
        if cprofile:
            prof = cProfile.Profile()
            prof.enable()
            for n in range(count + 1, count + 1 + cprofile):
                submit(n)
            prof.disable()
            pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        store.close()
        if schema:
            from gateway_harness import drop_schema

            drop_schema(schema)
        wall, cpu = sum(w for w, _ in runs), sum(c for _, c in runs)
        phases = {p: {"cpu": round(clock.cpu[p] / count, 3), "wall": round(clock.seconds[p] / count, 3)} for p in PHASES}
        validation = ("connect", "stage", "checks", "sql_rules", "report")
        out = {
            "what": "one region's submission through the gateway's Ingestor, phase by phase (seconds per submission)",
            "store": store_kind, "validation_threads": validation_threads, "region": region, "scale": scale, "records_per_submission": records,
            "submission_bytes": sum(map(len, reqs)), "submissions": count,
            "wall_seconds_per_submission": round(wall / count, 3), "cpu_seconds_per_submission": round(cpu / count, 3),
            "records_per_cpu_second": round(records * count / cpu), "records_per_second_one_client": round(records * count / wall),
            "phases": phases,
            "validation_cpu_share": round(sum(clock.cpu[p] for p in validation) / cpu, 3),
            "unaccounted_cpu_seconds": round((cpu - sum(clock.cpu.values())) / count, 3),
            "floor": floor(tmp, sample, region),
            "load_average": list(os.getloadavg()),
        }  # fmt: skip
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--region", default="130602000")
    ap.add_argument("--submissions", type=int, default=3)
    ap.add_argument("--store", choices=("duckdb", "postgres"), default="duckdb")
    ap.add_argument("--cprofile", type=int, default=0, help="then profile N more submissions with cProfile (to stderr)")
    ap.add_argument("--validation-threads", type=int, default=2, help="DuckDB threads per validation (the gateway's default: 2)")
    a = ap.parse_args()
    print(json.dumps(main(a.scale, a.region, a.submissions, a.store, a.cprofile, a.validation_threads), ensure_ascii=False, indent=2))
