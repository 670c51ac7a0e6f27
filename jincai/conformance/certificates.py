"""Certificates: Ed25519 keys, ``certify`` a certify-mode run, ``verify`` a certificate.

A certificate (``certificate.json``, schema ``schemas/conformance/certificate.schema.json``) is a
``body`` — number, product identity, the profiles and modules passed, the suite's id and digest,
the standard and catalogue versions, the code lists' digest, the sha256 of every file of the
results bundle(s) and their combined digest, issue date and expiry, issuer and key id — and an
Ed25519 ``signature`` over the body's canonical JSON (sorted keys, no spaces, UTF-8).

``certify`` refuses anything but a certify-mode run whose every required case passed, on the suite,
code lists and catalogue it was run against (one changed byte in the suite since the run and it
refuses). ``verify`` checks, in order, and names the first check that fails: the certificate's
form, the issuer's key, the signature, the validity dates, revocation, the results bundle (when
given) and the suite (when given).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from jincai.conformance.model import Certificate, CertificateBody, CertifiedFor, Results, Signature
from jincai.conformance.suite import catalogue_digest, codelists_digest, manifest_digest, sha256_file, suite_files
from jincai.conformance.writers import BUNDLE
from jincai.errors import JincaiError


def _crypto():
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    return serialization, Ed25519PrivateKey, Ed25519PublicKey, InvalidSignature


def key_id(public_raw: bytes) -> str:
    return "ed25519:" + hashlib.sha256(public_raw).hexdigest()[:16]


def _public_raw(pub) -> bytes:
    serialization = _crypto()[0]
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def keygen(out: Path, name: str = "issuer") -> tuple[Path, Path, str]:
    """Write ``NAME.key`` (PKCS#8 PEM, readable by its owner only) and ``NAME.pub``; returns the key id."""
    serialization, Ed25519PrivateKey, _, _ = _crypto()
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / f"{name}.key", out / f"{name}.pub"
    if key_path.exists():
        raise JincaiError("conformance-key-exists", f"{key_path} 已存在，不会覆盖", f"{key_path} exists; it is never overwritten", str(key_path))
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key_path.touch(mode=0o600)
    key_path.write_bytes(pem)
    pub_path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return key_path, pub_path, key_id(_public_raw(key.public_key()))


def _load_private(path: Path):
    serialization, Ed25519PrivateKey, _, _ = _crypto()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise JincaiError("conformance-key-unreadable", f"无法读取签发私钥 {path}：{exc}", f"cannot read the issuer's private key {path}: {exc}", str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise JincaiError("conformance-key-unreadable", f"{path} 不是 Ed25519 私钥", f"{path} is not an Ed25519 private key", str(path))
    return key


def _load_public(path: Path):
    serialization, _, Ed25519PublicKey, _ = _crypto()
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise JincaiError("conformance-key-unreadable", f"无法读取签发公钥 {path}：{exc}", f"cannot read the issuer's public key {path}: {exc}", str(path)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise JincaiError("conformance-key-unreadable", f"{path} 不是 Ed25519 公钥", f"{path} is not an Ed25519 public key", str(path))
    return key


def canonical(body: CertificateBody) -> bytes:
    return json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def bundle_files(folder: Path, profile: str) -> dict[str, str]:
    """``{profile/file: sha256}`` of a results bundle; a missing file is an error."""
    out = {}
    for name in BUNDLE:
        p = folder / name
        if not p.is_file():
            raise JincaiError("conformance-results-incomplete", f"结果包缺少 {name}", f"the results bundle lacks {name}", str(folder))
        out[f"{profile}/{name}"] = sha256_file(p)
    return out


def _read_results(folder: Path) -> Results:
    from jincai.conformance.writers.results_json import read

    return read(folder)


def certify(results_dirs: list[Path], key_path: Path, *, issuer: str, validity_days: int = 730, today: date | None = None,
            suite_root: Path | None = None, registry: Path | None = None) -> Certificate:
    """Issue a certificate for one or more certify-mode runs of the same product."""
    today = today or date.today()
    runs = [(Path(d), _read_results(Path(d))) for d in results_dirs]
    product = runs[0][1].product
    refusals: list[tuple[str, str]] = []
    suite_now = manifest_digest(suite_files(suite_root))
    for d, r in runs:
        if r.mode != "certify":
            refusals.append((f"{d}：不是认证模式的运行（--mode certify）", f"{d}: not a certify-mode run (--mode certify)"))
        if not r.summary.required_passed or any(c.status in ("fail", "error") and c.required for c in r.cases):
            refusals.append((f"{d}：有必测用例未通过", f"{d}: required cases did not pass"))
        if not any(c.status == "pass" for c in r.cases):
            refusals.append((f"{d}：没有通过的用例", f"{d}: no case passed"))
        if r.product != product:
            refusals.append((f"{d}：与其他结果不是同一产品", f"{d}: not the same product as the other results"))
        if r.digests.suite != suite_now:
            refusals.append((f"{d}：运行后套件已改变（摘要不符）", f"{d}: the suite changed since the run (digest differs)"))
        if r.digests.codelists != codelists_digest() or r.digests.catalogue != catalogue_digest():
            refusals.append((f"{d}：运行后代码集或规则目录已改变", f"{d}: the code lists or catalogue changed since the run"))
    if len({r.profile for _, r in runs}) != len(runs):
        refusals.append(("同一配置档给了两份结果", "two results of the same profile"))
    if refusals:
        raise JincaiError("conformance-certify-refused", "；".join(z for z, _ in refusals), "; ".join(e for _, e in refusals), ", ".join(map(str, results_dirs)))
    files: dict[str, str] = {}
    for d, r in runs:
        files.update(bundle_files(d, r.profile))
    key = _load_private(key_path)
    kid = key_id(_public_raw(key.public_key()))
    results_digest = manifest_digest(files)
    number = f"JC-{today.year}-{hashlib.sha256((results_digest + product.model_dump_json()).encode()).hexdigest()[:10].upper()}"
    first = runs[0][1]
    body = CertificateBody(
        number=number, product=product,
        certified=[CertifiedFor(profile=r.profile, modules=sorted({c.module for c in r.cases if c.status == "pass"}), cases_passed=sum(c.status == "pass" for c in r.cases)) for _, r in runs],
        suite_id=first.versions.suite_id, suite_version=first.versions.suite, suite_digest=first.digests.suite, standard_version=first.versions.standard,
        catalogue_version=first.versions.catalogue, codelists_digest=first.digests.codelists, results_digest=results_digest, results_files=files,
        issued=today.isoformat(), expires=(today + timedelta(days=validity_days)).isoformat(), issuer=issuer, key_id=kid,
    )
    sig = key.sign(canonical(body))
    cert = Certificate(body=body, signature=Signature(key_id=kid, value=base64.b64encode(sig).decode("ascii")))
    if registry is not None:
        _register(registry, cert)
    return cert


def _register(registry: Path, cert: Certificate) -> None:
    """Append the certificate's row to the data center's registry (``validators/registries``)."""
    from jincai.validation.cert_registry import COLUMNS, load_registry

    if registry.exists():
        if cert.body.number in load_registry(registry):
            raise JincaiError("conformance-already-registered", f"登记册中已有 {cert.body.number}", f"{cert.body.number} is already registered", str(registry))
        prefix = "" if registry.read_bytes().endswith(b"\n") else "\n"
    else:
        prefix = ",".join(COLUMNS) + "\n"
    b = cert.body
    with open(registry, "a", encoding="utf-8", newline="") as fh:
        fh.write(prefix)
        csv.writer(fh, lineterminator="\n").writerow([b.number, b.product.vendor, b.product.name, b.product.version, "issued", b.issued, b.expires, "", "", f"{', '.join(c.profile for c in b.certified)} / suite {b.suite_version}"])


def write(cert: Certificate, path: Path) -> Path:
    path.write_text(cert.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# verify
# ------------------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    zh: str
    en: str


def revoked_numbers(path: Path) -> set[str]:
    """A revocation list: the registry CSV (rows with status revoked) or one number per line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise JincaiError("conformance-revocations-unreadable", f"无法读取撤销清单 {path}：{exc}", f"cannot read the revocation list {path}: {exc}", str(path)) from None
    lines = text.splitlines()
    if lines and lines[0].startswith("cert_no,"):
        return {r["cert_no"] for r in csv.DictReader(lines) if r.get("status") == "revoked"}
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def verify(cert_path: Path, issuer_key: Path, *, results_dirs: list[Path] | None = None, revoked: Path | None = None,
           suite_root: Path | None = None, today: date | None = None) -> list[Check]:
    """Every check, in order; the certificate is good when all pass. Stops at the first failure."""
    _, _, _, InvalidSignature = _crypto()
    today = today or date.today()
    checks: list[Check] = []

    def add(name: str, ok: bool, zh: str, en: str) -> bool:
        checks.append(Check(name, ok, zh, en))
        return ok

    try:
        cert = Certificate.model_validate_json(cert_path.read_bytes())
    except (OSError, ValueError, ValidationError) as exc:
        add("form", False, f"证书无法读取或格式不符：{str(exc)[:200]}", f"the certificate is unreadable or malformed: {str(exc)[:200]}")
        return checks
    add("form", True, "证书格式正确", "the certificate is well formed")
    pub = _load_public(issuer_key)
    kid = key_id(_public_raw(pub))
    if not add("issuer", cert.signature.key_id == kid == cert.body.key_id, f"签发密钥 {cert.signature.key_id}（信任的为 {kid}）", f"signed with {cert.signature.key_id} (trusted: {kid})"):
        return checks
    try:
        pub.verify(base64.b64decode(cert.signature.value, validate=True), canonical(cert.body))
        ok = True
    except (InvalidSignature, ValueError):
        ok = False
    if not add("signature", ok, "签名有效" if ok else "签名无效：证书内容被改动或不是该签发者签发", "the signature is valid" if ok else "the signature is not valid: the certificate was changed or not issued by this issuer"):
        return checks
    valid = cert.body.issued <= today.isoformat() <= cert.body.expires
    if not add("validity", valid, f"有效期 {cert.body.issued}—{cert.body.expires}，今天 {today}", f"valid {cert.body.issued}..{cert.body.expires}, today {today}"):
        return checks
    if revoked is not None:
        if not add("revocation", cert.body.number not in revoked_numbers(revoked), f"撤销清单{'中有' if cert.body.number in revoked_numbers(revoked) else '中没有'}该证书", f"the certificate is {'' if cert.body.number in revoked_numbers(revoked) else 'not '}on the revocation list"):
            return checks
    if results_dirs:
        files: dict[str, str] = {}
        problems: list[str] = []
        for d in results_dirs:
            try:
                r = _read_results(Path(d))
                files.update(bundle_files(Path(d), r.profile))
            except JincaiError as exc:
                problems.append(f"{d}: {exc.message_en}")
        changed = sorted(k for k in set(files) | set(cert.body.results_files) if files.get(k) != cert.body.results_files.get(k))
        ok = not problems and not changed
        if not add("results", ok, "结果包与证书一致" if ok else f"结果包与证书不一致：{', '.join(changed[:5]) or '; '.join(problems)}",
                   "the results bundle matches" if ok else f"the results bundle differs from the certificate: {', '.join(changed[:5]) or '; '.join(problems)}"):
            return checks
    if suite_root is not None:
        now = manifest_digest(suite_files(suite_root))
        add("suite", now == cert.body.suite_digest, f"套件摘要{'一致' if now == cert.body.suite_digest else '不一致：套件已被改动'}", f"the suite digest {'matches' if now == cert.body.suite_digest else 'differs: the suite was changed'}")
    return checks
