"""A profile's extraction query: checked on its parsed tree, rewritten so that every row of its driving
table is accounted for, and its result classified row by row.

**What a query may be.** One ``SELECT`` (no stacked statements, no set operation) in the source
dialect, built only from the node types and functions allowed below — an allow-list, so that
``COPY``, ``ATTACH``, ``PRAGMA``, ``INSTALL``/``LOAD``, ``SET``, ``CREATE``/``INSERT``…, table
functions (``read_text``, ``read_csv``, ``glob`` …) and any function not listed are refused — reading
only the dump's staged tables (checked when the dump is read; ``adapter check`` cannot know them).

**Every driving row exactly once.** The driving table is the first table of ``FROM``; the other
tables are joined to it with ``[INNER] JOIN … ON/USING``, ``LEFT [OUTER] JOIN`` or ``CROSS JOIN``.
So that the ledger can account for each of its rows, the query may not drop or merge rows: no
``WHERE`` (use the profile's filters, which the ledger counts), ``GROUP BY``, aggregates (outside a
window), ``DISTINCT``, ``TOP``/``LIMIT``, ``RIGHT``/``FULL`` or comma joins, sub-queries in ``FROM``.
Sub-queries in expressions and window functions (``ROW_NUMBER() OVER (…)``) are fine. The query is
run with each ``INNER JOIN`` turned into a ``LEFT JOIN`` and with every table's row number carried
along; then a driving row whose inner join found nothing (``sql-join-unmatched``) or which came out
more than once (``sql-join-duplicated``: a join matched several rows) is rejected, once, with its
table, row, line, the join and its key — instead of vanishing or being counted twice.

Not a reader itself (the leading underscore keeps it out of the registry's discovery).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from jincai import limits
from jincai.adapters.readers import SourceRow
from jincai.adapters.readers._sql_dump_text import LINE_COL, ORA_FMT, ROW_COL
from jincai.errors import JincaiError

HIDDEN = "__jincai_"

# ---- the allow-list --------------------------------------------------------------------------

_STRUCTURE = {
    exp.Select, exp.From, exp.Join, exp.Table, exp.TableAlias, exp.Alias, exp.Column, exp.Identifier, exp.Star,
    exp.Literal, exp.National, exp.Null, exp.Boolean, exp.Paren, exp.Tuple, exp.Where, exp.Order, exp.Ordered,
    exp.Group, exp.Having, exp.Distinct, exp.Limit, exp.Offset, exp.Window, exp.WindowSpec, exp.Subquery, exp.Exists,
    exp.DataType, exp.DataTypeParam, exp.Var, exp.Interval,
}
_OPERATORS = {
    exp.Case, exp.If, exp.Coalesce, exp.Cast, exp.TryCast, exp.Convert, exp.Neg, exp.Not, exp.And, exp.Or, exp.Xor,
    exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Add, exp.Sub, exp.Mul,
    exp.Div, exp.IntDiv, exp.Mod, exp.DPipe, exp.Concat, exp.ConcatWs, exp.Is, exp.Like, exp.ILike, exp.In, exp.Between,
    exp.Nullif, exp.Nvl2, exp.Greatest, exp.Least,
}
_FUNCTIONS = {
    # text
    exp.Substring, exp.Upper, exp.Lower, exp.Trim, exp.Length, exp.Left, exp.Right, exp.Replace, exp.StrPosition,
    exp.Pad, exp.Initcap, exp.Reverse, exp.Chr, exp.Ascii, exp.SubstringIndex,
    exp.RegexpReplace, exp.RegexpLike,  # DuckDB's regular expressions are RE2: linear time
    # dates and times
    exp.TimeToStr, exp.StrToTime, exp.StrToDate, exp.TsOrDsToDate, exp.TsOrDsToTimestamp, exp.TimeStrToTime,
    exp.DateStrToDate, exp.DateAdd, exp.DateSub, exp.DateDiff, exp.DateTrunc, exp.TimestampTrunc, exp.Extract,
    exp.Year, exp.Month, exp.Day, exp.Quarter, exp.DayOfWeek, exp.CurrentDate, exp.CurrentTimestamp, exp.LastDay,
    exp.AddMonths, exp.ToChar, exp.DecodeCase, exp.TsOrDsAdd, exp.TsOrDsDiff,
    # numbers
    exp.Round, exp.Abs, exp.Floor, exp.Ceil, exp.Sign, exp.Pow, exp.Sqrt,
    # window functions and aggregates (aggregates only in a window or a sub-query)
    exp.RowNumber, exp.Rank, exp.DenseRank, exp.Lag, exp.Lead, exp.FirstValue, exp.LastValue, exp.NthValue, exp.Ntile,
    exp.Sum, exp.Count, exp.Min, exp.Max, exp.Avg,
}
ALLOWED = _STRUCTURE | _OPERATORS | _FUNCTIONS
#: functions sqlglot does not model (``exp.Anonymous``) that may be called, by lower-case name
ANONYMOUS = {"rpad", "lpad", "ltrim", "rtrim", "instr", "strftime", "strptime", "charindex"}

_TOP_ONLY = {  # Select args a top-level query may not have, and why
    "where": ("WHERE 丢掉的行不会进账本；请用配置的过滤规则 filters（账本会计数）",
              "rows a WHERE drops never reach the ledger; use the profile's filters (the ledger counts them)"),
    "group": ("GROUP BY 把多行并为一行，账本无法逐行对账", "GROUP BY merges rows: the ledger cannot account for each"),
    "having": ("HAVING 会丢掉行", "HAVING drops rows"),
    "distinct": ("DISTINCT 会合并行", "DISTINCT merges rows"),
    "limit": ("TOP/LIMIT 会丢掉行", "TOP/LIMIT drops rows"),
    "offset": ("OFFSET 会丢掉行", "OFFSET drops rows"),
    "qualify": ("QUALIFY 会丢掉行", "QUALIFY drops rows"),
}
_NEVER = {  # Select args no query may have
    "with": ("WITH（公用表表达式）不支持，请直接连接转储中的表", "WITH (common table expressions) is not supported: join the dump's tables directly"),
    "with_": ("WITH（公用表表达式）不支持，请直接连接转储中的表", "WITH (common table expressions) is not supported: join the dump's tables directly"),
    "into": ("SELECT INTO 会写表", "SELECT INTO writes a table"),
    "kind": ("SELECT AS … 不支持", "SELECT AS … is not supported"),
    "laterals": ("LATERAL 不支持", "LATERAL is not supported"),
    "locks": ("FOR UPDATE 等锁定子句不支持", "locking clauses are not supported"),
    "sample": ("TABLESAMPLE 会丢掉行", "TABLESAMPLE drops rows"),
    "settings": ("SETTINGS 不支持", "SETTINGS is not supported"),
    "format": ("FORMAT 不支持", "FORMAT is not supported"),
    "pivots": ("PIVOT 不支持", "PIVOT is not supported"),
    "connect": ("CONNECT BY 不支持", "CONNECT BY is not supported"),
    "prewhere": ("PREWHERE 不支持", "PREWHERE is not supported"),
    "match": ("MATCH_RECOGNIZE 不支持", "MATCH_RECOGNIZE is not supported"),
    "cluster": ("CLUSTER BY 不支持", "CLUSTER BY is not supported"),
    "distribute": ("DISTRIBUTE BY 不支持", "DISTRIBUTE BY is not supported"),
    "sort": ("SORT BY 不支持", "SORT BY is not supported"),
    "operation_modifiers": ("查询修饰符不支持", "query modifiers are not supported"),
    "exclude": ("EXCLUDE 不支持", "EXCLUDE is not supported"),
}
_TABLE_ARGS = {"this", "alias", "db", "catalog"}
_PATH_LIKE = re.compile(r"[/\\:*?]|\.(?:csv|tsv|txt|json|jsonl|ndjson|parquet|db|duckdb|sqlite|xlsx?|arrow|gz|zst)\Z", re.I)


class QueryProblem(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class Join:
    alias: str
    table: str
    inner: bool  # an inner join: a driving row it finds nothing for is rejected
    sql: str  # as written (schema prefixes dropped), for messages
    key: str  # the joined table's key columns, for messages


@dataclass
class Query:
    """A checked extraction query."""

    name: str
    where: str  # the profile path of its text, e.g. source.query
    dialect: str
    tree: exp.Select  # schema prefixes dropped, dialect gaps filled
    driving_alias: str
    driving: str
    joins: list[Join] = field(default_factory=list)


def _quiet_parse(sql: str, dialect: str, tokens: list | None = None) -> list:
    log = logging.getLogger("sqlglot")
    level = log.level
    log.setLevel(logging.ERROR)  # no "falling back to parsing as a Command" on stderr
    try:
        d = sqlglot.Dialect.get_or_raise(dialect)
        return d.parser().parse(d.tokenize(sql) if tokens is None else tokens, sql)
    finally:
        log.setLevel(level)


def _depth(tokens: list) -> int:
    """The deepest nesting of parentheses and CASE … END, from the tokens (no recursion)."""
    depth = deepest = 0
    for tok in tokens:
        t = tok.token_type
        if t in (TokenType.L_PAREN, TokenType.CASE):
            depth += 1
            deepest = max(deepest, depth)
        elif t in (TokenType.R_PAREN, TokenType.END):
            depth -= 1
    return deepest


def _name(node: exp.Expression) -> str:
    return type(node).__name__ if not isinstance(node, exp.Anonymous) else f"{node.name}()"


def check_tree(tree: exp.Expression) -> None:
    """Every node allowed; aggregates only in a window or a sub-query; FROM and JOIN name tables."""
    for node in tree.walk():
        cls = type(node)
        if isinstance(node, exp.Anonymous):
            if node.name.lower() not in ANONYMOUS:
                raise QueryProblem(f"不允许调用函数 {node.name[:60]}", f"the function {node.name[:60]} may not be called")
            continue
        if cls not in ALLOWED:
            what = node.sql_name() if isinstance(node, exp.Func) else cls.__name__
            raise QueryProblem(f"不允许使用 {what}（提取查询只能是读取转储中各表的 SELECT）",
                               f"{what} is not allowed (an extraction query is a SELECT over the dump's tables)")
        if isinstance(node, exp.Select):
            for key, (zh, en) in _NEVER.items():
                if node.args.get(key):
                    raise QueryProblem(zh, en)
        if isinstance(node, (exp.From, exp.Join)) and not isinstance(node.this, exp.Table):
            raise QueryProblem("FROM 和 JOIN 只能是转储中的表（不能是子查询或表函数）",
                               "FROM and JOIN may only name the dump's tables (no sub-query, no table function)")
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                raise QueryProblem("FROM 和 JOIN 只能是转储中的表（不能是表函数）", "FROM and JOIN may only name the dump's tables (no table function)")
            if _PATH_LIKE.search(node.name):
                raise QueryProblem(f"表名 {node.name[:60]} 像是文件路径：只能读取转储中的表", f"the table name {node.name[:60]} looks like a file path: only the dump's tables can be read")
            extra = [k for k, v in node.args.items() if v and k not in _TABLE_ARGS]
            if extra:
                raise QueryProblem(f"表 {node.name[:60]} 带有不支持的子句 {extra[0]}", f"table {node.name[:60]} has an unsupported clause {extra[0]}")


def _top_level_checks(top: exp.Select) -> None:
    for key, (zh, en) in _TOP_ONLY.items():
        if top.args.get(key):
            raise QueryProblem(zh, en)
    for agg in top.find_all(exp.AggFunc):
        p = agg.parent
        while p is not None and p is not top and not isinstance(p, (exp.Window, exp.Select)):
            p = p.parent
        if p is top:
            raise QueryProblem(f"聚合函数 {agg.key.upper()} 把多行并为一行（在窗口 OVER (…) 或子查询中可以用）",
                               f"the aggregate {agg.key.upper()} merges rows (use it in a window OVER (…) or a sub-query)")
    for j in top.args.get("joins") or []:
        side, kind = (j.args.get("side") or "").upper(), (j.args.get("kind") or "").upper()
        if side in ("RIGHT", "FULL"):
            raise QueryProblem(f"{side} JOIN 会加入不属于主表（FROM 的第一个表）的行", f"a {side} JOIN adds rows that belong to no row of the driving (first FROM) table")
        if j.args.get("method"):
            raise QueryProblem("NATURAL JOIN 的键是隐含的，请写 JOIN … ON", "a NATURAL JOIN's key is implicit: write JOIN … ON")
        if kind not in ("", "INNER", "OUTER", "CROSS"):
            raise QueryProblem(f"{kind} JOIN 不支持", f"{kind} JOIN is not supported")
        if kind != "CROSS" and not j.args.get("on") and not j.args.get("using"):
            raise QueryProblem("连接需要 ON 或 USING 条件（逗号连接没有条件，请写 JOIN … ON）",
                               "a join needs ON or USING (a comma join has none: write JOIN … ON)")


def _strip_schemas(tree: exp.Expression) -> exp.Expression:
    for table in tree.find_all(exp.Table):
        table.set("db", None)
        table.set("catalog", None)
        table.set("hints", None)  # WITH (NOLOCK) and the like mean nothing here
    return tree


def parse(name: str, sql: str, dialect: str, where: str) -> Query:
    """Parse and check one extraction query (``JincaiError`` ``adapter-sql-query`` saying why not)."""
    try:
        return _parse(name, sql, dialect, where)
    except QueryProblem as p:
        raise JincaiError("adapter-sql-query", f"提取查询 {name} 不被接受：{p.zh}", f"extraction query {name} is refused: {p.en}", where, {"query": name}) from None
    except RecursionError:
        raise limits.exceeded("sql_nesting_depth", f">{limits.limit('sql_nesting_depth')}", where) from None
    except sqlglot.errors.SqlglotError as exc:
        text = str(exc).splitlines()[0][:300]
        raise JincaiError("adapter-sql-query", f"提取查询 {name} 无法按 {dialect} 方言解析：{text}", f"extraction query {name} does not parse as {dialect}: {text}", where, {"query": name}) from None


def _parse(name: str, sql: str, dialect: str, where: str) -> Query:
    tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    limits.check("sql_nesting_depth", _depth(tokens), where)
    statements = [s for s in _quiet_parse(sql, dialect, tokens) if s is not None]
    if len(statements) != 1:
        raise QueryProblem(f"应为一条 SELECT 语句，实为 {len(statements)} 条", f"it must be one SELECT statement, not {len(statements)}")
    tree = statements[0]
    if isinstance(tree, exp.SetOperation):
        raise QueryProblem("UNION/INTERSECT/EXCEPT 不支持：请写成几个命名查询（queries）", "UNION/INTERSECT/EXCEPT is not supported: write several named queries (queries)")
    if not isinstance(tree, exp.Select):
        raise QueryProblem(f"应为 SELECT 语句，实为 {tree.key.upper()}", f"it must be a SELECT statement, not {tree.key.upper()}")
    tree = _strip_schemas(tree)
    check_tree(tree)
    _top_level_checks(tree)
    from_ = tree.args.get("from") or tree.args.get("from_")
    if from_ is None:
        raise QueryProblem("没有 FROM：查询应读取转储中的表", "no FROM: the query must read the dump's tables")
    driving = from_.this
    joins = []
    for j in tree.args.get("joins") or []:
        t = j.this
        side, kind = (j.args.get("side") or "").upper(), (j.args.get("kind") or "").upper()
        keys = [c.name for c in (j.args.get("on") or exp.Null()).find_all(exp.Column) if c.table == t.alias_or_name]
        keys += [u.name for u in j.args.get("using") or []]
        text = j.sql(dialect=dialect)
        joins.append(Join(t.alias_or_name, t.name, side == "" and kind in ("", "INNER"), text if len(text) <= 200 else text[:200] + "…", ", ".join(dict.fromkeys(keys)) or "—"))
    return Query(name, where, dialect, _fix_query(tree, dialect), driving.alias_or_name, driving.name, joins)


# ---- running it ----------------------------------------------------------------------------------


def traced_sql(q: Query, staged: dict[str, str]) -> str:
    """The DuckDB text to run: inner joins made left joins, every table's row number and line
    carried along; checked again after transpiling (what runs is what was checked) and for reading
    only staged tables (``staged``: lower name → name)."""
    try:
        tree = q.tree.copy()
        for t in tree.find_all(exp.Table):
            if t.name.lower() not in staged:
                known = "、".join(staged.values()) or "—"
                raise JincaiError("adapter-sql-query", f"提取查询 {q.name} 读取的表 {t.name[:60]} 不在转储中（转储中的表：{known}）",
                                  f"extraction query {q.name} reads table {t.name[:60]}, which the dump does not hold (its tables: {', '.join(staged.values()) or '—'})",
                                  q.where, {"query": q.name})
        joins = tree.args.get("joins") or []
        for j, info in zip(joins, q.joins):
            if info.inner:
                j.set("side", "LEFT")
                j.set("kind", None)
        aliases = [q.driving_alias] + [j.alias for j in q.joins]
        for i, alias in enumerate(aliases):
            tree.select(exp.alias_(exp.column(ROW_COL, table=alias), f"{HIDDEN}src{i}_row", quoted=True), copy=False)
            tree.select(exp.alias_(exp.column(LINE_COL, table=alias), f"{HIDDEN}src{i}_line", quoted=True), copy=False)
        duck = tree.sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
        again = _quiet_parse(duck, "duckdb")
        if len([s for s in again if s is not None]) != 1 or not isinstance(again[0], exp.Select):
            raise QueryProblem("转换为 DuckDB 后不再是一条 SELECT", "once transpiled to DuckDB it is no longer one SELECT")
        check_tree(again[0])
        for t in again[0].find_all(exp.Table):
            if t.name.lower() not in staged or t.args.get("db") or t.args.get("catalog"):
                raise QueryProblem(f"转换为 DuckDB 后读取了转储之外的表 {t.name[:60]}", f"once transpiled to DuckDB it reads {t.name[:60]}, which is not a table of the dump")
        return duck
    except QueryProblem as p:
        raise JincaiError("adapter-sql-query", f"提取查询 {q.name} 不被接受：{p.zh}", f"extraction query {q.name} is refused: {p.en}", q.where, {"query": q.name}) from None
    except RecursionError:
        raise limits.exceeded("sql_nesting_depth", f">{limits.limit('sql_nesting_depth')}", q.where) from None
    except sqlglot.errors.SqlglotError as exc:
        text = str(exc).splitlines()[0][:300]
        raise JincaiError("adapter-sql-query", f"提取查询 {q.name} 无法转换为 DuckDB：{text}", f"extraction query {q.name} cannot be transpiled to DuckDB: {text}", q.where, {"query": q.name}) from None


def rows(q: Query, result: Any, path: str, staged_driving: Any, rejected_when_loading: Counter) -> Iterator[SourceRow]:
    """The query's result as source rows: one per driving row, in the result's order; a driving row
    an inner join found nothing for, or that came out more than once, is rejected (once) with the
    join and its key; a driving row missing from the result altogether is rejected too."""
    import pyarrow.compute as pc

    n_src = 1 + len(q.joins)
    src_rows = [result.column(f"{HIDDEN}src{i}_row").to_pylist() for i in range(n_src)]
    src_lines = [result.column(f"{HIDDEN}src{i}_line").to_pylist() for i in range(n_src)]
    driving_rows = src_rows[0]
    counts = Counter(driving_rows)
    repeated = {d: [] for d, c in counts.items() if c > 1}
    chosen: dict[int, int] = {}  # the result row that stands for a repeated driving row: its first joined rows in dump order
    if repeated:
        for i, d in enumerate(driving_rows):
            if d in repeated:
                repeated[d].append(i)
        for d, indices in repeated.items():
            chosen[d] = min(indices, key=lambda i: tuple(-1 if src_rows[k][i] is None else src_rows[k][i] for k in range(1, n_src)))
    tables = [q.driving] + [j.table for j in q.joins]
    value_cols = [c for c in result.column_names if not c.startswith(HIDDEN)]
    i = 0
    for batch in result.select(value_cols).to_batches(max_chunksize=2048):
        try:
            converted = batch.to_pylist()
        except (OverflowError, ValueError):  # a date DuckDB can hold and Python cannot (year 99999, infinity)
            raise JincaiError("adapter-sql-query", f"提取查询 {q.name} 的结果中有 Python 无法表示的值（如公元 1–9999 年之外的日期）",
                              f"the result of extraction query {q.name} holds a value Python cannot represent (e.g. a date outside the years 1–9999)",
                              q.where, {"query": q.name}) from None
        for values in converted:
            d = driving_rows[i]
            line = src_lines[0][i]
            sources = {tables[k]: {"row": src_rows[k][i], "line": src_lines[k][i]} for k in range(n_src)}
            extra: dict[str, Any] = {"query": q.name, "line": line, "sources": sources}
            where_zh, where_en = f"表 {q.driving} 第 {d} 行（脚本第 {line} 行）", f"table {q.driving} row {d} (script line {line})"
            if d in repeated:
                if chosen[d] == i:
                    extra["reject"] = _repeated(q, repeated[d], src_rows, src_lines, where_zh, where_en)
                    yield SourceRow(path, d, values, q.driving, None, extra)
            else:
                for k, j in enumerate(q.joins, start=1):
                    if j.inner and src_rows[k][i] is None:
                        extra["reject"] = _unmatched(j, where_zh, where_en, rejected_when_loading.get(j.table.lower(), 0))
                        break
                yield SourceRow(path, d, values, q.driving, None, extra)
            i += 1
    if staged_driving is not None and staged_driving.num_rows != len(counts):
        present = set(counts)
        missing = staged_driving.filter(pc.invert(pc.is_in(staged_driving[ROW_COL], value_set=_int_array(present))))
        for rec in missing.to_pylist():
            d, line = rec.pop(ROW_COL), rec.pop(LINE_COL)
            yield SourceRow(path, d, rec, q.driving, None, {"query": q.name, "line": line, "reject": {
                "code": "sql-query-dropped",
                "zh": f"表 {q.driving} 第 {d} 行（脚本第 {line} 行）：提取查询 {q.name} 的结果中没有这一行",
                "en": f"table {q.driving} row {d} (script line {line}): the result of extraction query {q.name} lacks the row",
                "column": None, "raw": None}})


def _int_array(values: set) -> Any:
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.int64())


def _unmatched(j: Join, where_zh: str, where_en: str, rejected: int) -> dict[str, Any]:
    zh = f"{where_zh}：内连接 {j.sql} 在表 {j.table} 中找不到匹配的行（键 {j.key}），这一行被拒绝而不是悄悄丢掉"
    en = f"{where_en}: the inner join {j.sql} finds no row of table {j.table} (key {j.key}); the row is rejected, not silently dropped"
    if rejected:
        zh += f"（表 {j.table} 有 {rejected} 行在装载时被拒绝）"
        en += f" ({rejected} rows of table {j.table} were rejected when the dump was loaded)"
    return {"code": "sql-join-unmatched", "zh": zh, "en": en, "column": j.key, "raw": None, "money": True}


def _repeated(q: Query, indices: list[int], src_rows: list, src_lines: list, where_zh: str, where_en: str) -> dict[str, Any]:
    parts_zh, parts_en, keys = [], [], []
    for k, j in enumerate(q.joins, start=1):
        matched = sorted({(src_rows[k][i], src_lines[k][i]) for i in indices if src_rows[k][i] is not None})
        if len(matched) > 1:
            rows_ = "、".join(str(r) for r, _ in matched[:10]) + ("…" if len(matched) > 10 else "")
            lines_ = "、".join(str(ln) for _, ln in matched[:10]) + ("…" if len(matched) > 10 else "")
            parts_zh.append(f"连接 {j.sql} 在表 {j.table} 中匹配到 {len(matched)} 行（第 {rows_} 行，脚本第 {lines_} 行；键 {j.key}）")
            parts_en.append(f"the join {j.sql} matches {len(matched)} rows of table {j.table} (rows {rows_.replace('、', ', ')}, script lines {lines_.replace('、', ', ')}; key {j.key})")
            keys.append(j.key)
    n = len(indices)
    return {
        "code": "sql-join-duplicated",
        "zh": f"{where_zh}：" + ("；".join(parts_zh) or "查询结果中出现多次") + f"，这一行会被计算 {n} 次，因此被拒绝",
        "en": f"{where_en}: " + ("; ".join(parts_en) or "it comes out several times") + f"; the row would be counted {n} times, so it is rejected",
        "column": ", ".join(keys) or None,
        "raw": None,
        "money": True,
    }


# ---- dialect gaps ----------------------------------------------------------------------------------


def _fix_query(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Fill gaps in sqlglot's translation that would otherwise change a result silently."""
    if dialect == "tsql":
        # SQL Server truncates to the declared length when casting to (n)varchar(n) / (n)char(n) — the
        # idiom CONVERT(varchar(10), d, 120) keeps 'YYYY-MM-DD' — and pads char(n); DuckDB ignores
        # the length, so make both explicit.
        char_types = {exp.DataType.Type.VARCHAR, exp.DataType.Type.NVARCHAR, exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR}

        def truncate(node):
            if isinstance(node, exp.Convert):
                to = node.this
            elif isinstance(node, (exp.Cast, exp.TryCast)):
                to = node.args.get("to")
            else:
                return node
            if not isinstance(to, exp.DataType) or to.this not in char_types or len(to.expressions) != 1:
                return node
            size = to.expressions[0].this
            if not isinstance(size, exp.Literal) or size.is_string:  # varchar(max): no limit
                new = node.copy()
                (new.this if isinstance(new, exp.Convert) else new.args["to"]).set("expressions", [])
                return new
            n = int(size.this)
            out = exp.Substring(this=node.copy(), start=exp.Literal.number(1), length=exp.Literal.number(n))
            if to.this in (exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR):
                out = exp.Anonymous(this="RPAD", expressions=[out, exp.Literal.number(n), exp.Literal.string(" ")])
            return out

        tree = _transform_outside_in(tree, truncate)
    if dialect == "oracle":
        def tochar(node):
            if isinstance(node, exp.ToChar) and isinstance(node.args.get("format"), exp.Literal):
                fmt = node.args["format"].this
                for ora, pyf in ORA_FMT:
                    fmt = fmt.replace(ora, pyf)
                return exp.TimeToStr(this=node.this, format=exp.Literal.string(fmt))
            return node
        tree = tree.transform(tochar)
    return tree


def _transform_outside_in(tree: exp.Expression, fn) -> exp.Expression:
    """Apply ``fn`` to every node once (a replaced node's children are not visited again)."""
    replaced = []
    for node in list(tree.walk()):
        if any(node is old or _inside(node, old) for old, _ in replaced):
            continue
        new = fn(node)
        if new is not node:
            replaced.append((node, new))
    for node, new in replaced:
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree


def _inside(node: exp.Expression, ancestor: exp.Expression) -> bool:
    p = node.parent
    while p is not None:
        if p is ancestor:
            return True
        p = p.parent
    return False
