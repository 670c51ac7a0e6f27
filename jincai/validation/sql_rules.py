"""跨记录、跨实体 SQL 规则的执行 / Running the cross-record and cross-entity SQL rules.

A SQL rule (``validators/xrec.yaml``, ``validators/xent.yaml``) is one ``SELECT`` in one neutral
dialect (``validators/README.md``, "SQL rule contract"): DuckDB runs it as written, PostgreSQL runs
``sqlglot.transpile(sql, read="duckdb", write="postgres")``. This module

* loads a rule's SQL and renders it for a dialect (:func:`render`);
* decides whether a rule runs at all: its ``applies`` must match the standard version and the
  submission's fiscal years, and every table it reads must be in the submission — otherwise the rule
  is listed in ``skipped`` with the reason (a submission may hold only some entities);
* runs it on a DB-API-like connection (DuckDB or psycopg: ``con.execute(sql)`` returning a cursor
  with ``description`` and ``fetchall``) and turns each result row into an issue dict with the rule's
  message templates filled (:func:`run_rules`).

Rendering conventions beyond the plain contract (all declared in the rule entry's ``params``):

``per_entity: true``
    The rule is a template run once per staged entity (``entities: ["*"]``): ``{{entity}}``,
    ``{{key_columns}}``, ``{{key_columns_t}}``, ``{{key_ok}}``, ``{{key_match}}`` and ``{{key_text}}`` are filled from the
    entity's business key in the standard. The issue's ``field`` is the last field of the key.
``per_reference: true``
    A template run once per reference declared in the standard (``references`` of each entity) whose
    two entities are both present; ``{{entity}}``, ``{{target}}``, ``{{key_text}}`` and ``{{fk_*}}``
    are filled (see :func:`reference_placeholders`); ``exclude: [entity.field, …]`` leaves references
    to dedicated rules.
``optional_targets: [entity, …]``
    Tables the rule reads when they are there; when absent they are replaced by an empty relation with
    the entity's typed columns, so the rule still runs.
``requires_any: [entity, …]``
    With optional targets: the rule is skipped when none of these is present.
``fallback: {entity: codelist_<list>}``
    When the entity is absent, its rows come from a code list exposed as a small table (today
    ``fiscal_region`` → ``codelist_mof_div(code, parent, valid_from, valid_to)``).

Result columns: ``_file``, ``_row``, ``key``, ``value``, ``expected``, ``difference`` as the contract
says, and optionally ``entity`` and ``field`` when one rule reports on several entities or fields
(e.g. ``xent.payment-indicator-mismatch`` names the differing field); otherwise they come from the
rule entry.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import duckdb

from jincai import cache, paths
from jincai.errors import JincaiError
from jincai.standard import Entity, Reference, Standard, standard
from jincai.validation.catalogue import Catalogue, Rule, catalogue
from jincai.validation.fields_sql import duck_type  # the staging contract's column types

DIALECTS = ("duckdb", "postgres", "spark")
SQL_FAMILIES = ("xrec", "xent")
RESULT_COLUMNS = ("_file", "_row", "key", "value", "expected", "difference")
OPTIONAL_COLUMNS = ("entity", "field")

#: code-list tables a rule may fall back on: table name → code-list id
CODELIST_TABLES = {"codelist_mof_div": "mof_div"}

#: how a fallback code-list table stands in for an entity: entity → {codelist table: projection}
_FALLBACK_PROJECTIONS = {
    ("fiscal_region", "codelist_mof_div"): (
        "SELECT code AS mof_div_code, code AS mof_div_name, CAST(NULL AS VARCHAR) AS div_level_code, "
        "parent AS parent_mof_div_code, valid_from, valid_to, "
        "'codelist:mof_div' AS _file, CAST(0 AS BIGINT) AS _row, "
        "TRUE AS _ok_mof_div_code, TRUE AS _ok_mof_div_name, TRUE AS _ok_div_level_code, "
        "TRUE AS _ok_parent_mof_div_code, TRUE AS _ok_valid_from, TRUE AS _ok_valid_to "
        "FROM codelist_mof_div"
    ),
}

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


# --------------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------------


@dataclass
class SqlRunResult:
    """What :func:`run_rules` found: issues, rules not run (and why), seconds per rule."""

    issues: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for issue in self.issues:
            out[issue["rule"]] = out.get(issue["rule"], 0) + 1
        return out


# --------------------------------------------------------------------------------------------------
# loading and rendering
# --------------------------------------------------------------------------------------------------


def sql_rules(cat: Catalogue | None = None) -> list[Rule]:
    """The catalogue's SQL rules (families xrec and xent), in catalogue order."""
    cat = cat or catalogue()
    return [r for r in cat.rules.values() if r.family in SQL_FAMILIES and r.builtin is None]


@lru_cache(maxsize=256)
def _read_sql(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise JincaiError("sql-rule-unreadable", f"无法读取规则 SQL：{exc}", f"cannot read the rule's SQL: {exc}", path) from exc


def load_sql(rule: Rule, root: Path | None = None) -> str:
    """The SQL text of a rule, as stored (templates not filled)."""
    return _read_sql(str((root or paths.VALIDATORS) / rule.implementation))


def key_field(entity: Entity) -> str:
    """The field a per-entity key rule reports: the last field of the business key."""
    return entity.key[-1]


def key_text_sql(entity: Entity, alias: str | None = None) -> str:
    """SQL rendering a record's business key as ``a|b|c`` (neutral dialect)."""
    prefix = f"{alias}." if alias else ""
    parts = []
    for name in entity.key:
        col = f"{prefix}{name}"
        parts.append(col if entity.field(name).element.type in ("text", "code") else f"CAST({col} AS VARCHAR)")
    return " || '|' || ".join(parts)


def entity_placeholders(entity: Entity) -> dict[str, str]:
    """Values of the ``{{…}}`` placeholders of a per-entity template."""
    return {
        "entity": entity.id,
        "key_columns": ", ".join(entity.key),
        "key_columns_t": ", ".join(f"t.{k}" for k in entity.key),
        "key_ok": " AND ".join(f"_ok_{k}" for k in entity.key),
        "key_match": " AND ".join(f"t.{k} = d.{k}" for k in entity.key),
        "key_text": key_text_sql(entity, "t"),
    }


def reference_field(ref: Reference) -> str:
    """The field a reference issue names: the reference's last field other than region and year."""
    fields = [f for f in ref.fields if f not in ("mof_div_code", "fiscal_year")] or list(ref.fields)
    return fields[-1]


def reference_placeholders(entity: Entity, ref: Reference) -> dict[str, str]:
    """Values of the ``{{…}}`` placeholders of a per-reference template."""
    fld = reference_field(ref)
    typ = entity.field(fld).element.type
    return {
        "entity": entity.id,
        "target": ref.entity,
        "key_text": key_text_sql(entity, "t"),
        "fk_field": fld,
        "fk_value": f"t.{fld}" if typ in ("text", "code") else f"CAST(t.{fld} AS VARCHAR)",
        "fk_ok": " AND ".join(f"t._ok_{mine}" for mine in ref.fields),
        "fk_present": " AND ".join(f"t.{mine} IS NOT NULL" for mine in ref.fields),
        "fk_match": " AND ".join(f"d.{theirs} = t.{mine}" for mine, theirs in ref.fields.items()),
        "fk_target_ok": " AND ".join(f"_ok_{theirs}" for theirs in ref.fields.values()),
    }


def fill(sql: str, values: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in values:
            raise JincaiError("sql-rule-placeholder", f"SQL 模板参数 {{{{{name}}}}} 未定义", f"undefined SQL template parameter {{{{{name}}}}}")
        return values[name]

    return _PLACEHOLDER.sub(sub, sql)


def to_dialect(sql: str, dialect: str) -> str:
    """The neutral SQL as the dialect runs it: DuckDB as-is, PostgreSQL and Spark via sqlglot."""
    if dialect == "duckdb":
        return sql
    if dialect in ("postgres", "spark"):
        import sqlglot  # imported when needed: with the rendering cache warm, validate never is

        out = sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
        if len(out) != 1:
            raise JincaiError("sql-rule-malformed", "规则 SQL 必须恰好是一条语句", "a rule's SQL must be exactly one statement")
        return out[0]
    raise ValueError(f"unknown dialect {dialect!r}; known: {DIALECTS}")


def tables_read(sql: str) -> set[str]:
    """Names of the tables a SELECT reads (CTE names excluded), lower case."""
    return set(_tables_read(sql))


@lru_cache(maxsize=1024)
def _tables_read(sql: str) -> frozenset[str]:
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    return frozenset(t.name.lower() for t in tree.find_all(exp.Table) if t.name and t.name.lower() not in ctes)


def empty_relation(entity: Entity) -> str:
    """A typed, empty SELECT standing in for an absent optional table (staging columns included)."""
    cols = [f"CAST(NULL AS {duck_type(f.element)}) AS {f.name}" for f in entity.fields]
    cols += ["CAST(NULL AS VARCHAR) AS _file", "CAST(NULL AS BIGINT) AS _row"]
    cols += [f"CAST(NULL AS BOOLEAN) AS _ok_{f.name}" for f in entity.fields]
    return f"SELECT {', '.join(cols)} WHERE 1 = 0"


def _replace_tables(sql: str, replacements: dict[str, str]) -> str:
    """Replace every read of table T by ``(replacement) AS alias`` (sqlglot AST edit)."""
    if not replacements:
        return sql
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.name.lower() in replacements and node.name.lower() not in ctes:
            alias = node.alias or node.name
            sub = sqlglot.parse_one(replacements[node.name.lower()], read="duckdb")
            return exp.Subquery(this=sub, alias=exp.TableAlias(this=exp.to_identifier(alias)))
        return node

    return tree.transform(swap).sql(dialect="duckdb")


def _year_filter(sql: str, years: tuple[str, str] | None, year_tables: frozenset[str]) -> str:
    """Restrict every fiscal-year-bearing table to the rule's applicable years (``applies``)."""
    if years is None:
        return sql
    lo, hi = years
    repl = {}
    for name in tables_read(sql) & year_tables:
        cond = []
        if lo:
            cond.append(f"fiscal_year >= '{lo}'")
        if hi:
            cond.append(f"fiscal_year <= '{hi}'")
        if cond:
            repl[name] = f"SELECT * FROM {name} WHERE {' AND '.join(cond)}"
    return _replace_tables(sql, repl)


@lru_cache(maxsize=1024)
def _prepare(
    sql: str, repl: tuple[tuple[str, str], ...], years: tuple[str, str] | None, year_tables: frozenset[str], dialect: str
) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """(SQL for the dialect, tables it reads, its independent branches for DuckDB) — cached, in
    memory and on disk (``jincai.cache``, keyed by the inputs, sqlglot's version and this module's
    source): sqlglot parsing is the slow part of a run's start."""

    def compute() -> list:
        out = _year_filter(_replace_tables(sql, dict(repl)), years, year_tables)
        parts = independent_branches(out) if dialect == "duckdb" else []
        return [to_dialect(out, dialect), sorted(tables_read(out)), parts]

    key = cache.digest("sql-rule", _sqlglot_version(), _module_digest(), sql, repr(sorted(repl)), repr(years), repr(sorted(year_tables)), dialect)
    text, tables, parts = cache.cached("sql-rules", key, compute)
    return text, frozenset(tables), tuple(parts)


def independent_branches(sql: str) -> list[str]:
    """The branches of a rule whose SELECT is a ``UNION ALL`` of branches that share no CTE, each
    with the CTEs it needs; ``[]`` when the rule is not such a union.

    Why: DuckDB runs the branches of one ``UNION ALL`` at the same time, so their hash tables are in
    memory together. ``xent.accounting-amount-mismatch`` on 46 M records needed more than 500MB as
    one statement (and now and then ran out of memory at the 1GB default after the pipeline), but
    passed at 400MB with its three branches run one after the other — and faster (15 s, not 18–21 s).
    Branches that share a CTE stay one statement: split, they would compute it twice.
    """
    import sqlglot
    from sqlglot import exp

    def plain(node: exp.Expression) -> bool:  # no ORDER BY, LIMIT or OFFSET over it
        return not any(node.args.get(k) for k in ("order", "limit", "offset"))

    def flat(node: exp.Expression, top: bool = False) -> list[exp.Expression] | None:
        """The branches of a UNION ALL tree; None when a UNION (DISTINCT) or a nested WITH is in it."""
        if not isinstance(node, exp.Union):
            return [node]
        if node.args.get("distinct") or (node.args.get("with_") and not top):
            return None
        left, right = flat(node.left), flat(node.right)
        return None if left is None or right is None else left + right

    tree = sqlglot.parse_one(sql, read="duckdb")
    branches = flat(tree, top=True) if isinstance(tree, exp.Union) and plain(tree) else None
    if not branches or not all(plain(b) for b in branches):
        return []
    with_ = tree.args.get("with_")
    ctes = list(with_.expressions) if with_ else []
    names = {c.alias_or_name.lower() for c in ctes}
    deps = {c.alias_or_name.lower(): {t.name.lower() for t in c.this.find_all(exp.Table)} & names for c in ctes}

    def reach(node: exp.Expression) -> set[str]:
        out: set[str] = set()
        todo = [t.name.lower() for t in node.find_all(exp.Table) if t.name.lower() in names]
        while todo:
            n = todo.pop()
            if n not in out:
                out.add(n)
                todo += deps[n]
        return out

    uses = [reach(b) for b in branches]
    if any(uses[i] & uses[j] for i in range(len(uses)) for j in range(i + 1, len(uses))):
        return []
    parts = []
    for branch, used in zip(branches, uses):
        part = branch.copy()
        kept = [c.copy() for c in ctes if c.alias_or_name.lower() in used]
        if kept:
            part.set("with_", exp.With(expressions=kept, recursive=with_.args.get("recursive")))
        parts.append(part.sql(dialect="duckdb"))
    return parts


@lru_cache(maxsize=1)
def _sqlglot_version() -> str:
    from importlib.metadata import version

    return version("sqlglot")


@lru_cache(maxsize=1)
def _module_digest() -> str:
    """This module's source: a change to how rules are rendered misses every cached rendering."""
    return cache.digest(Path(__file__).read_bytes())


@dataclass
class RenderedRule:
    """One runnable statement of a rule: for one entity when the rule is a per-entity template."""

    rule: Rule
    sql: str  # neutral dialect, placeholders filled
    entity: str | None  # the entity of a per-entity statement
    reads: set[str]
    parts: tuple[str, ...] = ()  # DuckDB: the independent UNION ALL branches, run one at a time


def render(
    rule: Rule,
    dialect: str = "duckdb",
    *,
    present: Iterable[str] | None = None,
    std: Standard | None = None,
    years: tuple[str, str] | None = None,
    root: Path | None = None,
) -> list[RenderedRule]:
    """The statements to run for ``rule`` on a submission with tables ``present`` (None: all).

    Placeholders are filled, absent optional targets replaced by empty relations, absent fallback
    entities replaced by their code list, and (``years``) tables restricted to the applicable fiscal
    years; the SQL is then transpiled for ``dialect``. A per-entity template gives one statement per
    present entity. Tables the statements still need but the submission lacks are left in: the caller
    decides (see :func:`missing_tables`).
    """
    std = std or standard()
    text = load_sql(rule, root)
    have = None if present is None else {t.lower() for t in present}
    statements: list[tuple[str, str | None]] = []
    if rule.params.get("per_reference"):
        exclude = set(rule.params.get("exclude") or [])
        for ent in std.entities.values():
            for ref in ent.references:
                if f"{ent.id}.{reference_field(ref)}" in exclude:
                    continue
                if have is not None and (ent.id not in have or ref.entity not in have):
                    continue
                statements.append((fill(text, reference_placeholders(ent, ref)), ent.id))
    elif rule.params.get("per_entity"):
        for ent in std.entities.values():
            if have is not None and ent.id not in have:
                continue
            if rule.entities != ["*"] and ent.id not in rule.entities:
                continue
            statements.append((fill(text, entity_placeholders(ent)), ent.id))
    else:
        statements.append((text, None))
    out = []
    for sql, ent in statements:
        repl: dict[str, str] = {}
        if have is not None:
            for opt in rule.params.get("optional_targets", []):
                if opt not in have:
                    repl[opt] = empty_relation(std.entity(opt))
            for ent_name, table in (rule.params.get("fallback") or {}).items():
                if ent_name not in have:
                    repl[ent_name] = _FALLBACK_PROJECTIONS[(ent_name, table)]
        year_tables = frozenset(e.id for e in std.entities.values() if "fiscal_year" in e.field_names)
        final, reads, parts = _prepare(sql, tuple(sorted(repl.items())), years, year_tables, dialect)
        out.append(RenderedRule(rule, final, ent, set(reads), parts))
    return out


# --------------------------------------------------------------------------------------------------
# applicability
# --------------------------------------------------------------------------------------------------


def _year_window(rule: Rule) -> tuple[int | None, int | None]:
    spec = rule.applies.fiscal_years
    if not spec:
        return None, None
    lo, dash, hi = spec.partition("-")
    if not dash:
        hi = lo
    return (int(lo) if lo else None), (int(hi) if hi else None)


def year_scope(rule: Rule, fiscal_years: Iterable[int] | None) -> tuple[str, tuple[str, str] | None]:
    """``("all", None)``, ``("none", None)`` or ``("some", (lo, hi))`` for the submission's years."""
    if fiscal_years is None:
        return "all", None
    years = sorted(set(int(y) for y in fiscal_years))
    if not years:
        return "all", None
    ok = [y for y in years if rule.applies.year_ok(y)]
    if not ok:
        return "none", None
    if len(ok) == len(years):
        return "all", None
    lo, hi = _year_window(rule)
    return "some", (str(lo) if lo else "", str(hi) if hi else "")


# --------------------------------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------------------------------


def present_tables(con, dialect: str = "duckdb") -> set[str]:
    """Tables (and views) visible unqualified on ``con``."""
    if dialect == "duckdb":
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog IN (current_database(), 'temp') AND table_schema = 'main'"
        )
    else:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {row[0].lower() for row in con.execute(sql).fetchall()}


def codelist_rows(list_id: str) -> list[tuple[str, str | None, date | None, date | None]]:
    """(code, parent, valid_from, valid_to) of a code list, validity as dates (years → Jan 1 / Dec 31)."""
    from jincai.codelists import registry  # the code-list helper's module

    def as_date(text: str, end: bool) -> date | None:
        if not text:
            return None
        if len(text) == 4:
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        return date.fromisoformat(text)

    cl = registry().get(list_id)
    return [(r.code, r.parent or None, as_date(r.valid_from, False), as_date(r.valid_to, True)) for r in cl.rows]


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, date):
        return f"CAST('{value.isoformat()}' AS DATE)"
    return "'" + str(value).replace("'", "''") + "'"


def create_codelist_table(con, name: str, dialect: str = "duckdb") -> None:
    """Create the code-list table ``name`` (e.g. ``codelist_mof_div``) on ``con``.

    DuckDB: a TEMP table, so the caller's database is not changed; PostgreSQL: a table in the current
    schema (``jincai.validation.pg`` runs in a per-run schema that is dropped afterwards). Nothing is
    done when the table is already there.
    """
    if name in present_tables(con, dialect):
        return  # made by an earlier run on this connection
    rows = codelist_rows(CODELIST_TABLES[name])
    temp = "TEMP " if dialect == "duckdb" else ""
    con.execute(f"CREATE {temp}TABLE {name} (code VARCHAR, parent VARCHAR, valid_from DATE, valid_to DATE)")
    for i in range(0, len(rows), 500):
        values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows[i : i + 500])
        con.execute(to_dialect(f"INSERT INTO {name} VALUES {values}", dialect))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return ""


def make_issue(rule: Rule, row: dict[str, Any], entity: str | None, std: Standard | None = None) -> dict[str, Any]:
    """One result row → an issue dict with the message templates filled."""
    ent = row.get("entity") or entity or (rule.entities[0] if rule.entities and rule.entities[0] != "*" else None)
    fld = row.get("field") or rule.field
    if fld is None and ent and rule.params.get("per_entity"):
        fld = key_field((std or standard()).entity(ent))
    diff = row.get("difference")
    issue = {
        "rule": rule.id,
        "severity": rule.severity,
        "entity": ent,
        "file": row.get("_file"),
        "row": int(row["_row"]) if row.get("_row") is not None else None,
        "field": fld,
        "value": _text(row.get("value")),
        "expected": _text(row.get("expected")),
        "difference": _text(diff),
        "key": _text(row.get("key")),
    }
    params = _Params({k: ("" if v is None else v) for k, v in issue.items()})
    issue["message_zh"] = rule.message_zh.format_map(params)
    issue["message_en"] = rule.message_en.format_map(params)
    return issue


def _result(con, stmt: RenderedRule) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of a statement; its independent branches one at a time when they give
    exactly the union's column types (else the union could have cast a value the branch does not)."""
    if stmt.parts and _branches_keep_types(con, stmt):
        names: list[str] = []
        rows: list[tuple] = []
        for sql in stmt.parts:
            got_names, got = _execute(con, sql)
            names = names or got_names  # a union's names are its first branch's
            rows += got
        return names, rows
    return _execute(con, stmt.sql)


#: statement → whether each branch gives the union's column types. The stage tables' columns and
#: types are the standard's, so one answer per statement text holds for the process (asking DuckDB
#: costs 12–26 ms a rule, as much as running it on a small submission).
_SAME_TYPES: dict[str, bool] = {}


def _branches_keep_types(con, stmt: RenderedRule) -> bool:
    ok = _SAME_TYPES.get(stmt.sql)
    if ok is None:
        types = [[r[1] for r in con.execute(f"DESCRIBE {sql}").fetchall()] for sql in (stmt.sql, *stmt.parts)]
        ok = _SAME_TYPES[stmt.sql] = all(t == types[0] for t in types[1:])
    return ok


def _execute(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one statement; once more when DuckDB ran out of memory. Why: near its limit DuckDB's
    out-of-memory is not deterministic — ``xent.accounting-amount-mismatch`` on 46 M records at the
    1GB default failed in 1 of 9 runs alone and passed in the other 8 (a query that fails frees what
    it held, so the second run starts from the same state as the first)."""
    def run() -> tuple[list[str], list[tuple]]:
        cur = con.execute(sql)
        return [d[0].lower() for d in cur.description], cur.fetchall()

    try:
        return run()
    except duckdb.OutOfMemoryException:
        return run()


def run_statement(con, stmt: RenderedRule, std: Standard | None = None) -> list[dict[str, Any]]:
    try:
        names, rows = _result(con, stmt)
    except duckdb.OutOfMemoryException as exc:  # the budget, not the rule, is at fault
        from jincai.validation.engine import memory_exceeded  # engine imports this module

        raise memory_exceeded(con, exc, stmt.rule.id, stmt.rule.implementation) from exc
    except Exception as exc:  # a broken rule is a bug in the catalogue: say which one
        raise JincaiError(
            "sql-rule-failed",
            f"规则 {stmt.rule.id} 的 SQL 执行失败：{exc}",
            f"the SQL of rule {stmt.rule.id} failed: {exc}",
            stmt.rule.implementation,
        ) from exc
    missing = [c for c in RESULT_COLUMNS if c not in names]
    if missing:
        raise JincaiError(
            "sql-rule-columns",
            f"规则 {stmt.rule.id} 的结果缺少列 {missing}",
            f"the result of rule {stmt.rule.id} lacks the columns {missing}",
            stmt.rule.implementation,
        )
    return [make_issue(stmt.rule, dict(zip(names, r)), stmt.entity, std) for r in rows]


def _skip(rule: Rule, reason: str, zh: str, en: str, **extra) -> dict[str, Any]:
    return {"rule": rule.id, "reason": reason, "message_zh": zh, "message_en": en, **extra}


def run_rules(
    con,
    rules: Sequence[Rule] | None = None,
    *,
    dialect: str = "duckdb",
    standard_version: str | None = None,
    fiscal_years: Iterable[int] | None = None,
    present: Iterable[str] | None = None,
    std: Standard | None = None,
    root: Path | None = None,
) -> SqlRunResult:
    """Run SQL rules on the staged submission behind ``con`` and collect their issues.

    ``rules`` defaults to every xrec/xent rule of the catalogue. ``standard_version`` defaults to the
    standard's own version; ``fiscal_years`` (the submission's years; None = do not filter) select the
    rules whose ``applies`` match. ``present`` lists the entities the submission holds — pass
    ``set(staging.by_entity())``: the staging creates an (empty) view for every entity, so the
    default (every table visible on ``con``) cannot tell an absent entity from an empty one.
    Code-list tables needed as fallbacks are created on ``con`` when missing.
    """
    std = std or standard()
    rules = list(rules) if rules is not None else sql_rules()
    version = standard_version or std.version
    years = None if fiscal_years is None else sorted(set(int(y) for y in fiscal_years))
    have = set(present) if present is not None else present_tables(con, dialect)
    result = SqlRunResult()
    for rule in rules:
        if not rule.applies.standard_ok(version):
            result.skipped.append(_skip(
                rule, "standard-version",
                f"规则不适用于标准版本 {version}（适用 {rule.applies.standard}）",
                f"the rule does not apply to standard version {version} (applies to {rule.applies.standard})",
            ))
            continue
        scope, window = year_scope(rule, years)
        if scope == "none":
            result.skipped.append(_skip(
                rule, "fiscal-year",
                f"规则不适用于预算年度 {years}（适用 {rule.applies.fiscal_years}）",
                f"the rule does not apply to fiscal years {years} (applies to {rule.applies.fiscal_years})",
            ))
            continue
        any_of = rule.params.get("requires_any") or []
        if any_of and not (set(any_of) & have):
            result.skipped.append(_skip(
                rule, "missing-tables",
                f"提交中没有规则适用的实体（{', '.join(any_of)} 之一），未执行",
                f"not run: the submission holds none of {', '.join(any_of)}",
                missing=list(any_of),
            ))
            continue
        stmts = render(rule, dialect, present=have, std=std, years=window, root=root)
        if not stmts:
            result.skipped.append(_skip(rule, "no-tables", "提交中没有该规则适用的实体", "the submission holds none of the rule's entities"))
            continue
        needed = set().union(*(s.reads for s in stmts))
        for table in sorted(needed - have):
            if table in CODELIST_TABLES:
                create_codelist_table(con, table, dialect)
                have.add(table)
        missing = sorted(needed - have)
        if missing:
            result.skipped.append(_skip(
                rule, "missing-tables",
                f"提交中缺少规则所需的实体 {', '.join(missing)}，未执行",
                f"not run: the submission lacks the entities {', '.join(missing)} the rule needs",
                missing=missing,
            ))
            continue
        started = time.perf_counter()
        for stmt in stmts:
            result.issues.extend(run_statement(con, stmt, std))
        result.seconds[rule.id] = time.perf_counter() - started
        result.ran.append(rule.id)
    return result
