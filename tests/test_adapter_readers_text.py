"""Text readers: encodings over the whole file, byte offsets of bad bytes, byte widths, and the
batch form equal to the row form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jincai.adapters.readers import get_reader
from jincai.adapters.readers._batch import frame_rows
from jincai.adapters.readers._text import detect
from jincai.adapters.readers._fixed import render_record
from jincai.errors import JincaiError

LAYOUT = {"format": "fixed_width", "encoding": "gbk", "fields": [{"name": "代码", "width": 6}, {"name": "名称", "width": 10}, {"name": "金额", "start": 17, "width": 10}]}


def _rows(fmt: str, path: Path, opts: dict) -> list:
    return list(get_reader(fmt).read(str(path), opts))


def _batch_rows(fmt: str, path: Path, opts: dict) -> list:
    return [r for f in get_reader(fmt).read_batches(str(path), opts) for r in frame_rows(f, str(path))]


def _same(a: list, b: list) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b):
        vx = {k: v for k, v in x.values.items() if v is not None}
        vy = {k: v for k, v in y.values.items() if v is not None}
        assert (x.row, vx, x.extra, x.byte_offset) == (y.row, vy, y.extra, y.byte_offset), (x, y)


# ---- encodings --------------------------------------------------------------------------------


def test_gbk_after_the_first_100_kb_is_detected(tmp_path):
    p = tmp_path / "late.csv"
    body = "代码,名称\n".encode("gbk") if False else b"code,name\n"
    body += b"1,abc\n" * 30000  # 180 KB of ASCII
    body += "2,行政运行\n".encode("gbk")
    p.write_bytes(body)
    assert len(body) > 150_000
    assert detect(str(p)).codec == "gb18030"
    rows = _rows("csv", p, {"format": "csv"})
    assert rows[-1].values == {"code": "2", "name": "行政运行"}
    assert _batch_rows("csv", p, {"format": "csv"})[-1].values == {"code": "2", "name": "行政运行"}


def test_utf8_with_and_without_bom(tmp_path):
    for bom in (b"", b"\xef\xbb\xbf"):
        p = tmp_path / f"u{len(bom)}.csv"
        p.write_bytes(bom + "单位代码,名称\n001,行政运行\n".encode("utf-8"))
        enc = detect(str(p))
        assert enc.codec == "utf-8" and enc.bom == len(bom)
        for rows in (_rows("csv", p, {}), _batch_rows("csv", p, {})):
            assert rows[0].values == {"单位代码": "001", "名称": "行政运行"}


def test_declared_gb2312_reads_as_gb18030(tmp_path):
    p = tmp_path / "g.csv"
    p.write_bytes("名称\n朱镕基\n".encode("gbk"))  # 镕 is GBK but not GB2312
    assert _rows("csv", p, {"encoding": "GB2312"})[0].values == {"名称": "朱镕基"}


@pytest.mark.parametrize("batches", [False, True])
def test_undecodable_byte_has_offset_and_line(tmp_path, batches):
    p = tmp_path / "bad.csv"
    data = "a,b\n".encode() + "1,行政\n".encode("gbk") * 3 + b"2,\xff\n"
    p.write_bytes(data)
    for opts in ({}, {"encoding": "gbk"}):
        with pytest.raises(JincaiError) as e:
            (_batch_rows if batches else _rows)("csv", p, opts)
        assert e.value.code == "adapter-undecodable-bytes"
        assert e.value.details["byte_offset"] == data.index(b"\xff")
        assert e.value.details["line"] == 5
        assert "\ufffd" not in str(e.value)


def test_undetectable_encoding_asks_for_a_declaration(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"abc\xff\xfe\n")
    with pytest.raises(JincaiError) as e:
        detect(str(p))
    assert "source.encoding" in e.value.message_en


# ---- delimited ----------------------------------------------------------------------------------


def test_csv_options(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes("某县 2024 年报表\n单位：元\n代码|名称|金额\n----\n001|a|1.00\n\n002|b\n003|c|3|\n".encode("gbk"))
    opts = {"delimiter": "|", "header_row": 3, "skip_lines": 1, "encoding": "gbk"}
    rows = _rows("csv", p, opts)
    assert [r.row for r in rows] == [5, 6, 7, 8]
    assert rows[0].values == {"代码": "001", "名称": "a", "金额": "1.00"}
    assert rows[1].values == {"代码": "", "名称": "", "金额": ""}
    assert rows[2].extra["reject"]["code"] == "csv-field-count"
    assert rows[3].values == {"代码": "003", "名称": "c", "金额": "3"} and not rows[3].extra
    _same(rows, _batch_rows("csv", p, opts))


def test_csv_without_header(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("001,a\n002,b\n", encoding="utf-8")
    assert _rows("csv", p, {"header_row": 0, "columns": ["code", "name"]})[1].values == {"code": "002", "name": "b"}
    assert _rows("csv", p, {"header_row": 0})[0].values == {"1": "001", "2": "a"}


cell = st.text(alphabet=st.sampled_from(list('ab1 ,"行政\n\r|\t')), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.lists(cell, min_size=0, max_size=5), st.just([])), max_size=30), st.booleans(), st.sampled_from([",", "\t", "|"]))
def test_csv_batches_equal_rows(tmp_path, rows, crlf, delim):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n" if crlf else "\n")
    w.writerow(["甲", "乙", "丙"])
    for r in rows:
        if r:
            w.writerow(r)
        else:
            buf.write("\r\n" if crlf else "\n")
    p = tmp_path / "h.csv"
    p.write_bytes(buf.getvalue().encode("gbk"))
    opts = {"delimiter": delim, "encoding": "gbk"}
    _same(_rows("csv", p, opts), _batch_rows("csv", p, opts))


# ---- fixed width -------------------------------------------------------------------------------


def _fw(tmp_path: Path, lines: list[bytes], name="f.txt", end=b"\r\n") -> Path:
    p = tmp_path / name
    p.write_bytes(end.join(lines) + end)
    return p


def test_fixed_width_counts_bytes(tmp_path):
    rec = render_record(LAYOUT, {"代码": "001001", "名称": "行政运行", "金额": "12.50"})
    assert len(rec) == 26 and rec[6:14] == "行政运行".encode("gbk")
    p = _fw(tmp_path, [rec, rec])
    rows = _rows("fixed_width", p, LAYOUT)
    assert rows[0].values == {"代码": "001001", "名称": "行政运行", "金额": "12.50"}
    assert [r.byte_offset for r in rows] == [0, 28]
    _same(rows, _batch_rows("fixed_width", p, LAYOUT))


def test_fixed_width_defects(tmp_path):
    good = render_record(LAYOUT, {"代码": "001001", "名称": "行政运行", "金额": "12.50"})
    short = good[:-3]
    bad = bytearray(good)
    bad[6] = 0xFF
    split = render_record(LAYOUT, {"代码": "00100", "名称": "行政运行", "金额": "1"})  # misaligned: shifts a character
    split = split[:5] + b" " + split[5:-1]
    p = _fw(tmp_path, [good, short, bytes(bad), b"", split, good], end=b"\n")
    p.write_bytes(p.read_bytes() + b"\x1a")
    rows = _rows("fixed_width", p, LAYOUT)
    assert [r.extra.get("reject", {}).get("code") for r in rows] == [None, "fixed-width-record-length", "undecodable-bytes", None, None, None]
    assert rows[2].extra["reject"]["column"] == "名称"
    assert "27" in rows[1].extra["reject"]["en"] or "23" in rows[1].extra["reject"]["en"]
    assert rows[3].values == {"代码": "", "名称": "", "金额": ""}
    _same(rows, _batch_rows("fixed_width", p, LAYOUT))


def test_fixed_width_split_character(tmp_path):
    layout = {"encoding": "gbk", "fields": [{"name": "a", "width": 3}, {"name": "b", "width": 3}]}
    p = _fw(tmp_path, ["ab行政".encode("gbk")])  # the boundary after 3 bytes falls inside 行
    rows = _rows("fixed_width", p, layout)
    assert rows[0].extra["reject"]["code"] == "fixed-width-split-character"
    _same(rows, _batch_rows("fixed_width", p, layout))


def test_fixed_width_header_lines_and_no_terminator(tmp_path):
    layout = dict(LAYOUT, header_lines=1)
    rec = render_record(LAYOUT, {"代码": "1", "名称": "x", "金额": "2"})
    p = _fw(tmp_path, [b"TITLE", rec])
    assert [r.row for r in _rows("fixed_width", p, layout)] == [2]
    _same(_rows("fixed_width", p, layout), _batch_rows("fixed_width", p, layout))
    p2 = tmp_path / "n.dat"
    p2.write_bytes(rec * 3)
    layout2 = dict(LAYOUT, line_terminator="none")
    assert len(_rows("fixed_width", p2, layout2)) == 3
    _same(_rows("fixed_width", p2, layout2), _batch_rows("fixed_width", p2, layout2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text("0123456789", max_size=6), st.text("行政运行ab ", max_size=4), st.sampled_from(["", "cut", "ff", "blank"])), max_size=30), st.sampled_from([b"\n", b"\r\n"]))
def test_fixed_width_batches_equal_rows(tmp_path, recs, end):
    lines = []
    for code, name, defect in recs:
        r = render_record(LAYOUT, {"代码": code, "名称": name, "金额": "1.00"})
        if defect == "cut":
            r = r[:-4]
        elif defect == "ff":
            r = r[:8] + b"\xff" + r[9:]
        elif defect == "blank":
            r = b""
        lines.append(r)
    p = _fw(tmp_path, lines or [b""], end=end)
    _same(_rows("fixed_width", p, LAYOUT), _batch_rows("fixed_width", p, LAYOUT))
