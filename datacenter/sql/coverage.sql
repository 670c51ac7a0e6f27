-- 报送覆盖：各区划当时有效的总会计账数据版本及其期间（YYYY 全年、YYYY-MM 月、YYYY-MM-Dn 旬）。
-- Which periods of its ledger each region in scope had submitted as of the moment: the data versions
-- of accounting_voucher and accounting_voucher_line current then, with their period. A region whose
-- versions do not cover a report period has not submitted it — it is listed, never taken as zero.
WITH dc_v AS (
    SELECT v.mof_div_code, v.entity, v.period
    FROM gw_data_version AS v
    CROSS JOIN dc_params AS p
    WHERE v.fiscal_year = p.fiscal_year_num
      AND v.entity IN ('accounting_voucher', 'accounting_voucher_line')
      AND v.mof_div_code IN (SELECT mof_div_code FROM dc_scope)
      AND v.valid_from <= p.as_of AND (v.valid_to IS NULL OR v.valid_to > p.as_of)
)
SELECT mof_div_code, period, COUNT(DISTINCT entity) AS entities
FROM dc_v
GROUP BY mof_div_code, period
ORDER BY mof_div_code, period
