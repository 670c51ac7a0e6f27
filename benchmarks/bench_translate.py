"""Translate throughput and memory: a 1M-row GBK CSV and a 1M-row GBK fixed-width file (issue 4 §6).

End to end: read and decode, filters, transforms, the check of every record against the standard's
model (identifier check digits included), canonical JSON Lines, ``rejected.csv``, the ledger and its
per-row trail. Each measurement runs in a fresh subprocess so that its peak RSS is its own; the input
is generated first (not timed). Memory is measured at 200k and at 1M rows: flat means the two peaks
are about the same. ``two_at_once`` runs two translations of the 1M-row file in two processes at
the same time: the most that splitting one file between two workers could give on this machine.
``four_files``: the same number of rows in four files, translated with one worker and with two
(``translate(..., workers=2)``: one process per file, merged in file order).

* CSV — payment lines (``payment_detail``), 10 columns, GBK: codes with leading zeros, a code and a
  name in one cell, amounts written with thousands separators, accounting parentheses for refunds,
  a third of the lines to persons (name and citizen ID, 200k distinct people), the rest to firms.
* fixed-width — the shipped ``bank_payroll_fixed`` profile: Yanzhao Bank's GBK payroll layout, 236
  bytes a record, 84k people × 12 months (one record per person per month, a year's file), between
  a batch header (whose region and period every record takes) and a trailer whose count and totals
  the run checks.

``main()`` returns the figures and writes them to ``benchmarks/results/translate.json``.

    .venv/bin/python -m benchmarks.bench_translate [--rows 1000000] [--small 200000]   # or via benchmarks/run.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "translate.json"
ROOT = Path(__file__).resolve().parents[1]

CSV_PROFILE = {
    "id": "bench_payment_csv",
    "name_zh": "基准测试：支付明细 CSV",
    "name_en": "benchmark: payment lines CSV",
    "source": {"format": "csv", "encoding": "gbk"},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "filters": ["blank", "subtotal"],
    "targets": [
        {
            "entity": "payment_detail",
            "fields": {
                "pay_detail_id": {"from": "明细号", "transform": ["trim"]},
                "pay_cert_id": {"from": "凭证号", "transform": ["trim", "upper"]},
                "agency_code": {"from": "单位", "transform": ["trim", {"split_code_name": "code"}, {"leading_zero_guard": 6}]},
                "payee_acct_name": {"from": "收款人", "transform": ["trim"]},
                "payee_acct_no": {"from": "收款账号", "transform": ["trim", "scientific_notation_guard"]},
                "payee_acct_bank_name": {"from": "开户行", "transform": ["trim"]},
                "pay_amt": {"from": "金额", "transform": ["trim", "fullwidth_to_halfwidth", "paren_negative", "thousands", "money"]},
                "per_name": {"from": "姓名", "transform": ["trim"]},
                "iden_no": {"from": "身份证号", "transform": ["trim", "upper"]},
                "add_word": {"from": "附言", "transform": ["trim"]},
            },
        }
    ],
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰凤梅红建国志明海波"
AGENCIES = [f"{100000 + i:06d}" for i in range(1, 400)]


def _people(n: int):
    from jincai.identifiers import make_citizen_id

    base = date(1960, 1, 1)
    out = []
    for i in range(n):
        birth = base + timedelta(days=(i * 37) % 14000)
        cid = make_citizen_id("130681", birth, i % 1000)
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + (GIVEN[(i // 3) % len(GIVEN)] if i % 3 else "")
        acct = f"6222{(i * 7919) % 10**15:015d}"
        out.append((cid, name, acct))
    return out


def make_csv(path: Path, rows: int) -> None:
    people = _people(min(200_000, max(1, rows // 5)))
    header = "明细号,凭证号,单位,收款人,收款账号,开户行,金额,姓名,身份证号,附言\n"
    with open(path, "w", encoding="gbk", newline="") as fh:
        fh.write(header)
        buf = []
        for i in range(rows):
            ag = AGENCIES[i % len(AGENCIES)]
            fen = (i * 7_919_337) % 50_000_000 + 1
            amount = f"{fen // 100:,}.{fen % 100:02d}"
            if i % 97 == 0:
                amount = f'"({amount})"'
            elif "," in amount:
                amount = f'"{amount}"'
            if i % 3 == 0:
                cid, name, acct = people[i % len(people)]
                buf.append(f"MX{i:09d},zf{i // 4:08d},{ag} 某某局,{name},{acct},中国工商银行某某支行,{amount},{name},{cid},\n")
            else:
                buf.append(f"MX{i:09d},zf{i // 4:08d},{ag} 某某局,保定市某某有限公司{i % 997},{(i * 31) % 10**12:012d}01,中国建设银行某某支行,{amount},,,货款\n")
            if len(buf) >= 50_000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))


def make_fixed(path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    from jincai.adapters.profile import load_profile
    from jincai.adapters.readers._fixed import FixedWidthOptions

    layout = FixedWidthOptions.model_validate(load_profile("bank_payroll_fixed").source.options())
    spans = dict(zip([f.name for f in layout.fields], layout.spans()))
    n_people = max(1, rows // 12 + 1)
    people = _people(n_people)

    def seg(name: str, value: str, right: bool = False) -> bytes:
        w = spans[name][1]
        b = value.encode("gb18030")
        return b.rjust(w) if right else b.ljust(w)

    # everything a person has is the same every month: render it once
    fixed_part = []
    for i, (cid, name, acct) in enumerate(people):
        ag = AGENCIES[i % len(AGENCIES)]
        fixed_part.append((seg("单位代码", ag), seg("身份证号", cid) + seg("姓名", name) + seg("账号", acct) + seg("代理行号", "103068100021") + seg("功能科目", "2080505") + seg("经济科目", "30101"), ag))
    def control(kind: str, number: str, gross: int, net: int) -> bytes:
        fen = lambda v: f"{v // 100}.{v % 100:02d}"  # noqa: E731
        return (kind.encode() + b"130681000" + b"2024" + b"12" + seg("流水号", number) + b" " * 15 + b" " * 18 + seg("姓名", "批头" if kind == "H" else "批尾")
                + b" " * (32 + 12 + 13 + 5) + seg("应发金额", fen(gross), True) + b" " * 15 + seg("实发金额", fen(net), True) + b" " * 40)

    total_gross = total_net = 0
    with open(path, "wb") as fh:
        fh.write(control("H", "PC2024120001", 0, 0) + b"\r\n")  # the header's totals are not checked
        buf = []
        n = 0
        for month in range(1, 13):
            for i, (ag_seg, person, ag) in enumerate(fixed_part):
                if n >= rows:
                    break
                n += 1
                gross = 250_000 + (i * 7919) % 650_000
                ded = gross // 7
                total_gross += gross
                total_net += gross - ded
                line = (
                    b"D130681000" + b"2024" + b"%02d" % month + seg("流水号", f"GZ{month:02d}{n:010d}") + ag_seg + person
                    + seg("应发金额", f"{gross // 100}.{gross % 100:02d}", True) + seg("扣款金额", f"{ded // 100}.{ded % 100:02d}", True)
                    + seg("实发金额", f"{(gross - ded) // 100}.{(gross - ded) % 100:02d}", True) + seg("指标编号", f"ZB{ag}001") + seg("凭证号", f"ZF{ag}{month:02d}")
                )
                buf.append(line)
                if len(buf) >= 50_000:
                    fh.write(b"\r\n".join(buf) + b"\r\n")
                    buf.clear()
        if buf:
            fh.write(b"\r\n".join(buf) + b"\r\n")
        fh.write(control("T", str(n), total_gross, total_net) + b"\r\n")


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from jincai.adapters.profile import load_profile, parse_profile
from jincai.adapters.engine import translate
spec = json.loads(sys.argv[1])
profile = parse_profile(spec["profile"]) if isinstance(spec["profile"], dict) else load_profile(spec["profile"])
def _kids(): r = resource.getrusage(resource.RUSAGE_CHILDREN); return r.ru_utime + r.ru_stime
t0 = time.perf_counter(); c0 = time.process_time() + _kids(); e0 = time.time()
inputs = spec["input"] if isinstance(spec["input"], list) else [spec["input"]]
ledger = translate(profile, inputs, spec["out"], workers=spec.get("workers") or 1)
wall = time.perf_counter() - t0; cpu = time.process_time() + _kids() - c0  # worker processes' CPU included
print(json.dumps({{"rows": ledger.source, "translated": ledger.translated, "rejected": ledger.rejected, "filtered": ledger.filtered,
                  "reconciled": ledger.reconciled, "findings": [f.code for f in ledger.findings], "engine": ", ".join(sorted(set(ledger.paths.values()))), "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                  "rows_per_s": round(ledger.source / wall), "span": [e0, time.time()], "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "peak_rss_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}}))
"""


def _run(profile, src: Path | list[Path], out: Path, workers: int = 1) -> dict:
    spec = json.dumps({"profile": profile, "input": [str(p) for p in src] if isinstance(src, list) else str(src), "out": str(out), "workers": workers}, ensure_ascii=False)
    res = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT)), spec], capture_output=True, text=True, cwd=ROOT, check=False)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-2000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def _two_at_once(profile, src: Path, out: Path) -> dict:
    """Two translations of the same file in two processes at the same time: the ceiling of any
    parallel translation on this machine (a split file's two halves cannot go faster than two
    whole files side by side, and merging costs extra)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda i: _run(profile, src, out / str(i)), range(2)))
    # from the first translation's start to the last one's end (interpreter start-up excluded, as above)
    wall = max(r["span"][1] for r in runs) - min(r["span"][0] for r in runs)
    rows = sum(r["rows"] for r in runs)
    return {"rows": rows, "seconds": round(wall, 3), "rows_per_s": round(rows / wall), "cpu_seconds": round(sum(r["cpu_seconds"] for r in runs), 3)}


def main(rows: int | None = None, small: int | None = None, write: bool = True) -> dict:
    """Rows/s (wall and per CPU second) and peak RSS of translating a GBK CSV and a GBK fixed-width
    file of ``rows`` rows (default 1M, times ``JINCAI_BENCH_SCALE``), and peak RSS at ``small`` rows
    (default a fifth) to show that memory does not grow with the file."""
    scale = float(os.environ.get("JINCAI_BENCH_SCALE") or 1)
    rows = rows or max(1000, int(1_000_000 * scale))
    small = small or max(200, rows // 5)
    results: dict = {"rows": rows, "small_rows": small, "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}}
    with tempfile.TemporaryDirectory(prefix="jincai-bench-") as tmp:
        t = Path(tmp)
        for kind, maker, profile in (("csv_gbk", make_csv, CSV_PROFILE), ("fixed_width_gbk", make_fixed, "bank_payroll_fixed")):
            figures = {}
            for n in (small, rows):
                src = t / f"{kind}_{n}.txt"
                t0 = time.perf_counter()
                maker(src, n)
                gen = time.perf_counter() - t0
                r = _run(profile, src, t / f"out_{kind}_{n}")
                r["input_mb"] = round(src.stat().st_size / 2**20, 1)
                r["generate_seconds"] = round(gen, 1)
                r.pop("span", None)
                figures[str(n)] = r
                if n == rows:
                    both = _two_at_once(profile, src, t / f"pair_{kind}")
                src.unlink()
            # the same rows as four files (a county's quarterly exports): one worker, then two
            parts = []
            for k in range(4):
                parts.append(t / f"{kind}_part{k}.txt")
                maker(parts[-1], rows // 4)
            files4 = {str(w): _run(profile, parts, t / f"out_{kind}_4files_w{w}", workers=w) for w in (1, 2)}
            for p in parts:
                p.unlink()
            big, little = figures[str(rows)], figures[str(small)]
            results[kind] = {
                "rows_per_s": big["rows_per_s"],
                "rows_per_cpu_s": round(big["rows"] / big["cpu_seconds"]) if big["cpu_seconds"] else None,
                "peak_rss_mb_small": little["peak_rss_mb"],
                "peak_rss_mb_large": big["peak_rss_mb"],
                "runs": figures,
                # what a second worker could add at most: two whole translations side by side
                "cores_busy_one_run": round(big["cpu_seconds"] / big["seconds"], 2) if big["seconds"] else None,
                "two_at_once": both,
                "two_at_once_speedup": round(both["rows_per_s"] / big["rows_per_s"], 2),
                "four_files": {**{f"workers_{w}": {k: r[k] for k in ("rows", "seconds", "cpu_seconds", "rows_per_s", "peak_rss_mb", "peak_rss_mb_worker")} for w, r in files4.items()},
                               "speedup": round(files4["2"]["rows_per_s"] / files4["1"]["rows_per_s"], 2)},
            }
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--small", type=int, default=None)
    a = ap.parse_args()
    print(json.dumps(main(a.rows, a.small), ensure_ascii=False, indent=2))
