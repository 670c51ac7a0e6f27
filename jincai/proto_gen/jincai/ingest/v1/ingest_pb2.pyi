from jincai.proto_gen.jincai.fiscal.v1 import fiscal_pb2 as _fiscal_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubmissionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBMISSION_STATUS_UNSPECIFIED: _ClassVar[SubmissionStatus]
    SUBMISSION_STATUS_ACCEPTED: _ClassVar[SubmissionStatus]
    SUBMISSION_STATUS_REJECTED: _ClassVar[SubmissionStatus]
SUBMISSION_STATUS_UNSPECIFIED: SubmissionStatus
SUBMISSION_STATUS_ACCEPTED: SubmissionStatus
SUBMISSION_STATUS_REJECTED: SubmissionStatus

class SubmitRequest(_message.Message):
    __slots__ = ("header", "batch", "end")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    header: SubmissionHeader
    batch: RecordBatch
    end: SubmissionEnd
    def __init__(self, header: _Optional[_Union[SubmissionHeader, _Mapping]] = ..., batch: _Optional[_Union[RecordBatch, _Mapping]] = ..., end: _Optional[_Union[SubmissionEnd, _Mapping]] = ...) -> None: ...

class SubmissionHeader(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "period", "standard_version", "idempotency_key", "product_name", "product_version", "cert_no")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_VERSION_FIELD_NUMBER: _ClassVar[int]
    CERT_NO_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: int
    period: str
    standard_version: str
    idempotency_key: str
    product_name: str
    product_version: str
    cert_no: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., period: _Optional[str] = ..., standard_version: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., product_name: _Optional[str] = ..., product_version: _Optional[str] = ..., cert_no: _Optional[str] = ...) -> None: ...

class RecordBatch(_message.Message):
    __slots__ = ("accounting_voucher", "accounting_voucher_line", "agency", "agency_basic_data", "bank_clearing", "budget_indicator", "dept_budget_line", "expense_quota", "fiscal_region", "fiscal_report", "fiscal_report_line", "indicator_adjustment", "non_tax_payment", "non_tax_payment_line", "payment_detail", "payment_request", "payment_voucher", "payroll_record", "spending_plan", "submission_envelope", "tax_receipt")
    ACCOUNTING_VOUCHER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTING_VOUCHER_LINE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    AGENCY_BASIC_DATA_FIELD_NUMBER: _ClassVar[int]
    BANK_CLEARING_FIELD_NUMBER: _ClassVar[int]
    BUDGET_INDICATOR_FIELD_NUMBER: _ClassVar[int]
    DEPT_BUDGET_LINE_FIELD_NUMBER: _ClassVar[int]
    EXPENSE_QUOTA_FIELD_NUMBER: _ClassVar[int]
    FISCAL_REGION_FIELD_NUMBER: _ClassVar[int]
    FISCAL_REPORT_FIELD_NUMBER: _ClassVar[int]
    FISCAL_REPORT_LINE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_PAYMENT_LINE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_DETAIL_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_REQUEST_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_VOUCHER_FIELD_NUMBER: _ClassVar[int]
    PAYROLL_RECORD_FIELD_NUMBER: _ClassVar[int]
    SPENDING_PLAN_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_ENVELOPE_FIELD_NUMBER: _ClassVar[int]
    TAX_RECEIPT_FIELD_NUMBER: _ClassVar[int]
    accounting_voucher: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.AccountingVoucher]
    accounting_voucher_line: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.AccountingVoucherLine]
    agency: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.Agency]
    agency_basic_data: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.AgencyBasicData]
    bank_clearing: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.BankClearing]
    budget_indicator: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.BudgetIndicator]
    dept_budget_line: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.DeptBudgetLine]
    expense_quota: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.ExpenseQuota]
    fiscal_region: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.FiscalRegion]
    fiscal_report: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.FiscalReport]
    fiscal_report_line: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.FiscalReportLine]
    indicator_adjustment: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.IndicatorAdjustment]
    non_tax_payment: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.NonTaxPayment]
    non_tax_payment_line: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.NonTaxPaymentLine]
    payment_detail: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.PaymentDetail]
    payment_request: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.PaymentRequest]
    payment_voucher: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.PaymentVoucher]
    payroll_record: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.PayrollRecord]
    spending_plan: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.SpendingPlan]
    submission_envelope: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.SubmissionEnvelope]
    tax_receipt: _containers.RepeatedCompositeFieldContainer[_fiscal_pb2.TaxReceipt]
    def __init__(self, accounting_voucher: _Optional[_Iterable[_Union[_fiscal_pb2.AccountingVoucher, _Mapping]]] = ..., accounting_voucher_line: _Optional[_Iterable[_Union[_fiscal_pb2.AccountingVoucherLine, _Mapping]]] = ..., agency: _Optional[_Iterable[_Union[_fiscal_pb2.Agency, _Mapping]]] = ..., agency_basic_data: _Optional[_Iterable[_Union[_fiscal_pb2.AgencyBasicData, _Mapping]]] = ..., bank_clearing: _Optional[_Iterable[_Union[_fiscal_pb2.BankClearing, _Mapping]]] = ..., budget_indicator: _Optional[_Iterable[_Union[_fiscal_pb2.BudgetIndicator, _Mapping]]] = ..., dept_budget_line: _Optional[_Iterable[_Union[_fiscal_pb2.DeptBudgetLine, _Mapping]]] = ..., expense_quota: _Optional[_Iterable[_Union[_fiscal_pb2.ExpenseQuota, _Mapping]]] = ..., fiscal_region: _Optional[_Iterable[_Union[_fiscal_pb2.FiscalRegion, _Mapping]]] = ..., fiscal_report: _Optional[_Iterable[_Union[_fiscal_pb2.FiscalReport, _Mapping]]] = ..., fiscal_report_line: _Optional[_Iterable[_Union[_fiscal_pb2.FiscalReportLine, _Mapping]]] = ..., indicator_adjustment: _Optional[_Iterable[_Union[_fiscal_pb2.IndicatorAdjustment, _Mapping]]] = ..., non_tax_payment: _Optional[_Iterable[_Union[_fiscal_pb2.NonTaxPayment, _Mapping]]] = ..., non_tax_payment_line: _Optional[_Iterable[_Union[_fiscal_pb2.NonTaxPaymentLine, _Mapping]]] = ..., payment_detail: _Optional[_Iterable[_Union[_fiscal_pb2.PaymentDetail, _Mapping]]] = ..., payment_request: _Optional[_Iterable[_Union[_fiscal_pb2.PaymentRequest, _Mapping]]] = ..., payment_voucher: _Optional[_Iterable[_Union[_fiscal_pb2.PaymentVoucher, _Mapping]]] = ..., payroll_record: _Optional[_Iterable[_Union[_fiscal_pb2.PayrollRecord, _Mapping]]] = ..., spending_plan: _Optional[_Iterable[_Union[_fiscal_pb2.SpendingPlan, _Mapping]]] = ..., submission_envelope: _Optional[_Iterable[_Union[_fiscal_pb2.SubmissionEnvelope, _Mapping]]] = ..., tax_receipt: _Optional[_Iterable[_Union[_fiscal_pb2.TaxReceipt, _Mapping]]] = ...) -> None: ...

class SubmissionEnd(_message.Message):
    __slots__ = ("record_counts",)
    class RecordCountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    RECORD_COUNTS_FIELD_NUMBER: _ClassVar[int]
    record_counts: _containers.ScalarMap[str, int]
    def __init__(self, record_counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class SubmitResponse(_message.Message):
    __slots__ = ("receipt", "replayed")
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    replayed: bool
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ("payload", "signature", "key_id", "content")
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    signature: bytes
    key_id: str
    content: ReceiptContent
    def __init__(self, payload: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., key_id: _Optional[str] = ..., content: _Optional[_Union[ReceiptContent, _Mapping]] = ...) -> None: ...

class ReceiptContent(_message.Message):
    __slots__ = ("submission_id", "idempotency_key", "mof_div_code", "fiscal_year", "period", "status", "content_sha256", "entities", "issues_by_severity", "versions", "server_time", "supersedes", "product_name", "product_version")
    class IssuesBySeverityEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    ISSUES_BY_SEVERITY_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    SERVER_TIME_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_VERSION_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    idempotency_key: str
    mof_div_code: str
    fiscal_year: int
    period: str
    status: SubmissionStatus
    content_sha256: str
    entities: _containers.RepeatedCompositeFieldContainer[EntityTotals]
    issues_by_severity: _containers.ScalarMap[str, int]
    versions: Versions
    server_time: str
    supersedes: _containers.RepeatedScalarFieldContainer[str]
    product_name: str
    product_version: str
    def __init__(self, submission_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., period: _Optional[str] = ..., status: _Optional[_Union[SubmissionStatus, str]] = ..., content_sha256: _Optional[str] = ..., entities: _Optional[_Iterable[_Union[EntityTotals, _Mapping]]] = ..., issues_by_severity: _Optional[_Mapping[str, int]] = ..., versions: _Optional[_Union[Versions, _Mapping]] = ..., server_time: _Optional[str] = ..., supersedes: _Optional[_Iterable[str]] = ..., product_name: _Optional[str] = ..., product_version: _Optional[str] = ...) -> None: ...

class EntityTotals(_message.Message):
    __slots__ = ("entity", "records", "money_totals", "content_sha256", "version")
    class MoneyTotalsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    MONEY_TOTALS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    entity: str
    records: int
    money_totals: _containers.ScalarMap[str, str]
    content_sha256: str
    version: int
    def __init__(self, entity: _Optional[str] = ..., records: _Optional[int] = ..., money_totals: _Optional[_Mapping[str, str]] = ..., content_sha256: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class Versions(_message.Message):
    __slots__ = ("standard", "catalogue", "codelists", "engine")
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    CATALOGUE_FIELD_NUMBER: _ClassVar[int]
    CODELISTS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    standard: str
    catalogue: str
    codelists: str
    engine: str
    def __init__(self, standard: _Optional[str] = ..., catalogue: _Optional[str] = ..., codelists: _Optional[str] = ..., engine: _Optional[str] = ...) -> None: ...

class GetReceiptRequest(_message.Message):
    __slots__ = ("submission_id",)
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    def __init__(self, submission_id: _Optional[str] = ...) -> None: ...

class GetReceiptResponse(_message.Message):
    __slots__ = ("receipt",)
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: Receipt
    def __init__(self, receipt: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class GetSubmissionRequest(_message.Message):
    __slots__ = ("submission_id",)
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    def __init__(self, submission_id: _Optional[str] = ...) -> None: ...

class GetSubmissionResponse(_message.Message):
    __slots__ = ("submission", "report_json")
    SUBMISSION_FIELD_NUMBER: _ClassVar[int]
    REPORT_JSON_FIELD_NUMBER: _ClassVar[int]
    submission: SubmissionSummary
    report_json: str
    def __init__(self, submission: _Optional[_Union[SubmissionSummary, _Mapping]] = ..., report_json: _Optional[str] = ...) -> None: ...

class SubmissionSummary(_message.Message):
    __slots__ = ("submission_id", "mof_div_code", "fiscal_year", "period", "status", "committed_at", "records", "content_sha256", "issues_by_severity")
    class IssuesBySeverityEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    ISSUES_BY_SEVERITY_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    mof_div_code: str
    fiscal_year: int
    period: str
    status: SubmissionStatus
    committed_at: str
    records: int
    content_sha256: str
    issues_by_severity: _containers.ScalarMap[str, int]
    def __init__(self, submission_id: _Optional[str] = ..., mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., period: _Optional[str] = ..., status: _Optional[_Union[SubmissionStatus, str]] = ..., committed_at: _Optional[str] = ..., records: _Optional[int] = ..., content_sha256: _Optional[str] = ..., issues_by_severity: _Optional[_Mapping[str, int]] = ...) -> None: ...

class ListSubmissionsRequest(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "period", "page_size", "page_token", "include_subordinates")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_SUBORDINATES_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: int
    period: str
    page_size: int
    page_token: str
    include_subordinates: bool
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_subordinates: _Optional[bool] = ...) -> None: ...

class ListSubmissionsResponse(_message.Message):
    __slots__ = ("submissions", "next_page_token")
    SUBMISSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    submissions: _containers.RepeatedCompositeFieldContainer[SubmissionSummary]
    next_page_token: str
    def __init__(self, submissions: _Optional[_Iterable[_Union[SubmissionSummary, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListVersionsRequest(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "period", "entity")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: int
    period: str
    entity: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., period: _Optional[str] = ..., entity: _Optional[str] = ...) -> None: ...

class ListVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[DataVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[DataVersion, _Mapping]]] = ...) -> None: ...

class DataVersion(_message.Message):
    __slots__ = ("entity", "version", "submission_id", "valid_from", "valid_to", "superseded_by", "records")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    entity: str
    version: int
    submission_id: str
    valid_from: str
    valid_to: str
    superseded_by: str
    records: int
    def __init__(self, entity: _Optional[str] = ..., version: _Optional[int] = ..., submission_id: _Optional[str] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ..., superseded_by: _Optional[str] = ..., records: _Optional[int] = ...) -> None: ...

class GetSigningKeyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSigningKeyResponse(_message.Message):
    __slots__ = ("key_id", "public_key_pem")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_PEM_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    public_key_pem: str
    def __init__(self, key_id: _Optional[str] = ..., public_key_pem: _Optional[str] = ...) -> None: ...

class GetConsolidatedReportRequest(_message.Message):
    __slots__ = ("mof_div_code", "period", "as_of")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    period: str
    as_of: str
    def __init__(self, mof_div_code: _Optional[str] = ..., period: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class GetConsolidatedReportResponse(_message.Message):
    __slots__ = ("mof_div_code", "region_name", "period", "as_of", "regions", "complete", "lines", "differences", "missing")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    region_name: str
    period: str
    as_of: str
    regions: _containers.RepeatedScalarFieldContainer[str]
    complete: bool
    lines: _containers.RepeatedCompositeFieldContainer[ConsolidatedLine]
    differences: _containers.RepeatedCompositeFieldContainer[ReportDifference]
    missing: _containers.RepeatedCompositeFieldContainer[MissingSubmission]
    def __init__(self, mof_div_code: _Optional[str] = ..., region_name: _Optional[str] = ..., period: _Optional[str] = ..., as_of: _Optional[str] = ..., regions: _Optional[_Iterable[str]] = ..., complete: _Optional[bool] = ..., lines: _Optional[_Iterable[_Union[ConsolidatedLine, _Mapping]]] = ..., differences: _Optional[_Iterable[_Union[ReportDifference, _Mapping]]] = ..., missing: _Optional[_Iterable[_Union[MissingSubmission, _Mapping]]] = ...) -> None: ...

class ConsolidatedLine(_message.Message):
    __slots__ = ("kind", "classification", "own_cur", "own_ytd", "below_cur", "below_ytd", "total_cur", "total_ytd", "submitted_cur", "submitted_ytd")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    OWN_CUR_FIELD_NUMBER: _ClassVar[int]
    OWN_YTD_FIELD_NUMBER: _ClassVar[int]
    BELOW_CUR_FIELD_NUMBER: _ClassVar[int]
    BELOW_YTD_FIELD_NUMBER: _ClassVar[int]
    TOTAL_CUR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_YTD_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_CUR_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_YTD_FIELD_NUMBER: _ClassVar[int]
    kind: str
    classification: str
    own_cur: str
    own_ytd: str
    below_cur: str
    below_ytd: str
    total_cur: str
    total_ytd: str
    submitted_cur: str
    submitted_ytd: str
    def __init__(self, kind: _Optional[str] = ..., classification: _Optional[str] = ..., own_cur: _Optional[str] = ..., own_ytd: _Optional[str] = ..., below_cur: _Optional[str] = ..., below_ytd: _Optional[str] = ..., total_cur: _Optional[str] = ..., total_ytd: _Optional[str] = ..., submitted_cur: _Optional[str] = ..., submitted_ytd: _Optional[str] = ...) -> None: ...

class ReportDifference(_message.Message):
    __slots__ = ("mof_div_code", "region_name", "period", "check", "scope", "kind", "classification", "field", "submitted", "expected", "difference")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    region_name: str
    period: str
    check: str
    scope: str
    kind: str
    classification: str
    field: str
    submitted: str
    expected: str
    difference: str
    def __init__(self, mof_div_code: _Optional[str] = ..., region_name: _Optional[str] = ..., period: _Optional[str] = ..., check: _Optional[str] = ..., scope: _Optional[str] = ..., kind: _Optional[str] = ..., classification: _Optional[str] = ..., field: _Optional[str] = ..., submitted: _Optional[str] = ..., expected: _Optional[str] = ..., difference: _Optional[str] = ...) -> None: ...

class MissingSubmission(_message.Message):
    __slots__ = ("mof_div_code", "region_name", "period", "what", "message_zh", "message_en")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    WHAT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ZH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_EN_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    region_name: str
    period: str
    what: str
    message_zh: str
    message_en: str
    def __init__(self, mof_div_code: _Optional[str] = ..., region_name: _Optional[str] = ..., period: _Optional[str] = ..., what: _Optional[str] = ..., message_zh: _Optional[str] = ..., message_en: _Optional[str] = ...) -> None: ...

class GetFiscalPositionRequest(_message.Message):
    __slots__ = ("mof_div_code", "as_of", "fiscal_year", "include_indicators", "date")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INDICATORS_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    as_of: str
    fiscal_year: int
    include_indicators: bool
    date: str
    def __init__(self, mof_div_code: _Optional[str] = ..., as_of: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., include_indicators: _Optional[bool] = ..., date: _Optional[str] = ...) -> None: ...

class GetFiscalPositionResponse(_message.Message):
    __slots__ = ("mof_div_code", "region_name", "as_of", "as_of_date", "regions", "total", "by_region", "by_fund_type", "by_classification", "by_fund_and_classification", "indicators", "revenue_by_day", "revenue_total", "names")
    class ByRegionEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: PositionFigures
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[PositionFigures, _Mapping]] = ...) -> None: ...
    class ByFundTypeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: PositionFigures
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[PositionFigures, _Mapping]] = ...) -> None: ...
    class ByClassificationEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: PositionFigures
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[PositionFigures, _Mapping]] = ...) -> None: ...
    class NamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    BY_REGION_FIELD_NUMBER: _ClassVar[int]
    BY_FUND_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    BY_FUND_AND_CLASSIFICATION_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_BY_DAY_FIELD_NUMBER: _ClassVar[int]
    REVENUE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    region_name: str
    as_of: str
    as_of_date: str
    regions: _containers.RepeatedScalarFieldContainer[str]
    total: PositionFigures
    by_region: _containers.MessageMap[str, PositionFigures]
    by_fund_type: _containers.MessageMap[str, PositionFigures]
    by_classification: _containers.MessageMap[str, PositionFigures]
    by_fund_and_classification: _containers.RepeatedCompositeFieldContainer[PositionGroup]
    indicators: _containers.RepeatedCompositeFieldContainer[PositionIndicator]
    revenue_by_day: _containers.RepeatedCompositeFieldContainer[RevenueDay]
    revenue_total: str
    names: _containers.ScalarMap[str, str]
    def __init__(self, mof_div_code: _Optional[str] = ..., region_name: _Optional[str] = ..., as_of: _Optional[str] = ..., as_of_date: _Optional[str] = ..., regions: _Optional[_Iterable[str]] = ..., total: _Optional[_Union[PositionFigures, _Mapping]] = ..., by_region: _Optional[_Mapping[str, PositionFigures]] = ..., by_fund_type: _Optional[_Mapping[str, PositionFigures]] = ..., by_classification: _Optional[_Mapping[str, PositionFigures]] = ..., by_fund_and_classification: _Optional[_Iterable[_Union[PositionGroup, _Mapping]]] = ..., indicators: _Optional[_Iterable[_Union[PositionIndicator, _Mapping]]] = ..., revenue_by_day: _Optional[_Iterable[_Union[RevenueDay, _Mapping]]] = ..., revenue_total: _Optional[str] = ..., names: _Optional[_Mapping[str, str]] = ...) -> None: ...

class PositionFigures(_message.Message):
    __slots__ = ("amount", "adjusted", "paid", "cleared", "not_cleared", "available", "indicators", "payments")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ADJUSTED_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    CLEARED_FIELD_NUMBER: _ClassVar[int]
    NOT_CLEARED_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    amount: str
    adjusted: str
    paid: str
    cleared: str
    not_cleared: str
    available: str
    indicators: int
    payments: int
    def __init__(self, amount: _Optional[str] = ..., adjusted: _Optional[str] = ..., paid: _Optional[str] = ..., cleared: _Optional[str] = ..., not_cleared: _Optional[str] = ..., available: _Optional[str] = ..., indicators: _Optional[int] = ..., payments: _Optional[int] = ...) -> None: ...

class PositionGroup(_message.Message):
    __slots__ = ("mof_div_code", "fund_type_code", "exp_func_code", "figures")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fund_type_code: str
    exp_func_code: str
    figures: PositionFigures
    def __init__(self, mof_div_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., figures: _Optional[_Union[PositionFigures, _Mapping]] = ...) -> None: ...

class PositionIndicator(_message.Message):
    __slots__ = ("mof_div_code", "bgt_id", "fund_type_code", "exp_func_code", "known", "figures")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    bgt_id: str
    fund_type_code: str
    exp_func_code: str
    known: bool
    figures: PositionFigures
    def __init__(self, mof_div_code: _Optional[str] = ..., bgt_id: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., known: _Optional[bool] = ..., figures: _Optional[_Union[PositionFigures, _Mapping]] = ...) -> None: ...

class RevenueDay(_message.Message):
    __slots__ = ("day", "tax", "non_tax", "total", "records")
    DAY_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    day: str
    tax: str
    non_tax: str
    total: str
    records: int
    def __init__(self, day: _Optional[str] = ..., tax: _Optional[str] = ..., non_tax: _Optional[str] = ..., total: _Optional[str] = ..., records: _Optional[int] = ...) -> None: ...
