"""Render the sample city's accounting vouchers as the accounting software's XML interface file
(declared GB2312; an assumed layout modelled on GB/T 24589).

    .venv/bin/python adapters/city_ledger_xml/make_samples.py [--out adapters] [--sample-dir DIR]

Shared steps (the sample province, golden files, rejections): ``adapters/_sample_tools.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # adapters/_sample_tools.py, shared by the sample makers
    sys.path.insert(0, str(HERE.parent))

import _sample_tools  # noqa: E402
from _sample_tools import Records, by_region, fresh, pick_vouchers, rejected_row, write_expected, write_rejections  # noqa: E402

ENTITIES = ("accounting_voucher", "accounting_voucher_line")
DIVISION = "city"  # the sample's city region

XML_FILE = "ZZ_130600000_2024.xml"
XML_VOUCHERS = 16


def _xml_text(value: Any) -> str:
    from xml.sax.saxutils import escape

    return "" if value is None else escape(str(value), {'"': "&quot;"})


def render_ledger_xml(vouchers: list[dict], lines_of: dict[str, list[dict]], div: str, year: str, unit: str,
                      overrides: dict[tuple[str, int], dict[str, str]] | None = None) -> bytes:
    """The interface file: declared GB2312 (read as GB18030), CRLF, two-space indent. Every line
    element is written even when empty, as such exports do."""
    overrides = overrides or {}
    out = ['<?xml version="1.0" encoding="GB2312"?>',
           f'<电子账簿 版本="1.0" 会计年度="{year}" 财政区划="{div}" 单位名称="{_xml_text(unit)}">']
    for v in vouchers:
        out.append("  <记账凭证>")
        for tag, key in (("凭证内码", "acct_voucher_id"), ("凭证编号", "acct_voucher_no"), ("凭证日期", "acct_date"),
                         ("会计期间", "acct_period"), ("摘要", "abstract"), ("来源业务", "src_entity"), ("来源单据", "src_id")):
            out.append(f"    <{tag}>{_xml_text(v.get(key))}</{tag}>")
        for line in lines_of[v["acct_voucher_id"]]:
            values = {"科目编号": line["acct_code"], "借方金额": line["dr_amt"], "贷方金额": line["cr_amt"],
                      "功能科目": line.get("exp_func_code"), "收入科目": line.get("rev_class_code"),
                      "资金性质": line.get("fund_type_code"), "经济科目": line.get("dep_bgt_eco_code")}
            values.update(overrides.get((v["acct_voucher_id"], line["line_no"]), {}))
            out.append(f'    <分录 序号="{line["line_no"]}">')
            for tag in ("科目编号", "借方金额", "贷方金额"):
                out.append(f"      <{tag}>{_xml_text(values[tag])}</{tag}>")
            out.append("      <辅助核算>")
            for tag in ("功能科目", "收入科目", "资金性质", "经济科目"):
                text = _xml_text(values[tag])
                out.append(f"        <{tag}>{text}</{tag}>" if text else f"        <{tag}/>")
            out.append("      </辅助核算>")
            out.append("    </分录>")
        out.append("  </记账凭证>")
    out.append("</电子账簿>")
    return ("\r\n".join(out) + "\r\n").encode("gb18030")


def render_city_ledger_xml(records: Records, folder: Path, div: str) -> None:
    fresh(folder)
    lines_of: dict[str, list[dict]] = {}
    for line in by_region(records["accounting_voucher_line"], div):
        lines_of.setdefault(line["acct_voucher_id"], []).append(line)
    vouchers = pick_vouchers(by_region(records["accounting_voucher"], div), lines_of, XML_VOUCHERS)
    year = vouchers[0]["fiscal_year"]
    unit = next(r["mof_div_name"] for r in records["fiscal_region"] if r["mof_div_code"] == div) + "财政局"
    (folder / "samples" / XML_FILE).write_bytes(render_ledger_xml(vouchers, lines_of, div, year, unit))
    write_expected(folder / "expected", "accounting_voucher", vouchers)
    write_expected(folder / "expected", "accounting_voucher_line", [x for v in vouchers for x in lines_of[v["acct_voucher_id"]]])

    # defects: the first voucher of each kind again, each with one bad value in its second line
    bad_vouchers = [dict(v, acct_voucher_id=v["acct_voucher_id"][:34] + f"-D{k:02d}") for k, v in enumerate(vouchers[:3], 1)]
    bad_lines = {bv["acct_voucher_id"]: [dict(x, acct_voucher_id=bv["acct_voucher_id"]) for x in lines_of[v["acct_voucher_id"]]]
                 for bv, v in zip(bad_vouchers, vouchers[:3])}
    overrides = {
        (bad_vouchers[0]["acct_voucher_id"], 2): {"贷方金额": "1,234.50"},  # a thousands separator the profile does not expect
        (bad_vouchers[1]["acct_voucher_id"], 2): {"借方金额": "12.345"},  # three decimals
        (bad_vouchers[2]["acct_voucher_id"], 2): {"科目编号": "１００１"},  # full-width digits typed into the account code
    }
    reasons = [
        ("money-not-a-number", "贷方金额带千分位“1,234.50” / an amount with a thousands separator"),
        ("money-too-many-decimals", "借方金额有三位小数 12.345 / three decimals"),
        ("string-pattern-mismatch", "科目编号为全角数字“１００１” / full-width digits in the account code"),
    ]
    (folder / "defects" / "ZZ_DEFECTS.xml").write_bytes(render_ledger_xml(bad_vouchers, bad_lines, div, year, unit, overrides))
    rows_before = 0
    rejected = []
    for k, bv in enumerate(bad_vouchers):
        rejected.append(rejected_row("ZZ_DEFECTS.xml", "/电子账簿/记账凭证/分录", rows_before + 2, reasons[k][0], reasons[k][1]))
        rows_before += len(bad_lines[bv["acct_voucher_id"]])
    ok_lines = [x for bv in bad_vouchers for x in bad_lines[bv["acct_voucher_id"]] if x["line_no"] != 2]
    write_rejections(
        folder / "defects",
        ["ZZ_DEFECTS.xml"],
        rejected,
        {"source": rows_before, "translated": rows_before - len(bad_vouchers), "rejected": len(bad_vouchers), "filtered": 0},
        {"accounting_voucher": bad_vouchers, "accounting_voucher_line": ok_lines},
    )


render = render_city_ledger_xml


if __name__ == "__main__":
    raise SystemExit(_sample_tools.main(sys.argv[1:], only=["city_ledger_xml"]))
