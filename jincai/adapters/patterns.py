"""Regular expressions that a profile supplies, matched in linear time.

Python's ``re`` backtracks: ``^(a+)+$`` on a 35-character cell never ends, and a profile is data
that anyone may write. Every pattern a profile gives — filters (``match``, ``subtotal``,
``notes_below``), ``when``, ``unpivot``, Excel ``sheets: ["re:…"]`` — is compiled here, once, when
the profile is loaded, and runs on RE2 (``google-re2``), whose matching time is linear in the text.

The syntax is RE2's, which is Python's less what needs backtracking: look-around ``(?=…)``,
``(?!…)``, ``(?<=…)``, ``(?<!…)``, backreferences ``\\1`` ``(?P=name)``, atomic groups and possessive
quantifiers, conditionals, ``(?x)`` verbose mode and ``(?#…)`` comments are refused with the reason.
The meaning stays Python's where the two differ quietly:

* ``\\d \\s \\w`` (and ``\\D \\S \\W``) keep Python's Unicode meaning (RE2's are ASCII): ``\\s`` matches
  the ideographic space U+3000 of ``合　计``, ``\\d`` matches full-width digits — write ``[0-9]`` for
  ASCII digits (see LESSONS: the standard's own patterns do).
* ``\\uXXXX``, ``\\UXXXXXXXX``, ``\\N{NAME}`` and ``\\Z`` are written for RE2 (``\\x{…}``, ``\\z``).
* ``\\b`` and ``\\B`` are refused: RE2's word boundary is ASCII-only, Python's Unicode, and Chinese
  text would quietly match differently.
* ``$`` is the end of the text (as in RE2, Rust and JavaScript), not "or before a final newline" as in
  Python (LESSONS: a pitfall, not a feature).

Whether a pattern is searched (``subtotal``, ``notes_below``, ``match``) or must match the whole
value (``when``, ``unpivot``, ``sheets``, ``match`` with ``fullmatch: true``) is unchanged. The same
translated text is what the columnar engine (polars, Rust's regex) receives, so both paths agree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import re2
from re2 import _re2  # the binding's RE2 object: the yes/no matchers call it directly

from jincai import limits

# Python's \s for str: the characters for which str.isspace() is true
_SPACE = r"\t\n\x{0B}\f\r\x{1C}-\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"
# Python's \w for str: str.isalnum() (letters and numbers) and the underscore
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"

_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_WHOLE = _re2.RE2.Anchor.ANCHOR_BOTH

#: RE2's memory for one pattern (its default): a pattern whose program does not fit, such as
#: ``\w{1000}``, is refused; the DFA RE2 builds while matching stays within it (then it falls back
#: to its NFA, still linear)
_MAX_MEM = 8 << 20


class PatternError(ValueError):
    """A pattern that cannot be used: a code, and the reason in Chinese and English."""

    def __init__(self, code: str, zh: str, en: str, details: dict | None = None):
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en
        self.details = details or {}
        self.where: tuple = ()  # the pattern's place inside the option that holds it (a list index)


@dataclass(frozen=True)
class Pattern:
    """A compiled profile pattern: ``source`` is the text as written, ``translated`` what RE2 runs.

    ``found_in``/``matches_whole`` answer yes or no (the hot path of filters: straight to RE2,
    without captures — the ``re``-like wrapper costs several times more per call);
    ``fullmatch`` gives a match with its groups (``.group(1)``, ``.group("key")``) or ``None``."""

    source: str
    translated: str
    _test: Any = field(repr=False, compare=False)

    @property
    def program_size(self) -> int:
        """RE2's size of the compiled pattern (instructions): what it costs to keep it."""
        return self._test.ProgramSize()

    @property
    def groups(self) -> int:
        return _with_groups(self.translated).groups

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(_with_groups(self.translated).groupindex)

    def found_in(self, text: str) -> bool:
        """``re.search`` semantics: somewhere in the text."""
        b = text.encode("utf-8", "surrogatepass")
        return self._test.Match(_UNANCHORED, b, 0, len(b))[0][0] >= 0

    def matches_whole(self, text: str) -> bool:
        """``re.fullmatch`` semantics: the whole text."""
        b = text.encode("utf-8", "surrogatepass")
        return self._test.Match(_WHOLE, b, 0, len(b))[0][0] >= 0

    def fullmatch(self, text: str) -> Any:
        return _with_groups(self.translated).fullmatch(text)


def compile(source: str) -> Pattern:  # noqa: A001 - the name says what it does, as re.compile
    """The pattern, or ``PatternError`` with the reason (too long, unsupported, invalid)."""
    if not isinstance(source, str):
        raise PatternError("regex-invalid", "正则表达式应为文本", "a regular expression must be text")
    if len(source) > limits.limit("regex_length"):  # before the cache: the limit may change
        e = limits.exceeded("regex_length", len(source))
        raise PatternError(e.code, e.message_zh, e.message_en, e.details)
    return _compile(source)


@lru_cache(maxsize=1024)
def _compile(source: str) -> Pattern:
    translated = translate(source)
    options = re2.Options()
    options.max_mem = _MAX_MEM
    options.log_errors = False
    options.never_capture = True  # yes/no answers need no groups; fullmatch() makes its own
    test = _re2.RE2(translated.encode("utf-8"), options)
    if not test.ok():
        why = test.error()
        why = why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)
        raise PatternError(
            "regex-invalid",
            f"正则表达式无效（RE2）：{why}",
            f"invalid regular expression (RE2): {why}",
            {"pattern": source},
        )
    return Pattern(source, translated, test)


@lru_cache(maxsize=64)
def _with_groups(translated: str) -> Any:
    """The ``re``-like RE2 object with captures, made only for the few uses that need groups
    (``unpivot`` patterns are matched against column names, not cells)."""
    options = re2.Options()
    options.max_mem = _MAX_MEM
    options.log_errors = False
    return re2.compile(translated, options)


def check(source: Any) -> None:
    """Raise ``PatternError`` unless ``source`` compiles (for pydantic validators)."""
    compile(source)


def translate(source: str) -> str:
    """Python-flavoured pattern text → RE2 text with the same meaning (see the module docstring),
    or ``PatternError`` for what RE2 cannot do in linear time."""
    out: list[str] = []
    i, n = 0, len(source)
    in_class = False
    class_start = 0  # index in out where the current class's body starts
    while i < n:
        c = source[i]
        if c == "\\":
            if i + 1 >= n:
                raise _refuse("regex-invalid", "正则表达式以反斜杠结尾", "the pattern ends with a backslash")
            d = source[i + 1]
            i += 2
            if d in "dDsSwW":
                out.append(_perl_class(d, in_class))
            elif d == "b" and in_class:  # Python: a backspace inside a class
                out.append(r"\x{08}")
            elif d in "bB":
                raise _refuse(
                    "regex-word-boundary",
                    f"不支持 \\{d}：RE2 的单词边界只认 ASCII 字母数字，与 Python 对中文的理解不同；请改用明确的字符（如 (^|[^0-9]) 或 \\s）",
                    f"\\{d} is not supported: RE2's word boundary knows ASCII letters only and would treat Chinese text differently from Python; write the characters explicitly (e.g. (^|[^0-9]) or \\s)",
                )
            elif d in "123456789" and not in_class:
                raise _refuse("regex-backreference", f"不支持反向引用 \\{d}（无法线性时间匹配）", f"backreferences such as \\{d} are not supported (they cannot be matched in linear time)")
            elif d == "Z":
                out.append(r"\z")
            elif d == "u" or d == "U":
                width = 4 if d == "u" else 8
                hexdigits = source[i : i + width]
                if len(hexdigits) != width or any(h not in "0123456789abcdefABCDEF" for h in hexdigits):
                    raise _refuse("regex-invalid", f"\\{d} 后应有 {width} 位十六进制数", f"\\{d} must be followed by {width} hex digits")
                out.append(f"\\x{{{hexdigits}}}")
                i += width
            elif d == "N" and i < n and source[i] == "{":
                end = source.find("}", i)
                if end < 0:
                    raise _refuse("regex-invalid", "\\N{…} 没有结束的 }", "\\N{…} is not closed")
                name = source[i + 1 : end]
                try:
                    ch = unicodedata.lookup(name)
                except KeyError:
                    raise _refuse("regex-invalid", f"未知的字符名 {name}", f"unknown character name {name}") from None
                out.append(f"\\x{{{ord(ch):X}}}")
                i = end + 1
            elif not d.isascii() or not d.isalnum():
                out.append(f"\\x{{{ord(d):X}}}")  # an escaped literal (RE2 refuses some, e.g. "\\ ")
            else:
                out.append("\\" + d)
            continue
        if in_class:
            if c == "]" and len(out) > class_start:
                in_class = False
            elif c == "[" and source.startswith("[:", i) and ":]" in source[i:]:
                end = source.index(":]", i) + 2  # POSIX [:alpha:], RE2's meaning
                out.append(source[i:end])
                i = end
                continue
            if c in "[&~":  # literal in Python and RE2; nesting and set operators in Rust's regex
                out.append(f"\\x{{{ord(c):X}}}")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and source[i] == "^":
                out.append("^")
                i += 1
            class_start = len(out)
            if i < n and source[i] == "]":  # a leading ] is a literal
                out.append(r"\]")
                i += 1
            continue
        if c == "(" and source.startswith("(?", i):
            _check_group(source, i)
        if c == "{" and i + 1 < n and source[i + 1] == ",":
            # Python reads {,n} as {0,n}; RE2 would read it as literal text
            j = i + 2
            while j < n and source[j].isdigit():
                j += 1
            if j < n and source[j] == "}" and j > i + 2:
                out.append("{0," + source[i + 2 : j] + "}")
                i = j + 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _perl_class(d: str, in_class: bool) -> str:
    body = {"d": _DIGIT, "s": _SPACE, "w": _WORD}[d.lower()]
    if d == "d":
        return _DIGIT
    if d == "D":
        return r"\P{Nd}"
    if d.islower():
        return body if in_class else f"[{body}]"
    if in_class:
        raise _refuse(
            "regex-class-negation",
            f"字符类 […] 中不支持 \\{d}；请写在类外，如 (?:\\{d}|x)",
            f"\\{d} inside a character class […] is not supported; write it outside, e.g. (?:\\{d}|x)",
        )
    return f"[^{body}]"


def _check_group(source: str, i: int) -> None:
    """Refuse the group kinds RE2 has no linear-time equivalent for, with the reason."""
    rest = source[i + 2 : i + 4]
    if rest[:1] in ("=", "!") or rest in ("<=", "<!"):
        raise _refuse(
            "regex-lookaround",
            "不支持前瞻/后顾断言 (?=…) (?!…) (?<=…) (?<!…)（无法线性时间匹配）；请改写为普通匹配，或用多个过滤规则",
            "look-ahead and look-behind (?=…) (?!…) (?<=…) (?<!…) are not supported (they cannot be matched in linear time); rewrite the pattern or use several filters",
        )
    if rest[:2] == "P=":
        raise _refuse("regex-backreference", "不支持命名反向引用 (?P=…)", "named backreferences (?P=…) are not supported")
    if rest[:1] == ">":
        raise _refuse("regex-atomic-group", "不支持原子组 (?>…)", "atomic groups (?>…) are not supported")
    if rest[:1] == "(":
        raise _refuse("regex-conditional", "不支持条件分组 (?(…)…)", "conditional groups (?(…)…) are not supported")
    if rest[:1] == "#":
        raise _refuse("regex-comment", "不支持注释 (?#…)；请删去", "comments (?#…) are not supported; remove them")
    flags = ""
    j = i + 2
    while j < len(source) and source[j].isalpha():
        flags += source[j]
        j += 1
    if j < len(source) and source[j] in ":)" and flags:
        bad = [f for f in flags if f in "xaLu"]
        if bad:
            raise _refuse(
                "regex-flag",
                f"不支持内联标志 {''.join(bad)}（可用 i、m、s、U）",
                f"the inline flag {''.join(bad)} is not supported (available: i, m, s, U)",
            )


def _refuse(code: str, zh: str, en: str) -> PatternError:
    return PatternError(code, zh, en)


@lru_cache(maxsize=256)
def required_char(source: str) -> str | None:
    """A character that every match of ``source`` contains, or ``None`` when there is none (or the
    pattern is not plain enough to tell). ``合\\s*计|小\\s*计`` → ``计``: a cell without it cannot
    match, which a batch can learn with a literal search, many times cheaper than the pattern.
    Sound, not complete: case-insensitive patterns and anything unusual give ``None``."""
    try:
        from re import _parser as sre  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as sre  # type: ignore[no-redef]
    import re

    try:
        parsed = sre.parse(source)
    except Exception:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None

    def needs(items: Any) -> set[str]:  # what every match of the sequence contains (maybe not all of it)
        out: set[str] = set()
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.add(chr(av))
            elif name == "SUBPATTERN":
                _group, add_flags, _del_flags, sub = av
                if add_flags & re.IGNORECASE:
                    continue
                out |= needs(sub)
            elif name == "BRANCH":
                branches = [needs(b) for b in av[1]]
                out |= set.intersection(*branches) if branches else set()
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, _high, sub = av
                if low >= 1:
                    out |= needs(sub)
        return out

    found = needs(parsed)
    return min(found) if found else None
