"""Must-fire and must-not-fire cases for every rule of the catalogue, from its reviewed fixtures.

``validators/fixtures/<rule>/fail/`` with its hand-written ``expected.json`` becomes
``<rule>.fires``; ``pass/`` becomes ``<rule>.silent``. The builtin families (struct, field, code,
ident, record) are compared on all builtin rules (a fixture also proves no other builtin rule fires
on it — no cascades); cross-record and cross-entity rules on the rule itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from jincai import paths
from jincai.conformance.builders.base import BUILTIN_FAMILIES, Draft
from jincai.validation.catalogue import catalogue

FIXTURES = paths.VALIDATORS / "fixtures"
SKIP_FILES = {"expected.json", "options.json"}
#: families an auditor reruns over stored submissions (relations between values, not their shape)
AUDITOR_FAMILIES = {"record", "xrec", "xent"}
#: a family whose cases live in a module of another name
FAMILY_MODULE = {"ident": "identifiers"}


def input_features(names: list[str]) -> list[str]:
    """Input formats beyond JSON Lines are features a product declares (``input.csv`` …)."""
    return sorted({f"input.{Path(n).suffix.lstrip('.').lower()}" for n in names if Path(n).suffix.lower() not in (".jsonl", ".json")})


def rule_requirements(rule) -> list[str]:
    return [f"R-RULE-{rule.id}", f"R-{rule.clause}"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name not in SKIP_FILES}


def _options(folder: Path) -> dict:
    if (folder / "options.json").exists():
        return json.loads((folder / "options.json").read_text(encoding="utf-8"))
    exp = folder / "expected.json"
    return json.loads(exp.read_text(encoding="utf-8")).get("options", {}) if exp.exists() else {}


def _file_of(issue: dict, files: dict[str, bytes]) -> str | None:
    """The issue's file: given, or the one file of its entity in the folder."""
    if issue.get("file"):
        return Path(issue["file"]).name
    matches = [n for n in files if Path(n).stem == issue.get("entity")]
    if len(matches) != 1:
        raise ValueError(f"cannot tell the file of {issue}: {matches}")
    return matches[0]


def _issue(i: dict, files: dict[str, bytes]) -> dict:
    return {"rule": i["rule"], "file": _file_of(i, files), "row": i.get("row"), "field": i.get("field")}


def make() -> list[Draft]:
    drafts: list[Draft] = []
    cat = catalogue()
    for rule in cat.rules.values():
        family = rule.family
        builtin = family in BUILTIN_FAMILIES
        scope = BUILTIN_FAMILIES if builtin else [rule.id]
        actors = ["validator", "auditor"] if family in AUDITOR_FAMILIES else ["validator"]
        title = (rule.title_zh or rule.id, rule.title_en or rule.id)
        for kind in ("fail", "pass"):
            folder = FIXTURES / rule.id / kind
            files = _files(folder)
            opts = _options(folder)
            if kind == "fail":
                exp = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
                listed = exp["issues"] + (exp.get("also", []) if builtin else [])
                issues = [_issue(i, files) for i in listed]
            else:
                issues = []
            fires = kind == "fail"
            drafts.append(Draft(
                id=f"{rule.id}.{'fires' if fires else 'silent'}",
                module=FAMILY_MODULE.get(family, family),
                group=rule.id,
                title_zh=f"{title[0]}：{'必须报告' if fires else '不得报告'} {rule.id}",
                title_en=f"{title[1]}: {rule.id} {'must fire' if fires else 'must not fire'}",
                actors=actors,
                requirements=rule_requirements(rule),
                operation="validate",
                input={"files": sorted(files), "year": opts.get("year")},
                expected={"outcome": None, "match": "scoped", "scope": scope, "issues": issues},
                files=files,
                features=input_features(list(files)),
                review_zh=f"来自规则目录的评审样例 validators/fixtures/{rule.id}/{kind}/" + ("（expected.json 逐项列出）" if fires else ""),
                review_en=f"from the catalogue's reviewed fixture validators/fixtures/{rule.id}/{kind}/" + (" (expected.json lists each issue)" if fires else ""),
            ))
    return drafts
