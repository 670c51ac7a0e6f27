"""The conformance suite's documents as pydantic models — the one definition of their shape.

``conformance_tests/suite.yaml`` (``Suite``), ``requirements/*.yaml`` (``Requirement`` lists),
``cases/<module>/<case-id>/case.yaml`` (``Case``), the system-under-test file ``SUT.yaml`` (``Sut``),
the runner's ``results.json`` (``Results``) and ``certificate.json`` (``Certificate``). The published
JSON Schemas in ``schemas/conformance/`` are generated from these models (``schemas.py``), so a
vendor's tools and jincai read the same shape. Unknown keys are errors everywhere.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

SUITE_FORMAT = "jincai-conformance-suite/1"
CASE_FORMAT = "jincai-conformance-case/1"
RESULTS_FORMAT = "jincai-conformance-results/1"
CERTIFICATE_FORMAT = "jincai-conformance-certificate/1"
SUT_FORMAT = "jincai-conformance-sut/1"

ProfileId = Literal["validator", "adapter", "producer", "auditor", "gateway"]
Level = Literal["SHALL", "SHOULD", "MAY"]
Status = Literal["pass", "fail", "skip", "error", "xfail"]

_ID = r"^[a-z0-9][a-z0-9._-]{1,120}$"
_NUMBER = r"^[0-9]{1,2}\.[0-9]{1,3}\.[0-9]{2,3}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------------------------------------
# suite.yaml
# ------------------------------------------------------------------------------------------------


class Module(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    number: int = Field(ge=1, le=99, description="显示编号的第一段，永不改变 the first part of display numbers, never changed")
    title_zh: str
    title_en: str
    description_zh: str = ""
    description_en: str = ""


class Profile(_Model):
    id: ProfileId
    title_zh: str
    title_en: str
    operation: Literal["validate", "translate", "produce", "submit"] = Field(description="协议中该角色用的操作 the harness operation this actor is tested through")
    status: Literal["active", "pending"] = Field(description="pending：用例尚待补充 cases not written yet")
    note_zh: str = ""
    note_en: str = ""


class GatewayCredential(_Model):
    role: Literal["submitter", "reader", "auditor"]
    region: str = Field(pattern=r"^[0-9]{9}$")
    state: Literal["active", "revoked"] = "active"
    kind: Literal["token", "cert"] = "token"


class GatewaySuite(_Model):
    credentials: dict[str, GatewayCredential] = Field(description="用例使用的凭据：名 → 角色、区划、状态 the credentials cases name")


class Suite(_Model):
    format: Literal["jincai-conformance-suite/1"] = SUITE_FORMAT
    id: str
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    release_date: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    standard_version: str
    catalogue_version: str
    title_zh: str
    title_en: str
    modules: list[Module]
    profiles: list[Profile]
    features: dict[str, str] = Field(default_factory=dict, description="产品可声明的可选能力 optional capabilities a product declares (id → meaning)")
    gateway: GatewaySuite | None = None


# ------------------------------------------------------------------------------------------------
# requirements/*.yaml
# ------------------------------------------------------------------------------------------------


class Requirement(_Model):
    id: str = Field(pattern=r"^R-[A-Za-z0-9._-]+$", description="编号，永不复用 never reused")
    clause: str = Field(description="条款：约定 C01–C15、实体、代码集、规则编号… a convention, entity, code list, rule id…")
    level: Level
    actors: list[ProfileId]
    text_zh: str
    text_en: str
    status: Literal["active", "deprecated"] = "active"
    untested_reason_zh: str | None = Field(None, description="没有用例时必须说明原因 why no case tests it")
    untested_reason_en: str | None = None


class RequirementFile(_Model):
    group_zh: str
    group_en: str
    requirements: list[Requirement]


# ------------------------------------------------------------------------------------------------
# case.yaml
# ------------------------------------------------------------------------------------------------


class ExpectedIssue(_Model):
    rule: str
    file: str | None = Field(None, description="文件名（用例目录内）the file's name in the case folder")
    row: int | None = None
    field: str | None = None
    times: int = Field(1, ge=1, description="该位置应报告的次数 how many times it is reported there")


class ValidateInput(_Model):
    files: list[str] = Field(min_length=1, description="用例目录内的文件 files of the case folder")
    year: int | None = Field(None, description="报送年度 the submission's fiscal year (validate --year)")


class ValidateExpected(_Model):
    outcome: Literal["valid", "invalid"] | None = Field(None, description="是否通过（无错误/致命问题）; null = not compared")
    match: Literal["exact", "scoped"] = Field(description="exact：报告的问题恰为所列；scoped：范围内的规则恰为所列，范围外不比较")
    scope: list[str] = Field(default_factory=list, description="scoped：规则编号或规则族 rule ids or families compared")
    issues: list[ExpectedIssue] = Field(default_factory=list)
    not_disclosed: list[str] = Field(default_factory=list, description="不得出现在产品输出中的原值（个人信息，C12）raw values the answer must not contain")


class TranslateInput(_Model):
    system: str = Field(description="遗留系统（随附映射配置的编号）the legacy system (a shipped profile id)")
    profile: str = Field(description="描述该遗留格式的映射配置（用例目录内）the profile describing the legacy format, in the case folder")
    inputs: list[str] = Field(min_length=1)


class MoneyTotal(_Model):
    entity: str
    field: str
    translated_total: str = Field(pattern=r"^-?[0-9]+\.[0-9]{2}$")


class RejectedRow(_Model):
    file: str
    sheet: str | None = None
    row: int
    reasons: list[str]


class RowCounts(_Model):
    source: int | None = None
    translated: int | None = None
    rejected: int | None = None
    filtered: int | None = None


class ExpectedLedger(_Model):
    rows: RowCounts = Field(description="null 的计数不比较 null counts are not compared")
    records: dict[str, int]
    rejected: list[RejectedRow]
    money: list[MoneyTotal]


class TranslateExpected(_Model):
    refused: bool = Field(False, description="产品必须拒绝整批输入（报错）the product must refuse the input with an error")
    records: dict[str, str] = Field(default_factory=dict, description="实体 → 预期的规范记录文件（JSON Lines，逐条精确比较）entity → expected canonical records")
    ledger: ExpectedLedger | None = None


class ProduceInput(_Model):
    scenario: str = Field(description="场景说明文件（用例目录内）the scenario spec in the case folder")


class ProduceExpected(_Model):
    outcome: Literal["valid"] = "valid"
    totals: str = Field(description="预期合计文件 the expected totals (records and money per entity)")
    envelopes: bool = Field(True, description="每个实体文件须有信封，记录数和校验和正确 each entity file has a correct envelope")


GRPC_STATUS = Literal[
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
]
#: how a step's stream is sent: as the proto says, or with one documented fault
WIRE = Literal["normal", "malformed-message", "oversize-message", "no-header", "count-mismatch"]


class SubmitHeader(_Model):
    mof_div_code: str = Field(pattern=r"^[0-9]{9}$")
    fiscal_year: int
    period: str = Field(description="YYYY、YYYY-MM 或 YYYY-MM-Dn / year, month or 10-day period")
    standard_version: str | None = Field(None, description="null = 套件所测的标准版本 the suite's standard version")


class SubmitStep(_Model):
    """One Submit call (ingest.proto): header, the records of ``submission`` in batches, end."""

    submission: str | None = Field(None, description="报送文件夹（用例目录内，<entity>.jsonl）；null = 不发记录 a submission folder of the case; null = no records")
    credential: str = Field(description="suite.yaml 中 gateway.credentials 的凭据名，或 none（不带凭据）、forged（伪造的令牌）a credential of suite.yaml, none or forged")
    key: str = Field(pattern=r"^[a-z0-9-]{1,20}$", description="幂等键标签：运行器加上本次运行的前缀 idempotency key label; the runner prefixes a per-run nonce")
    header: SubmitHeader
    wire: WIRE = "normal"


class SubmitInput(_Model):
    """Gateway cases: the runner is the gateway's client and sends these Submit calls in order."""

    observer: str | None = Field(None, description="读取报送清单与版本的凭据（检查“未存储”“只存一次”与替代）the credential reading submissions and versions")
    steps: list[SubmitStep] = Field(min_length=1)


class ExpectedEntityTotals(_Model):
    entity: str
    records: int
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="该实体规范 JSON Lines 的 SHA-256 SHA-256 of the entity's canonical JSON Lines")
    money_totals: dict[str, str] = Field(default_factory=dict, description="金额字段 → 合计（元，两位小数）money field → total, yuan, two decimals")


class ExpectedReceipt(_Model):
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="报送摘要：各实体行 `<entity> <sha256> <records>\\n` 的 SHA-256 the submission digest")
    entities: list[ExpectedEntityTotals]
    issues_by_severity: dict[str, int]


class StepExpected(_Model):
    outcome: Literal["accepted", "rejected", "refused"] = Field(description="accepted 受理；rejected 隔离（带签名回执）；refused 拒收（不存储）")
    status: GRPC_STATUS = Field(description="gRPC 状态码 the gRPC status code")
    reason: str | None = Field(None, description="google.rpc.ErrorInfo.reason（网关错误代码或规则编号）；null = 不比较 not compared")
    receipt: ExpectedReceipt | None = Field(None, description="回执：签名须可验证，摘要、计数、金额与问题数须一致 the receipt; its signature must verify")
    issues: list[ExpectedIssue] | None = Field(None, description="GetSubmission 报告中的问题，(规则, 文件, 行, 字段) 多重集合精确比较 the report's findings, compared exactly")
    replayed: bool | None = None
    same_receipt_as: int | None = Field(None, ge=1, description="与第 n 步的回执完全相同（payload 与签名）identical to step n's receipt")
    supersedes: list[int] = Field(default_factory=list, description="本步替代的步骤：回执的 supersedes 与版本号 +1 the steps this one supersedes")
    stores_nothing: bool = Field(False, description="报送清单不因本步增加 the region's submissions do not grow")


class SubmitExpected(_Model):
    steps: list[StepExpected] = Field(min_length=1)


class _CaseBase(_Model):
    format: Literal["jincai-conformance-case/1"] = CASE_FORMAT
    id: str = Field(pattern=_ID, description="编号，永不改变或复用 never changed or reused")
    number: str = Field(pattern=_NUMBER, description="显示编号，永不重排 display number, never renumbered")
    title_zh: str
    title_en: str
    module: str
    actors: list[ProfileId] = Field(min_length=1, description="适用的角色（配置档）the profiles (actors) it tests")
    requirements: list[str] = Field(min_length=1)
    required: bool = True
    status: Literal["active", "deprecated"] = "active"
    since: str = Field(description="首次出现的套件版本 the suite version that introduced it")
    deprecated_in: str | None = None
    features: list[str] = Field(default_factory=list, description="产品须声明的能力，否则跳过 features the product must declare, else skipped")
    review_zh: str = Field("", description="预期结果从何而来（评审说明）where the expected result comes from")
    review_en: str = ""


class ValidateCase(_CaseBase):
    operation: Literal["validate"]
    input: ValidateInput
    expected: ValidateExpected


class TranslateCase(_CaseBase):
    operation: Literal["translate"]
    input: TranslateInput
    expected: TranslateExpected


class ProduceCase(_CaseBase):
    operation: Literal["produce"]
    input: ProduceInput
    expected: ProduceExpected


class SubmitCase(_CaseBase):
    operation: Literal["submit"]
    input: SubmitInput
    expected: SubmitExpected


Case = Annotated[Union[ValidateCase, TranslateCase, ProduceCase, SubmitCase], Field(discriminator="operation")]


#: parses and validates a case.yaml (``CASE.validate_python(data)``)
CASE = TypeAdapter(Case)


# ------------------------------------------------------------------------------------------------
# SUT.yaml
# ------------------------------------------------------------------------------------------------


class Product(_Model):
    vendor: str
    name: str
    version: str
    build_digest: str | None = Field(None, description="构建摘要，如 sha256:… the build's digest")


class Harness(_Model):
    command: list[str] = Field(min_length=1, description="启动被测产品适配程序的命令（不经 shell）the harness command, run without a shell")
    cwd: str | None = Field(None, description="相对 SUT.yaml 的工作目录 working directory, relative to SUT.yaml")
    env: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(120, gt=0, le=3600, description="每条消息的超时 per message")


class GatewayCredentialFiles(_Model):
    token_file: str | None = Field(None, description="Bearer 令牌文件 a file holding the bearer token")
    cert: str | None = Field(None, description="客户端证书 PEM a client certificate")
    key: str | None = Field(None, description="客户端私钥 PEM its private key")


class GatewayEndpoint(_Model):
    """The gateway under test. Without ``target`` the runner asks the harness (``gateway_start``)."""

    target: str | None = Field(None, description="gRPC 地址 host:port（TLS，令牌）")
    mtls_target: str | None = Field(None, description="双向 TLS 地址（客户端证书）the mutual-TLS address, if separate")
    ca: str | None = Field(None, description="信任服务器证书的 CA（PEM，相对 SUT.yaml）the CA that signed the server certificate")
    server_name: str | None = Field(None, description="TLS 校验用的主机名 the host name to check the server certificate against")
    max_message_bytes: int | None = Field(None, gt=0, description="网关接受的最大消息（缺省为文档值 16 MiB）the largest message it accepts")
    credentials: dict[str, GatewayCredentialFiles] = Field(default_factory=dict, description="预先签发的凭据：名 → 文件 pre-issued credentials by name")


class ExpectedFailure(_Model):
    case: str
    reason_zh: str
    reason_en: str


class Sut(_Model):
    format: Literal["jincai-conformance-sut/1"] = SUT_FORMAT
    product: Product | None = Field(None, description="缺省时取 describe 的回答 taken from describe when absent")
    harness: Harness
    gateway: GatewayEndpoint | None = None
    expected_failures: list[ExpectedFailure] = Field(default_factory=list, description="仅开发模式 dev mode only")


# ------------------------------------------------------------------------------------------------
# results.json
# ------------------------------------------------------------------------------------------------


class Digests(_Model):
    suite: str
    codelists: str
    catalogue: str


class Versions(_Model):
    suite: str
    suite_id: str
    standard: str
    catalogue: str
    codelists: str
    runner: str
    protocol: str


class CaseResult(_Model):
    id: str
    number: str
    module: str
    profile: ProfileId
    required: bool
    status: Status
    title_zh: str
    title_en: str
    requirements: list[str]
    reason: str = Field("", description="跳过、失败或错误的原因 why skipped / failed / errored")
    expected: dict | None = None
    actual: dict | None = None
    differences: list[str] = Field(default_factory=list)
    seconds: float = 0.0


class Summary(_Model):
    total: int
    by_status: dict[str, int]
    required_passed: bool = Field(description="所有必测用例通过 every required case passed")
    by_module: dict[str, dict[str, int]]


class Results(_Model):
    format: Literal["jincai-conformance-results/1"] = RESULTS_FORMAT
    mode: Literal["dev", "certify"]
    profile: ProfileId
    filters: list[str]
    started: str
    finished: str
    versions: Versions
    digests: Digests
    product: Product
    declared_profiles: list[str]
    declared_features: list[str]
    summary: Summary
    cases: list[CaseResult]


# ------------------------------------------------------------------------------------------------
# certificate.json
# ------------------------------------------------------------------------------------------------


class CertifiedFor(_Model):
    profile: ProfileId
    modules: list[str]
    cases_passed: int


class CertificateBody(_Model):
    format: Literal["jincai-conformance-certificate/1"] = CERTIFICATE_FORMAT
    number: str = Field(pattern=r"^[0-9A-Za-z_-]{1,64}$", description="证书编号（填入报送信封 cert_no）goes into the envelope's cert_no")
    product: Product
    certified: list[CertifiedFor]
    suite_id: str
    suite_version: str
    suite_digest: str
    standard_version: str
    catalogue_version: str
    codelists_digest: str
    results_digest: str = Field(description="结果包清单的 sha256 the sha256 of the results bundle's manifest")
    results_files: dict[str, str] = Field(description="结果包文件 → sha256 results file → sha256")
    issued: str
    expires: str
    issuer: str
    key_id: str


class Signature(_Model):
    algorithm: Literal["Ed25519"] = "Ed25519"
    key_id: str
    value: str = Field(description="base64，对 body 的规范 JSON 签名 over the canonical JSON of body")


class Certificate(_Model):
    body: CertificateBody
    signature: Signature
