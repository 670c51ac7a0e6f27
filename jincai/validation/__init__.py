"""校验引擎 The validation engine: the rule catalogue (``validators/``) applied to a submission.

    from jincai.validation import validate
    report = validate(["submission/"], year=2024)      # → Report (pydantic), see report.py
    report.summary.passed, report.issues[0].rule, report.exit_code

Modules, one job each: ``catalogue`` (load and check the rules), ``inputs`` (files, formats,
plain-Python readers), ``fields_py`` / ``fields_sql`` (the field layer, twice), ``staging`` (DuckDB
tables — the contract SQL rules build on), ``bulk`` (builtin layers set-at-a-time), ``record`` (the
per-record path), ``verdicts`` (code lists, identifiers), ``report`` (the report and its
renderings), ``engine`` (``validate``); ``sql_rules`` and ``pg`` run the cross-entity SQL rules.
"""

from __future__ import annotations

from typing import Any

__all__ = ["validate", "Report", "catalogue"]


def __getattr__(name: str) -> Any:  # imported on use: the CLI starts fast, no import cycles
    if name == "validate":
        from jincai.validation.engine import validate

        return validate
    if name == "Report":
        from jincai.validation.report import Report

        return Report
    if name == "catalogue":
        from jincai.validation.catalogue import catalogue

        return catalogue
    raise AttributeError(name)
