"""The JSON Schema validator configured the way the standard means its schemas.

``validator_for("payment_voucher")`` returns a cached ``jsonschema`` Draft 2020-12 validator for
``schemas/json/payment_voucher.schema.json`` with

* an ``integer`` type that never accepts a float — ``2024.0`` is not an integer (C04; plain
  jsonschema follows the JSON Schema spec and accepts it);
* format *assertion* (not just annotation) for ``date`` (a real calendar date, C02), ``date-time``
  (RFC 3339 with an offset, C03), and ``jincai-uscc`` / ``jincai-orgcode`` / ``jincai-citizen-id``
  / ``jincai-cnaps`` (check characters, C11). The date and datetime checks are the same functions
  the pydantic models' semantics are tested against (``jincai.models.types.parse_date``/``parse_datetime``).

``error_fields(error)`` names the record field(s) an error is about, for reports.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from jincai import identifiers, paths
from jincai.models.types import parse_date, parse_datetime
from jincai.standard import standard

__all__ = ["FORMAT_CHECKER", "FiscalValidator", "error_fields", "schema_for", "validator_for"]


def _is_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer)

#: Draft 2020-12 with the C04 integer rule
FiscalValidator = validators.extend(Draft202012Validator, type_checker=_TYPE_CHECKER)


def _parses(parse: Any) -> Any:
    def check(instance: Any) -> bool:
        if not isinstance(instance, str):
            return True  # formats apply to strings only
        try:
            parse(instance)
        except ValueError:
            return False
        return True

    return check


def _identifier(check: Any) -> Any:
    def run(instance: Any) -> bool:
        if not isinstance(instance, str):
            return True
        return check(instance).valid

    return run


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date")(_parses(parse_date))
FORMAT_CHECKER.checks("date-time")(_parses(parse_datetime))
FORMAT_CHECKER.checks("jincai-uscc")(_identifier(identifiers.check_uscc))
FORMAT_CHECKER.checks("jincai-orgcode")(_identifier(identifiers.check_orgcode))
FORMAT_CHECKER.checks("jincai-citizen-id")(_identifier(identifiers.check_citizen_id))
FORMAT_CHECKER.checks("jincai-cnaps")(_identifier(identifiers.check_cnaps))


@lru_cache(maxsize=None)
def schema_for(entity_id: str) -> dict[str, Any]:
    """The published schema of an entity (``schemas/json/``), or generated in memory if absent."""
    entity = standard().entity(entity_id)  # JincaiError for an unknown entity
    path = paths.SCHEMAS / "json" / f"{entity.id}.schema.json"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    from jincai.generate.json_schema import entity_schema

    return entity_schema(standard(), entity)


@lru_cache(maxsize=None)
def validator_for(entity_id: str) -> Draft202012Validator:
    """A cached validator for one entity: C04 integers, format assertion (C02, C03, C11)."""
    schema = schema_for(entity_id)
    FiscalValidator.check_schema(schema)
    return FiscalValidator(schema, format_checker=FORMAT_CHECKER)


def error_fields(error: ValidationError) -> list[str]:
    """The record fields an error is about: the path's first item, or the properties named by a
    ``required`` / ``additionalProperties`` error at the top of the record."""
    if error.absolute_path:
        return [str(error.absolute_path[0])]
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        return [name for name in error.validator_value if name not in instance]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return [name for name in instance if name not in known]
    return []
