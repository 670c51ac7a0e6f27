"""The batch readers' numpy byte scans give exactly the answers of the Python they replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from jincai.adapters.readers._bytes import count_byte, line_ends, longest_line, quote_inside_field

# blocks made of the bytes that matter (line ends, delimiters, quotes) among ordinary text,
# Chinese included (multi-byte UTF-8 and GBK)
PIECES = st.sampled_from(["\r", "\n", "\r\n", ",", '"', "|", "\t", "a", "9", " ", "金", "财", "，", "“"])
TEXT = st.lists(PIECES, max_size=60).map("".join)


@given(TEXT, st.sampled_from(["utf-8", "gbk"]))
@settings(max_examples=400)
def test_counts_and_lines_as_python(text, codec):
    b = text.encode(codec)
    assert count_byte(b, 10) == b.count(b"\n")
    assert count_byte(b, 13) == b.count(b"\r")
    assert line_ends(b) == b.count(b"\n") + b.count(b"\r") - b.count(b"\r\n")
    assert longest_line(b) == max((len(x) for x in b.splitlines()), default=0)


@given(TEXT, st.sampled_from([",", "|", "\t"]), st.sampled_from(['"', "'"]))
@settings(max_examples=400)
def test_quote_inside_a_field_as_re(text, d, q):
    odd = re.compile(f"[^{re.escape(d)}\r\n{re.escape(q)}]{re.escape(q)}[^{re.escape(d)}\r\n{re.escape(q)}]")
    assert quote_inside_field(text.encode("utf-8"), d, q) == (odd.search(text) is not None)


def test_quote_inside_a_field_declines_non_ascii_delimiters():
    assert quote_inside_field("a，b".encode("utf-8"), "，", '"') is None
