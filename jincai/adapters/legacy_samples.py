"""Render the sample province into the layouts of the shipped legacy systems.

For each shipped profile (``adapters/<id>/``) this writes:

* ``samples/`` — the files the fictional legacy system would export, rendered from canonical records
  of the sample province (``jincai sample --region 130600 --year 2024``);
* ``expected/<entity>.jsonl`` — exactly those canonical records, in the order the files hold them:
  translating ``samples/`` with the profile must give these back, byte for byte;
* ``defects/`` — files with the classic defects, ``defects/expected_rejections.json`` listing each
  rejected row (file, sheet, row, reason codes, the defect) and the row counts, and
  ``defects/expected/`` the records the defect files must still give.

Profiles: ``county_accounting_dbf`` (DBF, GBK, memo, deleted records, pre-2007 codes),
``city_treasury_sqlserver`` (SQL Server script, UTF-16), ``county_reports_excel`` (Excel, 万元) and
``city_ledger_xml`` (XML, GB2312 declared; an assumed layout modelled on GB/T 24589). The sample is
``--region 130600 --year 2024 --scale 3``; the county of the two county profiles is the one the
Excel profile names in its constants.

Everything is deterministic: regenerating from the same sample gives the same bytes (a test checks
the committed files this way).

    python -m jincai.adapters.legacy_samples [--out adapters] [--sample-dir DIR] [--profile ID]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from jincai import paths
from jincai.adapters.legacy_files import DbfField, tsql_literal, write_dbf
from jincai.canonical import dumps_record, record_from_json
from jincai.standard import standard

REGION = "130600"
YEAR = 2024
SCALE = 3  # budget units per fiscal region: small, but with project payments and reversals

Records = dict[str, list[dict[str, Any]]]  # entity -> canonical JSON objects


# ------------------------------------------------------------------------------------ sample input


def run_sample(out: Path, region: str = REGION, year: int = YEAR, scale: int = SCALE) -> Path:
    """Generate the sample province with the project's own generator (``jincai sample``)."""
    from jincai.sample import Options, generate

    generate(Options(out=out, region=region, year=year, scale=scale, fmt="jsonl", workers=1))
    return out


def load_canonical(sample_dir: Path, entities: Iterable[str]) -> Records:
    """Canonical JSON objects per entity, from the ``<entity>*.jsonl`` files under ``sample_dir``."""
    out: Records = {}
    for entity in entities:
        files = sorted(p for p in sample_dir.rglob(f"{entity}*.jsonl") if p.name.split(".")[0] == entity)
        rows: list[dict[str, Any]] = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                rows += [json.loads(line) for line in fh if line.strip()]
        out[entity] = rows
    return out


def write_expected(folder: Path, entity: str, objs: list[dict[str, Any]]) -> None:
    ent = standard().entity(entity)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{entity}.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for obj in objs:
            fh.write(dumps_record(ent, record_from_json(ent, obj)) + "\n")


def write_rejections(folder: Path, inputs: list[str], rejected: list[dict[str, Any]], counts: dict[str, int],
                     translated: dict[str, list[dict[str, Any]]]) -> None:
    """``defects/expected_rejections.json`` (the same shape as the other shipped profiles': inputs,
    rejected rows with file, sheet, row, reason codes and what the defect is, and the row counts) and
    ``defects/expected/<entity>.jsonl`` (the records the defect files must still give)."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"inputs": inputs, "rejected": rejected, "counts": counts}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    (folder / "expected_rejections.json").write_text(text, encoding="utf-8", newline="\n")
    for entity, objs in translated.items():
        write_expected(folder / "expected", entity, objs)


def _rejected(file: str, sheet: str | None, row: int, reason: str, defect: str) -> dict[str, Any]:
    out: dict[str, Any] = {"file": file}
    if sheet is not None:
        out["sheet"] = sheet
    out.update({"row": row, "reasons": [reason], "defect": defect})
    return out


def _by_region(objs: list[dict[str, Any]], div: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["mof_div_code"] == div]


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fresh(folder: Path) -> None:
    for sub in ("samples", "expected", "defects"):
        p = folder / sub
        if p.exists():
            shutil.rmtree(p)
        p.mkdir(parents=True)


# ------------------------------------------------------------------ 1. county accounting (DBF, GBK)

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
            "PZH": voucher["acct_voucher_no"], "RQ": _d(voucher["acct_date"]), "QJ": voucher["acct_period"],
            "ZY": voucher["abstract"], "LYLX": voucher.get("src_entity"), "LYID": voucher.get("src_id"),
            "FLH": line["line_no"], "KMDM": line["acct_code"], "JFJE": Decimal(line["dr_amt"]), "DFJE": Decimal(line["cr_amt"]),
            "YSKM": inverse[exp] if exp else None, "SRKM": line.get("rev_class_code"), "ZJXZ": line.get("fund_type_code"),
            "JJKM": line.get("dep_bgt_eco_code"),
        })
    return out


def _pick_vouchers(vouchers: list[dict], lines_of: dict[str, list[dict]], n: int) -> list[dict]:
    """A varied, deterministic selection: payments, reversals (red ink) and revenue vouchers."""
    kinds: dict[str, list[dict]] = {}
    seen: set[tuple] = set()
    for v in vouchers:  # within a kind, vouchers with classifications not seen before come first
        ls = lines_of.get(v["acct_voucher_id"], [])
        negative = any(Decimal(x["dr_amt"]) < 0 or Decimal(x["cr_amt"]) < 0 for x in ls)
        kind = f"{v.get('src_entity')}{'-red' if negative else ''}"
        combo = tuple((x.get("exp_func_code"), x.get("rev_class_code")) for x in ls)
        group = kinds.setdefault(kind, [])
        if combo in seen:
            group.append(v)
        else:
            seen.add(combo)
            group.insert(sum(1 for g in group if g.get("_new")), dict(v, _new=True))
    for group in kinds.values():
        for i, v in enumerate(group):
            group[i] = {k: x for k, x in v.items() if k != "_new"}
    chosen: list[dict] = []
    while len(chosen) < n and any(kinds.values()):
        for kind in sorted(kinds):
            if kinds[kind] and len(chosen) < n:
                chosen.append(kinds[kind].pop(0))
    order = {v["acct_voucher_id"]: i for i, v in enumerate(vouchers)}
    return sorted(chosen, key=lambda v: order[v["acct_voucher_id"]])


def render_county_accounting_dbf(records: Records, folder: Path, div: str) -> None:
    _fresh(folder)
    inverse = _crosswalk_inverse(folder)
    lines_of: dict[str, list[dict]] = {}
    for line in _by_region(records["accounting_voucher_line"], div):
        lines_of.setdefault(line["acct_voucher_id"], []).append(line)
    vouchers = [v for v in _by_region(records["accounting_voucher"], div)
                if all(x.get("exp_func_code") in (None, *inverse) for x in lines_of.get(v["acct_voucher_id"], []))]
    chosen = _pick_vouchers(vouchers, lines_of, DBF_VOUCHERS)
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
        [_rejected("PZK_DEFECTS.DBF", None, i + 1, reason, what) for i, (_, reason, what) in enumerate(defects)],
        {"source": len(defects), "translated": 0, "rejected": len(defects), "filtered": 0},
        {"accounting_voucher": [], "accounting_voucher_line": []},
    )


# ------------------------------------------------------- 2. city treasury payments (SQL Server dump)

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
    _fresh(folder)
    vouchers = _by_region(records["payment_voucher"], div)

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
    details = [d for d in _by_region(records["payment_detail"], div) if d["pay_cert_id"] in ids]
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
    rejected = [_rejected("ZFXT_DEFECTS.sql", "ZF_ZFMX", i + 1, reason, what) for i, (_, reason, what) in enumerate(bad)]

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
        rejected += [_rejected(fname, "ZF_ZFMX", k + 1, reason, what) for k, d in enumerate(file_lines) if d["MXID"] in bad_ids]
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


# ----------------------------------------------------------- 3. county month reports (Excel, 万元)

XLSX_FILE = "2024年财政收支月报.xlsx"
XLSX_HEADER = ["月份", "报表编号", "编报日期", "行次", "科目编码及名称", "本月数", "本年累计数"]
_TEN_THOUSAND = Decimal(10000)


def _code_names(year: int) -> dict[str, str]:
    """Code → Chinese name valid in ``year`` (functional and revenue classifications)."""
    names: dict[str, str] = {}
    for lst in ("exp_func", "rev_class"):
        with open(paths.STANDARDS / "codelists" / f"{lst}.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                lo = int(row["valid_from"][:4]) if row["valid_from"] else 0
                hi = int(row["valid_to"][:4]) if row["valid_to"] else 9999
                if lo <= year <= hi:
                    names[row["code"]] = row["name_zh"]
    return names


def _wan(amount: str) -> float:
    """Yuan text → the 万元 number Excel stores (a double; exact for up to 15 significant digits)."""
    value = Decimal(amount) / _TEN_THOUSAND
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"{amount} yuan is not exact in 万元 as a double")
    return as_float


class _Book:
    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path))
        self.wb.set_properties({"created": dt.datetime(2025, 1, 10, 9, 0, 0)})  # fixed: reproducible bytes
        add = self.wb.add_format
        self.title = add({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.head = add({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
        self.cell = add({"border": 1, "valign": "vcenter"})
        self.month = add({"border": 1, "align": "center", "valign": "vcenter", "num_format": '0"月"'})
        self.date = add({"border": 1, "align": "center", "valign": "vcenter", "num_format": 'yyyy"年"m"月"d"日"'})
        self.amount = add({"border": 1, "num_format": "#,##0.00"})
        self.total = add({"border": 1, "bold": True, "num_format": "#,##0.00"})

    def sheet(self, name: str, title: str, unit_name: str):
        ws = self.wb.add_worksheet(name)
        ws.set_column(0, 0, 7)
        ws.set_column(1, 2, 14)
        ws.set_column(3, 3, 6)
        ws.set_column(4, 4, 30)
        ws.set_column(5, 6, 14)
        ws.merge_range(0, 0, 0, 6, title, self.title)
        ws.merge_range(1, 0, 1, 2, f"编制单位：{unit_name}")
        ws.write(1, 6, "单位：万元")
        for c, text in enumerate(XLSX_HEADER[:5]):
            ws.merge_range(2, c, 3, c, text, self.head)
        ws.merge_range(2, 5, 2, 6, "金额", self.head)
        ws.write(3, 5, "本月数", self.head)
        ws.write(3, 6, "本年累计数", self.head)
        return ws

    def block(self, ws, r: int, header: dict, lines: list[dict], names: dict[str, str], repeat_header: bool, bad: dict | None = None) -> tuple[int, list[int]]:
        """One month's report from row ``r`` (0-based); returns the next free row and the Excel row
        number (1-based) of each line."""
        bad = bad or {}
        at: list[int] = []
        if repeat_header:  # printed reports repeat the header on each page
            for c, text in enumerate(XLSX_HEADER):
                ws.write(r, c, text, self.head)
            r += 1
        first = r
        rev = [x for x in lines if x.get("rev_class_code")]
        in_order = all(x.get("rev_class_code") for x in lines[: len(rev)])
        for k, line in enumerate(lines):
            code = line.get("rev_class_code") or line["exp_func_code"]
            at.append(r + 1)
            ws.write_number(r, 3, line["line_no"], self.cell)
            ws.write_string(r, 4, f"{code} {names[code]}", self.cell)
            ws.write_number(r, 5, _wan(line["cur_period_amt"]), self.amount)
            ws.write_number(r, 6, _wan(line["ytd_amt"]), self.amount)
            for key, value in bad.items():
                if isinstance(key, tuple) and key[0] == k:
                    col = key[1]
                    (ws.write_string if isinstance(value, str) else ws.write)(r, col, value, self.cell)
            r += 1
            if in_order and rev and k == len(rev) - 1:
                self._total(ws, r, "收入合计", rev)
                r += 1
        exp = [x for x in lines if x.get("exp_func_code")]
        self._total(ws, r, "支出合计" if in_order and rev else "合计", exp if in_order and rev else lines)
        r += 1
        last = r - 1
        ws.merge_range(first, 0, last, 0, header["period_no"], self.month)
        ws.merge_range(first, 1, last, 1, header["report_id"], self.cell)
        date_value = bad.get("date")
        if date_value is not None:
            ws.merge_range(first, 2, last, 2, date_value, self.cell)
        else:
            ws.merge_range(first, 2, last, 2, "", self.date)
            ws.write_datetime(first, 2, dt.datetime.fromisoformat(header["report_date"]), self.date)
        return r, at

    def _total(self, ws, r: int, label: str, lines: list[dict]) -> None:
        ws.write_string(r, 4, label, self.total)
        for col, key in ((5, "cur_period_amt"), (6, "ytd_amt")):
            total = sum((Decimal(x[key]) for x in lines), Decimal("0.00"))
            ws.write_number(r, col, _wan(format(total, "f")), self.total)

    def notes(self, ws, r: int) -> None:
        r += 1  # a blank row under the table
        ws.write(r, 0, "注：1. 本表金额单位为万元，按六位小数保存，显示两位。")
        ws.write(r + 1, 0, "2. “收入合计”“支出合计”为小计行，不参与上报。")
        ws.write(r + 2, 0, "填表人：王芳        审核人：李强        报送日期：2025年1月10日")

    def close(self) -> None:
        self.wb.close()


def render_county_reports_excel(records: Records, folder: Path, div: str) -> None:
    _fresh(folder)
    region_name = next(r["mof_div_name"] for r in records["fiscal_region"] if r["mof_div_code"] == div)
    year = int(records["fiscal_report"][0]["fiscal_year"]) if records["fiscal_report"] else YEAR
    names = _code_names(year)
    headers = [h for h in _by_region(records["fiscal_report"], div) if h["report_period_code"] == "2" and h["consolidation_scope_code"] == "1"]
    headers.sort(key=lambda h: h["period_no"])
    ids = {h["report_id"] for h in headers}
    lines_of: dict[str, list[dict]] = {}
    for line in _by_region(records["fiscal_report_line"], div):
        if line["report_id"] in ids:
            lines_of.setdefault(line["report_id"], []).append(line)
    book = _Book(folder / "samples" / XLSX_FILE)
    intro = book.wb.add_worksheet("填报说明")
    intro.write(0, 0, f"{region_name}财政局 {year} 年财政收支月报：每半年一张表，金额单位万元。")
    intro.write(1, 0, "“月份”“报表编号”“编报日期”三列按月合并单元格。")
    out_lines: list[dict] = []
    for half, months in (("1-6", range(1, 7)), ("7-12", range(7, 13))):
        ws = book.sheet(f"月报（{half}月）", f"{region_name}{year}年{half}月财政收支月报", f"{region_name}财政局")
        r = 4
        for k, h in enumerate(x for x in headers if x["period_no"] in months):
            lines = sorted(lines_of[h["report_id"]], key=lambda x: x["line_no"])
            r, _ = book.block(ws, r, h, lines, names, repeat_header=k > 0)
            out_lines += lines
        book.notes(ws, r)
    book.close()
    write_expected(folder / "expected", "fiscal_report", headers)
    write_expected(folder / "expected", "fiscal_report_line", out_lines)

    # defects: one month's report with a defect in each line (and in its date)
    h = headers[0]
    lines = sorted(lines_of[h["report_id"]], key=lambda x: x["line_no"])
    book = _Book(folder / "defects" / "月报缺陷.xlsx")
    ws = book.sheet("月报（缺陷）", f"{region_name}{year}年1月财政收支月报", f"{region_name}财政局")
    lines = lines[:3] + [dict(lines[-1], line_no=len(lines[:3]) + 1 + i) for i in range(2)]
    bad = {
        "date": "2024年2月30日",  # typed by hand in the merged date cell: a day that does not exist (line 1 row)
        (1, 5): 0.1234567,  # 万元 with seven decimals: below the fen
        (2, 6): "12.5万",  # text with a unit in an amount cell
        (3, 3): 3.5,  # a line number that is not a whole number
    }
    r, at = book.block(ws, 4, h, lines, names, repeat_header=False, bad=bad)
    book.notes(ws, r)
    book.close()
    reasons = [
        ("excel-date-invalid", "编报日期手工录入为“2024年2月30日” / the report date typed by hand as a day that does not exist"),
        ("wan-yuan-too-many-decimals", "本月数 0.1234567 万元，小于一分 / 万元 with seven decimals, below the fen"),
        ("wan-yuan-not-a-number", "本年累计数写成“12.5万” / an amount written with its unit"),
        ("integer-invalid", "行次 3.5 不是整数 / a line number that is not a whole number"),
    ]
    source = r  # Excel rows 5 … r+4: the lines, the subtotals, a blank row and three notes
    write_rejections(
        folder / "defects",
        ["月报缺陷.xlsx"],
        [_rejected("月报缺陷.xlsx", "月报（缺陷）", at[i], code, what) for i, (code, what) in enumerate(reasons)],
        {"source": source, "translated": len(lines) - len(reasons), "rejected": len(reasons), "filtered": source - len(lines)},
        {"fiscal_report": [], "fiscal_report_line": lines[len(reasons):]},
    )


# ------------------------------------------ 4. city accounting interface file (XML, modelled on GB/T 24589)

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
    _fresh(folder)
    lines_of: dict[str, list[dict]] = {}
    for line in _by_region(records["accounting_voucher_line"], div):
        lines_of.setdefault(line["acct_voucher_id"], []).append(line)
    vouchers = _pick_vouchers(_by_region(records["accounting_voucher"], div), lines_of, XML_VOUCHERS)
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
        rejected.append(_rejected("ZZ_DEFECTS.xml", "/电子账簿/记账凭证/分录", rows_before + 2, reasons[k][0], reasons[k][1]))
        rows_before += len(bad_lines[bv["acct_voucher_id"]])
    ok_lines = [x for bv in bad_vouchers for x in bad_lines[bv["acct_voucher_id"]] if x["line_no"] != 2]
    write_rejections(
        folder / "defects",
        ["ZZ_DEFECTS.xml"],
        rejected,
        {"source": rows_before, "translated": rows_before - len(bad_vouchers), "rejected": len(bad_vouchers), "filtered": 0},
        {"accounting_voucher": bad_vouchers, "accounting_voucher_line": ok_lines},
    )


# -------------------------------------------------------------------------------------- driver

RENDERERS: dict[str, tuple[tuple[str, ...], Callable[[Records, Path, str], None]]] = {
    "county_accounting_dbf": (("accounting_voucher", "accounting_voucher_line"), render_county_accounting_dbf),
    "city_treasury_sqlserver": (("payment_voucher", "payment_detail"), render_city_treasury_sqlserver),
    "county_reports_excel": (("fiscal_report", "fiscal_report_line"), render_county_reports_excel),
    "city_ledger_xml": (("accounting_voucher", "accounting_voucher_line"), render_city_ledger_xml),
}


def regions(records: Records) -> tuple[str, str]:
    """(the city's own fiscal region, the county of the two county profiles) — the county is the one
    the Excel profile names in its constants (博野县, chosen because its vouchers use several
    functional classes, so the pre-2007 crosswalk is exercised)."""
    from jincai import yaml_load

    profile = yaml_load.load_file(paths.ADAPTERS / "county_reports_excel" / "profile.yaml")
    return f"{REGION}000", profile["constants"]["mof_div_code"]


def generate(out_root: Path = paths.ADAPTERS, sample_dir: Path | None = None, only: Iterable[str] | None = None) -> list[Path]:
    entities = sorted({e for ents, _ in RENDERERS.values() for e in ents} | {"fiscal_region"})
    with tempfile.TemporaryDirectory() as tmp:
        src = sample_dir or run_sample(Path(tmp) / "sample")
        records = load_canonical(Path(src), entities)
    city, county = regions(records)
    done = []
    for pid, (_, render) in RENDERERS.items():
        if only and pid not in only:
            continue
        folder = out_root / pid
        if out_root != paths.ADAPTERS:  # a copy elsewhere (tests): bring the profile's own files along
            src_folder = paths.ADAPTERS / pid
            if src_folder.exists():
                shutil.copytree(src_folder, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("samples", "expected", "defects"))
        folder.mkdir(parents=True, exist_ok=True)
        render(records, folder, city if pid.startswith("city") else county)
        done.append(folder)
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m jincai.adapters.legacy_samples", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=paths.ADAPTERS)
    ap.add_argument("--sample-dir", type=Path)
    ap.add_argument("--profile", action="append")
    args = ap.parse_args(argv)
    for folder in generate(args.out, args.sample_dir, args.profile):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
