"""Hand-written annotated types behind the generated models (``generated.py``).

One builder per element type of the standard; ``generated.py`` calls them once per element. Every
type implements the conventions of ``standards/standard.yaml`` exactly as the JSON Schema, Avro and
protobuf artifacts do:

* text / code — strict ``str``; length in characters (C08) and the element's pattern, anchored as
  ``^(?:BODY)$`` and checked by pydantic-core's Rust regex engine, where ``$`` is the end of the text
  (C01: no trailing newline). Text never carries control characters (C14). Identifier elements also
  pass their check character (C11, ``jincai.identifiers``); the error type is the reason code.
* integer — strict ``int``: never ``"12"``, ``12.0`` or ``true`` (C04).
* money / decimal — a string with exactly ``scale`` decimals (or, from Python, a ``Decimal`` with
  exactly that exponent) → ``Decimal``; never a float or an int (C05, C13). A ``minimum`` of zero is
  part of the pattern (no sign), so JSON Schema enforces it in the same way.
* date — ``YYYY-MM-DD`` that exists in the calendar (C02), or a ``date``; never an int.
* datetime — RFC 3339 with an offset (C03), or an aware ``datetime``; the offset is kept, and JSON
  output is the one canonical text (``jincai.canonical.datetime_text``: no trailing fraction zeros,
  ``Z`` for a zero offset).
* boolean — strict ``bool``.

In JSON mode the structural check of money, dates and datetimes runs on the Rust side (a strict
string with a pattern); only the final conversion (``Decimal(s)``, ``date.fromisoformat``) is a
Python call, so ``model_validate_json`` stays fast.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Callable, ClassVar

import annotated_types
from pydantic import AfterValidator, BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler, Strict
from pydantic import StringConstraints
from pydantic_core import PydanticCustomError, core_schema

from jincai import identifiers
from jincai.canonical import datetime_text
from jincai.standard import DATE_PATTERN, DATETIME_PATTERN, Element, decimal_pattern

__all__ = [
    "FiscalRecord",
    "anchored",
    "json_pattern",
    "FINAL_LF_GUARD",
    "boolean",
    "code",
    "date_value",
    "datetime_value",
    "decimal_value",
    "integer",
    "money",
    "number_pattern",
    "parse_date",
    "parse_datetime",
    "text",
    "IDENTIFIER_CHECKS",
    "FORMAT_ONLY_IDENTIFIERS",
]


class FiscalRecord(BaseModel):
    """Base class of every generated entity model: closed (C09), immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the entity id in the standard (``payment_voucher``), set by each generated class
    __entity__: ClassVar[str] = ""

    def canonical(self) -> dict[str, Any]:
        """The canonical record: field → Python value, absent/null optional fields left out (C06)."""
        return {name: value for name, value in self.__dict__.items() if value is not None}


# ---------------------------------------------------------------------------------------------
# patterns
# ---------------------------------------------------------------------------------------------


def anchored(body: str) -> str:
    """``^(?:BODY)$`` — a full match for engines where ``$`` is the end of the text (Rust regex)."""
    return f"^(?:{body})$"


def json_pattern(body: str) -> str:
    """``^(?:BODY)$`` — the JSON Schema form (C01), with ECMA-262 semantics (``u`` flag).

    No look-around (jsonschema-rs and other linear-time engines have none). In ECMA-262 and Rust
    regex ``$`` is the end of the text; Python's ``re.search`` (the jsonschema library) also lets it
    match before a final line feed, so every published string property carries ``FINAL_LF_GUARD``.
    """
    return f"^(?:{body})$"


#: C01 in every engine: a string ending with a line feed is refused. ``\n$`` means "ends with LF" in
#: Python re, ECMA-262 and Rust alike; ``type: string`` inside keeps ``not`` from refusing null.
FINAL_LF_GUARD: dict[str, Any] = {"not": {"type": "string", "pattern": "\\n$"}}


def number_pattern(element: Element) -> str:
    """Full-match body for a money/decimal element (C05, C13); defined once, in the standard."""
    return element.value_pattern()


# ---------------------------------------------------------------------------------------------
# shared parsers (also used by the JSON Schema format checker, so both mean the same)
# ---------------------------------------------------------------------------------------------

_DATE_RE = re.compile(DATE_PATTERN)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def parse_date(text: str) -> date:
    """A C02 date string → ``date``; ``ValueError`` if it is not ``YYYY-MM-DD`` or not a real date."""
    if _DATE_RE.fullmatch(text) is None:
        raise ValueError("not YYYY-MM-DD")
    return date.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    """A C03 RFC 3339 string → aware ``datetime`` keeping the offset; ``ValueError`` otherwise.

    RFC 3339 offsets have minutes 00–59 (Python would read ``+05:60`` as ``+06:00``); leap seconds
    (``:60``) cannot be represented and are rejected.
    """
    if _DATETIME_RE.fullmatch(text) is None:
        raise ValueError("not RFC 3339 with an offset")
    if text[-1] != "Z" and text[-2] > "5":
        raise ValueError("offset minutes must be 00-59")
    return datetime.fromisoformat(text)


# ---------------------------------------------------------------------------------------------
# money / decimal
# ---------------------------------------------------------------------------------------------


_MONEY_MESSAGE = (
    '金额必须是恰好两位小数的字符串，如 "1234.50"，不能是数字（C05）'
    ' / money must be a string with exactly two decimals, e.g. "1234.50", never a number (C05)'
)
_DATE_MESSAGE = (
    "日期必须写作 YYYY-MM-DD 且是真实存在的日期（C02）"
    " / a date must be written YYYY-MM-DD and exist in the calendar (C02)"
)
_DATETIME_MESSAGE = (
    "时间戳必须是带时区偏移的 RFC 3339 时间，如 2024-05-04T10:22:33+08:00（C03）"
    " / a datetime must be RFC 3339 with an offset, e.g. 2024-05-04T10:22:33+08:00 (C03)"
)


@dataclass(frozen=True)
class _DecimalString:
    """A money or decimal element: JSON string with exactly ``scale`` decimals ↔ ``Decimal``.

    Errors of every kind (a float, an int, one decimal too many, below the minimum) are one error
    type, ``money_format`` or ``decimal_format``.
    """

    scale: int
    pattern: str  # full-match body (see number_pattern)
    money: bool

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        fullmatch = re.compile(self.pattern).fullmatch
        exponent = -self.scale
        if self.money:
            error_type, message = "money_format", _MONEY_MESSAGE
        else:
            error_type = "decimal_format"
            message = (
                f"小数必须是恰好 {self.scale} 位小数的字符串，不能是数字（C13）"
                f" / a decimal must be a string with exactly {self.scale} decimals, never a number (C13)"
            )

        def from_python(value: Any) -> Decimal:
            if type(value) is str:
                if fullmatch(value) is not None:
                    return Decimal(value)
            elif isinstance(value, Decimal):
                # precision, sign (minimum 0) and finiteness show in the 'f' form, the scale in the exponent
                if value.as_tuple().exponent == exponent and fullmatch(format(value, "f")) is not None:
                    return value
            raise PydanticCustomError(error_type, message)

        from_json = core_schema.chain_schema(
            [
                core_schema.str_schema(strict=True, pattern=anchored(self.pattern)),
                core_schema.no_info_plain_validator_function(Decimal),
            ]
        )
        return core_schema.json_or_python_schema(
            json_schema=core_schema.custom_error_schema(from_json, custom_error_type=error_type, custom_error_message=message),
            python_schema=core_schema.no_info_plain_validator_function(from_python),
            serialization=core_schema.plain_serializer_function_ser_schema(_decimal_text, when_used="json"),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"type": "string", "pattern": json_pattern(self.pattern), "x-scale": self.scale}


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def money(*, pattern: str) -> Any:
    """Money: yuan, a string with exactly two decimals (C05); ``pattern`` from ``number_pattern``."""
    return Annotated[Decimal, _DecimalString(2, pattern, True)]


def decimal_value(*, scale: int, pattern: str) -> Any:
    """A non-money decimal with exactly ``scale`` decimals (C13); ``pattern`` from ``number_pattern``."""
    return Annotated[Decimal, _DecimalString(scale, pattern, False)]


# ---------------------------------------------------------------------------------------------
# date / datetime
# ---------------------------------------------------------------------------------------------
# A string is checked against the pattern (Rust regex) and then parsed by pydantic-core (speedate):
# no Python call. speedate rejects what RFC 3339 rejects and Python cannot hold (hour 24, second 60,
# offset minutes 60+, year 0) — tests/test_models.py pins this against parse_date/parse_datetime,
# which the JSON Schema format checker uses. Parsed datetimes carry pydantic_core.TzInfo with the
# submitted offset; Python datetimes given to the model are kept as they are.


@dataclass(frozen=True)
class _Temporal:
    kind: str  # "date" | "datetime"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        if self.kind == "date":
            from_str = core_schema.chain_schema(
                [core_schema.str_schema(strict=True, pattern=anchored(DATE_PATTERN)), core_schema.date_schema()]
            )
            instance = core_schema.date_schema(strict=True)  # a date, not a datetime
            error_type, message = "date_format", _DATE_MESSAGE
        else:
            from_str = core_schema.chain_schema(
                [core_schema.str_schema(strict=True, pattern=anchored(DATETIME_PATTERN)), core_schema.datetime_schema()]
            )
            instance = core_schema.datetime_schema(strict=True, tz_constraint="aware")
            error_type, message = "datetime_format", _DATETIME_MESSAGE
        return core_schema.json_or_python_schema(
            json_schema=core_schema.custom_error_schema(from_str, custom_error_type=error_type, custom_error_message=message),
            python_schema=core_schema.union_schema(
                [instance, from_str], mode="left_to_right", custom_error_type=error_type, custom_error_message=message
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _isoformat if self.kind == "date" else datetime_text, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        pattern = DATE_PATTERN if self.kind == "date" else DATETIME_PATTERN
        return {"type": "string", "pattern": json_pattern(pattern), "format": "date" if self.kind == "date" else "date-time"}


def _isoformat(value: date) -> str:
    return value.isoformat()


#: a date (C02)
date_value: Any = Annotated[date, _Temporal("date")]
#: an aware datetime, offset preserved (C03)
datetime_value: Any = Annotated[datetime, _Temporal("datetime")]


# ---------------------------------------------------------------------------------------------
# text / code / integer / boolean
# ---------------------------------------------------------------------------------------------

#: identifier kind → check function of ``jincai.identifiers`` (C11)
IDENTIFIER_CHECKS: dict[str, Callable[[Any], identifiers.IdCheck]] = {
    "uscc": identifiers.check_uscc,
    "orgcode": identifiers.check_orgcode,
    "citizen_id": identifiers.check_citizen_id,
    "cnaps": identifiers.check_cnaps,
}


def _identifier_validator(kind: str) -> AfterValidator:
    check = IDENTIFIER_CHECKS[kind]

    def validate(value: str) -> str:
        result = check(value)
        if not result.valid:
            raise PydanticCustomError(result.code, f"{result.reason_zh} / {result.reason_en}")
        return value

    validate.__name__ = f"check_{kind}"
    validate.jincai_identifier = kind  # type: ignore[attr-defined]  # see is_identifier_check
    return AfterValidator(validate)


def is_identifier_check(meta: Any) -> bool:
    """Is this piece of a field's metadata the identifier check (C11)?

    The translation boundary: adapters make canonical records, so they check a field against its
    model type *without* the check character / embedded region or birth date — a value of the right
    length and charset is translated and left to ``jincai validate`` (``ident.*``, with the severity
    the province sets). The model itself, the JSON Schema and ``jincai validate`` keep the check.
    """
    return getattr(getattr(meta, "func", None), "jincai_identifier", None) is not None


def without_identifier_checks(annotation: Any) -> Any:
    """``annotation`` (``Annotated``/``Optional`` nesting kept) minus its identifier checks."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        meta = [m for m in meta if not is_identifier_check(m)]
        inner = without_identifier_checks(base)
        return typing.Annotated[(inner, *meta)] if meta else inner
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(without_identifier_checks(a) for a in typing.get_args(annotation))]
    return annotation


#: identifier kinds checked for format only (``check_cnaps``: 12 ASCII digits). The element's pattern
#: already says exactly that, so the model does not call the check function for them — it would cost
#: ~1.8 µs a record for nothing. ``tests/test_models.py`` proves that the pattern and the check accept
#: the same strings; if ``jincai.identifiers`` ever verifies more, remove the kind from this set.
FORMAT_ONLY_IDENTIFIERS = frozenset({"cnaps"})


def _string(pattern: str, min_length: int | None, max_length: int | None, identifier: str | None) -> Any:
    constraints = StringConstraints(strict=True, min_length=min_length, max_length=max_length, pattern=anchored(pattern))
    if identifier and identifier not in FORMAT_ONLY_IDENTIFIERS:
        return Annotated[str, constraints, _identifier_validator(identifier)]
    return Annotated[str, constraints]


def text(*, pattern: str, min_length: int | None, max_length: int | None) -> Any:
    """Text: no control characters (C14), length in characters (C08), non-empty unless allowed (C06)."""
    return _string(pattern, min_length, max_length, None)


def code(*, pattern: str, min_length: int | None, max_length: int | None, identifier: str | None = None) -> Any:
    """Code: the element's pattern in full (C01); identifiers pass their check character (C11)."""
    return _string(pattern, min_length, max_length, identifier)


def integer(*, ge: int | None, le: int | None) -> Any:
    """Integer: a JSON integer, never a string, a float or a bool (C04)."""
    return Annotated[int, Strict(), annotated_types.Interval(ge=ge, le=le)]


#: a strict bool
boolean: Any = Annotated[bool, Strict()]
