"""The case builder: writes the suite's generated content and checks it has not drifted.

    python -m jincai.conformance.builders            # (re)write requirements/, cases/, numbers.csv, release.json
    python -m jincai.conformance.builders --check    # exit 1 and list what differs

The makers (``rules``, ``conventions``, ``codelists``, ``identifiers``, ``translation``,
``exchange``, ``gateway``) return drafts; this module numbers them from ``numbers.csv`` (an id keeps its display
number forever; a new group or case takes the next free number), renders ``case.yaml``, keeps any
case a maker no longer produces as ``deprecated`` (never deleted, never reused), writes the
requirement files and finally ``release.json`` (the sha256 of every suite file and the digests of
the code lists and the catalogue the expected results were made with). ``suite.yaml`` and
``README.md`` are written by hand and never touched.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from jincai import paths, yaml_load
from jincai.conformance.builders.base import Draft
from jincai.conformance.model import CASE, RequirementFile
from jincai.conformance.suite import NUMBERS_FILE, RELEASE_FILE, catalogue_digest, codelists_digest, manifest_digest, read_yaml, sha256_file
from jincai.conformance.model import Suite

HAND_WRITTEN = {"suite.yaml", "README.md"}
NUMBER_COLUMNS = ["id", "number", "module", "group", "since", "status"]


def drafts() -> list[Draft]:
    from jincai.conformance.builders import codelists, conventions, exchange, gateway, identifiers, rules, translation

    out: list[Draft] = []
    for maker in (conventions, rules, codelists, identifiers, translation, exchange, gateway):
        out += maker.make()
    seen: set[str] = set()
    for d in out:
        if d.id in seen:
            raise ValueError(f"two drafts share the id {d.id}")
        seen.add(d.id)
    return out


def _read_numbers(root: Path) -> list[dict[str, str]]:
    path = root / NUMBERS_FILE
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def allocate(ds: list[Draft], existing: list[dict[str, str]], module_numbers: dict[str, int], version: str) -> list[dict[str, str]]:
    """numbers.csv after adding the drafts: existing rows never change their number; a case no
    maker produces any more is marked deprecated."""
    rows = [dict(r) for r in existing]
    by_id = {r["id"]: r for r in rows}
    groups: dict[tuple[str, str], int] = {}
    seqs: dict[tuple[str, str], int] = {}
    for r in rows:
        m, g, s = r["number"].split(".")
        groups[(r["module"], r["group"])] = int(g)
        seqs[(r["module"], r["group"])] = max(seqs.get((r["module"], r["group"]), 0), int(s))
    produced = set()
    for d in ds:
        produced.add(d.id)
        if d.id in by_id:
            if by_id[d.id]["module"] != d.module:
                raise ValueError(f"{d.id}: moved from module {by_id[d.id]['module']} to {d.module}; ids never move")
            by_id[d.id]["status"] = "active"
            continue
        key = (d.module, d.group)
        if key not in groups:
            groups[key] = 1 + max((g for (m, _), g in groups.items() if m == d.module), default=0)
        seqs[key] = seqs.get(key, 0) + 1
        row = {"id": d.id, "number": f"{module_numbers[d.module]}.{groups[key]}.{seqs[key]:02d}", "module": d.module, "group": d.group, "since": version, "status": "active"}
        rows.append(row)
        by_id[d.id] = row
    for r in rows:
        if r["id"] not in produced:
            r["status"] = "deprecated"
    return rows


def _case_yaml(d: Draft, number: dict[str, str]) -> bytes:
    doc: dict[str, Any] = {
        "format": "jincai-conformance-case/1",
        "id": d.id,
        "number": number["number"],
        "title_zh": d.title_zh,
        "title_en": d.title_en,
        "module": d.module,
        "actors": d.actors,
        "requirements": d.requirements,
        "required": d.required,
        "status": "active",
        "since": number["since"],
        "features": d.features,
        "review_zh": d.review_zh,
        "review_en": d.review_en,
        "operation": d.operation,
        "input": d.input,
        "expected": d.expected,
    }
    CASE.validate_python(doc)  # the builder never writes a case its own schema refuses
    head = f"# {number['number']} {d.title_zh}\n# {d.title_en}\n"
    return (head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=160)).encode("utf-8")


def _deprecated(root: Path, row: dict[str, str], version: str) -> dict[str, bytes]:
    """A case no maker produces any more: kept as it is, marked deprecated."""
    folder = root / "cases" / row["module"] / row["id"]
    if not folder.is_dir():
        return {}
    out = {f"cases/{row['module']}/{row['id']}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    key = f"cases/{row['module']}/{row['id']}/case.yaml"
    doc = yaml_load.load(out[key], key, size_limit=None)
    if doc.get("status") != "deprecated":
        doc.update(status="deprecated", deprecated_in=version)
        out[key] = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=160).encode("utf-8")
    return out


def build(root: Path | None = None) -> dict[str, bytes]:
    """Every generated file of the suite: relative path → content."""
    root = Path(root or paths.CONFORMANCE)
    suite = Suite.model_validate(read_yaml(root / "suite.yaml"))
    module_numbers = {m.id: m.number for m in suite.modules}
    ds = drafts()
    numbers = allocate(ds, _read_numbers(root), module_numbers, suite.version)
    by_id = {r["id"]: r for r in numbers}
    files: dict[str, bytes] = {}
    tested: set[str] = set()
    for d in ds:
        base = f"cases/{d.module}/{d.id}/"
        for rel, content in d.files.items():
            files[base + rel] = content
        files[base + "case.yaml"] = _case_yaml(d, by_id[d.id])
        tested.update(d.requirements)
    for r in numbers:
        if r["status"] == "deprecated":
            files.update(_deprecated(root, r, suite.version))
    from jincai.conformance.builders import requirements

    for name, doc in requirements.make(tested).items():
        RequirementFile.model_validate(doc)
        files[f"requirements/{name}"] = (
            f"# 生成的文件 generated by python -m jincai.conformance.builders — {doc['group_zh']} / {doc['group_en']}\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=160)
        ).encode("utf-8")
    buf = io.StringIO()
    w = csv.DictWriter(buf, NUMBER_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(numbers)
    files[NUMBERS_FILE] = buf.getvalue().encode("utf-8")
    files[RELEASE_FILE] = _release(root, suite, files)
    return dict(sorted(files.items()))


def _release(root: Path, suite: Suite, files: dict[str, bytes]) -> bytes:
    import hashlib

    shas = {rel: hashlib.sha256(content).hexdigest() for rel, content in files.items()}
    for name in sorted(HAND_WRITTEN):
        if (root / name).exists():
            shas[name] = sha256_file(root / name)
    release = {
        "format": "jincai-conformance-release/1",
        "suite_id": suite.id,
        "version": suite.version,
        "release_date": suite.release_date,
        "standard_version": suite.standard_version,
        "catalogue_version": suite.catalogue_version,
        "digest": manifest_digest(shas),
        "codelists_digest": codelists_digest(),
        "catalogue_digest": catalogue_digest(),
        "files": dict(sorted(shas.items())),
    }
    return (json.dumps(release, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def owned(root: Path) -> set[str]:
    """Files on disk the builder owns (everything but the hand-written ones and caches)."""
    out = set()
    for p in root.rglob("*"):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel not in HAND_WRITTEN and "__pycache__" not in p.parts:
            out.add(rel)
    return out


def drift(root: Path | None = None) -> list[tuple[str, str]]:
    root = Path(root or paths.CONFORMANCE)
    built = build(root)
    problems = []
    for rel, content in built.items():
        p = root / rel
        if not p.exists():
            problems.append((rel, "missing"))
        elif p.read_bytes() != content:
            problems.append((rel, "changed"))
    problems += [(rel, "stale") for rel in sorted(owned(root) - set(built))]
    return problems


def write(root: Path | None = None) -> tuple[int, int]:
    root = Path(root or paths.CONFORMANCE)
    built = build(root)
    written = 0
    for rel, content in built.items():
        p = root / rel
        if p.exists() and p.read_bytes() == content:
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)
        written += 1
    stale = sorted(owned(root) - set(built))
    for rel in stale:
        (root / rel).unlink()
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()
    return written, len(stale)
