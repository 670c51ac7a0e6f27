"""Generate ``jincai/models/generated.py``: one pydantic model per entity.

The element types are built once per element from the builders of ``jincai.models.types`` with
literal arguments (the generated file never reads the YAML); the classes use them in the entity's
field order. Required fields have no default; optional ones are ``X | None = None``.
"""

from __future__ import annotations

import textwrap

from jincai.models.types import number_pattern
from jincai.standard import Element, Entity, Standard

TARGET = "jincai/models/generated.py"


def type_alias(element: Element) -> str:
    return "".join(part.capitalize() for part in element.id.split("_")) + "Value"


def _builder(element: Element) -> str:
    kind = element.type
    if kind in ("text", "code"):
        args = [
            f"pattern={element.value_pattern()!r}",
            f"min_length={element.effective_min_length!r}",
            f"max_length={element.max_length!r}",
        ]
        if kind == "code" and element.identifier:
            args.append(f"identifier={element.identifier!r}")
        return f"{kind}({', '.join(args)})"
    if kind == "integer":
        ge = None if element.minimum is None else int(element.minimum)
        le = None if element.maximum is None else int(element.maximum)
        return f"integer(ge={ge!r}, le={le!r})"
    if kind == "money":
        return f"money(pattern={number_pattern(element)!r})"
    if kind == "decimal":
        return f"decimal_value(scale={element.effective_scale!r}, pattern={number_pattern(element)!r})"
    if kind == "date":
        return "date_value"
    if kind == "datetime":
        return "datetime_value"
    if kind == "boolean":
        return "boolean"
    raise ValueError(f"unknown element type {kind}")


def _python_type(element: Element) -> str:
    return {
        "text": "str",
        "code": "str",
        "integer": "int",
        "money": "Decimal",
        "decimal": "Decimal",
        "date": "date",
        "datetime": "datetime",
        "boolean": "bool",
    }[element.type]


def _doc(element: Element) -> str:
    doc = f"{element.name_zh} / {element.name_en}"
    extra = " ".join(x for x in (element.description_zh, element.description_en) if x)
    return f"{doc}. {extra}" if extra else doc


def _class(entity: Entity) -> list[str]:
    lines = [f"class {entity.pascal_name}(FiscalRecord):"]
    lines.append(f'    """{entity.name_zh} {entity.name_en} (``{entity.id}``).')
    for text, width in ((entity.description_zh, 46), (entity.description_en, 92)):  # zh: 2 columns a character
        if text:
            lines.append("")
            lines.extend(f"    {line}" for line in textwrap.wrap(text, width=width))
    lines.append("")
    lines.append(f"    业务键 key: {', '.join(entity.key)}")
    lines.append('    """')
    lines.append("")
    lines.append(f"    __entity__: ClassVar[str] = {entity.id!r}")
    personal = [f.name for f in entity.fields if f.element.personal]
    if personal:
        lines.append(f"    # C12: personal data ({', '.join(personal)}) — keep inputs out of error texts and logs")
        lines.append("    model_config = ConfigDict(hide_input_in_errors=True)")
    lines.append("")
    for f in entity.fields:
        alias = type_alias(f.element)
        desc = _doc(f.element)
        if f.required:
            lines.append(f"    {f.name}: {alias} = Field(description={desc!r})")
        else:
            lines.append(f"    {f.name}: {alias} | None = Field(None, description={desc!r})")
    return lines


def render_source(std: Standard) -> str:
    used: dict[str, Element] = {}
    for entity in std.entities.values():
        for f in entity.fields:
            used[f.name] = f.element
    elements = [e for e in std.elements.values() if e.id in used]

    out = [
        f'"""GENERATED from standards/ by ``python -m jincai.generate`` — do not edit.',
        "",
        f"{std.name_zh} {std.id} {std.version}: one pydantic model per entity.",
        f"{std.name_en}: one pydantic model per entity.",
        "",
        "Structure and identifier checks only (C01-C09, C11-C14); code-list membership (C10) needs the",
        "record's fiscal year and is checked by the validation engine.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from datetime import date, datetime",
        "from decimal import Decimal",
        "from typing import TYPE_CHECKING, ClassVar",
        "",
        "from pydantic import ConfigDict, Field",
        "",
        "from jincai.models.types import (",
        "    FiscalRecord,",
        "    boolean,",
        "    code,",
        "    date_value,",
        "    datetime_value,",
        "    decimal_value,",
        "    integer,",
        "    money,",
        "    text,",
        ")",
        "",
        f"STANDARD_ID = {std.id!r}",
        f"STANDARD_VERSION = {std.version!r}",
        "",
        "# ---- 数据元类型 element types -------------------------------------------------------------",
        "",
        "if TYPE_CHECKING:",
    ]
    for e in elements:
        out.append(f"    {type_alias(e)} = {_python_type(e)}")
    out.append("else:")
    for e in elements:
        out.append(f"    {type_alias(e)} = {_builder(e)}  # {e.id}: {e.name_zh} {e.name_en}")
    out.append("")
    out.append("# ---- 实体 entities ---------------------------------------------------------------------------")
    for entity in std.entities.values():
        out.append("")
        out.append("")
        out.extend(_class(entity))
    out.append("")
    out.append("")
    out.append("#: entity id → model class")
    out.append("MODELS: dict[str, type[FiscalRecord]] = {")
    for entity in std.entities.values():
        out.append(f"    {entity.id!r}: {entity.pascal_name},")
    out.append("}")
    out.append("")
    out.append("__all__ = [")
    out.append('    "MODELS",')
    out.append('    "STANDARD_ID",')
    out.append('    "STANDARD_VERSION",')
    for entity in std.entities.values():
        out.append(f'    "{entity.pascal_name}",')
    out.append("]")
    return "\n".join(out) + "\n"


def render(std: Standard) -> dict[str, bytes]:
    return {TARGET: render_source(std).encode("utf-8")}
