"""Load and check the standard itself (``standards/``): elements, entities, conventions.

Everything else — models, schemas, validators, adapters — is derived from the ``Standard`` object
returned here, so a mistake in the YAML is caught once, with its file and reason.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jincai import paths, yaml_load
from jincai.errors import JincaiError

ElementType = Literal["text", "code", "integer", "money", "decimal", "date", "datetime", "boolean"]
IdentifierKind = Literal["uscc", "orgcode", "citizen_id", "cnaps"]

# C14 (and C08): the characters text may hold, as one *positive* class that means the same in Python
# re, ECMA-262 with the u flag and Rust regex: every code point except the C0/C1 controls (legacy
# mis-decodings produce C1), DEL, the line/paragraph separators U+2028/U+2029 and the surrogates (a
# lone surrogate is not a character). The astral range is written as the characters U+10000 and
# U+10FFFF themselves: the three engines share no escape for code points above U+FFFF.
TEXT_CHAR = "[\\u0020-\\u007e\\u00a0-\\u2027\\u202a-\\ud7ff\\ue000-\\uffff\U00010000-\U0010ffff]"
TEXT_PATTERN = TEXT_CHAR + "*"
#: what C14 forbids, for searching one bad character (Python re / ECMA-262 / Rust syntax)
CONTROL_CHARS = "[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]"
#: the same class in RE2 syntax (DuckDB): RE2 has no \\u escape
CONTROL_CHARS_RE2 = "[\\x00-\\x1f\\x7f-\\x9f\\x{2028}\\x{2029}]"
MONEY_PATTERN = "-?(0|[1-9][0-9]{0,15})\\.[0-9]{2}"  # C05
# C02: a real calendar date as a pattern (no look-around, so it means the same in Python re, ECMA-262,
# Rust regex and RE2): years 0001–9999, month lengths, 29 February only in Gregorian leap years
# (divisible by 4 and not by 100, or by 400). The schemas say it themselves, not only by ``format``.
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # 0000 is not a year
_MONTH_DAY = "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
DATE_PATTERN = f"({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
# C03: hour 00–23, minute and second 00–59 (no leap second), 1–6 fraction digits; upper-case T and Z;
# an offset within ±23:59 whose minutes are 00–59; -00:00 ("offset unknown" in RFC 3339) is not an offset.
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?"
_OFFSET = "(Z|[+]([01][0-9]|2[0-3]):[0-5][0-9]|-(0[1-9]|1[0-9]|2[0-3]):[0-5][0-9]|-00:(0[1-9]|[1-5][0-9]))"
DATETIME_PATTERN = f"{DATE_PATTERN}T{_TIME}{_OFFSET}"
MONEY_PRECISION = 18


def decimal_pattern(scale: int) -> str:
    """Full-match body for a decimal string with exactly ``scale`` decimals (C05, C13)."""
    integer_digits = MONEY_PRECISION - scale
    return f"-?(0|[1-9][0-9]{{0,{integer_digits - 1}}})\\.[0-9]{{{scale}}}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Element(_Strict):
    id: str
    name_zh: str
    name_en: str
    type: ElementType
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    empty_allowed: bool = False
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    scale: int | None = None
    codelist: str | None = None
    identifier: IdentifierKind | None = None
    personal: bool = False
    source: str | None = None
    description_zh: str = ""
    description_en: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "Element":
        if self.type == "decimal" and self.scale is None:
            raise ValueError("decimal elements need a scale")
        if self.type == "money" and self.scale not in (None, 2):
            raise ValueError("money always has scale 2")
        if self.type in ("money", "decimal") and (
            self.maximum is not None or (self.minimum is not None and Decimal(self.minimum) != 0)
        ):
            raise ValueError("money/decimal elements support only an optional minimum of 0")
        if self.type == "code" and not self.pattern:
            raise ValueError("code elements need a pattern")
        if self.pattern is not None:
            if "\\d" in self.pattern:
                raise ValueError("write [0-9], not \\d (C01)")
            re.compile(self.pattern)
        return self

    @property
    def effective_scale(self) -> int | None:
        return 2 if self.type == "money" else self.scale

    @property
    def effective_min_length(self) -> int | None:
        """Minimum length in characters: 1 unless the element allows the empty string (C06)."""
        if self.type not in ("text", "code"):
            return None
        if self.empty_allowed:
            return self.min_length or 0
        return max(self.min_length or 1, 1)

    def value_pattern(self) -> str | None:
        """The full-match pattern body a JSON value of this element must satisfy, if any."""
        if self.type == "code":
            return self.pattern
        if self.type == "text":
            return self.pattern or TEXT_PATTERN
        if self.type in ("money", "decimal"):
            body = decimal_pattern(self.effective_scale or 0)
            # A zero minimum lives in the pattern itself (no minus sign, so not even -0.00): JSON
            # Schema cannot compare a string with a number, and every artifact must agree.
            return body[2:] if self.minimum is not None else body
        if self.type == "date":
            return DATE_PATTERN
        if self.type == "datetime":
            return DATETIME_PATTERN
        return None


class EntityField(_Strict):
    element: Element
    required: bool
    tag: int

    @property
    def name(self) -> str:
        return self.element.id


class Reference(_Strict):
    entity: str
    fields: dict[str, str]  # this entity's field -> the referenced entity's field
    optional: bool = False


class Entity(_Strict):
    id: str
    name_zh: str
    name_en: str
    stage: str
    description_zh: str = ""
    description_en: str = ""
    source_table: str | None = None
    key: list[str]
    fields: list[EntityField]
    references: list[Reference] = Field(default_factory=list)
    reserved_tags: list[int] = Field(default_factory=list)  # tags of removed fields: never reused

    def field(self, name: str) -> EntityField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def pascal_name(self) -> str:
        return "".join(part.capitalize() for part in self.id.split("_"))


class Convention(_Strict):
    id: str
    title_zh: str
    title_en: str
    zh: str
    en: str


class Standard(_Strict):
    id: str
    version: str
    name_zh: str
    name_en: str
    namespace: str
    first_fiscal_year: int
    conventions: list[Convention]
    elements: dict[str, Element]
    entities: dict[str, Entity]

    def entity(self, entity_id: str) -> Entity:
        try:
            return self.entities[entity_id]
        except KeyError:
            known = ", ".join(sorted(self.entities))
            raise JincaiError(
                "unknown-entity",
                f"标准中没有实体 {entity_id}；已有：{known}",
                f"the standard has no entity {entity_id}; known: {known}",
            ) from None


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml_load.load_file(path, size_limit=None, cache=True)
    except JincaiError as exc:
        raise JincaiError("standard-unreadable", f"无法读取标准文件：{exc.message_zh}", f"cannot read the standard: {exc.message_en}", exc.location, exc.details) from None
    if not isinstance(data, dict):
        raise JincaiError("standard-malformed", "标准文件应为 YAML 映射", "a standard file must be a YAML mapping", str(path))
    return data


def _fail(path: Path, exc: Exception) -> JincaiError:
    return JincaiError("standard-malformed", f"标准文件有误：{exc}", f"the standard file is malformed: {exc}", str(path))


def load_standard(root: Path | None = None) -> Standard:
    """Read ``standards/`` and check that it is internally consistent."""
    root = root or paths.STANDARDS
    head_path = root / "standard.yaml"
    head = _read_yaml(head_path)
    elements_path = root / head.get("elements", "elements.yaml")
    try:
        elements = {k: Element(id=k, **v) for k, v in _read_yaml(elements_path).items()}
    except (ValidationError, TypeError) as exc:
        raise _fail(elements_path, exc) from exc

    entities: dict[str, Entity] = {}
    for path in sorted((root / head.get("entities", "entities/")).glob("*.yaml")):
        raw = _read_yaml(path)
        try:
            fields = []
            for item in raw.pop("fields"):
                name, presence, tag = item
                if name not in elements:
                    raise ValueError(f"field {name} is not in the element dictionary")
                if presence not in ("required", "optional"):
                    raise ValueError(f"field {name}: presence must be required or optional")
                fields.append(EntityField(element=elements[name], required=presence == "required", tag=tag))
            entity = Entity(fields=fields, references=raw.pop("references", None) or [], **raw)
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            raise _fail(path, exc) from exc
        if entity.id != path.stem:
            raise _fail(path, ValueError(f"entity id {entity.id} must equal the file name"))
        _check_entity(path, entity)
        entities[entity.id] = entity

    for entity in entities.values():
        for ref in entity.references:
            target = entities.get(ref.entity)
            if target is None:
                raise _fail(root / "entities" / f"{entity.id}.yaml", ValueError(f"reference to unknown entity {ref.entity}"))
            for mine, theirs in ref.fields.items():
                if mine not in entity.field_names or theirs not in target.field_names:
                    raise _fail(root / "entities" / f"{entity.id}.yaml", ValueError(f"bad reference field {mine}->{ref.entity}.{theirs}"))
    try:
        return Standard(
            id=head["id"],
            version=head["version"],
            name_zh=head["name_zh"],
            name_en=head["name_en"],
            namespace=head["namespace"],
            first_fiscal_year=head["first_fiscal_year"],
            conventions=head["conventions"],
            elements=elements,
            entities=entities,
        )
    except (ValidationError, KeyError) as exc:
        raise _fail(head_path, exc) from exc


def _check_entity(path: Path, entity: Entity) -> None:
    names = entity.field_names
    tags = [f.tag for f in entity.fields]
    problems = []
    if len(set(names)) != len(names):
        problems.append("duplicate field")
    if len(set(tags)) != len(tags) or min(tags) < 1 or max(tags) >= 19000:
        problems.append("protobuf tags must be unique positive integers below 19000")
    if set(tags) & set(entity.reserved_tags):
        problems.append(f"tags {sorted(set(tags) & set(entity.reserved_tags))} are reserved (a removed field's tag is never reused)")
    for k in entity.key:
        if k not in names or not entity.field(k).required:
            problems.append(f"key field {k} must be a required field")
    if problems:
        raise _fail(path, ValueError("; ".join(problems)))


@lru_cache(maxsize=1)
def standard() -> Standard:
    """The standard shipped in this checkout (cached)."""
    return load_standard()
