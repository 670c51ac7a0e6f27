-- xrec.duplicate-key：业务键在实体内唯一；第 2 次及以后出现的记录各报告一次。
-- The business key of an entity is unique; every occurrence after the first (in file, row order) is
-- reported, with the place of the first occurrence as `expected`.
-- A per-entity template (params.per_entity): {{entity}} and the {{key_*}} placeholders are filled from
-- the entity's `key` in standards/entities/. Rows whose key fields failed the structural layer are left out.
WITH d AS (
    SELECT {{key_columns}}
    FROM {{entity}}
    WHERE {{key_ok}}
    GROUP BY {{key_columns}}
    HAVING COUNT(*) > 1
),
o AS (
    SELECT
        t._file,
        t._row,
        {{key_text}} AS key,
        ROW_NUMBER() OVER (PARTITION BY {{key_columns_t}} ORDER BY t._file, t._row) AS n,
        FIRST_VALUE(t._file || ':' || CAST(t._row AS VARCHAR))
            OVER (PARTITION BY {{key_columns_t}} ORDER BY t._file, t._row) AS first_at
    FROM {{entity}} AS t
    JOIN d ON {{key_match}}
)
SELECT
    _file,
    _row,
    key,
    key AS value,
    first_at AS expected,
    CAST(NULL AS DECIMAL(18, 2)) AS difference
FROM o
WHERE n > 1
