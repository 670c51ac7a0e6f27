"""Mutants: faulty variants of the reference product, and the suite's mutation score.

A suite that passes everything proves nothing: each mutant below is the reference product with
one fault, and the suite must make at least one case fail for it (the mutant is "killed"). The
faults are applied by the reference harness process only (``reference_harness --mutant`` /
``--mutants``), never by switches in jincai's own code paths; the one hook in the product is the
documented ``validate(disabled_rules=…)`` parameter.

Families (``kind``):

* ``rule``       — each catalogue rule disabled in turn (must all be killed: 100 %);
* ``transform``  — each adapter transform made wrong (its result nudged: +0.01 yuan, +1, a day
  later, an extra character, a flipped boolean), on the row path;
* ``other``      — money rounded to yuan (translation and export), a lenient date check (shape
  only, no calendar), datetimes accepted without an offset, one-decimal money accepted, rows
  reported off by one, rejected rows dropped silently from the ledger, an export whose lines and
  checksum are not in the canonical field order, money exported as JSON numbers;
* ``gateway``    — jincai's gateway (started by the harness) with one fault patched in for as long
  as the mutant is active: receipts signed over other bytes, revoked tokens accepted, submissions
  for any region accepted, the idempotency key forgotten, digests over sorted keys.

``score(...)`` runs every mutant against the cases of the profiles it can affect, most likely
killers first, and stops at the first failing case (a killed mutant needs no more evidence; a
surviving one has run every case).
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from jincai.validation.catalogue import catalogue

_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAIVE_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?")
_ONE_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]")


@dataclass
class Mutant:
    name: str
    kind: str  # rule | transform | other
    profiles: list[str]
    description: str
    disabled_rules: list[str] = field(default_factory=list)
    drop_issue: Callable[[dict], bool] | None = None  # validate: findings the faulty product does not report
    shift_rows: int = 0
    transform: str | None = None
    money_to_yuan: bool = False
    silent_drop: bool = False
    line: str | None = None  # producer: "sorted-keys" | "money-number"
    gateway_fault: str | None = None  # a key of GATEWAY_FAULTS
    hints: list[str] = field(default_factory=list)  # words whose cases run first

    # -- hooks the reference harness calls ---------------------------------------------------------

    def after_validate(self, issues: list[dict]) -> list[dict]:
        out = [i for i in issues if not (self.drop_issue and self.drop_issue(i))]
        if self.shift_rows:
            out = [{**i, "row": i["row"] + self.shift_rows if i.get("row") is not None else None} for i in out]
        return out

    def after_translate(self, answer: dict) -> dict:
        if self.silent_drop:
            ledger = answer["ledger"]
            dropped = ledger["rows"]["rejected"]
            ledger["rejected"] = []
            ledger["rows"] = {**ledger["rows"], "rejected": 0, "source": ledger["rows"]["source"] - dropped}
        return answer

    @contextmanager
    def translate_patch(self) -> Iterator[None]:
        """Make one transform wrong (or money rounded to yuan) for the duration of a translation,
        on the row path (the columnar path computes some transforms itself)."""
        from jincai.adapters import transforms as T

        if not (self.transform or self.money_to_yuan):
            yield
            return
        names = [self.transform] if self.transform else ["money", "wan_yuan", "implied_decimal", "thousands", "paren_negative", "red_ink"]
        saved = {n: T.REGISTRY[n] for n in names if n in T.REGISTRY}
        env = os.environ.get("JINCAI_ADAPTER_ROWS")
        os.environ["JINCAI_ADAPTER_ROWS"] = "1"
        wrong = _to_yuan if self.money_to_yuan else _nudge
        try:
            for n, d in saved.items():
                T.REGISTRY[n] = _wrapped(d, wrong)
            yield
        finally:
            T.REGISTRY.update(saved)
            if env is None:
                os.environ.pop("JINCAI_ADAPTER_ROWS", None)
            else:
                os.environ["JINCAI_ADAPTER_ROWS"] = env

    def producer_line(self, canonical: Callable[[str, dict], str]) -> Callable[[str, dict], str]:
        import json

        if self.line == "sorted-keys":
            return lambda entity, obj: json.dumps({k: v for k, v in sorted(obj.items()) if v is not None}, ensure_ascii=False, separators=(",", ":"))
        if self.line == "money-number" or self.money_to_yuan:
            from jincai.standard import standard

            def line(entity: str, obj: dict) -> str:
                money = {f.name for f in standard().entity(entity).fields if f.element.type == "money"}
                fix = (lambda v: str(Decimal(v).quantize(Decimal("1"), ROUND_HALF_UP)) + ".00") if self.money_to_yuan else (lambda v: float(v))
                return canonical(entity, {k: (fix(v) if k in money and v is not None else v) for k, v in obj.items()})

            return line
        return canonical


    def apply_gateway(self) -> Callable[[], None]:
        """Patch the fault into jincai's gateway modules (in the harness process); returns the undo."""
        if not self.gateway_fault:
            return lambda: None
        return GATEWAY_FAULTS[self.gateway_fault]()


def _patch(obj: Any, name: str, value: Any) -> Callable[[], None]:
    saved = getattr(obj, name)
    setattr(obj, name, value)
    return lambda: setattr(obj, name, saved)


def _unsigned() -> Callable[[], None]:
    from jincai.gateway import receipts

    sign = receipts.Signer.sign

    def wrong(self, content):
        payload, _, kid = sign(self, content)
        _, signature, _ = sign(self, {**content, "signed": "something else"})
        return payload, signature, kid

    return _patch(receipts.Signer, "sign", wrong)


def _revoked_accepted() -> Callable[[], None]:
    from jincai.gateway import auth

    current = auth.Credentials._current

    def forgetful(self):
        data = current(self)
        return {**data, "tokens": [{**t, "revoked_at": None} for t in data["tokens"]], "certs": [{**c, "revoked_at": None} for c in data["certs"]]}

    return _patch(auth.Credentials, "_current", forgetful)


def _any_region() -> Callable[[], None]:
    from jincai.gateway import auth

    return _patch(auth, "may_write", lambda p, region: p.role == "submitter")


def _key_forgotten() -> Callable[[], None]:
    from jincai.gateway.store import base

    return _patch(base.Store, "find_by_key", lambda self, region, key: None)


def _sorted_digest() -> Callable[[], None]:
    from jincai.gateway import ingest

    record_json = ingest.record_json
    return _patch(ingest, "record_json", lambda entity, msg: dict(sorted(record_json(entity, msg).items())))


GATEWAY_FAULTS: dict[str, Callable[[], Callable[[], None]]] = {
    "unsigned": _unsigned, "revoked-accepted": _revoked_accepted, "any-region": _any_region,
    "key-forgotten": _key_forgotten, "sorted-digest": _sorted_digest,
}


def _wrapped(d, wrong):
    from dataclasses import replace

    def build(args, ctx):
        fn = d.build(args, ctx)
        return lambda *a: wrong(fn(*a))

    return replace(d, build=build)


def _nudge(v: Any) -> Any:
    if isinstance(v, bool):
        return not v
    if isinstance(v, Decimal):
        return v + Decimal(1).scaleb(v.as_tuple().exponent)  # one unit of its last place: +0.01 yuan
    if isinstance(v, int):
        return v + 1
    if isinstance(v, datetime):
        return v + timedelta(minutes=1)
    if isinstance(v, date):
        return v + timedelta(days=1)
    if isinstance(v, str):
        return v + "X"  # a character too many: a code no longer matches, an amount no longer parses
    return v


def _to_yuan(v: Any) -> Any:
    return v.quantize(Decimal("1"), ROUND_HALF_UP).quantize(Decimal("0.01")) if isinstance(v, Decimal) else v


def all_mutants() -> list[Mutant]:
    from jincai.adapters import transforms as T

    out = [
        Mutant(f"rule.{r.id}", "rule", _rule_profiles(r.family), f"规则 {r.id} 被停用 / rule {r.id} disabled", disabled_rules=[r.id], hints=[r.id])
        for r in catalogue().rules.values()
    ]
    out += [
        Mutant(f"transform.{n}", "transform", ["adapter"], f"转换 {n} 的结果有误 / transform {n} gives a wrong result", transform=n, hints=[n])
        for n in sorted(T.REGISTRY)
    ]
    out += [
        Mutant("money-rounded-to-yuan", "other", ["adapter", "producer"], "金额被四舍五入到元 / money rounded to yuan", money_to_yuan=True, hints=["money"]),
        Mutant("lenient-date", "other", ["validator"], "日期只检查形状不检查日历 / dates checked for shape only, not the calendar",
               drop_issue=lambda i: i["rule"] == "field.date" and bool(_DATE_SHAPE.fullmatch(str(i.get("value") or ""))), hints=["field.date", "c02."]),
        Mutant("datetime-without-offset", "other", ["validator"], "接受不带时区偏移的时间戳 / datetimes accepted without an offset",
               drop_issue=lambda i: i["rule"] == "field.datetime" and bool(_NAIVE_DATETIME.fullmatch(str(i.get("value") or ""))), hints=["field.datetime", "c03."]),
        Mutant("one-decimal-money", "other", ["validator"], "接受一位小数的金额 / one-decimal money accepted",
               drop_issue=lambda i: i["rule"] == "field.money-format" and bool(_ONE_DECIMAL.fullmatch(str(i.get("value") or ""))), hints=["field.money-format", "c05."]),
        Mutant("rows-off-by-one", "other", ["validator"], "报告的行号差一 / rows reported off by one", shift_rows=-1, hints=["field.date"]),
        Mutant("silent-drop", "other", ["adapter"], "拒绝的行从账本中静默消失 / rejected rows vanish from the ledger", silent_drop=True, hints=["defects"]),
        Mutant("export-field-order", "other", ["producer"], "导出行与校验和不按标准字段顺序 / export lines and checksum not in the standard's field order", line="sorted-keys"),
        Mutant("export-money-as-number", "other", ["producer"], "导出金额为 JSON 数字 / money exported as JSON numbers", line="money-number"),
        Mutant("gateway-unsigned-receipt", "gateway", ["gateway"], "回执签名不对应 payload / receipts signed over other bytes", gateway_fault="unsigned", hints=["accepted"]),
        Mutant("gateway-revoked-token-accepted", "gateway", ["gateway"], "接受已吊销的令牌 / revoked tokens accepted", gateway_fault="revoked-accepted", hints=["revoked"]),
        Mutant("gateway-any-region", "gateway", ["gateway"], "报送方可为任何区划报送 / a submitter may submit for any region", gateway_fault="any-region", hints=["other-region"]),
        Mutant("gateway-idempotency-forgotten", "gateway", ["gateway"], "忘记幂等键 / the idempotency key is forgotten", gateway_fault="key-forgotten", hints=["idempotent"]),
        Mutant("gateway-digest-sorted-keys", "gateway", ["gateway"], "摘要按排序后的键计算 / digests over sorted keys, not the standard's field order", gateway_fault="sorted-digest", hints=["clean-month"]),
    ]
    return out


def _rule_profiles(family: str) -> list[str]:
    return ["validator"]


def mutant_by_name(name: str) -> Mutant:
    for m in all_mutants():
        if m.name == name:
            return m
    from jincai.errors import JincaiError

    raise JincaiError("conformance-unknown-mutant", f"没有变异体 {name}", f"no mutant {name}", "--mutant")


# ------------------------------------------------------------------------------------------------
# the score
# ------------------------------------------------------------------------------------------------


@dataclass
class MutantResult:
    name: str
    kind: str
    killed: bool
    by: str | None  # the case that killed it
    reason: str  # what that case saw
    cases_run: int
    seconds: float


def _ordered(cases, hints: list[str]):
    """Cases whose id or files mention a hint first (the likely killers), then the rest."""
    def score(c) -> int:
        if any(h in c.case.id for h in hints):
            return 0
        text = (c.folder / "case.yaml").read_text(encoding="utf-8")
        if any(h in text for h in hints):
            return 1
        prof = c.folder / "profile.yaml"
        if prof.exists() and any(h in prof.read_text(encoding="utf-8") for h in hints):
            return 1
        return 2

    return sorted(cases, key=score)


def score(names: list[str] | None = None, kinds: list[str] | None = None, suite_root: Path | None = None, work: Path | None = None,
          progress: Callable[[MutantResult, int, int], None] | None = None) -> list[MutantResult]:
    """Run the mutants (all, or those named / of these kinds) and say which the suite kills."""
    import shutil
    import sys
    import tempfile

    from jincai.conformance.model import Product
    from jincai.conformance.protocol import Harness
    from jincai.conformance.runner import _run_case, select
    from jincai.conformance.suite import load_suite

    suite = load_suite(suite_root)
    mutants = [m for m in all_mutants() if (not names or m.name in names) and (not kinds or m.kind in kinds)]
    own = work is None
    work = Path(work or tempfile.mkdtemp(prefix="jincai-mutants-"))
    work.mkdir(parents=True, exist_ok=True)
    harness = Harness([sys.executable, "-m", "jincai.conformance.reference_harness", "--mutants", "--certificate", "JC-TEST-0001"], None, {}, 600, work / "harness.log")
    results = []
    gateway = None  # the gateway profile's session, made when a gateway mutant first needs it
    try:
        desc = harness.request("describe")
        product = Product.model_validate(desc["product"])
        features = desc["features"]
        for n, m in enumerate(mutants, 1):
            started = time.perf_counter()
            harness.request("mutate", mutant=m.name)
            cases = [c for p in m.profiles for c in select(suite, p, [])]
            if "gateway" in m.profiles and gateway is None:
                from jincai.conformance.gateway import GatewaySession
                from jincai.conformance.model import Sut

                gateway = GatewaySession(Sut(harness={"command": ["reference"]}), Path.cwd(), harness, suite.suite.gateway.credentials)
            killed_by, reason, ran = None, "", 0
            for c in _ordered(cases, m.hints):
                case_work = work / "cases"
                shutil.rmtree(case_work, ignore_errors=True)
                case_work.mkdir()
                r = _run_case(harness, c, c.case.actors[0] if c.case.actors[0] in m.profiles else m.profiles[0], features, case_work, product, {}, gateway)
                ran += 1
                if r.status in ("fail", "error"):
                    killed_by, reason = c.case.id, r.reason
                    break
            res = MutantResult(m.name, m.kind, killed_by is not None, killed_by, reason, ran, round(time.perf_counter() - started, 2))
            results.append(res)
            if progress:
                progress(res, n, len(mutants))
    finally:
        if gateway is not None:
            gateway.close()
        harness.close()
        if own:
            shutil.rmtree(work, ignore_errors=True)
    return results


def summary(results: list[MutantResult]) -> dict[str, tuple[int, int]]:
    """kind → (killed, total)."""
    out: dict[str, tuple[int, int]] = {}
    for r in results:
        k, t = out.get(r.kind, (0, 0))
        out[r.kind] = (k + r.killed, t + 1)
    return out
