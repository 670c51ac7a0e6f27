"""SQL dumps of SQL Server, Oracle or MySQL databases (``source.format: sql_dump``).

The dump's ``CREATE TABLE`` and ``INSERT`` statements are parsed with sqlglot in the source
dialect, transpiled and loaded into an in-process DuckDB database; then the profile's extraction
query — written in the *source system's own* SQL dialect (T-SQL ``SELECT TOP``, ``ISNULL``,
``CONVERT(varchar(8), d, 112)``; Oracle ``NVL``, ``TO_CHAR(d, 'YYYYMMDD')``; MySQL ``IFNULL``,
``DATE_FORMAT``) — is transpiled the same way and run. Every result row is a ``SourceRow``.

Options (the profile's ``source`` block):

``dialect`` (required)
    ``tsql`` (SQL Server), ``oracle`` or ``mysql``.
``encoding``
    The dump's encoding. Without it: a byte-order mark decides (SQL Server Management Studio writes
    scripts as UTF-16 LE with a BOM), else the whole file must be valid UTF-8. GBK/GB2312 are read as
    GB18030. A byte that does not decode is an error with its byte offset and line.
``query``
    The extraction query in the source dialect. Without it every row of every table is a source row
    (``sheet`` = table name, values = its columns).
``queries``
    Several named queries (``{name: sql}``); each row's ``extra["query"]`` names its query.

Where a row comes from: the loader numbers each table's rows in dump order and remembers the line
of each; when the query is a plain ``SELECT … FROM t [JOIN u …]`` (no grouping, DISTINCT or set
operation) these are carried through, so ``sheet`` is the driving (first) table, ``row`` the row's
number in that table, and ``extra`` holds ``line`` (the line of its ``INSERT`` values in the dump)
and ``sources`` (``{table: {"row": n, "line": l}}`` for every table in the FROM clause). Otherwise
``row`` is the result row's ordinal and ``extra["line"]`` is absent.

The extraction query should select and join, not filter: rows a ``WHERE`` discards never reach the
ledger. Use the profile's row filters, which the ledger counts.

What the loader does with the dump: ``CREATE TABLE`` keeps each column's name and type (constraints,
storage clauses, defaults and comments are dropped; types map to DuckDB: character types → VARCHAR,
DECIMAL/NUMERIC(p,s) → DECIMAL(p,s), Oracle ``NUMBER`` without precision → DECIMAL(38,10), MONEY →
DECIMAL(19,4), integer types → BIGINT, Oracle ``DATE`` → TIMESTAMP (it carries a time),
DATETIME/DATETIME2/SMALLDATETIME → TIMESTAMP, FLOAT/REAL → DOUBLE, BIT → BOOLEAN, binary → BLOB);
schema prefixes (``[dbo].``, ``"FIN".``) are dropped from table names, in the dump and in the query;
``INSERT`` statements are transpiled and executed (N'…' literals, ``CAST(N'…' AS DateTime)``, Oracle
``to_date`` with its format, MySQL backslash escapes; MySQL's zero date ``'0000-00-00…'`` becomes
NULL, as MySQL connectors do); session statements (``SET``, ``USE``, ``GO``, ``LOCK TABLES``,
``ALTER``, ``CREATE INDEX``, comments, SQL*Plus ``REM``/``PROMPT``) are skipped. INSERT rows whose
values are all plain literals (strings, numbers, NULL, ``CAST(literal AS type)``, Oracle
``to_date(literal, literal)``) — nearly every row of a real dump — are decoded directly and loaded in
Arrow batches, thousands of rows a second, with exactly the meaning the sqlglot path gives them (a
test checks both paths load the same); any other INSERT is transpiled by sqlglot. A dump that
``UPDATE``s or ``DELETE``s, or a statement that cannot be parsed or loaded, is an error with its line.
Values reach the profile as DuckDB returns them: ``str``, ``int``, ``Decimal`` (never a float for a
decimal column), ``datetime``/``date``, ``bool``, ``bytes``, ``None``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any, Iterator, Literal

import sqlglot
from sqlglot import exp

from jincai.adapters.readers import SourceRow, register
from pydantic import BaseModel, ConfigDict, Field

from jincai.adapters.readers._common import normalize_encoding, option_error, parse_options, undecodable, open_binary
from jincai.errors import JincaiError

DIALECTS = ("tsql", "oracle", "mysql")
ROW_COL = "__jincai_row"
LINE_COL = "__jincai_line"
_BATCH = 500  # rows per INSERT statement of the sqlglot path
_STAGE = 20000  # rows per Arrow batch of the fast path

_TOKEN = {
    "tsql": re.compile(
        r"(?P<lc>--[^\n]*)|(?P<bc>/\*.*?\*/)|(?P<str>[nN]?'(?:[^']|'')*')|(?P<dq>\"(?:[^\"]|\"\")*\")"
        r"|(?P<br>\[(?:[^\]]|\]\])*\])|(?P<semi>;)|(?P<go>^[ \t]*GO[ \t\r]*(?:--[^\n]*)?$)"
        r"|(?P<kw>^[ \t]*(?:INSERT|CREATE|SET|USE|ALTER|DROP|PRINT|EXEC|EXECUTE|DECLARE|UPDATE|DELETE|TRUNCATE|MERGE|IF)\b)"
        r"",
        re.S | re.M | re.I,
    ),
    "oracle": re.compile(
        r"(?P<lc>--[^\n]*)|(?P<bc>/\*.*?\*/)|(?P<rem>^[ \t]*(?:REM|REMARK|PROMPT)\b[^\n]*)"
        r"|(?P<qstr>[nN]?[qQ]'(?:\[.*?\]|\(.*?\)|\{.*?\}|<.*?>|(?P<qd>[^\s])(?:.*?)(?P=qd))')"
        r"|(?P<str>[nN]?'(?:[^']|'')*')|(?P<dq>\"(?:[^\"]|\"\")*\")|(?P<semi>;)|(?P<slash>^[ \t]*/[ \t\r]*$)",
        re.S | re.M | re.I,
    ),
    "mysql": re.compile(
        r"(?P<lc>(?:--[ \t]|#)[^\n]*)|(?P<bc>/\*.*?\*/)|(?P<str>'(?:[^'\\]|\\.|'')*')|(?P<dq>\"(?:[^\"\\]|\\.|\"\")*\")"
        r"|(?P<bt>`(?:[^`]|``)*`)|(?P<semi>;)",
        re.S | re.M,
    ),
}

_SKIP = {"SET", "USE", "GO", "LOCK", "UNLOCK", "ALTER", "DROP", "COMMIT", "BEGIN", "END", "PRINT", "EXEC", "EXECUTE",
         "DECLARE", "IF", "GRANT", "REVOKE", "ROLLBACK", "START", "SPOOL", "WHENEVER", "COMMENT", "ANALYZE", "CALL", "DELIMITER"}
_REFUSE = {"UPDATE", "DELETE", "TRUNCATE", "MERGE", "REPLACE", "UPSERT"}
_COL_STOP = {"NOT", "NULL", "DEFAULT", "IDENTITY", "COLLATE", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK",
             "COMMENT", "AUTO_INCREMENT", "ENABLE", "DISABLE", "CHARACTER", "CHARSET", "GENERATED", "ROWGUIDCOL",
             "SPARSE", "ON", "AS", "FILESTREAM", "MASKED", "KEY", "VISIBLE", "INVISIBLE", "SRID", "STORAGE", "COLUMN_FORMAT"}
_NOT_COLUMNS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FOREIGN", "CHECK", "FULLTEXT", "SPATIAL", "PERIOD", "SUPPLEMENTAL"}
_ZERO_DATE = re.compile(r"0000-00-00( 00:00:00(\.0+)?)?")
_ORA_FMT = [("YYYY", "%Y"), ("HH24", "%H"), ("HH12", "%I"), ("MONTH", "%B"), ("MON", "%b"), ("RRRR", "%Y"), ("RR", "%y"),
            ("YY", "%y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%I"), ("MI", "%M"), ("SS", "%S"), ("AM", "%p"), ("PM", "%p")]

_T = exp.DataType.Type


def _duck_type(type_sql: str, dialect: str) -> str:
    """The DuckDB column type for a column type written in the source dialect."""
    type_sql = re.sub(r"\[([^\]]*)\]", r"\1", type_sql).strip()
    upper = type_sql.upper()
    if dialect == "tsql" and upper.startswith(("MONEY",)):
        return "DECIMAL(19,4)"
    if dialect == "tsql" and upper.startswith("SMALLMONEY"):
        return "DECIMAL(10,4)"
    if upper.startswith(("BIT",)) and dialect == "tsql":
        return "BOOLEAN"
    if re.match(r"(N?VARCHAR2?|N?CHAR|CHARACTER|N?TEXT|NTEXT|CLOB|NCLOB|LONG\b|TINYTEXT|MEDIUMTEXT|LONGTEXT|ENUM|SET\b|UNIQUEIDENTIFIER|XML|JSON|SYSNAME|ROWID|UROWID)", upper):
        return "VARCHAR"
    if re.match(r"(IMAGE|VARBINARY|BINARY|BLOB|LONGBLOB|MEDIUMBLOB|TINYBLOB|RAW|LONG RAW|BFILE|TIMESTAMP\b.*ROWVERSION|ROWVERSION)", upper):
        return "BLOB"
    if dialect == "oracle" and upper == "DATE":
        return "TIMESTAMP"
    try:
        dtype = exp.DataType.build(type_sql, dialect=dialect)
    except Exception:
        return "VARCHAR"
    t = dtype.this
    if t in (_T.DECIMAL, _T.BIGDECIMAL, getattr(_T, "DECIMAL32", None), getattr(_T, "DECIMAL64", None), getattr(_T, "DECIMAL128", None)) or upper.startswith(("NUMBER", "NUMERIC", "DECIMAL", "DEC")):
        params = [p.sql() for p in dtype.expressions]
        if not params:
            if upper.startswith("NUMBER"):
                return "DECIMAL(38,10)"
            return "DECIMAL(18,0)" if dialect == "tsql" else "DECIMAL(10,0)"
        p = params[0]
        s = params[1] if len(params) > 1 else "0"
        p = 38 if p == "*" or not p.isdigit() else min(int(p), 38)
        s = int(s) if s.lstrip("-").isdigit() else 0
        return f"DECIMAL({p},{max(0, min(s, p))})"
    if t in (_T.TINYINT, _T.SMALLINT, _T.INT, _T.BIGINT, _T.MEDIUMINT, _T.UTINYINT, _T.USMALLINT, _T.UINT, _T.UBIGINT, _T.UMEDIUMINT):
        return "BIGINT" if t not in (_T.UBIGINT,) else "HUGEINT"
    if t in (_T.FLOAT, _T.DOUBLE) or upper.startswith(("REAL", "FLOAT", "DOUBLE", "BINARY_FLOAT", "BINARY_DOUBLE")):
        return "DOUBLE"
    if t == _T.DATE:
        return "DATE"
    if t in (_T.DATETIME, _T.DATETIME2, _T.SMALLDATETIME, _T.TIMESTAMP, getattr(_T, "DATETIME64", None), getattr(_T, "TIMESTAMPNTZ", None)):
        return "TIMESTAMP"
    if t in (_T.TIMESTAMPTZ, _T.TIMESTAMPLTZ, getattr(_T, "DATETIMEOFFSET", None)):
        return "TIMESTAMPTZ"
    if t == _T.TIME:
        return "TIME"
    if t == _T.BOOLEAN or t == _T.BIT:
        return "BOOLEAN"
    return "VARCHAR"


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


def split_statements(text: str, dialect: str) -> Iterator[tuple[int, str]]:
    """(line of its first character, text) of each statement of a script. Comments are replaced
    by as many line breaks as they spanned, so line numbers inside a statement stay right."""
    pattern = _TOKEN[dialect]
    pieces: list[str] = []
    seg = 0
    counted = [0, 1]  # position up to which lines were counted, line number there

    def line_of(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    first = [None]  # position of the statement's first non-blank character

    def add(start: int, end: int) -> None:
        if first[0] is None:
            sub = text[start:end]
            stripped = sub.lstrip()
            if stripped:
                first[0] = start + len(sub) - len(stripped)
        pieces.append(text[start:end])

    def emit():
        stmt = "".join(pieces).strip()
        pos = first[0]
        pieces.clear()
        first[0] = None
        if stmt and pos is not None:
            return line_of(pos), stmt
        return None

    for m in pattern.finditer(text):
        kind = m.lastgroup
        if kind in ("lc", "bc", "rem"):
            add(seg, m.start())
            pieces.append("\n" * text.count("\n", m.start(), m.end()) or " ")
            seg = m.end()
        elif kind in ("semi", "go", "slash"):
            add(seg, m.start())
            seg = m.end()
            if (found := emit()) is not None:
                yield found
        elif kind == "kw":
            add(seg, m.start())
            seg = m.start()
            if (found := emit()) is not None:
                yield found
    add(seg, len(text))
    if (found := emit()) is not None:
        yield found


def _ident(text: str) -> str:
    text = text.strip()
    if text[:1] in "[\"`" and len(text) >= 2:
        return text[1:-1].replace("]]", "]").replace('""', '"').replace("``", "`")
    return text


_NAME_PART = r"(?:\[(?:[^\]]|\]\])*\]|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|[^\s.(\[\"`]+)"
_CREATE = re.compile(rf"CREATE\s+(?:GLOBAL\s+TEMPORARY\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:{_NAME_PART}\s*\.\s*)*{_NAME_PART})\s*\(", re.I | re.S)


def _split_top(body: str) -> list[str]:
    items, depth, cur, quote = [], 0, [], None
    i = 0
    while i < len(body):
        ch = body[i]
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            cur.append(ch)
        elif ch == "[":
            quote = "]"
            cur.append(ch)
        elif ch == "(":
            depth += 1
            cur.append(ch)
        elif ch == ")":
            if depth == 0:
                items.append("".join(cur))
                return items
            depth -= 1
            cur.append(ch)
        elif ch == "," and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    items.append("".join(cur))
    return items


_COLDEF = re.compile(rf"\s*({_NAME_PART})\s*(.*)", re.S)
_WORD = re.compile(r"\(|\)|[^\s()]+")


def parse_create(stmt: str, dialect: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(table name without schema, [(column, DuckDB type)]) of a CREATE TABLE statement."""
    m = _CREATE.match(stmt)
    if not m:
        return None
    parts = re.findall(_NAME_PART, m.group(1))
    table = _ident(parts[-1])
    columns = []
    for item in _split_top(stmt[m.end():]):
        cm = _COLDEF.match(item)
        if not cm or not cm.group(1).strip():
            continue
        name_raw, rest = cm.group(1), cm.group(2)
        if name_raw.upper() in _NOT_COLUMNS and name_raw[:1] not in "[\"`":
            continue
        # the type is everything before the first column-constraint keyword at paren depth 0
        depth, type_words = 0, []
        for w in _WORD.findall(rest):
            if w == "(":
                depth += 1
            elif w == ")":
                depth -= 1
            elif depth == 0 and w.upper().strip(",") in _COL_STOP:
                break
            type_words.append(w)
        type_sql = " ".join(type_words).replace(" (", "(").replace("( ", "(").replace(" )", ")")
        columns.append((_ident(name_raw), _duck_type(type_sql or "VARCHAR", dialect)))
    return table, columns


def _qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _oracle_to_date(node: exp.Expression) -> exp.Expression:
    """Oracle ``to_date('05-MAR-24','DD-MON-RR')`` evaluated here (sqlglot's DuckDB output loses the
    time of day and does not know RR), as a TIMESTAMP literal."""
    if not isinstance(node, (exp.StrToDate, exp.StrToTime)):
        return node
    if not isinstance(node.this, exp.Literal) or not isinstance(node.args.get("format"), exp.Literal):
        return node
    value = node.this.this
    fmt = node.args["format"].this
    py = fmt
    if "%" not in fmt or "RR" in fmt:
        for ora, pyf in _ORA_FMT:
            py = py.replace(ora, pyf)
    try:
        stamp = dt.datetime.strptime(value.title() if "%b" in py or "%B" in py else value, py)
    except ValueError:
        return node
    return exp.cast(exp.Literal.string(stamp.isoformat(sep=" ")), "TIMESTAMP")


# ---- the fast path for plain-literal INSERT rows ----------------------------------------------
#
# Dumps are mostly INSERTs whose values are literals: strings, numbers, NULL, CAST(literal AS type)
# (SQL Server Management Studio) and to_date(literal, literal) (Oracle SQL Developer). Parsing each
# with sqlglot costs milliseconds per row; these rows are decoded here instead, with exactly the
# meaning sqlglot's transpilation gives them (types through the same type mapping). Any other INSERT
# (functions, expressions, DEFAULT, hex …) goes through sqlglot statement by statement.

_ID_PART = {
    "tsql": r"\[(?:[^\]]|\]\])*\]|\"(?:[^\"]|\"\")*\"",
    "oracle": r"\"(?:[^\"]|\"\")*\"",
    "mysql": r"`(?:[^`]|``)*`",
}
_STR = {
    "tsql": r"[nN]?'(?:[^']|'')*'",
    "oracle": r"[nN]?'(?:[^']|'')*'",
    "mysql": r"'(?:[^'\\]|\\.|'')*'",
}
_NUM = r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_TYPE = r"[A-Za-z_][A-Za-z0-9_ ]*?(?:\s*\(\s*[0-9]+(?:\s*,\s*[0-9]+)?\s*\))?"


def _fast_pattern(dialect: str) -> re.Pattern[str]:
    lit = rf"(?:{_STR[dialect]}|{_NUM})"
    parts = [
        rf"(?P<cast>\bCAST\s*\(\s*(?P<cv>{lit})\s+AS\s+(?P<ct>{_TYPE})\s*\))",
        rf"(?P<todate>\bto_date\s*\(\s*(?P<tv>'(?:[^']|'')*')\s*,\s*(?P<tf>'(?:[^']|'')*')\s*\))" if dialect == "oracle" else None,
        rf"(?P<id>{_ID_PART[dialect]})",
        rf"(?P<str>{_STR[dialect]})",
        rf"(?P<num>(?<![\w.$@#]){_NUM}(?![\w.]))",
        r"(?P<word>[A-Za-z_][\w$#]*)",
    ]
    return re.compile("|".join(p for p in parts if p), re.S | re.I)


_FAST = {d: _fast_pattern(d) for d in ("tsql", "oracle", "mysql")}
_MYSQL_ESC = {"0": "\x00", "'": "'", '"': '"', "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "\\": "\\"}
_INSERT_HEAD = re.compile(r"\s*INSERT\s+(?:INTO\s+)?(?P<table>.+?)\s*(?:\((?P<cols>[^()]*)\)\s*)?VALUES\s*\(", re.S | re.I)


def _unquote(text: str, dialect: str) -> str:
    if text[:1] in "nN":
        text = text[1:]
    body = text[1:-1]
    if dialect == "mysql":
        return re.sub(r"\\(.)|''", lambda m: "'" if m.group(0) == "''" else _MYSQL_ESC.get(m.group(1), "\\" + m.group(1)), body, flags=re.S)
    return body.replace("''", "'")


def _oracle_stamp(value: str, fmt: str) -> str | None:
    py = fmt
    for ora, pyf in _ORA_FMT:
        py = py.replace(ora, pyf)
    try:
        stamp = dt.datetime.strptime(value.title() if "%b" in py or "%B" in py else value, py)
    except ValueError:
        return None
    return stamp.isoformat(sep=" ")


class _Loader:
    def __init__(self, con, path: str, dialect: str):
        self.con, self.path, self.dialect = con, path, dialect
        self.tables: dict[str, list[tuple[str, str]]] = {}  # lower name -> columns
        self.names: dict[str, str] = {}  # lower name -> name as created
        self.counts: dict[str, int] = {}
        self.pending: dict[tuple[str, tuple[str, ...] | None], list[str]] = {}
        self.types: dict[str, str] = {}  # source type text -> DuckDB type (CAST targets)
        self.staged: dict[tuple[str, tuple[str, ...] | None], list] = {}  # the fast path's rows
        self.heads: dict[tuple, tuple[str, tuple[str, ...] | None]] = {}  # INSERT heads already parsed
        self.modes: dict[str, tuple] = {}  # table -> the path and column list its buffered rows took
        self.fast_rows = self.slow_rows = 0

    def fail(self, line: int, zh: str, en: str, exc: Exception | None = None) -> JincaiError:
        detail = f"：{exc}" if exc else ""
        return JincaiError("adapter-sql-dump", f"SQL 脚本第 {line} 行{zh}{detail}", f"SQL script line {line}: {en}{': ' + str(exc) if exc else ''}", f"{self.path}:{line}", {"line": line})

    def statement(self, line: int, stmt: str) -> None:
        head = re.match(r"[A-Za-z_]+", stmt)
        word = head.group(0).upper() if head else ""
        if word == "CREATE":
            created = parse_create(stmt, self.dialect)
            if created is None:
                return  # CREATE INDEX / VIEW / SEQUENCE …: not data
            self.flush()
            table, columns = created
            key = table.lower()
            if key in self.tables:
                raise self.fail(line, f"重复定义表 {table}", f"table {table} is created twice")
            if not columns:
                raise self.fail(line, f"表 {table} 没有可识别的列", f"table {table} has no recognisable columns")
            cols = ", ".join(f"{_qi(c)} {t}" for c, t in columns)
            try:
                self.con.execute(f"CREATE TABLE {_qi(table)} ({cols}, {ROW_COL} BIGINT, {LINE_COL} BIGINT)")
            except Exception as exc:  # duckdb.Error
                raise self.fail(line, f"无法建表 {table}", f"cannot create table {table}", exc) from None
            self.tables[key], self.names[key], self.counts[key] = columns, table, 0
        elif word == "INSERT":
            self.insert(line, stmt)
        elif word in _REFUSE:
            raise self.fail(line, f"脚本中有 {word} 语句，转储只应建表和插入数据", f"the dump contains a {word} statement; a dump should only create tables and insert rows")
        elif word in _SKIP or not word:
            return
        else:
            raise self.fail(line, f"无法识别的语句 {word}", f"unrecognised statement {word}")

    def _literal(self, m: re.Match[str]) -> tuple[str | None, str | None] | None:
        """(text of the value, DuckDB type it is cast to or None) for one literal unit, or None when
        the fast path does not apply. The text is what the literal means: a string unquoted, a
        number as written; it is cast to the column's type when loaded, as an INSERT would."""
        kind = m.lastgroup
        if kind == "str":
            value = _unquote(m.group(0), self.dialect)
            if self.dialect == "mysql" and _ZERO_DATE.fullmatch(value):
                return None, None
            return value, None
        if kind == "num":
            return m.group(0), None
        if kind == "cast":
            inner = m.group("cv")
            text = inner if inner[:1] not in "'nN" else _unquote(inner, self.dialect)
            type_text = re.sub(r"\s+", " ", m.group("ct").strip())
            duck = self.types.get(type_text)
            if duck is None:
                duck = self.types[type_text] = _duck_type(type_text, self.dialect)
            return text, duck
        if kind == "todate":
            stamp = _oracle_stamp(_unquote(m.group("tv"), "oracle"), _unquote(m.group("tf"), "oracle"))
            return (stamp, "TIMESTAMP") if stamp else None
        return None

    def _fast_insert(self, line: int, stmt: str) -> bool:
        head = _INSERT_HEAD.match(stmt)
        if head is None:
            return False
        cached = self.heads.get(head.group("table", "cols"))
        if cached is None:
            table_parts = re.findall(_NAME_PART, head.group("table"))
            if not table_parts:
                return False
            cols = None
            if head.group("cols") is not None:
                cols = tuple(_ident(c) for c in head.group("cols").split(","))
                if any(not c for c in cols):
                    return False
            cached = self.heads[head.group("table", "cols")] = (_ident(table_parts[-1]).lower(), cols)
        key, cols = cached
        if key not in self.tables:
            return False  # the slow path reports it with its reason
        width = len(cols) if cols is not None else len(self.tables[key])
        pattern = _FAST[self.dialect]
        pos = head.end() - 1  # at the first tuple's "("
        n = len(stmt)
        tuples: list[tuple[int, list[tuple[str | None, str | None]]]] = []
        while True:
            if stmt[pos] != "(":
                return False
            start = pos
            pos += 1
            values: list[str] = []
            while True:
                while pos < n and stmt[pos] in " \t\r\n":
                    pos += 1
                m = pattern.match(stmt, pos)
                if m is None:
                    return False
                if m.lastgroup == "word":
                    if m.group(0).upper() != "NULL":
                        return False
                    values.append((None, None))
                else:
                    lit = self._literal(m)
                    if lit is None:
                        return False
                    values.append(lit)
                pos = m.end()
                while pos < n and stmt[pos] in " \t\r\n":
                    pos += 1
                if pos < n and stmt[pos] == ",":
                    pos += 1
                    continue
                if pos < n and stmt[pos] == ")":
                    pos += 1
                    break
                return False
            if len(values) != width:
                raise self.fail(line + stmt.count("\n", 0, start), f"值的个数 {len(values)} 与列数 {width} 不符", f"{len(values)} values for {width} columns")
            tuples.append((start, values))
            while pos < n and stmt[pos] in " \t\r\n":
                pos += 1
            if pos >= n:
                break
            if stmt[pos] != ",":
                return False
            pos += 1
            while pos < n and stmt[pos] in " \t\r\n":
                pos += 1
        self._switch(key, ("fast", cols))
        batch = self.staged.setdefault((key, cols), [])
        last, newlines = 0, 0
        for start, values in tuples:
            newlines += stmt.count("\n", last, start)
            last = start
            self.counts[key] += 1
            batch.append((values, self.counts[key], line + newlines))
        self.fast_rows += len(tuples)
        if len(batch) >= _STAGE:
            self._flush_staged(key, cols)
        return True

    def _flush_staged(self, key: str, cols) -> None:
        """Load the fast path's rows of one table through an Arrow table of text columns, each
        cast to its literal's CAST type (if any) and then to the column's type."""
        import pyarrow as pa

        batch = self.staged.get((key, cols))
        if not batch:
            return
        types = dict((c.lower(), t) for c, t in self.tables[key])
        names = [c for c, _ in self.tables[key]] if cols is None else list(cols)
        targets = [types.get(c.lower(), "VARCHAR") for c in names]
        groups: dict[tuple, list] = {}
        for values, number, line in batch:
            groups.setdefault(tuple(t for _, t in values), []).append((values, number, line))
        collist = ", ".join(_qi(c) for c in names + [ROW_COL, LINE_COL])
        for signature, rows in groups.items():
            stage = pa.table(
                {f"c{i}": pa.array([r[0][i][0] for r in rows], type=pa.string()) for i in range(len(names))}
                | {"r": pa.array([r[1] for r in rows], type=pa.int64()), "l": pa.array([r[2] for r in rows], type=pa.int64())}
            )
            exprs = []
            for i, (cast, target) in enumerate(zip(signature, targets)):
                expr = f"c{i}" if cast is None else f"CAST(c{i} AS {cast})"
                exprs.append(f"CAST({expr} AS {target})" if target != "VARCHAR" or cast else expr)
            sql = f"INSERT INTO {_qi(self.names[key])} ({collist}) SELECT {', '.join(exprs)}, r, l FROM __jincai_stage"
            self.con.register("__jincai_stage", stage)
            try:
                self.con.execute(sql)
            except Exception:
                for values, number, line in rows:  # find the offending row so that the error names its line
                    one = pa.table({f"c{i}": pa.array([values[i][0]], type=pa.string()) for i in range(len(names))}
                                   | {"r": pa.array([number], type=pa.int64()), "l": pa.array([line], type=pa.int64())})
                    self.con.register("__jincai_stage", one)
                    try:
                        self.con.execute(sql)
                    except Exception as exc:
                        raise self.fail(line, f"的数据无法装入表 {self.names[key]}", f"the row cannot be loaded into table {self.names[key]}", exc) from None
                raise
            finally:
                self.con.unregister("__jincai_stage")
        batch.clear()

    def insert(self, line: int, stmt: str) -> None:
        if self._fast_insert(line, stmt):
            return
        try:
            tree = sqlglot.parse_one(stmt, read=self.dialect)
        except Exception as exc:  # sqlglot.ParseError, TokenError
            raise self.fail(line, "的 INSERT 语句无法解析", "cannot parse the INSERT statement", exc) from None
        if not isinstance(tree, exp.Insert):
            raise self.fail(line, "不是 INSERT 语句", "not an INSERT statement")
        target = tree.this
        columns_node = None
        if isinstance(target, exp.Schema):
            columns_node = [c.name for c in target.expressions]
            target = target.this
        table = target.name if isinstance(target, exp.Table) else target.sql()
        key = table.lower()
        if key not in self.tables:
            raise self.fail(line, f"向未建的表 {table} 插入数据", f"INSERT into table {table}, which the dump never creates")
        values = tree.expression
        if not isinstance(values, exp.Values):
            raise self.fail(line, "只支持 INSERT … VALUES", "only INSERT … VALUES is supported")
        width = len(columns_node) if columns_node is not None else len(self.tables[key])
        cols = tuple(columns_node) if columns_node is not None else None
        self._switch(key, ("slow", cols))
        batch = self.pending.setdefault((key, cols), [])
        for tup in values.expressions:
            items = list(tup.expressions) if isinstance(tup, exp.Tuple) else [tup]
            if len(items) != width:
                raise self.fail(line, f"值的个数 {len(items)} 与列数 {width} 不符", f"{len(items)} values for {width} columns")
            tuple_line = line
            for lit in tup.find_all(exp.Literal):
                if lit.meta.get("line"):
                    tuple_line = line + lit.meta["line"] - 1
                    break
            fixed = []
            for item in items:
                if self.dialect == "oracle":
                    item = item.transform(_oracle_to_date)
                if self.dialect == "mysql" and isinstance(item, exp.Literal) and item.is_string and _ZERO_DATE.fullmatch(item.this):
                    item = exp.null()
                try:
                    fixed.append(item.sql(dialect="duckdb"))
                except Exception as exc:
                    raise self.fail(tuple_line, "的值无法转换为 DuckDB", "a value cannot be transpiled to DuckDB", exc) from None
            self.counts[key] += 1
            self.slow_rows += 1
            fixed += [str(self.counts[key]), str(tuple_line)]
            batch.append("(" + ", ".join(fixed) + ")")
        if len(batch) >= _BATCH:
            self._flush_one(key, cols)

    def _flush_one(self, key: str, cols) -> None:
        batch = self.pending.get((key, cols))
        if not batch:
            return
        names = [c for c, _ in self.tables[key]] if cols is None else list(cols)
        collist = ", ".join(_qi(c) for c in names + [ROW_COL, LINE_COL])
        sql = f"INSERT INTO {_qi(self.names[key])} ({collist}) VALUES " + ", ".join(batch)
        try:
            self.con.execute(sql)
        except Exception:
            # find the offending row so that the error names its line
            for row in batch:
                try:
                    self.con.execute(f"INSERT INTO {_qi(self.names[key])} ({collist}) VALUES {row}")
                except Exception as exc:
                    bad_line = int(row.rsplit(",", 1)[1].strip(" )"))
                    raise self.fail(bad_line, f"的数据无法装入表 {self.names[key]}", f"the row cannot be loaded into table {self.names[key]}", exc) from None
        batch.clear()

    def _switch(self, key: str, mode: tuple) -> None:
        """Rows reach a table in dump order: before buffering rows of another path or column list,
        load what is buffered for the table."""
        if self.modes.get(key, mode) != mode:
            for k, c in list(self.staged):
                if k == key:
                    self._flush_staged(k, c)
            for k, c in list(self.pending):
                if k == key:
                    self._flush_one(k, c)
        self.modes[key] = mode

    def flush(self) -> None:
        for key, cols in list(self.staged):
            self._flush_staged(key, cols)
        for key, cols in list(self.pending):
            self._flush_one(key, cols)


def _strip_schemas(tree: exp.Expression) -> exp.Expression:
    for table in tree.find_all(exp.Table):
        table.set("db", None)
        table.set("catalog", None)
    return tree


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
                for ora, pyf in _ORA_FMT:
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


def _traceable(select: exp.Expression) -> list[tuple[str, str]]:
    """(alias used in the query, table name) of the FROM/JOIN tables when row provenance can be kept."""
    if not isinstance(select, exp.Select):
        return []
    if select.args.get("group") or select.args.get("distinct") or select.args.get("having"):
        return []
    if any(isinstance(e, exp.AggFunc) for e in select.expressions for e in e.find_all(exp.AggFunc)):
        return []
    sources = []
    from_ = select.args.get("from") or select.args.get("from_")
    nodes = [from_.this] if from_ is not None else []
    nodes += [j.this for j in select.args.get("joins") or []]
    for node in nodes:
        if not isinstance(node, exp.Table):
            return []
        sources.append((node.alias_or_name, node.name))
    return sources


class SqlDumpOptions(BaseModel):
    """Options of the ``sql_dump`` reader."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["sql_dump"] = "sql_dump"
    encoding: str | None = Field(None, description="脚本编码；不写则按 BOM，否则须为 UTF-8 / script encoding; default: the BOM, else UTF-8")
    dialect: str = Field(description="源数据库方言：tsql（SQL Server）、oracle、mysql / the source database's dialect")
    query: str | None = Field(None, description="以源方言写的提取查询 / the extraction query, in the source dialect")
    queries: dict[str, str] | None = Field(None, description="多个命名的提取查询 / several named extraction queries")


@register("sql_dump")
class SqlDumpReader:
    name = "sql_dump"
    options_model = SqlDumpOptions

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]:
        import duckdb

        options = parse_options(SqlDumpOptions, {"dialect": "", **options}, "sql_dump").model_dump(exclude_none=True)

        dialect = str(options.get("dialect", "")).lower()
        if dialect in ("sqlserver", "mssql", "t-sql"):
            dialect = "tsql"
        if dialect not in DIALECTS:
            raise option_error("sql_dump", "dialect", f"应为 {'、'.join(DIALECTS)} 之一", f"must be one of {', '.join(DIALECTS)}")
        queries = options.get("queries")
        if queries is None and options.get("query"):
            queries = {"query": options["query"]}
        if queries is not None and (not isinstance(queries, dict) or not all(isinstance(q, str) for q in queries.values())):
            raise option_error("sql_dump", "queries", "应为 名称: SQL 的映射", "must map names to SQL text")
        with open_binary(path) as fh:
            data = fh.read()
        text = _decode(data, options.get("encoding"), path)
        del data
        con = duckdb.connect(":memory:")
        try:
            loader = _Loader(con, path, dialect)
            for line, stmt in split_statements(text, dialect):
                loader.statement(line, stmt)
            loader.flush()
            del text
            if queries is None:
                for key, table in loader.names.items():
                    cols = ", ".join(_qi(c) for c, _ in loader.tables[key])
                    cur = con.execute(f"SELECT {cols}, {ROW_COL}, {LINE_COL} FROM {_qi(table)} ORDER BY {ROW_COL}")
                    names = [c for c, _ in loader.tables[key]]
                    while chunk := cur.fetchmany(2048):
                        for rec in chunk:
                            yield SourceRow(file=path, row=rec[-2], values=dict(zip(names, rec[:-2])), sheet=table, extra={"line": rec[-1]})
                return
            for qname, sql in queries.items():
                yield from self._query(con, path, dialect, qname, sql, loader)
        finally:
            con.close()

    def _query(self, con, path, dialect, qname, sql, loader) -> Iterator[SourceRow]:
        where = f"source.queries.{qname}"
        try:
            tree = sqlglot.parse_one(sql, read=dialect)
        except Exception as exc:
            raise JincaiError("adapter-sql-query", f"提取查询 {qname} 无法按 {dialect} 方言解析：{exc}", f"extraction query {qname} does not parse as {dialect}: {exc}", where) from None
        tree = _fix_query(_strip_schemas(tree), dialect)
        sources = _traceable(tree)
        hidden = []
        for i, (alias, _table) in enumerate(sources):
            hidden.append((f"__jincai_src{i}_row", exp.column(ROW_COL, table=alias)))
            hidden.append((f"__jincai_src{i}_line", exp.column(LINE_COL, table=alias)))
        if sources:
            for name, col in hidden:
                tree = tree.select(exp.alias_(col, name, quoted=True), copy=False)
        try:
            duck_sql = tree.sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)
        except Exception as exc:
            raise JincaiError("adapter-sql-query", f"提取查询 {qname} 无法转换为 DuckDB：{exc}", f"extraction query {qname} cannot be transpiled to DuckDB: {exc}", where) from None
        try:
            cur = con.execute(duck_sql)
        except Exception as exc:
            raise JincaiError("adapter-sql-query", f"提取查询 {qname} 执行失败：{exc}", f"extraction query {qname} failed: {exc}", where, {"duckdb_sql": duck_sql}) from None
        names = [d[0] for d in cur.description]
        keep = [i for i, n in enumerate(names) if not n.startswith("__jincai_")]
        src_idx = [(names.index(f"__jincai_src{i}_row"), names.index(f"__jincai_src{i}_line"), loader.names.get(t.lower(), t)) for i, (_a, t) in enumerate(sources)]
        ordinal = 0
        while chunk := cur.fetchmany(2048):
            for rec in chunk:
                ordinal += 1
                values = {names[i]: rec[i] for i in keep}
                if src_idx:
                    ri, li, table = src_idx[0]
                    extra = {"query": qname, "line": rec[li], "sources": {t: {"row": rec[r], "line": rec[l]} for r, l, t in src_idx}}
                    yield SourceRow(file=path, row=rec[ri] if rec[ri] is not None else ordinal, values=values, sheet=table, extra=extra)
                else:
                    yield SourceRow(file=path, row=ordinal, values=values, sheet=qname, extra={"query": qname})
