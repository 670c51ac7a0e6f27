"""GENERATED from standards/ by ``python -m jincai.generate`` — do not edit.

金财省级财政数据交换标准 jincai-fiscal 1.2.0: one pydantic model per entity.
jincai provincial fiscal data exchange standard: one pydantic model per entity.

Structure and identifier checks only (C01-C09, C11-C14); code-list membership (C10) needs the
record's fiscal year and is checked by the validation engine.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from pydantic import ConfigDict, Field

from jincai.models.types import (
    FiscalRecord,
    boolean,
    code,
    date_value,
    datetime_value,
    decimal_value,
    integer,
    money,
    text,
)

STANDARD_ID = 'jincai-fiscal'
STANDARD_VERSION = '1.2.0'

# ---- 数据元类型 element types -------------------------------------------------------------

if TYPE_CHECKING:
    MofDivCodeValue = str
    FiscalYearValue = str
    AgencyCodeValue = str
    AgencyNameValue = str
    DeptCodeValue = str
    AgencyTypeCodeValue = str
    UnifsocCredCodeValue = str
    OrgCodeValue = str
    BudgetLevelCodeValue = str
    FundTypeCodeValue = str
    ExpFuncCodeValue = str
    DepBgtEcoCodeValue = str
    GovBgtEcoCodeValue = str
    RevClassCodeValue = str
    PayTypeCodeValue = str
    SetModeCodeValue = str
    ProCodeValue = str
    ProNameValue = str
    IsReversalValue = bool
    CreateTimeValue = datetime
    UpdateTimeValue = datetime
    MofDivNameValue = str
    DivLevelCodeValue = str
    ParentMofDivCodeValue = str
    ValidFromValue = date
    ValidToValue = date
    StaffAuthorizedValue = int
    StaffInServiceValue = int
    RetiredCountValue = int
    OfficeAreaValue = Decimal
    VehicleCountValue = int
    QuotaCodeValue = str
    QuotaNameValue = str
    QuotaBasisCodeValue = str
    QuotaUnitValue = str
    QuotaValueValue = Decimal
    CalcDescValue = str
    BudgetLineIdValue = str
    ExpCategoryCodeValue = str
    QuantityValue = Decimal
    BgtLineAmtValue = Decimal
    BgtIdValue = str
    CorBgtDocNoValue = str
    BgtDocTitleValue = str
    DocDateValue = date
    SupBgtDocNoValue = str
    SourceTypeCodeValue = str
    AmountValue = Decimal
    BgtDecValue = str
    AdjIdValue = str
    AdjTypeCodeValue = str
    AdjDocNoValue = str
    AdjDateValue = date
    AdjAmtValue = Decimal
    OriBgtIdValue = str
    RecDivCodeValue = str
    PlanIdValue = str
    PlanMonthValue = int
    PlanAmtValue = Decimal
    PayAppIdValue = str
    PayAppNoValue = str
    PayAppAmtValue = Decimal
    CreateDateValue = date
    UseDesValue = str
    PayCertIdValue = str
    PayCertNoValue = str
    VouDateValue = date
    PayAcctNameValue = str
    PayAcctNoValue = str
    PayAcctBankNameValue = str
    PayeeAcctNameValue = str
    PayeeAcctNoValue = str
    PayeeAcctBankNameValue = str
    PayAmtValue = Decimal
    XpayDateValue = date
    AgentBankCodeValue = str
    PayStatusCodeValue = str
    ClearIdValue = str
    ActLqdDateValue = date
    ClearAmtValue = Decimal
    VoucherCountValue = int
    PayDetailIdValue = str
    PerNameValue = str
    IdenNoValue = str
    PerAcctNoValue = str
    TownCodeValue = str
    AddWordValue = str
    NtPayVoucherIdValue = str
    NonTaxPayNoValue = str
    ExecAgencyCodeValue = str
    BillDateValue = date
    PayerNameValue = str
    TotalPayAmtValue = Decimal
    PaidAmtValue = Decimal
    PayDateValue = date
    SortNoValue = int
    NonTaxCodeValue = str
    NonTaxNameValue = str
    TaxReceiptIdValue = str
    TaxBillNoValue = str
    TaxOrgCodeValue = str
    ReceiptDateValue = date
    IncAmtValue = Decimal
    PayrollIdValue = str
    PayMonthValue = int
    GrossAmtValue = Decimal
    DeductAmtValue = Decimal
    NetAmtValue = Decimal
    AcctVoucherIdValue = str
    AcctVoucherNoValue = str
    AcctDateValue = date
    AcctPeriodValue = int
    SrcEntityValue = str
    SrcIdValue = str
    AbstractValue = str
    LineNoValue = int
    AcctCodeValue = str
    DrAmtValue = Decimal
    CrAmtValue = Decimal
    ReportIdValue = str
    ReportPeriodCodeValue = str
    PeriodNoValue = int
    ConsolidationScopeCodeValue = str
    ReportDateValue = date
    CurPeriodAmtValue = Decimal
    YtdAmtValue = Decimal
    SubmissionIdValue = str
    ProductNameValue = str
    ProductVersionValue = str
    VendorNameValue = str
    CertNoValue = str
    StandardVersionValue = str
    EntityNameValue = str
    RecordCountValue = int
    ContentSha256Value = str
else:
    MofDivCodeValue = code(pattern='[0-9]{9}', min_length=1, max_length=9)  # mof_div_code: 财政区划代码 Fiscal region code
    FiscalYearValue = code(pattern='20(0[7-9]|[1-9][0-9])', min_length=1, max_length=4)  # fiscal_year: 预算年度 Fiscal year
    AgencyCodeValue = code(pattern='[0-9A-Z]{3,21}', min_length=1, max_length=21)  # agency_code: 单位代码 Budget unit code
    AgencyNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=300)  # agency_name: 单位名称 Budget unit name
    DeptCodeValue = code(pattern='[0-9A-Z]{3,21}', min_length=1, max_length=21)  # dept_code: 主管部门代码 Supervising department code
    AgencyTypeCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # agency_type_code: 单位类型代码 Unit type code
    UnifsocCredCodeValue = code(pattern='[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}', min_length=1, max_length=18, identifier='uscc')  # unifsoc_cred_code: 统一社会信用代码 Unified social credit code
    OrgCodeValue = code(pattern='[0-9A-Z]{8}[0-9X]', min_length=1, max_length=9, identifier='orgcode')  # org_code: 组织机构代码 Organisation code
    BudgetLevelCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # budget_level_code: 预算级次代码 Budget level code
    FundTypeCodeValue = code(pattern='[0-9]{1,4}', min_length=1, max_length=4)  # fund_type_code: 资金性质代码 Fund nature code
    ExpFuncCodeValue = code(pattern='2[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2,6})?)?)?', min_length=1, max_length=13)  # exp_func_code: 支出功能分类科目代码 Functional classification code
    DepBgtEcoCodeValue = code(pattern='3[0-9]{2}([0-9]{2})?', min_length=1, max_length=5)  # dep_bgt_eco_code: 部门预算支出经济分类科目代码 Department economic classification code
    GovBgtEcoCodeValue = code(pattern='5[0-9]{2}([0-9]{2})?', min_length=1, max_length=5)  # gov_bgt_eco_code: 政府预算支出经济分类科目代码 Government economic classification code
    RevClassCodeValue = code(pattern='1[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2})?)?)?', min_length=1, max_length=9)  # rev_class_code: 收入分类科目代码 Revenue classification code
    PayTypeCodeValue = code(pattern='[0-9]{1,2}', min_length=1, max_length=2)  # pay_type_code: 支付方式代码 Payment method code
    SetModeCodeValue = code(pattern='[0-9]{1,2}', min_length=1, max_length=2)  # set_mode_code: 结算方式代码 Settlement method code
    ProCodeValue = code(pattern='[0-9A-Z]{1,21}', min_length=1, max_length=21)  # pro_code: 项目代码 Project code
    ProNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=180)  # pro_name: 项目名称 Project name
    IsReversalValue = boolean  # is_reversal: 是否冲销（红字） Reversal (red-ink) flag
    CreateTimeValue = datetime_value  # create_time: 创建时间 Creation time
    UpdateTimeValue = datetime_value  # update_time: 更新时间 Last update time
    MofDivNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=100)  # mof_div_name: 财政区划名称 Fiscal region name
    DivLevelCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # div_level_code: 区划级次代码 Region level code
    ParentMofDivCodeValue = code(pattern='[0-9]{9}', min_length=1, max_length=9)  # parent_mof_div_code: 上级财政区划代码 Parent fiscal region code
    ValidFromValue = date_value  # valid_from: 生效日期 Valid from
    ValidToValue = date_value  # valid_to: 失效日期 Valid to (inclusive)
    StaffAuthorizedValue = integer(ge=0, le=1000000)  # staff_authorized: 编制人数 Authorized staff
    StaffInServiceValue = integer(ge=0, le=1000000)  # staff_in_service: 在职人数 Staff in service
    RetiredCountValue = integer(ge=0, le=1000000)  # retired_count: 离退休人数 Retired staff
    OfficeAreaValue = decimal_value(scale=2, pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # office_area: 核定办公用房面积（平方米） Approved office area (m²)
    VehicleCountValue = integer(ge=0, le=100000)  # vehicle_count: 编制车辆数 Authorized vehicles
    QuotaCodeValue = code(pattern='[0-9A-Z]{2,20}', min_length=1, max_length=20)  # quota_code: 定额标准代码 Expense quota code
    QuotaNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=120)  # quota_name: 定额标准名称 Expense quota name
    QuotaBasisCodeValue = code(pattern='[0-9]{2}', min_length=1, max_length=2)  # quota_basis_code: 定额依据代码 Quota basis code
    QuotaUnitValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=20)  # quota_unit: 定额计量单位 Quota unit
    QuotaValueValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # quota_value: 定额标准值（元/计量单位） Quota value (yuan per unit)
    CalcDescValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=200)  # calc_desc: 计算公式说明 Calculation formula
    BudgetLineIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # budget_line_id: 部门预算明细主键 Department budget line id
    ExpCategoryCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # exp_category_code: 支出类别代码 Expense category code
    QuantityValue = decimal_value(scale=2, pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # quantity: 计算数量 Quantity computed from basic data
    BgtLineAmtValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # bgt_line_amt: 部门预算金额 Department budget amount
    BgtIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # bgt_id: 指标主键 Budget indicator id
    CorBgtDocNoValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=100)  # cor_bgt_doc_no: 本级指标文号 Indicator document number
    BgtDocTitleValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=360)  # bgt_doc_title: 指标文标题 Indicator document title
    DocDateValue = date_value  # doc_date: 发文日期 Document date
    SupBgtDocNoValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=100)  # sup_bgt_doc_no: 上级指标文号 Upper-level indicator document number
    SourceTypeCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # source_type_code: 指标来源代码 Indicator source code
    AmountValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # amount: 指标金额 Indicator amount
    BgtDecValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=0, max_length=360)  # bgt_dec: 指标说明 Indicator description
    AdjIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # adj_id: 指标调整主键 Indicator adjustment id
    AdjTypeCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # adj_type_code: 调整类型代码 Adjustment type code
    AdjDocNoValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=100)  # adj_doc_no: 调整文号 Adjustment document number
    AdjDateValue = date_value  # adj_date: 调整日期 Adjustment date
    AdjAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # adj_amt: 调整金额（调减为负） Adjustment amount (negative for reductions)
    OriBgtIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # ori_bgt_id: 源指标主键 Source indicator id
    RecDivCodeValue = code(pattern='[0-9]{9}', min_length=1, max_length=9)  # rec_div_code: 接收方财政区划代码 Receiving fiscal region code
    PlanIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # plan_id: 用款计划主键 Spending plan id
    PlanMonthValue = integer(ge=1, le=12)  # plan_month: 计划月份 Plan month
    PlanAmtValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # plan_amt: 计划金额 Planned amount
    PayAppIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # pay_app_id: 支付申请主键 Payment request id
    PayAppNoValue = code(pattern='[0-9A-Za-z_-]{1,100}', min_length=1, max_length=100)  # pay_app_no: 支付申请编号 Payment request number
    PayAppAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # pay_app_amt: 支付申请金额 Requested amount
    CreateDateValue = date_value  # create_date: 申请日期 Request date
    UseDesValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=0, max_length=300)  # use_des: 用途 Purpose
    PayCertIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # pay_cert_id: 支付凭证主键 Payment voucher id
    PayCertNoValue = code(pattern='[0-9A-Za-z_-]{1,100}', min_length=1, max_length=100)  # pay_cert_no: 支付凭证号 Payment voucher number
    VouDateValue = date_value  # vou_date: 凭证日期 Voucher date
    PayAcctNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=300)  # pay_acct_name: 付款人全称 Payer account name
    PayAcctNoValue = code(pattern='[0-9]{6,40}', min_length=1, max_length=40)  # pay_acct_no: 付款人账号 Payer account number
    PayAcctBankNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=180)  # pay_acct_bank_name: 付款人开户银行 Payer bank
    PayeeAcctNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=300)  # payee_acct_name: 收款人全称 Payee account name
    PayeeAcctNoValue = code(pattern='[0-9]{6,40}', min_length=1, max_length=40)  # payee_acct_no: 收款人账号 Payee account number
    PayeeAcctBankNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=180)  # payee_acct_bank_name: 收款人开户银行 Payee bank
    PayAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # pay_amt: 支付（缴款）金额 Amount paid
    XpayDateValue = date_value  # xpay_date: 实际支付日期 Actual payment date
    AgentBankCodeValue = code(pattern='[0-9]{12}', min_length=1, max_length=12, identifier='cnaps')  # agent_bank_code: 代理银行行号 Agent bank CNAPS code
    PayStatusCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # pay_status_code: 支付状态代码 Payment status code
    ClearIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # clear_id: 清算批次主键 Clearing batch id
    ActLqdDateValue = date_value  # act_lqd_date: 实际清算日期 Actual clearing date
    ClearAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # clear_amt: 清算金额 Cleared amount
    VoucherCountValue = integer(ge=0, le=100000000)  # voucher_count: 凭证笔数 Number of vouchers
    PayDetailIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # pay_detail_id: 支付明细主键 Payment line id
    PerNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=60)  # per_name: 个人姓名 Person's name
    IdenNoValue = code(pattern='[0-9]{17}[0-9X]', min_length=1, max_length=18, identifier='citizen_id')  # iden_no: 公民身份号码 Citizen ID number
    PerAcctNoValue = code(pattern='[0-9]{6,40}', min_length=1, max_length=40)  # per_acct_no: 个人银行账号 Personal bank account number
    TownCodeValue = code(pattern='[0-9]{9}', min_length=1, max_length=9)  # town_code: 街道（乡镇）编码 Township code
    AddWordValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=0, max_length=300)  # add_word: 附言 Remark
    NtPayVoucherIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # nt_pay_voucher_id: 缴款书主键 Non-tax payment notice id
    NonTaxPayNoValue = code(pattern='[0-9A-Za-z_-]{1,100}', min_length=1, max_length=100)  # non_tax_pay_no: 非税收入一般缴款书票号 Non-tax payment notice number
    ExecAgencyCodeValue = code(pattern='[0-9A-Z]{3,21}', min_length=1, max_length=21)  # exec_agency_code: 执收单位代码 Collecting unit code
    BillDateValue = date_value  # bill_date: 开票日期 Issue date
    PayerNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=300)  # payer_name: 缴款人全称 Payer name
    TotalPayAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # total_pay_amt: 应缴金额合计 Total amount due
    PaidAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # paid_amt: 缴款金额 Amount paid in
    PayDateValue = date_value  # pay_date: 缴款日期 Payment-in date
    SortNoValue = integer(ge=1, le=100000)  # sort_no: 序号 Line number
    NonTaxCodeValue = code(pattern='[0-9A-Za-z]{1,20}', min_length=1, max_length=20)  # non_tax_code: 非税收入执收项目代码 Non-tax item code
    NonTaxNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=240)  # non_tax_name: 非税收入执收项目名称 Non-tax item name
    TaxReceiptIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # tax_receipt_id: 税收入库主键 Tax receipt id
    TaxBillNoValue = code(pattern='[0-9A-Za-z]{1,20}', min_length=1, max_length=20)  # tax_bill_no: 税票号码 Tax payment certificate number
    TaxOrgCodeValue = code(pattern='[0-9]{11,12}', min_length=1, max_length=12)  # tax_org_code: 税务征收机关代码 Tax office code
    ReceiptDateValue = date_value  # receipt_date: 入库日期 Treasury entry date
    IncAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # inc_amt: 入库金额（退库为负） Amount entered the treasury (negative for refunds)
    PayrollIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # payroll_id: 工资发放记录主键 Payroll record id
    PayMonthValue = integer(ge=1, le=12)  # pay_month: 发放月份 Payroll month
    GrossAmtValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # gross_amt: 应发金额 Gross pay
    DeductAmtValue = money(pattern='(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # deduct_amt: 扣款金额 Deductions
    NetAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # net_amt: 实发金额 Net pay
    AcctVoucherIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # acct_voucher_id: 会计凭证主键 Accounting voucher id
    AcctVoucherNoValue = code(pattern='[0-9A-Za-z_-]{1,40}', min_length=1, max_length=40)  # acct_voucher_no: 会计凭证号 Accounting voucher number
    AcctDateValue = date_value  # acct_date: 记账日期 Posting date
    AcctPeriodValue = integer(ge=1, le=12)  # acct_period: 会计期间（月） Accounting period (month)
    SrcEntityValue = code(pattern='[a-z][a-z_]{1,39}', min_length=1, max_length=40)  # src_entity: 来源业务实体 Source business entity
    SrcIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # src_id: 来源业务记录主键 Source business record id
    AbstractValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=300)  # abstract: 摘要 Summary
    LineNoValue = integer(ge=1, le=100000)  # line_no: 行号 Line number
    AcctCodeValue = code(pattern='[0-9]{4}([0-9]{2}){0,3}', min_length=1, max_length=10)  # acct_code: 会计科目代码 Account code
    DrAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # dr_amt: 借方金额 Debit amount
    CrAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # cr_amt: 贷方金额 Credit amount
    ReportIdValue = code(pattern='[0-9A-Za-z_-]{1,38}', min_length=1, max_length=38)  # report_id: 报表主键 Report id
    ReportPeriodCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # report_period_code: 报表期间类型代码 Report period type code
    PeriodNoValue = integer(ge=1, le=36)  # period_no: 期间序号 Period number
    ConsolidationScopeCodeValue = code(pattern='[0-9]', min_length=1, max_length=1)  # consolidation_scope_code: 汇总口径代码 Consolidation scope code
    ReportDateValue = date_value  # report_date: 编报日期 Report date
    CurPeriodAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # cur_period_amt: 本期金额 Amount for the period
    YtdAmtValue = money(pattern='-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}')  # ytd_amt: 本年累计金额 Year-to-date amount
    SubmissionIdValue = code(pattern='[0-9A-Za-z_-]{1,64}', min_length=1, max_length=64)  # submission_id: 报送批次主键 Submission id
    ProductNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=120)  # product_name: 软件产品名称 Software product name
    ProductVersionValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=40)  # product_version: 软件产品版本 Software product version
    VendorNameValue = text(pattern='[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff𐀀-\U0010ffff]*', min_length=1, max_length=120)  # vendor_name: 软件厂商 Software vendor
    CertNoValue = code(pattern='[0-9A-Za-z_-]{1,64}', min_length=1, max_length=64)  # cert_no: 符合性证书编号 Conformance certificate number
    StandardVersionValue = code(pattern='(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)', min_length=1, max_length=20)  # standard_version: 标准版本 Standard version
    EntityNameValue = code(pattern='[a-z][a-z_]{1,39}', min_length=1, max_length=40)  # entity_name: 数据实体 Entity
    RecordCountValue = integer(ge=0, le=9007199254740991)  # record_count: 记录数 Record count
    ContentSha256Value = code(pattern='[0-9a-f]{64}', min_length=1, max_length=64)  # content_sha256: 内容校验和（SHA-256） Content checksum (SHA-256)

# ---- 实体 entities ---------------------------------------------------------------------------


class AccountingVoucher(FiscalRecord):
    """总预算会计凭证 General budget accounting voucher (``accounting_voucher``).

    由指标、支付、收入等业务记录自动生成的记账凭证（DA/T 95-2022 版式的凭证头）。

    A voucher generated from indicators, payments and receipts (header of the DA/T 95-2022
    layout).

    业务键 key: mof_div_code, fiscal_year, acct_voucher_id
    """

    __entity__: ClassVar[str] = 'accounting_voucher'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    acct_voucher_id: AcctVoucherIdValue = Field(description='会计凭证主键 / Accounting voucher id')
    acct_voucher_no: AcctVoucherNoValue = Field(description='会计凭证号 / Accounting voucher number')
    acct_date: AcctDateValue = Field(description='记账日期 / Posting date')
    acct_period: AcctPeriodValue = Field(description='会计期间（月） / Accounting period (month)')
    abstract: AbstractValue = Field(description='摘要 / Summary')
    src_entity: SrcEntityValue | None = Field(None, description='来源业务实体 / Source business entity. 自动生成该凭证的业务记录所属实体，如 payment_voucher、tax_receipt。 The entity of the business record the voucher was generated from, e.g. payment_voucher.')
    src_id: SrcIdValue | None = Field(None, description='来源业务记录主键 / Source business record id')


class AccountingVoucherLine(FiscalRecord):
    """总预算会计凭证分录 Accounting voucher line (``accounting_voucher_line``).

    凭证的一条分录，借贷记账；每行借方或贷方之一非零。

    One double-entry line of a voucher; exactly one of debit or credit is non-zero.

    业务键 key: mof_div_code, fiscal_year, acct_voucher_id, line_no
    """

    __entity__: ClassVar[str] = 'accounting_voucher_line'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    acct_voucher_id: AcctVoucherIdValue = Field(description='会计凭证主键 / Accounting voucher id')
    line_no: LineNoValue = Field(description='行号 / Line number')
    acct_code: AcctCodeValue = Field(description='会计科目代码 / Account code')
    dr_amt: DrAmtValue = Field(description='借方金额 / Debit amount')
    cr_amt: CrAmtValue = Field(description='贷方金额 / Credit amount')
    exp_func_code: ExpFuncCodeValue | None = Field(None, description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    rev_class_code: RevClassCodeValue | None = Field(None, description='收入分类科目代码 / Revenue classification code. 类/款/项/目 3/5/7/9 位，以 1 开头。 类/款/项/目 of 3/5/7/9 digits starting with 1.')
    fund_type_code: FundTypeCodeValue | None = Field(None, description='资金性质代码 / Fund nature code')
    dep_bgt_eco_code: DepBgtEcoCodeValue | None = Field(None, description='部门预算支出经济分类科目代码 / Department economic classification code')


class Agency(FiscalRecord):
    """预算单位 Budget unit (``agency``).

    预算单位信息，每个预算年度一份。

    A budget unit, once per fiscal year.

    业务键 key: mof_div_code, fiscal_year, agency_code
    """

    __entity__: ClassVar[str] = 'agency'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    agency_name: AgencyNameValue = Field(description='单位名称 / Budget unit name')
    dept_code: DeptCodeValue = Field(description='主管部门代码 / Supervising department code. 一级预算单位（部门）的单位代码。 The agency code of the first-level budget unit (the department).')
    agency_type_code: AgencyTypeCodeValue = Field(description='单位类型代码 / Unit type code')
    budget_level_code: BudgetLevelCodeValue = Field(description='预算级次代码 / Budget level code')
    unifsoc_cred_code: UnifsocCredCodeValue | None = Field(None, description='统一社会信用代码 / Unified social credit code. GB 32100-2015，18 位，含校验码。 GB 32100-2015, 18 characters with a check character.')
    org_code: OrgCodeValue | None = Field(None, description='组织机构代码 / Organisation code. GB 11714-1997，8 位本体加 1 位校验码，不含连字符。 GB 11714-1997, 8 body characters and a check character, without the hyphen.')


class AgencyBasicData(FiscalRecord):
    """预算单位基础资料 Unit basic data (``agency_basic_data``).

    零基预算的基础：人员、核定办公面积、车辆等，由单位填报、财政审核。

    The basis of zero-based budgeting: staff, approved office area, vehicles; reported by the
    unit, approved by finance.

    业务键 key: mof_div_code, fiscal_year, agency_code
    """

    __entity__: ClassVar[str] = 'agency_basic_data'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    staff_authorized: StaffAuthorizedValue = Field(description='编制人数 / Authorized staff')
    staff_in_service: StaffInServiceValue = Field(description='在职人数 / Staff in service')
    retired_count: RetiredCountValue = Field(description='离退休人数 / Retired staff')
    office_area: OfficeAreaValue = Field(description='核定办公用房面积（平方米） / Approved office area (m²)')
    vehicle_count: VehicleCountValue = Field(description='编制车辆数 / Authorized vehicles')


class BankClearing(FiscalRecord):
    """代理银行清算 Agent bank clearing (``bank_clearing``).

    代理银行与国库的一笔清算，等于其所含支付凭证金额之和。

    One clearing between an agent bank and the treasury; equals the sum of its vouchers.

    业务键 key: mof_div_code, fiscal_year, clear_id
    """

    __entity__: ClassVar[str] = 'bank_clearing'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    clear_id: ClearIdValue = Field(description='清算批次主键 / Clearing batch id')
    agent_bank_code: AgentBankCodeValue = Field(description='代理银行行号 / Agent bank CNAPS code. 支付系统行号（CNAPS），12 位，仅校验格式。 CNAPS bank branch code, 12 digits; format only.')
    act_lqd_date: ActLqdDateValue = Field(description='实际清算日期 / Actual clearing date')
    pay_type_code: PayTypeCodeValue = Field(description='支付方式代码 / Payment method code')
    clear_amt: ClearAmtValue = Field(description='清算金额 / Cleared amount')
    voucher_count: VoucherCountValue = Field(description='凭证笔数 / Number of vouchers')


class BudgetIndicator(FiscalRecord):
    """预算指标 Budget indicator (``budget_indicator``).

    批复后的可执行预算指标；后续追加、调减、调剂、下达见指标调整。

    An approved, spendable budget indicator; later changes are indicator adjustments.

    业务键 key: mof_div_code, fiscal_year, bgt_id
    """

    __entity__: ClassVar[str] = 'budget_indicator'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    bgt_id: BgtIdValue = Field(description='指标主键 / Budget indicator id')
    cor_bgt_doc_no: CorBgtDocNoValue = Field(description='本级指标文号 / Indicator document number')
    bgt_doc_title: BgtDocTitleValue = Field(description='指标文标题 / Indicator document title')
    doc_date: DocDateValue = Field(description='发文日期 / Document date')
    budget_level_code: BudgetLevelCodeValue = Field(description='预算级次代码 / Budget level code')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    exp_func_code: ExpFuncCodeValue = Field(description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    gov_bgt_eco_code: GovBgtEcoCodeValue = Field(description='政府预算支出经济分类科目代码 / Government economic classification code')
    pay_type_code: PayTypeCodeValue = Field(description='支付方式代码 / Payment method code')
    source_type_code: SourceTypeCodeValue = Field(description='指标来源代码 / Indicator source code')
    amount: AmountValue = Field(description='指标金额 / Indicator amount')
    pro_code: ProCodeValue | None = Field(None, description='项目代码 / Project code')
    pro_name: ProNameValue | None = Field(None, description='项目名称 / Project name')
    sup_bgt_doc_no: SupBgtDocNoValue | None = Field(None, description='上级指标文号 / Upper-level indicator document number')
    bgt_dec: BgtDecValue | None = Field(None, description='指标说明 / Indicator description')
    create_time: CreateTimeValue | None = Field(None, description='创建时间 / Creation time')
    update_time: UpdateTimeValue | None = Field(None, description='更新时间 / Last update time')


class DeptBudgetLine(FiscalRecord):
    """部门预算明细 Department budget line (``dept_budget_line``).

    部门预算的一行。人员经费和公用经费由基础资料 ×
    定额计算，记录所引用的定额和数量；项目经费另行列示。

    One line of a department budget. Personnel and routine operating lines are computed as basic
    data × quota and cite the quota and quantity they came from; project lines are added on top.

    业务键 key: mof_div_code, fiscal_year, budget_line_id
    """

    __entity__: ClassVar[str] = 'dept_budget_line'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    budget_line_id: BudgetLineIdValue = Field(description='部门预算明细主键 / Department budget line id')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    exp_category_code: ExpCategoryCodeValue = Field(description='支出类别代码 / Expense category code. 1 人员经费、2 公用经费、3 项目经费。 1 personnel, 2 routine operating (public expense), 3 project.')
    exp_func_code: ExpFuncCodeValue = Field(description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    gov_bgt_eco_code: GovBgtEcoCodeValue = Field(description='政府预算支出经济分类科目代码 / Government economic classification code')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    bgt_line_amt: BgtLineAmtValue = Field(description='部门预算金额 / Department budget amount')
    quota_code: QuotaCodeValue | None = Field(None, description='定额标准代码 / Expense quota code')
    quantity: QuantityValue | None = Field(None, description='计算数量 / Quantity computed from basic data')
    pro_code: ProCodeValue | None = Field(None, description='项目代码 / Project code')
    pro_name: ProNameValue | None = Field(None, description='项目名称 / Project name')


class ExpenseQuota(FiscalRecord):
    """支出定额标准 Expense quota (``expense_quota``).

    统一的支出标准定额，如办公取暖费定额（元/平方米）。

    A unified expense standard, e.g. the heating quota in yuan per square metre.

    业务键 key: mof_div_code, fiscal_year, quota_code
    """

    __entity__: ClassVar[str] = 'expense_quota'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    quota_code: QuotaCodeValue = Field(description='定额标准代码 / Expense quota code')
    quota_name: QuotaNameValue = Field(description='定额标准名称 / Expense quota name')
    quota_basis_code: QuotaBasisCodeValue = Field(description='定额依据代码 / Quota basis code. 定额乘以基础资料中的哪一项（在职人数、核定面积……）。 Which basic-data quantity the quota multiplies (staff, approved area, …).')
    quota_unit: QuotaUnitValue = Field(description='定额计量单位 / Quota unit. 例如 元/平方米、元/人/年、元/辆/年。 E.g. 元/平方米 (yuan per m²), 元/人/年 (yuan per person per year).')
    quota_value: QuotaValueValue = Field(description='定额标准值（元/计量单位） / Quota value (yuan per unit)')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    exp_category_code: ExpCategoryCodeValue = Field(description='支出类别代码 / Expense category code. 1 人员经费、2 公用经费、3 项目经费。 1 personnel, 2 routine operating (public expense), 3 project.')
    calc_desc: CalcDescValue | None = Field(None, description='计算公式说明 / Calculation formula. 例如 办公取暖费=办公用房核定面积×办公取暖费定额。 E.g. heating cost = approved office area × heating quota.')


class FiscalRegion(FiscalRecord):
    """财政区划 Fiscal region (``fiscal_region``).

    省、市、县财政区划及其有效期；区划撤并更名以有效期表示。

    Province, city and county fiscal regions with validity; mergers and renames are validity
    ranges.

    业务键 key: mof_div_code, valid_from
    """

    __entity__: ClassVar[str] = 'fiscal_region'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    mof_div_name: MofDivNameValue = Field(description='财政区划名称 / Fiscal region name')
    div_level_code: DivLevelCodeValue = Field(description='区划级次代码 / Region level code')
    parent_mof_div_code: ParentMofDivCodeValue | None = Field(None, description='上级财政区划代码 / Parent fiscal region code')
    valid_from: ValidFromValue = Field(description='生效日期 / Valid from')
    valid_to: ValidToValue | None = Field(None, description='失效日期 / Valid to (inclusive)')


class FiscalReport(FiscalRecord):
    """财政收支旬报、月报 10-day and monthly revenue and expenditure report (``fiscal_report``).

    由总会计账按固定规则生成并逐级汇总（县→市→省）的收支报表表头。

    The header of a report generated from the ledger and consolidated county → city → province.

    业务键 key: mof_div_code, fiscal_year, report_id
    """

    __entity__: ClassVar[str] = 'fiscal_report'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    report_id: ReportIdValue = Field(description='报表主键 / Report id')
    report_period_code: ReportPeriodCodeValue = Field(description='报表期间类型代码 / Report period type code')
    period_no: PeriodNoValue = Field(description='期间序号 / Period number. 月报为月份 1–12；旬报为全年旬序 1–36（月份×3 − 2 为上旬）。 Month 1–12 for monthly reports; for 10-day reports the dekad of the year 1–36 (month×3−2 is the first dekad).')
    consolidation_scope_code: ConsolidationScopeCodeValue = Field(description='汇总口径代码 / Consolidation scope code')
    report_date: ReportDateValue = Field(description='编报日期 / Report date')


class FiscalReportLine(FiscalRecord):
    """收支报表行 Report line (``fiscal_report_line``).

    报表的一行：一个收入或支出功能分类科目的本期数和本年累计数（两者恰有其一）。

    One line: a revenue or functional classification with its period and year-to-date amounts
    (exactly one classification).

    业务键 key: mof_div_code, fiscal_year, report_id, line_no
    """

    __entity__: ClassVar[str] = 'fiscal_report_line'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    report_id: ReportIdValue = Field(description='报表主键 / Report id')
    line_no: LineNoValue = Field(description='行号 / Line number')
    cur_period_amt: CurPeriodAmtValue = Field(description='本期金额 / Amount for the period')
    ytd_amt: YtdAmtValue = Field(description='本年累计金额 / Year-to-date amount')
    rev_class_code: RevClassCodeValue | None = Field(None, description='收入分类科目代码 / Revenue classification code. 类/款/项/目 3/5/7/9 位，以 1 开头。 类/款/项/目 of 3/5/7/9 digits starting with 1.')
    exp_func_code: ExpFuncCodeValue | None = Field(None, description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')


class IndicatorAdjustment(FiscalRecord):
    """指标调整 Indicator adjustment (``indicator_adjustment``).

    指标的追加、调减、调剂和下达；调减为负数。

    A supplement, reduction, transfer or issuance of an indicator; reductions are negative.

    业务键 key: mof_div_code, fiscal_year, adj_id
    """

    __entity__: ClassVar[str] = 'indicator_adjustment'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    adj_id: AdjIdValue = Field(description='指标调整主键 / Indicator adjustment id')
    bgt_id: BgtIdValue = Field(description='指标主键 / Budget indicator id')
    adj_type_code: AdjTypeCodeValue = Field(description='调整类型代码 / Adjustment type code')
    adj_doc_no: AdjDocNoValue = Field(description='调整文号 / Adjustment document number')
    adj_date: AdjDateValue = Field(description='调整日期 / Adjustment date')
    adj_amt: AdjAmtValue = Field(description='调整金额（调减为负） / Adjustment amount (negative for reductions)')
    ori_bgt_id: OriBgtIdValue | None = Field(None, description='源指标主键 / Source indicator id')
    rec_div_code: RecDivCodeValue | None = Field(None, description='接收方财政区划代码 / Receiving fiscal region code')


class NonTaxPayment(FiscalRecord):
    """非税收入一般缴款书 Non-tax payment notice (``non_tax_payment``).

    执收单位开具的非税收入一般缴款书。

    A general payment notice for non-tax revenue issued by a collecting unit.

    业务键 key: mof_div_code, fiscal_year, nt_pay_voucher_id
    """

    __entity__: ClassVar[str] = 'non_tax_payment'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    nt_pay_voucher_id: NtPayVoucherIdValue = Field(description='缴款书主键 / Non-tax payment notice id')
    non_tax_pay_no: NonTaxPayNoValue = Field(description='非税收入一般缴款书票号 / Non-tax payment notice number')
    exec_agency_code: ExecAgencyCodeValue = Field(description='执收单位代码 / Collecting unit code')
    bill_date: BillDateValue = Field(description='开票日期 / Issue date')
    payer_name: PayerNameValue = Field(description='缴款人全称 / Payer name')
    total_pay_amt: TotalPayAmtValue = Field(description='应缴金额合计 / Total amount due')
    paid_amt: PaidAmtValue = Field(description='缴款金额 / Amount paid in')
    is_reversal: IsReversalValue = Field(description='是否冲销（红字） / Reversal (red-ink) flag. 为 true 表示该记录冲销先前记录，金额可以为负。 True when the record reverses an earlier one; only then may its amount be negative.')
    pay_date: PayDateValue | None = Field(None, description='缴款日期 / Payment-in date')
    payee_acct_no: PayeeAcctNoValue | None = Field(None, description='收款人账号 / Payee account number')
    agent_bank_code: AgentBankCodeValue | None = Field(None, description='代理银行行号 / Agent bank CNAPS code. 支付系统行号（CNAPS），12 位，仅校验格式。 CNAPS bank branch code, 12 digits; format only.')


class NonTaxPaymentLine(FiscalRecord):
    """非税收入缴款书明细 Non-tax payment notice line (``non_tax_payment_line``).

    缴款书的执收项目明细。

    One collected item of a non-tax payment notice.

    业务键 key: mof_div_code, fiscal_year, nt_pay_voucher_id, sort_no
    """

    __entity__: ClassVar[str] = 'non_tax_payment_line'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    nt_pay_voucher_id: NtPayVoucherIdValue = Field(description='缴款书主键 / Non-tax payment notice id')
    sort_no: SortNoValue = Field(description='序号 / Line number')
    non_tax_code: NonTaxCodeValue = Field(description='非税收入执收项目代码 / Non-tax item code')
    non_tax_name: NonTaxNameValue = Field(description='非税收入执收项目名称 / Non-tax item name')
    rev_class_code: RevClassCodeValue = Field(description='收入分类科目代码 / Revenue classification code. 类/款/项/目 3/5/7/9 位，以 1 开头。 类/款/项/目 of 3/5/7/9 digits starting with 1.')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    pay_amt: PayAmtValue = Field(description='支付（缴款）金额 / Amount paid. 支付凭证、支付明细的支付金额；非税缴款书明细的缴款金额。 The amount of a payment voucher or payment line; the amount of a non-tax notice line.')


class PaymentDetail(FiscalRecord):
    """支付明细 Payment line (``payment_detail``).

    支付凭证的明细行，直达个人或企业的补助在此列示收款人。

    A line of a payment voucher; subsidies paid to persons or firms name the payee here.

    业务键 key: mof_div_code, fiscal_year, pay_detail_id
    """

    __entity__: ClassVar[str] = 'payment_detail'
    # C12: personal data (per_name, iden_no) — keep inputs out of error texts and logs
    model_config = ConfigDict(hide_input_in_errors=True)

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    pay_detail_id: PayDetailIdValue = Field(description='支付明细主键 / Payment line id')
    pay_cert_id: PayCertIdValue = Field(description='支付凭证主键 / Payment voucher id')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    payee_acct_name: PayeeAcctNameValue = Field(description='收款人全称 / Payee account name')
    payee_acct_no: PayeeAcctNoValue = Field(description='收款人账号 / Payee account number')
    payee_acct_bank_name: PayeeAcctBankNameValue = Field(description='收款人开户银行 / Payee bank')
    pay_amt: PayAmtValue = Field(description='支付（缴款）金额 / Amount paid. 支付凭证、支付明细的支付金额；非税缴款书明细的缴款金额。 The amount of a payment voucher or payment line; the amount of a non-tax notice line.')
    per_name: PerNameValue | None = Field(None, description="个人姓名 / Person's name")
    iden_no: IdenNoValue | None = Field(None, description='公民身份号码 / Citizen ID number')
    unifsoc_cred_code: UnifsocCredCodeValue | None = Field(None, description='统一社会信用代码 / Unified social credit code. GB 32100-2015，18 位，含校验码。 GB 32100-2015, 18 characters with a check character.')
    town_code: TownCodeValue | None = Field(None, description='街道（乡镇）编码 / Township code')
    add_word: AddWordValue | None = Field(None, description='附言 / Remark')


class PaymentRequest(FiscalRecord):
    """支付申请 Payment request (``payment_request``).

    预算单位提出的国库集中支付申请，每笔申请使用一个指标。

    A budget unit's request for treasury payment; each request spends one indicator.

    业务键 key: mof_div_code, fiscal_year, pay_app_id
    """

    __entity__: ClassVar[str] = 'payment_request'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    pay_app_id: PayAppIdValue = Field(description='支付申请主键 / Payment request id')
    pay_app_no: PayAppNoValue = Field(description='支付申请编号 / Payment request number')
    bgt_id: BgtIdValue = Field(description='指标主键 / Budget indicator id')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    exp_func_code: ExpFuncCodeValue = Field(description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    gov_bgt_eco_code: GovBgtEcoCodeValue = Field(description='政府预算支出经济分类科目代码 / Government economic classification code')
    pay_type_code: PayTypeCodeValue = Field(description='支付方式代码 / Payment method code')
    set_mode_code: SetModeCodeValue = Field(description='结算方式代码 / Settlement method code')
    pay_app_amt: PayAppAmtValue = Field(description='支付申请金额 / Requested amount')
    create_date: CreateDateValue = Field(description='申请日期 / Request date')
    payee_acct_name: PayeeAcctNameValue = Field(description='收款人全称 / Payee account name')
    payee_acct_no: PayeeAcctNoValue = Field(description='收款人账号 / Payee account number')
    payee_acct_bank_name: PayeeAcctBankNameValue = Field(description='收款人开户银行 / Payee bank')
    is_reversal: IsReversalValue = Field(description='是否冲销（红字） / Reversal (red-ink) flag. 为 true 表示该记录冲销先前记录，金额可以为负。 True when the record reverses an earlier one; only then may its amount be negative.')
    pro_code: ProCodeValue | None = Field(None, description='项目代码 / Project code')
    use_des: UseDesValue | None = Field(None, description='用途 / Purpose')


class PaymentVoucher(FiscalRecord):
    """支付凭证 Payment voucher (``payment_voucher``).

    国库集中支付凭证，含清算字段。财政直接支付从国库单一账户付款，财政授权支付从单位零余额账户付
    款， 由代理银行垫付后与国库清算。

    A treasury payment voucher with its clearing fields. Direct payments are paid from the
    treasury single account, authorised payments from the unit's zero-balance account; the agent
    bank advances the money and clears it with the treasury.

    业务键 key: mof_div_code, fiscal_year, pay_cert_id
    """

    __entity__: ClassVar[str] = 'payment_voucher'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    pay_cert_id: PayCertIdValue = Field(description='支付凭证主键 / Payment voucher id')
    pay_cert_no: PayCertNoValue = Field(description='支付凭证号 / Payment voucher number')
    pay_app_id: PayAppIdValue = Field(description='支付申请主键 / Payment request id')
    bgt_id: BgtIdValue = Field(description='指标主键 / Budget indicator id')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    exp_func_code: ExpFuncCodeValue = Field(description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    gov_bgt_eco_code: GovBgtEcoCodeValue = Field(description='政府预算支出经济分类科目代码 / Government economic classification code')
    pay_type_code: PayTypeCodeValue = Field(description='支付方式代码 / Payment method code')
    set_mode_code: SetModeCodeValue = Field(description='结算方式代码 / Settlement method code')
    vou_date: VouDateValue = Field(description='凭证日期 / Voucher date')
    pay_acct_name: PayAcctNameValue = Field(description='付款人全称 / Payer account name')
    pay_acct_no: PayAcctNoValue = Field(description='付款人账号 / Payer account number')
    pay_acct_bank_name: PayAcctBankNameValue = Field(description='付款人开户银行 / Payer bank')
    payee_acct_name: PayeeAcctNameValue = Field(description='收款人全称 / Payee account name')
    payee_acct_no: PayeeAcctNoValue = Field(description='收款人账号 / Payee account number')
    payee_acct_bank_name: PayeeAcctBankNameValue = Field(description='收款人开户银行 / Payee bank')
    pay_amt: PayAmtValue = Field(description='支付（缴款）金额 / Amount paid. 支付凭证、支付明细的支付金额；非税缴款书明细的缴款金额。 The amount of a payment voucher or payment line; the amount of a non-tax notice line.')
    agent_bank_code: AgentBankCodeValue = Field(description='代理银行行号 / Agent bank CNAPS code. 支付系统行号（CNAPS），12 位，仅校验格式。 CNAPS bank branch code, 12 digits; format only.')
    pay_status_code: PayStatusCodeValue = Field(description='支付状态代码 / Payment status code')
    is_reversal: IsReversalValue = Field(description='是否冲销（红字） / Reversal (red-ink) flag. 为 true 表示该记录冲销先前记录，金额可以为负。 True when the record reverses an earlier one; only then may its amount be negative.')
    xpay_date: XpayDateValue | None = Field(None, description='实际支付日期 / Actual payment date')
    clear_id: ClearIdValue | None = Field(None, description='清算批次主键 / Clearing batch id')
    act_lqd_date: ActLqdDateValue | None = Field(None, description='实际清算日期 / Actual clearing date')
    pro_code: ProCodeValue | None = Field(None, description='项目代码 / Project code')
    use_des: UseDesValue | None = Field(None, description='用途 / Purpose')
    update_time: UpdateTimeValue | None = Field(None, description='更新时间 / Last update time')


class PayrollRecord(FiscalRecord):
    """工资统发记录 Unified payroll record (``payroll_record``).

    财政统一发放的工资，每人每月一条；含个人信息，须脱敏处理。

    Centrally paid salary, one record per person per month; carries personal data.

    业务键 key: mof_div_code, fiscal_year, payroll_id
    """

    __entity__: ClassVar[str] = 'payroll_record'
    # C12: personal data (iden_no, per_name, per_acct_no) — keep inputs out of error texts and logs
    model_config = ConfigDict(hide_input_in_errors=True)

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    payroll_id: PayrollIdValue = Field(description='工资发放记录主键 / Payroll record id')
    pay_month: PayMonthValue = Field(description='发放月份 / Payroll month')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    iden_no: IdenNoValue = Field(description='公民身份号码 / Citizen ID number')
    per_name: PerNameValue = Field(description="个人姓名 / Person's name")
    per_acct_no: PerAcctNoValue = Field(description='个人银行账号 / Personal bank account number')
    agent_bank_code: AgentBankCodeValue = Field(description='代理银行行号 / Agent bank CNAPS code. 支付系统行号（CNAPS），12 位，仅校验格式。 CNAPS bank branch code, 12 digits; format only.')
    exp_func_code: ExpFuncCodeValue = Field(description='支出功能分类科目代码 / Functional classification code. 类/款/项 3/5/7 位，以 2 开头；地方可在项下扩展至 13 位。 类/款/项 of 3/5/7 digits starting with 2; local extensions under a 项 up to 13 digits.')
    dep_bgt_eco_code: DepBgtEcoCodeValue = Field(description='部门预算支出经济分类科目代码 / Department economic classification code')
    gross_amt: GrossAmtValue = Field(description='应发金额 / Gross pay')
    deduct_amt: DeductAmtValue = Field(description='扣款金额 / Deductions')
    net_amt: NetAmtValue = Field(description='实发金额 / Net pay')
    bgt_id: BgtIdValue | None = Field(None, description='指标主键 / Budget indicator id')
    pay_cert_id: PayCertIdValue | None = Field(None, description='支付凭证主键 / Payment voucher id')


class SpendingPlan(FiscalRecord):
    """用款计划 Monthly spending plan (``spending_plan``).

    按指标、按月批复的用款计划。

    The approved monthly spending plan of an indicator.

    业务键 key: mof_div_code, fiscal_year, plan_id
    """

    __entity__: ClassVar[str] = 'spending_plan'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    plan_id: PlanIdValue = Field(description='用款计划主键 / Spending plan id')
    bgt_id: BgtIdValue = Field(description='指标主键 / Budget indicator id')
    agency_code: AgencyCodeValue = Field(description='单位代码 / Budget unit code')
    plan_month: PlanMonthValue = Field(description='计划月份 / Plan month')
    pay_type_code: PayTypeCodeValue = Field(description='支付方式代码 / Payment method code')
    fund_type_code: FundTypeCodeValue = Field(description='资金性质代码 / Fund nature code')
    plan_amt: PlanAmtValue = Field(description='计划金额 / Planned amount')


class SubmissionEnvelope(FiscalRecord):
    """报送信封 Submission envelope (``submission_envelope``).

    每个报送文件的信封：报送区划、软件厂商、产品及证书、标准版本、实体、记录数和内容校验和。

    The envelope of each submitted file: submitter region, software vendor, product and
    certificate, standard version, entity, record count and content checksum.

    业务键 key: submission_id, entity_name
    """

    __entity__: ClassVar[str] = 'submission_envelope'

    submission_id: SubmissionIdValue = Field(description='报送批次主键 / Submission id')
    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    product_name: ProductNameValue = Field(description='软件产品名称 / Software product name')
    product_version: ProductVersionValue = Field(description='软件产品版本 / Software product version')
    standard_version: StandardVersionValue = Field(description='标准版本 / Standard version')
    entity_name: EntityNameValue = Field(description='数据实体 / Entity')
    record_count: RecordCountValue = Field(description='记录数 / Record count')
    content_sha256: ContentSha256Value = Field(description='内容校验和（SHA-256） / Content checksum (SHA-256)')
    create_time: CreateTimeValue = Field(description='创建时间 / Creation time')
    cert_no: CertNoValue | None = Field(None, description='符合性证书编号 / Conformance certificate number')
    vendor_name: VendorNameValue | None = Field(None, description='软件厂商 / Software vendor. 生成该报送数据的软件的厂商，与符合性证书上的厂商一致。 The vendor of the software that produced the submission, as named on its conformance certificate.')


class TaxReceipt(FiscalRecord):
    """税收收入入库 Tax receipt into the treasury (``tax_receipt``).

    国库收到的税款入库记录；退库以冲销记录、负数金额表示。

    Tax entering the treasury; refunds are reversal records with negative amounts.

    业务键 key: mof_div_code, fiscal_year, tax_receipt_id
    """

    __entity__: ClassVar[str] = 'tax_receipt'

    mof_div_code: MofDivCodeValue = Field(description='财政区划代码 / Fiscal region code. 6 位 GB/T 2260 行政区划代码加 3 位，河北省为 130000000。 The 6-digit GB/T 2260 division code followed by 3 digits; Hebei province is 130000000.')
    fiscal_year: FiscalYearValue = Field(description="预算年度 / Fiscal year. 四位年度，文本型（与财政部一体化表 VARCHAR2(4) 一致）。 Four-digit year as text (as the Ministry's VARCHAR2(4)).")
    tax_receipt_id: TaxReceiptIdValue = Field(description='税收入库主键 / Tax receipt id')
    tax_bill_no: TaxBillNoValue = Field(description='税票号码 / Tax payment certificate number')
    rev_class_code: RevClassCodeValue = Field(description='收入分类科目代码 / Revenue classification code. 类/款/项/目 3/5/7/9 位，以 1 开头。 类/款/项/目 of 3/5/7/9 digits starting with 1.')
    budget_level_code: BudgetLevelCodeValue = Field(description='预算级次代码 / Budget level code')
    receipt_date: ReceiptDateValue = Field(description='入库日期 / Treasury entry date')
    inc_amt: IncAmtValue = Field(description='入库金额（退库为负） / Amount entered the treasury (negative for refunds)')
    is_reversal: IsReversalValue = Field(description='是否冲销（红字） / Reversal (red-ink) flag. 为 true 表示该记录冲销先前记录，金额可以为负。 True when the record reverses an earlier one; only then may its amount be negative.')
    unifsoc_cred_code: UnifsocCredCodeValue | None = Field(None, description='统一社会信用代码 / Unified social credit code. GB 32100-2015，18 位，含校验码。 GB 32100-2015, 18 characters with a check character.')
    tax_org_code: TaxOrgCodeValue | None = Field(None, description='税务征收机关代码 / Tax office code')


#: entity id → model class
MODELS: dict[str, type[FiscalRecord]] = {
    'accounting_voucher': AccountingVoucher,
    'accounting_voucher_line': AccountingVoucherLine,
    'agency': Agency,
    'agency_basic_data': AgencyBasicData,
    'bank_clearing': BankClearing,
    'budget_indicator': BudgetIndicator,
    'dept_budget_line': DeptBudgetLine,
    'expense_quota': ExpenseQuota,
    'fiscal_region': FiscalRegion,
    'fiscal_report': FiscalReport,
    'fiscal_report_line': FiscalReportLine,
    'indicator_adjustment': IndicatorAdjustment,
    'non_tax_payment': NonTaxPayment,
    'non_tax_payment_line': NonTaxPaymentLine,
    'payment_detail': PaymentDetail,
    'payment_request': PaymentRequest,
    'payment_voucher': PaymentVoucher,
    'payroll_record': PayrollRecord,
    'spending_plan': SpendingPlan,
    'submission_envelope': SubmissionEnvelope,
    'tax_receipt': TaxReceipt,
}

__all__ = [
    "MODELS",
    "STANDARD_ID",
    "STANDARD_VERSION",
    "AccountingVoucher",
    "AccountingVoucherLine",
    "Agency",
    "AgencyBasicData",
    "BankClearing",
    "BudgetIndicator",
    "DeptBudgetLine",
    "ExpenseQuota",
    "FiscalRegion",
    "FiscalReport",
    "FiscalReportLine",
    "IndicatorAdjustment",
    "NonTaxPayment",
    "NonTaxPaymentLine",
    "PaymentDetail",
    "PaymentRequest",
    "PaymentVoucher",
    "PayrollRecord",
    "SpendingPlan",
    "SubmissionEnvelope",
    "TaxReceipt",
]
