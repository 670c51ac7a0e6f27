"""Run the region workers, build reports, envelopes and the manifest, assemble the output files."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import jincai
from jincai.errors import JincaiError
from jincai.sample import chain, defects as D
from jincai.sample.chain import RegionJob, RegionResult, compiled
from jincai.sample.defects import DefectSpec
from jincai.sample.codes import Region, RegionRow, build_tables, check_year, resolve_regions
from jincai.sample.writers import csv_header, fen
from jincai.standard import standard

FORMATS = ("jsonl", "csv", "avro")
PRODUCT_NAME = "金财样例数据生成器 jincai sample generator"
PARTS = ".jincai-sample-parts"


@dataclass
class Options:
    out: Path
    region: str
    year: int
    scale: int = 1
    fmt: str = "jsonl"
    defects: int = 0
    seed: int = 0
    workers: int = 0  # 0 = one per CPU (at most 2 … os.cpu_count())


def _check(opts: Options) -> None:
    if opts.fmt not in FORMATS:
        raise JincaiError(
            "sample-bad-format",
            f"输出格式 {opts.fmt!r} 无效：应为 jsonl、csv 或 avro",
            f"output format {opts.fmt!r} is invalid: use jsonl, csv or avro",
            "--format",
        )
    check_year(opts.year)
    if not isinstance(opts.scale, int) or not 1 <= opts.scale <= chain.MAX_SCALE:
        raise JincaiError(
            "sample-bad-scale",
            f"规模 --scale {opts.scale} 无效：应为 1–{chain.MAX_SCALE}（每个区划的预算单位数）",
            f"--scale {opts.scale} is invalid: give 1-{chain.MAX_SCALE} (budget units per region)",
            "--scale",
        )
    if opts.defects < 0:
        raise JincaiError("sample-bad-defects", "缺陷数不能为负", "the number of defects cannot be negative", "--defects")


def generate(opts: Options, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the sample dataset into ``opts.out``; returns the manifest (also written as manifest.json)."""
    _check(opts)
    std = standard()
    t0 = time.perf_counter()
    regions, region_rows = resolve_regions(opts.region, opts.year)
    tables = build_tables(opts.year)
    has_counties = len(regions) > 1
    specs = D.plan(opts.defects, opts.seed, len(regions), opts.scale, opts.fmt, has_counties) if opts.defects else []

    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    parts_dir = out / PARTS
    if parts_dir.exists():
        shutil.rmtree(parts_dir)
    parts_dir.mkdir()
    worker_fmt = "jsonl" if opts.fmt == "avro" else opts.fmt
    jobs = [
        RegionJob(r, tables, opts.year, opts.scale, opts.seed, worker_fmt, str(parts_dir),
                  [s for s in specs if s.region == r.index and s.kind not in D.REPORT_KINDS])
        for r in regions
    ]
    workers = opts.workers or min(len(jobs), max(1, os.cpu_count() or 1))
    results: list[RegionResult] = []
    asm = _Assembler(out, opts.fmt)

    def arrived(res: RegionResult) -> None:
        # results arrive in region order: append this region's parts to the output files now, so
        # that assembling overlaps with the generation of the next regions
        results.append(res)
        for e in chain.WORKER_ENTITIES:
            asm.append(e, res.parts[e])
        if progress:
            progress(f"区划 region {regions[res.index].mof_div_code} {regions[res.index].name}: {sum(res.counts.values()):,} 条 records")

    if workers > 1 and len(jobs) > 1:
        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else multiprocessing.get_context()
        with ctx.Pool(processes=min(workers, len(jobs))) as pool:
            for res in pool.imap(chain.run_region, jobs, chunksize=1):
                arrived(res)
    else:
        for job in jobs:
            arrived(chain.run_region(job))

    fired = [f for r in results for f in r.fired]
    unplaced = sorted(n for r in results for n in r.unplaced)
    # main-process entities
    main = _MainWriter(parts_dir, worker_fmt, len(regions))
    _write_regions(main, opts, region_rows)
    report_fired = _write_reports(main, opts, regions, results, [s for s in specs if s.kind in D.REPORT_KINDS])
    fired.extend(report_fired)
    main.close()
    planned = {s.n for s in specs}
    placed = {f["n"] for f in fired}
    missing = sorted((planned - placed) | set(unplaced))
    if missing:
        asm.abort()
        shutil.rmtree(parts_dir, ignore_errors=True)
        kinds = sorted({s.kind for s in specs if s.n in missing})
        raise JincaiError(
            "sample-defect-unplaced",
            f"无法放置 {len(missing)} 个缺陷（{', '.join(kinds)}）：数据集太小，请增大 --scale 或更换 --seed",
            f"could not place {len(missing)} defects ({', '.join(kinds)}): the dataset is too small; raise --scale or change --seed",
            "--defects",
        )

    # per-region counts/hashes of every entity (submission envelopes), in region order
    per_region: dict[str, list[tuple[int, str, str]]] = {}  # entity → [(count, sha, part path)]
    totals: dict[str, dict[str, int]] = {}
    for e in std.entities:
        if e == "submission_envelope":
            continue
        rows = []
        for r in results:
            if e in r.counts:
                rows.append((r.counts[e], r.hashes[e], r.parts[e]))
                for k, v in r.totals[e].items():
                    totals.setdefault(e, {}).setdefault(k, 0)
                    totals[e][k] += v
            else:
                cnt, sha, path, tot = main.result(e, r.index)
                rows.append((cnt, sha, path))
                for k, v in tot.items():
                    totals.setdefault(e, {}).setdefault(k, 0)
                    totals[e][k] += v
        per_region[e] = rows
    env_rows = _write_envelopes(main, opts, regions, per_region)
    per_region["submission_envelope"] = env_rows

    # the main-process entities, region by region; then finish every file in standard order
    for e in std.entities:
        if e not in chain.WORKER_ENTITIES:
            for _, _, path in per_region[e]:
                asm.append(e, path)
    entity_info: dict[str, dict] = {}
    offsets: dict[str, list[int]] = {}
    for e, ent in std.entities.items():
        offs, acc = [], 0
        for cnt, _, _ in per_region[e]:
            offs.append(acc)
            acc += cnt
        offsets[e] = offs
        target, sha = asm.finish(e)
        entity_info[e] = {
            "file": target.name,
            "records": acc,
            "sha256": sha,
            "money_totals": {k: fen(v) for k, v in totals.get(e, {}).items()},
        }
    shutil.rmtree(parts_dir, ignore_errors=True)

    defect_list = []
    for f in sorted(fired, key=lambda f: f["n"]):
        e = f["entity"]
        defect_list.append(
            {
                "kind": f["kind"],
                "entity": e,
                "file": entity_info[e]["file"],
                "row": offsets[e][f["region"]] + f["part_row"],
                "key": f["key"],
                "field": f["field"],
                "original": f["original"],
                "injected": f["injected"],
                "region": regions[f["region"]].mof_div_code,
            }
        )
    total_records = sum(i["records"] for i in entity_info.values())
    manifest = {
        "generator": PRODUCT_NAME,
        "jincai_version": jincai.__version__,
        "standard": {"id": std.id, "version": std.version},
        "arguments": {
            "region": opts.region,
            "year": opts.year,
            "scale": opts.scale,
            "format": opts.fmt,
            "defects": opts.defects,
            "seed": opts.seed,
        },
        "scale_meaning": "scale = 每个区划的预算单位数 budget units per region",
        "regions": [
            {"mof_div_code": r.mof_div_code, "name": r.name, "kind": r.kind, "budget_level_code": r.budget_level_code}
            for r in regions
        ],
        "checksum": (
            "entities[*].sha256 = SHA-256 of the file as written; submission_envelope.content_sha256 = SHA-256 of "
            "the region's records of that entity as canonical JSON Lines (UTF-8, one record per line, each "
            "line ending with \\n, in file order) — in a .jsonl file exactly the bytes of the region's lines"
        ),
        "total_records": total_records,
        "entities": entity_info,
        "defects": defect_list,
    }
    with open(out / "manifest.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    manifest["_elapsed_seconds"] = time.perf_counter() - t0
    return manifest


# ------------------------------------------------------------------------------------------------
# entities written by the main process (per region parts, so the assembly is uniform)
# ------------------------------------------------------------------------------------------------


class _Assembler:
    """The output files: region parts appended in order (copied and hashed), CSV header first;
    Avro files are converted from the assembled canonical JSON Lines at the end."""

    def __init__(self, out: Path, fmt: str):
        self.out = out
        self.fmt = fmt
        self._fh: dict[str, Any] = {}
        self._hash: dict[str, Any] = {}

    def _open(self, entity: str):
        fh = self._fh.get(entity)
        if fh is None:
            ext = "jsonl" if self.fmt == "avro" else self.fmt
            fh = self._fh[entity] = open(self.out / f"{entity}.{ext}", "wb")
            h = self._hash[entity] = hashlib.sha256()
            if self.fmt == "csv":
                head = csv_header(standard().entity(entity))
                fh.write(head)
                h.update(head)
        return fh

    def append(self, entity: str, path: str) -> None:
        dst = self._open(entity)
        h = self._hash[entity]
        with open(path, "rb") as src:
            while True:
                chunk = src.read(1 << 22)
                if not chunk:
                    break
                h.update(chunk)
                dst.write(chunk)
        os.unlink(path)

    def finish(self, entity: str) -> tuple[Path, str]:
        fh = self._open(entity)
        fh.close()
        target = Path(fh.name)
        if self.fmt != "avro":
            return target, self._hash[entity].hexdigest()
        from jincai.avro_io import write_avro
        from jincai.canonical import record_from_json

        ent = standard().entity(entity)

        def records():
            with open(target, encoding="utf-8") as src:
                for line in src:
                    yield record_from_json(ent, json.loads(line))

        avro_path = self.out / f"{entity}.avro"
        write_avro(avro_path, ent, records())
        target.unlink()
        h = hashlib.sha256()
        with open(avro_path, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 22), b""):
                h.update(chunk)
        return avro_path, h.hexdigest()

    def abort(self) -> None:
        for fh in self._fh.values():
            fh.close()
            try:
                os.unlink(fh.name)
            except OSError:
                pass


class _MainWriter:
    def __init__(self, parts_dir: Path, fmt: str, n_regions: int):
        from jincai.sample.writers import Sink

        self.parts_dir = parts_dir
        self.fmt = fmt
        self.n = n_regions
        self._sinks: dict[tuple[str, int], Sink] = {}
        self._Sink = Sink

    def sink(self, entity: str, region: int):
        key = (entity, region)
        s = self._sinks.get(key)
        if s is None:
            s = self._sinks[key] = self._Sink(compiled(entity), self.parts_dir / f"{entity}.{region:04d}.main", self.fmt)
        return s

    def close(self) -> None:
        for s in self._sinks.values():
            s.close()

    def result(self, entity: str, region: int) -> tuple[int, str, str, dict]:
        s = self.sink(entity, region)
        s.close() if not s.fh.closed else None
        return s.count, s.hash.hexdigest(), s.fh.name, dict(zip(s.c.money_fields, s.totals))


def _write_regions(main: _MainWriter, opts: Options, rows: list[RegionRow]) -> None:
    for r in rows:
        main.sink("fiscal_region", r.owner).write(r.mof_div_code, r.name, r.div_level_code, r.parent, r.valid_from, r.valid_to)


def _period_end(year: int, ptype: str, p: int) -> str:
    if ptype == "2":
        m = p
        nxt = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1).isoformat()
    m, k = divmod(p - 1, 3)
    m += 1
    if k < 2:
        return date(year, m, 10 * (k + 1)).isoformat()
    return _period_end(year, "2", m)


def _write_reports(main: _MainWriter, opts: Options, regions: list[Region], results: list[RegionResult], specs: list[DefectSpec]) -> list[dict]:
    """Monthly (report_period 2, 1–12) and 10-day (1, 1–36) reports per region from its ledger (scope 1),
    and for a city the consolidated reports (scope 2) = own level + every county, line by line."""
    year = opts.year
    fy = str(year)

    def cur_table(res: RegionResult):
        """(kind, class) → [36 dekad amounts]."""
        tab: dict[tuple[str, str], list[int]] = {}
        for (dk, cls), v in res.ledger_rev.items():
            tab.setdefault(("rev", cls), [0] * 36)[dk - 1] += v
        for (dk, cls), v in res.ledger_exp.items():
            tab.setdefault(("exp", cls), [0] * 36)[dk - 1] += v
        return tab

    def by_period(series: list[int], ptype: str) -> list[int]:
        if ptype == "1":
            return list(series)
        return [sum(series[3 * m : 3 * m + 3]) for m in range(12)]

    def order(keys):
        return sorted(keys, key=lambda k: (0 if k[0] == "rev" else 1, k[1]))

    tables = [cur_table(r) for r in results]
    # report lines: (region, scope, ptype) → {class: [cur], [ytd]}
    lines: dict[tuple[int, str, str], dict[tuple[str, str], list[list[int]]]] = {}
    for res, tab in zip(results, tables):
        for ptype in ("1", "2"):
            d = {}
            for key in order(tab):
                cur = by_period(tab[key], ptype)
                ytd, acc = [], 0
                for c in cur:
                    acc += c
                    ytd.append(acc)
                d[key] = [cur, ytd]
            lines[(res.index, "1", ptype)] = d
    city = regions[0].kind == "city" and len(regions) > 1
    if city:
        for ptype in ("1", "2"):
            keys = set()
            for res in results:
                keys |= set(lines[(res.index, "1", ptype)])
            d = {}
            n = 36 if ptype == "1" else 12
            for key in order(keys):
                cur = [0] * n
                for res in results:
                    own = lines[(res.index, "1", ptype)].get(key)
                    if own:
                        cur = [a + b for a, b in zip(cur, own[0])]
                ytd, acc = [], 0
                for c in cur:
                    acc += c
                    ytd.append(acc)
                d[key] = [cur, ytd]
            lines[(0, "2", ptype)] = d

    # defects on report lines: the last period of the year
    marks: dict[tuple[int, str, str, tuple[str, str]], tuple[DefectSpec, str]] = {}
    used: set = set()
    for s in specs:
        ptype = "1" if s.variant == 0 else "2"
        scope = "2" if s.kind == "consolidation-mismatch" else "1"
        region = s.region
        d = lines.get((region, scope, ptype))
        if not d:
            continue
        keys = list(d)
        i = s.ordinal % len(keys)
        for _ in range(len(keys)):
            if (region, ptype, keys[i]) not in used:
                break
            i = (i + 1) % len(keys)
        key = keys[i]
        used.add((region, ptype, key))
        last = len(d[key][0]) - 1
        if s.kind == "report-ledger-mismatch":
            d[key][0][last] += s.amount
            d[key][1][last] += s.amount
            if city:  # the consolidated line follows its own-level line
                c2 = lines[(0, "2", ptype)][key]
                c2[0][last] += s.amount
                c2[1][last] += s.amount
            marks[(region, scope, ptype, key)] = (s, "cur_period_amt")
        elif s.kind == "ytd-mismatch":
            d[key][1][last] += s.amount
            marks[(region, scope, ptype, key)] = (s, "ytd_amt")
        else:
            d[key][0][last] += s.amount
            d[key][1][last] += s.amount
            marks[(region, scope, ptype, key)] = (s, "cur_period_amt")

    fired = []
    for res in results:
        ri = res.index
        div = regions[ri].mof_div_code
        hdr = main.sink("fiscal_report", ri)
        ln = main.sink("fiscal_report_line", ri)
        for scope in ("1", "2"):
            for ptype in ("1", "2"):
                d = lines.get((ri, scope, ptype))
                if d is None:
                    continue
                n = 36 if ptype == "1" else 12
                for p in range(1, n + 1):
                    rid = f"R{ptype}{scope}{p:02d}"
                    hdr.write(div, fy, rid, ptype, p, scope, _period_end(year, ptype, p))
                    for line_no, (key, (cur, ytd)) in enumerate(d.items(), 1):
                        rev = key[1] if key[0] == "rev" else None
                        exp = key[1] if key[0] == "exp" else None
                        ln.write(div, fy, rid, line_no, cur[p - 1], ytd[p - 1], rev, exp)
                        if p == n and (ri, scope, ptype, key) in marks:
                            s, fld = marks[(ri, scope, ptype, key)]
                            good = cur[p - 1] - (s.amount if fld == "cur_period_amt" else 0)
                            good_ytd = ytd[p - 1] - s.amount
                            fired.append(
                                {
                                    "n": s.n,
                                    "kind": s.kind,
                                    "entity": "fiscal_report_line",
                                    "region": ri,
                                    "part_row": ln.count,
                                    "key": {"mof_div_code": div, "fiscal_year": fy, "report_id": rid, "line_no": line_no},
                                    "field": fld,
                                    "original": fen(good if fld == "cur_period_amt" else good_ytd),
                                    "injected": fen(cur[p - 1] if fld == "cur_period_amt" else ytd[p - 1]),
                                }
                            )
    return fired


def _write_envelopes(main: _MainWriter, opts: Options, regions: list[Region], per_region) -> list[tuple[int, str, str]]:
    std = standard()
    fy = str(opts.year)
    created = f"{opts.year + 1}-01-20T10:00:00+08:00"
    out = []
    for r in regions:
        s = main.sink("submission_envelope", r.index)
        sub = f"SUB{r.mof_div_code}{fy}S{opts.seed}"[:64]
        for e in sorted(std.entities):
            if e == "submission_envelope":
                continue
            cnt, sha, _ = per_region[e][r.index]
            s.write(sub, r.mof_div_code, fy, PRODUCT_NAME, jincai.__version__, std.version, e, cnt, sha, created, None, None)
        s.close()
        out.append((s.count, s.hash.hexdigest(), s.fh.name))
    return out
