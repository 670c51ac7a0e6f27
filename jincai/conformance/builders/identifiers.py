"""Identifier check characters (C11), personal data kept out of reports (C12), and the submission
envelope's certificate number checked against the data center's registry.

The check characters are computed here by a second implementation written from the standards
(GB 32100 unified social credit code, GB 11714 organisation code, GB 11643 citizen ID), not by
``jincai.identifiers``; the reference run proves the two agree.
"""

from __future__ import annotations

from jincai.conformance.builders.base import Draft, base_record, jsonl, with_value
from jincai.conformance.builders.conventions import validate_draft

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
CITIZEN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check(body17: str) -> str:
    """GB 32100-2015: weights 3^i mod 31 over the 31-character alphabet; check = 31 − Σ mod 31."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check(body8: str) -> str:
    """GB 11714-1997: digits 0–9, letters A=10…Z=35; check = 11 − Σ mod 11 (10 → X, 11 → 0)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def citizen_check(body17: str) -> str:
    """GB 11643-1999 (ISO 7064 MOD 11-2): (12 − Σ mod 11) mod 11, 10 → X."""
    c = (12 - sum(int(d) * w for d, w in zip(body17, CITIZEN_WEIGHTS)) % 11) % 11
    return "X" if c == 10 else str(c)


def _wrong(check: str, alphabet: str) -> str:
    return next(c for c in alphabet if c != check)


def _with_check(body: str, fn, want: str, vary: int) -> str:
    """``body`` with its character at ``vary`` changed until the check character is ``want``."""
    for d in "0123456789":
        cand = body[:vary] + d + body[vary + 1:]
        if fn(cand) == want:
            return cand + want
    raise ValueError(body)


def make() -> list[Draft]:
    out: list[Draft] = []
    agency = base_record("agency")
    uscc, org = agency["unifsoc_cred_code"], agency["org_code"]
    assert uscc_check(uscc[:17]) == uscc[17] and org_check(org[:8]) == org[8], "the sample's identifiers should be valid"
    org_x = _with_check(org[:8], org_check, "X", 7)
    uscc_org_x = uscc[:8] + org_x
    uscc_org_x += uscc_check(uscc_org_x)
    cases = [
        ("uscc", "valid", "agency", "unifsoc_cred_code", uscc, None, "GB 32100 校验位正确", "a correct GB 32100 check character"),
        ("uscc", "wrong-check", "agency", "unifsoc_cred_code", uscc[:17] + _wrong(uscc[17], USCC_CHARS), "ident.uscc", "校验位错误", "a wrong check character"),
        ("uscc", "embedded-org-x", "agency", "unifsoc_cred_code", uscc_org_x, None, "内含组织机构代码校验位为 X", "the embedded organisation code's check is X"),
        ("orgcode", "valid", "agency", "org_code", org, None, "GB 11714 校验位正确", "a correct GB 11714 check character"),
        ("orgcode", "check-x", "agency", "org_code", org_x, None, "校验位为 X", "a check character X"),
        ("orgcode", "wrong-check", "agency", "org_code", org[:8] + _wrong(org[8], "0123456789X"), "ident.orgcode", "校验位错误", "a wrong check character"),
    ]
    payroll = base_record("payroll_record")
    iden = payroll["iden_no"]
    assert citizen_check(iden[:17]) == iden[17]
    iden_x = _with_check(iden[:17], citizen_check, "X", 16)
    cases += [
        ("citizen-id", "valid", "payroll_record", "iden_no", iden, None, "GB 11643 校验码正确", "a correct GB 11643 check digit"),
        ("citizen-id", "check-x", "payroll_record", "iden_no", iden_x, None, "校验码为 X", "a check digit X"),
        ("citizen-id", "wrong-check", "payroll_record", "iden_no", iden[:17] + _wrong(iden[17], "0123456789X"), "ident.citizen-id", "校验码错误；原值不得出现在报告中（C12）", "a wrong check digit; the raw value must not appear in the report (C12)"),
        ("cnaps", "format-only", "payroll_record", "agent_bank_code", "999999999999", None, "支付系统行号只检查格式", "CNAPS codes are checked for format only"),
        ("cnaps", "eleven-digits", "payroll_record", "agent_bank_code", payroll["agent_bank_code"][:11], "field.pattern", "行号为 12 位数字", "a CNAPS code has 12 digits"),
    ]
    for kind, name, entity, fld, value, rule, why_zh, why_en in cases:
        rec = with_value(base_record(entity), fld, value)
        fname = f"{entity}.jsonl"
        issues = [{"rule": rule, "file": fname, "row": 1, "field": fld}] if rule else []
        personal = fld == "iden_no" and rule is not None
        out.append(validate_draft(
            f"ident.{kind}.{name}", "identifiers", kind,
            (f"标识符 {kind}：{why_zh}", f"Identifier {kind}: {why_en}"),
            ["R-C11", *(["R-C12"] if personal else []), *([f"R-RULE-{rule}"] if rule else [])], {fname: jsonl([rec])}, issues,
            f"C11: {why_en}", not_disclosed=[value] if personal else None,
        ))
    # C12 for a personal name: the report may name the field, never the person
    name = "张三丰\t"
    rec = with_value(payroll, "per_name", name)
    out.append(validate_draft(
        "c12.personal-name-masked", "identifiers", "personal",
        ("个人信息：个人姓名有误时报告中不得出现原值", "Personal data: a faulty personal name is reported without its value"),
        ["R-C12", "R-C14"], {"payroll_record.jsonl": jsonl([rec])},
        [{"rule": "field.control-char", "file": "payroll_record.jsonl", "row": 1, "field": "per_name"}], "C12: masked in every report",
        not_disclosed=["张三丰"],
    ))
    out += _envelope_certificates()
    return out


#: the registry's test entries (validators/registries/certificates.csv)
REFERENCE = {"vendor_name": "金财项目 jincai project", "product_name": "金财参考实现 jincai reference product", "product_version": "1.0.0"}


def _envelope_certificates() -> list[Draft]:
    base = {**base_record("submission_envelope"), **REFERENCE, "create_time": "2025-01-20T10:00:00+08:00"}
    rows = [
        ("no-certificate", {"cert_no": None}, False, "信封没有证书编号：不检查", "no certificate number: nothing to check"),
        ("issued", {"cert_no": "JC-TEST-0001"}, False, "登记册中已颁发、产品版本一致", "issued to this product and version"),
        ("last-valid-day", {"cert_no": "JC-TEST-0001", "create_time": "2027-12-31T23:59:59+08:00"}, False, "有效期最后一天（北京时间）", "the last day of validity (China Standard Time)"),
        ("expired", {"cert_no": "JC-TEST-0001", "create_time": "2028-01-01T00:00:00+08:00"}, True, "有效期已过", "after the validity"),
        ("expired-utc-evening", {"cert_no": "JC-TEST-0001", "create_time": "2027-12-31T16:00:00Z"}, True, "UTC 的 12 月 31 日晚上已是北京时间次日", "31 December 16:00 UTC is already the next day in China"),
        ("unknown-number", {"cert_no": "JC-TEST-9999"}, True, "登记册中没有该编号", "not in the registry"),
        ("revoked", {"cert_no": "JC-TEST-0002", "product_version": "0.9.0"}, True, "证书已撤销", "the certificate was revoked"),
        ("before-revocation", {"cert_no": "JC-TEST-0002", "product_version": "0.9.0", "create_time": "2024-06-29T12:00:00+08:00"}, False, "撤销日之前的信封", "an envelope from before the revocation"),
        ("other-version", {"cert_no": "JC-TEST-0001", "product_version": "1.0.1"}, True, "证书属于另一个版本", "the certificate belongs to another version"),
        ("other-product", {"cert_no": "JC-TEST-0001", "product_name": "别的产品 another product"}, True, "证书属于另一个产品", "the certificate belongs to another product"),
        ("other-vendor", {"cert_no": "JC-TEST-0001", "vendor_name": "别的厂商 another vendor"}, True, "证书属于另一个厂商", "the certificate belongs to another vendor"),
        ("expired-certificate", {"cert_no": "JC-TEST-0003", "product_version": "0.8.0"}, True, "证书 2023 年底已到期", "the certificate expired at the end of 2023"),
    ]
    out = []
    for name, changes, fires, why_zh, why_en in rows:
        rec = dict(base)
        for k, v in changes.items():
            rec = with_value(rec, k, v) if v is not None else {x: y for x, y in rec.items() if x != k}
        issues = [{"rule": "record.envelope-certificate", "file": "submission_envelope.jsonl", "row": 1, "field": "cert_no"}] if fires else []
        out.append(validate_draft(
            f"envelope.certificate.{name}", "envelope", "certificate",
            (f"报送信封的证书编号：{why_zh}", f"The envelope's certificate number: {why_en}"),
            ["R-ENV-certificate", "R-certificates", "R-RULE-record.envelope-certificate"], {"submission_envelope.jsonl": jsonl([rec])}, issues,
            f"validators/registries/certificates.csv test entries JC-TEST-0001..0003: {why_en}",
        ))
    return out
