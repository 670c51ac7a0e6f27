"""Issue 7 item 11 (regular expressions in profiles): linear time, refused with the reason, one meaning.

Every pattern a profile supplies runs on RE2 (``jincai.adapters.patterns``); what RE2 cannot do in
linear time is refused when the profile is loaded — so ``adapter check`` says so with the YAML path
and line, and ``translate`` exits 2, never 3 and never hangs. ``\\d \\s \\w`` keep Python's Unicode
meaning, and the columnar path (Rust's regex) gets the same translated text as the row path.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import paths
from jincai.adapters import patterns
from jincai.adapters.engine import translate
from jincai.adapters.profile import load_profile
from jincai.cli import app
from jincai.errors import JincaiError

PROFILE = {
    "id": "t_patterns",
    "name_zh": "测试",
    "name_en": "test",
    "source": {"format": "csv", "encoding": "utf-8"},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "filters": ["blank", "subtotal"],
    "targets": [
        {
            "entity": "payment_detail",
            "fields": {
                "pay_detail_id": "明细号",
                "pay_cert_id": "凭证号",
                "agency_code": "单位",
                "payee_acct_name": "收款人",
                "payee_acct_no": "账号",
                "payee_acct_bank_name": "开户行",
                "pay_amt": {"from": "金额", "transform": ["trim", "money"]},
                "add_word": "附言",
            },
        }
    ],
}
HEADER = "明细号,凭证号,单位,收款人,账号,开户行,金额,附言"


def _write_profile(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "profile.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _excel_profile(tmp_path: Path, sheets: list[str]) -> Path:
    data = yaml.safe_load((paths.ADAPTERS / "county_reports_excel" / "profile.yaml").read_text(encoding="utf-8"))
    data["source"]["sheets"] = sheets
    return _write_profile(tmp_path, data)


# ---- catastrophic backtracking -------------------------------------------------------------------


def test_issue7_11_nested_quantifier_pattern_on_a_35_character_cell_does_not_hang(tmp_path):
    """``^(a+)+$`` on ``a…a!`` takes 2**35 steps in Python's re; RE2 is linear. The row path (the
    one that used ``re``) runs in a child process so that a regression fails instead of hanging."""
    data = copy.deepcopy(PROFILE)
    data["filters"] = [
        "blank",
        {"kind": "match", "column": "附言", "pattern": "^(a+)+$", "code": "evil", "reason_zh": "测试", "reason_en": "test"},
        {"kind": "subtotal", "pattern": "^(a|a)*$"},
        {"kind": "notes_below", "pattern": "(a*)*b$"},
    ]
    data["targets"][0]["when"] = {"column": "附言", "pattern": "(a|aa)+"}
    p = _write_profile(tmp_path, data)
    src = tmp_path / "in.csv"
    evil = "a" * 35 + "!"
    src.write_text(f"{HEADER}\nA1,Z1,001001,{evil},6222020000000001,工行,1.00,{evil}\nA2,Z2,001001,张三,6222020000000002,工行,2.00,{'a' * 36}\n", encoding="utf-8")
    env = {**os.environ, "JINCAI_ADAPTER_ROWS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "jincai", "translate", "--profile", str(p), str(src), "--out", str(tmp_path / "out"), "--json", "-q"],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert r.returncode == 1, r.stderr  # row 1 is selected by no target (when), so it is rejected
    ledger = json.loads(r.stdout)
    assert ledger["rows"] == {"source": 2, "translated": 0, "rejected": 1, "filtered": 1} and ledger["reconciled"], ledger
    assert list(ledger["filtered_by_reason"]) == ["evil"]


# ---- refused with the YAML path, at check time ---------------------------------------------------


CASES = [
    ("when", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": "(合计"}), "targets[0].when.pattern", "regex-invalid"),
    ("unpivot", lambda d: d["targets"][0].update(unpivot={"pattern": "([0-9]+月", "key_as": "月份", "value_as": "金额"}), "targets[0].unpivot.pattern", "regex-invalid"),
    ("lookahead", lambda d: d["filters"].append({"kind": "match", "column": "附言", "pattern": "合计(?!数)", "code": "x", "reason_zh": "x", "reason_en": "x"}), "filters[2].pattern", "regex-lookaround"),
    ("lookbehind", lambda d: d["filters"].append({"kind": "subtotal", "pattern": "(?<=本月)合计"}), "filters[2].pattern", "regex-lookaround"),
    ("backreference", lambda d: d["filters"].append({"kind": "notes_below", "pattern": r"^(注)\1"}), "filters[2].pattern", "regex-backreference"),
    ("word boundary", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": r"\bD\b"}), "targets[0].when.pattern", "regex-word-boundary"),
    ("verbose flag", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": "(?x) D # comment"}), "targets[0].when.pattern", "regex-flag"),
    ("too long", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": "a" * 1001}), "targets[0].when.pattern", "limit-regex-length"),
    ("too big for RE2", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": "((((a{100}){100}){100}){100})"}), "targets[0].when.pattern", "regex-invalid"),
    ("too much memory", lambda d: d["targets"][0].update(when={"column": "附言", "pattern": r"\w{1000}"}), "targets[0].when.pattern", "regex-invalid"),
    ("over the budget together", lambda d: d["filters"].extend({"kind": "subtotal", "pattern": rf"\w{{30}}{i}"} for i in range(6)), "filters[6].pattern", "limit-regex-program"),
]


@pytest.mark.parametrize("name, mutate, where, reason", CASES, ids=[c[0] for c in CASES])
def test_issue7_11_patterns_translate_would_fail_on_are_refused_by_check_with_path_and_line(tmp_path, name, mutate, where, reason):
    data = copy.deepcopy(PROFILE)
    mutate(data)
    p = _write_profile(tmp_path, data)
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    err = e.value
    assert err.details["path"] == where and err.details["reason"] == reason, err
    assert err.code == (reason if reason.startswith("limit-") else "adapter-profile-invalid")
    assert err.details["line"] and f"{p}:{err.details['line']}" in err.location
    assert err.message_zh and err.message_en and err.message_zh != err.message_en
    r = CliRunner().invoke(app, ["adapter", "check", str(p)])
    assert r.exit_code == 1 and where in r.output, r.output
    src = tmp_path / "in.csv"
    src.write_text(f"{HEADER}\nA1,Z1,001001,张三,6222020000000001,工行,1.00,x\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["translate", "--profile", str(p), str(src), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and where in r.output, r.output


def test_issue7_11_invalid_excel_sheet_pattern_is_refused_by_check_not_crashing_translate(tmp_path):
    p = _excel_profile(tmp_path, ["填报说明", "re:(月报"])
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert e.value.details["path"] == "source.sheets[1]" and e.value.details["reason"] == "regex-invalid", e.value
    assert f"{p}:" in e.value.location
    r = CliRunner().invoke(app, ["adapter", "check", str(p)])
    assert r.exit_code == 1 and "source.sheets[1]" in r.output, r.output
    sample = next((paths.ADAPTERS / "county_reports_excel" / "samples").glob("*.xlsx"))
    r = CliRunner().invoke(app, ["translate", "--profile", str(p), str(sample), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    # a valid pattern still selects the sheets, as a full match (RE2)
    p = _excel_profile(tmp_path, ["re:月报.*"])
    assert load_profile(p).source.options()["sheets"] == ["re:月报.*"]
    lg = translate(load_profile(p), [str(sample)], tmp_path / "ok")
    assert lg.reconciled and lg.translated > 0


# ---- one meaning: Python's classes, RE2's engine, Rust's too ---------------------------------------


def test_issue7_11_perl_classes_keep_pythons_unicode_meaning_on_every_assigned_bmp_character():
    compiled = {cls: (re.compile(cls), patterns.compile(cls)) for cls in (r"\d", r"\s", r"\w", r"\D", r"\S", r"\W")}
    for cp in range(0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(ch) == "Cn":
            continue  # unassigned in Python's Unicode tables (RE2's may be newer)
        for cls, (py, r2) in compiled.items():
            assert (py.fullmatch(ch) is not None) == r2.matches_whole(ch), (cls, hex(cp))


def test_issue7_11_what_clerks_write_matches_as_before():
    assert patterns.compile(r"(合|小|总)\s*计$").found_in("合　计")  # U+3000 between the characters
    assert patterns.compile(r"^\d+$").found_in("２０２４")  # full-width digits are \d (Python), not [0-9]
    assert not patterns.compile(r"^[0-9]+$").found_in("２０２４")
    assert patterns.compile(r"\w+").matches_whole("收入合计")
    assert patterns.compile("1[0-9].*").matches_whole("101 税收收入") and not patterns.compile("1[0-9].*").found_in("2 x")
    assert patterns.compile("计").found_in("合计") and not patterns.compile("计").matches_whole("合计")
    assert patterns.compile(r"\u3000").found_in("合\u3000计") and patterns.compile(r"\N{IDEOGRAPHIC SPACE}").found_in("\u3000")
    # $ is the end of the text (RE2, Rust, JavaScript), not "or before a final newline" (Python)
    assert not patterns.compile("计$").found_in("合计\n") and patterns.compile("计$").found_in("合计")
    m = patterns.compile(r"(?P<key>[0-9]+)月/(?P<value>.*)").fullmatch("12月/本月")
    assert m.group("key") == "12" and m.group("value") == "本月"


def test_issue7_11_row_and_columnar_paths_agree_on_unicode_classes(tmp_path):
    data = copy.deepcopy(PROFILE)
    data["filters"] = [
        "blank",
        {"kind": "subtotal", "columns": ["收款人"], "pattern": r"^(合|小)\s*计$"},
        {"kind": "match", "column": "附言", "pattern": r"^\d+$", "code": "digits-only", "reason_zh": "只有数字", "reason_en": "digits only"},
        {"kind": "match", "column": "附言", "pattern": r"\W作废", "code": "voided", "reason_zh": "作废", "reason_en": "voided"},
    ]
    p = _write_profile(tmp_path, data)
    rows = [
        "A1,Z1,001001,张三,6222020000000001,工行,1.00,正常",
        "A2,Z2,001001,合\u3000计,6222020000000002,工行,2.00,",  # ideographic space: a subtotal
        "A3,Z3,001001,合\u2003计,6222020000000003,工行,3.00,",  # em space: also \s in Python
        "A4,Z4,001001,李四,6222020000000004,工行,4.00,２０２４",  # full-width digits: \d in Python
        "A5,Z5,001001,王五,6222020000000005,工行,5.00,2024",
        "A6,Z6,001001,赵六,6222020000000006,工行,6.00,【作废",
        "A7,Z7,001001,钱七,6222020000000007,工行,7.00,已作废",  # 已 is \w: not \W
    ]
    src = tmp_path / "in.csv"
    src.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    profile = load_profile(p)
    col = translate(profile, [str(src)], tmp_path / "col")
    os.environ["JINCAI_ADAPTER_ROWS"] = "1"
    try:
        row = translate(profile, [str(src)], tmp_path / "row")
    finally:
        del os.environ["JINCAI_ADAPTER_ROWS"]
    assert set(col.paths.values()) == {"columnar"} and all(v.startswith("rows") for v in row.paths.values())
    for lg in (col, row):
        assert lg.reconciled and lg.filtered == 5 and lg.translated == 2, lg.to_json()
    assert (tmp_path / "col" / "payment_detail.jsonl").read_bytes() == (tmp_path / "row" / "payment_detail.jsonl").read_bytes()


# ---- hypothesis: random patterns ------------------------------------------------------------------

ALPHABET = ["a", "b", "1", "合", "计", "\u3000", " ", "２", "-"]
ATOMS = ["a", "b", "1", "合", "计", r"\d", r"\s", r"\w", r"\D", r"\S", r"\W", ".", "[a1]", "[^a]", r"[\d\s]", "^", "$", r"\u3000", r"\-"]
REFUSED = [(r"(?=a)", "regex-lookaround"), (r"(?<!b)", "regex-lookaround"), (r"(a)\1", "regex-backreference"), (r"\b", "regex-word-boundary"), (r"(?>a)", "regex-atomic-group")]


@st.composite
def regexes(draw, depth: int = 0):
    kind = draw(st.sampled_from(["atom", "atom", "seq", "alt", "group", "quant", "refused"] if depth < 4 else ["atom"]))
    if kind == "atom":
        return draw(st.sampled_from(ATOMS)), None
    if kind == "refused":
        return draw(st.sampled_from(REFUSED))
    if kind == "seq" or kind == "alt":
        parts = [draw(regexes(depth + 1)) for _ in range(draw(st.integers(2, 3)))]
        glue = "" if kind == "seq" else "|"
        return glue.join(p for p, _ in parts), next((r for _, r in parts if r), None)
    inner, refused = draw(regexes(depth + 1))
    if kind == "group":
        return draw(st.sampled_from(["({})", "(?:{})", "(?i:{})"])).format(inner), refused
    return f"(?:{inner}){draw(st.sampled_from(['*', '+', '?', '{1,2}', '*?', '{,2}']))}", refused


@given(regexes(), st.lists(st.text(st.sampled_from(ALPHABET), max_size=8), min_size=1, max_size=6))
@settings(max_examples=300)
def test_issue7_11_random_patterns_are_refused_with_a_reason_or_match_as_python_does(case, texts):
    source, refused = case
    try:
        rx = patterns.compile(source)
    except patterns.PatternError as exc:
        event(exc.code)
        assert exc.zh and exc.en
        assert refused is not None or exc.code == "regex-invalid", (source, exc.code)
        return
    assert refused is None, source
    try:
        py = re.compile(source)
    except re.error:
        event("python refuses, RE2 accepts")  # e.g. ^* — RE2's reading is the one that counts
        return
    event("compared")
    for t in texts:  # no newline in the texts: Python's $ would also match before a final one
        assert rx.found_in(t) == (py.search(t) is not None), (source, t)
        assert rx.matches_whole(t) == (py.fullmatch(t) is not None), (source, t)


EVIL = ["(a+)+", "(a|a)*", "(a*)*b", "(a|aa)+$", "((a+)+)+c", "(.*a){12}", r"(\w+\s?)+$", "^(([a-z])+.)+[A-Z]([a-z])+$"]


@given(st.sampled_from(EVIL), st.sampled_from(["", "^", "(?i)"]), st.integers(10, 5000), st.sampled_from(["!", "b", "", "\u3000"]))
@settings(max_examples=60, deadline=timedelta(seconds=20))  # a hang guard: backtracking would take years
def test_issue7_11_backtracking_shapes_run_in_bounded_time(pattern, prefix, n, tail):
    rx = patterns.compile(prefix + pattern)
    text = "a" * n + tail
    rx.found_in(text)
    rx.matches_whole(text)


# ---- a character every match needs (the columnar subtotal filter's cheap test of a batch) ----

_ATOMS = st.sampled_from(["合", "计", "a", "b", r"\s", ".", "[ab]", "[^a]", r"\d", "(?i:a)"])


@st.composite
def _regexes(draw, depth=0):
    """Small patterns: sequences, alternations, groups and repeats of a few atoms."""
    if depth > 2:
        return draw(_ATOMS)
    kind = draw(st.sampled_from(["atom", "seq", "alt", "group", "repeat"]))
    if kind == "atom":
        return draw(_ATOMS)
    if kind == "seq":
        return "".join(draw(st.lists(_regexes(depth + 1), min_size=1, max_size=3)))
    if kind == "alt":
        return "|".join(draw(st.lists(_regexes(depth + 1), min_size=2, max_size=3)))
    if kind == "group":
        return "(" + draw(_regexes(depth + 1)) + ")"
    return "(?:" + draw(_regexes(depth + 1)) + ")" + draw(st.sampled_from(["*", "+", "?", "{2}", "{0,2}", "{1,3}"]))


@given(_regexes(), st.lists(st.text(alphabet="合计abA 1\u3000", max_size=8), min_size=1, max_size=20), st.booleans())
@settings(max_examples=300, deadline=None)
def test_every_match_holds_the_required_character(pattern, cells, anchored):
    source = ("^" if anchored else "") + pattern
    need = patterns.required_char(source)
    if need is None:
        return
    event("a character is required")
    compiled = patterns.compile(source)
    for cell in cells:
        if compiled.found_in(cell):
            assert need in cell, (source, cell, need)


def test_the_default_subtotal_pattern_needs_ji():
    from jincai.adapters.profile import DEFAULT_NOTES_PATTERN, DEFAULT_SUBTOTAL_PATTERN

    assert patterns.required_char(DEFAULT_SUBTOTAL_PATTERN) == "计"
    assert patterns.required_char(DEFAULT_NOTES_PATTERN) is None  # 注 | 说明 | …: nothing in common
    assert patterns.required_char("(?i)total") is None
