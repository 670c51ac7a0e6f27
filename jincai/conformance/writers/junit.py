"""``junit.xml`` for CI: one testsuite per module, one testcase per case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from jincai.conformance.model import Results


def write(results: Results, path: Path) -> Path:
    root = ET.Element("testsuites", name=f"jincai-conformance {results.profile}", tests=str(results.summary.total))
    by_module: dict[str, list] = {}
    for r in results.cases:
        by_module.setdefault(r.module, []).append(r)
    for module, cases in by_module.items():
        counts = {s: sum(1 for c in cases if c.status == s) for s in ("fail", "error", "skip")}
        suite = ET.SubElement(
            root, "testsuite", name=f"{results.profile}.{module}", tests=str(len(cases)), failures=str(counts["fail"]),
            errors=str(counts["error"]), skipped=str(counts["skip"]), time=f"{sum(c.seconds for c in cases):.3f}",
        )
        for c in cases:
            tc = ET.SubElement(suite, "testcase", classname=f"{results.profile}.{module}", name=f"{c.number} {c.id}", time=f"{c.seconds:.3f}")
            if c.status == "fail":
                ET.SubElement(tc, "failure", message=c.reason[:500]).text = "\n".join(c.differences)
            elif c.status == "error":
                ET.SubElement(tc, "error", message=c.reason[:500])
            elif c.status in ("skip", "xfail"):
                ET.SubElement(tc, "skipped", message=f"{c.status}: {c.reason}"[:500])
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
