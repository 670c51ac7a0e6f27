"""``jincai sample`` — generate a consistent sample fiscal year (optionally with deliberate defects)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from jincai.errors import JincaiError


class Fmt(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    avro = "avro"


_HELP = (
    "生成一个市（本级及所属全部县级区划）或一个县一个预算年度的样例数据，严格遵循业务链条：基础资料 → 定额 → 部门预算 → "
    "预算指标 → 指标调整 → 用款计划 → 支付申请 → 支付凭证 → 支付明细 → 清算 → 工资统发 → 收入 → 总会计凭证 → 旬报月报 → 报送信封。"
    "相同参数生成逐字节相同的文件。\n\n"
    "规模 --scale N = 每个财政区划的预算单位数。每个预算单位每年约 104 张支付凭证、自身约 1,040 条记录；"
    "另外每个区划按每单位 15 笔税收入库、4 张非税缴款书（含明细和会计凭证约 88 条）。对含 R 个区划的数据集："
    "支付凭证 ≈ 104·R·N，记录 ≈ 1,130·R·N；保定市 130600（2024 年 R=27）用 --scale 360 得 1,006,109 张支付凭证、"
    "10,978,272 条记录。\n\n"
    "--defects K 注入恰好 K 个缺陷（按 --seed 确定），清单见 manifest.json 的 defects。\n\n"
    "Generate one fiscal year of sample data for a city (its own level and every county-level region "
    "under it) or a county, following the business chain: basic data → quotas → department budget → "
    "indicators → adjustments → spending plans → payment requests → vouchers → details → clearing → "
    "payroll → revenue → accounting vouchers → 10-day/monthly reports → submission envelopes. The same "
    "arguments give byte-identical files.\n\n"
    "--scale N = budget units per fiscal region. Each unit has about 104 payment vouchers and 1,040 "
    "records of its own a year; each region adds, per unit, 15 tax receipts and 4 non-tax notices "
    "(about 88 records with lines and accounting). For R regions: payment vouchers ≈ 104·R·N, records "
    "≈ 1,130·R·N; Baoding 130600 (R = 27 in 2024) with --scale 360 gives 1,006,109 payment vouchers "
    "and 10,978,272 records.\n\n"
    "--defects K injects exactly K defects (determined by --seed), listed in manifest.json → defects."
)


def sample(
    out: Path = typer.Option(..., "--out", help="输出目录 / output directory", metavar="DIR"),
    region: str = typer.Option(..., "--region", help="市或县的 6 位区划代码或 9 位财政区划代码 / 6-digit city or county code (or 9-digit fiscal code)", metavar="CODE"),
    year: int = typer.Option(..., "--year", help="预算年度 / fiscal year", metavar="YYYY"),
    scale: int = typer.Option(1, "--scale", help="每个区划的预算单位数 / budget units per region", metavar="N"),
    fmt: Fmt = typer.Option(Fmt.jsonl, "--format", help="输出格式 / output format: jsonl | csv | avro", case_sensitive=True),
    defects: int = typer.Option(0, "--defects", help="注入的缺陷数 / number of defects to inject", metavar="K"),
    seed: int = typer.Option(0, "--seed", help="随机种子 / random seed", metavar="S"),
    workers: int = typer.Option(0, "--workers", help="并行进程数，0 = CPU 数 / worker processes, 0 = one per CPU", metavar="W"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不打印进度和汇总 / no progress or summary"),
) -> None:
    from rich.console import Console
    from rich.table import Table

    from jincai.sample import Options, generate

    console = Console(stderr=True, quiet=quiet)
    try:
        manifest = generate(
            Options(out=out, region=region, year=year, scale=scale, fmt=fmt.value, defects=defects, seed=seed, workers=workers),
            progress=(lambda msg: console.print(msg)) if not quiet else None,
        )
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if quiet:
        return
    table = Table(title=f"样例数据 sample data — {manifest['arguments']['region']} {year}, scale {scale}")
    table.add_column("实体 entity", no_wrap=True)
    table.add_column("记录数 records", justify="right", no_wrap=True)
    table.add_column("金额合计 money total", justify="right", no_wrap=True)
    for e, info in manifest["entities"].items():
        money = next(iter(info["money_totals"].items()), None)
        table.add_row(info["file"], f"{info['records']:,}", f"{money[0]} {money[1]}" if money else "")
    out_console = Console()
    out_console.print(table)
    secs = manifest.get("_elapsed_seconds") or 0.0
    total = manifest["total_records"]
    rate = total / secs if secs else 0.0
    out_console.print(
        f"共 total {total:,} 条记录 records；缺陷 defects {len(manifest['defects'])}；"
        f"用时 elapsed {secs:.1f} s（{rate:,.0f} 条/秒 records/s）；清单 manifest: {Path(out) / 'manifest.json'}"
    )


def register(app: typer.Typer) -> None:
    app.command("sample", help=_HELP, short_help="生成样例数据 / generate sample data")(sample)
