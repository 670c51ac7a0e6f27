"""The catalogue's SQL rules on Spark: rendered for the ``spark`` dialect by ``sql_rules`` (sqlglot).

:func:`run_rules` runs ``sql_rules.run_rules`` twice: first on a recorder, which learns the
statements it would run (which rules run depends on the entities present and the fiscal years,
never on the data); those statements then run as concurrent Spark jobs (one job each costs Spark
far more than a small submission's work, and concurrent jobs share the executors); the second pass
reads their rows, so skips, issues and messages are made by ``run_rules`` itself, exactly as on
DuckDB and PostgreSQL.

:func:`run_on_spark` is ``jincai.validation.pg.run_on_postgres`` for Spark: the staged entity
tables of a DuckDB connection copied into Spark (through Arrow), the rules run there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Sequence

import pyarrow as pa

from jincai.spark.sql import SparkConnection, SparkCursor, transpile
from jincai.validation import sql_rules
from jincai.validation.catalogue import Rule


def threads(n: int) -> int:
    """Spark jobs submitted side by side: enough to keep the executors busy while the driver plans."""
    return max(1, min(n, int(os.environ.get("JINCAI_SPARK_DRIVER_THREADS", "8"))))


class _Recorder:
    """A connection that only notes the statements it is given (the planning pass)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, sql: str, params: Any = None) -> SparkCursor:
        self.statements.append(sql)
        return SparkCursor(list(sql_rules.RESULT_COLUMNS), rows=[])


def codelist_views(spark: Any) -> set[str]:
    """The code lists a rule may fall back on (``codelist_mof_div``), as temporary views."""
    for table, list_id in sql_rules.CODELIST_TABLES.items():
        rows = sql_rules.codelist_rows(list_id)
        arrow = pa.table({
            "code": pa.array([r[0] for r in rows], pa.string()),
            "parent": pa.array([r[1] for r in rows], pa.string()),
            "valid_from": pa.array([r[2] for r in rows], pa.date32()),
            "valid_to": pa.array([r[3] for r in rows], pa.date32()),
        })
        spark.createDataFrame(arrow).createOrReplaceTempView(table)
    return set(sql_rules.CODELIST_TABLES)


def run_rules(
    spark: Any,
    rules: Sequence[Rule] | None = None,
    *,
    present: Iterable[str],
    fiscal_years: Iterable[int] | None = None,
    standard_version: str | None = None,
) -> sql_rules.SqlRunResult:
    """``sql_rules.run_rules`` on the entity views of ``spark`` (see the module doc)."""
    return run_rules_many(spark, rules, [Batch(set(present), fiscal_years)], standard_version=standard_version)[0]


@dataclass
class Batch:
    """One submission among several run together: its entities, years, and the prefix of its views."""

    present: set[str]
    fiscal_years: Iterable[int] | None = None
    prefix: str = ""


def run_rules_many(spark: Any, rules: Sequence[Rule] | None, batches: Sequence[Batch], *, standard_version: str | None = None) -> list[sql_rules.SqlRunResult]:
    """The rules over several submissions at once, each in views named ``<prefix><entity>``: every
    statement of every submission runs concurrently (the fixture tests use it to share the work)."""
    shared = codelist_views(spark)
    runs = []
    for b in batches:
        args = dict(dialect="spark", present=b.present | shared, fiscal_years=b.fiscal_years, standard_version=standard_version)
        plan = _Recorder()
        sql_rules.run_rules(plan, rules, **args)
        renames = tuple(sorted((t, f"{b.prefix}{t}") for t in b.present)) if b.prefix else ()
        runs.append((args, {sql: transpile(sql, "spark", renames)[0] if renames else sql for sql in plan.statements}))

    def fetch(sql: str) -> tuple[str, SparkCursor | None]:
        try:
            df = spark.sql(sql)
            return sql, SparkCursor(df.columns, rows=[tuple(r) for r in df.collect()])
        except Exception:  # noqa: BLE001 - run again in the second pass, where run_rules names the failing rule
            return sql, None

    statements = list(dict.fromkeys(s for _, mapping in runs for s in mapping.values()))
    with ThreadPoolExecutor(threads(len(statements))) as pool:
        fetched = {sql: cur for sql, cur in pool.map(fetch, statements) if cur is not None}
    out = []
    for args, mapping in runs:
        results = {orig: fetched[renamed] for orig, renamed in mapping.items() if renamed in fetched}
        con = SparkConnection(spark, read="spark", results=results)
        if any(renamed not in fetched for renamed in mapping.values()):
            con = _Renaming(con, mapping)  # a failed statement runs again, renamed, and fails with its rule's name
        out.append(sql_rules.run_rules(con, rules, **args))
    return out


class _Renaming:
    def __init__(self, con: SparkConnection, mapping: dict[str, str]):
        self.con, self.mapping = con, mapping

    def execute(self, sql: str, params: Any = None) -> SparkCursor:
        if self.con.results is not None and sql in self.con.results:
            return self.con.results[sql]
        return self.con.execute(self.mapping.get(sql, sql), params)


def run_on_spark(
    duck: Any,
    tables: Iterable[str],
    rules: Sequence[Rule] | None = None,
    *,
    spark: Any = None,
    present: Iterable[str] | None = None,
    fiscal_years: Iterable[int] | None = None,
) -> sql_rules.SqlRunResult:
    """Copy ``tables`` from ``duck`` into a fresh Spark session (temporary views) and run the rules there."""
    from jincai.spark.session import RUN_CONF, session

    spark = (spark or session()).newSession()
    for key, value in RUN_CONF.items():
        spark.conf.set(key, value)
    tables = list(tables)
    for table in tables:
        spark.createDataFrame(duck.sql(f"SELECT * FROM {table}").to_arrow_table()).createOrReplaceTempView(table)
    return run_rules(spark, rules, present=set(present) if present is not None else set(tables), fiscal_years=fiscal_years)
