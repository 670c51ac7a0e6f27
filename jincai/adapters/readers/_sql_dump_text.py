"""A SQL dump read as data: statements split, ``CREATE TABLE`` parsed to a schema, ``INSERT`` values
decoded as literals. Nothing here executes anything; the dump's text never reaches a database.

Only these values are loaded: strings (``'…'``, ``N'…'``, Oracle ``q'[…]'``), numbers, ``NULL``, ``CAST(literal or NULL AS type)`` (SQL Server Management Studio) and
Oracle ``to_date(literal, literal)``; MySQL backslash escapes are decoded and MySQL's zero date
``'0000-00-00…'`` is NULL, as MySQL connectors read it. Any other value — a sub-query, a function
call, an operator, a hex literal, ``DEFAULT`` — rejects its row with the row's table, number, line
and column and the kind of value found; the text of the value itself is only ever put in the row's
raw values (``rejected.csv``), never in a message. A statement that cannot be read at all (an
unterminated ``VALUES`` list, an ``UPDATE``) is a coded error with its line.

Not a reader itself (the leading underscore keeps it out of the registry's discovery).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator

from jincai import limits
from jincai.errors import JincaiError

ROW_COL = "__jincai_row"
LINE_COL = "__jincai_line"
BATCH_ROWS = 20_000  # rows held as Python values before they become an Arrow batch
RAW_CHARS = 200  # how much of a rejected expression is kept as its raw value
TYPE_CHARS = 200  # a column or CAST type longer than this is not a type

# ---- splitting a script into statements --------------------------------------------------------

# Quoted strings, identifiers and block comments that never end run to the end of the text, so that
# each is scanned once (a pattern that fails at every quote would rescan the rest of the file each time).
_TOKEN = {
    "tsql": re.compile(
        r"(?P<lc>--[^\n]*)|(?P<bc>/\*.*?(?:\*/|\Z))|(?P<str>[nN]?'(?:[^']|'')*(?:'|\Z))|(?P<dq>\"(?:[^\"]|\"\")*(?:\"|\Z))"
        r"|(?P<br>\[(?:[^\]]|\]\])*(?:\]|\Z))|(?P<semi>;)|(?P<go>^[ \t]*GO[ \t\r]*(?:--[^\n]*)?$)"
        r"|(?P<kw>^[ \t]*(?:INSERT|CREATE|SET|USE|ALTER|DROP|PRINT|EXEC|EXECUTE|DECLARE|UPDATE|DELETE|TRUNCATE|MERGE|IF)\b)",
        re.S | re.M | re.I,
    ),
    "oracle": re.compile(
        r"(?P<lc>--[^\n]*)|(?P<bc>/\*.*?(?:\*/|\Z))|(?P<rem>^[ \t]*(?:REM|REMARK|PROMPT)\b[^\n]*)"
        r"|(?P<qstr>[nN]?[qQ]'(?:\[.*?(?:\]'|\Z)|\(.*?(?:\)'|\Z)|\{.*?(?:\}'|\Z)|<.*?(?:>'|\Z)|(?P<qd>[^\s\[({<])(?:.*?)(?:(?P=qd)'|\Z)))"
        r"|(?P<str>[nN]?'(?:[^']|'')*(?:'|\Z))|(?P<dq>\"(?:[^\"]|\"\")*(?:\"|\Z))|(?P<semi>;)|(?P<slash>^[ \t]*/[ \t\r]*$)",
        re.S | re.M | re.I,
    ),
    "mysql": re.compile(
        r"(?P<lc>(?:--[ \t]|#)[^\n]*)|(?P<bc>/\*.*?(?:\*/|\Z))|(?P<str>'(?:[^'\\]|\\.|'')*(?:'|\Z))|(?P<dq>\"(?:[^\"\\]|\\.|\"\")*(?:\"|\Z))"
        r"|(?P<bt>`(?:[^`]|``)*(?:`|\Z))|(?P<semi>;)",
        re.S | re.M,
    ),
}


# the same quoted tokens and comments, each required to end (checked only for one that reached the end of the text)
_CLOSED = {
    "bc": re.compile(r"/\*.*?\*/", re.S),
    "str": re.compile(r"[nN]?'(?:[^']|'')*'", re.S),
    "dq": re.compile(r'"(?:[^"]|"")*"', re.S),
    "br": re.compile(r"\[(?:[^\]]|\]\])*\]", re.S),
    "bt": re.compile(r"`(?:[^`]|``)*`", re.S),
    "qstr": re.compile(r"[nN]?[qQ]'(?:\[.*?\]|\(.*?\)|\{.*?\}|<.*?>|(?P<qd>[^\s\[({<]).*?(?P=qd))'", re.S),
}
_CLOSED_MYSQL = {"str": re.compile(r"'(?:[^'\\]|\\.|'')*'", re.S), "dq": re.compile(r'"(?:[^"\\]|\\.|"")*"', re.S)}
_WHAT = {"bc": ("注释 /* 没有结束", "a /* comment that never ends"), "str": ("字符串的引号没有结束", "a string whose quote never closes"),
         "dq": ("双引号没有结束", "a double quote that never closes"), "br": ("方括号标识符没有结束", "a [bracketed] name that never closes"),
         "bt": ("反引号标识符没有结束", "a `quoted` name that never closes"), "qstr": ("q'…' 字符串没有结束", "a q'…' string that never closes")}


class Unterminated(Exception):
    """A quote or comment that runs to the end of the script: what follows it would be swallowed."""

    def __init__(self, line: int, kind: str):
        super().__init__(kind)
        self.line, self.zh, self.en = line, *_WHAT[kind]


def _closed(kind: str, dialect: str, text: str, start: int) -> bool:
    strict = (_CLOSED_MYSQL.get(kind) if dialect == "mysql" else None) or _CLOSED[kind]
    return strict.fullmatch(text, start) is not None


def split_statements(text: str, dialect: str) -> Iterator[tuple[int, str]]:
    """(line of its first character, text) of each statement of a script. Comments are replaced
    by as many line breaks as they spanned, so line numbers inside a statement stay right. A quote
    or block comment that never ends raises ``Unterminated`` (it would swallow the rest)."""
    pattern = _TOKEN[dialect]
    n = len(text)
    pieces: list[str] = []
    seg = 0
    counted = [0, 1]  # position up to which lines were counted, line number there

    def line_of(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    first: list[int | None] = [None]  # position of the statement's first non-blank character

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
        if kind == "qd":
            kind = "qstr"
        if m.end() == n and kind in _WHAT and not _closed(kind, dialect, text, m.start()):
            raise Unterminated(text.count("\n", 0, m.start()) + 1, kind)
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


# ---- identifiers and types ---------------------------------------------------------------------

_NAME_PART = r"(?:\[(?:[^\]]|\]\])*\]|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|[^\s.,;()\[\"`']+)"
_QUALIFIED = re.compile(rf"(?:{_NAME_PART}\s*\.\s*)*{_NAME_PART}", re.S)
_CREATE = re.compile(rf"CREATE\s+(?:GLOBAL\s+TEMPORARY\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:{_NAME_PART}\s*\.\s*)*{_NAME_PART})\s*\(", re.I | re.S)
_COL_STOP = {"NOT", "NULL", "DEFAULT", "IDENTITY", "COLLATE", "CONSTRAINT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK",
             "COMMENT", "AUTO_INCREMENT", "ENABLE", "DISABLE", "CHARACTER", "CHARSET", "GENERATED", "ROWGUIDCOL",
             "SPARSE", "ON", "AS", "FILESTREAM", "MASKED", "KEY", "VISIBLE", "INVISIBLE", "SRID", "STORAGE", "COLUMN_FORMAT"}
_NOT_COLUMNS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FOREIGN", "CHECK", "FULLTEXT", "SPATIAL", "PERIOD", "SUPPLEMENTAL"}
_COLUMN_LIST = re.compile(r"\((?:[^()'\"\[\]`]|\[(?:[^\]]|\]\])*\]|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`)*\)")
_COLDEF = re.compile(rf"\s*({_NAME_PART})\s*(.*)", re.S)
_WORD = re.compile(r"\(|\)|[^\s()]+")


def ident(text: str) -> str:
    """An identifier without its quotes (``[a]]b]`` → ``a]b``)."""
    text = text.strip()
    if text[:1] in "[\"`" and len(text) >= 2:
        return text[1:-1].replace("]]", "]").replace('""', '"').replace("``", "`")
    return text


def duck_type(type_sql: str, dialect: str) -> str:
    """The DuckDB column type for a column type written in the source dialect; one of a fixed
    vocabulary (VARCHAR, DECIMAL(p,s), BIGINT, HUGEINT, DOUBLE, DATE, TIMESTAMP, TIMESTAMPTZ, TIME,
    BOOLEAN, BLOB), so that no text of the dump becomes part of a type."""
    type_sql = re.sub(r"\[([^\]]*)\]", r"\1", type_sql).strip()
    if len(type_sql) > TYPE_CHARS:
        return "VARCHAR"
    upper = type_sql.upper()
    if dialect == "tsql" and upper.startswith("SMALLMONEY"):
        return "DECIMAL(10,4)"
    if dialect == "tsql" and upper.startswith("MONEY"):
        return "DECIMAL(19,4)"
    if upper.startswith("BIT") and dialect == "tsql":
        return "BOOLEAN"
    if re.match(r"(N?VARCHAR2?|N?CHAR|CHARACTER|N?TEXT|NTEXT|CLOB|NCLOB|LONG\b|TINYTEXT|MEDIUMTEXT|LONGTEXT|ENUM|SET\b|UNIQUEIDENTIFIER|XML|JSON|SYSNAME|ROWID|UROWID)", upper):
        return "VARCHAR"
    if re.match(r"(IMAGE|VARBINARY|BINARY|BLOB|LONGBLOB|MEDIUMBLOB|TINYBLOB|RAW|LONG RAW|BFILE|TIMESTAMP\b.*ROWVERSION|ROWVERSION)", upper):
        return "BLOB"
    if dialect == "oracle" and upper == "DATE":
        return "TIMESTAMP"
    m = re.fullmatch(r"(NUMBER|NUMERIC|DECIMAL|DEC)\s*(?:\(\s*(\*|[0-9]+)\s*(?:,\s*(-?[0-9]+)\s*)?\))?(?:\s+UNSIGNED)?", upper)
    if m:
        if m.group(2) is None:
            if m.group(1) == "NUMBER":
                return "DECIMAL(38,10)"
            return "DECIMAL(18,0)" if dialect == "tsql" else "DECIMAL(10,0)"
        p = 38 if m.group(2) == "*" else min(int(m.group(2)), 38)
        s = int(m.group(3)) if m.group(3) else 0
        return f"DECIMAL({max(p, 1)},{max(0, min(s, p))})"
    word = re.match(r"[A-Z_0-9]+(?:\s+PRECISION)?", upper)
    base = word.group(0) if word else ""
    unsigned = "UNSIGNED" in upper
    if base in ("TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "INT2", "INT4", "INT8", "SERIAL", "BIGSERIAL", "PLS_INTEGER", "BINARY_INTEGER"):
        return "HUGEINT" if base == "BIGINT" and unsigned else "BIGINT"
    if base in ("REAL", "FLOAT", "DOUBLE", "DOUBLE PRECISION", "BINARY_FLOAT", "BINARY_DOUBLE"):
        return "DOUBLE"
    if base == "DATE":
        return "DATE"
    if base in ("DATETIME", "DATETIME2", "SMALLDATETIME"):
        return "TIMESTAMP"
    if base == "DATETIMEOFFSET" or (base == "TIMESTAMP" and "TIME ZONE" in upper):
        return "TIMESTAMPTZ"
    if base == "TIMESTAMP":
        return "TIMESTAMP"
    if base == "TIME":
        return "TIME"
    if base in ("BOOLEAN", "BOOL", "BIT"):
        return "BOOLEAN"
    return "VARCHAR"


def _split_top(body: str) -> list[str]:
    """The comma-separated items of a parenthesised list, up to its closing parenthesis."""
    items, depth, cur, quote = [], 0, [], None
    for ch in body:
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
    items.append("".join(cur))
    return items


def parse_create(stmt: str, dialect: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(table name without schema, [(column, DuckDB type)]) of a CREATE TABLE statement, or None
    for any other CREATE (index, view, sequence …: not data)."""
    m = _CREATE.match(stmt)
    if not m:
        return None
    parts = re.findall(_NAME_PART, m.group(1))
    table = ident(parts[-1])
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
        columns.append((ident(name_raw), duck_type(type_sql or "VARCHAR", dialect)))
    return table, columns


# ---- values ------------------------------------------------------------------------------------

_STR = {
    "tsql": r"[nN]?'(?:[^']|'')*'",
    "oracle": r"[nN]?'(?:[^']|'')*'",
    "mysql": r"'(?:[^'\\]|\\.|'')*'",
}
_NUM = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_TYPE = r"[A-Za-z_][A-Za-z0-9_]*(?:[ \t]+[A-Za-z_][A-Za-z0-9_]*){0,4}(?:\s*\(\s*(?:[0-9]+(?:\s*,\s*[0-9]+)?|max|MAX)\s*\))?"
_QSTR = r"[nN]?[qQ]'(?:\[(?P<q1>.*?)\]|\((?P<q2>.*?)\)|\{(?P<q3>.*?)\}|<(?P<q4>.*?)>|(?P<qd>[^\s\[({<])(?P<q5>.*?)(?P=qd))'"
_ZERO_DATE = re.compile(r"0000-00-00( 00:00:00(\.0+)?)?")
ORA_FMT = [("YYYY", "%Y"), ("HH24", "%H"), ("HH12", "%I"), ("MONTH", "%B"), ("MON", "%b"), ("RRRR", "%Y"), ("RR", "%y"),
           ("YY", "%y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%I"), ("MI", "%M"), ("SS", "%S"), ("AM", "%p"), ("PM", "%p")]
_MYSQL_ESC = {"0": "\x00", "'": "'", '"': '"', "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "\\": "\\"}


def _value_pattern(dialect: str) -> re.Pattern[str]:
    lit = rf"(?:{_STR[dialect]}|{_NUM})"
    parts = [
        rf"(?P<cast>\bCAST\s*\(\s*(?P<cv>{lit}|NULL)\s+AS\s+(?P<ct>{_TYPE})\s*\))",
        rf"(?P<qstr>{_QSTR})" if dialect == "oracle" else None,
        rf"(?P<todate>\bto_date\s*\(\s*(?P<tv>'(?:[^']|'')*')\s*,\s*(?P<tf>'(?:[^']|'')*')\s*\))" if dialect == "oracle" else None,
        rf"(?P<str>{_STR[dialect]})",
        rf"(?P<num>(?<![\w.$@#]){_NUM}(?![\w.]))",
        r"(?P<null>NULL)\b",
    ]
    return re.compile("|".join(p for p in parts if p), re.S | re.I)


_VALUE = {d: _value_pattern(d) for d in ("tsql", "oracle", "mysql")}
_QUOTES = {"tsql": "'\"[", "oracle": "'\"", "mysql": "'\"`"}
_SPACE = " \t\r\n"


def unquote(text: str, dialect: str) -> str:
    if text[:1] in "nN":
        text = text[1:]
    body = text[1:-1]
    if dialect == "mysql":
        return re.sub(r"\\(.)|''", lambda m: "'" if m.group(0) == "''" else _MYSQL_ESC.get(m.group(1), "\\" + m.group(1)), body, flags=re.S)
    return body.replace("''", "'")


def oracle_stamp(value: str, fmt: str) -> str | None:
    """``to_date(value, fmt)`` as ``YYYY-MM-DD HH:MM:SS`` text, or None when it does not parse."""
    py = fmt
    for ora, pyf in ORA_FMT:
        py = py.replace(ora, pyf)
    try:
        stamp = dt.datetime.strptime(value.title() if "%b" in py or "%B" in py else value, py)
    except ValueError:
        return None
    return stamp.isoformat(sep=" ")


def skip_value(stmt: str, pos: int, dialect: str) -> int:
    """The position of the ``,`` or ``)`` that ends the value starting at ``pos`` (quotes and
    nesting respected, iteratively: any depth), or -1 when the statement ends first."""
    n = len(stmt)
    depth = 0
    backslash = dialect == "mysql"
    quotes = _QUOTES[dialect]
    i = pos
    while i < n:
        ch = stmt[i]
        if dialect == "oracle" and ch in "qQ" and stmt.startswith("'", i + 1) and (i == 0 or not (stmt[i - 1].isalnum() or stmt[i - 1] == "_") or stmt[i - 1] in "nN"):
            q = re.compile(_QSTR, re.S).match(stmt, i)
            if q is None:
                return -1
            i = q.end()
            continue
        if ch in quotes:
            close = "]" if ch == "[" else ch
            i += 1
            while i < n:
                c = stmt[i]
                if backslash and c == "\\" and close != "`":
                    i += 2
                    continue
                if c == close:
                    if i + 1 < n and stmt[i + 1] == close:  # a doubled quote is one quote character
                        i += 2
                        continue
                    break
                i += 1
            else:
                return -1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "," and depth == 0:
            return i
        i += 1
    return -1


def describe(raw: str) -> tuple[str, str]:
    """What kind of value a non-literal is (zh, en), without quoting it."""
    text = raw.lstrip("( \t\r\n")
    if re.match(r"(SELECT|WITH|VALUES|TABLE|FROM)\b", text, re.I):
        return "子查询", "a sub-query"
    m = re.match(r"([A-Za-z_][A-Za-z0-9_$#.]{0,40})\s*\(", raw.strip())
    if m:
        return f"函数调用 {m.group(1)}(…)", f"a function call {m.group(1)}(…)"
    if re.match(r"0[xX][0-9A-Fa-f]*\Z|[xXbB]'", raw.strip()):
        return "十六进制或位串字面量", "a hex or bit literal"
    word = raw.strip().upper()
    if word in _KEYWORDS:
        return f"关键字 {word}", f"the keyword {word}"
    if re.fullmatch(r"[^\W\d]\w*", raw.strip()):
        return "不带引号的名称", "an unquoted name"  # not named: it may be a value typed without quotes
    return "表达式", "an expression"


_KEYWORDS = {"DEFAULT", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "SYSDATE", "SYSTIMESTAMP",
             "LOCALTIMESTAMP", "NOW", "UNKNOWN", "ROWNUM", "USER", "CURRENT_USER", "SESSION_USER", "SYSTEM_USER"}


@dataclass
class Rejection:
    """A row the loader does not load, and why (the text of messages never holds a value)."""

    row: int
    line: int
    values: dict[str, str | None]  # the row's values as written (for rejected.csv only)
    code: str
    zh: str
    en: str
    column: str | None = None
    raw: str | None = None


@dataclass
class TableData:
    """One table of the dump: its schema and its rows, as text, in dump order."""

    name: str
    columns: list[tuple[str, str]]  # (name, DuckDB type)
    line: int  # of its CREATE TABLE
    index: dict[str, int] = field(default_factory=dict)  # lower column name -> position
    count: int = 0  # rows seen (loaded or rejected): the next row's number - 1
    batches: list = field(default_factory=list)  # Arrow record batches of text
    rows: list = field(default_factory=list)  # (texts, cast type per value or None, number, line) not yet batched
    cast_types: list[dict[str, int]] = field(default_factory=list)  # per column: CAST type -> tag (1, 2 …)
    rejected: list[Rejection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index = {c.lower(): i for i, (c, _) in enumerate(self.columns)}
        self.cast_types = [{} for _ in self.columns]

    def stage_batch(self) -> None:
        """Turn the held rows into an Arrow batch: ``c<i>`` text, ``t<i>`` CAST tag (columns with a
        CAST only), ``r`` row number, ``l`` line."""
        import pyarrow as pa

        if not self.rows:
            return
        arrays, names = [], []
        for i in range(len(self.columns)):
            arrays.append(pa.array([r[0][i] for r in self.rows], type=pa.string()))
            names.append(f"c{i}")
        for i, tags in enumerate(self.cast_types):
            if tags:
                arrays.append(pa.array([tags.get(r[1][i], 0) if r[1] is not None and r[1][i] else 0 for r in self.rows], type=pa.int8()))
                names.append(f"t{i}")
        arrays.append(pa.array([r[2] for r in self.rows], type=pa.int64()))
        arrays.append(pa.array([r[3] for r in self.rows], type=pa.int64()))
        names += ["r", "l"]
        self.batches.append(pa.RecordBatch.from_arrays(arrays, names=names))
        self.rows.clear()

    def stage(self):
        """All rows as one Arrow table (the tag columns of every batch made the same)."""
        import pyarrow as pa

        self.stage_batch()
        names = [f"c{i}" for i in range(len(self.columns))] + [f"t{i}" for i, t in enumerate(self.cast_types) if t] + ["r", "l"]
        types = [pa.string()] * len(self.columns) + [pa.int8()] * sum(1 for t in self.cast_types if t) + [pa.int64(), pa.int64()]
        schema = pa.schema(list(zip(names, types)))
        batches = []
        for b in self.batches:
            cols = []
            for name, typ in zip(names, types):
                idx = b.schema.get_field_index(name)
                cols.append(b.column(idx) if idx >= 0 else pa.array([0] * b.num_rows, type=typ))
            batches.append(pa.RecordBatch.from_arrays(cols, schema=schema))
        self.batches = []
        return pa.Table.from_batches(batches, schema=schema)


class DumpText:
    """Reads a dump statement by statement into ``TableData``; knows nothing of databases."""

    def __init__(self, path: str, dialect: str):
        self.path, self.dialect = path, dialect
        self.tables: dict[str, TableData] = {}  # lower name -> table
        self._heads: dict[str, tuple[TableData, list[int]]] = {}  # INSERT heads already read
        self._value = _VALUE[dialect]
        self._types: dict[str, str] = {}  # CAST type text -> DuckDB type
        self._cap = limits.limit("sql_dump_statement_bytes")
        self._max_rows = limits.limit("source_rows")

    def error(self, line: int, zh: str, en: str, code: str = "adapter-sql-dump") -> JincaiError:
        return JincaiError(code, f"SQL 脚本第 {line} 行{zh}", f"SQL script line {line}: {en}", f"{self.path}:{line}", {"line": line})

    def statement(self, line: int, stmt: str) -> None:
        size = len(stmt)
        cap = self._cap
        if size > cap or (size * 4 > cap and len(stmt.encode("utf-8", "surrogatepass")) > cap):
            raise limits.exceeded("sql_dump_statement_bytes", len(stmt.encode("utf-8", "surrogatepass")), f"{self.path}:{line}")
        head = re.match(r"[A-Za-z_]+", stmt)
        word = head.group(0).upper() if head else ""
        if word == "CREATE":
            self.create(line, stmt)
        elif word == "INSERT":
            self.insert(line, stmt)
        elif word in _REFUSE:
            raise self.error(line, f"有 {word} 语句，转储只应建表和插入数据", f"the dump contains a {word} statement; a dump should only create tables and insert rows")
        elif word in _SKIP:
            return
        else:
            raise self.error(line, f"的语句 {word[:40] or '（不以关键字开头）'} 无法识别", f"unrecognised statement {word[:40] or '(it does not begin with a keyword)'}")

    def create(self, line: int, stmt: str) -> None:
        created = parse_create(stmt, self.dialect)
        if created is None:
            return
        name, columns = created
        key = name.lower()
        if key in self.tables:
            raise self.error(line, f"重复定义表 {name}", f"table {name} is created twice")
        if not columns:
            raise self.error(line, f"表 {name} 没有可识别的列", f"table {name} has no recognisable columns")
        seen: set[str] = set()
        for col, _ in columns:
            if col.lower() in seen or col.lower() in (ROW_COL, LINE_COL):
                raise self.error(line, f"表 {name} 的列 {col} 重复或为保留名", f"table {name}: column {col} is repeated or reserved")
            seen.add(col.lower())
        self.tables[key] = TableData(name, columns, line)

    # INSERT [INTO] name [(col, …)] VALUES (…), (…)
    _INSERT = re.compile(r"INSERT\s+(?:INTO\s+)?", re.I)
    _VALUES = re.compile(r"\s*VALUES\s*(?=\()", re.I)

    def _head(self, line: int, stmt: str) -> tuple[TableData, list[int], int]:
        m = self._INSERT.match(stmt)
        if m is None:
            raise self.error(line, "不是 INSERT 语句", "not an INSERT statement")
        name_m = _QUALIFIED.match(stmt, m.end())
        if name_m is None:
            raise self.error(line, "的 INSERT 语句没有表名", "the INSERT statement names no table")
        pos = name_m.end()
        while pos < len(stmt) and stmt[pos] in _SPACE:
            pos += 1
        cols_text = None
        if stmt.startswith("(", pos):
            cm = _COLUMN_LIST.match(stmt, pos)
            close = cm.end() - 1 if cm else self._close_paren(stmt, pos)
            if close < 0:
                raise self.error(line, "的列清单没有结束", "the column list does not end")
            cols_text = stmt[pos + 1:close]
            pos = close + 1
        v = self._VALUES.match(stmt, pos)
        if v is None:
            raise self.error(line, "只读取 INSERT … VALUES (…) 形式的数据", "only INSERT … VALUES (…) is read")
        key_text = stmt[:v.end()]
        cached = self._heads.get(key_text)
        if cached is not None:
            return cached[0], cached[1], v.end()
        parts = re.findall(_NAME_PART, name_m.group(0))
        table_name = ident(parts[-1]) if parts else ""
        table = self.tables.get(table_name.lower())
        if table is None:
            raise self.error(line, f"向未建的表 {table_name[:60]} 插入数据", f"INSERT into table {table_name[:60]}, which the dump never creates")
        if cols_text is None:
            positions = list(range(len(table.columns)))
        else:
            positions = []
            for c in _split_top(cols_text + ")"):
                name = ident(c)
                if name.lower() not in table.index:
                    raise self.error(line, f"的 INSERT 列出了表 {table.name} 没有的列 {name[:60]}", f"the INSERT names a column {name[:60]} that table {table.name} does not have")
                if table.index[name.lower()] in positions:
                    raise self.error(line, f"的 INSERT 重复列出列 {name[:60]}", f"the INSERT names column {name[:60]} twice")
                positions.append(table.index[name.lower()])
        if len(self._heads) < 10_000:
            self._heads[key_text] = (table, positions)
        return table, positions, v.end()

    def _close_paren(self, stmt: str, pos: int) -> int:
        """The ``)`` closing the ``(`` at ``pos`` (quotes respected), or -1."""
        i = pos + 1
        while True:
            end = skip_value(stmt, i, self.dialect)
            if end < 0:
                return -1
            if stmt[end] == ")":
                return end
            i = end + 1

    def insert(self, line: int, stmt: str) -> None:
        table, positions, pos = self._head(line, stmt)
        width = len(positions)
        ncols = len(table.columns)
        pattern = self._value
        dialect = self.dialect
        n = len(stmt)
        last, newlines = 0, 0
        while True:
            # at a tuple's "("
            start = pos
            newlines += stmt.count("\n", last, start)
            last = start
            tuple_line = line + newlines
            pos += 1
            texts: list[str | None] = []
            casts: list[str | None] | None = None
            bad: tuple[int, str, str, str, str] | None = None  # (value index, code, zh, en, raw)
            while True:
                while pos < n and stmt[pos] in _SPACE:
                    pos += 1
                vstart = pos
                m = pattern.match(stmt, pos)
                text: str | None = None
                cast: str | None = None
                problem = None
                if m is not None:
                    after = m.end()
                    while after < n and stmt[after] in _SPACE:
                        after += 1
                    if after < n and stmt[after] in ",)":
                        kind = m.lastgroup
                        if kind == "str":
                            text = unquote(m.group(0), dialect)
                            if dialect == "mysql" and _ZERO_DATE.fullmatch(text):
                                text = None
                        elif kind == "num":
                            text = m.group(0)
                        elif kind == "qstr":
                            text = next(g for g in m.group("q1", "q2", "q3", "q4", "q5") if g is not None)
                        elif kind == "cast":
                            inner = m.group("cv")
                            text = None if inner.upper() == "NULL" else inner if inner[:1] not in "'nN" else unquote(inner, dialect)
                            type_text = m.group("ct")
                            cast = self._types.get(type_text)
                            if cast is None:
                                cast = self._types[type_text] = duck_type(type_text, dialect)
                        elif kind == "todate":
                            text = oracle_stamp(unquote(m.group("tv"), "oracle"), unquote(m.group("tf"), "oracle"))
                            cast = "TIMESTAMP"
                            if text is None:
                                problem = ("sql-value-invalid", "to_date 的值与其格式不符", "a to_date value that does not match its format")
                        pos = after
                    else:
                        m = None
                if m is None:
                    end = skip_value(stmt, vstart, dialect)
                    if end < 0:
                        raise self.error(tuple_line, f"表 {table.name} 第 {table.count + 1} 行的值清单没有结束（引号或括号不配对）",
                                         f"the VALUES list of table {table.name} row {table.count + 1} does not end (unbalanced quotes or parentheses)")
                    raw = stmt[vstart:end].strip()
                    zh, en = describe(raw) if raw else ("空值", "an empty value")
                    problem = ("sql-value-not-literal", f"值是{zh}，不是可直接读取的字面量；转储只读取，从不执行", f"the value is {en}, not a plain literal; a dump is read, never executed")
                    text = raw if len(raw) <= RAW_CHARS else raw[:RAW_CHARS] + "…"
                    pos = end
                if problem is not None and bad is None:
                    bad = (len(texts),) + problem + (text,)
                if cast is not None:
                    if casts is None:
                        casts = [None] * len(texts)
                    casts.append(cast)
                elif casts is not None:
                    casts.append(None)
                texts.append(text)
                if stmt[pos] == ",":
                    pos += 1
                    continue
                pos += 1  # ")"
                break
            table.count += 1
            number = table.count
            if len(texts) != width or bad is not None:
                self._reject(table, positions, number, tuple_line, texts, bad, width)
            else:
                if width == ncols and positions[-1] == ncols - 1 and positions == list(range(ncols)):
                    row_texts, row_casts = texts, casts
                else:
                    row_texts = [None] * ncols
                    row_casts = None if casts is None else [None] * ncols
                    for j, p in enumerate(positions):
                        row_texts[p] = texts[j]
                        if casts is not None:
                            row_casts[p] = casts[j]
                if row_casts is not None:
                    for j, c in enumerate(row_casts):
                        if c is not None and c not in table.cast_types[j]:
                            table.cast_types[j][c] = len(table.cast_types[j]) + 1
                table.rows.append((row_texts, row_casts, number, tuple_line))
                if len(table.rows) >= BATCH_ROWS:
                    table.stage_batch()
            while pos < n and stmt[pos] in _SPACE:
                pos += 1
            if pos >= n:
                break
            if stmt[pos] != ",":
                raise self.error(line + stmt.count("\n", 0, pos), "：VALUES 清单之后还有无法读取的内容", ": text after the VALUES list that cannot be read")
            pos += 1
            while pos < n and stmt[pos] in _SPACE:
                pos += 1
            if pos >= n or stmt[pos] != "(":
                raise self.error(line + stmt.count("\n", 0, pos), "：VALUES 清单中逗号之后应为 (", ": a ( should follow the comma in the VALUES list")
        if table.count > self._max_rows:
            raise limits.exceeded("source_rows", table.count, f"{self.path}:{line}")

    def _reject(self, table: TableData, positions: list[int], number: int, line: int, texts: list, bad, width: int) -> None:
        values = {table.columns[p][0]: texts[j] for j, p in enumerate(positions) if j < len(texts)}
        where_zh, where_en = f"表 {table.name} 第 {number} 行（脚本第 {line} 行）", f"table {table.name} row {number} (script line {line})"
        if len(texts) != width:
            table.rejected.append(Rejection(number, line, values, "sql-value-count",
                                            f"{where_zh}：有 {len(texts)} 个值，列数为 {width}", f"{where_en}: {len(texts)} values for {width} columns"))
            return
        j, code, zh, en, raw = bad
        col = table.columns[positions[j]][0]
        table.rejected.append(Rejection(number, line, values, code, f"{where_zh}，列 {col}：{zh}", f"{where_en}, column {col}: {en}", col, raw))

    def finish(self) -> list[TableData]:
        return list(self.tables.values())


_SKIP = {"SET", "USE", "GO", "LOCK", "UNLOCK", "ALTER", "DROP", "COMMIT", "BEGIN", "END", "PRINT", "EXEC", "EXECUTE",
         "DECLARE", "IF", "GRANT", "REVOKE", "ROLLBACK", "START", "SPOOL", "WHENEVER", "COMMENT", "ANALYZE", "CALL", "DELIMITER"}
_REFUSE = {"UPDATE", "DELETE", "TRUNCATE", "MERGE", "REPLACE", "UPSERT"}
