"""The SQL rules give the same verdict on a real PostgreSQL server as on DuckDB.

Every xrec/xent rule runs on every rule fixture (pass and fail) both in process on DuckDB and, after
``jincai.validation.pg`` has copied the staged tables into a per-run schema, on PostgreSQL with the
sqlglot-transpiled SQL; the issue lists (every field, messages included) must be identical.

Needs ``JINCAI_PG_DSN`` (``make test`` starts a server with ``tools/pg.sh``). Without it the tests are
skipped on a developer machine and FAIL in CI (``CI`` set), so a missing server is never silent there.
"""

from __future__ import annotations

import os

import duckdb
import pytest

from jincai.validation.catalogue import catalogue
from jincai.validation.inputs import resolve
from jincai.validation.sql_rules import run_rules, sql_rules
from jincai.validation.staging import stage
from test_sql_rules import FIXTURES, RULE_IDS, expected_issues, found, stage_dir

pytestmark = pytest.mark.postgres

DSN = os.environ.get("JINCAI_PG_DSN")
RULES = sql_rules()


@pytest.fixture(scope="module")
def pg():
    if not DSN:
        if os.environ.get("CI"):
            pytest.fail("JINCAI_PG_DSN 未设置：CI 中必须有 PostgreSQL / JINCAI_PG_DSN is unset: CI must run these tests on PostgreSQL")
        pytest.skip("JINCAI_PG_DSN unset (run `bash tools/pg.sh start && . .pg/env`)")
    from jincai.validation.pg import connect

    con = connect(DSN)
    yield con
    con.close()


def _canon(issues: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, repr(v)) for k, v in i.items())) for i in issues)


@pytest.mark.parametrize("rule_id", RULE_IDS)
@pytest.mark.parametrize("variant", ["pass", "fail"])
def test_same_verdict_on_postgres(pg, rule_id, variant):
    from jincai.validation.pg import run_on_postgres

    folder = FIXTURES / rule_id / variant
    con = duckdb.connect()
    present = stage_dir(con, folder)
    on_duck = run_rules(con, RULES, present=present)
    on_pg = run_on_postgres(con, sorted(present), RULES, pg=pg, present=present)
    assert on_pg.ran == on_duck.ran
    assert [s["rule"] for s in on_pg.skipped] == [s["rule"] for s in on_duck.skipped]
    assert _canon(on_pg.issues) == _canon(on_duck.issues)
    assert found(on_pg.issues, rule_id) == expected_issues(folder)


def test_fallback_code_list_on_postgres(pg):
    from jincai.validation.pg import run_on_postgres

    folder = FIXTURES / "xent.consolidation-mismatch" / "fail"
    con = duckdb.connect()
    staging = stage(con, [f for f in resolve([folder]) if f.entity != "fiscal_region"])
    present = set(staging.by_entity())
    rule = catalogue().rule("xent.consolidation-mismatch")
    on_pg = run_on_postgres(con, sorted(present), [rule], pg=pg, present=present)
    assert found(on_pg.issues, rule.id) == expected_issues(folder)


def test_run_schema_is_dropped(pg):
    from jincai.validation.pg import run_on_postgres

    before = {r[0] for r in pg.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'jincai_run_%'").fetchall()}
    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / "xrec.duplicate-key" / "fail")
    run_on_postgres(con, sorted(present), [catalogue().rule("xrec.duplicate-key")], pg=pg, present=present)
    after = {r[0] for r in pg.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'jincai_run_%'").fetchall()}
    assert after == before


def test_column_types_on_postgres(pg):
    from jincai.validation.pg import run_on_postgres

    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / "xent.overspend-indicator" / "fail")
    run_on_postgres(con, ["payment_voucher"], [], pg=pg, present=present, keep_schema=True)
    row = pg.execute(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'payment_voucher' "
        "AND table_schema LIKE 'jincai_run_%' ORDER BY table_schema DESC LIMIT 1"
    ).fetchone()
    schema = row[0]
    try:
        types = dict(pg.execute(
            "SELECT column_name, data_type || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') "
            "FROM information_schema.columns WHERE table_schema = %s AND table_name = 'payment_voucher'", (schema,)
        ).fetchall())
        assert types["pay_amt"] == "numeric(18,2)"
        assert types["vou_date"] == "date"
        assert types["is_reversal"] == "boolean"
        assert types["_row"].startswith("bigint")
        assert types["pay_cert_id"] == "text"
        assert types["update_time"] == "timestamp with time zone"
        n = pg.execute(f'SELECT count(*) FROM "{schema}".payment_voucher').fetchone()[0]
        assert n == con.execute("SELECT count(*) FROM payment_voucher").fetchone()[0]
    finally:
        pg.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_sample_province_same_on_postgres(pg, tmp_path):
    """A generated province with defects of every kind: identical issues on PostgreSQL and DuckDB."""
    from jincai.validation.pg import run_on_postgres
    from test_sql_rules import make_sample

    make_sample(tmp_path, "130100", 2024, 2, 40, 5)
    con = duckdb.connect()
    present = stage_dir(con, tmp_path)
    on_duck = run_rules(con, RULES, present=present)
    on_pg = run_on_postgres(con, sorted(present), RULES, pg=pg, present=present)
    assert on_duck.issues
    assert _canon(on_pg.issues) == _canon(on_duck.issues)
