-- xent.payment-detail-sum：支付明细金额之和等于支付凭证金额。
-- The lines (payment_detail) of a payment voucher add up to its pay_amt. Checked for every voucher that
-- has at least one line in the submission; reported on the voucher, field pay_amt, value = pay_amt,
-- expected = the lines' total, difference = value - expected.
-- No cascades: a voucher whose pay_amt, or any of whose lines' pay_amt, failed the structural layer is
-- not checked.
WITH d AS (
    SELECT mof_div_code, fiscal_year, pay_cert_id,
           SUM(pay_amt) AS total,
           SUM(CASE WHEN _ok_pay_amt THEN 0 ELSE 1 END) AS bad
    FROM payment_detail
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_cert_id
    GROUP BY mof_div_code, fiscal_year, pay_cert_id
)
SELECT
    v._file,
    v._row,
    v.mof_div_code || '|' || v.fiscal_year || '|' || v.pay_cert_id AS key,
    CAST(v.pay_amt AS VARCHAR) AS value,
    CAST(d.total AS VARCHAR) AS expected,
    v.pay_amt - d.total AS difference
FROM payment_voucher AS v
JOIN d ON d.mof_div_code = v.mof_div_code AND d.fiscal_year = v.fiscal_year AND d.pay_cert_id = v.pay_cert_id
WHERE v._ok_mof_div_code AND v._ok_fiscal_year AND v._ok_pay_cert_id AND v._ok_pay_amt
  AND d.bad = 0 AND v.pay_amt <> d.total
