"""Edge values of the conventions C01–C15, one record each, from the standard's own text.

Each case changes one field of a clean record of the sample county (``base.base_record``) to an
edge value and states the verdict the convention gives it. The tables below ARE the review: every
row names the value, the rule the standard says must fire (or ``None``: valid) and why. The record
is otherwise clean, so the expected issues are exact: nothing else may be reported.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jincai.conformance.builders.base import DELETE, Draft, base_record, csv_bytes, jsonl, with_value
from jincai.conformance.builders.rules import FIXTURES, _files
from jincai.standard import standard
from jincai.validation.catalogue import catalogue

TITLES = {c.id: (c.title_zh, c.title_en) for c in standard().conventions}

# (convention, slug, entity, field, value, expected rule or None, why)
SHA = "39a548a7808bd171e25ac6c9d62811b583211539d70b3320586d312e4dba48bd"
ROWS: list[tuple[str, str, str, str, Any, str | None, str]] = [
    # C01 patterns match the whole value; digits are [0-9]
    ("C01", "whole-value", "submission_envelope", "submission_id", "SUB130681-2024_a", None, "letters, digits, - and _ within the length"),
    ("C01", "trailing-newline", "submission_envelope", "submission_id", "SUB130681\n", "field.pattern", "a trailing newline is not part of a full match"),
    ("C01", "leading-space", "submission_envelope", "submission_id", " SUB130681", "field.pattern", "a space is outside the pattern"),
    ("C01", "arabic-indic-digit", "submission_envelope", "submission_id", "SUB١٣٠", "field.pattern", "[0-9] means ASCII digits; U+0661… are not"),
    ("C01", "semver-leading-zero", "submission_envelope", "standard_version", "01.0.0", "field.pattern", "the version pattern forbids a leading zero"),
    ("C01", "semver-two-parts", "submission_envelope", "standard_version", "1.0", "field.pattern", "three numeric parts are required"),
    ("C01", "sha-upper-case", "submission_envelope", "content_sha256", SHA.upper(), "field.pattern", "the checksum is lower-case hex"),
    ("C01", "sha-63-chars", "submission_envelope", "content_sha256", SHA[:-1], "field.pattern", "64 hex digits exactly"),
    # C02 dates are real calendar dates, YYYY-MM-DD
    ("C02", "leap-day", "budget_indicator", "doc_date", "2024-02-29", None, "2024 is a leap year"),
    ("C02", "not-leap-day", "budget_indicator", "doc_date", "2023-02-29", "field.date", "2023 is not a leap year"),
    ("C02", "february-30", "budget_indicator", "doc_date", "2024-02-30", "field.date", "no 30 February"),
    ("C02", "april-31", "budget_indicator", "doc_date", "2024-04-31", "field.date", "April has 30 days"),
    ("C02", "month-13", "budget_indicator", "doc_date", "2024-13-01", "field.date", "no month 13"),
    ("C02", "month-00", "budget_indicator", "doc_date", "2024-00-10", "field.date", "no month 0"),
    ("C02", "slashes", "budget_indicator", "doc_date", "2024/02/28", "field.date", "separators are hyphens"),
    ("C02", "no-padding", "budget_indicator", "doc_date", "2024-2-8", "field.date", "two-digit month and day"),
    ("C02", "basic-format", "budget_indicator", "doc_date", "20240228", "field.date", "the extended format with hyphens only"),
    ("C02", "with-time", "budget_indicator", "doc_date", "2024-02-28T00:00:00", "field.date", "a date is not a datetime"),
    ("C02", "chinese-date", "budget_indicator", "doc_date", "2024年2月28日", "field.date", "adapters convert Chinese dates; canonical data does not carry them"),
    ("C02", "year-zero", "budget_indicator", "doc_date", "0000-01-01", "field.date", "there is no year 0 in the calendar"),
    # C03 datetimes: RFC 3339 with an offset, upper-case T and Z, no -00:00, no leap second
    ("C03", "offset", "submission_envelope", "create_time", "2025-01-20T10:00:00+08:00", None, "the usual form"),
    ("C03", "zulu", "submission_envelope", "create_time", "2025-01-20T02:00:00Z", None, "Z is an offset"),
    ("C03", "fraction", "submission_envelope", "create_time", "2025-01-20T10:00:00.123456+08:00", None, "up to six fraction digits"),
    ("C03", "negative-offset", "submission_envelope", "create_time", "2024-02-29T23:59:59-05:00", None, "a real offset west of UTC"),
    ("C03", "space-separator", "submission_envelope", "create_time", "2025-01-20 10:00:00+08:00", "field.datetime", "T, not a space"),
    ("C03", "compact-offset", "submission_envelope", "create_time", "2025-01-20T10:00:00+0800", "field.datetime", "the offset has a colon"),
    ("C03", "no-offset", "submission_envelope", "create_time", "2025-01-20T10:00:00", "field.datetime", "an offset is required"),
    ("C03", "unknown-offset", "submission_envelope", "create_time", "2025-01-20T10:00:00-00:00", "field.datetime", "-00:00 means offset unknown"),
    ("C03", "leap-second", "submission_envelope", "create_time", "2016-12-31T23:59:60Z", "field.datetime", "leap seconds are excluded"),
    ("C03", "lower-case-t", "submission_envelope", "create_time", "2025-01-20t10:00:00Z", "field.datetime", "T is upper case"),
    ("C03", "lower-case-z", "submission_envelope", "create_time", "2025-01-20T10:00:00z", "field.datetime", "Z is upper case"),
    ("C03", "hour-24", "submission_envelope", "create_time", "2025-01-20T24:00:00Z", "field.datetime", "hours run 00–23"),
    ("C03", "impossible-date", "submission_envelope", "create_time", "2025-02-30T10:00:00Z", "field.datetime", "the date part must exist (C02)"),
    ("C03", "no-seconds", "submission_envelope", "create_time", "2025-01-20T10:00+08:00", "field.datetime", "seconds are required"),
    # C04 an integer is a JSON integer
    ("C04", "integer", "agency_basic_data", "staff_authorized", 28, None, "a JSON integer"),
    ("C04", "string", "agency_basic_data", "staff_authorized", "28", "field.integer-type", "a string is not an integer"),
    ("C04", "fraction", "agency_basic_data", "staff_authorized", 28.0, "field.integer-type", "28.0 is written with a fraction"),
    ("C04", "exponent", "agency_basic_data", "staff_authorized", 2.8e1, "field.integer-type", "an exponent is not an integer literal (2.8e1 reaches the file as 28.0)"),
    ("C04", "boolean", "agency_basic_data", "staff_authorized", True, "field.integer-type", "true is not a number"),
    ("C04", "below-minimum", "agency_basic_data", "staff_authorized", -1, "field.range", "the element's minimum is 0"),
    ("C04", "above-maximum", "agency_basic_data", "staff_authorized", 1000001, "field.range", "the element's maximum is 1,000,000"),
    # C05 money: a string, yuan, exactly two decimals, at most 16 integer digits
    ("C05", "two-decimals", "payment_detail", "pay_amt", "1234.50", None, "exactly two decimals"),
    ("C05", "negative", "payment_detail", "pay_amt", "-3.00", None, "a minus sign is allowed where the element has no minimum"),
    ("C05", "sixteen-digits", "payment_detail", "pay_amt", "1234567890123456.00", None, "16 integer digits are the most"),
    ("C05", "one-decimal", "payment_detail", "pay_amt", "12.5", "field.money-format", "two decimals exactly"),
    ("C05", "three-decimals", "payment_detail", "pay_amt", "12.345", "field.money-format", "never more than the fen"),
    ("C05", "no-decimals", "payment_detail", "pay_amt", "12", "field.money-format", "two decimals exactly"),
    ("C05", "thousands", "payment_detail", "pay_amt", "1,234.50", "field.money-format", "no thousands separators"),
    ("C05", "plus-sign", "payment_detail", "pay_amt", "+1.00", "field.money-format", "no plus sign"),
    ("C05", "leading-zero", "payment_detail", "pay_amt", "012.00", "field.money-format", "no leading zeros"),
    ("C05", "leading-space", "payment_detail", "pay_amt", " 12.50", "field.money-format", "no spaces"),
    ("C05", "exponent", "payment_detail", "pay_amt", "1.2e3", "field.money-format", "plain decimal notation only"),
    ("C05", "seventeen-digits", "payment_detail", "pay_amt", "12345678901234567.00", "field.money-format", "at most 16 integer digits"),
    ("C05", "json-number", "payment_detail", "pay_amt", 12.5, "field.money-format", "money is never a float"),
    ("C05", "below-minimum", "budget_indicator", "amount", "-1.00", "field.range", "an indicator's amount has minimum 0"),
    # C06 null and the empty string are distinct
    ("C06", "required-null", "agency", "agency_name", None, "field.required", "a required field is not null"),
    ("C06", "optional-null", "agency", "org_code", None, None, "an optional field may be null"),
    ("C06", "optional-absent", "agency", "org_code", DELETE, None, "absent and null mean the same"),
    ("C06", "empty-string", "agency", "agency_name", "", "field.empty-string", "the element does not allow the empty string"),
    ("C06", "empty-allowed", "payment_voucher", "use_des", "", None, "use_des declares empty_allowed"),
    # C07 full-width digits are invalid in codes, dates and amounts (text may hold them)
    ("C07", "code", "agency", "mof_div_code", "１３０６８１０００", "field.fullwidth-digit", "a code uses ASCII digits"),
    ("C07", "date", "budget_indicator", "doc_date", "２０２４-01-04", "field.fullwidth-digit", "a date uses ASCII digits"),
    ("C07", "money", "payment_detail", "pay_amt", "１２.50", "field.fullwidth-digit", "an amount uses ASCII digits"),
    ("C07", "text", "agency", "agency_name", "涿州市第１中学", None, "C07 binds codes, dates and amounts, not names"),
    # C08 lengths count characters (code points)
    ("C08", "max-chinese", "agency", "agency_name", "涿" * 300, None, "300 characters is the maximum, whatever their bytes"),
    ("C08", "max-supplementary", "agency", "agency_name", "𠀀" * 300, None, "a supplementary-plane character counts 1"),
    ("C08", "one-too-long", "agency", "agency_name", "涿" * 301, "field.max-length", "301 characters"),
    # C13 decimals have exactly their scale
    ("C13", "scale", "agency_basic_data", "office_area", "516.92", None, "scale 2"),
    ("C13", "short-scale", "agency_basic_data", "office_area", "516.9", "field.decimal-format", "exactly two decimals"),
    ("C13", "long-scale", "agency_basic_data", "office_area", "516.925", "field.decimal-format", "exactly two decimals"),
    ("C13", "json-number", "agency_basic_data", "office_area", 516.92, "field.decimal-format", "a decimal is a string"),
    ("C13", "below-minimum", "agency_basic_data", "office_area", "-1.00", "field.range", "the element's minimum is 0"),
    # C14 text carries no control characters
    ("C14", "space-and-ideographic-space", "agency", "agency_name", "涿州市　社会保障 事务", None, "spaces are not control characters"),
    ("C14", "tab", "agency", "agency_name", "涿州市\t社会保障", "field.control-char", "C0 control U+0009"),
    ("C14", "line-feed", "agency", "agency_name", "涿州市\n社会保障", "field.control-char", "line breaks included"),
    ("C14", "nul", "agency", "agency_name", "涿州市\x00", "field.control-char", "C0 control U+0000"),
    ("C14", "delete", "agency", "agency_name", "涿州市\x7f", "field.control-char", "U+007F"),
    ("C14", "c1-next-line", "agency", "agency_name", "涿州市\u0085社会保障", "field.control-char", "C1 control U+0085"),
    ("C14", "c1-last", "agency", "agency_name", "涿州市\u009f", "field.control-char", "C1 control U+009F"),
    ("C14", "line-separator", "agency", "agency_name", "涿州市\u2028社会保障", "field.control-char", "U+2028"),
    ("C14", "paragraph-separator", "agency", "agency_name", "涿州市\u2029社会保障", "field.control-char", "U+2029"),
]

# C06, C09 and C04 in CSV: (convention, slug, entity, header edit, cell edit, expected (rule, field) or None, why)
CSV_ROWS = [
    ("C06", "csv-empty-required", "agency", "agency_name", "", ("field.required", "agency_name"), "in CSV an empty cell is null"),
    ("C06", "csv-empty-optional", "agency", "org_code", "", None, "an empty optional cell is null, which is allowed"),
    ("C04", "csv-integer", "agency_basic_data", "staff_authorized", "28", None, "a CSV cell spelling an integer is one"),
    ("C04", "csv-integer-fraction", "agency_basic_data", "staff_authorized", "28.0", ("field.integer-type", "staff_authorized"), "28.0 is not an integer"),
]


def _outcome(issues: list[dict]) -> str:
    cat = catalogue()
    return "invalid" if any(cat.rule(i["rule"]).severity in ("error", "fatal") for i in issues) else "valid"


def validate_draft(case_id: str, module: str, group: str, title: tuple[str, str], requirements: list[str], files: dict[str, bytes],
                   issues: list[dict], why: str, *, year: int | None = None, actors: list[str] | None = None, features: list[str] | None = None,
                   not_disclosed: list[str] | None = None, why_zh: str | None = None) -> Draft:
    """A validate case with an exact expectation (the listed issues and nothing else)."""
    expected = {"outcome": _outcome(issues), "match": "exact", "scope": [], "issues": issues}
    if not_disclosed:
        expected["not_disclosed"] = not_disclosed
    return Draft(
        id=case_id, module=module, group=group, title_zh=title[0], title_en=title[1], actors=actors or ["validator"],
        requirements=requirements, operation="validate", input={"files": sorted(files), "year": year}, expected=expected,
        files=files, features=features or [], review_zh=why_zh or why, review_en=why,
    )


def _shown(value: Any) -> str:
    if value is DELETE:
        return "（缺省 absent）"
    text = repr(value) if not isinstance(value, str) else value.encode("unicode_escape").decode("ascii") if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in value) else value
    return text if len(text) <= 40 else text[:37] + "…"


def make() -> list[Draft]:
    drafts = []
    for conv, name, entity, fld, value, rule, why in ROWS:
        rec = with_value(base_record(entity), fld, value)
        fname = f"{entity}.jsonl"
        issues = [{"rule": rule, "file": fname, "row": 1, "field": fld}] if rule else []
        zh, en = TITLES[conv]
        verdict_zh, verdict_en = (f"报告 {rule}", f"reported as {rule}") if rule else ("有效", "valid")
        drafts.append(validate_draft(
            f"{conv.lower()}.{name}", "conventions", conv,
            (f"{zh}：{entity}.{fld} = {_shown(value)} {verdict_zh}", f"{en}: {entity}.{fld} = {_shown(value)} is {verdict_en}"),
            [f"R-{conv}"], {fname: jsonl([rec])}, issues, f"{conv}: {why}",
        ))
    # absent in one record of two: field.required on that record (absent in every record would be a missing column)
    first = base_record("agency")
    second = with_value({**first, "agency_code": "101009", "dept_code": "101009"}, "agency_name", DELETE)
    drafts.append(validate_draft(
        "c06.required-absent", "conventions", "C06",
        ("空值与空字符串不同：第 2 条记录缺少必填字段 agency_name", "Null and empty are distinct: record 2 lacks the required agency_name"),
        ["R-C06"], {"agency.jsonl": jsonl([first, second])}, [{"rule": "field.required", "file": "agency.jsonl", "row": 2, "field": "agency_name"}],
        "C06: a required field must be present",
    ))
    # C09 records are closed
    drafts.append(validate_draft(
        "c09.unknown-field", "conventions", "C09",
        ("记录是封闭的：JSON 记录含标准未定义的字段 remark", "Records are closed: a JSON record carries the undefined field remark"),
        ["R-C09"], {"agency.jsonl": jsonl([{**base_record("agency"), "remark": "备注"}])},
        [{"rule": "struct.unknown-column", "file": "agency.jsonl", "row": 1, "field": "remark"}], "C09: no field the standard does not define",
    ))
    for conv, name, entity, col, cell, expected, why in CSV_ROWS:
        drafts.append(_csv_case(conv, name, entity, col, cell, expected, why))
    drafts.append(_csv_case("C09", "csv-unknown-column", "agency", "remark", "备注", ("struct.unknown-column", "remark"), "C09: a CSV column the standard does not define", add=True))
    drafts += _c15()
    return drafts


def _csv_case(conv: str, name: str, entity: str, col: str, cell: str, expected, why: str, add: bool = False) -> Draft:
    ent = standard().entity(entity)
    rec = base_record(entity)
    header = [f for f in ent.field_names if f in rec or f == col]
    row = ["" if rec.get(f) is None else ("true" if rec[f] is True else "false" if rec[f] is False else str(rec[f])) for f in header]
    if add:
        header.append(col)
        row.append(cell)
    else:
        row[header.index(col)] = cell
    fname = f"{entity}.csv"
    # a column-level finding has no row (it is about the file's header)
    issues = [] if expected is None else [{"rule": expected[0], "file": fname, "row": None if expected[0].startswith("struct.") else 1, "field": expected[1]}]
    zh, en = TITLES[conv]
    return validate_draft(
        f"{conv.lower()}.{name}", "conventions", conv, (f"{zh}（CSV）：{col} = {cell!r}", f"{en} (CSV): {col} = {cell!r}"),
        [f"R-{conv}"], {fname: csv_bytes(header, [row])}, issues, f"{conv}: {why}", features=["input.csv"],
    )


def _c15() -> list[Draft]:
    """C15 (quantity × quota, rounded half up to the fen) on the reviewed fixture of
    xent.budget-quota-mismatch, whose line 3 is 100.50 × 0.01 = 1.005 → 1.01."""
    files = _files(FIXTURES / "xent.budget-quota-mismatch" / "pass")
    lines = files["dept_budget_line.jsonl"].decode("utf-8").splitlines()
    assert Decimal("100.50") * Decimal("0.01") == Decimal("1.0050") and '"bgt_line_amt":"1.01"' in lines[2]
    assert (Decimal("1234.56") * Decimal("25.37")).quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("31320.79") and '"bgt_line_amt":"31320.79"' in lines[0]
    out = []
    scope = ["xent.budget-quota-mismatch"]
    for name, row, wrong, why in [
        ("half-up", None, None, "1.005 rounds half up to 1.01; 31320.7872 to 31320.79"),
        ("bankers-rounding", 3, ("1.01", "1.00"), "1.005 rounded half to even gives 1.00, which C15 does not allow"),
        ("truncated", 1, ("31320.79", "31320.78"), "31320.7872 truncated gives 31320.78; C15 rounds half up"),
    ]:
        changed = dict(files)
        if row:
            text = list(lines)
            text[row - 1] = text[row - 1].replace(f'"bgt_line_amt":"{wrong[0]}"', f'"bgt_line_amt":"{wrong[1]}"')
            changed["dept_budget_line.jsonl"] = ("\n".join(text) + "\n").encode("utf-8")
        issues = [{"rule": "xent.budget-quota-mismatch", "file": "dept_budget_line.jsonl", "row": row, "field": "bgt_line_amt"}] if row else []
        zh, en = TITLES["C15"]
        out.append(Draft(
            id=f"c15.{name}", module="conventions", group="C15", title_zh=f"{zh}：{why}", title_en=f"{en}: {why}", actors=["validator", "auditor"],
            requirements=["R-C15", "R-RULE-xent.budget-quota-mismatch"], operation="validate",
            input={"files": sorted(changed), "year": None}, expected={"outcome": None, "match": "scoped", "scope": scope, "issues": issues},
            files=changed, review_zh=f"C15：{why}", review_en=f"C15: {why}",
        ))
    return out
