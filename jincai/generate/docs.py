"""Generate the data dictionary: ``docs/standard/data-dictionary.zh.md`` (Chinese first) and ``.en.md``,
and publish the rule catalogue as ``docs/validators/catalogue.md`` and the resource limits as
``docs/limits.md``.

Conventions, the type mapping across artifacts and what a vendor must configure, every element,
every entity with its fields and tags, and the code-list ids the elements use.
"""

from __future__ import annotations

from jincai.models.types import number_pattern
from jincai.standard import Element, Entity, Standard

TYPE_ZH = {
    "text": "文本",
    "code": "代码",
    "integer": "整数",
    "money": "金额",
    "decimal": "小数",
    "date": "日期",
    "datetime": "时间戳",
    "boolean": "布尔",
}
IDENT_ZH = {"uscc": "统一社会信用代码", "orgcode": "组织机构代码", "citizen_id": "公民身份号码", "cnaps": "支付系统行号"}
IDENT_EN = {"uscc": "USCC (GB 32100)", "orgcode": "organisation code (GB 11714)", "citizen_id": "citizen ID (GB 11643)", "cnaps": "CNAPS (format only)"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def constraint(element: Element, zh: bool) -> str:
    """Length / pattern / range of an element, one table cell."""
    kind = element.type
    parts: list[str] = []
    if kind in ("text", "code"):
        lo, hi = element.effective_min_length, element.max_length
        if kind == "code":
            parts.append(_code(element.pattern or ""))
        if hi is not None:
            parts.append(f"{lo}–{hi} 字符" if zh else f"{lo}–{hi} chars")
    elif kind == "integer":
        lo = "" if element.minimum is None else str(element.minimum)
        hi = "" if element.maximum is None else str(element.maximum)
        parts.append(f"{lo}–{hi}")
    elif kind in ("money", "decimal"):
        parts.append(f"{element.effective_scale} 位小数" if zh else f"{element.effective_scale} decimals")
        if element.minimum is not None:
            parts.append(f"≥ {element.minimum}")
        parts.append(_code(number_pattern(element)))
    elif kind == "date":
        parts.append("YYYY-MM-DD")
    elif kind == "datetime":
        parts.append("RFC 3339 ±hh:mm/Z")
    return "，".join(parts) if zh else ", ".join(parts)


def _conventions(std: Standard, zh: bool) -> list[str]:
    out = ["## 1. 一致性约定 Conventions" if zh else "## 1. Conventions 一致性约定", ""]
    for c in std.conventions:
        if zh:
            out += [f"### {c.id} {c.title_zh}（{c.title_en}）", "", c.zh, "", f"> {c.en}", ""]
        else:
            out += [f"### {c.id} {c.title_en} ({c.title_zh})", "", c.en, "", f"> {c.zh}", ""]
    return out


_MAPPING_ZH = [
    "| 类型 | JSON | pydantic | Avro | protobuf |",
    "|---|---|---|---|---|",
    "| text 文本 | string，无控制字符（C14） | `str` | `string` | `string` |",
    "| code 代码 | string，整值匹配 pattern（C01） | `str` | `string` | `string` |",
    "| integer 整数 | integer（不是 \"12\"、12.0，C04） | `int` | `long` | `int64` |",
    "| money 金额 | string，恰好两位小数（C05） | `Decimal` | `bytes` decimal(18,2) | `Money`（int64 分） |",
    "| decimal 小数 | string，恰好 scale 位小数（C13） | `Decimal` | `bytes` decimal(18,scale) | `Decimal`（string） |",
    "| date 日期 | string YYYY-MM-DD，真实日期（C02） | `date` | `int` date | `string` |",
    "| datetime 时间戳 | string，RFC 3339 带偏移（C03） | 带时区 `datetime` | `string`（RFC 3339） | `string` |",
    "| boolean 布尔 | true/false | `bool` | `boolean` | `bool` |",
]
_MAPPING_EN = [
    "| type | JSON | pydantic | Avro | protobuf |",
    "|---|---|---|---|---|",
    "| text | string, no control characters (C14) | `str` | `string` | `string` |",
    "| code | string matching the pattern in full (C01) | `str` | `string` | `string` |",
    "| integer | integer (never \"12\" or 12.0, C04) | `int` | `long` | `int64` |",
    "| money | string with exactly two decimals (C05) | `Decimal` | `bytes` decimal(18,2) | `Money` (int64 fen) |",
    "| decimal | string with exactly `scale` decimals (C13) | `Decimal` | `bytes` decimal(18,scale) | `Decimal` (string) |",
    "| date | string YYYY-MM-DD, a real date (C02) | `date` | `int` date | `string` |",
    "| datetime | string, RFC 3339 with an offset (C03) | aware `datetime` | `string` (RFC 3339) | `string` |",
    "| boolean | true/false | `bool` | `boolean` | `bool` |",
]

_NOTES_ZH = [
    "**JSON Schema（`schemas/json/`，2020-12）。** 模式本身表达标准的全部含义，以下两点除外；厂商的校验器必须做到这两点，否则与参考实现结论不一致：",
    "",
    "1. **断言标识符格式**：`jincai-uscc`、`jincai-orgcode`、`jincai-citizen-id` 必须通过校验位（C11），`jincai-cnaps` 只检查格式。"
    "`date`、`date-time` 的 format 保留为注解：pattern 本身已排除 0000 年、不存在的日期、24 时、闰秒 `:60` 和超出 ±23:59 的偏移（C02、C03）。",
    "2. **带小数部分的 JSON 数永远不是整数**：`12.0`、`1.2e1` 对整数型数据元无效（C04）。JSON 数据模型把 "
    "`2024.0` 算作整数（ajv、jsonschema-rs 照此执行），JSON Schema 无法表达这一点；参考实现（`jincai.jsonschema_check`）改写了 integer 类型判断。",
    "",
    "**正则语义。** pattern 是 ECMA-262 正则（`u` 标志，2020-12 的规定），写作 `^(?:P)$`，不含环视、反向引用和代理项转义，"
    "因此在 ECMA-262、Rust `regex`（jsonschema-rs）和 Python `re` 中含义相同（`tests/interop/` 逐一验证）。唯一差别是 Python 的 `$` "
    "还能匹配末尾换行之前，所以每个字符串字段另有 `not: {type: string, pattern: \"\\n$\"}`：以换行结尾的值在所有引擎中都无效（C01）。"
    "文本的 pattern 是允许字符的正向字符类（除 C0/C1 控制字符、U+007F、U+2028、U+2029 与代理项外的所有码点；U+10000–U+10FFFF 直接写成字符，"
    "因为三种引擎没有共同的转义写法），孤立代理项（如 JSON 转义 `\\ud800`）因此无效（C08、C14）。"
    "金额下限 0 写在 pattern 里（不允许负号，`-0.00` 亦无效）。",
    "",
    "**注解词汇表。** `x-*` 关键字（数据元、中英文名、代码集、protobuf 字段号……）只是注解，在 `schemas/json/meta/annotations.schema.json` 中声明"
    "（2020-12 元模式，`$vocabulary` 为可选词汇表）。ajv 严格模式：`ajv.addVocabulary(Object.keys(meta.properties))`。",
    "",
    "选填字段的类型为 `[T, \"null\"]`：缺省与 null 同义（C06）。记录封闭（`additionalProperties: false`，C09）。"
    "代码集成员资格（C10）不在 JSON Schema 与 pydantic 模型中检查：它取决于记录自身的预算年度和代码集的开放/封闭属性，由校验引擎检查。",
    "",
    "**Avro（`schemas/avro/`）。** 时间戳用 `string` 存 RFC 3339 文本，而不是 `timestamp-micros`："
    "后者只存时刻、丢弃提交方的时区偏移，而 C03 要求保留偏移。选填字段为 `[\"null\", T]`，默认 null。",
    "",
    "**protobuf（`proto/jincai/fiscal/v1/fiscal.proto`）。** 金额为 `Money { int64 fen }`（1.00 元 = 100），"
    "其他小数为 `Decimal { string value }`。所有标量字段都声明为 `optional`（显式存在性），包括必填字段："
    "proto3 无法区分未设置与 `\"\"`/`0`，而标准区分 null 与空值（C06），缺失的必填字段必须被报告而不是读成 0。"
    "字段号即实体文件中的 tag，永不复用。",
    "",
    "**pydantic（`jincai/models/`）。** 模型检查结构与标识符（C01–C09、C11–C14），不检查代码集（C10）。"
    "支付系统行号（CNAPS）只有格式要求，模型以 pattern 完成该检查。",
]
_NOTES_EN = [
    "**JSON Schema (`schemas/json/`, 2020-12).** The schemas themselves carry the whole meaning of the standard except two points; a vendor's validator must do both, or it will disagree with the reference implementation:",
    "",
    "1. **Assert the identifier formats**: `jincai-uscc`, `jincai-orgcode` and `jincai-citizen-id` pass their check characters (C11), `jincai-cnaps` is format only. "
    "The `date` and `date-time` formats remain as annotations: the patterns themselves exclude year 0000, days that do not exist, hour 24, "
    "leap seconds `:60` and offsets beyond ±23:59 (C02, C03).",
    "2. **A JSON number with a fraction is never an integer**: `12.0` and `1.2e1` are invalid for integer elements (C04). "
    "The JSON data model counts `2024.0` as an integer (ajv and jsonschema-rs follow it) and JSON Schema cannot say otherwise; "
    "the reference implementation (`jincai.jsonschema_check`) redefines the integer type.",
    "",
    "**Regular expressions.** Patterns are ECMA-262 regular expressions (`u` flag, as 2020-12 says), written `^(?:P)$` with no "
    "look-around, no back-references and no surrogate escapes, so they mean the same in ECMA-262, Rust `regex` (jsonschema-rs) and "
    "Python `re` (`tests/interop/` checks each one). The only difference is that Python's `$` also matches before a final line feed, "
    "so every string property also has `not: {type: string, pattern: \"\\n$\"}`: a value ending with a line feed is invalid in every "
    "engine (C01). Text patterns are a positive class of allowed characters (every code point except C0/C1 controls, U+007F, "
    "U+2028, U+2029 and surrogates; U+10000–U+10FFFF are written as the characters themselves, since the three engines share no "
    "escape for them), so a lone surrogate (JSON escape `\\ud800`) is invalid (C08, C14). A money minimum of 0 is part of the "
    "pattern (no minus sign; `-0.00` is invalid too).",
    "",
    "**Annotation vocabulary.** The `x-*` keywords (element, names, code list, protobuf tags…) are annotations only, declared in "
    "`schemas/json/meta/annotations.schema.json` (a 2020-12 meta-schema; `$vocabulary` marks the vocabulary optional). "
    "ajv strict mode: `ajv.addVocabulary(Object.keys(meta.properties))`.",
    "",
    "Optional fields have type `[T, \"null\"]`: absent and null mean the same (C06). Records are closed "
    "(`additionalProperties: false`, C09). Code-list membership (C10) is not checked by JSON Schema or the pydantic "
    "models: it depends on the record's own fiscal year and on whether the list is open or closed; the validation engine checks it.",
    "",
    "**Avro (`schemas/avro/`).** Datetimes are `string` holding the RFC 3339 text, not `timestamp-micros`, which stores "
    "an instant and drops the submitter's offset that C03 preserves. Optional fields are `[\"null\", T]` with default null.",
    "",
    "**protobuf (`proto/jincai/fiscal/v1/fiscal.proto`).** Money is `Money { int64 fen }` (1.00 yuan = 100); other "
    "decimals are `Decimal { string value }`. Every scalar field is `optional` (explicit presence), required ones "
    "included: proto3 cannot tell unset from `\"\"`/`0`, and the standard distinguishes null from empty (C06) — a missing "
    "required field must be reported, not read as 0. Field numbers are the tags of the entity files, never reused.",
    "",
    "**pydantic (`jincai/models/`).** The models check structure and identifiers (C01–C09, C11–C14), not code lists (C10). "
    "CNAPS codes are format only, which the pattern already checks.",
]


def _element_table(std: Standard, zh: bool) -> list[str]:
    if zh:
        out = [
            "## 3. 数据元 Elements",
            "",
            f"共 {len(std.elements)} 个数据元。个人信息（C12）在所有报告和日志中脱敏显示。",
            "",
            "| 数据元 | 中文名 | 英文名 | 类型 | 长度/模式/范围 | 代码集 | 标识符 | 个人信息 | 来源 | 说明 |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
    else:
        out = [
            "## 3. Elements 数据元",
            "",
            f"{len(std.elements)} elements. Personal data (C12) is masked in every report and log.",
            "",
            "| element | English | 中文名 | type | length/pattern/range | code list | identifier | personal | source | description |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
    for e in std.elements.values():
        if zh:
            row = [
                f"`{e.id}`",
                e.name_zh,
                e.name_en,
                f"{TYPE_ZH[e.type]} {e.type}",
                constraint(e, True),
                f"`{e.codelist}`" if e.codelist else "",
                IDENT_ZH[e.identifier] if e.identifier else "",
                "是" if e.personal else "",
                e.source or "",
                " ".join(x for x in (e.description_zh, e.description_en) if x),
            ]
        else:
            row = [
                f"`{e.id}`",
                e.name_en,
                e.name_zh,
                e.type,
                constraint(e, False),
                f"`{e.codelist}`" if e.codelist else "",
                IDENT_EN[e.identifier] if e.identifier else "",
                "yes" if e.personal else "",
                e.source or "",
                " ".join(x for x in (e.description_en, e.description_zh) if x),
            ]
        out.append("| " + " | ".join(_cell(c) if i not in (4,) else c for i, c in enumerate(row)) + " |")
    out.append("")
    return out


def _entity_section(entity: Entity, zh: bool) -> list[str]:
    out: list[str] = []
    if zh:
        out += [f"### {entity.name_zh} {entity.name_en}（`{entity.id}`）", ""]
        for text in (entity.description_zh, entity.description_en):
            if text:
                out += [text, ""]
        out.append(f"- 业务键：{', '.join(f'`{k}`' for k in entity.key)}")
        out.append(f"- 阶段：{entity.stage}")
        if entity.source_table:
            out.append(f"- 对应财政部一体化表：`{entity.source_table}`")
        for ref in entity.references:
            pairs = ", ".join(f"`{a}` → `{ref.entity}.{b}`" for a, b in ref.fields.items())
            out.append(f"- 引用{'（可选）' if ref.optional else ''}：{pairs}")
        out += ["", "| 标签 | 字段 | 中文名 | 英文名 | 类型 | 必填 | 长度/模式/范围 | 代码集 | 个人信息 |", "|---|---|---|---|---|---|---|---|---|"]
    else:
        out += [f"### {entity.name_en} {entity.name_zh} (`{entity.id}`)", ""]
        for text in (entity.description_en, entity.description_zh):
            if text:
                out += [text, ""]
        out.append(f"- business key: {', '.join(f'`{k}`' for k in entity.key)}")
        out.append(f"- stage: {entity.stage}")
        if entity.source_table:
            out.append(f"- Ministry integrated-budget table: `{entity.source_table}`")
        for ref in entity.references:
            pairs = ", ".join(f"`{a}` → `{ref.entity}.{b}`" for a, b in ref.fields.items())
            out.append(f"- references{' (optional)' if ref.optional else ''}: {pairs}")
        out += ["", "| tag | field | English | 中文名 | type | required | length/pattern/range | code list | personal |", "|---|---|---|---|---|---|---|---|---|"]
    for f in entity.fields:
        e = f.element
        if zh:
            row = [str(f.tag), f"`{f.name}`", _cell(e.name_zh), _cell(e.name_en), f"{TYPE_ZH[e.type]} {e.type}",
                   "必填" if f.required else "选填", constraint(e, True), f"`{e.codelist}`" if e.codelist else "",
                   "是" if e.personal else ""]
        else:
            row = [str(f.tag), f"`{f.name}`", _cell(e.name_en), _cell(e.name_zh), e.type,
                   "required" if f.required else "optional", constraint(e, False), f"`{e.codelist}`" if e.codelist else "",
                   "yes" if e.personal else ""]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    return out


def _codelists(std: Standard, zh: bool) -> list[str]:
    users: dict[str, list[str]] = {}
    for e in std.elements.values():
        if e.codelist:
            users.setdefault(e.codelist, []).append(e.id)
    if zh:
        out = ["## 5. 代码集 Code lists", "", "代码集的内容见 `standards/codelists/`；数据元按记录自身预算年度的代码集校验（C10）。", "",
               "| 代码集 | 使用该代码集的数据元 |", "|---|---|"]
    else:
        out = ["## 5. Code lists 代码集", "", "The lists themselves are in `standards/codelists/`; elements are checked against the list of the record's own fiscal year (C10).", "",
               "| code list | elements using it |", "|---|---|"]
    for cl in sorted(users):
        out.append(f"| `{cl}` | {', '.join(f'`{x}`' for x in users[cl])} |")
    out.append("")
    return out


def render_doc(std: Standard, zh: bool) -> str:
    if zh:
        out = [
            f"# {std.name_zh} 数据字典",
            "",
            f"> 由 `python -m jincai.generate` 从 `standards/` 生成，请勿手工修改。English: [data-dictionary.en.md](data-dictionary.en.md)",
            "",
            f"- 标准：`{std.id}` 版本 {std.version}（{std.name_en}）",
            f"- 命名空间：`{std.namespace}`；首个预算年度：{std.first_fiscal_year}",
            f"- {len(std.elements)} 个数据元，{len(std.entities)} 个实体，{len(std.conventions)} 条约定",
            "",
        ]
        out += _conventions(std, True)
        out += ["## 2. 交换格式与各产物的对应 Artifacts", ""] + _MAPPING_ZH + [""] + _NOTES_ZH + [""]
        out += _element_table(std, True)
        out += ["## 4. 实体 Entities", ""]
    else:
        out = [
            f"# {std.name_en} — data dictionary",
            "",
            f"> Generated from `standards/` by `python -m jincai.generate`; do not edit. 中文：[data-dictionary.zh.md](data-dictionary.zh.md)",
            "",
            f"- standard: `{std.id}` version {std.version} ({std.name_zh})",
            f"- namespace: `{std.namespace}`; first fiscal year: {std.first_fiscal_year}",
            f"- {len(std.elements)} elements, {len(std.entities)} entities, {len(std.conventions)} conventions",
            "",
        ]
        out += _conventions(std, False)
        out += ["## 2. Artifacts and the type mapping 交换格式", ""] + _MAPPING_EN + [""] + _NOTES_EN + [""]
        out += _element_table(std, False)
        out += ["## 4. Entities 实体", ""]
    for entity in std.entities.values():
        out += _entity_section(entity, zh)
    out += _codelists(std, zh)
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"


def render(std: Standard) -> dict[str, bytes]:
    from jincai.limits import render_markdown as limits_markdown
    from jincai.validation.catalogue import catalogue_markdown  # the rule catalogue is published too

    return {
        "docs/limits.md": limits_markdown().encode("utf-8"),
        "docs/standard/data-dictionary.zh.md": render_doc(std, True).encode("utf-8"),
        "docs/standard/data-dictionary.en.md": render_doc(std, False).encode("utf-8"),
        "docs/validators/catalogue.md": catalogue_markdown().encode("utf-8"),
    }


__all__ = ["constraint", "render", "render_doc"]
