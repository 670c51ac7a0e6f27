-- xent.orphan-payment：支付凭证引用的指标（bgt_id）必须存在。
-- Every payment voucher references an existing budget indicator: no indicator of the same fiscal year
-- carries its bgt_id in any region of the submission. (When an indicator with that bgt_id exists only in
-- another region, xent.payment-indicator-mismatch reports mof_div_code instead.)
-- No cascades: vouchers whose bgt_id failed the structural layer are left out, and no orphan is
-- reported for a fiscal year in which some indicator's key (mof_div_code, fiscal_year, bgt_id) failed it.
WITH unsure AS (
    SELECT DISTINCT CASE WHEN _ok_fiscal_year THEN fiscal_year END AS fiscal_year
    FROM budget_indicator
    WHERE NOT (_ok_mof_div_code AND _ok_fiscal_year AND _ok_bgt_id)
)
SELECT
    p._file,
    p._row,
    p.mof_div_code || '|' || p.fiscal_year || '|' || p.pay_cert_id AS key,
    p.bgt_id AS value,
    CAST(NULL AS VARCHAR) AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM payment_voucher AS p
WHERE p._ok_mof_div_code AND p._ok_fiscal_year AND p._ok_pay_cert_id AND p._ok_bgt_id
  AND NOT EXISTS (
      SELECT 1 FROM budget_indicator AS i
      WHERE i.fiscal_year = p.fiscal_year AND i.bgt_id = p.bgt_id
        AND i._ok_mof_div_code AND i._ok_fiscal_year AND i._ok_bgt_id
  )
  AND NOT EXISTS (
      SELECT 1 FROM unsure AS u WHERE u.fiscal_year IS NULL OR u.fiscal_year = p.fiscal_year
  )
