"""The data center's queries (``datacenter/sql/``) rendered for a store and run as of a moment.

A query is written once in the neutral (DuckDB) dialect against tables named after the standard's
entities. ``render`` puts in front of it, as CTEs: the parameters (``dc_params``), the regions in
scope (``dc_scope``), the rules of ``datacenter/rules.yaml`` (``dc_rule``, ``dc_clearing``) and, for
each entity the query reads, the data as it stood at ``as_of`` (the store's history, see
``jincai.gateway.store``). ``run`` transpiles through the store (sqlglot) and executes. Every value
put into the SQL is a literal built by sqlglot from a checked value, never text from a request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Callable

import sqlglot.expressions as exp

from jincai import paths
from jincai.errors import JincaiError
from jincai.gateway.store.migrations import quote, record_table
from jincai.standard import standard
from jincai.yaml_load import load_file

REGION = re.compile(r"[0-9]{9}")
_FIELDS = {"exp_func_code", "rev_class_code"}  # classification fields a rule may name


@dataclass(frozen=True)
class Params:
    as_of: datetime  # the moment whose data is read (store history)
    fiscal_year: int
    regions: tuple[str, ...]
    as_of_date: date | None = None  # business date cut-off (position); default the as_of's UTC date
    report_period_code: str = "2"  # 1 旬 10-day, 2 月 month
    period_no: int = 0


@dataclass(frozen=True)
class Rule:
    kind: str
    name_zh: str
    name_en: str
    acct_prefix: str
    classification: str
    report_field: str
    sign: int
    level_digits: int


@dataclass(frozen=True)
class Rules:
    report_lines: tuple[Rule, ...]
    clearing_pay_types: tuple[str, ...]

    def rule(self, kind: str) -> Rule:
        return next(r for r in self.report_lines if r.kind == kind)


@lru_cache(maxsize=1)
def rules() -> Rules:
    """``datacenter/rules.yaml``, checked: a bad rule is a clear error, not a wrong report."""
    path = paths.DATACENTER / "rules.yaml"
    try:
        doc = load_file(path)
        lines = []
        for i, r in enumerate(doc["report_lines"]):
            where = f"{path}:report_lines[{i}]"
            if r["classification"] not in _FIELDS or r["report_field"] not in _FIELDS:
                raise JincaiError("datacenter-rules", f"分类字段须为 {sorted(_FIELDS)} 之一", f"the classification fields must be one of {sorted(_FIELDS)}", where)
            if int(r["sign"]) not in (1, -1) or not re.fullmatch(r"[0-9]{1,4}", str(r["acct_prefix"])) or not 1 <= int(r["level_digits"]) <= 13:
                raise JincaiError("datacenter-rules", "sign 须为 ±1，acct_prefix 为 1–4 位数字，level_digits 为 1–13", "sign must be ±1, acct_prefix 1–4 digits, level_digits 1–13", where)
            lines.append(Rule(str(r["kind"]), str(r["name_zh"]), str(r["name_en"]), str(r["acct_prefix"]), r["classification"], r["report_field"], int(r["sign"]), int(r["level_digits"])))
        clearing = tuple(str(c) for c in doc["clearing_pay_types"])
    except (KeyError, TypeError, ValueError) as exc:
        raise JincaiError("datacenter-rules", f"规则文件结构错误：{exc}", f"the rules file is malformed: {exc}", str(path)) from None
    return Rules(tuple(lines), clearing)


@lru_cache(maxsize=32)
def source(name: str) -> str:
    return (paths.DATACENTER / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def _lit(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    return exp.Literal.string(str(value)).sql(dialect="duckdb")


def _values(name: str, columns: list[str], rows: list[tuple]) -> str:
    if not rows:  # an empty relation of the right shape
        nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in columns)
        return f"{name} AS (SELECT {nulls} WHERE 1 = 0)"
    body = ", ".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in rows)
    return f"{name} AS (SELECT * FROM (VALUES {body}) AS t({', '.join(columns)}))"


def entity_view(entity: str, partition_filter: str = "") -> str:
    """The records of ``entity`` as they stood at ``dc_params.as_of``, for the regions in scope and
    the year: the versions current then; of two current versions (different period grains) holding
    the same business key, the later committed wins. ``partition_filter``: a condition on ``r``
    that lets a partitioned source (``datacenter.parquet``) skip whole folders."""
    ent = standard().entity(entity)
    cols = ", ".join(f"x.{quote(f)}" for f in ent.field_names)
    key = ", ".join(f"r.{quote(k)}" for k in ent.key)
    return (
        f"{entity} AS (SELECT {cols} FROM ("
        f"SELECT r.*, ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY v.valid_from DESC, v.submission_id DESC) AS dc_rank"
        f" FROM {record_table(entity)} AS r"
        f" JOIN gw_data_version AS v ON v.submission_id = r._submission_id AND v.entity = '{entity}'"
        " CROSS JOIN dc_params AS p"
        " WHERE v.fiscal_year = p.fiscal_year_num AND v.mof_div_code IN (SELECT mof_div_code FROM dc_scope)"
        " AND v.valid_from <= p.as_of AND (v.valid_to IS NULL OR v.valid_to > p.as_of)"
        + (f" AND {partition_filter}" if partition_filter else "")
        + ") AS x WHERE x.dc_rank = 1)"
    )


def _ts(t: datetime) -> str:
    if t.tzinfo is None:
        raise ValueError("as_of must carry its offset")
    return t.astimezone(timezone.utc).isoformat(timespec="microseconds")


def render(name: str, p: Params, view: Callable[[str], str] | None = None) -> str:
    """The query ``name`` with its parameter, scope, rule and entity CTEs, in the neutral dialect.
    ``view(entity)`` writes an entity's CTE (default ``entity_view``, the gateway store's history);
    another engine (Spark over Parquet) passes its own and keeps everything else."""
    view = view or entity_view
    for r in p.regions:
        if not REGION.fullmatch(r):
            raise JincaiError("datacenter-region", f"区划代码 {r!r} 须为 9 位数字", f"region code {r!r} must be 9 digits", "mof_div_code")
    sql = source(name).strip().rstrip(";")
    body = re.sub(r"\A(\s*--[^\n]*\n)*\s*WITH\s", "", sql, count=1)
    if body == sql:
        raise JincaiError("datacenter-query", f"查询 {name} 须以 WITH 开头", f"query {name} must start with WITH", f"datacenter/sql/{name}.sql")
    day = p.as_of_date or p.as_of.astimezone(timezone.utc).date()
    params = (
        f"dc_params AS (SELECT CAST({_lit(_ts(p.as_of))} AS TIMESTAMPTZ) AS as_of, CAST({_lit(day.isoformat())} AS DATE) AS as_of_date,"
        f" {_lit(str(p.fiscal_year))} AS fiscal_year, {int(p.fiscal_year)} AS fiscal_year_num,"
        f" {_lit(p.report_period_code)} AS report_period_code, {int(p.period_no)} AS period_no)"
    )
    rs = rules()
    ctes = [
        params,
        _values("dc_scope", ["mof_div_code"], [(r,) for r in p.regions]),
        _values(
            "dc_rule", ["kind", "acct_prefix", "cls_field", "report_field", "sign", "level_digits"],
            [(r.kind, r.acct_prefix, r.classification, r.report_field, r.sign, r.level_digits) for r in rs.report_lines],
        ),  # fmt: skip
        _values("dc_clearing", ["pay_type_code"], [(c,) for c in rs.clearing_pay_types]),
    ]
    code = re.sub(r"'[^']*'|--[^\n]*", "", body)  # names in string literals and comments are not reads
    for entity in sorted(standard().entities):
        if re.search(rf"\b{entity}\b", code):
            ctes.append(view(entity))
    return "WITH " + ",\n".join(ctes) + ",\n" + body


def run(store, name: str, p: Params) -> list[dict]:
    """Rows of query ``name`` on ``store`` (DuckDB or PostgreSQL, transpiled by the store; or an
    export read by DuckDB or Spark, whose ``view`` reads the entity tables from partitions)."""
    return store.query(render(name, p, getattr(store, "view", None)))
