"""Load the conformance suite (``conformance_tests/``) and compute the digests that pin it.

``load_suite(root)`` reads ``suite.yaml``, every ``requirements/*.yaml`` and every
``cases/<module>/<case-id>/case.yaml``; a document that does not fit its model is a
``JincaiError`` with the file and the YAML path. ``problems`` collects what lint reports instead
of stopping at the first one.

Pinning: ``release.json`` (written by the case builder) lists the sha256 of every suite file and
the digests of the code lists and the rule catalogue the expected results were made with. A
certify-mode run refuses a suite, code lists or catalogue that differ from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jincai import paths, yaml_load
from jincai.conformance.model import CASE, Case, Requirement, RequirementFile, Suite
from jincai.errors import JincaiError

RELEASE_FILE = "release.json"
NUMBERS_FILE = "numbers.csv"
#: files under the suite root that are not part of its pinned content
UNPINNED = {RELEASE_FILE}


@dataclass
class LoadedCase:
    case: Case
    folder: Path

    @property
    def id(self) -> str:
        return self.case.id


@dataclass
class LoadedSuite:
    root: Path
    suite: Suite
    requirements: dict[str, Requirement]
    cases: list[LoadedCase]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (location, what) found while loading

    def case(self, case_id: str) -> LoadedCase:
        for c in self.cases:
            if c.id == case_id:
                return c
        raise KeyError(case_id)

    def module_number(self, module: str) -> int | None:
        return next((m.number for m in self.suite.modules if m.id == module), None)


def read_yaml(path: Path) -> Any:
    # the one bounded loader (a SUT file comes from a vendor); suite files are cached by digest
    return yaml_load.load_file(path, cache=True)


def _where(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return ".".join(str(p) for p in err["loc"]) + f": {err['msg']}"


def load_suite(root: Path | None = None, *, strict: bool = True) -> LoadedSuite:
    """The suite under ``root`` (default ``conformance_tests/``). With ``strict`` the first invalid
    document raises ``JincaiError``; otherwise it is recorded in ``problems`` and skipped."""
    root = Path(root or paths.CONFORMANCE)
    problems: list[tuple[str, str]] = []

    def invalid(path: Path, exc: ValidationError) -> None:
        if strict:
            raise JincaiError(
                "conformance-document-invalid", f"{path.name} 不符合其模式：{_where(exc)}", f"{path.name} does not fit its schema: {_where(exc)}", str(path)
            ) from None
        problems.append((str(path.relative_to(root)), _where(exc)))

    suite_path = root / "suite.yaml"
    if not suite_path.is_file():
        raise JincaiError("conformance-suite-missing", f"找不到套件文件 {suite_path}", f"no suite file {suite_path}", str(suite_path))
    try:
        suite = Suite.model_validate(read_yaml(suite_path))
    except ValidationError as exc:
        raise JincaiError("conformance-document-invalid", f"suite.yaml 不符合其模式：{_where(exc)}", f"suite.yaml does not fit its schema: {_where(exc)}", str(suite_path)) from None
    requirements: dict[str, Requirement] = {}
    for path in sorted((root / "requirements").glob("*.yaml")):
        try:
            doc = RequirementFile.model_validate(read_yaml(path))
        except ValidationError as exc:
            invalid(path, exc)
            continue
        for r in doc.requirements:
            if r.id in requirements:
                problems.append((str(path.relative_to(root)), f"duplicate requirement id {r.id}"))
            requirements[r.id] = r
    cases: list[LoadedCase] = []
    for path in sorted((root / "cases").glob("*/*/case.yaml")):
        try:
            case = CASE.validate_python(read_yaml(path))
        except ValidationError as exc:
            invalid(path, exc)
            continue
        cases.append(LoadedCase(case, path.parent))
    return LoadedSuite(root, suite, requirements, cases, problems)


# ------------------------------------------------------------------------------------------------
# digests
# ------------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_digest(files: dict[str, str]) -> str:
    """One digest over a {relative path: sha256} manifest (sorted ``sha  path`` lines)."""
    text = "".join(f"{sha}  {rel}\n" for rel, sha in sorted(files.items()))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_files(root: Path, skip: set[str] = frozenset()) -> dict[str, str]:
    """{relative POSIX path: sha256} of every file under ``root`` (caches and ``skip`` excluded)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel not in skip and "__pycache__" not in p.parts and not p.name.startswith(".") and not rel.startswith("node_modules/"):
            out[rel] = sha256_file(p)
    return out


def suite_files(root: Path | None = None) -> dict[str, str]:
    return tree_files(Path(root or paths.CONFORMANCE), UNPINNED)


def codelists_digest() -> str:
    return manifest_digest(tree_files(paths.CODELISTS))


def catalogue_digest() -> str:
    """The rule catalogue as it decides verdicts: rule files, SQL, province settings, registries."""
    files = {rel: sha for rel, sha in tree_files(paths.VALIDATORS).items() if not rel.startswith("fixtures/") and rel != "README.md"}
    return manifest_digest(files)


def read_release(root: Path | None = None) -> dict[str, Any]:
    path = Path(root or paths.CONFORMANCE) / RELEASE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JincaiError("conformance-release-unreadable", f"无法读取发布清单 {path}：{exc}", f"cannot read the release manifest {path}: {exc}", str(path)) from exc


def release_mismatches(root: Path | None = None) -> list[str]:
    """What differs from ``release.json``: changed, added or missing suite files, code lists, catalogue."""
    root = Path(root or paths.CONFORMANCE)
    release = read_release(root)
    want: dict[str, str] = release.get("files", {})
    have = suite_files(root)
    out = [f"changed {rel}" for rel in sorted(want) if rel in have and have[rel] != want[rel]]
    out += [f"missing {rel}" for rel in sorted(set(want) - set(have))]
    out += [f"added {rel}" for rel in sorted(set(have) - set(want))]
    if release.get("codelists_digest") != codelists_digest():
        out.append("code lists differ from the release")
    if release.get("catalogue_digest") != catalogue_digest():
        out.append("rule catalogue differs from the release")
    return out
