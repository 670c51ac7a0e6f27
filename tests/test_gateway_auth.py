"""Who may do what: every role × region × RPC against a real gateway, by token and by client
certificate; every cross-region attempt denied and audited; unauthenticated calls refused.

The expected answers come from this file's own table of the region hierarchy, not from the
gateway's code: a submitter writes only its own region; submitters and readers read their region
and the regions below it; auditors read everything and write nothing.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import grpc
import pytest

from gateway_harness import CITY, COUNTY, OTHER_CITY, OTHER_COUNTY, PROVINCE, ThreadGateway, make_sample, region_folder, submit
from jincai.gateway import client
from jincai.gateway.ca import CA
from jincai.gateway.errors import details_of
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb

REGIONS = [COUNTY, OTHER_COUNTY, CITY, OTHER_CITY, PROVINCE]
ABOVE = {COUNTY: {CITY, PROVINCE}, OTHER_COUNTY: {CITY, PROVINCE}, CITY: {PROVINCE}, OTHER_CITY: {PROVINCE}, PROVINCE: set()}
PRINCIPALS = [("submitter", r) for r in REGIONS] + [("reader", CITY), ("reader", COUNTY), ("auditor", PROVINCE)]
RPCS = ["Submit", "GetReceipt", "GetSubmission", "ListSubmissions", "ListVersions", "GetSigningKey", "GetConsolidatedReport", "GetFiscalPosition"]


def may_read(role: str, own: str, target: str) -> bool:
    return role == "auditor" or target == own or own in ABOVE[target]


def may_write(role: str, own: str, target: str) -> bool:
    return role == "submitter" and target == own


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A gateway holding one submission per region, and a token and a certificate per principal."""
    tmp = tmp_path_factory.mktemp("auth")
    sample = make_sample(tmp / "sample")
    pv = region_folder(sample, COUNTY, tmp / "pv", ["payment_voucher"])
    g = ThreadGateway(tmp / "gw")
    subs = {}
    for region in REGIONS:
        folder = tmp / f"pv-{region}"
        folder.mkdir()
        rows = [json.loads(x) for x in (pv / "payment_voucher.jsonl").read_text().splitlines()[:5]]
        (folder / "payment_voucher.jsonl").write_text("".join(json.dumps({**r, "mof_div_code": region}, ensure_ascii=False) + "\n" for r in rows))
        try:
            sid = client.content(submit(g.stub(), folder, g.token("submitter", region), f"seed-{region}").receipt)["submission_id"]
        except grpc.RpcError as exc:  # rejected is stored too
            sid = client.content(client.rejected_receipt(exc))["submission_id"]
        subs[region] = sid
    creds = {}
    for role, region in PRINCIPALS:
        creds[("token", role, region)] = (g.token(role, region), None)
        creds[("cert", role, region)] = (None, g.cert(role, region))
    yield g, subs, creds
    g.stop()


def _call(g, rpc: str, target: str, subs: dict, token, cert):
    stub = g.stub(cert)
    meta = client.bearer(token)
    if rpc == "Submit":
        head = pb.SubmissionHeader(mof_div_code=target, fiscal_year=2024, period="2024", standard_version="1.0.0", idempotency_key="matrix")
        return stub.Submit(iter([pb.SubmitRequest(header=head), pb.SubmitRequest(end=pb.SubmissionEnd())]), metadata=meta, timeout=30)
    if rpc == "GetReceipt":
        return stub.GetReceipt(pb.GetReceiptRequest(submission_id=subs[target]), metadata=meta, timeout=30)
    if rpc == "GetSubmission":
        return stub.GetSubmission(pb.GetSubmissionRequest(submission_id=subs[target]), metadata=meta, timeout=30)
    if rpc == "ListSubmissions":
        return stub.ListSubmissions(pb.ListSubmissionsRequest(mof_div_code=target), metadata=meta, timeout=30)
    if rpc == "ListVersions":
        return stub.ListVersions(pb.ListVersionsRequest(mof_div_code=target, fiscal_year=2024, period="2024"), metadata=meta, timeout=30)
    if rpc == "GetConsolidatedReport":
        return stub.GetConsolidatedReport(pb.GetConsolidatedReportRequest(mof_div_code=target, period="2024-03"), metadata=meta, timeout=30)
    if rpc == "GetFiscalPosition":
        return stub.GetFiscalPosition(pb.GetFiscalPositionRequest(mof_div_code=target, fiscal_year=2024), metadata=meta, timeout=30)
    return stub.GetSigningKey(pb.GetSigningKeyRequest(), metadata=meta, timeout=30)


def _last_audit(g) -> dict:
    return json.loads(g.cfg.audit_log.read_text(encoding="utf-8").splitlines()[-1])


@pytest.mark.parametrize("kind", ["token", "cert"])
@pytest.mark.parametrize("role,own", PRINCIPALS)
def test_authorization_matrix(world, kind, role, own):
    g, subs, creds = world
    token, cert = creds[(kind, role, own)]
    checked = 0
    for rpc, target in itertools.product(RPCS, REGIONS):
        allowed = True if rpc == "GetSigningKey" else may_write(role, own, target) if rpc == "Submit" else may_read(role, own, target)
        try:
            answer = _call(g, rpc, target, subs, token, cert)
            outcome = "ok"
        except grpc.RpcError as exc:
            answer, outcome = exc, details_of(exc)
        where = f"{kind} {role}@{own} {rpc} → {target}"
        entry = _last_audit(g)
        assert entry["rpc"] == rpc and entry["principal"].startswith(f"{kind}:") and entry["role"] == role, where
        if allowed:
            if rpc == "Submit":  # authorised, then refused for having no records
                assert outcome != "ok" and answer.code() == grpc.StatusCode.INVALID_ARGUMENT and outcome["reason"] == "submission-empty", where
            else:
                assert outcome == "ok", f"{where}: {outcome}"
                assert entry["outcome"] == "ok", where
        else:
            assert outcome != "ok", f"{where} was allowed"
            assert answer.code() == grpc.StatusCode.PERMISSION_DENIED, where
            assert outcome["reason"] in ("permission-region", "permission-role") and outcome["zh"] and outcome["en"], where
            assert entry["outcome"] == "denied" and entry["code"] == outcome["reason"], where
            if rpc != "Submit":
                assert entry["region"] == target
        checked += 1
    assert checked == len(RPCS) * len(REGIONS)


@pytest.mark.parametrize("role,own", PRINCIPALS)
def test_listing_without_a_region_shows_only_what_the_caller_may_read(world, role, own):
    g, subs, creds = world
    token, _ = creds[("token", role, own)]
    got = g.stub().ListSubmissions(pb.ListSubmissionsRequest(page_size=1000), metadata=client.bearer(token))
    assert {s.mof_div_code for s in got.submissions} == {r for r in REGIONS if may_read(role, own, r)}


def test_no_credentials_bad_token_and_foreign_certificates_are_unauthenticated(world, tmp_path):
    g, subs, _ = world

    def code(**kw):
        with pytest.raises(grpc.RpcError) as info:
            kw.get("stub", g.stub()).ListSubmissions(pb.ListSubmissionsRequest(), metadata=kw.get("meta", []), timeout=30)
        return info.value.code(), details_of(info.value)["reason"]

    assert code() == (grpc.StatusCode.UNAUTHENTICATED, "auth-missing")
    assert _last_audit(g)["outcome"] == "denied" and _last_audit(g)["code"] == "auth-missing"
    assert code(meta=[("authorization", "Bearer jct.nope.nope")]) == (grpc.StatusCode.UNAUTHENTICATED, "auth-token-invalid")
    assert code(meta=[("authorization", "Basic abc")]) == (grpc.StatusCode.UNAUTHENTICATED, "auth-token-invalid")
    key, cert, _ = CA(g.cfg.tls).issue_client("submitter", COUNTY)  # signed by the CA but never recorded
    assert code(stub=g.stub((key, cert, 0))) == (grpc.StatusCode.UNAUTHENTICATED, "auth-cert-invalid")
    foreign = CA(tmp_path / "foreign")
    foreign.init()
    fkey, fcert, _ = foreign.issue_client("auditor", PROVINCE)
    with pytest.raises(grpc.RpcError) as info:  # refused in the TLS handshake: never reaches the service
        g.stub((fkey, fcert, 0)).ListSubmissions(pb.ListSubmissionsRequest(), timeout=10)
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE


def test_revoked_token_and_certificate_are_refused_at_once(world):
    g, subs, _ = world
    tid, token = g.creds.issue_token("auditor", PROVINCE)
    key, cert, serial = g.cert("auditor", PROVINCE)
    req = pb.ListSubmissionsRequest()
    g.stub().ListSubmissions(req, metadata=client.bearer(token))
    g.stub((key, cert, serial)).ListSubmissions(req)
    base = [sys.executable, "-m", "jincai", "gateway"]
    assert subprocess.run([*base, "revoke-token", tid, "--data", str(g.data)], capture_output=True).returncode == 0
    assert subprocess.run([*base, "revoke-cert", format(serial, "x"), "--data", str(g.data)], capture_output=True).returncode == 0
    for stub, meta, reason in ((g.stub(), client.bearer(token), "auth-token-revoked"), (g.stub((key, cert, serial)), [], "auth-cert-revoked")):
        with pytest.raises(grpc.RpcError) as info:
            stub.ListSubmissions(req, metadata=meta)
        assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED and details_of(info.value)["reason"] == reason
        assert _last_audit(g)["code"] == reason


def test_tokens_are_stored_only_as_hashes(world):
    g, _, creds = world
    text = g.cfg.credentials.read_text()
    for (kind, _, _), (token, _) in creds.items():
        if token:
            assert token.split(".")[2] not in text


def test_audit_log_chain_is_intact_and_holds_no_personal_data(world):
    g, _, _ = world
    r = subprocess.run([sys.executable, "-m", "jincai", "gateway", "verify-audit", "--data", str(g.data)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = g.cfg.audit_log.read_text(encoding="utf-8")
    for needle in ("payee_acct", "竞秀", "1306020000000001"):  # account names/numbers of the submitted records
        assert needle not in text
    assert "127.0.0.1" not in text  # peers are masked


def test_health_checking_and_reflection_answer_without_credentials(world):
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    g, _, _ = world
    ch = client.channel(g.target, g.ca_pem)
    try:
        health = health_pb2_grpc.HealthStub(ch)
        for service in ("", "jincai.ingest.v1.IngestService"):
            assert health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10).status == health_pb2.HealthCheckResponse.SERVING
        refl = reflection_pb2_grpc.ServerReflectionStub(ch)
        answer = next(refl.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10))
        assert "jincai.ingest.v1.IngestService" in {s.name for s in answer.list_services_response.service}
    finally:
        ch.close()
