"""The field layer in SQL (DuckDB), a column at a time (the bulk path).

The same checks, in the same order, as ``fields_py.field_checker`` — over the raw layer's
``k_<field>`` (kind) and ``t_<field>`` (text) columns. Regexes are RE2: digits are ``[0-9]``, never
``\\d`` (which would also match full-width digits in Python); casts are never used as validators
(DuckDB accepts " 12.50" and rounds 12.345), only after the pattern has passed.
"""

from __future__ import annotations

from decimal import Decimal

from jincai.standard import CONTROL_CHARS_RE2, DATE_PATTERN, DATETIME_PATTERN, TEXT_PATTERN, Element, decimal_pattern
from jincai.validation.fields_py import ASCII_TYPES, FULLWIDTH

#: marker in ``_e_<field>``: the field was rejected by a structural rule reported elsewhere
SUPPRESSED = "~"


def q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def duck_type(element: Element) -> str:
    """The typed column of the staging contract."""
    return {
        "text": "VARCHAR",
        "code": "VARCHAR",
        "integer": "BIGINT",
        "money": "DECIMAL(18,2)",
        "decimal": f"DECIMAL(18,{element.effective_scale or 0})",
        "date": "DATE",
        "datetime": "TIMESTAMPTZ",
        "boolean": "BOOLEAN",
    }[element.type]


def typed_sql(element: Element, t: str) -> str:
    """Cast the (already valid) text to the typed column."""
    if element.type == "boolean":
        return f"({t} = 'true')"
    if element.type in ("text", "code"):
        return t
    return f"CAST({t} AS {duck_type(element)})"


def _date_ok(t: str) -> str:
    # the pattern, then a real date from 0001 on (DuckDB would also take year 0000)
    return f"(regexp_full_match({t}, {q(DATE_PATTERN)}) AND substr({t}, 1, 4) <> '0000' AND try_cast(substr({t}, 1, 10) AS DATE) IS NOT NULL)"


def _datetime_ok(t: str) -> str:
    return (
        f"(regexp_full_match({t}, {q(DATETIME_PATTERN)}) AND substr({t}, 1, 4) <> '0000'"
        f" AND try_cast(substr({t}, 1, 10) AS DATE) IS NOT NULL"
        f" AND substr({t}, 12, 2) <= '23' AND substr({t}, 15, 2) <= '59' AND substr({t}, 18, 2) <= '59'"
        f" AND (right({t}, 1) = 'Z' OR (substr(right({t}, 5), 1, 2) <= '23' AND right({t}, 2) <= '59')))"
    )


def _format_fail(element: Element, t: str) -> tuple[str, str] | None:
    """(condition that fails, rule) for the element's pattern or format."""
    kind = element.type
    if kind == "code":
        return f"NOT regexp_full_match({t}, {q(element.pattern or '.*')})", "field.pattern"
    if kind == "text":
        if element.pattern and element.pattern != TEXT_PATTERN:
            return f"NOT regexp_full_match({t}, {q(element.pattern)})", "field.pattern"
        return f"regexp_matches({t}, {q(CONTROL_CHARS_RE2)})", "field.control-char"  # C14
    if kind in ("money", "decimal"):
        rule = "field.money-format" if kind == "money" else "field.decimal-format"
        return f"NOT regexp_full_match({t}, {q(decimal_pattern(element.effective_scale or 0))})", rule
    if kind == "date":
        return f"NOT {_date_ok(t)}", "field.date"
    if kind == "datetime":
        return f"NOT {_datetime_ok(t)}", "field.datetime"
    return None


def _range_fail(element: Element, t: str) -> str | None:
    lo, hi = element.minimum, element.maximum
    if element.type == "integer":
        v = f"try_cast({t} AS BIGINT)"
        bounds = [f"{v} >= {int(lo)}" if lo is not None else None, f"{v} <= {int(hi)}" if hi is not None else None]
        inside = " AND ".join(b for b in bounds if b) or f"{v} IS NOT NULL"
        # an integer literal that does not fit in BIGINT is out of range too (NULL → fails)
        return f"NOT coalesce({inside}, false)"
    if element.type in ("money", "decimal") and (lo is not None or hi is not None):
        typ = duck_type(element)
        parts = []
        if lo is not None:
            parts.append(f"CAST({t} AS {typ}) < {Decimal(str(lo))}")
            if Decimal(str(lo)) == 0:
                parts.append(f"starts_with({t}, '-')")  # "-0.00" is refused too
        if hi is not None:
            parts.append(f"CAST({t} AS {typ}) > {Decimal(str(hi))}")
        return "(" + " OR ".join(parts) + ")"
    return None


def _fast_ok(element: Element, k: str, t: str) -> str | None:
    """A cheap condition that holds exactly when every check passes — the common case.

    Patterns are ASCII (no full-width digit can match them) and a byte length within the limit is a
    character length within it too, so valid values skip the diagnosis below entirely.
    """
    etype = element.type
    if etype in ("boolean", "integer"):
        rng = _range_fail(element, t) if etype == "integer" else None
        kind = "b" if etype == "boolean" else "i"
        return f"{k} = '{kind}'" + (f" AND NOT {rng}" if rng else "")
    parts = [f"{k} = 's'"]
    if not element.empty_allowed:
        parts.append(f"{t} <> ''")
    if etype in ("code", "text") and element.max_length is not None:
        parts.append(f"(CASE WHEN strlen({t}) <= {element.max_length} THEN true ELSE length({t}) <= {element.max_length} END)")
    fmt = _format_fail(element, t)
    if fmt:
        parts.append(f"NOT {fmt[0]}")
    rng = _range_fail(element, t)
    if rng:
        parts.append(f"NOT {rng}")
    return " AND ".join(parts)


def error_sql(element: Element, required: bool, k: str, t: str) -> str:
    """A CASE giving the first failing field rule for one value, NULL when it passes."""
    etype = element.type
    when: list[tuple[str, str]] = [(_fast_ok(element, k, t), "")]
    if etype == "boolean":
        when.append((f"{k} <> 'b'", "field.boolean-type"))
    elif etype == "integer":
        when.append((f"{k} = 's' AND regexp_matches({t}, {q(FULLWIDTH)})", "field.fullwidth-digit"))
        when.append((f"{k} <> 'i'", "field.integer-type"))
        when.append((_range_fail(element, t), "field.range"))
    else:
        type_rule = {
            "money": "field.money-format",
            "decimal": "field.decimal-format",
            "date": "field.date",
            "datetime": "field.datetime",
        }.get(etype, "field.string-type")
        when.append((f"{k} <> 's'", type_rule))
        if etype in ASCII_TYPES:
            when.append((f"regexp_matches({t}, {q(FULLWIDTH)})", "field.fullwidth-digit"))
        if not element.empty_allowed:
            when.append((f"{t} = ''", "field.empty-string"))
        if etype in ("code", "text") and element.max_length is not None:
            when.append((f"length({t}) > {element.max_length}", "field.max-length"))
        fmt = _format_fail(element, t)
        if fmt:
            when.append(fmt)
        rng = _range_fail(element, t)
        if rng:
            when.append((rng, "field.range"))
    null_branch = q("field.required") if required else "NULL"
    body = " ".join(f"WHEN {cond} THEN {q(rule) if rule else 'NULL'}" for cond, rule in when)
    return f"CASE WHEN {k} IS NULL THEN {null_branch} {body} END"
