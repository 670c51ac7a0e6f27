"""Whole-block byte scans for the batch readers, with numpy.

The readers check each block of a file before handing it to a columnar parser: how many line ends
it has, whether any line is longer than ``limits.line_bytes``, whether a quote stands inside an
unquoted field. Done with ``bytes.count``, ``splitlines`` or Python's ``re``, these checks held
the GIL for most of a block's time (``re`` alone, 1.9 s of a 1 M-row CSV), and the translation
thread waited for them. numpy scans at memory speed and releases the GIL.

Every function gives exactly the answer of the Python it replaces (``tests/test_reader_bytes.py``
compares them on random blocks).
"""

from __future__ import annotations

import numpy as np

LF, CR = 10, 13


def _view(buf: bytes) -> np.ndarray:
    return np.frombuffer(buf, dtype=np.uint8)


def count_byte(buf: bytes, byte: int) -> int:
    """``buf.count(bytes([byte]))``."""
    return int(np.count_nonzero(_view(buf) == byte))


def line_ends(buf: bytes) -> int:
    """Line ends as ``bytes.splitlines`` counts them: LF, CR and CRLF (one end)."""
    a = _view(buf)
    lf = int(np.count_nonzero(a == LF))
    cr = int(np.count_nonzero(a == CR))
    if not cr or not lf:
        return lf + cr
    crlf = int(np.count_nonzero((a[:-1] == CR) & (a[1:] == LF)))
    return lf + cr - crlf


def longest_line(buf: bytes) -> int:
    """The length of the longest line of ``buf`` without its end, as ``bytes.splitlines`` cuts it
    (LF, CR and CRLF end a line)."""
    a = _view(buf)
    ends = np.flatnonzero((a == LF) | (a == CR))
    if not len(ends):
        return len(buf)
    # between the CR and the LF of a CRLF there is a "line" of length 0: it changes no maximum
    gaps = np.diff(ends) - 1
    inner = int(gaps.max()) if len(gaps) else 0
    return max(int(ends[0]), inner, len(buf) - int(ends[-1]) - 1)


def quote_inside_field(buf: bytes, delimiter: str, quote: str) -> bool | None:
    """Whether ``re.search('[^DRNQ]Q[^DRNQ]', text)`` finds a quote between two characters that are
    neither the delimiter, a line end nor a quote — for ``buf``, the UTF-8 bytes of ``text``.
    ``None`` when the delimiter or the quote is not one ASCII byte (the caller asks ``re``)."""
    d, q = delimiter.encode("utf-8"), quote.encode("utf-8")
    if len(d) != 1 or len(q) != 1 or d[0] > 127 or q[0] > 127:
        return None
    a = _view(buf)
    at = np.flatnonzero(a == q[0])
    at = at[(at > 0) & (at < len(a) - 1)]
    if not len(at):
        return False
    # a byte of a multi-byte UTF-8 character is ≥ 0x80: never one of the four ASCII bytes
    special = np.zeros(256, dtype=bool)
    special[[d[0], CR, LF, q[0]]] = True
    return bool(np.any(~special[a[at - 1]] & ~special[a[at + 1]]))
