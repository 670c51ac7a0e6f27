"""Everything the sample generator takes from the code lists, resolved once per run.

``resolve_regions`` turns the ``--region`` argument into the regions of the dataset (a county, or a
city's own level followed by every county-level region under it valid that year) plus the ancestor
rows that ``fiscal_region`` must carry so that every ``parent_mof_div_code`` resolves.

``build_tables`` picks the classification codes the chain uses: only codes valid for the fiscal
year, leaf codes where the list requires leaves, verified (status V) rows first, and department →
government economic pairs taken from ``Registry.dep_to_gov``. The result is a plain picklable
object handed to the region workers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jincai.codelists import CodeList, Registry, registry
from jincai.errors import JincaiError

FIRST_YEAR = 2007


@dataclass(frozen=True)
class Region:
    index: int  # position in the dataset (0 = the requested region)
    mof_div_code: str  # 9 characters
    code6: str
    name: str
    kind: str  # "city" | "county"
    div_level_code: str
    budget_level_code: str  # 3 city, 4 county
    parent: str | None
    towns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionRow:
    """One ``fiscal_region`` record."""

    mof_div_code: str
    name: str
    div_level_code: str
    parent: str | None
    valid_from: str
    valid_to: str | None
    owner: int  # index of the dataset region whose submission carries it


@dataclass(frozen=True)
class Domain:
    """A functional 类 a department works in, with the leaf codes used under it."""

    lei: str
    word: str  # 类 name without 支出 (used in fictional unit names)
    leaves: tuple[str, ...]


@dataclass(frozen=True)
class QuotaDef:
    code: str
    name: str
    basis: str  # quota_basis code
    unit: str
    dep: str
    gov: str
    category: str  # exp_category
    lo: int  # quota value range, fen
    hi: int
    cents: bool  # whether the value carries fen (area-based quotas)
    calc: str


@dataclass(frozen=True)
class Tables:
    year: int
    domains: tuple[Domain, ...]
    personnel: tuple[QuotaDef, ...]
    public: tuple[QuotaDef, ...]
    project_eco: tuple[tuple[str, str, str], ...]  # (dep, gov, name)
    subsidy_eco: tuple[tuple[str, str, str], ...]
    tax_rev: tuple[tuple[str, str, int], ...]  # (code, name, weight)
    nontax_rev: tuple[tuple[str, str, str], ...]  # (code, name, fund_type)
    unknown_exp_func: str  # pattern-valid, not in the list for the year (unknown-code defect)
    gov_leaves: tuple[str, ...]  # valid leaf gov codes (gov-eco-mismatch defect)
    exp_leaves: tuple[str, ...]  # every usable leaf exp_func code (payment-indicator-mismatch defect)
    acct: dict = field(default_factory=dict)  # role → gov_acct code


def _err(code: str, zh: str, en: str, where: str = "") -> JincaiError:
    return JincaiError(code, zh, en, where)


def check_year(year: int) -> None:
    if not isinstance(year, int) or year < FIRST_YEAR or year > 2099:
        raise _err(
            "sample-bad-year",
            f"预算年度 {year} 无效：应在 {FIRST_YEAR}–2099 之间",
            f"fiscal year {year} is invalid: it must be within {FIRST_YEAR}-2099",
            "--year",
        )


def resolve_regions(region: str, year: int, reg: Registry | None = None) -> tuple[list[Region], list[RegionRow]]:
    """``--region`` (6-digit division code or 9-character fiscal code) → dataset regions + rows."""
    reg = reg or registry()
    mof = reg.get("mof_div")
    towns = reg.get("town")
    text = (region or "").strip()
    if re.fullmatch(r"[0-9]{6}", text):
        code9 = text + "000"
    elif re.fullmatch(r"[0-9]{9}", text):
        code9 = text
    else:
        raise _err(
            "sample-bad-region",
            f"区划代码 {region!r} 无效：应为 6 位行政区划代码或 9 位财政区划代码（如 130600 或 130600000）",
            f"region {region!r} is invalid: give a 6-digit division code or a 9-digit fiscal region code (e.g. 130600)",
            "--region",
        )
    hit = mof.lookup(code9, year=year)
    if not hit.valid or hit.row is None:
        raise _err(
            "sample-bad-region",
            f"财政区划 {code9} 在 {year} 年无效：{hit.reason_zh}",
            f"fiscal region {code9} is not valid in {year}: {hit.reason_en}",
            "--region",
        )
    row = hit.row
    if row.level not in (2, 3):
        raise _err(
            "sample-bad-region",
            f"财政区划 {code9} {row.name_zh} 不是市级或县级区划；样例数据按一个市（含所属县）或一个县生成",
            f"fiscal region {code9} ({row.name_en}) is not a city or county; sample data covers one city (with its counties) or one county",
            "--region",
        )

    def make(index: int, r) -> Region:
        kind = "city" if r.level == 2 else "county"
        town_codes = tuple(sorted(t.code for t in towns.children(r.code, year=year))) if kind == "county" else ()
        return Region(
            index=index,
            mof_div_code=r.code,
            code6=r.code[:6],
            name=r.name_zh,
            kind=kind,
            div_level_code=str(r.level),
            budget_level_code="3" if kind == "city" else "4",
            parent=r.parent or None,
            towns=town_codes,
        )

    regions = [make(0, row)]
    if row.level == 2:
        kids = sorted(mof.children(code9, year=year), key=lambda r: r.code)
        for k in kids:
            regions.append(make(len(regions), k))

    rows: list[RegionRow] = []
    # ancestors first (owned by the requested region), then every dataset region
    chain = []
    parent = row.parent
    while parent:
        chain.append(parent)
        prow = mof.history(parent)
        parent = prow[-1].parent if prow else ""
    for code in reversed(chain):
        rows.extend(_history_rows(mof, code, year, owner=0))
    for r in regions:
        rows.extend(_history_rows(mof, r.mof_div_code, year, owner=r.index))
    return regions, rows


def _history_rows(mof: CodeList, code: str, year: int, owner: int) -> list[RegionRow]:
    out = []
    for r in mof.history(code):
        vf = r.valid_from or f"{FIRST_YEAR}-01-01"
        if len(vf) == 4:
            vf += "-01-01"
        vt = r.valid_to or None
        if vt and len(vt) == 4:
            vt += "-12-31"
        out.append(RegionRow(r.code, r.name_zh, str(r.level), r.parent or None, vf, vt, owner))
    return out


# ------------------------------------------------------------------------------------------------
# classification tables
# ------------------------------------------------------------------------------------------------

# functional 类 that do not suit an ordinary department's own spending
_SKIP_LEI = {"202", "203", "209", "219", "222", "223", "227", "229", "230", "231", "232", "233", "234"}

_PERSONNEL = (  # code, dep eco, basis, unit, lo, hi (yuan), calc
    ("RY01", "基本工资定额", "30101", "01", "元/人/年", 36000, 48000),
    ("RY02", "津贴补贴定额", "30102", "01", "元/人/年", 18000, 30000),
    ("RY03", "奖金定额", "30103", "01", "元/人/年", 3000, 6000),
    ("RY04", "机关事业单位基本养老保险缴费定额", "30108", "01", "元/人/年", 8000, 12000),
    ("RY05", "住房公积金定额", "30113", "01", "元/人/年", 5000, 9000),
)
_PUBLIC = (
    ("GY01", "办公费定额", "30201", "01", "元/人/年", 1500, 2500),
    ("GY02", "办公取暖费定额", "30208", "03", "元/平方米/年", 25, 35),
    ("GY03", "公务用车运行维护费定额", "30231", "04", "元/辆/年", 18000, 26000),
    ("GY04", "差旅费定额", "30211", "01", "元/人/年", 2000, 4000),
    ("GY05", "办公用电定额", "30206", "03", "元/平方米/年", 8, 15),
)
_BASIS_WORD = {"01": "在职人数", "02": "离退休人数", "03": "办公用房核定面积", "04": "编制车辆数"}
_PROJECT_ECO = ("30227", "30226", "30218", "31002", "31007", "30213", "30216", "30215")
_SUBSIDY_ECO = ("30305", "30310", "30309", "30399")
_TAX_WEIGHTS = {"1010101": 30, "10104": 15, "10106": 8, "10109": 8, "10110": 5, "10111": 4, "10112": 5, "10113": 5, "10119": 6}
_CENTRAL_OR_REFUND = {"10102", "10116", "10117", "10105"}  # central revenue and refund 款
_NONTAX = ("10302", "10304", "10305", "10307", "1030148")

# the small closed lists: code → expected name (checked, so that a changed list fails loudly)
_NEED = {
    "pay_type": {"1": "财政直接支付", "2": "财政授权支付"},
    "set_mode": {"1": "转账"},
    "source_type": {"1": "年初预算", "2": "上级转移支付"},
    "adj_type": {"1": "追加", "2": "调减"},
    "exp_category": {"1": "人员经费", "2": "公用经费", "3": "项目经费"},
    "quota_basis": {"01": "在职人数", "03": "核定办公用房面积", "04": "编制车辆数"},
    "agency_type": {"1": "行政单位", "2": "事业单位"},
    "budget_level": {"3": "市级", "4": "县级"},
    "report_period": {"1": "旬报", "2": "月报"},
    "consolidation_scope": {"1": "本级"},
    "pay_status": {"1": "已支付", "2": "已清算"},
    "fund_type": {"1": "一般公共预算资金", "2": "政府性基金预算资金"},
    "div_level": {"1": "省", "2": "市", "3": "县"},
    "gov_acct": {"1001": "国库存款", "4001": "一般公共预算本级收入", "4002": "政府性基金预算本级收入", "5001": "一般公共预算本级支出"},
}


def _usable(cl: CodeList, code: str, year: int) -> bool:
    return cl.is_valid(code, year=year)


def build_tables(year: int, reg: Registry | None = None) -> Tables:
    reg = reg or registry()
    for list_id, codes in _NEED.items():
        cl = reg.get(list_id)
        for code, name in codes.items():
            hit = cl.lookup(code, year=year)
            if not hit.valid or hit.row is None or name not in hit.row.name_zh:
                raise _err(
                    "sample-codelist-mismatch",
                    f"代码集 {list_id} 中 {code} 应为“{name}”且 {year} 年有效，实际：{hit.reason_zh}",
                    f"code list {list_id}: {code} should be '{name}' and valid in {year}: {hit.reason_en}",
                )

    exp = reg.get("exp_func")
    dep = reg.get("dep_bgt_eco")
    gov = reg.get("gov_bgt_eco")
    rev = reg.get("rev_class")

    exp_leaves = sorted(exp.leaf_codes(year=year))
    by_lei: dict[str, list[str]] = {}
    for code in exp_leaves:
        row = exp.lookup(code, year=year).row
        if code[:3] in _SKIP_LEI or row is None or not row.verified:
            continue
        by_lei.setdefault(code[:3], []).append(code)
    domains = []
    for lei in sorted(by_lei):
        name = exp.lookup(lei, year=year).row
        word = (name.name_zh if name else lei).removesuffix("支出")
        domains.append(Domain(lei, word, tuple(by_lei[lei])))
    if not domains:
        raise _err("sample-codelist-mismatch", f"{year} 年没有可用的支出功能分类末级代码", f"no usable functional leaf codes in {year}")

    def pair(dep_code: str) -> tuple[str, str] | None:
        if not _usable(dep, dep_code, year):
            return None
        g = reg.dep_to_gov(dep_code, year)
        if g is None or not _usable(gov, g, year):
            return None
        return dep_code, g

    def quotas(spec, category: str) -> tuple[QuotaDef, ...]:
        out = []
        for code, name, dep_code, basis, unit, lo, hi in spec:
            p = pair(dep_code)
            if p is None:
                continue
            cents = basis == "03"
            calc = f"{dep.lookup(dep_code, year=year).row.name_zh}={_BASIS_WORD[basis]}×{name}"
            out.append(QuotaDef(code, name, basis, unit, p[0], p[1], category, lo * 100, hi * 100, cents, calc))
        return tuple(out)

    personnel = quotas(_PERSONNEL, "1")
    public = quotas(_PUBLIC, "2")
    if not personnel or personnel[0].dep != "30101":
        raise _err(
            "sample-year-unsupported",
            f"{year} 年的代码集缺少基本工资（30101）及其政府经济分类对应关系，无法生成样例数据（政府预算支出经济分类自 2018 年起）",
            f"the code lists of {year} lack 30101 基本工资 or its government economic mapping, so no sample can be "
            "generated (the government economic classification starts in 2018)",
            "--year",
        )

    def eco_list(codes) -> tuple[tuple[str, str, str], ...]:
        out = []
        for c in codes:
            p = pair(c)
            if p:
                out.append((p[0], p[1], dep.lookup(c, year=year).row.name_zh))
        return tuple(out)

    project_eco = eco_list(_PROJECT_ECO)
    subsidy_eco = eco_list(_SUBSIDY_ECO)

    rev_leaves = rev.leaf_codes(year=year)
    tax = []
    for code in sorted(rev_leaves):
        if code.startswith("101") and code not in _CENTRAL_OR_REFUND:
            row = rev.lookup(code, year=year).row
            tax.append((code, row.name_zh, _TAX_WEIGHTS.get(code, 2 if row.verified else 1)))
    nontax = []
    for code in _NONTAX:
        if code in rev_leaves:
            nontax.append((code, rev.lookup(code, year=year).row.name_zh, "2" if code.startswith("10301") else "1"))
    if not tax or not nontax or not project_eco:
        raise _err("sample-codelist-mismatch", f"{year} 年代码集不足以生成样例数据", f"the code lists of {year} are too sparse for sample data")

    valid_exp = exp.valid_codes(year=year)
    unknown = next(f"{lei}0101" for lei in (str(n) for n in range(299, 200, -1)) if lei not in valid_exp and f"{lei}0101" not in exp)

    gov_leaves = tuple(sorted(c for c in gov.leaf_codes(year=year)))
    usable_exp = tuple(c for d in domains for c in d.leaves)
    return Tables(
        year=year,
        domains=tuple(domains),
        personnel=personnel,
        public=public,
        project_eco=project_eco,
        subsidy_eco=subsidy_eco or project_eco,
        tax_rev=tuple(tax),
        nontax_rev=tuple(nontax),
        unknown_exp_func=unknown,
        gov_leaves=gov_leaves,
        exp_leaves=usable_exp,
        acct={"treasury": "1001", "exp_general": "5001", "rev_general": "4001", "rev_fund": "4002"},
    )
