"""The Spark engine gives the same verdicts as DuckDB (and PostgreSQL): rules, reports, CLI.

All Spark tests share the process's one SparkSession (``jincai.spark.session``: start-up costs
seconds). Without PySpark or Java they are skipped on a developer machine and FAIL in CI (``CI``
set), so a missing engine is never silent there (``make test`` installs both).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from jincai.cli import app
from jincai.validation.engine import validate
from jincai.validation.sql_rules import run_rules, sql_rules
from test_sql_rules import FIXTURES, RULE_IDS, expected_issues, found, make_sample, stage_dir

pytestmark = pytest.mark.spark

RULES = sql_rules()
DSN = os.environ.get("JINCAI_PG_DSN")


@pytest.fixture(scope="module")
def pg():
    if not DSN:
        yield None
        return
    from jincai.validation.pg import connect

    con = connect(DSN)
    yield con
    con.close()


def _canon(issues: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, repr(v)) for k, v in i.items())) for i in issues)


def _same_report(a, b) -> None:
    """Two reports are the same but for the time they took."""
    da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
    da["summary"].pop("seconds")
    db["summary"].pop("seconds")
    assert da["summary"] == db["summary"]
    assert da["issues"] == db["issues"]  # same issues, in the same order


# ------------------------------------------------------------------------------------------------
# the SQL rules: every fixture, three engines
# ------------------------------------------------------------------------------------------------


FIXTURE_CASES = [(rule_id, variant) for rule_id in RULE_IDS for variant in ("pass", "fail")]


@pytest.fixture(scope="module")
def on_spark_and_duck(spark):
    """Every SQL-rule fixture staged in DuckDB, copied into one Spark session under a prefix of its
    own (``f<i>_payment_voucher`` …), all run together (``run_rules_many``) — one wave of Spark jobs
    instead of 32; each fixture still sees only its own tables."""
    from jincai.spark.rules import Batch, run_rules_many
    from jincai.spark.session import run_session

    session = run_session()
    cons, batches = {}, []
    for i, case in enumerate(FIXTURE_CASES):
        con = duckdb.connect()
        present = stage_dir(con, FIXTURES / case[0] / case[1])
        for table in sorted(present):
            session.createDataFrame(con.sql(f"SELECT * FROM {table}").to_arrow_table()).createOrReplaceTempView(f"f{i}_{table}")
        cons[case] = (con, present)
        batches.append(Batch(present, prefix=f"f{i}_"))
    results = run_rules_many(session, RULES, batches)
    return {case: (cons[case][0], cons[case][1], r) for case, r in zip(FIXTURE_CASES, results)}


@pytest.mark.parametrize("rule_id,variant", FIXTURE_CASES)
def test_sql_rule_fixture_same_on_duckdb_postgres_and_spark(on_spark_and_duck, pg, rule_id, variant):
    con, present, on_spark = on_spark_and_duck[(rule_id, variant)]
    on_duck = run_rules(con, RULES, present=present)
    assert on_spark.ran == on_duck.ran
    assert [s["rule"] for s in on_spark.skipped] == [s["rule"] for s in on_duck.skipped]
    assert _canon(on_spark.issues) == _canon(on_duck.issues)
    assert found(on_spark.issues, rule_id) == expected_issues(FIXTURES / rule_id / variant)
    if pg is not None:  # CI always has the server (test_sql_rules_postgres.py fails without it)
        from jincai.validation.pg import run_on_postgres

        on_pg = run_on_postgres(con, sorted(present), RULES, pg=pg, present=present)
        assert _canon(on_pg.issues) == _canon(on_spark.issues)


def test_run_on_spark_copies_a_duckdb_submission(spark):
    """``run_on_spark`` (the ``run_on_postgres`` of Spark) on one fixture."""
    from jincai.spark.rules import run_on_spark

    folder = FIXTURES / "xent.orphan-payment" / "fail"
    con = duckdb.connect()
    present = stage_dir(con, folder)
    on_spark = run_on_spark(con, sorted(present), RULES, spark=spark, present=present)
    assert found(on_spark.issues, "xent.orphan-payment") == expected_issues(folder)


def test_every_sql_rule_transpiles_to_spark():
    from jincai.validation.sql_rules import render

    for rule in RULES:
        for stmt in render(rule, "spark"):
            assert stmt.sql.lstrip().upper().startswith(("SELECT", "WITH", "/*"))


# ------------------------------------------------------------------------------------------------
# whole reports: builtin layers + SQL rules, DuckDB vs Spark
# ------------------------------------------------------------------------------------------------


def test_sample_province_same_report_on_duckdb_and_spark(spark, tmp_path):
    """A generated province with injected defects of every kind: identical reports."""
    make_sample(tmp_path, "130100", 2024, 1, 25, 5)  # one defect per kind: scale 1 has 25 budget units
    on_duck = validate([tmp_path], year=2024)
    on_spark = validate([tmp_path], year=2024, engine="spark")
    assert on_duck.issues and on_duck.summary.rules_skipped is not None
    _same_report(on_duck, on_spark)


def test_struct_rule_fixtures_same_report_on_duckdb_and_spark(spark):
    """Every failing struct fixture (unreadable, empty, badly encoded files, broken rows, column
    problems) in one submission: file problems found in Spark tasks are reported as on DuckDB. (The
    field, code, identifier and record layers are covered by the sample province above; all their
    fixtures at once take minutes on Spark, one job per code-list field and file.)"""
    from jincai.validation.inputs import FORMATS

    folders = [d / "fail" for d in sorted(FIXTURES.iterdir()) if d.name.startswith("struct.")]
    paths = [p for f in folders if f.is_dir() for p in sorted(f.iterdir()) if p.suffix in FORMATS]
    on_duck = validate(paths, max_issues=None)
    on_spark = validate(paths, max_issues=None, engine="spark")
    assert {i.rule for i in on_duck.issues} >= {"struct.encoding", "struct.json-syntax", "struct.empty-file", "struct.missing-column"}
    _same_report(on_duck, on_spark)


def test_disabled_rules_and_truncation_same_on_spark(spark):
    folder = FIXTURES / "xent.overspend-indicator" / "fail"
    kw = dict(max_issues=1, disabled_rules=["xrec.duplicate-key"])
    _same_report(validate([folder], **kw), validate([folder], engine="spark", **kw))


# ------------------------------------------------------------------------------------------------
# the command line
# ------------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_validate_engine_spark_same_json_and_exit_code(spark, tmp_path):
    folder = FIXTURES / "xent.orphan-payment" / "fail"
    outs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"{engine}.json"
        r = runner.invoke(app, ["validate", str(folder), "--engine", engine, "--format", "json", "--out", str(out)])
        assert r.exit_code == 1, r.output
        outs[engine] = json.loads(out.read_text(encoding="utf-8"))
        outs[engine]["summary"].pop("seconds")
    assert outs["duckdb"] == outs["spark"]


def test_cli_spark_master_without_spark_engine_is_a_usage_error(tmp_path):
    r = runner.invoke(app, ["validate", str(FIXTURES / "xent.orphan-payment" / "fail"), "--spark-master", "local[1]"])
    assert r.exit_code == 2
    assert "--engine spark" in r.output


def test_cli_unknown_engine_is_a_usage_error():
    r = runner.invoke(app, ["validate", str(FIXTURES / "xent.orphan-payment" / "fail"), "--engine", "oracle"])
    assert r.exit_code == 2


def test_spark_staging_is_partitioned_by_region_and_year(spark, tmp_path):
    """The staged Parquet: one directory per region and fiscal year, values kept as text."""
    from jincai.spark.staging import stage
    from jincai.validation.inputs import resolve

    folder = FIXTURES / "xent.overspend-indicator" / "fail"
    work = tmp_path / "work"
    staging = stage(spark.newSession(), resolve([folder]), work)
    assert all(f.table for f in staging.files)
    dirs = sorted(str(p.relative_to(work)) for p in work.glob("*/part_region=*/part_year=*"))
    assert dirs and all(d.split("/")[1].startswith("part_region=13") for d in dirs)
    assert {d.split("/")[2] for d in dirs} == {"part_year=2024"}


# ------------------------------------------------------------------------------------------------
# the transpiling connection (no Spark needed)
# ------------------------------------------------------------------------------------------------


def test_transpile_renames_stage_tables_and_splits_inserts():
    from jincai.spark.sql import transpile

    text, target, cols = transpile("INSERT INTO _issues (rule, row) SELECT 'r', rowid + 1 FROM _stage.t12 AS t WHERE t.x IS NULL")
    assert (target, cols) == ("_issues", ("rule", "row"))
    assert "_stage_t12 AS t" in text and "INSERT" not in text.upper()
    text, target, _ = transpile("CREATE OR REPLACE VIEW payment_voucher AS SELECT * FROM _stage.t1")
    assert target is None and text.startswith("CREATE OR REPLACE TEMPORARY VIEW payment_voucher")
    text, _, _ = transpile("SELECT * FROM _bad_values b JOIN _stage.t2 t ON b.k = t.k", renames=(("_bad_values", "_bad_values_c7"),))
    assert "_bad_values_c7 AS b" in text and "_stage_t2 AS t" in text


def test_builtin_sql_uses_only_what_transpiles():
    """DuckDB-only functions that sqlglot leaves as they are would fail on Spark: none in bulk's SQL."""
    import inspect

    from jincai.validation import bulk, engine, staging

    src = inspect.getsource(bulk) + inspect.getsource(staging.create_views) + inspect.getsource(engine.stage_key_sql)
    for name in ("list_position(", "timezone('", "list_extract("):
        assert name not in src, name
