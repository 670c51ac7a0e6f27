"""The gateway's data folder and settings.

``jincai gateway serve`` with no arguments uses ``./jincai-gateway-data`` and creates what is
missing on first start, so it just works:

    <data>/gateway.duckdb          the embedded store (unless --store names a PostgreSQL URL)
    <data>/tls/ca.pem, ca.key      the local CA (clients trust ca.pem)
    <data>/tls/server.pem, .key    the server certificate (localhost, 127.0.0.1, ::1, --host names)
    <data>/keys/receipt-ed25519.pem, .pub.pem   the receipt signing key and its public half
    <data>/auth/credentials.json   tokens (hashes only) and client certificates, with revocations
    <data>/audit/audit.jsonl       the hash-chained audit log
    <data>/spool/                  submissions being received (emptied on start)

Limits (message size, records and bytes per submission, concurrent submissions per region) are
rows of ``jincai.limits`` (``gateway_*``), set by ``JINCAI_LIMIT_GATEWAY_…`` or ``--limit NAME=N``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA = Path("jincai-gateway-data")
DEFAULT_PORT = 50443


@dataclass
class GatewayConfig:
    data: Path = DEFAULT_DATA
    store: str | None = None  # PostgreSQL URL; None = <data>/gateway.duckdb
    pg_schema: str | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT  # TLS, bearer tokens; 0 = any free port (printed and written to <data>/port)
    mtls_port: int = DEFAULT_PORT + 1  # mutual TLS, client certificates required; 0 = any free port
    server_names: list[str] = field(default_factory=list)  # extra names for the server certificate
    workers: int = 16
    max_issues: int = 1000  # issues listed in a report (all are counted)
    validation_threads: int = 2  # DuckDB threads per validation

    @property
    def tls(self) -> Path:
        return self.data / "tls"

    @property
    def signing_key(self) -> Path:
        return self.data / "keys" / "receipt-ed25519.pem"

    @property
    def credentials(self) -> Path:
        return self.data / "auth" / "credentials.json"

    @property
    def audit_log(self) -> Path:
        return self.data / "audit" / "audit.jsonl"

    @property
    def spool(self) -> Path:
        return self.data / "spool"

    @property
    def store_target(self) -> str:
        return self.store or str(self.data / "gateway.duckdb")
