-- xent.payment-indicator-mismatch：支付凭证与其指标的区划、单位、功能分类、经济分类、资金性质一致。
-- A payment voucher agrees with the indicator it spends on region, unit, functional and both economic
-- classifications and fund nature. One issue per differing field, reported on the voucher with
-- field = that field, value = the voucher's value, expected = the indicator's.
-- Region: when the voucher's region has no indicator with its bgt_id but another region of the
-- submission has, the field is mof_div_code and expected is that region (the lowest code if several).
-- No cascades: a field is compared only where it passed the structural layer on both records.
WITH j AS (
    SELECT
        p._file, p._row, p.mof_div_code, p.fiscal_year, p.pay_cert_id,
        p.agency_code AS p_agency_code, i.agency_code AS i_agency_code,
        p.fund_type_code AS p_fund_type_code, i.fund_type_code AS i_fund_type_code,
        p.exp_func_code AS p_exp_func_code, i.exp_func_code AS i_exp_func_code,
        p.dep_bgt_eco_code AS p_dep_bgt_eco_code, i.dep_bgt_eco_code AS i_dep_bgt_eco_code,
        p.gov_bgt_eco_code AS p_gov_bgt_eco_code, i.gov_bgt_eco_code AS i_gov_bgt_eco_code,
        p._ok_agency_code AND i._ok_agency_code AS ok_agency_code,
        p._ok_fund_type_code AND i._ok_fund_type_code AS ok_fund_type_code,
        p._ok_exp_func_code AND i._ok_exp_func_code AS ok_exp_func_code,
        p._ok_dep_bgt_eco_code AND i._ok_dep_bgt_eco_code AS ok_dep_bgt_eco_code,
        p._ok_gov_bgt_eco_code AND i._ok_gov_bgt_eco_code AS ok_gov_bgt_eco_code
    FROM payment_voucher AS p
    JOIN budget_indicator AS i
      ON i.mof_div_code = p.mof_div_code AND i.fiscal_year = p.fiscal_year AND i.bgt_id = p.bgt_id
    WHERE p._ok_mof_div_code AND p._ok_fiscal_year AND p._ok_pay_cert_id AND p._ok_bgt_id
      AND i._ok_mof_div_code AND i._ok_fiscal_year AND i._ok_bgt_id
      AND (p.agency_code IS DISTINCT FROM i.agency_code
        OR p.fund_type_code IS DISTINCT FROM i.fund_type_code
        OR p.exp_func_code IS DISTINCT FROM i.exp_func_code
        OR p.dep_bgt_eco_code IS DISTINCT FROM i.dep_bgt_eco_code
        OR p.gov_bgt_eco_code IS DISTINCT FROM i.gov_bgt_eco_code)
),
cmp AS (
    SELECT
        j._file, j._row, j.mof_div_code, j.fiscal_year, j.pay_cert_id, f.name AS field,
        CASE f.name
            WHEN 'agency_code' THEN j.p_agency_code
            WHEN 'fund_type_code' THEN j.p_fund_type_code
            WHEN 'exp_func_code' THEN j.p_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN j.p_dep_bgt_eco_code
            ELSE j.p_gov_bgt_eco_code
        END AS value,
        CASE f.name
            WHEN 'agency_code' THEN j.i_agency_code
            WHEN 'fund_type_code' THEN j.i_fund_type_code
            WHEN 'exp_func_code' THEN j.i_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN j.i_dep_bgt_eco_code
            ELSE j.i_gov_bgt_eco_code
        END AS expected,
        CASE f.name
            WHEN 'agency_code' THEN j.ok_agency_code
            WHEN 'fund_type_code' THEN j.ok_fund_type_code
            WHEN 'exp_func_code' THEN j.ok_exp_func_code
            WHEN 'dep_bgt_eco_code' THEN j.ok_dep_bgt_eco_code
            ELSE j.ok_gov_bgt_eco_code
        END AS ok
    FROM j
    CROSS JOIN (
        VALUES ('agency_code'), ('fund_type_code'), ('exp_func_code'), ('dep_bgt_eco_code'), ('gov_bgt_eco_code')
    ) AS f(name)
),
lone AS (
    SELECT p._file, p._row, p.mof_div_code, p.fiscal_year, p.pay_cert_id, p.bgt_id
    FROM payment_voucher AS p
    WHERE p._ok_mof_div_code AND p._ok_fiscal_year AND p._ok_pay_cert_id AND p._ok_bgt_id
      AND NOT EXISTS (
          SELECT 1 FROM budget_indicator AS s
          WHERE s.mof_div_code = p.mof_div_code AND s.fiscal_year = p.fiscal_year AND s.bgt_id = p.bgt_id
      )
),
elsewhere AS (
    SELECT p._file, p._row, p.mof_div_code, p.fiscal_year, p.pay_cert_id, MIN(i.mof_div_code) AS other_region
    FROM lone AS p
    JOIN budget_indicator AS i
      ON i.fiscal_year = p.fiscal_year AND i.bgt_id = p.bgt_id AND i.mof_div_code <> p.mof_div_code
    WHERE i._ok_mof_div_code AND i._ok_fiscal_year AND i._ok_bgt_id
    GROUP BY p._file, p._row, p.mof_div_code, p.fiscal_year, p.pay_cert_id
)
SELECT DISTINCT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    field,
    value,
    expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM cmp
WHERE ok AND value IS DISTINCT FROM expected
UNION ALL
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || pay_cert_id AS key,
    'mof_div_code' AS field,
    mof_div_code AS value,
    other_region AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM elsewhere
