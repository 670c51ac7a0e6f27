"""A consolidation or a position as a rich table, JSON or XLSX — Chinese headers, English beside.

XLSX goes through ``jincai.safe_output`` (no cell is ever a formula); money is written as exact text
of its Decimal. Nothing here is personal data (regions, classifications, amounts), so nothing is
masked.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jincai.datacenter.consolidate import Consolidation
from jincai.datacenter.position import Figures, Position
from jincai.safe_output import Sheet, write_xlsx

KIND = {"revenue": "收入 revenue", "expenditure": "支出 expenditure"}
CHECK = {"ledger": "与总会计账 vs ledger", "subordinates": "与下级之和 vs subordinates", "ytd": "累计连续性 YTD continuity"}
SCOPE = {"1": "本级 own", "2": "汇总 consolidated"}

LINE_HEADER = ["收支 side", "科目 classification", "科目名称 name", "本级本期 own (period)", "本级累计 own (YTD)", "下级本期 below (period)", "下级累计 below (YTD)",
               "汇总本期 consolidated (period)", "汇总累计 consolidated (YTD)", "报送本期 submitted (period)", "报送累计 submitted (YTD)"]  # fmt: skip
DIFF_HEADER = ["区划 region", "名称 name", "期间 period", "核对 check", "口径 scope", "收支 side", "科目 classification", "字段 field",
               "报送数 submitted", "应为 expected", "差额 difference"]  # fmt: skip
MISS_HEADER = ["区划 region", "名称 name", "期间 period", "缺少 missing", "说明 zh", "note en"]
FIG_HEADER = ["指标数 amount", "调整 adjusted", "已支付 paid", "已清算 cleared", "未清算 not cleared", "可用余额 available", "指标个数 indicators", "支付笔数 payments"]


LISTS = {"revenue": "rev_class", "expenditure": "exp_func"}


def class_name(kind: str, code: str, year: int) -> str:
    """The classification's Chinese name in the fiscal year (names change: 类 207 became
    文化旅游体育与传媒支出 in 2019); empty when the code list does not know it."""
    from jincai.codelists import registry

    try:
        rows = registry().get(LISTS[kind]).history(code)
    except KeyError:
        return ""
    for r in reversed(rows):
        if (not r.valid_from or int(r.valid_from[:4]) <= year) and (not r.valid_to or int(r.valid_to[:4]) >= year):
            return r.name_zh
    return ""


def _m(v) -> str:
    return "" if v is None else format(v, "f")


def consolidation_rows(c: Consolidation) -> tuple[list[list], list[list], list[list]]:
    year = int(c.period[:4])
    lines = [[KIND.get(x.kind, x.kind), x.classification, class_name(x.kind, x.classification, year), _m(x.own_cur), _m(x.own_ytd), _m(x.below_cur), _m(x.below_ytd), _m(x.total_cur), _m(x.total_ytd), _m(x.submitted_cur), _m(x.submitted_ytd)] for x in c.lines]
    diffs = [[d.mof_div_code, d.region_name, d.period, CHECK.get(d.check, d.check), SCOPE.get(d.scope, d.scope), KIND.get(d.kind, d.kind), d.classification, d.field, _m(d.submitted), _m(d.expected), _m(d.difference)] for d in c.differences]
    miss = [[m.mof_div_code, m.region_name, m.period, m.what, m.message_zh, m.message_en] for m in c.missing]
    return lines, diffs, miss


def _figs(f: Figures) -> list:
    return [_m(f.amount), _m(f.adjusted), _m(f.paid), _m(f.cleared), _m(f.not_cleared), _m(f.available), f.indicators, f.payments]


def position_sheets(p: Position) -> list[Sheet]:
    sheets = [
        Sheet("合计 total", ["区划 region", "名称 name", "时点 as of", "业务日期 date", *FIG_HEADER, "收入合计 revenue"],
              [[p.mof_div_code, p.region_name, p.as_of, p.as_of_date, *_figs(p.total), _m(p.revenue_total)]]),
        Sheet("按区划 by region", ["区划 region", "名称 name", *FIG_HEADER], [[k, p.names.get(k, ""), *_figs(v)] for k, v in p.by_region.items()]),
        Sheet("按资金性质 by fund type", ["资金性质 fund type", *FIG_HEADER], [[k, *_figs(v)] for k, v in p.by_fund_type.items()]),
        Sheet("按功能分类 by classification", ["功能分类 classification", *FIG_HEADER], [[k, *_figs(v)] for k, v in p.by_classification.items()]),
        Sheet("资金性质×分类 fund×class", ["资金性质 fund type", "功能分类 classification", *FIG_HEADER],
              [[g.fund_type_code, g.exp_func_code, *_figs(g.figures)] for g in p.by_fund_and_classification]),
        Sheet("按日收入 revenue by day", ["日期 day", "税收 tax", "非税 non-tax", "合计 total", "记录数 records"],
              [[d.day, _m(d.tax), _m(d.non_tax), _m(d.total), d.records] for d in p.revenue_by_day]),
    ]  # fmt: skip
    if p.indicators:
        sheets.append(Sheet("按指标 by indicator", ["区划 region", "指标 indicator", "资金性质 fund type", "功能分类 classification", "在数据中 known", *FIG_HEADER],
                            [[i.mof_div_code, i.bgt_id, i.fund_type_code, i.exp_func_code, "是 yes" if i.known else "否 no", *_figs(i.figures)] for i in p.indicators]))  # fmt: skip
    return sheets


def write(result: Consolidation | Position, fmt: str, out: Path | None, console: Console | None = None) -> None:
    console = console or Console(width=None if Console().is_terminal else 160)
    if fmt == "json":
        text = json.dumps(result.as_json(), ensure_ascii=False, indent=1) + "\n"
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            console.out(text, end="", highlight=False)
        return
    if fmt == "xlsx":
        if out is None:
            from jincai.errors import JincaiError

            raise JincaiError("datacenter-output", "XLSX 需要 --out 文件", "XLSX needs --out FILE", "--out")
        if isinstance(result, Consolidation):
            lines, diffs, miss = consolidation_rows(result)
            sheets = [Sheet("汇总报表 report", LINE_HEADER, lines), Sheet("差异 differences", DIFF_HEADER, diffs), Sheet("未报送 missing", MISS_HEADER, miss)]
        else:
            sheets = position_sheets(result)
        write_xlsx(out, sheets)
        return
    if isinstance(result, Consolidation):
        _table_consolidation(result, console)
    else:
        _table_position(result, console)


def _table(title: str, header: list[str], rows: list[list], right_from: int = 2) -> Table:
    t = Table(title=title, title_justify="left")
    for i, h in enumerate(header):
        t.add_column(h, justify="right" if i >= right_from else "left")
    for r in rows:
        t.add_row(*(str(v) for v in r))
    return t


def _table_consolidation(c: Consolidation, console: Console) -> None:
    _, diffs, _ = consolidation_rows(c)
    kind = "旬报" if "-D" in c.period else "月报"
    done = "完整 complete" if c.complete else "不完整 incomplete（见未报送 see missing）"
    year = int(c.period[:4])
    rows = [
        [KIND.get(x.kind, x.kind).split()[0], x.classification, class_name(x.kind, x.classification, year), _m(x.own_cur), _m(x.below_cur), _m(x.total_cur), _m(x.total_ytd),
         _m(x.submitted_cur), "" if x.submitted_cur is None else _m(x.submitted_cur - x.total_cur)]
        for x in c.lines
    ]  # fmt: skip
    header = ["收支 side", "科目 class", "名称 name", "本级 own", "下级 below", "汇总 total", "汇总累计 YTD", "报送 submitted", "报送−账 diff"]
    console.print(_table(f"{c.region_name} {c.mof_div_code} {c.period} 汇总{kind} consolidated report — 时点 as of {c.as_of} — {len(c.regions)} 个区划 regions, {done}", header, rows, right_from=3))
    if diffs:
        console.print(_table(f"差异 differences ({len(diffs)})", DIFF_HEADER, diffs, right_from=8))
    else:
        console.print("差异 differences: 无 none")
    if c.missing:
        rows = [[m.mof_div_code, m.region_name, m.period, m.what, m.message_zh] for m in c.missing]
        console.print(_table(f"未报送 missing ({len(rows)})", MISS_HEADER[:5], rows, right_from=99))
    else:
        console.print("未报送 missing: 无 none")


def _table_position(p: Position, console: Console) -> None:
    console.print(_table(f"{p.region_name} {p.mof_div_code} 财政实时状况 fiscal position — 时点 as of {p.as_of}（业务日期 date {p.as_of_date}）",
                         ["范围 scope", *FIG_HEADER], [["合计 total", *_figs(p.total)]], right_from=1))  # fmt: skip
    console.print(_table("按区划 by region", ["区划 region", "名称 name", *FIG_HEADER], [[k, p.names.get(k, ""), *_figs(v)] for k, v in p.by_region.items()]))
    console.print(_table("按资金性质 by fund type", ["资金性质 fund type", *FIG_HEADER], [[k, *_figs(v)] for k, v in p.by_fund_type.items()], right_from=1))
    console.print(_table("按功能分类 by classification", ["功能分类 classification", *FIG_HEADER], [[k, *_figs(v)] for k, v in p.by_classification.items()], right_from=1))
    recent = p.revenue_by_day[-10:]
    console.print(_table(f"按日收入 revenue by day（最近 {len(recent)} 天 / last {len(recent)} of {len(p.revenue_by_day)} days; 合计 total {_m(p.revenue_total)}）",
                         ["日期 day", "税收 tax", "非税 non-tax", "合计 total", "记录数 records"],
                         [[d.day, _m(d.tax), _m(d.non_tax), _m(d.total), d.records] for d in recent], right_from=1))  # fmt: skip
