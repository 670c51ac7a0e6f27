"""What every case maker shares: the ``Draft`` of a case, the sample province's clean records, and
how a case's files are written.

A maker returns drafts; ``builders.build`` numbers them, renders ``case.yaml`` and checks that the
committed suite is exactly what the makers produce.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jincai.standard import standard

#: the county the suite's generated records come from: 涿州市, fiscal year 2024, one budget unit
SAMPLE_REGION = "130681"
SAMPLE_YEAR = 2024

BUILTIN_FAMILIES = ["struct", "field", "code", "ident", "record"]
DELETE = object()  # a field value meaning "leave the field out"


@dataclass
class Draft:
    """One case before numbering: its identity, its files and its expectation."""

    id: str
    module: str
    group: str  # numbering group inside the module (a rule, a convention, a code list …)
    title_zh: str
    title_en: str
    actors: list[str]
    requirements: list[str]
    operation: str
    input: dict[str, Any]
    expected: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # case-folder relative path → content
    required: bool = True
    features: list[str] = field(default_factory=list)
    review_zh: str = ""
    review_en: str = ""


def jsonl(records: list[dict[str, Any]]) -> bytes:
    """JSON Lines as the canonical writers spell them (UTF-8, no spaces, one record per line)."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records).encode("utf-8")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> bytes:
    """A small CSV written by hand (every cell quoted only when it must be) — no library guesses."""

    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s

    text = newline.join(",".join(cell(v) for v in row) for row in [header, *rows]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def scratch(name: str) -> Path:
    """A temporary folder removed when the process ends."""
    import atexit
    import shutil

    out = Path(tempfile.mkdtemp(prefix=f"jincai-conformance-{name}-"))
    atexit.register(shutil.rmtree, out, True)
    return out


@lru_cache(maxsize=1)
def sample_dir() -> Path:
    """The clean sample county (deterministic: same arguments, same bytes), generated once per run."""
    from jincai.sample import Options, generate

    out = scratch("sample")
    generate(Options(out=out, region=SAMPLE_REGION, year=SAMPLE_YEAR, scale=1, workers=1))
    return out


def sample_records(entity: str) -> list[dict[str, Any]]:
    path = sample_dir() / f"{entity}.jsonl"
    return read_jsonl(path) if path.exists() else []


def base_record(entity: str) -> dict[str, Any]:
    """The first clean record of ``entity`` in the sample county (it passes every rule)."""
    if entity == "submission_envelope":
        rec = sample_records(entity)[0]
        return {**rec, "product_name": "示例财政软件 Example fiscal software", "product_version": "5.1.0"}
    return dict(sample_records(entity)[0])


def with_value(record: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    out = dict(record)
    if value is DELETE:
        out.pop(name, None)
    else:
        out[name] = value
    return out


def field_of(entity: str, name: str):
    return standard().entity(entity).field(name)


def slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in text.lower()).strip("-")
