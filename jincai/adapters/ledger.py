"""The ledger of a translation run: every source row accounted for, and the totals proving it.

Every data row the readers yield ends in exactly one of three states:

* ``translated`` — it became one or more canonical records (entity and business key recorded);
* ``rejected``   — it could not be translated; the reasons (code, zh, en, column, raw value) go to
  ``rejected.csv`` so the county can fix the row and resubmit it;
* ``filtered``   — it is not data (blank line, 合计/小计 row, note under the table, repeated header,
  deleted DBF record …) and the profile's filter says why.

Counts reconcile: ``source = translated + rejected + filtered`` per file and overall, and the
records written per entity equal the records of the translated rows. Money reconciles to the fen,
per money field of each target entity: the total over the non-filtered rows (each amount as the
profile's transforms parse it, e.g. after ×10000 for 万元) equals the translated total plus the
rejected total; a rejected row whose amount cannot be parsed at all (``12.345``, ``６.２２E+18``) is
counted apart and named. A reconciliation failure is a bug in jincai, never a property of the data:
the run says so loudly and exits 1.

Findings are properties of the data that fail the run (exit 1) although every row is accounted for,
each with its own code:

* ``no-data-rows`` — a file gave no data row at all (empty, header only, or every row filtered):
  the same outcome for every format, so that an empty or truncated export never passes as "0 rows,
  all fine";
* ``control-count-mismatch`` / ``control-total-mismatch`` — a count or total the file states about
  itself (a trailer's 笔数 and 合计, declared in the profile's ``controls``) differs from the file's
  data rows (translated + rejected) or their amounts; ``control-total-unverifiable`` when rejected
  rows' amounts could not be parsed; ``control-value-invalid`` when the stated value cannot be read.

Files in the output folder: ``ledger.json`` (this summary) and ``ledger_rows.csv`` (one line per
source row and record — written as the run streams, so memory stays flat). Its columns: file,
sheet, row, outcome, entity, key, reason code, then the identity of the line: ``记录序号 item`` (1, 2,
… for the records a translated row produced, in target order and, within a target, unpivot order;
0 for a filtered or rejected row, which has one line) and ``字节偏移 byte offset`` (where the row
starts in a text file; empty for other formats). (file, sheet, row, item) names one line: ``row``
is the reader's row number within the file (or sheet, SQL query, XML record path), and an input
file is given once per run.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from jincai import safe_output
from jincai.masking import mask_text

ZERO = Decimal("0.00")


@dataclass
class MoneyTally:
    """One money field of one target entity."""

    entity: str
    field: str
    name_zh: str
    source: Decimal = ZERO  # over non-filtered rows, where the amount parses
    translated: Decimal = ZERO  # over the records written
    rejected: Decimal = ZERO  # over rejected rows, where the amount parses
    unparsed_rejected: int = 0  # rejected rows whose amount could not be parsed
    empty: int = 0  # non-filtered rows without an amount (optional field left empty)

    @property
    def reconciled(self) -> bool:
        return self.source == self.translated + self.rejected

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "field": self.field,
            "name_zh": self.name_zh,
            "source_total": format(self.source, "f"),
            "translated_total": format(self.translated, "f"),
            "rejected_total": format(self.rejected, "f"),
            "rejected_unparsed_rows": self.unparsed_rejected,
            "empty": self.empty,
            "reconciled": self.reconciled,
        }


@dataclass
class Finding:
    """A property of the data that fails the run (see the module docstring)."""

    code: str
    file: str
    zh: str
    en: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "file": self.file, "zh": self.zh, "en": self.en, **({"details": self.details} if self.details else {})}


@dataclass
class FileStats:
    file: str
    encoding: str | None = None
    encoding_how: str | None = None
    preamble_lines: int = 0
    source: int = 0
    translated: int = 0
    rejected: int = 0
    filtered: int = 0
    info: dict[str, Any] = field(default_factory=dict)  # what the reader reports (encoding, version …)
    document: dict[str, Any] = field(default_factory=dict)  # the file's document values (_doc.<name>)

    @property
    def reconciled(self) -> bool:
        return self.source == self.translated + self.rejected + self.filtered

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "encoding": self.encoding,
            "encoding_how": self.encoding_how,
            "preamble_lines": self.preamble_lines,
            "reader": self.info,
            "rows": {"source": self.source, "translated": self.translated, "rejected": self.rejected, "filtered": self.filtered},
            "document": self.document,
            "reconciled": self.reconciled,
        }


TRAIL_HEADER = ["文件 file", "工作表 sheet", "行号 row", "结果 outcome", "实体 entity", "业务键 key", "原因代码 reason code", "记录序号 item", "字节偏移 byte offset"]


@dataclass
class Ledger:
    profile: str
    output_format: str = "jsonl"
    files: dict[str, FileStats] = field(default_factory=dict)
    filtered_by_reason: Counter = field(default_factory=Counter)
    rejected_by_reason: Counter = field(default_factory=Counter)
    records_from_rows: Counter = field(default_factory=Counter)  # per entity, counted as rows are translated
    records_written: Counter = field(default_factory=Counter)  # per entity, counted by the writers
    money: dict[tuple[str, str], MoneyTally] = field(default_factory=dict)
    unpivot_blank_cells: int = 0
    reason_text: dict[str, tuple[str, str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # file → "columnar" or "rows (why)"
    controls: list[dict[str, Any]] = field(default_factory=list)  # every control check, passed or not
    findings: list[Finding] = field(default_factory=list)
    _trail: Any = None
    _trail_fh: TextIO | None = None
    _trail_bin: Any = None

    # ---- totals -------------------------------------------------------------------------

    @property
    def source(self) -> int:
        return sum(f.source for f in self.files.values())

    @property
    def translated(self) -> int:
        return sum(f.translated for f in self.files.values())

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files.values())

    @property
    def filtered(self) -> int:
        return sum(f.filtered for f in self.files.values())

    def problems(self) -> list[tuple[str, str]]:
        """Reconciliation failures (zh, en) — each one is a bug in jincai."""
        out = []
        for f in self.files.values():
            if not f.reconciled:
                out.append((
                    f"{f.file}：源行数 {f.source} ≠ 转换 {f.translated} + 拒绝 {f.rejected} + 过滤 {f.filtered}",
                    f"{f.file}: source rows {f.source} ≠ translated {f.translated} + rejected {f.rejected} + filtered {f.filtered}",
                ))
        if sum(self.filtered_by_reason.values()) != self.filtered:
            out.append(("过滤原因计数与过滤行数不符", "filtered reasons do not add up to the filtered rows"))
        for entity in set(self.records_from_rows) | set(self.records_written):
            a, b = self.records_from_rows[entity], self.records_written[entity]
            if a != b:
                out.append((f"{entity}：转换行产生 {a} 条记录，写出 {b} 条", f"{entity}: translated rows produced {a} records, {b} were written"))
        for t in self.money.values():
            if not t.reconciled:
                out.append((
                    f"{t.entity}.{t.field}：源合计 {t.source} ≠ 转换 {t.translated} + 拒绝 {t.rejected}",
                    f"{t.entity}.{t.field}: source total {t.source} ≠ translated {t.translated} + rejected {t.rejected}",
                ))
        return out

    @property
    def reconciled(self) -> bool:
        return not self.problems()

    @property
    def ok(self) -> bool:
        """Reconciled and without findings (rejected rows are reported apart)."""
        return self.reconciled and not self.findings

    def finding(self, code: str, file: str, zh: str, en: str, details: dict[str, Any] | None = None) -> None:
        self.findings.append(Finding(code, file, zh, en, details or {}))

    # ---- the row trail --------------------------------------------------------------------

    def open_trail(self, path: Path) -> None:
        # binary underneath, so that the columnar path can write polars frames into it directly
        self._trail_bin = open(path, "wb")
        self._trail_bin.write(b"\xef\xbb\xbf")  # BOM: Excel opens the file as UTF-8
        self._trail_fh = io.TextIOWrapper(self._trail_bin, encoding="utf-8", newline="", write_through=True, errors="backslashreplace")
        self._trail = safe_output.csv_writer(self._trail_fh, lineterminator="\n")  # file names and keys come from outside
        self._trail.writerow(TRAIL_HEADER)

    def trail(self, file: str, sheet: str | None, row: int, outcome: str, entity: str, key: str, code: str, item: int = 0, offset: int | None = None) -> None:
        if self._trail is not None:
            self._trail.writerow((file, sheet or "", row, outcome, entity, mask_text(key) if key else key, code, item, "" if offset is None else offset))

    def trail_many(self, rows: list[tuple]) -> None:
        # a business key can hold an ID-like number (a payroll line numbered by ID): masked (C12)
        if self._trail is not None:
            self._trail.writerows(r[:5] + (mask_text(r[5]),) + r[6:] if r[5] else r for r in rows)

    def close_trail(self) -> None:
        if self._trail_fh is not None:
            self._trail_fh.close()
            self._trail_fh = None
            self._trail_bin = None
            self._trail = None

    # ---- output ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        problems = self.problems()
        return {
            "profile": self.profile,
            "output_format": self.output_format,
            "rows": {"source": self.source, "translated": self.translated, "rejected": self.rejected, "filtered": self.filtered},
            "records": {e: self.records_written[e] for e in sorted(self.records_written)},
            "filtered_by_reason": {k: {"count": v, "zh": self.reason_text.get(k, ("", ""))[0], "en": self.reason_text.get(k, ("", ""))[1]} for k, v in sorted(self.filtered_by_reason.items())},
            "rejected_by_reason": {k: {"count": v, "zh": self.reason_text.get(k, ("", ""))[0], "en": self.reason_text.get(k, ("", ""))[1]} for k, v in sorted(self.rejected_by_reason.items())},
            "money": [t.to_json() for t in self.money.values()],
            "unpivot_blank_cells": self.unpivot_blank_cells,
            "files": [{**f.to_json(), "engine": self.paths.get(f.file)} for f in self.files.values()],
            "controls": self.controls,
            "findings": [f.to_json() for f in self.findings],
            "outputs": self.outputs,
            "reconciled": not problems,
            "problems": [{"zh": zh, "en": en} for zh, en in problems],
            "ok": not problems and not self.findings,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def print(self, console: Any = None) -> None:
        """A rich table, Chinese first. Counts and totals only: no personal data (C12)."""
        from rich.console import Console
        from rich.table import Table

        if console is None:
            import shutil

            console = Console(stderr=True, width=max(110, shutil.get_terminal_size((110, 24)).columns))
        t = Table(title=f"账本 ledger — {self.profile}", title_justify="left")
        t.add_column("文件 file")
        t.add_column("编码 encoding")
        t.add_column("源行 source", justify="right")
        t.add_column("转换 translated", justify="right")
        t.add_column("拒绝 rejected", justify="right")
        t.add_column("过滤 filtered", justify="right")
        for f in self.files.values():
            t.add_row(Path(f.file).name, f.encoding or "", str(f.source), str(f.translated), str(f.rejected), str(f.filtered))
        if len(self.files) > 1:
            t.add_row("合计 total", "", str(self.source), str(self.translated), str(self.rejected), str(self.filtered))
        console.print(t)
        if self.money:
            m = Table(title="金额核对 money reconciliation（元 yuan）", title_justify="left")
            for col in ("字段 field", "源合计 source", "转换 translated", "拒绝 rejected", "无法解析的拒绝行 unparsed", "核对 check"):
                m.add_column(col, justify="right" if col[0] != "字" else "left")
            for x in self.money.values():
                m.add_row(
                    f"{x.entity}.{x.field} {x.name_zh}",
                    f"{x.source:,.2f}",
                    f"{x.translated:,.2f}",
                    f"{x.rejected:,.2f}",
                    str(x.unparsed_rejected),
                    "✓ 相符 ok" if x.reconciled else "✗ 不符 MISMATCH",
                )
            console.print(m)
        reasons = [("过滤 filtered", self.filtered_by_reason), ("拒绝 rejected", self.rejected_by_reason)]
        if any(c for _, c in reasons):
            r = Table(title="原因 reasons", title_justify="left")
            r.add_column("结果 outcome")
            r.add_column("原因代码 code")
            r.add_column("原因 reason")
            r.add_column("行数 rows", justify="right")
            for outcome, counter in reasons:
                for code, n in counter.most_common():
                    zh, en = self.reason_text.get(code, ("", ""))
                    r.add_row(outcome, code, f"{zh} / {en}" if zh else en, str(n))
            console.print(r)
        if any(x.unparsed_rejected for x in self.money.values()):
            console.print("[yellow]注意：部分拒绝行的金额无法解析，未计入拒绝合计（见上表“无法解析的拒绝行”）。"
                          " Note: some rejected rows have amounts that cannot be parsed; they are counted apart, not in the rejected total.[/]")
        if self.controls:
            c = Table(title="控制数核对 control checks", title_justify="left")
            for col in ("文件 file", "核对 check", "文件所载 stated", "数据行 rows", "结果 result"):
                c.add_column(col)
            for x in self.controls:
                what = f"{x['kind']} {x['document']}" + (f" → {x['entity']}.{x['field']}" if x.get("field") else "")
                c.add_row(Path(x["file"]).name, what, str(x["expected"]), str(x["actual"]), "✓ 相符 ok" if x["ok"] else f"✗ {x['code']}")
            console.print(c)
        for fd in self.findings:
            console.print(f"[bold red]✗ {fd.code}[/] {Path(fd.file).name}：{fd.zh} / {fd.en}")
        problems = self.problems()
        if problems:
            console.print("[bold red]✗ 账本不平——这是 jincai 的缺陷，请报告！ LEDGER DOES NOT RECONCILE — this is a bug in jincai, please report it![/]")
            for zh, en in problems:
                console.print(f"[red]  {zh} / {en}[/]")
        else:
            console.print("[green]✓ 账本平衡：源 = 转换 + 拒绝 + 过滤，金额核对到分。 Ledger reconciles: source = translated + rejected + filtered, money to the fen.[/]")
            if self.findings:
                console.print(f"[red]但有 {len(self.findings)} 项数据问题（见上），本次转换不通过。 But {len(self.findings)} finding(s) above fail the run.[/]")
