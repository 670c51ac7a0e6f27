"""A small on-disk cache for what every command recomputes from files that rarely change.

Every ``jincai`` command reads the standard and the rule catalogue, and ``validate`` renders the
SQL rules through sqlglot; both give the same result for the same bytes. The result is kept as JSON
under a key that is the SHA-256 of everything it was computed from (the files' bytes, the versions
of the code that computed it), so a changed file or a new jincai simply misses: a stale entry is
never found, there is nothing to invalidate.

Safe against a damaged or tampered cache as far as a cache can be:

* entries are plain JSON values (never pickle): reading one cannot run code;
* each entry carries the SHA-256 of its value and its own key; one that does not verify (truncated,
  edited, another key's) is ignored and recomputed;
* the cache folder is used only when it belongs to the current user and no one else can write to it
  (as ssh and pip require); otherwise nothing is read from or written to it.

Where: ``JINCAI_CACHE_DIR``, else ``$XDG_CACHE_HOME/jincai``, else ``~/.cache/jincai``;
``JINCAI_CACHE=off`` turns the cache off. Failing to write is silent (the cache is an optimisation).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable

_FORMAT = 1


def folder() -> Path | None:
    """The cache folder, or ``None`` when it is turned off or not safe to use."""
    if os.environ.get("JINCAI_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    explicit = os.environ.get("JINCAI_CACHE_DIR")
    if explicit:
        root = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = Path(base) / "jincai"
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = root.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o022:
        return None
    return root


def digest(*parts: bytes | str) -> str:
    """SHA-256 over the parts, each length-prefixed (so ``("ab", "c")`` ≠ ``("a", "bc")``)."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def cached(namespace: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON value, from the cache when an entry for ``key`` verifies.

    A value that does not survive JSON exactly (dates, tuples, non-text keys) is returned but not
    kept, so what the cache gives back is always what ``compute()`` gave."""
    root = folder()
    if root is None:
        return compute()
    path = root / namespace / f"{key}.json"
    hit = _read(path, key)
    if hit is not None:
        return hit[0]
    value = compute()
    _write(path, key, value)
    return value


def _canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _read(path: Path, key: str) -> tuple[Any] | None:
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()) or st.st_mode & 0o022:
            return None
        entry = json.loads(path.read_bytes())
        if not isinstance(entry, dict) or entry.get("format") != _FORMAT or entry.get("key") != key:
            return None
        value = entry.get("value")
        if hashlib.sha256(_canonical(value)).hexdigest() != entry.get("sha256"):
            return None
        return (value,)
    except (OSError, ValueError):
        return None


def _write(path: Path, key: str, value: Any) -> None:
    try:
        body = _canonical(value)
        if json.loads(body) != value:  # e.g. int keys would come back as text
            return
    except (TypeError, ValueError):
        return
    entry = {"format": _FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest(), "value": value}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_canonical(entry))
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return
