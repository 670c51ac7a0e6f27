"""Every rule of the catalogue ships a passing and a failing fixture, and both behave.

``validators/fixtures/<rule>/pass/`` — the rule finds nothing; ``fail/`` — it finds exactly the
issues of ``fail/expected.json`` (rule, entity, row, field, and file where given). An optional
``options.json`` (``{"year": 2024}``) gives the ``--year`` of the run. For the builtin families
(struct, field, code, ident, record) the fixtures are strict: the pass folder raises no builtin
issue at all, and the fail folder raises exactly the expected ones plus those listed under
``also`` — so a fixture also proves that no other builtin rule fires on it (no cascades).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jincai import paths
from jincai.validation.catalogue import catalogue
from jincai.validation.engine import validate

FIXTURES = paths.VALIDATORS / "fixtures"
BUILTIN = {"struct", "field", "code", "ident", "record"}
RULES = sorted(catalogue().rules)


def _options(folder: Path) -> dict:
    for candidate in (folder / "options.json", folder / "expected.json"):
        if candidate.exists():
            data = json.loads(candidate.read_text(encoding="utf-8"))
            return data.get("options", data) if candidate.name == "expected.json" else data
    return {}


def _run(folder: Path):
    opts = _options(folder)
    return validate([folder], year=opts.get("year"), max_issues=None)


def _key(i, with_file: bool) -> tuple:
    file = Path(i["file"] if isinstance(i, dict) else i.file).name if with_file else None
    get = (lambda k: i.get(k)) if isinstance(i, dict) else (lambda k: getattr(i, k))
    return (get("rule"), get("entity"), file, get("row"), get("field"))


def _expected(rule_id: str) -> dict:
    return json.loads((FIXTURES / rule_id / "fail" / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_has_fixtures(rule_id):
    assert (FIXTURES / rule_id / "pass").is_dir(), f"{rule_id}: no pass fixture"
    exp = _expected(rule_id)
    assert exp["rule"] == rule_id
    assert exp["issues"], f"{rule_id}: the fail fixture expects no issue"
    assert all(i["rule"] == rule_id for i in exp["issues"])


@pytest.mark.parametrize("rule_id", RULES)
def test_pass_fixture(rule_id):
    report = _run(FIXTURES / rule_id / "pass")
    own = [i for i in report.issues if i.rule == rule_id]
    assert not own, f"{rule_id} fires on its pass fixture: {own[:3]}"
    if catalogue().rule(rule_id).family in BUILTIN:
        builtin = [(i.rule, i.file, i.row, i.field) for i in report.issues if i.rule.split(".")[0] in BUILTIN]
        assert not builtin, f"builtin rules fire on the pass fixture of {rule_id}: {builtin}"


@pytest.mark.parametrize("rule_id", RULES)
def test_fail_fixture(rule_id):
    exp = _expected(rule_id)
    report = _run(FIXTURES / rule_id / "fail")
    assert not report.summary.truncated
    with_file = all("file" in i for i in exp["issues"])
    got = sorted(_key(i, with_file) for i in report.issues if i.rule == rule_id)
    want = sorted(_key(i, with_file) for i in exp["issues"])
    assert got == want
    if catalogue().rule(rule_id).family in BUILTIN:
        got_all = sorted(_key(i, True) for i in report.issues if i.rule.split(".")[0] in BUILTIN)
        want_all = sorted(_key(i, True) for i in exp["issues"] + exp.get("also", []))
        assert got_all == want_all, "other builtin rules fire on the fail fixture (a cascade?)"
