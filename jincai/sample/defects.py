"""Deliberate defects for ``jincai sample --defects K --seed S``.

Exactly K defects are planned (``plan``), spread over the kinds below in a seed-determined order,
each in its own place so that two defects never touch the same record, indicator or budget unit:

* unit-level kinds get their own budget unit (region, unit index);
* region-level kinds (tax receipts, non-tax notices, clearing batches) get their own ordinal in the
  region's stream;
* report kinds get their own (region, period type, 类) report line.

Every defect makes exactly one rule fail, on the record and field listed in ``manifest.json``:

=============================  ===========================  ======================  =====================================
kind                           entity                       field                   how
=============================  ===========================  ======================  =====================================
missing-required               (several)                    a required text field   removed from the JSON object
bad-pattern                    payment_voucher / detail /   pay_cert_no,            ``#`` appended / a letter inserted
                               payment_request              payee_acct_no, pay_app_no
fullwidth-digit                tax_receipt / payment_*      a code                  last digit → full-width (１)
bad-date                       payment_request /            create_date / bill_date ``YYYY-02-30``
                               non_tax_payment
money-one-decimal              payment_detail / voucher /   pay_amt / inc_amt       ``"123.40"`` → ``"123.4"`` (same value)
                               tax_receipt
money-float                    payment_detail /             pay_amt / plan_amt /    JSON number ``123.4`` (same value;
                               spending_plan / tax_receipt  inc_amt                 JSON Lines only)
bad-check-digit                agency / payroll_record      unifsoc_cred_code /     check character changed
                                                            iden_no
unknown-code                   dept_budget_line             exp_func_code           a 2xx code not in the list
gov-eco-mismatch               dept_budget_line             gov_bgt_eco_code        a valid leaf that is not dep_to_gov
negative-not-reversal          tax_receipt                  inc_amt                 negative, is_reversal false (ledger
                                                                                    and reports follow the amount)
payment-before-doc-date        payment_voucher              vou_date                before the indicator's doc_date
                                                                                    (same year; plan, ledger follow)
payment-outside-year           payment_voucher              vou_date                next January (direct payment; its
                                                                                    accounting is dated 12-31, and the
                                                                                    January plan covers it)
duplicate-key                  agency_basic_data            agency_code             the record written twice (row = 2nd)
orphan-payment                 payment_voucher              bgt_id                  an id no indicator has (the request
                                                                                    keeps the real bgt_id)
payment-indicator-mismatch     payment_voucher              exp_func_code           another valid leaf (accounting and
                                                                                    reports follow the voucher)
overspend-indicator            payment_voucher              pay_amt                 the strictly latest payment of an
                                                                                    indicator takes the cumulative total
                                                                                    above amount + adjustments (its month's
                                                                                    plan covers it; details, clearing,
                                                                                    accounting, reports follow)
over-plan                      payment_voucher              pay_amt                 the last payment of a month exceeds the
                                                                                    month's plan (cumulative still within
                                                                                    the indicator)
clearing-mismatch              bank_clearing                clear_amt               ≠ Σ pay_amt of its vouchers
missing-accounting-voucher     payment_voucher              pay_cert_id             no accounting voucher (ledger and
                                                                                    reports leave it out too)
accounting-amount-mismatch     accounting_voucher_line      dr_amt                  Dr and Cr both + d (still balanced;
                                                                                    ledger and reports follow)
voucher-unbalanced             accounting_voucher_line      cr_amt                  the 1001 line only (Σdr ≠ Σcr); the
                                                                                    classified line is unchanged
report-ledger-mismatch         fiscal_report_line           cur_period_amt          last period of the year: cur and ytd
                                                                                    + d (the YTD chain holds; a city's
                                                                                    consolidated line follows)
ytd-mismatch                   fiscal_report_line           ytd_amt                 last period, ytd only (own level)
consolidation-mismatch         fiscal_report_line           cur_period_amt          a city's consolidated line, last period,
                                                                                    cur and ytd + d
budget-quota-mismatch          dept_budget_line             bgt_line_amt            ≠ quantity × quota (the indicator
                                                                                    follows the line)
=============================  ===========================  ======================  =====================================

With ``--format avro`` only the record-level and cross-record kinds are used (a typed Avro file
cannot carry a malformed field value); with ``--format csv`` every kind but ``money-float`` (a CSV
cell has no number type).

Assumptions the rule engine must share for "exactly one rule" to hold: the consolidation rule
compares ``cur_period_amt`` line by line (a consolidated line's ``ytd_amt`` follows from its own
chain); the report-ledger rule compares ``cur_period_amt`` of own-level (scope 1) lines with the
ledger; rules that depend on a field suppress themselves when that field fails structurally.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from jincai.identifiers import USCC_CHARSET
from jincai.sample.writers import Armed

@dataclass
class DefectSpec:
    """One planned defect: where the generator must put it (see the module docstring)."""

    n: int
    kind: str
    region: int
    agency: int | None = None  # agency slot for unit-level kinds
    ordinal: int = 0  # position in a region-level stream / report choice
    variant: int = 0  # which entity/field variant
    amount: int = 100  # fen, for amount defects



FIELD_KINDS = (
    "missing-required",
    "bad-pattern",
    "fullwidth-digit",
    "bad-date",
    "money-one-decimal",
    "money-float",
    "bad-check-digit",
    "unknown-code",
    "gov-eco-mismatch",
)
RECORD_KINDS = ("negative-not-reversal", "payment-before-doc-date", "payment-outside-year")
CROSS_KINDS = (
    "duplicate-key",
    "orphan-payment",
    "payment-indicator-mismatch",
    "overspend-indicator",
    "over-plan",
    "clearing-mismatch",
    "missing-accounting-voucher",
    "accounting-amount-mismatch",
    "voucher-unbalanced",
    "report-ledger-mismatch",
    "ytd-mismatch",
    "consolidation-mismatch",
    "budget-quota-mismatch",
)
ALL_KINDS = FIELD_KINDS + RECORD_KINDS + CROSS_KINDS
REPORT_KINDS = ("report-ledger-mismatch", "ytd-mismatch", "consolidation-mismatch")
REGION_STREAM_KINDS = ("negative-not-reversal", "clearing-mismatch")

#: field-level variants: (entity, field); tax_receipt / non_tax_payment are region-level streams
VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "missing-required": (
        ("payment_voucher", "pay_acct_bank_name"),
        ("budget_indicator", "bgt_doc_title"),
        ("payment_detail", "payee_acct_bank_name"),
        ("agency", "agency_name"),
        ("non_tax_payment", "payer_name"),
    ),
    "bad-pattern": (
        ("payment_voucher", "pay_cert_no"),
        ("payment_detail", "payee_acct_no"),
        ("payment_request", "pay_app_no"),
    ),
    "fullwidth-digit": (
        ("tax_receipt", "tax_bill_no"),
        ("payment_voucher", "pay_acct_no"),
        ("payment_detail", "payee_acct_no"),
    ),
    "bad-date": (("payment_request", "create_date"), ("non_tax_payment", "bill_date")),
    "money-one-decimal": (
        ("payment_detail", "pay_amt"),
        ("payment_voucher", "pay_amt"),
        ("tax_receipt", "inc_amt"),
    ),
    "money-float": (
        ("payment_detail", "pay_amt"),
        ("spending_plan", "plan_amt"),
        ("tax_receipt", "inc_amt"),
    ),
    "bad-check-digit": (("agency", "unifsoc_cred_code"), ("payroll_record", "iden_no")),
    "unknown-code": (("dept_budget_line", "exp_func_code"),),
    "gov-eco-mismatch": (("dept_budget_line", "gov_bgt_eco_code"),),
}
REGION_LEVEL_ENTITIES = ("tax_receipt", "non_tax_payment")
_SKIP_CAP = {"agency": 1, "agency_basic_data": 1, "dept_budget_line": 3, "budget_indicator": 3}


def is_unit_level(kind: str, variant: int) -> bool:
    if kind in REPORT_KINDS or kind in REGION_STREAM_KINDS:
        return False
    if kind in FIELD_KINDS:
        return VARIANTS[kind][variant][0] not in REGION_LEVEL_ENTITIES
    return True


def available_kinds(fmt: str, has_counties: bool) -> list[str]:
    kinds = [k for k in ALL_KINDS if has_counties or k != "consolidation-mismatch"]
    if fmt == "avro":  # a typed Avro file cannot carry a malformed field value
        kinds = [k for k in kinds if k not in FIELD_KINDS]
    if fmt == "csv":  # a CSV cell has no number type: a JSON number is not representable
        kinds = [k for k in kinds if k != "money-float"]
    return kinds


def plan(k: int, seed: int, n_regions: int, n_units: int, fmt: str, has_counties: bool):
    """K defect specs: kinds in a seed-determined round-robin, each in its own place."""
    from jincai.errors import JincaiError

    rng = random.Random(f"jincai-sample-defects|{seed}")
    kinds = available_kinds(fmt, has_counties)
    order: list[str] = []
    while len(order) < k:
        batch = list(kinds)
        rng.shuffle(batch)
        order.extend(batch)
    order = order[:k]
    used_units: set[tuple[int, int]] = set()
    used_ord: set[tuple[int, str, int]] = set()
    specs = []
    free_units = n_regions * n_units
    for n, kind in enumerate(order):
        variant = rng.randrange(len(VARIANTS[kind])) if kind in VARIANTS else rng.randrange(2)
        amount = rng.randint(1, 50_000) * 100 + rng.randrange(100)  # 0.01 … 50,000.99 yuan
        if kind == "consolidation-mismatch":
            region = 0
        else:
            region = rng.randrange(n_regions)
        spec = DefectSpec(n=n, kind=kind, region=region, variant=variant, amount=amount)
        if is_unit_level(kind, variant):
            if len(used_units) >= free_units:
                raise JincaiError(
                    "sample-too-many-defects",
                    f"缺陷数 {k} 过多：每个缺陷需要单独的预算单位，本数据集共 {free_units} 个；请增大 --scale",
                    f"too many defects ({k}): each needs its own budget unit and the dataset has {free_units}; raise --scale",
                    "--defects",
                )
            while True:
                slot = (rng.randrange(n_regions), rng.randrange(n_units))
                if slot not in used_units:
                    break
            used_units.add(slot)
            spec.region, spec.agency = slot
            spec.ordinal = rng.randrange(_SKIP_CAP.get(VARIANTS[kind][variant][0], 5)) if kind in FIELD_KINDS else 0
        else:
            stream = "report" if kind in REPORT_KINDS else ("clearing" if kind == "clearing-mismatch" else "revenue")
            while True:
                ordinal = rng.randrange(10_000)
                if (spec.region, stream, ordinal) not in used_ord:
                    break
            used_ord.add((spec.region, stream, ordinal))
            spec.ordinal = ordinal
        specs.append(spec)
    return specs


# ------------------------------------------------------------------------------------------------
# field-level defects: applied to the JSON object of the chosen record after serialisation
# ------------------------------------------------------------------------------------------------


def _fullwidth_last_digit(v: str) -> str:
    for i in range(len(v) - 1, -1, -1):
        if v[i].isascii() and v[i].isdigit():
            return v[:i] + chr(ord(v[i]) + 0xFEE0) + v[i + 1 :]
    return v + "１"


def _mutator(gen, spec, entity: str, fld: str):
    kind = spec.kind
    year = gen.year

    def mutate(obj: dict) -> tuple[str, Any, Any]:
        orig = obj.get(fld)
        if kind == "missing-required":
            obj.pop(fld, None)
            return fld, orig, None
        if kind == "bad-pattern":
            new = orig + "#" if fld in ("pay_cert_no", "pay_app_no") else orig[:3] + "A" + orig[4:]
        elif kind == "fullwidth-digit":
            new = _fullwidth_last_digit(orig)
        elif kind == "bad-date":
            new = f"{year}-02-30"
        elif kind == "money-one-decimal":
            new = orig[:-1]
        elif kind == "money-float":
            new = float(orig)
        elif kind == "bad-check-digit":
            if fld == "iden_no":
                chars = "0123456789X"
            else:
                chars = USCC_CHARSET
            new = orig[:-1] + chars[(chars.index(orig[-1]) + 1) % len(chars)]
        elif kind == "unknown-code":
            new = gen.t.unknown_exp_func
        elif kind == "gov-eco-mismatch":
            mapped = obj["gov_bgt_eco_code"]
            cands = [g for g in gen.t.gov_leaves if not g.startswith(mapped) and not mapped.startswith(g)]
            new = cands[spec.amount % len(cands)]
        else:  # pragma: no cover
            raise ValueError(kind)
        obj[fld] = new
        return fld, orig, new

    return mutate


def arm_field_defect(gen, spec) -> None:
    """Arm the sink of the defect's entity: the next eligible record (after ``ordinal`` skips for
    unit-level entities; from the ``ordinal``-th record on for region-level streams) carries it."""
    entity, fld = VARIANTS[spec.kind][spec.variant]
    sink = gen.sinks[entity]
    c = sink.c
    idx = c.entity.field_names.index(fld)
    region_level = entity in REGION_LEVEL_ENTITIES
    state = {"skip": spec.ordinal % (3 * gen.n_units + 1) if region_level else spec.ordinal}

    def accept(values: tuple) -> bool:
        if gen.protect:
            return False
        v = values[idx]
        if spec.kind == "money-one-decimal" and (v is None or v % 10 != 0 or v == 0):
            return False
        if v is None:
            return False
        if state["skip"] > 0:
            state["skip"] -= 1
            return False
        return True

    def on_fire(row: int, obj: dict, f: str, original, injected) -> None:
        key = {k: obj.get(k) for k in c.entity.key}
        gen.fire(spec, entity, row, key, f, original, injected)

    armed = Armed(accept, _mutator(gen, spec, entity, fld), on_fire)
    armed.n = spec.n  # type: ignore[attr-defined]
    sink.arm(armed)
