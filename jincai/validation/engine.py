"""``validate(paths, …) -> Report``: the one entry point for the CLI, the gateway and the tests.

Bulk path (default): stage every file in DuckDB (``staging``), run the builtin layers set-at-a-time
(``bulk``) and the cross-record / cross-entity SQL rules (``sql_rules``), then build the report from
the ``_issues`` table. Per-record path (``path="record"``): the same builtin rules, one record at a
time through the pydantic models (``record``) — the second opinion the one-verdict test compares.
Rule applicability (standard version, fiscal years) is decided here, never inside a rule.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable, Collection, Sequence

import duckdb

import jincai
from jincai import paths as jpaths
from jincai.errors import JincaiError
from jincai.standard import standard
from jincai.validation import bulk
from jincai.validation.catalogue import SEVERITY_RANK, Catalogue, catalogue
from jincai.validation.inputs import InputFile, resolve
from jincai.validation.report import FileSummary, Report, RuleCount, SkippedRule, Summary, Versions, make_issue
from jincai.validation.staging import Staging, stage

DEFAULT_MAX_ISSUES = 100_000
#: DuckDB's memory budget: above it, stage tables spill to the temp directory (memory stays flat)
DEFAULT_MEMORY_LIMIT = "1GB"

Progress = Callable[[str, int, int], None]  # (what, done, total)


def _work_dir() -> str:
    return f"{tempfile.gettempdir()}/jincai-duckdb-{os.getpid()}"


def connect(memory_limit: str | None = None, threads: int | None = None, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """An in-process DuckDB that keeps file order (``_row`` = rowid + 1) and spills when it must."""
    con = duckdb.connect(database)
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"SET temp_directory = '{_work_dir()}'")
    con.execute(f"SET memory_limit = '{memory_limit_text(memory_limit)}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def memory_limit_text(memory_limit: str | None = None) -> str:
    return memory_limit or os.environ.get("JINCAI_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT


_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def limit_bytes(text: str) -> int | None:
    """DuckDB's reading of a memory limit such as ``1GB`` or ``512MiB`` (GB = 10^9, GiB = 2^30)."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def stage_on_disk(files: Sequence[InputFile], memory_limit: str | None = None) -> bool:
    """Whether a bulk run stages into a temporary database file instead of memory.

    In memory, DuckDB keeps stage tables uncompressed and spills them uncompressed once they pass
    the memory limit; a database file holds them compressed (about a tenth of the size: 51 MiB
    instead of 507 MiB for 1 M payment vouchers). Measured: 10 M JSON Lines records' bulk checks
    58 s and 884 MiB instead of 71 s and 1,211 MiB; the 10 M province 37.5 s instead of 45–51 s.
    On 46 M records the SQL rules now finish at the 1GB limit on disk as in memory (a rule's
    independent branches run one at a time, and a statement that ran out of memory runs once more:
    ``sql_rules._execute``). ``JINCAI_STAGE_ON_DISK``: ``auto`` (default) — on disk when the input
    files together are larger than the memory limit, where the tables could not stay in memory
    anyway; ``always``; or ``never``.
    """
    mode = (os.environ.get("JINCAI_STAGE_ON_DISK") or "auto").strip().lower()
    if mode not in ("auto", "always", "never"):
        raise JincaiError(
            "input-setting",
            f"JINCAI_STAGE_ON_DISK 应为 auto、always 或 never，实为 {mode!r}",
            f"JINCAI_STAGE_ON_DISK must be auto, always or never, got {mode!r}",
        )
    if mode != "auto":
        return mode == "always"
    limit = limit_bytes(memory_limit_text(memory_limit))
    total = 0
    for f in files:
        try:
            total += f.path.stat().st_size
        except OSError:
            continue
    return limit is not None and total > limit


def _bulk_connection(files: Sequence[InputFile], memory_limit: str | None) -> tuple[duckdb.DuckDBPyConnection, Path | None]:
    """The bulk run's connection, and its database file when it stages on disk (removed after)."""
    if not stage_on_disk(files, memory_limit):
        return connect(memory_limit), None
    try:
        os.makedirs(_work_dir(), exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="stage-", suffix=".duckdb", dir=_work_dir())
        os.close(fd)
        os.unlink(name)  # DuckDB creates it: an empty file is not a database
    except OSError:  # no writable temporary directory: memory still works (and spills fail clearly)
        return connect(memory_limit), None
    con = connect(memory_limit, database=name)
    con.execute("PRAGMA disable_checkpoint_on_shutdown")  # the file is deleted after the run
    return con, Path(name)


def _remove_database(db: Path | None) -> None:
    if db is not None:
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)


_SHARED_LOCK = threading.Lock()
_SHARED: dict[int, duckdb.DuckDBPyConnection] = {}  # by process id: a forked child opens its own


def _shared() -> duckdb.DuckDBPyConnection:
    pid = os.getpid()
    if pid not in _SHARED:
        _SHARED.clear()
        _SHARED[pid] = connect()
    return _SHARED[pid]


def _close_shared() -> None:
    """Before a fork: a child process crashes in DuckDB if its parent had a database open."""
    with _SHARED_LOCK:
        for con in _SHARED.values():
            con.close()
        _SHARED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_shared)


def record_connection() -> duckdb.DuckDBPyConnection:
    """A connection for the per-record path: a cursor of one process-wide in-memory DuckDB.

    Opening a DuckDB costs ≈ 20 ms of CPU — more than checking a small submission record by
    record — while a cursor costs < 1 ms. The per-record path keeps its state in temporary tables
    and registered relations, which belong to the cursor, so calls never see each other's issues.
    """
    with _SHARED_LOCK:
        return _shared().cursor()


@lru_cache(maxsize=1)
def codelists_version() -> str:
    """The code lists in use: the standard's version and a digest of their files."""
    h = hashlib.sha256()
    for p in sorted(jpaths.CODELISTS.glob("*")):
        if p.is_file() and p.suffix in (".csv", ".yaml"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return f"{standard().version}+sha256:{h.hexdigest()[:12]}"


def versions(cat: Catalogue) -> Versions:
    return Versions(standard=standard().version, catalogue=cat.version, codelists=codelists_version(), engine=jincai.__version__)


def validate(
    paths: Sequence[str | Path],
    year: int | None = None,
    max_issues: int | None = DEFAULT_MAX_ISSUES,
    entity: str | None = None,
    *,
    path: str = "bulk",
    sql: bool = True,
    progress: Progress | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    memory_limit: str | None = None,
    disabled_rules: Collection[str] = (),
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Report:
    """Validate a submission (files or folders) and return the report.

    ``year``: the submission's fiscal year (records of another year are reported); ``max_issues``:
    how many issues to list (all are counted; None = no limit); ``entity``: the entity of files
    whose name does not say it; ``path``: ``bulk`` or ``record``; ``sql``: run the cross-record and
    cross-entity rules (bulk path only). ``disabled_rules``: rule ids (or aliases) run as if the
    catalogue lacked them — a SQL rule is not executed, a builtin rule's findings are dropped — and
    listed under ``rules_skipped`` (reason ``disabled``); a disabled field rule still shields the
    rules that depend on its field (no cascades either way). The conformance suite's mutants use it
    to prove that every rule is needed. ``engine``: ``duckdb`` (in process) or ``spark`` (the same
    layers and rules on Apache Spark, ``spark_master`` or local mode: ``jincai.spark.validate``).
    Usage errors raise ``JincaiError``.
    """
    if engine == "spark":
        from jincai.spark.validate import validate as on_spark

        return on_spark(
            paths, year, max_issues, entity, master=spark_master, progress=progress, memory_limit=memory_limit, disabled_rules=disabled_rules
        )
    if engine != "duckdb":
        raise ValueError(f"unknown engine {engine!r}")
    started = time.perf_counter()
    cat = catalogue()
    disabled = {cat.rule(r).id for r in disabled_rules}  # unknown ids are a usage error
    files = resolve(list(paths), entity)
    own = con is None
    db: Path | None = None
    if con is None:
        con, db = (record_connection(), None) if path == "record" else _bulk_connection(files, memory_limit)
    try:
        return _validate(con, db, cat, files, disabled, year, max_issues, path, sql, progress, started)
    except duckdb.OutOfMemoryException as exc:  # the budget, not the data or the catalogue, is at fault
        raise memory_exceeded(con, exc) from exc
    finally:
        if own:
            con.close()
            _remove_database(db)


def memory_exceeded(con: duckdb.DuckDBPyConnection, exc: BaseException, rule: str | None = None, location: str = "JINCAI_MEMORY_LIMIT") -> JincaiError:
    """DuckDB ran out of its memory limit: say which limit and what to raise (exit 2, not a bug)."""
    try:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    except duckdb.Error:
        limit = memory_limit_text()
    what_zh, what_en = (f"规则 {rule} ", f"rule {rule}") if rule else ("校验", "the validation")
    said = (str(exc).splitlines() or [""])[0]  # DuckDB's own first line; its advice (threads, …) is not the user's to set
    return JincaiError(
        "memory-limit-exceeded",
        f"{what_zh}在内存上限 {limit} 内无法完成；请提高 JINCAI_MEMORY_LIMIT（如 4GB）后重试。{said}",
        f"{what_en} could not finish within the memory limit of {limit}; raise JINCAI_MEMORY_LIMIT (e.g. 4GB) and run again. {said}",
        location,
        {"memory_limit": limit},
    )


def _validate(
    con: duckdb.DuckDBPyConnection, db: Path | None, cat: Catalogue, files: list[InputFile], disabled: set[str],
    year: int | None, max_issues: int | None, path: str, sql: bool, progress: Progress | None, started: float,
) -> Report:
    """The layers, the rules and the report on an open connection (:func:`validate` owns it)."""
    bulk.create_issues(con)
    if path == "record":
        from jincai.validation import record

        records, file_summaries = record.run(con, files, cat, year, progress=progress)
        skipped: list[SkippedRule] = []
    else:
        staging = _stage(con, files, progress)
        _step(progress, "checks", 0, 1)
        bulk.run(con, staging, cat, year)
        if db is not None and sql:
            # write the staged tables and the field layer's updates into the file before the
            # rules' joins need the memory (46 M records at 1GB: out of memory without it)
            con.execute("CHECKPOINT")
        skipped = _run_sql(con, staging, progress, disabled) if sql else []
        records, file_summaries = staging.records(), _file_summaries(staging)
    _apply_applicability(con, cat)
    skipped += _disable(con, cat, disabled)
    report = _build(con, cat, records, file_summaries, skipped, year, max_issues, path)
    report.summary.seconds = round(time.perf_counter() - started, 3)
    return report


def _step(progress: Progress | None, what: str, done: int, total: int) -> None:
    if progress:
        progress(what, done, total)


def _stage(con: duckdb.DuckDBPyConnection, files: list[InputFile], progress: Progress | None) -> Staging:
    done = [0]

    def one(_f: InputFile) -> None:
        done[0] += 1
        _step(progress, "staging", done[0], len(files))

    _step(progress, "staging", 0, len(files))
    return stage(con, files, progress=one)


def _file_summaries(staging: Staging) -> list[FileSummary]:
    return [FileSummary(file=f.input.name, entity=f.input.entity, format=f.input.format, records=f.records, rows=f.rows) for f in staging.files]


def _run_sql(con: duckdb.DuckDBPyConnection, staging: Staging, progress: Progress | None, disabled: set[str]) -> list[SkippedRule]:
    """The xrec/xent rules of the SQL helper, on the staged views (except the disabled ones)."""
    from jincai.validation import sql_rules

    present = {f.input.entity for f in staging.files if f.table}
    years: set[int] = set()
    std = standard()
    for f in staging.files:
        if f.table and "fiscal_year" in std.entity(f.input.entity).field_names:
            years.update(int(y) for (y,) in con.execute(f"SELECT DISTINCT fiscal_year FROM {f.table} WHERE fiscal_year IS NOT NULL").fetchall())
    _step(progress, "cross-entity rules", 0, 1)
    rules = [r for r in sql_rules.sql_rules() if r.id not in disabled]
    result = sql_rules.run_rules(con, rules, present=present, fiscal_years=sorted(years) or None)
    bulk.insert_rows(con, result.issues)
    _step(progress, "cross-entity rules", 1, 1)
    return [SkippedRule(rule=s["rule"], reason=s["reason"], message_zh=s["message_zh"], message_en=s["message_en"]) for s in result.skipped]


def _disable(con: duckdb.DuckDBPyConnection, cat: Catalogue, disabled: set[str]) -> list[SkippedRule]:
    """Drop the findings of disabled rules; each one is listed as skipped, never silently."""
    if not disabled:
        return []
    con.execute(f"DELETE FROM {bulk.ISSUES} WHERE rule IN (SELECT unnest(?::VARCHAR[]))", [sorted(disabled)])
    return [
        SkippedRule(rule=r, reason="disabled", message_zh="规则已按调用方要求停用", message_en="the rule was disabled by the caller")
        for r in sorted(disabled, key=list(cat.rules).index)
    ]


def _apply_applicability(con: duckdb.DuckDBPyConnection, cat: Catalogue) -> None:
    """Drop issues of rules that do not apply: to this standard version, or to the record's year."""
    version = standard().version
    conds = []
    found = {r for (r,) in con.execute(f"SELECT DISTINCT rule FROM {bulk.ISSUES}").fetchall()}
    for r in (cat.rules[rule] for rule in found if rule in cat.rules):
        if not r.applies.standard_ok(version):
            conds.append(f"rule = '{r.id}'")
        elif r.applies.fiscal_years:
            lo, dash, hi = r.applies.fiscal_years.partition("-")
            hi = hi if dash else lo
            outside = [c for c in (f"year < {int(lo)}" if lo else "", f"year > {int(hi)}" if hi else "") if c]
            if outside:
                conds.append(f"(rule = '{r.id}' AND year IS NOT NULL AND ({' OR '.join(outside)}))")
    if conds:
        con.execute(f"DELETE FROM {bulk.ISSUES} WHERE {' OR '.join(conds)}")


def _build(
    con: duckdb.DuckDBPyConnection,
    cat: Catalogue,
    records: dict[str, int],
    files: list[FileSummary],
    skipped: list[SkippedRule],
    year: int | None,
    max_issues: int | None,
    path: str,
    fill_keys: Callable[[duckdb.DuckDBPyConnection, list[dict]], None] | None = None,
) -> Report:
    counts = dict(con.execute(f"SELECT rule, count(*) FROM {bulk.ISSUES} GROUP BY rule").fetchall())
    # the ranks as list parameters, not an Arrow table: building one imports pandas (0.2 s a process)
    limit = "" if max_issues is None else f"LIMIT {int(max_issues)}"
    rows: list[dict] = []
    if counts:  # a clean submission (the gateway's usual one) needs no second query
        cur = con.execute(
            f"SELECT i.* FROM {bulk.ISSUES} i JOIN (SELECT unnest(?::VARCHAR[]) AS rule, unnest(?::INTEGER[]) AS rank) r USING (rule)"
            f" ORDER BY r.rank, i.file NULLS FIRST, i.row NULLS FIRST, i.rule, i.field NULLS FIRST {limit}",
            [list(counts), [SEVERITY_RANK[cat.rule(r).severity] for r in counts]],
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    (fill_keys or _fill_keys)(con, rows)
    issues = [make_issue(cat, d) for d in rows]
    by_severity = {s: 0 for s in SEVERITY_RANK}
    for rule, n in counts.items():
        by_severity[cat.rule(rule).severity] += n
    by_rule = sorted(
        (RuleCount(rule=r, severity=cat.rule(r).severity, count=n, title_zh=cat.rule(r).title_zh, title_en=cat.rule(r).title_en) for r, n in counts.items()),
        key=lambda rc: (SEVERITY_RANK[rc.severity], -rc.count, rc.rule),
    )
    total = sum(counts.values())
    summary = Summary(
        passed=by_severity["fatal"] == 0 and by_severity["error"] == 0,
        year=year,
        files=files,
        records=dict(sorted(records.items())),
        by_severity=by_severity,
        by_rule=by_rule,
        issues_total=total,
        issues_reported=len(issues),
        truncated=len(issues) < total,
        max_issues=max_issues,
        rules_skipped=skipped,
        versions=versions(cat),
        path=path,
    )
    return Report(summary=summary, issues=issues)


def keys_wanted(rows: list[dict]) -> dict[str, list[dict]]:
    """The listed issues whose record's business key is still to be read, by stage table."""
    wanted: dict[str, list[dict]] = {}
    for d in rows:
        if d.get("tbl") and d.get("key") is None and d.get("row") is not None:
            wanted.setdefault(d["tbl"], []).append(d)
    return wanted


def stage_key_sql(entity) -> str:
    """SQL over a stage table: the record's business key ``a|b|c`` (raw text where a part was rejected)."""
    parts = [f"coalesce(CAST({k} AS VARCHAR), list_filter(_errs, lambda e: e.f = '{k}')[1].v, '')" for k in entity.key]
    return " || '|' || ".join(parts)


def _fill_keys(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """The business key of each listed record, read back from its stage table (raw text if rejected)."""
    std = standard()
    wanted = keys_wanted(rows)
    for tbl, items in wanted.items():
        key_sql = stage_key_sql(std.entity(items[0]["entity"]))
        rowids = sorted({d["row"] - 1 for d in items})
        keys = dict(con.execute(f"SELECT rowid + 1, {key_sql} FROM {tbl} WHERE rowid IN (SELECT unnest(?::BIGINT[]))", [rowids]).fetchall())
        for d in items:
            d["key"] = keys.get(d["row"])
