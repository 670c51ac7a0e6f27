"""The per-record path: one record at a time, through the generated pydantic model.

For each record: the model (``jincai.models.generated.<Entity>``) says whether its structure is
valid; when it is not, every field is classified by ``fields_py`` to name the first failing rule
(the same order as the bulk SQL). Then identifiers, code lists (``verdicts``) and the record rules,
here in Python. Structural issues about whole files are collected while reading. This path is the
second opinion that ``tests/test_one_verdict.py`` compares with the bulk path — and a way to check
records one by one without DuckDB.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterator

import duckdb
from pydantic import ValidationError

from jincai import identifiers
from jincai.standard import Entity, standard
from jincai.validation import bulk
from jincai.validation.catalogue import Catalogue
from jincai.validation.fields_py import Checker, field_checker, kind_text
from jincai.validation.inputs import FileProblem, InputFile, read_rows
from jincai.validation.report import FileSummary
from jincai.validation.staging import FileIssue, columns_issues
from jincai.validation.verdicts import certificate_verdict, code_verdict, ident_verdict, leaf_exempt, mapping_verdict

#: pydantic error types that are identifier findings (the ident layer reports them)
_IDENT_ERRORS = frozenset(identifiers.REASON_CODES)
#: pydantic error type → field rule, for a value the model refuses but ``fields_py`` accepts
_PYDANTIC_RULE = {
    "missing": "field.required",
    "money_format": "field.money-format",
    "decimal_format": "field.decimal-format",
    "date_format": "field.date",
    "datetime_format": "field.datetime",
    "int_type": "field.integer-type",
    "bool_type": "field.boolean-type",
    "string_type": "field.string-type",
    "string_pattern_mismatch": "field.pattern",
    "string_too_long": "field.max-length",
    "string_too_short": "field.empty-string",
}


class _Entity:
    """What the per-record checks need about one entity, prepared once."""

    def __init__(self, entity: Entity):
        from jincai.models import generated

        self.entity = entity
        self.model = getattr(generated, entity.pascal_name)
        self.names = entity.field_names
        self.known = frozenset(self.names)
        self.checkers: dict[str, Checker] = {f.name: field_checker(f.element, f.required) for f in entity.fields}
        self.elements = {f.name: f.element for f in entity.fields}
        self.required = [f.name for f in entity.fields if f.required]
        self.idents = [(f.name, f.element.identifier) for f in entity.fields if f.element.identifier]
        self.codes = [(f.name, f.element.codelist) for f in entity.fields if f.element.codelist]
        self.by_date = "fiscal_year" not in self.known  # fiscal_region: codes valid on valid_from
        self.mapped = {"dep_bgt_eco_code", "gov_bgt_eco_code", "fiscal_year"} <= self.known
        # what a record's code findings depend on (besides its year): the memo's key
        self.code_fields = [n for n, _ in self.codes] + (["dep_bgt_eco_code", "gov_bgt_eco_code"] if self.mapped else [])
        self.memo: dict[tuple, list[dict]] = {}
        self.memo_owner: Catalogue | None = None
        self.params: tuple = ()


@lru_cache(maxsize=None)
def _prepared(entity_id: str) -> _Entity:
    return _Entity(standard().entity(entity_id))


def typed(element, text: str) -> Any:
    """A valid field's canonical Python value (as the model would give it)."""
    t = element.type
    if t in ("money", "decimal"):
        return Decimal(text)
    if t == "date":
        return date.fromisoformat(text)
    if t == "integer":
        return int(text)
    if t == "boolean":
        return text == "true"
    return text  # text, code; datetimes are compared by no record rule


def _fields(ent: _Entity, values: dict[str, Any], suppressed: frozenset[str]) -> tuple[dict[str, Any], dict[str, str], list[dict]]:
    """The field layer: (valid typed values, failed field → rule, findings).

    The model decides whether the record is structurally valid — the fast, common case — and only
    a refused record is classified field by field, in the order of ``validators/field.yaml``.
    """
    data = values if not suppressed and ent.known.issuperset(values) else {k: v for k, v in values.items() if k in ent.known and k not in suppressed}
    try:
        instance = ent.model.model_validate(data)
    except ValidationError as exc:
        model_errors: dict[str, set[str]] = {}
        for err in exc.errors(include_url=False, include_context=False, include_input=False):
            if err["loc"]:
                model_errors.setdefault(str(err["loc"][0]), set()).add(err["type"])
    else:
        return instance.__dict__, {}, []  # absent fields are None here: every reader uses .get
    ok: dict[str, Any] = {}
    failed: dict[str, str] = {}
    found: list[dict] = []
    for n in ent.names:
        if n in suppressed:
            continue
        k, t = kind_text(values.get(n))
        rule = ent.checkers[n](k, t)
        if rule is None and n in model_errors:
            types = model_errors[n] - _IDENT_ERRORS  # identifier findings are the ident layer's
            rule = next((_PYDANTIC_RULE.get(x, "field.pattern") for x in sorted(types)), None)
        if rule:
            failed[n] = rule
            found.append({"rule": rule, "field": n, "value": t})
        elif k is not None:
            ok[n] = typed(ent.elements[n], t)
    return ok, failed, found


def check_record(
    ent: _Entity,
    values: dict[str, Any],
    suppressed: frozenset[str],
    cat: Catalogue,
    year: int | None,
    docs: dict[tuple, date] | None = None,
) -> list[dict]:
    """Every builtin finding about one record (no file-level ones): dicts with rule/field/value…"""
    return _check(ent, values, suppressed, cat, year, docs)[0]


def _check(
    ent: _Entity, values: dict[str, Any], suppressed: frozenset[str], cat: Catalogue, year: int | None, docs: dict[tuple, date] | None
) -> tuple[list[dict], dict[str, Any]]:
    """``check_record``'s findings and the record's valid typed values."""
    ok, failed, found = _fields(ent, values, suppressed)
    fy = ok.get("fiscal_year")
    for n, kind in ent.idents:  # identifiers (C11)
        v = ok.get(n)
        verdict = ident_verdict(kind, v) if v is not None else None
        if verdict:
            found.append({"rule": verdict.rule, "field": n, "value": v, "expected": verdict.expected, "reason_zh": verdict.reason_zh, "reason_en": verdict.reason_en})
    found.extend(_code_findings(ent, ok, fy, cat))
    if ent.memo_owner is not cat:  # what was worked out for another catalogue is forgotten
        ent.memo, ent.memo_owner, ent.params = {}, cat, _rule_params(cat, ent.entity.id)
    found.extend(_record_rules(ent.entity, ok, failed, cat, year, docs, ent.params))
    return found, ok


#: distinct (year, codes) combinations remembered per entity (a file repeats them record after record)
_CODE_MEMO_SIZE = 20_000  # bounded: the gateway keeps one process for days


def _code_findings(ent: _Entity, ok: dict[str, Any], fy: str | None, cat: Catalogue) -> list[dict]:
    """Code-list (C10) and mapping findings of one record, worked out once per distinct combination
    of its year (or validity date) and code values. The dicts are shared: callers copy, never change them."""
    on = ok.get("valid_from") if ent.by_date else None
    key = (fy, on, *[ok.get(n) for n in ent.code_fields])
    if ent.memo_owner is not cat:
        ent.memo, ent.memo_owner, ent.params = {}, cat, _rule_params(cat, ent.entity.id)
    elif len(ent.memo) >= _CODE_MEMO_SIZE:
        ent.memo = {}
    found = ent.memo.get(key)
    if found is not None:
        return found
    found = []
    if fy is not None or on is not None:  # code lists by the record's own year (C10)
        year_int = int(fy) if fy is not None else None
        for n, list_id in ent.codes:
            v = ok.get(n)
            if v is None:
                continue
            verdict = code_verdict(list_id, v, on=on) if on is not None else code_verdict(list_id, v, year_int)
            if verdict and not (verdict.rule == "code.not-leaf" and leaf_exempt(cat, ent.entity.id, n)):
                found.append({"rule": verdict.rule, "field": n, "value": v, "expected": verdict.expected, "reason_zh": verdict.reason_zh, "reason_en": verdict.reason_en})
    if ent.mapped and fy is not None and ok.get("dep_bgt_eco_code") is not None and ok.get("gov_bgt_eco_code") is not None:
        verdict = mapping_verdict(ok["dep_bgt_eco_code"], ok["gov_bgt_eco_code"], int(fy))
        if verdict:
            found.append({"rule": verdict.rule, "field": "gov_bgt_eco_code", "value": ok["gov_bgt_eco_code"], "expected": verdict.expected, "reason_zh": verdict.reason_zh, "reason_en": verdict.reason_en})
    ent.memo[key] = found
    return found


def _t(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _rule_params(cat: Catalogue, eid: str) -> tuple[tuple[str, list[str]] | None, ...]:
    """(rule id, fields) of the four parameterised record rules for one entity, looked up once."""
    def fields(rule_id: str, param: str) -> tuple[str, list[str]] | None:
        rule = cat.rules.get(rule_id)
        names = rule.params.get(param, {}).get(eid, []) if rule else []
        return (rule.id, names) if rule and names else None

    return (
        fields("record.negative-not-reversal", "amounts"),
        fields("record.date-in-fiscal-year", "dates"),
        fields("record.payment-before-doc-date", "dates"),
        fields("record.amount-zero", "amounts"),
    )


def _record_rules(
    e: Entity, ok: dict[str, Any], failed: dict[str, str], cat: Catalogue, year: int | None, docs: dict[tuple, date] | None, params: tuple
) -> Iterator[dict]:
    """The record rules; ``params``: ``_rule_params(cat, e.id)``."""
    eid, fy = e.id, ok.get("fiscal_year")
    negative, in_year, before_doc, zero = params
    if negative:
        for a in negative[1]:
            if ok.get(a) is not None and ok[a] < 0 and ok.get("is_reversal") is False:
                yield {"rule": negative[0], "field": a, "value": _t(ok[a]), "expected": "0.00"}
    if zero:
        for a in zero[1]:
            if ok.get(a) is not None and ok[a] == 0:
                yield {"rule": zero[0], "field": a, "value": _t(ok[a]), "expected": None}
    if in_year and fy is not None:
        for d in in_year[1]:
            if ok.get(d) is not None and ok[d].year != int(fy):
                yield {"rule": in_year[0], "field": d, "value": _t(ok[d]), "expected": fy}
                break  # one issue per record: the first date that fails
    if before_doc and docs is not None and fy is not None:
        doc = docs.get((ok.get("mof_div_code"), fy, ok.get("bgt_id")))
        for d in before_doc[1]:
            if doc is not None and ok.get(d) is not None and ok[d] < doc:
                yield {"rule": before_doc[0], "field": d, "value": _t(ok[d]), "expected": _t(doc)}
                break
    if eid == "accounting_voucher_line":
        dr, cr = ok.get("dr_amt"), ok.get("cr_amt")
        if dr is not None and cr is not None and (dr != 0) == (cr != 0):
            yield {"rule": "record.debit-credit-one-side", "field": "dr_amt", "value": _t(dr), "expected": _t(cr)}
    if eid == "payroll_record":
        g, d, n = ok.get("gross_amt"), ok.get("deduct_amt"), ok.get("net_amt")
        if g is not None and d is not None and n is not None and n != g - d:
            yield {"rule": "record.payroll-net", "field": "net_amt", "value": _t(n), "expected": _t(g - d), "difference": _t(n - (g - d))}
    if eid == "payroll_record" and "record.payroll-net-negative" in cat.rules:
        n = ok.get("net_amt")
        if n is not None and n < 0:
            yield {"rule": "record.payroll-net-negative", "field": "net_amt", "value": _t(n), "expected": "0.00"}
    if eid == "payment_voucher" and "record.payment-date-order" in cat.rules:
        vd, xd, ld = ok.get("vou_date"), ok.get("xpay_date"), ok.get("act_lqd_date")
        paid = xd if xd is not None else vd  # the clearing follows the payment (the voucher when no payment date)
        if vd is not None and xd is not None and xd < vd:
            yield {"rule": "record.payment-date-order", "field": "xpay_date", "value": _t(xd), "expected": _t(vd)}
        elif paid is not None and ld is not None and ld < paid:
            yield {"rule": "record.payment-date-order", "field": "act_lqd_date", "value": _t(ld), "expected": _t(paid)}
    if eid == "fiscal_report_line" and "rev_class_code" not in failed and "exp_func_code" not in failed:
        if (ok.get("rev_class_code") is None) == (ok.get("exp_func_code") is None):
            yield {"rule": "record.report-line-one-class", "field": "exp_func_code", "value": ok.get("exp_func_code"), "expected": ok.get("rev_class_code")}
    rule = cat.rules.get("record.envelope-certificate")
    if rule and eid == "submission_envelope" and None not in (ok.get("cert_no"), ok.get("product_name"), ok.get("product_version"), ok.get("create_time")):
        created = ok["create_time"] if isinstance(ok["create_time"], datetime) else datetime.fromisoformat(ok["create_time"])
        day = (created.astimezone(timezone.utc) + timedelta(hours=8)).date()
        v = certificate_verdict(ok["cert_no"], ok["product_name"], ok["product_version"], day, rule.params["registry"], ok.get("vendor_name"))
        if v:
            yield {"rule": v.rule, "field": "cert_no", "value": ok["cert_no"], "expected": v.expected, "reason_zh": v.reason_zh, "reason_en": v.reason_en}
    if eid == "fiscal_region":
        a, b = ok.get("valid_from"), ok.get("valid_to")
        if a is not None and b is not None and b < a:
            yield {"rule": "record.valid-range", "field": "valid_to", "value": _t(b), "expected": _t(a)}
    if year is not None and fy is not None and fy != str(year):
        yield {"rule": "record.fiscal-year", "field": "fiscal_year", "value": fy, "expected": str(year)}


def _key(ent: _Entity, values: dict[str, Any], suppressed: frozenset[str]) -> str:
    parts = []
    for k in ent.entity.key:
        _, t = kind_text(values.get(k)) if k not in suppressed else (None, None)
        parts.append(t or "")
    return "|".join(parts)


def indicator_dates(files: list[InputFile]) -> dict[tuple, date]:
    """(mof_div_code, fiscal_year, bgt_id) → earliest doc_date over the submission's indicators."""
    ent = _prepared("budget_indicator")
    names = ("mof_div_code", "fiscal_year", "bgt_id", "doc_date")
    out: dict[tuple, date] = {}
    for f in files:
        if f.entity != "budget_indicator":
            continue
        try:
            header, rows = read_rows(f)
            dup_cols = set(columns_issues(f, ent.entity, header, 0)[1]) if header is not None else set()
            for r in rows:
                if r.values is None:
                    continue
                vals = {}
                for n in names:
                    k, t = kind_text(r.values.get(n))
                    if n in r.dups or n in dup_cols or k is None or ent.checkers[n](k, t) is not None:
                        break
                    vals[n] = t
                else:
                    key = (vals["mof_div_code"], vals["fiscal_year"], vals["bgt_id"])
                    doc = date.fromisoformat(vals["doc_date"])
                    out[key] = min(doc, out.get(key, doc))
        except FileProblem:
            continue
    return out


def check_file(f: InputFile, cat: Catalogue, year: int | None, docs: dict[tuple, date] | None = None) -> tuple[list[dict], FileSummary]:
    """Every builtin finding about one file, file-level ones included."""
    ent = _prepared(f.entity)
    head = {"entity": f.entity, "file": f.name}
    found: list[dict] = []
    rows = records = 0
    try:
        header, it = read_rows(f)
        col_issues: list[FileIssue] = []
        suppressed_cols: frozenset[str] = frozenset()
        if header is not None:
            col_issues, sup = columns_issues(f, ent.entity, header, 0)
            suppressed_cols = frozenset(sup)
        unknown: dict[str, list[int]] = {}
        dups: dict[str, list[int]] = {}
        absent = set(ent.required)  # required fields not yet seen in any record (JSON Lines)
        keyed, known = header is None, ent.known
        fiscal = "fiscal_year" in known
        for r in it:
            rows += 1
            values = r.values
            if values is None:
                found.append({**head, "rule": r.bad, "row": r.row, "value": r.bad_value, "expected": r.bad_expected})
                continue
            records += 1
            suppressed = suppressed_cols
            if keyed:
                if not known.issuperset(values):
                    for k in values:
                        if k not in known:
                            unknown.setdefault(k, []).append(r.row)
                if r.dups:
                    for k in r.dups & known:
                        dups.setdefault(k, []).append(r.row)
                    suppressed = suppressed_cols | (r.dups & known)
                if absent:
                    absent.difference_update(values)
            issues, ok = _check(ent, values, suppressed, cat, year, docs)
            if issues:
                key = _key(ent, values, suppressed)
                # the record's fiscal year when it passed the field rules (for rule applicability)
                fy = ok.get("fiscal_year") if fiscal and "fiscal_year" not in suppressed else None
                ry = int(fy) if fy is not None else None
                for d in issues:
                    found.append({**head, "row": r.row, "key": key, "year": ry, **d})
    except FileProblem as exc:
        found = [{**head, "rule": exc.rule, "row": exc.row, "value": exc.value}]
        return found, FileSummary(file=f.name, entity=f.entity, format=f.format, records=0, rows=0)
    for i in col_issues:
        found.append({**head, "rule": i.rule, "field": i.field, "value": i.value, "expected": i.expected, "count": None if i.rule == "struct.missing-column" else records})
    for k, rs in unknown.items():
        found.append({**head, "rule": "struct.unknown-column", "field": k, "value": k, "row": rs[0], "count": len(rs)})
    for k, rs in dups.items():
        found.append({**head, "rule": "struct.duplicate-column", "field": k, "value": k, "row": rs[0], "count": len(rs)})
    if header is None and records:
        never = [n for n in ent.required if n in absent]
        for n in never:
            found.append({**head, "rule": "struct.missing-column", "field": n, "expected": n})
        found = [d for d in found if not (d["rule"] == "field.required" and d.get("field") in never and d.get("row") is not None)]
    if rows == 0:
        found.append({**head, "rule": "struct.empty-file"})
    return found, FileSummary(file=f.name, entity=f.entity, format=f.format, records=records, rows=rows)


def run(
    con: duckdb.DuckDBPyConnection,
    files: list[InputFile],
    cat: Catalogue,
    year: int | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[dict[str, int], list[FileSummary]]:
    """Check every file record by record; findings go to ``_issues`` like the bulk path's."""
    records: dict[str, int] = {}
    summaries = []
    present = {f.entity for f in files}
    rule = cat.rules.get("record.payment-before-doc-date")
    docs = indicator_dates(files) if rule and set(rule.targets) <= present else None
    for i, f in enumerate(files, 1):
        found, summary = check_file(f, cat, year, docs)
        bulk.insert_rows(con, found)
        summaries.append(summary)
        records[f.entity] = records.get(f.entity, 0) + summary.records
        if progress:
            progress("records", i, len(files))
    return records, summaries
