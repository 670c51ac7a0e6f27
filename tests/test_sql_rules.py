"""The cross-record and cross-entity SQL rules (validators/xrec.yaml, xent.yaml) on DuckDB.

Each rule ships ``validators/fixtures/<rule>/pass`` (the rule finds nothing) and ``fail`` (it finds
exactly the issues of ``expected.json``: rule, entity, row, field). Fixtures are staged with the
engine's own staging (``jincai.validation.staging``), so the ``_ok_<field>`` columns are real and the
no-cascade cases in the fixtures (structurally broken values) are checked too.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jincai import paths
from jincai.standard import standard
from jincai.validation.catalogue import catalogue
from jincai.validation.inputs import resolve
from jincai.validation.sql_rules import (
    RESULT_COLUMNS,
    independent_branches,
    load_sql,
    make_issue,
    RenderedRule,
    render,
    run_rules,
    run_statement,
    sql_rules,
    tables_read,
)
from jincai.validation.staging import stage

FIXTURES = paths.VALIDATORS / "fixtures"
RULES = sql_rules()
RULE_IDS = [r.id for r in RULES]


# ------------------------------------------------------------------------------------------------
# helpers (also used by test_sql_rules_postgres.py)
# ------------------------------------------------------------------------------------------------


def stage_dir(con: duckdb.DuckDBPyConnection, folder: Path) -> set[str]:
    """Stage every file of ``folder``; return the entities the submission holds."""
    staging = stage(con, resolve([folder]))
    return set(staging.by_entity())


def fixture_dirs() -> list[tuple[str, str, Path]]:
    return [(rule_id, variant, FIXTURES / rule_id / variant) for rule_id in RULE_IDS for variant in ("pass", "fail")]


def expected_issues(folder: Path) -> list[tuple[str, str, int, str]]:
    path = folder / "expected.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return sorted((i["rule"], i["entity"], i["row"], i["field"]) for i in data["issues"])


def found(issues: list[dict], rule_id: str) -> list[tuple[str, str, int, str]]:
    return sorted((i["rule"], i["entity"], i["row"], i["field"]) for i in issues if i["rule"] == rule_id)


def write_jsonl(folder: Path, entity: str, records: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{entity}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


# ------------------------------------------------------------------------------------------------
# the catalogue and its fixtures
# ------------------------------------------------------------------------------------------------


def test_catalogue_has_the_sql_rules():
    assert {
        "xrec.duplicate-key", "xrec.voucher-unbalanced", "xrec.ytd-mismatch", "xent.orphan-payment",
        "xent.payment-indicator-mismatch", "xent.payment-request-mismatch", "xent.payment-detail-sum",
        "xent.overspend-indicator", "xent.over-plan", "xent.clearing-mismatch",
        "xent.missing-accounting-voucher", "xent.accounting-amount-mismatch", "xent.report-ledger-mismatch",
        "xent.consolidation-mismatch", "xent.budget-quota-mismatch", "xent.budget-quota-quantity",
        "xent.reference-missing",
    } <= set(RULE_IDS)
    for rule in RULES:
        assert rule.implementation.startswith(f"sql/{rule.family}/"), rule.id


def test_sample_defect_kinds_are_unique():
    seen: dict[str, str] = {}
    for rule in RULES:
        for kind in rule.sample_defect_kinds:
            assert kind not in seen, f"{kind} claimed by {seen.get(kind)} and {rule.id}"
            seen[kind] = rule.id
    for kind in ("duplicate-key", "voucher-unbalanced", "orphan-payment", "payment-indicator-mismatch",
                 "overspend-indicator", "over-plan", "clearing-mismatch", "missing-accounting-voucher",
                 "accounting-amount-mismatch", "report-ledger-mismatch", "ytd-mismatch",
                 "consolidation-mismatch", "budget-quota-mismatch"):
        assert kind in seen, kind


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_fixtures(rule_id):
    for variant in ("pass", "fail"):
        folder = FIXTURES / rule_id / variant
        assert folder.is_dir(), folder
        files = sorted(folder.glob("*.jsonl"))
        assert files, folder
        for f in files:
            assert f.stem in standard().entities, f
    exp = json.loads((FIXTURES / rule_id / "fail" / "expected.json").read_text(encoding="utf-8"))
    assert exp["rule"] == rule_id and exp["issues"], rule_id
    for issue in exp["issues"]:
        assert set(issue) == {"rule", "entity", "row", "field"}
        assert issue["rule"] == rule_id
        assert issue["field"] in standard().entity(issue["entity"]).field_names


@pytest.mark.parametrize("rule_id,variant,folder", fixture_dirs(), ids=[f"{r}-{v}" for r, v, _ in fixture_dirs()])
def test_fixture(rule_id, variant, folder):
    rule = catalogue().rule(rule_id)
    con = duckdb.connect()
    present = stage_dir(con, folder)
    result = run_rules(con, [rule], present=present)
    assert result.ran == [rule_id], result.skipped
    assert found(result.issues, rule_id) == expected_issues(folder)
    for issue in result.issues:
        assert Path(issue["file"]).name == f"{issue['entity']}.jsonl"
        assert issue["severity"] == rule.severity
        assert issue["key"] and issue["message_zh"] and issue["message_en"]
        assert "{" not in issue["message_zh"] + issue["message_en"]


def test_amount_mismatch_ignores_an_indicator_given_twice(tmp_path):
    """A budget indicator listed twice (the duplicate-key rules report it) must not double the
    amount a payment voucher's accounting lines book: the amount check does not read indicators."""
    import shutil

    folder = tmp_path / "dup"
    shutil.copytree(FIXTURES / "xent.accounting-amount-mismatch" / "pass", folder)
    lines = (folder / "budget_indicator.jsonl").read_text(encoding="utf-8")
    (folder / "budget_indicator.jsonl").write_text(lines + lines, encoding="utf-8")
    con = duckdb.connect()
    result = run_rules(con, [catalogue().rule("xent.accounting-amount-mismatch")], present=stage_dir(con, folder))
    assert result.ran == ["xent.accounting-amount-mismatch"]
    assert [i for i in result.issues if i["field"] in ("dr_amt", "cr_amt")] == []


def _unsplit(stmts):
    return [dataclasses.replace(s, parts=()) for s in stmts]


@pytest.mark.parametrize("rule_id,variant,folder", fixture_dirs(), ids=[f"{r}-{v}" for r, v, _ in fixture_dirs()])
def test_branches_one_at_a_time_give_the_union_exactly(rule_id, variant, folder):
    """DuckDB runs a rule's independent UNION ALL branches one after the other (memory); every
    fixture gives the very same issues — values, differences, keys, messages — as the one statement."""
    rule = catalogue().rule(rule_id)
    con = duckdb.connect()
    present = stage_dir(con, folder)
    stmts = render(rule, "duckdb", present=present)
    split = [i for s in stmts for i in run_statement(con, s)]
    whole = [i for s in _unsplit(stmts) for i in run_statement(con, s)]
    key = lambda i: json.dumps(i, sort_keys=True, default=str)  # noqa: E731
    assert sorted(split, key=key) == sorted(whole, key=key)


def test_independent_branches():
    # the rule the split is for: three branches, no CTE shared
    rule = catalogue().rule("xent.accounting-amount-mismatch")
    parts = render(rule, "duckdb")[0].parts
    assert len(parts) == 3
    assert all(tables_read(p) for p in parts)
    assert "nt_codes" not in parts[0] and "voucher_amt" in parts[0] and "nt_codes" in parts[2]
    # one statement: a shared CTE (split, it would be computed twice), UNION (distinct), ORDER BY, LIMIT, no union
    assert independent_branches("WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT x FROM a") == []
    assert independent_branches("WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT x FROM a UNION ALL SELECT x FROM b") == []
    assert independent_branches("SELECT 1 AS x UNION SELECT 2") == []
    assert independent_branches("SELECT 1 AS x UNION ALL SELECT 2 UNION SELECT 3") == []
    assert independent_branches("SELECT 1 AS x UNION ALL SELECT 2 ORDER BY 1") == []
    assert independent_branches("SELECT 1 AS x UNION ALL SELECT 2 LIMIT 1") == []
    assert independent_branches("SELECT 1 AS x") == []
    got = independent_branches("WITH a AS (SELECT 1 AS x), b AS (SELECT 2 AS y) SELECT x FROM a UNION ALL SELECT y FROM b UNION ALL SELECT 3")
    assert [duckdb.sql(q).fetchall() for q in got] == [[(1,)], [(2,)], [(3,)]]
    assert "b AS" not in got[0] and "a AS" not in got[1]
    # PostgreSQL and Spark run the statement whole
    assert render(rule, "postgres")[0].parts == ()


def test_branches_of_other_types_run_as_one_statement():
    """A branch whose column types differ from the union's (the union would cast) is not run alone."""
    rule = catalogue().rule("xent.accounting-amount-mismatch")
    con = duckdb.connect()
    sql = "SELECT 'f' AS _file, 1 AS _row, 'k' AS key, 1 AS value, NULL AS expected, NULL AS difference"
    other = sql.replace("1 AS value", "2.5 AS value")
    stmt = RenderedRule(rule, f"{sql} UNION ALL {other}", None, set(), (sql, other))
    assert [i["value"] for i in run_statement(con, stmt)] == ["1.0", "2.5"]  # the union's DECIMAL, not 1


class _OutOfMemoryOnce:
    """A real DuckDB connection whose first run of each rule statement fails as DuckDB does near
    its limit (it does not, reliably, on a small machine: 1 run in 9 on 46 M records)."""

    def __init__(self, con):
        self.con, self.failed = con, set()

    def execute(self, sql, *args):
        if not sql.startswith("DESCRIBE") and sql not in self.failed:
            self.failed.add(sql)
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block of size 256.0 KiB")
        return self.con.execute(sql, *args)


def test_a_statement_that_ran_out_of_memory_runs_once_more():
    rule = catalogue().rule("xent.accounting-amount-mismatch")
    folder = FIXTURES / rule.id / "fail"
    con = duckdb.connect()
    present = stage_dir(con, folder)
    result = run_rules(_OutOfMemoryOnce(con), [rule], present=present)
    assert found(result.issues, rule.id) == expected_issues(folder)


def test_out_of_memory_is_a_clear_error(tmp_path):
    """A rule that cannot finish within DuckDB's memory limit says so — limit, rule, what to do —
    not "the rule's SQL failed"."""
    from jincai.errors import JincaiError

    rule = catalogue().rule("xrec.duplicate-key")
    con = duckdb.connect()
    con.execute("SET memory_limit = '10MB'")
    con.execute("SET threads = 1")
    con.execute(f"SET temp_directory = '{tmp_path}'")
    con.execute("SET max_temp_directory_size = '0KB'")
    sql = ("SELECT 'f' AS _file, i AS _row, 'k' AS key, string_agg(md5(i::VARCHAR) || repeat('x', 200), ',') AS value, "
           "NULL AS expected, NULL AS difference FROM range(2000000) t(i) GROUP BY i % 1000000, i")
    with pytest.raises(JincaiError) as err:
        run_statement(con, RenderedRule(rule, sql, None, set()))
    assert err.value.code == "memory-limit-exceeded"
    assert "JINCAI_MEMORY_LIMIT" in err.value.message_zh and "JINCAI_MEMORY_LIMIT" in err.value.message_en
    assert err.value.details["memory_limit"]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_pass_fixture_is_clean_for_every_rule(rule_id):
    """A rule's passing fixture passes every SQL rule, not only its own (no rule is trigger-happy)."""
    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / rule_id / "pass")
    result = run_rules(con, RULES, present=present)
    assert result.issues == []


# ------------------------------------------------------------------------------------------------
# the neutral dialect
# ------------------------------------------------------------------------------------------------

_FORBIDDEN = [
    (re.compile(r"::"), "write CAST(x AS T), not x::T"),
    (re.compile(r"\bQUALIFY\b", re.I), "no QUALIFY (DuckDB only)"),
    (re.compile(r"\b(DOUBLE|FLOAT|REAL)\b", re.I), "no floating point: money is DECIMAL(18,2)"),
    (re.compile(r"(?<![-/*])/(?![-/*])"), "no division (DuckDB / is float division)"),
    (re.compile(r"\b(STARTS_WITH|MAKE_DATE|LIST_|STRUCT_|REGEXP_FULL_MATCH|TRY_CAST|IFNULL|ILIKE)\b", re.I), "a DuckDB-only function"),
    (re.compile(r"\bGROUP BY\b[^()]*\b[0-9]+\s*(,|$)", re.I | re.M), "no positional GROUP BY"),
]


def _code(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_sql_is_neutral(rule_id):
    rule = catalogue().rule(rule_id)
    text = load_sql(rule)
    assert text.lstrip().startswith("--"), "each SQL file starts with a comment saying what it checks"
    code = _code(text)
    for pattern, why in _FORBIDDEN:
        assert not pattern.search(code), f"{rule_id}: {why}"
    for stmt in render(rule, "duckdb"):
        tree = sqlglot.parse_one(stmt.sql, read="duckdb")
        assert isinstance(tree, (sqlglot.exp.Select, sqlglot.exp.SetOperation)), "one SELECT"
        first = tree
        while isinstance(first, sqlglot.exp.SetOperation):
            first = first.this
        names = [e.alias_or_name for e in first.selects]
        assert set(RESULT_COLUMNS) <= set(names), f"{rule_id}: result columns {names}"
        assert set(names) <= set(RESULT_COLUMNS) | {"entity", "field"}, f"{rule_id}: result columns {names}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_sql_transpiles_to_postgres(rule_id):
    rule = catalogue().rule(rule_id)
    stmts = render(rule, "postgres")
    assert stmts
    for stmt in stmts:
        # transpiled with unsupported_level=RAISE inside render; the result must parse back as PostgreSQL
        sqlglot.parse_one(stmt.sql, read="postgres")
        assert "QUALIFY" not in stmt.sql.upper()
    # the rendered statements for an absent optional target / fallback transpile too
    few = set(rule.entities) - {"*"} | {t for t in rule.targets if t not in (rule.params.get("optional_targets") or [])}
    few -= set((rule.params.get("fallback") or {}))
    if rule.params.get("per_entity"):
        few = {"payment_voucher"}
    for stmt in render(rule, "postgres", present=few):
        sqlglot.parse_one(stmt.sql, read="postgres")


def test_tables_read_ignores_ctes():
    rule = catalogue().rule("xent.overspend-indicator")
    assert tables_read(load_sql(rule)) == {"budget_indicator", "indicator_adjustment", "payment_voucher"}


# ------------------------------------------------------------------------------------------------
# running: skipping, applicability, fallbacks, issue shape
# ------------------------------------------------------------------------------------------------


def test_rule_is_skipped_when_a_target_is_absent(tmp_path):
    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / "xent.orphan-payment" / "fail")
    result = run_rules(con, RULES, present=present - {"budget_indicator"})
    skipped = {s["rule"]: s for s in result.skipped}
    assert "xent.orphan-payment" in skipped and skipped["xent.orphan-payment"]["missing"] == ["budget_indicator"]
    assert "budget_indicator" in skipped["xent.orphan-payment"]["message_en"]
    assert skipped["xent.report-ledger-mismatch"]["reason"] == "missing-tables"
    assert "xrec.duplicate-key" in result.ran
    assert not [i for i in result.issues if i["rule"] == "xent.orphan-payment"]


def test_requires_any(tmp_path):
    con = duckdb.connect()
    write_jsonl(tmp_path, "accounting_voucher", [])
    present = stage_dir(con, tmp_path)
    result = run_rules(con, [catalogue().rule("xent.missing-accounting-voucher")], present=present)
    assert result.ran == [] and result.skipped[0]["reason"] == "missing-tables"


def test_applies_standard_version_and_years():
    rule = catalogue().rule("xrec.duplicate-key")
    later = rule.model_copy(update={"applies": rule.applies.model_copy(update={"standard": ">=2.0.0"})})
    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / "xrec.duplicate-key" / "fail")
    result = run_rules(con, [later], present=present)
    assert result.issues == [] and result.skipped[0]["reason"] == "standard-version"
    future = rule.model_copy(update={"applies": rule.applies.model_copy(update={"fiscal_years": "2030-"})})
    result = run_rules(con, [future], present=present, fiscal_years=[2024])
    assert result.issues == [] and result.skipped[0]["reason"] == "fiscal-year"
    assert run_rules(con, [future], present=present).issues  # no years given: not filtered


def test_applies_restricts_rows_to_the_rule_years(tmp_path):
    """A submission of two years: a rule valid from 2024 sees only the 2024 records."""
    base = json.loads((FIXTURES / "xrec.duplicate-key" / "fail" / "agency_basic_data.jsonl").read_text(encoding="utf-8").splitlines()[0])
    recs = [base, base, {**base, "fiscal_year": "2023"}, {**base, "fiscal_year": "2023"}]
    write_jsonl(tmp_path, "agency_basic_data", recs)
    con = duckdb.connect()
    present = stage_dir(con, tmp_path)
    rule = catalogue().rule("xrec.duplicate-key")
    both = run_rules(con, [rule], present=present, fiscal_years=[2023, 2024])
    assert sorted(i["row"] for i in both.issues) == [2, 4]
    only = rule.model_copy(update={"applies": rule.applies.model_copy(update={"fiscal_years": "2024-"})})
    some = run_rules(con, [only], present=present, fiscal_years=[2023, 2024])
    assert [i["row"] for i in some.issues] == [2]


def test_consolidation_falls_back_on_the_mof_div_code_list():
    con = duckdb.connect()
    folder = FIXTURES / "xent.consolidation-mismatch" / "fail"
    files = [f for f in resolve([folder]) if f.entity != "fiscal_region"]
    staging = stage(con, files)
    rule = catalogue().rule("xent.consolidation-mismatch")
    result = run_rules(con, [rule], present=set(staging.by_entity()))
    assert result.ran == [rule.id]
    assert found(result.issues, rule.id) == expected_issues(folder)
    # the code-list table was created on the connection, as a temporary table
    assert con.execute("SELECT count(*) FROM codelist_mof_div WHERE parent = '130100000'").fetchone()[0] > 5


def test_issue_shape():
    con = duckdb.connect()
    present = stage_dir(con, FIXTURES / "xent.overspend-indicator" / "fail")
    result = run_rules(con, [catalogue().rule("xent.overspend-indicator")], present=present)
    first = min(result.issues, key=lambda i: i["row"])
    assert set(first) == {"rule", "severity", "entity", "file", "row", "field", "value", "expected", "difference",
                          "key", "message_zh", "message_en"}
    assert first == {**first, "rule": "xent.overspend-indicator", "entity": "payment_voucher", "row": 3,
                     "field": "pay_amt", "value": "300.00", "expected": "200.00", "difference": "100.00",
                     "key": "130100000|2024|ZF4"}
    assert "300.00" in first["message_zh"] and "100.00" in first["message_en"]
    assert result.seconds["xent.overspend-indicator"] >= 0


def test_make_issue_per_entity_field():
    rule = catalogue().rule("xrec.duplicate-key")
    issue = make_issue(rule, {"_file": "f", "_row": 3, "key": "k", "value": "k", "expected": "f:1", "difference": None},
                       "accounting_voucher_line")
    assert issue["field"] == "line_no" and issue["entity"] == "accounting_voucher_line"


# ------------------------------------------------------------------------------------------------
# properties (hypothesis): the SQL against a plain-Python reading of the same rule
# ------------------------------------------------------------------------------------------------

_PROP = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_BASE = {
    f.stem: json.loads(f.read_text(encoding="utf-8").splitlines()[0])
    for f in (FIXTURES / "xent.overspend-indicator" / "pass").glob("*.jsonl")
}


def _cents(c: int) -> str:
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


payment = st.tuples(
    st.integers(0, 60),  # day offset from Jan 1
    st.integers(-5_000, 40_000),  # cents; negative = reversal
    st.sampled_from(["1", "1", "2", "3"]),  # pay status; 3 = returned (not counted)
)


@_PROP
@given(
    amount=st.integers(0, 100_000),
    adjustments=st.lists(st.integers(-20_000, 20_000), max_size=3),
    payments=st.lists(payment, min_size=1, max_size=12),
)
def test_overspend_property(tmp_path_factory, amount, adjustments, payments):
    folder = tmp_path_factory.mktemp("overspend")
    ind = {**_BASE["budget_indicator"], "bgt_id": "B1", "amount": _cents(amount)}
    adj = [{**_BASE["indicator_adjustment"], "adj_id": f"TZ{k}", "bgt_id": "B1", "adj_amt": _cents(a)}
           for k, a in enumerate(adjustments)]
    vouchers = []
    for k, (day, cents, status) in enumerate(payments):
        vouchers.append({**_BASE["payment_voucher"], "pay_cert_id": f"ZF{k:03d}", "bgt_id": "B1",
                         "vou_date": (date(2024, 1, 1) + timedelta(days=day)).isoformat(),
                         "pay_amt": _cents(cents), "is_reversal": cents < 0, "pay_status_code": status})
    write_jsonl(folder, "budget_indicator", [ind])
    write_jsonl(folder, "indicator_adjustment", adj)
    write_jsonl(folder, "payment_voucher", vouchers)
    con = duckdb.connect()
    present = stage_dir(con, folder)
    issues = run_rules(con, [catalogue().rule("xent.overspend-indicator")], present=present).issues

    limit = amount + sum(adjustments)
    order = sorted(range(len(payments)), key=lambda k: (payments[k][0], f"ZF{k:03d}"))
    running, want = 0, None
    for k in order:
        day, cents, status = payments[k]
        if status == "3":
            continue
        running += cents
        if running > limit:
            want = (k + 1, _cents(running - limit), _cents(limit - (running - cents)))
            break
    got = [(i["row"], i["difference"], i["expected"]) for i in issues]
    assert got == ([want] if want else [])


@_PROP
@given(
    quantity=st.integers(0, 10**7),  # hundredths (integer bases: within the elements' maximum)
    quota=st.integers(0, 10**7),  # fen
    basis=st.sampled_from(["01", "02", "03", "04"]),
    off=st.sampled_from([0, 0, 1, -1]),
)
def test_budget_quota_rounds_half_up(tmp_path_factory, quantity, quota, basis, off):
    folder = tmp_path_factory.mktemp("quota")
    fx = FIXTURES / "xent.budget-quota-mismatch" / "pass"
    basic = json.loads((fx / "agency_basic_data.jsonl").read_text(encoding="utf-8").splitlines()[0])
    quota_rec = json.loads((fx / "expense_quota.jsonl").read_text(encoding="utf-8").splitlines()[0])
    line = json.loads((fx / "dept_budget_line.jsonl").read_text(encoding="utf-8").splitlines()[0])
    field = {"01": "staff_in_service", "02": "retired_count", "03": "office_area", "04": "vehicle_count"}[basis]
    if field == "office_area":
        qty = Decimal(quantity).scaleb(-2)
        basic[field] = _cents(quantity)
    else:
        qty = Decimal(quantity // 100)
        basic[field] = quantity // 100
    value = Decimal(quota).scaleb(-2)
    computed = (qty * value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    amt = computed + Decimal(off).scaleb(-2)
    if amt < 0:
        amt = computed
    quota_rec.update(quota_basis_code=basis, quota_value=_cents(quota))
    line.update(bgt_line_amt=f"{amt:.2f}", quantity=f"{qty:.2f}")
    write_jsonl(folder, "agency_basic_data", [basic])
    write_jsonl(folder, "expense_quota", [quota_rec])
    write_jsonl(folder, "dept_budget_line", [line])
    con = duckdb.connect()
    present = stage_dir(con, folder)
    issues = run_rules(con, [catalogue().rule("xent.budget-quota-mismatch"), catalogue().rule("xent.budget-quota-quantity")],
                       present=present).issues
    if amt == computed:
        assert issues == []
    else:
        assert [(i["rule"], i["expected"], i["difference"]) for i in issues] == [
            ("xent.budget-quota-mismatch", f"{computed:.2f}", f"{amt - computed:.2f}")]


@_PROP
@given(lines=st.lists(st.tuples(st.integers(-10_000, 10_000), st.booleans()), min_size=1, max_size=8))
def test_voucher_balance_property(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("balance")
    fx = FIXTURES / "xrec.voucher-unbalanced" / "pass" / "accounting_voucher_line.jsonl"
    base = json.loads(fx.read_text(encoding="utf-8").splitlines()[0])
    recs = []
    for n, (cents, debit) in enumerate(lines, 1):
        recs.append({**base, "acct_voucher_id": "KJ1", "line_no": n,
                     "dr_amt": _cents(cents if debit else 0), "cr_amt": _cents(0 if debit else cents)})
    write_jsonl(folder, "accounting_voucher_line", recs)
    con = duckdb.connect()
    present = stage_dir(con, folder)
    issues = run_rules(con, [catalogue().rule("xrec.voucher-unbalanced")], present=present).issues
    dr = sum(c for c, d in lines if d)
    cr = sum(c for c, d in lines if not d)
    if dr == cr:
        assert issues == []
    else:
        heavy_debit = dr > cr
        side = [n for n, (c, d) in enumerate(lines, 1) if d == heavy_debit and c != 0]
        (issue,) = issues
        assert issue["row"] == (side[0] if side else 1)
        assert issue["field"] == ("dr_amt" if heavy_debit else "cr_amt")
        assert issue["difference"] == _cents(abs(dr - cr))


# ------------------------------------------------------------------------------------------------
# a generated sample province: every injected defect of an xrec/xent kind is found, at the record and
# field the manifest lists, and nothing else (clean records stay clean)
# ------------------------------------------------------------------------------------------------


def make_sample(folder: Path, region: str, year: int, scale: int, defects: int, seed: int) -> dict:
    from jincai.sample.build import Options, generate

    return generate(Options(out=folder, region=region, year=year, scale=scale, defects=defects, seed=seed, workers=1))


@pytest.fixture(scope="module")
def sample_province(tmp_path_factory):
    """Xingtai 2020 (counties abolished and created mid-year), with defects of every kind."""
    folder = tmp_path_factory.mktemp("sample")
    manifest = make_sample(folder, "130500", 2020, 3, 45, 11)
    return folder, manifest


def test_sample_defects_found_exactly(sample_province):
    folder, manifest = sample_province
    kind_rule = {k: r.id for r in RULES for k in r.sample_defect_kinds}
    want = {(kind_rule[d["kind"]], d["entity"], d["file"], d["row"], d["field"])
            for d in manifest["defects"] if d["kind"] in kind_rule}
    assert {d["kind"] for d in manifest["defects"] if d["kind"] in kind_rule} == set(kind_rule)  # every kind placed
    con = duckdb.connect()
    present = stage_dir(con, folder)
    result = run_rules(con, RULES, present=present)
    assert result.skipped == []
    got = {(i["rule"], i["entity"], Path(i["file"]).name, i["row"], i["field"]) for i in result.issues}
    assert got == want


def test_sample_without_fiscal_region_uses_the_code_list(sample_province):
    folder, manifest = sample_province
    con = duckdb.connect()
    staging = stage(con, [f for f in resolve([folder]) if f.entity != "fiscal_region"])
    result = run_rules(con, [catalogue().rule("xent.consolidation-mismatch")], present=set(staging.by_entity()))
    want = {(d["file"], d["row"]) for d in manifest["defects"] if d["kind"] == "consolidation-mismatch"}
    assert want
    assert {(Path(i["file"]).name, i["row"]) for i in result.issues} == want
