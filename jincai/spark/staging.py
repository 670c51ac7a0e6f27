"""Stage a submission on Spark: each file staged by the project's own staging in a Spark task,
written as Parquet partitioned by region and fiscal year, and read back as Spark views.

One Spark task per file runs ``jincai.validation.staging.stage`` — the same readers, structural
checks and field layer as the DuckDB engine, so every verdict is the same — in an in-process DuckDB
on the executor, and writes the stage table (the staging contract's typed columns plus ``rowid``,
``_bad``, ``_badv``, ``_mask``, ``_smask``, ``_errs``, ``_keys``) to::

    <work>/<entity>/part_region=<mof_div_code>/part_year=<fiscal_year>/f<n>_<uuid>.parquet

Why partitioned so: a province's data arrives per region and per year, the rules join on
(``mof_div_code``, ``fiscal_year``, …), and auditors select by both; Spark reads each directory as
its own tasks and prunes directories a query filters out. The partition columns are copies (the
fields stay in the files, typed) and are read as text (``session.py``), so no leading zero is lost.
A file with no rows writes an empty, unpartitioned ``<work>/_empty/f<n>.parquet`` so that its
entity is present, and empty, as on DuckDB.

Back on the driver, each file's stage table is the view ``_stage_t<n>`` (``sql.view_name``) and
the :class:`~jincai.validation.staging.StagedFile` the task returned (file issues, counts) is
kept, with ``table = "_stage.t<n>"`` as the builtin layers name it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from jincai.spark.sql import view_name
from jincai.validation.inputs import InputFile
from jincai.validation.staging import StagedFile, Staging

REGION, YEAR = "part_region", "part_year"
EMPTY = "_empty"


def _stage_one(task: tuple[int, InputFile], work: str, memory_limit: str | None) -> StagedFile:
    """Executor side: stage one file with DuckDB, write its stage table as partitioned Parquet."""
    from jincai.standard import standard
    from jincai.validation.engine import connect
    from jincai.validation.fields_sql import q
    from jincai.validation.staging import stage

    n, f = task
    con = connect(memory_limit, threads=1)  # one task per core: Spark already runs them side by side
    try:
        sf = stage(con, [f]).files[0]
        if sf.table is None:
            return sf
        names = standard().entity(f.entity).field_names
        region = "mof_div_code" if "mof_div_code" in names else "NULL"
        year = "CAST(fiscal_year AS VARCHAR)" if "fiscal_year" in names else "NULL"
        rows = f"SELECT rowid AS rowid, *, CAST({n} AS INTEGER) AS _fileno FROM {sf.table}"
        if sf.rows:
            out = Path(work) / f.entity
            con.execute(
                f"COPY (SELECT *, {region} AS {REGION}, {year} AS {YEAR} FROM ({rows})) TO {q(str(out))}"
                f" (FORMAT PARQUET, PARTITION_BY ({REGION}, {YEAR}), APPEND, FILENAME_PATTERN {q(f'f{n}_{{uuid}}')})"
            )
        else:
            out = Path(work) / EMPTY
            out.mkdir(parents=True, exist_ok=True)
            con.execute(f"COPY ({rows}) TO {q(str(out / f'f{n}.parquet'))} (FORMAT PARQUET)")
        return replace(sf, table=f"_stage.t{n}")
    finally:
        con.close()


def stage(spark: Any, files: list[InputFile], work: Path, *, memory_limit: str | None = None, progress: Callable[[int, int], None] | None = None) -> Staging:
    """Stage ``files`` on Spark (one task per file) and create one view per stage table."""
    work.mkdir(parents=True, exist_ok=True)
    if progress:
        progress(0, len(files))
    tasks = list(enumerate(files, 1))
    staged: list[StagedFile] = []
    if tasks:
        work_s = str(work)
        staged = (
            spark.sparkContext.parallelize(tasks, numSlices=len(tasks))
            .map(lambda t: _stage_one(t, work_s, memory_limit))
            .collect()
        )
    if progress:
        progress(len(files), len(files))
    create_stage_views(spark, staged, work)
    return Staging(staged)


def create_stage_views(spark: Any, staged: list[StagedFile], work: Path) -> None:
    from pyspark.sql import functions as F

    by_entity: dict[str, Any] = {}
    for sf in staged:
        if sf.table is None:
            continue
        n = int(sf.table.rsplit("t", 1)[1])
        if sf.rows == 0:
            df = spark.read.parquet(str(work / EMPTY / f"f{n}.parquet"))
        else:
            entity = sf.input.entity
            if entity not in by_entity:
                path = str(work / entity)
                by_entity[entity] = spark.read.option("basePath", path).parquet(path)
            df = by_entity[entity].where(F.col("_fileno") == n)
        df.createOrReplaceTempView(view_name(sf.table))

