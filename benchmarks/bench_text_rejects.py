"""Memory of the text readers when (nearly) every line is rejected (issue 7 item 11).

A 6 MB fixed-width file of 2 M short lines once took more than 4 GiB: every line was a rejected
record kept as a Python object for the whole block. Here the same shape of input is translated end
to end — the shipped ``bank_payroll_fixed`` profile on a file of a valid header, ``lines`` lines of
``D1`` and a valid trailer; the CSV benchmark profile on a GBK CSV of a header and ``lines`` lines
with one field instead of ten — at a fifth of the lines and at all of them, each in a fresh process,
so that the two peak RSS figures show whether memory grows with the number of rejects (it must not).

    .venv/bin/python -m benchmarks.bench_text_rejects [--lines 2000000]   # or: make bench
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_fixed(path: Path, lines: int) -> None:
    sample = (ROOT / "adapters" / "bank_payroll_fixed" / "samples" / "YZB_GZ_130681000_202401.txt").read_bytes().split(b"\r\n")
    with open(path, "wb") as fh:
        fh.write(sample[0] + b"\r\n")
        for _ in range(0, lines, 100_000):
            fh.write(b"D1\n" * min(100_000, lines))
        fh.write(sample[-2] + b"\r\n")


def make_csv(path: Path, lines: int) -> None:
    with open(path, "wb") as fh:
        fh.write("明细号,凭证号,单位,收款人,收款账号,开户行,金额,姓名,身份证号,附言\n".encode("gbk"))
        for _ in range(0, lines, 100_000):
            fh.write(b"1\n" * min(100_000, lines))


def main(lines: int | None = None) -> dict:
    """Peak RSS and seconds of translating ``lines`` rejected lines (default 2 M × ``JINCAI_BENCH_SCALE``)
    and a fifth of them, for a fixed-width and a CSV file."""
    from benchmarks.bench_translate import CSV_PROFILE, _run

    scale = float(os.environ.get("JINCAI_BENCH_SCALE") or 1)
    lines = lines or max(1000, int(2_000_000 * scale))
    small = max(200, lines // 5)
    results: dict = {"lines": lines, "small_lines": small, "machine": {"cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}}
    with tempfile.TemporaryDirectory(prefix="jincai-bench-") as tmp:
        t = Path(tmp)
        for kind, maker, profile in (("fixed_width_short_lines", make_fixed, "bank_payroll_fixed"), ("csv_one_field_lines", make_csv, CSV_PROFILE)):
            runs = {}
            for n in (small, lines):
                src = t / f"{kind}_{n}.txt"
                maker(src, n)
                r = _run(profile, src, t / f"out_{kind}_{n}")
                r["input_mb"] = round(src.stat().st_size / 2**20, 1)
                runs[str(n)] = r
                src.unlink()
            results[kind] = {
                "rejected": runs[str(lines)]["rejected"],
                "peak_rss_mb_small": runs[str(small)]["peak_rss_mb"],
                "peak_rss_mb_large": runs[str(lines)]["peak_rss_mb"],
                "seconds_large": runs[str(lines)]["seconds"],
                "runs": runs,
            }
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=None)
    a = ap.parse_args()
    print(json.dumps(main(a.lines), ensure_ascii=False, indent=2))
