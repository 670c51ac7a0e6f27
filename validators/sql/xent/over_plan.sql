-- xent.over-plan：指标每月的支付不得超过当月批复的用款计划。
-- The payments of an indicator in a month (month of vou_date) stay within that month's approved spending
-- plan (the sum of spending_plan.plan_amt for the region, year, bgt_id and plan_month; no plan that month
-- = 0). Only indicators with at least one plan record in the submission are checked. Payments are the
-- vouchers in vou_date, pay_cert_id order, reversals included, returned vouchers (pay_status_code 3)
-- excluded. The voucher whose running monthly total first exceeds the plan is reported, field pay_amt:
-- value = its pay_amt, expected = the plan left before it, difference = running total - plan (the
-- excess). Later vouchers of the same indicator and month are not reported again.
-- No cascades: an indicator is not checked when any of its plans' plan_month or plan_amt, or any of its
-- vouchers' pay_amt, vou_date or pay_status_code, failed the structural layer.
WITH plan AS (
    SELECT mof_div_code, fiscal_year, bgt_id, plan_month,
           SUM(plan_amt) AS plan_amt,
           SUM(CASE WHEN _ok_plan_month AND _ok_plan_amt THEN 0 ELSE 1 END) AS bad
    FROM spending_plan
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_bgt_id
    GROUP BY mof_div_code, fiscal_year, bgt_id, plan_month
),
planned AS (
    SELECT mof_div_code, fiscal_year, bgt_id, SUM(bad) AS bad
    FROM plan
    GROUP BY mof_div_code, fiscal_year, bgt_id
),
v AS (
    SELECT
        v._file, v._row, v.mof_div_code, v.fiscal_year, v.pay_cert_id, v.bgt_id, v.vou_date, v.pay_amt,
        EXTRACT(MONTH FROM v.vou_date) AS m,
        CASE WHEN v._ok_pay_amt AND v._ok_vou_date AND v._ok_pay_status_code THEN 0 ELSE 1 END AS bad
    FROM payment_voucher AS v
    JOIN planned AS k ON k.mof_div_code = v.mof_div_code AND k.fiscal_year = v.fiscal_year AND k.bgt_id = v.bgt_id
    WHERE v._ok_mof_div_code AND v._ok_fiscal_year AND v._ok_bgt_id AND v._ok_pay_cert_id
      AND k.bad = 0
      AND (v.pay_status_code IS NULL OR v.pay_status_code <> '3')
),
clean AS (
    SELECT mof_div_code, fiscal_year, bgt_id
    FROM v
    GROUP BY mof_div_code, fiscal_year, bgt_id
    HAVING SUM(bad) = 0
),
-- a running monthly total can exceed the plan only where the month's positive payments together do
cand AS (
    SELECT v.mof_div_code, v.fiscal_year, v.bgt_id, v.m, COALESCE(pl.plan_amt, CAST(0 AS DECIMAL(18, 2))) AS plan_amt
    FROM v
    JOIN clean AS c ON c.mof_div_code = v.mof_div_code AND c.fiscal_year = v.fiscal_year AND c.bgt_id = v.bgt_id
    LEFT JOIN plan AS pl
      ON pl.mof_div_code = v.mof_div_code AND pl.fiscal_year = v.fiscal_year AND pl.bgt_id = v.bgt_id
     AND pl.plan_month = v.m
    GROUP BY v.mof_div_code, v.fiscal_year, v.bgt_id, v.m, COALESCE(pl.plan_amt, CAST(0 AS DECIMAL(18, 2)))
    HAVING SUM(CASE WHEN v.pay_amt > 0 THEN v.pay_amt ELSE 0 END) > COALESCE(pl.plan_amt, CAST(0 AS DECIMAL(18, 2)))
),
p AS (
    SELECT
        v.*, c.plan_amt,
        SUM(v.pay_amt) OVER (
            PARTITION BY v.mof_div_code, v.fiscal_year, v.bgt_id, v.m
            ORDER BY v.vou_date, v.pay_cert_id, v._file, v._row
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running
    FROM v
    JOIN cand AS c
      ON c.mof_div_code = v.mof_div_code AND c.fiscal_year = v.fiscal_year AND c.bgt_id = v.bgt_id AND c.m = v.m
),
x AS (
    SELECT p.*,
           ROW_NUMBER() OVER (
               PARTITION BY p.mof_div_code, p.fiscal_year, p.bgt_id, p.m
               ORDER BY p.vou_date, p.pay_cert_id, p._file, p._row
           ) AS n
    FROM p
    WHERE p.running > p.plan_amt
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    CAST(pay_amt AS VARCHAR) AS value,
    CAST(plan_amt - (running - pay_amt) AS VARCHAR) AS expected,
    running - plan_amt AS difference
FROM x
WHERE n = 1
