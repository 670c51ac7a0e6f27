"""``jincai translate`` and ``jincai adapter …``: legacy files → the standard.

* ``jincai translate --profile NAME_OR_FILE INPUT... --out DIR [--format jsonl|avro] [--set K=V]``
  — exit 0 when every data row was translated (filtered rows are fine), 1 when some were rejected,
  when the ledger has findings (a file without data rows, a trailer's count or total that
  disagrees with the file) or, a bug, when it does not reconcile; 2 on usage errors or unreadable input.
* ``jincai adapter init SAMPLE_FILE... [--out FILE] [--entity E] [--encoding GBK]`` — draft a profile
  from sample files; says so on stderr when it cannot tell the entity.
* ``jincai adapter check PROFILE`` — validate a profile: 0 valid, 1 invalid, 2 not found/unreadable.
* ``jincai adapter list`` — the shipped profiles.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from jincai.errors import JincaiError

adapter_app = typer.Typer(
    help="遗留系统适配器：起草、检查、列出映射配置 / legacy adapters: draft, check and list mapping profiles",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: profile problems (exit 1 for ``adapter check``), as opposed to a missing or unreadable file (2)
PROFILE_PROBLEMS = {"adapter-profile-invalid", "adapter-constant-invalid", "adapter-crosswalk-missing", "adapter-crosswalk-malformed"}


@contextmanager
def _user_errors(code: int = 2) -> Iterator[None]:
    try:
        yield
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(code) from None


def _parse_sets(sets: list[str]) -> dict[str, str]:
    out = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise JincaiError("adapter-usage", f"--set 应写作 键=值，实为 {item!r}", f"--set takes KEY=VALUE, got {item!r}", "--set")
        out[key.strip()] = value
    return out


def register(app: typer.Typer) -> None:
    app.command("translate", help="用映射配置把遗留系统文件转换为标准数据 / translate legacy files into the standard with a mapping profile")(translate_cmd)
    app.add_typer(adapter_app, name="adapter")


def translate_cmd(
    inputs: List[Path] = typer.Argument(..., help="遗留系统导出的文件 / the legacy files", show_default=False),
    profile: str = typer.Option(..., "--profile", "-p", help="映射配置名（adapters/ 下）或文件 / profile name (under adapters/) or file"),
    out: Path = typer.Option(..., "--out", "-o", help="输出目录 / output folder"),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="输出格式 jsonl | avro / output format"),
    sets: List[str] = typer.Option([], "--set", help="常量 KEY=VALUE，覆盖配置中的 constants / a constant, overrides the profile's"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不打印账本表格和“有 N 行被拒绝”的提示（退出码不变；文件级问题和 rejected.csv 含个人信息的提醒照常）/ no ledger table and no rejected-rows line (same exit code; file-level findings and the rejected.csv personal-data notice are still said)"),
    as_json: bool = typer.Option(False, "--json", help="把账本 JSON 打印到标准输出 / print the ledger JSON on stdout"),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="同时转换的文件数（每个文件一个进程，按文件顺序合并，结果与单进程相同）；默认：输入合计 ≥ 64 MiB 且多于一个文件时每核一个 / files translated at the same time (one process each, merged in file order: the same outputs as one process); default: one per core when there are several files of ≥ 64 MiB together"),
) -> None:
    from jincai.adapters.engine import translate
    from jincai.adapters.profile import load_profile

    if fmt not in ("jsonl", "avro"):
        typer.echo(f"错误 error: --format 应为 jsonl 或 avro，实为 {fmt!r} / --format must be jsonl or avro, got {fmt!r}", err=True)
        raise typer.Exit(2)
    with _user_errors(2):
        prof = load_profile(profile)
        ledger = translate(prof, [str(p) for p in inputs], out, fmt, sets=_parse_sets(sets), workers=workers)
    if as_json:
        typer.echo(json.dumps(ledger.to_json(), ensure_ascii=False, indent=2))
    if not quiet:
        ledger.print()
    if not ledger.reconciled:
        raise typer.Exit(1)
    if ledger.findings:  # problems with whole files (empty input, control totals): said even with --quiet
        codes = ", ".join(dict.fromkeys(f.code for f in ledger.findings))
        typer.echo(f"账本有 {len(ledger.findings)} 项数据问题（{codes}），见 {out / 'ledger.json'} / {len(ledger.findings)} finding(s) in the ledger ({codes}), see {out / 'ledger.json'}", err=True)
    if ledger.rejected:
        # --quiet drops the count line (rejected.csv and exit code 1 say it) but never the notice that
        # rejected.csv holds personal data unmasked (issue 7 item 10)
        if not quiet:
            typer.echo(f"有 {ledger.rejected} 行被拒绝，见 {out / 'rejected.csv'} / {ledger.rejected} rows were rejected, see {out / 'rejected.csv'}", err=True)
        typer.echo(
            "注意：rejected.csv 含未脱敏的原始值（可能有身份证号、姓名、账号），请像源文件一样妥善保管，勿外传。"
            " / Note: rejected.csv holds the rejected rows' values unmasked (citizen IDs, names, accounts may be among them):"
            " keep it as safe as the source files and do not pass it on.",
            err=True,
        )
    if ledger.findings or ledger.rejected:
        raise typer.Exit(1)


@adapter_app.command("check", help="检查映射配置（结构与含义）/ check a mapping profile (shape and meaning)")
def check_cmd(
    profile: str = typer.Argument(..., help="映射配置名或文件 / profile name or file"),
    sets: List[str] = typer.Option([], "--set", help="常量 KEY=VALUE / a constant"),
) -> None:
    from jincai.adapters.engine import prepare
    from jincai.adapters.profile import load_profile

    try:
        prof = load_profile(profile)
        plans, filters = prepare(prof, _parse_sets(sets))
    except JincaiError as exc:
        typer.echo(f"✗ 配置无效 invalid profile: {exc}", err=True)
        # a profile over a limit (size, YAML aliases/depth, pattern length) is an invalid profile too
        raise typer.Exit(1 if exc.code in PROFILE_PROBLEMS or exc.code.startswith("limit-") else 2) from None
    typer.echo(f"✓ {prof.id}：配置有效 / the profile is valid ({prof.path})")
    for tp in plans:
        typer.echo(
            f"  → {tp.entity.id} {tp.entity.name_zh}：{len(tp.fields)} 个映射字段 mapped, {len(tp.consts)} 个常量 constant, "
            f"{len(tp.derived)} 个推导 derived"
        )
    typer.echo(f"  过滤规则 filters: {len(filters)}；读取器 reader: {prof.source.format}")


@adapter_app.command("list", help="列出随附的映射配置 / list the shipped mapping profiles")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="JSON 输出 / JSON output")) -> None:
    from rich.console import Console
    from rich.table import Table

    from jincai.adapters.profile import list_profiles

    profiles = list_profiles()
    if as_json:
        typer.echo(json.dumps([
            {"id": p.id, "name_zh": p.name_zh, "name_en": p.name_en, "format": p.source.format,
             "entities": [t.entity for t in p.targets], "path": str(p.path)} for p in profiles
        ], ensure_ascii=False, indent=2))
        return
    t = Table(title="随附的映射配置 shipped profiles")
    for col in ("配置 id", "名称 name", "格式 format", "目标实体 entities", "样例 samples"):
        t.add_column(col)
    for p in profiles:
        samples = len(list((p.base_dir / "samples").glob("*"))) if (p.base_dir / "samples").is_dir() else 0
        t.add_row(p.id, f"{p.name_zh}\n{p.name_en}", p.source.format, ", ".join(dict.fromkeys(x.entity for x in p.targets)), str(samples))
    Console().print(t)


@adapter_app.command("init", help="读取样例文件，检测编码与布局，起草映射配置 / read sample files, detect encoding and layout, draft a profile")
def init_cmd(
    samples: List[Path] = typer.Argument(..., help="遗留系统的样例文件 / sample legacy files", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="写出的配置文件（默认打印）/ where to write the draft (default: print it)"),
    entity: Optional[str] = typer.Option(None, "--entity", "-e", help="目标实体（默认自动猜测）/ target entity (guessed by default)"),
    profile_id: Optional[str] = typer.Option(None, "--id", help="配置标识 / profile id"),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="样例的编码（如 GBK），不写则检测 / the samples' encoding (e.g. GBK), detected by default"),
) -> None:
    from jincai.adapters.init_profile import draft

    with _user_errors(2):
        result = draft([str(s) for s in samples], entity=entity, profile_id=profile_id, encoding=encoding)
    text = result.text
    if result.entity is None:
        close = "，".join(f"{e} ({c:.2f})" for e, c in result.candidates)
        typer.echo(f"实体未知：请用 --entity 指定；候选 {close} / entity unknown: give --entity; candidates {close}", err=True)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"草稿已写入 draft written: {out}（请处理其中的 TODO 待确认 / resolve its TODOs）", err=True)
