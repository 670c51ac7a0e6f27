"""Issue 7 items 11 (YAML) and 3 (files a profile names): a profile is data, bounded and confined.

The YAML loader (``jincai.yaml_load``) refuses alias bombs, deep nesting, oversized files, recursive
aliases and duplicate keys with a code and ``file:line:column``; a crosswalk can only be a regular
file inside the profile's folder, within its size limit, and no error shows what such a file holds.
``adapter check`` refuses all of it with exit 1, ``translate`` with exit 2 — never 3, never a hang.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jincai import limits, yaml_load
from jincai.adapters.profile import load_profile, parse_profile
from jincai.cli import app
from jincai.errors import JincaiError

PROFILE = {
    "id": "t_safety",
    "name_zh": "测试",
    "name_en": "test",
    "source": {"format": "csv", "encoding": "utf-8"},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "filters": ["blank"],
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
            },
        }
    ],
}

CSV = "明细号,凭证号,单位,收款人,账号,开户行,金额\nA1,Z1,001001,张三,6222020000000001,工行,1.00\n"


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic anchor bomb as a profile: a few KB that expand to width**levels nodes."""
    lines = ["id: t_bomb", "name_zh: 炸弹", "name_en: bomb", "source: {format: csv}", f"l0: &l0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    lines.append(f"targets: [{{entity: payment_detail, fields: {{pay_amt: *l{levels - 1}}}}}]")
    return "\n".join(lines) + "\n"


def _check(path: Path) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["adapter", "check", str(path)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output


def _translate(profile: Path, tmp_path: Path) -> tuple[int, str]:
    src = tmp_path / "in.csv"
    src.write_text(CSV, encoding="utf-8")
    r = CliRunner().invoke(app, ["translate", "--profile", str(profile), str(src), "--out", str(tmp_path / "out"), "-q"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.output


# ---- item 11: YAML -----------------------------------------------------------------------------


def test_issue7_11_yaml_anchor_bomb_in_a_profile_is_refused_before_it_expands(tmp_path):
    text = _billion_laughs()
    assert len(text.encode()) < 4096  # the 3.8 KB of the finding: 9**9 = 387 M nodes expanded
    p = tmp_path / "profile.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert e.value.code == "limit-yaml-nodes"
    assert str(p) in e.value.location and e.value.location.count(":") >= 2  # file:line:column
    code, out = _check(p)
    assert code == 1 and "limit-yaml-nodes" in out
    code, out = _translate(p, tmp_path)
    assert code == 2 and "limit-yaml-nodes" in out


def test_issue7_11_yaml_aliases_are_counted(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_YAML_ALIASES", "3")
    text = "a: &a x\nb: [*a, *a, *a, *a]\n"
    with pytest.raises(JincaiError) as e:
        yaml_load.load(text, "p.yaml")
    assert e.value.code == "limit-yaml-aliases"
    assert e.value.location == "p.yaml:2:17"  # the fourth alias
    monkeypatch.setenv("JINCAI_LIMIT_YAML_ALIASES", "4")
    assert yaml_load.load(text, "p.yaml") == {"a": "x", "b": ["x"] * 4}


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n", "- " * 2000 + "x\n"])
def test_issue7_11_deeply_nested_profile_yaml_is_a_depth_error_not_a_recursion_error(tmp_path, nested):
    p = tmp_path / "profile.yaml"
    p.write_text(nested, encoding="utf-8")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    # libyaml stops flow nesting at 1,000 levels itself (a syntax error with its position)
    assert e.value.code in ("limit-yaml-depth", "adapter-profile-invalid"), e.value
    assert e.value.location.startswith(f"{p}:")
    code, out = _check(p)
    assert code == 1, out


def test_issue7_11_oversized_profile_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setenv("JINCAI_LIMIT_PROFILE_BYTES", "1000")
    p = tmp_path / "profile.yaml"
    p.write_text("id: x\n" + "# padding\n" * 200, encoding="utf-8")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert e.value.code == "limit-profile-bytes"
    assert _check(p)[0] == 1


def test_issue7_11_recursive_alias_and_duplicate_key_and_python_tag_are_coded_with_line_and_column(tmp_path):
    p = tmp_path / "profile.yaml"
    for text, reason, where in (
        ("a: &x [1, *x]\n", "yaml-recursive-alias", ":1:11"),
        ("id: a\nname_zh: b\nid: c\n", "yaml-duplicate-key", ":3:1"),
        ("id: !!python/object/apply:os.system [echo hi]\n", "yaml-tag-refused", ":1:5"),
        ("id: [unclosed\n", "yaml-syntax", ":2:1"),
    ):
        p.write_text(text, encoding="utf-8")
        with pytest.raises(JincaiError) as e:
            load_profile(p)
        assert e.value.code == "adapter-profile-invalid" and e.value.details["reason"] == reason, (text, e.value)
        assert e.value.location == f"{p}{where}", (text, e.value.location)
        assert e.value.message_zh and e.value.message_en and e.value.message_zh != e.value.message_en
        assert _check(p)[0] == 1


def test_issue7_11_every_yaml_jincai_reads_goes_through_the_bounded_loader():
    """No other module parses YAML on its own (one loader, one set of limits)."""
    root = Path(__file__).resolve().parents[1] / "jincai"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "yaml_load.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("yaml.safe_load", "yaml.load(", "yaml.compose", "yaml.full_load", "yaml.unsafe_load", "yaml.parse("):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


# hypothesis: random documents with anchors and aliases, nested to random depths


@st.composite
def yaml_documents(draw):
    """YAML text in flow style with anchors and aliases (only to finished nodes), and its depth."""
    anchors: list[str] = []
    counter = [0]

    def node(depth: int) -> tuple[str, int]:
        kinds = ["list", "map"] if depth == 0 else ["scalar", "alias", "alias", "list", "map"] if depth < 12 else ["scalar", "alias"]
        kind = draw(st.sampled_from(kinds))
        if kind == "alias" and anchors:
            return f"*{draw(st.sampled_from(anchors))}", 0
        if kind in ("scalar", "alias"):
            return draw(st.sampled_from(["x", "1", "'合计'", "null", "2.5", "''"])), 0
        n = draw(st.integers(0, 4))
        parts, deepest = [], 0
        for i in range(n):
            text, d = node(depth + 1)
            parts.append(f"k{i}: {text}" if kind == "map" else text)
            deepest = max(deepest, d)
        body = ("{" + ", ".join(parts) + "}") if kind == "map" else ("[" + ", ".join(parts) + "]")
        if draw(st.booleans()):
            counter[0] += 1
            name = f"a{counter[0]}"
            anchors.append(name)
            body = f"&{name} {body}"
        return body, deepest + 1

    return node(0)


def _expanded(value, seen=None) -> int:
    """Node count with aliases expanded (shared objects counted each time), as the limit counts."""
    if isinstance(value, dict):
        return 1 + sum(1 + _expanded(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_expanded(v) for v in value)
    return 1


@given(yaml_documents(), st.integers(1, 12), st.integers(0, 8), st.integers(5, 3000))
@settings(max_examples=200)
def test_issue7_11_bounded_loader_equals_pyyaml_within_the_limits_and_refuses_beyond(doc, max_depth, max_aliases, max_nodes):
    text, depth = doc
    reference = yaml.load(text, Loader=yaml.SafeLoader)  # the pure-Python loader, no limits
    aliases = text.count("*")
    old = dict(limits._overrides)
    limits.configure(yaml_depth=max_depth, yaml_aliases=max_aliases, yaml_nodes=max_nodes)
    try:
        try:
            got = yaml_load.load(text, "doc.yaml")
        except JincaiError as e:
            assert e.code in ("limit-yaml-depth", "limit-yaml-aliases", "limit-yaml-nodes"), e
            assert e.location.startswith("doc.yaml:1:")
            event(e.code)
            if e.code == "limit-yaml-depth":
                assert depth > max_depth
            elif e.code == "limit-yaml-aliases":
                assert aliases > max_aliases
            else:
                assert _expanded(reference) > max_nodes
            return
        event("loaded")
        assert got == reference
        assert depth <= max_depth and aliases <= max_aliases and _expanded(reference) <= max_nodes
    finally:
        limits._overrides.clear()
        limits._overrides.update(old)


# ---- item 3: files a profile names ---------------------------------------------------------------


def _with_crosswalk(tmp_path: Path, target: str) -> Path:
    data = copy.deepcopy(PROFILE)
    data["crosswalks"] = {"old": target}
    data["targets"][0]["fields"]["agency_code"] = {"from": "单位", "transform": [{"crosswalk": "old"}]}
    p = tmp_path / "profile.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _secrets_absent(text: str) -> None:
    assert "root:x:" not in text  # /etc/passwd's first line
    for key in ("PATH=", "HOME="):
        assert key not in text  # /proc/self/environ


@pytest.mark.parametrize(
    "target, reason",
    [
        ("/etc/passwd", "profile-file-outside"),
        ("../../../../../../etc/passwd", "profile-file-outside"),
        ("/proc/self/environ", "profile-file-outside"),
        ("/dev/zero", "profile-file-outside"),
        ("link_passwd.csv", "profile-file-outside"),  # a symlink inside the folder to /etc/passwd
        ("link_zero.csv", "profile-file-outside"),
        ("subdir", "profile-file-not-regular"),
        ("fifo.csv", "profile-file-not-regular"),
        ("missing.csv", "profile-file-missing"),
    ],
)
def test_issue7_03_crosswalk_path_is_confined_to_the_profile_folder(tmp_path, target, reason):
    (tmp_path / "link_passwd.csv").symlink_to("/etc/passwd")
    (tmp_path / "link_zero.csv").symlink_to("/dev/zero")
    (tmp_path / "subdir").mkdir()
    os.mkfifo(tmp_path / "fifo.csv")  # opening it would block: it is never opened
    p = _with_crosswalk(tmp_path, target)
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert e.value.details["reason"] == reason and e.value.details["path"] == "crosswalks.old", e.value
    assert f"{p}:" in e.value.location  # the YAML line of crosswalks.old
    _secrets_absent(str(e.value))
    code, out = _check(p)
    assert code == 1, out
    _secrets_absent(out)
    code, out = _translate(p, tmp_path)
    assert code == 2, out
    _secrets_absent(out)


def test_issue7_03_crosswalk_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    (tmp_path / "cw.csv").write_text("from,to\n" + "".join(f"{i:06d},2010101\n" for i in range(200)), encoding="utf-8")
    p = _with_crosswalk(tmp_path, "cw.csv")
    assert load_profile(p).crosswalk_tables()["old"].table["000001"] == "2010101"
    monkeypatch.setenv("JINCAI_LIMIT_PROFILE_FILE_BYTES", "1000")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert e.value.code == "limit-profile-file-bytes"
    assert _check(p)[0] == 1


def test_issue7_03_crosswalk_errors_do_not_echo_the_file(tmp_path):
    (tmp_path / "cw.csv").write_text("s3cr3t:x:0:0:s3cr3t\nanother s3cr3t line\n", encoding="utf-8")
    p = _with_crosswalk(tmp_path, "cw.csv")
    with pytest.raises(JincaiError) as e:
        load_profile(p)
    assert "from" in e.value.message_en and "s3cr3t" not in str(e.value)


def test_issue7_03_a_profile_without_a_folder_cannot_name_files(tmp_path):
    data = copy.deepcopy(PROFILE)
    data["crosswalks"] = {"old": "cw.csv"}
    with pytest.raises(JincaiError) as e:
        parse_profile(data, "<inline>", None, None)
    assert e.value.details["reason"] == "profile-file-no-folder"
    assert e.value.details["path"] == "crosswalks.old"
    # without file references an inline profile is fine
    assert parse_profile(copy.deepcopy(PROFILE), "<inline>", None, None).folder is None
