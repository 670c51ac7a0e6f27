"""The registry of conformance certificates the data center has issued and revoked (data, not code).

``validators/registries/certificates.csv`` is maintained by the data center: one row per certificate
(``jincai conformance certify --registry`` appends the row of a certificate it issues; revoking one
sets ``status`` to ``revoked`` with the date and reason). The rule ``record.envelope-certificate``
checks each submission envelope's ``cert_no`` against it: the number must be issued, to the product,
version (and vendor, when given) the envelope names, valid on the day the envelope was created and not revoked by then.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from jincai import paths
from jincai.errors import JincaiError

COLUMNS = ("cert_no", "vendor", "product", "product_version", "status", "issued", "expires", "revoked_on", "reason", "note")
STATUSES = ("issued", "revoked")
DEFAULT = paths.VALIDATORS / "registries" / "certificates.csv"


@dataclass(frozen=True)
class RegisteredCertificate:
    cert_no: str
    vendor: str
    product: str
    product_version: str
    status: str
    issued: date
    expires: date
    revoked_on: date | None
    reason: str


def _bad(path: Path, line: int, zh: str, en: str) -> JincaiError:
    return JincaiError("certificate-registry-malformed", f"证书登记册有误：{zh}", f"the certificate registry is malformed: {en}", f"{path}:{line}")


def _date(path: Path, line: int, name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(path, line, f"{name} 应为 YYYY-MM-DD，实为 {text!r}", f"{name} must be YYYY-MM-DD, got {text!r}") from None


def load_registry(path: Path = DEFAULT) -> dict[str, RegisteredCertificate]:
    """cert_no → certificate; a malformed file is refused with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JincaiError("certificate-registry-unreadable", f"无法读取证书登记册：{exc}", f"cannot read the certificate registry: {exc}", str(path)) from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise _bad(path, 1, f"表头应为 {','.join(COLUMNS)}", f"the header must be {','.join(COLUMNS)}")
    out: dict[str, RegisteredCertificate] = {}
    for line, row in enumerate(rows[1:], 2):
        if len(row) != len(COLUMNS):
            raise _bad(path, line, f"应有 {len(COLUMNS)} 列，实有 {len(row)} 列", f"{len(COLUMNS)} columns expected, got {len(row)}")
        d = dict(zip(COLUMNS, row))
        if d["status"] not in STATUSES:
            raise _bad(path, line, f"status 应为 issued 或 revoked，实为 {d['status']!r}", f"status must be issued or revoked, got {d['status']!r}")
        if d["cert_no"] in out:
            raise _bad(path, line, f"证书编号 {d['cert_no']} 重复", f"the certificate number {d['cert_no']} is listed twice")
        revoked = _date(path, line, "revoked_on", d["revoked_on"]) if d["revoked_on"] else None
        if (d["status"] == "revoked") != (revoked is not None):
            raise _bad(path, line, "已撤销的证书必须且只有它才填写 revoked_on", "revoked_on is filled exactly for revoked certificates")
        out[d["cert_no"]] = RegisteredCertificate(
            cert_no=d["cert_no"], vendor=d["vendor"], product=d["product"], product_version=d["product_version"], status=d["status"],
            issued=_date(path, line, "issued", d["issued"]), expires=_date(path, line, "expires", d["expires"]), revoked_on=revoked,
            reason=d["reason"],
        )
    return out


@lru_cache(maxsize=4)
def registry(path: Path = DEFAULT) -> dict[str, RegisteredCertificate]:
    return load_registry(path)


def problem(cert_no: str, product: str, version: str, day: date, path: Path = DEFAULT, vendor: str | None = None) -> tuple[str, str, str] | None:
    """None when ``cert_no`` is a valid certificate of this product and version (and vendor, when
    the envelope names one) on ``day``; otherwise (what was expected, reason zh, reason en)."""
    cert = registry(path).get(cert_no)
    if cert is None:
        return "", "证书登记册中没有该编号", "the number is not in the certificate registry"
    if cert.revoked_on is not None and cert.revoked_on <= day:
        return f"revoked {cert.revoked_on}", f"该证书已于 {cert.revoked_on} 撤销（{cert.reason}）", f"the certificate was revoked on {cert.revoked_on} ({cert.reason})"
    if not cert.issued <= day <= cert.expires:
        return f"{cert.issued}..{cert.expires}", f"信封创建日 {day} 不在证书有效期 {cert.issued}—{cert.expires} 内", f"the envelope's day {day} is outside the validity {cert.issued}..{cert.expires}"
    if (cert.product, cert.product_version) != (product, version):
        return f"{cert.product} {cert.product_version}", (
            f"证书颁发给 {cert.product} {cert.product_version}，而信封写的是 {product} {version}"
        ), f"the certificate was issued to {cert.product} {cert.product_version}, the envelope names {product} {version}"
    if vendor is not None and vendor != cert.vendor:
        return cert.vendor, f"证书颁发给厂商 {cert.vendor}，而信封写的是 {vendor}", f"the certificate was issued to the vendor {cert.vendor}, the envelope names {vendor}"
    return None
