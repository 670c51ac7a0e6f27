-- xent.budget-quota-mismatch：按定额计算的人员经费、公用经费 = 基础资料数量 × 定额，四舍五入到分（C15）。
-- A personnel (exp_category_code 1) or routine operating (2) department budget line that cites a quota
-- (quota_code) equals the unit's basic-data quantity named by the quota's basis times the quota value,
-- rounded half up to the fen (C15). The basis (code list quota_basis) names the basic-data field:
-- 01 staff_in_service, 02 retired_count, 03 office_area, 04 vehicle_count. The quota is
-- expense_quota (same region, year, quota_code); the basic data is agency_basic_data (same region, year,
-- agency_code). field bgt_line_amt, value = the line's amount, expected = the computed amount,
-- difference = value - expected. Lines whose quota or basic data is not in the submission are not
-- checked (the quota reference is checked elsewhere).
-- No cascades: left out when bgt_line_amt, quota_value, quota_basis_code or the basic-data field failed
-- the structural layer.
WITH j AS (
    SELECT
        b._file, b._row, b.mof_div_code, b.fiscal_year, b.budget_line_id, b.bgt_line_amt,
        q.quota_value,
        CASE q.quota_basis_code
            WHEN '01' THEN CAST(a.staff_in_service AS DECIMAL(18, 2))
            WHEN '02' THEN CAST(a.retired_count AS DECIMAL(18, 2))
            WHEN '03' THEN CAST(a.office_area AS DECIMAL(18, 2))
            WHEN '04' THEN CAST(a.vehicle_count AS DECIMAL(18, 2))
        END AS basic_qty,
        CASE q.quota_basis_code
            WHEN '01' THEN a._ok_staff_in_service
            WHEN '02' THEN a._ok_retired_count
            WHEN '03' THEN a._ok_office_area
            WHEN '04' THEN a._ok_vehicle_count
            ELSE FALSE
        END AS ok_qty
    FROM dept_budget_line AS b
    JOIN expense_quota AS q
      ON q.mof_div_code = b.mof_div_code AND q.fiscal_year = b.fiscal_year AND q.quota_code = b.quota_code
    JOIN agency_basic_data AS a
      ON a.mof_div_code = b.mof_div_code AND a.fiscal_year = b.fiscal_year AND a.agency_code = b.agency_code
    WHERE b._ok_mof_div_code AND b._ok_fiscal_year AND b._ok_budget_line_id AND b._ok_agency_code
      AND b._ok_exp_category_code AND b._ok_quota_code AND b._ok_bgt_line_amt
      AND b.exp_category_code IN ('1', '2') AND b.quota_code IS NOT NULL
      AND q._ok_mof_div_code AND q._ok_fiscal_year AND q._ok_quota_code
      AND q._ok_quota_value AND q._ok_quota_basis_code
      AND a._ok_mof_div_code AND a._ok_fiscal_year AND a._ok_agency_code
),
c AS (
    SELECT j.*, CAST(ROUND(CAST(basic_qty AS DECIMAL(38, 2)) * quota_value, 2) AS DECIMAL(38, 2)) AS computed
    FROM j
    WHERE ok_qty AND basic_qty IS NOT NULL
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || budget_line_id AS key,
    CAST(bgt_line_amt AS VARCHAR) AS value,
    CAST(computed AS VARCHAR) AS expected,
    bgt_line_amt - computed AS difference
FROM c
WHERE bgt_line_amt <> computed
