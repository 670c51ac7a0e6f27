"""Apache Spark as an engine: the same catalogue, staged as partitioned Parquet, SQL transpiled by sqlglot.

``session`` (the one SparkSession of a process), ``sql`` (DuckDB-dialect statements run on Spark),
``staging`` (one Spark task per submitted file → Parquet by region and year), ``validate``
(``jincai validate --engine spark``). See ``docs/spark/``.
"""
