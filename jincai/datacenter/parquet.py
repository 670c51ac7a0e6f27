"""The store's history as partitioned Parquet, and the data center's queries over such an export.

``export`` writes what a gateway store holds — every accepted record with the data versions that
say when it was current — as Parquet another engine can read without the store:

    <out>/gw_data_version.parquet                          the versions (small: one row per region,
                                                           year, period grain, entity and version)
    <out>/rec_<entity>/dc_region=<9 digits>/dc_year=<YYYY>/data_0.parquet
                                                           the records, partitioned by the region
                                                           and fiscal year of the version they came in
    <out>/manifest.json                                    what was exported, when, row counts

Partitioned by region and year because every data center query reads one year of a set of regions:
an engine that prunes partitions (Spark, DuckDB) reads only those folders, and a region's new
submission only ever adds files under its own folder. History is exported too, so an as-of query on
the export answers as the store would — for any moment up to the export (``exported_at``); a later
moment is refused, because the export cannot know what came after it.

``ParquetStore`` runs the data center's queries on DuckDB over such an export (the reference the
Spark engine, ``jincai.spark.datacenter``, is compared with). Both only change where the entity
tables come from (``parquet_view``); the queries are the same files as on the stores.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from jincai.errors import JincaiError
from jincai.gateway.store.migrations import quote, record_table
from jincai.standard import standard

FORMAT = "jincai-store-parquet/1"
VERSIONS = "gw_data_version"
PARTITIONS = ("dc_region", "dc_year")


def _str(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def export(store: Any, out: Path) -> dict:
    """Write ``store`` (DuckDB or PostgreSQL) to ``out`` as partitioned Parquet; returns the manifest.

    A DuckDB store is read in place under its lock (a consistent snapshot: one reader, no writer in
    between); a PostgreSQL store is first copied, in one REPEATABLE READ transaction, into a scratch
    DuckDB file beside ``out`` (``COPY … TO STDOUT``, typed by the same migrations), then written the
    same way."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise JincaiError("datacenter-export-exists", f"输出目录 {out} 非空", f"the output folder {out} is not empty", str(out))
    out.mkdir(parents=True, exist_ok=True)
    at = datetime.now(timezone.utc)
    if getattr(store, "kind", "") == "duckdb":
        with store._read() as con:
            tables = _write(con, out)
            schema_version = int(con.execute("SELECT max(version) FROM gw_schema_migrations").fetchone()[0] or 0)
    else:
        scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
        try:
            copy = _copy_postgres(store, scratch / "copy.duckdb")
            try:
                tables = _write(copy.con, out)
            finally:
                copy.close()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        schema_version = store.schema_version()
    manifest = {
        "format": FORMAT,
        "exported_at": at.isoformat(timespec="microseconds"),
        "store": getattr(store, "kind", "?"),
        "store_schema_version": schema_version,
        "standard": standard().version,
        "partitioned_by": list(PARTITIONS),
        "tables": tables,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write(con: Any, out: Path) -> dict[str, int]:
    """Every record table (joined to its version for the partition keys) and the version table."""
    tables: dict[str, int] = {}
    con.execute(f"COPY (SELECT * FROM {VERSIONS} ORDER BY mof_div_code, fiscal_year, entity, version) TO {_str(out / f'{VERSIONS}.parquet')} (FORMAT parquet)")
    tables[VERSIONS] = int(con.execute(f"SELECT count(*) FROM {VERSIONS}").fetchone()[0])
    for entity in sorted(standard().entities):
        table = record_table(entity)
        cols = ", ".join(f"r.{quote(c)}" for c in ["_submission_id", "_row", *standard().entity(entity).field_names])
        select = (
            f"SELECT {cols}, v.mof_div_code AS dc_region, CAST(v.fiscal_year AS VARCHAR) AS dc_year FROM {table} AS r"
            f" JOIN (SELECT DISTINCT submission_id, mof_div_code, fiscal_year FROM {VERSIONS} WHERE entity = '{entity}') AS v"
            " ON v.submission_id = r._submission_id"
        )
        n = int(con.execute(f"SELECT count(*) FROM ({select}) AS c").fetchone()[0])
        target = out / table
        if n:
            con.execute(f"COPY ({select}) TO {_str(target)} (FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}))")
        else:  # an empty table keeps its columns: one empty file, no partition folders
            target.mkdir()
            con.execute(f"COPY ({select} LIMIT 0) TO {_str(target / 'empty.parquet')} (FORMAT parquet)")
        tables[table] = n
    return tables


def _copy_postgres(store: Any, path: Path) -> Any:
    """A DuckDB store at ``path`` holding what ``store`` (PostgreSQL) holds, as of one snapshot."""
    from jincai.gateway.store.duckdb import DuckDBStore

    copy = DuckDBStore(path)  # the same migrations: the same tables and column types
    names = [VERSIONS] + [record_table(e) for e in sorted(standard().entities)]
    con = store._con()
    with con.transaction():
        con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for table in names:
            columns = copy.columns(table)
            csv = path.parent / f"{table}.csv"
            cols = ", ".join(quote(c) for c in columns)
            with con.cursor() as cur, open(csv, "wb") as fh:
                with cur.copy(f"COPY (SELECT {cols} FROM {table}) TO STDOUT (FORMAT csv)") as cp:
                    for chunk in cp:
                        fh.write(chunk)
            # NULL is an empty unquoted field in PostgreSQL's CSV; "" is an empty string
            copy.con.execute(f"COPY {table} ({cols}) FROM {_str(csv)} (FORMAT csv, HEADER false, ALLOW_QUOTED_NULLS false)")
            csv.unlink()
    return copy


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JincaiError("datacenter-export-missing", f"{folder} 不是存储导出（缺 manifest.json）：{exc}", f"{folder} is not a store export (no manifest.json): {exc}", str(path)) from None
    if manifest.get("format") != FORMAT:
        raise JincaiError("datacenter-export-format", f"导出格式 {manifest.get('format')!r} 不是 {FORMAT}", f"export format {manifest.get('format')!r} is not {FORMAT}", str(path))
    return manifest


def exported_at(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["exported_at"])


def check_as_of(manifest: dict, as_of: datetime | None) -> datetime:
    """The moment to answer for: the export's own moment by default; a later one is refused."""
    at = exported_at(manifest)
    if as_of is None:
        return at
    if as_of > at:
        raise JincaiError(
            "datacenter-export-stale",
            f"导出时点为 {at.isoformat()}，不能回答更晚时点 {as_of.isoformat()} 的状况",
            f"the export was made at {at.isoformat()}; it cannot answer for the later moment {as_of.isoformat()}",
            "--as-of",
        )
    return as_of


def parquet_view(entity: str) -> str:
    """``queries.entity_view`` with the partition keys in the filter, so an engine reads only the
    folders of the regions in scope and the year."""
    from jincai.datacenter.queries import entity_view

    return entity_view(entity, "r.dc_region IN (SELECT mof_div_code FROM dc_scope) AND r.dc_year = p.fiscal_year")


class ParquetStore:
    """The data center's queries on DuckDB over an export (in memory; the export is only read)."""

    kind = "parquet"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.manifest = read_manifest(self.folder)
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute(f"CREATE VIEW {VERSIONS} AS SELECT * FROM read_parquet({_str(self.folder / f'{VERSIONS}.parquet')})")
        for entity in standard().entities:
            table = record_table(entity)
            if self.manifest["tables"].get(table):
                glob = _str(self.folder / table / "**" / "*.parquet")
                src = f"read_parquet({glob}, hive_partitioning = true, hive_types = {{'dc_region': VARCHAR, 'dc_year': VARCHAR}})"
            else:
                src = f"read_parquet({_str(self.folder / table / 'empty.parquet')})"  # carries dc_region, dc_year
            self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM {src}")

    def as_of(self, at: datetime | None) -> datetime:
        return check_as_of(self.manifest, at)

    def view(self, entity: str) -> str:
        return parquet_view(entity)

    def query(self, sql: str, params: tuple | list = ()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def close(self) -> None:
        self.con.close()


def open_export(folder: Path, engine: str = "duckdb", master: str | None = None) -> Any:
    """A store-like reader of an export on ``engine``: ``duckdb`` (in this process) or ``spark``
    (local mode, or the cluster at ``master``)."""
    if engine == "duckdb":
        return ParquetStore(folder)
    if engine == "spark":
        from jincai.spark.datacenter import SparkParquetStore

        return SparkParquetStore(folder, master)
    raise JincaiError("datacenter-engine", f"引擎须为 duckdb 或 spark，不是 {engine!r}", f"the engine must be duckdb or spark, not {engine!r}", "--engine")
