"""Generate ``schemas/json/<entity>.schema.json`` (JSON Schema 2020-12), one file per entity, and
``schemas/json/meta/annotations.schema.json``, the meta-schema that declares jincai's ``x-*``
annotation keywords (a vocabulary: strict validators such as ajv accept the schemas once its
keywords are declared, and it checks that the annotations are well formed).

Semantics (identical to the pydantic models), in the schemas themselves — no validator option is
needed for anything but C04 and the check characters of C11:

* closed records (``additionalProperties: false``, C09); ``required`` lists the required fields;
  an optional field is ``{"type": [T, "null"]}`` (null and absent mean the same, C06);
* patterns are ECMA-262 regular expressions (``u`` flag), written ``^(?:BODY)$`` without
  look-around and without surrogate escapes, so that they mean the same in ECMA-262, Rust regex and
  Python ``re`` (tests/interop/ proves it); Python's ``$`` also matches before a final line feed,
  so every string property carries ``FINAL_LF_GUARD`` (C01);
* text/code: ``minLength``/``maxLength`` in characters (C08); text is a positive class of allowed
  characters — no controls, no U+2028/U+2029, no lone surrogates (C14);
* integer: ``type: integer`` with ``minimum``/``maximum``; a validator must not count ``12.0`` as
  an integer (C04; JSON Schema's data model does, ``jincai.jsonschema_check`` does not);
* money/decimal: a string with exactly ``x-scale`` decimals; a zero minimum is in the pattern;
* date/datetime: the pattern itself excludes year 0000, impossible days, hour 24, leap seconds and
  offsets beyond ±23:59 (C02, C03); ``format`` stays as the annotation; identifiers carry
  ``format: jincai-*``, which must be *asserted* (check characters, C11).
"""

from __future__ import annotations

import json
from typing import Any

from jincai.models.types import FINAL_LF_GUARD, json_pattern, number_pattern
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

#: where the annotation vocabulary's meta-schema is published
META_PATH = "schemas/json/meta/annotations.schema.json"
VOCABULARY = "urn:jincai:fiscal:vocab:annotations"

COMMENT = (
    "由 python -m jincai.generate 从 standards/ 生成，请勿手工修改。"
    "pattern 为 ECMA-262 正则（u 标志），写作 ^(?:P)$，不含环视与代理项转义，在 ECMA-262、Rust regex 与 Python re 中含义相同；"
    "Python 的 $ 还能匹配末尾换行之前，故每个字符串字段另有 not {type: string, pattern: \\n$}（C01）。"
    "日期与时间戳的 pattern 本身排除 0000 年、不存在的日期、24 时、闰秒和超出 ±23:59 的偏移（C02、C03）。"
    "校验器必须断言 jincai-uscc / jincai-orgcode / jincai-citizen-id 的校验位（C11），jincai-cnaps 仅格式；"
    "带小数部分的 JSON 数（如 12.0）永远不是整数（C04）。x-* 注解关键字在 meta/annotations.schema.json 中声明。"
    " / Generated from standards/ by python -m jincai.generate; do not edit. "
    "Patterns are ECMA-262 regular expressions (u flag) written ^(?:P)$, with no look-around and no surrogate "
    "escapes: they mean the same in ECMA-262, Rust regex and Python re. Python's $ also matches before a final "
    "line feed, so every string property also has not {type: string, pattern: \\n$} (C01). Date and datetime "
    "patterns themselves exclude year 0000, days that do not exist, hour 24, leap seconds and offsets beyond "
    "±23:59 (C02, C03). Validators MUST assert jincai-uscc / jincai-orgcode / jincai-citizen-id check characters "
    "(C11); jincai-cnaps is format only. A JSON number written with a fraction (12.0) is never an integer (C04). "
    "The x-* annotation keywords are declared in meta/annotations.schema.json."
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
    if json_type == "string":
        s.update(FINAL_LF_GUARD)
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


#: the annotation vocabulary: keyword → (schema of its value, 中文, English). Every ``x-*`` keyword the
#: generator writes must be here (tests/interop/ checks the published schemas against the meta-schema).
ANNOTATIONS: dict[str, tuple[dict[str, Any], str, str]] = {
    "x-entity": ({"type": "string"}, "实体标识", "the entity id in the standard"),
    "x-key": ({"type": "array", "items": {"type": "string"}}, "业务主键字段", "the fields of the business key"),
    "x-name-zh": ({"type": "string"}, "中文名称", "the Chinese name"),
    "x-name-en": ({"type": "string"}, "英文名称", "the English name"),
    "x-standard": (
        {"type": "object", "properties": {"id": {"type": "string"}, "version": {"type": "string"}}, "required": ["id", "version"]},
        "所属标准及版本",
        "the standard and its version",
    ),
    "x-protobuf-tags": (
        {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "字段 → protobuf 字段号",
        "field → protobuf field number",
    ),
    "x-element": ({"type": "string"}, "数据元标识", "the data element id"),
    "x-type": (
        {"enum": ["text", "code", "integer", "money", "decimal", "date", "datetime", "boolean"]},
        "数据元类型",
        "the element type",
    ),
    "x-scale": ({"type": "integer", "minimum": 0}, "小数位数（C05、C13）", "the number of decimals (C05, C13)"),
    "x-minimum": ({"type": "string"}, "最小值（已写在 pattern 中）", "the minimum (already part of the pattern)"),
    "x-codelist": ({"type": "string"}, "代码集标识（C10，由校验引擎按年度检查）", "the code list id (C10, checked by year by the validation engine)"),
    "x-identifier": (
        {"enum": ["uscc", "orgcode", "citizen_id", "cnaps"]},
        "标识符种类（C11）",
        "the identifier kind (C11)",
    ),
    "x-personal": ({"type": "boolean"}, "个人信息，报告中脱敏（C12）", "personal data, masked in reports (C12)"),
    "x-source": ({"type": "string"}, "财政部一体化数据表中的字段名", "the field name in the Ministry's integrated-budget tables"),
}

_VOCABULARIES_2020_12 = ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content")


def meta_schema(std: Standard) -> dict[str, Any]:
    """The meta-schema of the jincai dialect: JSON Schema 2020-12 plus the annotation vocabulary.

    The vocabulary is declared ``false`` (optional): a validator that does not know it may ignore
    the keywords, which are annotations only and never change a verdict.
    """
    vocabulary = {f"https://json-schema.org/draft/2020-12/vocab/{v}": True for v in _VOCABULARIES_2020_12}
    vocabulary[VOCABULARY] = False
    return {
        "$schema": DIALECT,
        "$id": f"urn:jincai:fiscal:{std.version}:meta:annotations",
        "$vocabulary": vocabulary,
        "$dynamicAnchor": "meta",
        "$comment": (
            "jincai 注解词汇表：x-* 关键字只是注解，从不影响校验结论。ajv 严格模式：ajv.addVocabulary(Object.keys(本文件.properties))。"
            " / The jincai annotation vocabulary: x-* keywords are annotations only and never change a verdict. "
            "ajv strict mode: ajv.addVocabulary(Object.keys(this.properties))."
        ),
        "title": "jincai 注解词汇表 jincai annotation vocabulary",
        "allOf": [{"$ref": DIALECT}],
        "properties": {name: {**schema, "description": f"{zh} / {en}"} for name, (schema, zh, en) in ANNOTATIONS.items()},
        # an x-* keyword that the vocabulary does not declare is an error in a jincai schema
        "propertyNames": {"if": {"pattern": "^x-"}, "then": {"enum": list(ANNOTATIONS)}},
    }


def dumps(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(std: Standard) -> dict[str, bytes]:
    out = {f"schemas/json/{e.id}.schema.json": dumps(entity_schema(std, e)) for e in std.entities.values()}
    out[META_PATH] = dumps(meta_schema(std))
    return out
