-- xent.budget-quota-quantity：按定额计算的预算行所记数量 = 基础资料中定额依据所指的数量。
-- A personnel (1) or routine operating (2) department budget line that cites a quota records as its
-- quantity the unit's basic-data field named by the quota's basis (01 staff_in_service, 02
-- retired_count, 03 office_area, 04 vehicle_count; see xent.budget-quota-mismatch). field quantity,
-- value = the line's quantity (empty when absent), expected = the basic-data quantity,
-- difference = value - expected.
-- No cascades: left out when quantity, quota_basis_code or the basic-data field failed the structural layer.
WITH j AS (
    SELECT
        b._file, b._row, b.mof_div_code, b.fiscal_year, b.budget_line_id, b.quantity,
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
      AND b._ok_exp_category_code AND b._ok_quota_code AND b._ok_quantity
      AND b.exp_category_code IN ('1', '2') AND b.quota_code IS NOT NULL
      AND q._ok_mof_div_code AND q._ok_fiscal_year AND q._ok_quota_code AND q._ok_quota_basis_code
      AND a._ok_mof_div_code AND a._ok_fiscal_year AND a._ok_agency_code
)
SELECT
    _file,
    _row,
    mof_div_code || '|' || fiscal_year || '|' || budget_line_id AS key,
    CAST(quantity AS VARCHAR) AS value,
    CAST(basic_qty AS VARCHAR) AS expected,
    quantity - basic_qty AS difference
FROM j
WHERE ok_qty AND basic_qty IS NOT NULL AND quantity IS DISTINCT FROM basic_qty
