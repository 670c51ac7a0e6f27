"""``jincai conformance run``: run one profile of the suite against a product through its harness.

Statuses: ``pass``, ``fail`` (the answer differs from the expectation, or the product refused),
``skip`` (the case needs a feature the product does not declare — the reason is recorded),
``error`` (the harness broke the protocol or stopped: the run ends there) and, in dev mode only,
``xfail`` (a failure the SUT file lists under ``expected_failures``, with its reason; an expected
failure that passes is a failure, so the list cannot rot).

Certify mode refuses case filters, expected-failure lists, and a suite, code lists or catalogue
whose digests differ from the release (``release.json``): a certificate is only ever issued for the
suite as released.

Exit codes (``RunOutcome.exit_code``): 0 every required case that ran passed; 1 a required case
failed; 2 usage (a bad SUT file, a refused certify run — raised as ``JincaiError``); 4 the runner
or the product could not run (harness unstartable, describe failed, protocol broken).
"""

from __future__ import annotations

import fnmatch
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from pydantic import ValidationError

import jincai
from jincai.conformance import matching
from jincai.conformance.model import CaseResult, Digests, Product, Results, Summary, Sut, Versions
from jincai.conformance.protocol import PROTOCOL, Harness, HarnessError
from jincai.conformance.suite import LoadedCase, LoadedSuite, catalogue_digest, codelists_digest, load_suite, manifest_digest, read_yaml, release_mismatches, suite_files
from jincai.errors import JincaiError

Progress = Callable[[int, int, str, str], None]  # done, total, case id, status


@dataclass
class RunOutcome:
    results: Results
    exit_code: int
    out: Path


def load_sut(path: Path) -> Sut:
    if not path.is_file():
        raise JincaiError("conformance-sut-missing", f"找不到被测系统描述文件 {path}", f"no system-under-test file {path}", str(path))
    try:
        return Sut.model_validate(read_yaml(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise JincaiError("conformance-sut-invalid", f"被测系统描述文件有误：{where}: {err['msg']}", f"the SUT file is invalid: {where}: {err['msg']}", f"{path}:{where}") from None


def _command(sut: Sut) -> list[str]:
    """``{python}`` in the command is this runner's interpreter (handy for Python harnesses)."""
    return [sys.executable if part == "{python}" else part for part in sut.harness.command]


def select(suite: LoadedSuite, profile: str, filters: list[str]) -> list[LoadedCase]:
    """Active cases of the profile, in display-number order, narrowed by id/number globs."""
    pats = [p.strip() for f in filters for p in f.split(",") if p.strip()]
    out = []
    for c in suite.cases:
        if c.case.status != "active" or profile not in c.case.actors:
            continue
        if pats and not any(fnmatch.fnmatchcase(c.case.id, p) or fnmatch.fnmatchcase(c.case.number, p) or c.case.number.startswith(p.rstrip("*")) and p.endswith("*") for p in pats):
            continue
        out.append(c)
    return sorted(out, key=lambda c: tuple(int(x) for x in c.case.number.split(".")))


def run(
    profile: str,
    sut_path: Path,
    out: Path,
    *,
    mode: str = "dev",
    filters: list[str] | None = None,
    previous: Path | None = None,
    suite_root: Path | None = None,
    progress: Progress | None = None,
) -> RunOutcome:
    filters = filters or []
    sut_path = Path(sut_path).resolve()
    sut = load_sut(sut_path)
    suite = load_suite(suite_root)
    profiles = {p.id: p for p in suite.suite.profiles}
    if profile not in profiles:
        raise JincaiError("conformance-usage", f"没有配置档 {profile}（可选 {', '.join(profiles)}）", f"no profile {profile} (one of {', '.join(profiles)})", "--profile")
    if profiles[profile].status == "pending":
        raise JincaiError("conformance-profile-pending", f"配置档 {profile} 的用例尚未编写：{profiles[profile].note_zh}", f"the profile {profile} has no cases yet: {profiles[profile].note_en}", "--profile")
    if mode == "certify":
        refusals = []
        if filters:
            refusals.append(("认证运行不接受 --cases 过滤", "a certify run takes no --cases filter"))
        if sut.expected_failures:
            refusals.append(("认证运行不接受 expected_failures 清单", "a certify run takes no expected_failures list"))
        mismatch = release_mismatches(suite.root)
        if mismatch:
            refusals.append((f"套件、代码集或规则目录与发布版本不一致：{'; '.join(mismatch[:5])}", f"the suite, code lists or catalogue differ from the release: {'; '.join(mismatch[:5])}"))
        if refusals:
            raise JincaiError("conformance-certify-refused", "；".join(z for z, _ in refusals), "; ".join(e for _, e in refusals), str(sut_path))
    if previous is not None:
        from jincai.conformance.writers.results_json import read

        read(previous)  # an unreadable previous run is a usage error before anything runs
    cases = select(suite, profile, filters)
    expected_failures = {x.case: x for x in sut.expected_failures}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    started = datetime.now(timezone.utc)
    cwd = (sut_path.parent / sut.harness.cwd).resolve() if sut.harness.cwd else sut_path.parent
    results: list[CaseResult] = []
    fatal = False
    product: Product | None = sut.product
    declared_profiles: list[str] = []
    declared_features: list[str] = []
    harness = None
    gateway = None
    try:
        harness = Harness(_command(sut), cwd, sut.harness.env, sut.harness.timeout_seconds, out / "harness.log")
        desc = harness.request("describe")
        if not desc.get("ok") or desc.get("protocol") != PROTOCOL:
            raise HarnessError(f"describe 失败或协议不符（应为 {PROTOCOL}）", f"describe failed or the protocol differs (expected {PROTOCOL})")
        declared_profiles = list(desc.get("profiles") or [])
        declared_features = list(desc.get("features") or [])
        try:
            product = product or Product.model_validate(desc.get("product") or {})
        except ValidationError:
            raise HarnessError("describe 的 product 不完整（vendor、name、version）", "describe's product is incomplete (vendor, name, version)") from None
        if profile not in declared_profiles:
            fatal = True
            results = [_skip(c, profile, f"产品未声明配置档 {profile} the product does not declare the profile {profile}") for c in cases]
        else:
            if profile == "gateway":
                from jincai.conformance.gateway import GatewaySession

                gateway = GatewaySession(sut, sut_path.parent, harness, suite.suite.gateway.credentials if suite.suite.gateway else {})
            for n, c in enumerate(cases, 1):
                r = _run_case(harness, c, profile, declared_features, work, product, expected_failures if mode == "dev" else {}, gateway)
                results.append(r)
                if progress:
                    progress(n, len(cases), c.id, r.status)
    except HarnessError as exc:
        fatal = True
        done = {r.id for r in results}
        for c in cases:
            if c.id not in done:
                results.append(_result(c, profile, "error", f"{exc.zh} / {exc.en}"))
    except JincaiError:
        fatal = True
        raise
    finally:
        if gateway is not None:
            gateway.close()
        if harness is not None:
            harness.close()  # its shutdown also stops a gateway the harness started
    finished = datetime.now(timezone.utc)
    res = Results(
        mode=mode, profile=profile, filters=filters, started=started.isoformat(timespec="seconds"), finished=finished.isoformat(timespec="seconds"),
        versions=_versions(suite), digests=Digests(suite=manifest_digest(suite_files(suite.root)), codelists=codelists_digest(), catalogue=catalogue_digest()),
        product=product or Product(vendor="?", name="?", version="?"), declared_profiles=declared_profiles, declared_features=declared_features,
        summary=_summary(results), cases=results,
    )
    from jincai.conformance.writers import write_all

    write_all(res, suite, out, previous)
    shutil.rmtree(work, ignore_errors=True)
    code = 4 if any(r.status == "error" for r in results) or (fatal and not results) else (0 if res.summary.required_passed and not fatal else 1)
    return RunOutcome(res, code, out)


def _versions(suite: LoadedSuite) -> Versions:
    from jincai.standard import standard
    from jincai.validation.catalogue import catalogue
    from jincai.validation.engine import codelists_version

    return Versions(
        suite=suite.suite.version, suite_id=suite.suite.id, standard=standard().version, catalogue=catalogue().version,
        codelists=codelists_version(), runner=jincai.__version__, protocol=PROTOCOL,
    )


def _result(c: LoadedCase, profile: str, status: str, reason: str = "", **kw) -> CaseResult:
    return CaseResult(
        id=c.case.id, number=c.case.number, module=c.case.module, profile=profile, required=c.case.required, status=status,
        title_zh=c.case.title_zh, title_en=c.case.title_en, requirements=c.case.requirements, reason=reason, **kw,
    )


def _skip(c: LoadedCase, profile: str, reason: str) -> CaseResult:
    return _result(c, profile, "skip", reason)


def _run_case(harness: Harness, c: LoadedCase, profile: str, features: list[str], work: Path, product: Product, xfail: dict, gateway=None) -> CaseResult:
    case = c.case
    lacking = [f for f in case.features if f not in features]
    if lacking:
        return _skip(c, profile, f"产品未声明能力 the product does not declare: {', '.join(lacking)}")
    started = time.perf_counter()
    folder = c.folder
    expected = case.expected.model_dump(exclude_defaults=False)
    if case.operation == "validate":
        resp = harness.request("validate", files=[str(folder / f) for f in case.input.files], year=case.input.year)
        outcome = matching.match_validate(case, resp)
    elif case.operation == "translate":
        dest = work / case.id
        dest.mkdir(parents=True)
        resp = harness.request("translate", system=case.input.system, profile=str(folder / case.input.profile), inputs=[str(folder / p) for p in case.input.inputs], out=str(dest))
        outcome = matching.match_translate(case, folder, resp, dest)
    elif case.operation == "produce":
        dest = work / case.id
        dest.mkdir(parents=True)
        resp = harness.request("produce", scenario=str(folder / case.input.scenario), out=str(dest))
        outcome = matching.match_produce(case, folder, resp, dest, product.model_dump())
    else:  # submit: the runner is the gateway's client (gateway.py)
        if gateway is None:
            return _skip(c, profile, "网关用例只在 gateway 配置档中运行 gateway cases run in the gateway profile only")
        from jincai.conformance.gateway import run_case

        outcome = run_case(gateway, case, folder)
    seconds = round(time.perf_counter() - started, 3)
    status, reason = ("pass", "") if outcome.passed else ("fail", outcome.differences[0] if outcome.differences else "")
    if case.id in xfail:
        x = xfail[case.id]
        if outcome.passed:
            status, reason = "fail", "列为预期失败却通过了（请从 expected_failures 删除）listed as an expected failure but passed (remove it)"
        else:
            status, reason = "xfail", f"{x.reason_zh} / {x.reason_en}"
    return _result(c, profile, status, reason, expected=expected, actual=outcome.actual, differences=outcome.differences, seconds=seconds)


def _summary(results: list[CaseResult]) -> Summary:
    by_status = {s: 0 for s in ("pass", "fail", "skip", "error", "xfail")}
    by_module: dict[str, dict[str, int]] = {}
    for r in results:
        by_status[r.status] += 1
        m = by_module.setdefault(r.module, {s: 0 for s in by_status})
        m[r.status] += 1
    required_ok = not any(r.required and r.status in ("fail", "error") for r in results)
    return Summary(total=len(results), by_status=by_status, required_passed=required_ok and bool(results), by_module=by_module)
