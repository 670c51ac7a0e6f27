"""The gateway's store on DuckDB and PostgreSQL: versioned migrations, the schema contract the
consolidation and position queries rely on, the same SQL on both, and the audit log's chain."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway_harness import drop_schema, store_args
from jincai.gateway.audit import AuditLog, verify
from jincai.gateway.ingest import PERIOD
from jincai.gateway.store import open_store
from jincai.gateway.store.base import sql_for
from jincai.gateway.store.migrations import MIGRATIONS, record_table
from jincai.standard import standard

STORES = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    target, schema = store_args(request.param)
    s = open_store(target or tmp_path / "store", schema)
    yield s
    s.close()
    if schema:
        drop_schema(schema)


def test_migrations_apply_once_and_reopening_applies_none(store, tmp_path):
    assert store.schema_version() == MIGRATIONS[-1].version
    assert store.migrate() == []
    assert [r["version"] for r in store.query("SELECT version FROM gw_schema_migrations ORDER BY version")] == [m.version for m in MIGRATIONS]


def test_every_entity_has_a_record_table_with_every_field_of_the_standard(store):
    """A standard that gains a field needs a migration: this fails until one adds the column."""
    for entity in standard().entities.values():
        assert store.columns(record_table(entity.id)) == ["_submission_id", "_row", *entity.field_names], entity.id


def test_control_tables_have_the_documented_columns(store):
    assert store.columns("gw_data_version") == [
        "mof_div_code", "fiscal_year", "period", "entity", "version", "submission_id", "records", "valid_from", "valid_to", "superseded_by",
    ]  # fmt: skip
    assert {"submission_id", "mof_div_code", "fiscal_year", "period", "status", "committed_at", "receipt_payload"} <= set(store.columns("gw_submission"))


def test_money_is_exact_numeric_in_both_stores(store):
    typ = store.query(
        "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        ("rec_payment_voucher", "pay_amt"),
    )[0]
    assert typ["data_type"].upper() in ("DECIMAL(18,2)", "NUMERIC", "DECIMAL") and typ["numeric_scale"] == 2 and typ["numeric_precision"] == 18


def test_queries_are_written_once_and_transpiled():
    assert sql_for("duckdb", "SELECT a FROM t WHERE b = ?") == "SELECT a FROM t WHERE b = ?"
    assert sql_for("postgres", "SELECT a FROM t WHERE b = ?") == "SELECT a FROM t WHERE b = %s"
    assert "BYTEA" in sql_for("postgres", "CREATE TABLE x (c BLOB)")


@given(st.text(alphabet="0123456789-D", max_size=12))
def test_period_syntax_is_year_month_or_ten_day_period(text):
    ok = PERIOD.fullmatch(text) is not None
    parts = text.split("-")
    expected = (
        len(parts[0]) == 4 and parts[0].isdigit()
        and (len(parts) == 1 or (len(parts[1]) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12
             and (len(parts) == 2 or (len(parts) == 3 and parts[2] in ("D1", "D2", "D3")))))
    )  # fmt: skip
    assert ok == expected, text


def test_audit_log_detects_a_changed_removed_or_inserted_line(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for i in range(5):
        log.append(rpc="Submit", outcome="ok", region=f"13060{i}000")
    log.close()
    assert verify(path) == (5, [])
    lines = path.read_text().splitlines(keepends=True)
    changed = lines.copy()
    changed[2] = changed[2].replace("ok", "denied")
    for variant in (changed, lines[:2] + lines[3:], lines[:2] + [lines[1]] + lines[2:]):
        path.write_text("".join(variant))
        assert verify(path)[1], "tampering went unnoticed"


def test_audit_log_cuts_a_line_torn_by_a_crash_and_logs_the_cut(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append(rpc="Submit", outcome="ok")
    log.close()
    with open(path, "ab") as fh:
        fh.write(b'{"seq":2,"rpc":"Sub')  # the process died mid-write
    log = AuditLog(path)
    log.append(rpc="ListSubmissions", outcome="ok")
    log.close()
    n, problems = verify(path)
    assert problems == [] and n == 3
    assert json.loads(path.read_text().splitlines()[1])["code"] == "audit-torn-line-removed"


def test_the_gateway_caps_its_embedded_store_s_memory(tmp_path, monkeypatch):
    """DuckDB's default buffer pool (80 % of RAM, every page kept cached) made a running gateway's
    RSS grow with its store (measured over a 10 M-record ingest); the gateway caps it."""
    from gateway_harness import ThreadGateway
    from jincai.errors import JincaiError

    def limit(gw) -> str:
        with gw.store._read() as con:
            return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    gw = ThreadGateway(tmp_path / "a")
    try:
        assert limit(gw) == "488.2 MiB"  # 512MB, as DuckDB prints it
    finally:
        gw.stop()
    monkeypatch.setenv("JINCAI_GATEWAY_STORE_MEMORY", "256MB")
    gw = ThreadGateway(tmp_path / "b")
    try:
        assert limit(gw) == "244.1 MiB"
    finally:
        gw.stop()
    monkeypatch.setenv("JINCAI_GATEWAY_STORE_MEMORY", "lots; DROP TABLE x")
    with pytest.raises(JincaiError) as e:
        ThreadGateway(tmp_path / "c")
    assert e.value.code == "gateway-store-memory"
