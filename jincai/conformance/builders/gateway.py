"""The gateway profile's cases: a live gRPC ingestion service tested over the wire.

Every expectation is read off the contract — ``proto/jincai/ingest/v1/ingest.proto``,
``docs/gateway/README.md`` and ``docs/gateway/errors.md`` — never off jincai's gateway code, so a
second implementation can pass them:

* a receipt's per-entity digest is the SHA-256 of the entity's canonical JSON Lines in the order
  sent (field order of the standard, nulls left out, compact — what a submission envelope's
  ``content_sha256`` states, and the builder checks the two agree); the submission digest is the
  SHA-256 of the lines ``<entity> <sha256> <records>\\n`` in entity order; money totals are yuan
  with two decimals;
* a submission with an error finding is quarantined: ``FAILED_PRECONDITION`` with the signed
  receipt in the details, and ``GetSubmission``'s report lists each finding as (rule, file
  ``<entity>.jsonl``, row = the record's position among its entity's records as sent, field); each
  defect injected here breaks exactly one catalogue rule, at the listed place;
* refusals carry the documented gRPC status and ``ErrorInfo.reason`` (errors.md).

The submissions are the clean sample county's January (``exchange.month_records``, the auditor's
clean month) and its master data alone (a small submission for the cases about the protocol).
Each case uses its own period so cases do not supersede each other's data.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from jincai.conformance.builders.base import Draft, jsonl
from jincai.conformance.builders.exchange import content_sha256, envelopes, month_records
from jincai.conformance.reference_producer import canonical_line
from jincai.standard import standard

REGION = "130681000"  # 涿州市, the sample county
OTHER_REGION = "130602000"  # 竞秀区, another county of the same city
YEAR = 2024
PRODUCT = {"name": "示例财政软件 Example fiscal software", "version": "5.1.0"}
SMALL = ["fiscal_region", "agency", "agency_basic_data"]  # master data: a quick, clean submission

#: (entity, record index from 0, field, value, the one rule it breaks)
DEFECTS = [
    ("agency", 0, "agency_name", "涿州市社会保障\x07和就业事务管理局", "field.control-char"),
    ("payment_voucher", 1, "vou_date", "2024-02-30", "field.date"),
    ("payment_voucher", 3, "payee_acct_no", "1031306811010010AB", "field.pattern"),
]
#: a code outside an open list: a warning, so the submission is still accepted
WARNINGS = [("payment_detail", 0, "town_code", "130681999", "code.unknown-open")]
#: malformed values in an otherwise readable file: each breaks one field rule
MALFORMED = [
    ("agency", 0, "agency_code", "", "field.empty-string"),
    ("agency_basic_data", 0, "fiscal_year", "二〇二四", "field.pattern"),
]


def _full(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The month with its envelopes (one per entity, as a producer exports it)."""
    return {**records, "submission_envelope": envelopes(records, PRODUCT)}


def _files(records: dict[str, list[dict]], folder: str) -> dict[str, bytes]:
    out = {}
    for entity, recs in sorted(records.items()):
        for r in recs:  # the files are canonical, so their bytes are what the digests cover
            assert canonical_line(entity, r) == jsonl([r]).decode("utf-8").rstrip("\n"), (entity, r)
        out[f"{folder}/{entity}.jsonl"] = jsonl(recs)
    return out


def receipt(records: dict[str, list[dict]], issues: dict[str, int] | None = None, envelope_agrees: bool = True) -> dict[str, Any]:
    """What the receipt of these records must state (docs/gateway/README.md, "Receipts")."""
    std = standard()
    entities = []
    for entity, recs in sorted(records.items()):
        money = {}
        for f in std.entity(entity).fields:
            if f.element.type == "money":
                total = sum((Decimal(r[f.name]) for r in recs if r.get(f.name) is not None), Decimal("0"))
                money[f.name] = format(total.quantize(Decimal("0.01")), "f")
        entities.append({"entity": entity, "records": len(recs), "content_sha256": content_sha256(entity, recs), "money_totals": money})
    env = {e["entity_name"]: e["content_sha256"] for e in records.get("submission_envelope", [])}
    for e in entities:  # the envelope states the same digest: the two definitions agree
        assert not envelope_agrees or env.get(e["entity"], e["content_sha256"]) == e["content_sha256"], e["entity"]
    lines = "".join(f"{e['entity']} {e['content_sha256']} {e['records']}\n" for e in entities)
    return {
        "content_sha256": hashlib.sha256(lines.encode("utf-8")).hexdigest(),
        "entities": entities,
        "issues_by_severity": {"fatal": 0, "error": 0, "warning": 0, **(issues or {})},
    }


def _header(period: str, region: str = REGION, standard_version: str | None = None) -> dict[str, Any]:
    h = {"mof_div_code": region, "fiscal_year": YEAR, "period": period}
    if standard_version:
        h["standard_version"] = standard_version
    return h


def _step(credential: str, key: str, period: str, submission: str | None = "small", wire: str = "normal", **header) -> dict[str, Any]:
    return {"submission": submission, "credential": credential, "key": key, "header": _header(period, **header), "wire": wire}


def _refused(status: str, reason: str | None, stores_nothing: bool = True) -> dict[str, Any]:
    return {"outcome": "refused", "status": status, "reason": reason, "stores_nothing": stores_nothing}


def _accepted(rc: dict[str, Any], **more) -> dict[str, Any]:
    return {"outcome": "accepted", "status": "OK", "receipt": rc, "issues": [], **more}  # more may name the issues


def _with(records: dict[str, list[dict]], changes: list[tuple]) -> tuple[dict[str, list[dict]], list[dict]]:
    out = {e: [dict(r) for r in v] for e, v in records.items()}
    issues = []
    for entity, i, name, value, rule in changes:
        rec = {**out[entity][i], name: value}
        out[entity][i] = {f: rec[f] for f in standard().entity(entity).field_names if f in rec}  # the standard's field order
        issues.append({"rule": rule, "file": f"{entity}.jsonl", "row": i + 1, "field": name})
    return out, issues


def _draft(cid: str, group: str, zh: str, en: str, requirements: list[str], steps: list[dict], expected: list[dict], files: dict[str, bytes],
           review: tuple[str, str], observer: str | None = "county-reader") -> Draft:
    return Draft(
        id=f"gateway.{cid}", module="gateway", group=group, title_zh=zh, title_en=en, actors=["gateway"], requirements=requirements,
        operation="submit", input={"observer": observer, "steps": steps}, expected={"steps": expected}, files=files,
        review_zh=review[0], review_en=review[1],
    )


def make() -> list[Draft]:
    month = month_records()
    full = _full(month)
    small = {e: month[e] for e in SMALL}
    corrected = {e: [dict(r) for r in v] for e, v in small.items()}
    corrected["agency"][0]["agency_name"] = corrected["agency"][0]["agency_name"] + "（更正）"
    defective, defect_issues = _with(full, DEFECTS)
    warned, warning_issues = _with(full, WARNINGS)
    # the envelopes state the digests of what the producer meant to send, not of the defects
    malformed, malformed_issues = _with(small, MALFORMED)
    foreign = {e: [dict(r) for r in v] for e, v in small.items()}
    foreign["agency"].append({**foreign["agency"][0], "mof_div_code": OTHER_REGION, "agency_code": "101999"})
    small_files = _files(small, "small")
    small_rc = receipt(small)
    contract = ("proto/jincai/ingest/v1/ingest.proto；docs/gateway/README.md；docs/gateway/errors.md", "proto/jincai/ingest/v1/ingest.proto; docs/gateway/README.md; docs/gateway/errors.md")
    out = [
        _draft(
            "clean-month-accepted", "accept", "干净的一个月报送被受理，回执签名可验证，摘要与合计同所交文件",
            "A clean month is accepted; the receipt's signature verifies and its digests and totals match the files sent",
            ["R-GW-receipt", "R-GW-receipt-signature", "R-GW-digest", "R-GW-verdicts"],
            [_step("county-submitter", "a", "2024-01", "month")], [_accepted(receipt(full))], _files(full, "month"),
            ("干净样例县 1 月（审计用例同一份数据，全部规则通过）；摘要等于信封的 content_sha256（README“回执”）",
             "the clean sample county's January (the auditor's clean month, passing every rule); the digests equal the envelopes' content_sha256 (README, Receipts)"),
        ),
        _draft(
            "rule-errors-quarantined", "verdicts", "有规则错误的报送被隔离：FAILED_PRECONDITION、签名回执、报告中的规则、文件、行与字段",
            "A submission with rule errors is quarantined: FAILED_PRECONDITION, a signed receipt, the report's rule, file, row and field",
            ["R-GW-verdicts", "R-GW-receipt", "R-GW-receipt-signature", "R-GW-digest", *sorted({f"R-RULE-{d[4]}" for d in DEFECTS})],
            [_step("county-submitter", "a", "2024-02", "month")],
            [{"outcome": "rejected", "status": "FAILED_PRECONDITION", "receipt": receipt(defective, {"error": len(DEFECTS)}, envelope_agrees=False), "issues": defect_issues, "stores_nothing": False}],
            _files(defective, "month"),
            ("在干净的 1 月中注入 3 个缺陷，每个恰好违反一条规则（控制字符、不存在的日期、账号格式）；errors.md：被拒绝的报送为 FAILED_PRECONDITION，详情中有签名回执",
             "three defects injected into the clean January, each breaking exactly one rule (a control character, a date that does not exist, an account number's pattern); errors.md: a rejected submission is FAILED_PRECONDITION with the signed receipt in its details"),
        ),
        _draft(
            "warnings-accepted", "verdicts", "只有警告的报送被受理，回执与报告列出警告",
            "A submission with warnings only is accepted; its receipt and report state the warnings",
            ["R-GW-verdicts", "R-GW-receipt", "R-RULE-code.unknown-open"],
            [_step("county-submitter", "a", "2024-10", "month")],
            [_accepted(receipt(warned, {"warning": len(WARNINGS)}, envelope_agrees=False), issues=warning_issues)],
            _files(warned, "month"),
            ("干净的 1 月中一条支付明细的乡镇代码不在开放代码集中（code.unknown-open，警告）；README“报送”：无错误/致命问题即受理",
             "one payment detail of the clean January carries a town code outside the open list (code.unknown-open, a warning); README, Submitting: no error or fatal finding → accepted"),
        ),
        _draft(
            "malformed-values-quarantined", "verdicts", "值格式错误的文件被隔离并给出编码的问题，网关照常服务",
            "A file with malformed values is quarantined with coded findings, and the gateway keeps serving",
            ["R-GW-malformed", "R-GW-verdicts", *sorted({f"R-RULE-{d[4]}" for d in MALFORMED})],
            [_step("county-submitter", "a", "2024-03", "malformed"), _step("county-submitter", "b", "2024-03")],
            [{"outcome": "rejected", "status": "FAILED_PRECONDITION", "receipt": receipt(malformed, {"error": len(MALFORMED)}), "issues": malformed_issues},
             _accepted(small_rc)],
            {**_files(malformed, "malformed"), **small_files},
            ("主数据中一个空单位代码、一个汉字年度，各违反一条字段规则；随后的干净报送证明网关没有崩溃",
             "master data with an empty agency code and a year in Chinese numerals, each breaking one field rule; the clean submission after it shows the gateway did not crash"),
        ),
        _draft(
            "auth-none", "auth", "不带凭据的报送被拒绝：UNAUTHENTICATED / auth-missing，不存储",
            "A submission without credentials is refused: UNAUTHENTICATED / auth-missing, nothing stored",
            ["R-GW-auth"], [_step("none", "a", "2024-04")], [_refused("UNAUTHENTICATED", "auth-missing")], small_files, contract,
        ),
        _draft(
            "auth-forged-token", "auth", "伪造的令牌被拒绝：UNAUTHENTICATED / auth-token-invalid，不存储",
            "A forged token is refused: UNAUTHENTICATED / auth-token-invalid, nothing stored",
            ["R-GW-auth"], [_step("forged", "a", "2024-04")], [_refused("UNAUTHENTICATED", "auth-token-invalid")], small_files, contract,
        ),
        _draft(
            "auth-revoked-token", "auth", "已吊销的令牌被拒绝：UNAUTHENTICATED / auth-token-revoked，不存储",
            "A revoked token is refused: UNAUTHENTICATED / auth-token-revoked, nothing stored",
            ["R-GW-auth", "R-GW-revocation"], [_step("revoked-county-submitter", "a", "2024-04")], [_refused("UNAUTHENTICATED", "auth-token-revoked")], small_files, contract,
        ),
        _draft(
            "auth-client-certificate", "auth", "以本网关 CA 签发、绑定本区划报送角色的客户端证书（双向 TLS）报送被受理",
            "A submission authenticated by a client certificate from the gateway's CA, bound to the region's submitter (mutual TLS), is accepted",
            ["R-GW-auth"], [_step("county-submitter-cert", "a", "2024-09")], [_accepted(small_rc)], small_files,
            ("README“认证”：双向 TLS 客户端证书绑定区划与角色", "README, Authentication: a mutual-TLS client certificate binds a region and a role"),
        ),
        _draft(
            "auth-revoked-certificate", "auth", "已吊销的客户端证书被拒绝：UNAUTHENTICATED / auth-cert-revoked，不存储",
            "A revoked client certificate is refused: UNAUTHENTICATED / auth-cert-revoked, nothing stored",
            ["R-GW-auth", "R-GW-revocation"], [_step("revoked-county-submitter-cert", "a", "2024-09")], [_refused("UNAUTHENTICATED", "auth-cert-revoked")], small_files, contract,
        ),
        _draft(
            "auth-foreign-certificate", "auth", "其他 CA 签发的客户端证书在 TLS 握手时被拒绝：UNAVAILABLE，不存储",
            "A client certificate from another CA is refused at the TLS handshake: UNAVAILABLE, nothing stored",
            ["R-GW-auth"], [_step("foreign-cert", "a", "2024-09")], [_refused("UNAVAILABLE", None)], small_files,
            ("errors.md：TLS 握手失败（证书不是本网关 CA 签发）在到达服务之前被拒绝，客户端看到 UNAVAILABLE；证书声称本县报送角色",
             "errors.md: a failed TLS handshake (a certificate from another CA) is refused before the service, the client sees UNAVAILABLE; the certificate claims the county's submitter"),
        ),
        _draft(
            "auth-other-region", "auth", "为其他区划报送被拒绝：PERMISSION_DENIED / permission-region，不存储",
            "Submitting for another region is refused: PERMISSION_DENIED / permission-region, nothing stored",
            ["R-GW-own-region"], [_step("other-county-submitter", "a", "2024-04")], [_refused("PERMISSION_DENIED", "permission-region")], small_files, contract,
        ),
        _draft(
            "auth-reader-submits", "auth", "只读角色报送被拒绝：PERMISSION_DENIED / permission-role，不存储",
            "A reader's submission is refused: PERMISSION_DENIED / permission-role, nothing stored",
            ["R-GW-auth", "R-GW-roles"], [_step("county-reader", "a", "2024-04")], [_refused("PERMISSION_DENIED", "permission-role")], small_files, contract,
        ),
        _draft(
            "foreign-records", "auth", "信封有效但含其他区划的记录：PERMISSION_DENIED / record-region，整个报送不存储",
            "A valid envelope holding another region's records: PERMISSION_DENIED / record-region, nothing of it stored",
            ["R-GW-own-region"], [_step("county-submitter", "a", "2024-04", "foreign")], [_refused("PERMISSION_DENIED", "record-region")],
            _files(foreign, "foreign"), contract,
        ),
        _draft(
            "idempotent-resubmission", "idempotency", "同一幂等键重交同一内容返回同一回执且不重复存储；同键不同内容为 ALREADY_EXISTS",
            "Resending the same content with the same idempotency key returns the same receipt and stores nothing twice; the same key with other content is ALREADY_EXISTS",
            ["R-GW-idempotent", "R-GW-receipt-signature"],
            [_step("county-submitter", "a", "2024-05"), _step("county-submitter", "a", "2024-05"), _step("county-submitter", "a", "2024-05", "corrected")],
            [_accepted(small_rc, replayed=False), _accepted(small_rc, replayed=True, same_receipt_as=1, stores_nothing=True),
             _refused("ALREADY_EXISTS", "idempotency-key-reused")],
            {**small_files, **_files(corrected, "corrected")},
            ("ingest.proto SubmissionHeader.idempotency_key 与 SubmitResponse.replayed；README“报送”：同键同内容返回同一回执，同键异内容为 idempotency-key-reused",
             "ingest.proto SubmissionHeader.idempotency_key and SubmitResponse.replayed; README, Submitting: same key and content → the same receipt; same key, other content → idempotency-key-reused"),
        ),
        _draft(
            "correction-supersedes", "versions", "更正报送被受理并记为新版本，替代原报送（历史保留）",
            "A correction is accepted and recorded as a new version superseding the earlier submission (history kept)",
            ["R-GW-supersede", "R-GW-receipt"],
            [_step("county-submitter", "a", "2024-06"), _step("county-submitter", "b", "2024-06", "corrected")],
            [_accepted(small_rc), _accepted(receipt(corrected), supersedes=[1])],
            {**small_files, **_files(corrected, "corrected")},
            ("更正版本只改一个单位名称；ReceiptContent.supersedes、EntityTotals.version 与 ListVersions 的 superseded_by（ingest.proto）",
             "the correction changes one agency name; ReceiptContent.supersedes, EntityTotals.version and ListVersions' superseded_by (ingest.proto)"),
        ),
        _draft(
            "malformed-message", "protocol", "不是 protobuf 的消息被拒绝：INVALID_ARGUMENT / message-malformed，不存储，网关照常服务",
            "A message that is not protobuf is refused: INVALID_ARGUMENT / message-malformed, nothing stored, and the gateway keeps serving",
            ["R-GW-malformed"],
            [_step("county-submitter", "a", "2024-07", wire="malformed-message"), _step("county-submitter", "b", "2024-07")],
            [_refused("INVALID_ARGUMENT", "message-malformed"), _accepted(small_rc)], small_files, contract,
        ),
        _draft(
            "no-header", "protocol", "第一条消息不是信封：INVALID_ARGUMENT / header-missing，不存储",
            "A stream whose first message is not the header: INVALID_ARGUMENT / header-missing, nothing stored",
            ["R-GW-protocol"], [_step("county-submitter", "a", "2024-07", wire="no-header")], [_refused("INVALID_ARGUMENT", "header-missing")], small_files, contract,
        ),
        _draft(
            "count-mismatch", "protocol", "结束消息的记录数与所发不符：INVALID_ARGUMENT / stream-count-mismatch，不存储",
            "End counts that differ from the records sent: INVALID_ARGUMENT / stream-count-mismatch, nothing stored",
            ["R-GW-protocol"], [_step("county-submitter", "a", "2024-07", wire="count-mismatch")], [_refused("INVALID_ARGUMENT", "stream-count-mismatch")], small_files, contract,
        ),
        _draft(
            "standard-version-unsupported", "protocol", "网关不支持的标准版本：FAILED_PRECONDITION / standard-version-unsupported，不存储",
            "A standard version the gateway does not accept: FAILED_PRECONDITION / standard-version-unsupported, nothing stored",
            ["R-GW-protocol"], [_step("county-submitter", "a", "2024-07", standard_version="0.9.0")],
            [_refused("FAILED_PRECONDITION", "standard-version-unsupported")], small_files, contract,
        ),
        _draft(
            "oversize-message", "limits", "超过网关消息上限的消息被拒绝：RESOURCE_EXHAUSTED，不存储，网关照常服务",
            "A message over the gateway's message limit is refused: RESOURCE_EXHAUSTED, nothing stored, and the gateway keeps serving",
            ["R-GW-limits"],
            [_step("county-submitter", "a", "2024-08", wire="oversize-message"), _step("county-submitter", "b", "2024-08")],
            [_refused("RESOURCE_EXHAUSTED", None), _accepted(small_rc)], small_files,
            ("errors.md：超过 gateway_message_bytes 的单条消息由 gRPC 库以 RESOURCE_EXHAUSTED 拒绝（无 ErrorInfo），故不比较 reason；上限取 SUT.yaml 的 max_message_bytes 或文档默认值",
             "errors.md: a message over gateway_message_bytes is refused by the gRPC library with RESOURCE_EXHAUSTED (no ErrorInfo), so the reason is not compared; the limit is SUT.yaml's max_message_bytes or the documented default"),
        ),
    ]
    return out
