"""Shared test settings.

Hypothesis profiles: ``dev`` (default, quick) and ``ci`` (selected automatically when CI is set,
more examples). Tests that need PostgreSQL read ``JINCAI_PG_DSN`` (``make test`` starts a server).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
