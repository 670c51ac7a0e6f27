"""The business chain of one fiscal region for one year (DOMAIN.md §2), streamed to part files.

One ``RegionJob`` → one ``RegionGenerator.run()`` (in a worker process) → one ``RegionResult``.
Budget units are generated one after another; only the current unit's state (its people, its
indicators, their payment schedules) is held, plus small per-region accumulators (bank clearing per
agent bank per day, the ledger per 10-day period and 类, record counts and money totals).

Per budget unit (``agency``), in chain order:

1. ``agency`` and ``agency_basic_data`` (staff, approved office area, vehicles).
2. ``dept_budget_line``: personnel lines (exp_category 1, quotas RY01–RY05 → 301xx) and public-expense
   lines (2, quotas GY01–GY05 → 302xx) computed as quantity × quota_value, rounded half up to the
   fen (C15) and citing ``quota_code`` and ``quantity``; 0–3 project lines (3, ``pro_code``).
3. ``budget_indicator``: one per budget line (source_type 1, same unit, classifications and fund
   nature, doc_date early in the year), sometimes a transfer indicator (source_type 2).
4. ``indicator_adjustment``: some indicators get a supplement (追加, +) or a reduction (调减, −);
   a reduction never takes an indicator below what is spent, and spending above the original amount
   only happens on or after the supplement's date.
5. ``spending_plan``: 12 months per indicator; each month's plan covers that month's (positive)
   payments and the plans of an indicator add up to its amount after adjustments.
6. ``payment_request`` → ``payment_voucher`` (1:1, the indicator's classifications) →
   ``payment_detail`` (1..n lines summing to the voucher; subsidies to persons with ``per_name``,
   ``iden_no`` and a ``town_code`` of the county). Direct payments (pay_type 1) are paid from the
   treasury account; authorised payments (2) from the unit's zero-balance account and cleared per
   agent bank per day (``bank_clearing``; the voucher carries ``clear_id`` and ``act_lqd_date``).
   A few direct payments are reversed in full later (``is_reversal`` true, negative amounts, the
   reversal's ``use_des`` names the original voucher).
7. ``payroll_record`` per person per month (net = gross − deductions, gross booked to 30101) paid by
   a monthly payroll voucher whose amount is the month's net total of the unit.
8. ``accounting_voucher`` + lines for every payment voucher: Dr 5001 (with the voucher's exp_func,
   fund nature and dep_bgt_eco), Cr 1001 国库存款; reversals in red ink (negative amounts).

Per region, after the units: ``tax_receipt`` (a few refunds as reversals), ``non_tax_payment`` +
lines, each with its accounting voucher (Dr 1001, Cr 4001/4002 with rev_class), and ``bank_clearing``.
Reports are built by the main process from the ledger totals returned here (``ledger``).
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jincai.identifiers import make_citizen_id, make_orgcode, make_uscc
from jincai.sample import defects as D
from jincai.sample import names
from jincai.sample.defects import DefectSpec
from jincai.sample.codes import Region, Tables
from jincai.sample.writers import Sink, compile_entity, fen
from jincai.standard import standard

#: entities written by the region workers (the others are built by the main process)
WORKER_ENTITIES = (
    "agency",
    "agency_basic_data",
    "expense_quota",
    "dept_budget_line",
    "budget_indicator",
    "indicator_adjustment",
    "spending_plan",
    "payment_request",
    "payment_voucher",
    "payment_detail",
    "bank_clearing",
    "payroll_record",
    "tax_receipt",
    "non_tax_payment",
    "non_tax_payment_line",
    "accounting_voucher",
    "accounting_voucher_line",
)

UNITS_PER_DEPT = 5
TAX_PER_UNIT = 15  # tax receipts per budget unit of the region (before refunds)
NONTAX_PER_UNIT = 4  # non-tax payment notices per budget unit of the region
MAX_SCALE = 4000

_COMPILED: dict[str, Any] = {}


def compiled(entity_id: str):
    c = _COMPILED.get(entity_id)
    if c is None:
        c = _COMPILED[entity_id] = compile_entity(standard().entity(entity_id))
    return c


@dataclass
class RegionJob:
    region: Region
    tables: Tables
    year: int
    scale: int
    seed: int
    fmt: str
    part_dir: str
    defects: list[DefectSpec] = field(default_factory=list)


@dataclass
class RegionResult:
    index: int
    counts: dict[str, int]
    hashes: dict[str, str]
    totals: dict[str, dict[str, int]]
    parts: dict[str, str]
    ledger_exp: dict[tuple[int, str], int]  # (dekad 1-36, 类) → fen, Σ(dr − cr) of lines with exp_func
    ledger_rev: dict[tuple[int, str], int]  # (dekad, 类) → fen, Σ(cr − dr) of lines with rev_class
    fired: list[dict]
    unplaced: list[int]


@dataclass
class Ind:
    """One budget indicator while its unit is generated."""

    bgt_id: str
    kind: str  # payroll | personnel | public | project | transfer
    exp: str
    dep: str
    gov: str
    eco_name: str
    pay_type: str
    fund: str
    amount: int
    doc: int  # doc_date ordinal
    pro_code: str | None = None
    pro_name: str | None = None
    source: str = "1"
    subsidy: bool = False
    adj: int = 0
    adj_date: int = 0
    adj_id: str | None = None
    sched: list = field(default_factory=list)  # [ord, amt, tag, extra]
    defect: DefectSpec | None = None


class RegionGenerator:
    def __init__(self, job: RegionJob):
        self.job = job
        r = self.region = job.region
        self.t = job.tables
        self.year = y = job.year
        self.fy = str(y)
        self.div = r.mof_div_code
        self.seed = job.seed
        self.n_units = job.scale
        self.short = names.short_region(r.name)
        self.Y0 = date(y, 1, 1).toordinal()
        self.YE = date(y, 12, 31).toordinal()
        base = self.Y0 - 40
        self._base = base
        days = [date.fromordinal(o) for o in range(base, self.YE + 60)]
        self._ds = [d.isoformat() for d in days]
        self._month = [d.month if d.year == y else (0 if d.year < y else 13) for d in days]
        self._dekad = [((d.month - 1) * 3 + min(2, (d.day - 1) // 10) + 1) for d in days]
        # banks of the region: (cnaps, bank name, branch name)
        brng = self._rng("banks")
        self.banks = []
        for k, (prefix, bank) in enumerate(names.BANKS):
            digits = f"{prefix}{r.code6[2:6]}0{k + 1:03d}"
            check = sum(int(c) for c in digits) % 10
            self.banks.append((digits + str(check), names.branch_name(bank, self.short, brng)))
        self.treasury = (f"{self.short}财政局", f"{r.code6}0000000001", f"国家金库{self.short}支库")
        self.nontax_acct = f"{r.code6}0000000002"
        self._companies: dict[int, tuple] = {}
        self.n_companies = 40 + 2 * job.scale
        self.special = {
            "30108": (f"{self.short}社会保险事业服务中心", f"{r.code6}0000000011", self.banks[0][1]),
            "30113": (f"{self.short}住房公积金管理中心", f"{r.code6}0000000012", self.banks[3][1]),
            "subsidy": (f"{self.short}惠民补贴资金代发户", f"{r.code6}0000000013", self.banks[1][1]),
        }
        # accumulators
        self.clearing: dict[tuple[int, str], list] = {}
        self.ledger_exp: dict[tuple[int, str], int] = {}
        self.ledger_rev: dict[tuple[int, str], int] = {}
        self.acct_seq = 0
        self.fired: list[dict] = []
        # defects
        self.by_agency: dict[int, list[DefectSpec]] = {}
        self.region_defects: list[DefectSpec] = []
        for d in job.defects:
            if d.agency is not None:
                self.by_agency.setdefault(d.agency, []).append(d)
            else:
                self.region_defects.append(d)
        self.protect = False  # True while writing the records of a business defect
        self.reversed_once = False

    # ------------------------------------------------------------------------------------------
    def _rng(self, *stream) -> random.Random:
        return random.Random("|".join([str(self.seed), self.region.code6, self.fy, *map(str, stream)]))

    def ds(self, o: int) -> str:
        return self._ds[o - self._base]

    def month(self, o: int) -> int:
        return self._month[o - self._base]

    def dekad(self, o: int) -> int:
        return self._dekad[o - self._base]

    def ymd(self, m: int, d: int) -> int:
        return date(self.year, m, d).toordinal()

    def company(self, k: int) -> tuple[str, str, str, str]:
        c = self._companies.get(k)
        if c is None:
            rng = self._rng("company", k)
            name = names.company_name(rng, self.short)
            body = f"{int(self.region.code6) % 1000:03d}9{k:04d}"  # units use 0xxxx: distinct org codes
            uscc = make_uscc("91", self.region.code6, body)
            bank = self.banks[rng.randrange(len(self.banks))][1]
            acct = str(rng.randrange(10**14, 10**17))
            c = self._companies[k] = (name, acct, bank, uscc)
        return c

    # ------------------------------------------------------------------------------------------
    def run(self) -> RegionResult:
        job = self.job
        os.makedirs(job.part_dir, exist_ok=True)
        self.sinks: dict[str, Sink] = {}
        for e in WORKER_ENTITIES:
            path = os.path.join(job.part_dir, f"{e}.{self.region.index:04d}.part")
            self.sinks[e] = Sink(compiled(e), path, job.fmt)
        self.quotas = self._expense_quotas()
        self.dept_domain: dict[int, Any] = {}
        for i in range(self.n_units):
            self._arm_unit_field_defects(i)
            self.unit(i)
        self.revenue()
        self.emit_clearing()
        unplaced = []
        for s in self.sinks.values():
            for a in s.disarm_all():
                unplaced.append(a.n)  # type: ignore[attr-defined]
        counts, hashes, totals, parts = {}, {}, {}, {}
        for e, s in self.sinks.items():
            s.close()
            counts[e] = s.count
            hashes[e] = s.hash.hexdigest()
            totals[e] = dict(zip(s.c.money_fields, s.totals))
            parts[e] = s.fh.name
        return RegionResult(self.region.index, counts, hashes, totals, parts, self.ledger_exp, self.ledger_rev, self.fired, unplaced)

    # ------------------------------------------------------------------------------------------
    # defects
    # ------------------------------------------------------------------------------------------
    def fire(self, spec: DefectSpec, entity: str, row: int, key: dict, fld: str, original, injected) -> None:
        self.fired.append(
            {
                "n": spec.n,
                "kind": spec.kind,
                "entity": entity,
                "region": self.region.index,
                "part_row": row,
                "key": key,
                "field": fld,
                "original": original,
                "injected": injected,
            }
        )

    def _key(self, entity: str, values: tuple) -> dict:
        c = self.sinks[entity].c
        return {c.entity.fields[i].name: _jsonish(c.entity.fields[i].element.type, values[i]) for i in c.key_index}

    def _arm_unit_field_defects(self, i: int) -> None:
        for spec in self.by_agency.get(i, ()):
            if spec.kind in D.FIELD_KINDS:
                D.arm_field_defect(self, spec)

    # ------------------------------------------------------------------------------------------
    # region-level basic data
    # ------------------------------------------------------------------------------------------
    def _expense_quotas(self) -> dict[str, tuple]:
        rng = self._rng("quota")
        w = self.sinks["expense_quota"].write
        out = {}
        self.quota_order = [q.code for q in self.t.personnel + self.t.public]
        for q in self.t.personnel + self.t.public:
            if q.cents:
                value = rng.randrange(q.lo, q.hi + 1)
            else:
                value = rng.randrange(q.lo // 100, q.hi // 100 + 1) * 100
            w(self.div, self.fy, q.code, q.name, q.basis, q.unit, value, q.dep, q.category, q.calc)
            out[q.code] = (q, value)
        return out

    def _domain(self, dept: int):
        d = self.dept_domain.get(dept)
        if d is None:
            rng = self._rng("dept", dept)
            d = self.dept_domain[dept] = rng.choice(self.t.domains)
        return d

    # ------------------------------------------------------------------------------------------
    # one budget unit
    # ------------------------------------------------------------------------------------------
    def unit(self, i: int) -> None:
        S = self.sinks
        div, fy, t = self.div, self.fy, self.t
        rng = self._rng("unit", i)
        dept, sub = divmod(i, UNITS_PER_DEPT)
        agency = f"{101 + dept:03d}{sub + 1:03d}"
        dept_code = f"{101 + dept:03d}001"
        dom = self._domain(dept)
        head = sub == 0
        if head:
            aname = f"{self.region.name}{dom.word}事务管理局"
            atype = "1"
        else:
            aname = f"{self.region.name}{dom.word}{names.word2(rng)}{rng.choice(names.UNIT_KINDS)}"
            atype = "2"
        body = f"{int(self.region.code6) % 1000:03d}{i:05d}"[-8:]
        uscc = make_uscc("11" if head else "12", self.region.code6, body)
        org = make_orgcode(body)  # = characters 9-17 of the USCC
        specs = [d for d in self.by_agency.get(i, ()) if d.kind not in _field_kinds()]
        kinds = {d.kind: d for d in specs}
        S["agency"].write(div, fy, agency, aname, dept_code, atype, self.region.budget_level_code, uscc, org)

        staff = rng.randint(12, 40) if head else rng.randint(5, 30)
        authorized = staff + rng.randint(0, 5)
        retired = rng.randint(0, staff // 2)
        area = staff * rng.randint(1200, 2500) + rng.randrange(100)  # hundredths of m²
        vehicles = rng.randint(1, 4) if head else rng.randint(0, 2)
        basic = (div, fy, agency, authorized, staff, retired, area, vehicles)
        S["agency_basic_data"].write(*basic)
        if "duplicate-key" in kinds:
            row = S["agency_basic_data"].write_line_copy(*basic)
            self.fire(kinds["duplicate-key"], "agency_basic_data", row, self._key("agency_basic_data", basic), "agency_code", None, agency)

        bank_code, bank_branch = self.banks[rng.randrange(len(self.banks))]
        zba = f"{bank_code[:3]}{self.region.code6}{agency}01"
        u = _Unit(agency, aname, bank_code, bank_branch, zba, staff)
        qty = {"01": staff * 100, "03": area, "04": vehicles * 100}

        # -- department budget lines and their indicators
        inds: list[Ind] = []
        line_no = 0
        admin_exp = dom.leaves[0]
        wl = S["dept_budget_line"].write
        bq = kinds.get("budget-quota-mismatch")
        bq_done = False
        for code in self.quota_order:
            q, value = self.quotas[code]
            quantity = qty[q.basis]
            if quantity == 0:
                continue
            line_no += 1
            amt = (quantity * value + 50) // 100  # C15: quantity × quota, ROUND_HALF_UP to the fen
            lid = f"YS{agency}{line_no:03d}"
            line = (div, fy, lid, agency, q.category, admin_exp, q.dep, q.gov, "1", amt, q.code, quantity, None, None)
            if bq is not None and not bq_done and q.category == "2":
                bad = amt + bq.amount
                line = line[:9] + (bad,) + line[10:]
                wl(*line)
                self.fire(bq, "dept_budget_line", S["dept_budget_line"].count, self._key("dept_budget_line", line), "bgt_line_amt", fen(amt), fen(bad))
                amt, bq_done = bad, True
            else:
                wl(*line)
            if q.dep == "30101":
                kind = "payroll"
            else:
                kind = "personnel" if q.category == "1" else "public"
            doc = self.Y0 + rng.randint(2, 7)  # Jan 3 – Jan 8
            inds.append(
                Ind(f"ZB{agency}{line_no:03d}", kind, admin_exp, q.dep, q.gov, q.name.removesuffix("定额"),
                    "1" if q.category == "1" else "2", "1", amt, doc)
            )
        n_proj = rng.randint(1, 3) if head else rng.randint(0, 2)
        for k in range(n_proj):
            line_no += 1
            dep, gov, eco_name = rng.choice(t.project_eco)
            exp = rng.choice(dom.leaves)
            amt = rng.randint(50_000, 2_000_000) * 100 + rng.randrange(100)
            pro_code = f"{self.region.code6}{fy}{agency}{k + 1:02d}"
            pro_name = names.project_name(rng, dom.word)
            lid = f"YS{agency}{line_no:03d}"
            wl(div, fy, lid, agency, "3", exp, dep, gov, "1", amt, None, None, pro_code, pro_name)
            doc = self.Y0 + rng.randint(9, 89)  # Jan 10 – end of March
            inds.append(Ind(f"ZB{agency}{line_no:03d}", "project", exp, dep, gov, eco_name, rng.choice("12"), "1", amt, doc, pro_code, pro_name))
        if head or rng.random() < 0.3:
            line_no += 1
            subsidy = self.region.kind == "county" and bool(self.region.towns)
            dep, gov, eco_name = rng.choice(t.subsidy_eco if subsidy else t.project_eco)
            exp = rng.choice(dom.leaves)
            amt = rng.randint(20_000, 800_000) * 100
            pro_code = f"{self.region.code6}{fy}{agency}Z{line_no:02d}"
            pro_name = names.project_name(rng, dom.word)
            doc = self.Y0 + rng.randint(59, 200)
            ind = Ind(f"ZB{agency}{line_no:03d}", "transfer", exp, dep, gov, eco_name, "1", "1", amt, doc, pro_code, pro_name, source="2", subsidy=subsidy)
            inds.append(ind)

        # -- business defects of this unit: attach each to one indicator
        self._attach_defects(specs, inds, rng)

        # -- payroll people
        payroll_ind = next(x for x in inds if x.kind == "payroll")
        people = []
        per_year = payroll_ind.amount // staff
        for p in range(staff):
            gross = int(per_year / 12 * rng.uniform(0.80, 0.95))
            deduct = int(gross * rng.uniform(0.08, 0.15))
            birth = date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28))
            iden = make_citizen_id(self.region.code6, birth, rng.randrange(1000))
            people.append((names.person_name(rng), iden, "6222" + str(rng.randrange(10**14, 10**15)), gross, deduct))
        u.people = people

        for ind in inds:
            self.indicator(u, ind, rng)

    # ------------------------------------------------------------------------------------------
    def _attach_defects(self, specs: list[DefectSpec], inds: list[Ind], rng: random.Random) -> None:
        for spec in specs:
            k = spec.kind
            if k in ("budget-quota-mismatch", "duplicate-key"):
                continue
            cand: list[Ind]
            if k == "payment-outside-year":
                cand = [x for x in inds if x.kind != "payroll" and x.pay_type == "1" and x.defect is None]
            elif k == "payment-before-doc-date":
                cand = [x for x in inds if x.kind != "payroll" and x.defect is None and x.doc >= self.Y0 + 2]
            else:
                cand = [x for x in inds if x.kind != "payroll" and x.defect is None]
            if not cand:
                continue  # reported as unplaced by the main process
            cand[0 if k != "over-plan" else -1].defect = spec

    # ------------------------------------------------------------------------------------------
    # one indicator: adjustments, schedule, plans, payments
    # ------------------------------------------------------------------------------------------
    def indicator(self, u: "_Unit", ind: Ind, rng: random.Random) -> None:
        S = self.sinks
        div, fy = self.div, self.fy
        A = ind.amount
        D20 = self.ymd(12, 20)
        spec = ind.defect
        # adjustment
        if ind.kind in ("public", "project", "transfer") and rng.random() < 0.25:
            if rng.random() < 0.6:
                ind.adj = int(A * rng.uniform(0.05, 0.3))
            else:
                ind.adj = -int(A * rng.uniform(0.05, 0.2))
            ind.adj_date = max(ind.doc + 10, self.ymd(4, 1)) + rng.randrange(150)
            ind.adj_id = f"TZ{ind.bgt_id}"
        F = A + ind.adj
        # schedule of positive payments
        sched: list[list] = []
        if ind.kind == "payroll":
            net = sum(p[3] - p[4] for p in u.people)
            for m in range(1, 13):
                sched.append([self.ymd(m, 15), net, "payroll", m, None])
        else:
            if ind.kind == "personnel":
                months = (6, 12) if ind.dep == "30103" else tuple(range(1, 13))
                dates = [self.ymd(m, rng.randint(10, 20)) for m in months]
                S_ = int(F * rng.uniform(0.90, 0.98))
            elif ind.kind == "public":
                if ind.dep == "30208":
                    dates = [self.ymd(m, rng.randint(5, 20)) for m in (1, 2, 3, 11, 12)]
                elif ind.dep == "30206":
                    dates = [self.ymd(m, rng.randint(10, 20)) for m in range(1, 13)]
                else:
                    k = {"30201": (8, 16), "30231": (5, 10), "30211": (6, 12)}.get(ind.dep, (4, 10))
                    dates = [rng.randint(ind.doc, D20) for _ in range(rng.randint(*k))]
                S_ = int(F * rng.uniform(0.75, 0.97))
            elif ind.kind == "project":
                dates = [rng.randint(ind.doc + 5, D20) for _ in range(rng.randint(3, 10))]
                S_ = int(F * rng.uniform(0.6, 0.95))
            else:
                dates = [rng.randint(ind.doc + 5, D20) for _ in range(rng.randint(2, 6))]
                S_ = int(F * rng.uniform(0.6, 0.95))
            dates = sorted(max(d, ind.doc) for d in dates)
            amounts = _split(S_, len(dates), rng)
            tag = "subsidy" if ind.subsidy else "normal"
            sched = [[d, a, tag, None, None] for d, a in zip(dates, amounts) if a > 0]

        if spec is not None and sched:
            self._apply_schedule_defect(ind, spec, sched, F, rng)
        # a supplement is in force on or before the first payment that needs it (time-aware rule)
        if ind.adj > 0:
            cum = 0
            for e in sched:
                cum += e[1]
                if cum > A:
                    ind.adj_date = min(ind.adj_date, e[0])
                    break
        if ind.adj_id:
            ind.adj_date = max(ind.adj_date, ind.doc)
            ind.adj_date = min(ind.adj_date, self.YE)

        # reversals: direct payments only, never on an indicator that carries a defect
        if ind.pay_type == "1" and ind.kind != "payroll" and spec is None:
            for e in list(sched):
                force = not self.reversed_once  # every region shows at least one reversal
                if e[2] in ("normal", "subsidy") and (force or rng.random() < 0.01):
                    self.reversed_once = True
                    ro = min(e[0] + rng.randint(1, 20), self.YE)
                    sched.append([ro, -e[1], "reversal", e, None])
            sched.sort(key=lambda e: (e[0], e[1] < 0))

        # plans: each month covers its positive payments; the slack of the indicator is spread
        pos_by_month = [0] * 14
        for e in sched:
            if e[1] > 0:
                pos_by_month[self.month(e[0])] += e[1]
        pos_by_month[1] += pos_by_month[13]  # a payment dated next January (payment-outside-year)
        pos_by_month[13] = 0
        spent = sum(pos_by_month)
        slack = F - spent
        plans = pos_by_month[1:13]
        op = spec if (spec is not None and spec.kind == "over-plan" and hasattr(spec, "_month")) else None
        if op is not None:
            # the month's plan is its payments before the bump; the bump moves to other months
            plans[op._month - 1] -= op.amount  # type: ignore[attr-defined]
            slack += op.amount
        if slack > 0:
            first = self.month(ind.doc) or 1
            months = [m for m in range(first, 13) if op is None or m != op._month]  # type: ignore[attr-defined]
            for m, s in zip(months, _split(slack, len(months), rng)):
                plans[m - 1] += s

        # -- emit the indicator, its adjustment and plans
        if ind.source == "1":
            docno = f"{self.short}财预〔{self.year}〕{u.code[:3]}号"
            title = f"关于批复{self.year}年{u.name}部门预算的通知"
            sup = None
        else:
            docno = f"{self.short}财预〔{self.year}〕{u.code[:3]}{u.code[-2:]}号"
            title = f"关于下达{self.year}年{ind.pro_name}上级转移支付资金的通知"
            sup = f"冀财预〔{self.year}〕{int(u.code[:3]) % 90 + 10}号"
        ds_doc = self.ds(ind.doc)
        S["budget_indicator"].write(
            div, fy, ind.bgt_id, docno, title, ds_doc, self.region.budget_level_code, u.code, ind.fund, ind.exp,
            ind.dep, ind.gov, ind.pay_type, ind.source, A, ind.pro_code, ind.pro_name, sup, None,
            f"{ds_doc}T09:00:00+08:00", None,
        )
        if ind.adj_id:
            S["indicator_adjustment"].write(
                div, fy, ind.adj_id, ind.bgt_id, "1" if ind.adj > 0 else "2",
                f"{self.short}财预调〔{self.year}〕{u.code[:3]}号", self.ds(ind.adj_date), ind.adj, None, None,
            )
        wp = S["spending_plan"].write
        for m in range(1, 13):
            wp(div, fy, f"JH{ind.bgt_id}{m:02d}", ind.bgt_id, u.code, m, ind.pay_type, ind.fund, plans[m - 1])

        # -- payments
        for e in sched:
            self.payment(u, ind, e, rng)

    def _apply_schedule_defect(self, ind: Ind, spec: DefectSpec, sched: list, F: int, rng: random.Random) -> None:
        """Change the schedule so that exactly the defect's rule fails (see defects.py)."""
        k = spec.kind
        if k == "overspend-indicator":
            last = sched[-1]
            last[0] = rng.randint(self.ymd(12, 21), self.YE)  # strictly the latest payment
            spent = sum(e[1] for e in sched)
            spec._orig = last[1]  # type: ignore[attr-defined]
            last[1] += (F - spent) + spec.amount
            last[4] = ("overspend", spec)
        elif k == "over-plan":
            # the last payment gets +amount (still within the indicator); its month's plan stays at
            # that month's payments before the bump, so the month is over plan by exactly amount
            slack = F - sum(e[1] for e in sched)
            if slack < 1:
                return  # no room: left unplaced (reported)
            spec.amount = max(1, min(spec.amount, slack))
            tgt = sched[-1]
            m = self.month(tgt[0])
            if any(x is not tgt and x[0] == tgt[0] for x in sched) and self.month(tgt[0] + 1) == m:
                tgt[0] += 1  # a unique date, so that "the payment that goes over" is unambiguous
            spec._month = m  # type: ignore[attr-defined]
            spec._orig = tgt[1]  # type: ignore[attr-defined]
            tgt[1] += spec.amount
            tgt[4] = ("over-plan", spec)
        elif k == "payment-before-doc-date":
            first = sched[0]
            spec._orig = self.ds(first[0])  # type: ignore[attr-defined]
            first[0] = ind.doc - rng.randint(1, min(10, ind.doc - self.Y0))
            first[4] = ("before-doc", spec)
        elif k == "payment-outside-year":
            last = sched[-1]
            spec._orig = self.ds(last[0])  # type: ignore[attr-defined]
            last[0] = self.YE + rng.randint(2, 10)
            last[4] = ("outside-year", spec)
        else:
            # orphan-payment, payment-indicator-mismatch, missing-accounting-voucher,
            # accounting-amount-mismatch, voucher-unbalanced: the first payment carries it
            sched[0][4] = (k, spec)

    # ------------------------------------------------------------------------------------------
    def payment(self, u: "_Unit", ind: Ind, e: list, rng: random.Random) -> None:
        S = self.sinks
        div, fy = self.div, self.fy
        o, amt, tag, extra, mark = e[:5]
        dk = mark[0] if mark else None
        spec: DefectSpec | None = mark[1] if mark else None
        u.seq += 1
        seq = u.seq
        cert = f"ZF{u.code}{seq:05d}"
        app = f"SQ{u.code}{seq:05d}"
        cert_no = f"P{fy}{self.region.code6}{u.code}{seq:05d}"
        app_no = f"A{fy}{self.region.code6}{u.code}{seq:05d}"
        vd = self.ds(o)
        if dk == "outside-year":
            create = self.YE
            acct_o = self.YE
        else:
            create = max(min(ind.doc, o), o - rng.randrange(3))
            acct_o = o
        reversal = tag == "reversal"
        # payee and detail lines
        if tag == "payroll":
            payee = (f"{u.name}工资代发户", f"{u.zba}9", u.bank_branch)
            lines = [(payee[0], payee[1], payee[2], amt, None, None, None, None, f"{extra}月工资")]
            use_des = f"{extra}月工资统发"
        elif reversal:
            orig = extra
            o_payee, o_cert, o_lines = orig[5]
            payee = o_payee
            lines = [(l[0], l[1], l[2], -l[3], l[4], l[5], l[6], l[7], f"冲销{o_cert}") for l in o_lines]
            use_des = f"冲销支付凭证{o_cert}"
        elif tag == "subsidy":
            payee = self.special["subsidy"]
            n = rng.randint(3, 8)
            parts = _split(amt, n, rng)
            lines = []
            for p in parts:
                pname = names.person_name(rng)
                birth = date(rng.randint(1945, 2000), rng.randint(1, 12), rng.randint(1, 28))
                iden = make_citizen_id(self.region.code6, birth, rng.randrange(1000))
                bank = self.banks[rng.randrange(len(self.banks))][1]
                town = rng.choice(self.region.towns)
                lines.append((pname, "6217" + str(rng.randrange(10**14, 10**15)), bank, p, pname, iden, None, town, ind.eco_name))
            use_des = f"{ind.pro_name or ind.eco_name}资金发放"
        else:
            if ind.dep in self.special:
                c = self.special[ind.dep]
                payee = c
                lines = [(c[0], c[1], c[2], amt, None, None, None, None, None)]
            elif ind.dep in ("30102", "30103"):
                payee = (f"{u.name}工资代发户", f"{u.zba}9", u.bank_branch)
                lines = [(payee[0], payee[1], payee[2], amt, None, None, None, None, None)]
            else:
                n = 1 if rng.random() < 0.8 or amt < 1000 else rng.randint(2, 3)
                parts = _split(amt, n, rng)
                lines = []
                for p in parts:
                    c = self.company(rng.randrange(self.n_companies))
                    lines.append((c[0], c[1], c[2], p, None, None, c[3], None, None))
                payee = lines[0][:3]
            use_des = ind.pro_name or ind.eco_name
        if not reversal and ind.pay_type == "1":
            e.append((payee, cert, lines))  # a later reversal mirrors it

        exp = ind.exp
        bgt = ind.bgt_id
        if dk == "payment-indicator-mismatch":
            exp = next(c for c in self.t.exp_leaves[rng.randrange(len(self.t.exp_leaves)):] + self.t.exp_leaves if c != ind.exp)
        if dk == "orphan-payment":
            bgt = ind.bgt_id + "X"
        direct = ind.pay_type == "1"
        if direct:
            pay_name, pay_acct, pay_bank = self.treasury
            agent = self.banks[0][0]
            status, clear_id, lqd = "1", None, None
        else:
            pay_name, pay_acct, pay_bank = u.name, u.zba, u.bank_branch
            agent = u.bank_code
            status = "2"
            clear_id = f"QS{agent}{vd.replace('-', '')}"
            lqd = vd
            acc = self.clearing.get((o, agent))
            if acc is None:
                self.clearing[(o, agent)] = [amt, 1]
            else:
                acc[0] += amt
                acc[1] += 1
        S["payment_request"].write(
            div, fy, app, app_no, ind.bgt_id, u.code, ind.fund, ind.exp, ind.dep, ind.gov, ind.pay_type, "1", amt,
            self.ds(create), payee[0], payee[1], payee[2], reversal, ind.pro_code, use_des,
        )
        pv = (
            div, fy, cert, cert_no, app, bgt, u.code, ind.fund, exp, ind.dep, ind.gov, ind.pay_type, "1", vd,
            pay_name, pay_acct, pay_bank, payee[0], payee[1], payee[2], amt, agent, status, reversal, vd,
            clear_id, lqd, ind.pro_code, use_des, None,
        )
        S["payment_voucher"].write(*pv)
        if spec is not None:
            row = S["payment_voucher"].count
            key = self._key("payment_voucher", pv)
            if dk in ("overspend", "over-plan"):
                self.fire(spec, "payment_voucher", row, key, "pay_amt", fen(spec._orig), fen(amt))  # type: ignore[attr-defined]
            elif dk in ("before-doc", "outside-year"):
                self.fire(spec, "payment_voucher", row, key, "vou_date", spec._orig, vd)  # type: ignore[attr-defined]
            elif dk == "orphan-payment":
                self.fire(spec, "payment_voucher", row, key, "bgt_id", ind.bgt_id, bgt)
            elif dk == "payment-indicator-mismatch":
                self.fire(spec, "payment_voucher", row, key, "exp_func_code", ind.exp, exp)
            elif dk == "missing-accounting-voucher":
                self.fire(spec, "payment_voucher", row, key, "pay_cert_id", f"KJ{cert}", cert)  # original: the accounting voucher that is missing
        wd = S["payment_detail"].write
        for j, l in enumerate(lines, 1):
            wd(div, fy, f"{cert}{j:02d}", cert, u.code, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8])
        if tag == "payroll":
            wr = S["payroll_record"].write
            m = extra
            for p, person in enumerate(u.people, 1):
                wr(div, fy, f"GZ{u.code}{m:02d}{p:04d}", m, u.code, person[1], person[0], person[2], u.bank_code,
                   ind.exp, ind.dep, person[3], person[4], person[3] - person[4], ind.bgt_id, cert)
        # accounting voucher: Dr 5001 expenditure (classified) / Cr 1001 treasury deposit
        if dk == "missing-accounting-voucher":
            return
        dr = cr = amt
        if dk == "accounting-amount-mismatch":
            dr = cr = amt + spec.amount
        if dk == "voucher-unbalanced":
            cr = amt + spec.amount
        avid = f"KJ{cert}"
        lines_ = [
            (self.t.acct["exp_general"], dr, 0, exp, None, ind.fund, ind.dep),
            (self.t.acct["treasury"], 0, cr, None, None, None, None),
        ]
        abstract = f"{'冲销' if reversal else ''}国库集中支付 {cert_no} {use_des}"
        rows = self.post("payment_voucher", cert, acct_o, abstract, lines_)
        if dk == "accounting-amount-mismatch":
            self.fire(spec, "accounting_voucher_line", rows[0][0], rows[0][1], "dr_amt", fen(amt), fen(dr))
        elif dk == "voucher-unbalanced":
            self.fire(spec, "accounting_voucher_line", rows[1][0], rows[1][1], "cr_amt", fen(amt), fen(cr))

    def post(self, src_entity: str, src_id: str, o: int, abstract: str, lines: list[tuple]) -> list[tuple[int, dict]]:
        """One accounting voucher with its lines; updates the ledger. Returns (row, key) of each line."""
        S = self.sinks
        div, fy = self.div, self.fy
        self.acct_seq += 1
        m = self.month(o)
        avid = f"KJ{src_id}"
        S["accounting_voucher"].write(div, fy, avid, f"{m:02d}{self.acct_seq:08d}", self.ds(o), m, abstract, src_entity, src_id)
        wl = S["accounting_voucher_line"].write
        dk = self.dekad(o)
        out = []
        for n, (acct, dr, cr, exp, rev, fund, dep) in enumerate(lines, 1):
            vals = (div, fy, avid, n, acct, dr, cr, exp, rev, fund, dep)
            wl(*vals)
            out.append((S["accounting_voucher_line"].count, {"mof_div_code": div, "fiscal_year": fy, "acct_voucher_id": avid, "line_no": n}))
            if exp is not None:
                key = (dk, exp[:3])
                self.ledger_exp[key] = self.ledger_exp.get(key, 0) + dr - cr
            elif rev is not None:
                key = (dk, rev[:3])
                self.ledger_rev[key] = self.ledger_rev.get(key, 0) + cr - dr
        return out

    # ------------------------------------------------------------------------------------------
    # region-level revenue and clearing
    # ------------------------------------------------------------------------------------------
    def revenue(self) -> None:
        S = self.sinks
        div, fy, t = self.div, self.fy, self.t
        rng = self._rng("tax")
        for spec in self.region_defects:
            if spec.kind in D.FIELD_KINDS:
                D.arm_field_defect(self, spec)
        codes = [c for c, _, _ in t.tax_rev]
        weights = [w for _, _, w in t.tax_rev]
        n_tax = TAX_PER_UNIT * self.n_units
        neg: dict[int, DefectSpec] = {}
        for d in self.region_defects:
            if d.kind == "negative-not-reversal":
                k = d.ordinal % n_tax
                while k in neg:
                    k = (k + 1) % n_tax
                neg[k] = d
        refunds = []
        wt = S["tax_receipt"].write
        org = f"1{self.region.code6}0000"
        for k in range(n_tax):
            o = rng.randint(self.Y0, self.YE)
            code = rng.choices(codes, weights)[0]
            amt = int(rng.lognormvariate(14.5, 1.3)) + 100
            if rng.random() < 0.3:
                amt -= amt % 100  # whole yuan
            c = self.company(rng.randrange(self.n_companies))
            tid = f"SS{k + 1:08d}"
            bill = f"{self.region.code6}{self.year % 100:02d}{k + 1:08d}"
            spec = neg.get(k)
            if spec is not None:
                vals = (div, fy, tid, bill, code, self.region.budget_level_code, self.ds(o), -amt, False, c[3], org)
                self.protect = True
                wt(*vals)
                self.fire(spec, "tax_receipt", S["tax_receipt"].count, self._key("tax_receipt", vals), "inc_amt", fen(amt), fen(-amt))
                self._post_tax(tid, o, bill, code, -amt)
                self.protect = False
                continue
            wt(div, fy, tid, bill, code, self.region.budget_level_code, self.ds(o), amt, False, c[3], org)
            self._post_tax(tid, o, bill, code, amt)
            if (k == 1 or rng.random() < 0.02) and o < self.YE and spec is None:
                refunds.append((min(self.YE, o + rng.randint(1, 60)), bill, code, amt if rng.random() < 0.5 else amt // 2 + 1, c))
        for j, (o, bill, code, amt, c) in enumerate(refunds, 1):
            tid = f"ST{j:08d}"
            wt(div, fy, tid, bill, code, self.region.budget_level_code, self.ds(o), -amt, True, c[3], org)
            self._post_tax(tid, o, bill, code, -amt)

        # non-tax payment notices
        rng = self._rng("nontax")
        n_nt = NONTAX_PER_UNIT * self.n_units
        wn = S["non_tax_payment"].write
        wnl = S["non_tax_payment_line"].write
        reversals = []
        for k in range(n_nt):
            o = rng.randint(self.Y0, self.ymd(12, 25))
            pay_o = min(self.YE, o + rng.randint(0, 5))
            i = rng.randrange(self.n_units)
            exec_agency = f"{101 + i // UNITS_PER_DEPT:03d}{i % UNITS_PER_DEPT + 1:03d}"
            payer = self.company(rng.randrange(self.n_companies))[0] if rng.random() < 0.7 else names.person_name(rng)
            items = []
            for s in range(rng.choice((1, 1, 2, 3))):
                code, _, fund = t.nontax_rev[rng.randrange(len(t.nontax_rev))]
                choices = names.NONTAX_ITEMS.get(code[:5], ("其他执收项目",))
                j = rng.randrange(len(choices))
                amt = int(rng.lognormvariate(11.5, 1.2)) + 100
                if fund == "2":
                    amt *= 100
                items.append((code, f"{code}{j + 1:02d}", choices[j], fund, amt))
            self._nontax(f"FS{k + 1:08d}", f"{self.region.code6}{k + 1:08d}", exec_agency, o, pay_o, payer, items, False, wn, wnl)
            if k == 0 or rng.random() < 0.01:
                ro = min(self.YE, pay_o + rng.randint(1, 30))
                reversals.append((f"{self.region.code6}{k + 1:08d}", exec_agency, ro, payer, items))
        for j, (no, ea, ro, payer, items) in enumerate(reversals, 1):
            neg_items = [(c, nc, n, f, -a) for c, nc, n, f, a in items]
            self._nontax(f"FT{j:08d}", no, ea, ro, ro, payer, neg_items, True, wn, wnl)

    def _post_tax(self, tid: str, o: int, bill: str, code: str, amt: int) -> None:
        abstract = f"{'退库' if amt < 0 else '税收入库'} 税票{bill}"
        self.post("tax_receipt", tid, o, abstract, [
            (self.t.acct["treasury"], amt, 0, None, None, None, None),
            (self.t.acct["rev_general"], 0, amt, None, code, "1", None),
        ])

    def _nontax(self, vid, no, exec_agency, o, pay_o, payer, items, reversal, wn, wnl) -> None:
        div, fy = self.div, self.fy
        total = sum(a for *_, a in items)
        wn(div, fy, vid, no, exec_agency, self.ds(o), payer, total, total, reversal, self.ds(pay_o), self.nontax_acct, self.banks[0][0])
        lines = [(self.t.acct["treasury"], total, 0, None, None, None, None)]
        for s, (code, nt_code, nt_name, fund, amt) in enumerate(items, 1):
            wnl(div, fy, vid, s, nt_code, nt_name, code, fund, amt)
            acct = self.t.acct["rev_fund"] if fund == "2" else self.t.acct["rev_general"]
            lines.append((acct, 0, amt, None, code, fund, None))
        self.post("non_tax_payment", vid, pay_o, f"{'冲销' if reversal else ''}非税收入缴款 {no}", lines)

    def emit_clearing(self) -> None:
        S = self.sinks
        div, fy = self.div, self.fy
        specs = [d for d in self.region_defects if d.kind == "clearing-mismatch"]
        keys = sorted(self.clearing)
        targets = {}
        for d in specs:
            if keys:
                idx = d.ordinal % len(keys)
                while idx in targets:
                    idx = (idx + 1) % len(keys)
                targets[idx] = d
        w = S["bank_clearing"].write
        for i, (o, agent) in enumerate(keys):
            amt, n = self.clearing[(o, agent)]
            ds = self.ds(o)
            cid = f"QS{agent}{ds.replace('-', '')}"
            d = targets.get(i)
            if d is not None:
                bad = amt + d.amount
                vals = (div, fy, cid, agent, ds, "2", bad, n)
                w(*vals)
                self.fire(d, "bank_clearing", S["bank_clearing"].count, self._key("bank_clearing", vals), "clear_amt", fen(amt), fen(bad))
            else:
                w(div, fy, cid, agent, ds, "2", amt, n)


class _Unit:
    __slots__ = ("code", "name", "bank_code", "bank_branch", "zba", "staff", "people", "seq")

    def __init__(self, code, name, bank_code, bank_branch, zba, staff):
        self.code, self.name, self.bank_code, self.bank_branch, self.zba, self.staff = code, name, bank_code, bank_branch, zba, staff
        self.people: list = []
        self.seq = 0


def _split(total: int, k: int, rng: random.Random) -> list[int]:
    """``total`` fen in ``k`` positive parts (fewer when there are not enough fen)."""
    if total <= 0:
        return [total] if k else []
    k = max(1, min(k, total))
    if k == 1:
        return [total]
    w = [rng.random() + 0.5 for _ in range(k)]
    W = sum(w)
    parts = [max(1, int(total * x / W)) for x in w]
    diff = total - sum(parts)
    parts[-1] += diff
    if parts[-1] <= 0:  # pragma: no cover - rounding corner
        return _split(total, k - 1, rng)
    return parts


def _jsonish(kind: str, v):
    if kind in ("money", "decimal"):
        return fen(v)
    return v


_FK = frozenset(D.FIELD_KINDS)


def _field_kinds() -> frozenset[str]:
    return _FK


def run_region(job: RegionJob) -> RegionResult:
    """Worker entry point."""
    return RegionGenerator(job).run()
