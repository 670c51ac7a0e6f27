"""Issue 7, the SQL parts: a SQL dump is read, never executed (item 1); the profile's extraction query
is checked on its parsed tree and run sandboxed (item 2); joins are checked for cardinality so that no
driving row is dropped or counted twice (item 5); messages never echo row values (item 10); hostile
dumps give coded errors, within the limits (medium).
"""

from __future__ import annotations

import codecs
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.readers import get_reader
from jincai.cli import app
from jincai.errors import JincaiError

PROFILE = paths.ADAPTERS / "city_treasury_sqlserver"
SAMPLE = PROFILE / "samples" / "ZFXT_130600_2024.sql"
DEFECTS = PROFILE / "defects"
SECRET = "JINCAI-CANARY-7f3a9c"  # the content of a file no dump may read


def read(path, **options) -> list:
    return list(get_reader("sql_dump").read(str(path), options))


def reject(row) -> dict | None:
    return row.extra.get("reject")


def sample_text() -> str:
    return SAMPLE.read_bytes()[2:].decode("utf-16-le")


def write_tsql(path: Path, text: str) -> Path:
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def translate(args: list[str]):
    return CliRunner().invoke(app, ["translate", "--profile", str(PROFILE / "profile.yaml"), *args])


def everything_written(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8-sig", errors="replace") for p in sorted(out.rglob("*")) if p.is_file())


@pytest.fixture()
def canary(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- item 1


def hostile_values(canary: Path) -> list[str]:
    """Values that would read a file, reach the network, load an extension or never end if run."""
    f = str(canary)
    return [
        f"(SELECT content FROM read_text('{f}'))",
        f"read_text('{f}')",
        f"(SELECT string_agg(column0, '') FROM read_csv('{f}', header = false))",
        f"(SELECT count(*) FROM glob('{f}'))",
        "(SELECT * FROM read_parquet('https://example.com/x.parquet'))",
        "(SELECT max(n) FROM (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r))",
        "(SELECT string_agg(repeat('x', 1000000), '') FROM range(1000000000000))",
        "getenv('HOME')",
        "N'a' + N'b'",
        "0x4142",
        "DEFAULT",
        "(" * 200 + "1" + ")" * 200,
    ]


def test_issue7_01_subquery_in_values_is_never_executed(tmp_path, canary):
    """``(SELECT content FROM read_text('/etc/passwd'))`` inside VALUES put the file into
    rejected.csv: now the voucher row holding it is rejected as not a literal, and its lines with
    it (their voucher row is missing), and the file's content appears nowhere."""
    text = sample_text()
    inserts = [m.start() for m in re.finditer(r"^INSERT \[dbo\]\.\[ZF_ZFPZ\]", text, re.M)]
    values = hostile_values(canary)
    lines = text.split("\r\n")
    hit = 0
    for k, line in enumerate(lines):
        if line.startswith("INSERT [dbo].[ZF_ZFPZ]") and hit < len(values):
            # the fiscal year ND is the second value: N'2024'
            lines[k] = re.sub(r"VALUES \((N'[^']*'), N'[^']*'", lambda m: f"VALUES ({m.group(1)}, {values[hit]}", line, count=1)
            hit += 1
    assert hit == len(values) <= len(inserts)
    dump = write_tsql(tmp_path / "ZFXT_HOSTILE.sql", "\r\n".join(lines))
    out = tmp_path / "out"
    r = translate([str(dump), "--out", str(out)])
    assert r.exit_code == 1, r.output
    assert SECRET not in r.output and SECRET not in everything_written(out)
    ledger = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
    assert ledger["reconciled"] is True
    assert ledger["rejected_by_reason"]["sql-value-not-literal"]["count"] == len(values)
    with open(out / "rejected.csv", encoding="utf-8-sig") as fh:
        rejected = fh.read()
    assert "表 ZF_ZFPZ 第 1 行（脚本第 71 行），列 ND" in rejected and "column ND: the value is a sub-query" in rejected
    # every line whose voucher row was rejected is rejected too, never dropped
    assert ledger["rejected_by_reason"]["sql-join-unmatched"]["count"] >= len(values)


def test_issue7_01_values_that_would_exhaust_memory_or_download_are_not_run(tmp_path, canary):
    """One form exhausted memory, another made DuckDB download an extension: each row is rejected
    with its table, row, line, column and the kind of value; the other rows load."""
    values = hostile_values(canary)
    body = "\n".join(f"INSERT INTO t VALUES ({i}, {v}, 'ok');" for i, v in enumerate(values, start=1))
    path = tmp_path / "my.sql"
    path.write_text("CREATE TABLE t (id int, v varchar(100), w varchar(10));\n" + body + "\nINSERT INTO t VALUES (99, 'plain', 'ok');\n")
    out = read(path, dialect="mysql")
    assert [r.row for r in out] == list(range(1, len(values) + 2))
    for r, v in zip(out, values):
        rj = reject(r)
        assert rj["code"] == "sql-value-not-literal" and rj["column"] == "v", (v, rj)
        assert f"table t row {r.row} (script line {r.row + 1}), column v" in rj["en"]
        assert rj["raw"] == (v if len(v) <= 200 else v[:200] + "…")
    assert "a sub-query" in reject(out[0])["en"] and "a function call read_text(…)" in reject(out[1])["en"]
    assert "the keyword DEFAULT" in reject(out[10])["en"]
    assert out[-1].values == {"id": 99, "v": "plain", "w": "ok"} and reject(out[-1]) is None
    path.write_text(f"CREATE TABLE t (id int, name varchar(10));\nINSERT INTO t VALUES (1, {NAME});\n")  # a value typed without quotes
    rj = reject(read(path, dialect="mysql")[0])
    assert rj["code"] == "sql-value-not-literal" and "an unquoted name" in rj["en"] and NAME not in rj["zh"] + rj["en"] and rj["raw"] == NAME
    assert not any(SECRET in str(r.values) for r in out)


class _Spy:
    """A real DuckDB connection that also records the SQL text it is asked to run."""

    def __init__(self, con, log: list):
        self._con, self._log = con, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.sql(sql, *args, **kwargs)

    def query(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.query(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_issue7_01_no_dump_text_reaches_duckdb(tmp_path, monkeypatch, canary):
    """Tables are created through the API (Arrow) and values decoded in Python: the only SQL text
    DuckDB runs is the connection's lock and the profile's (checked) query — never text of the dump,
    not even of a CREATE TABLE with hostile defaults and checks."""
    import duckdb

    log: list = []
    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: _Spy(real(*a, **k), log))
    dump = tmp_path / "d.sql"
    dump.write_text(
        f"CREATE TABLE pay (id varchar(10) DEFAULT (SELECT content FROM read_text('{canary}')) CHECK (id <> 'x'), amt decimal(18, 2));\n"
        f"INSERT INTO pay VALUES ('P1', 1.50), ('P2', (SELECT 1)), ('P3', 2.25);\n"
        f"CREATE TABLE line (lid varchar(10), pid varchar(10));\n"
        f"INSERT INTO line VALUES ('L1', 'P1'), ('L2', 'P3'), ('L3', read_text('{canary}'));\n"
    )
    query = "SELECT l.lid, p.amt FROM line l JOIN pay p ON p.id = l.pid"
    out = read(dump, dialect="mysql", query=query)
    assert [(r.sheet, r.row, (reject(r) or {}).get("code")) for r in out] == [
        ("pay", 2, "sql-value-not-literal"), ("line", 3, "sql-value-not-literal"), ("line", 1, None), ("line", 2, None)]
    assert [r.values["amt"] for r in out[2:]] == [Decimal("1.50"), Decimal("2.25")]
    ran = [str(s) for s in log]
    assert ran[0] == "SET lock_configuration = true" and len(ran) == 2
    assert "line" in ran[1] and "read_text" not in ran[1] and "'P" not in ran[1] and "DEFAULT" not in ran[1]


literal = st.one_of(
    st.integers(-10**12, 10**12).map(str),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12).map(lambda s: "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"),
    st.just("NULL"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.one_of(literal, st.integers(0, 11).map(lambda i: ("hostile", i))), min_size=3, max_size=3), min_size=1, max_size=8))
def test_issue7_01_hostile_values_are_rejected_never_run_property(tmp_path_factory, rows):
    """Whatever mix of literals and hostile expressions a dump holds, every row comes out once, in
    order: the rows with a hostile value rejected (its first such column named), the others loaded
    with exactly their literal values; nothing of the canary file is ever read."""
    tmp = tmp_path_factory.mktemp("hostile")
    canary = tmp / "secret.txt"
    canary.write_text(SECRET)
    exprs = hostile_values(canary)
    texts = [[exprs[v[1]] if isinstance(v, tuple) else v for v in row] for row in rows]
    body = ",\n".join("(" + ", ".join(t) + ")" for t in texts)
    path = tmp / "h.sql"
    path.write_text(f"CREATE TABLE t (a varchar(100), b varchar(100), c varchar(100));\nINSERT INTO t VALUES {body};\n")
    out = read(path, dialect="mysql")
    assert [r.row for r in out] == list(range(1, len(rows) + 1))
    for r, row in zip(out, rows):
        hostile = [i for i, v in enumerate(row) if isinstance(v, tuple)]
        if hostile:
            assert reject(r)["code"] == "sql-value-not-literal" and reject(r)["column"] == "abc"[hostile[0]]
        else:
            assert reject(r) is None
            want = [None if v == "NULL" else v[1:-1].replace("''", "'").replace("\\\\", "\\") if v.startswith("'") else v for v in row]
            assert list(r.values.values()) == want
        assert SECRET not in str(r.values)


# ---------------------------------------------------------------------------------- item 2


def profile_with_query(tmp_path: Path, query: str) -> Path:
    data = yaml.safe_load((PROFILE / "profile.yaml").read_text(encoding="utf-8"))
    data["source"]["query"] = query
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


REFUSED_QUERIES = {
    "copy": ("COPY (SELECT 1) TO '/tmp/jincai-copy.csv'", "COPY"),
    "stacked": ("SELECT m.MXID FROM ZF_ZFMX m; DROP TABLE ZF_ZFMX", "one SELECT statement, not 2"),
    "attach": ("ATTACH 'x.db'", "SELECT"),
    "pragma": ("PRAGMA version", "PRAGMA"),
    "install": ("INSTALL httpfs", "SELECT"),
    "load": ("LOAD httpfs", "COMMAND"),
    "set": ("SET enable_external_access = true", "SET"),
    "create": ("CREATE TABLE x AS SELECT * FROM ZF_ZFMX", "CREATE"),
    "insert": ("INSERT INTO ZF_ZFMX SELECT * FROM ZF_ZFMX", "INSERT"),
    "select-into": ("SELECT * INTO x FROM ZF_ZFMX", "SELECT INTO"),
    "read-text": ("SELECT * FROM read_text('/etc/passwd')", "table function"),
    "read-text-in-subquery": ("SELECT m.MXID, (SELECT content FROM read_text('/etc/passwd')) AS x FROM ZF_ZFMX m", "table function"),
    "read-csv-scalar": ("SELECT m.MXID, read_csv('/etc/passwd') AS x FROM ZF_ZFMX m", "READ_CSV"),
    "glob": ("SELECT m.MXID, (SELECT count(*) FROM glob('/*')) AS x FROM ZF_ZFMX m", "Glob"),
    "getenv": ("SELECT m.MXID, getenv('HOME') AS h FROM ZF_ZFMX m", "getenv"),
    "file-as-table": ("SELECT * FROM 'secret.csv'", "file path"),
    "with": ("WITH x AS (SELECT * FROM ZF_ZFMX) SELECT * FROM x", "WITH"),
}


@pytest.mark.parametrize("name", sorted(REFUSED_QUERIES))
def test_issue7_02_adapter_check_refuses_a_query_that_is_not_a_plain_select(tmp_path, name):
    """``adapter check`` called a profile whose query writes a file (``COPY … TO``) or stacks
    statements valid: now it refuses it and says why (exit 1, with the YAML line)."""
    query, why = REFUSED_QUERIES[name]
    r = CliRunner().invoke(app, ["adapter", "check", str(profile_with_query(tmp_path, query))])
    assert r.exit_code == 1, r.output
    assert "adapter-profile-invalid" in r.output and "source.query" in r.output and why in r.output, r.output
    assert not Path("/tmp/jincai-copy.csv").exists()


def test_issue7_02_shipped_profile_passes_adapter_check():
    r = CliRunner().invoke(app, ["adapter", "check", "city_treasury_sqlserver"])
    assert r.exit_code == 0, r.output


def test_issue7_02_query_reads_only_the_dumps_tables(tmp_path):
    """A name that is not a table of the dump (DuckDB's catalog, a file) is refused when the dump is read."""
    for query in ("SELECT * FROM information_schema.tables", "SELECT m.MXID, (SELECT count(*) FROM duckdb_settings) AS n FROM ZF_ZFMX m"):
        with pytest.raises(JincaiError) as err:
            read(SAMPLE, dialect="tsql", query=query)
        assert err.value.code == "adapter-sql-query" and "which the dump does not hold" in err.value.message_en
        assert "ZF_ZFMX" in err.value.message_en


def test_issue7_02_sandbox_connection_is_locked():
    """The connection a query runs on reads no file, loads no extension, spills nothing to disk,
    and cannot be reconfigured."""
    import duckdb

    from jincai.adapters.readers import _sql_sandbox

    con = _sql_sandbox.connect()
    settings_now = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'autoload_known_extensions', "
        "'autoinstall_known_extensions', 'lock_configuration', 'temp_directory', 'python_enable_replacements')").fetchall())
    assert settings_now == {"enable_external_access": "false", "autoload_known_extensions": "false", "autoinstall_known_extensions": "false",
                            "lock_configuration": "true", "temp_directory": "", "python_enable_replacements": "false"}
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.PermissionException):
        con.execute("SELECT * FROM read_text('/etc/hostname')")
    with pytest.raises(duckdb.Error):
        con.execute("LOAD httpfs")


def _big_dump(tmp_path: Path, n: int = 1500) -> Path:
    path = tmp_path / "big.sql"
    path.write_text("CREATE TABLE t (id int, v varchar(40));\nINSERT INTO t VALUES "
                    + ",".join(f"({i}, 'value number {i:06d}')" for i in range(n)) + ";\n")
    return path


def test_issue7_02_query_time_is_limited(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_SQL_QUERY_SECONDS", "1")
    query = "SELECT a.id, (SELECT count(*) FROM t x CROSS JOIN t y CROSS JOIN t z WHERE x.id + y.id < z.id) AS c FROM t a"
    with pytest.raises(JincaiError) as err:
        read(_big_dump(tmp_path), dialect="mysql", query=query)
    assert err.value.code == "limit-sql-query-seconds" and err.value.location == "source.query"


def test_issue7_02_query_memory_is_limited(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_SQL_QUERY_MEMORY", str(16 * 2**20))
    query = "SELECT a.id, (SELECT count(DISTINCT CONCAT(x.v, y.v)) FROM t x CROSS JOIN t y) AS c FROM t a"
    with pytest.raises(JincaiError) as err:
        read(_big_dump(tmp_path), dialect="mysql", query=query)
    assert err.value.code == "limit-sql-query-memory"


# ---------------------------------------------------------------------------------- item 5


def _dump_total(path: Path) -> Decimal:
    """The money of every line (ZF_ZFMX) as the dump holds it, each line once."""
    return sum((r.values["JE"] for r in read(path, dialect="tsql") if r.sheet == "ZF_ZFMX"), Decimal(0))


def _money(ledger: dict, entity: str) -> dict:
    return next(m for m in ledger["money"] if m["entity"] == entity)


def test_issue7_05_line_whose_voucher_row_is_missing_is_rejected_not_dropped(tmp_path):
    dump = DEFECTS / "ZFXT_VOUCHER_MISSING.sql"
    r = translate([str(dump), "--out", str(tmp_path)])
    assert r.exit_code == 1, r.output
    ledger = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    n_lines = sum(1 for x in read(dump, dialect="tsql") if x.sheet == "ZF_ZFMX")
    assert ledger["reconciled"] and ledger["rows"] == {"source": n_lines, "translated": n_lines - 1, "rejected": 1, "filtered": 0}
    detail = _money(ledger, "payment_detail")
    assert Decimal(detail["source_total"]) == _dump_total(dump)  # the dropped line's money is not lost
    assert Decimal(detail["translated_total"]) + Decimal(detail["rejected_total"]) == Decimal(detail["source_total"])
    with open(tmp_path / "rejected.csv", encoding="utf-8-sig") as fh:
        line = fh.read().splitlines()[1]
    assert "ZFXT_VOUCHER_MISSING.sql,ZF_ZFMX,2,PZID,,sql-join-unmatched," in line
    assert "INNER JOIN ZF_ZFPZ AS p ON p.PZID = m.PZID" in line and "script line 73" in line and "key PZID" in line


def test_issue7_05_line_whose_voucher_row_is_duplicated_is_not_counted_twice(tmp_path):
    """The shipped query's INNER JOIN doubled such a line: money up by 105,444.66, exit 0."""
    dump = DEFECTS / "ZFXT_VOUCHER_DOUBLED.sql"
    r = translate([str(dump), "--out", str(tmp_path)])
    assert r.exit_code == 1, r.output
    ledger = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert ledger["reconciled"] and ledger["rows"] == {"source": 2, "translated": 1, "rejected": 1, "filtered": 0}
    detail = _money(ledger, "payment_detail")
    assert Decimal(detail["source_total"]) == _dump_total(dump)
    assert Decimal(detail["rejected_total"]) == Decimal("105444.66")
    with open(tmp_path / "rejected.csv", encoding="utf-8-sig") as fh:
        line = fh.read().splitlines()[1]
    assert ",sql-join-duplicated," in line and "matches 2 rows of table ZF_ZFPZ (rows 2, 3, script lines 72, 73; key PZID)" in line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(copies=st.lists(st.integers(0, 3), min_size=1, max_size=6), lines_per=st.lists(st.integers(1, 3), min_size=6, max_size=6),
       left=st.booleans())
def test_issue7_05_every_driving_row_comes_out_exactly_once_property(tmp_path_factory, copies, lines_per, left):
    """However many rows a join finds (none, one, several), each driving row comes out exactly once,
    in the result's order: as itself, or rejected with the join's reason."""
    tmp = tmp_path_factory.mktemp("joins")
    vouchers, lines, want = [], [], []
    for v, k in enumerate(copies):
        vouchers += [f"('V{v}', {v}.50)"] * k
        for j in range(lines_per[v]):
            lines.append(f"('L{v}-{j}', 'V{v}')")
            want.append(None if k == 1 or (k == 0 and left) else "sql-join-unmatched" if k == 0 else "sql-join-duplicated")
    path = tmp / "j.sql"
    path.write_text("CREATE TABLE v (id varchar(8), amt decimal(18, 2));\nCREATE TABLE l (lid varchar(8), vid varchar(8));\n"
                    + (f"INSERT INTO v VALUES {', '.join(vouchers)};\n" if vouchers else "")
                    + f"INSERT INTO l VALUES {', '.join(lines)};\n")
    join = "LEFT JOIN" if left else "JOIN"
    out = read(path, dialect="mysql", query=f"SELECT l.lid, v.amt FROM l {join} v ON v.id = l.vid ORDER BY l.lid")
    assert [r.row for r in out] == sorted(range(1, len(lines) + 1), key=lambda i: lines[i - 1])
    got = {r.row: (reject(r) or {}).get("code") for r in out}
    assert [got[i] for i in range(1, len(lines) + 1)] == want


REFUSED_SHAPES = {
    "where": "SELECT m.MXID FROM ZF_ZFMX m WHERE m.JE > 0",
    "group-by": "SELECT m.PZID, SUM(m.JE) AS s FROM ZF_ZFMX m GROUP BY m.PZID",
    "aggregate": "SELECT COUNT(*) AS n FROM ZF_ZFMX m",
    "distinct": "SELECT DISTINCT m.PZID FROM ZF_ZFMX m",
    "top": "SELECT TOP 5 m.MXID FROM ZF_ZFMX m",
    "union": "SELECT m.MXID FROM ZF_ZFMX m UNION ALL SELECT p.PZID FROM ZF_ZFPZ p",
    "right-join": "SELECT m.MXID FROM ZF_ZFMX m RIGHT JOIN ZF_ZFPZ p ON p.PZID = m.PZID",
    "full-join": "SELECT m.MXID FROM ZF_ZFMX m FULL OUTER JOIN ZF_ZFPZ p ON p.PZID = m.PZID",
    "comma-join": "SELECT m.MXID FROM ZF_ZFMX m, ZF_ZFPZ p",
    "natural-join": "SELECT m.MXID FROM ZF_ZFMX m NATURAL JOIN ZF_ZFPZ p",
    "subquery-in-from": "SELECT x.MXID FROM (SELECT * FROM ZF_ZFMX) x",
}


@pytest.mark.parametrize("name", sorted(REFUSED_SHAPES))
def test_issue7_05_queries_that_drop_or_merge_rows_are_refused(name):
    with pytest.raises(JincaiError) as err:
        read(SAMPLE, dialect="tsql", query=REFUSED_SHAPES[name])
    assert err.value.code == "adapter-sql-query" and err.value.location == "source.query", err.value


def test_issue7_05_window_and_scalar_subqueries_keep_every_row():
    query = """SELECT m.MXID, ROW_NUMBER() OVER (PARTITION BY m.PZID ORDER BY m.MXID) AS n,
                      SUM(m.JE) OVER (PARTITION BY m.PZID) AS voucher_total,
                      (SELECT COUNT(*) FROM ZF_ZFMX x WHERE x.PZID = m.PZID) AS lines
               FROM ZF_ZFMX m LEFT JOIN ZF_ZFPZ p ON p.PZID = m.PZID"""
    out = read(SAMPLE, dialect="tsql", query=query)
    assert len(out) == 20 and not any(reject(r) for r in out) and sorted(r.row for r in out) == list(range(1, 21))


# ---------------------------------------------------------------------------------- item 10

ID_NUMBER = "130681199001011234"
NAME = "张三丰"


def test_issue7_10_messages_never_echo_row_values(tmp_path):
    """DuckDB's error text on a bad dump printed a name and 14 ID digits on stderr: a value that does
    not fit its column now rejects its row with table, row, line, column and the kind of problem;
    the values stay in rejected.csv (the submitter's own file) and nowhere else."""
    text = sample_text()
    text = re.sub(r"CAST\(([-0-9.]+) AS Decimal\(18, 2\)\)", f"CAST(N'{ID_NUMBER}' AS Decimal(18, 2))", text, count=1)
    text = re.sub(r"CAST\(N'[0-9T:.-]+' AS DateTime\)", f"CAST(N'{NAME}' AS DateTime)", text, count=1)
    dump = write_tsql(tmp_path / "ZFXT_BAD.sql", text)
    out = tmp_path / "out"
    r = translate([str(dump), "--out", str(out)])
    assert r.exit_code == 1
    assert ID_NUMBER[:14] not in r.output and NAME not in r.output
    assert ID_NUMBER[:14] not in (out / "ledger.json").read_text(encoding="utf-8") and NAME not in (out / "ledger.json").read_text(encoding="utf-8")
    rows = [x for x in read(dump, dialect="tsql") if reject(x)]
    assert {reject(x)["code"] for x in rows} == {"sql-value-invalid"}
    for x in rows:
        msg = reject(x)["zh"] + reject(x)["en"]
        assert ID_NUMBER[:14] not in msg and NAME not in msg
        assert re.search(r"table ZF_ZFPZ row \d+ \(script line \d+\), column \w+: the value does not fit the column's type", reject(x)["en"])


def test_issue7_10_query_errors_about_data_do_not_quote_it(tmp_path):
    path = tmp_path / "p.sql"
    path.write_text(f"CREATE TABLE p (id varchar(20), name varchar(20));\nINSERT INTO p VALUES ('{ID_NUMBER}X', '{NAME}');\n")
    for query in ("SELECT CAST(id AS SIGNED) AS n FROM p", "SELECT CAST(name AS DATE) AS d FROM p"):
        with pytest.raises(JincaiError) as err:
            read(path, dialect="mysql", query=query)
        text = str(err.value)
        assert err.value.code == "adapter-sql-query" and "withheld" in text
        assert ID_NUMBER[:14] not in text and NAME not in text


# ---------------------------------------------------------------------------------- medium


def test_issue7_medium_statement_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_SQL_DUMP_STATEMENT_BYTES", "2000")
    path = tmp_path / "l.sql"
    path.write_text("CREATE TABLE t (a varchar(10));\nINSERT INTO t VALUES ('x');\nINSERT INTO t VALUES " + ",".join(["('y')"] * 500) + ";\n")
    with pytest.raises(JincaiError) as err:
        read(path, dialect="mysql")
    assert err.value.code == "limit-sql-dump-statement-bytes" and err.value.location == f"{path}:3"


def test_issue7_medium_deep_nesting_never_raises_recursion_error(tmp_path):
    deep = "(" * 100_000 + "1" + ")" * 100_000
    path = tmp_path / "n.sql"
    path.write_text(f"CREATE TABLE t (a decimal{'(' * 5000}18{')' * 5000}, b int);\nINSERT INTO t VALUES ({deep}, 1), (2, 3);\n")
    out = read(path, dialect="mysql")
    assert reject(out[0])["code"] == "sql-value-not-literal" and out[1].values == {"a": "2", "b": 3}
    path.write_text(f"CREATE TABLE t (a int);\nINSERT INTO t VALUES ({'(' * 100_000}1);\n")  # never closed
    with pytest.raises(JincaiError) as err:
        read(path, dialect="mysql")
    assert err.value.code == "adapter-sql-dump" and err.value.details["line"] == 2
    path.write_text("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n")
    for query in ("SELECT " + "(" * 5000 + "a" + ")" * 5000 + " AS x FROM t",
                  "SELECT " + "CASE WHEN a = 1 THEN " * 500 + "1" + " END" * 500 + " AS x FROM t"):
        with pytest.raises(JincaiError) as err:
            read(path, dialect="mysql", query=query)
        assert err.value.code == "limit-sql-nesting-depth"
    with pytest.raises(JincaiError) as err:  # nesting without parentheses is caught too
        read(path, dialect="mysql", query="SELECT " + "NOT " * 3000 + "a AS x FROM t")
    assert err.value.code in ("limit-sql-nesting-depth", "adapter-sql-query")


MUTATION_BASE = (
    "CREATE TABLE `v` (`id` varchar(10) NOT NULL, `amt` decimal(18,2) DEFAULT NULL, `d` date, PRIMARY KEY (`id`));\n"
    "INSERT INTO `v` VALUES ('V1',1.50,'2024-01-02'),('V\\'2',-3,NULL);\n"
    "CREATE TABLE `l` (`lid` varchar(10), `vid` varchar(10));\n"
    "INSERT INTO `l` (`lid`, `vid`) VALUES ('L1','V1'),('L2','V\\'2');\n"
)
PIECES = ["(", ")", "'", "\\", ",", ";", "`", "\n", "INSERT ", "CREATE TABLE ", "VALUES ", "NULL", "SELECT ", "0x", "--", "/*", "*/", "\x00", "é", "\ud7ff"]


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, len(MUTATION_BASE)), st.integers(0, 3), st.sampled_from(PIECES)), min_size=1, max_size=4),
       with_query=st.booleans())
def test_issue7_medium_mutated_dumps_give_rows_or_coded_errors(tmp_path_factory, edits, with_query):
    """Whatever a damaged or hostile dump looks like, the reader yields rows or raises a coded
    ``JincaiError`` — never another exception (exit 3)."""
    text = MUTATION_BASE
    for pos, cut, piece in edits:
        pos = min(pos, len(text))
        text = text[:pos] + piece + text[pos + cut:]
    path = tmp_path_factory.mktemp("mut") / "m.sql"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    options = {"dialect": "mysql"}
    if with_query:
        options["query"] = "SELECT l.lid, v.amt, v.d FROM l JOIN v ON v.id = l.vid"
    try:
        out = read(path, **options)
    except JincaiError as exc:
        assert exc.code and exc.message_zh and exc.message_en
        return
    assert all(r.row >= 1 and r.sheet for r in out)


def test_issue7_medium_hostile_dump_never_exits_3(tmp_path):
    for i, text in enumerate([
        "CREATE TABLE [dbo].[ZF_ZFMX]([A] [int]\r\nINSERT [dbo].[ZF_ZFMX] VALUES (1)\r\n",
        "INSERT [dbo].[ZF_ZFMX] ([A]) VALUES (1)\r\n",
        "CREATE TABLE t (a int)\r\nINSERT t SELECT * FROM OPENROWSET('x')\r\n",
        "CREATE TABLE t (a int)\r\nINSERT t VALUES (1) (2)\r\n",
        "CREATE TABLE t (a int, a int)\r\n",
        "CREATE TABLE t (a int)\r\nUPDATE t SET a = 1\r\n",
    ]):
        dump = write_tsql(tmp_path / f"h{i}.sql", text)
        r = translate([str(dump), "--out", str(tmp_path / f"out{i}")])
        assert r.exit_code == 2, (text, r.output)
        assert "错误 error: adapter-sql-" in r.output or "错误 error: adapter-sql-dump" in r.output, r.output


@pytest.mark.parametrize("dialect", ["tsql", "oracle", "mysql"])
def test_issue7_medium_unterminated_quote_or_comment_is_an_error_not_a_silent_loss(tmp_path, dialect):
    """A quote or ``/*`` that never ends would swallow every INSERT after it (0 rows, exit 0)."""
    rows = "INSERT INTO t VALUES ('1');\nINSERT INTO t VALUES ('2');\n"
    for opener, line in (("/* 导出说明\n", 2), ("CREATE TABLE u (a varchar(10) DEFAULT 'x);\n", 2), ('CREATE TABLE "u (a int);\n', 2)):
        path = tmp_path / f"{dialect}.sql"
        path.write_text("CREATE TABLE t (a varchar(10));\n" + opener + rows)
        with pytest.raises(JincaiError) as err:
            read(path, dialect=dialect)
        # an odd quote pairs with the next ones: the error names the line where the parity runs out
        assert err.value.code == "adapter-sql-dump" and err.value.details["line"] >= line, (opener, err.value)
        assert "swallowed" in err.value.message_en
    path.write_text("CREATE TABLE t (a varchar(10));\n(1, 2);\n" + rows)  # not a statement: an error, not skipped
    with pytest.raises(JincaiError) as err:
        read(path, dialect=dialect)
    assert err.value.details["line"] == 2


def test_issue7_medium_dates_python_cannot_hold_are_rejected_not_a_crash(tmp_path):
    """DuckDB holds years 99999 and infinity; Python's datetime does not (an OverflowError, exit 3)."""
    path = tmp_path / "y.sql"
    path.write_text("CREATE TABLE t (id int, d datetime, e date);\nINSERT INTO t VALUES (1, '99999-01-01 00:00:00', '2024-01-01'), "
                    "(2, '2024-01-01 00:00:00', 'infinity'), (3, '2024-01-01 10:00:00', '2024-02-29');\n")
    out = read(path, dialect="mysql")
    assert [(r.row, (reject(r) or {}).get("column")) for r in out] == [(1, "d"), (2, "e"), (3, None)]
    with pytest.raises(JincaiError) as err:
        read(path, dialect="mysql", query="SELECT id, DATE_ADD(d, INTERVAL 9000 YEAR) AS x FROM t")
    assert err.value.code == "adapter-sql-query" and "1–9999" in err.value.message_en
