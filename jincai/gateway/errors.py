"""Gateway error codes: one table, each with its gRPC status, and the google.rpc details it sends.

Every error a client can get has a stable kebab-case code, carried as ``google.rpc.ErrorInfo.reason``
(domain ``gateway.jincai``) — or, for a rejected submission, the id of the most severe rule that
failed — with ``google.rpc.LocalizedMessage`` in zh-CN and en. ``docs/gateway/errors.md`` is
generated from this table (``make generate``, drift-checked).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

DOMAIN = "gateway.jincai"
S = grpc.StatusCode

#: code → (gRPC status, what it means zh, en)
CODES: dict[str, tuple[grpc.StatusCode, str, str]] = {
    "auth-missing": (S.UNAUTHENTICATED, "未提供凭据（客户端证书或 Bearer 令牌）", "no credentials (client certificate or bearer token)"),
    "auth-token-invalid": (S.UNAUTHENTICATED, "令牌无效", "the token is not valid"),
    "auth-token-revoked": (S.UNAUTHENTICATED, "令牌已吊销", "the token has been revoked"),
    "auth-cert-invalid": (S.UNAUTHENTICATED, "客户端证书未绑定区划与角色，或不是本网关 CA 签发", "the client certificate binds no region and role, or was not issued by this gateway's CA"),
    "auth-cert-revoked": (S.UNAUTHENTICATED, "客户端证书已吊销", "the client certificate has been revoked"),
    "permission-region": (S.PERMISSION_DENIED, "无权访问该区划的数据", "no access to that region's data"),
    "permission-role": (S.PERMISSION_DENIED, "该角色不能执行此操作", "the role may not do this"),
    "record-region": (S.PERMISSION_DENIED, "报送中含有其他区划的记录", "the submission holds records of another region"),
    "message-malformed": (S.INVALID_ARGUMENT, "消息不是合法的 protobuf 报文，未保存任何内容", "a message is not a valid protobuf message; nothing was stored"),
    "header-missing": (S.INVALID_ARGUMENT, "报送流的第一条消息必须是信封（header）", "the first message of a submission must be its header"),
    "header-invalid": (S.INVALID_ARGUMENT, "信封字段无效", "a header field is invalid"),
    "standard-version-unsupported": (S.FAILED_PRECONDITION, "网关不接受该标准版本", "the gateway does not accept that standard version"),
    "stream-out-of-order": (S.INVALID_ARGUMENT, "报送流消息顺序错误（信封、若干批记录、结束）", "messages out of order (header, batches, end)"),
    "stream-incomplete": (S.INVALID_ARGUMENT, "报送流在结束消息之前中断，未保存任何内容", "the stream ended before its end message; nothing was stored"),
    "stream-count-mismatch": (S.INVALID_ARGUMENT, "结束消息声明的记录数与收到的不符", "the record counts of the end message differ from those received"),
    "submission-empty": (S.INVALID_ARGUMENT, "报送中没有记录", "the submission holds no records"),
    "submission-rejected": (S.FAILED_PRECONDITION, "报送未通过校验，已隔离；回执与报告见详情", "the submission failed validation and is quarantined; see the receipt and report"),
    "idempotency-key-reused": (S.ALREADY_EXISTS, "该幂等键已用于内容不同的报送", "the idempotency key was used for a submission with different content"),
    "submission-not-found": (S.NOT_FOUND, "没有该报送（或无权查看）", "no such submission (or not yours to see)"),
    "page-token-invalid": (S.INVALID_ARGUMENT, "分页令牌无效", "the page token is not valid"),
    "client-cancelled": (S.CANCELLED, "客户端取消或超过截止时间，未保存任何内容", "the client cancelled or the deadline passed; nothing was stored"),
    "limit-gateway-message-bytes": (S.RESOURCE_EXHAUSTED, "消息过大", "a message is too large"),
    "limit-gateway-submission-records": (S.RESOURCE_EXHAUSTED, "报送记录数超出上限", "too many records in one submission"),
    "limit-gateway-submission-bytes": (S.RESOURCE_EXHAUSTED, "报送大小超出上限", "the submission is too large"),
    "limit-gateway-region-submissions": (S.RESOURCE_EXHAUSTED, "该区划同时进行的报送过多", "too many submissions of this region in progress"),
    "datacenter-period": (S.INVALID_ARGUMENT, "报表期间无效（YYYY-MM 或 YYYY-MM-Dn）", "the report period is invalid (YYYY-MM or YYYY-MM-Dn)"),
    "datacenter-region": (S.INVALID_ARGUMENT, "区划无效或在该期间不是有效的财政区划", "the region is invalid or not a valid fiscal region in that period"),
    "datacenter-as-of": (S.INVALID_ARGUMENT, "时点无效（带时区的 RFC 3339 时间或日期）", "the as-of moment is invalid (RFC 3339 with an offset, or a date)"),
    "datacenter-date": (S.INVALID_ARGUMENT, "业务日期无效（YYYY-MM-DD）", "the business date is invalid (YYYY-MM-DD)"),
    "store-unavailable": (S.UNAVAILABLE, "存储暂不可用，请稍后用同一幂等键重试", "the store is unavailable; retry later with the same idempotency key"),
    "internal": (S.INTERNAL, "网关内部错误", "internal gateway error"),
}


@dataclass
class GatewayError(Exception):
    """An error answered to the client: a code of ``CODES`` (or a rule id with ``status``)."""

    code: str
    message_zh: str = ""
    message_en: str = ""
    location: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    status: grpc.StatusCode | None = None  # defaults to the code's
    extra: list = field(default_factory=list)  # more detail messages (a Receipt, BadRequest …)

    def __post_init__(self) -> None:
        known = CODES.get(self.code)
        if self.status is None:
            self.status = known[0] if known else S.INTERNAL
        if not self.message_zh and known:
            self.message_zh = known[1]
        if not self.message_en and known:
            self.message_en = known[2]

    def __str__(self) -> str:
        where = f" [{self.location}]" if self.location else ""
        return f"{self.code}{where}: {self.message_zh} / {self.message_en}"

    def to_status(self) -> grpc.Status:
        """The gRPC status with ErrorInfo, two LocalizedMessages and any extra details."""
        meta = dict(self.metadata)
        if self.location:
            meta["location"] = self.location
        details = [
            error_details_pb2.ErrorInfo(reason=self.code, domain=DOMAIN, metadata=meta),
            error_details_pb2.LocalizedMessage(locale="zh-CN", message=self.message_zh),
            error_details_pb2.LocalizedMessage(locale="en", message=self.message_en),
            *self.extra,
        ]
        packed = []
        for d in details:
            a = any_pb2.Any()
            a.Pack(d)
            packed.append(a)
        code = getattr(code_pb2, self.status.name)
        return rpc_status.to_status(status_pb2.Status(code=code, message=str(self), details=packed))


def from_limit(exc) -> GatewayError:
    """A ``jincai.limits`` error (a JincaiError ``limit-…``) as the gateway answers it."""
    return GatewayError(exc.code, exc.message_zh, exc.message_en, exc.location, {k: str(v) for k, v in exc.details.items()}, S.RESOURCE_EXHAUSTED)


def details_of(exc: grpc.RpcError) -> dict:
    """A client's view of an error: code, reason, zh/en messages, metadata and the packed extras."""
    out: dict = {"status": exc.code().name if hasattr(exc, "code") else None, "reason": None, "zh": None, "en": None, "metadata": {}, "extra": []}
    st = rpc_status.from_call(exc) if hasattr(exc, "trailing_metadata") else None
    if st is None:
        out["en"] = exc.details() if hasattr(exc, "details") else str(exc)
        return out
    for a in st.details:
        if a.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            a.Unpack(info)
            out["reason"], out["metadata"] = info.reason, dict(info.metadata)
        elif a.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
            lm = error_details_pb2.LocalizedMessage()
            a.Unpack(lm)
            out["zh" if lm.locale.startswith("zh") else "en"] = lm.message
        else:
            out["extra"].append(a)
    return out


_DOC_HEAD = """\
# 网关错误代码 Gateway error codes

每个错误都是一个 gRPC 状态码，附带 `google.rpc.ErrorInfo`（`domain` = `gateway.jincai`，`reason` = 下表的代码，
被拒绝的报送则为最严重的校验规则编号，如 `field.pattern`，此时 `metadata.gateway_code` = `submission-rejected`）
和两条 `google.rpc.LocalizedMessage`（`zh-CN`、`en`）。`metadata` 给出位置（`location`，如 `payment_voucher[17].mof_div_code`）
及相关编号。被拒绝的报送的错误详情里还有签名回执（`jincai.ingest.v1.Receipt`）。

Every error is a gRPC status code with `google.rpc.ErrorInfo` (`domain` `gateway.jincai`, `reason` = a code
below — or, for a rejected submission, the id of the most severe validation rule that failed, e.g.
`field.pattern`, with `metadata.gateway_code` = `submission-rejected`) and two `google.rpc.LocalizedMessage`s
(`zh-CN`, `en`). `metadata` carries the location (`location`, e.g. `payment_voucher[17].mof_div_code`) and
related ids. A rejected submission's error details also carry its signed receipt (`jincai.ingest.v1.Receipt`).

"""
_DOC_TAIL = """\
`limit-gateway-*` 的上限见 [../limits.md](../limits.md)，可用 `JINCAI_LIMIT_GATEWAY_…` 或 `jincai gateway serve --limit NAME=N` 调整。
超过 `gateway_message_bytes` 的单条消息由 gRPC 库直接以 `RESOURCE_EXHAUSTED` 拒绝（无 ErrorInfo）。
The limits of `limit-gateway-*` are in [../limits.md](../limits.md); set them with `JINCAI_LIMIT_GATEWAY_…` or
`jincai gateway serve --limit NAME=N`. A single message over `gateway_message_bytes` is refused by the gRPC
library itself with `RESOURCE_EXHAUSTED` (no ErrorInfo).

TLS 握手失败（证书不是本网关 CA 签发）在到达服务之前就被拒绝，客户端看到 `UNAVAILABLE`，不记入审计日志。
A failed TLS handshake (a certificate from another CA) is refused before it reaches the service: the client
sees `UNAVAILABLE` and nothing is audited.
"""


def render_markdown() -> str:
    """``docs/gateway/errors.md``: every code, its gRPC status and meaning in zh and en."""
    rows = [f"| `{code}` | `{status.name}` | {zh} | {en} |" for code, (status, zh, en) in CODES.items()]
    return _DOC_HEAD + "| 代码 code | gRPC 状态 status | 含义 | meaning |\n|---|---|---|---|\n" + "\n".join(rows) + "\n\n" + _DOC_TAIL
