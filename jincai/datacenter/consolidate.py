"""旬报/月报的汇总与核对 The consolidated 10-day / monthly report of a region, and its checks.

For a region R and a period P, as the store stood at a moment:

* each region's own-level report (本级) is computed from its ledger (``datacenter/sql/ledger.sql``
  with the rules of ``datacenter/rules.yaml``); R's consolidated report (汇总) = R's own level + the
  own levels of every region below it (the ``mof_div`` hierarchy valid on P's last day);
* what each region submitted (``fiscal_report``/``fiscal_report_line``) is compared with
  - its ledger (``ledger``: own-level lines, this period and — when every period of the year so far
    is in the store — year to date),
  - the sum of its subordinates (``subordinates``: a consolidated report = its own submitted report
    + each direct subordinate's consolidated report, or its own-level one when it has none),
  - its previous period (``ytd``: this period's YTD = the previous period's YTD + this period);
  every difference is reported to the fen with region, period, check, scope and classification line;
* regions that have not submitted the ledger or a report for P are listed (``missing``), never
  counted as zero; a check that would need them is not made, and the consolidation says whether it
  is complete.

The arithmetic over the query results is Decimal; the scans and sums over records are the SQL's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from jincai.datacenter import queries
from jincai.datacenter.hierarchy import Period, Tree, json_ready, parse_period, tree

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
SCOPE_OWN, SCOPE_CONSOLIDATED = "1", "2"
Key = tuple[str, str]  # (kind, classification code)


@dataclass
class Line:
    kind: str
    classification: str
    own_cur: Decimal = ZERO  # the region's own level, from its ledger
    own_ytd: Decimal = ZERO
    below_cur: Decimal = ZERO  # every region below it, from their ledgers
    below_ytd: Decimal = ZERO
    total_cur: Decimal = ZERO  # consolidated = own + below
    total_ytd: Decimal = ZERO
    submitted_cur: Decimal | None = None  # the region's submitted consolidated (or own-level) report
    submitted_ytd: Decimal | None = None


@dataclass
class Difference:
    mof_div_code: str
    region_name: str
    period: str
    check: str  # ledger | subordinates | ytd
    scope: str  # 1 own level, 2 consolidated
    kind: str
    classification: str
    field: str  # cur_period_amt | ytd_amt
    submitted: Decimal
    expected: Decimal
    difference: Decimal


@dataclass
class Missing:
    mof_div_code: str
    region_name: str
    period: str
    what: str  # ledger | ledger_ytd | report | consolidated_report | previous_report
    message_zh: str
    message_en: str


@dataclass
class Consolidation:
    mof_div_code: str
    region_name: str
    period: str
    as_of: str
    regions: list[str]
    complete: bool  # every region's ledger for the period is in the store
    lines: list[Line] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    def as_json(self) -> dict:
        return json_ready(asdict(self))


WHAT = {
    "ledger": ("未报送本期总会计账", "has not submitted its ledger for the period"),
    "ledger_ytd": ("本年以前期间的总会计账不全，本年累计未核对", "the ledger of earlier periods of the year is incomplete; year to date not checked"),
    "report": ("未报送本期本级报表", "has not submitted its own-level report for the period"),
    "consolidated_report": ("未报送本期汇总报表", "has not submitted its consolidated report for the period"),
    "previous_report": ("未报送上一期报表，本年累计连续性未核对", "has not submitted the previous period's report; year-to-date continuity not checked"),
}


def consolidate(store, region: str, period: str | Period, as_of: datetime | None = None) -> Consolidation:
    p = parse_period(period) if isinstance(period, str) else period
    at = store.as_of(as_of) if hasattr(store, "as_of") else as_of or datetime.now(timezone.utc)  # an export: its own moment
    t = tree(region, p.last_day)
    params = queries.Params(at, p.year, tuple(t.regions), None, p.report_period_code, p.period_no)
    ledger = _ledger(queries.run(store, "ledger", params))
    reports = _reports(queries.run(store, "submitted_reports", params))
    coverage: dict[str, set[str]] = defaultdict(set)
    for r in queries.run(store, "coverage", params):
        if int(r["entities"]) == 2:
            coverage[r["mof_div_code"]].add(r["period"])
    return _assemble(t, p, at, ledger, reports, coverage)


def _ledger(rows: list[dict]) -> dict[str, dict[Key, tuple[Decimal, Decimal]]]:
    out: dict[str, dict[Key, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for r in rows:
        out[r["mof_div_code"]][(r["kind"], r["cls"])] = (Decimal(r["cur_period_amt"]), Decimal(r["ytd_amt"]))
    return out


def _reports(rows: list[dict]) -> dict[tuple[str, str, int], dict[Key, tuple[Decimal, Decimal]]]:
    """(region, scope, period_no) → lines; a report without lines is present and empty."""
    out: dict[tuple[str, str, int], dict[Key, tuple[Decimal, Decimal]]] = {}
    for r in rows:
        lines = out.setdefault((r["mof_div_code"], r["scope"], int(r["period_no"])), {})
        if r["line_no"] is not None and r["kind"] is not None:
            key = (r["kind"], r["cls"])
            cur, ytd = lines.get(key, (ZERO, ZERO))  # a classification on two lines counts once, summed
            lines[key] = (cur + Decimal(r["cur_period_amt"]), ytd + Decimal(r["ytd_amt"]))
    return out


def _level(own: dict[Key, tuple[Decimal, Decimal]]) -> dict[Key, tuple[Decimal, Decimal]]:
    """Full classification codes → the report's line level (rules: level_digits)."""
    rules = queries.rules()
    out: dict[Key, tuple[Decimal, Decimal]] = {}
    for (kind, code), (cur, ytd) in own.items():
        key = (kind, code[: rules.rule(kind).level_digits])
        a, b = out.get(key, (ZERO, ZERO))
        out[key] = (a + cur, b + ytd)
    return out


def _prefix_sum(own: dict[Key, tuple[Decimal, Decimal]], kind: str, prefix: str) -> tuple[Decimal, Decimal]:
    cur = ytd = ZERO
    for (k, code), (c, y) in own.items():
        if k == kind and code.startswith(prefix):
            cur, ytd = cur + c, ytd + y
    return cur, ytd


def _order(keys) -> list[Key]:
    kinds = [r.kind for r in queries.rules().report_lines]
    return sorted(keys, key=lambda k: (kinds.index(k[0]) if k[0] in kinds else len(kinds), k[1]))


def _assemble(t: Tree, p: Period, at: datetime, ledger, reports, coverage) -> Consolidation:
    pno = p.period_no
    c = Consolidation(t.root, t.names[t.root], p.text, at.astimezone(timezone.utc).isoformat(timespec="microseconds"), t.regions, True)

    def miss(region: str, what: str, period: str | None = None, extra: str = "") -> None:
        zh, en = WHAT[what]
        c.missing.append(Missing(region, t.names[region], period or p.text, what, zh + extra, en + extra))

    def diff(region: str, check: str, scope: str, key: Key, fld: str, submitted: Decimal, expected: Decimal) -> None:
        if submitted != expected:
            c.differences.append(Difference(region, t.names[region], p.text, check, scope, key[0], key[1], fld, submitted, expected, (submitted - expected).quantize(FEN)))

    # 1. whose ledger is in the store: this period, and every period of the year so far
    has_cur, has_ytd = set(), set()
    for region in t.regions:
        subs = coverage.get(region, set())
        if any(p.covered_by(s, pno) for s in subs):
            has_cur.add(region)
            gaps = [n for n in range(1, pno) if not any(p.covered_by(s, n) for s in subs)]
            if gaps:
                miss(region, "ledger_ytd", extra=f"：{', '.join(p.label(n) for n in gaps)}")
            else:
                has_ytd.add(region)
        else:
            miss(region, "ledger")
            c.complete = False

    # 2. the consolidated report from the ledgers
    level = {r: _level(ledger.get(r, {})) for r in t.regions if r in has_cur}
    lines: dict[Key, Line] = {}
    for region, own in level.items():
        for key, (cur, ytd) in own.items():
            line = lines.setdefault(key, Line(*key))
            if region == t.root:
                line.own_cur, line.own_ytd = line.own_cur + cur, line.own_ytd + ytd
            else:
                line.below_cur, line.below_ytd = line.below_cur + cur, line.below_ytd + ytd
    root_scope = SCOPE_CONSOLIDATED if t.children(t.root) else SCOPE_OWN
    submitted_root = reports.get((t.root, root_scope, pno))
    for key in submitted_root or {}:
        lines.setdefault(key, Line(*key))
    for key, line in lines.items():
        line.total_cur, line.total_ytd = line.own_cur + line.below_cur, line.own_ytd + line.below_ytd
        if submitted_root is not None:
            line.submitted_cur, line.submitted_ytd = submitted_root.get(key, (ZERO, ZERO))
    c.lines = [lines[k] for k in _order(lines)]

    for region in t.regions:
        own_report = reports.get((region, SCOPE_OWN, pno))
        # 3. submitted own level vs ledger
        if own_report is None:
            miss(region, "report")
        elif region in has_cur:
            own = ledger.get(region, {})
            keys = set(own_report)
            for key in level.get(region, {}):
                if not any(k[0] == key[0] and (k[1].startswith(key[1]) or key[1].startswith(k[1])) for k in own_report):
                    keys.add(key)
            for key in _order(keys):
                sub_cur, sub_ytd = own_report.get(key, (ZERO, ZERO))
                exp_cur, exp_ytd = _prefix_sum(own, *key)
                diff(region, "ledger", SCOPE_OWN, key, "cur_period_amt", sub_cur, exp_cur)
                if region in has_ytd:
                    diff(region, "ledger", SCOPE_OWN, key, "ytd_amt", sub_ytd, exp_ytd)
        # 4. submitted consolidated vs own + subordinates' submitted reports
        kids = t.children(region)
        if kids:
            cons = reports.get((region, SCOPE_CONSOLIDATED, pno))
            if cons is None:
                miss(region, "consolidated_report")
            else:
                parts = [own_report]
                for k in kids:
                    part = reports.get((k, SCOPE_CONSOLIDATED, pno)) if t.children(k) else None
                    parts.append(part if part is not None else reports.get((k, SCOPE_OWN, pno)))
                if all(x is not None for x in parts):
                    expected: dict[Key, tuple[Decimal, Decimal]] = {}
                    for part in parts:
                        for key, (cur, ytd) in part.items():
                            a, b = expected.get(key, (ZERO, ZERO))
                            expected[key] = (a + cur, b + ytd)
                    for key in _order(set(cons) | set(expected)):
                        sub_cur, sub_ytd = cons.get(key, (ZERO, ZERO))
                        exp_cur, exp_ytd = expected.get(key, (ZERO, ZERO))
                        diff(region, "subordinates", SCOPE_CONSOLIDATED, key, "cur_period_amt", sub_cur, exp_cur)
                        diff(region, "subordinates", SCOPE_CONSOLIDATED, key, "ytd_amt", sub_ytd, exp_ytd)
        # 5. year-to-date continuity of each submitted report
        for scope in (SCOPE_OWN, SCOPE_CONSOLIDATED):
            rep = reports.get((region, scope, pno))
            if rep is None:
                continue
            if pno == 1:
                prev: dict[Key, tuple[Decimal, Decimal]] | None = {}
            else:
                prev = reports.get((region, scope, pno - 1))
                if prev is None:
                    if scope == SCOPE_OWN:
                        miss(region, "previous_report", p.label(pno - 1))
                    continue
            for key in _order(set(rep) | set(prev)):
                cur, ytd = rep.get(key, (ZERO, ZERO))
                diff(region, "ytd", scope, key, "ytd_amt", ytd, prev.get(key, (ZERO, ZERO))[1] + cur)
    return c
