"""Personal data as jincai shows it (C12): one set of masking functions for every report, message,
log and draft profile.

Three layers, from the most to the least certain:

1. **By element.** A value of an element the standard marks ``personal`` (``standards/elements.yaml``:
   citizen ID ``iden_no``, person's name ``per_name``, personal account ``per_acct_no``) is masked
   with its kind's function from ``jincai.identifiers``: ID → first 6 and last 4 kept, name → first
   character kept, account → last 4 kept (``mask_field``).
2. **By shape, in any text.** Free text — a column name, a raw line, a library's error message, a
   business key, a value of a field that is not marked personal — can still hold someone's ID or
   card number (a header-less file, shifted columns, a legacy system that numbers payroll lines by
   ID). ``mask_text`` masks every run of 15 to 40 digits (an 18-character run may end in ``X``;
   full-width digits count): 15- and 18-character runs like a citizen ID, longer or 16–17-digit
   runs like a bank card or account. Shorter codes (regions, agencies, CNAPS bank codes, amounts)
   are left alone. This over-masks a long voucher number now and then; it never shows an ID.
3. **By header.** A header row that is really a data row (a file without a header makes its first
   record the column names) is recognised by its cells — a long digit run or a number where a
   column name should be — and then every cell that is not one of the entity's field names is
   masked like a name (first character kept), since a person's name cannot be recognised by its
   shape (``mask_column_names``).

The text of every ``JincaiError`` (what the commands print) and of an internal error goes through
``mask_text`` as well, so a library message that quotes a value cannot print an ID.

``rejected.csv`` is the one file written for people that is not masked: the submitter must see and
correct the very values that were rejected. It is documented as sensitive (``jincai translate``
says so when it writes one). The canonical records a translation writes are the data itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Collection, Sequence

from jincai import identifiers

#: shown instead of a raw line of an entity that can carry personal data
HIDDEN = "（已隐藏：含个人信息 hidden: personal data）"

_D = "0-9\uff10-\uff19"  # ASCII and full-width digits
_DIGIT_RUN = re.compile(f"(?<![{_D}])(?:[{_D}]{{17}}[Xx\uff38\uff58]|[{_D}]{{15,40}})(?![{_D}])")
_NUMBER = re.compile(r"[-+]?[0-9][0-9,]*(?:\.[0-9]+)?")


@lru_cache(maxsize=1)
def _maskers() -> dict[str, Callable[[Any], str]]:
    from jincai.standard import standard

    out: dict[str, Callable[[Any], str]] = {}
    for el in standard().elements.values():
        if el.personal:
            if el.identifier == "citizen_id":
                out[el.id] = identifiers.mask_citizen_id
            elif el.type == "text":
                out[el.id] = identifiers.mask_name
            else:
                out[el.id] = identifiers.mask_account
    return out


def personal_elements() -> frozenset[str]:
    """The elements the standard marks ``personal``."""
    return frozenset(_maskers())


def mask_field(element: str | None, value: str | None) -> str | None:
    """``value`` as jincai may show it: masked by its element's kind when that element is personal,
    else with ``mask_text``."""
    if value is None:
        return None
    fn = _maskers().get(element) if element is not None else None
    return fn(value) if fn is not None else mask_text(value)


def _mask_run(m: re.Match) -> str:
    s = m.group()
    return identifiers.mask_citizen_id(s) if len(s) in (15, 18) else identifiers.mask_account(s)


def mask_text(text: str) -> str:
    """Every ID- or account-like digit run in ``text`` masked (layer 2 of the module docstring)."""
    if not text or len(text) < 15:
        return text
    return _DIGIT_RUN.sub(_mask_run, text)


def personal_entity(entity: str | None) -> bool:
    """Whether a record of this entity can carry personal data (then a raw line is never shown)."""
    from jincai.standard import standard

    if entity is None or entity not in standard().entities:
        return False
    return any(f.element.personal for f in standard().entity(entity).fields)


def header_is_data(names: Sequence[str], known: Collection[str] = ()) -> bool:
    """Whether a header row looks like a data row: a cell that is not a known column name holds a
    long digit run or is a number (no real column is named ``2024`` or ``3227.75``)."""
    for n in names:
        if n in known or not n:
            continue
        t = n.strip()
        if _DIGIT_RUN.search(t) or _NUMBER.fullmatch(t):
            return True
    return False


def mask_column_names(names: Sequence[str], known: Collection[str] = ()) -> list[str]:
    """Column names as a report or draft may show them (layer 3 of the module docstring)."""
    if header_is_data(names, known):
        return [n if n in known else identifiers.mask_name(n) for n in names]
    return [mask_text(n) for n in names]
