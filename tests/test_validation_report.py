"""``jincai validate``: exit codes, the four report formats, truncation, masking, the published schema."""

from __future__ import annotations

import csv
import io
import json
import shutil

import jsonschema
import pytest
from typer.testing import CliRunner

from jincai import identifiers, paths
from jincai.cli import app
from jincai.standard import standard
from jincai.validation.engine import validate
from jincai.validation.report import report_json_schema, schema_text

FIX = paths.VALIDATORS / "fixtures"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["validate", *args])


def test_published_schema_matches_the_models():
    committed = (paths.SCHEMAS / "report" / "validation-report.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "schemas/report/validation-report.schema.json is stale: regenerate it"


def test_exit_codes():
    assert run(str(FIX / "field.date" / "pass")).exit_code == 0
    assert run(str(FIX / "field.date" / "fail")).exit_code == 1
    assert run(str(FIX / "code.unknown-open" / "fail")).exit_code == 0  # a warning only
    r = run("/no/such/file.jsonl")
    assert r.exit_code == 2 and "找不到" in r.output and "not found" in r.output and "Traceback" not in r.output
    r = run(str(FIX / "struct.encoding" / "fail"))
    assert r.exit_code == 2 and "UTF-8" in r.output
    r = run(str(FIX / "struct.unreadable" / "fail"))
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert run(str(FIX / "field.date" / "fail"), "--format", "pdf").exit_code == 2
    assert run(str(FIX / "field.date" / "fail"), "--format", "xlsx").exit_code == 2  # xlsx needs --out


def test_unknown_entity_and_format_are_usage_errors(tmp_path):
    (tmp_path / "whatever.jsonl").write_text("{}\n", encoding="utf-8")
    r = run(str(tmp_path / "whatever.jsonl"))
    assert r.exit_code == 2 and "--entity" in r.output
    assert run(str(tmp_path / "whatever.jsonl"), "--entity", "agency").exit_code == 1
    assert run(str(tmp_path / "whatever.jsonl"), "--entity", "nope").exit_code == 2
    (tmp_path / "agency.txt").write_text("x", encoding="utf-8")
    assert run(str(tmp_path / "agency.txt")).exit_code == 2


def test_json_report_follows_the_schema():
    r = run(str(FIX / "field.money-format" / "fail"), "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator(report_json_schema()).validate(doc)
    s = doc["summary"]
    assert s["passed"] is False and s["issues_total"] == 6 and not s["truncated"]
    assert s["records"] == {"tax_receipt": 6}
    assert s["by_severity"]["error"] == 6
    assert [c["rule"] for c in s["by_rule"]] == ["field.money-format"]
    assert s["versions"]["standard"] == standard().version and s["versions"]["catalogue"] and "sha256" in s["versions"]["codelists"]
    issue = doc["issues"][0]
    for k in ("rule", "severity", "entity", "file", "row", "field", "value", "expected", "message_zh", "message_en", "key"):
        assert k in issue
    assert issue["key"].count("|") == 2  # mof_div_code|fiscal_year|tax_receipt_id


def test_truncation_is_stated():
    report = validate([FIX / "field.money-format" / "fail"], max_issues=2)
    assert report.summary.truncated and report.summary.issues_total == 6 and len(report.issues) == 2
    r = run(str(FIX / "field.money-format" / "fail"), "--max-issues", "2")
    assert "仅列出前 2 条" in r.stdout and "only 2 of 6" in r.stdout


def test_csv_and_xlsx_error_files(tmp_path):
    out = tmp_path / "errors.csv"
    assert run(str(FIX / "code.gov-eco-mapping" / "fail"), "--format", "csv", "--out", str(out)).exit_code == 1
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][0].startswith("严重程度") and "业务键 Key" in rows[0]
    assert len(rows) == 3 and all(r[5] for r in rows[1:])  # every row carries the record key
    xlsx = tmp_path / "errors.xlsx"
    assert run(str(FIX / "code.gov-eco-mapping" / "fail"), "--format", "xlsx", "--out", str(xlsx)).exit_code == 1
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).worksheets[0]
    values = list(ws.values)
    assert values[0][0].startswith("严重程度") and len(values) == 3


def test_sorted_by_severity(tmp_path):
    shutil.copy(FIX / "code.unknown-open" / "fail" / "payment_detail.jsonl", tmp_path)
    shutil.copy(FIX / "field.date" / "fail" / "tax_receipt.jsonl", tmp_path)
    report = validate([tmp_path])
    severities = [i.severity for i in report.issues]
    assert severities == sorted(severities, key=["fatal", "error", "warning"].index)
    assert [c.severity for c in report.summary.by_rule] == ["error", "warning"]
    text = run(str(tmp_path)).stdout
    assert text.index("field.date") < text.index("code.unknown-open")


def test_personal_data_is_masked_everywhere(tmp_path):
    folder = FIX / "ident.citizen-id" / "fail"
    raw = [json.loads(line)["iden_no"] for line in (folder / "payroll_record.jsonl").read_text(encoding="utf-8").splitlines()]
    outputs = [run(str(folder), "--format", fmt).stdout for fmt in ("text", "json", "csv")]
    xlsx = tmp_path / "r.xlsx"
    run(str(folder), "--format", "xlsx", "--out", str(xlsx))
    from openpyxl import load_workbook

    outputs.append(json.dumps([list(r) for r in load_workbook(xlsx).worksheets[0].values], ensure_ascii=False))
    for out in outputs:
        for value in raw:
            assert value not in out
    assert identifiers.mask_citizen_id(raw[0]) in outputs[1]
    # a broken line of a personal-data entity is never echoed
    bad = tmp_path / "payroll_record.jsonl"
    bad.write_text('{"iden_no":"130100199802233697", broken\n', encoding="utf-8")
    assert "130100199802233697" not in run(str(bad), "--format", "json").stdout


def test_python_api_returns_the_same_report():
    report = validate([FIX / "field.date" / "fail"])
    doc = json.loads(run(str(FIX / "field.date" / "fail"), "--format", "json").stdout)
    assert [i.model_dump() for i in report.issues] == doc["issues"]
    assert report.exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_out_file(tmp_path, fmt):
    out = tmp_path / "sub" / f"report.{fmt}"
    r = run(str(FIX / "field.date" / "fail"), "--format", fmt, "--out", str(out))
    assert r.exit_code == 1 and out.read_text(encoding="utf-8")


def test_year_option_reports_other_years():
    folder = FIX / "record.fiscal-year" / "fail"
    assert run(str(folder)).exit_code == 0
    r = run(str(folder), "--year", "2024", "--format", "json")
    assert r.exit_code == 1 and json.loads(r.stdout)["summary"]["year"] == 2024
    assert run(str(folder), "--year", "24").exit_code == 2
