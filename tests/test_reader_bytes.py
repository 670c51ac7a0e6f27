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


@given(st.text(alphabet=st.sampled_from(list("a,\n\r9") + ["金", "财", "€", "\u3000", "𠀀"]), max_size=80),
       st.sampled_from(["gbk", "gb18030", "utf-8"]), st.integers(1, 9), st.sampled_from(["none", "middle", "cut"]))
@settings(max_examples=300)
def test_the_csv_reader_decodes_in_slices_as_in_one_piece(text, codec, size, damage):
    """A block decoded a slice at a time (multi-byte characters cut between slices) is the block
    decoded whole; undecodable bytes still raise."""
    import pytest

    from jincai.adapters.readers import delimited

    try:
        block = text.encode(codec)
    except UnicodeEncodeError:
        return  # GBK has no 𠀀
    if damage == "middle":
        block = block[: len(block) // 2] + b"\xff" + block[len(block) // 2 :]
    elif damage == "cut":  # the last character's last byte missing
        block = block[:-1]
    old, delimited._DECODE_SLICE = delimited._DECODE_SLICE, size
    try:
        try:
            whole = block.decode(codec)
        except UnicodeDecodeError:
            with pytest.raises(UnicodeDecodeError):
                delimited._decode(block, codec)
            return
        assert delimited._decode(block, codec) == whole
    finally:
        delimited._DECODE_SLICE = old
