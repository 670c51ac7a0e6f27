"""代码集 Code lists: load ``standards/codelists`` and look codes up for a fiscal year or a date.

    from jincai.codelists import registry
    reg = registry()                                   # cached, the checkout's standards/codelists
    hit = reg.get("exp_func").lookup("2010101", year=2024)
    hit.valid, hit.reason_code, hit.reason_zh, hit.reason_en, hit.row
    reg.get("exp_func").valid_codes(2024)              # frozenset, cached per year: for bulk checks
    reg.dep_to_gov("30208", 2024)                      # "50201"

Validity rules (standard convention C10):

* ``validity: fiscal_year`` lists (classifications): ``valid_from``/``valid_to`` are fiscal years
  (``YYYY``, inclusive); a query needs ``year`` (``on`` is accepted and means ``on.year``).
* ``validity: date`` lists (``mof_div``, ``town``): ``valid_from``/``valid_to`` are dates
  (``YYYY-MM-DD``, inclusive). A query with ``on`` checks that day; a query with ``year`` asks whether
  the code was valid **on at least one day of that year** (so a code retired mid-year is still valid
  for that fiscal year, and so is one created mid-year). When two rows of a code overlap the window
  (a renaming within the year), the later row is reported.
* An empty ``valid_from``/``valid_to`` means open-ended.
* ``leaf_required``: a code is valid only if no sub-code is valid in the same window.
* ``local_extension_max_length``: a code longer than the longest national level (and not itself in
  the list) is a provincial local extension; it is valid iff its national prefix (the first
  ``max(level lengths)`` characters) is valid, and a leaf when ``leaf_required``, for the year.

``Lookup.found`` says whether the exact code has a row in the list (any year); a valid local
extension has ``found=False, valid=True`` and ``national_code`` set.

* ``complete: false`` (a starter set, not the official yearly file): a code that is not in the list
  but whose nearest ancestor in the list is valid for the year cannot be judged — the official list
  may hold it. It gets ``reason_code="unverified"`` (severity warning, rule ``code.unknown-incomplete``),
  whose reason names the list as unverified and says how to import the official one. A code with
  no valid ancestor (e.g. a class that does not exist) is still ``unknown``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from jincai import paths, yaml_load
from jincai.errors import JincaiError

STANDARD_COLUMNS: tuple[str, ...] = (
    "code", "parent", "level", "name_zh", "name_en", "valid_from", "valid_to", "status", "source",
)
MAPPING_COLUMNS: tuple[str, ...] = ("dep_code", "gov_code", "valid_from", "valid_to", "status", "source")
STATUSES = ("V", "M")
FIRST_FISCAL_YEAR = 2007  # standards/standard.yaml first_fiscal_year: 2007 标准化建设年

ReasonCode = Literal["ok", "unknown", "not-yet-valid", "retired", "not-leaf", "bad-extension", "bad-pattern", "unverified"]
REASON_CODES: tuple[str, ...] = ("ok", "unknown", "not-yet-valid", "retired", "not-leaf", "bad-extension", "bad-pattern", "unverified")

_MIN = date.min.toordinal()
_MAX = date.max.toordinal()
_YEAR_RE = re.compile(r"[0-9]{4}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: characters a code list never holds: C0 (NUL, TAB, LF, CR …) and DEL, C1, the Unicode line and
#: paragraph separators, and the bidirectional overrides that make text display other than it reads
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_char(text: str) -> str | None:
    """The first control character of ``text`` as ``U+XXXX``, or None."""
    m = CONTROL_CHARS.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


# --------------------------------------------------------------------------------------------------
# metadata (lists.yaml)
# --------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """One level of a hierarchical list: 类 (3 digits), 款 (5), 项 (7), 目 (9) …"""

    level: int
    name_zh: str
    name_en: str = ""
    length: int | None = None  # code length at this level; None when length does not tell levels apart


class ListMeta(_Strict):
    """One entry of ``lists.yaml``."""

    id: str
    name_zh: str
    name_en: str
    closed: bool
    validity: Literal["fiscal_year", "date"]
    levels: list[Level]
    leaf_required: bool = False
    local_extension_max_length: int | None = None
    pattern: str
    prefix: str = ""  # every national code starts with it (exp_func "2", rev_class "1" …)
    parent_list: str | None = None  # parents live in another list (town → mof_div)
    complete: bool = True  # false: a starter set; load the official yearly file with `jincai codes import`
    file: str
    description_zh: str = ""
    description_en: str = ""
    provenance: str = ""

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if "\\d" in value:
            raise ValueError("write [0-9], not \\d (C01)")
        re.compile(value)
        return value

    @model_validator(mode="after")
    def _levels(self) -> "ListMeta":
        if not self.levels:
            raise ValueError("a list needs at least one level")
        numbers = [lv.level for lv in self.levels]
        if numbers != sorted(set(numbers)):
            raise ValueError("levels must be strictly increasing")
        if self.local_extension_max_length is not None:
            longest = max((lv.length or 0) for lv in self.levels)
            if self.local_extension_max_length <= longest:
                raise ValueError("local_extension_max_length must exceed the longest national level")
        return self


class MappingMeta(_Strict):
    id: str
    name_zh: str
    name_en: str
    file: str
    from_list: str
    to_list: str
    validity: Literal["fiscal_year"] = "fiscal_year"
    description_zh: str = ""
    description_en: str = ""
    provenance: str = ""


# --------------------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------------------


def _bound(value: str, *, end: bool) -> int:
    """Ordinal day of a validity bound: ``YYYY`` is Jan 1 / Dec 31, ``YYYY-MM-DD`` that day."""
    if not value:
        return _MAX if end else _MIN
    if len(value) == 4:
        year = int(value)
        return date(year, 12, 31).toordinal() if end else date(year, 1, 1).toordinal()
    return date.fromisoformat(value).toordinal()


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a code-list CSV. ``valid_from``/``valid_to`` are as written ("" = open-ended)."""

    code: str
    parent: str
    level: int
    name_zh: str
    name_en: str
    valid_from: str = ""
    valid_to: str = ""
    status: str = "M"
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    lo: int = field(init=False, repr=False, compare=False, hash=False)
    hi: int = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", _bound(self.valid_from, end=False))
        object.__setattr__(self, "hi", _bound(self.valid_to, end=True))

    @property
    def verified(self) -> bool:
        return self.status == "V"

    def overlaps(self, lo: int, hi: int) -> bool:
        return self.lo <= hi and self.hi >= lo

    def validity_text(self) -> str:
        """``2019–`` / ``–2018`` / ``2019–2022`` / ``始终 always``."""
        if not self.valid_from and not self.valid_to:
            return "始终有效 always"
        return f"{self.valid_from or '…'} – {self.valid_to or '…'}"

    def as_csv(self) -> dict[str, str]:
        out = {
            "code": self.code, "parent": self.parent, "level": str(self.level), "name_zh": self.name_zh,
            "name_en": self.name_en, "valid_from": self.valid_from, "valid_to": self.valid_to,
            "status": self.status, "source": self.source,
        }
        out.update(self.extra)
        return out

    def to_dict(self) -> dict:
        return {**self.as_csv(), "level": self.level, "extra": dict(self.extra)}

    def replace(self, **changes) -> "Row":
        data = {
            "code": self.code, "parent": self.parent, "level": self.level, "name_zh": self.name_zh,
            "name_en": self.name_en, "valid_from": self.valid_from, "valid_to": self.valid_to,
            "status": self.status, "source": self.source, "extra": dict(self.extra),
        }
        data.update(changes)
        return Row(**data)


@dataclass(frozen=True, slots=True)
class MappingRow:
    dep_code: str
    gov_code: str
    valid_from: str = ""
    valid_to: str = ""
    status: str = "M"
    source: str = ""
    lo: int = field(init=False, repr=False, compare=False)
    hi: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", _bound(self.valid_from, end=False))
        object.__setattr__(self, "hi", _bound(self.valid_to, end=True))


@dataclass(frozen=True)
class Lookup:
    """The answer to "is CODE valid in LIST for this year/date?"."""

    list_id: str
    code: str
    found: bool
    valid: bool
    reason_code: str
    reason_zh: str
    reason_en: str
    row: Row | None = None
    national_code: str | None = None
    national_row: Row | None = None
    closed: bool = True

    @property
    def severity(self) -> str | None:
        """None when valid; ``error`` for closed lists and malformed codes, else ``warning`` (C10)."""
        if self.valid:
            return None
        if self.reason_code == "unverified":
            return "warning"
        return "error" if (self.closed or self.reason_code == "bad-pattern") else "warning"

    def to_dict(self) -> dict:
        return {
            "list": self.list_id, "code": self.code, "found": self.found, "valid": self.valid,
            "reason_code": self.reason_code, "reason_zh": self.reason_zh, "reason_en": self.reason_en,
            "severity": self.severity, "row": self.row.to_dict() if self.row else None,
            "national_code": self.national_code,
            "national_row": self.national_row.to_dict() if self.national_row else None,
        }


# --------------------------------------------------------------------------------------------------
# a code list
# --------------------------------------------------------------------------------------------------


class CodeList:
    """One code list: its ``lists.yaml`` metadata (as attributes) and its rows."""

    def __init__(self, meta: ListMeta, rows: list[Row], path: Path | None = None, extra_columns: Iterable[str] = ()):
        self.meta = meta
        self.id = meta.id
        self.name_zh = meta.name_zh
        self.name_en = meta.name_en
        self.closed = meta.closed
        self.validity = meta.validity
        self.levels = list(meta.levels)
        self.leaf_required = meta.leaf_required
        self.local_extension_max_length = meta.local_extension_max_length
        self.pattern = meta.pattern
        self.prefix = meta.prefix
        self.parent_list = meta.parent_list
        self.complete = meta.complete
        self.file = meta.file
        self.description_zh = meta.description_zh
        self.description_en = meta.description_en
        self.provenance = meta.provenance
        self.path = path
        self.extra_columns = list(extra_columns)
        self.rows = sorted(rows, key=lambda r: (r.code, r.lo))
        self._regex = re.compile(meta.pattern)
        lengths = [lv.length for lv in self.levels]
        self.level_by_length: dict[int, Level] = (
            {lv.length: lv for lv in self.levels} if all(lengths) and len(set(lengths)) == len(lengths) else {}
        )
        self.national_max_length = max((n or 0) for n in lengths)
        self._by_code: dict[str, list[Row]] = {}
        self._children: dict[str, list[Row]] = {}
        for r in self.rows:
            self._by_code.setdefault(r.code, []).append(r)
            if r.parent:
                self._children.setdefault(r.parent, []).append(r)
        self._valid_cache: dict[tuple[int, int], frozenset[str]] = {}
        self._leaf_cache: dict[tuple[int, int], frozenset[str]] = {}

    def __repr__(self) -> str:
        return f"CodeList({self.id!r}, {len(self.rows)} rows)"

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    # -- windows ------------------------------------------------------------------------------------

    def window(self, year: int | None = None, on: date | None = None) -> tuple[int, int]:
        """The ordinal-day window a query means (see the module docstring)."""
        if on is not None and not isinstance(on, date):
            raise TypeError("on must be a datetime.date")
        if self.validity == "fiscal_year":
            y = year if year is not None else (on.year if on is not None else None)
            if y is None:
                raise JincaiError(
                    "codelist-year-required",
                    f"代码集 {self.id} 按预算年度有效，查询需要给出年度",
                    f"list {self.id} is valid by fiscal year: give a year",
                )
            return _year_window(y)
        if on is not None:
            d = on.toordinal()
            return d, d
        if year is None:
            raise JincaiError(
                "codelist-year-required",
                f"代码集 {self.id} 按日期有效，查询需要给出日期或年度",
                f"list {self.id} is valid by date: give a date or a year",
            )
        return _year_window(year)

    # -- queries -----------------------------------------------------------------------------------

    def history(self, code: str) -> list[Row]:
        """Every row of ``code`` (all years), oldest first."""
        return list(self._by_code.get(code, ()))

    def rows_valid(self, year: int | None = None, on: date | None = None) -> list[Row]:
        """Rows valid in the window; with two rows of one code in the window, the later one."""
        lo, hi = self.window(year, on)
        out: dict[str, Row] = {}
        for r in self.rows:
            if r.overlaps(lo, hi):
                out[r.code] = r
        return list(out.values())

    def valid_codes(self, year: int | None = None, on: date | None = None) -> frozenset[str]:
        """Codes with a row valid in the window (local extensions not included). Cached per window."""
        key = self.window(year, on)
        hit = self._valid_cache.get(key)
        if hit is None:
            lo, hi = key
            hit = frozenset(r.code for r in self.rows if r.overlaps(lo, hi))
            self._valid_cache[key] = hit
        return hit

    def leaf_codes(self, year: int | None = None, on: date | None = None) -> frozenset[str]:
        """Valid codes none of whose sub-codes is valid in the window. Cached per window."""
        key = self.window(year, on)
        hit = self._leaf_cache.get(key)
        if hit is None:
            valid = self.valid_codes(year, on)
            parents = {r.parent for r in self.rows if r.code in valid and r.overlaps(*key)}
            hit = frozenset(valid - parents)
            self._leaf_cache[key] = hit
        return hit

    def children(self, code: str, year: int | None = None, on: date | None = None) -> list[Row]:
        """Sub-code rows of ``code`` valid in the window (all rows when neither year nor on is given)."""
        kids = self._children.get(code, [])
        if year is None and on is None:
            return list(kids)
        lo, hi = self.window(year, on)
        out: dict[str, Row] = {}
        for r in kids:
            if r.overlaps(lo, hi):
                out[r.code] = r
        return list(out.values())

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent … of ``code``, nearest first. For a local extension the national code
        comes first. The last entry may belong to ``parent_list`` (town → mof_div)."""
        out: list[str] = []
        if code not in self._by_code and self._is_extension_length(code):
            code = code[: self.national_max_length]
            out.append(code)
        seen = set(out)
        while code in self._by_code:
            parent = self._by_code[code][-1].parent
            if not parent or parent in seen:
                break
            out.append(parent)
            seen.add(parent)
            code = parent
        return out

    def _is_extension_length(self, code: str) -> bool:
        n = self.local_extension_max_length
        return bool(n) and self.national_max_length < len(code) <= n

    def lookup(self, code: str, year: int | None = None, on: date | None = None) -> Lookup:
        """Is ``code`` valid for fiscal ``year`` (or on date ``on``)? See the module docstring."""
        lo, hi = self.window(year, on)
        when_zh, when_en = _when(year, on, self.validity)
        if not isinstance(code, str) or not self._regex.fullmatch(code):
            return self._answer(
                code, False, False, "bad-pattern",
                f"代码 {code!r} 不符合代码集 {self.id} 的格式 {self.pattern}",
                f"code {code!r} does not match the pattern {self.pattern} of list {self.id}",
            )
        rows = self._by_code.get(code)
        if rows:
            current = [r for r in rows if r.overlaps(lo, hi)]
            if current:
                row = current[-1]
                if self.leaf_required:
                    kids = self.children(code, year, on)
                    if kids:
                        return self._answer(
                            code, True, False, "not-leaf",
                            f"代码 {code} {row.name_zh} 不是末级代码：{when_zh}有 {len(kids)} 个下级代码（如 {kids[0].code} {kids[0].name_zh}），应使用末级代码",
                            f"code {code} ({row.name_en or row.name_zh}) is not a leaf: it has {len(kids)} sub-codes valid {when_en} (e.g. {kids[0].code}); use a leaf code",
                            row,
                        )
                return self._answer(code, True, True, "ok", f"{when_zh}有效", f"valid {when_en}", row)
            before = [r for r in rows if r.hi < lo]
            if before:
                row = before[-1]
                return self._answer(
                    code, True, False, "retired",
                    f"代码 {code} {row.name_zh} 已停用（有效至 {row.valid_to}），{when_zh}无效",
                    f"code {code} ({row.name_en or row.name_zh}) was retired: last valid {row.valid_to}, not valid {when_en}",
                    row,
                )
            row = rows[0]
            return self._answer(
                code, True, False, "not-yet-valid",
                f"代码 {code} {row.name_zh} 尚未生效（自 {row.valid_from} 起有效），{when_zh}无效",
                f"code {code} ({row.name_en or row.name_zh}) is not yet valid: valid from {row.valid_from}, not {when_en}",
                row,
            )
        if self._is_extension_length(code):
            national = code[: self.national_max_length]
            sub = self.lookup(national, year, on)
            if sub.reason_code == "unverified":
                return self._answer(
                    code, False, False, "unverified", f"地方扩展代码 {code}：{sub.reason_zh}", f"local extension {code}: {sub.reason_en}",
                    None, national, sub.national_row,
                )
            if sub.valid:
                return self._answer(
                    code, False, True, "ok",
                    f"地方扩展代码：全国代码 {national} {sub.row.name_zh if sub.row else ''}，{when_zh}有效",
                    f"local extension of national code {national} ({_en(sub.row)}), valid {when_en}",
                    None, national, sub.row,
                )
            return self._answer(
                code, False, False, "bad-extension",
                f"地方扩展代码 {code} 无效：其全国代码 {national} {when_zh}不可用（{sub.reason_zh}）",
                f"local extension {code} is invalid: its national code {national} cannot be used {when_en} ({sub.reason_en})",
                None, national, sub.row,
            )
        if not self.complete:
            parent = self._valid_ancestor(code, lo, hi)
            if parent is not None:
                return self._answer(
                    code, False, False, "unverified",
                    f"代码 {code} 不在代码集 {self.id}（{self.name_zh}）的起始集中，其上级代码 {parent.code} {parent.name_zh} {when_zh}有效；"
                    f"该代码集未经完整核实（complete: false），无法判断本代码是否有效。"
                    f"请用 jincai codes import {self.id} <财政部年度文件> --year <年度> 导入正式代码集",
                    f"code {code} is not in the starter set of list {self.id} ({self.name_en}); its parent {parent.code} "
                    f"({parent.name_en or parent.name_zh}) is valid {when_en}. The list is unverified (complete: false), so the "
                    f"code cannot be judged: import the official list with `jincai codes import {self.id} FILE --year YYYY`",
                    None, None, parent,
                )
        return self._answer(
            code, False, False, "unknown",
            f"代码 {code} 不在代码集 {self.id}（{self.name_zh}）中",
            f"code {code} is not in list {self.id} ({self.name_en})",
        )

    def _valid_ancestor(self, code: str, lo: int, hi: int) -> Row | None:
        """The nearest ancestor of ``code`` (by the levels' lengths) held by the list, when it is
        valid in the window; None when there is none or the nearest one is not valid then."""
        for n in sorted((k for k in self.level_by_length if k < len(code)), reverse=True):
            rows = self._by_code.get(code[:n])
            if rows:
                current = [r for r in rows if r.overlaps(lo, hi)]
                return current[-1] if current else None
        return None

    def is_valid(self, code: str, year: int | None = None, on: date | None = None) -> bool:
        """Fast path for bulk checks: ``valid_codes`` (and leaf) first, ``lookup`` only on a miss."""
        codes = self.leaf_codes(year, on) if self.leaf_required else self.valid_codes(year, on)
        if code in codes:
            return True
        return self.lookup(code, year, on).valid

    def _answer(self, code, found, valid, reason, zh, en, row=None, national=None, national_row=None) -> Lookup:
        return Lookup(self.id, code, found, valid, reason, zh, en, row, national, national_row, self.closed)

    # -- checks ------------------------------------------------------------------------------------

    def check(self) -> list[tuple[Row, str, str]]:
        """Problems inside the list: (row, zh, en). Parents in ``parent_list`` are checked by the Registry."""
        problems: list[tuple[Row, str, str]] = []
        fmt = _YEAR_RE if self.validity == "fiscal_year" else _DATE_RE
        for r in self.rows:
            if not self._regex.fullmatch(r.code):
                problems.append((r, f"代码不符合格式 {self.pattern}", f"code does not match the pattern {self.pattern}"))
            if r.status not in STATUSES:
                problems.append((r, "status 须为 V 或 M", "status must be V or M"))
            for column, value in (("name_zh", r.name_zh), ("name_en", r.name_en), ("source", r.source)):
                bad = control_char(value)
                if bad:
                    problems.append((r, f"{column} 含控制字符 {bad}", f"{column} holds the control character {bad}"))
            for value in (r.valid_from, r.valid_to):
                if value and not fmt.fullmatch(value):
                    problems.append((r, f"有效期 {value} 格式错误", f"validity bound {value} is not a {self.validity}"))
            if r.lo > r.hi:
                problems.append((r, "valid_from 晚于 valid_to", "valid_from is after valid_to"))
            if r.level not in {lv.level for lv in self.levels}:
                problems.append((r, f"层级 {r.level} 未在 levels 中定义", f"level {r.level} is not defined in levels"))
            if self.level_by_length:
                lv = self.level_by_length.get(len(r.code))
                if lv is None and not self._is_extension_length(r.code):
                    problems.append((r, "代码长度与任何层级都不符", "code length matches no level"))
                elif lv is not None:
                    expected_parent = self._parent_by_length(r.code)
                    if lv.level != r.level:
                        problems.append((r, f"层级应为 {lv.level}", f"level should be {lv.level}"))
                    if self.parent_list is None and r.parent != expected_parent:
                        problems.append((r, f"上级代码应为 {expected_parent!r}", f"parent should be {expected_parent!r}"))
            if r.parent and self.parent_list is None and r.parent not in self._by_code:
                problems.append((r, f"上级代码 {r.parent} 不在代码集中", f"parent {r.parent} is not in the list"))
            elif r.parent and self.parent_list is None:
                if not any(p.overlaps(r.lo, r.hi) for p in self._by_code[r.parent]):
                    problems.append((r, f"上级代码 {r.parent} 在本行有效期内无效", f"parent {r.parent} is not valid while this row is"))
        for code, rows in self._by_code.items():
            for a, b in zip(rows, rows[1:]):
                if b.lo <= a.hi:
                    problems.append((b, f"代码 {code} 的多行有效期重叠", f"rows of code {code} have overlapping validity"))
        return problems

    def _parent_by_length(self, code: str) -> str:
        lengths = sorted(self.level_by_length)
        shorter = [n for n in lengths if n < len(code)]
        return code[: shorter[-1]] if shorter else ""

    def level_for(self, code: str) -> Level | None:
        """The level a code of this length has (lists whose levels differ by length)."""
        return self.level_by_length.get(len(code))

    def parent_for(self, code: str) -> str:
        """The parent code implied by the code's length (lists whose levels differ by length)."""
        return self._parent_by_length(code)


def _year_window(year: int) -> tuple[int, int]:
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise JincaiError("codelist-bad-year", f"年度 {year!r} 无效", f"year {year!r} is not a valid year")
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


def _when(year: int | None, on: date | None, validity: str) -> tuple[str, str]:
    if validity == "date" and on is not None:
        return f"{on.isoformat()} 当日", f"on {on.isoformat()}"
    y = year if year is not None else on.year  # type: ignore[union-attr]
    if validity == "date":
        return f"{y} 年内", f"in {y}"
    return f"{y} 年度", f"in fiscal year {y}"


def _en(row: Row | None) -> str:
    if row is None:
        return ""
    return row.name_en or row.name_zh


# --------------------------------------------------------------------------------------------------
# the registry
# --------------------------------------------------------------------------------------------------


@dataclass
class Registry:
    """All code lists of one ``codelists`` folder, plus the department→government mapping."""

    root: Path
    lists: dict[str, CodeList]
    mappings: dict[str, MappingMeta] = field(default_factory=dict)
    dep_to_gov_rows: list[MappingRow] = field(default_factory=list)
    _dep_index: dict[str, list[MappingRow]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for m in self.dep_to_gov_rows:
            self._dep_index.setdefault(m.dep_code, []).append(m)

    def __iter__(self) -> Iterator[CodeList]:
        return iter(self.lists.values())

    def __contains__(self, list_id: object) -> bool:
        return list_id in self.lists

    def get(self, list_id: str) -> CodeList:
        try:
            return self.lists[list_id]
        except KeyError:
            known = ", ".join(sorted(self.lists))
            raise JincaiError(
                "codelist-unknown",
                f"没有代码集 {list_id}；已有：{known}",
                f"no code list {list_id}; known lists: {known}",
                details={"known": sorted(self.lists)},
            ) from None

    def lookup(self, list_id: str, code: str, year: int | None = None, on: date | None = None) -> Lookup:
        return self.get(list_id).lookup(code, year, on)

    def dep_to_gov(self, dep_code: str, year: int) -> str | None:
        """The government economic code a department economic code maps to in ``year``, or None.

        Usually a 5-digit 款; a 3-digit 类 when the source gives only the class-level mapping
        (``301xx → 501``), so a consumer should accept ``gov_code.startswith(result)``.
        """
        lo, hi = _year_window(year)
        for m in self._dep_index.get(dep_code, ()):
            if m.lo <= hi and m.hi >= lo:
                return m.gov_code
        return None

    def dep_gov_consistent(self, dep_code: str, gov_code: str, year: int) -> bool | None:
        """True/False whether the pair agrees with the mapping for ``year``; None when unmapped."""
        target = self.dep_to_gov(dep_code, year)
        if target is None:
            return None
        return gov_code.startswith(target)


def _fail(path: Path | str, zh: str, en: str, code: str = "codelist-file-malformed") -> JincaiError:
    return JincaiError(code, zh, en, str(path))


def _read_csv(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise _fail(path, "代码集文件为空", "the code-list file is empty")
            if header and header[0].startswith("\ufeff"):
                raise _fail(f"{path}:1", "代码集文件不得带 BOM", "code-list files must not start with a BOM")
            missing = [c for c in required if c not in header]
            if missing or list(header[: len(required)]) != list(required):
                raise _fail(
                    f"{path}:1",
                    f"表头应以 {','.join(required)} 开头",
                    f"the header must start with {','.join(required)}",
                )
            rows = []
            for lineno, values in enumerate(reader, start=2):
                if not values:
                    continue
                if len(values) != len(header):
                    raise _fail(f"{path}:{lineno}", f"应有 {len(header)} 列，实有 {len(values)} 列",
                                f"expected {len(header)} columns, found {len(values)}")
                rows.append((lineno, dict(zip(header, values))))
            return header, rows
    except OSError as exc:
        raise _fail(path, f"无法读取代码集文件：{exc}", f"cannot read the code-list file: {exc}", "codelist-file-unreadable") from exc
    except UnicodeDecodeError as exc:
        raise _fail(path, "代码集文件须为 UTF-8 编码", "code-list files must be UTF-8", "codelist-file-malformed") from exc


def load_codelist(meta: ListMeta, path: Path) -> CodeList:
    header, records = _read_csv(path, STANDARD_COLUMNS)
    extra_columns = header[len(STANDARD_COLUMNS):]
    rows: list[Row] = []
    lines: dict[int, int] = {}
    for lineno, rec in records:
        try:
            r = Row(
                code=rec["code"], parent=rec["parent"], level=int(rec["level"]), name_zh=rec["name_zh"],
                name_en=rec["name_en"], valid_from=rec["valid_from"], valid_to=rec["valid_to"],
                status=rec["status"], source=rec["source"], extra={k: rec[k] for k in extra_columns},
            )
        except ValueError as exc:
            raise _fail(f"{path}:{lineno}", f"行内容无效：{exc}", f"invalid row: {exc}") from exc
        if not r.name_zh:
            raise _fail(f"{path}:{lineno}", "name_zh 不得为空", "name_zh must not be empty")
        lines[id(r)] = lineno
        rows.append(r)
    cl = CodeList(meta, rows, path, extra_columns)
    problems = cl.check()
    if problems:
        row, zh, en = problems[0]
        more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
        more_en = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise _fail(f"{path}:{lines.get(id(row), '?')}", f"代码 {row.code}：{zh}{more}", f"code {row.code}: {en}{more_en}")
    return cl


def _load_mapping(meta: MappingMeta, path: Path, lists: dict[str, CodeList]) -> list[MappingRow]:
    _, records = _read_csv(path, MAPPING_COLUMNS)
    out: list[MappingRow] = []
    src, dst = lists.get(meta.from_list), lists.get(meta.to_list)
    if src is None or dst is None:
        raise _fail(path, f"映射引用了不存在的代码集 {meta.from_list}/{meta.to_list}",
                    f"mapping refers to an unknown list {meta.from_list}/{meta.to_list}", "codelist-metadata-malformed")
    index: dict[str, list[MappingRow]] = {}
    for lineno, rec in records:
        try:
            m = MappingRow(rec["dep_code"], rec["gov_code"], rec["valid_from"], rec["valid_to"], rec["status"], rec["source"])
        except ValueError as exc:
            raise _fail(f"{path}:{lineno}", f"行内容无效：{exc}", f"invalid row: {exc}") from exc
        where = f"{path}:{lineno}"
        if m.dep_code not in src:
            raise _fail(where, f"{m.dep_code} 不在代码集 {src.id} 中", f"{m.dep_code} is not in list {src.id}")
        if m.gov_code not in dst:
            raise _fail(where, f"{m.gov_code} 不在代码集 {dst.id} 中", f"{m.gov_code} is not in list {dst.id}")
        if m.status not in STATUSES:
            raise _fail(where, "status 须为 V 或 M", "status must be V or M")
        for other in index.get(m.dep_code, ()):
            if other.lo <= m.hi and other.hi >= m.lo:
                raise _fail(where, f"{m.dep_code} 在同一年度映射到多个代码（{other.gov_code}、{m.gov_code}）",
                            f"{m.dep_code} maps to more than one code in the same year ({other.gov_code}, {m.gov_code})",
                            "codelist-mapping-conflict")
        index.setdefault(m.dep_code, []).append(m)
        out.append(m)
    return out


def read_metadata(root: Path) -> tuple[list[ListMeta], list[MappingMeta]]:
    path = root / "lists.yaml"
    try:
        data = yaml_load.load_file(path, size_limit=None, cache=True)
    except JincaiError as exc:
        raise _fail(path, f"无法读取 lists.yaml：{exc}", f"cannot read lists.yaml: {exc}", "codelist-metadata-malformed") from None
    if not isinstance(data, dict) or not isinstance(data.get("lists"), list):
        raise _fail(path, "lists.yaml 须有 lists: 列表", "lists.yaml needs a lists: sequence", "codelist-metadata-malformed")
    metas: list[ListMeta] = []
    for i, item in enumerate(data["lists"]):
        try:
            metas.append(ListMeta(**item))
        except (ValidationError, TypeError) as exc:
            ident = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            raise _fail(f"{path} [{ident}]", f"代码集元数据有误：{exc}", f"list metadata is malformed: {exc}",
                        "codelist-metadata-malformed") from exc
    ids = [m.id for m in metas]
    if len(set(ids)) != len(ids):
        raise _fail(path, "代码集 id 重复", "duplicate list id", "codelist-metadata-malformed")
    mappings: list[MappingMeta] = []
    for item in data.get("mappings") or []:
        try:
            mappings.append(MappingMeta(**item))
        except (ValidationError, TypeError) as exc:
            raise _fail(path, f"映射元数据有误：{exc}", f"mapping metadata is malformed: {exc}", "codelist-metadata-malformed") from exc
    return metas, mappings


def load_registry(root: Path | str = paths.CODELISTS) -> Registry:
    """Read ``lists.yaml`` and every list's CSV under ``root``; check each list and the mapping."""
    root = Path(root)
    metas, mapping_metas = read_metadata(root)
    lists: dict[str, CodeList] = {}
    for meta in metas:
        lists[meta.id] = load_codelist(meta, root / meta.file)
    for cl in lists.values():
        if cl.parent_list is None:
            continue
        parents = lists.get(cl.parent_list)
        if parents is None:
            raise _fail(root / "lists.yaml", f"{cl.id} 的 parent_list {cl.parent_list} 不存在",
                        f"parent_list {cl.parent_list} of {cl.id} does not exist", "codelist-metadata-malformed")
        for r in cl.rows:
            if r.parent and r.parent not in parents:
                raise _fail(cl.path or cl.file, f"代码 {r.code} 的上级 {r.parent} 不在 {parents.id} 中",
                            f"parent {r.parent} of code {r.code} is not in {parents.id}")
    dep_rows: list[MappingRow] = []
    mappings = {m.id: m for m in mapping_metas}
    for m in mapping_metas:
        rows = _load_mapping(m, root / m.file, lists)
        if m.id == "dep_to_gov":
            dep_rows = rows
    return Registry(root=root, lists=lists, mappings=mappings, dep_to_gov_rows=dep_rows)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The code lists shipped in this checkout (cached; ``registry.cache_clear()`` after an import)."""
    return load_registry()


def write_codelist_csv(path: Path, rows: Iterable[Row], extra_columns: Iterable[str] = ()) -> None:
    """Write rows in the shipped CSV format (UTF-8, no BOM, ``\\n``), atomically (temp file + rename)."""
    import os
    import tempfile

    columns = list(STANDARD_COLUMNS) + list(extra_columns)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for r in sorted(rows, key=lambda r: (r.code, r.lo)):
                rec = r.as_csv()
                writer.writerow({c: rec.get(c, "") for c in columns})
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
