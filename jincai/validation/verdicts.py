"""Verdicts on one value that both paths ask for: code lists, identifiers, the economic mapping.

The bulk path asks once per distinct value (a million payments carry a few hundred codes), the
per-record path once per record; both get their answer here, from ``jincai.codelists`` and
``jincai.identifiers``, so they cannot disagree about what a code or an identifier means.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from jincai import identifiers
from jincai.codelists import registry
from jincai.validation.fields_sql import q


class Verdict(NamedTuple):
    rule: str
    expected: str
    reason_zh: str
    reason_en: str


#: codelists reason code → rule id, for closed lists (C10)
_CLOSED = {
    "unknown": "code.unknown",
    "bad-pattern": "code.unknown",
    "not-yet-valid": "code.not-yet-valid",
    "retired": "code.retired",
    "not-leaf": "code.not-leaf",
    "bad-extension": "code.bad-extension",
    "unverified": "code.unknown-incomplete",  # a warning: the starter list cannot judge it
}

#: identifier kind of the standard → (rule id, check function); CNAPS is format only (field.pattern)
IDENTIFIER_RULES = {
    "uscc": ("ident.uscc", identifiers.check_uscc),
    "orgcode": ("ident.orgcode", identifiers.check_orgcode),
    "citizen_id": ("ident.citizen-id", identifiers.check_citizen_id),
}


@lru_cache(maxsize=200_000)
def code_verdict(list_id: str, code: str, year: int | None = None, on: date | None = None) -> Verdict | None:
    """None when the code is valid in the list for that year (or on that date).

    On an open list every problem is a warning (``code.unknown-open``, the reason says which);
    a code that does not even have the list's form is an error either way.
    """
    hit = registry().get(list_id).lookup(code, year=year, on=on)
    if hit.valid:
        return None
    rule = _CLOSED[hit.reason_code] if (hit.closed or hit.reason_code == "bad-pattern") else "code.unknown-open"
    return Verdict(rule, list_id, hit.reason_zh, hit.reason_en)


@lru_cache(maxsize=100_000)
def mapping_verdict(dep_code: str, gov_code: str, year: int) -> Verdict | None:
    """The department → government economic mapping of the year (C10), for two codes valid that year.

    Unmapped department codes and codes that are themselves invalid are left to the code rules.
    """
    if code_verdict("dep_bgt_eco", dep_code, year) or code_verdict("gov_bgt_eco", gov_code, year):
        return None
    target = registry().dep_to_gov(dep_code, year)
    if target is None or gov_code.startswith(target):
        return None
    return Verdict(
        "code.gov-eco-mapping",
        target,
        f"部门经济分类 {dep_code} 对应政府经济分类 {target}",
        f"the department code {dep_code} maps to the government code {target}",
    )


def ident_verdict(kind: str, value: str) -> Verdict | None:
    """None when the identifier is valid (or its kind is format-only)."""
    entry = IDENTIFIER_RULES.get(kind)
    if entry is None:
        return None
    rule, check = entry
    result = check(value)
    if result.valid:
        return None
    return Verdict(rule, result.code, result.reason_zh, result.reason_en)


def _weighted(col: str, chars: str, weights: tuple[int, ...], start: int = 1) -> str:
    """SQL: Σ value(character) × weight, a character's value being its index in ``chars``."""
    return " + ".join(f"(strpos({q(chars)}, substr({col}, {start + i}, 1)) - 1) * {w}" for i, w in enumerate(weights))


def _check_char(char: str, chars: str, index: str) -> str:
    """SQL: the character ``char`` is the one of ``chars`` at the 0-based ``index``."""
    return f"{char} = substr({q(chars)}, ({index}) + 1, 1)"


def ident_valid_sql(kind: str, col: str, today: date) -> str | None:
    """DuckDB SQL that is true exactly for the values :func:`ident_verdict` finds valid (``today``:
    the latest birth date a citizen ID may carry), so that the bulk path sends Python only the
    values it does not clear. Built from the tables of :mod:`jincai.identifiers`, which stays the
    one reference: a value the SQL does not clear is judged there, reasons and all. None: the kind
    has no identifier check."""
    i = identifiers
    if kind == "citizen_id":
        birth = f"substr({col}, 7, 4) || '-' || substr({col}, 11, 2) || '-' || substr({col}, 13, 2)"
        return (
            f"(regexp_full_match({col}, '[0-9]{{17}}[0-9X]')"
            f" AND try_cast({birth} AS DATE) BETWEEN DATE '{i.CITIZEN_ID_MIN_BIRTH.isoformat()}' AND DATE '{today.isoformat()}'"
            f" AND {_check_char(f'substr({col}, 18, 1)', i.CITIZEN_ID_CHECK_CHARS, f'({_weighted(col, i.DIGITS, i.CITIZEN_ID_WEIGHTS)}) % 11')})"
        )
    if kind == "uscc":
        uscc = i.USCC_CHARSET
        check = f"(31 - ({_weighted(col, uscc, i.USCC_WEIGHTS)}) % 31) % 31"
        org = f"({_weighted(col, i.DIGITS + i.UPPER, i.ORGCODE_WEIGHTS, start=9)}) % 11"
        return (
            f"(regexp_full_match({col}, '[{uscc}]{{2}}[0-9]{{6}}[{uscc}]{{10}}')"
            f" AND {_check_char(f'substr({col}, 18, 1)', uscc, check)} AND {_check_char(f'substr({col}, 17, 1)', i.ORGCODE_CHECK_CHARS, org)})"
        )
    if kind == "orgcode":
        org = f"({_weighted(col, i.DIGITS + i.UPPER, i.ORGCODE_WEIGHTS)}) % 11"
        return f"(regexp_full_match({col}, '[0-9A-Z]{{8}}-?[0-9X]') AND {_check_char(f'right({col}, 1)', i.ORGCODE_CHECK_CHARS, org)})"
    return None


@lru_cache(maxsize=10_000)
def certificate_verdict(cert_no: str, product: str, version: str, day: date, registry_file: str, vendor: str | None = None) -> Verdict | None:
    """The envelope's certificate against the data center's registry (``cert_registry``) on ``day``,
    the envelope's creation day in China Standard Time (UTC+08:00); ``registry_file`` is the rule's
    ``params.registry``, relative to ``validators/``."""
    from jincai import paths
    from jincai.validation import cert_registry

    found = cert_registry.problem(cert_no, product, version, day, paths.VALIDATORS / registry_file, vendor)
    return None if found is None else Verdict("record.envelope-certificate", found[0], found[1], found[2])


def leaf_exempt(cat, entity: str, field: str) -> bool:
    """Fields that carry summary (non-leaf) codes by design, per ``code.not-leaf``'s params."""
    rule = cat.rules.get("code.not-leaf")
    return bool(rule) and field in rule.params.get("summary_fields", {}).get(entity, [])


def year_of(text: str | None) -> int | None:
    """A fiscal_year value (already valid by the field rules) as an int."""
    return int(text) if text else None
