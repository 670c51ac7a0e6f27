"""``make fuzz``: throw damaged and hostile files at every reader and command, and check the invariants.

What a run does: build a corpus of seeds (the shipped adapters' samples and defect files, a small
``jincai sample`` region in JSON Lines, CSV, Avro and Parquet, a code list, the shipped profiles),
derive mutated inputs from them (byte flips, insertions, deletions, truncations, line-end changes,
spliced chunks, hostile values — formulas, citizen IDs, control characters —, and format-aware
mutations of zip members, DBF headers and XML), and run each through the command that reads it
(``translate``, ``validate``, ``adapter init``/``check``, ``codes import``), each in its own sandbox
folder and forked process with a time and memory watchdog. Every run is held to the invariants:

* ``exit``   — the exit code is 0, 1 or 2 (3 is "jincai bug"; a signal is a crash);
* ``hang``   — it ends within ``--timeout`` seconds (60);
* ``memory`` — its peak RSS stays under ``--max-rss-mib`` (1,024);
* ``loss``   — a translation's ledger reconciles (rows and money) and, where the format allows an
  independent count (fixed-width lines, DBF records from the file's length), every record of the
  file is in the ledger;
* ``pii``    — no citizen ID or personal bank account from the input appears in full in anything
  written for people (stdout, stderr, reports, ledgers, drafts), ``rejected.csv`` and the canonical
  records themselves excepted (documented as sensitive / being the data);
* ``formula``— no cell that jincai writes for people starts a formula (CSV cells starting with
  ``=``/``@``/``+``/``-`` not followed by a number, or an XLSX formula cell);
* ``escape`` — nothing outside the run's output folder is created or changed (the inputs are
  hashed; the sandbox's home and temp folders are checked), and no content of ``/etc/passwd`` or
  the environment reaches any output.

``python -m benchmarks.fuzz --count 5000 [--seed S] [--jobs 2]`` writes
``benchmarks/results/fuzz.json`` (counts per command, format and invariant, the limits in force)
and, for each finding, a reproducer under ``benchmarks/results/fuzz-findings/`` (small inputs
only). ``tests/test_fuzz.py`` runs a short, fixed-seed round in ``make test``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import struct
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
ADAPTERS = ROOT / "adapters"
RESULTS = Path(__file__).resolve().parent / "results"
INVARIANTS = ("exit", "hang", "memory", "loss", "pii", "formula", "escape")

# ------------------------------------------------------------------------------------------------
# seeds
# ------------------------------------------------------------------------------------------------


@dataclass
class Seed:
    name: str  # e.g. "translate/bank_payroll_fixed/YZB…txt"
    command: str  # translate | validate | init | check | codes
    fmt: str  # the reader/format family, for the tally
    files: dict[str, bytes]  # file name → content (the first one is the one mutated)
    args: Callable[[Path, list[Path]], list[str]]  # (out dir, input paths) → argv after "jincai"
    secrets: set[str] = field(default_factory=set)  # personal values that must never leak


_ID18 = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_citizen_id(s: str) -> bool:
    if not re.fullmatch(r"[1-9][0-9]{16}[0-9X]", s):
        return False
    total = sum(int(c) * w for c, w in zip(s[:17], _W))
    return "10X98765432"[total % 11] == s[17]


def citizen_ids(data: bytes) -> set[str]:
    """Every valid GB 11643 citizen ID in ``data`` (as ASCII digits, in UTF-8/GBK/UTF-16 text)."""
    found = set()
    for blob in (data, _utf16_ascii(data)):
        for m in _ID18.finditer(blob):
            s = m.group().decode().upper()
            if _valid_citizen_id(s):
                found.add(s)
    return found


def _utf16_ascii(data: bytes) -> bytes:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            return b""
    return b""


def _payroll_accounts() -> set[str]:
    """Personal bank accounts of the payroll sample (per_acct_no of the expected records)."""
    out = set()
    for p in (ADAPTERS / "bank_payroll_fixed" / "expected").glob("*.jsonl"):
        for line in p.read_text(encoding="utf-8").splitlines():
            acct = json.loads(line).get("per_acct_no")
            if acct:
                out.add(acct)
    return out


def _translate_args(profile: str) -> Callable[[Path, list[Path]], list[str]]:
    return lambda out, ins: ["translate", "--profile", profile, *map(str, ins), "--out", str(out)]


def adapter_seeds() -> list[Seed]:
    seeds = []
    accounts = _payroll_accounts()
    for folder in sorted(p for p in ADAPTERS.iterdir() if (p / "profile.yaml").is_file()):
        profile = folder.name
        fmt = re.search(r"^\s*format:\s*(\S+)", (folder / "profile.yaml").read_text(encoding="utf-8"), re.M).group(1)
        groups: list[list[Path]] = []
        samples = sorted((folder / "samples").glob("*"))
        defects = sorted(p for p in (folder / "defects").glob("*") if p.is_file() and p.suffix.lower() not in (".json",))
        for files in (samples, defects):
            main = [p for p in files if p.suffix.upper() != ".FPT"]
            side = [p for p in files if p.suffix.upper() == ".FPT"]
            for m in main[:2]:
                groups.append([m] + [s for s in side if s.stem == m.stem])
        for group in groups:
            data = {p.name: p.read_bytes() for p in group}
            secrets = set().union(*(citizen_ids(b) for b in data.values()))
            if fmt == "fixed_width":
                secrets |= accounts
            seeds.append(Seed(f"translate/{profile}/{group[0].name}", "translate", fmt, data, _translate_args(profile), secrets))
            seeds.append(Seed(f"init/{profile}/{group[0].name}", "init", fmt, {group[0].name: data[group[0].name]}, lambda out, ins: ["adapter", "init", *map(str, ins), "--out", str(out / "draft.yaml")], secrets))
        text = (folder / "profile.yaml").read_bytes()
        # a profile is an input too: mutate it and check it against its own samples
        sample = samples[0]
        pdata = {"profile.yaml": text, sample.name: sample.read_bytes()}
        for s in samples:
            if s.suffix.upper() == ".FPT" and s.stem == sample.stem:
                pdata[s.name] = s.read_bytes()
        seeds.append(Seed(f"check/{profile}", "check", "profile", {"profile.yaml": text}, lambda out, ins: ["adapter", "check", str(ins[0])]))
        seeds.append(
            Seed(
                f"translate-profile/{profile}",
                "translate",
                "profile",
                pdata,
                lambda out, ins: ["translate", "--profile", str(ins[0]), *[str(p) for p in ins[1:] if p.suffix.upper() != ".FPT"], "--out", str(out)],
                citizen_ids(pdata[sample.name]) | (accounts if fmt == "fixed_width" else set()),
            )
        )
    return seeds


def validate_seeds(work: Path) -> list[Seed]:
    """A small county year from ``jincai sample`` (cut to a few rows an entity), in every format."""
    seeds = []
    for fmt in ("jsonl", "csv", "avro"):
        d = work / f"sample-{fmt}"
        if not d.exists():
            _jincai(["sample", "--out", str(d), "--region", "130681", "--year", "2024", "--scale", "1", "--format", fmt])
        for entity in ("payment_voucher", "payroll_record", "payment_detail", "budget_indicator", "accounting_voucher_line"):
            src = d / f"{entity}.{fmt}"
            if not src.exists():
                continue
            data = _cut(src, fmt, 40)
            seeds.append(Seed(f"validate/{fmt}/{entity}", "validate", fmt, {src.name: data}, _validate_args, citizen_ids(data)))
            if fmt == "jsonl":
                pq = _to_parquet(data)
                seeds.append(Seed(f"validate/parquet/{entity}", "validate", "parquet", {f"{entity}.parquet": pq}, _validate_args, citizen_ids(data)))
    return seeds


def _validate_args(out: Path, ins: list[Path]) -> list[str]:
    return ["validate", *map(str, ins), "--format", "json", "--out", str(out / "report.json")]


def _validate_xlsx_args(out: Path, ins: list[Path]) -> list[str]:
    return ["validate", *map(str, ins), "--format", "xlsx", "--out", str(out / "report.xlsx")]


def _validate_csv_args(out: Path, ins: list[Path]) -> list[str]:
    return ["validate", *map(str, ins), "--format", "csv", "--out", str(out / "report.csv")]


def _cut(path: Path, fmt: str, n: int) -> bytes:
    if fmt in ("jsonl", "csv"):
        lines = path.read_bytes().splitlines(keepends=True)
        return b"".join(lines[: n + (1 if fmt == "csv" else 0)])
    import fastavro

    with open(path, "rb") as fh:
        reader = fastavro.reader(fh)
        schema = reader.writer_schema
        rows = [r for _, r in zip(range(n), reader)]
    buf = io.BytesIO()
    fastavro.writer(buf, schema, rows)
    return buf.getvalue()


def _to_parquet(jsonl: bytes) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(x) for x in jsonl.splitlines() if x.strip()]
    cols = sorted({k for r in rows for k in r})
    table = pa.table({c: pa.array([None if r.get(c) is None else str(r.get(c)) for r in rows], pa.string()) for c in cols})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def codes_seeds() -> list[Seed]:
    path = ROOT / "standards" / "codelists" / "exp_func.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    code_i, name_i = header.index("code"), header.index("name_zh") if "name_zh" in header else 1
    body = ["编码,名称"] + [f"{r.split(',')[code_i]},{r.split(',')[name_i]}" for r in lines[1:40]]
    csv_bytes = ("\n".join(body) + "\n").encode("utf-8")
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in body:
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)

    def args(out: Path, ins: list[Path]) -> list[str]:
        lists = out / "codelists"
        if not lists.exists():
            shutil.copytree(ROOT / "standards" / "codelists", lists)
        return ["codes", "import", "exp_func", str(ins[0]), "--year", "2025", "--codelists", str(lists)]

    return [Seed("codes/csv", "codes", "csv", {"exp_func_2025.csv": csv_bytes}, args), Seed("codes/xlsx", "codes", "xlsx", {"exp_func_2025.xlsx": buf.getvalue()}, args)]


# ------------------------------------------------------------------------------------------------
# mutations
# ------------------------------------------------------------------------------------------------

HOSTILE_VALUES = [
    b"=HYPERLINK(\"http://x.example/\",\"click\")",
    b"=1+1",
    b"@SUM(A1:A9)",
    b"+cmd|' /C calc'!A0",
    b"-2+3",
    b"\t=1",
    b"\r=1",
    b"110101199003078515",  # a valid citizen ID
    b"\x00",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\xff\xfe",
    b"9" * 400,
    b"6.22E+18",
    b"'; DROP TABLE x; --",
    b"(SELECT content FROM read_text('/etc/passwd'))",
    b"<!ENTITY x SYSTEM \"file:///etc/passwd\">",
    b"&x;",
    b"../../../../etc/passwd",
]


def _byte_mutation(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    b = bytearray(data)
    kind = rng.randrange(12)
    i = rng.randrange(len(b))
    if kind == 0:  # flip bits
        for _ in range(rng.randint(1, 8)):
            j = rng.randrange(len(b))
            b[j] ^= 1 << rng.randrange(8)
    elif kind == 1:  # random bytes
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 2:  # delete a span
        del b[i : i + rng.randint(1, 256)]
    elif kind == 3:  # insert junk
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif kind == 4:  # truncate
        del b[rng.randrange(len(b)) :]
    elif kind == 5:  # duplicate a span
        j = min(len(b), i + rng.randint(1, 2048))
        b[j:j] = b[i:j]
    elif kind == 6:  # line ends
        b = bytearray(rng.choice([data.replace(b"\r\n", b"\r"), data.replace(b"\r\n", b"\n"), data.replace(b"\n", b"\r\n"), data.replace(b"\r\n", b"")]))
    elif kind == 7:  # a hostile value somewhere
        b[i:i] = rng.choice(HOSTILE_VALUES)
    elif kind == 8:  # change a digit
        digits = [k for k in range(len(b)) if 48 <= b[k] <= 57]
        for _ in range(rng.randint(1, 4)):
            if digits:
                b[rng.choice(digits)] = rng.randrange(48, 58)
    elif kind == 9:  # swap two spans
        j = rng.randrange(len(b))
        a, c = sorted((i, j))
        n = min(rng.randint(1, 64), c - a)
        b[a : a + n], b[c : c + n] = b[c : c + n], b[a : a + n]
    elif kind == 10:  # many short lines
        b = bytearray(b"\n".join([b"H"] * rng.randint(1000, 50000)))
    else:  # a huge line
        b[i:i] = b"A" * rng.randint(100_000, 3_000_000)
    return bytes(b)


def _zip_mutation(data: bytes, rng: random.Random) -> bytes:
    """Mutate one member of a zip (xlsx) and re-zip; sometimes forge sizes or add bombs."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    except Exception:  # noqa: BLE001 - the seed itself was damaged; fall back to bytes
        return _byte_mutation(data, rng)
    names = sorted(members)
    kind = rng.randrange(6)
    sheets = [n for n in names if n.startswith("xl/worksheets/")] or names
    if kind == 0:
        n = rng.choice(names)
        members[n] = _byte_mutation(members[n], rng)
    elif kind == 1:  # forge the dimension
        n = rng.choice(sheets)
        members[n] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', members[n])
    elif kind == 2:  # merged-cell bomb
        n = rng.choice(sheets)
        merges = b"".join(b'<mergeCell ref="A%d:XFD%d"/>' % (k * 3 + 1, k * 3 + 2) for k in range(rng.randint(10, 400)))
        body = members[n]
        if b"<mergeCells" in body:
            body = re.sub(rb"<mergeCells[^>]*>", b"<mergeCells>" + merges, body, count=1)
        else:
            body = body.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)
        members[n] = body
    elif kind == 3:  # a big, very compressible member (zip bomb lite: 300 MB of zeros)
        members["xl/worksheets/sheet1.xml"] = members.get("xl/worksheets/sheet1.xml", b"") + b" " * (300 << 20)
    elif kind == 4:  # cell references out of range / garbage
        n = rng.choice(sheets)
        members[n] = re.sub(rb' r="[A-Z]+', lambda m: b' r="' + rng.choice([b"ZZZZ", b"A", b"XFE", b"", b"1"]), members[n], count=rng.randint(1, 5))
    else:  # hostile values into shared strings
        n = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in members else rng.choice(names)
        members[n] = re.sub(rb"<t>([^<]*)</t>", lambda m: b"<t>" + rng.choice(HOSTILE_VALUES[:8]).replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b'"', b"&quot;") + b"</t>", members[n], count=3)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in names + [k for k in members if k not in names]:
            zout.writestr(n, members[n])
    return buf.getvalue()


def _dbf_mutation(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 32 or rng.random() < 0.4:
        return _byte_mutation(data, rng)
    b = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0:
        struct.pack_into("<I", b, 4, rng.choice([0, 1, struct.unpack_from("<I", b, 4)[0] - 1, struct.unpack_from("<I", b, 4)[0] + 5, 0xFFFFFFFF]))
    elif kind == 1:
        struct.pack_into("<H", b, 8, rng.choice([0, 33, 65535, struct.unpack_from("<H", b, 8)[0] + 1]))
    elif kind == 2:
        struct.pack_into("<H", b, 10, rng.choice([0, 1, 65535, struct.unpack_from("<H", b, 10)[0] - 1]))
    else:
        b[29] = rng.randrange(256)  # code page byte
    return bytes(b)


def mutate(seed: Seed, rng: random.Random) -> dict[str, bytes]:
    files = dict(seed.files)
    name = next(iter(files))
    data = files[name]
    low = name.lower()
    if low.endswith(".xlsx") or (data[:2] == b"PK" and rng.random() < 0.8):
        files[name] = _zip_mutation(data, rng)
    elif low.endswith(".dbf"):
        files[name] = _dbf_mutation(data, rng)
    elif low.endswith(".yaml"):
        files[name] = _yaml_mutation(data, rng)
    else:
        files[name] = _byte_mutation(data, rng)
        if rng.random() < 0.15:
            files[name] = _byte_mutation(files[name], rng)
    return files


_YAML_BOMB = b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n'


def _yaml_mutation(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    if kind == 0:
        return data + b"\n" + _YAML_BOMB
    if kind == 1:
        return data + b"\nnested: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    if kind == 2:  # a catastrophic regex where the profile has a pattern
        return re.sub(rb"pattern: *\"[^\"]*\"", b'pattern: "^(a+)+$"', data, count=1) if b"pattern:" in data else data + b"\n"
    if kind == 3:  # a file outside the folder
        return re.sub(rb"(file|memo_file|crosswalk): *\S+", rb"\1: /etc/passwd", data, count=1) if re.search(rb"(file|memo_file|crosswalk):", data) else data.replace(b"targets:", b"crosswalks:\n  x: {file: /proc/self/environ}\ntargets:", 1)
    if kind == 4:  # a query that writes or reads files
        q = rng.choice([b"COPY (SELECT 1) TO '/tmp/jincai-fuzz-pwned.csv'", b"SELECT * FROM read_text('/etc/passwd')", b"SELECT 1; SELECT 2", b"ATTACH '/tmp/x.db' AS x"])
        return re.sub(rb"query: \|\n(?:    .*\n)+", b"query: |\n    " + q + b"\n", data, count=1) if b"query:" in data else data
    if kind == 5:  # an invalid regex
        return re.sub(rb"pattern: *\"[^\"]*\"", b'pattern: "([a-"', data, count=1) if b"pattern:" in data else data
    return _byte_mutation(data, rng)


# ------------------------------------------------------------------------------------------------
# running one case: a forked child in its own sandbox, watched for time and memory
# ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    exit: int | None
    signal: int | None
    seconds: float
    max_rss_mib: float
    killed_for: str | None


def _jincai(argv: list[str]) -> None:
    import subprocess

    subprocess.run([sys.executable, "-m", "jincai", *argv], check=True, capture_output=True, cwd=ROOT)


def _child(argv: list[str], sandbox: Path) -> None:
    """In the forked child: become a fresh ``jincai`` invocation inside the sandbox."""
    try:
        os.setsid()
        os.chdir(sandbox)
        for name, path in (("HOME", "home"), ("TMPDIR", "tmp"), ("XDG_CACHE_HOME", "home/.cache")):
            os.environ[name] = str(sandbox / path)
        tempfile.tempdir = str(sandbox / "tmp")
        out = os.open(sandbox / "stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(sandbox / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        nul = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nul, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.argv = ["jincai", *argv]
        from jincai.cli import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    except BaseException:  # noqa: BLE001 - anything escaping main() is a crash of the CLI itself
        import traceback

        traceback.print_exc()
        os._exit(70)


_FRESH_RSS_MIB: float | None = None  # the worker's RSS once the CLI is imported (see run_case)


def run_case(argv: list[str], sandbox: Path, timeout: float, max_rss_mib: float) -> Outcome:
    """Fork a case and watch it. A forked child's RSS (and ru_maxrss) starts with every page its
    parent holds, and the worker's own heap grows as it checks outputs, so the child's figure is
    normalised to a fresh worker's: peak − the worker's RSS at this fork + its RSS when it started
    (the 5,000-case run's one memory finding was this: a 6 KB CSV "at 1,034 MiB", 175 MiB replayed)."""
    global _FRESH_RSS_MIB
    own = _rss_self_mib()
    if _FRESH_RSS_MIB is None:
        _FRESH_RSS_MIB = own
    inherited = own - _FRESH_RSS_MIB
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        _child(argv, sandbox)
    killed = None
    peak = 0.0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        rss = _rss_mib(pid)
        peak = max(peak, rss)
        if rss - inherited > max_rss_mib * 1.5:  # far over: stop it before it hurts the machine
            killed = "memory"
        elif time.monotonic() - start > timeout:
            killed = "hang"
        if killed:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02)
    secs = time.monotonic() - start
    peak = max(peak, usage.ru_maxrss / 1024) - max(inherited, 0.0)
    if os.WIFEXITED(status):
        return Outcome(os.WEXITSTATUS(status), None, secs, peak, killed)
    return Outcome(None, os.WTERMSIG(status), secs, peak, killed)


def _rss_self_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_mib(pid: int) -> float:
    """RSS of the child and its process group (DuckDB and polars run in-process; subprocesses count too).
    Until the child has called setsid() its group is the caller's (under pytest: pytest's, GiBs), so
    only the child itself counts then — CI once killed a case "for memory" before it had started."""
    total = 0
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return 0.0
    if pgid != pid:
        pgid = None
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if (int(fields[2]) != pgid) if pgid is not None else (int(entry.name) != pid):
                continue
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / (1 << 20)


# ------------------------------------------------------------------------------------------------
# invariants
# ------------------------------------------------------------------------------------------------

_PEOPLE_EXEMPT = re.compile(r"^(rejected\.csv|[a-z_]+\.(jsonl|avro))$")
_FORMULA_CELL = re.compile(r'^(?:[=@]|[+\-](?![0-9.]+$)|\t|\r)')


def check(seed: Seed, files: dict[str, bytes], sandbox: Path, outcome: Outcome, limits: dict) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stdout = (sandbox / "stdout").read_bytes() if (sandbox / "stdout").exists() else b""
    stderr = (sandbox / "stderr").read_bytes() if (sandbox / "stderr").exists() else b""
    if outcome.killed_for == "hang":
        found.append(("hang", f"over {limits['timeout']} s"))
    if outcome.killed_for == "memory" or outcome.max_rss_mib > limits["max_rss_mib"]:
        found.append(("memory", f"peak RSS {outcome.max_rss_mib:.0f} MiB"))
    if not outcome.killed_for and (outcome.exit not in (0, 1, 2)):
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        why = next((x for x in lines if "internal error" in x), lines[-1] if lines else "")
        found.append(("exit", f"exit {outcome.exit} signal {outcome.signal}: {why[:300]}"))
    out = sandbox / "out"
    # loss: the ledger of a translation
    if seed.command == "translate" and outcome.exit in (0, 1):
        ledger = out / "ledger.json"
        if not ledger.exists():
            found.append(("loss", "translate ended 0/1 without a ledger"))
        else:
            led = json.loads(ledger.read_text(encoding="utf-8"))
            if not led.get("reconciled", False):
                found.append(("loss", "ledger does not reconcile"))
            rows = led.get("rows", {})
            if rows.get("source", 0) != rows.get("translated", 0) + rows.get("rejected", 0) + rows.get("filtered", 0):
                found.append(("loss", f"rows {rows}"))
            found += _independent_count(seed, files, led)
    # pii: nothing personal in what people read
    secrets = seed.secrets | set().union(*(citizen_ids(b) for b in files.values())) if files else seed.secrets
    if secrets:
        for name, blob in _people_outputs(sandbox, stdout, stderr):
            for s in secrets:
                if s.encode() in blob:
                    found.append(("pii", f"{name} holds {s[:4]}…{s[-2:]} in full"))
                    break
    # formula: cells jincai writes for people
    for name, cell in _cells(out):
        if _FORMULA_CELL.match(cell):
            found.append(("formula", f"{name}: {cell[:40]!r}"))
            break
    # escape: nothing touched outside the output folder
    for rel, data in files.items():
        p = sandbox / "in" / rel
        if not p.exists() or hashlib.sha256(p.read_bytes()).digest() != hashlib.sha256(data).digest():
            found.append(("escape", f"input {rel} was changed"))
    for p in sandbox.rglob("*"):
        rel = p.relative_to(sandbox).as_posix()
        if rel in ("stdout", "stderr", "in", "out", "tmp", "home", "home/.cache") or rel.startswith(("in/", "out/", "home/.cache/jincai")):
            continue
        if p.is_file():
            found.append(("escape", f"left {rel}"))
            break
    if Path("/tmp/jincai-fuzz-pwned.csv").exists():
        found.append(("escape", "a profile query wrote /tmp/jincai-fuzz-pwned.csv"))
        Path("/tmp/jincai-fuzz-pwned.csv").unlink()
    leaked = b"root:x:0:0" in stdout + stderr or any(b"root:x:0:0" in blob for _, blob in _all_outputs(out))
    if leaked:
        found.append(("escape", "content of /etc/passwd reached an output"))
    return found


def _independent_count(seed: Seed, files: dict[str, bytes], led: dict) -> list[tuple[str, str]]:
    """Where the format allows, count the file's records without jincai and compare."""
    name = next((n for n in files if not n.endswith(".yaml") and not n.upper().endswith(".FPT")), None)
    if name is None:
        return []
    data = files[name]
    per_file = {Path(f["file"]).name: f for f in led.get("files", [])}
    f = per_file.get(name)
    if f is None:
        return [("loss", f"{name} is not in the ledger")] if data.strip() else []
    source = f["rows"]["source"]
    if seed.fmt == "fixed_width":
        body = data[:-1] if data.endswith(b"\x1a") else data  # a DOS end-of-file mark is not a line
        lines = [x for x in re.split(rb"\r\n|\r|\n", body)]
        if lines and lines[-1] == b"":
            lines.pop()
        if source < len(lines) - f.get("preamble_lines", 0):
            return [("loss", f"{len(lines)} lines, ledger has {source} source rows")]
    if seed.fmt == "dbf" and len(data) >= 12:
        header_len, record_len = struct.unpack_from("<HH", data, 8)
        if record_len > 1 and header_len < len(data):
            body = len(data) - header_len
            whole = body // record_len
            if source < whole - 1 and not data[header_len:].startswith(b"\x1a"):
                return [("loss", f"file holds ≥{whole - 1} records, ledger has {source}")]
    return []


def _all_outputs(out: Path):
    if not out.exists():
        return
    for p in out.rglob("*"):
        if p.is_file() and p.stat().st_size < 64 << 20:
            yield p.relative_to(out).as_posix(), _readable(p)


def _readable(p: Path) -> bytes:
    data = p.read_bytes()
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return b"".join(z.read(i) for i in z.infolist() if i.file_size < 64 << 20)
        except Exception:  # noqa: BLE001
            return data
    return data


def _people_outputs(sandbox: Path, stdout: bytes, stderr: bytes):
    yield "stdout", stdout
    yield "stderr", stderr
    for rel, blob in _all_outputs(sandbox / "out"):
        if rel.startswith("codelists/"):
            continue
        if not _PEOPLE_EXEMPT.match(Path(rel).name):
            yield rel, blob


def _cells(out: Path):
    """Cells of the CSV and XLSX files jincai wrote for people (not the canonical data)."""
    import csv

    if not out.exists():
        return
    for p in out.rglob("*"):
        rel = p.relative_to(out).as_posix()
        if not p.is_file() or rel.startswith("codelists/") or _PEOPLE_EXEMPT.match(p.name) and p.name != "rejected.csv":
            continue
        if p.suffix == ".csv":
            try:
                text = p.read_text(encoding="utf-8-sig")
                for row in csv.reader(io.StringIO(text)):
                    for cell in row:
                        yield rel, cell
            except (UnicodeDecodeError, csv.Error):
                continue
        elif p.suffix == ".xlsx":
            try:
                with zipfile.ZipFile(p) as z:
                    for n in z.namelist():
                        if n.startswith("xl/worksheets/") and re.search(rb"<(?:\w+:)?f[ >]", z.read(n)):
                            yield rel, "=<formula cell>"
            except zipfile.BadZipFile:
                continue


# ------------------------------------------------------------------------------------------------
# the campaign
# ------------------------------------------------------------------------------------------------


def corpus(work: Path) -> list[Seed]:
    seeds = adapter_seeds() + validate_seeds(work) + codes_seeds()
    # validate's people-facing report formats get their share
    extra = []
    for s in seeds:
        if s.command == "validate" and s.fmt == "csv":
            extra.append(Seed(s.name + "+xlsx", "validate", s.fmt, s.files, _validate_xlsx_args, s.secrets))
            extra.append(Seed(s.name + "+csv", "validate", s.fmt, s.files, _validate_csv_args, s.secrets))
    return seeds + extra


def campaign(count: int, seed: int, timeout: float = 60.0, max_rss_mib: float = 1024.0, work: Path | None = None, keep: Path | None = None, progress: bool = True, jobs: int = 1) -> dict:
    """Run ``count`` cases (the first round: every seed as it is; then mutations), ``jobs`` at a time."""
    work = work or Path(tempfile.mkdtemp(prefix="jincai-fuzz-"))
    seeds = corpus(work)
    if jobs <= 1:
        return _campaign(seeds, range(count), count, seed, timeout, max_rss_mib, work, keep, progress)
    # forked workers (the seeds hold functions, so nothing is pickled: each worker inherits them)
    pids = []
    for j in range(jobs):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - worker
            code = 0
            try:
                part = _campaign(seeds, range(j, count, jobs), count, seed, timeout, max_rss_mib, work, keep, progress and j == 0)
                (work / f"part-{j}.json").write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    parts = [json.loads((work / f"part-{j}.json").read_text(encoding="utf-8")) for j in range(jobs)]
    merged = parts[0]
    for p in parts[1:]:
        for key in ("invariants", "cases_by_command_format", "exit_codes"):
            c = Counter(merged[key])
            c.update(p[key])
            merged[key] = dict(sorted(c.items()))
        merged["findings"] = sorted(merged["findings"] + p["findings"], key=lambda f: f["case"])[:500]
        merged["slowest_case_seconds"] = max(merged["slowest_case_seconds"], p["slowest_case_seconds"])
        merged["peak_rss_mib"] = max(merged["peak_rss_mib"], p["peak_rss_mib"])
        merged["seconds"] = max(merged["seconds"], p["seconds"])
    merged["cases"] = count
    merged["jobs"] = jobs
    return merged


def _campaign(seeds: list[Seed], numbers, count: int, seed: int, timeout: float, max_rss_mib: float, work: Path, keep: Path | None, progress: bool) -> dict:
    # import the CLI once: every forked case starts from here
    import jincai.cli  # noqa: F401

    limits = {"timeout": timeout, "max_rss_mib": max_rss_mib}
    tally: Counter = Counter()
    by_command: Counter = Counter()
    exits: Counter = Counter()
    findings: list[dict] = []
    t0 = time.monotonic()
    slowest = 0.0
    peak = 0.0
    done = 0
    for n in numbers:
        rng = random.Random(f"{seed}:{n}")  # each case reproducible on its own, whatever the jobs
        s = seeds[n] if n < len(seeds) else rng.choice(seeds)
        files = s.files if n < len(seeds) else mutate(s, rng)  # the first round: every seed unmutated
        sandbox = Path(tempfile.mkdtemp(prefix="case-", dir=work))
        for sub in ("in", "out", "tmp", "home/.cache"):
            (sandbox / sub).mkdir(parents=True, exist_ok=True)
        ins = []
        for rel, data in files.items():
            (sandbox / "in" / rel).write_bytes(data)
            ins.append(sandbox / "in" / rel)
        argv = s.args(sandbox / "out", ins)
        outcome = run_case(argv, sandbox, timeout, max_rss_mib)
        slowest = max(slowest, outcome.seconds)
        peak = max(peak, outcome.max_rss_mib)
        by_command[f"{s.command}/{s.fmt}"] += 1
        exits[str(outcome.exit if outcome.exit is not None else f"signal {outcome.signal}")] += 1
        problems = check(s, files, sandbox, outcome, limits)
        for inv, why in problems:
            tally[inv] += 1
            finding = {"case": n, "seed": s.name, "invariant": inv, "why": why, "argv": argv[:1] + [a.replace(str(sandbox), "$CASE") for a in argv[1:]], "exit": outcome.exit, "seconds": round(outcome.seconds, 2), "max_rss_mib": round(outcome.max_rss_mib)}
            findings.append(finding)
            if keep is not None and sum(len(v) for v in files.values()) < 4 << 20:
                d = keep / f"{n:05d}-{inv}"
                d.mkdir(parents=True, exist_ok=True)
                for rel, data in files.items():
                    (d / rel).write_bytes(data)
                (d / "finding.json").write_text(json.dumps(finding, ensure_ascii=False, indent=1), encoding="utf-8")
                if (sandbox / "stderr").exists():  # a case stopped before it began has none
                    shutil.copy(sandbox / "stderr", d / "stderr.txt")
        shutil.rmtree(sandbox, ignore_errors=True)
        done += 1
        if progress and done % 50 == 0:
            print(f"[fuzz] case {n + 1}/{count}, findings {dict(tally)}, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
    return {
        "cases": count,
        "seeds": len(seeds),
        "seed": seed,
        "seconds": round(time.monotonic() - t0, 1),
        "slowest_case_seconds": round(slowest, 2),
        "peak_rss_mib": round(peak),
        "invariants": {inv: tally.get(inv, 0) for inv in INVARIANTS},
        "cases_by_command_format": dict(sorted(by_command.items())),
        "exit_codes": dict(sorted(exits.items())),
        "limits": limits,
        "findings": findings[:500],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jincai fuzzing campaign (make fuzz)")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--max-rss-mib", type=float, default=1024.0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, default=RESULTS / "fuzz.json")
    ap.add_argument("--cases", type=int, nargs="+", metavar="N", help="replay only these case numbers of the campaign (printed, not written)")
    args = ap.parse_args(argv)
    if args.cases:  # a case is reproducible on its own: its mutation depends on (seed, number) only
        work = Path(tempfile.mkdtemp(prefix="jincai-fuzz-"))
        try:
            result = _campaign(corpus(work), args.cases, args.count, args.seed, args.timeout, args.max_rss_mib, work, None, False)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps({k: result[k] for k in ("invariants", "exit_codes", "peak_rss_mib", "findings")}, ensure_ascii=False, indent=1))
        return 0 if not any(result["invariants"].values()) else 1
    keep = RESULTS / "fuzz-findings"
    shutil.rmtree(keep, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="jincai-fuzz-"))
    try:
        result = campaign(args.count, args.seed, args.timeout, args.max_rss_mib, work, keep, jobs=args.jobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    from jincai import limits as jl

    result["jincai_limits"] = {name: jl.limit(name) for name in jl.LIMITS}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("cases", "seconds", "invariants", "exit_codes", "peak_rss_mib", "slowest_case_seconds")}, ensure_ascii=False, indent=1))
    return 0 if not any(result["invariants"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
