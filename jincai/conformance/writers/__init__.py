"""The runner's outputs, one module per file kind: ``results.json`` (``results_json``, the record
the certificate signs over), ``junit.xml`` for CI (``junit``), ``results.csv`` and ``coverage.csv``
(``tables``), ``report.html`` for people (``html``, Chinese first, with a diff against a previous run)."""

from __future__ import annotations

from pathlib import Path

from jincai.conformance.model import Results
from jincai.conformance.suite import LoadedSuite

#: the files of a results bundle (what a certificate's digest covers), in a fixed order
BUNDLE = ("results.json", "junit.xml", "results.csv", "coverage.csv", "report.html")


def write_all(results: Results, suite: LoadedSuite, out: Path, previous: Path | None = None) -> list[Path]:
    from jincai.conformance.writers import html, junit, results_json, tables

    prev = results_json.read(previous) if previous else None
    return [
        results_json.write(results, out / "results.json"),
        junit.write(results, out / "junit.xml"),
        tables.write_results(results, out / "results.csv"),
        tables.write_coverage(results, suite, out / "coverage.csv"),
        html.write(results, suite, out / "report.html", prev),
    ]
