"""Signed receipts: what the gateway states about a submission, signed with its Ed25519 key.

The receipt's content is a JSON object; its *payload* is the canonical JSON text of that object
(UTF-8, keys sorted, no spaces, non-ASCII kept) and the signature is Ed25519 over the payload bytes.
A receipt file (``jincai submit`` writes one) is ``{"format": "jincai-receipt/1", "payload": …,
"signature": <base64>, "key_id": …}``; anyone with the gateway's public key can check it
(``jincai gateway verify-receipt``) without trusting the channel it came through.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jincai.errors import JincaiError

FORMAT = "jincai-receipt/1"


def canonical(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class Signer:
    """The gateway's receipt key: created on first start (mode 0600), then loaded."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise JincaiError("gateway-key-invalid", f"{path} 不是 Ed25519 私钥", f"{path} is not an Ed25519 private key", str(path))
        else:
            key = Ed25519PrivateKey.generate()
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            path.with_name(path.stem + ".pub.pem").write_text(public_pem(key.public_key()))
        self._key = key
        self.public = key.public_key()
        self.key_id = key_id(self.public)

    def sign(self, content: dict) -> tuple[str, str, str]:
        """(payload, base64 signature, key id)."""
        payload = canonical(content)
        return payload, base64.b64encode(self._key.sign(payload.encode("utf-8"))).decode(), self.key_id


def receipt_file(payload: str, signature: str, kid: str) -> dict:
    return {"format": FORMAT, "payload": payload, "signature": signature, "key_id": kid}


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise JincaiError("receipt-key-invalid", f"公钥无法读取：{exc}", f"cannot read the public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise JincaiError("receipt-key-invalid", "公钥不是 Ed25519", "the public key is not Ed25519")
    return key


def verify(receipt: dict, public: Ed25519PublicKey) -> dict:
    """The receipt's content when its signature is good; ``JincaiError`` otherwise."""
    if not isinstance(receipt, dict) or receipt.get("format") != FORMAT:
        raise JincaiError("receipt-format", f"不是 {FORMAT} 回执文件", f"not a {FORMAT} receipt file")
    payload, signature = receipt.get("payload"), receipt.get("signature")
    if not isinstance(payload, str) or not isinstance(signature, str):
        raise JincaiError("receipt-format", "回执缺少 payload 或 signature", "the receipt lacks payload or signature")
    if receipt.get("key_id") != key_id(public):
        raise JincaiError(
            "receipt-key-mismatch",
            f"回执由密钥 {receipt.get('key_id')} 签名，给出的公钥是 {key_id(public)}",
            f"the receipt was signed by key {receipt.get('key_id')}, the public key given is {key_id(public)}",
        )
    try:
        public.verify(base64.b64decode(signature, validate=True), payload.encode("utf-8"))
    except (InvalidSignature, ValueError):
        raise JincaiError("receipt-signature-invalid", "签名无效：回执被改动或不是该网关签发", "invalid signature: the receipt was altered or not issued by this gateway") from None
    content = json.loads(payload)
    if canonical(content) != payload:
        raise JincaiError("receipt-format", "payload 不是规范 JSON", "the payload is not canonical JSON")
    return content
