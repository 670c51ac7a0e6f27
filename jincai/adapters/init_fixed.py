"""``adapter init`` on fixed-width files: field boundaries, control records, implied decimals.

Boundaries come from statistics over every sampled record, byte by byte (widths are bytes: a
Chinese character is two in GBK):

* the share of records with a space at each byte position: a byte column that is a space in every
  record is padding, the rest is "ink";
* inside a run of ink, a boundary where every record changes kind of character at the same byte
  (digits ↔ Chinese, digits → letters; letters → digits is not one: codes such as ``GZ101001``
  begin with letters, nor letters ↔ Chinese: that is text);
* a run of digits that no single value shape explains is cut into the shapes legacy files put back
  to back (region 9 + year 4 + month 2; a 12-digit bank code + a functional class …), when the same
  cuts fit (almost) every record;
* padding belongs to the field on its left (text is left-aligned) unless the field on its right is
  an amount (amounts are right-aligned).

Control records (a batch header ``H`` first, a trailer ``T`` last, same length, another first byte)
get their own layout: the detail fields where they have ink. A control value equal to a detail
column that is the same in every record of the file (region, year, month) is proposed as a document
value for every record; a trailer's integer equal to the number of details is the count, a
trailer's amount equal to the sum of a detail amount column is that column's total.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from jincai import identifiers

def _citizen(text: str) -> bool:
    return len(text) == 18 and identifiers.check_citizen_id(text.upper()).valid


#: value shapes that legacy layouts write back to back without a space (see the module docstring)
SHAPES: dict[str, Callable[[str], Any]] = {
    "region": re.compile(r"[1-6][0-9]{8}").fullmatch,
    "year": re.compile(r"(19|20)[0-9]{2}").fullmatch,
    "month": re.compile(r"0[1-9]|1[0-2]").fullmatch,
    "date": re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])").fullmatch,
    "bank": re.compile(r"[0-9]{12}").fullmatch,
    "func": re.compile(r"2[0-9]{2}([0-9]{2}){0,2}").fullmatch,
    "eco": re.compile(r"[35][0-9]{2}([0-9]{2})?").fullmatch,
    "account": re.compile(r"62[0-9]{14,17}").fullmatch,
    "citizen": _citizen,
}
AGREE = 0.95  # share of records a cut or a shape must fit
LONGEST_SHAPE = 19  # bytes of the longest shape (an account number)


def byte_class(b: int) -> str:
    if b == 0x20:
        return " "
    if 0x30 <= b <= 0x39 or b in (0x2E, 0x2D, 0x2B):  # digits, . - + (amounts stay whole)
        return "9"
    if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A:
        return "A"
    if b >= 0x80:
        return "H"  # a byte of a Chinese character (GBK): never split inside it
    return "."


def _fits(pieces: list[bytes], shape: Callable[[str], Any]) -> bool:
    """Whether (almost) every record's piece, without trailing padding, has the shape."""
    ok = sum(1 for p in pieces if p[:1] != b" " and shape(p.rstrip(b" ").decode("latin-1")))
    return ok >= AGREE * len(pieces)


def _digit_cuts(lines: list[bytes], a: int, b: int) -> list[int]:
    """Cut points inside [a, b) splitting a digit run into known shapes (fewest pieces), or []."""
    if any(_fits([ln[a:b] for ln in lines], s) for s in SHAPES.values()):
        return []
    best: dict[int, list[int]] = {a: []}
    for i in range(a, b):
        if i not in best:
            continue
        for j in range(i + 2, min(b, i + LONGEST_SHAPE) + 1):
            pieces = [ln[i:j] for ln in lines]
            if any(_fits(pieces, s) for s in SHAPES.values()):
                path = best[i] + ([i] if i > a else [])
                if j not in best or len(path) < len(best[j]):
                    best[j] = path
    return best.get(b, [])


def _amount_like(pieces: list[bytes]) -> bool:
    vals = [p.strip() for p in pieces if p.strip()]
    return bool(vals) and all(re.fullmatch(rb"[-+]?[0-9]+(\.[0-9]+)?", v) for v in vals) and (
        any(b"." in v for v in vals) or any(p[:1] == b" " for p in pieces)
    )


#: changes of character class that end a field when every record changes there: digits ↔ Chinese
#: (an ID number, then a name), digits → letters (an amount, then a code such as ZB1001). Not
#: letters → digits (codes such as GZ101001 begin with letters), nor letters ↔ Chinese (text).
_CUTS = {("9", "H"), ("H", "9"), ("9", "A")}


def _left_class(line: bytes, i: int) -> str:
    """The class of the byte before ``i``; an X after a digit and before no letter is a check
    character (citizen IDs)."""
    if line[i - 1] in b"Xx" and i >= 2 and byte_class(line[i - 2]) == "9" and byte_class(line[i]) != "A":
        return "9"
    return byte_class(line[i - 1])


def layout(raw_lines: list[bytes], record_type: bool = False) -> list[tuple[int, int]]:
    """(start, width) of each field, 0-based, in bytes (see the module docstring)."""
    length = max(len(x) for x in raw_lines)
    lines = [x.ljust(length, b" ") for x in raw_lines]
    n = len(lines)
    space = [sum(1 for ln in lines if ln[i] == 0x20) / n for i in range(length)]
    ink = [s < 1.0 for s in space]
    starts: list[int] = []
    for i in range(length):
        if not ink[i]:
            continue
        if i == 0 or not ink[i - 1]:
            starts.append(i)
            continue
        kinds = {(_left_class(ln, i), byte_class(ln[i])) for ln in lines}
        if all((x, y) in _CUTS for x, y in kinds):
            starts.append(i)
    if record_type and length > 1 and starts[:1] == [0] and 1 not in starts and ink[1]:
        starts.insert(1, 1)
    # the ink pieces: [start, end of ink)
    pieces = []
    for k, s in enumerate(starts):
        e = s
        limit = starts[k + 1] if k + 1 < len(starts) else length
        while e < limit and ink[e]:
            e += 1
        pieces.append((s, e))
    cut: list[tuple[int, int]] = []
    for s, e in pieces:
        if e - s > 9 and all(re.fullmatch(rb"[0-9]*[0-9Xx]?", ln[s:e].rstrip(b" ")) for ln in lines):
            points = [s, *_digit_cuts(lines, s, e), e]
            cut.extend((points[k], points[k + 1]) for k in range(len(points) - 1))
        else:
            cut.append((s, e))
    if not cut:
        return [(0, length)]
    # padding belongs to the field on its left, unless the one on its right is an amount
    begins = [0] + [cut[k - 1][1] if _amount_like([ln[s:e] for ln in lines]) else s for k, (s, e) in enumerate(cut) if k]
    ends = begins[1:] + [length]
    return [(b, e - b) for b, e in zip(begins, ends)]


@dataclass
class Control:
    """A control record kind found in the samples: its type byte, position and layout."""

    kind: str
    position: str  # first | last
    spans: list[tuple[int, int]]
    values: list[dict[tuple[int, int], bytes]] = field(default_factory=list)  # per file: span → bytes
    raw: list[tuple[int, bytes]] = field(default_factory=list)  # (file index, the record)
    length: int = 0  # bytes (the commonest among the files)


def split_records(files: list[list[bytes]]) -> tuple[list[list[bytes]], dict[str, Control], bool]:
    """(each file's detail records, control records by type, whether byte 1 is a record type). A control record is
    a file's first or last record whose first byte differs from the details' (the same in every
    file); the first byte is the record type when it is a letter in every record."""
    firsts = Counter(r[:1] for recs in files for r in recs)
    if not firsts:
        return [[] for _ in files], {}, False
    detail_type = firsts.most_common(1)[0][0]
    controls: dict[str, Control] = {}
    details: list[list[bytes]] = []
    for i, recs in enumerate(files):
        body = list(recs)
        for position, idx in (("first", 0), ("last", -1)):
            if body and body[idx][:1] != detail_type and body[idx][:1].isalpha():
                kind = body[idx][:1].decode("latin-1")
                c = controls.setdefault(kind, Control(kind, position, []))
                c.raw.append((i, body[idx]))  # laid out once the details are
                body.pop(idx)
        details.append(body)
    # a kind seen in only some files, or at both ends, is not a control record: leave it to a person
    for kind in list(controls):
        if len({i for i, _ in controls[kind].raw}) != len(files) or len(controls[kind].raw) != len(files):
            for i, rec in controls[kind].raw:
                details[i].append(rec)
            del controls[kind]
    record_type = bool(controls) or (detail_type.isalpha() and all(r[:1].isalpha() for recs in details for r in recs))
    return details, controls, record_type


def lay_out_controls(controls: dict[str, Control], spans: list[tuple[int, int]]) -> None:
    """A control record's fields: the detail fields where it has ink, cut at its own length (a
    trailer is often shorter than a detail)."""
    for c in controls.values():
        raws = [r for _, r in c.raw]
        c.length = Counter(len(r) for r in raws).most_common(1)[0][0]
        spans = [(s, min(w, c.length - s)) for s, w in spans if s < c.length]
        used = [sp for sp in spans if any(r[sp[0] : sp[0] + sp[1]].strip() for r in raws)]
        c.spans = used
        c.values = [{sp: r[sp[0] : sp[0] + sp[1]] for sp in used} for r in raws]


def decimal_of(text: str, implied: int = 0) -> Decimal | None:
    t = text.strip().replace(",", "")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return d.scaleb(-implied) if implied else d


def implied_decimals(values: list[str]) -> bool:
    """Zero-filled digit strings of one length: an amount in fen with an implied decimal point."""
    vals = [v.strip() for v in values if v.strip()]
    return (
        len(vals) >= 2
        and all(re.fullmatch(r"[0-9]{6,}", v) for v in vals)
        and len({len(v) for v in vals}) == 1
        and sum(1 for v in vals if v.startswith("0")) >= 0.5 * len(vals)
        and len(set(vals)) > 1
    )
