"""Crash test: concurrent clients while the gateway is SIGKILLed at random moments and restarted
without any repair step. After the run every acknowledged submission is present and complete, no
partial submission is visible, and the audit chain is intact — on both stores. CI runs a handful of
kills per store; ``benchmarks/bench_gateway.py`` runs at least 100.
"""

from __future__ import annotations

import pytest

from gateway_harness import crash_run, make_sample

KILLS = 4


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_sample(tmp_path_factory.mktemp("crash-sample") / "baoding")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_sigkill_loses_no_acknowledged_submission_and_leaves_nothing_partial(tmp_path, sample, kind):
    result = crash_run(tmp_path, sample, kind, kills=KILLS, seed=7)
    assert result["acknowledged"] > 0, result
    assert result["lost_acknowledged"] == [], result
    assert result["integrity_problems"] == [], result
    assert result["client_errors"] == [], result
    assert result["audit_problems"] == [], result
    assert result["stored_submissions"] >= result["acknowledged"]
