"""The rule catalogue loads, is consistent with the standard, and a broken one is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from jincai import paths
from jincai.errors import JincaiError
from jincai.validation.catalogue import Applies, catalogue, load_catalogue
from jincai.validation.fields_py import field_checker
from jincai.standard import standard

BUILTIN = {"struct", "field", "code", "ident", "record"}


def test_catalogue_loads():
    cat = catalogue()
    assert cat.version and set(cat.families) >= BUILTIN | {"xrec", "xent"}
    assert all(r.family in cat.families for r in cat.rules.values())
    for r in cat.rules.values():
        assert r.title_zh and r.title_en, f"{r.id} has no title"
        assert r.message_zh and r.message_en


def test_every_sample_defect_kind_belongs_to_one_rule():
    owners: dict[str, list[str]] = {}
    for r in catalogue().rules.values():
        for kind in r.sample_defect_kinds:
            owners.setdefault(kind, []).append(r.id)
    # unknown-code: a closed and an open list; bad-check-digit: one rule per identifier; else one rule
    assert {k: v for k, v in owners.items() if len(v) > 1} == {
        "unknown-code": ["code.unknown", "code.unknown-open"],
        "bad-check-digit": ["ident.uscc", "ident.orgcode", "ident.citizen-id"],
    }


def test_field_rules_are_all_reachable():
    """Every field rule is the answer of the field layer for some element (no dead rule ids)."""
    produced = set()
    samples = [(None, None), ("s", ""), ("s", "１"), ("s", "x" * 400), ("s", "a\nb"), ("s", "?"), ("n", "1.5"), ("i", "-1"), ("b", "true"), ("s", "2024-02-30"), ("s", "12.5")]
    for f in (f for e in standard().entities.values() for f in e.fields):
        check = field_checker(f.element, f.required)
        produced.update(filter(None, (check(k, t) for k, t in samples)))
    assert {r.id for r in catalogue().family("field")} == produced


def test_applies():
    a = Applies(standard=">=1.0.0, <2", fiscal_years="2007-2020")
    assert a.standard_ok("1.4.2") and not a.standard_ok("2.0.0")
    assert a.year_ok(2007) and a.year_ok(2020) and not a.year_ok(2021) and a.year_ok(None)
    assert Applies(fiscal_years="2021").year_ok(2021) and not Applies(fiscal_years="2021").year_ok(2022)
    assert Applies(fiscal_years="2019-").year_ok(2030)


def _broken(tmp_path: Path, family: str, change) -> Path:
    root = tmp_path / "validators"
    shutil.copytree(paths.VALIDATORS, root, ignore=shutil.ignore_patterns("fixtures"))
    path = root / f"{family}.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rules)
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "family,change,needle",
    [
        ("field", lambda rs: rs.append(dict(rs[0])), "duplicate"),
        ("field", lambda rs: rs[0].update(clause="C99"), "clause"),
        ("record", lambda rs: rs[0].update(entities=["no_such_entity"]), "entity"),
        ("field", lambda rs: rs[0].update(message_en="bad {nonsense}"), "parameters"),
        ("field", lambda rs: rs[0].update(id="field.Bad_Id"), "id"),
        ("code", lambda rs: rs[0].update(implementation="builtin:nowhere"), "builtin"),
        ("code", lambda rs: rs[0].update(implementation="sql/none.sql"), "not found"),
        ("ident", lambda rs: rs[0].update(severity="fatalish"), "severity"),
        ("record", lambda rs: rs[0].update(depends_on=["no_such_field"]), "field"),
        ("struct", lambda rs: rs[1].update(aliases=[rs[0]["id"]]), "duplicate"),
    ],
)
def test_broken_catalogue_is_refused(tmp_path, family, change, needle):
    root = _broken(tmp_path, family, change)
    with pytest.raises(JincaiError) as exc:
        load_catalogue(root)
    assert exc.value.code == "catalogue-malformed" and needle in str(exc.value)


def test_aliases_resolve(tmp_path):
    root = _broken(tmp_path, "field", lambda rs: rs[0].update(aliases=["field.mandatory"]))
    cat = load_catalogue(root)
    assert cat.rule("field.mandatory").id == rs0_id(root)


def rs0_id(root: Path) -> str:
    return yaml.safe_load((root / "field.yaml").read_text(encoding="utf-8"))[0]["id"]


def test_catalogue_markdown_lists_every_rule():
    from jincai.validation.catalogue import catalogue_markdown

    page = catalogue_markdown()
    assert all(f"`{rule_id}`" in page for rule_id in catalogue().rules)
