"""Mapping profiles: shape, meaning, precise errors, the published JSON Schema, ``adapter check``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.profile import SCHEMA_PATH, list_profiles, load_profile, parse_profile, render_json_schema
from jincai.cli import app
from jincai.errors import JincaiError

BASE = {
    "id": "t_profile",
    "name_zh": "测试",
    "name_en": "test",
    "source": {"format": "csv", "encoding": "gbk"},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "filters": ["blank", "subtotal"],
    "targets": [
        {
            "entity": "payment_detail",
            "fields": {
                "pay_detail_id": "明细号",
                "pay_cert_id": "凭证号",
                "agency_code": {"from": "单位", "transform": ["trim", {"leading_zero_guard": 6}]},
                "payee_acct_name": "收款人",
                "payee_acct_no": "账号",
                "payee_acct_bank_name": "开户行",
                "pay_amt": {"from": "金额", "transform": ["trim", {"wan_yuan": None}]},
            },
        }
    ],
}


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "profile.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _error(tmp_path: Path, data: dict) -> JincaiError:
    with pytest.raises(JincaiError) as e:
        load_profile(_write(tmp_path, data))
    return e.value


def test_base_profile_is_valid(tmp_path):
    p = load_profile(_write(tmp_path, BASE))
    assert p.targets[0].field_map("pay_detail_id").from_ == "明细号"
    assert [f.kind for f in p.filter_list()] == ["blank", "subtotal"]


def test_shipped_profiles_load():
    names = [p.id for p in list_profiles()]
    assert "bank_payroll_fixed" in names
    for name in names:
        assert load_profile(name).id == name


@pytest.mark.parametrize(
    "mutate, where, words",
    [
        (lambda d: d.update(colour="red"), "colour", "unknown key"),
        (lambda d: d["targets"][0]["fields"]["pay_amt"]["transform"].__setitem__(1, {"wan_yuan": {"scale": 3}}), "targets[0].fields.pay_amt.transform[1].wan_yuan.scale", "invalid arguments"),
        (lambda d: d["targets"][0]["fields"]["pay_amt"]["transform"].__setitem__(1, "round_half_up"), "targets[0].fields.pay_amt.transform[1]", "unknown transform"),
        (lambda d: d["targets"][0]["fields"]["agency_code"]["transform"].__setitem__(1, {"leading_zero_guard": "six"}), "targets[0].fields.agency_code.transform[1].leading_zero_guard.length", "invalid arguments"),
        (lambda d: d["targets"][0].update(entity="no_such_entity"), "targets[0].entity", "no entity"),
        (lambda d: d["targets"][0]["fields"].update(colour="明细号"), "targets[0].fields.colour", "has no field"),
        (lambda d: d["targets"][0]["fields"].pop("payee_acct_no"), "targets[0].fields", "required field payee_acct_no"),
        (lambda d: d["constants"].pop("fiscal_year"), "targets[0].fields", "required field fiscal_year"),
        (lambda d: d["constants"].update(colour="x"), "constants.colour", "not a field"),
        (lambda d: d["filters"].append({"kind": "nonsense"}), "filters[2]", "unknown filter kind"),
        (lambda d: d["filters"].append({"kind": "subtotal", "pattern": "(合计"}), "filters[2].pattern", "regular expression"),
        (lambda d: d.update(crosswalks={"old": "missing.csv"}), "crosswalks.old", "cannot be read"),
        (lambda d: d["targets"][0]["fields"]["pay_amt"]["transform"].append({"crosswalk": "old"}), "targets[0].fields.pay_amt.transform[2]", "undeclared table"),
        (lambda d: d["targets"][0]["fields"].update(pay_cert_id={"from": ["a", "b"], "transform": ["trim"]}), "targets[0].fields.pay_cert_id.transform[0]", "several"),
        (lambda d: d["targets"][0]["fields"].update(pay_cert_id={"from": "a", "const": "b"}), "targets[0].fields.pay_cert_id", "exactly one"),
        (lambda d: d["source"].update(format="lotus123"), "source.format", "unknown source format"),
        (lambda d: d["source"].update(delimiter=";;"), "source.delimiter", "reader option"),
        (lambda d: d["source"].update(colour="red"), "source.colour", "no such option"),
        (lambda d: d["source"].update(encoding="klingon"), "source.encoding", "unknown character encoding"),
        (lambda d: d.pop("name_zh"), "name_zh", "required key missing"),
        (lambda d: d.update(id="Bad-Id"), "id", "invalid value"),
    ],
)
def test_invalid_profiles_say_where_and_why(tmp_path, mutate, where, words):
    data = copy.deepcopy(BASE)
    mutate(data)
    err = _error(tmp_path, data)
    assert err.code == "adapter-profile-invalid"
    assert err.details["path"] == where, (err.details, str(err))
    assert words in err.message_en, err.message_en
    assert err.message_zh and err.message_zh != err.message_en
    assert err.details["line"] is not None and f"profile.yaml:{err.details['line']}" in err.location


def test_yaml_line_points_at_the_problem(tmp_path):
    text = yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False).replace("- wan_yuan: null", "- wan_yuan: {scale: 3}")
    p = tmp_path / "profile.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    line = text.splitlines()[e.value.details["line"] - 1]
    assert "scale" in line or "wan_yuan" in line


def test_derive_cycles_and_unknown_inputs(tmp_path):
    data = copy.deepcopy(BASE)
    data["targets"][0]["fields"]["add_word"] = {"derive": "per_name", "transform": ["trim"]}
    err = _error(tmp_path, data)
    assert err.details["path"] == "targets[0].fields.add_word.derive"
    assert "not mapped" in err.message_en
    data["targets"][0]["fields"]["per_name"] = {"derive": "add_word", "transform": ["trim"]}
    err = _error(tmp_path, data)
    assert "cycle" in err.message_en


def test_yaml_syntax_error(tmp_path):
    p = tmp_path / "profile.yaml"
    p.write_text("id: x\nname_zh: [unclosed\n", encoding="utf-8")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert "YAML" in e.value.message_en and ":" in e.value.location


def test_not_found_lists_the_shipped_profiles():
    with pytest.raises(JincaiError) as e:
        load_profile("no_such_profile")
    assert e.value.code == "adapter-profile-not-found"
    assert "bank_payroll_fixed" in e.value.message_en


def test_json_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_json_schema(), "run: python -m jincai.adapters.profile"


def test_json_schema_accepts_shipped_and_rejects_nonsense():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    for p in sorted(paths.ADAPTERS.glob("*/profile.yaml")):
        errors = list(v.iter_errors(yaml.safe_load(p.read_text(encoding="utf-8"))))
        assert not errors, (p, [e.message for e in errors[:3]])
    assert not list(v.iter_errors(BASE))
    bad = copy.deepcopy(BASE)
    bad["targets"][0]["fields"]["pay_amt"]["transform"].append("round_half_up")
    assert list(v.iter_errors(bad))
    bad = copy.deepcopy(BASE)
    bad["source"]["colour"] = "red"
    assert list(v.iter_errors(bad))
    bad = copy.deepcopy(BASE)
    bad["targets"][0]["fields"]["pay_amt"]["transform"][1] = {"wan_yuan": {"scale": 3}}
    assert list(v.iter_errors(bad))


def test_parse_profile_from_data():
    p = parse_profile(copy.deepcopy(BASE))
    assert p.id == "t_profile"


def test_adapter_check_and_list_cli(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["adapter", "check", "bank_payroll_fixed"])
    assert r.exit_code == 0, r.output
    assert "payroll_record" in r.output
    data = copy.deepcopy(BASE)
    data["targets"][0]["entity"] = "nope"
    r = runner.invoke(app, ["adapter", "check", str(_write(tmp_path, data))])
    assert r.exit_code == 1
    assert "targets[0].entity" in r.output
    r = runner.invoke(app, ["adapter", "check", "no_such_profile"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["adapter", "list", "--json"])
    assert r.exit_code == 0
    assert "bank_payroll_fixed" in [p["id"] for p in json.loads(r.output)]


# ---- the reference document ------------------------------------------------------------------

DOC = paths.DOCS / "adapters" / "profile-reference.zh-en.md"


def test_reference_names_every_transform_filter_option_and_reason():
    from jincai.adapters import transforms as T
    from jincai.adapters.profile import FILTER_KINDS
    from jincai.adapters.readers._fixed import FixedWidthOptions
    from jincai.adapters.readers.delimited import CsvOptions

    text = DOC.read_text(encoding="utf-8")
    for name in T.REGISTRY:
        assert f"`{name}`" in text, name
    for kind in FILTER_KINDS:
        assert f"`{kind}`" in text, kind
    for model in (CsvOptions, FixedWidthOptions):
        for opt in model.model_fields:
            assert f"`{opt}`" in text, opt
    for code in T.REASONS:
        assert code in text, code


def test_reference_worked_example_runs(tmp_path):
    """The worked example of §2 translates as the document says."""
    import re

    from jincai.adapters.engine import translate

    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1].split("## 3.", 1)[0]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    csv_text = next(b for lang, b in blocks if not lang and "流水号" in b)
    profile_yaml = next(b for lang, b in blocks if lang == "yaml")
    expected = json.loads(next(b for lang, b in blocks if lang == "json"))
    src = tmp_path / "2024年03月.csv"
    src.write_bytes(csv_text.encode("gbk"))
    (tmp_path / "profile.yaml").write_text(profile_yaml, encoding="utf-8")
    profile = load_profile(tmp_path / "profile.yaml")
    ledger = translate(profile, [src], tmp_path / "out", sets={"fiscal_year": "2024"})
    assert (ledger.source, ledger.translated, ledger.rejected, ledger.filtered) == (4, 2, 0, 2)
    assert sorted(ledger.filtered_by_reason) == ["notes-below-table", "subtotal-row"]
    first = (tmp_path / "out" / "payroll_record.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first) == expected
    assert str(ledger.money[("payroll_record", "gross_amt")].translated) == "6914.12"
