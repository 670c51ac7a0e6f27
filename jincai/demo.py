"""``make demo``: the main job on the embedded default, end to end, printing each command it runs.

1. generate the sample province (保定市 130600, fiscal year 2024) along the whole chain;
2. export the standard's release bundle (schemas, proto, data dictionary, manifest);
3. validate the clean sample with the whole rule catalogue on the embedded store (DuckDB);
4. generate a sample with injected defects and check that validation finds every one of them;
5. translate every shipped legacy system's sample files into the standard and reconcile the ledger,
   then its classic-defect files, which must be rejected with reasons;
6. the data center: start the gateway on the embedded store, submit every region of the sample (the
   city and its counties, each with its own token, through TLS and validation), then print the
   city's consolidated monthly report with its checks and the fiscal position, asked of the gateway.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jincai import paths

console = Console()


def run(args: list[str], ok_codes: tuple[int, ...] = (0,)) -> int:
    console.rule(f"[bold]$ jincai {' '.join(args)}")
    code = subprocess.call([sys.executable, "-m", "jincai", *args])
    if code not in ok_codes:
        console.print(f"[red]命令失败 command failed (exit {code})")
        sys.exit(code)
    return code


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="金财演示 jincai demo")
    parser.add_argument("--out", default="demo-out")
    parser.add_argument("--scale", type=int, default=2)
    ns = parser.parse_args(argv)
    out = Path(ns.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    region, year = "130600", "2024"
    results: list[tuple[str, str]] = []

    run(["sample", "--out", str(out / "sample"), "--region", region, "--year", year, "--scale", str(ns.scale), "--quiet"])
    manifest = json.loads((out / "sample" / "manifest.json").read_text(encoding="utf-8"))
    total = sum(e["records"] for e in manifest["entities"].values())
    results.append(("样例省数据 sample province", f"{total:,} records, {len(manifest['entities'])} entities"))

    run(["standard", "export", "--out", str(out / "standard")])
    results.append(("标准发布包 standard bundle", str(out / "standard")))

    report = out / "sample-report.json"
    run(["validate", str(out / "sample"), "--year", year, "--format", "json", "--out", str(report)])
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    results.append(("干净数据校验 clean data", f"{sum(summary['records'].values()):,} records in {summary['seconds']} s; issues by severity {summary['by_severity'] or 'none'}"))

    bad = out / "sample-defects"
    run(["sample", "--out", str(bad), "--region", region, "--year", year, "--scale", str(ns.scale), "--defects", "25", "--seed", "7", "--quiet"])
    bad_report = out / "defects-report.json"
    run(["validate", str(bad), "--year", year, "--format", "json", "--out", str(bad_report)], ok_codes=(1,))
    run(["validate", str(bad), "--year", year, "--format", "xlsx", "--out", str(out / "defects-errors.xlsx")], ok_codes=(1,))
    issues = json.loads(bad_report.read_text(encoding="utf-8"))["issues"]
    defects = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))["defects"]
    found = sum(
        any(i["file"].endswith(d["file"]) and i["row"] == d["row"] and i["field"] == d["field"] for i in issues)
        for d in defects
    )
    results.append(("注入缺陷 injected defects", f"{found}/{len(defects)} found at the right record and field; {len(issues)} issues"))

    for profile in sorted(p.parent for p in paths.ADAPTERS.glob("*/profile.yaml")):
        samples = sorted(str(p) for p in (profile / "samples").iterdir() if p.is_file())
        code = run(["translate", "--profile", profile.name, *samples, "--out", str(out / "translated" / profile.name)], ok_codes=(0, 1))
        ledger = json.loads((out / "translated" / profile.name / "ledger.json").read_text(encoding="utf-8"))
        r = ledger["rows"]
        results.append((
            f"适配 translate {profile.name}",
            f"exit {code}; {r['source']} rows → {r['translated']} translated, {r['rejected']} rejected, "
            f"{r['filtered']} filtered; reconciled={ledger['reconciled']}",
        ))
        # its classic-defect files: every bad row rejected with a reason, the ledger still reconciles
        defects = sorted(str(p) for p in (profile / "defects").iterdir() if p.is_file() and p.suffix.lower() not in (".json", ".fpt"))
        dest = out / "translated" / f"{profile.name}-defects"
        code = run(["translate", "--profile", profile.name, *defects, "--out", str(dest)], ok_codes=(1,))
        ledger = json.loads((dest / "ledger.json").read_text(encoding="utf-8"))
        reasons = ", ".join(sorted(ledger["rejected_by_reason"]))
        findings = ", ".join(sorted({f["code"] for f in ledger.get("findings", [])})) or "none"
        results.append((f"  缺陷文件 defect files", f"exit {code}; rejected: {reasons}; findings: {findings}; reconciled={ledger['reconciled']}"))

    results += datacenter_stage(out, manifest)

    table = Table(title="金财演示结果 jincai demo results")
    table.add_column("步骤 step")
    table.add_column("结果 result")
    for step, result in results:
        table.add_row(step, result)
    console.print(table)
    console.print(f"输出目录 output: {out.resolve()}")


def split_by_region(sample: Path, dest: Path, regions: list[str]) -> None:
    """One folder per region, as each county's own system would export it (fiscal_region: the
    region and its ancestors), so each submission reads only its own records."""
    from jincai.gateway import regions as hierarchy

    allowed = {r: {r, *hierarchy.ancestors(r)} for r in regions}
    for r in regions:
        (dest / r).mkdir(parents=True, exist_ok=True)
    for path in sorted(sample.glob("*.jsonl")):
        outs = {r: [] for r in regions}
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            code = json.loads(line).get("mof_div_code")
            for r in regions:
                if code == r or (path.stem == "fiscal_region" and code in allowed[r]):
                    outs[r].append(line)
        for r, lines in outs.items():
            if lines:
                (dest / r / path.name).write_text("".join(lines), encoding="utf-8")


def datacenter_stage(out: Path, manifest: dict) -> list[tuple[str, str]]:
    """county → gateway → store → consolidated report and position, over the wire."""
    import os
    import time
    from concurrent.futures import ThreadPoolExecutor

    from jincai.gateway.auth import Credentials
    from jincai.gateway.config import GatewayConfig

    data = out / "gateway"
    console.rule(f"[bold]$ jincai gateway serve --data {data} --port 0")
    server = subprocess.Popen([sys.executable, "-m", "jincai", "gateway", "serve", "--data", str(data), "--port", "0", "--workers", "8"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        line = server.stdout.readline()
        console.print(line.strip())
        if "listening" not in line:
            console.print("[red]网关未启动 the gateway did not start")
            sys.exit(1)
        port = (data / "port").read_text().split()[0]
        target, ca = f"localhost:{port}", str(data / "tls" / "ca.pem")
        creds = Credentials(GatewayConfig(data=data).credentials)  # = jincai gateway issue-token
        regions = [r["mof_div_code"] for r in manifest["regions"]]
        year = str(manifest["arguments"]["year"])
        started = time.monotonic()

        def send(region: str) -> int:
            token = creds.issue_token("submitter", region)[1]
            folder = out / "regions" / region
            cmd = [sys.executable, "-m", "jincai", "submit", str(folder), "--region", region, "--year", year, "--to", target, "--ca", ca,
                   "--receipt", str(out / "receipts" / f"{region}.json"), "--quiet"]  # fmt: skip
            done = subprocess.run(cmd, env={**os.environ, "JINCAI_GATEWAY_TOKEN": token}, capture_output=True, text=True)
            console.print(f"$ jincai submit {folder} --region {region} --to {target} → exit {done.returncode}")
            return done.returncode

        (out / "receipts").mkdir(exist_ok=True)
        split_by_region(out / "sample", out / "regions", regions)
        with ThreadPoolExecutor(3) as pool:
            codes = list(pool.map(send, regions))
        seconds = time.monotonic() - started
        city = regions[0]
        reader = creds.issue_token("reader", city)[1]
        conn = ["--to", target, "--ca", ca, "--token", reader]
        period = f"{manifest['arguments']['year']}-12"
        run(["datacenter", "consolidate", "--region", city, "--period", period, *conn], ok_codes=(0, 1))
        run(["datacenter", "consolidate", "--region", city, "--period", period, *conn, "--format", "xlsx", "--out", str(out / "consolidated.xlsx")], ok_codes=(0, 1))
        run(["datacenter", "position", "--region", city, "--year", str(manifest["arguments"]["year"]), *conn])
        run(["datacenter", "position", "--region", city, "--year", str(manifest["arguments"]["year"]), *conn, "--format", "json", "--out", str(out / "position.json")])
        pos = json.loads((out / "position.json").read_text(encoding="utf-8"))
    finally:
        server.terminate()
        server.wait(30)
    return [
        ("数据中心报送 submissions", f"{codes.count(0)}/{len(codes)} regions accepted in {seconds:.0f} s (embedded DuckDB store)"),
        ("汇总月报 consolidated report", f"{city} {period}: {out / 'consolidated.xlsx'}"),
        ("财政实时状况 fiscal position", f"{len(pos['regions'])} regions; available {pos['total']['available']} of {pos['total']['amount']}; revenue {pos['revenue_total']}"),
    ]


if __name__ == "__main__":
    main()
