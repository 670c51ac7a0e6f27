"""Issue 7: ``jincai validate`` on empty, damaged, endless and hostile inputs, and with its output
gone — always a coded finding or a coded error, exit 0/1/2, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai.avro_io import write_avro
from jincai.cli import app
from jincai.standard import standard
from jincai.validation.engine import validate

runner = CliRunner()
JINCAI = [sys.executable, "-m", "jincai"]
AGENCY = standard().entity("agency").field_names


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, ["validate", *args], env=env)


def _json(r) -> dict:
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def _coded(r) -> None:
    """Exit 0, 1 or 2 with a message, never the jincai-bug exit 3 or a traceback."""
    assert r.exit_code in (0, 1, 2), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output and "internal error" not in r.output


def _agency_record(code: str = "101001") -> dict:
    return {"mof_div_code": "130600000", "fiscal_year": 2024, "agency_code": code, "agency_name": "财政局",
            "agency_type_code": "1", "budget_level_code": "3"}


# ------------------------------------------------------------------------------------------------
# empty inputs: one outcome whatever the format (issue 7 #8)
# ------------------------------------------------------------------------------------------------


def _empty(path: Path, how: str) -> None:
    fmt = path.suffix
    if how == "zero-bytes":
        path.write_bytes(b"")
    elif how == "whitespace" and fmt in (".jsonl", ".csv"):
        path.write_bytes(b"\xef\xbb\xbf\r\n \n")
    elif fmt == ".csv":
        path.write_text(",".join(AGENCY) + "\n", encoding="utf-8")
    elif fmt == ".parquet":
        pq.write_table(pa.table({f: pa.array([], pa.string()) for f in AGENCY}), path)
    elif fmt == ".avro":
        write_avro(path, standard().entity("agency"), [])
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["zero-bytes", "whitespace", "no-rows"])
@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".avro", ".parquet"])
def test_issue7_08_empty_inputs_give_the_same_outcome_in_every_format(tmp_path, ext, how):
    p = tmp_path / f"agency{ext}"
    _empty(p, how)
    r = run(str(p), "--format", "json")
    assert r.exit_code == 1, r.output  # was: empty JSON Lines exit 0, empty CSV exit 1
    doc = json.loads(r.stdout)
    assert [(i["rule"], i["severity"]) for i in doc["issues"]] == [("struct.empty-file", "error")]
    for path in ("bulk", "record"):
        assert [i.rule for i in validate([p], path=path).issues] == ["struct.empty-file"]


# ------------------------------------------------------------------------------------------------
# --max-issues
# ------------------------------------------------------------------------------------------------


def _many_issues(tmp_path: Path, n: int = 30) -> Path:
    p = tmp_path / "agency.jsonl"
    p.write_text("".join(json.dumps(_agency_record("x")) + "\n" for _ in range(n)), encoding="utf-8")
    return p


@pytest.mark.parametrize("n", ["-5", "-1"])
def test_issue7_max_issues_negative_is_a_usage_error(tmp_path, n):
    r = run(str(_many_issues(tmp_path)), "--max-issues", n)
    assert r.exit_code == 2 and "--max-issues" in r.output and "不能为负数" in r.output and "cannot be negative" in r.output
    _coded(r)


@pytest.mark.parametrize("n", ["0", str(10**30), str(2**63)])
def test_issue7_max_issues_zero_or_huge_lists_everything(tmp_path, n):
    doc = _json(run(str(_many_issues(tmp_path)), "--max-issues", n, "--format", "json"))
    assert not doc["summary"]["truncated"] and doc["summary"]["issues_reported"] == doc["summary"]["issues_total"] > 30


def test_issue7_max_issues_small_truncates_and_says_so(tmp_path):
    doc = _json(run(str(_many_issues(tmp_path)), "--max-issues", "3", "--format", "json"))
    assert doc["summary"]["truncated"] and doc["summary"]["issues_reported"] == 3


# ------------------------------------------------------------------------------------------------
# standard output closed or gone
# ------------------------------------------------------------------------------------------------


def test_issue7_validate_with_stdout_closed_exits_cleanly(tmp_path):
    p = _many_issues(tmp_path)
    proc = subprocess.run(["bash", "-c", 'exec "$@" >&-', "bash", *JINCAI, "validate", str(p)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "标准输出已关闭" in proc.stderr and "standard output is closed" in proc.stderr


def test_issue7_validate_into_a_pipe_that_closes_exits_cleanly(tmp_path):
    p = _many_issues(tmp_path, 3000)  # a report far larger than a pipe's buffer
    proc = subprocess.Popen([*JINCAI, "validate", str(p), "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(10) == b'{\n  "forma'
    proc.stdout.close()  # `| head -c 10`
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 2, err  # was: exit 1 with the report silently cut short
    assert "Traceback" not in err and "Exception ignored" not in err and "standard output is closed" in err


# ------------------------------------------------------------------------------------------------
# inputs that never end: FIFOs and devices
# ------------------------------------------------------------------------------------------------


def test_issue7_validate_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "agency.jsonl"
    os.mkfifo(fifo)
    # a subprocess with a timeout: the defect was a hang
    proc = subprocess.run([*JINCAI, "validate", str(fifo)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "input-not-regular-file" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([*JINCAI, "validate", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "input-not-regular-file" in proc.stderr  # found in a folder too


def test_issue7_validate_refuses_a_device_behind_a_link(tmp_path):
    link = tmp_path / "agency.jsonl"
    link.symlink_to("/dev/zero")
    r = run(str(link))
    assert r.exit_code == 2 and "input-not-regular-file" in r.output
    _coded(r)


# ------------------------------------------------------------------------------------------------
# the Parquet fallback reader: damaged files, invalid UTF-8, wrong types
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_parquet(tmp_path_factory) -> bytes:
    p = tmp_path_factory.mktemp("pq") / "agency.parquet"
    pq.write_table(pa.table({n: pa.array([f"v{i}" for i in range(3000)]) for n in AGENCY}), p, row_group_size=1000)
    return p.read_bytes()


@given(st.randoms(use_true_random=False), st.integers(1, 8))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_issue7_parquet_damage_is_a_coded_error(tmp_path_factory, good_parquet, rnd, flips):
    data = bytearray(good_parquet)
    for _ in range(flips):
        i = rnd.randrange(4, len(data) - 8)
        data[i] ^= rnd.randrange(1, 256)
    p = tmp_path_factory.mktemp("dmg") / "agency.parquet"
    p.write_bytes(bytes(data))
    r = run(str(p), "--format", "json")
    _coded(r)  # was: exit 3 on OSError "Corrupt snappy compressed data", ArrowInvalid …
    if r.exit_code == 2:
        assert "agency.parquet" in r.output and ("Parquet" in r.output or "UTF-8" in r.output)


def test_issue7_parquet_invalid_utf8_is_struct_encoding_with_its_row(tmp_path):
    names = AGENCY
    bad = pa.array([b"ok"] * 1500 + [b"\xff\xfe bad"], pa.binary()).view(pa.string())
    p = tmp_path / "agency.parquet"
    pq.write_table(pa.table({n: (bad if n == "agency_code" else pa.array(["x"] * 1501)) for n in names}), p, row_group_size=1000)
    r = run(str(p), "--format", "json")
    assert r.exit_code == 2 and "UTF-8" in r.output and "ff fe" in r.output and "1001" in r.output, r.output
    _coded(r)


def test_issue7_parquet_wrong_types_are_findings(tmp_path):
    p = tmp_path / "agency.parquet"
    pq.write_table(pa.table({
        "mof_div_code": pa.array([[1, 2]]), "fiscal_year": pa.array([{"a": 1}]), "agency_code": pa.array([b"\x00"]),
        "agency_name": pa.array([float("nan")]), "agency_type_code": pa.array([1], pa.time64("us")), "budget_level_code": pa.array([True]),
    }), p)
    doc = _json(run(str(p), "--format", "json"))
    assert {i["rule"] for i in doc["issues"]} >= {"field.string-type"}


# ------------------------------------------------------------------------------------------------
# JSON Lines: invalid UTF-8, NUL, enormous lines, deep nesting, lone surrogates
# ------------------------------------------------------------------------------------------------


def test_issue7_jsonl_invalid_utf8_is_struct_encoding(tmp_path):
    p = tmp_path / "agency.jsonl"
    p.write_bytes(json.dumps(_agency_record()).encode() + b"\n" + b'{"agency_name": "\xff\xfe"}\n')
    r = run(str(p))
    assert r.exit_code == 2 and "UTF-8" in r.output and "2" in r.output
    _coded(r)


def test_issue7_jsonl_nul_bytes_are_a_syntax_finding(tmp_path):
    p = tmp_path / "agency.jsonl"
    p.write_bytes(json.dumps(_agency_record()).encode() + b"\n\x00\x00\x00\n" + b'{"agency_name": "a\x00b"}\n')
    doc = _json(run(str(p), "--format", "json"))
    assert [i["row"] for i in doc["issues"] if i["rule"] == "struct.json-syntax"] == [2, 3]


def test_issue7_jsonl_line_over_the_limit_is_a_coded_error(tmp_path):
    p = tmp_path / "agency.jsonl"
    rec = _agency_record()
    rec["agency_name"] = "长" * 5000
    p.write_text(json.dumps(_agency_record()) + "\n" + json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    r = run(str(p), env={"JINCAI_LIMIT_LINE_BYTES": "4096"})
    assert r.exit_code == 2 and "limit-line-bytes" in r.output and "JINCAI_LIMIT_LINE_BYTES" in r.output, r.output
    _coded(r)
    for path in ("bulk", "record"):  # both paths stop at the same place
        os.environ["JINCAI_LIMIT_LINE_BYTES"] = "4096"
        try:
            issues = validate([p], path=path).issues
        finally:
            del os.environ["JINCAI_LIMIT_LINE_BYTES"]
        assert [(i.rule, i.row) for i in issues] == [("struct.unreadable", 2)]
    assert run(str(p)).exit_code == 1  # under the default limit it is an ordinary record


def test_issue7_csv_line_over_the_limit_is_a_coded_error(tmp_path):
    p = tmp_path / "agency.csv"
    p.write_text(",".join(AGENCY) + "\n" + ",".join(["x" * 3000] * len(AGENCY)) + "\n", encoding="utf-8")
    r = run(str(p), env={"JINCAI_LIMIT_LINE_BYTES": "4096"})
    assert r.exit_code == 2 and "limit-line-bytes" in r.output, r.output
    _coded(r)


@pytest.mark.parametrize("depth", [100, 5000, 100_000])
def test_issue7_jsonl_deep_nesting_is_a_finding(tmp_path, depth):
    p = tmp_path / "agency.jsonl"
    p.write_text('{"agency_name": ' + "[" * depth + "]" * depth + "}\n" + "[" * depth + "\n", encoding="utf-8")
    for path in ("bulk", "record"):
        report = validate([p], path=path)  # was: RecursionError
        assert report.exit_code == 1
    _coded(run(str(p)))


def test_issue7_jsonl_lone_surrogate_is_a_syntax_finding_on_both_paths(tmp_path):
    p = tmp_path / "agency.jsonl"
    p.write_text('{"agency_name": "\\ud800"}\n{"agency_name": "\\ud83d\\ude00"}\n', encoding="utf-8")
    for path in ("bulk", "record"):
        rules = [(i.rule, i.row) for i in validate([p], path=path).issues if i.rule.startswith("struct.json")]
        assert rules == [("struct.json-syntax", 1)], path  # a surrogate pair is one character: fine
    for fmt in ("csv", "xlsx", "json", "text"):
        out = tmp_path / f"r.{fmt}"
        _coded(run(str(p), "--format", fmt, "--out", str(out)))


@given(st.binary(max_size=400))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_issue7_any_bytes_as_jsonl_or_csv_give_a_coded_outcome(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("any")
    for name in ("agency.jsonl", "agency.csv"):
        p = folder / name
        p.write_bytes(json.dumps(_agency_record()).encode() + b"\n" + data)
        _coded(run(str(p), "--format", "json"))
