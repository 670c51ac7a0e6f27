"""DuckDB-dialect SQL run on Spark, transpiled by sqlglot: the builtin layers run unchanged.

The builtin layers (``jincai.validation.bulk``) and the entity views (``staging.create_views``) are
written as DuckDB SQL against a DB-API-like connection (``execute`` / ``register``). A
:class:`SparkConnection` is such a connection over a SparkSession: every statement is parsed by
sqlglot as DuckDB, its stage tables (``_stage.t<n>``) renamed to the Spark views that hold them,
and written out as Spark SQL — never a second, hand-kept copy of a rule. Two statements are turned
into what Spark offers instead:

* ``INSERT INTO _issues … SELECT …`` — Spark has no writable temporary tables: the SELECT becomes a
  DataFrame kept in an :class:`IssueBuffer`, and all of them run as one job whose rows (issues: few
  next to the records) are appended to the ``_issues`` table of the driver's DuckDB connection,
  where the report is built as on the DuckDB engine;
* ``CREATE VIEW`` — becomes ``CREATE OR REPLACE TEMPORARY VIEW`` (a session's views only).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any, Sequence

import pyarrow as pa

from jincai.errors import JincaiError

ISSUES = "_issues"
_STAGE_TABLE = re.compile(r"^t[0-9]+$")


def view_name(stage_table: str) -> str:
    """The Spark view of a stage table: ``_stage.t3`` → ``_stage_t3``."""
    return stage_table.replace(".", "_")


@lru_cache(maxsize=4096)
def transpile(sql: str, read: str = "duckdb", renames: tuple[tuple[str, str], ...] = ()) -> tuple[str, str | None, tuple[str, ...]]:
    """(Spark SQL, insert target or None, insert columns) for one statement; ``renames``: more tables to rename."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read=read)
    more = dict(renames)

    def rename(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Table):
            return node
        if node.db == "_stage" and _STAGE_TABLE.match(node.name):
            new_name = view_name(f"_stage.{node.name}")
        elif not node.db and node.name in more:
            new_name = more[node.name]
        else:
            return node
        new = exp.to_table(new_name)
        if node.args.get("alias") is not None:
            new.set("alias", node.args["alias"])
        return new

    tree = tree.transform(rename)
    if isinstance(tree, exp.Insert):
        target = tree.this
        columns: tuple[str, ...] = ()
        if isinstance(target, exp.Schema):
            columns = tuple(c.name for c in target.expressions)
            target = target.this
        return _write(tree.expression), target.name, columns
    if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "VIEW":
        text = _write(tree)
        return re.sub(r"^CREATE (OR REPLACE )?VIEW", "CREATE OR REPLACE TEMPORARY VIEW", text), None, ()
    return _write(tree), None, ()


def _write(tree) -> str:
    import sqlglot

    return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


class SparkCursor:
    """What ``execute`` returns: ``description``, ``fetchall`` and ``fetchone`` like DB-API."""

    def __init__(self, names: list[str], rows: list[tuple] | None = None, df: Any | None = None):
        self.description = [(n,) for n in names]
        self._rows, self._df = rows, df

    def fetchall(self) -> list[tuple]:
        if self._rows is None:
            self._rows = [tuple(r) for r in self._df.collect()] if self._df is not None else []
        return self._rows

    def fetchone(self) -> tuple | None:
        rows = self.fetchall()
        return rows[0] if rows else None


class IssueBuffer:
    """The ``INSERT INTO _issues`` results of many statements, written to the sink in one Spark job.

    Each statement's SELECT is a DataFrame (analysed at once, so a temporary table it reads may be
    dropped right after); :meth:`flush` unions them all — one job instead of one per statement,
    which on Spark costs far more than the work of a small submission.
    """

    def __init__(self, sink: Any):
        self.sink = sink
        self._parts: list[Any] = []
        self._lock = threading.Lock()

    def add(self, df: Any, columns: Sequence[str]) -> None:
        from pyspark.sql import functions as F

        from jincai.validation.bulk import ISSUE_COLUMNS

        names = list(columns) or df.columns
        df = df.toDF(*[f"c{i}" for i in range(len(df.columns))])  # by position, as INSERT reads them
        given = {n: f"c{i}" for i, n in enumerate(names)}
        types = {c.split()[0]: _SPARK_TYPES[c.split()[1]] for c in ISSUE_COLUMNS.split(", ")}
        cols = [(F.col(given[n]) if n in given else F.lit(None)).cast(t).alias(n) for n, t in types.items()]
        with self._lock:
            self._parts.append(df.select(*cols))

    def flush(self) -> None:
        with self._lock:
            parts, self._parts = self._parts, []
        if not parts:
            return
        union = parts[0]
        for p in parts[1:]:
            union = union.unionAll(p)
        rows = spark_call(union.toArrow, "INSERT INTO _issues …")
        if rows.num_rows:
            append_issues(self.sink, rows, rows.column_names)


_SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int"}


class SparkConnection:
    """A DuckDB-like connection whose statements run on ``spark`` (see the module doc).

    ``read``: the dialect of the statements given (``duckdb`` for the builtin layers; ``spark`` for
    SQL rules already rendered for Spark by ``sql_rules.render``). ``issues``: where
    ``INSERT INTO _issues`` goes (an :class:`IssueBuffer`). ``results``: rows already fetched for a
    statement (see ``validate.run_sql_rules``), served instead of running it again. Tables given to
    :meth:`register` get a name of this connection's own, so connections may run side by side.
    """

    _ids = iter(range(1, 1 << 62))
    _ids_lock = threading.Lock()

    def __init__(self, spark: Any, issues: IssueBuffer | None = None, read: str = "duckdb", results: dict[str, SparkCursor] | None = None):
        self.spark, self.issues, self.read, self.results = spark, issues, read, results
        with self._ids_lock:
            self._id = next(self._ids)
        self._registered: dict[str, str] = {}

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> SparkCursor:
        if params:
            raise JincaiError("spark-params", "Spark 连接不接受绑定参数", "the Spark connection takes no bound parameters")
        if self.results is not None and sql in self.results:
            return self.results[sql]
        if self.read == "spark":
            text, target, columns = sql, None, ()
        else:
            text, target, columns = transpile(sql, self.read, tuple(sorted(self._registered.items())))
        df = spark_call(lambda: self.spark.sql(text), sql)
        if target is None:
            return SparkCursor(df.columns, df=df if df.columns else None)
        if target.lower() != ISSUES or self.issues is None:
            raise JincaiError("spark-insert", f"Spark 上只能写入 {ISSUES}，不能写入 {target}", f"only {ISSUES} can be written on Spark, not {target}")
        self.issues.add(df, columns)
        return SparkCursor([])

    def register(self, name: str, table: pa.Table) -> None:
        own = f"{name}_c{self._id}"
        self.spark.createDataFrame(table).createOrReplaceTempView(own)
        self._registered[name] = own

    def unregister(self, name: str) -> None:
        own = self._registered.pop(name, None)
        if own:
            self.spark.catalog.dropTempView(own)


def spark_call(call, sql: str):
    """Run ``call``; a Spark failure (a statement it cannot run, a lost executor) is a coded error."""
    from pyspark.errors import PySparkException
    from py4j.protocol import Py4JError

    try:
        return call()
    except (PySparkException, Py4JError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:500]
        raise JincaiError(
            "spark-failed", f"Spark 执行失败：{first}", f"Spark failed: {first}", sql.strip().splitlines()[0][:200] if sql.strip() else None
        ) from exc


def append_issues(sink: Any, rows: pa.Table, columns: Sequence[str]) -> None:
    """Append result rows to the driver's ``_issues`` (columns by position, as INSERT does)."""
    if rows.num_rows == 0:
        return
    names = list(columns) or rows.column_names
    rows = rows.rename_columns([f"c{i}" for i in range(rows.num_columns)])
    sink.register("_spark_rows", rows)
    try:
        select = ", ".join(f"c{i}" for i in range(len(names)))
        sink.execute(f"INSERT INTO {ISSUES} ({', '.join(names)}) SELECT {select} FROM _spark_rows")
    finally:
        sink.unregister("_spark_rows")
