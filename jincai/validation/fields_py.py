"""The field layer in Python, one value at a time (the per-record path).

Every reader turns a value into its JSON form and then into ``(kind, text)``: kind ``s`` string,
``i`` integer literal, ``n`` other number, ``b`` boolean, ``o`` object/array, ``None`` null or
absent. ``field_checker(element, required)`` returns a function ``(kind, text) -> rule id | None``
giving the first failing check in the order of ``validators/field.yaml``. ``fields_sql.py`` says
the same thing in SQL for the bulk path; ``tests/test_one_verdict.py`` holds them to it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from jincai.canonical import datetime_text
from jincai.standard import CONTROL_CHARS, DATE_PATTERN, DATETIME_PATTERN, TEXT_PATTERN, Element, decimal_pattern

Kind = str | None
Checker = Callable[[Kind, str | None], str | None]

INT_TEXT = "-?(0|[1-9][0-9]*)"  # how a CSV cell spells an integer (C04)
FULLWIDTH = "[０-９]"  # C07
_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1
#: element types whose values are ASCII only (C07)
ASCII_TYPES = frozenset({"code", "date", "datetime", "money", "decimal", "integer"})
_TYPE_RULE = {
    "money": "field.money-format",
    "decimal": "field.decimal-format",
    "date": "field.date",
    "datetime": "field.datetime",
    "code": "field.string-type",
    "text": "field.string-type",
}


def kind_text(value: Any) -> tuple[Kind, str | None]:
    """A JSON-form value → (kind, text), as DuckDB's JSON reader sees it."""
    if value is None:
        return None, None
    t = type(value)
    if t is str:
        return "s", value
    if t is bool:
        return "b", "true" if value else "false"
    if t is int:
        # DuckDB reads integers up to uint64; a longer literal is a double there
        return ("i" if _INT64[0] <= value <= _UINT64_MAX else "n"), str(value)
    if t is float:
        return "n", repr(value)
    return "o", json.dumps(value, ensure_ascii=False)


def json_form(value: Any) -> Any:
    """A typed value from Avro or Parquet → its JSON form (money as text with its own scale…)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        try:
            return datetime_text(value)
        except ValueError:  # no offset (a naive Parquet timestamp): its text fails field.datetime
            return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": value.hex()}  # never a valid value; shown as an object
    return value


def csv_form(element: Element, cell: str | None) -> Any:
    """A CSV cell → its JSON form: an empty cell is null (C06); integers and booleans are read."""
    if cell is None or cell == "":
        return None
    if element.type == "integer" and _INT_RE.fullmatch(cell):
        return int(cell)
    if element.type == "boolean" and cell in ("true", "false"):
        return cell == "true"
    return cell


_INT_RE = re.compile(INT_TEXT)
_FULLWIDTH_RE = re.compile(FULLWIDTH)
_DATE_RE = re.compile(DATE_PATTERN)
_DATETIME_RE = re.compile(DATETIME_PATTERN)
_CONTROL_RE = re.compile(CONTROL_CHARS)  # C14: C0, DEL, C1, U+2028, U+2029


def date_ok(text: str) -> bool:
    """C02: YYYY-MM-DD and a real date (year 0001 or later)."""
    if not _DATE_RE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def datetime_ok(text: str) -> bool:
    """C03: RFC 3339 with an offset; hour ≤ 23, minute and second ≤ 59, offset ≤ 23:59."""
    if not _DATETIME_RE.fullmatch(text) or not date_ok(text[:10]):
        return False
    if text[11:13] > "23" or text[14:16] > "59" or text[17:19] > "59":
        return False
    if text[-1] != "Z" and (text[-5:-3] > "23" or text[-2:] > "59"):
        return False
    return True


def _range_check(element: Element) -> Callable[[str], bool] | None:
    """A function text → True when the value is inside minimum/maximum, or None without bounds."""
    lo, hi = element.minimum, element.maximum
    if element.type == "integer":
        lo_i = _INT64[0] if lo is None else max(int(lo), _INT64[0])
        hi_i = _INT64[1] if hi is None else min(int(hi), _INT64[1])
        return lambda text: lo_i <= int(text) <= hi_i
    if element.type in ("money", "decimal") and (lo is not None or hi is not None):
        lo_d = None if lo is None else Decimal(str(lo))
        hi_d = None if hi is None else Decimal(str(hi))

        def inside(text: str) -> bool:
            value = Decimal(text)
            if lo_d is not None and (value < lo_d or (lo_d == 0 and text.startswith("-"))):
                return False  # a minimum of 0 also refuses "-0.00", as every artifact does
            return hi_d is None or value <= hi_d

        return inside
    return None


def _format_check(element: Element) -> tuple[str, Callable[[str], bool]] | None:
    """(rule, text → ok) for the element's pattern or format, if it has one."""
    kind = element.type
    if kind == "code":
        fm = re.compile(element.pattern or ".*").fullmatch
        return "field.pattern", lambda t: fm(t) is not None
    if kind == "text":
        if element.pattern and element.pattern != TEXT_PATTERN:
            fm = re.compile(element.pattern).fullmatch
            return "field.pattern", lambda t: fm(t) is not None
        return "field.control-char", lambda t: _CONTROL_RE.search(t) is None
    if kind in ("money", "decimal"):
        fm = re.compile(decimal_pattern(element.effective_scale or 0)).fullmatch
        return _TYPE_RULE[kind], lambda t: fm(t) is not None
    if kind == "date":
        return "field.date", date_ok
    if kind == "datetime":
        return "field.datetime", datetime_ok
    return None


def field_checker(element: Element, required: bool) -> Checker:
    """The field layer for one element: ``(kind, text) -> rule id | None``."""
    etype = element.type
    ascii_only = etype in ASCII_TYPES
    empty_ok = element.empty_allowed
    max_len = element.max_length if etype in ("code", "text") else None
    fmt = _format_check(element)
    in_range = _range_check(element)
    type_rule = _TYPE_RULE.get(etype)

    def check(kind: Kind, text: str | None) -> str | None:
        if kind is None:
            return "field.required" if required else None
        if etype == "boolean":
            return None if kind == "b" else "field.boolean-type"
        if etype == "integer":
            if kind == "s" and _FULLWIDTH_RE.search(text):
                return "field.fullwidth-digit"
            if kind != "i":
                return "field.integer-type"
            return None if in_range(text) else "field.range"
        if kind != "s":
            return type_rule
        if ascii_only and _FULLWIDTH_RE.search(text):
            return "field.fullwidth-digit"
        if text == "" and not empty_ok:
            return "field.empty-string"
        if max_len is not None and len(text) > max_len:
            return "field.max-length"
        if fmt is not None and not fmt[1](text):
            return fmt[0]
        if in_range is not None and not in_range(text):
            return "field.range"
        return None

    return check


def expected_text(element: Element, rule: str) -> str:
    """What the field should have looked like, language-neutral, for reports."""
    if rule == "field.max-length":
        return str(element.max_length)
    if rule == "field.pattern":
        return element.pattern or ""
    if rule == "field.money-format":
        return decimal_pattern(2)
    if rule == "field.decimal-format":
        return str(element.effective_scale)
    if rule == "field.date":
        return "YYYY-MM-DD"
    if rule == "field.datetime":
        return "YYYY-MM-DDThh:mm:ss[.ffffff](Z|±hh:mm)"
    if rule == "field.range":
        lo = "" if element.minimum is None else str(element.minimum)
        hi = "" if element.maximum is None else str(element.maximum)
        return f"[{lo}, {hi}]"
    if rule == "field.integer-type":
        return "integer"
    if rule == "field.boolean-type":
        return "true | false"
    if rule in ("field.string-type", "field.empty-string"):
        return "string"
    return ""
