"""A local certificate authority for mutual TLS: the gateway's server certificate and client
certificates bound to a region and a role.

The binding is in the certificate: a URI subject alternative name ``urn:jincai:principal:<role>:
<mof_div_code>`` (and the same in the subject: O = jincai, OU = role, CN = role@region). The gateway
trusts only client certificates its own CA issued, reads the binding from the SAN, and refuses a
revoked serial (``certs.json``). Keys are ECDSA P-256 (every TLS stack takes them); the CA key is
written with mode 0600.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from jincai.errors import JincaiError

URN = "urn:jincai:principal:"


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _name(cn: str, ou: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "jincai")]
    if ou:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


class CA:
    """The CA of one gateway data folder: ``tls/ca.pem``, ``tls/ca.key``, ``tls/server.{pem,key}``."""

    def __init__(self, tls_dir: Path) -> None:
        self.dir = Path(tls_dir)

    @property
    def exists(self) -> bool:
        return (self.dir / "ca.pem").exists() and (self.dir / "ca.key").exists()

    def init(self, hosts: list[str] | None = None, force: bool = False) -> None:
        """Create the CA and a server certificate for ``hosts`` (localhost and loopback always)."""
        if self.exists and not force:
            raise JincaiError("gateway-ca-exists", f"{self.dir} 中已有 CA（--force 重建会使已签发证书全部失效）", f"a CA already exists in {self.dir} (--force would invalidate every certificate issued)", str(self.dir))
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        name = _name("jincai gateway local CA")
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(key, hashes.SHA256())
        )  # fmt: skip
        _write(self.dir / "ca.key", _key_pem(key), private=True)
        _write(self.dir / "ca.pem", cert.public_bytes(serialization.Encoding.PEM))
        self.issue_server(hosts or [])

    def _ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        if not self.exists:
            raise JincaiError("gateway-ca-missing", f"{self.dir} 中没有 CA：先运行 jincai gateway init-ca", f"no CA in {self.dir}: run jincai gateway init-ca first", str(self.dir))
        key = serialization.load_pem_private_key((self.dir / "ca.key").read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate((self.dir / "ca.pem").read_bytes())  # type: ignore[return-value]

    def _issue(self, subject: x509.Name, san: list[x509.GeneralName], usage, days: int) -> tuple[bytes, bytes, int]:
        ca_key, ca_cert = self._ca()
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        serial = x509.random_serial_number()
        cert = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(serial).not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )  # fmt: skip
        return _key_pem(key), cert.public_bytes(serialization.Encoding.PEM), serial

    def issue_server(self, hosts: list[str]) -> None:
        names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1"))]
        for h in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(h)))
            except ValueError:
                names.append(x509.DNSName(h))
        key, cert, _ = self._issue(_name("jincai gateway"), names, ExtendedKeyUsageOID.SERVER_AUTH, 825)
        _write(self.dir / "server.key", key, private=True)
        _write(self.dir / "server.pem", cert)

    def issue_client(self, role: str, region: str, days: int = 365) -> tuple[bytes, bytes, int]:
        """(key PEM, certificate PEM, serial) for a client bound to ``role`` and ``region``."""
        san = [x509.UniformResourceIdentifier(f"{URN}{role}:{region}")]
        key, cert, serial = self._issue(_name(f"{role}@{region}", role), san, ExtendedKeyUsageOID.CLIENT_AUTH, days)
        return key, cert, serial

    def pem(self, name: str) -> bytes:
        return (self.dir / name).read_bytes()


def binding(cert_pem: bytes) -> tuple[str, str, int] | None:
    """(role, region, serial) from a client certificate's URI SAN, or None when it has none."""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        uris = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.UniformResourceIdentifier)
    except (ValueError, x509.ExtensionNotFound):
        return None
    for uri in uris:
        if uri.startswith(URN):
            role, _, region = uri[len(URN):].partition(":")
            return role, region, cert.serial_number
    return None


def load_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
