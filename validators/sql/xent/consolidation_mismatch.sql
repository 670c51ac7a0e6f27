-- xent.consolidation-mismatch：汇总报表（口径 2）= 本级报表 + 所属下级的报表。
-- A region's consolidated report (consolidation_scope_code 2) equals, line by line (same
-- classification code, same report period type and period_no), its own this-level report (scope 1) plus
-- the reports of its direct lower-level regions: for each lower region its consolidated report when the
-- submission holds one for that period, else its this-level report. A city's consolidated report is thus
-- its own level plus its counties'; the province's is its own level plus its cities'.
-- The hierarchy is fiscal_region (parent_mof_div_code; a region counts when its validity overlaps the
-- fiscal year); when the submission has no fiscal_region, the mof_div code list stands in
-- (params.fallback → codelist_mof_div).
-- Checked only when the submission holds the region's own this-level report for the period and at least
-- one lower region's report for it (otherwise the consolidation cannot be verified from this submission).
-- A classification missing from a lower report counts as 0. Reported on the consolidated report's line,
-- field cur_period_amt: value = its amount, expected = own + lower, difference = value - expected. The
-- year-to-date amounts follow from this rule and xrec.ytd-mismatch and are not compared again.
-- No cascades: a consolidated report is not checked for a period in which one of the reports it is made
-- of has a line whose classification or cur_period_amt failed the structural layer, nor when a report
-- header of its own region or of a lower region has a period or scope that failed it.
WITH hdr AS (
    SELECT mof_div_code, fiscal_year, report_id, report_period_code, period_no, consolidation_scope_code,
           _ok_report_period_code AND _ok_period_no AND _ok_consolidation_scope_code AS ok
    FROM fiscal_report
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_report_id
),
unsure AS (
    SELECT DISTINCT mof_div_code, fiscal_year FROM hdr WHERE NOT ok
),
h AS (
    SELECT mof_div_code, fiscal_year, report_id, report_period_code, period_no, consolidation_scope_code
    FROM hdr
    WHERE ok AND report_period_code IN ('1', '2') AND consolidation_scope_code IN ('1', '2')
),
l AS (
    SELECT
        ln._file, ln._row, ln.mof_div_code, ln.fiscal_year, ln.report_id, ln.line_no, ln.cur_period_amt,
        COALESCE(ln.exp_func_code, ln.rev_class_code) AS cls,
        h.report_period_code, h.period_no, h.consolidation_scope_code AS scope,
        CASE WHEN ln._ok_cur_period_amt AND ln._ok_exp_func_code AND ln._ok_rev_class_code AND ln._ok_line_no
                  AND (ln.exp_func_code IS NULL) <> (ln.rev_class_code IS NULL) THEN 0 ELSE 1 END AS bad
    FROM fiscal_report_line AS ln
    JOIN h ON h.mof_div_code = ln.mof_div_code AND h.fiscal_year = ln.fiscal_year AND h.report_id = ln.report_id
    WHERE ln._ok_mof_div_code AND ln._ok_fiscal_year AND ln._ok_report_id
),
rep AS (
    SELECT mof_div_code, fiscal_year, report_period_code, period_no,
           MAX(consolidation_scope_code) AS use_scope,
           MIN(consolidation_scope_code) AS min_scope
    FROM h
    GROUP BY mof_div_code, fiscal_year, report_period_code, period_no
),
cons AS (
    SELECT DISTINCT mof_div_code, fiscal_year, report_period_code, period_no
    FROM h
    WHERE consolidation_scope_code = '2'
),
kid AS (
    SELECT DISTINCT c.mof_div_code, c.fiscal_year, c.report_period_code, c.period_no, g.mof_div_code AS child
    FROM cons AS c
    JOIN fiscal_region AS g
      ON g.parent_mof_div_code = c.mof_div_code
     AND g._ok_mof_div_code AND g._ok_parent_mof_div_code AND g._ok_valid_from AND g._ok_valid_to
     AND (g.valid_from IS NULL OR g.valid_from <= CAST(c.fiscal_year || '-12-31' AS DATE))
     AND (g.valid_to IS NULL OR g.valid_to >= CAST(c.fiscal_year || '-01-01' AS DATE))
),
kid_rep AS (
    SELECT k.mof_div_code, k.fiscal_year, k.report_period_code, k.period_no, k.child, r.use_scope
    FROM kid AS k
    JOIN rep AS r
      ON r.mof_div_code = k.child AND r.fiscal_year = k.fiscal_year
     AND r.report_period_code = k.report_period_code AND r.period_no = k.period_no
),
parts AS (
    SELECT c.mof_div_code, c.fiscal_year, c.report_period_code, c.period_no, l.cls, l.cur_period_amt AS amt, l.bad
    FROM cons AS c
    JOIN l
      ON l.mof_div_code = c.mof_div_code AND l.fiscal_year = c.fiscal_year
     AND l.report_period_code = c.report_period_code AND l.period_no = c.period_no AND l.scope = '1'
    UNION ALL
    SELECT k.mof_div_code, k.fiscal_year, k.report_period_code, k.period_no, l.cls, l.cur_period_amt, l.bad
    FROM kid_rep AS k
    JOIN l
      ON l.mof_div_code = k.child AND l.fiscal_year = k.fiscal_year
     AND l.report_period_code = k.report_period_code AND l.period_no = k.period_no AND l.scope = k.use_scope
),
ready AS (
    SELECT c.mof_div_code, c.fiscal_year, c.report_period_code, c.period_no
    FROM cons AS c
    JOIN rep AS own
      ON own.mof_div_code = c.mof_div_code AND own.fiscal_year = c.fiscal_year
     AND own.report_period_code = c.report_period_code AND own.period_no = c.period_no
     AND own.min_scope = '1'
    WHERE EXISTS (
            SELECT 1 FROM kid_rep AS k
            WHERE k.mof_div_code = c.mof_div_code AND k.fiscal_year = c.fiscal_year
              AND k.report_period_code = c.report_period_code AND k.period_no = c.period_no)
      AND NOT EXISTS (
            SELECT 1 FROM parts AS p
            WHERE p.mof_div_code = c.mof_div_code AND p.fiscal_year = c.fiscal_year
              AND p.report_period_code = c.report_period_code AND p.period_no = c.period_no AND p.bad > 0)
      AND NOT EXISTS (
            SELECT 1 FROM unsure AS u
            WHERE u.fiscal_year = c.fiscal_year AND u.mof_div_code = c.mof_div_code)
      -- (a subquery refers only to the query just outside it: Spark resolves no deeper correlation)
      AND NOT EXISTS (
            SELECT 1 FROM kid AS k
            JOIN unsure AS u ON u.mof_div_code = k.child AND u.fiscal_year = k.fiscal_year
            WHERE k.mof_div_code = c.mof_div_code AND k.fiscal_year = c.fiscal_year
              AND k.report_period_code = c.report_period_code AND k.period_no = c.period_no)
),
expected AS (
    SELECT mof_div_code, fiscal_year, report_period_code, period_no, cls, SUM(amt) AS amt
    FROM parts
    GROUP BY mof_div_code, fiscal_year, report_period_code, period_no, cls
)
SELECT
    l._file,
    l._row,
    l.mof_div_code || '|' || l.fiscal_year || '|' || l.report_id || '|' || CAST(l.line_no AS VARCHAR) AS key,
    CAST(l.cur_period_amt AS VARCHAR) AS value,
    CAST(COALESCE(e.amt, CAST(0 AS DECIMAL(18, 2))) AS VARCHAR) AS expected,
    l.cur_period_amt - COALESCE(e.amt, CAST(0 AS DECIMAL(18, 2))) AS difference
FROM l
JOIN ready AS r
  ON r.mof_div_code = l.mof_div_code AND r.fiscal_year = l.fiscal_year
 AND r.report_period_code = l.report_period_code AND r.period_no = l.period_no
LEFT JOIN expected AS e
  ON e.mof_div_code = l.mof_div_code AND e.fiscal_year = l.fiscal_year
 AND e.report_period_code = l.report_period_code AND e.period_no = l.period_no AND e.cls = l.cls
WHERE l.scope = '2' AND l.bad = 0 AND l.cur_period_amt <> COALESCE(e.amt, CAST(0 AS DECIMAL(18, 2)))
