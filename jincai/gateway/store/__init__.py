"""The gateway's store: DuckDB (embedded default) or PostgreSQL, the same schema and SQL on both.

``open_store(target)``: a PostgreSQL URL (``postgresql://…``) opens ``PostgresStore``; anything
else is a folder or ``.duckdb`` file for ``DuckDBStore``. Both run the versioned migrations of
``migrations/`` on open. The SQL is written once in DuckDB's dialect and transpiled by sqlglot for
PostgreSQL (``base.sql_for``), as the validation rules are.

Schema contract (for the consolidation and position queries built on this store)
-------------------------------------------------------------------------------

``gw_submission`` — one row per submission, accepted or rejected: ``submission_id`` (PK),
``mof_div_code``, ``fiscal_year``, ``period`` (``YYYY`` whole year, ``YYYY-MM`` month, ``YYYY-MM-Dn``
10-day period n = 1..3), ``idempotency_key`` (unique per region), ``content_sha256``, ``status``
(``accepted`` | ``rejected``), ``received_at``/``committed_at`` (TIMESTAMPTZ, UTC), ``principal``
(``token:<id>`` or ``cert:<serial>``, never a person's name), product and version columns, record
and issue counts, ``report_json`` (the validation report, personal data masked) and the signed
receipt (``receipt_payload`` canonical JSON, ``receipt_signature`` base64, ``receipt_key_id``).

``gw_submission_entity`` — per submission and entity: ``records``, ``money_totals`` (JSON object
field → yuan text) and ``content_sha256``.

``gw_data_version`` — the history. Every *accepted* submission is a new version of its region's
data for each entity it carries, for its ``fiscal_year`` and ``period``: key ``(mof_div_code,
fiscal_year, period, entity, version)``, ``submission_id``, ``records``, ``valid_from`` (= the
submission's ``committed_at``), ``valid_to`` and ``superseded_by`` (NULL while current). A
resubmission for the same region, year, period and entity closes the current version
(``valid_to`` = the new ``valid_from``) in the same transaction that adds the new one, so exactly
one version is current and every earlier state stays queryable:

    -- the data of an entity as it stood at :t (use valid_to IS NULL for "now")
    SELECT r.* FROM rec_payment_voucher r
    JOIN gw_data_version v ON v.submission_id = r._submission_id AND v.entity = 'payment_voucher'
    WHERE v.valid_from <= :t AND (v.valid_to IS NULL OR v.valid_to > :t)

``base.as_of_sql(entity)`` writes that query. Versions of different periods never supersede each
other (an annual ``2024`` submission and a monthly ``2024-03`` one are separate lines of history);
a consumer that mixes period grains decides which wins.

``rec_<entity>`` — one table per entity of the standard: ``_submission_id``, ``_row`` (the record's
position in its submission, from 1), then one column per field, typed as the validation staging
types them (text/code VARCHAR/TEXT, integer BIGINT, money DECIMAL(18,2) = NUMERIC(18,2) — exact,
decimal DECIMAL(18,scale), date DATE, datetime TIMESTAMPTZ, boolean BOOLEAN). Rows are only ever
inserted, with their submission, in the transaction that commits it; only accepted submissions
have rows here, and always all of them. Aggregate by region, period and classification with plain
SQL (``GROUP BY mof_div_code, exp_func_code`` …) joined to the versions that are current or current
as of a time. The region hierarchy is the ``mof_div`` code list (``jincai.codelists``).

``gw_quarantine_file`` — per rejected submission and entity, the records as canonical JSON Lines,
gzip-compressed; kept with the report in ``gw_submission``, never merged.

``gw_schema_migrations`` — applied migrations.
"""

from __future__ import annotations

from pathlib import Path

from jincai.gateway.store.base import Conflict, EntityResult, NewSubmission, RecordSource, Store, as_of_sql

__all__ = ["Conflict", "EntityResult", "NewSubmission", "RecordSource", "Store", "as_of_sql", "open_store"]


def open_store(target: str | Path, pg_schema: str | None = None) -> Store:
    """A store for a PostgreSQL URL (tables in ``pg_schema`` if given), or a DuckDB file (a folder
    means ``<folder>/gateway.duckdb``)."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")) or (text.startswith(("host=", "dbname=")) and "=" in text):
        from jincai.gateway.store.postgres import PostgresStore

        return PostgresStore(text, pg_schema)
    from jincai.gateway.store.duckdb import DuckDBStore

    path = Path(text)
    if path.suffix != ".duckdb":
        path = path / "gateway.duckdb"
    return DuckDBStore(path)
