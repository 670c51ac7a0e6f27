"""``jincai conformance …``: run the conformance suite against a product, check the suite, export
it, measure it with mutants, and issue and verify certificates.

* ``run --profile P --sut SUT.yaml --out DIR [--mode dev|certify] [--cases FILTER] [--previous DIR]``
  — exit 0 every required case that ran passed, 1 failures, 2 usage (or a refused certify run),
  4 the runner or the product could not run.
* ``lint`` — 0 clean, 1 problems. ``export --out DIR`` — the dated release bundle.
* ``mutants [--kind K] [--only NAME] [--list]`` — the mutation score; exit 1 when a rule-disabling
  mutant survives (those must all be killed), other kinds are reported.
* ``keygen --out DIR``, ``certify RESULTS_DIR… --key KEY``, ``verify CERT --issuer-key PUB
  [--results DIR] [--revoked LIST] [--suite DIR]`` — verify exits 0 only when every check passes,
  1 naming the check that failed, 2 on usage errors.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from jincai.errors import JincaiError

app = typer.Typer(
    help="符合性测试与认证：运行套件、检查套件、变异测试、签发与验证证书 / conformance: run the suite, lint it, mutants, certificates",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@contextmanager
def _usage() -> Iterator[None]:
    try:
        yield
    except JincaiError as exc:
        typer.echo(f"错误 error: {exc}", err=True)
        raise typer.Exit(2) from None


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="conformance")


class _Progress:
    """A progress bar on a terminal; elsewhere a line every 50 cases (CI logs stay short)."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), transient=True)
            self.bar.start()
            self.task = None
        return self.update

    def update(self, done: int, total: int, case: str, status: str) -> None:
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task("用例 cases", total=total)
            self.bar.update(self.task, completed=done, description=f"{case} {status}"[:60])
        elif done % 50 == 0 or done == total:
            typer.echo(f"  {done}/{total} …", err=True)
        if status in ("fail", "error"):
            msg = f"  ✗ {case}: {status}"
            (self.bar.console.print(msg) if self.bar is not None else typer.echo(msg, err=True))

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command("run", help="对被测产品运行一个配置档 / run one profile of the suite against a product")
def run_cmd(
    profile: str = typer.Option(..., "--profile", "-p", help="validator | adapter | producer | auditor | gateway"),
    sut: Path = typer.Option(..., "--sut", help="被测系统描述文件 / the system-under-test file (SUT.yaml)"),
    out: Path = typer.Option(..., "--out", "-o", help="结果目录 / results folder"),
    mode: str = typer.Option("dev", "--mode", help="dev（开发）| certify（认证：不接受过滤与预期失败，套件须与发布版本一致）"),
    cases: List[str] = typer.Option([], "--cases", help="只运行编号或编号前缀匹配的用例（glob，仅开发模式）/ only cases whose id or number matches (dev mode)"),
    previous: Optional[Path] = typer.Option(None, "--previous", help="上次运行的结果目录，报告中列出变化 / a previous results folder to diff against"),
) -> None:
    from jincai.conformance.runner import run

    if mode not in ("dev", "certify"):
        typer.echo(f"错误 error: --mode 应为 dev 或 certify，实为 {mode!r} / --mode must be dev or certify", err=True)
        raise typer.Exit(2)
    with _usage(), _Progress() as progress:
        outcome = run(profile, sut, out, mode=mode, filters=cases, previous=previous, progress=progress)
    r = outcome.results
    s = r.summary
    counts = ", ".join(f"{k} {v}" for k, v in s.by_status.items() if v)
    typer.echo(f"{r.product.name} {r.product.version} · {profile} · {mode}: {s.total} 个用例 cases ({counts})")
    from jincai.conformance.suite import load_suite
    from jincai.conformance.writers.tables import coverage_rows

    rows = coverage_rows(r, load_suite())
    touched = [x for x in rows if x[5] != "not in this run"]
    passed = [x for x in touched if {t.split(":")[0] for t in x[5].split()} == {"pass"}]
    typer.echo(f"需求覆盖 requirements covered by this run: {len(touched)} of {len(rows)}, all cases passing for {len(passed)}")
    typer.echo(("✓ 所有必测用例通过 every required case passed" if outcome.exit_code == 0 else "✗ 未通过 did not pass") + f" — {out / 'report.html'}")
    raise typer.Exit(outcome.exit_code)


@app.command("lint", help="检查套件本身 / check the suite itself")
def lint_cmd(suite: Optional[Path] = typer.Option(None, "--suite", help="套件目录（默认 conformance_tests/）/ the suite folder")) -> None:
    from jincai.conformance.lint import lint

    with _usage():
        problems, cov = lint(suite)
    for p in problems:
        typer.echo(f"✗ {p}")
    typer.echo(
        f"需求 requirements: {cov.covered}/{cov.requirements} 有用例 covered, {cov.untested_with_reason} 说明了未测原因 untested with a reason; "
        f"规则 rules: {cov.rules_fire}/{cov.rules} 有必报用例 must-fire, {cov.rules_silent}/{cov.rules} 有不报用例 must-not-fire"
    )
    typer.echo("✓ 套件检查通过 the suite is clean" if not problems else f"{len(problems)} 个问题 problems")
    raise typer.Exit(1 if problems else 0)


@app.command("export", help="写出带 sha256 清单的发布包 / write the dated release bundle with a sha256 manifest")
def export_cmd(out: Path = typer.Option(..., "--out", "-o", help="输出目录 / output folder")) -> None:
    from jincai.conformance.export import export

    with _usage():
        dest = export(out)
    typer.echo(f"✓ {dest}（SHA256SUMS）")


@app.command("mutants", help="变异测试：参考实现的故障变体必须被套件发现 / mutation testing: faulty variants of the reference product must fail the suite")
def mutants_cmd(
    kind: List[str] = typer.Option([], "--kind", help="rule | transform | other | gateway（默认全部 default all）"),
    only: List[str] = typer.Option([], "--only", help="只运行这些变异体 / only these mutants"),
    list_: bool = typer.Option(False, "--list", help="列出变异体 / list the mutants"),
) -> None:
    from jincai.conformance import mutants

    if list_:
        for m in mutants.all_mutants():
            typer.echo(f"{m.name:48} {m.kind:9} {','.join(m.profiles):18} {m.description}")
        return

    def show(r, n, total):
        mark = "✓ killed  " if r.killed else "✗ SURVIVED"
        typer.echo(f"{n:3}/{total} {mark} {r.name:48} {r.by or ''} ({r.cases_run} cases, {r.seconds} s)")

    with _usage():
        results = mutants.score(names=only or None, kinds=kind or None, progress=show)
    total_k = sum(r.killed for r in results)
    for k, (killed, total) in mutants.summary(results).items():
        typer.echo(f"变异得分 mutation score {k}: {killed}/{total} = {100 * killed / total:.1f}%")
    typer.echo(f"变异得分 mutation score: {total_k}/{len(results)} = {100 * total_k / max(len(results), 1):.1f}%")
    raise typer.Exit(1 if any(not r.killed and r.kind == "rule" for r in results) else 0)


@app.command("keygen", help="生成签发证书用的 Ed25519 密钥对 / generate an Ed25519 issuer key pair")
def keygen_cmd(out: Path = typer.Option(..., "--out", "-o"), name: str = typer.Option("issuer", "--name")) -> None:
    from jincai.conformance.certificates import keygen

    with _usage():
        key, pub, kid = keygen(out, name)
    typer.echo(f"✓ 私钥 private key {key}（妥善保管 keep it secret）\n✓ 公钥 public key {pub}\n  key id {kid}")


@app.command("certify", help="对认证模式的运行结果签发证书 / issue a certificate for certify-mode results")
def certify_cmd(
    results: List[Path] = typer.Argument(..., help="结果目录（每个配置档一个）/ results folders (one per profile)"),
    key: Path = typer.Option(..., "--key", help="签发私钥 / the issuer's private key"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="证书文件（默认第一个结果目录下 certificate.json）"),
    issuer: str = typer.Option("河北省财政数据中心 Hebei fiscal data center", "--issuer"),
    days: int = typer.Option(730, "--days", help="有效天数 / days of validity"),
    registry: Optional[Path] = typer.Option(None, "--registry", help="把证书登记到该登记册 CSV / append to this certificate registry CSV"),
) -> None:
    from jincai.conformance.certificates import certify, write

    with _usage():
        cert = certify(results, key, issuer=issuer, validity_days=days, registry=registry)
        path = write(cert, out or results[0] / "certificate.json")
    typer.echo(f"✓ 证书 certificate {cert.body.number} → {path}（有效至 valid to {cert.body.expires}）")


@app.command("verify", help="验证证书 / verify a certificate")
def verify_cmd(
    certificate: Path = typer.Argument(...),
    issuer_key: Path = typer.Option(..., "--issuer-key", help="信任的签发公钥 / the trusted issuer public key"),
    results: List[Path] = typer.Option([], "--results", help="核对的结果目录 / results folders to check"),
    revoked: Optional[Path] = typer.Option(None, "--revoked", help="撤销清单（登记册 CSV 或每行一个编号）/ revocation list"),
    suite: Optional[Path] = typer.Option(None, "--suite", help="核对的套件目录 / a suite folder to check"),
) -> None:
    from jincai.conformance.certificates import verify

    with _usage():
        checks = verify(certificate, issuer_key, results_dirs=results or None, revoked=revoked, suite_root=suite)
    for c in checks:
        typer.echo(f"{'✓' if c.ok else '✗'} {c.name}: {c.zh} / {c.en}")
    ok = all(c.ok for c in checks)
    typer.echo("✓ 证书有效 the certificate is valid" if ok else f"✗ 证书无效 the certificate is NOT valid ({next(c.name for c in checks if not c.ok)})")
    raise typer.Exit(0 if ok else 1)
