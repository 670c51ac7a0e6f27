"""The embedded store: one DuckDB file, one connection, one writer at a time.

DuckDB writes a commit to its write-ahead log and syncs it before ``COMMIT`` returns, and replays
the log when the file is opened again, so a commit that returned survives a SIGKILL and nothing of
an unfinished transaction is ever visible. Accepted records are bulk-inserted from the Arrow stream
of the validation connection (no per-row Python).
"""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path
from typing import Any, Iterator

import duckdb

from jincai.errors import JincaiError
from jincai.gateway.store.base import RecordSource, Store, insert_columns
from jincai.gateway.store.migrations import record_table
from jincai.standard import standard


DEFAULT_MEMORY_LIMIT = "512MB"  # the gateway's store connection (validation has its own, JINCAI_MEMORY_LIMIT)


class DuckDBStore(Store):
    dialect = "duckdb"
    kind = "duckdb"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path))
        self.con.execute("SET TimeZone = 'UTC'")
        self._lock = threading.RLock()
        self.migrate()

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's buffer pool. Its default is 80 % of the machine's memory with every page read
        or written kept cached, so a long-running gateway's RSS grows with its store; the gateway
        sets ``JINCAI_GATEWAY_STORE_MEMORY`` (default 512MB) and DuckDB spills beyond it. One-off
        readers (``jincai datacenter``) keep DuckDB's default: their queries are faster in memory."""
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|KiB|MiB|GiB)", limit.strip(), re.IGNORECASE):
            raise JincaiError("gateway-store-memory", f"JINCAI_GATEWAY_STORE_MEMORY={limit!r} 不是内存大小（如 512MB）", f"JINCAI_GATEWAY_STORE_MEMORY={limit!r} is not a memory size (e.g. 512MB)")
        self.con.execute(f"SET memory_limit = '{limit.strip()}'")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            self.con.begin()
            try:
                yield self.con
            except BaseException:
                self.con.rollback()
                raise
            self.con.commit()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        with self._lock:
            yield self.con

    def _load_records(self, tx: Any, entity: str, source: RecordSource) -> None:
        name = f"_incoming_{entity}"
        cols = insert_columns(standard().entity(entity).field_names)
        tx.register(name, source.arrow(entity))
        try:
            tx.execute(f"INSERT INTO {record_table(entity)} ({cols}) SELECT {cols} FROM {name}")
        finally:
            tx.unregister(name)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, duckdb.ConstraintException)

    def close(self) -> None:
        with self._lock:
            self.con.close()
