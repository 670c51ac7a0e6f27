"""在 PostgreSQL 上执行 SQL 规则 / Running the SQL rules on PostgreSQL (the production store's path).

The data center stores submissions in PostgreSQL; the same neutral-dialect rules run there, transpiled
by sqlglot (``jincai.validation.sql_rules``). This module copies the staged entity tables of a DuckDB
connection into a fresh per-run schema with typed columns, runs the rules there and drops the schema:

=================================  ====================================
DuckDB (staging contract)          PostgreSQL
=================================  ====================================
DECIMAL(p,s) (money 18,2)          NUMERIC(p,s)
DATE                               DATE
BIGINT / INTEGER …                 BIGINT
BOOLEAN                            BOOLEAN
VARCHAR                            TEXT COLLATE "C" (byte order, as DuckDB compares)
TIMESTAMP WITH TIME ZONE           TIMESTAMPTZ
=================================  ====================================

Rows travel as CSV through ``COPY … FROM STDIN`` (DuckDB writes NULL as an empty field and the empty
string as ``""``, which is what PostgreSQL's CSV format reads back), in chunks, so a large table is
never held in Python. Each table is ANALYZEd after the copy, and the rules run with the session
settings of ``RUN_SETTINGS`` (why: see there).
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from typing import Iterable, Sequence

from jincai.errors import JincaiError
from jincai.validation.catalogue import Rule
from jincai.validation.sql_rules import SqlRunResult, run_rules

_CHUNK = 1 << 20

#: session settings for the rule run (reset afterwards). The staged tables have no indexes and the
#: rules are bulk set operations, so hash joins are the right plan; but PostgreSQL underestimates
#: multi-column joins of fresh tables and CTEs (rows=1) and then picks nested loops that rescan an
#: aggregate per row — 15 s instead of 0.06 s for xent.accounting-amount-mismatch on 46k records.
#: Nested loops stay available where nothing else can run (a cross join with a VALUES list), and
#: JIT is off because the disabled-path cost would otherwise trigger a 0.7 s compile per query.
RUN_SETTINGS = ("enable_nestloop = off", "jit = off", "work_mem = '128MB'")
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def pg_type(duck_type: str) -> str:
    """The PostgreSQL column type for a DuckDB column type of a staged table."""
    t = duck_type.upper()
    m = _DECIMAL.fullmatch(t)
    if m:
        return f"NUMERIC({m.group(1)},{m.group(2)})"
    if t == "DATE":
        return "DATE"
    if t in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"):
        return "BIGINT"
    if t == "BOOLEAN":
        return "BOOLEAN"
    if t == "VARCHAR":
        return 'TEXT COLLATE "C"'
    if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "TIMESTAMPTZ"
    if t == "TIMESTAMP":
        return "TIMESTAMP"
    if t == '"NULL"' or t == "NULL":
        return 'TEXT COLLATE "C"'
    raise JincaiError("pg-type", f"无法映射 DuckDB 列类型 {duck_type}", f"cannot map the DuckDB column type {duck_type}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_table(duck, pg, table: str, schema: str) -> int:
    """Copy one DuckDB table or view into ``schema.table`` on PostgreSQL; returns the row count."""
    cols = duck.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
    defs = ", ".join(f"{_ident(c[0])} {pg_type(c[1])}" for c in cols)
    target = f"{_ident(schema)}.{_ident(table)}"
    pg.execute(f"CREATE TABLE {target} ({defs})")
    names = ", ".join(_ident(c[0]) for c in cols)
    fd, path = tempfile.mkstemp(prefix="jincai-pg-", suffix=".csv")
    os.close(fd)
    try:
        duck.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT CSV, HEADER false)")
        with pg.cursor() as cur, cur.copy(f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            with open(path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    copy.write(chunk)
    finally:
        os.unlink(path)
    return pg.execute(f"SELECT count(*) FROM {target}").fetchone()[0]


def connect(dsn: str | None = None):
    """A psycopg connection (autocommit) to ``dsn`` or ``$JINCAI_PG_DSN``."""
    import psycopg

    dsn = dsn or os.environ.get("JINCAI_PG_DSN")
    if not dsn:
        raise JincaiError("pg-dsn-missing", "未设置 PostgreSQL 连接串 JINCAI_PG_DSN", "no PostgreSQL DSN: set JINCAI_PG_DSN")
    try:
        return psycopg.connect(dsn, autocommit=True)
    except psycopg.Error as exc:
        raise JincaiError("pg-connect", f"无法连接 PostgreSQL：{exc}", f"cannot connect to PostgreSQL: {exc}") from exc


def run_on_postgres(
    duck,
    tables: Iterable[str],
    rules: Sequence[Rule] | None = None,
    *,
    pg=None,
    dsn: str | None = None,
    standard_version: str | None = None,
    fiscal_years: Iterable[int] | None = None,
    present: Iterable[str] | None = None,
    keep_schema: bool = False,
) -> SqlRunResult:
    """Copy ``tables`` from ``duck`` to a per-run schema, run the SQL rules there, drop the schema.

    ``present`` (default: ``tables``) are the entities the submission actually holds (the rules skip
    the others, as on DuckDB). ``pg`` is an open psycopg connection, else one is opened on ``dsn``.
    """
    own = pg is None
    pg = pg or connect(dsn)
    schema = f"jincai_run_{uuid.uuid4().hex[:16]}"
    tables = list(tables)
    try:
        pg.execute(f"CREATE SCHEMA {_ident(schema)}")
        try:
            for table in tables:
                copy_table(duck, pg, table, schema)
                pg.execute(f"ANALYZE {_ident(schema)}.{_ident(table)}")
            pg.execute(f"SET search_path TO {_ident(schema)}")
            for setting in RUN_SETTINGS:
                pg.execute(f"SET {setting}")
            return run_rules(
                pg,
                rules,
                dialect="postgres",
                standard_version=standard_version,
                fiscal_years=fiscal_years,
                present=set(present) if present is not None else set(tables),
            )
        finally:
            pg.execute("RESET search_path")
            for setting in RUN_SETTINGS:
                pg.execute(f"RESET {setting.split('=')[0].strip()}")
            if not keep_schema:
                pg.execute(f"DROP SCHEMA {_ident(schema)} CASCADE")
    finally:
        if own:
            pg.close()
