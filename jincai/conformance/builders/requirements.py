"""The standard's testable requirements, as data (``conformance_tests/requirements/*.yaml``).

Most are read off the standard and the catalogue (one per convention, catalogue clause, rule, code
list, shipped adapter profile); the rest — the exchange around the data — are written here. An id
is derived from a stable id (``R-C01``, ``R-RULE-field.date``) or written once, and never reused.
A requirement no case tests carries the reason.
"""

from __future__ import annotations

from typing import Any

from jincai import paths
from jincai.conformance.builders.codelists import TARGETS, lists
from jincai.standard import standard
from jincai.validation.catalogue import catalogue

PENDING_GATEWAY = (
    "网关正在建设中（issue 10）：用例格式（submit 操作）与运行器一侧已设计，用例待网关完成后补充",
    "the gateway is being built (issue 10): the case format (the submit operation) and the runner side are designed; cases follow when it lands",
)

#: (id, clause, level, actors, zh, en, untested reason or None)
EXCHANGE: list[tuple[str, str, str, list[str], str, str, tuple[str, str] | None]] = [
    ("R-ENC-utf8", "inputs", "SHALL", ["adapter"], "遗留文本文件为 UTF-8（有无 BOM）时，转换结果与其内容一致，BOM 不进入数据。", "A legacy text file in UTF-8 (with or without a BOM) translates to its content; the BOM is not data.", None),
    ("R-ENC-gbk", "inputs", "SHALL", ["adapter"], "GBK 编码的遗留文本按整个文件识别并按 GB18030 读取。", "A GBK legacy text file is recognised from the whole file and read as GB18030.", None),
    ("R-ENC-gb18030", "inputs", "SHALL", ["adapter"], "GB18030 的四字节字符（扩展 A 区、补充平面）原样转换。", "GB18030 four-byte characters (Ext. A, supplementary plane) translate unchanged.", None),
    ("R-ENC-undecodable", "inputs", "SHALL", ["adapter"], "无法解码的字节绝不替换成“�”：拒绝并指出位置。", "Undecodable bytes are never replaced: the input is refused with the place.", None),
    ("R-ADAPT-ledger", "business-chain", "SHALL", ["adapter"], "转换账本对每个源行记账（转换、拒绝并说明原因、过滤并说明原因），计数与金额（到分）对平。", "The translation ledger accounts for every source row (translated, rejected with a reason, filtered with a reason); counts and money reconcile to the fen.", None),
    ("R-ADAPT-transforms", "business-chain", "SHALL", ["adapter"], "遗留数值、日期与代码的写法（汉字日期、红字、括号负数、千分位、以分为单位的隐含小数、定长补零、空值写法、带时区的时间戳）按其含义精确转换。", "Legacy spellings of numbers, dates and codes (Chinese dates, red ink, parenthesised negatives, thousands separators, implied decimals in fen, fixed-length padding, null spellings, datetimes with the source's offset) translate exactly to their meaning.", None),
    ("R-ADAPT-no-silent-drop", "business-chain", "SHALL", ["adapter"], "不能成为规范记录的行被拒绝，并给出文件、行号和原因代码；不得静默丢弃。", "A row that cannot become a canonical record is rejected with its file, row and reason code; nothing is dropped silently.", None),
    ("R-PROD-export", "inputs", "SHALL", ["producer"], "生产者按标准导出报送：每个实体一个 JSON Lines 文件，通过全部规则（无错误、无致命问题）。", "A producer exports a submission in the standard: one JSON Lines file per entity, passing every rule (no error, no fatal finding).", None),
    ("R-PROD-totals", "business-chain", "SHALL", ["producer"], "导出的记录数与金额合计与录入的业务一致。", "The export's record counts and money totals match the business entered.", None),
    ("R-PROD-envelope", "entity-fields", "SHALL", ["producer"], "每个实体文件有一个报送信封：记录数、内容校验和（按实体字段顺序、不含 null 的紧凑 JSON 行的 SHA-256）、产品名称与版本正确。", "Each entity file has an envelope with the right record count, content checksum (SHA-256 of compact JSON lines in the entity's field order, nulls left out) and the product's name and version.", None),
    ("R-ENV-certificate", "certificates", "SHALL", ["validator", "producer"], "报送信封的证书编号须为数据中心颁发给该产品、在创建日有效且未撤销的证书。", "An envelope's certificate number is one the data center issued to that product, valid and not revoked on the day it was created.", None),
    ("R-AUD-reproduce", "business-chain", "SHALL", ["auditor"], "对已入库报送重跑规则目录，得到与入库时记录的结论相同的结论（相同规则、相同位置）。", "Rerunning the catalogue over a stored submission gives the recorded verdicts (same rules, same places).", None),
    ("R-GW-auth", "inputs", "SHALL", ["gateway"], "网关验证报送方身份，拒绝未认证的报送。", "The gateway authenticates the submitter and refuses unauthenticated submissions.", PENDING_GATEWAY),
    ("R-GW-own-region", "inputs", "SHALL", ["gateway"], "县只能报送本区划的数据。", "A county may submit only its own region's data.", PENDING_GATEWAY),
    ("R-GW-receipt", "inputs", "SHALL", ["gateway"], "网关对每次报送返回回执（受理、隔离或拒收），并给出可据以改正的问题清单。", "The gateway returns a receipt for each submission (accepted, quarantined or refused) with the findings the submitter can act on.", PENDING_GATEWAY),
    ("R-GW-verdicts", "business-chain", "SHALL", ["gateway"], "网关对报送给出与规则目录相同的结论，只存储有效数据。", "The gateway gives the catalogue's verdicts and stores only what is valid.", PENDING_GATEWAY),
]


def _req(rid: str, clause: str, level: str, actors: list[str], zh: str, en: str, untested: tuple[str, str] | None = None) -> dict[str, Any]:
    out = {"id": rid, "clause": clause, "level": level, "actors": actors, "text_zh": zh, "text_en": en}
    if untested:
        out["untested_reason_zh"], out["untested_reason_en"] = untested
    return out


def make(tested: set[str]) -> dict[str, dict[str, Any]]:
    """file name → requirement document. ``tested``: requirement ids some active case covers."""
    std = standard()
    cat = catalogue()
    docs: dict[str, dict[str, Any]] = {}
    docs["conventions.yaml"] = {
        "group_zh": "一致性约定 C01–C15", "group_en": "Conventions C01–C15",
        "requirements": [_req(f"R-{c.id}", c.id, "SHALL", ["validator", "producer", "adapter"], f"{c.title_zh}：{c.zh}", f"{c.title_en}: {' '.join(c.en.split())}") for c in std.conventions],
    }
    docs["clauses.yaml"] = {
        "group_zh": "标准条款（规则目录引用）", "group_en": "Clauses of the standard the catalogue cites",
        "requirements": [_req(f"R-{k}", k, "SHALL", ["validator"], v.zh, v.en) for k, v in cat.clauses.items()],
    }
    rules = []
    for r in cat.rules.values():
        actors = ["validator", "auditor"] if r.family in ("record", "xrec", "xent") else ["validator"]
        zh = f"校验器必须以规则编号 {r.id}（{cat.severities[r.severity]['zh']}）报告：{r.title_zh or r.id}，并给出文件、行号与字段。"
        en = f"A validator reports {r.id} ({r.severity}) for: {r.title_en or r.id}, with the file, row and field."
        rules.append(_req(f"R-RULE-{r.id}", r.id, "SHALL", actors, zh, en))
    docs["rules.yaml"] = {"group_zh": "规则目录中的每条规则", "group_en": "Every rule of the catalogue", "requirements": rules}
    L = lists()
    codelist_reqs = []
    for lid, meta in L.meta.items():
        used = lid in TARGETS
        untested = None if used else (f"标准 {std.version} 中没有字段使用代码集 {lid}", f"no field of standard {std.version} uses the list {lid}")
        codelist_reqs.append(_req(
            f"R-LIST-{lid}", lid, "SHALL", ["validator"],
            f"{meta['name_zh']}（{lid}）的代码按记录自身年度（或日期）的代码集校验：{'封闭，未知代码为错误' if meta['closed'] else '开放，未知代码为警告'}"
            + ("；记录须用末级代码" if meta.get("leaf_required") else "") + "。",
            f"Codes of {meta['name_en']} ({lid}) are checked against the list of the record's own year (or date): "
            + ("closed, an unknown code is an error" if meta["closed"] else "open, an unknown code is a warning") + ("; records use leaf codes" if meta.get("leaf_required") else "") + ".",
            untested,
        ))
    docs["codelists.yaml"] = {"group_zh": "代码集（按年度）", "group_en": "Code lists by fiscal year", "requirements": codelist_reqs}
    adapters = []
    for p in sorted(paths.ADAPTERS.glob("*/profile.yaml")):
        name = p.parent.name
        adapters.append(_req(
            f"R-ADAPT-{name}", name, "SHALL", ["adapter"],
            f"遗留系统 {name} 的导出文件被转换为预期的规范记录，缺陷行被逐行拒绝并说明原因，账本对平。",
            f"Exports of the legacy system {name} translate to the expected canonical records; defect rows are rejected one by one with their reasons; the ledger reconciles.",
        ))
    docs["adapters.yaml"] = {"group_zh": "遗留系统适配", "group_en": "Legacy adapters", "requirements": adapters}
    docs["exchange.yaml"] = {
        "group_zh": "交换：编码、生产者、信封、审计、网关", "group_en": "Exchange: encodings, producers, envelopes, auditors, the gateway",
        "requirements": [_req(*row[:6], row[6] if row[0] not in tested else None) for row in EXCHANGE],
    }
    return docs
