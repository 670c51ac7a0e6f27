"""What the gateway tests share: sample data per region, a real gateway (in a thread or in a child
process) on a free port with real TLS, credentials, and the two stores.

PostgreSQL tests need ``JINCAI_PG_DSN`` (``make test`` starts a server); without it they are skipped
on a developer machine and FAIL in CI, as in tests/test_sql_rules_postgres.py. Each PostgreSQL
gateway gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import grpc
import pytest

from jincai.gateway import auth, client
from jincai.gateway.ca import CA
from jincai.gateway.config import GatewayConfig
from jincai.gateway.server import Gateway

DSN = os.environ.get("JINCAI_PG_DSN")
COUNTY, OTHER_COUNTY, CITY, PROVINCE = "130602000", "130606000", "130600000", "130000000"
OTHER_CITY = "130100000"  # 石家庄市, not an ancestor of the sample's counties


def need_pg() -> str:
    if not DSN:
        if os.environ.get("CI"):
            pytest.fail("JINCAI_PG_DSN 未设置：CI 中必须有 PostgreSQL / JINCAI_PG_DSN is unset: CI must run these tests on PostgreSQL")
        pytest.skip("JINCAI_PG_DSN unset (run `bash tools/pg.sh start && . .pg/env`)")
    return DSN


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(DSN, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def make_sample(out: Path, defects: int = 0, seed: int = 0) -> Path:
    from jincai.sample import Options, generate

    generate(Options(out=out, region="130600", year=2024, scale=1, defects=defects, seed=seed))
    return out


def region_folder(sample: Path, region: str, dest: Path, entities: list[str] | None = None) -> Path:
    """The records of ``region`` (and, for fiscal_region, its ancestors' rows) as a submission folder."""
    from jincai.gateway import regions

    allowed = {region, *regions.ancestors(region)}
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(sample.glob("*.jsonl")):
        entity = path.stem
        if entities is not None and entity not in entities:
            continue
        keep = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            code = json.loads(line).get("mof_div_code")
            if code == region or (entity == "fiscal_region" and code in allowed):
                keep.append(line)
        if keep:
            (dest / path.name).write_text("".join(keep), encoding="utf-8")
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """Credentials and clients for a gateway whose data folder is ``data``."""

    def __init__(self, data: Path, port: int, mtls_port: int) -> None:
        self.data, self.port, self.mtls_port = data, port, mtls_port
        self.cfg = GatewayConfig(data=data)
        self.ca_pem = (data / "tls" / "ca.pem").read_bytes()
        self.creds = auth.Credentials(self.cfg.credentials)
        self._channels: list[grpc.Channel] = []

    @property
    def target(self) -> str:
        return f"localhost:{self.port}"

    def token(self, role: str, region: str) -> str:
        return self.creds.issue_token(role, region)[1]

    def cert(self, role: str, region: str) -> tuple[bytes, bytes, int]:
        key, cert, serial = CA(self.cfg.tls).issue_client(role, region)
        self.creds.record_cert(serial, role, region)
        return key, cert, serial

    def stub(self, cert: tuple[bytes, bytes, int] | None = None):
        target = f"localhost:{self.mtls_port}" if cert else self.target
        ch = client.channel(target, self.ca_pem, cert[1] if cert else None, cert[0] if cert else None)
        self._channels.append(ch)
        return client.stub(ch)

    def close_channels(self) -> None:
        for ch in self._channels:
            ch.close()


class ThreadGateway(Running):
    def __init__(self, data: Path, store: str | None = None, pg_schema: str | None = None) -> None:
        self.gw = Gateway(GatewayConfig(data=data, port=0, mtls_port=0, store=store, pg_schema=pg_schema, workers=8)).start()
        super().__init__(data, self.gw.port, self.gw.mtls_port)
        self.store = self.gw.store

    def stop(self) -> None:
        self.close_channels()
        self.gw.stop(grace=1)


class ProcessGateway(Running):
    """``jincai gateway serve`` in a child process, killable with SIGKILL and restartable."""

    def __init__(self, data: Path, store: str | None = None, pg_schema: str | None = None, port: int | None = None, env: dict | None = None) -> None:
        self.args = [sys.executable, "-m", "jincai", "gateway", "serve", "--data", str(data), "--port", str(port or free_port()), "--mtls-port", str(free_port())]
        if store:
            self.args += ["--store", store]
        if pg_schema:
            self.args += ["--pg-schema", pg_schema]
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.start()
        super().__init__(data, int(self.args[self.args.index("--port") + 1]), int(self.args[self.args.index("--mtls-port") + 1]))

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env, text=True)
        line = self.proc.stdout.readline()
        if "listening" not in line:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            raise RuntimeError(f"gateway did not start: {line!r} {err[-2000:]}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        self.close_channels()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def store_args(kind: str) -> tuple[str | None, str | None]:
    """(store, pg_schema) for a gateway on ``kind`` ('duckdb' or 'postgres')."""
    if kind == "duckdb":
        return None, None
    return need_pg(), f"gw_test_{uuid.uuid4().hex[:12]}"


def submit(stub, folder: Path, token: str | None, key: str, period: str = "2024", region: str | None = None, year: int = 2024, timeout: float | None = 120):
    prep = client.prepare([folder], region, year)
    return stub.Submit(client.requests(prep, client.header(prep, period, key)), metadata=client.bearer(token), timeout=timeout)


def wait_until(pred, timeout: float = 30.0, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False


# ------------------------------------------------------------------------------------------------
# the crash run (tests/test_gateway_crash.py runs a few kills; benchmarks/bench_gateway.py ≥ 100)
# ------------------------------------------------------------------------------------------------


def submission_requests(region: str, key: str, rows: list[dict], batch: int = 40):
    from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb

    yield pb.SubmitRequest(header=pb.SubmissionHeader(mof_div_code=region, fiscal_year=2024, period="2024", standard_version="1.0.0", idempotency_key=key, product_name="crash"))
    for i in range(0, len(rows), batch):
        b = pb.RecordBatch()
        b.payment_voucher.extend(client.to_message("payment_voucher", r, "crash") for r in rows[i : i + batch])
        yield pb.SubmitRequest(batch=b)
    yield pb.SubmitRequest(end=pb.SubmissionEnd(record_counts={"payment_voucher": len(rows)}))


def crash_run(tmp: Path, sample: Path, kind: str, kills: int, seed: int = 0, clients: tuple[str, ...] = (COUNTY, OTHER_COUNTY, CITY), pause: tuple[float, float] = (2.0, 6.0)) -> dict:
    """Clients submit concurrently while the gateway is SIGKILLed ``kills`` times at random moments
    and restarted (no repair step). Returns what was acknowledged and what the store holds; raises
    AssertionError on any lost acknowledgement, partial submission or broken audit chain."""
    import random
    import threading

    from jincai.gateway.audit import verify as verify_audit
    from jincai.gateway.store import open_store

    rnd = random.Random(seed)
    store, schema = store_args(kind)
    gw = ProcessGateway(tmp / "gw", store, schema)
    data = {r: [json.loads(x) for x in (region_folder(sample, r, tmp / f"src-{r}", ["payment_voucher"]) / "payment_voucher.jsonl").read_text().splitlines()] for r in clients}
    acked: dict[tuple[str, str], dict] = {}
    errors: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def run_client(region: str, token: str, cseed: int) -> None:
        crnd = random.Random(cseed)
        n = 0
        stub = gw.stub()
        while not stop.is_set():
            n += 1
            key = f"{region}-{n}"
            rows = data[region][: crnd.randint(1, len(data[region]))]
            for _attempt in range(200):  # retry the same key until the gateway answers
                if stop.is_set():
                    return
                try:
                    answer = stub.Submit(submission_requests(region, key, rows), metadata=client.bearer(token), timeout=60)
                    c = client.content(answer.receipt)
                    with lock:
                        if (region, key) in acked and acked[(region, key)]["submission_id"] != c["submission_id"]:
                            errors.append(f"{key}: two receipts")
                        acked[(region, key)] = c
                    break
                except grpc.RpcError as exc:
                    if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL, grpc.StatusCode.RESOURCE_EXHAUSTED):
                        time.sleep(0.2)
                        stub = gw.stub()
                        continue
                    with lock:
                        errors.append(f"{key}: {exc.code()} {details_of_safe(exc)}")
                    break

    tokens = {r: gw.token("submitter", r) for r in clients}
    threads = [threading.Thread(target=run_client, args=(r, tokens[r], seed * 100 + i), daemon=True) for i, r in enumerate(clients)]
    for t in threads:
        t.start()
    restarts = []
    try:
        for _ in range(kills):
            time.sleep(rnd.uniform(*pause))
            gw.kill()
            time.sleep(rnd.uniform(0.0, 0.3))
            began = time.monotonic()
            gw.start()
            restarts.append(time.monotonic() - began)
        time.sleep(pause[1])
    finally:
        stop.set()
        for t in threads:
            t.join(120)
        gw.stop()
    st = open_store(store or str(tmp / "gw" / "gateway.duckdb"), schema)
    try:
        lost = []
        for (region, key), c in acked.items():
            row = st.find_by_key(region, key)
            if row is None or row["submission_id"] != c["submission_id"] or row["content_sha256"] != c["content_sha256"] or row["status"] != c["status"]:
                lost.append(key)
                continue
            if c["status"] == "accepted":
                for e in c["entities"]:
                    if st.count_records(e["entity"], c["submission_id"]) != e["records"]:
                        lost.append(f"{key} {e['entity']} incomplete")
        problems = st.integrity_problems()
        stored = len(st.list(None, limit=1_000_000))
    finally:
        st.close()
        if schema:
            drop_schema(schema)
    n_audit, audit_problems = verify_audit(tmp / "gw" / "audit" / "audit.jsonl")
    result = {
        "store": kind, "kills": kills, "acknowledged": len(acked), "stored_submissions": stored, "lost_acknowledged": lost,
        "integrity_problems": problems, "client_errors": errors, "audit_entries": n_audit, "audit_problems": audit_problems,
        "restart_seconds_max": round(max(restarts, default=0.0), 2),
    }  # fmt: skip
    return result


def details_of_safe(exc: grpc.RpcError) -> str:
    from jincai.gateway.errors import details_of

    d = details_of(exc)
    return f"{d['reason']} {d['en']}"
