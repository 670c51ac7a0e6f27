-- 财政实时状况（按指标）：截至 as_of_date 的指标数、调整、支付、可用余额，已清算与未清算的支付。
-- The position per indicator on as_of_date, from the data as it stood at as_of:
--   amount       = the indicator (doc_date on or before the date);
--   adjusted     = Σ adj_amt of its adjustments dated on or before it (supplements +, reductions −);
--   paid         = Σ pay_amt of its payment vouchers dated (vou_date) on or before it, reversals (−) included;
--   cleared      = the part of paid with a clearing date (act_lqd_date) on or before it;
--   not_cleared  = the rest of the payments whose pay type is cleared through a bank (dc_clearing);
--   available    = amount + adjusted − paid.
-- A payment whose indicator is not in the data still counts (its own fund type and classification,
-- indicator_known = 0): nothing is dropped.
WITH dc_ind AS (
    SELECT i.mof_div_code, i.bgt_id, i.fund_type_code, i.exp_func_code, i.amount
    FROM budget_indicator AS i
    CROSS JOIN dc_params AS p
    WHERE i.doc_date IS NULL OR i.doc_date <= p.as_of_date
),
dc_adj AS (
    SELECT a.mof_div_code, a.bgt_id, SUM(a.adj_amt) AS adjusted
    FROM indicator_adjustment AS a
    CROSS JOIN dc_params AS p
    WHERE a.adj_date IS NULL OR a.adj_date <= p.as_of_date
    GROUP BY a.mof_div_code, a.bgt_id
),
dc_pay AS (
    SELECT
        v.mof_div_code, v.bgt_id,
        MIN(v.fund_type_code) AS fund_type_code,
        MIN(v.exp_func_code) AS exp_func_code,
        SUM(v.pay_amt) AS paid,
        SUM(CASE WHEN v.act_lqd_date IS NOT NULL AND v.act_lqd_date <= p.as_of_date
                 THEN v.pay_amt ELSE CAST(0 AS DECIMAL(18, 2)) END) AS cleared,
        SUM(CASE WHEN v.pay_type_code IN (SELECT pay_type_code FROM dc_clearing)
                  AND (v.act_lqd_date IS NULL OR v.act_lqd_date > p.as_of_date)
                 THEN v.pay_amt ELSE CAST(0 AS DECIMAL(18, 2)) END) AS not_cleared,
        COUNT(*) AS payments
    FROM payment_voucher AS v
    CROSS JOIN dc_params AS p
    WHERE v.vou_date IS NULL OR v.vou_date <= p.as_of_date
    GROUP BY v.mof_div_code, v.bgt_id
)
SELECT
    COALESCE(i.mof_div_code, y.mof_div_code) AS mof_div_code,
    COALESCE(i.bgt_id, y.bgt_id) AS bgt_id,
    COALESCE(i.fund_type_code, y.fund_type_code) AS fund_type_code,
    COALESCE(i.exp_func_code, y.exp_func_code) AS exp_func_code,
    CASE WHEN i.bgt_id IS NULL THEN 0 ELSE 1 END AS indicator_known,
    COALESCE(i.amount, CAST(0 AS DECIMAL(18, 2))) AS amount,
    COALESCE(a.adjusted, CAST(0 AS DECIMAL(18, 2))) AS adjusted,
    COALESCE(y.paid, CAST(0 AS DECIMAL(18, 2))) AS paid,
    COALESCE(y.cleared, CAST(0 AS DECIMAL(18, 2))) AS cleared,
    COALESCE(y.not_cleared, CAST(0 AS DECIMAL(18, 2))) AS not_cleared,
    COALESCE(y.payments, 0) AS payments,
    COALESCE(i.amount, CAST(0 AS DECIMAL(18, 2))) + COALESCE(a.adjusted, CAST(0 AS DECIMAL(18, 2)))
        - COALESCE(y.paid, CAST(0 AS DECIMAL(18, 2))) AS available
FROM dc_ind AS i
LEFT JOIN dc_adj AS a ON a.mof_div_code = i.mof_div_code AND a.bgt_id = i.bgt_id
FULL OUTER JOIN dc_pay AS y ON y.mof_div_code = i.mof_div_code AND y.bgt_id = i.bgt_id
