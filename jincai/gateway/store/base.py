"""What both stores share: the SQL (written once, DuckDB dialect), migrations, commit and queries.

A subclass supplies a connection (``_connect``), how a transaction is run (``_transaction``), how
the records of an entity are bulk-loaded (``_load_records``) and which exceptions mean "unique
constraint violated" (``_is_conflict``). Everything else — the statements, the order of writes in a
commit, the reads — is here, once.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol

import sqlglot

from jincai.gateway.store.migrations import BOOKKEEPING, MIGRATIONS, quote, record_table


class Conflict(Exception):
    """A unique constraint said no: the idempotency key was taken by a concurrent commit."""


@lru_cache(maxsize=512)
def sql_for(dialect: str, sql: str) -> str:
    """The neutral (DuckDB) SQL in the store's dialect; ``?`` placeholders become ``%s``."""
    if dialect == "duckdb":
        return sql
    return sqlglot.transpile(sql, read="duckdb", write=dialect)[0]


def as_of_sql(entity: str, current: bool = False) -> str:
    """The records of ``entity`` in the version current at ``?`` (one parameter), or now."""
    when = "v.valid_to IS NULL" if current else "v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?)"
    return (
        f"SELECT r.* FROM {record_table(entity)} r JOIN gw_data_version v"
        f" ON v.submission_id = r._submission_id AND v.entity = '{entity}' WHERE {when}"
    )


@dataclass
class EntityResult:
    entity: str
    records: int
    money_totals: dict[str, str]
    content_sha256: str
    version: int = 0  # set when an accepted submission is committed


@dataclass
class NewSubmission:
    submission_id: str
    mof_div_code: str
    fiscal_year: int
    period: str
    idempotency_key: str
    content_sha256: str
    status: str  # accepted | rejected
    received_at: datetime
    principal: str
    product_name: str
    product_version: str
    versions: dict[str, str]  # standard, catalogue, codelists, engine
    records: int
    issues: dict[str, int]  # fatal, error, warning
    report_json: str
    entities: list[EntityResult] = field(default_factory=list)


class RecordSource(Protocol):
    """Where a commit takes the typed records of an accepted submission from."""

    def arrow(self, entity: str) -> Any: ...  # a pyarrow RecordBatchReader: _submission_id, _row, fields…

    def csv(self, entity: str) -> Path: ...  # the same rows as headerless CSV

    def quarantine(self, entity: str) -> bytes: ...  # gzip of the canonical JSON Lines


#: seal(committed_at, entities with versions, superseded submission ids) → (payload, signature, key id)
Seal = Callable[[datetime, list[EntityResult], list[str]], tuple[str, str, str]]

SUBMISSION_COLUMNS = (
    "submission_id", "mof_div_code", "fiscal_year", "period", "idempotency_key", "content_sha256", "status",
    "received_at", "committed_at", "principal", "product_name", "product_version", "standard_version",
    "catalogue_version", "codelists_version", "engine_version", "records", "issues_fatal", "issues_error",
    "issues_warning", "report_json", "receipt_payload", "receipt_signature", "receipt_key_id",
)  # fmt: skip
_SUMMARY = "submission_id, mof_div_code, fiscal_year, period, status, committed_at, records, content_sha256, issues_fatal, issues_error, issues_warning"


class Store:
    dialect = "duckdb"
    kind = "duckdb"

    def __init__(self) -> None:
        self._commit_lock = threading.Lock()  # versions are numbered in commit order

    # -- to be supplied by a store ------------------------------------------------------------
    def _transaction(self) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def _read(self) -> contextlib.AbstractContextManager[Any]:
        raise NotImplementedError

    def _load_records(self, tx: Any, entity: str, source: RecordSource) -> None:
        raise NotImplementedError

    def _is_conflict(self, exc: Exception) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- SQL helpers ---------------------------------------------------------------------------
    def _exec(self, tx: Any, sql: str, params: tuple | list = ()) -> Any:
        return tx.execute(sql_for(self.dialect, sql), list(params))

    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict]:
        with self._read() as con:
            cur = self._exec(con, sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    # -- migrations ---------------------------------------------------------------------------
    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied, in order; returns the versions applied now."""
        with self._transaction() as tx:
            self._exec(tx, BOOKKEEPING)
        done = {r["version"] for r in self._rows("SELECT version FROM gw_schema_migrations")}
        applied = []
        for m in MIGRATIONS:
            if m.version in done:
                continue
            with self._transaction() as tx:
                for statement in m.statements():
                    self._exec(tx, statement)
                self._exec(tx, "INSERT INTO gw_schema_migrations VALUES (?, ?, ?)", (m.version, m.name, _now()))
            applied.append(m.version)
        return applied

    def schema_version(self) -> int:
        rows = self._rows("SELECT max(version) AS v FROM gw_schema_migrations")
        return int(rows[0]["v"] or 0)

    def columns(self, table: str) -> list[str]:
        rows = self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", (table,)
        )
        return [r["column_name"] for r in rows]

    # -- the commit ----------------------------------------------------------------------------
    def commit(self, sub: NewSubmission, source: RecordSource, seal: Seal) -> dict:
        """Write a submission, its versions (accepted) or quarantine (rejected), and its receipt, in
        one transaction. Returns the stored row. ``Conflict`` when its idempotency key is taken."""
        with self._commit_lock:
            if self.find_by_key(sub.mof_div_code, sub.idempotency_key) is not None:
                raise Conflict(sub.idempotency_key)
            try:
                with self._transaction() as tx:
                    committed_at = _now()
                    supersedes: list[str] = []
                    if sub.status == "accepted":
                        supersedes = self._new_versions(tx, sub, committed_at)
                        for e in sub.entities:
                            self._load_records(tx, e.entity, source)
                    else:
                        for e in sub.entities:
                            self._exec(
                                tx, "INSERT INTO gw_quarantine_file VALUES (?, ?, ?, ?)",
                                (sub.submission_id, e.entity, e.records, source.quarantine(e.entity)),
                            )  # fmt: skip
                    # one statement for all entities: a statement costs milliseconds, an entity row nothing
                    self._exec(
                        tx, f"INSERT INTO gw_submission_entity VALUES {', '.join('(?, ?, ?, ?, ?)' for _ in sub.entities)}",
                        [v for e in sub.entities for v in (sub.submission_id, e.entity, e.records, json.dumps(e.money_totals, sort_keys=True), e.content_sha256)],
                    )  # fmt: skip
                    payload, signature, key_id = seal(committed_at, sub.entities, sorted(set(supersedes)))
                    v = sub.versions
                    row = (
                        sub.submission_id, sub.mof_div_code, sub.fiscal_year, sub.period, sub.idempotency_key,
                        sub.content_sha256, sub.status, sub.received_at, committed_at, sub.principal,
                        sub.product_name, sub.product_version, v["standard"], v["catalogue"], v["codelists"],
                        v["engine"], sub.records, sub.issues.get("fatal", 0), sub.issues.get("error", 0),
                        sub.issues.get("warning", 0), sub.report_json, payload, signature, key_id,
                    )  # fmt: skip
                    marks = ", ".join("?" for _ in SUBMISSION_COLUMNS)
                    self._exec(tx, f"INSERT INTO gw_submission ({', '.join(SUBMISSION_COLUMNS)}) VALUES ({marks})", row)
            except Exception as exc:
                if self._is_conflict(exc):
                    raise Conflict(sub.idempotency_key) from exc
                raise
        return dict(zip(SUBMISSION_COLUMNS, row))

    def _new_versions(self, tx: Any, sub: NewSubmission, at: datetime) -> list[str]:
        """A new version of each entity of ``sub`` (numbered after the highest so far), closing the
        current ones; the superseded submissions. Four statements, however many entities."""
        names = [e.entity for e in sub.entities]
        where = f"mof_div_code = ? AND fiscal_year = ? AND period = ? AND entity IN ({', '.join('?' for _ in names)})"
        key = (sub.mof_div_code, sub.fiscal_year, sub.period, *names)
        previous = [r[0] for r in self._exec(tx, f"SELECT submission_id FROM gw_data_version WHERE {where} AND valid_to IS NULL", key).fetchall()]
        if previous:
            self._exec(tx, f"UPDATE gw_data_version SET valid_to = ?, superseded_by = ? WHERE {where} AND valid_to IS NULL", (at, sub.submission_id, *key))
        latest = dict(self._exec(tx, f"SELECT entity, max(version) FROM gw_data_version WHERE {where} GROUP BY entity", key).fetchall())
        rows = []
        for e in sub.entities:
            e.version = int(latest.get(e.entity) or 0) + 1
            rows += [sub.mof_div_code, sub.fiscal_year, sub.period, e.entity, e.version, sub.submission_id, e.records, at]
        marks = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)" for _ in sub.entities)
        self._exec(tx, f"INSERT INTO gw_data_version VALUES {marks}", rows)
        return previous

    # -- reads ---------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """Rows of a read query written in the neutral (DuckDB) dialect with ``?`` parameters,
        transpiled for this store — the way consolidation and position queries run on both."""
        return self._rows(sql, params)

    def quarantine(self, submission_id: str) -> list[dict]:
        """The quarantined content of a rejected submission: entity, records, content_gzip."""
        return self._rows("SELECT entity, records, content_gzip FROM gw_quarantine_file WHERE submission_id = ? ORDER BY entity", (submission_id,))

    def find_by_key(self, region: str, key: str) -> dict | None:
        rows = self._rows("SELECT * FROM gw_submission WHERE mof_div_code = ? AND idempotency_key = ?", (region, key))
        return rows[0] if rows else None

    def get(self, submission_id: str) -> dict | None:
        rows = self._rows("SELECT * FROM gw_submission WHERE submission_id = ?", (submission_id,))
        return rows[0] if rows else None

    def entities(self, submission_id: str) -> list[dict]:
        return self._rows("SELECT * FROM gw_submission_entity WHERE submission_id = ? ORDER BY entity", (submission_id,))

    def list(self, regions: list[str] | None, year: int = 0, period: str = "", limit: int = 100, offset: int = 0) -> list[dict]:
        """Submissions newest first; ``regions`` None = every region."""
        where, params = ["1 = 1"], []
        if regions is not None:
            if not regions:
                return []
            where.append(f"mof_div_code IN ({', '.join('?' for _ in regions)})")
            params += regions
        if year:
            where.append("fiscal_year = ?")
            params.append(year)
        if period:
            where.append("period = ?")
            params.append(period)
        return self._rows(
            f"SELECT {_SUMMARY} FROM gw_submission WHERE {' AND '.join(where)}"
            f" ORDER BY committed_at DESC, submission_id DESC LIMIT {int(limit)} OFFSET {int(offset)}",
            params,
        )

    def versions(self, region: str, year: int, period: str, entity: str = "") -> list[dict]:
        sql = "SELECT * FROM gw_data_version WHERE mof_div_code = ? AND fiscal_year = ? AND period = ?"
        params: list = [region, year, period]
        if entity:
            sql += " AND entity = ?"
            params.append(entity)
        return self._rows(sql + " ORDER BY entity, version", params)

    def count_records(self, entity: str, submission_id: str) -> int:
        rows = self._rows(f"SELECT count(*) AS n FROM {record_table(entity)} WHERE _submission_id = ?", (submission_id,))
        return int(rows[0]["n"])

    def integrity_problems(self) -> list[str]:
        """What a crash must never leave behind: records without their submission, counts that do not
        match, versions without data, more than one current version. Empty when the store is whole."""
        problems = []
        for r in self._rows(
            "SELECT e.submission_id, e.entity, e.records, s.status FROM gw_submission_entity e"
            " LEFT JOIN gw_submission s USING (submission_id)"
        ):
            if r["status"] is None:
                problems.append(f"entity totals without a submission: {r['submission_id']}")
            elif r["status"] == "accepted":
                n = self.count_records(r["entity"], r["submission_id"])
                if n != r["records"]:
                    problems.append(f"{r['submission_id']} {r['entity']}: {n} records stored, {r['records']} committed")
        from jincai.standard import standard

        for entity in standard().entities:
            for r in self._rows(
                f"SELECT DISTINCT r._submission_id AS sid FROM {record_table(entity)} r"
                " LEFT JOIN gw_submission s ON s.submission_id = r._submission_id WHERE s.submission_id IS NULL"
            ):
                problems.append(f"{entity}: records of an uncommitted submission {r['sid']}")
        for r in self._rows(
            "SELECT mof_div_code, fiscal_year, period, entity, count(*) AS n FROM gw_data_version"
            " WHERE valid_to IS NULL GROUP BY mof_div_code, fiscal_year, period, entity HAVING count(*) > 1"
        ):
            problems.append(f"{r['mof_div_code']} {r['fiscal_year']} {r['period']} {r['entity']}: {r['n']} current versions")
        return problems


def _now() -> datetime:
    return datetime.now(timezone.utc)


def insert_columns(entity_fields: list[str]) -> str:
    return ", ".join(["_submission_id", "_row", *(quote(f) for f in entity_fields)])

