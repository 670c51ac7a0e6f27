"""The rule catalogue (``validators/``): load it, check it, answer questions about it.

Rules are data. This module reads ``catalogue.yaml`` (version, families, clause ids) and one YAML
file per family, and refuses a catalogue with a duplicate id or alias, an unknown clause, entity or
field, a message with an unknown parameter, or an implementation that does not exist — so a broken
catalogue is caught when it is loaded, not when a rule would have fired.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jincai import paths, yaml_load
from jincai.errors import JincaiError
from jincai.standard import Standard, standard

Severity = Literal["fatal", "error", "warning"]
Scope = Literal["file", "field", "record", "cross-record", "cross-entity"]

#: most severe first; the rank orders reports
SEVERITY_RANK: dict[str, int] = {"fatal": 0, "error": 1, "warning": 2}

#: parameters a message template may use
MESSAGE_PARAMS = frozenset({"field", "value", "expected", "difference", "entity", "row", "count", "reason", "year", "key"})

#: the builtin layers of this engine; SQL rules name a file under validators/
BUILTINS = frozenset({"struct", "field", "code", "ident", "record"})

_ID = re.compile(r"[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*")


class Applies(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    standard: str = ">=1.0.0"
    fiscal_years: str | None = None  # "2007-", "2007-2020", "2021"

    def standard_ok(self, version: str) -> bool:
        return all(_compare(version, spec.strip()) for spec in self.standard.split(",") if spec.strip())

    def year_ok(self, year: int | None) -> bool:
        if self.fiscal_years is None or year is None:
            return True
        lo, _, hi = self.fiscal_years.partition("-")
        if not _:
            hi = lo
        return (not lo or year >= int(lo)) and (not hi or year <= int(hi))


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    aliases: list[str] = Field(default_factory=list)
    severity: Severity
    severity_settable: list[Severity] = Field(default_factory=list)  # the levels validators/province.yaml may choose
    scope: Scope
    entities: list[str]
    targets: list[str] = Field(default_factory=list)
    clause: str
    applies: Applies = Field(default_factory=Applies)
    field: str | None = None
    message_zh: str
    message_en: str
    implementation: str
    depends_on: list[str] = Field(default_factory=list)
    sample_defect_kinds: list[str] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    title_zh: str | None = None
    title_en: str | None = None

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def builtin(self) -> str | None:
        """The builtin layer (``field``…) implementing this rule, or None for a SQL rule."""
        return self.implementation.removeprefix("builtin:") if self.implementation.startswith("builtin:") else None

    def applies_to(self, entity: str) -> bool:
        return "*" in self.entities or entity in self.entities


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str
    en: str


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    families: list[str]
    severities: dict[str, dict[str, str]]
    clauses: dict[str, Clause]
    rules: dict[str, Rule]  # id → rule, in file order
    aliases: dict[str, str] = Field(default_factory=dict)  # former id → id

    def rule(self, rule_id: str) -> Rule:
        rule_id = self.aliases.get(rule_id, rule_id)
        try:
            return self.rules[rule_id]
        except KeyError:
            raise JincaiError("unknown-rule", f"规则目录中没有规则 {rule_id}", f"the catalogue has no rule {rule_id}") from None

    def family(self, name: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.family == name]

    def for_standard(self, version: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.applies.standard_ok(version)]


def _compare(version: str, spec: str) -> bool:
    m = re.fullmatch(r"(>=|<=|==|>|<|=)?\s*([0-9]+(?:\.[0-9]+){0,2})", spec)
    if not m:
        raise ValueError(f"bad version spec {spec!r}")
    op, ver = m.group(1) or "==", m.group(2)

    def key(v: str) -> tuple[int, ...]:
        parts = [int(p) for p in v.split(".")]
        return tuple(parts + [0] * (3 - len(parts)))

    a, b = key(version), key(ver)
    return {">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b, "==": a == b, "=": a == b}[op]


def _read(path: Path) -> Any:
    try:
        return yaml_load.load_file(path, size_limit=None, cache=True)
    except JincaiError as exc:
        raise JincaiError("catalogue-unreadable", f"无法读取规则目录：{exc.message_zh}", f"cannot read the rule catalogue: {exc.message_en}", exc.location, exc.details) from None


def _bad(path: Path, what: str) -> JincaiError:
    return JincaiError("catalogue-malformed", f"规则目录有误：{what}", f"the rule catalogue is malformed: {what}", str(path))


def _template_params(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_catalogue(root: Path | None = None, std: Standard | None = None) -> Catalogue:
    """Read ``validators/`` and check every rule against the standard."""
    root = root or paths.VALIDATORS
    std = std or standard()
    head_path = root / "catalogue.yaml"
    head = _read(head_path)
    if not isinstance(head, dict):
        raise _bad(head_path, "catalogue.yaml must be a mapping")
    rules: dict[str, Rule] = {}
    aliases: dict[str, str] = {}
    for family in head.get("families", []):
        path = root / f"{family}.yaml"
        if not path.exists():
            continue  # a family may not have rules yet
        entries = _read(path) or []
        if not isinstance(entries, list):
            raise _bad(path, "a family file is a list of rules")
        for entry in entries:
            try:
                rule = Rule(**entry)
            except (ValidationError, TypeError) as exc:
                raise _bad(path, f"{entry.get('id', '?') if isinstance(entry, dict) else entry}: {exc}") from exc
            _check_rule(path, rule, family, head, std, root)
            for name in [rule.id, *rule.aliases]:
                if name in rules or name in aliases:
                    raise _bad(path, f"duplicate rule id or alias {name}")
            rules[rule.id] = rule
            aliases.update({a: rule.id for a in rule.aliases})
    _apply_province(root / PROVINCE_FILE, rules)
    try:
        return Catalogue(
            version=head["version"],
            families=head["families"],
            severities=head["severities"],
            clauses=head.get("clauses") or {},
            rules=rules,
            aliases=aliases,
        )
    except (ValidationError, KeyError) as exc:
        raise _bad(head_path, str(exc)) from exc


PROVINCE_FILE = "province.yaml"


def _apply_province(path: Path, rules: dict[str, Rule]) -> None:
    """The province's settings (``validators/province.yaml``): the severity of rules that declare
    ``severity_settable``, chosen among those levels. Anything else there is refused."""
    if not path.exists():
        return
    data = _read(path) or {}
    if not isinstance(data, dict) or set(data) - {"severity"}:
        raise _bad(path, "province.yaml holds only `severity: {rule id: level}`")
    for rule_id, level in (data.get("severity") or {}).items():
        rule = rules.get(rule_id)
        if rule is None:
            raise _bad(path, f"severity: unknown rule {rule_id}")
        if level not in rule.severity_settable:
            raise _bad(path, f"severity: {rule_id} may be set to {rule.severity_settable or 'nothing'}, not {level!r}")
        rules[rule_id] = rule.model_copy(update={"severity": level})


def _check_rule(path: Path, rule: Rule, family: str, head: dict, std: Standard, root: Path) -> None:
    problems: list[str] = []
    if not _ID.fullmatch(rule.id) or rule.family != family:
        problems.append(f"id must be '{family}.<kebab-case>'")
    conventions = {c.id for c in std.conventions}
    if rule.clause not in conventions and rule.clause not in (head.get("clauses") or {}):
        problems.append(f"unknown clause {rule.clause}")
    for entity in [*rule.entities, *rule.targets]:
        if entity != "*" and entity not in std.entities:
            problems.append(f"unknown entity {entity}")
    known_fields = set(std.elements)
    for name in [*rule.depends_on, *([rule.field] if rule.field else [])]:
        if name not in known_fields:
            problems.append(f"unknown field {name}")
    for template in (rule.message_zh, rule.message_en):
        unknown = _template_params(template) - MESSAGE_PARAMS
        if unknown:
            problems.append(f"unknown message parameters {sorted(unknown)}")
    if rule.builtin is not None:
        if rule.builtin not in BUILTINS:
            problems.append(f"unknown builtin {rule.builtin}")
    elif not (root / rule.implementation).is_file():
        problems.append(f"implementation {rule.implementation} not found")
    try:
        rule.applies.standard_ok("1.0.0")
    except ValueError as exc:
        problems.append(str(exc))
    if rule.severity_settable and rule.severity not in rule.severity_settable:
        problems.append(f"severity {rule.severity} is not among severity_settable {rule.severity_settable}")
    if problems:
        raise _bad(path, f"{rule.id}: " + "; ".join(problems))


_FAMILY_TITLES = {
    "struct": ("结构", "Structure"),
    "field": ("字段", "Fields"),
    "code": ("代码集", "Code lists"),
    "ident": ("标识符", "Identifiers"),
    "record": ("记录", "Records"),
    "xrec": ("跨记录", "Across records"),
    "xent": ("跨实体", "Across entities"),
}


def catalogue_markdown(cat: Catalogue | None = None) -> str:
    """The catalogue as a bilingual Markdown page, for the generated documentation."""
    cat = cat or catalogue()
    cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    out = [
        f"# 校验规则目录 Validation rule catalogue {cat.version}",
        "",
        "规则编号永不改名（改名时保留别名）。严重程度：致命 fatal / 错误 error / 警告 warning。",
        "Rule ids are never renamed (a changed rule keeps its old id as an alias). Severity: fatal / error / warning.",
        "",
    ]
    for family in cat.families:
        rules = cat.family(family)
        if not rules:
            continue
        zh, en = _FAMILY_TITLES.get(family, (family, family))
        out += [f"## {zh} {en} (`{family}`)", "", "| 规则 rule | 严重程度 severity | 范围 scope | 实体 entities | 条款 clause | 说明 | description |", "|---|---|---|---|---|---|---|"]
        for r in rules:
            ents = ", ".join(r.entities + [f"→ {t}" for t in r.targets])
            out.append(
                f"| `{r.id}` | {r.severity} | {r.scope} | {cell(ents)} | {r.clause} | {cell(r.title_zh or '')}：{cell(r.message_zh)} | {cell(r.title_en or '')}: {cell(r.message_en)} |"
            )
        out.append("")
    return "\n".join(out)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped in this checkout (cached)."""
    return load_catalogue()
