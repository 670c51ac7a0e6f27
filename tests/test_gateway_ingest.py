"""Ingestion through a real gateway (TLS, a thread, a free port): receipts, idempotency,
quarantine, supersession and history, bad streams, limits and deadlines — on both stores where the
store matters."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import grpc
import pytest

from gateway_harness import CITY, COUNTY, OTHER_COUNTY, ThreadGateway, drop_schema, make_sample, region_folder, store_args, submit, wait_until
from jincai.gateway import client
from jincai.gateway.errors import details_of
from jincai.gateway.store import as_of_sql
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb
from jincai.validation.catalogue import catalogue
from jincai.standard import standard

STORES = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return make_sample(tmp_path_factory.mktemp("sample") / "baoding")


@pytest.fixture(scope="module")
def county(sample, tmp_path_factory) -> Path:
    return region_folder(sample, COUNTY, tmp_path_factory.mktemp("county") / COUNTY)


@pytest.fixture(scope="module")
def county_pv(sample, tmp_path_factory) -> Path:
    return region_folder(sample, COUNTY, tmp_path_factory.mktemp("pv") / COUNTY, ["payment_voucher"])


def _gateway(tmp_path: Path, kind: str) -> ThreadGateway:
    store, schema = store_args(kind)
    return ThreadGateway(tmp_path / "gw", store, schema)


@pytest.fixture(params=STORES)
def gw(request, tmp_path):
    g = _gateway(tmp_path, request.param)
    yield g
    g.stop()
    if g.gw.cfg.pg_schema:
        drop_schema(g.gw.cfg.pg_schema)


@pytest.fixture
def duck(tmp_path):
    g = _gateway(tmp_path, "duckdb")
    yield g
    g.stop()


def _lines(folder: Path, entity: str) -> list[dict]:
    return [json.loads(x) for x in (folder / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines()]


def _rpc_error(call) -> tuple[grpc.StatusCode, dict]:
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value.code(), details_of(info.value)


def _nothing_stored(g: ThreadGateway) -> None:
    assert g.store.list(None) == []
    assert g.store.integrity_problems() == []
    assert g.store.query("SELECT count(*) AS n FROM rec_payment_voucher")[0]["n"] == 0
    assert wait_until(lambda: not any(g.cfg.spool.iterdir()), 10), "the spool folder was not emptied"


# ------------------------------------------------------------------------------------------------


def test_accepted_submission_is_stored_whole_and_its_receipt_verifies(gw, county, sample, tmp_path):
    tok = gw.token("submitter", COUNTY)
    answer = submit(gw.stub(), county, tok, "first")
    c = client.content(answer.receipt)
    assert c["status"] == "accepted" and not answer.replayed
    envelopes = {e["entity_name"]: e for e in _lines(county, "submission_envelope")}
    for e in c["entities"]:
        rows = _lines(county, e["entity"])
        assert e["records"] == len(rows)
        assert gw.store.count_records(e["entity"], c["submission_id"]) == len(rows)
        # the digest of the canonical JSON Lines sent: the files' own bytes, and the envelope's
        # checksum where the envelope covers the same records (its fiscal_region has only the region's row)
        assert e["content_sha256"] == hashlib.sha256((county / f"{e['entity']}.jsonl").read_bytes()).hexdigest()
        if e["entity"] in envelopes and e["entity"] != "fiscal_region":
            assert e["content_sha256"] == envelopes[e["entity"]]["content_sha256"]
        for field, total in e["money_totals"].items():
            assert Decimal(total) == sum((Decimal(r[field]) for r in rows if r.get(field) is not None), Decimal("0.00"))
    assert gw.store.integrity_problems() == []

    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(client.receipt_json(answer.receipt)), encoding="utf-8")
    cli = [sys.executable, "-m", "jincai", "gateway", "verify-receipt", str(path), "--data", str(gw.data)]
    ok = subprocess.run(cli, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert c["submission_id"] in ok.stdout

    doc = json.loads(path.read_text())
    doc["payload"] = doc["payload"].replace('"records":124', '"records":125')
    assert doc["payload"] != json.loads(path.read_text())["payload"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    bad = subprocess.run(cli, capture_output=True, text=True)
    assert bad.returncode == 1 and "receipt-signature-invalid" in bad.stderr


def test_receipt_signed_by_another_gateway_does_not_verify(duck, county_pv, tmp_path):
    answer = submit(duck.stub(), county_pv, duck.token("submitter", COUNTY), "k")
    path = tmp_path / "r.json"
    path.write_text(json.dumps(client.receipt_json(answer.receipt)))
    other = ThreadGateway(tmp_path / "other")
    other.stop()
    r = subprocess.run([sys.executable, "-m", "jincai", "gateway", "verify-receipt", str(path), "--data", str(other.data)], capture_output=True, text=True)
    assert r.returncode == 1 and "receipt-key-mismatch" in r.stderr


def test_same_key_same_content_returns_the_same_receipt_and_other_content_is_refused(gw, county_pv, tmp_path):
    tok = gw.token("submitter", COUNTY)
    first = submit(gw.stub(), county_pv, tok, "k-1")
    again = submit(gw.stub(), county_pv, tok, "k-1")
    assert again.replayed and again.receipt.payload == first.receipt.payload and again.receipt.signature == first.receipt.signature
    assert len(gw.store.list(None)) == 1

    changed = tmp_path / "changed"
    changed.mkdir()
    rows = (county_pv / "payment_voucher.jsonl").read_text().splitlines(keepends=True)
    (changed / "payment_voucher.jsonl").write_text("".join(rows[:-1]))
    code, d = _rpc_error(lambda: submit(gw.stub(), changed, tok, "k-1"))
    assert code == grpc.StatusCode.ALREADY_EXISTS and d["reason"] == "idempotency-key-reused"
    assert d["metadata"]["submission_id"] == client.content(first.receipt)["submission_id"]
    assert len(gw.store.list(None)) == 1


def test_resubmission_supersedes_and_every_earlier_state_stays_queryable(gw, county_pv, tmp_path):
    tok = gw.token("submitter", COUNTY)
    v1 = client.content(submit(gw.stub(), county_pv, tok, "v1").receipt)
    fewer = tmp_path / "v2"
    fewer.mkdir()
    rows = (county_pv / "payment_voucher.jsonl").read_text().splitlines(keepends=True)
    (fewer / "payment_voucher.jsonl").write_text("".join(rows[:-3]))
    v2 = client.content(submit(gw.stub(), fewer, tok, "v2").receipt)
    assert v2["supersedes"] == [v1["submission_id"]]
    assert [e["version"] for e in v1["entities"]] == [1] and [e["version"] for e in v2["entities"]] == [2]

    versions = gw.stub().ListVersions(pb.ListVersionsRequest(mof_div_code=COUNTY, fiscal_year=2024, period="2024"), metadata=client.bearer(tok)).versions
    assert [(v.version, v.submission_id) for v in versions] == [(1, v1["submission_id"]), (2, v2["submission_id"])]
    assert versions[0].valid_to == versions[1].valid_from and versions[0].superseded_by == v2["submission_id"] and versions[1].valid_to == ""

    stored = gw.store.versions(COUNTY, 2024, "2024", "payment_voucher")
    before, after = stored[0]["valid_from"], stored[1]["valid_from"]
    count = "SELECT count(*) AS n FROM ({}) x"
    at = lambda t: gw.store.query(count.format(as_of_sql("payment_voucher")), (t, t))[0]["n"]  # noqa: E731
    assert at(before) == len(rows)
    assert at(after - timedelta(microseconds=1)) == len(rows)
    assert at(after) == len(rows) - 3
    assert at(before - timedelta(seconds=1)) == 0
    assert gw.store.query(count.format(as_of_sql("payment_voucher", current=True)))[0]["n"] == len(rows) - 3
    assert gw.store.integrity_problems() == []


def test_rejected_submission_is_quarantined_with_its_report_and_never_merged(gw, county_pv, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    rows = _lines(county_pv, "payment_voucher")
    rows[4]["pay_type_code"] = "7"  # not a payment method
    (bad / "payment_voucher.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    tok = gw.token("submitter", COUNTY)
    with pytest.raises(grpc.RpcError) as info:
        submit(gw.stub(), bad, tok, "bad")
    d = details_of(info.value)
    assert info.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert d["reason"] in catalogue().rules and d["metadata"]["gateway_code"] == "submission-rejected"
    receipt = client.rejected_receipt(info.value)
    c = client.content(receipt)
    assert c["status"] == "rejected" and c["issues_by_severity"]["error"] >= 1
    assert [e["version"] for e in c["entities"]] == [0]

    got = gw.stub().GetSubmission(pb.GetSubmissionRequest(submission_id=c["submission_id"]), metadata=client.bearer(tok))
    assert got.submission.status == pb.SUBMISSION_STATUS_REJECTED
    report = json.loads(got.report_json)
    hit = [i for i in report["issues"] if i["row"] == 5 and i["field"] == "pay_type_code"]
    assert hit and hit[0]["file"] == "payment_voucher.jsonl"
    assert gw.store.count_records("payment_voucher", c["submission_id"]) == 0
    assert gw.store.versions(COUNTY, 2024, "2024") == []
    (q,) = gw.store.quarantine(c["submission_id"])
    kept = gzip.decompress(bytes(q["content_gzip"])).decode().splitlines()
    assert q["records"] == len(kept) == len(rows) and json.loads(kept[4])["pay_type_code"] == "7"


def _stream(header: pb.SubmissionHeader, *parts):
    yield pb.SubmitRequest(header=header)
    yield from parts


def _header(**kw) -> pb.SubmissionHeader:
    base = dict(mof_div_code=COUNTY, fiscal_year=2024, period="2024", standard_version="1.0.0", idempotency_key="k", product_name="t")
    base.update(kw)
    return pb.SubmissionHeader(**base)


def _batch(folder: Path, n: int | None = None, region: str | None = None) -> pb.RecordBatch:
    rows = _lines(folder, "payment_voucher")[:n]
    b = pb.RecordBatch()
    for i, r in enumerate(rows):
        if region and i == len(rows) - 1:
            r = {**r, "mof_div_code": region}
        b.payment_voucher.append(client.to_message("payment_voucher", r, "t"))
    return b


def _newer_minor() -> str:
    major, minor, _ = standard().version.split(".")
    return f"{major}.{int(minor) + 1}.0"


def _end(**counts) -> pb.SubmitRequest:
    return pb.SubmitRequest(end=pb.SubmissionEnd(record_counts=counts))


BAD_STREAMS = {
    "batch-before-header": (lambda f: iter([pb.SubmitRequest(batch=_batch(f, 3)), _end(payment_voucher=3)]), grpc.StatusCode.INVALID_ARGUMENT, "header-missing"),
    "empty-stream": (lambda f: iter([]), grpc.StatusCode.INVALID_ARGUMENT, "header-missing"),
    "wrong-standard-version": (lambda f: _stream(_header(standard_version="0.9.0"), pb.SubmitRequest(batch=_batch(f, 3)), _end(payment_voucher=3)), grpc.StatusCode.FAILED_PRECONDITION, "standard-version-unsupported"),
    "newer-minor-version": (lambda f: _stream(_header(standard_version=_newer_minor()), pb.SubmitRequest(batch=_batch(f, 3)), _end(payment_voucher=3)), grpc.StatusCode.FAILED_PRECONDITION, "standard-version-unsupported"),
    "next-major-version": (lambda f: _stream(_header(standard_version=f"{int(standard().version.split('.')[0]) + 1}.0.0"), pb.SubmitRequest(batch=_batch(f, 3)), _end(payment_voucher=3)), grpc.StatusCode.FAILED_PRECONDITION, "standard-version-unsupported"),
    "version-not-semver": (lambda f: _stream(_header(standard_version="1.1"), pb.SubmitRequest(batch=_batch(f, 3)), _end(payment_voucher=3)), grpc.StatusCode.FAILED_PRECONDITION, "standard-version-unsupported"),
    "period-of-another-year": (lambda f: _stream(_header(period="2023-05")), grpc.StatusCode.INVALID_ARGUMENT, "header-invalid"),
    "unknown-region": (lambda f: _stream(_header(mof_div_code="999999999")), grpc.StatusCode.INVALID_ARGUMENT, "header-invalid"),
    "bad-idempotency-key": (lambda f: _stream(_header(idempotency_key="a b")), grpc.StatusCode.INVALID_ARGUMENT, "header-invalid"),
    "record-of-another-region": (lambda f: _stream(_header(), pb.SubmitRequest(batch=_batch(f, 20, OTHER_COUNTY)), _end(payment_voucher=20)), grpc.StatusCode.PERMISSION_DENIED, "record-region"),
    "record-of-the-city": (lambda f: _stream(_header(), pb.SubmitRequest(batch=_batch(f, 20, CITY)), _end(payment_voucher=20)), grpc.StatusCode.PERMISSION_DENIED, "record-region"),
    "count-mismatch": (lambda f: _stream(_header(), pb.SubmitRequest(batch=_batch(f, 5)), _end(payment_voucher=6)), grpc.StatusCode.INVALID_ARGUMENT, "stream-count-mismatch"),
    "no-end-message": (lambda f: _stream(_header(), pb.SubmitRequest(batch=_batch(f, 5))), grpc.StatusCode.INVALID_ARGUMENT, "stream-incomplete"),
    "batch-after-end": (lambda f: _stream(_header(), _end(), pb.SubmitRequest(batch=_batch(f, 5))), grpc.StatusCode.INVALID_ARGUMENT, "stream-out-of-order"),
    "header-twice": (lambda f: _stream(_header(), pb.SubmitRequest(header=_header())), grpc.StatusCode.INVALID_ARGUMENT, "stream-out-of-order"),
    "no-records": (lambda f: _stream(_header(), _end()), grpc.StatusCode.INVALID_ARGUMENT, "submission-empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_STREAMS))
def test_bad_stream_gets_a_clear_error_and_nothing_is_stored(duck, county_pv, case):
    make, status, reason = BAD_STREAMS[case]
    tok = duck.token("submitter", COUNTY)
    code, d = _rpc_error(lambda: duck.stub().Submit(make(county_pv), metadata=client.bearer(tok), timeout=60))
    assert (code, d["reason"]) == (status, reason)
    assert d["zh"] and d["en"]
    _nothing_stored(duck)
    last = json.loads(duck.cfg.audit_log.read_text().splitlines()[-1])
    assert last["rpc"] == "Submit" and last["code"] == reason


def test_client_disconnecting_mid_stream_leaves_nothing(duck, county_pv):
    tok = duck.token("submitter", COUNTY)
    sent, release = threading.Event(), threading.Event()

    def parts():
        yield pb.SubmitRequest(header=_header())
        for _ in range(3):
            yield pb.SubmitRequest(batch=_batch(county_pv, 30))
        sent.set()
        release.wait(30)

    future = duck.stub().Submit.future(parts(), metadata=client.bearer(tok))
    assert sent.wait(30)
    assert wait_until(lambda: duck.cfg.spool.exists() and any(duck.cfg.spool.iterdir()), 10)
    future.cancel()
    release.set()
    assert wait_until(lambda: "client-cancelled" in duck.cfg.audit_log.read_text(), 20)
    _nothing_stored(duck)


def test_records_limit_is_resource_exhausted(duck, county_pv, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_GATEWAY_SUBMISSION_RECORDS", "50")
    code, d = _rpc_error(lambda: submit(duck.stub(), county_pv, duck.token("submitter", COUNTY), "big"))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED and d["reason"] == "limit-gateway-submission-records"
    assert "JINCAI_LIMIT_GATEWAY_SUBMISSION_RECORDS" in d["zh"] and d["metadata"]["value"] == "50"
    _nothing_stored(duck)


def test_oversize_message_is_resource_exhausted(tmp_path, county_pv, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_GATEWAY_MESSAGE_BYTES", "20000")
    g = ThreadGateway(tmp_path / "small")
    try:
        tok = g.token("submitter", COUNTY)
        code, _ = _rpc_error(lambda: g.stub().Submit(_stream(_header(), pb.SubmitRequest(batch=_batch(county_pv)), _end(payment_voucher=103)), metadata=client.bearer(tok), timeout=60))
        assert code == grpc.StatusCode.RESOURCE_EXHAUSTED
        _nothing_stored(g)
    finally:
        g.stop()


def test_concurrent_submissions_per_region_are_limited(duck, county_pv, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_GATEWAY_REGION_SUBMISSIONS", "1")
    tok = duck.token("submitter", COUNTY)
    started, release = threading.Event(), threading.Event()

    def slow():
        yield pb.SubmitRequest(header=_header(idempotency_key="slow"))
        yield pb.SubmitRequest(batch=_batch(county_pv, 10))
        started.set()
        release.wait(30)
        yield _end(payment_voucher=10)

    future = duck.stub().Submit.future(slow(), metadata=client.bearer(tok), timeout=60)
    assert started.wait(30)
    assert wait_until(lambda: any(duck.cfg.spool.iterdir()), 10)
    code, d = _rpc_error(lambda: submit(duck.stub(), county_pv, tok, "second"))
    assert code == grpc.StatusCode.RESOURCE_EXHAUSTED and d["reason"] == "limit-gateway-region-submissions"
    release.set()
    assert client.content(future.result().receipt)["status"] == "accepted"


def test_deadline_is_honoured_and_a_retry_with_the_same_key_succeeds(duck, county):
    tok = duck.token("submitter", COUNTY)
    code, _ = _rpc_error(lambda: submit(duck.stub(), county, tok, "late", timeout=0.8))
    assert code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert wait_until(lambda: "client-cancelled" in duck.cfg.audit_log.read_text(), 60)
    _nothing_stored(duck)
    answer = submit(duck.stub(), county, tok, "late")
    assert client.content(answer.receipt)["status"] == "accepted" and not answer.replayed


def test_bytes_that_are_not_a_message_are_invalid_argument_and_nothing_is_stored(duck):
    tok = duck.token("submitter", COUNTY)
    ch = client.channel(duck.target, duck.ca_pem)
    raw = ch.stream_unary("/jincai.ingest.v1.IngestService/Submit", request_serializer=None, response_deserializer=None)
    code, d = _rpc_error(lambda: raw(iter([b"\xff\xff\xff\xff not protobuf"]), metadata=client.bearer(tok), timeout=30))
    assert (code, d["reason"]) == (grpc.StatusCode.INVALID_ARGUMENT, "message-malformed")
    good_then_bad = iter([pb.SubmitRequest(header=_header()).SerializeToString(), b"\x12\xff\xff"])
    code, d = _rpc_error(lambda: raw(good_then_bad, metadata=client.bearer(tok), timeout=30))
    assert (code, d["reason"], d["metadata"]["location"]) == (grpc.StatusCode.INVALID_ARGUMENT, "message-malformed", "message 2")
    unary = ch.unary_unary("/jincai.ingest.v1.IngestService/GetReceipt", request_serializer=None, response_deserializer=None)
    code, d = _rpc_error(lambda: unary(b"\xff\xff", metadata=client.bearer(tok), timeout=30))
    assert (code, d["reason"]) == (grpc.StatusCode.INVALID_ARGUMENT, "message-malformed")
    ch.close()
    _nothing_stored(duck)


def test_listing_pages_through_every_submission_newest_first(duck, county_pv, tmp_path):
    tok = duck.token("submitter", COUNTY)
    rows = (county_pv / "payment_voucher.jsonl").read_text().splitlines(keepends=True)
    sids = []
    for n in range(3):
        folder = tmp_path / f"s{n}"
        folder.mkdir()
        (folder / "payment_voucher.jsonl").write_text("".join(rows[: 10 + n]))
        sids.append(client.content(submit(duck.stub(), folder, tok, f"page-{n}", period=f"2024-0{n + 1}").receipt)["submission_id"])
    seen, token = [], ""
    while True:
        page = duck.stub().ListSubmissions(pb.ListSubmissionsRequest(mof_div_code=COUNTY, page_size=2, page_token=token), metadata=client.bearer(tok))
        seen += [s.submission_id for s in page.submissions]
        token = page.next_page_token
        if not token:
            break
    assert seen == sids[::-1]
    only = duck.stub().ListSubmissions(pb.ListSubmissionsRequest(mof_div_code=COUNTY, fiscal_year=2024, period="2024-02"), metadata=client.bearer(tok))
    assert [s.submission_id for s in only.submissions] == [sids[1]]
    code, d = _rpc_error(lambda: duck.stub().ListSubmissions(pb.ListSubmissionsRequest(page_token="%%%"), metadata=client.bearer(tok)))
    assert (code, d["reason"]) == (grpc.StatusCode.INVALID_ARGUMENT, "page-token-invalid")


def test_earlier_minor_version_of_the_standard_is_accepted():
    """Data following 1.0.0 is valid under 1.1.0 (the changelog's minor-version policy): the gateway on
    1.1.0 takes it; its own version is taken too."""
    from jincai.gateway.ingest import accepts_version

    ours = standard().version
    major = ours.split(".")[0]
    assert accepts_version(ours) and accepts_version(f"{major}.0.0")
    assert not accepts_version(_newer_minor()) and not accepts_version(f"{int(major) + 1}.0.0") and not accepts_version("01.0.0")
