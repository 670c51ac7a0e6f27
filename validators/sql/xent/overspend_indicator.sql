-- xent.overspend-indicator：累计支付不得超过指标金额加调整金额。
-- Cumulative payments of an indicator never exceed its amount plus all its adjustments
-- (indicator_adjustment.adj_amt on the same region, year and bgt_id; reductions are negative; a transfer
-- is one record on each indicator). Payments are the indicator's vouchers in vou_date, pay_cert_id
-- order, reversals (negative) included, returned vouchers (pay_status_code 3) excluded. The voucher
-- whose running total first exceeds the limit is reported, field pay_amt: value = its pay_amt,
-- expected = the balance left before it (limit - previous running total), difference = running total -
-- limit (the excess). Later vouchers of the same indicator are not reported again.
-- No cascades: an indicator is not checked when its amount, any of its adjustments' adj_amt, or any of
-- its vouchers' pay_amt, vou_date or pay_status_code failed the structural layer.
WITH adj AS (
    SELECT mof_div_code, fiscal_year, bgt_id,
           SUM(adj_amt) AS total,
           SUM(CASE WHEN _ok_adj_amt THEN 0 ELSE 1 END) AS bad
    FROM indicator_adjustment
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_bgt_id
    GROUP BY mof_div_code, fiscal_year, bgt_id
),
lim AS (
    SELECT i.mof_div_code, i.fiscal_year, i.bgt_id,
           i.amount + COALESCE(a.total, CAST(0 AS DECIMAL(18, 2))) AS limit_amt
    FROM budget_indicator AS i
    LEFT JOIN adj AS a ON a.mof_div_code = i.mof_div_code AND a.fiscal_year = i.fiscal_year AND a.bgt_id = i.bgt_id
    WHERE i._ok_mof_div_code AND i._ok_fiscal_year AND i._ok_bgt_id AND i._ok_amount
      AND COALESCE(a.bad, 0) = 0
),
v AS (
    SELECT
        _file, _row, mof_div_code, fiscal_year, pay_cert_id, bgt_id, vou_date, pay_amt,
        CASE WHEN _ok_pay_amt AND _ok_vou_date AND _ok_pay_status_code THEN 0 ELSE 1 END AS bad
    FROM payment_voucher
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_bgt_id AND _ok_pay_cert_id
      AND (pay_status_code IS NULL OR pay_status_code <> '3')
),
-- a running total can exceed the limit only where the positive payments together do
cand AS (
    SELECT v.mof_div_code, v.fiscal_year, v.bgt_id, lim.limit_amt
    FROM v
    JOIN lim ON lim.mof_div_code = v.mof_div_code AND lim.fiscal_year = v.fiscal_year AND lim.bgt_id = v.bgt_id
    GROUP BY v.mof_div_code, v.fiscal_year, v.bgt_id, lim.limit_amt
    HAVING SUM(v.bad) = 0 AND SUM(CASE WHEN v.pay_amt > 0 THEN v.pay_amt ELSE 0 END) > lim.limit_amt
),
p AS (
    SELECT
        v.*, c.limit_amt,
        SUM(v.pay_amt) OVER (
            PARTITION BY v.mof_div_code, v.fiscal_year, v.bgt_id
            ORDER BY v.vou_date, v.pay_cert_id, v._file, v._row
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running
    FROM v
    JOIN cand AS c ON c.mof_div_code = v.mof_div_code AND c.fiscal_year = v.fiscal_year AND c.bgt_id = v.bgt_id
),
x AS (
    SELECT p.*,
           ROW_NUMBER() OVER (
               PARTITION BY p.mof_div_code, p.fiscal_year, p.bgt_id
               ORDER BY p.vou_date, p.pay_cert_id, p._file, p._row
           ) AS n
    FROM p
    WHERE p.running > p.limit_amt
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    CAST(pay_amt AS VARCHAR) AS value,
    CAST(limit_amt - (running - pay_amt) AS VARCHAR) AS expected,
    running - limit_amt AS difference
FROM x
WHERE n = 1
