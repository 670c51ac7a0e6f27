-- xent.clearing-mismatch：清算金额等于其所含支付凭证金额之和，凭证笔数相符。
-- A bank clearing equals the sum of the payment vouchers that carry its clear_id (same region and year),
-- and voucher_count is their number. Reported on bank_clearing: field clear_amt (value = clear_amt,
-- expected = the vouchers' total, difference = value - expected) and/or field voucher_count (value =
-- voucher_count, expected = the number of vouchers). A clearing no
-- voucher of the submission carries has total 0 and count 0.
-- No cascades: a clearing is not checked when one of its vouchers' pay_amt failed the structural layer
-- (count and amount), nor when its own clear_amt / voucher_count did (that field only); vouchers whose
-- clear_id failed are attributed to no clearing, and no clearing of their region and year is checked.
WITH unsure AS (
    SELECT DISTINCT
        CASE WHEN _ok_mof_div_code THEN mof_div_code END AS mof_div_code,
        CASE WHEN _ok_fiscal_year THEN fiscal_year END AS fiscal_year
    FROM payment_voucher
    WHERE NOT (_ok_mof_div_code AND _ok_fiscal_year AND _ok_clear_id)
),
s AS (
    SELECT mof_div_code, fiscal_year, clear_id,
           SUM(pay_amt) AS total, COUNT(*) AS n,
           SUM(CASE WHEN _ok_pay_amt THEN 0 ELSE 1 END) AS bad
    FROM payment_voucher
    WHERE clear_id IS NOT NULL AND _ok_mof_div_code AND _ok_fiscal_year AND _ok_clear_id
    GROUP BY mof_div_code, fiscal_year, clear_id
),
c AS (
    SELECT
        b._file, b._row, b.mof_div_code, b.fiscal_year, b.clear_id, b.clear_amt, b.voucher_count,
        b._ok_clear_amt, b._ok_voucher_count,
        COALESCE(s.total, CAST(0 AS DECIMAL(18, 2))) AS total, COALESCE(s.n, 0) AS n
    FROM bank_clearing AS b
    LEFT JOIN s ON s.mof_div_code = b.mof_div_code AND s.fiscal_year = b.fiscal_year AND s.clear_id = b.clear_id
    WHERE b._ok_mof_div_code AND b._ok_fiscal_year AND b._ok_clear_id
      AND COALESCE(s.bad, 0) = 0
      AND NOT EXISTS (
          SELECT 1 FROM unsure AS u
          WHERE (u.mof_div_code IS NULL OR u.mof_div_code = b.mof_div_code)
            AND (u.fiscal_year IS NULL OR u.fiscal_year = b.fiscal_year)
      )
)
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || clear_id AS key,
    'clear_amt' AS field,
    CAST(clear_amt AS VARCHAR) AS value,
    CAST(total AS VARCHAR) AS expected,
    clear_amt - total AS difference
FROM c
WHERE _ok_clear_amt AND clear_amt <> total
UNION ALL
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || clear_id AS key,
    'voucher_count' AS field,
    CAST(voucher_count AS VARCHAR) AS value,
    CAST(n AS VARCHAR) AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM c
WHERE _ok_voucher_count AND voucher_count <> n
