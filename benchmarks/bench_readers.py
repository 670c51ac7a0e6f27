"""Reader throughput and memory: Excel (.xlsx), DBF and SQL Server script files of ~100k rows (issue 4 §6).

Each measurement runs in a fresh subprocess so that its peak RSS is its own: the file is generated
first (not timed), then every ``SourceRow`` is read and counted. ``main()`` returns the figures and
writes them to ``benchmarks/results/readers.json``.

    .venv/bin/python -m benchmarks.bench_readers [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "readers.json"


def _make_xlsx(path: str, rows: int) -> None:
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(path)  # shared strings, as Excel itself saves
    ws = wb.add_worksheet("支付明细")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["单位：元"])
    header = ["凭证号", "单位代码", "科目", "收款人", "收款账号", "金额", "日期", "用途", "资金性质", "备注"]
    ws.write_row(1, 0, header)
    base = dt.datetime(2024, 1, 1)
    for i in range(rows):
        r = i + 2
        ws.write_string(r, 0, f"PZ{i:08d}")
        ws.write_string(r, 1, "130621001")
        ws.write_string(r, 2, "2010101 行政运行")
        ws.write_string(r, 3, f"保定市某某有限公司{i % 97}")
        ws.write_string(r, 4, f"62220212345678{i:05d}")
        ws.write_number(r, 5, (i % 100000) / 100 + 1)
        ws.write_datetime(r, 6, base + dt.timedelta(days=i % 365), date_fmt)
        ws.write_string(r, 7, "办公用品采购")
        ws.write_number(r, 8, 1)
        ws.write_string(r, 9, "")
    wb.close()


def _make_dbf(path: str, rows: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from jincai.adapters.legacy_files import DbfField, write_dbf

    fields = [
        DbfField("PZID", "C", 20), DbfField("HH", "N", 5, 0), DbfField("KMDM", "C", 10), DbfField("YSKM", "C", 6),
        DbfField("JFJE", "N", 16, 2), DbfField("DFJE", "N", 16, 2), DbfField("RQ", "D"), DbfField("ZY", "C", 60),
        DbfField("ZJXZ", "C", 2), DbfField("JJKM", "C", 5),
    ]
    base = dt.date(2024, 1, 1)

    def records():
        for i in range(rows):
            yield {"PZID": f"PZ{i // 4:08d}", "HH": i % 4 + 1, "KMDM": "5001", "YSKM": "270101", "JFJE": Decimal(i % 100000) / 100,
                   "DFJE": Decimal("0.00"), "RQ": base + dt.timedelta(days=i % 365), "ZY": "支付办公费用（县财政局）", "ZJXZ": "1", "JJKM": "30201"}

    write_dbf(path, fields, records(), encoding="gbk")


def _measure(fmt: str, path: str, options: dict) -> dict:
    from jincai.adapters.readers import get_reader

    start = time.perf_counter()
    cpu = time.process_time()
    n = 0
    for _ in get_reader(fmt).read(path, options):
        n += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # rows per CPU second as well: on a shared machine the wall clock also counts other processes
    return {"rows": n, "seconds": round(elapsed, 3), "rows_per_s": round(n / elapsed), "cpu_seconds": round(cpu, 3),
            "rows_per_cpu_s": round(n / cpu), "peak_rss_mib": round(rss_kib / 1024, 1)}


def _make_tsql(path: str, rows: int) -> None:
    import datetime as dt
    from decimal import Decimal

    import importlib.util

    from jincai import paths

    # the treasury system's own sample maker renders the script (adapters/<system>/make_samples.py)
    spec = importlib.util.spec_from_file_location("make_samples_treasury", paths.ADAPTERS / "city_treasury_sqlserver" / "make_samples.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    ZFPZ_COLUMNS, render_tsql_script = maker.ZFPZ_COLUMNS, maker.render_tsql_script  # noqa: N806

    base = dt.date(2024, 1, 1)
    vouchers = []
    for i in range(rows):
        v = {c: None for c, _, _ in ZFPZ_COLUMNS}
        v.update({"CZQH": "130600000", "ND": "2024", "PZID": f"ZF{i:010d}", "PZBH": f"P2024{i:010d}", "SQID": f"SQ{i:010d}",
                  "ZBID": "ZB101001001", "DWDM": "101001", "ZJXZ": "YB", "GNKM": "2010101", "BMJJKM": "30201", "ZFJJKM": "50201",
                  "ZFFS": "SQ", "JSFS": "ZZ", "PZRQ": base + dt.timedelta(days=i % 365), "FKRQC": "保定市某某局", "FKRZH": "10213060010100101",
                  "FKRKHH": "中国工商银行保定兴隆支行", "SKRQC": f"保定某某有限公司{i % 97}", "SKRZH": f"6222021234{i:09d}",
                  "SKRKHH": "中国建设银行保定清源支行", "JE": Decimal(i % 100000) / 100, "DLYHHH": "102060000010", "ZFZT": "YQS",
                  "CXBZ": False, "SJZFRQ": base, "QSPCH": f"QS{i // 50:08d}", "QSRQ": "20240105", "YT": "办公费"})
        vouchers.append(v)
    with open(path, "wb") as fh:
        fh.write(render_tsql_script(vouchers, []))


OPTIONS = {"xlsx": {"sheets": ["支付明细"], "header_match": "凭证号"}, "dbf": {}, "sql_dump": {"dialect": "tsql"}}
FILES = {"xlsx": "bench.xlsx", "dbf": "BENCH.DBF", "sql_dump": "bench.sql"}


def _make(kind: str, path: str, rows: int) -> None:
    {"xlsx": _make_xlsx, "dbf": _make_dbf, "sql_dump": _make_tsql}[kind](path, rows)


def _read(kind: str, path: str) -> dict:
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = _measure(kind, path, OPTIONS[kind])
    out["file_mib"] = round(os.path.getsize(path) / 2**20, 1)
    out["rss_before_read_mib"] = round(base_rss / 1024, 1)
    return out


def _run(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_readers", *args], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""


def main(rows: int = 100_000, write: bool = True) -> dict:
    """Rows/s and peak RSS of reading a ~``rows``-row .xlsx, .DBF and SQL Server script (each file
    made in one process and read in another, so the reader's memory is measured alone). The SQL
    figure includes loading the dump into DuckDB (the whole table is read back)."""
    result = {"rows_requested": rows, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("xlsx", "dbf", "sql_dump"):
            path = os.path.join(tmp, FILES[kind])
            _run("--make", kind, "--rows", str(rows), "--path", path)
            result[kind] = json.loads(_run("--read", kind, "--path", path))
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--make", choices=list(FILES))
    ap.add_argument("--read", choices=list(FILES))
    ap.add_argument("--path")
    args = ap.parse_args()
    if args.make:
        _make(args.make, args.path, args.rows)
    elif args.read:
        print(json.dumps(_read(args.read, args.path)))
    else:
        print(json.dumps(main(args.rows), ensure_ascii=False, indent=2))
