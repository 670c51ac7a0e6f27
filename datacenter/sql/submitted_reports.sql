-- 报送的旬报/月报：所查期间及其上一期，本级（口径 1）与汇总（口径 2），每行的收支与分类。
-- The submitted reports of the period and of the period before (for year-to-date continuity), both
-- scopes (consolidation_scope_code 1 this level, 2 consolidated). A report without lines still shows
-- (line_no NULL): it was submitted. A line's side is the rule whose report_field it carries.
WITH dc_h AS (
    SELECT h.mof_div_code, h.fiscal_year, h.report_id, h.consolidation_scope_code AS scope, h.period_no
    FROM fiscal_report AS h
    CROSS JOIN dc_params AS p
    WHERE h.report_period_code = p.report_period_code
      AND (h.period_no = p.period_no OR h.period_no = p.period_no - 1)
),
dc_l AS (
    SELECT
        ln.mof_div_code, ln.fiscal_year, ln.report_id, ln.line_no, ru.kind,
        CASE ru.report_field WHEN 'exp_func_code' THEN ln.exp_func_code WHEN 'rev_class_code' THEN ln.rev_class_code END AS cls,
        ln.cur_period_amt, ln.ytd_amt
    FROM fiscal_report_line AS ln
    JOIN dc_rule AS ru
      ON (CASE ru.report_field WHEN 'exp_func_code' THEN ln.exp_func_code WHEN 'rev_class_code' THEN ln.rev_class_code END) IS NOT NULL
)
SELECT h.mof_div_code, h.report_id, h.scope, h.period_no, l.line_no, l.kind, l.cls, l.cur_period_amt, l.ytd_amt
FROM dc_h AS h
LEFT JOIN dc_l AS l
  ON l.mof_div_code = h.mof_div_code AND l.fiscal_year = h.fiscal_year AND l.report_id = h.report_id
ORDER BY h.mof_div_code, h.scope, h.period_no, l.line_no
