"""``jincai conformance export --out DIR``: the dated release bundle of the suite.

``DIR/jincai-conformance-<version>-<release date>/`` holds the suite as released (suite.yaml,
README, requirements, cases, numbers.csv, release.json), the published JSON Schemas
(``schemas/``) and ``SHA256SUMS`` (``sha256sum -c`` format) over every file. A suite that differs
from its release manifest is refused: rebuild it first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jincai import paths
from jincai.conformance.suite import load_suite, release_mismatches, sha256_file
from jincai.errors import JincaiError


def export(out: Path, root: Path | None = None) -> Path:
    root = Path(root or paths.CONFORMANCE)
    mismatch = release_mismatches(root)
    if mismatch:
        raise JincaiError(
            "conformance-export-refused", f"套件与发布清单不一致，请先运行生成器：{'; '.join(mismatch[:5])}",
            f"the suite differs from its release manifest; run the builder first: {'; '.join(mismatch[:5])}", str(root / "release.json"),
        )
    suite = load_suite(root).suite
    dest = out / f"{suite.id}-{suite.version}-{suite.release_date}"
    if dest.exists():
        raise JincaiError("conformance-export-exists", f"{dest} 已存在", f"{dest} exists", str(dest))
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    shutil.copytree(paths.SCHEMAS / "conformance", dest / "schemas")
    lines = [f"{sha256_file(p)}  {p.relative_to(dest).as_posix()}\n" for p in sorted(dest.rglob("*")) if p.is_file()]
    (dest / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    return dest
