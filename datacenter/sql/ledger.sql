-- 总会计账（本级）：按区划、收支、分类（完整代码），本期与本年累计发生额。
-- A region's own-level ledger by report side and full classification code: the amount of the report
-- period (cur_period_amt) and from the start of the year to its end (ytd_amt).
--   * a voucher line belongs to the side whose acct_prefix its acct_code starts with (dc_rule);
--     amount = sign × (dr_amt − cr_amt); classification = the rule's classification field;
--   * a monthly report (report_period_code 2) takes acct_period; a 10-day report (1) the dekad of
--     acct_date (= (month − 1) × 3 + 1, 2, 3 for days 1–10, 11–20, 21–end), as xent.report-ledger-mismatch.
WITH dc_gl AS (
    SELECT
        l.mof_div_code,
        ru.kind,
        CASE ru.cls_field WHEN 'exp_func_code' THEN l.exp_func_code WHEN 'rev_class_code' THEN l.rev_class_code END AS cls,
        CASE WHEN p.report_period_code = '2' THEN a.acct_period
             ELSE (EXTRACT(MONTH FROM a.acct_date) - 1) * 3
                  + CASE WHEN EXTRACT(DAY FROM a.acct_date) <= 10 THEN 1
                         WHEN EXTRACT(DAY FROM a.acct_date) <= 20 THEN 2
                         ELSE 3 END
        END AS period_no,
        ru.sign * (l.dr_amt - l.cr_amt) AS amt
    FROM accounting_voucher_line AS l
    JOIN accounting_voucher AS a
      ON a.mof_div_code = l.mof_div_code AND a.fiscal_year = l.fiscal_year AND a.acct_voucher_id = l.acct_voucher_id
    JOIN dc_rule AS ru ON SUBSTRING(l.acct_code, 1, LENGTH(ru.acct_prefix)) = ru.acct_prefix
    CROSS JOIN dc_params AS p
)
SELECT
    g.mof_div_code,
    g.kind,
    g.cls,
    SUM(CASE WHEN g.period_no = p.period_no THEN g.amt ELSE CAST(0 AS DECIMAL(18, 2)) END) AS cur_period_amt,
    SUM(g.amt) AS ytd_amt
FROM dc_gl AS g
CROSS JOIN dc_params AS p
WHERE g.cls IS NOT NULL AND g.period_no <= p.period_no
GROUP BY g.mof_div_code, g.kind, g.cls
ORDER BY g.mof_div_code, g.kind, g.cls
