"""The DuckDB side of the SQL-dump reader: a locked-down connection, tables staged through Arrow,
and a profile's query run under a time and memory limit.

The connection has external access (files, network), extension autoload/autoinstall, Python
replacement scans and spilling to disk turned off, a memory limit, and its configuration locked, so
that nothing run on it can change them back. The dump's tables reach it as Arrow tables (typed by
DuckDB's own casts through its expression API: no SQL text is built from the dump); the only SQL text
it ever runs is the profile's extraction query, after ``_sql_query`` has checked it.

DuckDB's error messages can quote the data (``Could not convert string '1306…' to INT32``): they
reach the user only for errors about the query's text (binder, catalog, parser), never for errors
about values.

Not a reader itself (the leading underscore keeps it out of the registry's discovery).
"""

from __future__ import annotations

import threading
from typing import Any

from jincai import limits
from jincai.adapters.readers._sql_dump_text import LINE_COL, ROW_COL, Rejection, TableData
from jincai.errors import JincaiError

BAD_COL = "__jincai_bad"
_PYTHON_RANGE = {  # what Python's date and datetime can hold
    "DATE": ("0001-01-01", "9999-12-31"),
    "TIMESTAMP": ("0001-01-01 00:00:00", "9999-12-31 23:59:59.999999"),
    "TIMESTAMPTZ": ("0001-01-02 00:00:00+00", "9999-12-30 23:59:59.999999+00"),
}


def connect() -> Any:
    """A DuckDB connection that can read nothing but what is registered on it."""
    import duckdb

    config = {
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "python_enable_replacements": False,  # no scanning of Python variables named in a query
        "temp_directory": "",  # nothing spilled to disk
        "memory_limit": f"{limits.limit('sql_query_memory')}B",
    }
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET lock_configuration = true")
    return con


def _cast(duckdb: Any, column: str, to: str) -> Any:
    return duckdb.ColumnExpression(column).try_cast(duckdb.sqltype(to))


def stage(con: Any, table: TableData) -> tuple[Any, list[Rejection]]:
    """Type the table's text rows (each value cast first to its own ``CAST`` type, if it had one,
    then to the column's type — what an INSERT would do) and register the typed Arrow table under
    the table's name. Rows with a value that does not fit are returned as rejections (the column and
    its type named, never the value)."""
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc

    C, K = duckdb.ColumnExpression, duckdb.ConstantExpression
    raw = table.stage()
    exprs, checks = [], []
    for i, (name, to) in enumerate(table.columns):
        col = f"c{i}"
        tags = table.cast_types[i]
        if not tags:
            typed = C(col) if to == "VARCHAR" else _cast(duckdb, col, to)
        else:
            typed = C(col) if to == "VARCHAR" else _cast(duckdb, col, to)
            case = None
            for via, tag in tags.items():
                inner = _cast(duckdb, col, via) if via != "VARCHAR" else C(col)
                value = inner if via == to else inner.try_cast(duckdb.sqltype(to))
                cond = C(f"t{i}") == K(tag)
                case = duckdb.CaseExpression(cond, value) if case is None else case.when(cond, value)
            typed = case.otherwise(typed)
        exprs.append(typed.alias(name))
        if to in _PYTHON_RANGE:  # DuckDB holds years Python's datetime cannot (99999, infinity)
            lo, hi = (K(v).cast(duckdb.sqltype(to)) for v in _PYTHON_RANGE[to])
            checks.append(duckdb.CaseExpression(C(col).isnotnull() & (typed.isnull() | ~typed.between(lo, hi)), K(i)))
        elif to != "VARCHAR" or tags:
            checks.append(duckdb.CaseExpression(C(col).isnotnull() & typed.isnull(), K(i)))
    exprs += [C("r").alias(ROW_COL), C("l").alias(LINE_COL)]
    if checks:
        exprs.append((duckdb.CoalesceOperator(*checks) if len(checks) > 1 else checks[0]).alias(BAD_COL))
    else:
        exprs.append(K(None).alias(BAD_COL))
    typed_table = con.from_arrow(raw).select(*exprs).to_arrow_table()
    bad = pc.is_valid(typed_table[BAD_COL])
    rejections: list[Rejection] = []
    if pc.any(bad).as_py():
        flagged = typed_table.filter(bad).select([ROW_COL, LINE_COL, BAD_COL]).to_pylist()
        numbers = pa.array([f[ROW_COL] for f in flagged], type=pa.int64())
        texts = raw.filter(pc.is_in(raw["r"], value_set=numbers)).to_pylist()
        by_row = {t["r"]: t for t in texts}
        for f in flagged:
            i = int(f[BAD_COL])
            col, to = table.columns[i]
            t = by_row[f[ROW_COL]]
            values = {c: t[f"c{j}"] for j, (c, _) in enumerate(table.columns)}
            where_zh = f"表 {table.name} 第 {f[ROW_COL]} 行（脚本第 {f[LINE_COL]} 行）"
            where_en = f"table {table.name} row {f[ROW_COL]} (script line {f[LINE_COL]})"
            rejections.append(Rejection(
                f[ROW_COL], f[LINE_COL], values, "sql-value-invalid",
                f"{where_zh}，列 {col}：值不能作为该列的类型 {to} 装入", f"{where_en}, column {col}: the value does not fit the column's type {to}",
                col, values[col]))
        typed_table = typed_table.filter(pc.invert(bad))
    typed_table = typed_table.drop_columns([BAD_COL])
    con.register(table.name, typed_table)
    return typed_table, rejections


# errors about the query's own text, whose messages quote the query, not the data
_TEXT_ERRORS = ("BinderException", "CatalogException", "ParserException", "SyntaxException", "NotImplementedException")


def run(con: Any, sql: str, what_zh: str, what_en: str, location: str) -> Any:
    """The query's whole result as an Arrow table, within ``sql_query_seconds`` (the query is
    interrupted) and ``sql_query_memory``."""
    import duckdb

    seconds = limits.limit("sql_query_seconds")
    timer = threading.Timer(seconds, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.InterruptException:
        raise limits.exceeded("sql_query_seconds", f">{seconds}", location) from None
    except duckdb.OutOfMemoryException:
        raise limits.exceeded("sql_query_memory", f">{limits.limit('sql_query_memory')}", location) from None
    except duckdb.Error as exc:
        kind = type(exc).__name__
        if kind in _TEXT_ERRORS:
            text = str(exc).strip().splitlines()[0][:300]
            raise JincaiError("adapter-sql-query", f"{what_zh}执行失败：{text}", f"{what_en} failed: {text}", location, {"error": kind}) from None
        raise JincaiError(
            "adapter-sql-query",
            f"{what_zh}执行失败（{kind}：数据中的某个值不能按查询处理；为保护数据，不显示 DuckDB 的原文）",
            f"{what_en} failed ({kind}: a value in the data cannot be processed as the query asks; DuckDB's text is withheld because it may quote the data)",
            location,
            {"error": kind},
        ) from None
    finally:
        timer.cancel()
