"""The gRPC service ``jincai.ingest.v1.IngestService`` over TLS, with health checking and reflection.

Every RPC authenticates the caller (``auth``), checks what it may do, and writes the outcome to the
audit log — denials included — before answering. Errors are ``GatewayError``s turned into gRPC
statuses with google.rpc details (``errors``). ``serve(config)`` starts everything from the data
folder, creating the CA, the server certificate and the receipt key on first start; stale spool
folders of a killed predecessor are removed, so a restart needs no repair.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import threading
import traceback
from concurrent import futures
from contextlib import contextmanager
from typing import Iterator

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from jincai import limits
from jincai.errors import JincaiError
from jincai.gateway import auth
from jincai.gateway.audit import AuditLog, mask_peer
from jincai.gateway.ca import CA
from jincai.gateway.config import GatewayConfig
from jincai.gateway.errors import GatewayError
from jincai.gateway.ingest import MALFORMED, Ingestor
from jincai.gateway.receipts import Signer, public_pem
from jincai.gateway.store import Store, open_store
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2 as pb
from jincai.proto_gen.jincai.ingest.v1 import ingest_pb2_grpc as pb_grpc

SERVICE = pb.DESCRIPTOR.services_by_name["IngestService"].full_name
STATUS = {"accepted": pb.SUBMISSION_STATUS_ACCEPTED, "rejected": pb.SUBMISSION_STATUS_REJECTED}


def _iso(t) -> str:
    return t.isoformat(timespec="microseconds").replace("+00:00", "Z") if t is not None else ""


def receipt_message(row: dict) -> pb.Receipt:
    content = json.loads(row["receipt_payload"])
    rc = pb.ReceiptContent(
        submission_id=content["submission_id"], idempotency_key=content["idempotency_key"], mof_div_code=content["mof_div_code"],
        fiscal_year=content["fiscal_year"], period=content["period"], status=STATUS[content["status"]],
        content_sha256=content["content_sha256"], issues_by_severity=content["issues_by_severity"],
        versions=pb.Versions(**content["versions"]), server_time=content["server_time"], supersedes=content["supersedes"],
        product_name=content["product_name"], product_version=content["product_version"],
        entities=[pb.EntityTotals(**e) for e in content["entities"]],
    )  # fmt: skip
    return pb.Receipt(payload=row["receipt_payload"].encode("utf-8"), signature=base64.b64decode(row["receipt_signature"]), key_id=row["receipt_key_id"], content=rc)


def summary_message(row: dict) -> pb.SubmissionSummary:
    return pb.SubmissionSummary(
        submission_id=row["submission_id"], mof_div_code=row["mof_div_code"], fiscal_year=row["fiscal_year"], period=row["period"],
        status=STATUS[row["status"]], committed_at=_iso(row["committed_at"]), records=row["records"], content_sha256=row["content_sha256"],
        issues_by_severity={"fatal": row["issues_fatal"], "error": row["issues_error"], "warning": row["issues_warning"]},
    )  # fmt: skip


class IngestService(pb_grpc.IngestServiceServicer):
    def __init__(self, cfg: GatewayConfig, store: Store, creds: auth.Credentials, audit: AuditLog, signer: Signer) -> None:
        self.cfg, self.store, self.creds, self.audit, self.signer = cfg, store, creds, audit, signer
        self.ingestor = Ingestor(store, signer, cfg.spool, cfg.max_issues, cfg.validation_threads)

    # -- the frame every RPC runs in -----------------------------------------------------------
    @contextmanager
    def _call(self, rpc: str, context: grpc.ServicerContext) -> Iterator[dict]:
        """Authenticate; on the way out write the audit entry; turn errors into gRPC statuses."""
        note: dict = {"rpc": rpc, "peer": mask_peer(context.peer())}
        try:
            try:
                p = auth.authenticate(self.creds, dict(context.invocation_metadata()), context.auth_context())
                note.update(principal=p.label, role=p.role, principal_region=p.region, p=p)
                yield note
                note["outcome"] = note.get("outcome", "ok")
            except GatewayError:
                raise
            except JincaiError as exc:
                raise GatewayError(exc.code, exc.message_zh, exc.message_en, exc.location) from None
            except grpc.RpcError:
                raise GatewayError("client-cancelled") from None
            except Exception as exc:  # noqa: BLE001 - reported as internal, the traceback to the operator
                print(f"jincai gateway: internal error in {rpc}: {type(exc).__name__}: {exc}", file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
                raise GatewayError("internal") from None
        except GatewayError as err:
            denied = err.status in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
            note["outcome"] = "denied" if denied else ("rejected" if err.metadata.get("gateway_code") == "submission-rejected" else "error")
            note["code"] = err.code
            note["location"] = err.location
            self._audit(note)
            context.abort_with_status(err.to_status())
        self._audit(note)

    @staticmethod
    def _parsed(request) -> None:
        if request is MALFORMED:
            raise GatewayError("message-malformed", location="message 1")

    def _audit(self, note: dict) -> None:
        fields = {k: v for k, v in note.items() if k != "p"}
        self.audit.append(**fields)

    def _readable(self, p: auth.Principal, region: str, note: dict) -> None:
        note["region"] = region
        if not auth.may_read(p, region):
            raise GatewayError("permission-region", f"{p.role}@{p.region} 不能读取区划 {region}", f"{p.role}@{p.region} may not read region {region}", "mof_div_code")

    def _own_submission(self, p: auth.Principal, submission_id: str, note: dict) -> dict:
        note["submission_id"] = submission_id[:100]
        row = self.store.get(submission_id)
        if row is None:
            raise GatewayError("submission-not-found", location="submission_id")
        note["region"] = row["mof_div_code"]
        if not auth.may_read(p, row["mof_div_code"]):
            raise GatewayError("permission-region", f"{p.role}@{p.region} 不能读取区划 {row['mof_div_code']} 的报送", f"{p.role}@{p.region} may not read submissions of region {row['mof_div_code']}", "submission_id")
        return row

    # -- RPCs ------------------------------------------------------------------------------------
    def Submit(self, request_iterator, context):
        with self._call("Submit", context) as note:

            def on_header(h) -> None:
                note.update(region=h.region, period=h.period, idempotency_key=h.key[:128])

            outcome = self.ingestor.submit(note["p"], request_iterator, context.is_active, on_header)
            row = outcome.row
            note.update(submission_id=row["submission_id"], status=row["status"], replayed=outcome.replayed)
            receipt = receipt_message(row)
            if row["status"] == "rejected":
                report = json.loads(row["report_json"])
                by_rule = report["summary"]["by_rule"]
                rule = by_rule[0]["rule"] if by_rule else "submission-rejected"
                raise GatewayError(
                    rule,
                    f"报送 {row['submission_id']} 未通过校验，已隔离：致命 {row['issues_fatal']}、错误 {row['issues_error']}、警告 {row['issues_warning']}；用 GetSubmission 取报告",
                    f"submission {row['submission_id']} failed validation and is quarantined: fatal {row['issues_fatal']}, error {row['issues_error']}, warning {row['issues_warning']}; GetSubmission gives the report",
                    metadata={"gateway_code": "submission-rejected", "submission_id": row["submission_id"], "replayed": str(outcome.replayed).lower()},
                    status=grpc.StatusCode.FAILED_PRECONDITION,
                    extra=[receipt],
                )
            return pb.SubmitResponse(receipt=receipt, replayed=outcome.replayed)

    def GetReceipt(self, request, context):
        with self._call("GetReceipt", context) as note:
            self._parsed(request)
            row = self._own_submission(note["p"], request.submission_id, note)
            return pb.GetReceiptResponse(receipt=receipt_message(row))

    def GetSubmission(self, request, context):
        with self._call("GetSubmission", context) as note:
            self._parsed(request)
            row = self._own_submission(note["p"], request.submission_id, note)
            return pb.GetSubmissionResponse(submission=summary_message(row), report_json=row["report_json"])

    def ListSubmissions(self, request, context):
        with self._call("ListSubmissions", context) as note:
            self._parsed(request)
            p = note["p"]
            if request.mof_div_code:
                self._readable(p, request.mof_div_code, note)
                regions = auth.regions.subtree(request.mof_div_code) if request.include_subordinates else [request.mof_div_code]
            else:
                regions = auth.readable(p)
            size = min(max(request.page_size or 100, 1), 1000)
            try:
                offset = int(base64.urlsafe_b64decode(request.page_token.encode()).decode()) if request.page_token else 0
            except ValueError:
                raise GatewayError("page-token-invalid", location="page_token") from None
            rows = self.store.list(regions, request.fiscal_year, request.period, size + 1, offset)
            token = base64.urlsafe_b64encode(str(offset + size).encode()).decode() if len(rows) > size else ""
            return pb.ListSubmissionsResponse(submissions=[summary_message(r) for r in rows[:size]], next_page_token=token)

    def ListVersions(self, request, context):
        with self._call("ListVersions", context) as note:
            self._parsed(request)
            self._readable(note["p"], request.mof_div_code, note)
            rows = self.store.versions(request.mof_div_code, request.fiscal_year, request.period, request.entity)
            return pb.ListVersionsResponse(
                versions=[
                    pb.DataVersion(
                        entity=r["entity"], version=r["version"], submission_id=r["submission_id"], valid_from=_iso(r["valid_from"]),
                        valid_to=_iso(r["valid_to"]), superseded_by=r["superseded_by"] or "", records=r["records"],
                    )  # fmt: skip
                    for r in rows
                ]
            )

    def GetConsolidatedReport(self, request, context):
        from jincai.datacenter import consolidate, position, wire

        with self._call("GetConsolidatedReport", context) as note:
            self._parsed(request)
            self._readable(note["p"], request.mof_div_code, note)
            note["period"] = request.period[:20]
            at = position.parse_as_of(request.as_of) if request.as_of else None
            return wire.consolidation_message(consolidate.consolidate(self.store, request.mof_div_code, request.period, at))

    def GetFiscalPosition(self, request, context):
        from jincai.datacenter import position, wire

        with self._call("GetFiscalPosition", context) as note:
            self._parsed(request)
            self._readable(note["p"], request.mof_div_code, note)
            at = position.parse_as_of(request.as_of) if request.as_of else None
            on = position.parse_date(request.date)
            found = position.position(self.store, request.mof_div_code, at, request.fiscal_year or None, request.include_indicators, on)
            return wire.position_message(found)

    def GetSigningKey(self, request, context):
        with self._call("GetSigningKey", context):
            self._parsed(request)
            return pb.GetSigningKeyResponse(key_id=self.signer.key_id, public_key_pem=public_pem(self.signer.public))


def _handlers(service: IngestService) -> grpc.GenericRpcHandler:
    """The service's handlers, with request parsing that turns bytes which are not the expected
    message into ``MALFORMED`` (answered as ``message-malformed``) instead of gRPC's bare INTERNAL."""

    def tolerant(message_class):
        def parse(data: bytes):
            try:
                return message_class.FromString(data)
            except Exception:  # noqa: BLE001 - any undecodable message
                return MALFORMED

        return parse

    methods = {}
    for method in pb.DESCRIPTOR.services_by_name["IngestService"].methods:
        request = getattr(pb, method.input_type.name)
        response = getattr(pb, method.output_type.name)
        behaviour = getattr(service, method.name)
        make = grpc.stream_unary_rpc_method_handler if method.client_streaming else grpc.unary_unary_rpc_method_handler
        methods[method.name] = make(behaviour, request_deserializer=tolerant(request), response_serializer=response.SerializeToString)
    return grpc.method_handlers_generic_handler(SERVICE, methods)


class Gateway:
    """A running gateway: ``port`` is the bound port; ``stop()`` shuts it down."""

    def __init__(self, cfg: GatewayConfig) -> None:
        self.cfg = cfg
        cfg.data.mkdir(parents=True, exist_ok=True)
        ca = CA(cfg.tls)
        if not ca.exists:
            ca.init(cfg.server_names)
        shutil.rmtree(cfg.spool, ignore_errors=True)  # what a killed predecessor was receiving: never acknowledged
        cfg.spool.mkdir(parents=True)
        self.store = open_store(cfg.store_target, cfg.pg_schema)
        if self.store.kind == "duckdb":  # a long-running process: its buffer pool must not grow with the store
            from jincai.gateway.store.duckdb import DEFAULT_MEMORY_LIMIT

            self.store.limit_memory(os.environ.get("JINCAI_GATEWAY_STORE_MEMORY") or DEFAULT_MEMORY_LIMIT)
        self.audit = AuditLog(cfg.audit_log)
        self.signer = Signer(cfg.signing_key)
        self.creds = auth.Credentials(cfg.credentials)
        max_message = limits.limit("gateway_message_bytes")
        self.server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=cfg.workers, thread_name_prefix="gateway"),
            options=[("grpc.max_receive_message_length", max_message), ("grpc.max_send_message_length", 64 << 20)],
            maximum_concurrent_rpcs=cfg.workers * 4,
        )
        self.server.add_generic_rpc_handlers((_handlers(IngestService(cfg, self.store, self.creds, self.audit, self.signer)),))
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection((SERVICE, health.SERVICE_NAME, reflection.SERVICE_NAME), self.server)
        # two listeners: gRPC's Python API either requires a client certificate or never asks for
        # one, so bearer tokens come over plain TLS and certificates over a mutual-TLS port
        key_pair = [(ca.pem("server.key"), ca.pem("server.pem"))]
        tls = grpc.ssl_server_credentials(key_pair)
        mtls = grpc.ssl_server_credentials(key_pair, root_certificates=ca.pem("ca.pem"), require_client_auth=True)
        self.port = self.server.add_secure_port(f"{cfg.host}:{cfg.port}", tls)
        self.mtls_port = self.server.add_secure_port(f"{cfg.host}:{cfg.mtls_port}", mtls)
        if not self.port or not self.mtls_port:
            raise JincaiError("gateway-port", f"无法监听 {cfg.host}:{cfg.port}/{cfg.mtls_port}", f"cannot listen on {cfg.host}:{cfg.port}/{cfg.mtls_port}")

    def start(self) -> "Gateway":
        self.server.start()
        self._warm = threading.Thread(target=_warm_up, args=(self.cfg.spool,), name="gateway-warm-up", daemon=True)
        self._warm.start()
        for name in ("", SERVICE):
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        (self.cfg.data / "port").write_text(f"{self.port} {self.mtls_port}\n")
        return self

    def stop(self, grace: float | None = 2.0) -> None:
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self._warm.join(60)  # DuckDB must not be running in a thread when the interpreter exits
        self.store.close()
        self.audit.close()

    def wait(self) -> None:
        self.server.wait_for_termination()


def _warm_up(spool) -> None:
    """Load the rule catalogue and code lists and run the validator once on a one-record file, so
    the first submission after a (re)start does not pay for it."""
    import tempfile

    from jincai.validation.engine import validate

    try:
        with tempfile.TemporaryDirectory(dir=spool, prefix="warm-up-") as tmp:
            path = f"{tmp}/agency.jsonl"
            with open(path, "w", encoding="utf-8") as fh:
                fh.write('{"mof_div_code":"130000000"}\n')
            validate([path], year=2024, max_issues=1)
    except Exception as exc:  # noqa: BLE001 - a warm-up failure only costs time; say so
        print(f"jincai gateway: warm-up failed: {type(exc).__name__}: {exc}", file=sys.stderr)


def serve(cfg: GatewayConfig, ready: threading.Event | None = None) -> Gateway:
    gw = Gateway(cfg).start()
    if ready:
        ready.set()
    return gw
