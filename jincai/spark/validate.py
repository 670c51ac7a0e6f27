"""``validate(…, engine="spark")``: the DuckDB engine's layers and rules, run on Apache Spark.

1. staging: one Spark task per file stages it with the project's own staging and writes Parquet
   partitioned by region and fiscal year (``jincai.spark.staging``);
2. the entity views and the builtin layers (struct, field, code lists, identifiers, record rules):
   the DuckDB SQL of ``staging.create_views`` and ``bulk.run``, transpiled to Spark SQL by sqlglot
   (``jincai.spark.sql``); code-list and identifier verdicts are computed on the driver once per
   distinct value, as on DuckDB;
3. every SQL rule of the catalogue rendered for the ``spark`` dialect by ``sql_rules`` (sqlglot);
4. the issues, collected in the driver's DuckDB ``_issues`` table, become the report exactly as on
   the DuckDB engine (``engine._build``: same order, same truncation, same counts).
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Collection, Sequence

import pyarrow as pa

from jincai.spark import session as spark_session
from jincai.spark import staging as spark_staging
from jincai.spark.rules import run_rules, threads as _threads
from jincai.spark.sql import IssueBuffer, SparkConnection
from jincai.standard import standard
from jincai.validation import bulk, engine
from jincai.validation.catalogue import catalogue
from jincai.validation.inputs import resolve
from jincai.validation.report import Report, SkippedRule
from jincai.validation.staging import Staging, create_views


def validate(
    paths: Sequence[str | Path],
    year: int | None = None,
    max_issues: int | None = engine.DEFAULT_MAX_ISSUES,
    entity: str | None = None,
    *,
    master: str | None = None,
    progress: engine.Progress | None = None,
    memory_limit: str | None = None,
    disabled_rules: Collection[str] = (),
    work_dir: str | Path | None = None,
) -> Report:
    """Validate on Spark (``master``: a Spark master URL; default local mode). Same report as DuckDB.

    ``work_dir``: where the staged Parquet goes (default ``$JINCAI_SPARK_WORK_DIR`` or a temporary
    directory); on a cluster it must be a path every executor and the driver see.
    """
    started = time.perf_counter()
    cat = catalogue()
    disabled = {cat.rule(r).id for r in disabled_rules}
    files = resolve(list(paths), entity)
    spark = spark_session.run_session(master)  # this run's temporary views only
    con = engine.connect(memory_limit)  # the driver's DuckDB: _issues and the report
    base = work_dir or os.environ.get("JINCAI_SPARK_WORK_DIR")
    tmp = tempfile.TemporaryDirectory(prefix="jincai-spark-", dir=base)
    try:
        bulk.create_issues(con)
        staging = spark_staging.stage(
            spark, files, Path(tmp.name), memory_limit=memory_limit,
            progress=(lambda d, t: progress("staging", d, t)) if progress else None,
        )
        issues = IssueBuffer(con)
        create_views(SparkConnection(spark, issues), staging)
        engine._step(progress, "checks", 0, 1)
        run_builtin(spark, issues, staging, cat, year)
        skipped = run_sql_rules(spark, con, staging, progress, disabled)
        issues.flush()
        engine._apply_applicability(con, cat)
        skipped += engine._disable(con, cat, disabled)
        report = engine._build(
            con, cat, staging.records(), engine._file_summaries(staging), skipped, year, max_issues, "bulk",
            fill_keys=lambda _con, rows: fill_keys(spark, rows),
        )
    finally:
        con.close()
        tmp.cleanup()
    report.summary.seconds = round(time.perf_counter() - started, 3)
    return report


def run_builtin(spark: Any, issues: IssueBuffer, staging: Staging, cat: Any, year: int | None) -> None:
    """``bulk.run`` on Spark: the file issues, then every staged file's layers, files side by side
    (each a connection of its own; the statements are ``bulk``'s, transpiled)."""
    std = standard()
    bulk.insert_rows(issues.sink, bulk.file_issue_rows(staging.file_issues))
    present = {f.input.entity for f in staging.files if f.table}
    jobs = [sf for sf in staging.files if sf.table]

    def one(sf) -> None:
        bulk.run_file(SparkConnection(spark, issues), sf, std.entity(sf.input.entity), cat, year, present)

    with ThreadPoolExecutor(_threads(len(jobs))) as pool:
        list(pool.map(one, jobs))


def run_sql_rules(spark: Any, con: Any, staging: Staging, progress: engine.Progress | None, disabled: set[str]) -> list[SkippedRule]:
    """The catalogue's SQL rules, rendered for Spark by ``sql_rules`` (sqlglot), on the entity views."""
    from jincai.validation import sql_rules

    std = standard()
    present = {f.input.entity for f in staging.files if f.table}
    years = _fiscal_years(spark, staging, std)
    engine._step(progress, "cross-entity rules", 0, 1)
    rules = [r for r in sql_rules.sql_rules() if r.id not in disabled]
    result = run_rules(spark, rules, present=present, fiscal_years=sorted(years) or None)
    bulk.insert_rows(con, result.issues)
    engine._step(progress, "cross-entity rules", 1, 1)
    return [SkippedRule(rule=s["rule"], reason=s["reason"], message_zh=s["message_zh"], message_en=s["message_en"]) for s in result.skipped]


def _fiscal_years(spark: Any, staging: Staging, std: Any) -> set[int]:
    """The submission's fiscal years, in one Spark job."""
    tables = [f.table for f in staging.files if f.table and "fiscal_year" in std.entity(f.input.entity).field_names]
    if not tables:
        return set()
    union = " UNION ALL ".join(f"SELECT fiscal_year FROM {t} WHERE fiscal_year IS NOT NULL" for t in tables)
    rows = SparkConnection(spark).execute(f"SELECT DISTINCT fiscal_year FROM ({union}) AS y").fetchall()
    return {int(y) for (y,) in rows}


def fill_keys(spark: Any, rows: list[dict]) -> None:
    """``engine._fill_keys`` on Spark: the listed records' business keys, read from their stage views."""
    std = standard()
    wanted = engine.keys_wanted(rows)

    def one(item: tuple[str, list[dict]]) -> None:
        tbl, items = item
        sc = SparkConnection(spark)
        key_sql = engine.stage_key_sql(std.entity(items[0]["entity"]))
        sc.register("_wanted", pa.table({"r": pa.array(sorted({d["row"] - 1 for d in items}), pa.int64())}))
        try:
            keys = dict(sc.execute(f"SELECT rowid + 1, {key_sql} FROM {tbl} WHERE rowid IN (SELECT r FROM _wanted)").fetchall())
        finally:
            sc.unregister("_wanted")
        for d in items:
            d["key"] = keys.get(d["row"])

    with ThreadPoolExecutor(_threads(len(wanted))) as pool:
        list(pool.map(one, wanted.items()))
