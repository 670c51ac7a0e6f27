-- xent.report-ledger-mismatch：本级（汇总口径 1）旬报、月报的本期金额等于总会计账同期发生额。
-- Every line of a this-level report (consolidation_scope_code 1) equals the ledger of the same region
-- and year for the period, by classification:
--   * the ledger amount of a line is the sum over accounting voucher lines whose classification starts
--     with the line's code (a 类 line takes its 款 and 项): expenditure = dr_amt - cr_amt on accounts
--     5… carrying exp_func_code, revenue = cr_amt - dr_amt on accounts 4… carrying rev_class_code;
--   * the period: a monthly report (report_period_code 2) takes the vouchers with acct_period =
--     period_no; a 10-day report (code 1) those whose acct_date falls in dekad period_no
--     (= (month - 1) × 3 + 1, 2, 3 for days 1–10, 11–20, 21–end).
-- Checked only for a region and year with at least one accounting voucher in the submission.
-- field cur_period_amt, value = the report's amount, expected = the ledger's, difference = value - expected.
-- No cascades: nothing is checked for a region and year in which an accounting voucher's acct_period or
-- acct_date, or a line's acct_code, classification or amounts, failed the structural layer; report
-- lines whose own period, classification or amount failed are left out.
WITH h AS (
    SELECT mof_div_code, fiscal_year, report_id, report_period_code, period_no
    FROM fiscal_report
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_report_id AND _ok_report_period_code
      AND _ok_consolidation_scope_code AND _ok_period_no
      AND consolidation_scope_code = '1' AND report_period_code IN ('1', '2')
),
rl AS (
    SELECT
        ln._file, ln._row, ln.mof_div_code, ln.fiscal_year, ln.report_id, ln.line_no, ln.cur_period_amt,
        COALESCE(ln.exp_func_code, ln.rev_class_code) AS cls,
        h.report_period_code, h.period_no
    FROM fiscal_report_line AS ln
    JOIN h ON h.mof_div_code = ln.mof_div_code AND h.fiscal_year = ln.fiscal_year AND h.report_id = ln.report_id
    WHERE ln._ok_mof_div_code AND ln._ok_fiscal_year AND ln._ok_report_id AND ln._ok_line_no
      AND ln._ok_cur_period_amt AND ln._ok_exp_func_code AND ln._ok_rev_class_code
      AND (ln.exp_func_code IS NULL) <> (ln.rev_class_code IS NULL)
),
av AS (
    SELECT mof_div_code, fiscal_year, acct_voucher_id, acct_period, acct_date,
           CASE WHEN _ok_acct_period AND _ok_acct_date THEN 0 ELSE 1 END AS bad
    FROM accounting_voucher
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_acct_voucher_id
),
gl_lines AS (
    SELECT
        l.mof_div_code, l.fiscal_year, a.acct_period,
        (EXTRACT(MONTH FROM a.acct_date) - 1) * 3
            + CASE WHEN EXTRACT(DAY FROM a.acct_date) <= 10 THEN 1
                   WHEN EXTRACT(DAY FROM a.acct_date) <= 20 THEN 2
                   ELSE 3 END AS dekad,
        CASE SUBSTRING(l.acct_code, 1, 1) WHEN '5' THEN l.exp_func_code WHEN '4' THEN l.rev_class_code END AS code,
        CASE SUBSTRING(l.acct_code, 1, 1) WHEN '5' THEN l.dr_amt - l.cr_amt ELSE l.cr_amt - l.dr_amt END AS amt,
        a.bad + CASE WHEN l._ok_acct_code AND l._ok_dr_amt AND l._ok_cr_amt AND l._ok_exp_func_code
                          AND l._ok_rev_class_code THEN 0 ELSE 1 END AS bad
    FROM accounting_voucher_line AS l
    JOIN av AS a ON a.mof_div_code = l.mof_div_code AND a.fiscal_year = l.fiscal_year AND a.acct_voucher_id = l.acct_voucher_id
    WHERE l._ok_mof_div_code AND l._ok_fiscal_year AND l._ok_acct_voucher_id
),
region AS (
    SELECT mof_div_code, fiscal_year, SUM(bad) AS bad
    FROM gl_lines
    GROUP BY mof_div_code, fiscal_year
),
gl AS (
    SELECT mof_div_code, fiscal_year, acct_period, dekad, code, SUM(amt) AS amt
    FROM gl_lines
    WHERE bad = 0 AND code IS NOT NULL
    GROUP BY mof_div_code, fiscal_year, acct_period, dekad, code
),
cmp AS (
    SELECT
        rl._file, rl._row, rl.mof_div_code, rl.fiscal_year, rl.report_id, rl.line_no, rl.cur_period_amt,
        COALESCE(SUM(gl.amt), CAST(0 AS DECIMAL(18, 2))) AS ledger
    FROM rl
    JOIN region AS r ON r.mof_div_code = rl.mof_div_code AND r.fiscal_year = rl.fiscal_year AND r.bad = 0
    LEFT JOIN gl
      ON gl.mof_div_code = rl.mof_div_code AND gl.fiscal_year = rl.fiscal_year
     AND ((rl.report_period_code = '2' AND gl.acct_period = rl.period_no)
       OR (rl.report_period_code = '1' AND gl.dekad = rl.period_no))
     AND SUBSTRING(gl.code, 1, LENGTH(rl.cls)) = rl.cls
    GROUP BY rl._file, rl._row, rl.mof_div_code, rl.fiscal_year, rl.report_id, rl.line_no, rl.cur_period_amt
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || report_id || '|' || CAST(line_no AS VARCHAR) AS key,
    CAST(cur_period_amt AS VARCHAR) AS value,
    CAST(ledger AS VARCHAR) AS expected,
    cur_period_amt - ledger AS difference
FROM cmp
WHERE cur_period_amt <> ledger
