-- 网关控制表 The gateway's control tables (neutral SQL, DuckDB dialect; transpiled to PostgreSQL by sqlglot).

-- 每个报送一行：被接受的与被拒绝（隔离）的都在；回执在同一事务中写入。
-- One row per submission, accepted or rejected (quarantined); the signed receipt is written in the
-- same transaction as the data, so a receipt exists exactly when its data does.
CREATE TABLE gw_submission (
    submission_id VARCHAR NOT NULL PRIMARY KEY,
    mof_div_code VARCHAR NOT NULL,
    fiscal_year INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    idempotency_key VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    committed_at TIMESTAMPTZ NOT NULL,
    principal VARCHAR NOT NULL,
    product_name VARCHAR NOT NULL,
    product_version VARCHAR NOT NULL,
    standard_version VARCHAR NOT NULL,
    catalogue_version VARCHAR NOT NULL,
    codelists_version VARCHAR NOT NULL,
    engine_version VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    issues_fatal BIGINT NOT NULL,
    issues_error BIGINT NOT NULL,
    issues_warning BIGINT NOT NULL,
    report_json VARCHAR NOT NULL,
    receipt_payload VARCHAR NOT NULL,
    receipt_signature VARCHAR NOT NULL,
    receipt_key_id VARCHAR NOT NULL,
    UNIQUE (mof_div_code, idempotency_key)
);

-- 每个报送每个实体一行：记录数、金额合计（JSON）、内容摘要。
-- One row per submission and entity: record count, money totals (JSON), content digest.
CREATE TABLE gw_submission_entity (
    submission_id VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    money_totals VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    PRIMARY KEY (submission_id, entity)
);

-- 数据版本：区划 × 年度 × 期间 × 实体 的每个被接受报送是一个版本；valid_to 为空的是当前版本。
-- Data versions: each accepted submission is a version of a region's data for a year, period and
-- entity; the one with valid_to NULL is current. As of T: valid_from <= T AND (valid_to IS NULL OR
-- valid_to > T).
CREATE TABLE gw_data_version (
    mof_div_code VARCHAR NOT NULL,
    fiscal_year INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    submission_id VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to TIMESTAMPTZ,
    superseded_by VARCHAR,
    PRIMARY KEY (mof_div_code, fiscal_year, period, entity, version)
);

-- 隔离区：被拒绝报送的原始内容（规范 JSON Lines，gzip），与其报告一起保存，从不合并。
-- Quarantine: the content of rejected submissions (canonical JSON Lines, gzip), kept with their
-- report and never merged into the record tables.
CREATE TABLE gw_quarantine_file (
    submission_id VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    records BIGINT NOT NULL,
    content_gzip BLOB NOT NULL,
    PRIMARY KEY (submission_id, entity)
);
