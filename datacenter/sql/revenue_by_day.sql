-- 按日收入：截至 as_of_date，每个区划每天入库的税收（tax_receipt.inc_amt，按 receipt_date）与
-- 缴入的非税收入（non_tax_payment.paid_amt，按 pay_date；未缴款的通知书不算），退库为负数。
-- Revenue received by day up to as_of_date: tax receipts (inc_amt by receipt_date) and non-tax
-- payments actually paid (paid_amt by pay_date; unpaid notices are not revenue); refunds negative.
WITH dc_rev AS (
    SELECT t.mof_div_code, t.receipt_date AS day, 'tax' AS source, t.inc_amt AS amt
    FROM tax_receipt AS t
    UNION ALL
    SELECT n.mof_div_code, n.pay_date AS day, 'non_tax' AS source, n.paid_amt AS amt
    FROM non_tax_payment AS n
    WHERE n.pay_date IS NOT NULL AND n.paid_amt IS NOT NULL
)
SELECT r.mof_div_code, r.day, r.source, SUM(r.amt) AS amount, COUNT(*) AS records
FROM dc_rev AS r
CROSS JOIN dc_params AS p
WHERE r.day <= p.as_of_date
GROUP BY r.mof_div_code, r.day, r.source
ORDER BY r.mof_div_code, r.day, r.source
