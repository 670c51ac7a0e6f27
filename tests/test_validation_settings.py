"""Province-settable severities, the certificate registry, and running with rules disabled."""

from __future__ import annotations

import shutil

import pytest

from jincai import paths
from jincai.errors import JincaiError
from jincai.validation import cert_registry
from jincai.validation.catalogue import load_catalogue
from jincai.validation.engine import validate

FIXTURES = paths.VALIDATORS / "fixtures"


def _catalogue_copy(tmp_path, province: str):
    root = tmp_path / "validators"
    shutil.copytree(paths.VALIDATORS, root, ignore=shutil.ignore_patterns("fixtures"))
    (root / "province.yaml").write_text(province, encoding="utf-8")
    return root


@pytest.mark.parametrize("level", ["warning", "error", "fatal"])
def test_province_sets_a_settable_severity(tmp_path, level):
    root = _catalogue_copy(tmp_path, f"severity:\n  record.envelope-certificate: {level}\n")
    assert load_catalogue(root).rule("record.envelope-certificate").severity == level


@pytest.mark.parametrize("province", [
    "severity:\n  field.date: warning\n",                      # not settable
    "severity:\n  record.envelope-certificate: info\n",       # not a level it allows
    "severity:\n  record.no-such-rule: error\n",              # unknown rule
    "rules_off: [field.date]\n",                              # nothing else may be set there
])
def test_province_cannot_set_anything_else(tmp_path, province):
    root = _catalogue_copy(tmp_path, province)
    with pytest.raises(JincaiError) as exc:
        load_catalogue(root)
    assert exc.value.code == "catalogue-malformed"


@pytest.mark.parametrize("bad,line", [
    ("cert_no,vendor\n", "1"),
    ("{head}\nX,a,b,c,revoked,2024-01-01,2025-01-01,,r,\n", "2"),           # revoked without a date
    ("{head}\nX,a,b,c,issued,2024-13-01,2025-01-01,,,\n", "2"),             # not a date
    ("{head}\nX,a,b,c,issued,2024-01-01,2025-01-01,,,\nX,a,b,c,issued,2024-01-01,2025-01-01,,,\n", "3"),  # twice
    ("{head}\nX,a,b,c,suspended,2024-01-01,2025-01-01,,,\n", "2"),
])
def test_a_malformed_certificate_registry_is_refused_with_its_line(tmp_path, bad, line):
    f = tmp_path / "certificates.csv"
    f.write_text(bad.format(head=",".join(cert_registry.COLUMNS)), encoding="utf-8")
    with pytest.raises(JincaiError) as exc:
        cert_registry.load_registry(f)
    assert exc.value.code == "certificate-registry-malformed" and exc.value.location.endswith(f":{line}")


@pytest.mark.parametrize("path", ["bulk", "record"])
def test_disabled_rules_are_not_reported_and_say_so(path):
    folder = FIXTURES / "field.date" / "fail"
    assert {i.rule for i in validate([folder], path=path).issues} == {"field.date"}
    report = validate([folder], path=path, disabled_rules=["field.date"])
    assert not report.issues
    assert [(s.rule, s.reason) for s in report.summary.rules_skipped if s.reason == "disabled"] == [("field.date", "disabled")]


def test_a_disabled_sql_rule_is_not_run():
    folder = FIXTURES / "xrec.duplicate-key" / "fail"
    assert any(i.rule == "xrec.duplicate-key" for i in validate([folder]).issues)
    report = validate([folder], disabled_rules=["xrec.duplicate-key"])
    assert not any(i.rule == "xrec.duplicate-key" for i in report.issues)
    assert ("xrec.duplicate-key", "disabled") in [(s.rule, s.reason) for s in report.summary.rules_skipped]


def test_disabling_an_unknown_rule_is_a_usage_error():
    with pytest.raises(JincaiError) as exc:
        validate([FIXTURES / "field.date" / "fail"], disabled_rules=["field.no-such-rule"])
    assert exc.value.code == "unknown-rule"
