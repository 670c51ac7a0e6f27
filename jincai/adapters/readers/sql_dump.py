"""SQL dumps of SQL Server, Oracle or MySQL databases (``source.format: sql_dump``).

A dump is **read as data, never executed**. Its ``CREATE TABLE`` statements are parsed to a schema
and its ``INSERT … VALUES`` rows decoded as literals (``_sql_dump_text``); the tables reach an
in-process DuckDB as Arrow tables, typed by DuckDB's casts through its expression API
(``_sql_sandbox``) — no text of the dump is ever run. Then the profile's extraction query — written in
the *source system's own* SQL dialect (T-SQL ``ISNULL``, ``CONVERT(varchar(8), d, 112)``; Oracle
``NVL``, ``TO_CHAR(d, 'YYYYMMDD')``; MySQL ``IFNULL``, ``DATE_FORMAT``) — is checked on its parsed tree
against an allow-list, transpiled by sqlglot and run on a locked-down connection (no file or network
access, no extensions, configuration locked) within ``limits.sql_query_seconds`` and
``limits.sql_query_memory`` (``_sql_query``). Every result row is a ``SourceRow``.

Options (the profile's ``source`` block):

``dialect`` (required)
    ``tsql`` (SQL Server), ``oracle`` or ``mysql``.
``encoding``
    The dump's encoding. Without it: a byte-order mark decides (SQL Server Management Studio writes
    scripts as UTF-16 LE with a BOM), else the whole file must be valid UTF-8. GBK/GB2312 are read as
    GB18030. A byte that does not decode is an error with its byte offset and line.
``query``
    The extraction query in the source dialect. Without it every row of every table is a source row
    (``sheet`` = table name, values = its columns, ``extra["line"]`` = its line in the dump).
``queries``
    Several named queries (``{name: sql}``); each row's ``extra["query"]`` names its query.

What is loaded: string and number literals, ``NULL``, ``CAST(literal AS type)``, Oracle
``to_date(literal, literal)`` and ``q'[…]'``; MySQL backslash escapes are decoded and MySQL's zero
date ``'0000-00-00…'`` is NULL (as MySQL connectors read it). A row holding anything else (a
sub-query, a function call, an operator …) is rejected (``sql-value-not-literal``), as is a row whose
value does not fit its column (``sql-value-invalid``, e.g. ``'2024-02-30'`` in a ``date`` column) or
whose number of values is wrong (``sql-value-count``) — each with its table, row number, line and
column, never with the value in the message. Column types map to DuckDB's: character types → VARCHAR,
DECIMAL/NUMERIC(p,s) → DECIMAL(p,s), Oracle ``NUMBER`` without precision → DECIMAL(38,10), MONEY →
DECIMAL(19,4), integer types → BIGINT, Oracle ``DATE`` → TIMESTAMP (it carries a time),
DATETIME/DATETIME2/SMALLDATETIME → TIMESTAMP, FLOAT/REAL → DOUBLE, BIT → BOOLEAN, binary → BLOB.
Schema prefixes (``[dbo].``, ``"FIN".``) are dropped from table names, in the dump and in the query.
Session statements (``SET``, ``USE``, ``GO``, ``LOCK TABLES``, ``ALTER``, ``CREATE INDEX``, comments,
SQL*Plus ``REM``/``PROMPT``) are skipped. A dump that ``UPDATE``s or ``DELETE``s, a statement that
cannot be read (an unterminated ``VALUES`` list), or one longer than
``limits.sql_dump_statement_bytes``, is an error with its line.

Where a row comes from: the loader numbers each table's rows in dump order and remembers the line of
each. With a query, ``sheet`` is the driving table (the first of ``FROM``), ``row`` the row's number
in it, and ``extra`` holds ``line`` and ``sources`` (``{table: {"row": n, "line": l}}`` for every
table of the query). Each row of the driving table comes out exactly once: one a join drops
(``sql-join-unmatched``) or duplicates (``sql-join-duplicated``) is rejected once with the join and
its key, its money still counted in the ledger (see ``_sql_query``). The rows the loader rejected
come first, then the query's rows in its order.

Values reach the profile as DuckDB types them: ``str``, ``int``, ``Decimal`` (never a float for a
decimal column), ``datetime``/``date``, ``bool``, ``bytes``, ``None``; a rejected row's values are the
text as written.
"""

from __future__ import annotations

import codecs
from collections import Counter
from typing import Any, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from jincai.adapters.readers import SourceRow, register
from jincai.adapters.readers import _sql_query as Q
from jincai.adapters.readers import _sql_sandbox as box
from jincai.adapters.readers._common import normalize_encoding, open_binary, option_error, parse_options, undecodable
from jincai.adapters.readers._sql_dump_text import LINE_COL, ROW_COL, DumpText, Rejection, Unterminated, split_statements
from jincai import limits
from jincai.errors import JincaiError

DIALECTS = ("tsql", "oracle", "mysql")
_ALIASES = {"sqlserver": "tsql", "mssql": "tsql", "t-sql": "tsql"}


def _decode(data: bytes, declared: str | None, path: str) -> str:
    if declared:
        codec = normalize_encoding(declared, "source.encoding")
        for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            if data.startswith(bom) and codec.replace("_", "-").startswith(("utf-8", "utf-16", "utf8")):
                data = data[len(bom):]
                if codec in ("utf-16", "utf_16"):
                    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    elif data.startswith(codecs.BOM_UTF8):
        data, codec = data[3:], "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE):
        data, codec = data[2:], "utf-16-le"
    elif data.startswith(codecs.BOM_UTF16_BE):
        data, codec = data[2:], "utf-16-be"
    else:
        codec = "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        err = undecodable(path, exc, 0, f"SQL 脚本第 {line} 行", f"SQL script line {line}")
        if not declared:
            err.message_zh += "；未声明编码时脚本须为 UTF-8 或带 BOM 的 UTF-16，请在 source.encoding 中声明（如 GBK）"
            err.message_en += "; without a declared encoding the script must be UTF-8 or UTF-16 with a BOM: declare source.encoding (e.g. GBK)"
        raise err from None


class SqlDumpOptions(BaseModel):
    """Options of the ``sql_dump`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["sql_dump"] = "sql_dump"
    encoding: str | None = Field(None, description="脚本编码；不写则按 BOM，否则须为 UTF-8 / script encoding; default: the BOM, else UTF-8")
    dialect: str = Field(description="源数据库方言：tsql（SQL Server）、oracle、mysql / the source database's dialect")
    query: str | None = Field(None, description="以源方言写的提取查询 / the extraction query, in the source dialect")
    queries: dict[str, str] | None = Field(None, description="多个命名的提取查询 / several named extraction queries")


def _options(options: dict[str, Any]) -> tuple[str, dict[str, Any], list[Q.Query] | None]:
    """(dialect, options, checked queries or None) — the queries parsed and checked (``adapter check`` too)."""
    opts = parse_options(SqlDumpOptions, {"dialect": "", **options}, "sql_dump").model_dump(exclude_none=True)
    dialect = str(opts.get("dialect", "")).lower()
    dialect = _ALIASES.get(dialect, dialect)
    if dialect not in DIALECTS:
        raise option_error("sql_dump", "dialect", f"应为 {'、'.join(DIALECTS)} 之一", f"must be one of {', '.join(DIALECTS)}")
    if opts.get("queries") is not None:
        texts = [(name, sql, f"source.queries.{name}") for name, sql in opts["queries"].items()]
    elif opts.get("query"):
        texts = [("query", opts["query"], "source.query")]
    else:
        return dialect, opts, None
    return dialect, opts, [Q.parse(name, sql, dialect, where) for name, sql, where in texts]


def _rejected_row(path: str, table: str, r: Rejection) -> SourceRow:
    return SourceRow(path, r.row, dict(r.values), table, None, {"line": r.line, "reject": {
        "code": r.code, "zh": r.zh, "en": r.en, "column": r.column, "raw": r.raw}})


@register("sql_dump")
class SqlDumpReader:
    name = "sql_dump"
    options_model = SqlDumpOptions

    def check_options(self, options: dict[str, Any]) -> None:
        """What ``adapter check`` asks of the reader: the options, and each query parsed and allowed."""
        _options(options)

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        dialect, opts, queries = _options(options)
        with open_binary(path) as fh:
            data = fh.read()
        text = _decode(data, opts.get("encoding"), path)
        del data
        dump = DumpText(path, dialect)
        try:
            for line, stmt in split_statements(text, dialect):
                dump.statement(line, stmt)
        except Unterminated as u:
            raise dump.error(u.line, f"起有{u.zh}，其后的内容会被吞掉", f"{u.en}; everything after it would be swallowed") from None
        del text
        tables = dump.finish()
        con = box.connect()
        try:
            staged, rejected = {}, {}
            for t in tables:
                try:
                    staged[t.name.lower()], bad = box.stage(con, t)
                except Exception as exc:  # duckdb.Error, pyarrow.ArrowException: a library's, not the data's, words
                    raise _stage_error(path, t.name, t.line, exc) from None
                rejected[t.name.lower()] = sorted(t.rejected + bad, key=lambda r: r.row)
            if queries is None:
                for t in tables:
                    yield from _whole_table(path, t.name, staged[t.name.lower()], rejected[t.name.lower()])
                return
            for t in tables:
                for r in rejected[t.name.lower()]:
                    yield _rejected_row(path, t.name, r)
            names = {t.name.lower(): t.name for t in tables}
            when_loading = Counter({k: len(v) for k, v in rejected.items()})
            for q in queries:
                sql = Q.traced_sql(q, names)
                result = box.run(con, sql, f"提取查询 {q.name} ", f"extraction query {q.name}", q.where)
                yield from Q.rows(q, result, path, staged.get(q.driving.lower()), when_loading)
        finally:
            con.close()


def _whole_table(path: str, table: str, typed: Any, rejected: list[Rejection]) -> Iterator[SourceRow]:
    """Every row of one table in dump order, the rejected ones at their place."""
    pending = iter(rejected)
    nxt = next(pending, None)
    names = [c for c in typed.column_names if c not in (ROW_COL, LINE_COL)]
    for batch in typed.to_batches(max_chunksize=2048):
        rows = batch.column(ROW_COL).to_pylist()
        lines = batch.column(LINE_COL).to_pylist()
        for k, values in enumerate(batch.select(names).to_pylist()):
            while nxt is not None and nxt.row < rows[k]:
                yield _rejected_row(path, table, nxt)
                nxt = next(pending, None)
            yield SourceRow(path, rows[k], values, table, None, {"line": lines[k]})
    while nxt is not None:
        yield _rejected_row(path, table, nxt)
        nxt = next(pending, None)


def _stage_error(path: str, table: str, line: int, exc: Exception) -> JincaiError:
    kind = type(exc).__name__
    if kind == "OutOfMemoryException":
        return limits.exceeded("sql_query_memory", f">{limits.limit('sql_query_memory')}", f"{path}:{line}")
    return JincaiError(
        "adapter-sql-dump",
        f"表 {table}（脚本第 {line} 行建表）的数据无法装入（{kind}）",
        f"the rows of table {table} (created at script line {line}) cannot be loaded ({kind})",
        f"{path}:{line}",
        {"line": line, "error": kind},
    )
