"""Hypothesis strategies derived from the standard: valid values, valid records, broken records.

* ``valid_value(element)`` — canonical Python values of an element (``str``, ``int``, ``bool``,
  ``Decimal`` with exactly the scale, ``date``, aware ``datetime`` with various offsets);
  identifiers are generated valid with ``jincai.identifiers.make_*``.
* ``valid_record(entity)`` — canonical records: every required field, optional fields present or
  absent.
* ``mutations(entity)`` — ``(json_obj, field, kind)``: the JSON form of a valid record with one
  field broken in a named way (``MUTATION_KINDS``). Every artifact must reject it, at that field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from jincai import identifiers
from jincai.canonical import record_to_json
from jincai.standard import MONEY_PRECISION, Element, Entity, standard

__all__ = [
    "MUTATION_KINDS",
    "UNKNOWN_FIELD",
    "applicable_mutations",
    "apply_mutation",
    "mutations",
    "valid_record",
    "valid_value",
]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UNKNOWN_FIELD = "x_unknown_field"

MUTATION_KINDS: tuple[str, ...] = (
    "trailing-newline",
    "fullwidth-digit",
    "too-long",
    "empty-string",
    "null-required",
    "missing-required",
    "unknown-field",
    "int-as-string",
    "integer-as-float",
    "money-as-float",
    "money-one-decimal",
    "money-three-decimals",
    "bad-calendar-date",
    "datetime-no-offset",
    "datetime-space",
    "bad-check-digit",
    "below-minimum",
    "above-maximum",
)

_ASCII = st.characters(codec="ascii")
# printable text that may include Chinese and other scripts, astral characters included; never a
# control character or a line/paragraph separator (C14: Cc is C0, DEL and C1; Zl U+2028; Zp U+2029)
# or a lone surrogate (not encodable as UTF-8)
_TEXT_CHAR = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
)
_OFFSETS = st.one_of(
    st.sampled_from(
        [
            timezone.utc,
            timezone(timedelta(hours=8)),
            timezone(timedelta(hours=-5)),
            timezone(timedelta(hours=5, minutes=45)),
            timezone(timedelta(hours=14)),
            timezone(timedelta(hours=-12)),
            timezone(timedelta(hours=-9, minutes=-30)),
        ]
    ),
    st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m))),
)
_USCC_PREFIXES = ["11", "12", "13", "19", "21", "29", "31", "51", "52", "53", "59", "91", "92", "93", "Y1"]


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def _birth_dates() -> st.SearchStrategy[date]:
    return st.dates(min_value=identifiers.CITIZEN_ID_MIN_BIRTH, max_value=date.today())


def _identifier(element: Element) -> st.SearchStrategy[str]:
    kind = element.identifier
    if kind == "uscc":
        prefix = st.one_of(st.sampled_from(_USCC_PREFIXES), st.text(alphabet=identifiers.USCC_CHARSET, min_size=2, max_size=2))
        body = st.text(alphabet=identifiers.USCC_CHARSET, min_size=8, max_size=8)
        return st.builds(identifiers.make_uscc, prefix, _digits(6), body)
    if kind == "orgcode":
        return st.builds(identifiers.make_orgcode, st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
    if kind == "citizen_id":
        return st.builds(identifiers.make_citizen_id, _digits(6), _birth_dates(), st.integers(0, 999))
    assert kind == "cnaps"  # format only
    return st.from_regex(element.pattern or "[0-9]{12}", fullmatch=True, alphabet=_ASCII)


def valid_value(element: Element) -> st.SearchStrategy[Any]:
    """Canonical values of one element."""
    kind = element.type
    if kind == "code":
        if element.identifier:
            return _identifier(element)
        lo = element.effective_min_length or 0
        hi = element.max_length
        s = st.from_regex(element.pattern or "", fullmatch=True, alphabet=_ASCII)
        return s.filter(lambda v: lo <= len(v) and (hi is None or len(v) <= hi))
    if kind == "text":
        lo = element.effective_min_length or 0
        return st.text(alphabet=_TEXT_CHAR, min_size=lo, max_size=element.max_length)
    if kind == "integer":
        lo = INT64_MIN if element.minimum is None else int(element.minimum)
        hi = INT64_MAX if element.maximum is None else int(element.maximum)
        return st.integers(lo, hi)
    if kind in ("money", "decimal"):
        scale = element.effective_scale or 0
        bound = 10**MONEY_PRECISION - 1  # at most 18 digits in all
        lo = -bound
        if element.minimum is not None:
            lo = max(lo, int(Decimal(element.minimum).scaleb(scale)))
        return st.integers(lo, bound).map(lambda units: Decimal(units).scaleb(-scale))
    if kind == "date":
        return st.dates()
    if kind == "datetime":
        return st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_OFFSETS
        )
    if kind == "boolean":
        return st.booleans()
    raise ValueError(f"unknown element type {kind}")


def _entity(entity: str | Entity) -> Entity:
    return entity if isinstance(entity, Entity) else standard().entity(entity)


def valid_record(entity: str | Entity) -> st.SearchStrategy[dict[str, Any]]:
    """Canonical records of an entity: required fields always, optional ones sometimes."""
    ent = _entity(entity)
    required = {f.name: valid_value(f.element) for f in ent.fields if f.required}
    optional = {f.name: valid_value(f.element) for f in ent.fields if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


# ---------------------------------------------------------------------------------------------
# mutations
# ---------------------------------------------------------------------------------------------

_STRING_TYPES = ("text", "code", "money", "decimal", "date", "datetime")
_CHECKED_IDENTIFIERS = {
    # a valid example for absent optional fields (shared/reference/CHECK_DIGITS.md)
    "uscc": ("91110000600037341L", identifiers.USCC_CHARSET),
    "orgcode": ("600037341", "0123456789X"),
    "citizen_id": ("11010519491231002X", "0123456789X"),
}
_FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


def applicable_mutations(entity: str | Entity, obj: dict[str, Any]) -> list[tuple[str, str]]:
    """Every ``(field, kind)`` that can break this JSON object of the entity."""
    ent = _entity(entity)
    out: list[tuple[str, str]] = [(UNKNOWN_FIELD, "unknown-field")]
    for f in ent.fields:
        e, name, value = f.element, f.name, obj.get(f.name)
        kind = e.type
        if isinstance(value, str):
            out.append((name, "trailing-newline"))
            if kind != "text" and any(c in _FULLWIDTH for c in value):
                out.append((name, "fullwidth-digit"))
        if kind in _STRING_TYPES and not e.empty_allowed:
            out.append((name, "empty-string"))
        if kind in ("text", "code") and e.max_length is not None:
            out.append((name, "too-long"))
        if f.required:
            out.append((name, "null-required"))
            out.append((name, "missing-required"))
        if kind == "integer":
            out.append((name, "int-as-string"))
            out.append((name, "integer-as-float"))
            if e.minimum is not None:
                out.append((name, "below-minimum"))
            if e.maximum is not None:
                out.append((name, "above-maximum"))
        if kind in ("money", "decimal"):
            out.append((name, "money-as-float"))
            out.append((name, "money-one-decimal"))
            out.append((name, "money-three-decimals"))
            if e.minimum is not None:
                out.append((name, "below-minimum"))
        if kind in ("date", "datetime"):
            out.append((name, "bad-calendar-date"))
        if kind == "datetime":
            out.append((name, "datetime-no-offset"))
            out.append((name, "datetime-space"))
        if e.identifier in _CHECKED_IDENTIFIERS:
            out.append((name, "bad-check-digit"))
    return out


def _some_value(element: Element, value: Any) -> Any:
    """The field's JSON value, or a valid one when the (optional) field is absent."""
    if value is not None:
        return value
    kind = element.type
    if kind == "integer":
        return int(element.minimum) if element.minimum is not None else 12
    if kind in ("money", "decimal"):
        return "0." + "0" * (element.effective_scale or 0)
    if kind == "date":
        return "2024-05-04"
    if kind == "datetime":
        return "2024-05-04T10:22:33+08:00"
    if element.identifier in _CHECKED_IDENTIFIERS:
        return _CHECKED_IDENTIFIERS[element.identifier][0]
    return ""


def apply_mutation(entity: str | Entity, obj: dict[str, Any], field: str, kind: str) -> dict[str, Any]:
    """A copy of the JSON object with ``field`` broken by ``kind``."""
    ent = _entity(entity)
    out = dict(obj)
    if kind == "unknown-field":
        out[field] = "1"
        return out
    element = ent.field(field).element
    value = _some_value(element, obj.get(field))
    if kind == "trailing-newline":
        out[field] = value + "\n"
    elif kind == "fullwidth-digit":
        i = next(i for i, c in enumerate(value) if c in _FULLWIDTH)
        out[field] = value[:i] + _FULLWIDTH[value[i]] + value[i + 1 :]
    elif kind == "too-long":
        filler = "汉" if element.type == "text" else "9"
        out[field] = filler * ((element.max_length or 0) + 1)
    elif kind == "empty-string":
        out[field] = ""
    elif kind == "null-required":
        out[field] = None
    elif kind == "missing-required":
        out.pop(field, None)
    elif kind == "int-as-string":
        out[field] = str(value)
    elif kind == "integer-as-float":
        out[field] = float(value)
    elif kind == "money-as-float":
        out[field] = float(value)
    elif kind == "money-one-decimal":
        out[field] = value[:-1]
    elif kind == "money-three-decimals":
        out[field] = value + "0"
    elif kind == "bad-calendar-date":
        out[field] = "2023-02-29" if element.type == "date" else "2023-02-29T10:00:00+08:00"
    elif kind == "datetime-no-offset":
        out[field] = value[:-1] if value.endswith("Z") else value[:-6]
    elif kind == "datetime-space":
        out[field] = value.replace("T", " ", 1)
    elif kind == "bad-check-digit":
        alphabet = _CHECKED_IDENTIFIERS[element.identifier or ""][1]
        last = value[-1]
        out[field] = value[:-1] + next(c for c in alphabet if c != last)
    elif kind == "below-minimum":
        if element.type == "integer":
            out[field] = int(element.minimum or 0) - 1
        else:
            scale = element.effective_scale or 0
            out[field] = format(Decimal(element.minimum or 0) - Decimal(1).scaleb(-scale), "f")
    elif kind == "above-maximum":
        out[field] = int(element.maximum or 0) + 1
    else:
        raise ValueError(f"unknown mutation kind {kind}")
    return out


def mutations(entity: str | Entity, kinds: tuple[str, ...] = MUTATION_KINDS) -> st.SearchStrategy[tuple[dict[str, Any], str, str]]:
    """``(json_obj, field, kind)``: a valid record's JSON form with one field broken.

    The kind is drawn first (uniformly among those that apply to the drawn record), then the field.
    """
    ent = _entity(entity)

    @st.composite
    def draw_mutation(draw: Any) -> tuple[dict[str, Any], str, str]:
        obj = record_to_json(ent, draw(valid_record(ent)))
        options = [(f, k) for f, k in applicable_mutations(ent, obj) if k in kinds]
        available = sorted({k for _, k in options}, key=MUTATION_KINDS.index)
        kind = draw(st.sampled_from(available))
        field = draw(st.sampled_from([f for f, k in options if k == kind]))
        return apply_mutation(ent, obj, field, kind), field, kind

    return draw_mutation()


# ---------------------------------------------------------------------------------------------
# edge values of the conventions (C01–C15): each one accepted or refused by every artifact
# ---------------------------------------------------------------------------------------------

#: every character C14 forbids in text (C0, DEL, C1, U+2028, U+2029), and lone surrogates (C08)
FORBIDDEN_TEXT_CHARS: tuple[str, ...] = (
    tuple(chr(c) for c in range(0x20)) + tuple(chr(c) for c in range(0x7F, 0xA0)) + ("\u2028", "\u2029", "\ud800", "\udbff", "\udc00", "\udfff")
)
#: characters at the edges of what text allows (C14)
ALLOWED_TEXT_EDGES: tuple[str, ...] = (" ", "~", "\u00a0", "\u2027", "\u202a", "\ud7ff", "\ue000", "\ufeff", "\ufffe", "\uffff", "\U00010000", "😀", "\U0010ffff")

_DATE_EDGES = [
    ("0001-01-01", True), ("9999-12-31", True), ("2000-02-29", True), ("2024-02-29", True), ("0004-02-29", True),
    ("0000-01-01", False), ("1900-02-29", False), ("2023-02-29", False), ("2100-02-29", False), ("2024-04-31", False),
    ("2024-13-01", False), ("2024-00-10", False), ("2024-01-00", False), ("2024-01-32", False), ("2024-5-4", False),
    ("20240504", False), ("2024-05-04T00:00:00Z", False), ("２０２４-05-04", False), ("\n2024-05-04", False),
]
_DATETIME_EDGES = [
    ("2024-05-04T10:22:33Z", True), ("2024-05-04T10:22:33+00:00", True), ("2024-05-04T10:22:33.1Z", True),
    ("2024-05-04T10:22:33.123456+23:59", True), ("2024-05-04T23:59:59.999999-23:59", True), ("2024-02-29T00:00:00-00:01", True),
    ("0001-01-01T00:00:00+00:00", True), ("9999-12-31T23:59:59Z", True),
    ("2024-05-04T23:59:60Z", False), ("2024-06-30T23:59:60+00:00", False), ("2024-05-04T24:00:00Z", False),
    ("0000-01-01T00:00:00Z", False), ("2023-02-29T10:00:00Z", False), ("2024-05-04T10:22:33-00:00", False),
    ("2024-05-04T10:22:33+0800", False), ("2024-05-04T10:22:33+08", False), ("2024-05-04t10:22:33Z", False),
    ("2024-05-04T10:22:33z", False), ("2024-05-04 10:22:33Z", False), ("2024-05-04T10:22:33", False),
    ("2024-05-04T10:22:33+24:00", False), ("2024-05-04T10:22:33+05:60", False), ("2024-05-04T10:60:00Z", False),
    ("2024-05-04T10:22:33.1234567Z", False), ("2024-05-04T10:22:33.Z", False), ("2024-05-04T10:22Z", False),
]


def _number_edges(element: Element) -> list[tuple[str, Any, bool]]:
    scale = element.effective_scale or 0
    zeros = "0" * scale
    frac = "." + zeros if scale else ""
    widest = "9" * (MONEY_PRECISION - scale)
    non_negative = element.minimum is not None
    out: list[tuple[str, Any, bool]] = [
        ("zero", "0" + frac, True),
        ("negative-zero", "-0" + frac, not non_negative),
        ("negative", "-1" + frac, not non_negative),
        ("widest", widest + frac, True),
        ("too-wide", "1" + widest + frac, False),
        ("plus-sign", "+1" + frac, False),
        ("leading-zero", "01" + frac, False),
        ("thousands", "1,234" + frac, False),
        ("space", " 1" + frac, False),
        ("no-integer-part", frac or ".", False),
        ("exponent", "1e2", False),
        ("fullwidth", "１" + frac, False),
        ("number", 1.5, False),
        ("integer-number", 1, False),
    ]
    return out


def edge_values(element: Element) -> list[tuple[str, Any, bool]]:
    """``(name, JSON value, valid)`` at the edges of the conventions for one element."""
    kind = element.type
    if kind == "text":
        top = element.max_length or 10
        out = [(f"allowed-U+{ord(c):04X}", "a" + c, True) for c in ALLOWED_TEXT_EDGES]
        out += [(f"forbidden-U+{ord(c):04X}", "a" + c + "b", False) for c in FORBIDDEN_TEXT_CHARS]
        out += [("astral-at-max-length", "😀" * top, True), ("astral-over-max-length", "😀" * (top + 1), False)]
        out += [("final-line-feed", "a\n", False), ("final-crlf", "a\r\n", False), ("leading-line-feed", "\na", False)]
        if element.empty_allowed:
            out.append(("empty-allowed", "", True))
        return out
    if kind == "code":
        return [("leading-line-feed", "\n1", False), ("final-crlf", "1\r\n", False), ("space", " ", False), ("number", 1, False)]
    if kind == "integer":
        value = int(element.minimum) if element.minimum is not None else 12
        out = [("string", str(value), False), ("boolean", True, False), ("exponent-float", float(value), False)]
        if element.minimum is not None:
            out.append(("at-minimum", int(element.minimum), True))
        if element.maximum is not None:
            out.append(("at-maximum", int(element.maximum), True))
        return out
    if kind in ("money", "decimal"):
        return _number_edges(element)
    if kind == "date":
        return [(v, v, ok) for v, ok in _DATE_EDGES] + [("number", 20240504, False)]
    if kind == "datetime":
        return [(v, v, ok) for v, ok in _DATETIME_EDGES]
    if kind == "boolean":
        return [("string", "true", False), ("number", 1, False)]
    return []


def edge_cases(entity: str | Entity, obj: dict[str, Any]) -> list[tuple[dict[str, Any], str, str, bool]]:
    """``(json_obj, field, name, valid)``: the record with one field set to each of its edge values,
    and the record with every optional field explicitly null (valid, C06)."""
    ent = _entity(entity)
    out: list[tuple[dict[str, Any], str, str, bool]] = []
    nulls = {f.name: None for f in ent.fields if not f.required}
    if nulls:
        out.append(({**obj, **nulls}, "", "null-in-every-optional-field", True))
    for f in ent.fields:
        for name, value, valid in edge_values(f.element):
            out.append(({**obj, f.name: value}, f.name, name, valid))
    return out
