"""Legacy translation: one group per shipped adapter profile (its samples and its defect files),
and the encodings legacy text arrives in (UTF-8, UTF-8 with BOM, GBK, GB18030) through a CSV layout.

Expected records are the profiles' reviewed golden files (``adapters/<id>/expected/``,
``defects/expected/``); expected rejections and counts are ``defects/expected_rejections.json``;
money totals are summed here from the expected records (exact Decimal). The encoding cases write
the same agency records in each encoding, so their expected output is the records themselves.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from jincai import paths
from jincai.conformance.builders.base import Draft, base_record, csv_bytes, jsonl, read_jsonl
from jincai.conformance.builders.identifiers import org_check, uscc_check
from jincai.standard import standard

COMPANIONS = {".fpt", ".dbt"}
NOT_PROFILE = {"README.md", "make_samples.py"}


def _profile_files(folder: Path) -> dict[str, bytes]:
    """The profile and what it names (crosswalks), as the case's own copy."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name not in NOT_PROFILE}


def money_totals(records: dict[str, list[dict]]) -> list[dict]:
    std = standard()
    out = []
    for entity, recs in sorted(records.items()):
        for f in std.entity(entity).fields:
            if f.element.type == "money" and any(f.name in r for r in recs):
                total = sum((Decimal(r[f.name]) for r in recs if r.get(f.name) is not None), Decimal("0.00"))
                out.append({"entity": entity, "field": f.name, "translated_total": format(total.quantize(Decimal("0.01")), "f")})
    return out


def _translate_draft(case_id: str, group: str, title: tuple[str, str], system: str, files: dict[str, bytes], inputs: list[str],
                     records: dict[str, list[dict]] | None, ledger: dict[str, Any] | None, review: tuple[str, str], requirements: list[str],
                     module: str = "translation", refused: bool = False) -> Draft:
    expected: dict[str, Any] = {"refused": refused}
    if records is not None:
        for entity, recs in sorted(records.items()):
            files[f"expected/{entity}.jsonl"] = jsonl(recs)
        expected["records"] = {e: f"expected/{e}.jsonl" for e in sorted(records)}
    if ledger is not None:
        expected["ledger"] = ledger
    return Draft(
        id=case_id, module=module, group=group, title_zh=title[0], title_en=title[1], actors=["adapter"], requirements=requirements,
        operation="translate", input={"system": system, "profile": "profile.yaml", "inputs": inputs}, expected=expected, files=files,
        features=[f"system.{system}"], review_zh=review[0], review_en=review[1],
    )


def _shipped(name: str) -> list[Draft]:
    folder = paths.ADAPTERS / name
    prof = _profile_files(folder)
    out = []
    samples = sorted(p for p in (folder / "samples").iterdir() if p.is_file() and not p.name.startswith("."))
    files = {**prof, **{f"inputs/{p.name}": p.read_bytes() for p in samples}}
    inputs = [f"inputs/{p.name}" for p in samples if p.suffix.lower() not in COMPANIONS]
    records = {p.stem: read_jsonl(p) for p in sorted((folder / "expected").glob("*.jsonl"))}
    ledger = {"rows": {"rejected": 0}, "records": {e: len(r) for e, r in records.items()}, "rejected": [], "money": money_totals(records)}
    out.append(_translate_draft(
        f"adapter.{name}.samples", name, (f"适配 {name}：样例文件转换为标准记录", f"Adapter {name}: the samples become the standard's records"),
        name, files, inputs, records, ledger,
        (f"预期记录为 adapters/{name}/expected/ 的评审金样；金额合计由其逐条相加", f"expected records are the reviewed golden files adapters/{name}/expected/; money totals summed from them"),
        [f"R-ADAPT-{name}", "R-ADAPT-ledger"],
    ))
    spec_path = folder / "defects" / "expected_rejections.json"
    if spec_path.exists():
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        dfiles = {**prof}
        for p in sorted((folder / "defects").iterdir()):
            if p.is_file() and p.name != "expected_rejections.json":
                dfiles[f"inputs/{p.name}"] = p.read_bytes()
        exp_dir = folder / "defects" / "expected"
        drecords = {p.stem: read_jsonl(p) for p in sorted(exp_dir.glob("*.jsonl"))} if exp_dir.is_dir() else None
        rejected = [{"file": r["file"], "sheet": r.get("sheet") or None, "row": r["row"], "reasons": r["reasons"]} for r in spec["rejected"]]
        dledger = {
            "rows": {k: spec["counts"].get(k) for k in ("source", "translated", "rejected", "filtered")},
            "records": {e: len(r) for e, r in (drecords or {}).items()},
            "rejected": rejected,
            "money": money_totals(drecords or {}),
        }
        out.append(_translate_draft(
            f"adapter.{name}.defects", name, (f"适配 {name}：缺陷文件逐行拒绝并说明原因", f"Adapter {name}: defect rows are rejected with their reasons"),
            name, dfiles, [f"inputs/{f}" for f in spec["inputs"]], drecords, dledger,
            (f"拒绝的行、原因与计数来自评审过的 adapters/{name}/defects/expected_rejections.json", f"rejected rows, reasons and counts from the reviewed adapters/{name}/defects/expected_rejections.json"),
            [f"R-ADAPT-{name}", "R-ADAPT-ledger", "R-ADAPT-no-silent-drop"],
        ))
    return out


# ------------------------------------------------------------------------------------------------
# encodings
# ------------------------------------------------------------------------------------------------

ENCODING_PROFILE = """\
# 符合性测试：单位名录 CSV（不声明编码：由读取器检测）
# Conformance suite: an agency list CSV, encoding not declared (the reader detects it).
id: conformance_csv_agency
name_zh: 符合性测试用单位名录 CSV
name_en: Conformance suite agency list CSV
system:
  vendor: 符合性测试套件 conformance suite
  product: 单位名录导出 agency list export
  version: "1"
source:
  format: csv{encoding}
filters:
  - blank
targets:
  - entity: agency
    fields:
      mof_div_code: 区划代码
      fiscal_year: 年度
      agency_code: 单位代码
      agency_name: 单位名称
      dept_code: 主管部门代码
      agency_type_code: 单位类型
      budget_level_code: 预算级次
      unifsoc_cred_code: 统一社会信用代码
      org_code: 组织机构代码
"""
HEADER = ["区划代码", "年度", "单位代码", "单位名称", "主管部门代码", "单位类型", "预算级次", "统一社会信用代码", "组织机构代码"]
FIELDS = ["mof_div_code", "fiscal_year", "agency_code", "agency_name", "dept_code", "agency_type_code", "budget_level_code", "unifsoc_cred_code", "org_code"]


def _agencies(names: list[str]) -> list[dict]:
    """Agencies of the sample county with the given names; identifiers recomputed so each is valid."""
    base = base_record("agency")
    out = []
    for i, name in enumerate(names, 1):
        code = f"1010{i:02d}"
        org = f"6810000{i}"
        org += org_check(org)
        uscc = base["unifsoc_cred_code"][:8] + org
        uscc += uscc_check(uscc)
        out.append({**{k: base[k] for k in FIELDS}, "agency_code": code, "agency_name": name, "dept_code": "101001", "unifsoc_cred_code": uscc, "org_code": org})
    return out


GBK_NAMES = ["涿州市社会保障和就业事务管理局", "涿州市镕铭研究所（测试）", "涿州市“双创”服务中心"]
GB18030_NAMES = ["涿州市社会保障和就业事务管理局", "涿州市䶮霖事务所", "涿州市𠀀兴研究院"]  # U+4DAE and U+20000: outside GBK


def _encoding_case(name: str, encoding: str, bom: bool, names: list[str], declared: str | None, why: tuple[str, str], newline: str = "\n") -> Draft:
    recs = _agencies(names)
    body = csv_bytes(HEADER, [[r[f] for f in FIELDS] for r in recs], encoding=encoding, bom=bom, newline=newline)
    files = {"profile.yaml": ENCODING_PROFILE.format(encoding=f"\n  encoding: {declared}" if declared else "").encode("utf-8"), "inputs/单位名录.csv": body}
    ledger = {"rows": {"source": len(recs), "translated": len(recs), "rejected": 0, "filtered": 0}, "records": {"agency": len(recs)}, "rejected": [], "money": []}
    return _translate_draft(
        f"encoding.{name}", "csv", (f"编码：{why[0]}", f"Encoding: {why[1]}"), "conformance_csv_agency", files, ["inputs/单位名录.csv"],
        {"agency": recs}, ledger, ("同一批单位记录按该编码写出，预期输出即这些记录", "the same agency records written in this encoding; the expected output is those records"),
        [f"R-ENC-{name.split('-')[0]}", "R-ADAPT-ledger"], module="encoding",
    )


def _encodings() -> list[Draft]:
    out = [
        _encoding_case("utf8", "utf-8", False, GB18030_NAMES, None, ("UTF-8（无 BOM），含扩展 A 区和补充平面汉字", "UTF-8 without BOM, with CJK Ext. A and supplementary-plane characters")),
        _encoding_case("utf8-bom", "utf-8", True, GB18030_NAMES, None, ("UTF-8 带 BOM（BOM 不属于第一列列名）", "UTF-8 with a BOM (not part of the first column's name)")),
        _encoding_case("gbk", "gbk", False, GBK_NAMES, None, ("GBK（检测整个文件，不只是开头）", "GBK (the whole file decides, not its start)")),
        _encoding_case("gbk-crlf", "gbk", False, GBK_NAMES, None, ("GBK，CRLF 换行", "GBK with CRLF line ends"), newline="\r\n"),
        _encoding_case("gb18030", "gb18030", False, GB18030_NAMES, None, ("GB18030 四字节字符（扩展 A 区、补充平面）", "GB18030 four-byte characters (Ext. A, supplementary plane)")),
        _encoding_case("gb18030-declared-gbk", "gb18030", False, GB18030_NAMES, "gbk", ("声明 GBK 的文件按其超集 GB18030 读取", "a file declared GBK is read as its superset GB18030")),
    ]
    bad = _encoding_case("undecodable", "gbk", False, GBK_NAMES, None, ("既不是 UTF-8 也不是 GB18030 的字节：拒绝整个文件并指出位置", "bytes that are neither UTF-8 nor GB18030: the file is refused with the place"))
    bad.files["inputs/单位名录.csv"] = bad.files["inputs/单位名录.csv"].replace("研究所".encode("gbk"), b"\xff\xff\xff")
    bad.files = {k: v for k, v in bad.files.items() if not k.startswith("expected/")}
    bad.expected = {"refused": True}
    out.append(bad)
    return out


def make() -> list[Draft]:
    out = []
    for profile in sorted(paths.ADAPTERS.glob("*/profile.yaml")):
        out += _shipped(profile.parent.name)
    return out + [_transforms_case(), _sum_case()] + _encodings()


# ------------------------------------------------------------------------------------------------
# the transforms no shipped profile uses, on a legacy CSV (GBK) written for the suite
# ------------------------------------------------------------------------------------------------

TRANSFORMS_PROFILE = """\
# 符合性测试：旧国库支付系统的凭证 CSV（GBK），用到随附配置未用的转换
# Conformance suite: an old treasury system's voucher CSV (GBK), using the transforms no shipped profile uses.
id: conformance_csv_vouchers
name_zh: 符合性测试用旧国库支付凭证 CSV
name_en: Conformance suite old treasury voucher CSV
system: {vendor: 符合性测试套件 conformance suite, product: 旧国库支付系统 old treasury payment system, version: "2.0"}
source:
  format: csv
  encoding: gbk
filters:
  - blank
targets:
  - entity: payment_voucher
    fields:
      mof_div_code: {from: 区划, transform: [{constant: "130681000"}]}
      fiscal_year: {from: 凭证年月, transform: [{slice: {start: 0, end: 4}}]}
      pay_cert_id: {from: [凭证年月, 流水号], transform: [{join: "-"}]}
      pay_cert_no: {from: 流水号, transform: [{pad_left: {width: 6, source_is_fixed_length: true, basis: "旧系统接口说明 2.1：流水号定长 6 位，左补零"}}]}
      pay_app_id: 申请号
      bgt_id: 指标号
      agency_code: 单位代码
      fund_type_code: 资金性质
      exp_func_code: 功能科目
      dep_bgt_eco_code: 经济科目
      gov_bgt_eco_code: {derive: [dep_bgt_eco_code, fiscal_year], transform: [derive_gov_eco]}
      pay_type_code: 支付方式
      set_mode_code: 结算方式
      vou_date: {from: 凭证日期, transform: [chinese_date]}
      pay_acct_name: 付款人
      pay_acct_no: 付款账号
      pay_acct_bank_name: 付款行
      payee_acct_name: 收款人
      payee_acct_no: 收款账号
      payee_acct_bank_name: 收款行
      pay_amt: {from: [金额, 红蓝字], transform: [{red_ink: {markers: [红字]}}, paren_negative, thousands, money]}
      agent_bank_code: 代理行号
      pay_status_code: 支付状态
      is_reversal: {from: 红蓝字, transform: [{map: {values: {红字: true}, default: false}}]}
      use_des: {from: 摘要, transform: [{null_if: [无, "-"]}]}
      update_time: {from: 更新时间, transform: [{datetime_format: "%Y-%m-%d %H:%M:%S"}]}
  - entity: payment_detail
    fields:
      mof_div_code: {from: 区划, transform: [{constant: "130681000"}]}
      fiscal_year: {from: 凭证年月, transform: [{slice: {start: 0, end: 4}}]}
      pay_detail_id: {from: [凭证年月, 流水号], transform: [{join: "-D"}]}
      pay_cert_id: {from: [凭证年月, 流水号], transform: [{join: "-"}]}
      agency_code: 单位代码
      payee_acct_name: 收款人
      payee_acct_no: 收款账号
      payee_acct_bank_name: 收款行
      pay_amt: {from: 明细金额分, transform: [implied_decimal]}
"""

VOUCHER_HEADER = ["区划", "凭证年月", "流水号", "申请号", "指标号", "单位代码", "资金性质", "功能科目", "经济科目", "支付方式", "结算方式", "凭证日期",
                  "付款人", "付款账号", "付款行", "收款人", "收款账号", "收款行", "金额", "红蓝字", "代理行号", "支付状态", "摘要", "更新时间", "明细金额分"]


def _transforms_case() -> Draft:
    """Three vouchers; each expected value is the documented meaning of its transform chain,
    written out here (the reference run proves jincai agrees)."""
    v = base_record("payment_voucher")
    common = [v["pay_app_id"], v["bgt_id"], v["agency_code"], v["fund_type_code"], v["exp_func_code"], "30101", v["pay_type_code"], v["set_mode_code"]]
    accounts = [v["pay_acct_name"], v["pay_acct_no"], v["pay_acct_bank_name"], v["payee_acct_name"], v["payee_acct_no"], v["payee_acct_bank_name"]]
    rows = [  # 区划 is a placeholder the constant transform replaces
        ["涿州", "202403", "123", *common, "2024年3月5日", *accounts, "1,234.50", "", v["agent_bank_code"], "1", "办公用品", "2024-03-05 10:22:33", "000000123450"],
        ["涿州", "202403", "124", *common, "二〇二四年三月六日", *accounts, "(1,234.50)", "", v["agent_bank_code"], "1", "无", "2024-03-06 09:00:00", "-00000123450"],
        ["涿州", "202403", "125", *common, "2024年03月07日", *accounts, "2,000.00", "红字", v["agent_bank_code"], "1", "-", "2024-03-07 23:59:59", "000000000001"],
    ]
    body = csv_bytes(VOUCHER_HEADER, rows, encoding="gbk", newline="\r\n")
    vouchers, details = [], []
    for serial, day, amt, reversal, use, ts, fen in [
        ("123", "2024-03-05", "1234.50", False, "办公用品", "2024-03-05T10:22:33+08:00", "1234.50"),
        ("124", "2024-03-06", "-1234.50", False, None, "2024-03-06T09:00:00+08:00", "-1234.50"),
        ("125", "2024-03-07", "-2000.00", True, None, "2024-03-07T23:59:59+08:00", "0.01"),
    ]:
        rec = {
            "mof_div_code": "130681000", "fiscal_year": "2024", "pay_cert_id": f"202403-{serial}", "pay_cert_no": serial.zfill(6),
            "pay_app_id": v["pay_app_id"], "bgt_id": v["bgt_id"], "agency_code": v["agency_code"], "fund_type_code": v["fund_type_code"],
            "exp_func_code": v["exp_func_code"], "dep_bgt_eco_code": "30101", "gov_bgt_eco_code": "50101", "pay_type_code": v["pay_type_code"],
            "set_mode_code": v["set_mode_code"], "vou_date": day, "pay_acct_name": v["pay_acct_name"], "pay_acct_no": v["pay_acct_no"],
            "pay_acct_bank_name": v["pay_acct_bank_name"], "payee_acct_name": v["payee_acct_name"], "payee_acct_no": v["payee_acct_no"],
            "payee_acct_bank_name": v["payee_acct_bank_name"], "pay_amt": amt, "agent_bank_code": v["agent_bank_code"], "pay_status_code": "1",
            "is_reversal": reversal, "use_des": use, "update_time": ts,
        }
        vouchers.append({k: x for k, x in rec.items() if x is not None})
        details.append({
            "mof_div_code": "130681000", "fiscal_year": "2024", "pay_detail_id": f"202403-D{serial}", "pay_cert_id": f"202403-{serial}",
            "agency_code": v["agency_code"], "payee_acct_name": v["payee_acct_name"], "payee_acct_no": v["payee_acct_no"],
            "payee_acct_bank_name": v["payee_acct_bank_name"], "pay_amt": fen,
        })
    assert set(VOUCHER_HEADER) >= {"金额", "明细金额分"}
    records = {"payment_detail": details, "payment_voucher": vouchers}
    ledger = {"rows": {"source": 3, "translated": 3, "rejected": 0, "filtered": 0}, "records": {"payment_detail": 3, "payment_voucher": 3}, "rejected": [], "money": money_totals(records)}
    files = {"profile.yaml": TRANSFORMS_PROFILE.encode("utf-8"), "inputs/支付凭证.csv": body}
    return _translate_draft(
        "adapter.csv-transforms", "csv", ("CSV 读取器与转换：汉字日期、红字、括号负数、千分位、隐含小数、截取、拼接、补零、空值写法、常量、时间戳、推导政府经济分类",
                                          "CSV reader and transforms: Chinese dates, red ink, parenthesised negatives, thousands, implied decimals, slice, join, pad, null spellings, constants, datetimes, derived government economic codes"),
        "conformance_csv_vouchers", files, ["inputs/支付凭证.csv"], records, ledger,
        ("每个预期值按转换的文档含义逐项写出（见 builders/translation.py）", "each expected value is the documented meaning of its transforms, written out in builders/translation.py"),
        ["R-ADAPT-transforms", "R-ADAPT-ledger"],
    )


# ------------------------------------------------------------------------------------------------
# exact arithmetic across columns: a payroll CSV whose gross pay is not a column
# ------------------------------------------------------------------------------------------------

PAYROLL_COLUMNS = {  # canonical field → the legacy column (gross_amt is computed)
    "mof_div_code": "区划", "fiscal_year": "年度", "payroll_id": "工资单号", "pay_month": "月份", "agency_code": "单位代码",
    "iden_no": "身份证号", "per_name": "姓名", "per_acct_no": "工资卡号", "agent_bank_code": "代发行号", "exp_func_code": "功能科目",
    "dep_bgt_eco_code": "经济科目", "deduct_amt": "扣款合计", "net_amt": "实发金额", "bgt_id": "指标号", "pay_cert_id": "支付凭证号",
}

SUM_PROFILE = """\
# 符合性测试：只有实发与扣款、没有应发列的工资 CSV；应发 = 实发 + 扣款（sum，精确到分，不四舍五入）
# Conformance suite: a payroll CSV with net pay and deductions but no gross column; gross = net + deductions (sum, exact).
id: conformance_csv_payroll
name_zh: 符合性测试用工资 CSV
name_en: Conformance suite payroll CSV
system: {{vendor: 符合性测试套件 conformance suite, product: 工资系统 payroll system, version: "1.0"}}
source:
  format: csv
  encoding: utf-8
targets:
  - entity: payroll_record
    fields:
{fields}      gross_amt: {{from: [实发金额, 扣款合计], transform: [sum]}}
"""


def _sum_case() -> Draft:
    base = base_record("payroll_record")
    amounts = [("3112.01", "458.21", "3570.22"), ("0.10", "0.20", "0.30"), ("99999999.99", "0.01", "100000000.00")]
    records, rows = [], []
    for i, (net, deduct, gross) in enumerate(amounts, 1):
        rec = {**base, "payroll_id": f"{base['payroll_id'][:-1]}{i}", "net_amt": net, "deduct_amt": deduct, "gross_amt": gross}
        records.append(rec)
        rows.append([str(rec[f]) for f in PAYROLL_COLUMNS])
    fields = "".join(f"      {f}: {c}\n" for f, c in PAYROLL_COLUMNS.items())
    files = {"profile.yaml": SUM_PROFILE.format(fields=fields).encode("utf-8"), "inputs/工资.csv": csv_bytes(list(PAYROLL_COLUMNS.values()), rows, encoding="utf-8", bom=False, newline="\n")}
    ledger = {"rows": {"source": 3, "translated": 3, "rejected": 0, "filtered": 0}, "records": {"payroll_record": 3}, "rejected": [], "money": money_totals({"payroll_record": records})}
    return _translate_draft(
        "adapter.csv-sum", "csv", ("CSV 与转换 sum：应发 = 实发 + 扣款，精确相加（0.10 + 0.20 = 0.30，不经浮点）",
                                   "CSV and the sum transform: gross = net + deductions, exact (0.10 + 0.20 = 0.30, never through floats)"),
        "conformance_csv_payroll", files, ["inputs/工资.csv"], {"payroll_record": records}, ledger,
        ("预期应发为实发与扣款的十进制和，逐行写在 builders/translation.py", "each expected gross is the decimal sum of net and deductions, written out in builders/translation.py"),
        ["R-ADAPT-transforms", "R-ADAPT-ledger"],
    )
