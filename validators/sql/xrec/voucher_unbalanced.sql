-- xrec.voucher-unbalanced：每张总会计凭证的借方合计等于贷方合计。
-- Debits equal credits on every accounting voucher. Reported once per voucher, on the first line (lowest
-- line_no) of the HEAVIER side: when the debits exceed the credits, the first line with a non-zero
-- dr_amt, field dr_amt, value = total debits, expected = total credits; when the credits exceed the
-- debits, the first line with a non-zero cr_amt, field cr_amt, value = total credits, expected = total
-- debits (the voucher's first line when that side has no non-zero line). difference = value - expected
-- (the excess). The rule needs only accounting_voucher_line.
-- No cascades: a voucher with any line whose line_no, dr_amt or cr_amt failed the structural layer is
-- not summed at all.
WITH l AS (
    SELECT
        _file, _row, mof_div_code, fiscal_year, acct_voucher_id, line_no, dr_amt, cr_amt,
        CASE WHEN _ok_line_no AND _ok_dr_amt AND _ok_cr_amt THEN 0 ELSE 1 END AS bad
    FROM accounting_voucher_line
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_acct_voucher_id
),
v AS (
    SELECT mof_div_code, fiscal_year, acct_voucher_id,
           SUM(dr_amt) AS dr, SUM(cr_amt) AS cr, SUM(bad) AS bad
    FROM l
    GROUP BY mof_div_code, fiscal_year, acct_voucher_id
),
u AS (
    SELECT
        l._file, l._row, l.mof_div_code, l.fiscal_year, l.acct_voucher_id, l.line_no,
        CASE WHEN v.dr > v.cr THEN 'dr_amt' ELSE 'cr_amt' END AS field,
        CASE WHEN v.dr > v.cr THEN v.dr ELSE v.cr END AS heavy,
        CASE WHEN v.dr > v.cr THEN v.cr ELSE v.dr END AS light,
        ROW_NUMBER() OVER (
            PARTITION BY l.mof_div_code, l.fiscal_year, l.acct_voucher_id
            ORDER BY CASE WHEN (v.dr > v.cr AND l.dr_amt <> 0) OR (v.dr < v.cr AND l.cr_amt <> 0) THEN 0 ELSE 1 END,
                     l.line_no, l._file, l._row
        ) AS n
    FROM v
    JOIN l
      ON l.mof_div_code = v.mof_div_code AND l.fiscal_year = v.fiscal_year AND l.acct_voucher_id = v.acct_voucher_id
    WHERE v.bad = 0 AND v.dr <> v.cr
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || acct_voucher_id || '|' || CAST(line_no AS VARCHAR) AS key,
    field,
    CAST(heavy AS VARCHAR) AS value,
    CAST(light AS VARCHAR) AS expected,
    heavy - light AS difference
FROM u
WHERE n = 1
