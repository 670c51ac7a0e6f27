#!/usr/bin/env python3
"""Derive the shipped code-list CSVs in ``standards/codelists/`` from ``../shared/reference``.

生成随标准发布的代码集 CSV（起始集），来源为 ../shared/reference 中整理的参考资料。
This is a one-off, re-runnable script kept in the repository so that the provenance of every shipped
row is reproducible: each row's ``source`` names the reference file, its V/M flag and its evidence.

    .venv/bin/python tools/build_codelists.py            # (re)write the CSVs, print a report
    .venv/bin/python tools/build_codelists.py --check    # exit 1 if the shipped CSVs differ

``lists.yaml`` (the metadata) is maintained by hand; this script writes only the CSV files. Once an
official yearly file has been loaded with ``jincai codes import``, re-running this script would drop
the imported years: re-import the official files afterwards (``--check`` tells you they differ).

English names: classification names are translated by hand below; region and township names are
romanised with pypinyin (plus a few manual fixes for polyphonic characters) and marked as such in
``source``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "standards" / "codelists"
REF = "shared/reference/"  # how sources name the reference files

COLUMNS = ["code", "parent", "level", "name_zh", "name_en", "valid_from", "valid_to", "status", "source"]
MAPPING_COLUMNS = ["dep_code", "gov_code", "valid_from", "valid_to", "status", "source"]

# 2020 邢台区划调整 the Xingtai district reform: the date split is a project assumption (M).
XINGTAI_LAST_OLD_DAY = "2020-06-04"
XINGTAI_FIRST_NEW_DAY = "2020-06-05"
XINGTAI_CAVEAT = "date M: unverified, Xingtai reform approved mid-2020 (国务院批复), exact effective date to be checked"
GOV_ECO_FROM = "2018"
GOV_ECO_CAVEAT = "valid_from 2018 M: unverified, the 2018 reform of the two economic classifications (财预〔2017〕98号)"
V1_CONVENTION = "jincai v1 convention, unverified against 预算管理一体化技术标准"
ROMANISED = "name_en romanised with pypinyin (machine, unverified)"
ROMANISED_CHECKED = "name_en romanised with pypinyin, polyphones checked by hand"


# --------------------------------------------------------------------------------------------------
# romanisation
# --------------------------------------------------------------------------------------------------

# polyphonic characters pypinyin gets wrong in Hebei place names
SEGMENT_FIXES = {"泊头": ["bo", "tou"], "都": ["du"]}  # 都 is du in place names (襄都 Xiangdu, 望都 Wangdu)


def _syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    out: list[str] = []
    rest = text
    while rest:
        for word, syl in SEGMENT_FIXES.items():
            if rest.startswith(word):
                out += syl
                rest = rest[len(word):]
                break
        else:
            # romanise up to the next fixed word
            cut = min([rest.find(w) for w in SEGMENT_FIXES if rest.find(w) > 0] or [len(rest)])
            out += lazy_pinyin(rest[:cut], errors="ignore")
            rest = rest[cut:]
    return [s for s in out if s]


def pinyin_word(text: str) -> str:
    """One place-name word in Hanyu Pinyin: joined syllables, apostrophe before a/o/e, capitalised."""
    word = ""
    for i, syl in enumerate(_syllables(text)):
        if i and syl[0] in "aoe":
            word += "'"
        word += syl
    return word[:1].upper() + word[1:]


def pinyin_phrase(text: str) -> str:
    """Several words (segmented by pypinyin's dictionary), each romanised and capitalised."""
    from pypinyin.seg.simpleseg import seg

    words = [w for w in seg(text) if w.strip()]
    merged: list[str] = []
    single = False
    for w in words:  # glue runs of single characters into one word: 大褚村 not "Da Chu Cun"
        if merged and len(w) == 1 and single:
            merged[-1] += w
        else:
            merged.append(w)
        single = len(w) == 1
    return " ".join(pinyin_word(w) for w in merged)


ETHNIC = {"回族": "Hui", "满族": "Manchu", "蒙古族": "Mongol"}


def _ethnic(text: str) -> tuple[str, list[str]]:
    """Strip trailing ethnic names (…满族蒙古族) from ``text``; return the rest and the English names."""
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for zh, en in ETHNIC.items():
            if text.endswith(zh):
                text = text[: -len(zh)]
                found.insert(0, en)
                changed = True
    return text, found


def region_name_en(name: str, level: str) -> str:
    """English name of a province, city or county-level division."""
    if level == "province":
        return pinyin_word(name[:-1]) + " Province"
    if level == "prefecture":
        return pinyin_word(name[:-1]) + " City"
    for suffix, en in (("自治县", "Autonomous County"), ("矿区", "Mining District"), ("区", "District"),
                       ("县", "County"), ("市", "City")):
        if name.endswith(suffix):
            root, ethnic = _ethnic(name[: -len(suffix)])
            if ethnic:
                en = " and ".join(ethnic) + " " + en
            return f"{pinyin_word(root)} {en}"
    return pinyin_phrase(name)


# statistics-only development zones (in_gbt2260=N): translated by hand
DEV_ZONE_EN = {
    "130171": "Shijiazhuang High-tech Industrial Development Zone",
    "130172": "Shijiazhuang Circular Chemical Industry Park",
    "130271": "Hebei Tangshan Lutai Economic Development Zone",
    "130272": "Tangshan Hangu Administrative Area",
    "130273": "Tangshan High-tech Industrial Development Zone",
    "130274": "Hebei Tangshan Haigang Economic Development Zone",
    "130371": "Qinhuangdao Economic and Technological Development Zone",
    "130372": "Beidaihe New Area",
    "130471": "Handan Economic and Technological Development Zone",
    "130473": "Handan Jinan New Area",
    "130571": "Hebei Xingtai Economic Development Zone",
    "130671": "Baoding High-tech Industrial Development Zone",
    "130672": "Baoding Baigou New Town",
    "130771": "Zhangjiakou Economic Development Zone",
    "130772": "Zhangjiakou Chabei Administrative Area",
    "130773": "Zhangjiakou Saibei Administrative Area",
    "130871": "Chengde High-tech Industrial Development Zone",
    "130971": "Hebei Cangzhou Economic Development Zone",
    "130972": "Cangzhou High-tech Industrial Development Zone",
    "130973": "Cangzhou Bohai New Area",
    "131071": "Langfang Economic and Technological Development Zone",
    "131171": "Hebei Hengshui High-tech Industrial Development Zone",
    "131172": "Hengshui Binhu New Area",
}

# township-level suffixes, longest first
TOWN_SUFFIXES = [
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("国家农业科技园区", "National Agricultural Science and Technology Park"),
    ("新兴产业示范区", "Emerging Industries Demonstration Zone"),
    ("城区工业聚集区", "Urban Industrial Cluster"),
    ("温泉休闲商务产业园区", "Hot Spring Leisure and Business Park"),
    ("新型功能材料产业园", "New Functional Materials Industrial Park"),
    ("经济开发区", "Economic Development Zone"),
    ("社区建设办公室", "Community Development Office"),
    ("城区社区管理办公室", "Urban Community Management Office"),
    ("街道服务中心", "Subdistrict Service Centre"),
    ("街道筹备处", "Subdistrict Preparatory Office"),
    ("街道办事处", "Subdistrict"),
    ("中药工业园区", "Traditional Chinese Medicine Industrial Park"),
    ("化工园区", "Chemical Industry Park"),
    ("物流园区", "Logistics Park"),
    ("教育园区", "Education Park"),
    ("工业园区", "Industrial Park"),
    ("机械林场", "Mechanised Forest Farm"),
    ("国际旅游岛", "International Tourism Island"),
    ("社会事务局", "Social Affairs Bureau"),
    ("社会发展局", "Social Development Bureau"),
    ("石油管理局", "Petroleum Administration Bureau"),
    ("国家高新区", "National High-tech Zone"),
    ("管理处", "Administration Office"),
    ("办事处", "Office"),
    ("养殖场", "Aquaculture Farm"),
    ("管理区", "Administrative Area"),
    ("工业区", "Industrial Zone"),
    ("新区", "New Area"),
    ("新城", "New Town"),
    ("片区", "Area"),
    ("街道", "Subdistrict"),
    ("林场", "Forest Farm"),
    ("牧场", "Ranch"),
    ("农场", "Farm"),
    ("监狱", "Prison"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("区", "Area"),
]


def town_name_en(name: str) -> str:
    for suffix, en in TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            root = name[: -len(suffix)]
            if suffix == "乡":
                root, ethnic = _ethnic(root)
                if ethnic:
                    en = " and ".join(ethnic) + " Ethnic Township"
            root = root.removeprefix("国营")
            prefix = "State-owned " if name.startswith("国营") else ""
            return f"{prefix}{pinyin_phrase(root)} {en}".strip()
        if name == suffix:
            return en
    return pinyin_phrase(name)


# --------------------------------------------------------------------------------------------------
# hand-written English names of the classifications
# --------------------------------------------------------------------------------------------------

EN = {
    # 支出功能分类 functional classification
    "exp_func": {
        "201": "General public services",
        "202": "Foreign affairs",
        "203": "National defence",
        "204": "Public security",
        "205": "Education",
        "206": "Science and technology",
        "207": "Culture, tourism, sports and media",
        "208": "Social security and employment",
        "209": "Social insurance funds",
        "210": "Health",
        "211": "Energy conservation and environmental protection",
        "212": "Urban and rural community affairs",
        "213": "Agriculture, forestry and water affairs",
        "214": "Transportation",
        "215": "Resource exploration, industry and information",
        "216": "Commerce and services",
        "217": "Financial affairs",
        "219": "Assistance to other regions",
        "220": "Natural resources, ocean and meteorology",
        "221": "Housing security",
        "222": "Grain, edible oil and material reserves",
        "223": "State capital operations",
        "224": "Disaster prevention and emergency management",
        "227": "Reserve fund",
        "229": "Other expenditure",
        "230": "Transfer expenditure",
        "231": "Debt principal repayment",
        "232": "Debt interest payments",
        "233": "Debt issuance costs",
        "234": "Expenditure financed by the COVID-19 special treasury bonds",
        "20101": "People's congress affairs",
        "2010101": "Administrative operation",
        "2010102": "General administrative affairs",
        "2010103": "Institutional services",
        "20106": "Fiscal affairs",
        "20129": "Mass organisation affairs",
        "2012902": "General administrative affairs",
        "20805": "Pensions of government agencies and public institutions",
        "2080505": "Basic pension insurance contributions of government agencies and public institutions",
        "21007": "Family planning affairs",
        "2100717": "Family planning services",
    },
    # 收入分类 revenue classification
    "rev_class": {
        "101": "Tax revenue",
        "10101": "Value-added tax",
        "1010101": "Domestic value-added tax",
        "10102": "Consumption tax",
        "10104": "Enterprise income tax",
        "10105": "Enterprise income tax refunds",
        "10106": "Individual income tax",
        "10107": "Resource tax",
        "10109": "Urban maintenance and construction tax",
        "10110": "Property tax",
        "10111": "Stamp tax",
        "10112": "Urban land use tax",
        "10113": "Land appreciation tax",
        "10114": "Vehicle and vessel tax",
        "10116": "Vehicle purchase tax",
        "10117": "Customs duties",
        "10118": "Farmland occupation tax",
        "10119": "Deed tax",
        "10120": "Tobacco leaf tax",
        "10121": "Environmental protection tax",
        "10199": "Other tax revenue",
        "103": "Non-tax revenue",
        "10301": "Government fund revenue",
        "1030148": "Revenue from transfers of state-owned land use rights",
        "10302": "Earmarked revenue",
        "10304": "Administrative fees",
        "10305": "Fines and confiscations",
        "10306": "State capital operating revenue",
        "1030601": "Profit revenue",
        "1030602": "Dividend revenue",
        "1030603": "Property rights transfer revenue",
        "10307": "Revenue from the paid use of state-owned resources (assets)",
        "10308": "Donation revenue",
        "10309": "Government housing fund revenue",
        "10399": "Other revenue",
        "105": "Debt revenue",
        "110": "Transfer revenue",
    },
    # 部门预算支出经济分类 department economic classification
    "dep_bgt_eco": {
        "301": "Wages and benefits",
        "30101": "Basic salaries",
        "30102": "Allowances and subsidies",
        "30103": "Bonuses",
        "30106": "Meal allowances",
        "30107": "Performance-based pay",
        "30108": "Basic pension insurance contributions of government agencies and public institutions",
        "30109": "Occupational annuity contributions",
        "30110": "Employee basic medical insurance contributions",
        "30111": "Civil servant medical subsidy contributions",
        "30112": "Other social security contributions",
        "30113": "Housing provident fund",
        "30114": "Medical expenses",
        "30199": "Other wages and benefits",
        "302": "Goods and services",
        "30201": "Office expenses",
        "30202": "Printing",
        "30203": "Consulting fees",
        "30204": "Handling fees",
        "30205": "Water",
        "30206": "Electricity",
        "30207": "Post and telecommunications",
        "30208": "Heating",
        "30209": "Property management",
        "30211": "Domestic travel",
        "30212": "Official travel abroad (outside the mainland)",
        "30213": "Repairs and maintenance",
        "30214": "Rentals",
        "30215": "Meetings",
        "30216": "Training",
        "30217": "Official hospitality",
        "30218": "Special-purpose materials",
        "30224": "Uniforms and bedding",
        "30225": "Special-purpose fuel",
        "30226": "Labour services",
        "30227": "Commissioned services",
        "30228": "Trade union funds",
        "30229": "Welfare expenses",
        "30231": "Official vehicle operation and maintenance",
        "30239": "Other transport expenses",
        "30240": "Taxes and surcharges",
        "30299": "Other goods and services",
        "303": "Subsidies to individuals and households",
        "30301": "Retirement pay of veteran cadres (lixiu)",
        "30302": "Retirement pay",
        "30303": "Severance and demobilisation pay",
        "30304": "Survivor and disability pensions",
        "30305": "Living allowances",
        "30306": "Relief payments",
        "30307": "Medical expense subsidies",
        "30308": "Student grants",
        "30309": "Reward payments",
        "30310": "Agricultural production subsidies to individuals",
        "30311": "Social insurance contributions paid on behalf of individuals",
        "30399": "Other subsidies to individuals and households",
        "307": "Debt interest and fees",
        "30701": "Domestic debt interest",
        "30702": "Foreign debt interest",
        "30703": "Domestic debt issuance costs",
        "30704": "Foreign debt issuance costs",
        "309": "Capital expenditure (capital construction)",
        "30901": "Purchase and construction of buildings and structures",
        "30902": "Office equipment",
        "30903": "Special-purpose equipment",
        "30905": "Infrastructure construction",
        "30906": "Major repairs",
        "30907": "Information networks and software",
        "30908": "Material reserves",
        "30913": "Official vehicle purchases",
        "30919": "Other means of transport",
        "30921": "Cultural relics and exhibits",
        "30922": "Intangible assets",
        "30999": "Other capital construction expenditure",
        "310": "Capital expenditure",
        "31001": "Purchase and construction of buildings and structures",
        "31002": "Office equipment",
        "31003": "Special-purpose equipment",
        "31005": "Infrastructure construction",
        "31006": "Major repairs",
        "31007": "Information networks and software",
        "31008": "Material reserves",
        "31009": "Land compensation",
        "31010": "Resettlement subsidies",
        "31011": "Compensation for ground attachments and young crops",
        "31012": "Demolition compensation",
        "31013": "Official vehicle purchases",
        "31019": "Other means of transport",
        "31021": "Cultural relics and exhibits",
        "31022": "Intangible assets",
        "31099": "Other capital expenditure",
        "311": "Subsidies to enterprises (capital construction)",
        "31101": "Capital injections",
        "31199": "Other subsidies to enterprises",
        "312": "Subsidies to enterprises",
        "31201": "Capital injections",
        "31203": "Equity investment in government investment funds",
        "31204": "Expense subsidies",
        "31205": "Interest subsidies",
        "31299": "Other subsidies to enterprises",
        "313": "Subsidies to social security funds",
        "31302": "Subsidies to social insurance funds",
        "31303": "Replenishment of the National Social Security Fund",
        "31304": "Subsidies for occupational annuities of government agencies and public institutions",
        "399": "Other expenditure",
        "39906": "Donations",
        "39907": "State compensation",
        "39908": "Subsidies to private non-profit organisations and grassroots self-governing organisations",
        "39909": "Current donations",
        "39910": "Capital donations",
        "39999": "Other expenditure",
    },
    # 政府预算支出经济分类 government economic classification
    "gov_bgt_eco": {
        "501": "Wages and benefits of government agencies",
        "50101": "Salaries, bonuses, allowances and subsidies",
        "50102": "Social security contributions",
        "50103": "Housing provident fund",
        "50199": "Other wages and benefits",
        "502": "Goods and services of government agencies",
        "50201": "Office operating expenses",
        "50202": "Meetings",
        "50203": "Training",
        "50204": "Special-purpose materials",
        "50205": "Commissioned services",
        "50206": "Official hospitality",
        "50207": "Official travel abroad (outside the mainland)",
        "50208": "Official vehicle operation and maintenance",
        "50209": "Repairs and maintenance",
        "50299": "Other goods and services",
        "503": "Capital expenditure of government agencies (I)",
        "50301": "Purchase and construction of buildings and structures",
        "50302": "Infrastructure construction",
        "50303": "Official vehicle purchases",
        "50305": "Land acquisition, demolition compensation and resettlement",
        "50306": "Equipment purchases",
        "50307": "Major repairs",
        "50399": "Other capital expenditure",
        "504": "Capital expenditure of government agencies (II)",
        "50401": "Purchase and construction of buildings and structures",
        "50402": "Infrastructure construction",
        "50403": "Official vehicle purchases",
        "50404": "Equipment purchases",
        "50405": "Major repairs",
        "50499": "Other capital expenditure",
        "505": "Current subsidies to public institutions",
        "50501": "Wages and benefits",
        "50502": "Goods and services",
        "50599": "Other subsidies to public institutions",
        "506": "Capital subsidies to public institutions",
        "50601": "Capital expenditure (I)",
        "50602": "Capital expenditure (II)",
        "507": "Subsidies to enterprises",
        "50701": "Expense subsidies",
        "50702": "Interest subsidies",
        "50799": "Other subsidies to enterprises",
        "508": "Capital expenditure on enterprises",
        "50801": "Capital expenditure on enterprises (I)",
        "50802": "Capital expenditure on enterprises (II)",
        "509": "Subsidies to individuals and households",
        "50901": "Social welfare and assistance",
        "50902": "Student grants",
        "50903": "Agricultural production subsidies to individuals",
        "50905": "Retirement pay",
        "50999": "Other subsidies to individuals and households",
        "510": "Subsidies to social security funds",
        "511": "Debt interest and fees",
        "51101": "Domestic debt interest",
        "51102": "Foreign debt interest",
        "51103": "Domestic debt issuance costs",
        "51104": "Foreign debt issuance costs",
        "512": "Debt principal repayment",
        "513": "Transfer expenditure",
        "514": "Reserve fund and reserves",
        "599": "Other expenditure",
    },
    # 总会计科目 general budget accounting chart (2015)
    "gov_acct": {
        "1001": "Treasury deposits",
        "1003": "Treasury cash management deposits",
        "1004": "Other fiscal deposits",
        "1005": "Fiscal zero-balance account deposits",
        "1006": "Marketable securities",
        "1007": "Funds in transit",
        "1011": "Advance appropriations",
        "1021": "Loans made",
        "1022": "Dividends receivable",
        "1031": "Current account with lower-level governments",
        "1036": "Other receivables",
        "1041": "On-lent local government bonds receivable",
        "1045": "On-lent sovereign foreign debt receivable",
        "1071": "Equity investments",
        "1081": "Treasury bonds pending issuance",
        "2001": "Short-term government bonds payable",
        "2011": "Centralised treasury payment balances payable",
        "2012": "Current account with higher-level governments",
        "2015": "Other payables",
        "2017": "Custodial funds payable",
        "2021": "Long-term government bonds payable",
        "2022": "Borrowings",
        "2026": "On-lent local government bonds payable",
        "2027": "On-lent sovereign foreign debt payable",
        "2045": "Other liabilities",
        "2091": "Settled and reported expenditure",
        "3001": "General public budget carry-overs and balances",
        "3002": "Government fund budget carry-overs and balances",
        "3003": "State capital operations budget carry-overs and balances",
        "3005": "Balances of funds managed in special fiscal accounts",
        "3007": "Special fund balances",
        "3031": "Budget stabilisation fund",
        "3033": "Budget revolving fund",
        "3081": "Asset fund",
        "3082": "Net assets pending debt repayment",
        "4001": "General public budget revenue at this level",
        "4002": "Government fund budget revenue at this level",
        "4003": "State capital operations budget revenue at this level",
        "4005": "Revenue of funds managed in special fiscal accounts",
        "4007": "Special fund revenue",
        "4011": "Transfer revenue from higher-level governments",
        "4012": "Remittances from lower-level governments",
        "4013": "Inter-regional assistance received",
        "4021": "Funds transferred in",
        "4031": "Drawdown of the budget stabilisation fund",
        "4041": "Debt revenue",
        "4042": "On-lent debt revenue",
        "5001": "General public budget expenditure at this level",
        "5002": "Government fund budget expenditure at this level",
        "5003": "State capital operations budget expenditure at this level",
        "5005": "Expenditure of funds managed in special fiscal accounts",
        "5007": "Special fund expenditure",
        "5011": "Transfers to lower-level governments",
        "5012": "Remittances to higher-level governments",
        "5013": "Inter-regional assistance given",
        "5021": "Funds transferred out",
        "5031": "Allocation to the budget stabilisation fund",
        "5041": "Debt principal repayment",
        "5042": "On-lent debt expenditure",
    },
}

# functional 类 renamed in 2019 (the reference notes "pre-2019: …"): old name, its English
EXP_FUNC_PRE_2019 = {
    "207": ("文化体育与传媒支出", "Culture, sports and media"),
    "210": ("医疗卫生与计划生育支出", "Medical and health care and family planning"),
    "220": ("国土海洋气象等支出", "Land, ocean and meteorology"),
}
# year facts given by the reference notes ("(2019+)", "2020+", "(2018+)")
VALID_FROM_NOTES = {("exp_func", "224"): "2019", ("exp_func", "234"): "2020", ("rev_class", "10121"): "2018"}

# small closed lists: codes fixed by jincai v1 (other parts of the system use them)
SMALL_LISTS: dict[str, list[tuple[str, str, str]]] = {
    "fund_type": [
        ("1", "一般公共预算资金", "General public budget funds"),
        ("2", "政府性基金预算资金", "Government fund budget funds"),
        ("3", "国有资本经营预算资金", "State capital operations budget funds"),
        ("4", "社会保险基金预算资金", "Social insurance fund budget funds"),
        ("5", "财政专户管理资金", "Funds managed in special fiscal accounts"),
        ("6", "单位资金", "Unit's own funds"),
        ("9", "其他资金", "Other funds"),
    ],
    "pay_type": [
        ("1", "财政直接支付", "Direct payment by the treasury"),
        ("2", "财政授权支付", "Authorised payment"),
        ("9", "其他", "Other"),
    ],
    "set_mode": [
        ("1", "转账", "Bank transfer"),
        ("2", "现金", "Cash"),
        ("3", "支票", "Cheque"),
        ("4", "汇兑", "Remittance"),
        ("5", "公务卡", "Official business card"),
        ("9", "其他", "Other"),
    ],
    "source_type": [
        ("1", "年初预算", "Initial annual budget"),
        ("2", "上级转移支付", "Transfer from a higher level"),
        ("3", "本级追加", "Supplement at this level"),
        ("4", "上年结转", "Carry-over from the previous year"),
        ("9", "其他", "Other"),
    ],
    "budget_level": [
        ("1", "中央级", "Central"),
        ("2", "省级", "Provincial"),
        ("3", "市级", "City"),
        ("4", "县级", "County"),
        ("5", "乡级", "Township"),
    ],
    "adj_type": [
        ("1", "追加", "Supplement"),
        ("2", "调减", "Reduction"),
        ("3", "调剂", "Transfer between items"),
        ("4", "下达", "Issuance to a lower level"),
    ],
    "exp_category": [
        ("1", "人员经费", "Personnel costs"),
        ("2", "公用经费", "Routine operating costs"),
        ("3", "项目经费", "Project costs"),
    ],
    "quota_basis": [
        ("01", "在职人数", "Serving staff (persons)", "人"),
        ("02", "离退休人数", "Retired staff (persons)", "人"),
        ("03", "核定办公用房面积", "Approved office floor area (square metres)", "平方米"),
        ("04", "编制车辆数", "Authorised vehicles (vehicles)", "辆"),
    ],
    "agency_type": [
        ("1", "行政单位", "Administrative unit"),
        ("2", "事业单位", "Public institution"),
        ("3", "参照公务员法管理事业单位", "Public institution managed under the Civil Servant Law"),
        ("9", "其他", "Other"),
    ],
    "div_level": [
        ("1", "省", "Province"),
        ("2", "市", "City"),
        ("3", "县", "County"),
        ("4", "乡", "Township"),
    ],
    "report_period": [
        ("1", "旬报", "10-day report"),
        ("2", "月报", "Monthly report"),
    ],
    "consolidation_scope": [
        ("1", "本级", "This level only"),
        ("2", "汇总（本级及所属下级）", "Consolidated (this level and its lower levels)"),
    ],
    "pay_status": [
        ("1", "已支付", "Paid"),
        ("2", "已清算", "Cleared"),
        ("3", "已退回", "Returned"),
    ],
}
CURRENCIES = [
    ("CNY", "人民币", "Renminbi (Chinese yuan)"),
    ("EUR", "欧元", "Euro"),
    ("HKD", "港元", "Hong Kong dollar"),
    ("JPY", "日元", "Japanese yen"),
    ("USD", "美元", "US dollar"),
]


# --------------------------------------------------------------------------------------------------
# builders
# --------------------------------------------------------------------------------------------------


def row(code, parent, level, name_zh, name_en, status, source, valid_from="", valid_to="", **extra) -> dict:
    out = {"code": code, "parent": parent, "level": str(level), "name_zh": name_zh, "name_en": name_en,
           "valid_from": valid_from, "valid_to": valid_to, "status": status, "source": source}
    out.update(extra)
    return out


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def status_of(raw: str) -> tuple[str, str]:
    """Map a reference status (V, M, M?, V(code), V(partial), V(by prefix)) to V/M and a note."""
    raw = raw.strip()
    if raw in ("V", "V(code)", "V(partial)"):
        return "V", raw
    if raw == "V(by prefix)":
        return "M", "V(by prefix): code inferred from its sub-codes, not seen with its name"
    if raw == "M?":
        return "M", "M?: uncertain"
    if raw == "M":
        return "M", raw
    raise SystemExit(f"unexpected status {raw!r}")


def ref_source(file: str, raw_status: str, evidence: str) -> str:
    status, note = status_of(raw_status)
    evidence = evidence.strip()
    return f"{REF}{file} [{note}]" + (f": {evidence}" if evidence else "")


LEVELS_3 = {"类": 1, "款": 2, "项": 3, "目": 4}


def build_mof_div(ref: Path) -> tuple[list[dict], dict[str, dict]]:
    divs = read_csv(ref / "hebei_divisions_2023_stats.csv")
    mca: dict[str, str] = {}
    with (ref / "hebei_gbt2260_mca_201904.tsv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            mca[rec["Code"]] = rec["Name"]
    level_no = {"province": 1, "prefecture": 2, "county": 3}
    both = ("GB/T 2260: MCA 2019-04 list (cn/GB2260 mca/201904.tsv) and NBS 2023 codes "
            "(modood/Administrative-divisions-of-China) agree; fiscal code = 6-digit code + 000")
    rows: list[dict] = []
    by6 = {d["code6"]: d for d in divs}
    for d in divs:
        c6, name, lvl = d["code6"], d["name"], d["level"]
        code = c6 + "000"
        parent = d["parent6"] + "000" if d["parent6"] else ""
        if d["in_gbt2260"] != "Y":
            rows.append(row(code, parent, level_no[lvl], name, DEV_ZONE_EN[c6], "M",
                            "NOT GB/T 2260: NBS statistics-only development-zone code (in_gbt2260=N in "
                            f"{REF}hebei_divisions_2023_stats.csv, NBS 2023 via modood/Administrative-divisions-of-China); "
                            "whether it is a fiscal region (MOF_DIV) is unverified; name_en translated by hand"))
            continue
        en = region_name_en(name, lvl)
        if c6 not in mca:  # created in the Xingtai reform
            rows.append(row(code, parent, level_no[lvl], name, en, "V",
                            f"GB/T 2260: in NBS 2023 codes, not in MCA 2019-04 list; valid_from {XINGTAI_FIRST_NEW_DAY} "
                            f"{XINGTAI_CAVEAT}; {ROMANISED_CHECKED}", valid_from=XINGTAI_FIRST_NEW_DAY))
        elif mca[c6] != name:  # renamed
            old = mca[c6]
            rows.append(row(code, parent, level_no[lvl], old, region_name_en(old, lvl), "V",
                            f"GB/T 2260: name in MCA 2019-04 list, renamed to {name} in the Xingtai reform; valid_to "
                            f"{XINGTAI_LAST_OLD_DAY} {XINGTAI_CAVEAT}; {ROMANISED_CHECKED}", valid_to=XINGTAI_LAST_OLD_DAY))
            rows.append(row(code, parent, level_no[lvl], name, en, "V",
                            f"GB/T 2260: name in NBS 2023 codes (was {old} in MCA 2019-04); valid_from "
                            f"{XINGTAI_FIRST_NEW_DAY} {XINGTAI_CAVEAT}; {ROMANISED_CHECKED}", valid_from=XINGTAI_FIRST_NEW_DAY))
        else:
            rows.append(row(code, parent, level_no[lvl], name, en, "V", f"{both}; {ROMANISED_CHECKED}"))
    for c6, name in mca.items():  # abolished in the Xingtai reform
        if c6 in by6:
            continue
        parent = c6[:4] + "00000"
        rows.append(row(c6 + "000", parent, 3, name, region_name_en(name, "county"), "V",
                        f"GB/T 2260: in MCA 2019-04 list, absent from NBS 2023 codes (abolished); valid_to "
                        f"{XINGTAI_LAST_OLD_DAY} {XINGTAI_CAVEAT}; {ROMANISED_CHECKED}", valid_to=XINGTAI_LAST_OLD_DAY))
    return rows, by6


def build_town(ref: Path, by6: dict[str, dict]) -> list[dict]:
    rows = []
    for t in read_csv(ref / "hebei_townships_2023_stats.csv"):
        parent6 = t["areaCode"]
        county = by6[parent6]
        base = (f"NBS 2023 statistical township code ({REF}hebei_townships_2023_stats.csv, from "
                "modood/Administrative-divisions-of-China streets.csv); its use as the fiscal TOWN_CODE is unverified")
        if county["in_gbt2260"] != "Y":
            status, source = "M", base + f"; parent {parent6} is a stats-only development zone; {ROMANISED}"
        else:
            status, source = "V", base + f"; {ROMANISED}"
        rows.append(row(t["code"], parent6 + "000", 4, t["name"], town_name_en(t["name"]), status, source))
    return rows


def build_hierarchy(ref: Path, file: str, list_id: str) -> list[dict]:
    rows = []
    for r in read_csv(ref / file):
        code, name = r["code"], r["name"]
        status, _ = status_of(r["status"])
        source = ref_source(file, r["status"], r["evidence"])
        level = LEVELS_3[r["level"]]
        en = EN[list_id][code]
        valid_from = VALID_FROM_NOTES.get((list_id, code), "")
        if valid_from:
            source += f"; valid_from {valid_from} from the reference note"
        if list_id == "exp_func" and code in EXP_FUNC_PRE_2019:
            old_zh, old_en = EXP_FUNC_PRE_2019[code]
            rows.append(row(code, r["parent"], level, old_zh, old_en, "M",
                            f"{REF}{file} note 'pre-2019: {old_zh}': name before the 2019 renaming of functional 类 "
                            "(DOMAIN §3); the old name is not itself cited to a source", valid_to="2018"))
            valid_from = "2019"
            source += "; valid_from 2019: the 2019 renaming of functional 类"
        if list_id == "exp_func" and code == "215":
            source += "; older name 资源勘探信息等支出 (year of change not in the reference, no history invented)"
        if list_id == "gov_bgt_eco":
            valid_from = GOV_ECO_FROM
            source += f"; {GOV_ECO_CAVEAT}"
        rows.append(row(code, r["parent"], level, name, en, status, source, valid_from=valid_from))
    return rows


def build_gov_acct(ref: Path) -> list[dict]:
    file = "general_budget_accounting_coa_2015.csv"
    rows = []
    group_note = ""
    for r in read_csv(ref / file):
        status, note = status_of(r["status"])
        if r["note"].strip():
            group_note = r["note"].strip()
        evidence = r["note"].strip() or f"2015 chart of 财政总预算会计制度 (财库〔2015〕192号), element {r['element']} ({group_note})"
        rows.append(row(r["code"], "", 1, r["name"], EN["gov_acct"][r["code"]], status,
                        f"{REF}{file} [{note}]: {evidence}", element=r["element"]))
    return rows


def build_dep_to_gov(ref: Path, dep_rows: list[dict], gov_rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Expand ``dept_codes_mapped``; return the mapping rows and a list of problems found."""
    file = "econ_class_government_501_599.csv"
    dep = {r["code"]: r for r in dep_rows}
    gov = {r["code"]: r for r in gov_rows}
    explicit: dict[str, list[tuple[str, bool, dict]]] = defaultdict(list)  # dep -> [(gov, certain, gov ref row)]
    wildcard: dict[str, tuple[str, dict]] = {}  # dep class -> (gov class, gov ref row)
    problems: list[str] = []
    for g in read_csv(ref / file):
        for token in (t.strip() for t in g["dept_codes_mapped"].split(";")):
            if not token:
                continue
            if token in ("…", "..."):
                problems.append(f"{g['code']}: list truncated in the source ('…'); codes after it unknown")
                continue
            m = re.fullmatch(r"(3[0-9]{2})xx", token)
            if m:
                if m.group(1) in wildcard:
                    problems.append(f"CONFLICT dep class {m.group(1)} wildcard on {wildcard[m.group(1)][0]} and {g['code']}")
                wildcard[m.group(1)] = (g["code"], g)
                continue
            certain = not token.endswith("?")
            code = token.rstrip("?")
            if code not in dep:
                problems.append(f"{g['code']}: mapped department code {code} is not in dep_bgt_eco")
                continue
            explicit[code].append((g["code"], certain, g))

    out: list[dict] = []

    def emit(dep_code: str, gov_code: str, certain: bool, g: dict, how: str) -> None:
        g_status, _ = status_of(g["status"])
        d_status = dep[dep_code]["status"]
        status = "V" if (certain and g_status == "V" and d_status == "V") else "M"
        why = []
        if not certain:
            why.append("marked '?' (uncertain) in the source")
        if d_status != "V":
            why.append(f"department code {dep_code} is itself M")
        source = (f"{REF}{file} row {g['code']} dept_codes_mapped ({how}) [{g['status']}]: {g['evidence']}"
                  + (f"; M because {', '.join(why)}" if why else "") + f"; {GOV_ECO_CAVEAT}")
        out.append({"dep_code": dep_code, "gov_code": gov_code, "valid_from": GOV_ECO_FROM, "valid_to": "",
                    "status": status, "source": source})

    for dep_code in sorted(dep):
        targets = explicit.get(dep_code, [])
        cls = wildcard.get(dep_code[:3])
        if len({t[0] for t in targets}) > 1:
            problems.append(f"CONFLICT {dep_code} maps to {sorted({t[0] for t in targets})}; left unmapped")
            continue
        if targets:
            gov_code, certain, g = targets[0]
            if cls and gov[gov_code]["parent"] != cls[0]:
                problems.append(f"CONFLICT {dep_code} -> {gov_code} but class wildcard {dep_code[:3]}xx -> {cls[0]}; left unmapped")
                continue
            emit(dep_code, gov_code, certain, g, "explicit")
        elif cls:
            if len(dep_code) == 3:
                emit(dep_code, cls[0], True, cls[1], f"class {dep_code} from wildcard {dep_code}xx")
            else:
                emit(dep_code, cls[0], True, cls[1],
                     f"class level only: wildcard {dep_code[:3]}xx, no 款-level mapping in the source")
        else:
            problems.append(f"unmapped: {dep_code} {dep[dep_code]['name_zh']}")
    return out, problems


def build_small(list_id: str) -> list[dict]:
    rows = []
    for item in SMALL_LISTS[list_id]:
        code, zh, en = item[:3]
        extra = {"unit": item[3]} if len(item) > 3 else {}
        rows.append(row(code, "", 1, zh, en, "M", V1_CONVENTION, **extra))
    return rows


def build_currency() -> list[dict]:
    return [row(c, "", 1, zh, en, "V", "ISO 4217 alphabetic code; selection of currencies is a jincai v1 convention")
            for c, zh, en in CURRENCIES]


# --------------------------------------------------------------------------------------------------


def render(rows: list[dict], columns: list[str]) -> str:
    extra = [k for r in rows for k in r if k not in columns]
    columns = columns + list(dict.fromkeys(extra))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return buf.getvalue()


def build(reference: Path) -> tuple[dict[str, str], list[str]]:
    files: dict[str, str] = {}
    report: list[str] = []
    key = lambda r: (r["code"], r["valid_from"])  # noqa: E731

    mof_div, by6 = build_mof_div(reference)
    lists: dict[str, list[dict]] = {
        "mof_div": sorted(mof_div, key=key),
        "town": sorted(build_town(reference, by6), key=key),
        "exp_func": sorted(build_hierarchy(reference, "func_class_lei_and_examples.csv", "exp_func"), key=key),
        "rev_class": sorted(build_hierarchy(reference, "revenue_class_partial.csv", "rev_class"), key=key),
        "dep_bgt_eco": sorted(build_hierarchy(reference, "econ_class_department_301_399.csv", "dep_bgt_eco"), key=key),
        "gov_bgt_eco": sorted(build_hierarchy(reference, "econ_class_government_501_599.csv", "gov_bgt_eco"), key=key),
        "gov_acct": build_gov_acct(reference),
    }
    for list_id in SMALL_LISTS:
        lists[list_id] = build_small(list_id)
    lists["currency"] = build_currency()
    for list_id, rows in lists.items():
        files[f"{list_id}.csv"] = render(rows, COLUMNS)
        counts = Counter(r["status"] for r in rows)
        report.append(f"{list_id:20} {len(rows):5} rows  V {counts['V']:5}  M {counts['M']:5}")

    mapping, problems = build_dep_to_gov(reference, lists["dep_bgt_eco"], lists["gov_bgt_eco"])
    files["dep_to_gov.csv"] = render(mapping, MAPPING_COLUMNS)
    counts = Counter(r["status"] for r in mapping)
    report.append(f"{'dep_to_gov':20} {len(mapping):5} rows  V {counts['V']:5}  M {counts['M']:5}")
    report += [f"  mapping: {p}" for p in problems]
    return files, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare with the shipped files, write nothing")
    args = parser.parse_args(argv)
    files, report = build(args.reference)
    print("\n".join(report))
    if args.check:
        differ = [n for n, text in files.items()
                  if not (args.out / n).exists() or (args.out / n).read_text(encoding="utf-8") != text]
        if differ:
            print("differ from the reference build:", ", ".join(differ))
            return 1
        print("shipped CSVs match the reference build")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
