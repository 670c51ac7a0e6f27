"""``adapter init``: which canonical fields a legacy column's *name* may stand for.

A name is compared, in this order, with the element dictionary (``name_zh``, the field's own name,
the Ministry identifier), with a table of usual legacy names, with the **pinyin initials** of both
(legacy databases name columns ``DWDM`` for 单位代码, ``SKRZH`` for 收款人账号, ``KJND`` for 会计年度;
pypinyin gives the initials), then by containment. A name may stand for several fields (凭证号 is a
payment voucher's or an accounting voucher's number): the candidates come in order of preference and
the draft takes the first one the chosen entity has.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jincai.standard import standard

#: usual legacy column names → canonical field(s), beyond the dictionary's own name_zh
SYNONYMS: dict[str, str | tuple[str, ...]] = {
    "区划": "mof_div_code", "财政区划": "mof_div_code", "区划代码": "mof_div_code", "行政区划": "mof_div_code",
    "年度": "fiscal_year", "预算年度": "fiscal_year", "发放年度": "fiscal_year", "会计年度": "fiscal_year",
    "单位编码": "agency_code", "预算单位代码": "agency_code", "单位代码": "agency_code", "预算单位编码": "agency_code",
    "单位": "agency_name", "预算单位": "agency_name", "单位名称": "agency_name",
    "功能科目": "exp_func_code", "支出功能分类": "exp_func_code", "功能分类": "exp_func_code", "功能分类科目": "exp_func_code",
    "科目编码": "exp_func_code", "预算科目": "exp_func_code",
    "经济科目": "dep_bgt_eco_code", "部门经济分类": "dep_bgt_eco_code", "经济分类": "dep_bgt_eco_code", "部门经济科目": "dep_bgt_eco_code",
    "政府经济分类": "gov_bgt_eco_code", "政府经济科目": "gov_bgt_eco_code",
    "收入科目": "rev_class_code", "收入分类": "rev_class_code",
    "资金性质": "fund_type_code", "支付方式": "pay_type_code", "结算方式": "set_mode_code", "支付状态": "pay_status_code",
    "项目编码": "pro_code", "项目代码": "pro_code", "项目名称": "pro_name",
    "指标编号": "bgt_id", "指标ID": "bgt_id", "指标文号": "cor_bgt_doc_no", "指标金额": "amount",
    "凭证号": ("pay_cert_no", "acct_voucher_no"), "支付凭证号": "pay_cert_no", "凭证编号": ("pay_cert_no", "acct_voucher_no"),
    "凭证ID": ("pay_cert_id", "acct_voucher_id"), "凭证内码": ("acct_voucher_id", "pay_cert_id"), "凭证主键": ("pay_cert_id", "acct_voucher_id"),
    "凭证日期": ("vou_date", "acct_date"), "日期": ("acct_date", "vou_date", "report_date"),
    "申请ID": "pay_app_id", "申请号": "pay_app_id", "支付申请号": "pay_app_id",
    "明细ID": "pay_detail_id", "明细号": "pay_detail_id",
    "收款人": "payee_acct_name", "收款人名称": "payee_acct_name", "收款人全称": "payee_acct_name",
    "收款账号": "payee_acct_no", "收款人账号": "payee_acct_no", "收款银行": "payee_acct_bank_name", "收款人开户行": "payee_acct_bank_name",
    "付款人": "pay_acct_name", "付款账号": "pay_acct_no", "付款银行": "pay_acct_bank_name",
    "付款人账号": "pay_acct_no", "付款人开户行": "pay_acct_bank_name",
    "支付金额": "pay_amt", "金额": "pay_amt",
    "姓名": "per_name", "个人姓名": "per_name", "身份证号": "iden_no", "身份证号码": "iden_no", "公民身份号码": "iden_no", "身份证": "iden_no",
    "账号": "per_acct_no", "个人账号": "per_acct_no", "银行账号": "per_acct_no", "卡号": "per_acct_no",
    "代理行号": "agent_bank_code", "代理银行行号": "agent_bank_code", "行号": "agent_bank_code",
    "应发金额": "gross_amt", "应发工资": "gross_amt", "扣款金额": "deduct_amt", "扣款合计": "deduct_amt", "实发金额": "net_amt", "实发工资": "net_amt",
    "发放月份": "pay_month", "月份": ("pay_month", "period_no", "acct_period"), "期间": ("acct_period", "period_no"),
    "流水号": "payroll_id",
    "统一社会信用代码": "unifsoc_cred_code", "信用代码": "unifsoc_cred_code", "组织机构代码": "org_code",
    "用途": "use_des", "摘要": "abstract", "附言": "add_word",
    "缴款金额": "paid_amt", "入库金额": "inc_amt", "入库日期": "receipt_date", "缴款日期": "pay_date",
    "借方金额": "dr_amt", "贷方金额": "cr_amt", "会计科目": "acct_code", "科目代码": "acct_code", "科目编号": "acct_code",
    "分录号": "line_no", "行次": "line_no", "序号": "line_no",
    "来源业务": "src_entity", "来源类型": "src_entity", "来源单据": "src_id", "来源ID": "src_id",
    "冲销标志": "is_reversal", "冲销标记": "is_reversal", "红字标志": "is_reversal",
    "清算批次号": "clear_id", "清算日期": "act_lqd_date", "乡镇代码": "town_code",
    "报表编号": "report_id", "本期金额": "cur_period_amt", "本月数": "cur_period_amt", "本月": "cur_period_amt",
    "本年累计": "ytd_amt", "本年累计数": "ytd_amt", "累计": "ytd_amt",
}

_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|千元)\s*[)）]|单位[:：]?\s*(万元|元)")
_PAREN = re.compile(r"[（(][^）)]*[）)]")


def unit_of(name: str) -> re.Match | None:
    """The money unit a column name states (``金额(万元)``), if any."""
    return _UNIT.search(name)


def norm_name(name: str) -> str:
    """The comparable part of a column name: the last level of a path (``辅助核算/功能科目``,
    ``电子账簿/@财政区划``), without its unit, spaces and markers."""
    n = name.rsplit("/", 1)[-1].lstrip("@")
    n = _UNIT.sub("", n)
    return re.sub(r"[\s　:：*＊]+", "", n)


def _as_tuple(v: str | tuple[str, ...]) -> tuple[str, ...]:
    return (v,) if isinstance(v, str) else v


def _initials(word: str) -> str:
    from pypinyin import Style, lazy_pinyin  # only adapter init needs it

    return "".join(lazy_pinyin(word, style=Style.FIRST_LETTER)).upper()


def _element_words() -> dict[str, tuple[str, ...]]:
    """The dictionary's names and their usual short forms (without 代码/编码, 主键 as ID)."""
    out: dict[str, tuple[str, ...]] = {}
    for key, el in standard().elements.items():
        base = _PAREN.sub("", el.name_zh)
        forms = {base}
        for suffix in ("代码", "编码"):
            if base.endswith(suffix) and len(base) > len(suffix) + 1:
                forms.add(base[: -len(suffix)])
        if base.endswith("主键"):
            forms.add(base[:-2] + "ID")
        for f in forms:
            out.setdefault(f, (key,))
    return out


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, tuple[tuple[str, ...], str]]:
    """Pinyin initials → (fields, the Chinese name they abbreviate). The table's names win over the
    dictionary's (they are the legacy systems' own words)."""
    index: dict[str, tuple[tuple[str, ...], str]] = {}
    for word, fields in list(SYNONYMS.items()) + list(_element_words().items()):
        ini = _initials(word)
        if len(ini) >= 2 and ini.isascii():
            index.setdefault(ini, (_as_tuple(fields), word))
    return index


def by_name(name: str) -> tuple[tuple[str, ...], float, str]:
    """(candidate fields, confidence, why) for a column name; no candidates when nothing fits."""
    std = standard()
    n = norm_name(name)
    if not n:
        return (), 0.0, ""
    base = _PAREN.sub("", n)
    for key, el in std.elements.items():
        if _PAREN.sub("", el.name_zh) == base or key == n.lower() or (el.source and el.source == n.upper()):
            more = tuple(f for f in _as_tuple(SYNONYMS.get(n, ())) if f != key)  # 序号 is also a line number
            return (key, *more), 0.9, f"列名与数据元“{el.name_zh}”相同 / column name equals the element's name"
    if n in SYNONYMS:
        return _as_tuple(SYNONYMS[n]), 0.8, f"常见列名 {n} / a usual legacy column name"
    # pinyin initials, also after a table prefix (MX_DWDM: a line's 单位代码)
    m = re.fullmatch(r"(?:[A-Za-z0-9]+_)?([A-Za-z]{2,8}(?:ID)?)", n)
    if m:
        hit = _pinyin_index().get(m.group(1).upper())
        if hit:
            return hit[0], 0.6, f"拼音首字母 {m.group(1).upper()} = {hit[1]} / pinyin initials of {hit[1]}"
    for syn, fields in sorted(SYNONYMS.items(), key=lambda x: -len(x[0])):
        if len(syn) >= 2 and syn in n:
            return _as_tuple(fields), 0.5, f"列名含“{syn}” / the name contains {syn}"
    for key, el in std.elements.items():
        short = el.name_zh.replace("代码", "").replace("科目", "")
        if len(short) >= 2 and (short in n or n in el.name_zh):
            return (key,), 0.4, f"列名近似数据元“{el.name_zh}” / the name resembles the element's name"
    return (), 0.0, ""
