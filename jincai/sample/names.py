"""Fictional names for sample data: units, people, payees, bank branches, projects.

Every name is built from the small word lists below with a seeded ``random.Random``; none is meant
to be a real unit, person or branch. Names contain no ASCII ``"``, ``\\``, ``,`` or control
characters, so they serialise verbatim in JSON and CSV.
"""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宇浩凯鹏飞云海波宁晨曦雪梅欣悦佳琪子涵思远振华立新春生秋月冬梅"
    "德胜俊峰婷颖琳瑶雨航辰睿泽博文轩嘉怡梓萱诗雅"
)
# two-character fictional place-ish words for unit and branch names
SYLL = "青禾清源安泰嘉和永丰长乐明德怀远新华东升西岭南湖北辰文澜云溪松涛柳岸兴隆广济恒通瑞祥宏业锦程"
UNIT_KINDS = ("服务中心", "事务中心", "管理站", "研究所", "保障中心", "学校", "医院", "工作站", "发展中心", "监测站")
COMPANY_KINDS = ("商贸有限公司", "建筑工程有限公司", "科技有限公司", "物业服务有限公司", "农业发展有限公司", "印务有限公司", "设备有限公司")
PROJECT_WORDS = (
    "信息化建设", "设备更新", "专项整治", "能力提升", "基础设施维修", "宣传培训", "课题研究", "环境整治",
    "农田水利", "惠民补助", "应急物资储备", "档案数字化", "监测网络", "人才培养",
)

#: CNAPS bank-type prefixes (real) and fictional branch names built on them
BANKS = (
    ("102", "中国工商银行"),
    ("103", "中国农业银行"),
    ("104", "中国银行"),
    ("105", "中国建设银行"),
    ("301", "交通银行"),
)


def person_name(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.4 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(n))


def word2(rng: random.Random) -> str:
    i = rng.randrange(len(SYLL) // 2)
    return SYLL[2 * i : 2 * i + 2]


def unit_name(rng: random.Random, region_name: str) -> str:
    return f"{region_name}{word2(rng)}{rng.choice(UNIT_KINDS)}"


def company_name(rng: random.Random, region_name: str) -> str:
    return f"{region_name}{word2(rng)}{word2(rng)}{rng.choice(COMPANY_KINDS)}"


def branch_name(bank: str, region_name: str, rng: random.Random) -> str:
    return f"{bank}{region_name}{word2(rng)}支行"


def project_name(rng: random.Random, base: str) -> str:
    return f"{base}{rng.choice(PROJECT_WORDS)}项目"


def short_region(name: str) -> str:
    """``保定市`` → ``保定``; ``竞秀区`` → ``竞秀`` (two-character names are kept)."""
    if len(name) > 2 and name[-1] in "省市县区旗":
        return name[:-1]
    return name

#: non-tax items (执收项目) by revenue 款/项 prefix — generic item names, codes are made up
NONTAX_ITEMS = {
    "10301": ("土地出让价款收入", "补缴土地价款"),
    "10302": ("教育费附加收入", "地方教育附加收入", "残疾人就业保障金收入"),
    "10304": ("不动产登记费", "证照工本费", "考试考务费", "房屋租赁登记费"),
    "10305": ("一般罚没收入", "交通罚没收入", "市场监管罚没收入"),
    "10307": ("国有资产出租收入", "场地和矿区使用费", "特许经营权收入"),
}
