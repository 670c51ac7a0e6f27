"""The gateway's error codes: the generated table lists them all (drift-checked by
tests/test_generated_drift.py); here, that each is kebab-case and explained in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from jincai.gateway.errors import CODES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "gateway"


def test_error_code_table_matches_the_codes():
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z0-9-]+)` \| `([A-Z_]+)` \|", text, flags=re.MULTILINE)
    assert listed == [(code, status.name) for code, (status, _, _) in CODES.items()]


def test_every_error_code_is_kebab_case_and_bilingual():
    for code, (_, zh, en) in CODES.items():
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", code)
        assert re.search(r"[\u4e00-\u9fff]", zh) and en.isascii()
