"""How well ``jincai adapter init`` drafts each shipped profile (issue 8 #10).

For every shipped profile, ``adapter init`` drafts a profile from its sample files, and the
draft is scored against the real one: of the real profile's field mappings (field name → source
column, over all its targets, constants left out), how many the draft maps the same way. A source
column is its name — for a fixed-width file its byte span ``(start, width)``, since the draft cannot
know the interface document's names; a document value ``_doc.<name>`` is the span (or the name) it
is declared from. Cheap: five small files, a few seconds.

    .venv/bin/python -m benchmarks.bench_adapter_init [--no-write]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import yaml

RESULTS = Path(__file__).resolve().parent / "results" / "adapter_init.json"


def _from(spec: Any) -> str | None:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict) and isinstance(spec.get("from"), str):
        return spec["from"]
    return None


def _column_keys(source: dict[str, Any]) -> dict[str, Any]:
    """Column name (and ``_doc.<name>``) → the key a mapping is compared by."""
    keys: dict[str, Any] = {}
    if source.get("format") != "fixed_width":
        for name, spec in (source.get("document") or {}).items():
            keys[f"_doc.{name}"] = ("doc", name)
        return keys
    layouts: dict[str | None, dict[str, tuple[int, int]]] = {None: {}}

    def spans(fields: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
        out, at = {}, 1
        for f in fields or []:
            start = int(f.get("start") or at)
            out[str(f["name"])] = (start, int(f["width"]))
            at = start + int(f["width"])
        return out

    layouts[None] = spans(source.get("fields") or [])
    for kind, rec in (source.get("control_records") or {}).items():
        layouts[str(kind)] = spans((rec or {}).get("fields") or [])
    keys.update(layouts[None])
    for name, spec in (source.get("document") or {}).items():
        span = layouts.get(str(spec.get("record")), {}).get(str(spec.get("field")))
        if span is not None:
            keys[f"_doc.{name}"] = span
    return keys


def mappings(profile: dict[str, Any]) -> set[tuple[str, Any]]:
    """The profile's (field, source column key) pairs over all its targets."""
    keys = _column_keys(profile.get("source") or {})
    out = set()
    for target in profile.get("targets") or []:
        for fld, spec in (target.get("fields") or {}).items():
            col = _from(spec)
            if col is not None:
                out.add((fld, keys.get(col, col)))
    return out


def score(real: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    want, got = mappings(real), mappings(draft)
    same = want & got
    return {"fields": len(want), "matched": len(same), "share": round(len(same) / len(want), 3) if want else 0.0,
            "missed": sorted(f for f, _ in want - same)}


def run() -> dict[str, Any]:
    from jincai.adapters.init_profile import draft_profile
    from jincai.adapters.profile import list_profiles
    from jincai.errors import JincaiError

    rows = {}
    for prof in list_profiles():
        samples = sorted(p for p in (prof.base_dir / "samples").iterdir() if p.is_file())
        real = yaml.safe_load(prof.path.read_text(encoding="utf-8"))
        t = time.perf_counter()
        try:
            draft = yaml.safe_load(draft_profile([str(s) for s in samples]))
            error = None
        except JincaiError as exc:  # no draft at all: nothing matched
            draft, error = {}, exc.code
        took = time.perf_counter() - t
        rows[prof.id] = {"format": prof.source.format, "samples": len(samples), **score(real, draft),
                         "draft_entity": [t.get("entity") for t in draft.get("targets") or []], "seconds": round(took, 3)}
        if error:
            rows[prof.id]["error"] = error
    total = sum(r["fields"] for r in rows.values())
    matched = sum(r["matched"] for r in rows.values())
    return {"profiles": rows, "total": {"fields": total, "matched": matched, "share": round(matched / total, 3) if total else 0.0}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--label", default="after", help="the key the scores are stored under (before / after)")
    args = ap.parse_args(argv)
    result = run()
    for pid, r in result["profiles"].items():
        print(f"{pid:28s} {r['format']:12s} {r['matched']:3d}/{r['fields']:3d}  {r['share']:.3f}")
    t = result["total"]
    print(f"{'total':28s} {'':12s} {t['matched']:3d}/{t['fields']:3d}  {t['share']:.3f}")
    if not args.no_write:
        old = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        old[args.label] = result
        old["machine"] = {"python": sys.version.split()[0], "platform": platform.platform()}
        RESULTS.write_text(json.dumps(old, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
