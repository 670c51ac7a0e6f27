"""Small workbooks that ask for huge resources (issue 7 item 11), and what jincai spends on them.

Each bomb is the shipped ``county_reports_excel`` sample workbook with one part changed:

* ``merged``  — a thousand disjoint merged ranges per sheet, each two rows of every column (A:XFD), ≈ 26 KB;
* ``dimension`` — a forged ``<dimension ref="A1:XFD1048576">`` on every sheet, ≈ 10 KB;
* ``zip``     — a worksheet padded with 2.1 GB of blanks (zip ratio ≈ 1,000), ≈ 2 MB;
* ``shared_strings`` — a shared-strings table of 100 M short strings (≈ 1.9 GB of XML), ≈ 2 MB.

Before the fix these took over 4 GiB (merged, dimension in ``codes import``), hung (dimension and
zip in ``translate``) or took 3 GB (shared strings). Each runs here through ``jincai translate``
(the sample's profile) and ``jincai codes import --dry-run`` in a fresh process under
``/usr/bin/time -v``: exit code, the error code jincai printed, wall seconds and peak RSS go to
``benchmarks/results/xlsx_bombs.json``. ``--scale`` shrinks the two big ones (for a quick check).

    .venv/bin/python -m benchmarks.bench_xlsx_bombs [--scale 1.0]   # or via benchmarks/run.py

``tests/test_adapter_readers_limits.py`` builds the same bombs (smaller where the check does not
depend on size) and checks the error codes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "xlsx_bombs.json"
SAMPLE = ROOT / "adapters" / "county_reports_excel" / "samples" / "2024年财政收支月报.xlsx"
_BLANK_CHUNK = b" " * (1 << 20)


def _members(source: Path = SAMPLE) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _sheets(members: dict[str, bytes]) -> list[str]:
    return sorted(n for n in members if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _write(path: Path, members: dict[str, bytes], big: dict[str, tuple[bytes, int]] | None = None) -> Path:
    """A zip of ``members``; ``big`` members (head, MiB of blanks) are streamed, never held whole."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in members.items():
            if big and name in big:
                head, mib = big[name]
                with z.open(name, "w", force_zip64=True) as fh:
                    fh.write(head)
                    for _ in range(mib):
                        fh.write(_BLANK_CHUNK)
            else:
                z.writestr(name, data)
    return path


def merged_bomb(path: Path, ranges: int = 1000) -> Path:
    """Disjoint merged ranges over two whole rows each (A:XFD): openpyxl's and the old reader's
    per-cell expansion of them is 65 M cells for a 13 KB file."""
    m = _members()
    merges = b"".join(b'<mergeCell ref="A%d:XFD%d"/>' % (k * 3 + 100, k * 3 + 101) for k in range(ranges))
    for name in _sheets(m):
        body = m[name]
        if b"<mergeCells" in body:  # the sheet's own ranges stay, the bomb's are added
            m[name] = re.sub(rb"<mergeCells[^>]*>", b"<mergeCells>" + merges, body, count=1)
        else:
            m[name] = body.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)
    return _write(path, m)


def dimension_bomb(path: Path) -> Path:
    """Every sheet declares A1:XFD1048576 (17 G cells) over its 43 rows."""
    m = _members()
    for name in _sheets(m):
        m[name] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', m[name])
    return _write(path, m)


def zip_bomb(path: Path, mib: int = 2100) -> Path:
    """The first data sheet followed by ``mib`` MiB of blanks (legal XML whitespace)."""
    m = _members()
    name = _sheets(m)[1]
    return _write(path, m, {name: (m[name], mib)})


def shared_strings_bomb(path: Path, strings: int = 100_000_000) -> Path:
    """A shared-strings table of ``strings`` two-character strings after the real ones."""
    m = _members()
    sst = m["xl/sharedStrings.xml"]
    head, _, _ = sst.rpartition(b"</sst>")
    head = re.sub(rb'(count|uniqueCount)="[0-9]+"', lambda g: g.group(1) + b'="%d"' % strings, head)
    unit = b"<si><t>ab</t></si>"
    per = (1 << 20) // len(unit)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in m.items():
            if name != "xl/sharedStrings.xml":
                z.writestr(name, data)
                continue
            with z.open(name, "w", force_zip64=True) as fh:
                fh.write(head)
                block = unit * per
                for _ in range(strings // per):
                    fh.write(block)
                fh.write(b"</sst>")
    return path


BOMBS = {"merged": merged_bomb, "dimension": dimension_bomb, "zip": zip_bomb, "shared_strings": shared_strings_bomb}


def _run(argv: list[str], cwd: Path) -> dict:
    start = time.time()
    proc = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "jincai", *argv], cwd=cwd, capture_output=True, text=True, timeout=900)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    code = re.search(r"\b(limit-[a-z-]+|adapter-[a-z-]+|codelist-[a-z-]+)\b", proc.stderr + proc.stdout)
    return {
        "exit": proc.returncode,
        "error_code": code.group(1) if code else None,
        "seconds": round(time.time() - start, 2),
        "peak_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None,
    }


def main(scale: float | None = None) -> dict:
    if scale is None:
        scale = float(os.environ.get("JINCAI_BENCH_SCALE") or 1)
    out: dict = {"command": "python -m benchmarks.bench_xlsx_bombs", "scale": scale, "bombs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for name, build in BOMBS.items():
            path = tmpdir / f"{name}.xlsx"
            if name == "zip":
                build(path, max(1, int(2100 * scale)))
            elif name == "shared_strings":
                build(path, max(1000, int(100_000_000 * scale)))
            else:
                build(path)
            entry = {"file_bytes": path.stat().st_size}
            entry["translate"] = _run(["translate", "--profile", "county_reports_excel", str(path), "--out", str(tmpdir / f"out-{name}")], ROOT)
            entry["codes_import"] = _run(["codes", "import", "exp_func", str(path), "--year", "2025", "--dry-run"], ROOT)
            out["bombs"][name] = entry
            print(name, json.dumps(entry), flush=True)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=None, help="default: $JINCAI_BENCH_SCALE or 1")
    args = ap.parse_args()
    result = main(args.scale)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
