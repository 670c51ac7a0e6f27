from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Money(_message.Message):
    __slots__ = ("fen",)
    FEN_FIELD_NUMBER: _ClassVar[int]
    fen: int
    def __init__(self, fen: _Optional[int] = ...) -> None: ...

class Decimal(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: str
    def __init__(self, value: _Optional[str] = ...) -> None: ...

class AccountingVoucher(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "acct_voucher_id", "acct_voucher_no", "acct_date", "acct_period", "abstract", "src_entity", "src_id")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    ACCT_VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCT_VOUCHER_NO_FIELD_NUMBER: _ClassVar[int]
    ACCT_DATE_FIELD_NUMBER: _ClassVar[int]
    ACCT_PERIOD_FIELD_NUMBER: _ClassVar[int]
    ABSTRACT_FIELD_NUMBER: _ClassVar[int]
    SRC_ENTITY_FIELD_NUMBER: _ClassVar[int]
    SRC_ID_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    acct_voucher_id: str
    acct_voucher_no: str
    acct_date: str
    acct_period: int
    abstract: str
    src_entity: str
    src_id: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., acct_voucher_id: _Optional[str] = ..., acct_voucher_no: _Optional[str] = ..., acct_date: _Optional[str] = ..., acct_period: _Optional[int] = ..., abstract: _Optional[str] = ..., src_entity: _Optional[str] = ..., src_id: _Optional[str] = ...) -> None: ...

class AccountingVoucherLine(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "acct_voucher_id", "line_no", "acct_code", "dr_amt", "cr_amt", "exp_func_code", "rev_class_code", "fund_type_code", "dep_bgt_eco_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    ACCT_VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_NO_FIELD_NUMBER: _ClassVar[int]
    ACCT_CODE_FIELD_NUMBER: _ClassVar[int]
    DR_AMT_FIELD_NUMBER: _ClassVar[int]
    CR_AMT_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    REV_CLASS_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    acct_voucher_id: str
    line_no: int
    acct_code: str
    dr_amt: Money
    cr_amt: Money
    exp_func_code: str
    rev_class_code: str
    fund_type_code: str
    dep_bgt_eco_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., acct_voucher_id: _Optional[str] = ..., line_no: _Optional[int] = ..., acct_code: _Optional[str] = ..., dr_amt: _Optional[_Union[Money, _Mapping]] = ..., cr_amt: _Optional[_Union[Money, _Mapping]] = ..., exp_func_code: _Optional[str] = ..., rev_class_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ...) -> None: ...

class Agency(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "agency_code", "agency_name", "dept_code", "agency_type_code", "budget_level_code", "unifsoc_cred_code", "org_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    DEPT_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    BUDGET_LEVEL_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIFSOC_CRED_CODE_FIELD_NUMBER: _ClassVar[int]
    ORG_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    agency_code: str
    agency_name: str
    dept_code: str
    agency_type_code: str
    budget_level_code: str
    unifsoc_cred_code: str
    org_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., agency_code: _Optional[str] = ..., agency_name: _Optional[str] = ..., dept_code: _Optional[str] = ..., agency_type_code: _Optional[str] = ..., budget_level_code: _Optional[str] = ..., unifsoc_cred_code: _Optional[str] = ..., org_code: _Optional[str] = ...) -> None: ...

class AgencyBasicData(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "agency_code", "staff_authorized", "staff_in_service", "retired_count", "office_area", "vehicle_count")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STAFF_AUTHORIZED_FIELD_NUMBER: _ClassVar[int]
    STAFF_IN_SERVICE_FIELD_NUMBER: _ClassVar[int]
    RETIRED_COUNT_FIELD_NUMBER: _ClassVar[int]
    OFFICE_AREA_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    agency_code: str
    staff_authorized: int
    staff_in_service: int
    retired_count: int
    office_area: Decimal
    vehicle_count: int
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., agency_code: _Optional[str] = ..., staff_authorized: _Optional[int] = ..., staff_in_service: _Optional[int] = ..., retired_count: _Optional[int] = ..., office_area: _Optional[_Union[Decimal, _Mapping]] = ..., vehicle_count: _Optional[int] = ...) -> None: ...

class BankClearing(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "clear_id", "agent_bank_code", "act_lqd_date", "pay_type_code", "clear_amt", "voucher_count")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    CLEAR_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    ACT_LQD_DATE_FIELD_NUMBER: _ClassVar[int]
    PAY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    CLEAR_AMT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_COUNT_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    clear_id: str
    agent_bank_code: str
    act_lqd_date: str
    pay_type_code: str
    clear_amt: Money
    voucher_count: int
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., clear_id: _Optional[str] = ..., agent_bank_code: _Optional[str] = ..., act_lqd_date: _Optional[str] = ..., pay_type_code: _Optional[str] = ..., clear_amt: _Optional[_Union[Money, _Mapping]] = ..., voucher_count: _Optional[int] = ...) -> None: ...

class BudgetIndicator(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "bgt_id", "cor_bgt_doc_no", "bgt_doc_title", "doc_date", "budget_level_code", "agency_code", "fund_type_code", "exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "pay_type_code", "source_type_code", "amount", "pro_code", "pro_name", "sup_bgt_doc_no", "bgt_dec", "create_time", "update_time")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    COR_BGT_DOC_NO_FIELD_NUMBER: _ClassVar[int]
    BGT_DOC_TITLE_FIELD_NUMBER: _ClassVar[int]
    DOC_DATE_FIELD_NUMBER: _ClassVar[int]
    BUDGET_LEVEL_CODE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    GOV_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PRO_CODE_FIELD_NUMBER: _ClassVar[int]
    PRO_NAME_FIELD_NUMBER: _ClassVar[int]
    SUP_BGT_DOC_NO_FIELD_NUMBER: _ClassVar[int]
    BGT_DEC_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    bgt_id: str
    cor_bgt_doc_no: str
    bgt_doc_title: str
    doc_date: str
    budget_level_code: str
    agency_code: str
    fund_type_code: str
    exp_func_code: str
    dep_bgt_eco_code: str
    gov_bgt_eco_code: str
    pay_type_code: str
    source_type_code: str
    amount: Money
    pro_code: str
    pro_name: str
    sup_bgt_doc_no: str
    bgt_dec: str
    create_time: str
    update_time: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., bgt_id: _Optional[str] = ..., cor_bgt_doc_no: _Optional[str] = ..., bgt_doc_title: _Optional[str] = ..., doc_date: _Optional[str] = ..., budget_level_code: _Optional[str] = ..., agency_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ..., gov_bgt_eco_code: _Optional[str] = ..., pay_type_code: _Optional[str] = ..., source_type_code: _Optional[str] = ..., amount: _Optional[_Union[Money, _Mapping]] = ..., pro_code: _Optional[str] = ..., pro_name: _Optional[str] = ..., sup_bgt_doc_no: _Optional[str] = ..., bgt_dec: _Optional[str] = ..., create_time: _Optional[str] = ..., update_time: _Optional[str] = ...) -> None: ...

class DeptBudgetLine(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "budget_line_id", "agency_code", "exp_category_code", "exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "fund_type_code", "bgt_line_amt", "quota_code", "quantity", "pro_code", "pro_name")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    BUDGET_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    GOV_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    BGT_LINE_AMT_FIELD_NUMBER: _ClassVar[int]
    QUOTA_CODE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRO_CODE_FIELD_NUMBER: _ClassVar[int]
    PRO_NAME_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    budget_line_id: str
    agency_code: str
    exp_category_code: str
    exp_func_code: str
    dep_bgt_eco_code: str
    gov_bgt_eco_code: str
    fund_type_code: str
    bgt_line_amt: Money
    quota_code: str
    quantity: Decimal
    pro_code: str
    pro_name: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., budget_line_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., exp_category_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ..., gov_bgt_eco_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., bgt_line_amt: _Optional[_Union[Money, _Mapping]] = ..., quota_code: _Optional[str] = ..., quantity: _Optional[_Union[Decimal, _Mapping]] = ..., pro_code: _Optional[str] = ..., pro_name: _Optional[str] = ...) -> None: ...

class ExpenseQuota(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "quota_code", "quota_name", "quota_basis_code", "quota_unit", "quota_value", "dep_bgt_eco_code", "exp_category_code", "calc_desc")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    QUOTA_CODE_FIELD_NUMBER: _ClassVar[int]
    QUOTA_NAME_FIELD_NUMBER: _ClassVar[int]
    QUOTA_BASIS_CODE_FIELD_NUMBER: _ClassVar[int]
    QUOTA_UNIT_FIELD_NUMBER: _ClassVar[int]
    QUOTA_VALUE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    CALC_DESC_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    quota_code: str
    quota_name: str
    quota_basis_code: str
    quota_unit: str
    quota_value: Money
    dep_bgt_eco_code: str
    exp_category_code: str
    calc_desc: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., quota_code: _Optional[str] = ..., quota_name: _Optional[str] = ..., quota_basis_code: _Optional[str] = ..., quota_unit: _Optional[str] = ..., quota_value: _Optional[_Union[Money, _Mapping]] = ..., dep_bgt_eco_code: _Optional[str] = ..., exp_category_code: _Optional[str] = ..., calc_desc: _Optional[str] = ...) -> None: ...

class FiscalRegion(_message.Message):
    __slots__ = ("mof_div_code", "mof_div_name", "div_level_code", "parent_mof_div_code", "valid_from", "valid_to")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    MOF_DIV_NAME_FIELD_NUMBER: _ClassVar[int]
    DIV_LEVEL_CODE_FIELD_NUMBER: _ClassVar[int]
    PARENT_MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    mof_div_name: str
    div_level_code: str
    parent_mof_div_code: str
    valid_from: str
    valid_to: str
    def __init__(self, mof_div_code: _Optional[str] = ..., mof_div_name: _Optional[str] = ..., div_level_code: _Optional[str] = ..., parent_mof_div_code: _Optional[str] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ...) -> None: ...

class FiscalReport(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "report_id", "report_period_code", "period_no", "consolidation_scope_code", "report_date")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_PERIOD_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_NO_FIELD_NUMBER: _ClassVar[int]
    CONSOLIDATION_SCOPE_CODE_FIELD_NUMBER: _ClassVar[int]
    REPORT_DATE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    report_id: str
    report_period_code: str
    period_no: int
    consolidation_scope_code: str
    report_date: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., report_id: _Optional[str] = ..., report_period_code: _Optional[str] = ..., period_no: _Optional[int] = ..., consolidation_scope_code: _Optional[str] = ..., report_date: _Optional[str] = ...) -> None: ...

class FiscalReportLine(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "report_id", "line_no", "cur_period_amt", "ytd_amt", "rev_class_code", "exp_func_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_NO_FIELD_NUMBER: _ClassVar[int]
    CUR_PERIOD_AMT_FIELD_NUMBER: _ClassVar[int]
    YTD_AMT_FIELD_NUMBER: _ClassVar[int]
    REV_CLASS_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    report_id: str
    line_no: int
    cur_period_amt: Money
    ytd_amt: Money
    rev_class_code: str
    exp_func_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., report_id: _Optional[str] = ..., line_no: _Optional[int] = ..., cur_period_amt: _Optional[_Union[Money, _Mapping]] = ..., ytd_amt: _Optional[_Union[Money, _Mapping]] = ..., rev_class_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ...) -> None: ...

class IndicatorAdjustment(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "adj_id", "bgt_id", "adj_type_code", "adj_doc_no", "adj_date", "adj_amt", "ori_bgt_id", "rec_div_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    ADJ_ID_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    ADJ_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    ADJ_DOC_NO_FIELD_NUMBER: _ClassVar[int]
    ADJ_DATE_FIELD_NUMBER: _ClassVar[int]
    ADJ_AMT_FIELD_NUMBER: _ClassVar[int]
    ORI_BGT_ID_FIELD_NUMBER: _ClassVar[int]
    REC_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    adj_id: str
    bgt_id: str
    adj_type_code: str
    adj_doc_no: str
    adj_date: str
    adj_amt: Money
    ori_bgt_id: str
    rec_div_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., adj_id: _Optional[str] = ..., bgt_id: _Optional[str] = ..., adj_type_code: _Optional[str] = ..., adj_doc_no: _Optional[str] = ..., adj_date: _Optional[str] = ..., adj_amt: _Optional[_Union[Money, _Mapping]] = ..., ori_bgt_id: _Optional[str] = ..., rec_div_code: _Optional[str] = ...) -> None: ...

class NonTaxPayment(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "nt_pay_voucher_id", "non_tax_pay_no", "exec_agency_code", "bill_date", "payer_name", "total_pay_amt", "paid_amt", "is_reversal", "pay_date", "payee_acct_no", "agent_bank_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    NT_PAY_VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_PAY_NO_FIELD_NUMBER: _ClassVar[int]
    EXEC_AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    BILL_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYER_NAME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAY_AMT_FIELD_NUMBER: _ClassVar[int]
    PAID_AMT_FIELD_NUMBER: _ClassVar[int]
    IS_REVERSAL_FIELD_NUMBER: _ClassVar[int]
    PAY_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    AGENT_BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    nt_pay_voucher_id: str
    non_tax_pay_no: str
    exec_agency_code: str
    bill_date: str
    payer_name: str
    total_pay_amt: Money
    paid_amt: Money
    is_reversal: bool
    pay_date: str
    payee_acct_no: str
    agent_bank_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., nt_pay_voucher_id: _Optional[str] = ..., non_tax_pay_no: _Optional[str] = ..., exec_agency_code: _Optional[str] = ..., bill_date: _Optional[str] = ..., payer_name: _Optional[str] = ..., total_pay_amt: _Optional[_Union[Money, _Mapping]] = ..., paid_amt: _Optional[_Union[Money, _Mapping]] = ..., is_reversal: _Optional[bool] = ..., pay_date: _Optional[str] = ..., payee_acct_no: _Optional[str] = ..., agent_bank_code: _Optional[str] = ...) -> None: ...

class NonTaxPaymentLine(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "nt_pay_voucher_id", "sort_no", "non_tax_code", "non_tax_name", "rev_class_code", "fund_type_code", "pay_amt")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    NT_PAY_VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    SORT_NO_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_CODE_FIELD_NUMBER: _ClassVar[int]
    NON_TAX_NAME_FIELD_NUMBER: _ClassVar[int]
    REV_CLASS_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_AMT_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    nt_pay_voucher_id: str
    sort_no: int
    non_tax_code: str
    non_tax_name: str
    rev_class_code: str
    fund_type_code: str
    pay_amt: Money
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., nt_pay_voucher_id: _Optional[str] = ..., sort_no: _Optional[int] = ..., non_tax_code: _Optional[str] = ..., non_tax_name: _Optional[str] = ..., rev_class_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., pay_amt: _Optional[_Union[Money, _Mapping]] = ...) -> None: ...

class PaymentDetail(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "pay_detail_id", "pay_cert_id", "agency_code", "payee_acct_name", "payee_acct_no", "payee_acct_bank_name", "pay_amt", "per_name", "iden_no", "unifsoc_cred_code", "town_code", "add_word")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PAY_DETAIL_ID_FIELD_NUMBER: _ClassVar[int]
    PAY_CERT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    PAY_AMT_FIELD_NUMBER: _ClassVar[int]
    PER_NAME_FIELD_NUMBER: _ClassVar[int]
    IDEN_NO_FIELD_NUMBER: _ClassVar[int]
    UNIFSOC_CRED_CODE_FIELD_NUMBER: _ClassVar[int]
    TOWN_CODE_FIELD_NUMBER: _ClassVar[int]
    ADD_WORD_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    pay_detail_id: str
    pay_cert_id: str
    agency_code: str
    payee_acct_name: str
    payee_acct_no: str
    payee_acct_bank_name: str
    pay_amt: Money
    per_name: str
    iden_no: str
    unifsoc_cred_code: str
    town_code: str
    add_word: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., pay_detail_id: _Optional[str] = ..., pay_cert_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., payee_acct_name: _Optional[str] = ..., payee_acct_no: _Optional[str] = ..., payee_acct_bank_name: _Optional[str] = ..., pay_amt: _Optional[_Union[Money, _Mapping]] = ..., per_name: _Optional[str] = ..., iden_no: _Optional[str] = ..., unifsoc_cred_code: _Optional[str] = ..., town_code: _Optional[str] = ..., add_word: _Optional[str] = ...) -> None: ...

class PaymentRequest(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "pay_app_id", "pay_app_no", "bgt_id", "agency_code", "fund_type_code", "exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "pay_type_code", "set_mode_code", "pay_app_amt", "create_date", "payee_acct_name", "payee_acct_no", "payee_acct_bank_name", "is_reversal", "pro_code", "use_des")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PAY_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAY_APP_NO_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    GOV_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    SET_MODE_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_APP_AMT_FIELD_NUMBER: _ClassVar[int]
    CREATE_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    IS_REVERSAL_FIELD_NUMBER: _ClassVar[int]
    PRO_CODE_FIELD_NUMBER: _ClassVar[int]
    USE_DES_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    pay_app_id: str
    pay_app_no: str
    bgt_id: str
    agency_code: str
    fund_type_code: str
    exp_func_code: str
    dep_bgt_eco_code: str
    gov_bgt_eco_code: str
    pay_type_code: str
    set_mode_code: str
    pay_app_amt: Money
    create_date: str
    payee_acct_name: str
    payee_acct_no: str
    payee_acct_bank_name: str
    is_reversal: bool
    pro_code: str
    use_des: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., pay_app_id: _Optional[str] = ..., pay_app_no: _Optional[str] = ..., bgt_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ..., gov_bgt_eco_code: _Optional[str] = ..., pay_type_code: _Optional[str] = ..., set_mode_code: _Optional[str] = ..., pay_app_amt: _Optional[_Union[Money, _Mapping]] = ..., create_date: _Optional[str] = ..., payee_acct_name: _Optional[str] = ..., payee_acct_no: _Optional[str] = ..., payee_acct_bank_name: _Optional[str] = ..., is_reversal: _Optional[bool] = ..., pro_code: _Optional[str] = ..., use_des: _Optional[str] = ...) -> None: ...

class PaymentVoucher(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "pay_cert_id", "pay_cert_no", "pay_app_id", "bgt_id", "agency_code", "fund_type_code", "exp_func_code", "dep_bgt_eco_code", "gov_bgt_eco_code", "pay_type_code", "set_mode_code", "vou_date", "pay_acct_name", "pay_acct_no", "pay_acct_bank_name", "payee_acct_name", "payee_acct_no", "payee_acct_bank_name", "pay_amt", "agent_bank_code", "pay_status_code", "is_reversal", "xpay_date", "clear_id", "act_lqd_date", "pro_code", "use_des", "update_time")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PAY_CERT_ID_FIELD_NUMBER: _ClassVar[int]
    PAY_CERT_NO_FIELD_NUMBER: _ClassVar[int]
    PAY_APP_ID_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    GOV_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    SET_MODE_CODE_FIELD_NUMBER: _ClassVar[int]
    VOU_DATE_FIELD_NUMBER: _ClassVar[int]
    PAY_ACCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PAY_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    PAY_ACCT_BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    PAYEE_ACCT_BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    PAY_AMT_FIELD_NUMBER: _ClassVar[int]
    AGENT_BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    PAY_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    IS_REVERSAL_FIELD_NUMBER: _ClassVar[int]
    XPAY_DATE_FIELD_NUMBER: _ClassVar[int]
    CLEAR_ID_FIELD_NUMBER: _ClassVar[int]
    ACT_LQD_DATE_FIELD_NUMBER: _ClassVar[int]
    PRO_CODE_FIELD_NUMBER: _ClassVar[int]
    USE_DES_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    pay_cert_id: str
    pay_cert_no: str
    pay_app_id: str
    bgt_id: str
    agency_code: str
    fund_type_code: str
    exp_func_code: str
    dep_bgt_eco_code: str
    gov_bgt_eco_code: str
    pay_type_code: str
    set_mode_code: str
    vou_date: str
    pay_acct_name: str
    pay_acct_no: str
    pay_acct_bank_name: str
    payee_acct_name: str
    payee_acct_no: str
    payee_acct_bank_name: str
    pay_amt: Money
    agent_bank_code: str
    pay_status_code: str
    is_reversal: bool
    xpay_date: str
    clear_id: str
    act_lqd_date: str
    pro_code: str
    use_des: str
    update_time: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., pay_cert_id: _Optional[str] = ..., pay_cert_no: _Optional[str] = ..., pay_app_id: _Optional[str] = ..., bgt_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ..., gov_bgt_eco_code: _Optional[str] = ..., pay_type_code: _Optional[str] = ..., set_mode_code: _Optional[str] = ..., vou_date: _Optional[str] = ..., pay_acct_name: _Optional[str] = ..., pay_acct_no: _Optional[str] = ..., pay_acct_bank_name: _Optional[str] = ..., payee_acct_name: _Optional[str] = ..., payee_acct_no: _Optional[str] = ..., payee_acct_bank_name: _Optional[str] = ..., pay_amt: _Optional[_Union[Money, _Mapping]] = ..., agent_bank_code: _Optional[str] = ..., pay_status_code: _Optional[str] = ..., is_reversal: _Optional[bool] = ..., xpay_date: _Optional[str] = ..., clear_id: _Optional[str] = ..., act_lqd_date: _Optional[str] = ..., pro_code: _Optional[str] = ..., use_des: _Optional[str] = ..., update_time: _Optional[str] = ...) -> None: ...

class PayrollRecord(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "payroll_id", "pay_month", "agency_code", "iden_no", "per_name", "per_acct_no", "agent_bank_code", "exp_func_code", "dep_bgt_eco_code", "gross_amt", "deduct_amt", "net_amt", "bgt_id", "pay_cert_id")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PAYROLL_ID_FIELD_NUMBER: _ClassVar[int]
    PAY_MONTH_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    IDEN_NO_FIELD_NUMBER: _ClassVar[int]
    PER_NAME_FIELD_NUMBER: _ClassVar[int]
    PER_ACCT_NO_FIELD_NUMBER: _ClassVar[int]
    AGENT_BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    EXP_FUNC_CODE_FIELD_NUMBER: _ClassVar[int]
    DEP_BGT_ECO_CODE_FIELD_NUMBER: _ClassVar[int]
    GROSS_AMT_FIELD_NUMBER: _ClassVar[int]
    DEDUCT_AMT_FIELD_NUMBER: _ClassVar[int]
    NET_AMT_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    PAY_CERT_ID_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    payroll_id: str
    pay_month: int
    agency_code: str
    iden_no: str
    per_name: str
    per_acct_no: str
    agent_bank_code: str
    exp_func_code: str
    dep_bgt_eco_code: str
    gross_amt: Money
    deduct_amt: Money
    net_amt: Money
    bgt_id: str
    pay_cert_id: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., payroll_id: _Optional[str] = ..., pay_month: _Optional[int] = ..., agency_code: _Optional[str] = ..., iden_no: _Optional[str] = ..., per_name: _Optional[str] = ..., per_acct_no: _Optional[str] = ..., agent_bank_code: _Optional[str] = ..., exp_func_code: _Optional[str] = ..., dep_bgt_eco_code: _Optional[str] = ..., gross_amt: _Optional[_Union[Money, _Mapping]] = ..., deduct_amt: _Optional[_Union[Money, _Mapping]] = ..., net_amt: _Optional[_Union[Money, _Mapping]] = ..., bgt_id: _Optional[str] = ..., pay_cert_id: _Optional[str] = ...) -> None: ...

class SpendingPlan(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "plan_id", "bgt_id", "agency_code", "plan_month", "pay_type_code", "fund_type_code", "plan_amt")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    BGT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    PLAN_MONTH_FIELD_NUMBER: _ClassVar[int]
    PAY_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    FUND_TYPE_CODE_FIELD_NUMBER: _ClassVar[int]
    PLAN_AMT_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    plan_id: str
    bgt_id: str
    agency_code: str
    plan_month: int
    pay_type_code: str
    fund_type_code: str
    plan_amt: Money
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., plan_id: _Optional[str] = ..., bgt_id: _Optional[str] = ..., agency_code: _Optional[str] = ..., plan_month: _Optional[int] = ..., pay_type_code: _Optional[str] = ..., fund_type_code: _Optional[str] = ..., plan_amt: _Optional[_Union[Money, _Mapping]] = ...) -> None: ...

class SubmissionEnvelope(_message.Message):
    __slots__ = ("submission_id", "mof_div_code", "fiscal_year", "product_name", "product_version", "standard_version", "entity_name", "record_count", "content_sha256", "create_time", "cert_no", "vendor_name")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_VERSION_FIELD_NUMBER: _ClassVar[int]
    STANDARD_VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTITY_NAME_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CERT_NO_FIELD_NUMBER: _ClassVar[int]
    VENDOR_NAME_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    mof_div_code: str
    fiscal_year: str
    product_name: str
    product_version: str
    standard_version: str
    entity_name: str
    record_count: int
    content_sha256: str
    create_time: str
    cert_no: str
    vendor_name: str
    def __init__(self, submission_id: _Optional[str] = ..., mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., product_name: _Optional[str] = ..., product_version: _Optional[str] = ..., standard_version: _Optional[str] = ..., entity_name: _Optional[str] = ..., record_count: _Optional[int] = ..., content_sha256: _Optional[str] = ..., create_time: _Optional[str] = ..., cert_no: _Optional[str] = ..., vendor_name: _Optional[str] = ...) -> None: ...

class TaxReceipt(_message.Message):
    __slots__ = ("mof_div_code", "fiscal_year", "tax_receipt_id", "tax_bill_no", "rev_class_code", "budget_level_code", "receipt_date", "inc_amt", "is_reversal", "unifsoc_cred_code", "tax_org_code")
    MOF_DIV_CODE_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    TAX_RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    TAX_BILL_NO_FIELD_NUMBER: _ClassVar[int]
    REV_CLASS_CODE_FIELD_NUMBER: _ClassVar[int]
    BUDGET_LEVEL_CODE_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_DATE_FIELD_NUMBER: _ClassVar[int]
    INC_AMT_FIELD_NUMBER: _ClassVar[int]
    IS_REVERSAL_FIELD_NUMBER: _ClassVar[int]
    UNIFSOC_CRED_CODE_FIELD_NUMBER: _ClassVar[int]
    TAX_ORG_CODE_FIELD_NUMBER: _ClassVar[int]
    mof_div_code: str
    fiscal_year: str
    tax_receipt_id: str
    tax_bill_no: str
    rev_class_code: str
    budget_level_code: str
    receipt_date: str
    inc_amt: Money
    is_reversal: bool
    unifsoc_cred_code: str
    tax_org_code: str
    def __init__(self, mof_div_code: _Optional[str] = ..., fiscal_year: _Optional[str] = ..., tax_receipt_id: _Optional[str] = ..., tax_bill_no: _Optional[str] = ..., rev_class_code: _Optional[str] = ..., budget_level_code: _Optional[str] = ..., receipt_date: _Optional[str] = ..., inc_amt: _Optional[_Union[Money, _Mapping]] = ..., is_reversal: _Optional[bool] = ..., unifsoc_cred_code: _Optional[str] = ..., tax_org_code: _Optional[str] = ...) -> None: ...
