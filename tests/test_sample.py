"""jincai sample: determinism, canonical JSON, the business-chain invariants, defects, CLI.

``check_dataset`` below re-derives every rule of the chain from the files alone (plain Python) and
returns the violations as (kind, entity, row). A clean dataset has none; a dataset generated with
``--defects K`` has exactly the K entries of its manifest — each defect fires its own rule, on the
record it names, and nothing else fires anywhere.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jincai import identifiers
from jincai.canonical import dumps_record, record_from_json
from jincai.codelists import registry
from jincai.sample import Options, generate
from jincai.sample import defects as D
from jincai.sample.writers import compile_entity, raw_to_canonical
from jincai.standard import standard

STD = standard()
YEAR = 2024


def _gen(tmp: Path, region: str, scale: int, **kw) -> dict:
    return generate(Options(out=tmp, region=region, year=YEAR, scale=scale, workers=kw.pop("workers", 2), **kw))


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("city")
    return out, _gen(out, "130600", 1)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    return out, _gen(out, "130634000", 3)


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    out = tmp_path_factory.mktemp("defects")
    k = 2 * len(D.ALL_KINDS)
    return out, _gen(out, "130600", 2, defects=k, seed=7), k


def load(out: Path) -> dict[str, list[tuple[int, dict, str]]]:
    data = {}
    for e in STD.entities:
        rows = []
        with open(out / f"{e}.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                rows.append((i, json.loads(line), line))
        data[e] = rows
    return data


# ------------------------------------------------------------------------------------------------
# the checker
# ------------------------------------------------------------------------------------------------

_FW = re.compile("[\uff10-\uff19]")


def _money(v) -> Decimal | None:
    if v is None:
        return None
    try:
        return Decimal(str(v))
    except Exception:
        return None


def _date(v) -> date | None:
    try:
        return date.fromisoformat(v)
    except Exception:
        return None


def structural(entity_id: str, obj: dict, year: int) -> list[tuple[str, str]]:
    """Field-level problems of one record: (kind, field)."""
    reg = registry()
    ent = STD.entity(entity_id)
    out = []
    for f in ent.fields:
        el = f.element
        v = obj.get(f.name)
        if v is None:
            if f.required:
                out.append(("missing-required", f.name))
            continue
        if el.type in ("money", "decimal"):
            if not isinstance(v, str):
                out.append(("money-float", f.name))
            elif _FW.search(v):
                out.append(("fullwidth-digit", f.name))
            elif not re.fullmatch(el.value_pattern(), v):
                out.append(("money-one-decimal", f.name))
            continue
        if el.type == "date":
            if _FW.search(v):
                out.append(("fullwidth-digit", f.name))
            elif _date(v) is None:
                out.append(("bad-date", f.name))
            continue
        if el.type in ("code", "text") and isinstance(v, str):
            if _FW.search(v):
                out.append(("fullwidth-digit", f.name))
                continue
            if el.type == "code" and not re.fullmatch(el.pattern, v):
                out.append(("bad-pattern", f.name))
                continue
            if el.identifier == "uscc" and not identifiers.check_uscc(v).valid:
                out.append(("bad-check-digit", f.name))
            if el.identifier == "orgcode" and not identifiers.check_orgcode(v).valid:
                out.append(("bad-check-digit", f.name))
            if el.identifier == "citizen_id" and not identifiers.check_citizen_id(v).valid:
                out.append(("bad-check-digit", f.name))
            if el.codelist and el.codelist in reg:
                cl = reg.get(el.codelist)
                if entity_id == "fiscal_report_line":  # report lines aggregate by 类: valid, not leaf
                    ok = v in cl.valid_codes(year=year)
                else:
                    ok = cl.is_valid(v, year=year)
                if cl.closed and not ok:
                    out.append(("unknown-code", f.name))
    dep, gov = obj.get("dep_bgt_eco_code"), obj.get("gov_bgt_eco_code")
    if dep and gov and reg.dep_gov_consistent(dep, gov, year) is False:
        out.append(("gov-eco-mismatch", "gov_bgt_eco_code"))
    return out


def _month_of(d: str) -> int:
    return int(d[5:7])


def _dekad(d: date) -> int:
    return (d.month - 1) * 3 + min(2, (d.day - 1) // 10) + 1


def check_dataset(out: Path, clean: bool = False) -> set[tuple[str, str, int]]:
    data = load(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    year = manifest["arguments"]["year"]
    fy = str(year)
    bad: set[tuple[str, str, int]] = set()
    extra: list[str] = []  # violations of invariants no defect kind maps to (must stay empty)

    def flag(kind, entity, row):
        bad.add((kind, entity, row))

    # -- field level
    for e, rows in data.items():
        for row, obj, _ in rows:
            for kind, _f in structural(e, obj, year):
                flag(kind, e, row)

    # -- duplicate keys
    for e, rows in data.items():
        seen = set()
        key = STD.entity(e).key
        for row, obj, _ in rows:
            k = tuple(obj.get(x) for x in key)
            if k in seen:
                flag("duplicate-key", e, row)
            seen.add(k)

    def idx(e, *fields):
        d = {}
        for row, obj, _ in data[e]:
            d.setdefault(tuple(obj.get(f) for f in fields), (row, obj))
        return d

    ind = idx("budget_indicator", "mof_div_code", "bgt_id")
    req = idx("payment_request", "mof_div_code", "pay_app_id")
    regions = {o["mof_div_code"]: o for _, o, _ in data["fiscal_region"]}
    city_code = manifest["regions"][0]["mof_div_code"]
    dataset_regions = [r["mof_div_code"] for r in manifest["regions"]]
    adjs = defaultdict(list)
    for _, a, _ in data["indicator_adjustment"]:
        adjs[(a["mof_div_code"], a["bgt_id"])].append(a)
        amt = _money(a["adj_amt"])
        if (a["adj_type_code"] == "1") != (amt > 0):
            extra.append(f"adjustment sign {a['adj_id']}")
    plans = {}
    for _, p, _ in data["spending_plan"]:
        plans[(p["mof_div_code"], p["bgt_id"], p["plan_month"])] = _money(p["plan_amt"])
        if (p["mof_div_code"], p["bgt_id"]) not in ind:
            extra.append("plan without indicator")

    # -- agencies and budget levels
    agencies = idx("agency", "mof_div_code", "agency_code")
    for (div, code), (row, a) in agencies.items():
        level = "3" if div == city_code and manifest["regions"][0]["kind"] == "city" else "4"
        if a["budget_level_code"] != level:
            extra.append(f"agency budget level {div} {code}")
        if (div, a["dept_code"]) not in agencies:
            extra.append(f"dept_code {div} {a['dept_code']}")
    for e in ("agency_basic_data", "dept_budget_line", "budget_indicator", "payroll_record", "payment_voucher", "payment_request"):
        for _, o, _ in data[e]:
            if (o["mof_div_code"], o["agency_code"]) not in agencies:
                extra.append(f"{e} agency {o['agency_code']}")

    # -- budget lines = quantity × quota (C15)
    quotas = {(q["mof_div_code"], q["quota_code"]): q for _, q, _ in data["expense_quota"]}
    basic = {(b["mof_div_code"], b["agency_code"]): b for _, b, _ in data["agency_basic_data"]}
    for row, line, _ in data["dept_budget_line"]:
        if line.get("quota_code") is None:
            if line["exp_category_code"] != "3" or not line.get("pro_code"):
                extra.append("budget line without quota is not a project")
            continue
        q = quotas[(line["mof_div_code"], line["quota_code"])]
        b = basic[(line["mof_div_code"], line["agency_code"])]
        qty = {"01": Decimal(b["staff_in_service"]), "03": Decimal(b["office_area"]), "04": Decimal(b["vehicle_count"])}[q["quota_basis_code"]]
        expect = (qty * Decimal(q["quota_value"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if Decimal(line["quantity"]) != qty or _money(line["bgt_line_amt"]) != expect:
            flag("budget-quota-mismatch", "dept_budget_line", row)
        if line["dep_bgt_eco_code"] != q["dep_bgt_eco_code"] or line["exp_category_code"] != q["exp_category_code"]:
            extra.append("budget line eco/category differs from its quota")
    if clean:  # every budget line became an indicator (same unit, classification, amount)
        keyset = defaultdict(int)
        for _, i, _ in data["budget_indicator"]:
            if i["source_type_code"] == "1":
                keyset[(i["mof_div_code"], i["agency_code"], i["exp_func_code"], i["dep_bgt_eco_code"], i["gov_bgt_eco_code"], i["fund_type_code"], i["amount"])] += 1
        for _, l, _ in data["dept_budget_line"]:
            k = (l["mof_div_code"], l["agency_code"], l["exp_func_code"], l["dep_bgt_eco_code"], l["gov_bgt_eco_code"], l["fund_type_code"], l["bgt_line_amt"])
            if keyset[k] <= 0:
                extra.append(f"budget line {l['budget_line_id']} has no indicator")
            keyset[k] -= 1
        for _, i, _ in data["budget_indicator"]:
            d = _date(i["doc_date"])
            if d.year != year or (i["source_type_code"] == "2") != bool(i.get("sup_bgt_doc_no")):
                extra.append(f"indicator {i['bgt_id']} doc date/source")

    # -- payments
    vouchers = data["payment_voucher"]
    v_by_id = {}
    details = defaultdict(list)
    for row, d, _ in data["payment_detail"]:
        details[(d["mof_div_code"], d["pay_cert_id"])].append((row, d))
    spend = defaultdict(list)
    for row, v, _ in vouchers:
        div = v["mof_div_code"]
        v_by_id[(div, v["pay_cert_id"])] = (row, v)
        amt = _money(v["pay_amt"])
        vd = _date(v["vou_date"])
        rev = v["is_reversal"]
        if amt is not None and amt < 0 and not rev:
            flag("negative-not-reversal", "payment_voucher", row)
        if rev and amt is not None and amt > 0:
            extra.append("positive reversal")
        r = req.get((div, v["pay_app_id"]))
        if r is None or _money(r[1]["pay_app_amt"]) != amt or r[1]["is_reversal"] != rev:
            extra.append(f"voucher {v['pay_cert_id']} request")
        else:
            ri = ind.get((div, r[1]["bgt_id"]))
            if ri is None or any(r[1][f] != ri[1][f] for f in ("exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "fund_type_code", "pay_type_code", "agency_code")):
                extra.append(f"request {r[1]['pay_app_id']} differs from its indicator")
            if _date(r[1]["create_date"]) and vd and _date(r[1]["create_date"]) > vd:
                extra.append("request after voucher")
        i = ind.get((div, v["bgt_id"]))
        if i is None:
            flag("orphan-payment", "payment_voucher", row)
        else:
            i = i[1]
            if any(v[f] != i[f] for f in ("exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "fund_type_code", "pay_type_code", "agency_code")):
                flag("payment-indicator-mismatch", "payment_voucher", row)
            if vd and vd < _date(i["doc_date"]):
                flag("payment-before-doc-date", "payment_voucher", row)
            spend[(div, v["bgt_id"])].append((v["vou_date"], v["pay_cert_id"], amt, row))
        if vd and vd.year != year:
            flag("payment-outside-year", "payment_voucher", row)
        lines = details.get((div, v["pay_cert_id"]), [])
        if not lines or sum(_money(d["pay_amt"]) for _, d in lines) != amt:
            extra.append(f"details of {v['pay_cert_id']} do not add up")
        for drow, d in lines:
            if _money(d["pay_amt"]) < 0 and not rev:
                flag("negative-not-reversal", "payment_detail", drow)
            if d.get("per_name") and d.get("town_code"):
                if registry().get("town").lookup(d["town_code"], year=year).row.parent != div:
                    extra.append("town outside the county")
        # clearing link
        if v["pay_type_code"] == "2":
            if not v.get("clear_id") or v.get("act_lqd_date") != v["vou_date"]:
                extra.append("authorised payment without clearing")
        elif v.get("clear_id"):
            extra.append("direct payment with clearing")
    for row, r, _ in data["payment_request"]:
        if _money(r["pay_app_amt"]) < 0 and not r["is_reversal"]:
            flag("negative-not-reversal", "payment_request", row)

    for (div, bgt), items in spend.items():
        i = ind[(div, bgt)][1]
        base = _money(i["amount"])
        adj = sorted((a["adj_date"], _money(a["adj_amt"])) for a in adjs.get((div, bgt), []))
        items.sort()
        cum = Decimal(0)
        month_cum = defaultdict(Decimal)
        for vdate, cert, amt, row in items:
            if amt is None or amt <= 0:
                continue
            cum += amt
            avail = base + sum(x for d, x in adj if d <= vdate)
            if cum > avail:
                flag("overspend-indicator", "payment_voucher", row)
            m = _month_of(vdate)
            month_cum[m] += amt
            if month_cum[m] > plans.get((div, bgt, m), Decimal(0)):
                flag("over-plan", "payment_voucher", row)
        if clean:
            total = base + sum(x for _, x in adj)
            if sum(plans[(div, bgt, m)] for m in range(1, 13)) != total:
                extra.append(f"plans of {bgt} do not add up to the indicator")

    # -- clearing
    cleared = defaultdict(lambda: [Decimal(0), 0])
    for _, v, _ in vouchers:
        if v.get("clear_id"):
            c = cleared[(v["mof_div_code"], v["clear_id"])]
            c[0] += _money(v["pay_amt"])
            c[1] += 1
    for row, c, _ in data["bank_clearing"]:
        got = cleared.pop((c["mof_div_code"], c["clear_id"]), [Decimal(0), 0])
        if _money(c["clear_amt"]) != got[0] or c["voucher_count"] != got[1]:
            flag("clearing-mismatch", "bank_clearing", row)
    if cleared:
        extra.append("vouchers with an unknown clear_id")

    # -- payroll
    payroll_net = defaultdict(Decimal)
    for _, p, _ in data["payroll_record"]:
        if _money(p["gross_amt"]) - _money(p["deduct_amt"]) != _money(p["net_amt"]):
            extra.append("payroll net")
        payroll_net[(p["mof_div_code"], p["pay_cert_id"])] += _money(p["net_amt"])
        vv = v_by_id[(p["mof_div_code"], p["pay_cert_id"])][1]
        if vv["bgt_id"] != p["bgt_id"] or _month_of(vv["vou_date"]) != p["pay_month"] or vv["dep_bgt_eco_code"] != p["dep_bgt_eco_code"]:
            extra.append("payroll record vs voucher")
    for (div, cert), net in payroll_net.items():
        if _money(v_by_id[(div, cert)][1]["pay_amt"]) != net:
            extra.append("payroll voucher ≠ Σ net")

    # -- revenue
    tax = data["tax_receipt"]
    for row, t, _ in tax:
        if _money(t["inc_amt"]) < 0 and not t["is_reversal"]:
            flag("negative-not-reversal", "tax_receipt", row)
    nt_lines = defaultdict(list)
    for row, l, _ in data["non_tax_payment_line"]:
        nt_lines[(l["mof_div_code"], l["nt_pay_voucher_id"])].append((row, l))
    for row, n, _ in data["non_tax_payment"]:
        total = _money(n["total_pay_amt"])
        if total < 0 and not n["is_reversal"]:
            flag("negative-not-reversal", "non_tax_payment", row)
        ls = nt_lines[(n["mof_div_code"], n["nt_pay_voucher_id"])]
        if sum(_money(l["pay_amt"]) for _, l in ls) != total or _money(n["paid_amt"]) != total:
            extra.append("non-tax total")

    # -- accounting
    av = {}
    for row, a, _ in data["accounting_voucher"]:
        av[(a["mof_div_code"], a["acct_voucher_id"])] = (row, a)
        if _month_of(a["acct_date"]) != a["acct_period"] or _date(a["acct_date"]).year != year:
            extra.append("accounting period")
    av_lines = defaultdict(list)
    for row, l, _ in data["accounting_voucher_line"]:
        av_lines[(l["mof_div_code"], l["acct_voucher_id"])].append((row, l))
        if (l["mof_div_code"], l["acct_voucher_id"]) not in av:
            extra.append("line without voucher")
        if not registry().get("gov_acct").is_valid(l["acct_code"], year=year):
            extra.append("account code")
    by_src = {}
    for (div, avid), (row, a) in av.items():
        by_src[(div, a["src_entity"], a["src_id"])] = avid
        ls = av_lines[(div, avid)]
        dr = sum(_money(l["dr_amt"]) for _, l in ls)
        cr = sum(_money(l["cr_amt"]) for _, l in ls)
        if dr != cr:
            for lrow, l in ls:
                if l.get("exp_func_code") is None and l.get("rev_class_code") is None:
                    flag("voucher-unbalanced", "accounting_voucher_line", lrow)

    def classified(div, avid):
        return [(r, l) for r, l in av_lines[(div, avid)] if l.get("exp_func_code") or l.get("rev_class_code")]

    for row, v, _ in vouchers:
        avid = by_src.get((v["mof_div_code"], "payment_voucher", v["pay_cert_id"]))
        if avid is None:
            flag("missing-accounting-voucher", "payment_voucher", row)
            continue
        for lrow, l in classified(v["mof_div_code"], avid):
            if (_money(l["dr_amt"]) - _money(l["cr_amt"]) != _money(v["pay_amt"]) or l["exp_func_code"] != v["exp_func_code"]
                    or l.get("dep_bgt_eco_code") != v["dep_bgt_eco_code"] or l.get("fund_type_code") != v["fund_type_code"]):
                flag("accounting-amount-mismatch", "accounting_voucher_line", lrow)
    for row, t, _ in tax:
        avid = by_src.get((t["mof_div_code"], "tax_receipt", t["tax_receipt_id"]))
        if avid is None:
            flag("missing-accounting-voucher", "tax_receipt", row)
            continue
        for lrow, l in classified(t["mof_div_code"], avid):
            if _money(l["cr_amt"]) - _money(l["dr_amt"]) != _money(t["inc_amt"]) or l["rev_class_code"] != t["rev_class_code"]:
                flag("accounting-amount-mismatch", "accounting_voucher_line", lrow)
    for row, n, _ in data["non_tax_payment"]:
        avid = by_src.get((n["mof_div_code"], "non_tax_payment", n["nt_pay_voucher_id"]))
        if avid is None:
            flag("missing-accounting-voucher", "non_tax_payment", row)
            continue
        ls = classified(n["mof_div_code"], avid)
        src = nt_lines[(n["mof_div_code"], n["nt_pay_voucher_id"])]
        for (lrow, l), (_, s) in zip(ls, src):
            if _money(l["cr_amt"]) - _money(l["dr_amt"]) != _money(s["pay_amt"]) or l["rev_class_code"] != s["rev_class_code"]:
                flag("accounting-amount-mismatch", "accounting_voucher_line", lrow)

    # -- reports = ledger; YTD chains; consolidation
    ledger = defaultdict(Decimal)  # (div, ptype, period, kind, class)
    for (div, avid), ls in av_lines.items():
        d = _date(av[(div, avid)][1]["acct_date"])
        dk = _dekad(d)
        for _, l in ls:
            if l.get("exp_func_code"):
                key, amt = ("exp", l["exp_func_code"][:3]), _money(l["dr_amt"]) - _money(l["cr_amt"])
            elif l.get("rev_class_code"):
                key, amt = ("rev", l["rev_class_code"][:3]), _money(l["cr_amt"]) - _money(l["dr_amt"])
            else:
                continue
            ledger[(div, "1", dk) + key] += amt
            ledger[(div, "2", d.month) + key] += amt
    reports = {(r["mof_div_code"], r["report_id"]): r for _, r, _ in data["fiscal_report"]}
    series = defaultdict(dict)  # (div, scope, ptype, kind, class) → {period: (cur, ytd, row)}
    for row, l, _ in data["fiscal_report_line"]:
        r = reports[(l["mof_div_code"], l["report_id"])]
        key = ("exp", l["exp_func_code"]) if l.get("exp_func_code") else ("rev", l["rev_class_code"])
        series[(l["mof_div_code"], r["consolidation_scope_code"], r["report_period_code"]) + key][r["period_no"]] = (
            _money(l["cur_period_amt"]), _money(l["ytd_amt"]), row)
    for (div, scope, ptype, kind, cls), per in series.items():
        n = 36 if ptype == "1" else 12
        if sorted(per) != list(range(1, n + 1)):
            extra.append("report periods incomplete")
        prev = Decimal(0)
        for p in range(1, n + 1):
            cur, ytd, row = per[p]
            if ytd != prev + cur:
                flag("ytd-mismatch", "fiscal_report_line", row)
            prev = ytd
            if scope == "1":
                if cur != ledger.get((div, ptype, p, kind, cls), Decimal(0)):
                    flag("report-ledger-mismatch", "fiscal_report_line", row)
            else:
                own = sum(series.get((r, "1", ptype, kind, cls), {}).get(p, (Decimal(0),))[0] for r in dataset_regions)
                if cur != own:
                    flag("consolidation-mismatch", "fiscal_report_line", row)
    for (div, ptype, p, kind, cls), amt in ledger.items():
        if amt and (div, "1", ptype, kind, cls) not in series:
            extra.append(f"ledger class {cls} missing from the reports of {div}")
    if manifest["regions"][0]["kind"] == "city" and len(dataset_regions) > 1:
        if not any(k[1] == "2" for k in series):
            extra.append("no consolidated report")

    # -- fiscal regions and envelopes
    for code, r in regions.items():
        if r.get("parent_mof_div_code") and r["parent_mof_div_code"] not in regions:
            extra.append("fiscal_region parent missing")
    for code in dataset_regions:
        if code not in regions:
            extra.append("dataset region missing from fiscal_region")
    env = {(x["mof_div_code"], x["entity_name"]): x for _, x, _ in data["submission_envelope"]}
    for e, rows in data.items():
        if e == "submission_envelope":
            continue
        for code in dataset_regions:
            if e == "fiscal_region":
                owned = [line for _, o, line in rows if (o["mof_div_code"] == code) or (code == dataset_regions[0] and o["mof_div_code"] not in dataset_regions)]
            else:
                owned = [line for _, o, line in rows if o["mof_div_code"] == code]
            x = env[(code, e)]
            sha = hashlib.sha256("".join(line + "\n" for line in owned).encode("utf-8")).hexdigest()
            if x["record_count"] != len(owned) or x["content_sha256"] != sha or x["fiscal_year"] != fy:
                extra.append(f"envelope {code} {e}")
    assert not extra, extra[:20]
    return bad


# ------------------------------------------------------------------------------------------------
# tests
# ------------------------------------------------------------------------------------------------


def test_serialiser_equals_canonical_dumps():
    import random

    rng = random.Random(1)
    for ent in STD.entities.values():
        c = compile_entity(ent)
        for _ in range(30):
            vals = []
            for f in ent.fields:
                if not f.required and rng.random() < 0.4:
                    vals.append(None)
                    continue
                t = f.element.type
                if t in ("money", "decimal"):
                    vals.append(rng.choice([0, 5, -7, 100, 123456789, -100000, 99]))
                elif t == "integer":
                    vals.append(rng.randint(0, 10**6))
                elif t == "boolean":
                    vals.append(rng.random() < 0.5)
                elif t == "date":
                    vals.append("2024-02-29")
                elif t == "datetime":
                    vals.append("2024-01-05T09:00:00+08:00")
                else:
                    vals.append(rng.choice(["A1", "保定市青禾服务中心", "130600000", "x y"]))
            line = c.to_json(*vals)
            assert line == dumps_record(ent, raw_to_canonical(ent, tuple(vals)))


def test_city_clean_chain(city):
    out, manifest = city
    assert check_dataset(out, clean=True) == set()
    assert manifest["defects"] == []
    assert len(manifest["regions"]) == 27  # 保定市 + 26 county-level regions valid in 2024
    counts = {e: i["records"] for e, i in manifest["entities"].items()}
    assert all(counts[e] > 0 for e in counts), counts


def test_county_clean_chain(county):
    out, manifest = county
    assert check_dataset(out, clean=True) == set()
    assert [r["mof_div_code"] for r in manifest["regions"]] == ["130634000"]
    data = load(out)
    assert all(r[1]["consolidation_scope_code"] == "1" for r in data["fiscal_report"])
    assert any(d[1].get("iden_no") and d[1].get("town_code") for d in data["payment_detail"])
    assert any(v[1]["is_reversal"] for v in data["payment_voucher"])
    assert any(t[1]["is_reversal"] for t in data["tax_receipt"])


def test_lines_are_canonical_and_models_validate(city):
    from jincai.models import model_for

    out, _ = city
    data = load(out)
    for e, rows in data.items():
        ent = STD.entity(e)
        model = model_for(e)
        for _, obj, line in rows:
            assert dumps_record(ent, record_from_json(ent, obj)) == line
            rec = model.model_validate_json(line)
            assert dumps_record(ent, rec.canonical()) == line


def test_codes_and_identifiers_valid(county):
    out, _ = county
    for e, rows in load(out).items():
        for row, obj, _ in rows:
            assert structural(e, obj, YEAR) == [], (e, row, obj)


def test_deterministic(tmp_path, county):
    out, manifest = county
    again = tmp_path / "again"
    m2 = _gen(again, "130634000", 3, workers=1)
    for f in sorted(p.name for p in out.iterdir()):
        assert (out / f).read_bytes() == (again / f).read_bytes(), f
    assert {p.name for p in again.iterdir()} == {p.name for p in out.iterdir()}
    assert m2["entities"] == manifest["entities"]


def test_defects_fire_exactly(defective):
    out, manifest, k = defective
    listed = manifest["defects"]
    assert len(listed) == k
    assert {d["kind"] for d in listed} == set(D.available_kinds("jsonl", True))
    found = check_dataset(out)
    expected = {(d["kind"], d["entity"], d["row"]) for d in listed}
    assert found == expected, (sorted(found - expected)[:10], sorted(expected - found)[:10])


def test_defect_pointers_show_the_injected_value(defective):
    out, manifest, _ = defective
    for d in manifest["defects"]:
        assert d["file"] == f"{d['entity']}.jsonl"
        with open(out / d["file"], encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if i == d["row"]:
                    break
        obj = json.loads(line)
        for k, v in d["key"].items():
            assert obj.get(k) == v, (d, obj)
        assert obj.get(d["field"]) == d["injected"], (d, obj)
        if d["kind"] != "duplicate-key":
            assert d["original"] != d["injected"]


def test_clean_and_defective_runs_share_their_untouched_units(city, tmp_path):
    """A defect changes its own unit only: with one defect the other files stay byte-identical."""
    out, _ = city
    m = _gen(tmp_path, "130600", 1, defects=1, seed=0)  # same data seed as the clean run
    d = m["defects"][0]
    same = [e for e in STD.entities if (out / f"{e}.jsonl").read_bytes() == (tmp_path / f"{e}.jsonl").read_bytes()]
    assert len(same) >= 10, (d, same)


def test_csv_and_avro(tmp_path, county):
    from jincai.avro_io import read_avro

    out, manifest = county
    m = _gen(tmp_path / "csv", "130634000", 3, fmt="csv")
    data = load(out)
    for e, ent in STD.entities.items():
        with open(tmp_path / "csv" / f"{e}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ent.field_names
        assert len(rows) - 1 == len(data[e])
        for (row, obj, _), cells in zip(data[e][:50], rows[1:51]):
            for f, cell in zip(ent.fields, cells):
                v = obj.get(f.name)
                want = "" if v is None else ("true" if v is True else "false" if v is False else str(v))
                assert cell == want, (e, row, f.name)
    assert [ (e, i["records"]) for e, i in m["entities"].items()] == [(e, i["records"]) for e, i in manifest["entities"].items()]
    # the envelopes mean the same thing whatever the format
    env_csv = (tmp_path / "csv" / "submission_envelope.csv").read_text(encoding="utf-8")
    assert env_csv.count("\n") == len(data["submission_envelope"]) + 1

    ma = _gen(tmp_path / "avro", "130634000", 3, fmt="avro")
    for e in ("payment_voucher", "fiscal_report_line", "agency_basic_data"):
        got = read_avro(tmp_path / "avro" / f"{e}.avro")
        ent = STD.entity(e)
        assert [dumps_record(ent, r) for r in got.records] == [line for _, _, line in data[e]]
    assert ma["entities"]["payment_voucher"]["file"] == "payment_voucher.avro"


def test_avro_defects_are_business_defects(tmp_path):
    m = _gen(tmp_path, "130634", 6, fmt="avro", defects=5, seed=1)
    assert len(m["defects"]) == 5
    assert not {d["kind"] for d in m["defects"]} & set(D.FIELD_KINDS)


def test_csv_defects(tmp_path):
    m = _gen(tmp_path, "130600", 1, fmt="csv", defects=24, seed=5)
    assert len(m["defects"]) == 24
    assert "money-float" not in {d["kind"] for d in m["defects"]}
    for d in m["defects"]:
        assert d["file"] == f"{d['entity']}.csv"
        with open(tmp_path / d["file"], encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        row = dict(zip(rows[0], rows[d["row"]]))
        for k, v in d["key"].items():
            assert row[k] == str(v)
        assert row[d["field"]] == ("" if d["injected"] is None else str(d["injected"])), d


def test_validation_engine_agrees(city, defective):
    """The rule engine (jincai.validation) finds nothing in clean data and exactly the listed defects."""
    engine = pytest.importorskip("jincai.validation.engine")
    out, _ = city
    clean = engine.validate(sorted(str(p) for p in out.glob("*.jsonl")), year=YEAR, max_issues=None)
    assert [(i.rule, i.entity, i.row, i.field) for i in clean.issues] == []
    out, manifest, k = defective
    rep = engine.validate(sorted(str(p) for p in out.glob("*.jsonl")), year=YEAR, max_issues=None)
    got = sorted((i.entity, i.row, i.field) for i in rep.issues)
    assert got == sorted((d["entity"], d["row"], d["field"]) for d in manifest["defects"])


def test_cli(tmp_path):
    from jincai.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["sample", "--out", str(tmp_path / "a"), "--region", "130634", "--year", "2024", "--scale", "1", "-q"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "a" / "manifest.json").exists()
    for args in (
        ["--region", "999999"],
        ["--region", "13063"],
        ["--region", "130000"],  # the province: not a city or county
        ["--region", "130634", "--year", "2006"],
        ["--region", "130634", "--year", "2015"],  # no government economic classification before 2018
        ["--region", "130634", "--format", "xml"],
        ["--region", "130634", "--scale", "0"],
        ["--region", "130634", "--defects", "40"],  # more defects than budget units
    ):
        full = ["sample", "--out", str(tmp_path / "b"), "--year", "2024", *args]
        res = runner.invoke(app, full)
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output
    help_text = runner.invoke(app, ["sample", "--help"]).output
    assert "每个财政区划的预算单位数" in help_text and "budget units per fiscal region" in help_text


def test_issue8_sample_chain_and_defects_do_not_import_each_other():
    """The generator (chain) arms the defects the planner (defects) describes; the planner needs
    nothing from the generator, so the import goes one way only (it was a cycle, hidden in
    function-level imports)."""
    import ast

    from jincai import paths

    def imported(module: str) -> set[str]:
        tree = ast.parse((paths.HOME / "jincai" / "sample" / f"{module}.py").read_text(encoding="utf-8"))
        out = set()
        for node in ast.walk(tree):  # function-level imports count too
            if isinstance(node, ast.ImportFrom) and node.module:
                out.add(node.module)
                out.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
        return out

    assert "jincai.sample.defects" in imported("chain")
    assert not {m for m in imported("defects") if m.startswith("jincai.sample.chain")}
