-- xent.accounting-amount-mismatch：总会计凭证的金额和分类与其来源业务记录一致。
-- The accounting voucher(s) generated from a business record (accounting_voucher.src_entity / src_id;
-- see xent.missing-accounting-voucher for which records) carry its amount and classification.
-- Amount lines: the lines on expenditure accounts (acct_code 5…) for a payment voucher, on revenue
-- accounts (acct_code 4…) for a tax receipt or a non-tax payment notice.
--   * amount: payment voucher  sum(dr_amt - cr_amt) over the amount lines = pay_amt;
--             tax receipt      sum(cr_amt - dr_amt) = inc_amt;  non-tax notice  sum(cr_amt - dr_amt) = paid_amt.
--     Reported once per business record on the first amount line (lowest acct_voucher_id, line_no; the
--     voucher's first line when it has no amount line), field dr_amt (payment) or cr_amt (revenue):
--     value = the vouchers' amount, expected = the business amount, difference = value - expected.
--   * classification, on each amount line that differs: payment voucher — exp_func_code must equal the
--     voucher's; dep_bgt_eco_code and fund_type_code, where the line carries them, too. Tax receipt —
--     rev_class_code equals the receipt's. Non-tax notice — rev_class_code (and fund_type_code where
--     carried) is one of the notice's lines' (non_tax_payment_line; not checked without lines).
--     field = the classification field, value = the line's code, expected = the business record's.
-- One report per defect: a payment voucher field that already contradicts the voucher's indicator
-- (xent.payment-indicator-mismatch) is not compared here. Optional targets: the three business
-- entities, budget_indicator and non_tax_payment_line.
-- No cascades: the amount is not compared when the business amount or any line's acct_code, dr_amt or
-- cr_amt failed the structural layer; a classification only where it passed on both records.
-- Memory: every large intermediate result is used once, so DuckDB streams and spills it instead of
-- materialising it (a line-level join of business record, voucher and line used three times held
-- 10 M wide rows and ran out of memory at the 1GB default on 46 M records). The amount check sums
-- lines per voucher first, vouchers per business record next; only the records whose amount is
-- off go back to their lines, to find the line to report.
WITH biz_amt AS (
    SELECT 'payment_voucher' AS src_entity, mof_div_code, fiscal_year, pay_cert_id AS src_id,
           pay_amt AS amt, _ok_pay_amt AS ok_amt, '5' AS acct_class
    FROM payment_voucher
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_cert_id AND _ok_pay_status_code
      AND pay_status_code IN ('1', '2')
    UNION ALL
    SELECT 'tax_receipt', mof_div_code, fiscal_year, tax_receipt_id, inc_amt, _ok_inc_amt, '4'
    FROM tax_receipt
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_tax_receipt_id
    UNION ALL
    SELECT 'non_tax_payment', mof_div_code, fiscal_year, nt_pay_voucher_id, paid_amt, _ok_paid_amt, '4'
    FROM non_tax_payment
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_nt_pay_voucher_id AND _ok_pay_date
      AND pay_date IS NOT NULL
),
voucher_amt AS (
    SELECT mof_div_code, fiscal_year, acct_voucher_id,
           SUM(CASE WHEN SUBSTRING(acct_code, 1, 1) = '5' THEN dr_amt - cr_amt ELSE 0 END) AS exp_amt,
           SUM(CASE WHEN SUBSTRING(acct_code, 1, 1) = '4' THEN cr_amt - dr_amt ELSE 0 END) AS rev_amt,
           SUM(CASE WHEN _ok_line_no AND _ok_acct_code AND _ok_dr_amt AND _ok_cr_amt THEN 0 ELSE 1 END) AS bad
    FROM accounting_voucher_line
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_acct_voucher_id
    GROUP BY mof_div_code, fiscal_year, acct_voucher_id
),
agg AS (
    SELECT b.mof_div_code, b.fiscal_year, b.src_entity, b.src_id, b.amt,
           SUM(CASE WHEN b.acct_class = '5' THEN v.exp_amt ELSE v.rev_amt END) AS booked
    FROM voucher_amt AS v
    JOIN accounting_voucher AS h
      ON h.mof_div_code = v.mof_div_code AND h.fiscal_year = v.fiscal_year AND h.acct_voucher_id = v.acct_voucher_id
    JOIN biz_amt AS b
      ON b.mof_div_code = h.mof_div_code AND b.fiscal_year = h.fiscal_year
     AND b.src_entity = h.src_entity AND b.src_id = h.src_id
    WHERE h._ok_mof_div_code AND h._ok_fiscal_year AND h._ok_acct_voucher_id AND h._ok_src_entity AND h._ok_src_id
      AND b.ok_amt
    GROUP BY b.mof_div_code, b.fiscal_year, b.src_entity, b.src_id, b.amt
    HAVING SUM(v.bad) = 0
),
off AS (
    SELECT mof_div_code, fiscal_year, src_entity, src_id, amt, booked,
           CASE WHEN src_entity = 'payment_voucher' THEN '5' ELSE '4' END AS acct_class,
           CASE WHEN src_entity = 'payment_voucher' THEN 'dr_amt' ELSE 'cr_amt' END AS amt_field
    FROM agg
    WHERE booked <> amt
),
amount_line AS (
    SELECT
        l._file, l._row, l.mof_div_code, l.fiscal_year, l.acct_voucher_id, l.line_no, off.amt_field,
        off.booked, off.amt,
        ROW_NUMBER() OVER (
            PARTITION BY off.mof_div_code, off.fiscal_year, off.src_entity, off.src_id
            ORDER BY CASE WHEN SUBSTRING(l.acct_code, 1, 1) = off.acct_class THEN 1 ELSE 0 END DESC,
                     l.acct_voucher_id, l.line_no, l._file, l._row, off.amt
        ) AS n
    FROM off
    JOIN accounting_voucher AS h
      ON h.mof_div_code = off.mof_div_code AND h.fiscal_year = off.fiscal_year
     AND h.src_entity = off.src_entity AND h.src_id = off.src_id
    JOIN accounting_voucher_line AS l
      ON l.mof_div_code = h.mof_div_code AND l.fiscal_year = h.fiscal_year AND l.acct_voucher_id = h.acct_voucher_id
    WHERE l._ok_mof_div_code AND l._ok_fiscal_year AND l._ok_acct_voucher_id
      AND h._ok_mof_div_code AND h._ok_fiscal_year AND h._ok_acct_voucher_id AND h._ok_src_entity AND h._ok_src_id
),
ind AS (
    SELECT mof_div_code, fiscal_year, bgt_id, exp_func_code, dep_bgt_eco_code, fund_type_code
    FROM budget_indicator
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_bgt_id
),
biz_cls AS (
    SELECT
        'payment_voucher' AS src_entity, v.mof_div_code, v.fiscal_year, v.pay_cert_id AS src_id, '5' AS acct_class,
        v.exp_func_code,
        v._ok_exp_func_code AND (i.exp_func_code IS NULL OR i.exp_func_code = v.exp_func_code) AS ok_exp_func_code,
        v.dep_bgt_eco_code,
        v._ok_dep_bgt_eco_code AND (i.dep_bgt_eco_code IS NULL OR i.dep_bgt_eco_code = v.dep_bgt_eco_code) AS ok_dep_bgt_eco_code,
        v.fund_type_code,
        v._ok_fund_type_code AND (i.fund_type_code IS NULL OR i.fund_type_code = v.fund_type_code) AS ok_fund_type_code,
        CAST(NULL AS VARCHAR) AS rev_class_code, FALSE AS ok_rev_class_code
    FROM payment_voucher AS v
    LEFT JOIN ind AS i ON i.mof_div_code = v.mof_div_code AND i.fiscal_year = v.fiscal_year AND i.bgt_id = v.bgt_id
    WHERE v._ok_mof_div_code AND v._ok_fiscal_year AND v._ok_pay_cert_id AND v._ok_pay_status_code
      AND v.pay_status_code IN ('1', '2')
    UNION ALL
    SELECT
        'tax_receipt', mof_div_code, fiscal_year, tax_receipt_id, '4',
        CAST(NULL AS VARCHAR), FALSE, CAST(NULL AS VARCHAR), FALSE, CAST(NULL AS VARCHAR), FALSE,
        rev_class_code, _ok_rev_class_code
    FROM tax_receipt
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_tax_receipt_id
),
cls_line AS (
    -- the amount lines of vouchers generated from a payment voucher or tax receipt, where a code differs
    SELECT
        l._file, l._row, l.mof_div_code, l.fiscal_year, l.acct_voucher_id, l.line_no,
        l.exp_func_code, l.dep_bgt_eco_code, l.fund_type_code, l.rev_class_code,
        l._ok_exp_func_code, l._ok_dep_bgt_eco_code, l._ok_fund_type_code, l._ok_rev_class_code,
        b.src_entity,
        b.exp_func_code AS b_exp_func_code, b.ok_exp_func_code,
        b.dep_bgt_eco_code AS b_dep_bgt_eco_code, b.ok_dep_bgt_eco_code,
        b.fund_type_code AS b_fund_type_code, b.ok_fund_type_code,
        b.rev_class_code AS b_rev_class_code, b.ok_rev_class_code
    FROM accounting_voucher_line AS l
    JOIN accounting_voucher AS h
      ON h.mof_div_code = l.mof_div_code AND h.fiscal_year = l.fiscal_year AND h.acct_voucher_id = l.acct_voucher_id
    JOIN biz_cls AS b
      ON b.mof_div_code = h.mof_div_code AND b.fiscal_year = h.fiscal_year
     AND b.src_entity = h.src_entity AND b.src_id = h.src_id
    WHERE l._ok_mof_div_code AND l._ok_fiscal_year AND l._ok_acct_voucher_id
      AND h._ok_mof_div_code AND h._ok_fiscal_year AND h._ok_acct_voucher_id AND h._ok_src_entity AND h._ok_src_id
      AND l._ok_acct_code AND SUBSTRING(l.acct_code, 1, 1) = b.acct_class
      AND (l.exp_func_code IS DISTINCT FROM b.exp_func_code
        OR l.dep_bgt_eco_code IS DISTINCT FROM b.dep_bgt_eco_code
        OR l.fund_type_code IS DISTINCT FROM b.fund_type_code
        OR l.rev_class_code IS DISTINCT FROM b.rev_class_code)
),
cls AS (
    SELECT
        r._file, r._row, r.mof_div_code, r.fiscal_year, r.acct_voucher_id, r.line_no, f.name AS field,
        CASE f.name
            WHEN 'exp_func_code' THEN r.exp_func_code
            WHEN 'dep_bgt_eco_code' THEN r.dep_bgt_eco_code
            WHEN 'fund_type_code' THEN r.fund_type_code
            ELSE r.rev_class_code
        END AS value,
        CASE f.name
            WHEN 'exp_func_code' THEN r.b_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN r.b_dep_bgt_eco_code
            WHEN 'fund_type_code' THEN r.b_fund_type_code
            ELSE r.b_rev_class_code
        END AS expected,
        CASE f.name
            WHEN 'exp_func_code' THEN r.ok_exp_func_code AND r._ok_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN r.ok_dep_bgt_eco_code AND r._ok_dep_bgt_eco_code AND r.dep_bgt_eco_code IS NOT NULL
            WHEN 'fund_type_code' THEN r.ok_fund_type_code AND r._ok_fund_type_code AND r.fund_type_code IS NOT NULL
            ELSE r.ok_rev_class_code AND r._ok_rev_class_code
        END AS ok
    FROM cls_line AS r
    CROSS JOIN (VALUES ('exp_func_code'), ('dep_bgt_eco_code'), ('fund_type_code'), ('rev_class_code')) AS f(name)
    WHERE (f.name = 'rev_class_code') = (r.src_entity = 'tax_receipt')
),
nt_line AS (
    -- the revenue lines of vouchers generated from a non-tax payment notice (few: the notices are few)
    SELECT
        l._file, l._row, l.mof_div_code, l.fiscal_year, l.acct_voucher_id, l.line_no,
        l.rev_class_code, l.fund_type_code, l._ok_rev_class_code, l._ok_fund_type_code, n.nt_pay_voucher_id AS src_id
    FROM accounting_voucher_line AS l
    JOIN accounting_voucher AS h
      ON h.mof_div_code = l.mof_div_code AND h.fiscal_year = l.fiscal_year AND h.acct_voucher_id = l.acct_voucher_id
    JOIN non_tax_payment AS n
      ON n.mof_div_code = h.mof_div_code AND n.fiscal_year = h.fiscal_year
     AND h.src_entity = 'non_tax_payment' AND n.nt_pay_voucher_id = h.src_id
    WHERE l._ok_mof_div_code AND l._ok_fiscal_year AND l._ok_acct_voucher_id
      AND h._ok_mof_div_code AND h._ok_fiscal_year AND h._ok_acct_voucher_id AND h._ok_src_entity AND h._ok_src_id
      AND n._ok_mof_div_code AND n._ok_fiscal_year AND n._ok_nt_pay_voucher_id AND n._ok_pay_date
      AND n.pay_date IS NOT NULL
      AND l._ok_acct_code AND SUBSTRING(l.acct_code, 1, 1) = '4'
),
nt AS (
    SELECT mof_div_code, fiscal_year, nt_pay_voucher_id, rev_class_code, fund_type_code,
           CASE WHEN _ok_rev_class_code THEN 0 ELSE 1 END AS bad_rev,
           CASE WHEN _ok_fund_type_code THEN 0 ELSE 1 END AS bad_fund
    FROM non_tax_payment_line
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_nt_pay_voucher_id
),
nt_codes AS (
    SELECT mof_div_code, fiscal_year, nt_pay_voucher_id,
           STRING_AGG(DISTINCT rev_class_code, ',' ORDER BY rev_class_code) AS rev_codes,
           STRING_AGG(DISTINCT fund_type_code, ',' ORDER BY fund_type_code) AS fund_codes,
           SUM(bad_rev) AS bad_rev, SUM(bad_fund) AS bad_fund
    FROM nt
    GROUP BY mof_div_code, fiscal_year, nt_pay_voucher_id
),
nt_rev AS (
    SELECT DISTINCT mof_div_code, fiscal_year, nt_pay_voucher_id, rev_class_code FROM nt
),
nt_fund AS (
    SELECT DISTINCT mof_div_code, fiscal_year, nt_pay_voucher_id, fund_type_code FROM nt
),
ntcls AS (
    SELECT
        r._file, r._row, r.mof_div_code, r.fiscal_year, r.acct_voucher_id, r.line_no,
        'rev_class_code' AS field, r.rev_class_code AS value, c.rev_codes AS expected
    FROM nt_line AS r
    JOIN nt_codes AS c
      ON c.mof_div_code = r.mof_div_code AND c.fiscal_year = r.fiscal_year AND c.nt_pay_voucher_id = r.src_id
    LEFT JOIN nt_rev AS m
      ON m.mof_div_code = r.mof_div_code AND m.fiscal_year = r.fiscal_year AND m.nt_pay_voucher_id = r.src_id
     AND m.rev_class_code = r.rev_class_code
    WHERE r._ok_rev_class_code AND c.bad_rev = 0 AND m.nt_pay_voucher_id IS NULL
    UNION ALL
    SELECT
        r._file, r._row, r.mof_div_code, r.fiscal_year, r.acct_voucher_id, r.line_no,
        'fund_type_code' AS field, r.fund_type_code AS value, c.fund_codes AS expected
    FROM nt_line AS r
    JOIN nt_codes AS c
      ON c.mof_div_code = r.mof_div_code AND c.fiscal_year = r.fiscal_year AND c.nt_pay_voucher_id = r.src_id
    LEFT JOIN nt_fund AS m
      ON m.mof_div_code = r.mof_div_code AND m.fiscal_year = r.fiscal_year AND m.nt_pay_voucher_id = r.src_id
     AND m.fund_type_code = r.fund_type_code
    WHERE r._ok_fund_type_code AND r.fund_type_code IS NOT NULL AND c.bad_fund = 0
      AND m.nt_pay_voucher_id IS NULL
)
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || acct_voucher_id || '|' || CAST(line_no AS VARCHAR) AS key,
    amt_field AS field,
    CAST(booked AS VARCHAR) AS value,
    CAST(amt AS VARCHAR) AS expected,
    booked - amt AS difference
FROM amount_line
WHERE n = 1
UNION ALL
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || acct_voucher_id || '|' || CAST(line_no AS VARCHAR) AS key,
    field, value, expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM cls
WHERE ok AND value IS DISTINCT FROM expected
UNION ALL
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || acct_voucher_id || '|' || CAST(line_no AS VARCHAR) AS key,
    field, value, expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM ntcls
