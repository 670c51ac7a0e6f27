"""The data center's consolidation and position queries on Apache Spark, over a store export.

``jincai datacenter export`` writes a store's history as Parquet partitioned by region and fiscal
year (``jincai.datacenter.parquet``). :class:`SparkParquetStore` registers each table of such an
export as a temporary view of its own name and answers ``query`` like a store: the query — the same
``datacenter/sql/`` file the stores run, with the partition filter of ``parquet_view`` — is
transpiled from DuckDB SQL to Spark SQL by sqlglot and run; rows come back through Arrow, so money
stays ``Decimal`` and dates ``date``, as from DuckDB.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

from jincai.datacenter import parquet
from jincai.errors import JincaiError
from jincai.gateway.store.migrations import record_table
from jincai.spark import session as spark_session
from jincai.spark.sql import spark_call, transpile
from jincai.standard import standard

_ids = itertools.count(1)


class SparkParquetStore:
    kind = "spark"

    def __init__(self, folder: Path, master: str | None = None) -> None:
        if not spark_session.available():
            raise JincaiError("spark-missing", "未安装 PySpark：pip install 'jincai[spark]'", "PySpark is not installed: pip install 'jincai[spark]'", "--engine")
        self.folder = Path(folder)
        self.manifest = parquet.read_manifest(self.folder)
        self.spark = spark_session.session(master)
        own = next(_ids)  # views of this store only: two exports may be open in one session
        self._names: dict[str, str] = {}
        tables = [parquet.VERSIONS] + [record_table(e) for e in standard().entities]
        for table in tables:
            if table == parquet.VERSIONS:
                path = self.folder / f"{table}.parquet"
            elif self.manifest["tables"].get(table):
                path = self.folder / table  # partition discovery: dc_region=…/dc_year=… (as strings)
            else:
                path = self.folder / table / "empty.parquet"
            name = f"dc{own}_{table}"
            spark_call(lambda: self.spark.read.parquet(str(path)).createOrReplaceTempView(name), f"read {path}")
            self._names[table] = name
        self._renames = tuple(sorted(self._names.items()))

    def as_of(self, at: datetime | None) -> datetime:
        return parquet.check_as_of(self.manifest, at)

    def view(self, entity: str) -> str:
        return parquet.parquet_view(entity)

    def query(self, sql: str, params: tuple | list = ()) -> list[dict]:
        if params:
            raise JincaiError("spark-params", "Spark 查询不接受绑定参数", "a Spark query takes no bound parameters")
        text, _, _ = transpile(sql, "duckdb", self._renames)
        table = spark_call(lambda: self.spark.sql(text).toArrow(), sql)
        return table.to_pylist()

    def close(self) -> None:
        for name in self._names.values():
            try:
                self.spark.catalog.dropTempView(name)
            except Exception:  # noqa: BLE001 - a stopped session has no views left to drop
                pass
        self._names.clear()

