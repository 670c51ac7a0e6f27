-- xent.reference-missing：实体间引用（standards/entities/*.yaml 的 references）必须指向存在的记录。
-- Every reference declared in the standard (an entity's `references`: its fields → the target's fields)
-- points to an existing record of the target in the submission: no target row has all the referenced
-- values. Optional references (`optional: true`) are checked only where the referencing fields are
-- present. A per-reference template (params.per_reference): {{entity}}, {{target}} and the {{fk_*}}
-- placeholders are filled for each reference whose two entities are both in the submission. References
-- a dedicated rule checks more closely are left to it (params.exclude: payment_voucher.bgt_id →
-- xent.orphan-payment, payment_voucher.pay_app_id → xent.payment-request-mismatch).
-- field = the reference's identifying field (its last field other than mof_div_code / fiscal_year),
-- value = that field's value, expected = the target entity.
-- No cascades: referencing rows whose fields failed the structural layer are left out, and nothing is
-- reported for a region (or, when the failing row's region is unknown, for any region) in which a
-- target row's referenced fields failed it.
WITH unsure AS (
    SELECT DISTINCT CASE WHEN _ok_mof_div_code THEN mof_div_code END AS mof_div_code
    FROM {{target}}
    WHERE NOT ({{fk_target_ok}})
)
SELECT
    t._file,
    t._row,
    {{key_text}} AS key,
    '{{fk_field}}' AS field,
    {{fk_value}} AS value,
    '{{target}}' AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM {{entity}} AS t
WHERE {{fk_ok}} AND {{fk_present}}
  AND NOT EXISTS (SELECT 1 FROM {{target}} AS d WHERE {{fk_match}})
  AND NOT EXISTS (SELECT 1 FROM unsure AS u WHERE u.mof_div_code IS NULL OR u.mof_div_code = t.mof_div_code)
