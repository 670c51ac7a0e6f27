"""Issue 8 #12 (start-up): the C YAML loader, a digest-keyed cache that gives exactly what parsing
gives (stale and tampered entries are never used), and a ``--help`` that loads no heavy library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jincai import cache, paths, yaml_load
from jincai.standard import load_standard
from jincai.validation import sql_rules
from jincai.validation.catalogue import load_catalogue


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("JINCAI_CACHE_DIR", str(d))
    monkeypatch.delenv("JINCAI_CACHE", raising=False)
    return d


def _parsed(monkeypatch):
    """The standard and catalogue parsed from the YAML, with the cache off."""
    monkeypatch.setenv("JINCAI_CACHE", "off")
    std = load_standard()
    cat = load_catalogue(std=std)
    monkeypatch.delenv("JINCAI_CACHE")
    return std, cat


def _no_parsing(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("parsed although the cache holds the file")

    monkeypatch.setattr(yaml_load, "load", refuse)


def test_issue8_12_standard_and_catalogue_from_the_cache_equal_parsing(cache_dir, monkeypatch):
    std, cat = _parsed(monkeypatch)
    assert not cache_dir.exists() or not any(cache_dir.rglob("*.json"))
    cold_std = load_standard()  # parses and fills the cache
    cold_cat = load_catalogue(std=cold_std)
    entries = sorted(cache_dir.glob("yaml/*.json"))
    assert len(entries) >= 3
    for e in entries:
        assert oct(e.stat().st_mode & 0o777) == oct(0o600), e
    _no_parsing(monkeypatch)
    warm_std = load_standard()  # every file from the cache
    warm_cat = load_catalogue(std=warm_std)
    for a, b in ((std, cold_std), (std, warm_std), (cat, cold_cat), (cat, warm_cat)):
        assert a == b
        assert repr(a) == repr(b)  # types too: 1 is not 1.0, "1" is not 1
        assert json.dumps(a.model_dump(mode="json"), sort_keys=True) == json.dumps(b.model_dump(mode="json"), sort_keys=True)


def test_issue8_12_rendered_sql_from_the_cache_equals_rendering(cache_dir, monkeypatch):
    rules = sql_rules.sql_rules()
    assert rules
    years = ("2019", "2024")

    def render_all():
        sql_rules._prepare.cache_clear()
        out = []
        for rule in rules:
            for dialect in ("duckdb", "postgres"):
                for y in (None, years):
                    out.append([(s.sql, s.entity, sorted(s.reads)) for s in sql_rules.render(rule, dialect, years=y)])
        return out

    monkeypatch.setenv("JINCAI_CACHE", "off")
    reference = render_all()
    monkeypatch.delenv("JINCAI_CACHE")
    assert render_all() == reference  # cold: renders and fills the cache
    assert any(cache_dir.glob("sql-rules/*.json"))

    def no_sqlglot(*a, **k):
        raise AssertionError("rendered although the cache holds the result")

    monkeypatch.setattr(sql_rules, "_replace_tables", no_sqlglot)
    monkeypatch.setattr(sql_rules, "to_dialect", no_sqlglot)
    assert render_all() == reference  # warm: nothing rendered


def test_issue8_12_a_changed_file_misses_the_cache(cache_dir, tmp_path):
    root = tmp_path / "standards"
    shutil.copytree(paths.STANDARDS, root)
    before = load_standard(root)
    head = root / "standard.yaml"
    text = head.read_text(encoding="utf-8")
    assert before.name_en in text
    head.write_text(text.replace(before.name_en, before.name_en + " (edited)", 1), encoding="utf-8")
    after = load_standard(root)
    assert after.name_en == before.name_en + " (edited)"


def test_issue8_12_damaged_or_foreign_cache_entries_are_ignored(cache_dir, monkeypatch):
    std, _ = _parsed(monkeypatch)
    load_standard()
    entries = sorted(cache_dir.glob("yaml/*.json"))
    # 1. a value edited without its digest; 2. another key's entry copied in; 3. truncated; 4. not JSON
    e0 = json.loads(entries[0].read_text(encoding="utf-8"))
    e0["value"] = {"id": "evil"}
    entries[0].write_text(json.dumps(e0), encoding="utf-8")
    shutil.copy(entries[2], entries[1])
    entries[2].write_bytes(entries[2].read_bytes()[:50])
    if len(entries) > 3:
        entries[3].write_bytes(b"\x80\x81 not json")
    assert load_standard() == std
    # the damaged entries were rewritten from the files
    assert load_standard() == std
    assert all(json.loads(e.read_text(encoding="utf-8"))["key"] == e.stem for e in entries[:4])


def test_issue8_12_a_cache_folder_others_can_write_is_not_used(cache_dir, monkeypatch):
    std, _ = _parsed(monkeypatch)
    cache_dir.mkdir(mode=0o700)
    os.chmod(cache_dir, 0o777)
    assert cache.folder() is None
    assert load_standard() == std
    assert not any(cache_dir.rglob("*.json"))
    os.chmod(cache_dir, 0o700)
    assert cache.folder() == cache_dir


def test_issue8_12_values_json_cannot_keep_exactly_are_not_cached(cache_dir):
    from datetime import date

    for value in ({1: "int key"}, (1, 2), {"d": date(2024, 1, 1)}, float("nan")):
        got = cache.cached("t", cache.digest("t", repr(value)), lambda value=value: value)
        assert got is value
    assert not any(cache_dir.glob("t/*.json"))


def test_issue8_12_help_loads_no_heavy_library():
    """``jincai --help`` (and a group's help) import none of the libraries only some commands need."""
    heavy = {"duckdb", "polars", "pyarrow", "grpc", "openpyxl", "sqlglot", "xlsxwriter", "psycopg", "fastavro", "jsonschema", "re2"}
    for argv in (["--help"], ["adapter", "--help"], ["codes", "--help"], ["validate", "--help"]):
        r = subprocess.run([sys.executable, "-X", "importtime", "-m", "jincai", *argv], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
        imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in r.stderr.splitlines() if line.startswith("import time:")}
        assert not (heavy & imported), (argv, sorted(heavy & imported))
