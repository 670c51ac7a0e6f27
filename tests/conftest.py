"""Shared test settings.

Hypothesis profiles: ``dev`` (default, quick) and ``ci`` (selected automatically when CI is set,
more examples). Tests that need PostgreSQL read ``JINCAI_PG_DSN`` (``make test`` starts a server);
tests that need Apache Spark take the ``spark`` fixture (the process's one SparkSession).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def spark():
    """The process's SparkSession. Without PySpark or Java: skipped on a developer machine, a
    FAILURE in CI (``CI`` set), so a missing engine is never silent there."""
    from jincai.spark import session

    if not session.available():
        if os.environ.get("CI"):
            pytest.fail("PySpark 未安装：CI 中必须运行 Spark 测试 / PySpark is missing: CI must run the Spark tests")
        pytest.skip("PySpark not installed (pip install -e '.[spark]')")
    return session.session()
