"""Generate ``schemas/json/<entity>.schema.json`` (JSON Schema 2020-12), one file per entity.

Semantics (identical to the pydantic models):

* closed records (``additionalProperties: false``, C09); ``required`` lists the required fields;
  an optional field is ``{"type": [T, "null"]}`` (null and absent mean the same, C06);
* text/code: ``minLength``/``maxLength`` in characters (C08) and ``pattern`` ``^(?:BODY)$(?!\\n)``
  (C01 — the look-ahead makes Python's ``re.search`` agree with ECMA-262 on a final newline);
* integer: ``type: integer`` with ``minimum``/``maximum``; a validator must not count ``12.0`` as
  an integer (C04; ``jincai.jsonschema_check`` does this);
* money/decimal: a string with exactly ``x-scale`` decimals; a zero minimum is in the pattern;
* date/datetime: pattern + ``format`` ``date``/``date-time``; identifiers ``format: jincai-*``.
  Formats must be *asserted* (a real calendar date, RFC 3339, check characters C11).
"""

from __future__ import annotations

import json
from typing import Any

from jincai.models.types import json_pattern, number_pattern
from jincai.standard import Element, Entity, Standard

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: identifier kind → the JSON Schema format name (asserted by jincai.jsonschema_check)
IDENTIFIER_FORMATS = {
    "uscc": "jincai-uscc",
    "orgcode": "jincai-orgcode",
    "citizen_id": "jincai-citizen-id",
    "cnaps": "jincai-cnaps",
}

_JSON_TYPE = {
    "text": "string",
    "code": "string",
    "integer": "integer",
    "money": "string",
    "decimal": "string",
    "date": "string",
    "datetime": "string",
    "boolean": "boolean",
}

#: JSON text can escape a lone surrogate ("\\ud800"), which is not a character (C08): Python's json
#: module and the jsonschema library accept it, pydantic and protobuf do not. Codes are ASCII by
#: pattern; text needs this. With the ECMA-262 "u" flag (which 2020-12 says to use) the class matches
#: only lone surrogates, never the halves of a real astral character.
NO_LONE_SURROGATE = {"pattern": "[\\ud800-\\udfff]"}

COMMENT = (
    "由 python -m jincai.generate 从 standards/ 生成，请勿手工修改。"
    "pattern 写作 ^(?:P)$(?!\\n)：整值匹配且末尾不得有换行（C01），使 Python re.search 与 ECMA-262 含义一致。"
    "校验器必须启用 format 断言：date 为真实日期（C02），date-time 为带偏移的 RFC 3339（C03），"
    "jincai-uscc / jincai-orgcode / jincai-citizen-id 校验位（C11），jincai-cnaps 仅格式。"
    "带小数部分的 JSON 数（如 12.0）永远不是整数（C04）。正则按 ECMA-262 的 u 标志解释；文本不得含孤立代理项。"
    " / Generated from standards/ by python -m jincai.generate; do not edit. "
    "Patterns are written ^(?:P)$(?!\\n): the whole value, no trailing newline (C01), so that "
    "Python's re.search means the same as ECMA-262. Validators MUST assert formats: date is a real "
    "calendar date (C02), date-time is RFC 3339 with an offset (C03), jincai-uscc / jincai-orgcode / "
    "jincai-citizen-id pass their check characters (C11), jincai-cnaps is format only. A JSON number "
    "written with a fraction (12.0) is never an integer (C04). Regular expressions are ECMA-262 with the u "
    "flag; text must not contain lone surrogates."
)


def schema_id(std: Standard, entity: Entity) -> str:
    return f"urn:jincai:fiscal:{std.version}:{entity.id}"


def _description(element: Element) -> str | None:
    parts = [x for x in (element.description_zh, element.description_en) if x]
    return " / ".join(parts) if parts else None


def property_schema(element: Element, required: bool) -> dict[str, Any]:
    kind = element.type
    json_type = _JSON_TYPE[kind]
    s: dict[str, Any] = {
        "title": f"{element.name_zh} {element.name_en}",
        "type": json_type if required else [json_type, "null"],
        "x-element": element.id,
        "x-name-zh": element.name_zh,
        "x-name-en": element.name_en,
        "x-type": kind,
    }
    description = _description(element)
    if description:
        s["description"] = description
    if kind in ("text", "code"):
        s["pattern"] = json_pattern(element.value_pattern() or "")
        if element.effective_min_length:
            s["minLength"] = element.effective_min_length
        if element.max_length is not None:
            s["maxLength"] = element.max_length
        if element.identifier:
            s["format"] = IDENTIFIER_FORMATS[element.identifier]
        if kind == "text":
            s["not"] = NO_LONE_SURROGATE
    elif kind == "integer":
        if element.minimum is not None:
            s["minimum"] = int(element.minimum)
        if element.maximum is not None:
            s["maximum"] = int(element.maximum)
    elif kind in ("money", "decimal"):
        s["pattern"] = json_pattern(number_pattern(element))
        s["x-scale"] = element.effective_scale
        if element.minimum is not None:
            s["x-minimum"] = format(element.minimum, "f") if not isinstance(element.minimum, int) else str(element.minimum)
    elif kind == "date":
        s["pattern"] = json_pattern(element.value_pattern() or "")
        s["format"] = "date"
    elif kind == "datetime":
        s["pattern"] = json_pattern(element.value_pattern() or "")
        s["format"] = "date-time"
    if element.codelist:
        s["x-codelist"] = element.codelist
    if element.identifier:
        s["x-identifier"] = element.identifier
    if element.personal:
        s["x-personal"] = True
    if element.source:
        s["x-source"] = element.source
    return dict(sorted(s.items()))


def entity_schema(std: Standard, entity: Entity) -> dict[str, Any]:
    description = " / ".join(x for x in (entity.description_zh, entity.description_en) if x)
    return {
        "$schema": DIALECT,
        "$id": schema_id(std, entity),
        "$comment": COMMENT,
        "title": f"{entity.name_zh} {entity.name_en}",
        "description": description or entity.name_en,
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in entity.fields if f.required],
        "properties": {f.name: property_schema(f.element, f.required) for f in entity.fields},
        "x-entity": entity.id,
        "x-key": list(entity.key),
        "x-name-zh": entity.name_zh,
        "x-name-en": entity.name_en,
        "x-standard": {"id": std.id, "version": std.version},
        "x-protobuf-tags": {f.name: f.tag for f in entity.fields},
    }


def dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(std: Standard) -> dict[str, bytes]:
    return {f"schemas/json/{e.id}.schema.json": dumps(entity_schema(std, e)) for e in std.entities.values()}
