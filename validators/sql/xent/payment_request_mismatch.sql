-- xent.payment-request-mismatch：支付凭证与其支付申请一致。
-- A payment voucher agrees with the payment request it executes (same region, year and pay_app_id):
--   * the request exists (field pay_app_id);
--   * same bgt_id, agency_code, fund_type_code, exp_func_code, dep_bgt_eco_code, gov_bgt_eco_code,
--     pay_type_code, set_mode_code and is_reversal (field = the differing field, value = the voucher's,
--     expected = the request's);
--   * the vouchers of a request (returned ones, pay_status_code 3, excluded) never pay more than was
--     requested: in vou_date, pay_cert_id order, the first voucher whose running total exceeds
--     pay_app_amt (below it, for a negative reversal request) is reported, field pay_amt,
--     value = running total, expected = pay_app_amt, difference = the excess.
-- One report per defect: a field the voucher already contradicts its indicator on (reported by
-- xent.payment-indicator-mismatch) is not compared with the request, nor is bgt_id when the indicator
-- does not exist in the voucher's region (xent.orphan-payment / payment-indicator-mismatch).
-- budget_indicator is an optional target: without it every field is compared.
-- No cascades: fields that failed the structural layer on either record are not compared; no missing
-- request is reported for a year in which some request's key failed it.
WITH unsure AS (
    SELECT DISTINCT CASE WHEN _ok_fiscal_year THEN fiscal_year END AS fiscal_year
    FROM payment_request
    WHERE NOT (_ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_app_id)
),
have_ind AS (
    SELECT COUNT(*) AS n FROM budget_indicator
),
v AS (
    SELECT *
    FROM payment_voucher
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_cert_id AND _ok_pay_app_id
),
r AS (
    SELECT *
    FROM payment_request
    WHERE _ok_mof_div_code AND _ok_fiscal_year AND _ok_pay_app_id
),
diff AS (
    SELECT
        v._file, v._row, v.mof_div_code, v.fiscal_year, v.pay_cert_id,
        v.bgt_id, v.agency_code, v.fund_type_code, v.exp_func_code, v.dep_bgt_eco_code, v.gov_bgt_eco_code,
        v.pay_type_code, v.set_mode_code, v.is_reversal,
        v._ok_bgt_id, v._ok_agency_code, v._ok_fund_type_code, v._ok_exp_func_code, v._ok_dep_bgt_eco_code,
        v._ok_gov_bgt_eco_code, v._ok_pay_type_code, v._ok_set_mode_code, v._ok_is_reversal,
        r.bgt_id AS r_bgt_id, r.agency_code AS r_agency_code, r.fund_type_code AS r_fund_type_code,
        r.exp_func_code AS r_exp_func_code, r.dep_bgt_eco_code AS r_dep_bgt_eco_code,
        r.gov_bgt_eco_code AS r_gov_bgt_eco_code, r.pay_type_code AS r_pay_type_code,
        r.set_mode_code AS r_set_mode_code, r.is_reversal AS r_is_reversal,
        r._ok_bgt_id AS r_ok_bgt_id, r._ok_agency_code AS r_ok_agency_code,
        r._ok_fund_type_code AS r_ok_fund_type_code, r._ok_exp_func_code AS r_ok_exp_func_code,
        r._ok_dep_bgt_eco_code AS r_ok_dep_bgt_eco_code, r._ok_gov_bgt_eco_code AS r_ok_gov_bgt_eco_code,
        r._ok_pay_type_code AS r_ok_pay_type_code, r._ok_set_mode_code AS r_ok_set_mode_code,
        r._ok_is_reversal AS r_ok_is_reversal
    FROM v
    JOIN r ON r.mof_div_code = v.mof_div_code AND r.fiscal_year = v.fiscal_year AND r.pay_app_id = v.pay_app_id
    WHERE v.bgt_id IS DISTINCT FROM r.bgt_id
       OR v.agency_code IS DISTINCT FROM r.agency_code
       OR v.fund_type_code IS DISTINCT FROM r.fund_type_code
       OR v.exp_func_code IS DISTINCT FROM r.exp_func_code
       OR v.dep_bgt_eco_code IS DISTINCT FROM r.dep_bgt_eco_code
       OR v.gov_bgt_eco_code IS DISTINCT FROM r.gov_bgt_eco_code
       OR v.pay_type_code IS DISTINCT FROM r.pay_type_code
       OR v.set_mode_code IS DISTINCT FROM r.set_mode_code
       OR v.is_reversal IS DISTINCT FROM r.is_reversal
),
j AS (
    SELECT
        diff.*,
        i.bgt_id AS i_bgt_id, i.agency_code AS i_agency_code, i.fund_type_code AS i_fund_type_code,
        i.exp_func_code AS i_exp_func_code, i.dep_bgt_eco_code AS i_dep_bgt_eco_code,
        i.gov_bgt_eco_code AS i_gov_bgt_eco_code
    FROM diff
    LEFT JOIN budget_indicator AS i
      ON i.mof_div_code = diff.mof_div_code AND i.fiscal_year = diff.fiscal_year AND i.bgt_id = diff.bgt_id
     AND i._ok_mof_div_code AND i._ok_fiscal_year AND i._ok_bgt_id
),
cmp AS (
    SELECT
        j._file, j._row, j.mof_div_code, j.fiscal_year, j.pay_cert_id, f.name AS field,
        CASE f.name
            WHEN 'bgt_id' THEN j.bgt_id
            WHEN 'agency_code' THEN j.agency_code
            WHEN 'fund_type_code' THEN j.fund_type_code
            WHEN 'exp_func_code' THEN j.exp_func_code
            WHEN 'dep_bgt_eco_code' THEN j.dep_bgt_eco_code
            WHEN 'gov_bgt_eco_code' THEN j.gov_bgt_eco_code
            WHEN 'pay_type_code' THEN j.pay_type_code
            WHEN 'set_mode_code' THEN j.set_mode_code
            ELSE CAST(j.is_reversal AS VARCHAR)
        END AS value,
        CASE f.name
            WHEN 'bgt_id' THEN j.r_bgt_id
            WHEN 'agency_code' THEN j.r_agency_code
            WHEN 'fund_type_code' THEN j.r_fund_type_code
            WHEN 'exp_func_code' THEN j.r_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN j.r_dep_bgt_eco_code
            WHEN 'gov_bgt_eco_code' THEN j.r_gov_bgt_eco_code
            WHEN 'pay_type_code' THEN j.r_pay_type_code
            WHEN 'set_mode_code' THEN j.r_set_mode_code
            ELSE CAST(j.r_is_reversal AS VARCHAR)
        END AS expected,
        CASE f.name
            WHEN 'bgt_id' THEN j._ok_bgt_id AND j.r_ok_bgt_id
                AND (j.i_bgt_id IS NOT NULL OR (SELECT n FROM have_ind) = 0)
            WHEN 'agency_code' THEN j._ok_agency_code AND j.r_ok_agency_code
                AND (j.i_agency_code IS NULL OR j.i_agency_code = j.agency_code)
            WHEN 'fund_type_code' THEN j._ok_fund_type_code AND j.r_ok_fund_type_code
                AND (j.i_fund_type_code IS NULL OR j.i_fund_type_code = j.fund_type_code)
            WHEN 'exp_func_code' THEN j._ok_exp_func_code AND j.r_ok_exp_func_code
                AND (j.i_exp_func_code IS NULL OR j.i_exp_func_code = j.exp_func_code)
            WHEN 'dep_bgt_eco_code' THEN j._ok_dep_bgt_eco_code AND j.r_ok_dep_bgt_eco_code
                AND (j.i_dep_bgt_eco_code IS NULL OR j.i_dep_bgt_eco_code = j.dep_bgt_eco_code)
            WHEN 'gov_bgt_eco_code' THEN j._ok_gov_bgt_eco_code AND j.r_ok_gov_bgt_eco_code
                AND (j.i_gov_bgt_eco_code IS NULL OR j.i_gov_bgt_eco_code = j.gov_bgt_eco_code)
            WHEN 'pay_type_code' THEN j._ok_pay_type_code AND j.r_ok_pay_type_code
            WHEN 'set_mode_code' THEN j._ok_set_mode_code AND j.r_ok_set_mode_code
            ELSE j._ok_is_reversal AND j.r_ok_is_reversal
        END AS ok
    FROM j
    CROSS JOIN (
        VALUES ('bgt_id'), ('agency_code'), ('fund_type_code'), ('exp_func_code'), ('dep_bgt_eco_code'),
               ('gov_bgt_eco_code'), ('pay_type_code'), ('set_mode_code'), ('is_reversal')
    ) AS f(name)
),
paid AS (
    SELECT v._file, v._row, v.mof_div_code, v.fiscal_year, v.pay_cert_id, v.pay_app_id, v.vou_date, v.pay_amt,
           CASE WHEN v._ok_pay_amt AND v._ok_vou_date AND v._ok_pay_status_code THEN 0 ELSE 1 END AS bad,
           r.pay_app_amt
    FROM v
    JOIN r ON r.mof_div_code = v.mof_div_code AND r.fiscal_year = v.fiscal_year AND r.pay_app_id = v.pay_app_id
    WHERE r._ok_pay_app_amt AND (v.pay_status_code IS NULL OR v.pay_status_code <> '3')
),
-- a running total can exceed the request only where the request's payments of its own sign do
candidates AS (
    SELECT mof_div_code, fiscal_year, pay_app_id
    FROM paid
    GROUP BY mof_div_code, fiscal_year, pay_app_id, pay_app_amt
    HAVING SUM(bad) = 0
       AND ((pay_app_amt >= 0 AND SUM(CASE WHEN pay_amt > 0 THEN pay_amt ELSE 0 END) > pay_app_amt)
         OR (pay_app_amt < 0 AND SUM(CASE WHEN pay_amt < 0 THEN pay_amt ELSE 0 END) < pay_app_amt))
),
amt AS (
    SELECT
        paid.*,
        SUM(paid.pay_amt) OVER (
            PARTITION BY paid.mof_div_code, paid.fiscal_year, paid.pay_app_id
            ORDER BY paid.vou_date, paid.pay_cert_id, paid._file, paid._row
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running
    FROM paid
    JOIN candidates AS c
      ON c.mof_div_code = paid.mof_div_code AND c.fiscal_year = paid.fiscal_year AND c.pay_app_id = paid.pay_app_id
),
crossing AS (
    SELECT amt.*,
        ROW_NUMBER() OVER (
            PARTITION BY mof_div_code, fiscal_year, pay_app_id ORDER BY vou_date, pay_cert_id, _file, _row
        ) AS n
    FROM amt
    WHERE (pay_app_amt >= 0 AND running > pay_app_amt) OR (pay_app_amt < 0 AND running < pay_app_amt)
)
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    field, value, expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM cmp
WHERE ok AND value IS DISTINCT FROM expected
UNION ALL
SELECT
    v._file, v._row,
    v.mof_div_code || '|' || v.fiscal_year || '|' || v.pay_cert_id AS key,
    'pay_app_id' AS field, v.pay_app_id AS value,
    CAST(NULL AS VARCHAR) AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM v
WHERE NOT EXISTS (
      SELECT 1 FROM payment_request AS q
      WHERE q.mof_div_code = v.mof_div_code AND q.fiscal_year = v.fiscal_year AND q.pay_app_id = v.pay_app_id
  )
  AND NOT EXISTS (SELECT 1 FROM unsure AS u WHERE u.fiscal_year IS NULL OR u.fiscal_year = v.fiscal_year)
UNION ALL
SELECT
    _file, _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    'pay_amt' AS field,
    CAST(running AS VARCHAR) AS value,
    CAST(pay_app_amt AS VARCHAR) AS expected,
    running - pay_app_amt AS difference
FROM crossing
WHERE n = 1
