"""Expected versus actual: how a case's expectation is matched against the product's answer.

* validate — issues are compared as a multiset of (rule, file, row, field): ``exact`` compares all
  of them, ``scoped`` only the rules (ids or families) in ``scope``; ``outcome`` compares the
  answer's ``passed``; ``not_disclosed`` values must not appear anywhere in the answer (C12).
* translate — records are compared exactly (parsed JSON, so key order and spacing do not matter;
  every value, money to the fen, must be equal) as a multiset per entity; the ledger's counts,
  rejected rows (file, sheet, row, reason codes) and money totals exactly, and the ledger must
  reconcile (rows and money).
* produce — the export must pass the catalogue (jincai's own validator: no error or fatal finding),
  match the expected record counts and money totals, and carry one correct envelope per file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jincai.conformance.model import ProduceCase, TranslateCase, ValidateCase

SHOW = 8  # differences listed per kind


@dataclass
class Outcome:
    passed: bool
    differences: list[str] = field(default_factory=list)
    actual: dict[str, Any] = field(default_factory=dict)


def _refused(resp: dict) -> str:
    err = resp.get("error") or {}
    return f"产品拒绝了请求 the product refused: {err.get('code')}: {err.get('message_zh')} / {err.get('message_en')} [{err.get('location', '')}]"


def _key(i: dict) -> tuple:
    f = i.get("file")
    return (i.get("rule"), Path(f).name if f else None, i.get("row"), i.get("field"))


def _show(k: tuple, n: int) -> str:
    rule, file, row, fld = k
    where = f"{file or '-'}:{'-' if row is None else row}" + (f" {fld}" if fld else "")
    return f"{rule} @ {where}" + (f" ×{n}" if n > 1 else "")


def in_scope(rule: str, scope: list[str]) -> bool:
    return rule in scope or rule.split(".", 1)[0] in scope


def match_validate(case: ValidateCase, resp: dict) -> Outcome:
    if not resp.get("ok"):
        return Outcome(False, [_refused(resp)], {"error": resp.get("error")})
    issues = resp.get("issues")
    if not isinstance(issues, list) or not all(isinstance(i, dict) and isinstance(i.get("rule"), str) for i in issues):
        return Outcome(False, ["回答中的 issues 不是问题列表 the answer's issues is not a list of issues"], {})
    exp = case.expected
    actual = Counter(_key(i) for i in issues)
    if exp.match == "scoped":
        actual = Counter({k: n for k, n in actual.items() if in_scope(k[0], exp.scope)})
    want = Counter()
    for i in exp.issues:
        want[(i.rule, i.file, i.row, i.field)] += i.times
    diffs = []
    missing, extra = want - actual, actual - want
    diffs += [f"缺少 missing: {_show(k, n)}" for k, n in sorted(missing.items(), key=str)[:SHOW]]
    diffs += [f"多出 unexpected: {_show(k, n)}" for k, n in sorted(extra.items(), key=str)[:SHOW]]
    if len(missing) + len(extra) > 2 * SHOW:
        diffs.append(f"… 共 {sum(missing.values())} 缺少 missing, {sum(extra.values())} 多出 unexpected")
    if exp.outcome is not None and bool(resp.get("passed")) != (exp.outcome == "valid"):
        diffs.append(f"结论 outcome: 应为 expected {exp.outcome}, 实为 got {'valid' if resp.get('passed') else 'invalid'}")
    if exp.not_disclosed:
        text = json.dumps(resp, ensure_ascii=False)
        leaked = [i for i, v in enumerate(exp.not_disclosed) if v and v in text]
        if leaked:
            diffs.append(f"回答中出现了应脱敏的原值（C12）the answer discloses {len(leaked)} value(s) that must be masked (C12)")
    actual_list = sorted(([*k, n] for k, n in Counter(_key(i) for i in issues).items()), key=str)
    return Outcome(not diffs, diffs, {"passed": resp.get("passed"), "issues": [{"rule": r, "file": f, "row": row, "field": fl, "times": n} for r, f, row, fl, n in actual_list[:200]], "issues_total": len(issues)})


# ------------------------------------------------------------------------------------------------
# translate
# ------------------------------------------------------------------------------------------------


def _canon(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _read_records(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _dec(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v)) if v is not None else None
    except InvalidOperation:
        return None


def match_translate(case: TranslateCase, folder: Path, resp: dict, out: Path) -> Outcome:
    exp = case.expected
    if exp.refused:
        if resp.get("ok"):
            return Outcome(False, ["应拒绝该输入（报错并指出位置），产品却接受了 the product accepted an input it must refuse"], {"ok": True})
        return Outcome(True, [], {"ok": False, "error": resp.get("error")})
    if not resp.get("ok"):
        return Outcome(False, [_refused(resp)], {"error": resp.get("error")})
    diffs: list[str] = []
    produced = resp.get("records") or {}
    counts = {}
    for entity, rel in sorted(exp.records.items()):
        want = Counter(_canon(r) for r in _read_records(folder / rel))
        path = out / produced[entity] if entity in produced else None
        if path is None or not path.is_file():
            diffs.append(f"没有 {entity} 的记录文件 no records file for {entity}")
            continue
        try:
            got = Counter(_canon(r) for r in _read_records(path))
        except (ValueError, UnicodeDecodeError) as exc:
            diffs.append(f"{entity} 的记录文件不是 UTF-8 JSON Lines: {exc}")
            continue
        counts[entity] = sum(got.values())
        missing, extra = want - got, got - want
        if missing or extra:
            diffs.append(f"{entity}: {sum(missing.values())} 条预期记录缺少或不同 expected records missing or different, {sum(extra.values())} 条多出 unexpected")
            diffs += [f"  缺少 missing: {k[:300]}" for k in list(missing)[:3]]
            diffs += [f"  多出 unexpected: {k[:300]}" for k in list(extra)[:3]]
    if exp.records:
        for entity in sorted(set(produced) - set(exp.records)):
            diffs.append(f"多出实体 unexpected entity: {entity}")
    ledger = resp.get("ledger") or {}
    if exp.ledger is not None:
        diffs += _match_ledger(exp.ledger, ledger)
    return Outcome(not diffs, diffs, {"records": counts, "ledger": ledger})


def _match_ledger(exp, ledger: dict) -> list[str]:
    diffs = []
    rows = ledger.get("rows") or {}
    for k, v in exp.rows.model_dump().items():
        if v is not None and rows.get(k) != v:
            diffs.append(f"账本行数 ledger rows.{k}: 应为 expected {v}, 实为 got {rows.get(k)}")
    if all(isinstance(rows.get(k), int) for k in ("source", "translated", "rejected", "filtered")):
        if rows["source"] != rows["translated"] + rows["rejected"] + rows["filtered"]:
            diffs.append(f"账本不平 the ledger does not reconcile: source {rows['source']} ≠ translated + rejected + filtered")
    else:
        diffs.append("账本缺少 source/translated/rejected/filtered 计数 the ledger lacks row counts")
    recs = ledger.get("records") or {}
    for e, n in exp.records.items():
        if recs.get(e) != n:
            diffs.append(f"账本记录数 ledger records.{e}: 应为 expected {n}, 实为 got {recs.get(e)}")
    want = sorted((r.file, r.sheet or None, r.row, tuple(r.reasons)) for r in exp.rejected)
    try:
        got = sorted((Path(r["file"]).name, r.get("sheet") or None, r["row"], tuple(r.get("reasons") or [])) for r in ledger.get("rejected") or [])
    except (KeyError, TypeError):
        got = None
    if got is None:
        diffs.append("账本的 rejected 不是拒绝行列表 the ledger's rejected is not a list of rows")
    elif got != want:
        w, g = Counter(want), Counter(got)
        diffs += [f"拒绝行缺少 rejected row missing: {k}" for k in list(w - g)[:SHOW]]
        diffs += [f"拒绝行多出 rejected row unexpected: {k}" for k in list(g - w)[:SHOW]]
    money = {(m.get("entity"), m.get("field")): m for m in ledger.get("money") or [] if isinstance(m, dict)}
    for m in exp.money:
        got_m = money.get((m.entity, m.field))
        if got_m is None:
            diffs.append(f"账本缺少金额合计 ledger lacks the money total {m.entity}.{m.field}")
            continue
        if _dec(got_m.get("translated_total")) != Decimal(m.translated_total) or str(got_m.get("translated_total")) != m.translated_total:
            diffs.append(f"金额合计 money {m.entity}.{m.field}: 应为 expected {m.translated_total}, 实为 got {got_m.get('translated_total')}")
    for (e, f), m in sorted(money.items(), key=str):
        s, t, r = (_dec(m.get(k)) for k in ("source_total", "translated_total", "rejected_total"))
        if None in (s, t, r) or s != t + r:
            diffs.append(f"金额不平 money does not reconcile: {e}.{f} source {m.get('source_total')} ≠ translated {m.get('translated_total')} + rejected {m.get('rejected_total')}")
    return diffs


# ------------------------------------------------------------------------------------------------
# produce
# ------------------------------------------------------------------------------------------------


def match_produce(case: ProduceCase, folder: Path, resp: dict, out: Path, product: dict) -> Outcome:
    import hashlib

    from jincai.conformance.reference_producer import canonical_line
    from jincai.validation.engine import validate

    if not resp.get("ok"):
        return Outcome(False, [_refused(resp)], {"error": resp.get("error")})
    diffs: list[str] = []
    files = sorted(p for p in out.glob("*.jsonl"))
    if not files:
        return Outcome(False, ["没有导出任何 JSON Lines 文件 no JSON Lines file was exported"], {})
    report = validate(files, max_issues=200)
    if not report.summary.passed:
        diffs.append(f"导出未通过校验 the export fails validation: {report.summary.by_severity}")
        diffs += [f"  {i.rule} @ {Path(i.file).name if i.file else '-'}:{i.row} {i.field or ''}" for i in report.issues[:SHOW]]
    totals = json.loads((folder / case.expected.totals).read_text(encoding="utf-8"))
    actual: dict[str, Any] = {"validation": report.summary.by_severity, "entities": {}}
    parsed: dict[str, list[dict]] = {}
    for entity, want in totals["entities"].items():
        path = out / f"{entity}.jsonl"
        if not path.is_file():
            diffs.append(f"没有导出 {entity}.jsonl the export lacks {entity}.jsonl")
            continue
        try:
            recs = _read_records(path)
        except (ValueError, UnicodeDecodeError) as exc:
            diffs.append(f"{entity}.jsonl 不是 UTF-8 JSON Lines: {exc}")
            continue
        parsed[entity] = recs
        got = {"records": len(recs), "money": {}}
        if len(recs) != want["records"]:
            diffs.append(f"{entity}: 记录数应为 expected {want['records']} records, 实为 got {len(recs)}")
        for fld, total in want["money"].items():
            s = sum((_dec(r.get(fld)) or Decimal(0) for r in recs if isinstance(r, dict)), Decimal("0.00"))
            got["money"][fld] = format(s, "f")
            if s != Decimal(total):
                diffs.append(f"{entity}.{fld}: 金额合计应为 expected {total}, 实为 got {format(s, 'f')}")
        actual["entities"][entity] = got
    if case.expected.envelopes:
        env_path = out / "submission_envelope.jsonl"
        envs = _read_records(env_path) if env_path.is_file() else []
        if not envs:
            diffs.append("没有报送信封 no submission envelopes")
        by_entity: dict[str, list[dict]] = {}
        for e in envs:
            by_entity.setdefault(e.get("entity_name"), []).append(e)
        for entity, recs in parsed.items():
            found = by_entity.get(entity, [])
            if len(found) != 1:
                diffs.append(f"{entity}: 应有一个信封 one envelope expected, 实有 got {len(found)}")
                continue
            env = found[0]
            sha = hashlib.sha256("".join(canonical_line(entity, r) + "\n" for r in recs).encode("utf-8")).hexdigest()
            if env.get("record_count") != len(recs):
                diffs.append(f"{entity} 的信封记录数 envelope record_count {env.get('record_count')} ≠ {len(recs)}")
            if env.get("content_sha256") != sha:
                diffs.append(f"{entity} 的信封校验和不符 envelope content_sha256 does not match the records")
            if (env.get("product_name"), env.get("product_version")) != (product.get("name"), product.get("version")):
                diffs.append(f"{entity} 的信封产品 envelope product {env.get('product_name')} {env.get('product_version')} ≠ {product.get('name')} {product.get('version')}")
    return Outcome(not diffs, diffs, actual)
