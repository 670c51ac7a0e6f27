"""Render the sample city's payment vouchers and lines as the treasury system's SQL Server script
(SSMS "Generate Scripts": UTF-16 LE, vendor letter codes, join defects).

    .venv/bin/python adapters/city_treasury_sqlserver/make_samples.py [--out adapters] [--sample-dir DIR]

Shared steps (the sample province, golden files, rejections): ``adapters/_sample_tools.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # adapters/_sample_tools.py, shared by the sample makers
    sys.path.insert(0, str(HERE.parent))

import _sample_tools  # noqa: E402
from _sample_tools import Records, by_region, fresh, rejected_row, write_expected, write_rejections  # noqa: E402
from jincai.adapters.legacy_files import tsql_literal  # noqa: E402
from jincai.standard import standard  # noqa: E402

ENTITIES = ("payment_voucher", "payment_detail")
DIVISION = "city"  # the sample's city region

#: vendor-private codes of the fictional treasury system → the standard's codes
PAY_TYPE = {"ZJ": "1", "SQ": "2", "QT": "9"}
SET_MODE = {"ZZ": "1", "XJ": "2", "ZP": "3", "HD": "4", "GWK": "5", "QT": "9"}
FUND_TYPE = {"YB": "1", "JJ": "2", "GZ": "3", "SB": "4", "ZH": "5", "DW": "6", "QT": "9"}
PAY_STATUS = {"YZF": "1", "YQS": "2", "YTH": "3"}

# (column, SQL Server type, canonical field, how the value is rendered)
ZFPZ_COLUMNS: list[tuple[str, str, str | None]] = [
    ("CZQH", "char(9)", "mof_div_code"),
    ("ND", "char(4)", "fiscal_year"),
    ("PZID", "varchar(38)", "pay_cert_id"),
    ("PZBH", "varchar(100)", "pay_cert_no"),
    ("SQID", "varchar(38)", "pay_app_id"),
    ("ZBID", "varchar(38)", "bgt_id"),
    ("DWDM", "varchar(21)", "agency_code"),
    ("ZJXZ", "varchar(4)", "fund_type_code"),
    ("GNKM", "varchar(13)", "exp_func_code"),
    ("BMJJKM", "varchar(5)", "dep_bgt_eco_code"),
    ("ZFJJKM", "varchar(5)", "gov_bgt_eco_code"),
    ("ZFFS", "varchar(2)", "pay_type_code"),
    ("JSFS", "varchar(4)", "set_mode_code"),
    ("PZRQ", "datetime", "vou_date"),
    ("FKRQC", "nvarchar(300)", "pay_acct_name"),
    ("FKRZH", "varchar(40)", "pay_acct_no"),
    ("FKRKHH", "nvarchar(180)", "pay_acct_bank_name"),
    ("SKRQC", "nvarchar(300)", "payee_acct_name"),
    ("SKRZH", "varchar(40)", "payee_acct_no"),
    ("SKRKHH", "nvarchar(180)", "payee_acct_bank_name"),
    ("JE", "decimal(18, 2)", "pay_amt"),
    ("DLYHHH", "varchar(12)", "agent_bank_code"),
    ("ZFZT", "varchar(4)", "pay_status_code"),
    ("CXBZ", "bit", "is_reversal"),
    ("SJZFRQ", "datetime", "xpay_date"),
    ("QSPCH", "varchar(38)", "clear_id"),
    ("QSRQ", "char(8)", "act_lqd_date"),
    ("XMDM", "varchar(21)", "pro_code"),
    ("YT", "nvarchar(300)", "use_des"),
    ("GXSJ", "datetime", "update_time"),
]
ZFMX_COLUMNS: list[tuple[str, str, str | None]] = [
    ("CZQH", "char(9)", "mof_div_code"),
    ("ND", "char(4)", "fiscal_year"),
    ("MXID", "varchar(38)", "pay_detail_id"),
    ("PZID", "varchar(38)", "pay_cert_id"),
    ("DWDM", "varchar(21)", "agency_code"),
    ("SKRQC", "nvarchar(300)", "payee_acct_name"),
    ("SKRZH", "varchar(40)", "payee_acct_no"),
    ("SKRKHH", "nvarchar(180)", "payee_acct_bank_name"),
    ("JE", "decimal(18, 2)", "pay_amt"),
    ("GRXM", "nvarchar(60)", "per_name"),
    ("SFZH", "varchar(18)", "iden_no"),
    ("TYXYDM", "varchar(18)", "unifsoc_cred_code"),
    ("XZDM", "varchar(9)", "town_code"),
    ("FY", "nvarchar(300)", "add_word"),
]
NOT_NULL = {"PZID", "MXID"}
SQL_FILE = "ZFXT_130600_2024.sql"
JOIN_MISSING_FILE = "ZFXT_VOUCHER_MISSING.sql"  # defects: a line whose voucher row is missing
JOIN_DOUBLED_FILE = "ZFXT_VOUCHER_DOUBLED.sql"  # defects: a voucher row written twice
SQL_VOUCHERS = 20


def _inverse(table: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in table.items()}


def _treasury_value(col: str, field: str | None, obj: dict[str, Any]) -> Any:
    value = obj.get(field) if field else None
    if value is None:
        return None
    if col == "ZFFS":
        return _inverse(PAY_TYPE)[value]
    if col == "JSFS":
        return _inverse(SET_MODE)[value]
    if col == "ZJXZ":
        return _inverse(FUND_TYPE)[value]
    if col == "ZFZT":
        return _inverse(PAY_STATUS)[value]
    if col in ("PZRQ", "SJZFRQ"):
        return dt.date.fromisoformat(value)
    if col == "QSRQ":
        return value.replace("-", "")
    if col == "GXSJ":
        stamp = dt.datetime.fromisoformat(value)
        if stamp.utcoffset() != dt.timedelta(hours=8):
            raise ValueError(f"update_time {value} is not in +08:00, the system's time zone")
        return stamp.replace(tzinfo=None)
    return value


def _create_table(name: str, columns: list[tuple[str, str, str | None]], key: str) -> list[str]:
    out = [f"/****** Object:  Table [dbo].[{name}]    Script Date: 2025/1/6 9:12:45 ******/", "SET ANSI_NULLS ON", "GO", "SET QUOTED_IDENTIFIER ON", "GO",
           f"CREATE TABLE [dbo].[{name}]("]
    for col, typ, _ in columns:
        base, _, size = typ.partition("(")
        typ_sql = f"[{base}]" + (f"({size}" if size else "")
        out.append(f"\t[{col}] {typ_sql} {'NOT NULL' if col in NOT_NULL else 'NULL'},")
    out += [f" CONSTRAINT [PK_{name}] PRIMARY KEY CLUSTERED ", "(", f"\t[{key}] ASC",
            ")WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF, IGNORE_DUP_KEY = OFF, ALLOW_ROW_LOCKS = ON, ALLOW_PAGE_LOCKS = ON) ON [PRIMARY]",
            ") ON [PRIMARY]", "GO"]
    return out


def _insert(name: str, columns: list[tuple[str, str, str | None]], values: dict[str, Any]) -> str:
    cols = ", ".join(f"[{c}]" for c, _, _ in columns)
    vals = ", ".join(tsql_literal(values.get(c), t) for c, t, _ in columns)
    return f"INSERT [dbo].[{name}] ({cols}) VALUES ({vals})"


def render_tsql_script(vouchers: list[dict[str, Any]], details: list[dict[str, Any]]) -> bytes:
    """An SSMS "Generate Scripts" file: UTF-16 LE with a BOM, CRLF line ends."""
    lines = ["USE [ZFXT]", "GO"]
    lines += _create_table("ZF_ZFPZ", ZFPZ_COLUMNS, "PZID")
    lines += _create_table("ZF_ZFMX", ZFMX_COLUMNS, "MXID")
    for v in vouchers:
        lines.append(_insert("ZF_ZFPZ", ZFPZ_COLUMNS, v))
    for d in details:
        lines.append(_insert("ZF_ZFMX", ZFMX_COLUMNS, d))
    lines.append("GO")
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def render_city_treasury_sqlserver(records: Records, folder: Path, div: str) -> None:
    fresh(folder)
    vouchers = by_region(records["payment_voucher"], div)

    def shape(v: dict) -> tuple:
        return (v["pay_type_code"], v["set_mode_code"], v["pay_status_code"], v["fund_type_code"], v["is_reversal"],
                "pro_code" in v, "clear_id" in v, v["exp_func_code"])

    # every kind of voucher the city has (direct / authorised, project, reversal …) first, then file order
    firsts: dict[tuple, dict] = {}
    for v in vouchers:
        firsts.setdefault(shape(v), v)
    chosen = list(firsts.values())[:SQL_VOUCHERS]
    ids = {v["pay_cert_id"] for v in chosen}
    chosen += [v for v in vouchers if v["pay_cert_id"] not in ids][: SQL_VOUCHERS - len(chosen)]
    ids = {v["pay_cert_id"] for v in chosen}
    order = {v["pay_cert_id"]: i for i, v in enumerate(vouchers)}
    chosen.sort(key=lambda v: order[v["pay_cert_id"]])
    details = [d for d in by_region(records["payment_detail"], div) if d["pay_cert_id"] in ids]
    vrows = [{c: _treasury_value(c, f, v) for c, _, f in ZFPZ_COLUMNS} for v in chosen]
    drows = [{c: _treasury_value(c, f, d) for c, _, f in ZFMX_COLUMNS} for d in details]
    (folder / "samples" / SQL_FILE).write_bytes(render_tsql_script(vrows, drows))
    write_expected(folder / "expected", "payment_voucher", chosen)
    write_expected(folder / "expected", "payment_detail", details)

    base = vrows[0]
    base_detail = next(d for d in drows if d["PZID"] == base["PZID"])
    bad = [
        (dict(base, PZID=base["PZID"][:32] + "-D01", ZFFS="XX"), "map-unmapped", "支付方式 XX 不在代码映射中 / a pay-type code the map does not know"),
        (dict(base, PZID=base["PZID"][:32] + "-D02", SKRZH="6.22202123456789E+18"), "scientific-notation",
         "收款账号曾经 Excel 导入，成了 6.22202123456789E+18 / the payee account went through Excel"),
        (dict(base, PZID=base["PZID"][:32] + "-D03", QSRQ="20240230"), "date-not-in-calendar", "清算日期 20240230 不存在 / a clearing date that does not exist"),
        (dict(base, PZID=base["PZID"][:32] + "-D04", JSFS="PJ"), "map-unmapped", "结算方式 PJ 是配置之后新增的代码 / a settlement code added after the profile"),
    ]
    # each defective voucher keeps one line; the extraction query reads line by line (ZF_ZFMX)
    lines = [dict(base_detail, PZID=r["PZID"], MXID=r["PZID"] + "01") for r, _, _ in bad]
    (folder / "defects" / "ZFXT_DEFECTS.sql").write_bytes(render_tsql_script([r for r, _, _ in bad], lines))
    rejected = [rejected_row("ZFXT_DEFECTS.sql", "ZF_ZFMX", i + 1, reason, what) for i, (_, reason, what) in enumerate(bad)]

    # the join: a voucher row missing (its lines would vanish in an INNER JOIN) and a voucher row
    # written twice (its lines would be counted twice); the good voucher beside each still translates
    def lines_of(i: int) -> list[dict]:
        return [d for d in drows if d["PZID"] == vrows[i]["PZID"]]

    good_vouchers, good_details = [], []
    for fname, good, bad_i, vouchers_written, reason, what in (
        (JOIN_MISSING_FILE, 1, 2, [vrows[1]], "sql-join-unmatched",
         "明细所属的支付凭证行不在脚本中；INNER JOIN 会悄悄丢掉这条明细 / the line's voucher row is missing: an INNER JOIN would drop the line"),
        (JOIN_DOUBLED_FILE, 3, 4, [vrows[3], vrows[4], vrows[4]], "sql-join-duplicated",
         "支付凭证行在脚本中出现两次；INNER JOIN 会把这条明细算两遍 / the voucher row is written twice: an INNER JOIN would count the line twice"),
    ):
        file_lines = sorted(lines_of(good) + lines_of(bad_i), key=lambda d: d["MXID"])
        (folder / "defects" / fname).write_bytes(render_tsql_script(vouchers_written, file_lines))
        bad_ids = {d["MXID"] for d in lines_of(bad_i)}
        rejected += [rejected_row(fname, "ZF_ZFMX", k + 1, reason, what) for k, d in enumerate(file_lines) if d["MXID"] in bad_ids]
        good_vouchers.append(chosen[good])
        good_details += sorted((d for d in details if d["pay_cert_id"] == chosen[good]["pay_cert_id"]), key=lambda d: d["pay_detail_id"])
    inputs = ["ZFXT_DEFECTS.sql", JOIN_MISSING_FILE, JOIN_DOUBLED_FILE]
    translated = len(good_details)
    write_rejections(
        folder / "defects",
        inputs,
        rejected,
        {"source": len(rejected) + translated, "translated": translated, "rejected": len(rejected), "filtered": 0},
        {"payment_voucher": good_vouchers, "payment_detail": good_details},
    )


render = render_city_treasury_sqlserver


if __name__ == "__main__":
    raise SystemExit(_sample_tools.main(sys.argv[1:], only=["city_treasury_sqlserver"]))
