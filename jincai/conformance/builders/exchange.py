"""The producer scenario and the auditor's stored submissions.

Producer: a county's master data and one month of its transactions (涿州市, January 2024, taken
from the clean sample county) as a spec a vendor keys into the product; the product's export must
pass the catalogue and match the expected totals (records and money per entity, computed here from
the spec), with a correct envelope per entity file.

Auditor: stored submissions with their recorded verdicts — the clean month (no finding), and the
sample county with three injected defects, whose manifest names the one rule each defect breaks
(``jincai.sample.defects``: every defect makes exactly one rule fail, at the listed place).
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import yaml

from jincai.conformance.builders.base import SAMPLE_REGION, Draft, jsonl, sample_records, scratch
from jincai.conformance.builders.translation import money_totals
from jincai.conformance.reference_producer import canonical_line
from jincai.standard import standard
from jincai.validation.catalogue import catalogue

MONTH = "2024-01"
MASTER = ["fiscal_region", "agency", "agency_basic_data", "expense_quota", "dept_budget_line", "budget_indicator"]
SUBMISSION = {"submission_id": "SUB130681000-2024-01", "create_time": "2024-02-05T09:00:00+08:00"}


def content_sha256(entity: str, records: list[dict]) -> str:
    return hashlib.sha256("".join(canonical_line(entity, r) + "\n" for r in records).encode("utf-8")).hexdigest()


def month_records() -> dict[str, list[dict]]:
    """The county's master data and January's transactions (each chain kept whole)."""
    r = sample_records
    keep = {e: r(e) for e in MASTER}
    keep["spending_plan"] = [x for x in r("spending_plan") if x["plan_month"] == 1]
    keep["payment_request"] = [x for x in r("payment_request") if x["create_date"].startswith(MONTH)]
    keep["payment_voucher"] = [x for x in r("payment_voucher") if x["vou_date"].startswith(MONTH)]
    vouchers = {x["pay_cert_id"] for x in keep["payment_voucher"]}
    keep["payment_detail"] = [x for x in r("payment_detail") if x["pay_cert_id"] in vouchers]
    keep["bank_clearing"] = [x for x in r("bank_clearing") if x["act_lqd_date"].startswith(MONTH)]
    keep["payroll_record"] = [x for x in r("payroll_record") if x["pay_month"] == 1]
    keep["tax_receipt"] = [x for x in r("tax_receipt") if x["receipt_date"].startswith(MONTH)]
    keep["non_tax_payment"] = [x for x in r("non_tax_payment") if x["bill_date"].startswith(MONTH)]
    notices = {x["nt_pay_voucher_id"] for x in keep["non_tax_payment"]}
    keep["non_tax_payment_line"] = [x for x in r("non_tax_payment_line") if x["nt_pay_voucher_id"] in notices]
    keep["accounting_voucher"] = [x for x in r("accounting_voucher") if x["acct_period"] == 1]
    acct = {x["acct_voucher_id"] for x in keep["accounting_voucher"]}
    keep["accounting_voucher_line"] = [x for x in r("accounting_voucher_line") if x["acct_voucher_id"] in acct]
    keep["fiscal_report"] = [x for x in r("fiscal_report") if x["report_date"].startswith(MONTH)]
    reports = {x["report_id"] for x in keep["fiscal_report"]}
    keep["fiscal_report_line"] = [x for x in r("fiscal_report_line") if x["report_id"] in reports]
    return {e: v for e, v in keep.items() if v}


def totals(records: dict[str, list[dict]]) -> dict[str, Any]:
    money = money_totals(records)
    return {
        "format": "jincai-conformance-totals/1",
        "entities": {
            e: {"records": len(recs), "money": {m["field"]: m["translated_total"] for m in money if m["entity"] == e}}
            for e, recs in sorted(records.items())
        },
    }


def envelopes(records: dict[str, list[dict]], product: dict[str, str]) -> list[dict]:
    """One envelope per entity file, as a correct producer writes them."""
    std = standard()
    out = []
    for e in sorted(records):
        out.append({
            "submission_id": SUBMISSION["submission_id"], "mof_div_code": f"{SAMPLE_REGION}000", "fiscal_year": "2024",
            "product_name": product["name"], "product_version": product["version"], "standard_version": std.version,
            "entity_name": e, "record_count": len(records[e]), "content_sha256": content_sha256(e, records[e]),
            "create_time": SUBMISSION["create_time"],
        })
    return out


SCENARIO_HEAD_ZH = (
    "在被测产品中建立以下主数据（财政区划、预算单位、基础资料、定额、部门预算、预算指标），录入 2024 年 1 月的业务"
    "（用款计划、支付申请、支付凭证及明细、清算、工资统发、税收入库、非税缴款、总会计凭证、旬报月报），然后用产品的"
    "标准导出功能导出报送：每个实体一个 JSON Lines 文件 <实体>.jsonl，外加 submission_envelope.jsonl，每个实体文件一个信封"
    "（submission_id 与 create_time 取下面 submission 的值，产品名称与版本取产品自身，记录数与内容校验和按标准计算；"
    "产品已获证书时填写 cert_no 与 vendor_name）。产品自己生成的编号可以不同，但记录数与金额合计必须与预期一致。"
)
SCENARIO_HEAD_EN = (
    "Set up the master data below in the product under test (fiscal region, budget unit, basic data, quotas, department budget, "
    "indicators), enter January 2024's business (spending plans, payment requests, vouchers and their lines, clearing, payroll, "
    "tax receipts, non-tax notices, accounting vouchers, 10-day and monthly reports), then export the submission with the "
    "product's standard export: one JSON Lines file <entity>.jsonl per entity and submission_envelope.jsonl with one envelope per "
    "entity file (submission_id and create_time from `submission` below, product name and version of the product itself, record "
    "count and content checksum as the standard defines them; cert_no and vendor_name when the product holds a certificate). "
    "Identifiers the product generates may differ; record counts and money totals must match the expected totals."
)


def _producer() -> Draft:
    records = month_records()
    scenario = {
        "format": "jincai-conformance-scenario/1",
        "title_zh": "涿州市 2024 年 1 月：主数据与一个月的业务",
        "title_en": "Zhuozhou, January 2024: master data and one month of business",
        "instructions_zh": SCENARIO_HEAD_ZH,
        "instructions_en": SCENARIO_HEAD_EN,
        "submission": SUBMISSION,
        "master_data": {e: records[e] for e in MASTER if e in records},
        "transactions": {e: v for e, v in records.items() if e not in MASTER},
    }
    text = yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False, width=200)
    files = {"scenario.yaml": text.encode("utf-8"), "expected/totals.json": (json.dumps(totals(records), ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    return Draft(
        id="producer.county-month", module="producer", group="county-month",
        title_zh="生产者：导出一个县一个月的完整报送（校验通过、合计一致、信封正确）",
        title_en="Producer: export one county's month (passes the catalogue, totals match, envelopes correct)",
        actors=["producer"], requirements=["R-PROD-export", "R-PROD-totals", "R-PROD-envelope", "R-inputs"], operation="produce",
        input={"scenario": "scenario.yaml"}, expected={"outcome": "valid", "totals": "expected/totals.json", "envelopes": True}, files=files,
        review_zh="场景取自干净的样例县（全部规则通过）；预期合计由场景逐条相加", review_en="the scenario is the clean sample county's January (it passes every rule); totals are summed from it",
    )


def _auditor() -> list[Draft]:
    out = []
    records = month_records()
    files = {f"{e}.jsonl": jsonl(v) for e, v in records.items()}
    product = {"name": "示例财政软件 Example fiscal software", "version": "5.1.0"}
    files["submission_envelope.jsonl"] = jsonl(envelopes(records, product))
    out.append(Draft(
        id="auditor.stored-clean-month", module="auditor", group="stored", title_zh="审计：重跑一份已入库的干净报送，结论仍为无问题",
        title_en="Auditor: rerunning a stored clean submission reproduces its verdict (no finding)", actors=["auditor", "validator"],
        requirements=["R-AUD-reproduce"], operation="validate", input={"files": sorted(files), "year": 2024},
        expected={"outcome": "valid", "match": "exact", "scope": [], "issues": []}, files=files,
        review_zh="干净样例县的一个月，入库时的结论为无问题", review_en="a month of the clean sample county; the verdict recorded at ingestion was: no finding",
    ))
    from jincai.sample import Options, generate

    tmp = scratch("defects")
    manifest = generate(Options(out=tmp, region=SAMPLE_REGION, year=2024, scale=3, defects=3, seed=7, workers=1))
    by_kind: dict[str, list[str]] = {}
    for rule in catalogue().rules.values():
        for k in rule.sample_defect_kinds:
            by_kind.setdefault(k, []).append(rule.id)
    issues = []
    for d in manifest["defects"]:
        rules = by_kind[d["kind"]]
        assert len(rules) == 1, (d["kind"], rules)
        issues.append({"rule": rules[0], "file": d["file"], "row": d["row"], "field": d["field"]})
    dfiles = {p.name: p.read_bytes() for p in sorted(tmp.glob("*.jsonl")) if p.stat().st_size}  # an empty file is a warning of its own
    out.append(Draft(
        id="auditor.stored-sample-defects", module="auditor", group="stored",
        title_zh="审计：重跑一份含 3 个已知缺陷的入库报送，逐一复现记录的结论", title_en="Auditor: rerunning a stored submission with 3 known defects reproduces each recorded finding",
        actors=["auditor", "validator"], requirements=["R-AUD-reproduce", *sorted({f"R-RULE-{i['rule']}" for i in issues})], operation="validate",
        input={"files": sorted(dfiles), "year": 2024}, expected={"outcome": "invalid", "match": "exact", "scope": [], "issues": issues}, files=dfiles,
        review_zh="jincai sample --region 130681 --year 2024 --scale 3 --defects 3 --seed 7；缺陷清单说明每个缺陷恰好违反的一条规则及位置",
        review_en="jincai sample --region 130681 --year 2024 --scale 3 --defects 3 --seed 7; the defect manifest names the one rule each defect breaks and where",
    ))
    return out


def make() -> list[Draft]:
    return [_producer(), *_auditor()]


def scenario_records(scenario: dict[str, Any]) -> dict[str, list[dict]]:
    """The records of a scenario spec (what a producer must export, before its envelopes)."""
    return {**scenario.get("master_data", {}), **scenario.get("transactions", {})}


def money_total(records: list[dict], field: str) -> Decimal:
    return sum((Decimal(r[field]) for r in records if r.get(field) is not None), Decimal("0.00"))
