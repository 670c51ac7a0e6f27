"""``results.csv`` (one row per case) and ``coverage.csv`` (requirement → cases → status).

Cells that a spreadsheet would take for a formula are neutralised (a leading apostrophe), since
reasons can quote what a product answered."""

from __future__ import annotations

import csv
from pathlib import Path

from jincai.conformance.model import Results
from jincai.conformance.suite import LoadedSuite


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: spreadsheets open it as UTF-8
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows([[_safe(v) for v in row] for row in rows])
    return path


def write_results(results: Results, path: Path) -> Path:
    header = ["编号 number", "用例 case", "模块 module", "配置档 profile", "必测 required", "状态 status", "原因 reason", "秒 seconds", "需求 requirements"]
    rows = [[r.number, r.id, r.module, r.profile, "yes" if r.required else "no", r.status, r.reason, r.seconds, " ".join(r.requirements)] for r in results.cases]
    return _write(path, header, rows)


def coverage_rows(results: Results, suite: LoadedSuite) -> list[list]:
    """Every requirement: the suite's active cases that cover it, and their status in this run."""
    ran = {r.id: r.status for r in results.cases}
    covering: dict[str, list[str]] = {}
    for c in suite.cases:
        if c.case.status == "active":
            for req in c.case.requirements:
                covering.setdefault(req, []).append(c.case.id)
    rows = []
    for req in sorted(suite.requirements.values(), key=lambda r: r.id):
        cases = sorted(covering.get(req.id, []))
        statuses = [ran[c] for c in cases if c in ran]
        summary = " ".join(f"{s}:{statuses.count(s)}" for s in ("pass", "fail", "error", "skip", "xfail") if statuses.count(s))
        rows.append([req.id, req.level, req.clause, " ".join(req.actors), len(cases), summary or "not in this run", " ".join(cases[:20]) + (" …" if len(cases) > 20 else ""), req.untested_reason_en or ""])
    return rows


def write_coverage(results: Results, suite: LoadedSuite, path: Path) -> Path:
    header = ["需求 requirement", "级别 level", "条款 clause", "角色 actors", "用例数 cases", "本次状态 status in this run", "用例 case ids", "未测原因 untested reason"]
    return _write(path, header, coverage_rows(results, suite))
