"""Several files translated in parallel give exactly what one process gives (``jincai.adapters.parallel``).

Byte for byte: every entity's records, ``rejected.csv`` (rows and the union of columns), the per-row
trail and the ledger; a file's error is the same error, and the run then leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jincai.adapters import engine
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile
from jincai.errors import JincaiError

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = sorted(p.name for p in (ROOT / "adapters").iterdir() if (p / "profile.yaml").is_file())


def _inputs(name: str) -> list[str]:
    """The adapter's samples and defect files: good rows, rejected rows, filtered rows, findings."""
    out = []
    for sub in ("samples", "defects"):
        folder = ROOT / "adapters" / name / sub
        if folder.is_dir():
            out += sorted(str(p) for p in folder.iterdir() if p.is_file() and p.suffix.lower() not in (".md", ".yaml", ".yml", ".json", ".fpt"))
    return out


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every file of the run; the output folder's own name is taken out of the ledger's paths."""
    got = {}
    for p in sorted(folder.iterdir()):
        data = p.read_bytes()
        if p.name == "ledger.json":
            data = data.replace(str(folder).encode(), b"<out>")
        got[p.name] = data
    return got


@pytest.mark.parametrize("name", ADAPTERS)
def test_two_workers_write_what_one_writes(tmp_path, name):
    files = _inputs(name)
    assert len(files) >= 2, name
    profile = load_profile(name)
    one = translate(profile, files, tmp_path / "one", workers=1)
    two = translate(profile, files, tmp_path / "two", workers=2)
    assert two.to_json()["rows"] == one.to_json()["rows"]
    a, b = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert list(a) == list(b)  # no worker folder left behind either
    for n in a:
        assert a[n] == b[n], f"{name}: {n} differs"
    assert one.rejected or one.filtered or one.findings, "the inputs should exercise more than good rows"


def test_more_workers_than_files_and_files_in_any_order(tmp_path):
    files = _inputs("bank_payroll_fixed")[::-1][:5]
    profile = load_profile("bank_payroll_fixed")
    translate(profile, files, tmp_path / "one", workers=1)
    translate(profile, files, tmp_path / "many", workers=8)
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "many")


def test_a_bad_file_is_the_same_error_and_nothing_is_kept(tmp_path):
    good = _inputs("county_accounting_dbf")[0]
    junk = tmp_path / "junk.DBF"
    junk.write_bytes(bytes(range(256)) * 12)
    again = tmp_path / "PZK2024.DBF"  # a good file after the bad one: a worker may have finished it already
    shutil.copy(good, again)
    shutil.copy(Path(good).with_suffix(".FPT"), again.with_suffix(".FPT"))
    profile = load_profile("county_accounting_dbf")
    errors = []
    for w in (1, 2):
        out = tmp_path / f"out{w}"
        with pytest.raises(JincaiError) as exc:
            translate(profile, [good, str(junk), str(again)], out, workers=w)
        errors.append((exc.value.code, exc.value.location))
        assert sorted(os.listdir(out)) == [], os.listdir(out)  # no records, no rejected.csv, no worker folders
    assert errors[0] == errors[1] and errors[0][0] == "adapter-dbf-malformed" and errors[0][1].startswith(str(junk))


def test_how_many_workers(tmp_path, monkeypatch):
    small = tmp_path / "a.txt"
    small.write_bytes(b"x")
    other = tmp_path / "b.txt"
    other.write_bytes(b"y")
    monkeypatch.delenv("JINCAI_TRANSLATE_WORKERS", raising=False)
    assert engine._workers(None, [str(small), str(other)], "jsonl") == 1  # small inputs: one process
    assert engine._workers(4, [str(small), str(other)], "jsonl") == 2  # never more than the files
    assert engine._workers(4, [str(small), str(other)], "avro") == 1  # Avro containers are not joined by bytes
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 1)
    assert engine._workers(None, [str(small), str(other)], "jsonl") == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("JINCAI_TRANSLATE_WORKERS", "1")
    assert engine._workers(None, [str(small), str(other)], "jsonl") == 1
    for bad in ("two", "0"):
        monkeypatch.setenv("JINCAI_TRANSLATE_WORKERS", bad)
        with pytest.raises(JincaiError) as exc:
            engine._workers(None, [str(small), str(other)], "jsonl")
        assert exc.value.code == "adapter-usage" and exc.value.message_zh and exc.value.message_en


def test_cli_workers_option(tmp_path):
    from jincai.cli import app

    files = _inputs("city_ledger_xml")
    runner = CliRunner()
    r1 = runner.invoke(app, ["translate", *files, "-p", "city_ledger_xml", "-o", str(tmp_path / "one"), "-q", "--workers", "1"])
    r2 = runner.invoke(app, ["translate", *files, "-p", "city_ledger_xml", "-o", str(tmp_path / "two"), "-q", "--workers", "2"])
    assert r1.exit_code == r2.exit_code
    assert r1.exit_code in (0, 1), r1.output
    a, b = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert a.keys() == b.keys() and all(a[k] == b[k] for k in a)
    r0 = runner.invoke(app, ["translate", *files, "-p", "city_ledger_xml", "-o", str(tmp_path / "zero"), "--workers", "0"])
    assert r0.exit_code == 2
    shutil.rmtree(tmp_path / "zero", ignore_errors=True)


def test_large_generated_csv_files(tmp_path):
    """The columnar path at some size: 30,000 GBK payment lines in three files, some rows broken."""
    from benchmarks.bench_translate import CSV_PROFILE, make_csv
    from jincai.adapters.profile import parse_profile

    whole = tmp_path / "all.csv"
    make_csv(whole, 30_000)
    rows = list(csv.reader(io.StringIO(whole.read_bytes().decode("gbk"), newline="")))
    header, body = rows[0], rows[1:]
    amount = header.index("金额")
    for i in range(7, len(body), 997):  # an amount that is not one, a blank line, a subtotal
        body[i] = [*body[i][:amount], "abc", *body[i][amount + 1 :]] if i % 3 else ([""] * len(header) if i % 2 else ["合计", *[""] * (len(header) - 1)])
    files = []
    for k in range(3):
        p = tmp_path / f"part{k}.csv"
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator="\r\n").writerows([header, *body[k * 10_000 : (k + 1) * 10_000]])
        p.write_bytes(text.getvalue().encode("gbk"))
        files.append(str(p))
    profile = parse_profile(CSV_PROFILE)
    one = translate(profile, files, tmp_path / "one", workers=1)
    translate(profile, files, tmp_path / "two", workers=2)
    assert one.source == 30_000 and one.rejected and one.filtered
    assert _outputs(tmp_path / "one") == _outputs(tmp_path / "two")
