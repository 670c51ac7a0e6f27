"""Render the sample county's accounting vouchers as the FoxPro package's voucher table
(``PZK2024.DBF`` with its memo file: GBK, deleted records, pre-2007 budget subject codes).

    .venv/bin/python adapters/county_accounting_dbf/make_samples.py [--out adapters] [--sample-dir DIR]

Shared steps (the sample province, golden files, rejections): ``adapters/_sample_tools.py``.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # adapters/_sample_tools.py, shared by the sample makers
    sys.path.insert(0, str(HERE.parent))

import _sample_tools  # noqa: E402
from _sample_tools import Records, by_region, fresh, iso_date, pick_vouchers, rejected_row, write_expected, write_rejections  # noqa: E402
from jincai.adapters.legacy_files import DbfField, write_dbf  # noqa: E402

ENTITIES = ("accounting_voucher", "accounting_voucher_line")
DIVISION = "county"  # the sample's county region

#: the voucher table of the fictional county accounting package (FoxPro 2.x, GBK code page)
PZK_FIELDS = [
    DbfField("XZQH", "C", 9),  # 行政区划 → mof_div_code
    DbfField("KJND", "C", 4),  # 会计年度 → fiscal_year
    DbfField("PZID", "C", 38),  # 凭证内码 → acct_voucher_id
    DbfField("PZH", "C", 20),  # 凭证号 → acct_voucher_no
    DbfField("RQ", "D"),  # 记账日期 → acct_date
    DbfField("QJ", "N", 2, 0),  # 会计期间 → acct_period
    DbfField("ZY", "M"),  # 摘要（备注字段）→ abstract
    DbfField("LYLX", "C", 30),  # 来源业务 → src_entity
    DbfField("LYID", "C", 38),  # 来源单据 → src_id
    DbfField("FLH", "N", 4, 0),  # 分录号 → line_no
    DbfField("KMDM", "C", 10),  # 会计科目 → acct_code
    DbfField("JFJE", "N", 16, 2),  # 借方金额 → dr_amt
    DbfField("DFJE", "N", 16, 2),  # 贷方金额 → cr_amt
    DbfField("YSKM", "C", 6),  # 预算科目（2007 年前类款项）→ exp_func_code via the crosswalk
    DbfField("SRKM", "C", 9),  # 收入科目 → rev_class_code
    DbfField("ZJXZ", "C", 2),  # 资金性质 → fund_type_code
    DbfField("JJKM", "C", 5),  # 经济科目 → dep_bgt_eco_code
]
DBF_FILE = "PZK2024.DBF"
DBF_VOUCHERS = 24


def _crosswalk_inverse(folder: Path) -> dict[str, str]:
    """Current functional code → the first legacy code that maps to it alone."""
    inverse: dict[str, str] = {}
    with open(folder / "crosswalk_pre2007_exp_func.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["to"] and row["to"] not in inverse:
                inverse[row["to"]] = row["from"]
    return inverse


def _pzk_rows(voucher: dict, lines: list[dict], inverse: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        exp = line.get("exp_func_code")
        if exp is not None and exp not in inverse:
            raise KeyError(f"crosswalk_pre2007_exp_func.csv has no legacy code for {exp}")
        out.append({
            "XZQH": voucher["mof_div_code"], "KJND": voucher["fiscal_year"], "PZID": voucher["acct_voucher_id"],
            "PZH": voucher["acct_voucher_no"], "RQ": iso_date(voucher["acct_date"]), "QJ": voucher["acct_period"],
            "ZY": voucher["abstract"], "LYLX": voucher.get("src_entity"), "LYID": voucher.get("src_id"),
            "FLH": line["line_no"], "KMDM": line["acct_code"], "JFJE": Decimal(line["dr_amt"]), "DFJE": Decimal(line["cr_amt"]),
            "YSKM": inverse[exp] if exp else None, "SRKM": line.get("rev_class_code"), "ZJXZ": line.get("fund_type_code"),
            "JJKM": line.get("dep_bgt_eco_code"),
        })
    return out


def render_county_accounting_dbf(records: Records, folder: Path, div: str) -> None:
    fresh(folder)
    inverse = _crosswalk_inverse(folder)
    lines_of: dict[str, list[dict]] = {}
    for line in by_region(records["accounting_voucher_line"], div):
        lines_of.setdefault(line["acct_voucher_id"], []).append(line)
    vouchers = [v for v in by_region(records["accounting_voucher"], div)
                if all(x.get("exp_func_code") in (None, *inverse) for x in lines_of.get(v["acct_voucher_id"], []))]
    chosen = pick_vouchers(vouchers, lines_of, DBF_VOUCHERS)
    rows: list[dict[str, Any]] = []
    deleted: list[int] = []
    exp_lines: list[dict] = []
    for k, v in enumerate(chosen):
        ls = lines_of[v["acct_voucher_id"]]
        rows += _pzk_rows(v, ls, inverse)
        exp_lines += ls
        if k == 2:  # a voided draft of this voucher, kept by the package with its deletion flag
            draft = dict(v, acct_voucher_id=v["acct_voucher_id"] + "-ZF", acct_voucher_no=v["acct_voucher_no"] + "Z")
            start = len(rows)
            rows += _pzk_rows(draft, ls, inverse)
            deleted += range(start, len(rows))
    write_dbf(folder / "samples" / DBF_FILE, PZK_FIELDS, rows, encoding="gbk", deleted=deleted)
    write_expected(folder / "expected", "accounting_voucher", chosen)
    write_expected(folder / "expected", "accounting_voucher_line", exp_lines)

    # defects: each row below is a copy of a good row with one classic defect
    base_v = next(v for v in chosen if lines_of[v["acct_voucher_id"]][0].get("exp_func_code"))
    good = _pzk_rows(base_v, lines_of[base_v["acct_voucher_id"]], inverse)
    defects: list[tuple[dict, str, str]] = []

    def variant(suffix: str, **changes) -> dict:
        no = base_v["acct_voucher_no"][:2] + f"9999{int(suffix[-2:]):04d}"  # still month + 8 digits
        row = dict(good[0], PZID=base_v["acct_voucher_id"][:30] + suffix, PZH=no)
        row.update(changes)
        return row

    defects.append((variant("-D01", YSKM="279999"), "crosswalk-unmapped", "对照表中没有的 2007 年前科目 279999 / a pre-2007 code not in the crosswalk"))
    defects.append((variant("-D02", YSKM="270109"), "crosswalk-ambiguous", "旧科目 270109 已拆分到多个新科目 / a legacy code split into several"))
    defects.append((variant("-D03", RQ="20240230"), "date-not-in-calendar", "记账日期 2024-02-30 不存在 / a date that does not exist"))
    defects.append((variant("-D04", JFJE="*" * 16), "money-not-a-number", "借方金额溢出为 ***（FoxPro 数值溢出）/ FoxPro's numeric overflow"))
    defects.append((variant("-D05", PZH=base_v["acct_voucher_no"].lstrip("0")), "leading-zeros-lost",
                    "凭证号经 Excel 转存丢了前导零 / the voucher number lost its leading zero on a trip through Excel"))
    rows_d = [r for r, _, _ in defects]
    write_dbf(folder / "defects" / "PZK_DEFECTS.DBF", PZK_FIELDS, rows_d, encoding="gbk")
    write_rejections(
        folder / "defects",
        ["PZK_DEFECTS.DBF"],
        [rejected_row("PZK_DEFECTS.DBF", None, i + 1, reason, what) for i, (_, reason, what) in enumerate(defects)],
        {"source": len(defects), "translated": 0, "rejected": len(defects), "filtered": 0},
        {"accounting_voucher": [], "accounting_voucher_line": []},
    )


render = render_county_accounting_dbf


if __name__ == "__main__":
    raise SystemExit(_sample_tools.main(sys.argv[1:], only=["county_accounting_dbf"]))
