"""The audit log: one JSON line per call that mattered, each line chained to the one before.

Each entry records who (principal id, role, region — never a name, and the peer address with its
last part masked), what (the RPC, the region and submission it concerned), when (UTC) and the
outcome (``ok`` | ``denied`` | ``error`` | ``rejected``, with the error code). ``hash`` is SHA-256 of
the previous entry's hash followed by the entry's canonical JSON without ``hash``; changing, adding
or removing any line breaks every later hash, which ``verify`` (``jincai gateway verify-audit``)
finds. Every append is flushed and fsynced before the call is answered. A line torn by a crash (no
final newline) was never acknowledged: it is cut off on the next start and the cut is logged.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

GENESIS = "0" * 64


def _hash(prev: str, entry: dict) -> str:
    body = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def mask_peer(peer: str) -> str:
    """``ipv4:10.1.2.3:5555`` → ``ipv4:10.1.2.*``; IPv6 keeps its first four groups."""
    kind, _, rest = peer.partition(":")
    if kind == "ipv4":
        host = rest.rsplit(":", 1)[0]
        return f"ipv4:{host.rsplit('.', 1)[0]}.*"
    if kind == "ipv6":
        host = rest.rsplit(":", 1)[0].strip("[]")
        return "ipv6:" + ":".join(host.split(":")[:4]) + ":*"
    return kind or "unknown"


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        cut = self._recover()
        self._fh = open(self.path, "ab")
        if cut:
            self.append(rpc="-", outcome="recovered", code="audit-torn-line-removed", reason=f"{cut} bytes")

    def _recover(self) -> int:
        """Cut a torn last line; remember the last hash and sequence number."""
        self._prev, self._seq = GENESIS, 0
        if not self.path.exists():
            return 0
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        cut = len(data) - end
        if cut:
            with open(self.path, "r+b") as fh:
                fh.truncate(end)
                fh.flush()
                os.fsync(fh.fileno())
        last = data[:end].rstrip(b"\n").rsplit(b"\n", 1)[-1]
        if last:
            entry = json.loads(last)
            self._prev, self._seq = entry["hash"], entry["seq"]
        return cut

    def append(self, **fields) -> dict:
        with self._lock:
            entry = {"seq": self._seq + 1, "time": datetime.now(timezone.utc).isoformat(timespec="microseconds"), "prev": self._prev}
            entry.update({k: v for k, v in fields.items() if v not in (None, "")})
            entry["hash"] = _hash(self._prev, entry)
            self._fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._prev, self._seq = entry["hash"], entry["seq"]
            return entry

    def close(self) -> None:
        with self._lock:
            self._fh.close()


def verify(path: Path) -> tuple[int, list[str]]:
    """(entries checked, problems): each problem names the line and what is wrong."""
    problems: list[str] = []
    prev, n = GENESIS, 0
    with open(path, "rb") as fh:
        for i, line in enumerate(fh, 1):
            n = i
            try:
                entry = json.loads(line)
            except ValueError:
                problems.append(f"line {i}: not JSON")
                continue
            claimed = entry.pop("hash", None)
            if entry.get("prev") != prev:
                problems.append(f"line {i}: prev does not match the hash of line {i - 1}")
            if _hash(entry.get("prev", ""), entry) != claimed:
                problems.append(f"line {i}: hash does not match the content")
            if entry.get("seq") != i:
                problems.append(f"line {i}: seq {entry.get('seq')} out of order")
            prev = claimed or ""
    return n, problems
