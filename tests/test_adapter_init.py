"""``jincai adapter init``: detect the layout, propose fields, mark what is unsure."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.init_profile import _fixed_layout, draft_profile
from jincai.adapters.profile import parse_profile
from jincai.cli import app

CSV = (
    "某县财政局2024年3月工资发放表\n"
    "单位代码,功能科目,身份证号,姓名,工资卡号,代理行号,应发(万元),实发(万元),发放日期\n"
    "101001,2080505,13068119950203371X,常娟军,6222253227117133672,103068100021,0.351474,0.300452,20240315\n"
    "101002,2050201,130681197312218685,薛敏宁,6222301160711377470,103068100021,\"1,234.5\",0.296241,20240315\n"
    "合计,,,,,,1.5,0.6,\n"
)


def test_csv_draft(tmp_path):
    src = tmp_path / "工资.csv"
    src.write_bytes(CSV.encode("gbk"))
    text = draft_profile([str(src)])
    data = yaml.safe_load(text)
    assert data["source"] == {"format": "csv", "encoding": "gbk", "delimiter": ",", "header_row": 2}
    t = data["targets"][0]
    assert t["entity"] == "payroll_record"
    fields = t["fields"]
    assert fields["agency_code"]["from"] == "单位代码"
    assert fields["exp_func_code"]["from"] == "功能科目"
    assert fields["iden_no"] == {"from": "身份证号", "transform": ["trim", "upper"]}
    assert fields["per_acct_no"]["from"] == "工资卡号" and "scientific_notation_guard" in fields["per_acct_no"]["transform"]
    assert "wan_yuan" in fields["gross_amt"]["transform"] and "thousands" in fields["gross_amt"]["transform"]
    assert "TODO 待确认 / to decide" in text
    assert "# payroll_id: {from: TODO}" in text  # a required field nothing maps is left for a person
    assert "发放日期" in text and "date_format" in text  # a column without a field is listed with its transform
    # once the TODOs are resolved it is a profile
    fields.update({"payroll_id": "单位代码", "pay_month": {"const": 3}, "dep_bgt_eco_code": {"const": "30101"}, "deduct_amt": {"const": "0.00"}})
    data["constants"] = {"mof_div_code": "130681000", "fiscal_year": "2024"}
    parse_profile(data)


def test_fixed_width_draft_from_the_bank_samples():
    src = sorted((paths.ADAPTERS / "bank_payroll_fixed" / "samples").glob("*.txt"))[0]
    data = yaml.safe_load(draft_profile([str(src)]))
    assert data["source"]["format"] == "fixed_width" and data["source"]["encoding"] == "gbk"
    assert data["source"]["record_length"] == 236
    starts = [f["start"] for f in data["source"]["fields"]]
    for known in (37, 52, 70, 90, 122, 217):  # 单位代码 身份证号 姓名 账号 代理行号 凭证号 start where the layout says
        assert known in starts, starts
    proposed = {v["from"]: k for k, v in data["targets"][0]["fields"].items()}
    assert "iden_no" in proposed.values() and "per_acct_no" in proposed.values()


def test_blank_column_analysis():
    lines = [b"AB  12  xy", b"CD  34  zz", b"EF  56  ab"]
    assert _fixed_layout(lines) == [(0, 4), (4, 4), (8, 2)]


def test_init_cli(tmp_path):
    src = tmp_path / "a.csv"
    src.write_bytes(CSV.encode("gbk"))
    out = tmp_path / "draft.yaml"
    r = CliRunner().invoke(app, ["adapter", "init", str(src), "--out", str(out), "--entity", "payroll_record"])
    assert r.exit_code == 0, r.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["targets"][0]["entity"] == "payroll_record"
    r = CliRunner().invoke(app, ["adapter", "init", str(tmp_path / "missing.csv")])
    assert r.exit_code == 2
