"""Versioned schema migrations, the same for both stores.

Each migration has a number, a name and its statements in the neutral dialect (DuckDB's), which the
store transpiles with sqlglot for PostgreSQL. ``gw_schema_migrations`` records which were applied;
``apply`` runs the missing ones in order, each in its own transaction, so a store is upgraded by
starting a newer gateway, never by hand. Migrations are append-only: a released one never changes.

1. ``0001_control_tables.sql`` — submissions, per-entity totals, data versions, quarantine.
2. record tables — one typed table ``rec_<entity>`` per entity of the standard 1.0.0 (built from
   the standard's field list; ``tests/test_gateway_store.py`` fails when the standard gains a field
   that no migration adds, so a new standard version comes with a migration that ALTERs the tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from jincai.standard import standard
from jincai.validation.fields_sql import duck_type

HERE = Path(__file__).parent

BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS gw_schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: Callable[[], list[str]]


def _sql_file(name: str) -> Callable[[], list[str]]:
    def statements() -> list[str]:
        text = (HERE / name).read_text(encoding="utf-8")
        lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("--")]
        return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]

    return statements


def record_table(entity_id: str) -> str:
    return f"rec_{entity_id}"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def record_table_ddl(entity_id: str) -> list[str]:
    """``rec_<entity>``: the submission it came in, its row in that submission, then the fields typed
    as the staging contract types them (money DECIMAL(18,2), dates DATE, datetimes TIMESTAMPTZ)."""
    ent = standard().entity(entity_id)
    cols = ["_submission_id VARCHAR NOT NULL", "_row BIGINT NOT NULL"]
    cols += [f"{quote(f.name)} {duck_type(f.element)}" for f in ent.fields]
    table = record_table(entity_id)
    return [
        f"CREATE TABLE {table} ({', '.join(cols)})",
        f"CREATE INDEX ix_{table}_submission ON {table} (_submission_id)",
    ]


def _record_tables() -> list[str]:
    out: list[str] = []
    for entity_id in standard().entities:
        out.extend(record_table_ddl(entity_id))
    return out


MIGRATIONS: list[Migration] = [
    Migration(1, "control tables", _sql_file("0001_control_tables.sql")),
    Migration(2, "record tables, standard 1.0.0", _record_tables),
]
