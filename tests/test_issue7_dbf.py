"""Issue 7 items 6 and 3 (memo_file) and the DBF crashes: nothing is read or dropped silently.

The shipped sample ``PZK2024.DBF`` holds 54 records; each test changes its header or its tail and
translates it with the shipped profile, checking what a user sees: the exit code, the ledger's
counts and reasons, and the file-level facts in ``ledger.json``.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.legacy_files import DbfField, write_dbf
from jincai.adapters.profile import load_profile
from jincai.adapters.readers import get_reader
from jincai.cli import app
from jincai.errors import JincaiError

SAMPLES = paths.ADAPTERS / "county_accounting_dbf" / "samples"
RECORDS = 54


def _sample(tmp_path: Path, change=None) -> Path:
    """The sample table (and its memo file) copied to ``tmp_path``, its bytes passed through ``change``."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    shutil.copy(SAMPLES / "PZK2024.FPT", folder / "PZK2024.FPT")
    data = bytearray((SAMPLES / "PZK2024.DBF").read_bytes())
    if change:
        data = change(data)
    path = folder / "PZK2024.DBF"
    path.write_bytes(bytes(data))
    return path


def _count(n: int):
    def change(data: bytearray) -> bytearray:
        struct.pack_into("<I", data, 4, n)
        return data

    return change


def _translate(path: Path, out: Path):
    ledger = translate(load_profile("county_accounting_dbf"), [path], out)
    assert ledger.reconciled, ledger.problems()
    return ledger, json.loads((out / "ledger.json").read_text(encoding="utf-8"))


def test_the_sample_holds_what_its_header_says(tmp_path):
    ledger, data = _translate(_sample(tmp_path), tmp_path / "out")
    assert ledger.source == RECORDS and ledger.rejected == 0
    reader = data["files"][0]["reader"]
    assert (reader["records_declared"], reader["records_in_file"], reader["record_count_matches"]) == (RECORDS, RECORDS, True)


def test_issue7_06_dbf_record_count_zero_loses_no_records(tmp_path):
    path = _sample(tmp_path, _count(0))
    ledger, data = _translate(path, tmp_path / "out")
    assert ledger.source == RECORDS and ledger.rejected == RECORDS and ledger.translated == 0
    assert ledger.rejected_by_reason == {"dbf-record-past-count": RECORDS}  # deleted ones too: not for the filter to hide
    reader = data["files"][0]["reader"]
    assert (reader["records_declared"], reader["records_in_file"], reader["record_count_matches"]) == (0, RECORDS, False)
    r = CliRunner().invoke(app, ["translate", "--profile", "county_accounting_dbf", str(path), "--out", str(tmp_path / "cli"), "-q"])
    assert r.exit_code == 1, r.output
    rejected = (tmp_path / "out" / "rejected.csv").read_text(encoding="utf-8-sig")
    assert "dbf-record-past-count" in rejected and "KJZF" in rejected  # the records' values are there to resubmit


def test_issue7_06_dbf_records_past_the_count_are_rejected(tmp_path):
    ledger, _ = _translate(_sample(tmp_path, _count(50)), tmp_path / "out")
    assert ledger.source == RECORDS and ledger.rejected_by_reason["dbf-record-past-count"] == 4
    rows = list(get_reader("dbf").read(str(_sample(tmp_path, _count(50))), {}))
    assert [r.row for r in rows[-4:]] == [51, 52, 53, 54]
    assert rows[-1].byte_offset == rows[-2].byte_offset + (rows[1].byte_offset - rows[0].byte_offset)


def test_issue7_06_dbf_records_short_of_the_count_are_reported(tmp_path):
    ledger, data = _translate(_sample(tmp_path, _count(60)), tmp_path / "out")
    assert ledger.rejected_by_reason == {"dbf-records-missing": 1}
    assert data["files"][0]["reader"]["records_in_file"] == RECORDS
    rows = list(get_reader("dbf").read(str(_sample(tmp_path, _count(60))), {}))
    assert rows[-1].row == 55 and "6 missing" in rows[-1].extra["reject"]["en"]


def test_issue7_06_dbf_truncated_last_record_is_rejected_with_its_offset(tmp_path):
    path = _sample(tmp_path, lambda d: d[:-40])  # the end mark and 39 bytes of the last record
    ledger, _ = _translate(path, tmp_path / "out")
    assert ledger.source == RECORDS and ledger.rejected_by_reason == {"dbf-record-truncated": 1}
    last = list(get_reader("dbf").read(str(path), {}))[-1]
    assert last.row == RECORDS and last.extra["reject"]["code"] == "dbf-record-truncated"
    assert last.byte_offset == len(path.read_bytes()) - (len(path.read_bytes()) - last.byte_offset)


@pytest.mark.parametrize("tail,outcome,code", [(b"\x00" * 300, "filtered", "dbf-padding"), (b"hidden record text", "rejected", "dbf-data-after-end")])
def test_issue7_06_dbf_bytes_after_the_end_mark_are_accounted(tmp_path, tail, outcome, code):
    ledger, _ = _translate(_sample(tmp_path, lambda d: d + tail), tmp_path / "out")
    by = ledger.filtered_by_reason if outcome == "filtered" else ledger.rejected_by_reason
    assert by[code] == 1
    assert ledger.source == RECORDS + 1


def test_records_written_after_a_stale_end_mark_are_rejected_one_by_one(tmp_path):
    """Found by the 5,000-case fuzz run (case 4774): a tool that appends records after the old
    end-of-file mark without updating the count. Each record-length piece after the mark is its own
    rejected item, so the ledger counts them (was: one item for all of them)."""
    path = _sample(tmp_path)
    data = path.read_bytes()
    header_len, record_len = struct.unpack_from("<HH", data, 8)
    appended = data[header_len : header_len + 3 * record_len]  # three more records after the mark
    path.write_bytes(data + appended + b"\x1a")
    ledger, _ = _translate(path, tmp_path / "out")
    assert ledger.rejected_by_reason == {"dbf-data-after-end": 3}  # the 4th piece, 1 byte of 0x1A, is padding
    assert ledger.filtered_by_reason["dbf-padding"] == 1
    assert ledger.source == RECORDS + 4
    rows = [r for r in get_reader("dbf").read(str(path), {}) if r.extra.get("reject")]
    assert [r.byte_offset for r in rows] == [len(data) + i * record_len for i in range(3)]


def test_issue7_dbf_field_name_with_bad_bytes_is_a_coded_error(tmp_path):
    def bad_name(data: bytearray) -> bytearray:
        data[32:34] = b"\xff\xff"  # the first field's name, in a GBK table
        return data

    r = CliRunner().invoke(app, ["translate", "--profile", "county_accounting_dbf", str(_sample(tmp_path, bad_name)), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 2 and "adapter-dbf-malformed" in r.output and "32" in r.output, r.output

    def twice(data: bytearray) -> bytearray:
        data[64:75] = data[32:43]  # the second field named as the first: a column would be lost
        return data

    with pytest.raises(JincaiError) as err:
        list(get_reader("dbf").read(str(_sample(tmp_path, twice)), {}))
    assert err.value.code == "adapter-dbf-malformed" and err.value.details["byte_offset"] == 64


def _vfp_table(path: Path) -> Path:
    dbf = pytest.importorskip("dbf")
    import datetime as dt

    table = dbf.Table(str(path), "DM C(4); SJ T", codepage="cp936", dbf_type="vfp")
    table.open(dbf.READ_WRITE)
    table.append(("A1", dt.datetime(2024, 3, 5, 10, 11, 12)))
    table.append(("A2", dt.datetime(2024, 3, 6, 10, 11, 12)))
    table.close()
    return path


def test_issue7_dbf_garbage_datetime_rejects_its_record(tmp_path):
    path = _vfp_table(tmp_path / "t.dbf")
    good = list(get_reader("dbf").read(str(path), {}))
    assert good[0].values["SJ"].year == 2024 and "reject" not in good[0].extra
    data = bytearray(path.read_bytes())
    header_len = struct.unpack_from("<H", data, 8)[0]
    record_len = struct.unpack_from("<H", data, 10)[0]
    start = header_len + record_len + 1 + 4  # record 2, after the flag and DM
    data[start : start + 8] = b"\xff\xff\xff\x7f\xff\xff\xff\x7f"
    path.write_bytes(bytes(data))
    got = list(get_reader("dbf").read(str(path), {}))
    assert "reject" not in got[0].extra
    rj = got[1].extra["reject"]
    assert rj["code"] == "dbf-bad-value" and rj["column"] == "SJ" and rj["raw"] == "ff ff ff 7f ff ff ff 7f"


# ------------------------------------------------------------------- memo files (item 3, crashes)


def _memo_profile(tmp_path: Path, memo_file: str) -> Path:
    data = yaml.safe_load((paths.ADAPTERS / "county_accounting_dbf" / "profile.yaml").read_text(encoding="utf-8"))
    data["source"]["memo_file"] = memo_file
    data["crosswalks"]["pre2007"] = str(paths.ADAPTERS / "county_accounting_dbf" / "crosswalk_pre2007_exp_func.csv")
    shutil.copy(paths.ADAPTERS / "county_accounting_dbf" / "crosswalk_pre2007_exp_func.csv", tmp_path / "crosswalk_pre2007_exp_func.csv")
    data["crosswalks"]["pre2007"] = "crosswalk_pre2007_exp_func.csv"
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("memo_file,code", [
    ("/etc/passwd", "profile-file-outside"),
    ("../../../../etc/passwd", "profile-file-outside"),
    ("/proc/self/environ", "profile-file-outside"),
    ("/dev/zero", "profile-file-outside"),
    ("NOPE.FPT", "profile-file-missing"),
])
def test_issue7_03_dbf_memo_file_cannot_point_anywhere(tmp_path, memo_file, code):
    table = _sample(tmp_path)
    table.with_name("PZK2024.FPT").rename(table.with_name("MEMO.FPT"))
    r = CliRunner().invoke(app, ["translate", "--profile", str(_memo_profile(tmp_path, memo_file)), str(table), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 2, r.output
    assert code in r.output and "root:" not in r.output and "PATH=" not in r.output


def test_issue7_03_dbf_memo_file_is_read_in_the_tables_folder(tmp_path):
    table = _sample(tmp_path)
    table.with_name("PZK2024.FPT").rename(table.with_name("MEMO.FPT"))
    (tmp_path / "in" / "dev").mkdir()
    (tmp_path / "in" / "dev" / "zero").symlink_to("/dev/zero")
    r = CliRunner().invoke(app, ["translate", "--profile", str(_memo_profile(tmp_path, "dev/zero")), str(table), "--out", str(tmp_path / "o0"), "-q"])
    assert r.exit_code == 2 and "profile-file-outside" in r.output  # a link out of the folder is outside
    r = CliRunner().invoke(app, ["translate", "--profile", str(_memo_profile(tmp_path, "MEMO.FPT")), str(table), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 0, r.output


def _memo_table(tmp_path: Path) -> Path:
    path = tmp_path / "m.dbf"
    write_dbf(path, [DbfField("A", "C", 2), DbfField("BZ", "M")], [{"A": "1", "BZ": "备注一"}, {"A": "2", "BZ": "备注二"}], encoding="gbk")
    return path


def test_issue7_dbf_memo_pointer_past_the_memo_file_rejects_the_record(tmp_path):
    path = _memo_table(tmp_path)
    data = bytearray(path.read_bytes())
    header_len, record_len = struct.unpack_from("<HH", data, 8)
    at = header_len + record_len + 1 + 2
    data[at : at + 10] = b"    999999"
    path.write_bytes(bytes(data))
    got = list(get_reader("dbf").read(str(path), {}))
    assert got[0].values["BZ"] == "备注一" and "reject" not in got[0].extra
    assert got[1].extra["reject"]["code"] == "dbf-bad-value" and got[1].extra["reject"]["column"] == "BZ"


def test_issue7_dbf_memo_length_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    path = _memo_table(tmp_path)
    fpt = path.with_suffix(".fpt")
    data = bytearray(fpt.read_bytes())
    struct.pack_into(">L", data, 512 + 4, 0x7FFFFFFF)  # the first memo declares 2 GiB
    fpt.write_bytes(bytes(data))
    got = list(get_reader("dbf").read(str(path), {}))
    assert got[0].extra["reject"]["code"] == "dbf-bad-value"  # past the end of the file
    monkeypatch.setenv("JINCAI_LIMIT_MEMO_BYTES", "4")
    with pytest.raises(JincaiError) as err:
        list(get_reader("dbf").read(str(path), {}))
    assert err.value.code == "limit-memo-bytes"


def test_issue7_dbf_short_memo_file_header_is_not_a_crash(tmp_path):
    path = _memo_table(tmp_path)
    path.with_suffix(".fpt").write_bytes(b"\x00\x00")
    got = list(get_reader("dbf").read(str(path), {}))
    assert all(r.extra["reject"]["code"] == "dbf-bad-value" for r in got)
