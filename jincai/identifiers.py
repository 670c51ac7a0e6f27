"""Identifier checks, masking and generators: USCC, organisation code, citizen ID, CNAPS.

Pure functions, no I/O. Each ``check_*`` takes any value and returns an ``IdCheck`` — it never
raises, whatever it is given (``None``, ``bytes``, full-width digits, a trailing newline, …).
The arithmetic is table-driven (the ``*_WEIGHTS`` / ``*_VALUES`` tables below are public so that a
vectorised implementation can reuse exactly the same numbers).

Rules (from the national standards; the reference vectors are in ``tests/test_identifiers.py``):

* GB 32100-2015 统一社会信用代码 (USCC): 18 characters from ``USCC_CHARSET``; positions 3-8 are
  digits (GB/T 2260 region); positions 9-17 are a GB 11714 organisation code whose own check
  character must also be valid; position 18 is the MOD 31 check character.
* GB 11714-1997 组织机构代码: 8 body characters (digits, A-Z) + check character (0-9 or X),
  written ``XXXXXXXX-C`` or ``XXXXXXXXC``.
* GB 11643-1999 公民身份号码: 6 region + 8 birth date + 3 sequence + ISO 7064 MOD 11-2 check.
* CNAPS 支付系统行号: 12 digits. Format only — no trustworthy public check-digit algorithm is
  known, so the 12th digit is *not* verified.

Only the canonical form is valid: ASCII, upper case, no surrounding or inner whitespace. Anything
else is reported with its own reason code (``*-fullwidth``, ``*-lowercase``, ``*-whitespace``) so
that a cleaning step can decide what to repair; nothing is silently normalised here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "IdCheck",
    "REASON_CODES",
    "USCC_CHARSET",
    "USCC_VALUES",
    "USCC_WEIGHTS",
    "ORGCODE_VALUES",
    "ORGCODE_WEIGHTS",
    "ORGCODE_CHECK_CHARS",
    "CITIZEN_ID_WEIGHTS",
    "CITIZEN_ID_CHECK_CHARS",
    "CITIZEN_ID_MIN_BIRTH",
    "check_uscc",
    "check_orgcode",
    "check_citizen_id",
    "check_cnaps",
    "uscc_check_char",
    "orgcode_check_char",
    "citizen_id_check_char",
    "make_uscc",
    "make_orgcode",
    "make_citizen_id",
    "mask_citizen_id",
    "mask_account",
    "mask_name",
]


@dataclass(frozen=True, slots=True)
class IdCheck:
    """Outcome of one identifier check: ``code`` is ``ok`` when valid, else a stable kebab-case code."""

    valid: bool
    code: str
    reason_zh: str
    reason_en: str


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: GB 32100-2015: 31 characters, no I, O, Z, S, V. A character's value is its index.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES: dict[str, int] = {c: i for i, c in enumerate(USCC_CHARSET)}
#: 3^(i-1) mod 31 for positions 1-17.
USCC_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: GB 11714-1997: digits as themselves, A=10 … Z=35 (all 26 letters — *not* the USCC values).
ORGCODE_VALUES: dict[str, int] = {c: i for i, c in enumerate(DIGITS + UPPER)}
ORGCODE_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
#: check = 11 - (Σ mod 11), 10 → X, 11 → 0; indexed here by Σ mod 11.
ORGCODE_CHECK_CHARS = "0" + "".join("X" if 11 - r == 10 else str(11 - r) for r in range(1, 11))
_ORGCODE_CHECK_SET = frozenset(DIGITS + "X")

#: GB 11643-1999 / ISO 7064 MOD 11-2: 2^(17-i) mod 11 for positions 1-17.
CITIZEN_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: indexed by Σ mod 11.
CITIZEN_ID_CHECK_CHARS = "10X98765432"
CITIZEN_ID_MIN_BIRTH = date(1900, 1, 1)

#: Every code a ``check_*`` function can return (``ok`` included), for rule catalogues and docs.
REASON_CODES: frozenset[str] = frozenset(
    ["ok"]
    + [
        f"{kind}-{what}"
        for kind in ("uscc", "orgcode", "citizen-id", "cnaps")
        for what in ("type", "empty", "whitespace", "fullwidth")
    ]
    + [
        f"{kind}-{what}"
        for kind in ("uscc", "orgcode", "citizen-id")
        for what in ("lowercase", "length", "charset", "check-char")
    ]
    + ["uscc-region", "uscc-orgcode-check-char", "orgcode-hyphen"]
    + ["citizen-id-birth-date", "citizen-id-birth-before-1900", "citizen-id-birth-future"]
    + ["cnaps-format"]
)

_DIGIT_SET = frozenset(DIGITS)
_USCC_SET = frozenset(USCC_CHARSET)
_ORGCODE_BODY_SET = frozenset(DIGITS + UPPER)

_KIND_ZH = {
    "uscc": "统一社会信用代码",
    "orgcode": "组织机构代码",
    "citizen-id": "公民身份号码",
    "cnaps": "支付系统行号",
}
_KIND_EN = {
    "uscc": "unified social credit code",
    "orgcode": "organisation code",
    "citizen-id": "citizen ID number",
    "cnaps": "CNAPS bank branch code",
}

_OK = {
    kind: IdCheck(True, "ok", f"{_KIND_ZH[kind]}有效", f"valid {_KIND_EN[kind]}")
    for kind in ("uscc", "orgcode", "citizen-id")
}
_OK["cnaps"] = IdCheck(
    True,
    "ok",
    "格式有效（12位数字）；未校验第12位校验位：没有可信的公开算法，只检查格式",
    "format valid (12 digits); the 12th (check) digit is NOT verified: no trustworthy public "
    "algorithm exists, only the format is checked",
)


# --------------------------------------------------------------------------------------------
# Shared pre-checks: type, empty, whitespace, full-width, lowercase
# --------------------------------------------------------------------------------------------


def _bad(kind: str, suffix: str, zh: str, en: str) -> IdCheck:
    return IdCheck(False, f"{kind}-{suffix}", zh, en)


def _show(ch: str) -> str:
    """A character as it can be shown in a message (control/space characters as U+XXXX)."""
    if ch.isprintable() and not ch.isspace():
        return ch
    return f"U+{ord(ch):04X}"


def _is_fullwidth(ch: str) -> bool:
    # U+FF01..U+FF5E are the full-width forms of ASCII ! .. ~ (１, Ａ, －, …).
    return "\uff01" <= ch <= "\uff5e"


def _precheck(kind: str, value: Any, lower_ok: frozenset[str]) -> IdCheck | None:
    """Problems common to every kind; ``lower_ok`` = letters whose upper case would be allowed."""
    if value is None:
        return _bad(kind, "empty", "值为空（None）", "value is missing (None)")
    if not isinstance(value, str):
        name = type(value).__name__
        return _bad(
            kind, "type", f"值不是字符串（实为 {name}）", f"value is not a string (got {name})"
        )
    if value == "":
        return _bad(kind, "empty", "值为空字符串", "value is an empty string")
    if value != value.strip() or any(ch.isspace() for ch in value):
        if value.strip() == "":
            return _bad(kind, "whitespace", "值只含空白字符", "value is whitespace only")
        if value != value.strip():
            return _bad(
                kind,
                "whitespace",
                "首尾含空白字符（空格、制表符或换行），规范形式不含空白",
                "leading/trailing whitespace (space, tab or newline); the canonical form has none",
            )
        pos = next(i for i, ch in enumerate(value, 1) if ch.isspace())
        return _bad(
            kind,
            "whitespace",
            f"第{pos}位是空白字符 {_show(value[pos - 1])}，规范形式不含空白",
            f"character {pos} is whitespace {_show(value[pos - 1])}; the canonical form has none",
        )
    for i, ch in enumerate(value, 1):
        if _is_fullwidth(ch):
            half = chr(ord(ch) - 0xFEE0)
            return _bad(
                kind,
                "fullwidth",
                f"第{i}位是全角字符 {ch}，应使用半角 ASCII 字符 {half}",
                f"character {i} is full-width {ch}; use the ASCII character {half}",
            )
    if lower_ok:
        for i, ch in enumerate(value, 1):
            if ch in lower_ok:
                return _bad(
                    kind,
                    "lowercase",
                    f"第{i}位是小写字母 {ch}，规范形式为大写 {ch.upper()}",
                    f"character {i} is lowercase {ch}; the canonical form is uppercase {ch.upper()}",
                )
    return None


def _length(kind: str, value: str, expected: int) -> IdCheck:
    return _bad(
        kind,
        "length",
        f"长度应为 {expected} 位，实为 {len(value)} 位",
        f"length should be {expected}, found {len(value)}",
    )


def _check_char_mismatch(kind: str, pos: int, expected: str, found: str) -> IdCheck:
    return _bad(
        kind,
        "check-char",
        f"第{pos}位校验码应为 {expected}，实为 {_show(found)}",
        f"check character (position {pos}) should be {expected}, found {_show(found)}",
    )


# --------------------------------------------------------------------------------------------
# Check-character arithmetic (raises ValueError on malformed input: these are for callers that
# already hold well-formed bodies, e.g. generators)
# --------------------------------------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 USCC characters (MOD 31)."""
    if not isinstance(first17, str) or len(first17) != 17 or not set(first17) <= _USCC_SET:
        raise ValueError(f"expected 17 characters from {USCC_CHARSET}, got {first17!r}")
    total = sum(USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def orgcode_check_char(body8: str) -> str:
    """GB 11714-1997 check character (0-9 or X) for an 8-character organisation code body."""
    if not isinstance(body8, str) or len(body8) != 8 or not set(body8) <= _ORGCODE_BODY_SET:
        raise ValueError(f"expected 8 characters 0-9/A-Z, got {body8!r}")
    total = sum(ORGCODE_VALUES[c] * w for c, w in zip(body8, ORGCODE_WEIGHTS))
    return ORGCODE_CHECK_CHARS[total % 11]


def citizen_id_check_char(first17: str) -> str:
    """GB 11643-1999 (ISO 7064 MOD 11-2) check character for the first 17 digits."""
    if not isinstance(first17, str) or len(first17) != 17 or not set(first17) <= _DIGIT_SET:
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum((ord(c) - 48) * w for c, w in zip(first17, CITIZEN_ID_WEIGHTS))
    return CITIZEN_ID_CHECK_CHARS[total % 11]


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

_USCC_LOWER = frozenset(c.lower() for c in USCC_CHARSET if c.isalpha())


def check_uscc(value: Any, *, verify_orgcode: bool = True) -> IdCheck:
    """Check a GB 32100-2015 unified social credit code (统一社会信用代码).

    Order of checks: type/empty, whitespace, full-width, lowercase, length (18), character set,
    positions 3-8 digits (``uscc-region``), check character 18 (``uscc-check-char``), then the
    embedded GB 11714 organisation code at positions 9-17 (``uscc-orgcode-check-char``).

    The organisation-code sub-check is enforced by default. Finding: the reference vector
    ``91110000600037341L`` passes it (``60003734`` → check ``1``, position 17 is ``1``). Six
    further real-looking codes found in public text that pass the MOD 31 check — all with letters
    in positions 9-16 (e.g. ``91440300MA5H8REU3K``, ``91133100MA0D8N1J7G``) — also pass it, and
    only when the body is valued the GB 11714 way (A=10 … Z=35), *not* with the USCC 31-character
    values. python-stdnum's ``cn.uscc`` does not apply this sub-check; ``verify_orgcode=False``
    gives that laxer behaviour should real data ever disagree.
    """
    bad = _precheck("uscc", value, _USCC_LOWER)
    if bad is not None:
        return bad
    if len(value) != 18:
        return _length("uscc", value, 18)
    for i, ch in enumerate(value, 1):
        if ch not in _USCC_SET:
            return _bad(
                "uscc",
                "charset",
                f"第{i}位字符 {_show(ch)} 不在统一社会信用代码字符集内（0-9 与大写字母，不含 I、O、Z、S、V）",
                f"character {i} ({_show(ch)}) is not in the USCC character set "
                "(0-9 and upper-case letters except I, O, Z, S, V)",
            )
    for i in range(2, 8):
        if value[i] not in _DIGIT_SET:
            return _bad(
                "uscc",
                "region",
                f"第3-8位（登记管理机关行政区划码）应为数字，第{i + 1}位为 {value[i]}",
                f"positions 3-8 (registration region code) must be digits; position {i + 1} is {value[i]}",
            )
    total = sum(USCC_VALUES[c] * w for c, w in zip(value, USCC_WEIGHTS))
    expected = USCC_CHARSET[(31 - total % 31) % 31]
    if value[17] != expected:
        return _check_char_mismatch("uscc", 18, expected, value[17])
    if verify_orgcode:
        body = value[8:16]
        total = sum(ORGCODE_VALUES[c] * w for c, w in zip(body, ORGCODE_WEIGHTS))
        org_expected = ORGCODE_CHECK_CHARS[total % 11]
        if value[16] != org_expected:
            return _bad(
                "uscc",
                "orgcode-check-char",
                f"第9-17位组织机构代码 {body}-{value[16]} 的校验码（第17位）应为 {org_expected}，实为 {value[16]}",
                f"the organisation code in positions 9-17 ({body}-{value[16]}): its check character "
                f"(position 17) should be {org_expected}, found {value[16]}",
            )
    return _OK["uscc"]


_ORG_LOWER = frozenset(UPPER.lower())


def check_orgcode(value: Any) -> IdCheck:
    """Check a GB 11714-1997 organisation code (组织机构代码): ``XXXXXXXX-C`` or ``XXXXXXXXC``."""
    bad = _precheck("orgcode", value, _ORG_LOWER)
    if bad is not None:
        return bad
    n = len(value)
    if n == 10:
        if value[8] != "-":
            return _bad(
                "orgcode",
                "hyphen",
                f"10位形式的第9位应为半角连字符 -，实为 {_show(value[8])}",
                f"in the 10-character form, character 9 must be the ASCII hyphen -, found {_show(value[8])}",
            )
        body, check = value[:8], value[9]
        check_pos = 10
    elif n == 9:
        body, check = value[:8], value[8]
        check_pos = 9
    else:
        return _bad(
            "orgcode",
            "length",
            f"长度应为 9 位（XXXXXXXXC）或 10 位（XXXXXXXX-C），实为 {n} 位",
            f"length should be 9 (XXXXXXXXC) or 10 (XXXXXXXX-C), found {n}",
        )
    for i, ch in enumerate(body, 1):
        if ch not in _ORGCODE_BODY_SET:
            return _bad(
                "orgcode",
                "charset",
                f"第{i}位字符 {_show(ch)} 无效：本体代码只能是数字 0-9 或大写字母 A-Z",
                f"character {i} ({_show(ch)}) is invalid: the body is digits 0-9 or upper-case A-Z",
            )
    if check not in _ORGCODE_CHECK_SET:
        return _bad(
            "orgcode",
            "charset",
            f"第{check_pos}位校验码 {_show(check)} 无效：只能是 0-9 或 X",
            f"check character (position {check_pos}) {_show(check)} is invalid: must be 0-9 or X",
        )
    total = sum(ORGCODE_VALUES[c] * w for c, w in zip(body, ORGCODE_WEIGHTS))
    expected = ORGCODE_CHECK_CHARS[total % 11]
    if check != expected:
        return _check_char_mismatch("orgcode", check_pos, expected, check)
    return _OK["orgcode"]


def check_citizen_id(value: Any, on: date | None = None) -> IdCheck:
    """Check a GB 11643-1999 citizen ID number (公民身份号码), 18 characters.

    The birth date (positions 7-14) must be a real calendar date, not before 1900-01-01 and not
    after ``on`` (default: today). The region code (1-6) and sequence (15-17) are not checked
    against any list. Legacy 15-digit numbers are invalid (``citizen-id-length``).

    The number is personal data: reasons never quote the birth date or the region; they name at
    most a single offending character (which a masked report shows anyway for the last 4).
    """
    bad = _precheck("citizen-id", value, frozenset())
    if bad is not None:
        return bad
    n = len(value)
    if n != 18:
        bad = _length("citizen-id", value, 18)
        if n == 15 and set(value) <= _DIGIT_SET:
            return IdCheck(
                False,
                bad.code,
                bad.reason_zh + "（15位旧号码不予接受，需升位为18位）",
                bad.reason_en + " (legacy 15-digit numbers are not accepted; convert to 18 digits)",
            )
        return bad
    for i, ch in enumerate(value[:17], 1):
        if ch not in _DIGIT_SET:
            return _bad(
                "citizen-id",
                "charset",
                f"第{i}位应为数字 0-9，实为 {_show(ch)}",
                f"character {i} must be a digit 0-9, found {_show(ch)}",
            )
    last = value[17]
    if last == "x":
        return _bad(
            "citizen-id",
            "lowercase",
            "第18位是小写字母 x，规范形式为大写 X",
            "character 18 is lowercase x; the canonical form is uppercase X",
        )
    if last not in _ORGCODE_CHECK_SET:  # same set: 0-9 or X
        return _bad(
            "citizen-id",
            "charset",
            f"第18位校验码只能是 0-9 或 X，实为 {_show(last)}",
            f"character 18 (check) must be 0-9 or X, found {_show(last)}",
        )
    ymd = value[6:14]
    try:
        birth = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        return _bad(
            "citizen-id",
            "birth-date",
            "第7-14位出生日期不是真实的日历日期",
            "positions 7-14: the birth date is not a real calendar date",
        )
    if birth < CITIZEN_ID_MIN_BIRTH:
        return _bad(
            "citizen-id",
            "birth-before-1900",
            "第7-14位出生日期早于 1900-01-01",
            "positions 7-14: the birth date is before 1900-01-01",
        )
    if on is None:
        on = date.today()
    elif isinstance(on, datetime):
        on = on.date()
    if birth > on:
        return _bad(
            "citizen-id",
            "birth-future",
            f"第7-14位出生日期晚于检查日期 {on.isoformat()}",
            f"positions 7-14: the birth date is after the check date {on.isoformat()}",
        )
    total = sum((ord(c) - 48) * w for c, w in zip(value, CITIZEN_ID_WEIGHTS))
    expected = CITIZEN_ID_CHECK_CHARS[total % 11]
    if last != expected:
        return _check_char_mismatch("citizen-id", 18, expected, last)
    return _OK["citizen-id"]


def check_cnaps(value: Any) -> IdCheck:
    """Check a CNAPS bank branch code (支付系统行号): 12 ASCII digits — FORMAT ONLY.

    Layout: 3-digit bank type + 4-digit city + 4-digit branch + 1 check digit. No trustworthy
    public algorithm for the check digit was found, so it is *not* verified: a code that passes
    here may still not exist. The valid result's reason says so.
    """
    bad = _precheck("cnaps", value, frozenset())
    if bad is not None:
        return bad
    if len(value) != 12:
        return _bad(
            "cnaps",
            "format",
            f"应为 12 位数字，实为 {len(value)} 位",
            f"must be 12 digits, found {len(value)} characters",
        )
    for i, ch in enumerate(value, 1):
        if ch not in _DIGIT_SET:
            return _bad(
                "cnaps",
                "format",
                f"应为 12 位数字，第{i}位为 {_show(ch)}",
                f"must be 12 digits; character {i} is {_show(ch)}",
            )
    return _OK["cnaps"]


# --------------------------------------------------------------------------------------------
# Generators (sample data, hypothesis strategies). Raise ValueError on malformed parts.
# --------------------------------------------------------------------------------------------


def _need(value: Any, length: int, allowed: frozenset[str], what: str) -> None:
    if not isinstance(value, str) or len(value) != length or not set(value) <= allowed:
        raise ValueError(f"{what}: expected {length} characters, got {value!r}")


def make_orgcode(body8: str) -> str:
    """``body8`` + its GB 11714 check character (9 characters, no hyphen)."""
    return body8 + orgcode_check_char(body8)


def make_uscc(prefix2: str, region6: str, org_body8: str) -> str:
    """A valid USCC: ``prefix2`` (e.g. ``11``, ``12``, ``91``) + ``region6`` + org code + check.

    ``org_body8`` must use the USCC character set (no I, O, Z, S, V), since it becomes part of
    the USCC; its GB 11714 check character is computed here.
    """
    _need(prefix2, 2, _USCC_SET, "prefix2")
    _need(region6, 6, _DIGIT_SET, "region6")
    _need(org_body8, 8, _USCC_SET, "org_body8")
    first17 = prefix2 + region6 + make_orgcode(org_body8)
    return first17 + uscc_check_char(first17)


def make_citizen_id(region6: str, birth: date, seq3: int) -> str:
    """A valid citizen ID number: region + YYYYMMDD + 3-digit sequence (odd = male) + check."""
    _need(region6, 6, _DIGIT_SET, "region6")
    if not isinstance(birth, date) or birth.year < 1900:
        raise ValueError(f"birth: expected a date on or after 1900-01-01, got {birth!r}")
    if isinstance(seq3, bool) or not isinstance(seq3, int) or not 0 <= seq3 <= 999:
        raise ValueError(f"seq3: expected an int 0..999, got {seq3!r}")
    first17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return first17 + citizen_id_check_char(first17)


# --------------------------------------------------------------------------------------------
# Masking for reports. Never raise; masking a masked value changes nothing; values too short to
# keep anything safely are masked completely.
# --------------------------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def mask_citizen_id(value: Any) -> str:
    """Keep the first 6 and last 4 characters: ``11010519491231002X`` → ``110105********002X``.

    Values shorter than 15 characters (not an ID; keeping 10 would show most of it) are fully
    masked. Length is kept.
    """
    text = _as_text(value)
    if len(text) < 15:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_account(value: Any) -> str:
    """Keep the last 4 characters, mask the rest with ``*`` (length kept).

    Values shorter than 8 characters are fully masked (the last 4 would be half or more of them).
    """
    text = _as_text(value)
    if len(text) < 8:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def mask_name(value: Any) -> str:
    """Keep the first character: ``张三丰`` → ``张**``; a one-character value becomes ``*``."""
    text = _as_text(value)
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)
