-- xrec.ytd-mismatch：报表行的本年累计 = 上一期同口径同科目的本年累计 + 本期金额。
-- A report line's year-to-date amount equals the previous period's year-to-date amount of the same
-- classification (same region, year, report period type and consolidation scope) plus the current
-- period's amount. The first period of the year (period_no = 1) must have ytd = current. A later period
-- is checked only when the submission holds the previous period's report; a classification absent from
-- that report counts as 0. Only the FIRST break of each chain (region, year, period type, scope,
-- classification; lowest period_no) is reported: a wrong year-to-date amount also breaks the next
-- period's sum, and that is the same defect. value = ytd_amt, expected = previous ytd + cur_period_amt,
-- difference = value - expected.
-- No cascades: lines (or their report headers) whose period, classification or amounts failed the
-- structural layer are left out, and so is a line whose previous-period line is such a line.
WITH h AS (
    SELECT mof_div_code, fiscal_year, report_id, report_period_code, consolidation_scope_code, period_no
    FROM fiscal_report
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_report_id AND _ok_report_period_code
      AND _ok_consolidation_scope_code AND _ok_period_no
),
l AS (
    SELECT
        ln._file, ln._row, ln.mof_div_code, ln.fiscal_year, ln.report_id, ln.line_no,
        ln.cur_period_amt, ln.ytd_amt,
        COALESCE(ln.exp_func_code, ln.rev_class_code) AS cls,
        CASE WHEN ln._ok_cur_period_amt AND ln._ok_ytd_amt THEN 0 ELSE 1 END AS bad,
        h.report_period_code, h.consolidation_scope_code, h.period_no
    FROM fiscal_report_line AS ln
    JOIN h ON h.mof_div_code = ln.mof_div_code AND h.fiscal_year = ln.fiscal_year AND h.report_id = ln.report_id
    WHERE ln._ok_mof_div_code AND ln._ok_fiscal_year AND ln._ok_report_id AND ln._ok_line_no
      AND ln._ok_exp_func_code AND ln._ok_rev_class_code
      AND (ln.exp_func_code IS NULL) <> (ln.rev_class_code IS NULL)
),
prev_report AS (
    SELECT DISTINCT mof_div_code, fiscal_year, report_period_code, consolidation_scope_code, period_no
    FROM h
),
prev_line AS (
    SELECT mof_div_code, fiscal_year, report_period_code, consolidation_scope_code, period_no, cls,
           SUM(ytd_amt) AS ytd, SUM(bad) AS bad
    FROM l
    GROUP BY mof_div_code, fiscal_year, report_period_code, consolidation_scope_code, period_no, cls
),
c AS (
    SELECT
        l.*,
        CASE WHEN l.period_no = 1 THEN l.cur_period_amt
             ELSE COALESCE(p.ytd, CAST(0 AS DECIMAL(18, 2))) + l.cur_period_amt END AS expected_ytd,
        COALESCE(p.bad, 0) AS prev_bad
    FROM l
    LEFT JOIN prev_report AS r
      ON r.mof_div_code = l.mof_div_code AND r.fiscal_year = l.fiscal_year
     AND r.report_period_code = l.report_period_code
     AND r.consolidation_scope_code = l.consolidation_scope_code
     AND r.period_no = l.period_no - 1
    LEFT JOIN prev_line AS p
      ON p.mof_div_code = l.mof_div_code AND p.fiscal_year = l.fiscal_year
     AND p.report_period_code = l.report_period_code
     AND p.consolidation_scope_code = l.consolidation_scope_code
     AND p.period_no = l.period_no - 1 AND p.cls = l.cls
    WHERE l.bad = 0 AND (l.period_no = 1 OR r.period_no IS NOT NULL)
),
broken AS (
    SELECT c.*,
           ROW_NUMBER() OVER (
               PARTITION BY mof_div_code, fiscal_year, report_period_code, consolidation_scope_code, cls
               ORDER BY period_no, _file, _row
           ) AS n
    FROM c
    WHERE prev_bad = 0 AND ytd_amt <> expected_ytd
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || report_id || '|' || CAST(line_no AS VARCHAR) AS key,
    CAST(ytd_amt AS VARCHAR) AS value,
    CAST(expected_ytd AS VARCHAR) AS expected,
    ytd_amt - expected_ytd AS difference
FROM broken
WHERE n = 1
