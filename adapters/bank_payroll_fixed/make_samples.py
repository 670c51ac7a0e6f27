"""Render the sample province's payroll into Yanzhao Bank's fixed-width GBK layout.

    .venv/bin/python adapters/bank_payroll_fixed/make_samples.py          # rewrite samples/, expected/, defects/
    .venv/bin/python adapters/bank_payroll_fixed/make_samples.py --check  # exit 1 if anything would change

1. Generates the sample province (``jincai.sample``: region 130681000, fiscal year 2024, scale 1,
   seed 0) and takes its canonical ``payroll_record`` records.
2. Writes one bank file per month, ``samples/YZB_GZ_130681000_2024MM.txt``: a batch header record H,
   the month's detail records D in the generator's order, a batch trailer record T (count and net
   total), GBK, CRLF — and ``expected/payroll_record.jsonl``: the same records, canonical, in the
   order the files are read (sorted by name). Translating the samples must give it back exactly.
3. Writes ``defects/YZB_GZ_130681000_202403_defects.txt`` — March's first records with the classic
   defects of such files, between a header and a trailer that describe what the file holds —
   ``defects/YZB_GZ_130681000_202404_trailer.txt`` — April's file with one detail record lost after
   the bank wrote its trailer, so the trailer's count and totals disagree with the details —
   ``defects/expected_rejections.json`` (which rows are rejected, with which reason codes, the
   counts and the ledger's findings) and ``defects/expected/payroll_record.jsonl`` (the rows that
   must still translate, a full-width amount among them).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

from jincai.adapters.profile import load_profile  # noqa: E402
from jincai.adapters.readers._fixed import render_record  # noqa: E402
from jincai.canonical import dumps_record, record_from_json  # noqa: E402
from jincai.standard import standard  # noqa: E402

REGION, YEAR, SCALE, SEED = "130681000", 2024, 1, 0
RIGHT = {"应发金额": "right", "扣款金额": "right", "实发金额": "right"}
CRLF = b"\r\n"


def canonical_payroll() -> list[dict]:
    from jincai.sample.build import Options, generate

    entity = standard().entity("payroll_record")
    with tempfile.TemporaryDirectory() as tmp:
        generate(Options(out=Path(tmp), region=REGION, year=YEAR, scale=SCALE, seed=SEED, workers=1))
        with open(Path(tmp) / "payroll_record.jsonl", encoding="utf-8") as fh:
            return [record_from_json(entity, json.loads(line)) for line in fh if line.strip()]


def detail(rec: dict) -> dict:
    """A canonical payroll record as the bank's detail record D."""
    return {
        "记录类型": "D",
        "财政区划": rec["mof_div_code"],
        "发放年度": rec["fiscal_year"],
        "发放月份": f"{rec['pay_month']:02d}",
        "流水号": rec["payroll_id"],
        "单位代码": rec["agency_code"],
        "身份证号": rec["iden_no"],
        "姓名": rec["per_name"],
        "账号": rec["per_acct_no"],
        "代理行号": rec["agent_bank_code"],
        "功能科目": rec["exp_func_code"],
        "经济科目": rec["dep_bgt_eco_code"],
        "应发金额": format(rec["gross_amt"], "f"),
        "扣款金额": format(rec["deduct_amt"], "f"),
        "实发金额": format(rec["net_amt"], "f"),
        "指标编号": rec.get("bgt_id"),
        "凭证号": rec.get("pay_cert_id"),
    }


def control(kind: str, month: int, recs: list[dict], count: int | None = None) -> dict:
    """Batch header H / trailer T (in their own layouts): batch number or count, gross and net totals."""
    return {
        "记录类型": kind,
        "财政区划": REGION,
        "发放年度": str(YEAR),
        "发放月份": f"{month:02d}",
        **({"批次号": f"PC{YEAR}{month:02d}01"} if kind == "H" else {"笔数": str(len(recs) if count is None else count)}),
        "摘要": "批头" if kind == "H" else "批尾",
        "应发总额": format(sum((r["gross_amt"] for r in recs), start=0), "f") if recs else "0.00",
        "实发总额": format(sum((r["net_amt"] for r in recs), start=0), "f") if recs else "0.00",
    }


CONTROL_RIGHT = {"应发总额": "right", "实发总额": "right"}


def render(layout, values: dict) -> bytes:
    if values.get("记录类型") in ("H", "T") and "摘要" in values:
        return render_record(layout.control_layout(values["记录类型"]), values, CONTROL_RIGHT)
    return render_record(layout, values, RIGHT)


def build() -> dict[Path, bytes]:
    from jincai.adapters.readers._fixed import FixedWidthOptions

    profile = load_profile(HERE / "profile.yaml")
    layout = FixedWidthOptions.model_validate(profile.source.options())
    entity = standard().entity("payroll_record")
    recs = canonical_payroll()
    by_month: dict[int, list[dict]] = defaultdict(list)
    for r in recs:
        by_month[r["pay_month"]].append(r)
    out: dict[Path, bytes] = {}
    expected: list[str] = []
    for month in sorted(by_month):
        rows = by_month[month]
        lines = [render(layout, control("H", month, rows))]
        lines += [render(layout, detail(r)) for r in rows]
        lines.append(render(layout, control("T", month, rows)))
        out[HERE / "samples" / f"YZB_GZ_{REGION}_{YEAR}{month:02d}.txt"] = CRLF.join(lines) + CRLF
        expected += [dumps_record(entity, r) for r in rows]
    out[HERE / "expected" / "payroll_record.jsonl"] = ("\n".join(expected) + "\n").encode("utf-8")
    out.update(defects(layout, by_month[3], by_month[4]))
    return out


def defects(layout, march: list[dict], april: list[dict]) -> dict[Path, bytes]:
    """March's first records with one classic defect each, and April's file with a record lost
    after the trailer was written (see the module docstring)."""
    entity = standard().entity("payroll_record")
    name = f"YZB_GZ_{REGION}_{YEAR}03_defects.txt"
    src = iter(march)
    lines: list[bytes] = []
    rejected: list[dict] = []
    translated: list[dict] = []
    in_file: list[dict] = []  # the detail records the file holds, as the bank wrote them
    for_validation: list[dict] = []  # translated rows that `jincai validate` must flag

    def good() -> None:
        r = next(src)
        lines.append(render(layout, detail(r)))
        translated.append(r)
        in_file.append(r)

    def bad(values: dict, reasons: list[str], why: str, raw: bytes | None = None, rec: dict | None = None) -> None:
        lines.append(raw if raw is not None else render(layout, values))
        rejected.append({"row": len(lines) + 1, "reasons": reasons, "defect": why})  # + 1: the header comes first
        if rec is not None:
            in_file.append(rec)

    good()
    # 1. a byte that is not GBK in the name (the bank's export wrote a stray 0xFF)
    r = next(src)
    d = detail(r)
    rec = bytearray(render(layout, d))
    rec[69] = 0xFF  # first byte of 姓名 (start 70)
    bad(d, ["undecodable-bytes"], "姓名中有非 GBK 字节 0xFF / a non-GBK byte 0xFF in the name", bytes(rec), r)
    # 2. a record cut short (the last field lost): wrong record length
    r = next(src)
    d = detail(r)
    bad(d, ["fixed-width-record-length"], "记录被截短 20 字节 / record cut short by 20 bytes", render(layout, d)[:-20], r)
    # 3. an amount with three decimals: never rounded
    r = next(src)
    d = detail(r)
    d["应发金额"] = d["应发金额"] + "5"
    bad(d, ["money-too-many-decimals"], "应发金额有 3 位小数 / gross pay with 3 decimals", rec=r)
    # 4. full-width digits in an amount (typed on a Chinese IME): FIXABLE, the row translates
    r = next(src)
    d = detail(r)
    d["实发金额"] = d["实发金额"].translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    lines.append(render(layout, d))
    translated.append(r)
    in_file.append(r)
    # 5. a citizen ID whose check digit is wrong: a value the canonical type can hold, so the row
    #    TRANSLATES and validation judges it (ident.citizen-id, at the severity the province sets)
    r = next(src)
    d = detail(r)
    last = d["身份证号"][-1]
    d["身份证号"] = d["身份证号"][:-1] + ("0" if last != "0" else "1")
    lines.append(render(layout, d))
    r = {**r, "iden_no": d["身份证号"]}
    translated.append(r)
    in_file.append(r)
    for_validation.append({"file": name, "row": len(lines) + 1, "entity": "payroll_record", "output_row": len(translated), "field": "iden_no", "rule": "ident.citizen-id"})
    # 6. an account number truncated to 12 digits by an old export field
    r = next(src)
    d = detail(r)
    d["账号"] = d["账号"][:12]
    bad(d, ["length-mismatch"], "账号被截断为 12 位 / account truncated to 12 digits", rec=r)
    # 7. an account number Excel turned into scientific notation before the file was made
    r = next(src)
    d = detail(r)
    d["账号"] = f"{int(d['账号'][:6]) / 100000:.5f}E+18"
    bad(d, ["scientific-notation"], "账号被 Excel 改成科学计数法 / account in Excel scientific notation", rec=r)
    # 8. a detail whose record type byte became H: not a second header, never filtered as one
    r = next(src)
    d = detail(r)
    d["记录类型"] = "H"
    bad(d, ["fixed-width-control-record-misplaced"], "明细的记录类型变成 H（控制记录类型）/ a detail typed H (a control record type)", rec=r)
    good()
    lines.append(b"")  # a blank line before the trailer
    # header and trailer describe what the file holds (count and totals of its details)
    lines.insert(0, render(layout, control("H", 3, in_file)))
    lines.append(render(layout, control("T", 3, in_file)))

    # April: the bank wrote header and trailer for 27 details; one detail was lost in transit
    lost = 4
    april_name = f"YZB_GZ_{REGION}_{YEAR}04_trailer.txt"
    april_lines = [render(layout, control("H", 4, april))]
    april_lines += [render(layout, detail(r)) for i, r in enumerate(april) if i != lost]
    april_lines.append(render(layout, control("T", 4, april)))
    translated += [r for i, r in enumerate(april) if i != lost]

    out: dict[Path, bytes] = {}
    out[HERE / "defects" / name] = CRLF.join(lines) + CRLF
    out[HERE / "defects" / april_name] = CRLF.join(april_lines) + CRLF
    n_march = len(lines)
    expectation = {
        "inputs": [name, april_name],
        "rejected": [{"file": name, **r} for r in rejected],
        "counts": {
            "source": n_march + len(april_lines),
            "translated": len(translated),
            "rejected": len(rejected),
            "filtered": n_march + len(april_lines) - len(translated) - len(rejected),
        },
        # translated, but `jincai validate` on the output reports them (row: the source row; output_row: the record's 1-based line in the output)
        "left_to_validation": for_validation,
        # rejected rows whose amounts cannot be read leave March's totals unverifiable (its count
        # agrees); April's trailer states one record and its amounts more than the file holds
        "findings": [
            {"file": name, "code": "control-total-unverifiable", "document": "应发总额"},
            {"file": name, "code": "control-total-unverifiable", "document": "实发总额"},
            {"file": april_name, "code": "control-count-mismatch", "document": "笔数"},
            {"file": april_name, "code": "control-total-mismatch", "document": "应发总额"},
            {"file": april_name, "code": "control-total-mismatch", "document": "实发总额"},
        ],
    }
    out[HERE / "defects" / "expected_rejections.json"] = (json.dumps(expectation, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out[HERE / "defects" / "expected" / "payroll_record.jsonl"] = ("\n".join(dumps_record(entity, r) for r in translated) + "\n").encode("utf-8")
    return out


def main(argv: list[str]) -> int:
    files = build()
    check = "--check" in argv
    changed = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    stale = [p for p in (HERE / "samples").glob("*") if p not in files]
    if check:
        for p in changed + stale:
            print(f"would change: {p.relative_to(HERE)}")
        return 1 if changed or stale else 0
    for p, data in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    for p in stale:
        p.unlink()
    print(f"{len(files)} files written, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
