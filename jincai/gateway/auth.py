"""Who is calling and what they may do.

Two ways to authenticate: a client certificate issued by the gateway's CA (mutual TLS; the role and
region are bound in the certificate, ``ca.py``) or a bearer token (``authorization: Bearer
jct.<id>.<secret>``). Tokens are stored only as SHA-256 hashes of their secret (a 256-bit random
value, so a plain hash is enough; comparison is constant-time); both kinds can be revoked, and the
server sees a revocation on the next call (it re-reads ``auth/credentials.json`` when it changes).

Roles:

* ``submitter`` — submits for its own ``mof_div_code`` only; reads its region and every region below
  (a county itself, a city itself and its counties, the province everything);
* ``reader`` — reads like a submitter, never writes;
* ``auditor`` — reads every region, never writes.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from jincai.errors import JincaiError
from jincai.gateway import ca, regions
from jincai.gateway.errors import GatewayError

ROLES = ("submitter", "reader", "auditor")


@dataclass(frozen=True)
class Principal:
    kind: str  # token | cert
    id: str  # token id or certificate serial (hex): never a person's name
    role: str
    region: str

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"


def may_write(p: Principal, region: str) -> bool:
    return p.role == "submitter" and region == p.region


def may_read(p: Principal, region: str) -> bool:
    return p.role == "auditor" or regions.within(region, p.region)


def readable(p: Principal) -> list[str] | None:
    """The regions ``p`` may read; None = every region."""
    return None if p.role == "auditor" else regions.subtree(p.region)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_binding(role: str, region: str) -> None:
    if role not in ROLES:
        raise JincaiError("gateway-role-unknown", f"未知角色 {role}；可选 {', '.join(ROLES)}", f"unknown role {role}; one of {', '.join(ROLES)}")
    if not regions.known(region):
        raise JincaiError("gateway-region-unknown", f"财政区划代码集中没有 {region}", f"{region} is not in the mof_div code list")


class Credentials:
    """``auth/credentials.json``: issued tokens (hashes) and certificates, with revocations."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._stamp: tuple[int, int] | None = None
        self._data: dict = {"tokens": [], "certs": []}
        self._lock = threading.Lock()

    # -- writing (the CLI) ----------------------------------------------------------------------
    @contextmanager
    def _editing(self) -> Iterator[dict]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(".credentials.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = ca.load_json(self.path, {"tokens": [], "certs": []})
            yield data
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)

    def issue_token(self, role: str, region: str) -> tuple[str, str]:
        """(token id, the token) — the token is shown once and never stored."""
        check_binding(role, region)
        tid = secrets.token_hex(6)
        secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        with self._editing() as data:
            data["tokens"].append({"id": tid, "sha256": _digest(secret), "role": role, "region": region, "issued_at": _now(), "revoked_at": None})
        return tid, f"jct.{tid}.{secret}"

    def record_cert(self, serial: int, role: str, region: str) -> None:
        with self._editing() as data:
            data["certs"].append({"serial": format(serial, "x"), "role": role, "region": region, "issued_at": _now(), "revoked_at": None})

    def revoke(self, kind: str, ident: str) -> None:
        key = "tokens" if kind == "token" else "certs"
        field = "id" if kind == "token" else "serial"
        ident = ident.lower()
        with self._editing() as data:
            for item in data[key]:
                if item[field] == ident:
                    item["revoked_at"] = item["revoked_at"] or _now()
                    return
        raise JincaiError("gateway-credential-unknown", f"没有编号为 {ident} 的{'令牌' if kind == 'token' else '证书'}", f"no {kind} with id {ident}")

    def listing(self) -> dict:
        return ca.load_json(self.path, {"tokens": [], "certs": []})

    # -- reading (the server) -------------------------------------------------------------------
    def _current(self) -> dict:
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._data = ca.load_json(self.path, {"tokens": [], "certs": []})
                self._stamp = stamp
            return self._data

    def by_token(self, token: str) -> Principal:
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != "jct":
            raise GatewayError("auth-token-invalid")
        for item in self._current()["tokens"]:
            if item["id"] == parts[1] and hmac.compare_digest(item["sha256"], _digest(parts[2])):
                if item.get("revoked_at"):
                    raise GatewayError("auth-token-revoked", metadata={"token_id": item["id"]})
                return Principal("token", item["id"], item["role"], item["region"])
        raise GatewayError("auth-token-invalid")

    def by_cert(self, cert_pem: bytes) -> Principal:
        bound = ca.binding(cert_pem)
        if bound is None:
            raise GatewayError("auth-cert-invalid")
        role, region, serial = bound
        sid = format(serial, "x")
        for item in self._current()["certs"]:
            if item["serial"] == sid:
                if item.get("revoked_at"):
                    raise GatewayError("auth-cert-revoked", metadata={"serial": sid})
                if role not in ROLES:
                    break
                return Principal("cert", sid, role, region)
        raise GatewayError("auth-cert-invalid", metadata={"serial": sid})


def authenticate(creds: Credentials, metadata: dict[str, str], auth_context: dict) -> Principal:
    """The caller: the bearer token if one is sent, else the TLS client certificate."""
    header = metadata.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise GatewayError("auth-token-invalid")
        return creds.by_token(token.strip())
    pems = auth_context.get("x509_pem_cert") or []
    if pems:
        return creds.by_cert(pems[0])
    raise GatewayError("auth-missing")
