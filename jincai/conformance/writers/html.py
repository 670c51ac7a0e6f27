"""``report.html``: one self-contained page for people, Chinese first with English beside.

Summary (the product, the suite and its digests, counts by status), a table by module, every
failure and error with what was expected against what the product answered, the skipped cases with
their reasons, and — when a previous run is given — what changed since it.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from jincai.conformance.model import Results
from jincai.conformance.suite import LoadedSuite

STATUS_ZH = {"pass": "通过", "fail": "失败", "skip": "跳过", "error": "错误", "xfail": "预期失败"}
STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.pass{color:#176b2c}.fail,.error{color:#a31515;font-weight:bold}.skip,.xfail{color:#8a6d00}
pre{background:#f8f8f8;padding:6px;white-space:pre-wrap;max-height:24em;overflow:auto}small{color:#666}
"""


def _e(text) -> str:
    return escape("" if text is None else str(text))


def _status(s: str) -> str:
    return f'<span class="{s}">{STATUS_ZH[s]} {s}</span>'


def render(results: Results, suite: LoadedSuite, previous: Results | None = None) -> str:
    s = results.summary
    verdict = "所有必测用例通过 every required case passed" if s.required_passed else "有必测用例未通过 required cases did not pass"
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>符合性测试报告 conformance report — {_e(results.product.name)} {_e(results.product.version)}</title><style>{STYLE}</style></head><body>",
        "<h1>符合性测试报告 <small>Conformance report</small></h1>",
        f"<p><b>{_e(verdict)}</b></p>",
        "<table>",
        f"<tr><th>产品 product</th><td>{_e(results.product.vendor)} · {_e(results.product.name)} {_e(results.product.version)}<br><small>{_e(results.product.build_digest or '')}</small></td></tr>",
        f"<tr><th>配置档 profile</th><td>{_e(results.profile)} · 模式 mode {_e(results.mode)}" + (f" · 过滤 filters {_e(', '.join(results.filters))}" if results.filters else "") + "</td></tr>",
        f"<tr><th>套件 suite</th><td>{_e(results.versions.suite_id)} {_e(results.versions.suite)} <small>{_e(results.digests.suite)}</small></td></tr>",
        f"<tr><th>标准与规则目录 standard, catalogue</th><td>{_e(results.versions.standard)} · {_e(results.versions.catalogue)} · 代码集 code lists {_e(results.versions.codelists)}</td></tr>",
        f"<tr><th>时间 time</th><td>{_e(results.started)} — {_e(results.finished)}</td></tr>",
        f"<tr><th>声明的能力 declared features</th><td>{_e(', '.join(results.declared_features) or '—')}</td></tr>",
        "</table>",
        "<h2>汇总 Summary</h2><table><tr><th>模块 module</th>" + "".join(f"<th>{_status(k)}</th>" for k in STATUS_ZH) + "</tr>",
    ]
    titles = {m.id: f"{m.number}. {m.title_zh} <small>{_e(m.title_en)}</small>" for m in suite.suite.modules}
    for module, counts in s.by_module.items():
        out.append(f"<tr><td>{titles.get(module, _e(module))}</td>" + "".join(f"<td>{counts.get(k, 0)}</td>" for k in STATUS_ZH) + "</tr>")
    out.append("<tr><th>合计 total</th>" + "".join(f"<th>{s.by_status.get(k, 0)}</th>" for k in STATUS_ZH) + "</tr></table>")
    if previous is not None:
        out += _diff(results, previous)
    bad = [r for r in results.cases if r.status in ("fail", "error")]
    out.append(f"<h2>失败与错误 Failures and errors ({len(bad)})</h2>")
    for r in bad:
        out.append(f"<h3>{_e(r.number)} {_e(r.id)} — {_status(r.status)}{'' if r.required else ' <small>（选测 optional）</small>'}</h3>")
        out.append(f"<p>{_e(r.title_zh)}<br><small>{_e(r.title_en)}</small></p>")
        out.append("<p>差异 differences:</p><pre>" + _e("\n".join(r.differences) or r.reason) + "</pre>")
        out.append("<table><tr><th>预期 expected</th><th>实际 actual</th></tr><tr>"
                   f"<td><pre>{_e(json.dumps(r.expected, ensure_ascii=False, indent=1)[:6000])}</pre></td>"
                   f"<td><pre>{_e(json.dumps(r.actual, ensure_ascii=False, indent=1)[:6000])}</pre></td></tr></table>")
    skipped = [r for r in results.cases if r.status in ("skip", "xfail")]
    if skipped:
        out.append(f"<h2>跳过与预期失败 Skipped and expected failures ({len(skipped)})</h2><table><tr><th>编号 number</th><th>用例 case</th><th>状态 status</th><th>原因 reason</th></tr>")
        out += [f"<tr><td>{_e(r.number)}</td><td>{_e(r.id)}</td><td>{_status(r.status)}</td><td>{_e(r.reason)}</td></tr>" for r in skipped]
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _diff(results: Results, previous: Results) -> list[str]:
    before = {r.id: r.status for r in previous.cases}
    now = {r.id: r.status for r in results.cases}
    changed = [(i, before.get(i), now.get(i)) for i in sorted(set(before) | set(now)) if before.get(i) != now.get(i)]
    out = [f"<h2>与上次运行相比 Compared with the previous run <small>{_e(previous.started)}, {_e(previous.product.name)} {_e(previous.product.version)}</small></h2>"]
    if not changed:
        return out + ["<p>没有变化 no change</p>"]
    out.append("<table><tr><th>用例 case</th><th>上次 before</th><th>本次 now</th></tr>")
    for i, a, b in changed:
        out.append(f"<tr><td>{_e(i)}</td><td>{_status(a) if a else '—'}</td><td>{_status(b) if b else '—'}</td></tr>")
    return out + ["</table>"]


def write(results: Results, suite: LoadedSuite, path: Path, previous: Results | None = None) -> Path:
    path.write_text(render(results, suite, previous), encoding="utf-8")
    return path
