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
]

#: the gateway profile (issue 10's contract: ingest.proto, docs/gateway/); ids never reused
GATEWAY: list[tuple[str, str, str, list[str], str, str]] = [
    ("R-GW-auth", "inputs", "SHALL", ["gateway"], "网关验证报送方身份，拒绝未认证的报送（UNAUTHENTICATED），不存储任何内容。", "The gateway authenticates the submitter and refuses an unauthenticated submission (UNAUTHENTICATED), storing nothing."),
    ("R-GW-revocation", "inputs", "SHALL", ["gateway"], "吊销的凭据在下一次调用即失效（UNAUTHENTICATED）。", "A revoked credential stops working from the next call (UNAUTHENTICATED)."),
    ("R-GW-roles", "inputs", "SHALL", ["gateway"], "只有报送角色可以报送；只读与审计角色报送被拒绝（PERMISSION_DENIED）。", "Only the submitter role submits; a reader's or an auditor's submission is refused (PERMISSION_DENIED)."),
    ("R-GW-own-region", "inputs", "SHALL", ["gateway"], "县只能报送本区划的数据：为其他区划报送、或信封中夹带其他区划的记录，均被拒绝（PERMISSION_DENIED），整个报送不存储。", "A county submits only its own region's data: submitting for another region, or records of another region inside the envelope, is refused (PERMISSION_DENIED) and nothing of it is stored."),
    ("R-GW-receipt", "inputs", "SHALL", ["gateway"], "网关对每次受理或隔离的报送返回回执（报送编号、状态、各实体记录数与金额合计、按严重程度的问题数），并通过 GetSubmission 给出可据以改正的问题清单（规则、文件、行、字段）。", "The gateway returns a receipt for every accepted or quarantined submission (id, status, records and money totals per entity, issues by severity) and GetSubmission gives the findings the submitter can act on (rule, file, row, field)."),
    ("R-GW-receipt-signature", "inputs", "SHALL", ["gateway"], "回执由网关以 Ed25519 签名，可用 GetSigningKey 公布的公钥验证；key_id 为公钥 SHA-256 的前 16 位十六进制。", "Receipts are signed with Ed25519 and verify against the key GetSigningKey publishes; key_id is the first 16 hex digits of the public key's SHA-256."),
    ("R-GW-digest", "inputs", "SHALL", ["gateway"], "回执的摘要与所交数据一致：每个实体为其规范 JSON Lines 的 SHA-256（与信封的 content_sha256 相同），整个报送为各实体行的 SHA-256。", "The receipt's digests match the data sent: per entity the SHA-256 of its canonical JSON Lines (the envelope's content_sha256), for the submission the SHA-256 of the entity lines."),
    ("R-GW-verdicts", "business-chain", "SHALL", ["gateway"], "网关用规则目录校验：有错误或致命问题的报送被隔离（FAILED_PRECONDITION，详情中有签名回执），问题与规则目录的结论相同；只有有效数据被受理。", "The gateway applies the catalogue: a submission with an error or fatal finding is quarantined (FAILED_PRECONDITION with the signed receipt in the details) with the catalogue's findings; only valid data is accepted."),
    ("R-GW-idempotent", "inputs", "SHALL", ["gateway"], "同一幂等键、同一内容的重交返回同一回执（replayed），不重复存储；同键不同内容为 ALREADY_EXISTS。", "Resending the same content with the same idempotency key returns the same receipt (replayed) and stores nothing twice; the same key with other content is ALREADY_EXISTS."),
    ("R-GW-supersede", "business-chain", "SHALL", ["gateway"], "更正报送被受理为该区划、年度、期间、实体的新版本，替代原版本，历史保留可查。", "A correction is accepted as a new version of the region's data for its year, period and entity, superseding the earlier one, with the history kept."),
    ("R-GW-malformed", "inputs", "SHALL", ["gateway"], "格式错误的消息或文件得到编码的错误（不是崩溃）：非 protobuf 的消息为 INVALID_ARGUMENT / message-malformed，值格式错误的记录被隔离并报告字段规则；网关照常服务。", "A malformed message or file gets a coded error, never a crash: a message that is not protobuf is INVALID_ARGUMENT / message-malformed, records with malformed values are quarantined with field findings; the gateway keeps serving."),
    ("R-GW-protocol", "inputs", "SHALL", ["gateway"], "报送流依次为信封、若干批记录、结束；顺序错误、计数不符、不支持的标准版本按 errors.md 的状态码拒绝，不存储。", "A submission stream is header, batches, end; a wrong order, mismatched counts or an unsupported standard version is refused with the status of errors.md, storing nothing."),
    ("R-GW-limits", "inputs", "SHALL", ["gateway"], "超过网关上限的消息被拒绝（RESOURCE_EXHAUSTED），不存储，网关照常服务。", "A message over the gateway's limit is refused (RESOURCE_EXHAUSTED), nothing is stored, and the gateway keeps serving."),
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
        "group_zh": "交换：编码、生产者、信封、审计", "group_en": "Exchange: encodings, producers, envelopes, auditors",
        "requirements": [_req(*row[:6], row[6] if row[0] not in tested else None) for row in EXCHANGE],
    }
    docs["gateway.yaml"] = {
        "group_zh": "接收网关（gRPC，在线测试）", "group_en": "The ingestion gateway (gRPC, over the wire)",
        "requirements": [_req(*row) for row in GATEWAY],
    }
    return docs
