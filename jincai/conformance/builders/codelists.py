"""Every code list by fiscal year: valid, unknown, not a leaf, not yet valid, retired, local
extensions, and the 2020 Xingtai region reform — read from ``standards/codelists`` directly.

The verdicts here come from a second, deliberately small reading of the CSV rows (``Lists``), not
from ``jincai.codelists``: a row is valid for fiscal year Y when Y lies in [valid_from, valid_to]
(date lists: when the range meets a day of Y, or holds the record's date); a closed list's unknown
code is ``code.unknown`` (``code.unknown-incomplete`` when the list is a starter set and the code's
nearest ancestor is valid), an open list's any problem ``code.unknown-open`` (C10). Every code field
of the changed record is evaluated, so a side effect of changing the year is expected too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


from jincai import paths, yaml_load
from jincai.conformance.builders.base import Draft, base_record, jsonl, with_value
from jincai.conformance.builders.conventions import validate_draft
from jincai.conformance.builders.rules import FIXTURES
from jincai.standard import standard

#: the entity and field each list is tested through (no date rules tied to fiscal_year, no summary
#: fields); lists no entity field uses are reported as untested requirements instead
TARGETS = {
    "mof_div": ("agency", "mof_div_code"),
    "town": ("payment_detail", "town_code"),
    "exp_func": ("payroll_record", "exp_func_code"),
    "rev_class": ("non_tax_payment_line", "rev_class_code"),
    "dep_bgt_eco": ("expense_quota", "dep_bgt_eco_code"),
    "gov_bgt_eco": ("dept_budget_line", "gov_bgt_eco_code"),
    "gov_acct": ("accounting_voucher_line", "acct_code"),
    "fund_type": ("spending_plan", "fund_type_code"),
    "pay_type": ("bank_clearing", "pay_type_code"),
    "set_mode": ("payment_request", "set_mode_code"),
    "source_type": ("budget_indicator", "source_type_code"),
    "budget_level": ("agency", "budget_level_code"),
    "adj_type": ("indicator_adjustment", "adj_type_code"),
    "exp_category": ("expense_quota", "exp_category_code"),
    "quota_basis": ("expense_quota", "quota_basis_code"),
    "agency_type": ("agency", "agency_type_code"),
    "div_level": ("fiscal_region", "div_level_code"),
    "report_period": ("fiscal_report", "report_period_code"),
    "consolidation_scope": ("fiscal_report", "consolidation_scope_code"),
    "pay_status": ("payment_voucher", "pay_status_code"),
}


@dataclass(frozen=True)
class Row:
    code: str
    parent: str
    valid_from: str
    valid_to: str


class Lists:
    """The shipped lists, read plainly."""

    def __init__(self) -> None:
        meta = yaml_load.load_file(paths.CODELISTS / "lists.yaml", size_limit=None, cache=True)
        self.meta = {m["id"]: m for m in meta["lists"]}
        self.rows: dict[str, list[Row]] = {}
        for lid, m in self.meta.items():
            with open(paths.CODELISTS / m["file"], encoding="utf-8", newline="") as fh:
                self.rows[lid] = [Row(r["code"], r["parent"], r["valid_from"], r["valid_to"]) for r in csv.DictReader(fh)]
        with open(paths.CODELISTS / "dep_to_gov.csv", encoding="utf-8", newline="") as fh:
            self.mapping = [(r["dep_code"], r["gov_code"], r["valid_from"], r["valid_to"]) for r in csv.DictReader(fh)]

    def _span(self, lid: str, row: Row) -> tuple[str, str]:
        """The row's validity as comparable text: years for fiscal-year lists, dates for date lists."""
        return row.valid_from or "0000", row.valid_to or "9999-99-99"

    def valid_row(self, lid: str, row: Row, year: int | None, on: str | None) -> bool:
        lo, hi = self._span(lid, row)
        if on is not None:  # a record valid from a date (fiscal_region)
            key = on if self.meta[lid]["validity"] == "date" else on[:4]
            return lo <= key <= hi
        if self.meta[lid]["validity"] == "date":
            return lo <= f"{year}-12-31" and hi >= f"{year}-01-01"
        return lo <= str(year) <= hi

    def national_max(self, lid: str) -> int:
        return max(level.get("length") or 0 for level in self.meta[lid]["levels"])

    def verdict(self, lid: str, code: str, year: int | None = None, on: str | None = None) -> str | None:
        closed = self.meta[lid]["closed"]
        problem = self._problem(lid, code, year, on)
        if problem is None:
            return None
        return problem if closed else "code.unknown-open"

    def _problem(self, lid: str, code: str, year: int | None, on: str | None) -> str | None:
        rows = [r for r in self.rows[lid] if r.code == code]
        ext = self.meta[lid].get("local_extension_max_length")
        if not rows and ext and self.national_max(lid) < len(code) <= ext:
            national = code[: self.national_max(lid)]
            sub = self._problem(lid, national, year, on)
            return sub if sub in (None, "code.unknown-incomplete") else "code.bad-extension"
        if not rows:
            return "code.unknown-incomplete" if self._unjudged(lid, code, year, on) else "code.unknown"
        if not any(self.valid_row(lid, r, year, on) for r in rows):
            when = on[:4] if on else str(year)
            if all(r.valid_from and r.valid_from[:4] > when for r in rows):
                return "code.not-yet-valid"
            if all(r.valid_to and r.valid_to[:4] < when for r in rows):
                return "code.retired"
            return "code.retired" if on else "code.unknown"
        if self.meta[lid].get("leaf_required") and any(r.parent == code and self.valid_row(lid, r, year, on) for r in self.rows[lid]):
            return "code.not-leaf"
        return None

    def _unjudged(self, lid: str, code: str, year: int | None, on: str | None) -> bool:
        """A starter list (complete: false) cannot judge a code it lacks whose nearest ancestor in the
        list — the code cut to a shorter level's length — is valid (C10, ``code.unknown-incomplete``)."""
        if self.meta[lid].get("complete", True):
            return False
        for n in sorted((lv.get("length") or 0 for lv in self.meta[lid]["levels"]), reverse=True):
            if 0 < n < len(code):
                rows = [r for r in self.rows[lid] if r.code == code[:n]]
                if rows:
                    return any(self.valid_row(lid, r, year, on) for r in rows)
        return False

    def mapping_ok(self, dep: str, gov: str, year: int) -> bool:
        targets = [g for d, g, lo, hi in self.mapping if d == dep and (lo or "0000") <= str(year) <= (hi or "9999")]
        return not targets or gov.startswith(targets[0])

    def leaf(self, lid: str, year: int, skip: set[str] = frozenset(), length: int | None = None) -> str:
        """The last code of the list that is valid and a leaf in ``year`` (the file's order), of
        ``length`` characters when given."""
        for r in reversed(self.rows[lid]):
            if r.code not in skip and (length is None or len(r.code) == length) and self._problem(lid, r.code, year, None) is None:
                return r.code
        raise ValueError(f"{lid}: no valid leaf in {year}")

    def unknown(self, lid: str, like: str, year: int | None = None, judged: bool = False) -> str:
        """A code with the form of ``like`` (and the list's pattern) that the list does not hold:
        ``like`` with its last digits replaced, highest first (9…, the "other" end of a level).
        ``judged``: one the list can judge in ``year`` even when it is a starter set (no valid
        ancestor), so that it is ``code.unknown`` rather than ``code.unknown-incomplete``."""
        import re

        codes = {r.code for r in self.rows[lid]}
        pattern = re.compile(self.meta[lid].get("pattern") or ".*")
        for k in range(1, len(like) + 1):
            for n in range(10**k - 1, -1, -1):
                cand = like[: len(like) - k] + str(n).zfill(k)
                if cand not in codes and pattern.fullmatch(cand) and not (judged and self._unjudged(lid, cand, year, None)):
                    return cand
        raise ValueError(f"{lid}: no unknown code like {like}")


@lru_cache(maxsize=1)
def lists() -> Lists:
    return Lists()


def expected_issues(entity: str, record: dict[str, Any], fname: str, row: int = 1) -> list[dict]:
    """Every code finding the lists give for ``record`` (all its code fields, the economic mapping)."""
    L = lists()
    ent = standard().entity(entity)
    year = int(record["fiscal_year"]) if "fiscal_year" in ent.field_names and record.get("fiscal_year") else None
    on = record.get("valid_from") if "fiscal_year" not in ent.field_names else None
    out = []
    failed = set()
    for f in ent.fields:
        lid = f.element.codelist
        if lid and record.get(f.name) is not None:
            rule = L.verdict(lid, record[f.name], year, on)
            if rule:
                failed.add(f.name)
                out.append({"rule": rule, "file": fname, "row": row, "field": f.name})
    if year and {"dep_bgt_eco_code", "gov_bgt_eco_code"} <= set(record) and not failed & {"dep_bgt_eco_code", "gov_bgt_eco_code"}:
        if not L.mapping_ok(record["dep_bgt_eco_code"], record["gov_bgt_eco_code"], year):
            out.append({"rule": "code.gov-eco-mapping", "file": fname, "row": row, "field": "gov_bgt_eco_code"})
    return out


def _base(entity: str) -> dict[str, Any]:
    try:
        return base_record(entity)
    except IndexError:  # the sample county has no adjustments: take the catalogue's reviewed fixture
        from jincai.conformance.builders.base import read_jsonl

        return read_jsonl(next(FIXTURES.glob(f"*/pass/{entity}.jsonl")))[0]


def _context(entity: str, changes: dict[str, Any]) -> list[dict[str, Any]]:
    """Records that must accompany the changed one so that it is whole: the other lines of its
    accounting voucher (debit = credit), the ancestors of a fiscal region (its parent exists)."""
    from jincai.conformance.builders.base import sample_records

    if entity == "accounting_voucher_line":
        first = sample_records(entity)[0]
        return [r for r in sample_records(entity)[1:] if r["acct_voucher_id"] == first["acct_voucher_id"]]
    if entity == "fiscal_region" and changes.get("parent_mof_div_code") == "130500000":
        return [{"mof_div_code": "130500000", "mof_div_name": "邢台市", "div_level_code": "2", "parent_mof_div_code": "130000000", "valid_from": "2007-01-01"}]
    return []


def _case(lid: str, name: str, entity: str, changes: dict[str, Any], why_zh: str, why_en: str) -> Draft:
    rec = _base(entity)
    for k, v in changes.items():
        rec = with_value(rec, k, v)
    context = _context(entity, changes)
    records = [_base(entity), *context, rec] if entity == "fiscal_region" and context else [rec, *context]
    fname = f"{entity}.jsonl"
    issues = [i for n, r in enumerate(records, 1) for i in expected_issues(entity, r, fname, n)]
    meta = lists().meta[lid]
    shown = ", ".join(f"{k}={v}" for k, v in changes.items())
    verdict = " + ".join(i["rule"] for i in issues) or "valid"
    return validate_draft(
        f"codelist.{lid}.{name}", "codelists", lid,
        (f"代码集 {meta['name_zh']}（{lid}）：{shown} → {verdict}", f"Code list {meta['name_en']} ({lid}): {shown} → {verdict}"),
        [f"R-LIST-{lid}", "R-C10"], {fname: jsonl(records)}, issues, why_en, why_zh=why_zh,
    )


def make() -> list[Draft]:
    L = lists()
    drafts = []
    for lid, (entity, fld) in TARGETS.items():
        meta = L.meta[lid]
        base = _base(entity)
        year = int(base.get("fiscal_year") or 2024)
        leaf = L.leaf(lid, year, skip={base.get(fld)})
        drafts.append(_case(lid, "valid", entity, {fld: leaf}, f"{year} 年有效的末级代码", f"a leaf code valid in {year}"))
        like = base.get(fld) or leaf
        drafts.append(_case(lid, "unknown", entity, {fld: L.unknown(lid, like, year, judged=True)}, "代码集中没有的代码", "a code the list does not hold"))
        if not meta.get("complete", True):
            unjudged = L.unknown(lid, like, year)
            if L._unjudged(lid, unjudged, year, None):
                drafts.append(_case(lid, "unverified", entity, {fld: unjudged}, "起始代码集中没有、上级代码有效的代码：无法判断，警告",
                                    "a code the starter list lacks under a valid parent: not judged, a warning"))
        if meta.get("leaf_required"):
            parents = [r.code for r in L.rows[lid] if L._problem(lid, r.code, year, None) == "code.not-leaf"]
            if parents:
                drafts.append(_case(lid, "not-leaf", entity, {fld: parents[0]}, "有下级代码的代码不能用于记录", "a code with sub-codes valid that year"))
        if lid == "mof_div":
            continue  # by date, below
        later = [r for r in L.rows[lid] if r.valid_from and int(r.valid_from[:4]) > 2007 and not [x for x in L.rows[lid] if x.code == r.code and not x.valid_from]]
        if later and "fiscal_year" in base:
            r = later[0]
            y = int(r.valid_from[:4])
            drafts.append(_case(lid, f"not-yet-valid-{y - 1}", entity, {fld: r.code, "fiscal_year": str(y - 1)},
                                f"{r.code} 自 {y} 年起有效", f"{r.code} is valid from {y}"))
            drafts.append(_case(lid, f"first-year-{y}", entity, {fld: r.code, "fiscal_year": str(y)},
                                f"{r.code} 在 {y} 年有效", f"{r.code} is valid in {y}"))
    drafts += _local_extensions()
    drafts += _xingtai()
    return drafts


def _local_extensions() -> list[Draft]:
    L = lists()
    out = []
    for lid, (entity, fld) in (("exp_func", TARGETS["exp_func"]), ("gov_acct", TARGETS["gov_acct"])):
        national = L.leaf(lid, 2024, length=L.national_max(lid))
        ext_len = min(L.meta[lid]["local_extension_max_length"], L.national_max(lid) + 2)
        good = national.ljust(ext_len, "1")
        unknown = L.unknown(lid, national, 2024, judged=True)
        bad = unknown.ljust(ext_len, "1")
        out.append(_case(lid, "local-extension", entity, {fld: good}, f"挂在当年有效的末级代码 {national} 下的地方细目", f"a local sub-item under the valid leaf {national}"))
        out.append(_case(lid, "bad-extension", entity, {fld: bad}, f"地方细目挂在代码集中没有的全国代码 {unknown} 下", f"a local sub-item under {unknown}, a national code the list does not hold"))
    return out


def _xingtai() -> list[Draft]:
    """The 2020 Xingtai reform: 邢台县 130521 abolished (valid to 2020-06-04), 任泽区 130505 created
    (from 2020-06-05), 桥东区 130502 renamed 襄都区 (same code, two rows)."""
    out = []
    agency = ("agency", "mof_div_code")
    for code, year, why_zh, why_en in [
        ("130521000", 2020, "邢台县在 2020 年仍有效至 6 月 4 日", "Xingtai County is still valid in 2020 (to 4 June)"),
        ("130521000", 2021, "邢台县已于 2020 年撤销", "Xingtai County was abolished in 2020"),
        ("130505000", 2019, "任泽区 2020 年才设立", "Renze District was created in 2020"),
        ("130505000", 2020, "任泽区自 2020-06-05 起有效", "Renze District is valid from 2020-06-05"),
        ("130502000", 2019, "桥东区（后改名襄都区）", "Qiaodong District (renamed Xiangdu later)"),
        ("130502000", 2021, "同一代码改名为襄都区后仍有效", "the same code stays valid as Xiangdu District"),
    ]:
        out.append(_case("mof_div", f"xingtai-{code[:6]}-{year}", agency[0], {agency[1]: code, "fiscal_year": str(year)}, why_zh, why_en))
    region = {"mof_div_code": "130521000", "mof_div_name": "邢台县", "div_level_code": "3", "parent_mof_div_code": "130500000"}
    for day, why_zh, why_en in [
        ("2020-06-04", "邢台县有效的最后一天", "the last day Xingtai County is valid"),
        ("2020-06-05", "邢台县撤销后的第一天", "the first day after Xingtai County was abolished"),
    ]:
        out.append(_case("mof_div", f"xingtai-region-from-{day}", "fiscal_region", {**region, "valid_from": day}, why_zh, why_en))
    return out
