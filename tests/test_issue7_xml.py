"""Issue 7 item 7 and the XML crashes: whatever is off the record path is an item of the ledger.

The shipped sample ``ZZ_130600000_2024.xml`` holds 35 vouchers' lines (分录). Each test changes a
name or adds an element and translates it with the shipped profile, or reads it with the reader.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile
from jincai.adapters.readers import get_reader
from jincai.cli import app
from jincai.errors import JincaiError

SAMPLE = paths.ADAPTERS / "city_ledger_xml" / "samples" / "ZZ_130600000_2024.xml"
TEXT = SAMPLE.read_bytes().decode("gb18030")
LINES = TEXT.count("<分录 ")
VOUCHERS = TEXT.count("<记账凭证>")
RECORD = "/电子账簿/记账凭证/分录"


def _file(tmp_path, text: str, name: str = "z.xml"):
    path = tmp_path / name
    path.write_bytes(text.encode("gb18030"))
    return path


def _items(path, record: str = RECORD, **options) -> list:
    return list(get_reader("xml").read(str(path), {"record": record, **options}))


def _translate(tmp_path, text: str):
    ledger = translate(load_profile("city_ledger_xml"), [_file(tmp_path, text)], tmp_path / "out")
    assert ledger.reconciled, ledger.problems()
    return ledger


def test_the_sample_has_nothing_off_the_record_path(tmp_path):
    ledger = _translate(tmp_path, TEXT)
    assert ledger.source == LINES == 35 and ledger.translated == LINES and ledger.filtered == 0


def test_issue7_07_xml_renamed_root_is_an_error(tmp_path):
    text = TEXT.replace("<电子账簿 ", "<电子帐簿 ", 1).replace("</电子账簿>", "</电子帐簿>")
    path = _file(tmp_path, text)
    r = CliRunner().invoke(app, ["translate", "--profile", "city_ledger_xml", str(path), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 2 and "adapter-xml-root-mismatch" in r.output, r.output
    assert "电子帐簿" in r.output and ":2" in r.output  # the root and its line


def test_issue7_07_xml_mistyped_voucher_rejects_its_lines(tmp_path):
    i = TEXT.index("<记账凭证>", TEXT.index("<记账凭证>") + 1)  # the second voucher
    j = TEXT.index("</记账凭证>", i)
    text = TEXT[:i] + "<记帐凭证>" + TEXT[i + 6 : j] + "</记帐凭证>" + TEXT[j + 7 :]
    ledger = _translate(tmp_path, text)
    assert ledger.source == LINES and ledger.translated == LINES - 2
    assert ledger.rejected_by_reason == {"xml-record-off-path": 2}
    got = [r for r in _items(_file(tmp_path, text)) if "reject" in r.extra]
    assert [r.extra["path"] for r in got] == ["/电子账簿/记帐凭证/分录", "/电子账簿/记帐凭证/分录[2]"]
    assert got[0].values["记帐凭证/凭证内码"] == "KJZF10100100002"  # its voucher header travels with it
    assert got[0].row == text[: text.index("<分录", i)].count("\n") + 1  # the line of the element


def test_issue7_07_xml_mistyped_line_is_rejected_where_records_are(tmp_path):
    i = TEXT.index("<分录 ")
    j = TEXT.index("</分录>", i)
    text = TEXT[:i] + "<分彔 " + TEXT[i + 4 : j] + "</分彔>" + TEXT[j + 5 :]
    ledger = _translate(tmp_path, text)
    assert ledger.source == LINES and ledger.rejected_by_reason == {"xml-unexpected-element": 1}
    item = next(r for r in _items(_file(tmp_path, text)) if "reject" in r.extra)
    assert item.values["借方金额"] == "105444.66" and item.values["辅助核算/功能科目"] == "207"  # one item, its whole content
    assert item.extra["line"] == 11


def test_issue7_07_xml_elements_off_the_path_are_filtered_with_a_reason(tmp_path):
    text = TEXT.replace("</记账凭证>", "<凭证合计>210889.32</凭证合计></记账凭证>", 1)
    text = text.replace("<记账凭证>", "<附件><文件>扫描件.pdf</文件><页数>2</页数></附件><记账凭证>", 1)
    text = text.replace("</电子账簿>", "<记账凭证><凭证内码>X</凭证内码></记账凭证>签章</电子账簿>")
    ledger = _translate(tmp_path, text)
    assert ledger.translated == LINES and ledger.rejected == 0
    assert ledger.filtered_by_reason == {"xml-not-in-any-row": 2, "xml-outside-record-path": 1, "xml-no-records": 1}
    items = {r.extra["filtered"] + r.extra["path"]: r.values for r in _items(_file(tmp_path, text)) if "filtered" in r.extra}
    assert items["xml-outside-record-path/电子账簿/附件"] == {"文件": "扫描件.pdf", "页数": "2"}
    assert items["xml-not-in-any-row/电子账簿/记账凭证"] == {"凭证合计": "210889.32"}
    assert items["xml-not-in-any-row/电子账簿"] == {"#text": "签章"}
    assert items[f"xml-no-records/电子账簿/记账凭证[{VOUCHERS + 1}]"] == {"凭证内码": "X"}


def test_issue7_07_xml_relative_path_that_matches_nothing_reports_the_document(tmp_path):
    got = _items(SAMPLE, record="凭证/明细")
    assert len(got) == 1 and got[0].extra["filtered"] == "xml-outside-record-path" and got[0].extra["path"] == "/电子账簿"
    assert got[0].values["记账凭证/凭证内码"] == "KJZF10100100001"  # the document is in the item
    got = _items(SAMPLE, record="凭证/分录")  # the record's name, under another parent: every line rejected
    assert len(got) == LINES and {r.extra["reject"]["code"] for r in got} == {"xml-record-off-path"}


def test_issue7_07_xml_context_off_reports_the_header_fields(tmp_path):
    got = _items(SAMPLE, context=False)
    data = [r for r in got if "filtered" not in r.extra]
    unread = [r for r in got if "filtered" in r.extra]
    assert len(data) == LINES
    assert len(unread) == VOUCHERS + 1 and unread[0].values["凭证内码"] == "KJZF10100100001"  # the vouchers' fields and the root's attributes
    assert unread[-1].values["@财政区划"] == "130600000"


def test_issue7_xml_deep_nesting_is_a_limit_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.xml"
    path.write_text("<a>" * 100_000 + "</a>" * 100_000, encoding="utf-8")
    with pytest.raises(JincaiError) as err:
        _items(path, record="a/b")
    assert err.value.code == "limit-xml-depth" and err.value.location.endswith(":1")


@pytest.mark.parametrize("doc", [
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r><x>&b;</x></r>',
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><x>&x;</x></r>',
    '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><r><x>&x;</x></r>',
])
def test_issue7_xml_entities_and_external_references_are_refused(tmp_path, doc):
    path = tmp_path / "e.xml"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(JincaiError) as err:
        _items(path, record="r/x")
    assert err.value.code in ("adapter-xml-forbidden", "adapter-xml-malformed")
    assert "root:" not in str(err.value)


def test_issue7_xml_record_too_large_is_a_limit_error(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_XML_HELD_ELEMENTS", "5")
    with pytest.raises(JincaiError) as err:
        _items(SAMPLE)
    assert err.value.code == "limit-xml-held-elements"
