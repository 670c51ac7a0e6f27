"""The SparkSession jincai runs on: local mode by default, a cluster when given a master URL.

One session per process (Spark's own rule; start-up costs seconds): :func:`session` creates it on
first use with the settings below and returns the same one afterwards. Under ``spark-submit`` the
session the submitter configured is used as it is (its master wins over ``--spark-master``).

Settings, and why:

* ``spark.sql.session.timeZone = UTC`` — timestamps print and cast as DuckDB's do (UTC), so the
  same rule gives the same text on both engines;
* ``spark.sql.sources.partitionColumnTypeInference.enabled = false`` — partition directories
  (``part_region=130600000``) stay text: inferring numbers would drop leading zeros;
* ``spark.sql.shuffle.partitions`` — ``JINCAI_SPARK_SHUFFLE_PARTITIONS`` (default: the cores in
  local mode, where more only adds tasks to schedule; Spark's 200 on a cluster);
* ``spark.driver.memory`` — ``JINCAI_SPARK_DRIVER_MEMORY`` (default 2g; only when this process
  starts the JVM — under ``spark-submit`` the submitter's ``--master`` and memory settings stand);
* ``spark.sql.autoBroadcastJoinThreshold`` — ``JINCAI_SPARK_BROADCAST_THRESHOLD`` (default ``-1``:
  no broadcast joins). The rules join aggregates of staged tables whose size Spark estimates
  before it runs them; on the 10 M-record sample province it broadcast one it thought small and
  stopped with "Not enough memory to build and broadcast the table" (rule ``xent.over-plan``, 2g
  driver). With broadcasts off the whole catalogue runs there in 259 s; a rule must not fail
  because of an estimate. Under ``spark-submit`` the submitter's setting stands;
* the Python workers run this interpreter (``PYSPARK_PYTHON``), which has jincai installed; on a
  cluster the executors need jincai too (``docs/spark/``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from jincai.errors import JincaiError

DEFAULT_MASTER = "local[*]"

_session: Any = None


def available() -> bool:
    """True when PySpark can be imported (Java is checked when the session starts)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def session(master: str | None = None) -> Any:
    """The process's SparkSession (created on first use)."""
    global _session
    if _session is not None and not _session.sparkContext._jsc.sc().isStopped():
        return _session
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise JincaiError(
            "spark-missing",
            "未安装 PySpark：pip install 'jincai[spark]'（还需要 Java 17）",
            "PySpark is not installed: pip install 'jincai[spark]' (Java 17 is needed too)",
        ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    active = SparkSession.getActiveSession()
    if active is not None:  # spark-submit, or a notebook: use what the caller configured
        _session = active
        return active
    # under spark-submit the JVM is already there, configured by the submitter (master, memory)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    local = (master or ("" if submitted else DEFAULT_MASTER)).startswith("local")
    builder = SparkSession.builder if submitted and master is None else SparkSession.builder.master(master or DEFAULT_MASTER)
    builder = (
        builder.appName("jincai")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.log.structuredLogging.enabled", "false")
        .config("spark.driver.memory", os.environ.get("JINCAI_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.autoBroadcastJoinThreshold", os.environ.get("JINCAI_SPARK_BROADCAST_THRESHOLD", "-1"))
    )
    partitions = os.environ.get("JINCAI_SPARK_SHUFFLE_PARTITIONS") or (str(max(2, os.cpu_count() or 2)) if local else None)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", partitions)
    if local:
        builder = builder.config("spark.ui.enabled", "false")
    try:
        try:
            _session = builder.getOrCreate()
        except Exception as exc:  # noqa: BLE001 - a JVM that died while starting (a busy machine) gets one more try
            if "JAVA_GATEWAY_EXITED" not in str(exc):
                raise
            import time

            time.sleep(2)
            _session = builder.getOrCreate()
    except Exception as exc:  # no Java, a master that does not answer …
        raise JincaiError(
            "spark-start",
            f"无法启动 Spark（{master or DEFAULT_MASTER}）：{str(exc).splitlines()[0] if str(exc) else exc!r}",
            f"cannot start Spark ({master or DEFAULT_MASTER}): {str(exc).splitlines()[0] if str(exc) else exc!r}",
        ) from exc
    _session.sparkContext.setLogLevel(os.environ.get("JINCAI_SPARK_LOG_LEVEL", "OFF"))
    return _session


#: SQL settings every run's session must have (see the module doc), whoever created the session
RUN_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


def run_session(master: str | None = None) -> Any:
    """A new session of the process's SparkContext for one run: its own temporary views, our settings."""
    spark = session(master).newSession()
    for key, value in RUN_CONF.items():
        spark.conf.set(key, value)
    return spark


def jvm_peak_rss_bytes() -> int | None:
    """The peak resident memory of this session's JVM (local mode: a child of this process)."""
    if _session is None:
        return None
    try:
        pid = _session.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, AttributeError):
        return None
    return None
