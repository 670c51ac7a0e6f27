"""A short, fixed-seed run of the fuzzing harness (``make fuzz`` runs 5,000 cases).

Every seed goes through unmutated first, then mutations of it; each case runs the real CLI in a
forked sandbox (``benchmarks/fuzz.py``). The invariants are the hardening issue's: no jincai bug
(exit 3), no hang, no memory over the limit, no silent loss, no personal data in full, no live
formula, nothing touched outside the case's folder. A finding names its case, which
``python -m benchmarks.fuzz --count N --seed S`` reproduces.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import fuzz

pytestmark = pytest.mark.slow


def test_fuzz_short_campaign_breaks_no_invariant(tmp_path):
    seeds = len(fuzz.corpus(tmp_path / "corpus"))
    # every seed as shipped, then as many mutations again
    result = fuzz.campaign(2 * seeds, seed=20261204, timeout=60.0, max_rss_mib=1024.0, work=tmp_path / "work", keep=None, progress=False, jobs=1)
    assert result["cases"] == 2 * seeds
    assert sum(result["exit_codes"].values()) == 2 * seeds
    broken = {k: v for k, v in result["invariants"].items() if v}
    assert not broken, json.dumps(result["findings"][:10], ensure_ascii=False, indent=1)
