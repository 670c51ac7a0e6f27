"""jincai as a product under test: the reference harness (``python -m jincai.conformance.reference_harness``).

It answers the harness protocol (``protocol.py``) with jincai's own components — ``validate()``
for validate, the adapter engine with the case's profile for translate, ``reference_producer`` for
produce, and for the gateway profile jincai's own gateway (``gateway_start``: an embedded DuckDB
store, a local CA and a receipt key in a temporary folder, on free ports; ``gateway_credential``:
tokens or client certificates issued, and revoked, with the gateway's own credential store; the
gateway stops at ``shutdown``) — and must pass every case of every profile it declares.

``--mutant NAME`` runs a deliberately faulty variant (``mutants.py``): a rule disabled through
``validate(disabled_rules=…)``, an adapter transform made wrong, money rounded to yuan, a lenient
date check… The faults live in this harness process only, never in the product's code paths.
``--certificate NO`` is the certificate number its producer writes into envelopes.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import traceback
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

import jincai
from jincai import paths
from jincai.conformance.protocol import PROTOCOL, error_response
from jincai.errors import JincaiError

PRODUCT = {"vendor": "金财项目 jincai project", "name": "金财参考实现 jincai reference product", "version": jincai.__version__}
PROFILES = ["validator", "adapter", "producer", "auditor", "gateway"]
#: the message limit the reference gateway runs with in conformance runs (small, so the oversize
#: case sends 1 MiB, not the default 16 MiB)
GATEWAY_MESSAGE_BYTES = 1 << 20


@lru_cache(maxsize=1)
def build_digest() -> str:
    """What makes this product behave as it does: the engine's code and the content it reads."""
    from jincai.conformance.suite import manifest_digest, tree_files

    files = {}
    for top in ("jincai", "standards", "validators", "adapters"):
        files.update({f"{top}/{rel}": sha for rel, sha in tree_files(paths.HOME / top).items() if not rel.endswith((".pyc",))})
    return manifest_digest(files)


def features() -> list[str]:
    systems = [f"system.{p.parent.name}" for p in sorted(paths.ADAPTERS.glob("*/profile.yaml"))]
    return sorted(["input.csv", "input.parquet", "input.avro", "system.conformance_csv_agency", "system.conformance_csv_payroll", "system.conformance_csv_vouchers", *systems])


class Reference:
    def __init__(self, mutant: str | None = None, certificate: str | None = None, switchable: bool = False):
        self._con = None  # one DuckDB connection for the whole run: code-list tables are built once
        self.mutant = None
        self._undo_gateway = lambda: None  # a gateway mutant's patch, undone when another is chosen
        self.switchable = switchable  # --mutants: the mutation runner switches mutants with `mutate`
        if mutant:
            self.mutate({"mutant": mutant})
        self.certificate = certificate
        self._gateway = None  # (Gateway, its temporary data folder) once gateway_start ran

    def mutate(self, msg: dict) -> dict:
        """Not part of the protocol for products: only this harness, started with --mutants."""
        from jincai.conformance.mutants import mutant_by_name

        self._undo_gateway()
        self.mutant = mutant_by_name(msg["mutant"]) if msg.get("mutant") else None
        self._undo_gateway = self.mutant.apply_gateway() if self.mutant else (lambda: None)
        return {"mutant": msg.get("mutant")}

    # -- operations -------------------------------------------------------------------------------

    def describe(self, msg: dict) -> dict:
        return {"protocol": PROTOCOL, "product": {**PRODUCT, "build_digest": build_digest()}, "profiles": PROFILES, "features": features()}

    def validate(self, msg: dict) -> dict:
        from jincai.validation.engine import validate

        disabled = self.mutant.disabled_rules if self.mutant else ()
        con = self._connection()
        try:
            report = validate([Path(f) for f in msg["files"]], year=msg.get("year"), max_issues=None, disabled_rules=disabled, con=con)
        finally:
            _forget_submission(con)
        issues = [
            {"rule": i.rule, "severity": i.severity, "file": Path(i.file).name if i.file else None, "row": i.row, "field": i.field,
             "value": i.value, "message_zh": i.message_zh, "message_en": i.message_en}
            for i in report.issues
        ]
        if self.mutant:
            issues = self.mutant.after_validate(issues)
        return {"passed": not any(i["severity"] in ("error", "fatal") for i in issues), "issues": issues}

    def _connection(self):
        from jincai.validation.engine import connect

        if self._con is None:
            self._con = connect()
        return self._con

    def translate(self, msg: dict) -> dict:
        from jincai.adapters.engine import translate
        from jincai.adapters.profile import load_profile

        out = Path(msg["out"])
        profile = load_profile(Path(msg["profile"]))
        with self.mutant.translate_patch() if self.mutant else nullcontext():
            ledger = translate(profile, [Path(p) for p in msg["inputs"]], out)
        answer = self._ledger_answer(out, ledger)
        return self.mutant.after_translate(answer) if self.mutant else answer

    def _ledger_answer(self, out: Path, ledger) -> dict:
        summary = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
        with open(out / "ledger_rows.csv", encoding="utf-8-sig", newline="") as fh:
            trail = list(csv.reader(fh))[1:]
        rejected = [{"file": Path(r[0]).name, "sheet": r[1] or None, "row": int(r[2]), "reasons": r[6].split(" | ") if r[6] else []} for r in trail if r[3] == "rejected"]
        records = {e: f"{e}.jsonl" for e in sorted(ledger.records_written)}
        return {
            "records": records,
            "ledger": {
                "rows": summary["rows"],
                "records": summary["records"],
                "rejected": rejected,
                "money": [{k: m[k] for k in ("entity", "field", "source_total", "translated_total", "rejected_total")} for m in summary["money"]],
            },
        }

    def produce(self, msg: dict) -> dict:
        from jincai.conformance.reference_producer import canonical_line, produce

        line = self.mutant.producer_line(canonical_line) if self.mutant else canonical_line
        files = produce(Path(msg["scenario"]), Path(msg["out"]), PRODUCT, self.certificate, line=line)
        return {"files": files}

    def gateway_start(self, msg: dict) -> dict:
        """jincai's gateway for this run: embedded store, local CA, receipt key, free ports."""
        import tempfile

        from jincai import limits
        from jincai.gateway.config import GatewayConfig
        from jincai.gateway.server import Gateway

        if self._gateway is None:
            limits.configure(gateway_message_bytes=GATEWAY_MESSAGE_BYTES)
            data = Path(tempfile.mkdtemp(prefix="jincai-conformance-gateway-"))
            gw = Gateway(GatewayConfig(data=data, port=0, mtls_port=0, workers=8)).start()
            self._gateway = (gw, data)
        gw, data = self._gateway
        return {
            "target": f"localhost:{gw.port}", "mtls_target": f"localhost:{gw.mtls_port}", "ca_pem": (data / "tls" / "ca.pem").read_text(),
            "max_message_bytes": GATEWAY_MESSAGE_BYTES,
        }

    def gateway_credential(self, msg: dict) -> dict:
        """A credential for a case role, issued (and revoked, for ``state: revoked``) by the gateway."""
        from jincai.gateway.auth import Credentials
        from jincai.gateway.ca import CA

        if self._gateway is None:
            raise JincaiError("gateway-not-started", "请先 gateway_start", "gateway_start first", "op")
        gw, _ = self._gateway
        creds = Credentials(gw.cfg.credentials)
        if msg.get("kind", "token") == "cert":
            key, cert, serial = CA(gw.cfg.tls).issue_client(msg["role"], msg["region"])
            creds.record_cert(serial, msg["role"], msg["region"])
            if msg.get("state") == "revoked":
                creds.revoke("cert", format(serial, "x"))
            return {"cert_pem": cert.decode(), "key_pem": key.decode()}
        tid, token = creds.issue_token(msg["role"], msg["region"])
        if msg.get("state") == "revoked":
            creds.revoke("token", tid)
        return {"token": token}

    def close(self) -> None:
        import shutil

        if self._gateway is not None:
            gw, data = self._gateway
            self._gateway = None
            gw.stop(grace=1)
            shutil.rmtree(data, ignore_errors=True)

    # -- the loop ---------------------------------------------------------------------------------

    def handle(self, msg: Any) -> dict:
        if not isinstance(msg, dict) or "id" not in msg:
            return error_response(None, "bad-request", "请求应为带 id 的 JSON 对象", "a request is a JSON object with an id")
        op = msg.get("op")
        ops = {"describe": self.describe, "validate": self.validate, "translate": self.translate, "produce": self.produce,
               "gateway_start": self.gateway_start, "gateway_credential": self.gateway_credential}
        if self.switchable:
            ops["mutate"] = self.mutate
        fn = ops.get(op)
        if fn is None:
            return error_response(msg["id"], "unknown-operation", f"不支持的操作 {op!r}", f"unsupported operation {op!r}")
        try:
            return {"id": msg["id"], "ok": True, **fn(msg)}
        except JincaiError as exc:
            return error_response(msg["id"], exc.code, exc.message_zh, exc.message_en, exc.location)
        except Exception as exc:  # noqa: BLE001 — a jincai bug: answer, log the traceback, keep serving
            traceback.print_exc(file=sys.stderr)
            return error_response(msg["id"], "internal-error", f"参考实现内部错误：{type(exc).__name__}: {exc}", f"internal error of the reference product: {type(exc).__name__}: {exc}")


def _forget_submission(con) -> None:
    """Drop what staging left (stage tables, entity views) so no case sees the one before."""
    from jincai.validation.staging import SCHEMA

    for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall():
        con.execute(f'DROP VIEW IF EXISTS "{name}"')
    con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def serve(ref: Reference, stdin=None, stdout=None) -> None:
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout
    for raw in stdin:
        try:
            msg = json.loads(raw)
        except ValueError:
            resp = error_response(None, "bad-json", "请求不是 JSON", "the request is not JSON")
        else:
            if isinstance(msg, dict) and msg.get("op") == "shutdown":
                stdout.write(json.dumps({"id": msg.get("id"), "ok": True}) + "\n")
                stdout.flush()
                return
            resp = ref.handle(msg)
        stdout.write(json.dumps(resp, ensure_ascii=False) + "\n")
        stdout.flush()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m jincai.conformance.reference_harness", description="jincai reference harness (JSON Lines on stdin/stdout)")
    ap.add_argument("--mutant", help="run a faulty variant (see jincai conformance mutants --list)")
    ap.add_argument("--mutants", action="store_true", help="accept `mutate` requests (the mutation runner switches mutants in one process)")
    ap.add_argument("--certificate", help="certificate number written into envelopes by produce")
    args = ap.parse_args(argv)
    protocol_out = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the protocol stream
    ref = Reference(args.mutant, args.certificate, args.mutants)
    try:
        serve(ref, stdout=protocol_out)
    finally:
        ref.close()  # a gateway started for the run stops with the harness


if __name__ == "__main__":
    main()
