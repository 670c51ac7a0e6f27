"""A short, fixed-seed run of the fuzzing harness (``make fuzz`` runs 5,000 cases).

Every seed goes through unmutated first, then mutations of it; each case runs the real CLI in a
forked sandbox (``benchmarks/fuzz.py``). The invariants are the hardening issue's: no jincai bug
(exit 3), no hang, no memory over the limit, no silent loss, no personal data in full, no live
formula, nothing touched outside the case's folder. A finding names its case, which
``python -m benchmarks.fuzz --count N --seed S`` reproduces.

The campaign runs in a fresh interpreter: forking the test process itself, after earlier tests
started thread pools (polars, DuckDB, gRPC), can leave a child holding a lock no thread will free.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from benchmarks import fuzz

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def test_fuzz_short_campaign_breaks_no_invariant(tmp_path):
    seeds = len(fuzz.corpus(Path(tempfile.mkdtemp(dir=tmp_path))))
    out = tmp_path / "fuzz.json"
    # every seed as shipped, then as many mutations again; a generous time limit (CI machines are shared)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.fuzz", "--count", str(2 * seeds), "--seed", "20261204", "--timeout", "180",
                           "--jobs", "1", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert out.is_file(), f"the campaign wrote no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["cases"] == 2 * seeds and sum(result["exit_codes"].values()) == 2 * seeds
    broken = {k: v for k, v in result["invariants"].items() if v}
    assert not broken and proc.returncode == 0, json.dumps(result["findings"][:10], ensure_ascii=False, indent=1)


def test_a_case_not_yet_in_its_own_group_is_measured_alone():
    """Until a case's setsid() its process group is the caller's; the harness once summed pytest's
    RSS into a case that had not started and killed it "for memory" (CI, 2026-12-04)."""
    held = bytearray(256 << 20)  # make the caller's group clearly bigger than any lone child
    held[:: 4096] = b"\1" * len(held[:: 4096])
    child = subprocess.Popen(["sleep", "30"])  # same process group as this test
    try:
        assert fuzz._rss_mib(child.pid) < 64
    finally:
        child.kill()
        child.wait()
        del held
