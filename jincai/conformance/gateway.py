"""The gateway profile, runner side: the runner is a client of the gateway under test (gRPC, the
stubs generated from ``proto/jincai/ingest/v1/ingest.proto``) and judges what comes back against
the contract only — the gRPC status, ``google.rpc.ErrorInfo``, the signed receipt, the report of
``GetSubmission``, ``ListSubmissions`` and ``ListVersions``.

Where the gateway is and how to call it (``GatewaySession``):

* ``SUT.yaml``'s ``gateway.target`` (+ ``ca``, ``mtls_target``, ``server_name``,
  ``max_message_bytes``) names a gateway already running; otherwise the runner asks the harness with
  ``gateway_start`` and the harness starts one for the run (and stops it at ``shutdown``);
* a credential a case names (``suite.yaml`` → ``gateway.credentials``: role, region, state) is taken
  from ``SUT.yaml``'s pre-issued files when listed there, else asked of the harness with
  ``gateway_credential`` (the harness issues it — and revokes it, for ``state: revoked``).
  ``none`` sends no credential; ``forged`` sends a bearer token the runner makes up;
  ``foreign-cert`` a client certificate from a CA the runner makes up.

Idempotency keys get a fresh prefix each time a case runs, and every check is relative to what the
case itself did (versions, counts), so the same gateway can be tested again without being emptied.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import grpc

from jincai.conformance.matching import Outcome
from jincai.conformance.model import StepExpected, SubmitCase, SubmitStep, Sut
from jincai.conformance.protocol import Harness, HarnessError

SUBMIT = "/jincai.ingest.v1.IngestService/Submit"
#: docs/limits.md: gateway_message_bytes, when SUT.yaml does not say
DEFAULT_MAX_MESSAGE = 16 << 20
BATCH = 2000  # records per message, as `jincai submit` sends them
TIMEOUT = 120.0


def _pb():
    from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2

    return ingest_pb2


@dataclass
class Endpoint:
    target: str
    ca_pem: bytes
    mtls_target: str | None = None
    server_name: str | None = None
    max_message_bytes: int = DEFAULT_MAX_MESSAGE


@dataclass
class Credential:
    token: str | None = None
    cert_pem: bytes | None = None
    key_pem: bytes | None = None


@dataclass
class GatewaySession:
    """The gateway under test for one run."""

    sut: Sut
    sut_dir: Path
    harness: Harness
    definitions: dict  # suite.yaml's gateway.credentials
    _endpoint: Endpoint | None = None
    _creds: dict[str, Credential] = field(default_factory=dict)
    _channels: dict[str, grpc.Channel] = field(default_factory=dict)

    def endpoint(self) -> Endpoint:
        if self._endpoint is None:
            gw = self.sut.gateway
            if gw is not None and gw.target:
                ca = (self.sut_dir / gw.ca).read_bytes() if gw.ca else b""
                self._endpoint = Endpoint(gw.target, ca, gw.mtls_target, gw.server_name, gw.max_message_bytes or DEFAULT_MAX_MESSAGE)
            else:
                ans = self.harness.request("gateway_start")
                if not ans.get("ok") or not isinstance(ans.get("target"), str) or not isinstance(ans.get("ca_pem"), str):
                    raise HarnessError(f"gateway_start 失败或回答不完整：{str(ans.get('error') or ans)[:200]}", f"gateway_start failed or its answer is incomplete: {str(ans.get('error') or ans)[:200]}")
                limit = (gw.max_message_bytes if gw else None) or ans.get("max_message_bytes") or DEFAULT_MAX_MESSAGE
                self._endpoint = Endpoint(ans["target"], ans["ca_pem"].encode(), ans.get("mtls_target"), ans.get("server_name"), int(limit))
        return self._endpoint

    def credential(self, name: str) -> Credential:
        if name == "none":
            return Credential()
        if name == "forged":
            return Credential(token=f"forged.{secrets.token_hex(6)}.{secrets.token_urlsafe(32)}")
        if name == "foreign-cert" and name not in self._creds:
            self._creds[name] = _foreign_certificate()
        if name not in self._creds:
            files = self.sut.gateway.credentials.get(name) if self.sut.gateway else None
            if files is not None:
                read = lambda rel: (self.sut_dir / rel).read_bytes() if rel else None  # noqa: E731
                token = read(files.token_file)
                self._creds[name] = Credential(token.decode().strip() if token else None, read(files.cert), read(files.key))
            else:
                spec = self.definitions[name]
                ans = self.harness.request("gateway_credential", name=name, **spec.model_dump())
                if not ans.get("ok"):
                    raise HarnessError(f"gateway_credential {name} 失败：{str(ans.get('error'))[:200]}", f"gateway_credential {name} failed: {str(ans.get('error'))[:200]}")
                self._creds[name] = Credential(ans.get("token"), (ans.get("cert_pem") or "").encode() or None, (ans.get("key_pem") or "").encode() or None)
        return self._creds[name]

    def channel(self, name: str) -> tuple[grpc.Channel, list[tuple[str, str]]]:
        """A channel and the call metadata for credential ``name``."""
        cred = self.credential(name)
        ep = self.endpoint()
        key = name if cred.cert_pem else "-tls-"
        if key not in self._channels:
            target = ep.mtls_target or ep.target if cred.cert_pem else ep.target
            creds = grpc.ssl_channel_credentials(root_certificates=ep.ca_pem or None, private_key=cred.key_pem, certificate_chain=cred.cert_pem)
            options = [("grpc.max_send_message_length", ep.max_message_bytes * 2 + (1 << 20)), ("grpc.max_receive_message_length", 64 << 20)]
            if ep.server_name:
                options.append(("grpc.ssl_target_name_override", ep.server_name))
            self._channels[key] = grpc.secure_channel(target, creds, options=options)
        return self._channels[key], ([("authorization", f"Bearer {cred.token}")] if cred.token else [])

    def close(self) -> None:
        for ch in self._channels.values():
            ch.close()
        self._channels.clear()


def _foreign_certificate() -> Credential:
    """A client certificate claiming the sample county's submitter, from a CA the gateway never saw."""
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "conformance runner's own CA")])
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "submitter@130681000")])).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier("urn:jincai:principal:submitter:130681000")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    pem = serialization.Encoding.PEM
    return Credential(cert_pem=cert.public_bytes(pem), key_pem=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


# ------------------------------------------------------------------------------------------------
# the stream a step sends
# ------------------------------------------------------------------------------------------------


def _records(folder: Path) -> dict[str, list[dict]]:
    """entity → records, from the submission folder's ``<entity>.jsonl`` files."""
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        out[path.stem] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _batches(records: dict[str, list[dict]]) -> Iterator[bytes]:
    from jincai.gateway.client import to_message

    pb = _pb()
    batch, n = pb.RecordBatch(), 0
    for entity, recs in records.items():
        for i, rec in enumerate(recs, 1):
            getattr(batch, entity).append(to_message(entity, rec, f"{entity}.jsonl:{i}"))
            n += 1
            if n == BATCH:
                yield pb.SubmitRequest(batch=batch).SerializeToString()
                batch, n = pb.RecordBatch(), 0
    if n:
        yield pb.SubmitRequest(batch=batch).SerializeToString()


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _oversize(records: dict[str, list[dict]], limit: int) -> bytes:
    """One valid SubmitRequest carrying a batch bigger than ``limit``: the first record repeated
    (repeated fields concatenate on the wire)."""
    from jincai.gateway.client import to_message

    pb = _pb()
    entity, recs = next(iter(records.items()))
    one = pb.RecordBatch(**{entity: [to_message(entity, recs[0], f"{entity}.jsonl:1")]}).SerializeToString()
    body = one * (limit // len(one) + 2)
    return b"\x12" + _varint(len(body)) + body  # SubmitRequest.batch = 2, length-delimited


def requests(step: SubmitStep, folder: Path, key: str, standard_version: str, limit: int) -> list[bytes]:
    """The serialized messages of a step, with the fault its ``wire`` names."""
    import jincai

    pb = _pb()
    records = _records(folder / step.submission) if step.submission else {}
    h = step.header
    header = pb.SubmitRequest(header=pb.SubmissionHeader(
        mof_div_code=h.mof_div_code, fiscal_year=h.fiscal_year, period=h.period, standard_version=h.standard_version or standard_version,
        idempotency_key=key, product_name="jincai conformance runner", product_version=jincai.__version__,
    )).SerializeToString()  # fmt: skip
    counts = {e: len(v) for e, v in records.items()}
    if step.wire == "count-mismatch" and counts:
        first = next(iter(counts))
        counts[first] += 1
    end = pb.SubmitRequest(end=pb.SubmissionEnd(record_counts=counts)).SerializeToString()
    if step.wire == "malformed-message":
        return [header, b"\x12\x05\x0a\x03"]  # a batch that claims 5 bytes and has 2: not protobuf
    if step.wire == "oversize-message":
        return [header, _oversize(records, limit), end]
    body = list(_batches(records))
    if step.wire == "no-header":
        return [*body, end]
    return [header, *body, end]


# ------------------------------------------------------------------------------------------------
# one case
# ------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: str
    reason: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    message: str = ""
    receipt: Any = None  # ingest_pb2.Receipt
    replayed: bool | None = None

    @property
    def outcome(self) -> str:
        if self.status == "OK":
            return "accepted"
        return "rejected" if self.receipt is not None and self.status == "FAILED_PRECONDITION" else "refused"


def _error_answer(exc: grpc.RpcError) -> Answer:
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    pb = _pb()
    code = exc.code().name if hasattr(exc, "code") else "UNKNOWN"
    ans = Answer(code, message=(exc.details() or "") if hasattr(exc, "details") else str(exc))
    try:
        st = rpc_status.from_call(exc)
    except ValueError:  # a status whose details disagree with its code: judged by the code alone
        st = None
    for a in st.details if st is not None else []:
        if a.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            a.Unpack(info)
            ans.reason, ans.metadata = info.reason, dict(info.metadata)
        elif a.Is(pb.Receipt.DESCRIPTOR):
            r = pb.Receipt()
            a.Unpack(r)
            ans.receipt = r
    return ans


def _count(session: GatewaySession, observer: str, step: SubmitStep) -> int:
    pb = _pb()
    ch, meta = session.channel(observer)
    stub = _stub(ch)
    n, token = 0, ""
    while True:
        resp = stub.ListSubmissions(pb.ListSubmissionsRequest(mof_div_code=step.header.mof_div_code, fiscal_year=step.header.fiscal_year, period=step.header.period, page_size=1000, page_token=token), metadata=meta, timeout=TIMEOUT)
        n += len(resp.submissions)
        token = resp.next_page_token
        if not token:
            return n


def _stub(ch: grpc.Channel):
    from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2_grpc

    return ingest_pb2_grpc.IngestServiceStub(ch)


def _signing_key(session: GatewaySession, credential: str):
    from cryptography.hazmat.primitives import serialization

    pb = _pb()
    ch, meta = session.channel(credential)
    resp = _stub(ch).GetSigningKey(pb.GetSigningKeyRequest(), metadata=meta, timeout=TIMEOUT)
    key = serialization.load_pem_public_key(resp.public_key_pem.encode())
    return resp.key_id, key


def _check_receipt(session: GatewaySession, credential: str, receipt, exp: StepExpected, step: SubmitStep, key: str, diffs: list[str]) -> dict:
    """Signature, key id, and what the payload states against the expectation and the header."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    kid, public = _signing_key(session, credential)
    seen: dict = {"key_id": receipt.key_id}
    if not isinstance(public, Ed25519PublicKey):
        diffs.append("GetSigningKey 给出的不是 Ed25519 公钥 / GetSigningKey's key is not Ed25519")
        return seen
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if kid != hashlib.sha256(raw).hexdigest()[:16] or receipt.key_id != kid:
        diffs.append(f"key_id 不符 key id mismatch: receipt {receipt.key_id!r}, GetSigningKey {kid!r}, sha256(public key)[:16] {hashlib.sha256(raw).hexdigest()[:16]!r}")
    try:
        public.verify(receipt.signature, receipt.payload)
        seen["signature"] = "valid"
    except InvalidSignature:
        seen["signature"] = "INVALID"
        diffs.append("回执签名不能用网关公布的公钥验证 / the receipt's signature does not verify against the gateway's published key")
    try:
        payload = json.loads(receipt.payload)
    except ValueError:
        diffs.append("回执 payload 不是 JSON / the receipt's payload is not JSON")
        return seen
    c = receipt.content
    pb = _pb()
    want_status = {"accepted": pb.SUBMISSION_STATUS_ACCEPTED, "rejected": pb.SUBMISSION_STATUS_REJECTED}.get(exp.outcome)
    if want_status is not None and c.status != want_status:
        diffs.append(f"回执状态 receipt status {pb.SubmissionStatus.Name(c.status)}, 预期 expected {exp.outcome}")
    h = step.header
    stated = {"mof_div_code": h.mof_div_code, "fiscal_year": h.fiscal_year, "period": h.period, "idempotency_key": key}
    for name, want in stated.items():
        for where, got in (("payload", payload.get(name)), ("content", getattr(c, name))):
            if got != want:
                diffs.append(f"回执 {where}.{name} = {got!r}，应为 should be {want!r}")
    for name in ("submission_id", "content_sha256"):
        if payload.get(name) != getattr(c, name):
            diffs.append(f"回执 payload.{name} 与 content 不一致 / payload and content disagree on {name}")
    seen.update(submission_id=c.submission_id, content_sha256=payload.get("content_sha256"), supersedes=list(c.supersedes),
                entities={e.entity: {"records": e.records, "content_sha256": e.content_sha256, "money_totals": dict(e.money_totals), "version": e.version} for e in c.entities},
                issues_by_severity=dict(c.issues_by_severity))
    want = exp.receipt
    if want is None:
        return seen
    if payload.get("content_sha256") != want.content_sha256:
        diffs.append(f"报送摘要 submission digest {payload.get('content_sha256')!r}，应为 should be {want.content_sha256!r}")
    signed = {e.get("entity"): e for e in payload.get("entities") or [] if isinstance(e, dict)}
    if set(signed) != {e.entity for e in want.entities} or set(seen["entities"]) != set(signed):
        diffs.append(f"回执的实体 receipt entities {sorted(signed)}，应为 should be {sorted(e.entity for e in want.entities)}")
    for e in want.entities:
        for where, got in (("payload", signed.get(e.entity)), ("content", seen["entities"].get(e.entity))):
            if got is None:
                continue
            if got.get("records") != e.records:
                diffs.append(f"{where} {e.entity} 记录数 records {got.get('records')}，应为 should be {e.records}")
            if got.get("content_sha256") != e.content_sha256:
                diffs.append(f"{where} {e.entity} 摘要 digest {got.get('content_sha256')}，应为 should be {e.content_sha256}")
            money = got.get("money_totals") or {}
            for f in sorted(set(money) | set(e.money_totals)):
                if money.get(f, "0.00") != e.money_totals.get(f, "0.00"):
                    diffs.append(f"{where} {e.entity}.{f} 金额合计 money total {money.get(f)}，应为 should be {e.money_totals.get(f)}")
    got_sev = {k: int(v) for k, v in (payload.get("issues_by_severity") or {}).items()}
    for sev in sorted(set(got_sev) | set(want.issues_by_severity)):
        if got_sev.get(sev, 0) != want.issues_by_severity.get(sev, 0):
            diffs.append(f"回执问题数 issues {sev}: {got_sev.get(sev, 0)}，应为 should be {want.issues_by_severity.get(sev, 0)}")
    return seen


def _findings(session: GatewaySession, credential: str, submission_id: str, exp: StepExpected, diffs: list[str]) -> list[dict]:
    pb = _pb()
    ch, meta = session.channel(credential)
    resp = _stub(ch).GetSubmission(pb.GetSubmissionRequest(submission_id=submission_id), metadata=meta, timeout=TIMEOUT)
    try:
        report = json.loads(resp.report_json)
        issues = [{k: i.get(k) for k in ("rule", "file", "row", "field")} for i in report.get("issues") or []]
    except (ValueError, AttributeError):
        diffs.append("GetSubmission 的 report_json 不是校验报告 JSON / GetSubmission's report_json is not a validation report")
        return []
    key = lambda i: (i["rule"], i["file"], i["row"], i["field"])  # noqa: E731
    got = Counter(key(i) for i in issues)
    want = Counter()
    for i in exp.issues or []:
        want[(i.rule, i.file, i.row, i.field)] += i.times
    for k in sorted(want - got, key=str):
        diffs.append(f"报告缺少问题 missing finding {k}")
    for k in sorted(got - want, key=str):
        diffs.append(f"报告多出问题 unexpected finding {k}")
    return issues


def _versions(session: GatewaySession, credential: str, step: SubmitStep) -> list:
    pb = _pb()
    ch, meta = session.channel(credential)
    h = step.header
    return list(_stub(ch).ListVersions(pb.ListVersionsRequest(mof_div_code=h.mof_div_code, fiscal_year=h.fiscal_year, period=h.period), metadata=meta, timeout=TIMEOUT).versions)


def run_case(session: GatewaySession, case: SubmitCase, folder: Path) -> Outcome:
    """Send the case's steps in order; every difference from the expectation is reported."""
    ep = session.endpoint()
    nonce = secrets.token_hex(4)  # this run of the case: its keys are new to the gateway
    diffs: list[str] = []
    actual_steps: list[dict] = []
    answers: list[Answer] = []
    seen_receipts: list[dict] = []
    observer = case.input.observer
    for n, (step, exp) in enumerate(zip(case.input.steps, case.expected.steps), 1):
        here: list[str] = []
        try:
            _step(session, case, folder, n, step, exp, observer, ep, nonce, answers, seen_receipts, actual_steps, here)
        except grpc.RpcError as exc:  # a call the checks need failed: the gateway is judged by it
            here.append(f"调用失败 a call failed: {exc.code().name if hasattr(exc, 'code') else exc}: {exc.details() if hasattr(exc, 'details') else ''}")
        diffs += [f"第 {n} 步 step {n}: {d}" for d in here]
        if len(answers) < n:  # the Submit itself could not be judged: later steps depend on it
            break
        while len(seen_receipts) < n:
            seen_receipts.append({})
            actual_steps.append({"outcome": answers[-1].outcome, "status": answers[-1].status})
    return Outcome(not diffs, diffs, {"steps": actual_steps})


def _step(session: GatewaySession, case: SubmitCase, folder: Path, n: int, step: SubmitStep, exp: StepExpected, observer: str | None, ep: Endpoint, nonce: str,
          answers: list[Answer], seen_receipts: list[dict], actual_steps: list[dict], here: list[str]) -> None:
    from jincai.standard import standard

    key = f"cf-{nonce}-{case.number}-{step.key}"
    msgs = requests(step, folder, key, standard().version, ep.max_message_bytes)
    before = _count(session, observer, step) if exp.stores_nothing and observer else None
    ch, meta = session.channel(step.credential)
    call = ch.stream_unary(SUBMIT, request_serializer=None, response_deserializer=_pb().SubmitResponse.FromString)
    try:
        resp = call(iter(msgs), metadata=meta, timeout=TIMEOUT)
        ans = Answer("OK", receipt=resp.receipt, replayed=resp.replayed)
    except grpc.RpcError as exc:
        ans = _error_answer(exc)
    answers.append(ans)
    got: dict[str, Any] = {"outcome": ans.outcome, "status": ans.status, "reason": ans.reason}
    if ans.outcome != exp.outcome:
        here.append(f"结果 outcome {ans.outcome}，应为 should be {exp.outcome}（{ans.status} {ans.reason or ''} {ans.message[:160]}）")
    if ans.status != exp.status:
        here.append(f"gRPC 状态 status {ans.status}，应为 should be {exp.status}")
    if exp.reason is not None and ans.reason != exp.reason:
        here.append(f"ErrorInfo.reason {ans.reason!r}，应为 should be {exp.reason!r}")
    if exp.outcome == "rejected" and ans.outcome == "rejected":
        if ans.metadata.get("gateway_code") != "submission-rejected":
            here.append(f"ErrorInfo.metadata.gateway_code {ans.metadata.get('gateway_code')!r}，应为 should be 'submission-rejected'")
        rules = {i.rule for i in exp.issues or []}
        if rules and ans.reason not in rules:
            here.append(f"ErrorInfo.reason {ans.reason!r} 不是预期问题的规则之一 is not one of the expected findings' rules {sorted(rules)}")
    seen: dict = {}
    if ans.receipt is not None and ans.outcome == exp.outcome and exp.outcome in ("accepted", "rejected"):
        seen = _check_receipt(session, step.credential, ans.receipt, exp, step, key, here)
        got["receipt"] = seen
        if exp.issues is not None and seen.get("submission_id"):
            got["issues"] = _findings(session, step.credential, seen["submission_id"], exp, here)
    if exp.replayed is not None and ans.outcome == "accepted" and ans.replayed != exp.replayed:
        here.append(f"replayed {ans.replayed}，应为 should be {exp.replayed}")
    if exp.same_receipt_as:
        first = answers[exp.same_receipt_as - 1].receipt
        if first is None or ans.receipt is None or (first.payload, first.signature) != (ans.receipt.payload, ans.receipt.signature):
            here.append(f"回执与第 {exp.same_receipt_as} 步的不同 / the receipt differs from step {exp.same_receipt_as}'s")
    if exp.supersedes and seen:
        here += _check_supersedes(session, observer or step.credential, step, seen, [seen_receipts[i - 1] for i in exp.supersedes])
    if before is not None:
        after = _count(session, observer, step)
        got["stored"] = after - before
        if after != before:
            here.append(f"报送清单由 {before} 变为 {after}：不应存储 / the region's submissions went from {before} to {after}: nothing should be stored")
    seen_receipts.append(seen)
    actual_steps.append(got)


def _check_supersedes(session: GatewaySession, credential: str, step: SubmitStep, seen: dict, earlier: list[dict]) -> list[str]:
    out = []
    ids = [e.get("submission_id") for e in earlier]
    if sorted(seen.get("supersedes") or []) != sorted(i for i in ids if i):
        out.append(f"回执 supersedes {seen.get('supersedes')}，应为 should be {ids}")
    for e in earlier:
        for entity, info in (e.get("entities") or {}).items():
            now = (seen.get("entities") or {}).get(entity)
            if now and now["version"] != info["version"] + 1:
                out.append(f"{entity} 版本 version {now['version']}，应为 should be {info['version'] + 1}（原为 was {info['version']}）")
    rows = _versions(session, credential, step)
    by_sub = {(r.submission_id, r.entity): r for r in rows}
    for e in earlier:
        for entity in e.get("entities") or {}:
            r = by_sub.get((e.get("submission_id"), entity))
            if r is None:
                out.append(f"ListVersions 中没有原报送 {e.get('submission_id')} 的 {entity}：历史未保留 / history lost")
            elif r.superseded_by != seen.get("submission_id") or not r.valid_to:
                out.append(f"ListVersions: {entity} v{r.version} superseded_by {r.superseded_by!r} valid_to {r.valid_to!r}，应为 should be {seen.get('submission_id')!r}")
        for entity in seen.get("entities") or {}:
            r = by_sub.get((seen.get("submission_id"), entity))
            if r is None or r.valid_to:
                out.append(f"ListVersions: 新版本 {entity} 应为当前版本 / the new version of {entity} should be current")
    return out
