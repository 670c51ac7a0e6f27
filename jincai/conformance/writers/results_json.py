"""``results.json``: the whole run — versions, digests, the product, every case's expected and
actual result (schema: ``schemas/conformance/results.schema.json``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from jincai.conformance.model import Results
from jincai.errors import JincaiError


def write(results: Results, path: Path) -> Path:
    path.write_text(results.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return path


def read(folder_or_file: Path) -> Results:
    path = Path(folder_or_file)
    path = path / "results.json" if path.is_dir() else path
    try:
        return Results.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError) as exc:
        raise JincaiError("conformance-results-unreadable", f"无法读取运行结果 {path}：{str(exc)[:300]}", f"cannot read the results {path}: {str(exc)[:300]}", str(path)) from None
