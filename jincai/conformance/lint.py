"""``jincai conformance lint``: check the suite itself.

Every case.yaml fits the schema; ids are unique, match their folders and keep the number
``numbers.csv`` gave them (ids and numbers never change or get reused; a retired case stays as
deprecated); rule ids, requirement ids, profiles and features a case names exist; every catalogue
rule has a case where it must fire and one where it must not; every requirement is covered by an
active case or says why not; no file in a case folder is an orphan and none is missing; the suite
matches its release manifest.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


from jincai import yaml_load
from jincai.conformance.model import ProduceCase, SubmitCase, TranslateCase, ValidateCase
from jincai.conformance.suite import NUMBERS_FILE, LoadedSuite, load_suite, release_mismatches
from jincai.errors import JincaiError
from jincai.validation.catalogue import catalogue

COMPANIONS = (".fpt", ".dbt", ".FPT", ".DBT")


@dataclass(frozen=True)
class Problem:
    code: str
    location: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.code} [{self.location}]: {self.zh} / {self.en}"


@dataclass
class Coverage:
    requirements: int
    covered: int
    untested_with_reason: int
    rules: int
    rules_fire: int
    rules_silent: int


def referenced_files(case, folder: Path) -> set[str]:
    """Files of the case folder its case.yaml uses (with memo companions and profile crosswalks)."""
    refs = {"case.yaml"}
    if isinstance(case, ValidateCase):
        refs |= set(case.input.files)
    elif isinstance(case, TranslateCase):
        refs |= {case.input.profile, *case.input.inputs, *case.expected.records.values()}
        for rel in case.input.inputs:
            stem = rel.rsplit(".", 1)[0]
            refs |= {stem + ext for ext in COMPANIONS if (folder / (stem + ext)).exists()}
        try:
            prof = yaml_load.load_file(folder / case.input.profile) or {}
            refs |= {str(Path(case.input.profile).parent / v) if Path(case.input.profile).parent != Path(".") else v for v in (prof.get("crosswalks") or {}).values()}
        except JincaiError:
            pass
    elif isinstance(case, ProduceCase):
        refs |= {case.input.scenario, case.expected.totals}
    elif isinstance(case, SubmitCase):  # a submission folder is sent whole: each of its files is used
        for step in case.input.steps:
            if step.submission:
                sub = folder / step.submission
                refs |= {p.relative_to(folder).as_posix() for p in sub.rglob("*") if p.is_file()} if sub.is_dir() else {f"{step.submission}/"}
    return refs


def lint(root: Path | None = None) -> tuple[list[Problem], Coverage]:
    suite = load_suite(root, strict=False)
    problems = [Problem("case-invalid", loc, f"不符合模式：{what}", f"does not fit the schema: {what}") for loc, what in suite.problems]
    problems += _ids(suite)
    problems += _references(suite)
    problems += _files(suite)
    cov, cov_problems = _coverage(suite)
    problems += cov_problems
    try:
        problems += [Problem("release-drift", "release.json", f"与发布清单不一致：{m}", f"differs from the release manifest: {m}") for m in release_mismatches(suite.root)]
    except Exception as exc:  # noqa: BLE001 — an unreadable manifest is itself a finding
        problems.append(Problem("release-unreadable", "release.json", f"无法读取发布清单：{exc}", f"cannot read the release manifest: {exc}"))
    return problems, cov


def _ids(suite: LoadedSuite) -> list[Problem]:
    out = []
    modules = {m.id: m.number for m in suite.suite.modules}
    seen_ids: dict[str, str] = {}
    seen_numbers: dict[str, str] = {}
    for c in suite.cases:
        loc = str(c.folder.relative_to(suite.root))
        case = c.case
        if c.folder.name != case.id or c.folder.parent.name != case.module:
            out.append(Problem("case-folder", loc, f"目录应为 cases/{case.module}/{case.id}", f"the folder must be cases/{case.module}/{case.id}"))
        if case.module not in modules:
            out.append(Problem("unknown-module", loc, f"套件中没有模块 {case.module}", f"the suite has no module {case.module}"))
        elif int(case.number.split(".")[0]) != modules[case.module]:
            out.append(Problem("number-module", loc, f"编号 {case.number} 的第一段应为模块编号 {modules[case.module]}", f"the number {case.number} must start with the module's number {modules[case.module]}"))
        for key, table, what in ((case.id, seen_ids, "id"), (case.number, seen_numbers, "number")):
            if key in table:
                out.append(Problem(f"duplicate-{what}", loc, f"{what} {key} 与 {table[key]} 重复", f"the {what} {key} is also used by {table[key]}"))
            table[key] = loc
    path = suite.root / NUMBERS_FILE
    if not path.exists():
        return out + [Problem("numbers-missing", NUMBERS_FILE, "缺少编号登记表", "the number register is missing")]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    register = {}
    for r in rows:
        if r["id"] in register:
            out.append(Problem("id-reused", NUMBERS_FILE, f"编号登记表中 {r['id']} 出现两次", f"{r['id']} appears twice in the register"))
        register[r["id"]] = r
    by_id = {c.case.id: c for c in suite.cases}
    for cid, c in by_id.items():
        r = register.get(cid)
        loc = str(c.folder.relative_to(suite.root))
        if r is None:
            out.append(Problem("id-unregistered", loc, "用例不在编号登记表中（请运行生成器）", "the case is not in the number register (run the builder)"))
        elif r["number"] != c.case.number:
            out.append(Problem("number-changed", loc, f"显示编号由 {r['number']} 改成了 {c.case.number}：编号永不重排", f"the display number changed from {r['number']} to {c.case.number}: numbers are never changed"))
        elif r["status"] == "deprecated" and c.case.status != "deprecated":
            out.append(Problem("deprecated-revived", loc, "已废止的编号不得重新启用", "a deprecated id is never reused"))
    for cid in sorted(set(register) - set(by_id)):
        out.append(Problem("case-deleted", NUMBERS_FILE, f"用例 {cid} 已登记却不见了：废止而不要删除", f"the registered case {cid} is gone: deprecate it, never delete it"))
    return out


def _references(suite: LoadedSuite) -> list[Problem]:
    cat = catalogue()
    known = set(cat.rules) | set(cat.aliases)
    families = set(cat.families)
    profiles = {p.id for p in suite.suite.profiles}
    out = []
    for c in suite.cases:
        loc = str(c.folder.relative_to(suite.root))
        case = c.case
        for req in case.requirements:
            if req not in suite.requirements:
                out.append(Problem("unknown-requirement", loc, f"未知的需求 {req}", f"unknown requirement {req}"))
        for p in case.actors:
            if p not in profiles:
                out.append(Problem("unknown-profile", loc, f"未知的配置档 {p}", f"unknown profile {p}"))
        for f in case.features:
            if f not in suite.suite.features:
                out.append(Problem("unknown-feature", loc, f"suite.yaml 未定义能力 {f}", f"suite.yaml defines no feature {f}"))
        if isinstance(case, ValidateCase):
            for i in case.expected.issues:
                if i.rule not in known:
                    out.append(Problem("unknown-rule", loc, f"规则目录中没有 {i.rule}", f"the catalogue has no rule {i.rule}"))
            for s in case.expected.scope:
                if s not in known and s not in families and s != "*":
                    out.append(Problem("unknown-rule", loc, f"scope 中的 {s} 既不是规则也不是规则族", f"{s} in scope is neither a rule nor a family"))
            if case.expected.match == "scoped" and not case.expected.scope:
                out.append(Problem("empty-scope", loc, "scoped 匹配需要 scope", "a scoped match needs a scope"))
        if isinstance(case, SubmitCase):
            creds = set(suite.suite.gateway.credentials) if suite.suite.gateway else set()
            for step in case.input.steps:
                if step.credential not in creds | {"none", "forged", "foreign-cert"}:
                    out.append(Problem("unknown-credential", loc, f"suite.yaml 未定义凭据 {step.credential}", f"suite.yaml defines no credential {step.credential}"))
            if case.input.observer and case.input.observer not in creds:
                out.append(Problem("unknown-credential", loc, f"suite.yaml 未定义凭据 {case.input.observer}", f"suite.yaml defines no credential {case.input.observer}"))
            if len(case.expected.steps) != len(case.input.steps):
                out.append(Problem("steps-mismatch", loc, "预期的步数与输入的步数不同", "the expected steps differ in number from the input steps"))
            for n, exp in enumerate(case.expected.steps, 1):
                for i in exp.issues or []:
                    if i.rule not in known:
                        out.append(Problem("unknown-rule", loc, f"规则目录中没有 {i.rule}", f"the catalogue has no rule {i.rule}"))
                for ref in [*exp.supersedes, *([exp.same_receipt_as] if exp.same_receipt_as else [])]:
                    if not 1 <= ref < n:
                        out.append(Problem("step-reference", loc, f"第 {n} 步引用了第 {ref} 步（只能引用之前的步骤）", f"step {n} refers to step {ref} (only earlier steps)"))
                if exp.stores_nothing and not case.input.observer:
                    out.append(Problem("observer-missing", loc, "检查“不存储”需要 observer 凭据", "checking that nothing is stored needs an observer credential"))
    return out


def _files(suite: LoadedSuite) -> list[Problem]:
    out = []
    for c in suite.cases:
        loc = str(c.folder.relative_to(suite.root))
        refs = referenced_files(c.case, c.folder)
        present = {p.relative_to(c.folder).as_posix() for p in c.folder.rglob("*") if p.is_file()}
        for rel in sorted(refs - present):
            out.append(Problem("file-missing", f"{loc}/{rel}", "用例引用的文件不存在", "a file the case names does not exist"))
        for rel in sorted(present - refs):
            out.append(Problem("orphan-file", f"{loc}/{rel}", "用例没有引用的文件", "a file the case does not use"))
    return out


def _coverage(suite: LoadedSuite) -> tuple[Coverage, list[Problem]]:
    cat = catalogue()
    out = []
    active = [c for c in suite.cases if c.case.status == "active"]
    covered = {r for c in active for r in c.case.requirements}
    untested = 0
    for req in suite.requirements.values():
        if req.status != "active":
            continue
        if req.id not in covered and not req.untested_reason_en:
            out.append(Problem("requirement-uncovered", req.id, "没有用例测试该需求，也没有说明原因", "no case tests the requirement and no reason is given"))
        if req.id in covered and req.untested_reason_en:
            out.append(Problem("stale-untested-reason", req.id, "该需求已有用例，请删除未测原因", "cases test the requirement now: drop its untested reason"))
        untested += req.id not in covered and bool(req.untested_reason_en)
    fire: set[str] = set()
    silent: set[str] = set()
    for c in active:
        if not isinstance(c.case, ValidateCase):
            continue
        exp = c.case.expected
        listed = {i.rule for i in exp.issues}
        fire |= listed
        for rule in cat.rules.values():
            compared = exp.match == "exact" or rule.id in exp.scope or rule.family in exp.scope
            if compared and rule.id not in listed:
                silent.add(rule.id)
    for rule in cat.rules:
        if rule not in fire:
            out.append(Problem("rule-never-fires", rule, "没有用例要求该规则报告问题", "no case requires the rule to fire"))
        if rule not in silent:
            out.append(Problem("rule-never-silent", rule, "没有用例要求该规则不报告", "no case requires the rule to stay silent"))
    reqs = [r for r in suite.requirements.values() if r.status == "active"]
    return Coverage(len(reqs), sum(1 for r in reqs if r.id in covered), untested, len(cat.rules), len(fire & set(cat.rules)), len(silent & set(cat.rules))), out
