-- xent.missing-accounting-voucher：已支付的支付凭证、税收入库和已缴款的非税缴款书都有总会计凭证。
-- Every paid payment voucher (pay_status_code 1 paid or 2 cleared; reversals included), every tax
-- receipt (refunds included) and every paid-in non-tax payment notice (pay_date present) has an
-- accounting voucher generated from it: an accounting_voucher of the same region and year with
-- src_entity = the business entity and src_id = the record's id (pay_cert_id, tax_receipt_id,
-- nt_pay_voucher_id). Reported on the business record, field = that id.
-- The three business entities are optional targets (a submission may hold any of them).
-- No cascades: records whose id or (for payments) pay_status_code failed the structural layer are left
-- out, and nothing is reported for a region and year in which some accounting voucher's mof_div_code,
-- fiscal_year, src_entity or src_id failed it.
WITH unsure AS (
    SELECT DISTINCT
        CASE WHEN _ok_mof_div_code THEN mof_div_code END AS mof_div_code,
        CASE WHEN _ok_fiscal_year THEN fiscal_year END AS fiscal_year
    FROM accounting_voucher
    WHERE NOT (_ok_mof_div_code AND _ok_fiscal_year AND _ok_src_entity AND _ok_src_id)
),
biz AS (
    SELECT 'payment_voucher' AS entity, 'pay_cert_id' AS field, _file, _row,
           mof_div_code, fiscal_year, pay_cert_id AS src_id
    FROM payment_voucher
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_cert_id AND _ok_pay_status_code
      AND pay_status_code IN ('1', '2')
    UNION ALL
    SELECT 'tax_receipt', 'tax_receipt_id', _file, _row, mof_div_code, fiscal_year, tax_receipt_id
    FROM tax_receipt
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_tax_receipt_id
    UNION ALL
    SELECT 'non_tax_payment', 'nt_pay_voucher_id', _file, _row, mof_div_code, fiscal_year, nt_pay_voucher_id
    FROM non_tax_payment
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_nt_pay_voucher_id AND _ok_pay_date
      AND pay_date IS NOT NULL
)
SELECT
    b._file,
    b._row,
    b.entity,
    b.field,
    b.mof_div_code || '|' || b.fiscal_year || '|' || b.src_id AS key,
    b.src_id AS value,
    CAST(NULL AS VARCHAR) AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM biz AS b
WHERE NOT EXISTS (
    SELECT 1 FROM accounting_voucher AS a
    WHERE a.mof_div_code = b.mof_div_code AND a.fiscal_year = b.fiscal_year
      AND a.src_entity = b.entity AND a.src_id = b.src_id
)
  AND NOT EXISTS (
    SELECT 1 FROM unsure AS u
    WHERE (u.mof_div_code IS NULL OR u.mof_div_code = b.mof_div_code)
      AND (u.fiscal_year IS NULL OR u.fiscal_year = b.fiscal_year)
)
