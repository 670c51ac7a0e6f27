"""The per-record path for small submissions (issue 11): one process-wide DuckDB, a cursor per call.

Calls at the same time (the gateway's threads) and calls in a forked child must each see their own
issues only — a cursor's temporary tables are its own, and a child never uses its parent's DuckDB.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

from jincai import paths
from jincai.validation.engine import validate

PV = paths.VALIDATORS / "fixtures" / "record.payment-before-doc-date" / "pass" / "payment_voucher.jsonl"


def _submissions(tmp_path: Path) -> tuple[Path, Path]:
    rec = json.loads(PV.read_text(encoding="utf-8").splitlines()[0])
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "payment_voucher.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [dict(rec, pay_amt="1.234"), rec, dict(rec, pay_amt="12")]
    (bad / "payment_voucher.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return good, bad


def _found(folder: Path) -> tuple:
    return tuple(sorted((i.rule, i.row) for i in validate([folder], path="record").issues))


def test_per_record_calls_in_threads_see_only_their_own_issues(tmp_path):
    good, bad = _submissions(tmp_path)
    want = {"good": _found(good), "bad": _found(bad)}
    assert want["good"] == () and want["bad"] == (("field.money-format", 1), ("field.money-format", 3))
    seen: dict[str, set] = {"good": set(), "bad": set()}

    def run(name: str, folder: Path) -> None:
        for _ in range(15):
            seen[name].add(_found(folder))

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in (("good", good), ("bad", bad)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"good": {want["good"]}, "bad": {want["bad"]}}


def _child(folder: str, out) -> None:
    out.put(_found(Path(folder)))


def test_per_record_path_in_a_forked_child(tmp_path):
    good, bad = _submissions(tmp_path)
    parent = _found(bad)  # the parent has opened its DuckDB
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(str(bad), q))
    p.start()
    got = q.get(timeout=120)
    p.join(timeout=120)
    assert p.exitcode == 0 and got == parent
