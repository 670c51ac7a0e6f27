"""The production store: PostgreSQL through psycopg, one connection per thread.

Accepted records reach their table by ``COPY … FROM STDIN`` of the CSV the validation connection
wrote (DuckDB writes NULL as an empty field and "" as ``""``, which PostgreSQL's CSV format reads
back the same), inside the transaction that commits the submission: PostgreSQL's commit is durable
(WAL flushed) before it returns, and an aborted or killed transaction leaves nothing visible.
``schema`` puts the gateway's tables in their own schema (created if missing).
"""

from __future__ import annotations

import contextlib
import re
import threading
from typing import Any, Iterator

import psycopg

from jincai.errors import JincaiError
from jincai.gateway.store.base import RecordSource, Store, insert_columns
from jincai.gateway.store.migrations import record_table
from jincai.standard import standard

_CHUNK = 1 << 20
_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class PostgresStore(Store):
    dialect = "postgres"
    kind = "postgres"

    def __init__(self, dsn: str, schema: str | None = None) -> None:
        super().__init__()
        if schema is not None and not _SCHEMA.fullmatch(schema):
            raise JincaiError("gateway-store-schema", f"PostgreSQL 模式名 {schema!r} 无效", f"invalid PostgreSQL schema name {schema!r}")
        self.dsn, self.schema = dsn, schema
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._all_lock = threading.Lock()
        self.migrate()

    def _con(self) -> psycopg.Connection:
        con = getattr(self._local, "con", None)
        if con is None or con.closed:
            try:
                con = psycopg.connect(self.dsn, autocommit=True)
            except psycopg.OperationalError as exc:
                raise JincaiError(
                    "gateway-store-unavailable", f"无法连接 PostgreSQL：{exc}", f"cannot connect to PostgreSQL: {exc}"
                ) from None
            con.execute("SET TIME ZONE 'UTC'")
            if self.schema:
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                con.execute(f'SET search_path TO "{self.schema}"')
            self._local.con = con
            with self._all_lock:
                self._all.append(con)
        return con

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        con = self._con()
        with con.transaction():
            yield con

    @contextlib.contextmanager
    def _read(self) -> Iterator[Any]:
        yield self._con()

    def _load_records(self, tx: Any, entity: str, source: RecordSource) -> None:
        cols = insert_columns(standard().entity(entity).field_names)
        with tx.cursor() as cur, cur.copy(f"COPY {record_table(entity)} ({cols}) FROM STDIN (FORMAT csv)") as copy:
            with open(source.csv(entity), "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    copy.write(chunk)

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, psycopg.errors.UniqueViolation)

    def columns(self, table: str) -> list[str]:
        rows = self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = current_schema()"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [r["column_name"] for r in rows]

    def close(self) -> None:
        with self._all_lock:
            for con in self._all:
                con.close()
            self._all.clear()
