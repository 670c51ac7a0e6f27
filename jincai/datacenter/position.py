"""财政实时状况 The fiscal position of a region (and everything below it) as of a moment.

Two clocks, both at ``as_of``: the store's history (the data as it stood then — a correction
committed later does not change the answer) and the business dates (an indicator, adjustment,
payment, clearing or receipt dated after ``as_of``'s date is not yet in the position). The figures
come from ``datacenter/sql/position_indicators.sql`` and ``revenue_by_day.sql``; the roll-ups over
regions, fund types and classifications here are Decimal sums of their rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from jincai.datacenter import queries
from jincai.datacenter.hierarchy import json_ready, tree
from jincai.errors import JincaiError

ZERO = Decimal("0.00")
CHINA = timezone(timedelta(hours=8))
AMOUNTS = ("amount", "adjusted", "paid", "cleared", "not_cleared", "available")


@dataclass
class Figures:
    amount: Decimal = ZERO  # 指标数 indicator amounts
    adjusted: Decimal = ZERO  # 调整 adjustments
    paid: Decimal = ZERO  # 已支付 payments
    cleared: Decimal = ZERO  # 已清算 cleared
    not_cleared: Decimal = ZERO  # 未清算 not yet cleared
    available: Decimal = ZERO  # 可用余额 available balance
    indicators: int = 0
    payments: int = 0

    def add(self, row: dict) -> None:
        for name in AMOUNTS:
            setattr(self, name, getattr(self, name) + Decimal(row[name]))
        self.indicators += int(row["indicator_known"])
        self.payments += int(row["payments"])


@dataclass
class Group:
    mof_div_code: str  # a region, or "" for the roll-up
    fund_type_code: str
    exp_func_code: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class IndicatorRow:
    mof_div_code: str
    bgt_id: str
    fund_type_code: str
    exp_func_code: str
    known: bool  # False: payments citing an indicator that is not in the data
    figures: Figures


@dataclass
class RevenueDay:
    day: str
    tax: Decimal = ZERO
    non_tax: Decimal = ZERO
    total: Decimal = ZERO
    records: int = 0


@dataclass
class Position:
    mof_div_code: str
    region_name: str
    as_of: str
    as_of_date: str
    regions: list[str]
    total: Figures
    by_region: dict[str, Figures]
    by_fund_type: dict[str, Figures]
    by_classification: dict[str, Figures]
    by_fund_and_classification: list[Group]
    indicators: list[IndicatorRow]
    revenue_by_day: list[RevenueDay]
    revenue_total: Decimal
    names: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return json_ready(asdict(self))


def parse_as_of(text: str | None) -> datetime:
    """RFC 3339 with an offset (``2026-12-04T10:00:00+08:00``), or a date (its end, UTC+8); None = now."""
    if not text:
        return datetime.now(timezone.utc)
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime(d.year, d.month, d.day, 23, 59, 59, 999999, tzinfo=CHINA)
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        t = None
    if t is None or t.tzinfo is None:
        raise JincaiError(
            "datacenter-as-of", f"时点 {text!r} 须为带时区的 RFC 3339 时间（如 2024-06-30T18:00:00+08:00）或日期",
            f"as-of {text!r} must be an RFC 3339 time with an offset (e.g. 2024-06-30T18:00:00+08:00) or a date", "--as-of",
        )  # fmt: skip
    return t


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise JincaiError("datacenter-date", f"业务日期 {text!r} 须为 YYYY-MM-DD", f"business date {text!r} must be YYYY-MM-DD", "--date") from None


def position(
    store, region: str, as_of: datetime | None = None, fiscal_year: int | None = None, with_indicators: bool = False, on: date | None = None
) -> Position:
    """``as_of``: the store's moment (default now); ``on``: the business date cut-off (default
    ``as_of``'s date in China); ``fiscal_year``: default ``on``'s year."""
    at = store.as_of(as_of) if hasattr(store, "as_of") else as_of or datetime.now(timezone.utc)  # an export: its own moment
    day = on or at.astimezone(CHINA).date()
    year = fiscal_year or day.year
    t = tree(region, min(day, date(year, 12, 31)))
    params = queries.Params(at, year, tuple(t.regions), day)
    total = Figures()
    by_region: dict[str, Figures] = defaultdict(Figures)
    by_fund: dict[str, Figures] = defaultdict(Figures)
    by_cls: dict[str, Figures] = defaultdict(Figures)
    by_both: dict[tuple[str, str], Figures] = defaultdict(Figures)
    indicators = []
    for r in queries.run(store, "position_indicators", params):
        fund, cls = r["fund_type_code"] or "", r["exp_func_code"] or ""
        for f in (total, by_region[r["mof_div_code"]], by_fund[fund], by_cls[cls], by_both[(fund, cls)]):
            f.add(r)
        if with_indicators:
            one = Figures()
            one.add(r)
            indicators.append(IndicatorRow(r["mof_div_code"], r["bgt_id"] or "", fund, cls, bool(r["indicator_known"]), one))
    days: dict[str, RevenueDay] = {}
    revenue_total = ZERO
    for r in queries.run(store, "revenue_by_day", params):
        d = days.setdefault(str(r["day"]), RevenueDay(str(r["day"])))
        amt = Decimal(r["amount"])
        setattr(d, r["source"], getattr(d, r["source"]) + amt)
        d.total += amt
        d.records += int(r["records"])
        revenue_total += amt
    indicators.sort(key=lambda i: (i.mof_div_code, i.bgt_id))
    return Position(
        t.root, t.names[t.root], at.astimezone(timezone.utc).isoformat(timespec="microseconds"), day.isoformat(), t.regions, total,
        dict(sorted(by_region.items())), dict(sorted(by_fund.items())), dict(sorted(by_cls.items())),
        [Group("", f, c, v) for (f, c), v in sorted(by_both.items())], indicators,
        [days[k] for k in sorted(days)], revenue_total, dict(t.names),
    )  # fmt: skip
