"""Report periods and the region hierarchy they are consolidated over.

A period is ``YYYY-MM`` (月报, report_period_code 2, period_no = month) or ``YYYY-MM-Dn`` (旬报, code
1, period_no = (month − 1) × 3 + n). The hierarchy is the ``mof_div`` code list as valid on the
period's last day: a region's subordinates are its children there, so a county merged or created
during the years is counted where it belonged at the time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jincai.codelists import registry
from jincai.errors import JincaiError

_PERIOD = re.compile(r"(?P<y>[0-9]{4})-(?P<m>0[1-9]|1[0-2])(-D(?P<d>[123]))?")


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    dekad: int | None  # 1..3 within the month, None for a monthly report

    @property
    def report_period_code(self) -> str:
        return "2" if self.dekad is None else "1"

    @property
    def period_no(self) -> int:
        return self.month if self.dekad is None else (self.month - 1) * 3 + self.dekad

    @property
    def text(self) -> str:
        return f"{self.year}-{self.month:02d}" + (f"-D{self.dekad}" if self.dekad else "")

    @property
    def last_day(self) -> date:
        end = {1: 10, 2: 20}.get(self.dekad or 0, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, end)

    def label(self, period_no: int) -> str:
        """The text of another period of the same kind in the year (e.g. the previous one)."""
        if self.dekad is None:
            return f"{self.year}-{period_no:02d}"
        return f"{self.year}-{(period_no - 1) // 3 + 1:02d}-D{(period_no - 1) % 3 + 1}"

    def covered_by(self, submitted: str, period_no: int) -> bool:
        """Does a data version of submission period ``submitted`` hold the ledger of ``period_no``?"""
        if submitted == str(self.year):
            return True
        month = period_no if self.dekad is None else (period_no - 1) // 3 + 1
        if submitted == f"{self.year}-{month:02d}":
            return True
        return self.dekad is not None and submitted == self.label(period_no)


def parse_period(text: str) -> Period:
    m = _PERIOD.fullmatch(text or "")
    if not m:
        raise JincaiError(
            "datacenter-period", f"期间 {text!r} 须为 YYYY-MM（月报）或 YYYY-MM-Dn（旬报，n=1..3）",
            f"period {text!r} must be YYYY-MM (monthly) or YYYY-MM-Dn (10-day, n = 1..3)", "--period",
        )  # fmt: skip
    return Period(int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None)


@dataclass(frozen=True)
class Tree:
    root: str
    on: date
    parent: dict[str, str]  # region → parent, for every region in the subtree but the root
    names: dict[str, str]

    @property
    def regions(self) -> list[str]:
        return [self.root, *sorted(self.parent)]

    def children(self, region: str) -> list[str]:
        return sorted(c for c, p in self.parent.items() if p == region)

    def below(self, region: str) -> list[str]:
        """Every region under ``region`` (not itself)."""
        out, todo = [], self.children(region)
        while todo:
            c = todo.pop()
            out.append(c)
            todo += self.children(c)
        return sorted(out)


def tree(root: str, on: date) -> Tree:
    """``root`` and every region below it, as the ``mof_div`` code list had them on ``on``."""
    mof = registry().get("mof_div")
    rows = {r.code: r for r in mof.rows_valid(on=on)}
    if root not in rows:
        raise JincaiError(
            "datacenter-region", f"区划 {root} 在 {on} 不是有效的财政区划", f"region {root} is not a valid fiscal region on {on}", "--region",
        )  # fmt: skip
    kids: dict[str, list[str]] = {}
    for r in rows.values():
        if r.parent:
            kids.setdefault(r.parent, []).append(r.code)
    parent, todo = {}, [root]
    while todo:
        c = todo.pop()
        for k in kids.get(c, ()):
            parent[k] = c
            todo.append(k)
    return Tree(root, on, parent, {c: rows[c].name_zh for c in [root, *parent]})


def json_ready(v: Any) -> Any:
    """A result as JSON data: money as exact decimal text (never a float), containers walked."""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dict):
        return {k: json_ready(x) for k, x in v.items()}
    if isinstance(v, list):
        return [json_ready(x) for x in v]
    return v
