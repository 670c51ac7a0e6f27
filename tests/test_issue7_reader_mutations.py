"""Mutation tests of the binary readers (issue 7): damaged copies of the shipped samples.

For each of the Excel, DBF and XML samples, hypothesis draws a few dozen to a hundred and fifty
mutations — bytes flipped, set to the values parsers care about, deleted, inserted, repeated, the
file cut short; for a workbook inside a zip member (the XML, not the compressed bytes), for a DBF in
the header's counts and lengths or in the memo file, for XML in its tags — and translates each
mutant with the shipped profile. Every outcome must be one a user can act on:

* the translation finishes and its ledger reconciles (every row translated, rejected or filtered,
  money to the fen), and for a DBF the ledger holds at least the records the file's length holds; or
* it stops with a ``JincaiError`` (a code, a location, the reason) —

never another exception (which the CLI reports as a jincai bug, exit 3), never a hang (an alarm
stops an example after 60 s). ``make fuzz`` runs the long campaign over every command.
"""

from __future__ import annotations

import io
import shutil
import signal
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile
from jincai.errors import JincaiError

EXCEL = paths.ADAPTERS / "county_reports_excel" / "samples" / "2024年财政收支月报.xlsx"
DBF = paths.ADAPTERS / "county_accounting_dbf" / "samples" / "PZK2024.DBF"
FPT = DBF.with_suffix(".FPT")
XML = paths.ADAPTERS / "city_ledger_xml" / "samples" / "ZZ_130600000_2024.xml"

SPECIAL = [0x00, 0xFF, 0x1A, 0x0D, 0x0A, ord("<"), ord(">"), ord("&"), ord('"'), ord("*"), ord("9"), ord(" "), 0x80]

# one edit: (kind, where in the data as a fraction, a byte, a length)
EDIT = st.tuples(
    st.sampled_from(["flip", "set", "delete", "insert", "repeat", "cut"]),
    st.floats(0, 1, allow_nan=False),
    st.one_of(st.sampled_from(SPECIAL), st.integers(0, 255)),
    st.integers(1, 64),
)


def mutate(data: bytes, edits) -> bytes:
    b = bytearray(data)
    for kind, where, byte, length in edits:
        if not b:
            break
        i = min(int(where * len(b)), len(b) - 1)
        if kind == "flip":
            b[i] ^= 1 << (byte % 8)
        elif kind == "set":
            b[i] = byte
        elif kind == "delete":
            del b[i : i + length]
        elif kind == "insert":
            b[i:i] = bytes([byte]) * length
        elif kind == "repeat":
            b[i:i] = b[i : i + length]
        else:
            del b[i:]
    return bytes(b)


class _Alarm(Exception):
    pass


def _outcome(profile: str, inputs: list[Path], check=None) -> str:
    """Translate; the ledger must reconcile, or the error must be a JincaiError."""

    def ring(*_):
        raise _Alarm

    out = Path(tempfile.mkdtemp(prefix="jc-mut-"))
    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(60)
    try:
        ledger = translate(load_profile(profile), inputs, out)
    except JincaiError as exc:
        assert exc.code and exc.message_zh and exc.message_en
        return "error"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        shutil.rmtree(out, ignore_errors=True)
    assert ledger.reconciled, ledger.problems()
    if check:
        check(ledger)
    return "ledger"


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], derandomize=True)


# ----------------------------------------------------------------------------------------- Excel

_EXCEL_MEMBERS = {i.filename: zipfile.ZipFile(EXCEL).read(i) for i in zipfile.ZipFile(EXCEL).infolist()}
_EXCEL_NAMES = sorted(_EXCEL_MEMBERS)
_SHEETS = [n for n in _EXCEL_NAMES if n.startswith("xl/worksheets/")]


@settings(max_examples=100, **SETTINGS)
@given(
    member=st.sampled_from(_SHEETS * 3 + _EXCEL_NAMES),  # sheets more often than other parts
    edits=st.lists(EDIT, min_size=1, max_size=4),
    raw=st.booleans(),
)
def test_issue7_excel_mutants_reconcile_or_fail_with_a_coded_error(tmp_path, member, edits, raw):
    path = tmp_path / "m.xlsx"
    if raw and edits[0][0] in ("flip", "set", "cut"):  # the zip's own bytes, now and then
        path.write_bytes(mutate(EXCEL.read_bytes(), edits))
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name in _EXCEL_NAMES:
                z.writestr(name, mutate(_EXCEL_MEMBERS[name], edits) if name == member else _EXCEL_MEMBERS[name])
        path.write_bytes(buf.getvalue())
    _outcome("county_reports_excel", [path])


# ------------------------------------------------------------------------------------------- DBF

_DBF = DBF.read_bytes()
_FPT = FPT.read_bytes()
HEADER_FIELDS = st.one_of(
    st.tuples(st.just("<I"), st.just(4), st.sampled_from([0, 1, 53, 55, 60, 0xFFFFFFFF])),  # record count
    st.tuples(st.just("<H"), st.just(8), st.sampled_from([0, 32, 33, 65535, 600])),  # header length
    st.tuples(st.just("<H"), st.just(10), st.sampled_from([0, 1, 2, 65535, 100])),  # record length
    st.tuples(st.just("<B"), st.just(29), st.integers(0, 255)),  # code page
    st.tuples(st.just("<B"), st.integers(32, 300), st.integers(0, 255)),  # field descriptors
)


def _dbf_check(data: bytes):
    """The ledger holds at least every whole record the file's length holds (counted without jincai)."""

    def check(ledger):
        header_len, record_len = struct.unpack_from("<HH", data, 8)
        whole = (len(data) - header_len) // record_len if record_len and len(data) > header_len else 0
        assert ledger.source >= whole, (ledger.source, whole)

    return check


@settings(max_examples=150, **SETTINGS)
@given(
    header=st.lists(HEADER_FIELDS, max_size=2),
    edits=st.lists(EDIT, max_size=3),
    memo_edits=st.lists(EDIT, max_size=2),
)
def test_issue7_dbf_mutants_reconcile_or_fail_with_a_coded_error(tmp_path, header, edits, memo_edits):
    data = bytearray(_DBF)
    for fmt, at, value in header:
        if at + struct.calcsize(fmt) <= len(data):
            struct.pack_into(fmt, data, at, value)
    data = mutate(bytes(data), edits)
    table = tmp_path / "PZK2024.DBF"
    table.write_bytes(data)
    (tmp_path / "PZK2024.FPT").write_bytes(mutate(_FPT, memo_edits))
    _outcome("county_accounting_dbf", [table], _dbf_check(data))


# ------------------------------------------------------------------------------------------- XML

_XML = XML.read_bytes()
_TAGS = ["电子账簿", "记账凭证", "分录", "辅助核算", "借方金额", "凭证内码"]
TAG_EDIT = st.tuples(st.sampled_from(_TAGS), st.sampled_from(["帐", "x", "", "分录", "记账凭证"]), st.integers(0, 40))


@settings(max_examples=150, **SETTINGS)
@given(edits=st.lists(EDIT, max_size=3), tags=st.lists(TAG_EDIT, max_size=2))
def test_issue7_xml_mutants_reconcile_or_fail_with_a_coded_error(tmp_path, edits, tags):
    text = _XML.decode("gb18030")
    for tag, new, nth in tags:  # rename one opening (and maybe its closing) tag
        at = -1
        for _ in range(nth + 1):
            at = text.find(f"<{tag}", at + 1)
            if at < 0:
                break
        if at >= 0:
            text = text[: at + 1] + new + text[at + 1 + len(tag) :]
    path = tmp_path / "z.xml"
    path.write_bytes(mutate(text.encode("gb18030"), edits))
    _outcome("city_ledger_xml", [path])


@pytest.mark.parametrize("name", ["county_reports_excel", "county_accounting_dbf", "city_ledger_xml"])
def test_the_unmutated_samples_pass_the_same_check(name, tmp_path):
    sample = {"county_reports_excel": EXCEL, "county_accounting_dbf": DBF, "city_ledger_xml": XML}[name]
    assert _outcome(name, [sample], _dbf_check(_DBF) if sample == DBF else None) == "ledger"
