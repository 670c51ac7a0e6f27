"""``jincai adapter init SAMPLE_FILE...``: read legacy sample files and draft a mapping profile.

What it does, in order:

1. **Format** from the file name and content: ``.dbf`` → ``dbf``, ``.xlsx``/``.xls`` → ``xlsx``,
   ``.xml`` → ``xml``, ``.sql`` → ``sql_dump``; other files are text: **encoding** decided over the
   whole file (UTF-8 if it all decodes strictly, else GB18030 — written as ``gbk``), then
   **delimited** (a delimiter among ``, \\t | ;`` that splits most lines into the same number of
   fields) or **fixed-width** (lines of one length in bytes; column boundaries proposed where every
   sampled line has a space — a guess, marked as such). The **header row** is the first row with
   the usual number of fields whose cells are mostly text, after any title lines.
2. **A canonical field per column**, from the column name — matched against the element
   dictionary's ``name_zh`` and a table of usual legacy names (单位代码 → agency_code, 功能科目 →
   exp_func_code, 金额(万元) → money with ``wan_yuan``) — and from the sample values (9 digits
   starting 13 → mof_div_code, 7 digits starting 2 → exp_func_code, an 18-character citizen ID or
   social credit code whose check character is right, a 12-digit CNAPS code, dates in their
   legacy spellings …), with the transforms the values call for (``thousands``,
   ``paren_negative``, ``fullwidth_to_halfwidth``, ``date_format``, ``chinese_date``,
   ``excel_serial_date``, ``split_code_name``, ``scientific_notation_guard``).
3. **The entity** whose fields the columns cover best (or ``--entity``).
4. **A draft profile** (YAML text) where every unsure guess carries a ``# TODO 待确认 / to decide``
   comment with the confidence, columns without a proposal are listed, and required fields of the
   entity that nothing maps are left as commented-out TODO lines — the draft is meant to be read,
   corrected and then checked with ``jincai adapter check``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jincai import identifiers, limits, masking
from jincai.adapters.profile import all_readers
from jincai.adapters.readers._text import detect, field_limit, last_cut, line_too_long
from jincai.errors import JincaiError
from jincai.standard import standard

SAMPLE_ROWS = 200

#: usual legacy column names → canonical field (beyond the dictionary's own name_zh)
SYNONYMS: dict[str, str] = {
    "区划": "mof_div_code", "财政区划": "mof_div_code", "区划代码": "mof_div_code", "行政区划": "mof_div_code",
    "年度": "fiscal_year", "预算年度": "fiscal_year", "发放年度": "fiscal_year", "会计年度": "fiscal_year",
    "单位编码": "agency_code", "预算单位代码": "agency_code", "单位代码": "agency_code", "预算单位编码": "agency_code",
    "单位": "agency_name", "预算单位": "agency_name", "单位名称": "agency_name",
    "功能科目": "exp_func_code", "支出功能分类": "exp_func_code", "功能分类": "exp_func_code", "功能分类科目": "exp_func_code", "科目编码": "exp_func_code",
    "经济科目": "dep_bgt_eco_code", "部门经济分类": "dep_bgt_eco_code", "经济分类": "dep_bgt_eco_code",
    "政府经济分类": "gov_bgt_eco_code",
    "资金性质": "fund_type_code", "支付方式": "pay_type_code", "结算方式": "set_mode_code",
    "项目编码": "pro_code", "项目代码": "pro_code", "项目名称": "pro_name",
    "指标编号": "bgt_id", "指标文号": "cor_bgt_doc_no", "指标金额": "amount",
    "凭证号": "pay_cert_no", "支付凭证号": "pay_cert_no", "凭证日期": "vou_date",
    "收款人": "payee_acct_name", "收款人名称": "payee_acct_name", "收款人全称": "payee_acct_name",
    "收款账号": "payee_acct_no", "收款人账号": "payee_acct_no", "收款银行": "payee_acct_bank_name", "收款人开户行": "payee_acct_bank_name",
    "付款人": "pay_acct_name", "付款账号": "pay_acct_no", "付款银行": "pay_acct_bank_name",
    "支付金额": "pay_amt", "金额": "pay_amt",
    "姓名": "per_name", "身份证号": "iden_no", "身份证号码": "iden_no", "公民身份号码": "iden_no", "身份证": "iden_no",
    "账号": "per_acct_no", "个人账号": "per_acct_no", "银行账号": "per_acct_no", "卡号": "per_acct_no",
    "代理行号": "agent_bank_code", "代理银行行号": "agent_bank_code", "行号": "agent_bank_code",
    "应发金额": "gross_amt", "应发工资": "gross_amt", "扣款金额": "deduct_amt", "扣款合计": "deduct_amt", "实发金额": "net_amt", "实发工资": "net_amt",
    "发放月份": "pay_month", "月份": "pay_month",
    "统一社会信用代码": "unifsoc_cred_code", "信用代码": "unifsoc_cred_code", "组织机构代码": "org_code",
    "用途": "use_des", "摘要": "abstract", "附言": "add_word",
    "缴款金额": "paid_amt", "入库金额": "inc_amt", "入库日期": "receipt_date", "缴款日期": "pay_date",
    "借方金额": "dr_amt", "贷方金额": "cr_amt", "会计科目": "acct_code", "科目代码": "acct_code",
    "本期金额": "cur_period_amt", "本月": "cur_period_amt", "本年累计": "ytd_amt", "累计": "ytd_amt",
}

_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|千元)\s*[)）]|单位[:：]?\s*(万元|元)")


@dataclass
class Column:
    name: str
    values: list[Any]
    width: tuple[int, int] | None = None  # fixed width: (start, width) in bytes
    target: str | None = None
    confidence: float = 0.0
    why: str = ""
    transforms: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    shown: str | None = None  # the name as the draft shows it (masked when the header is data)


# ---------------------------------------------------------------------------------------------
# layout detection
# ---------------------------------------------------------------------------------------------


def _format_of(path: Path, head: bytes) -> str:
    ext = path.suffix.lower()
    if ext == ".dbf" or (head[:1] in (b"\x03", b"\x30", b"\x31", b"\x83", b"\x8b", b"\xf5") and ext not in (".csv", ".txt")):
        return "dbf"
    if ext in (".xlsx", ".xlsm", ".xls") or head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xlsx"
    if ext == ".xml" or head.lstrip()[:5] == b"<?xml":
        return "xml"
    if ext == ".sql":
        return "sql_dump"
    return "text"


def _delimiter(lines: list[str]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for d in (",", "\t", "|", ";"):
        counts = [len(next(_csv_rows([ln], "", delimiter=d))) for ln in lines if ln.strip()]
        if not counts:
            continue
        mode, n = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        s = n / len(counts)
        if s > score:
            best, score = d, s
    return best, score


def _csv_rows(lines: Any, where: str, **kw: Any) -> Any:
    """csv.reader whose errors are user errors: a field over ``limits.field_bytes`` is
    ``limit-field-bytes``, anything else ``adapter-sample-malformed``."""
    limits.csv_field_limit()
    reader = csv.reader(lines, **kw)
    n = 0
    while True:
        n += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            at = f"{where}:{n}" if where else ""
            raise limits.csv_error(exc, at) or JincaiError(
                "adapter-sample-malformed", f"样例文件的 CSV 格式错误：{exc}", f"the sample's CSV is malformed: {exc}", at,
            ) from None
        yield row


def _header_row(rows: list[list[str]]) -> int:
    """1-based header row: the first row with the usual field count whose cells are mostly text."""
    counts = Counter(len(r) for r in rows if any(c.strip() for c in r))
    usual = counts.most_common(1)[0][0] if counts else 0
    for i, r in enumerate(rows[:30]):
        cells = [c.strip() for c in r]
        if len(cells) < max(2, usual - 1) or sum(1 for c in cells if c) < max(2, usual // 2):
            continue
        texty = sum(1 for c in cells if c and not re.fullmatch(r"[-+()（）0-9.,，Ee ]+", c))
        if texty >= max(1, int(0.6 * sum(1 for c in cells if c))):
            return i + 1
    return 0


def _byte_class(b: int) -> str:
    if b == 0x20:
        return " "
    if 0x30 <= b <= 0x39 or b in (0x2E, 0x2D, 0x2B):  # digits, . - + (amounts stay whole)
        return "9"
    if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A:
        return "A"
    if b >= 0x80:
        return "H"  # a byte of a Chinese character (GBK): never split inside it
    return "."


def _fixed_layout(raw_lines: list[bytes]) -> list[tuple[int, int]]:
    """Column boundaries, guessed: a field starts where a byte column that is a space in every
    sampled line is followed by one that is not, or where every line changes from one kind of
    character to another (digits → Chinese, Chinese → letters …) without a space between. Widths in
    bytes. Two fields of the same kind written back to back cannot be told apart: the result is
    a proposal for a person to check against the interface document."""
    length = max(len(x) for x in raw_lines)
    lines = [x.ljust(length, b" ") for x in raw_lines]
    blank = [all(ln[i] == 0x20 for ln in lines) for i in range(length)]
    starts = [0]
    for i in range(1, length):
        if blank[i - 1] and not blank[i]:
            starts.append(i)
            continue
        kinds = {(_byte_class(ln[i - 1]), _byte_class(ln[i])) for ln in lines}
        # letters → digits is not a boundary: codes such as GZ101001 begin with letters
        if all(a != b and a != " " and b != " " and (a, b) != ("A", "9") for a, b in kinds) and not blank[i]:
            starts.append(i)
    spans = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else length
        spans.append((s, e - s))
    return spans


# ---------------------------------------------------------------------------------------------
# field proposals
# ---------------------------------------------------------------------------------------------


def _norm_name(name: str) -> str:
    n = _UNIT.sub("", name)
    return re.sub(r"[\s　:：*＊]+", "", n)


def _by_name(name: str) -> tuple[str | None, float, str]:
    std = standard()
    n = _norm_name(name)
    if not n:
        return None, 0.0, ""
    for key, el in std.elements.items():
        if el.name_zh == n or key == n.lower() or (el.source and el.source == n.upper()):
            return key, 0.9, f"列名与数据元“{el.name_zh}”相同 / column name equals the element's name"
    if n in SYNONYMS:
        return SYNONYMS[n], 0.8, f"常见列名 {n} / a usual legacy column name"
    for syn, key in sorted(SYNONYMS.items(), key=lambda x: -len(x[0])):
        if len(syn) >= 2 and syn in n:
            return key, 0.5, f"列名含“{syn}” / the name contains {syn}"
    for key, el in std.elements.items():
        short = el.name_zh.replace("代码", "").replace("科目", "")
        if len(short) >= 2 and (short in n or n in el.name_zh):
            return key, 0.4, f"列名近似数据元“{el.name_zh}” / the name resembles the element's name"
    return None, 0.0, ""


_FULLWIDTH = re.compile("[\uff10-\uff19\uff0c\uff0e\uff0d\uff08\uff09]")
_MONEYISH = re.compile(r"\s*[(（]?-?[0-9０-９][0-9０-９,，]*(\.[0-9]{1,6})?[)）]?\s*")


def _texts(values: list[Any]) -> list[str]:
    return [v.strip() if isinstance(v, str) else (format(v, "f") if hasattr(v, "as_tuple") else str(v)) for v in values if v is not None and (not isinstance(v, str) or v.strip())]


def _share(values: list[str], pred) -> float:
    return sum(1 for v in values if pred(v)) / len(values) if values else 0.0


def _by_values(values: list[str]) -> tuple[str | None, float, str, list[Any]]:
    """(field, confidence, why, transforms) from the values alone."""
    if not values:
        return None, 0.0, "", []
    half = lambda s: s.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})  # noqa: E731
    vals = [half(v) for v in values]
    fw = ["fullwidth_to_halfwidth"] if any(_FULLWIDTH.search(v) for v in values) else []
    if _share(vals, lambda v: re.fullmatch(r"[0-9]{17}[0-9Xx]", v) and identifiers.check_citizen_id(v.upper()).valid) > 0.8:
        return "iden_no", 0.9, "18 位且校验位正确的公民身份号码 / 18 characters with a valid GB 11643 check", ["trim", *fw, "upper"]
    if _share(vals, lambda v: len(v) == 18 and identifiers.check_uscc(v.upper()).valid) > 0.8:
        return "unifsoc_cred_code", 0.9, "18 位且校验码正确的统一社会信用代码 / valid GB 32100 check", ["trim", *fw, "upper"]
    if _share(vals, lambda v: re.fullmatch(r"13[0-9]{7}", v)) > 0.9:
        return "mof_div_code", 0.8, "9 位、以 13 开头（河北的财政区划）/ 9 digits starting 13", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"20(0[7-9]|[1-9][0-9])", v)) > 0.95:
        return "fiscal_year", 0.6, "四位年份 / four-digit years", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"2[0-9]{2}([0-9]{2}){0,2}", v)) > 0.9:
        return "exp_func_code", 0.7, "3/5/7 位、以 2 开头（支出功能分类）/ 3, 5 or 7 digits starting 2", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"[0-9]{2,7}\s+\S.*|[\[【][0-9]{2,7}[\]】]\S.*", v)) > 0.8:
        code = re.match(r"[\[【]?([0-9]+)", vals[0])
        guess = "exp_func_code" if code and code.group(1).startswith("2") else None
        return guess, 0.5, "一格里是“代码 名称” / code and name in one cell", ["trim", {"split_code_name": "code"}]
    if _share(vals, lambda v: re.fullmatch(r"3[0-9]{2}([0-9]{2})?", v)) > 0.9:
        return "dep_bgt_eco_code", 0.6, "3/5 位、以 3 开头（部门经济分类）/ 3 or 5 digits starting 3", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"5[0-9]{2}([0-9]{2})?", v)) > 0.9:
        return "gov_bgt_eco_code", 0.6, "3/5 位、以 5 开头（政府经济分类）/ 3 or 5 digits starting 5", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"[0-9.]+[eE][+-]?[0-9]+", v)) > 0.2:
        return "per_acct_no", 0.3, "科学计数法——多半是被 Excel 损坏的账号 / scientific notation: probably an account mangled by Excel", ["trim", "scientific_notation_guard"]
    if _share(vals, lambda v: re.fullmatch(r"62[0-9]{14,17}", v)) > 0.9:
        return "per_acct_no", 0.5, "16–19 位、以 62 开头（银联卡号）/ 16-19 digits starting 62 (UnionPay card)", ["trim", "scientific_notation_guard"]
    if _share(vals, lambda v: re.fullmatch(r"[0-9]{12}", v)) > 0.9:
        return "agent_bank_code", 0.5, "12 位数字（支付系统行号）/ 12 digits (CNAPS)", ["trim", {"leading_zero_guard": 12}]
    if _share(vals, lambda v: re.fullmatch(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])", v)) > 0.9:
        return None, 0.0, "日期 YYYYMMDD / dates", ["trim", {"date_format": "%Y%m%d"}]
    if _share(vals, lambda v: re.fullmatch(r"(19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}", v)) > 0.9:
        sep = re.search(r"[-/.]", vals[0]).group(0)
        return None, 0.0, "日期 / dates", ["trim", {"date_format": f"%Y{sep}%m{sep}%d"}]
    if _share(vals, lambda v: re.fullmatch(r"(19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日?", v)) > 0.9:
        return None, 0.0, "中文日期 / Chinese dates", ["trim", *fw, "chinese_date"]
    if _share(vals, lambda v: re.fullmatch(r"[34][0-9]{4}(\.0+)?", v)) > 0.9:
        return None, 0.0, "像 Excel 日期序号（1982–2173 年）/ look like Excel date serials", [{"excel_serial_date": 1900}]
    if _share(vals, lambda v: re.fullmatch(r"(0?[1-9]|1[0-2])", v)) > 0.95 and len(set(vals)) > 1:
        return "pay_month", 0.3, "1–12 的整数 / integers 1-12", ["trim", "integer"]
    if _share(values, lambda v: _MONEYISH.fullmatch(v)) > 0.9 and any("." in v or "．" in v for v in values):
        tr: list[Any] = ["trim", *fw]
        if any(("(" in v or "（" in v) for v in values):
            tr.append("paren_negative")
        if any(("," in v or "，" in v) for v in vals):
            tr.append("thousands")
        decimals = max((len(v.split(".")[1].rstrip(")）")) for v in vals if "." in v), default=0)
        tr.append("wan_yuan" if decimals > 2 else "money")
        return None, 0.0, "金额 / amounts" + ("（超过两位小数，可能是万元 / more than two decimals: 万元?）" if decimals > 2 else ""), tr
    return None, 0.0, "", []


def propose(col: Column, fields: set[str] | None = None) -> None:
    """Fill in ``col.target``, ``confidence``, ``why`` and ``transforms``."""
    std = standard()
    texts = _texts(col.values)
    by_name, c_name, why_name = _by_name(col.name)
    by_val, c_val, why_val, tr = _by_values(texts)
    unit = _UNIT.search(col.name)
    if by_name and by_val and by_name == by_val:
        col.target, col.confidence, col.why = by_name, min(0.99, c_name + 0.1), f"{why_name}；{why_val}"
    elif by_name and (not by_val or c_name >= c_val):
        col.target, col.confidence, col.why = by_name, c_name * (0.8 if by_val else 1.0), why_name + (f"（但值像 {by_val} / but the values look like {by_val}）" if by_val else "")
    elif by_val:
        col.target, col.confidence, col.why = by_val, c_val, why_val
    else:
        col.why = why_val
    el = std.elements.get(col.target) if col.target else None
    if not tr:
        tr = ["trim"]
    if el is not None and el.type == "money" and not any(isinstance(t, str) and t in ("money", "wan_yuan") for t in tr):
        tr = [t for t in tr if t != "trim"]
        tr = ["trim", *tr, "money"]
    if unit and (unit.group(1) or unit.group(2)) == "万元":
        tr = [("wan_yuan" if t == "money" else t) for t in tr]
        if "wan_yuan" not in tr:
            tr.append("wan_yuan")
        col.notes.append("列名注明单位为万元：用 wan_yuan 精确换算为元 / the name says 万元: wan_yuan converts exactly")
    if el is not None and el.type == "integer" and "integer" not in tr:
        tr.append("integer")
    col.transforms = tr
    if col.target and fields is not None and col.target not in fields:
        col.notes.append(f"{col.target} 不是所选实体的字段 / not a field of the chosen entity")
    if texts and any(re.fullmatch(r"[0-9]+", v) for v in texts) and el is not None and el.type == "code":
        lengths = {len(v) for v in texts if re.fullmatch(r"[0-9]+", v)}
        if len(lengths) > 1 and el.pattern and re.fullmatch(r"\[0-9\]\{(\d+)\}", el.pattern):
            n = int(re.fullmatch(r"\[0-9\]\{(\d+)\}", el.pattern).group(1))
            col.transforms.append({"leading_zero_guard": n})
            col.notes.append(f"长度不一：可能丢失了前导零（应为 {n} 位）/ lengths vary: leading zeros may be lost")


def _choose_entity(cols: list[Column]) -> tuple[str, float]:
    std = standard()
    mapped = {c.target for c in cols if c.target}
    best, score = "payment_detail", -1.0
    for ent in std.entities.values():
        names = set(ent.field_names)
        hit = len(mapped & names)
        req = [f.name for f in ent.fields if f.required and f.name not in ("mof_div_code", "fiscal_year")]
        cover = sum(1 for r in req if r in mapped) / max(1, len(req))
        s = hit + 2 * cover - 0.05 * len(mapped - names)
        if s > score:
            best, score = ent.id, s
    total = max(1, len(mapped))
    return best, min(0.95, len(mapped & set(std.entity(best).field_names)) / total)


# ---------------------------------------------------------------------------------------------
# reading the samples
# ---------------------------------------------------------------------------------------------


SNIFF_BYTES = 16 << 20  # a sample is read up to here (cut at a line end): enough to see the layout


def _text_sample(path: Path) -> tuple[dict[str, Any], list[Column], list[str]]:
    # csv's own field-size error becomes the limit's coded error (never a crash, exit 3)
    with field_limit(str(path)):
        return _text_sample_in(path)


def _text_sample_in(path: Path) -> tuple[dict[str, Any], list[Column], list[str]]:
    enc = detect(str(path))
    with open(path, "rb") as fh:
        fh.seek(enc.bom)
        raw = fh.read(SNIFF_BYTES + 1)
    if len(raw) > SNIFF_BYTES:
        raw = raw[: last_cut(raw[:SNIFF_BYTES])] or raw[:SNIFF_BYTES]
    cap = limits.limit("line_bytes")
    if len(raw) > cap:
        for i, ln in enumerate(raw.splitlines()):
            if len(ln) > cap:
                raise line_too_long(str(path), i + 1)
    try:
        text = raw.decode(enc.codec)
    except UnicodeDecodeError as exc:  # the sample was cut inside a character (the whole file decodes)
        raw = raw[: exc.start]
        text = raw.decode(enc.codec)
    lines = text.splitlines()
    notes = [f"编码：{enc.codec}（整个文件检测）/ encoding {enc.codec}, detected over the whole file"]
    encoding = "gbk" if enc.codec == "gb18030" else "utf-8"
    delim, score = _delimiter(lines[:SAMPLE_ROWS])
    raw_lines = [ln.rstrip(b"\r") for ln in raw.split(b"\n") if ln.strip()][:SAMPLE_ROWS]
    lengths = Counter(len(x) for x in raw_lines)
    fixed_share = lengths.most_common(1)[0][1] / len(raw_lines) if raw_lines else 0
    if delim is not None and score >= 0.8 and not (fixed_share > 0.95 and score < 0.95):
        rows = list(_csv_rows(io.StringIO("\n".join(lines[:SAMPLE_ROWS + 30])), path.name, delimiter=delim))
        field_cap = limits.limit("field_bytes")
        for i, r in enumerate(rows):
            for c in r:
                if len(c) > field_cap // 4 and len(c.encode("utf-8")) > field_cap:
                    raise limits.exceeded("field_bytes", len(c.encode("utf-8")), f"{path}:{i + 1}")
        header = _header_row(rows)
        names = [h.strip() for h in rows[header - 1]] if header else [str(i + 1) for i in range(max(len(r) for r in rows))]
        data = rows[header:] if header else rows
        cols = [Column(n or f"#{i + 1}", [r[i] if i < len(r) else None for r in data]) for i, n in enumerate(names)]
        if header:
            _mask_names(cols, notes)
        source: dict[str, Any] = {"format": "csv", "encoding": encoding, "delimiter": delim, "header_row": header}
        notes.append(f"分隔符 {delim!r}，表头在第 {header} 行 / delimiter {delim!r}, header on line {header}")
        return source, cols, notes
    # fixed width
    usual = lengths.most_common(1)[0][0]
    body = [x for x in raw_lines if len(x) == usual]
    # control records (batch header/trailer) differ from the details: lay out by the commonest first byte
    kinds = Counter(x[:1] for x in body)
    if len(kinds) > 1 and kinds.most_common(1)[0][1] >= 0.8 * len(body):
        body = [x for x in body if x[:1] == kinds.most_common(1)[0][0]]
    spans = _fixed_layout(body)
    cols = []
    for i, (s, w) in enumerate(spans):
        vals = [x[s : s + w].decode(enc.codec, errors="replace").strip() for x in body]
        cols.append(Column(f"字段{i + 1}", vals, (s, w)))
    source = {"format": "fixed_width", "encoding": encoding, "record_length": usual}
    notes.append(
        f"定长记录 {usual} 字节；字段边界按“所有行都是空格的列”推测，仅供参考，请对照接口文档 / fixed-width records of {usual} bytes; "
        "boundaries guessed from byte columns blank in every line — check them against the interface document"
    )
    return source, cols, notes


def _reader_sample(path: Path, fmt: str) -> tuple[dict[str, Any], list[Column], list[str]]:
    reader = all_readers().get_reader(fmt)
    rows = []
    for row in reader.read(str(path), {"format": fmt}):
        if "filtered" in row.extra:  # what the reader reports as not read (e.g. a sheet not selected)
            continue
        rows.append(row)
        if len(rows) >= SAMPLE_ROWS:
            break
    names: list[str] = []
    for r in rows:
        for k in r.values:
            if k not in names:
                names.append(k)
    cols = [Column(n, [r.values.get(n) for r in rows]) for n in names]
    info = getattr(reader, "info", {}) or {}
    source: dict[str, Any] = {"format": fmt}
    if info.get("encoding") and fmt == "dbf":
        source["encoding"] = "gbk" if info["encoding"] == "gb18030" else info["encoding"]
    notes = [f"读取器 {fmt} 的默认选项 / the {fmt} reader with default options"]
    _mask_names(cols, notes)
    return source, cols, notes


# ---------------------------------------------------------------------------------------------
# personal data: the draft is read, mailed and committed — it never quotes an ID, account or name
# ---------------------------------------------------------------------------------------------

#: a run of two to four Chinese characters standing alone: as long as most personal names
_NAME_LIKE = re.compile(r"(?<![\u4e00-\u9fff·•])[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,3}(?![\u4e00-\u9fff·•])")


def _mask_names(cols: list[Column], notes: list[str]) -> None:
    """Column names from the file, masked when the header row looks like a data row."""
    names = [c.name for c in cols]
    for c, shown in zip(cols, masking.mask_column_names(names)):
        c.shown = shown
    if masking.header_is_data(names):
        notes.append(
            "表头行看起来是数据（长数字或数字作列名）：文件可能没有表头，列名已脱敏显示——请核对表头行并改正 from 列名 / "
            "the header row looks like data (long digit runs or numbers as names): the file may have no header; "
            "the names are shown masked — check the header row and correct the from names"
        )


def _sample(col: Column, value: Any) -> str:
    """A sample value as the draft shows it: masked by the column's element when it is personal;
    for a column not mapped to an element, also every stand-alone run of 2–4 Chinese characters
    (a name cannot be told from other words by its shape, and a guessed fixed-width field may hold
    one inside other text); ID- and account-like digit runs always."""
    text = str(value)
    if col.target in masking.personal_elements():
        return masking.mask_field(col.target, text) or ""
    text = masking.mask_text(text)
    if col.target is None or col.target not in standard().elements:
        text = _NAME_LIKE.sub(lambda m: identifiers.mask_name(m.group()), text)
    return text


# ---------------------------------------------------------------------------------------------
# the draft
# ---------------------------------------------------------------------------------------------


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _yaml_scalar(v: Any) -> str:
    import json

    import yaml

    if isinstance(v, str) and _UNPRINTABLE.search(v):
        # one line, every odd character escaped: a JSON string is a YAML double-quoted scalar, and
        # a value never spills out of its comment or key
        return json.dumps(v)
    return yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, width=10**6).strip().removesuffix("...").strip()


def _transform_text(items: list[Any]) -> str:
    return "[" + ", ".join(_yaml_scalar(t) for t in items) + "]"


def _one_line(text: str) -> str:
    # a comment ends at a line break: a name with one would put the rest of it into the YAML
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]", " ", text)


def draft_profile(samples: list[str], entity: str | None = None, profile_id: str | None = None) -> str:
    """The draft profile as YAML text with ``# TODO`` comments (see the module docstring)."""
    if not samples:
        raise JincaiError("adapter-usage", "至少需要一个样例文件", "give at least one sample file")
    paths = [Path(s) for s in samples]
    for p in paths:
        if not p.is_file():
            raise JincaiError("adapter-unreadable-file", f"样例文件不存在：{p}", f"no such sample file: {p}", str(p))
    first = paths[0]
    with open(first, "rb") as fh:
        head = fh.read(8)
    fmt = _format_of(first, head)
    if fmt == "text":
        source, cols, notes = _text_sample(first)
    else:
        source, cols, notes = _reader_sample(first, fmt)
    std = standard()
    if entity is not None:
        std.entity(entity)
    for c in cols:
        propose(c)
    chosen, conf = (entity, 1.0) if entity else _choose_entity(cols)
    ent = std.entity(chosen)
    names = set(ent.field_names)
    for c in cols:
        if c.target and c.target not in names:
            c.notes.append(f"{c.target} 不是 {chosen} 的字段 / not a field of {chosen}")
            c.confidence = min(c.confidence, 0.2)
    used: Counter = Counter(c.target for c in cols if c.target and c.target in names)
    pid = profile_id or re.sub(r"[^a-z0-9_]", "_", first.stem.lower()).strip("_") or "new_system"
    if not re.match(r"[a-z]", pid):
        pid = "p_" + pid

    out: list[str] = []
    w = out.append
    w(f"# 由 jincai adapter init 从 {', '.join(p.name for p in paths)} 起草——请逐项核对标记为 TODO 的内容。")
    w(f"# Drafted by jincai adapter init from {', '.join(p.name for p in paths)} — check every line marked TODO.")
    for n in notes:
        w(f"# {n}")
    w(f"id: {pid}")
    w("name_zh: TODO 系统中文名称   # TODO 待确认 / to decide")
    w("name_en: TODO system name    # TODO 待确认 / to decide")
    w("system:")
    w("  vendor: TODO     # TODO 待确认 / to decide: 厂商 vendor")
    w("  product: TODO    # TODO 待确认 / to decide: 产品 product")
    w("source:")
    for k, v in source.items():
        w(f"  {k}: {_yaml_scalar(v)}")
    if source["format"] == "fixed_width":
        w("  fields:   # TODO 待确认 / to decide: 字段边界是推测的 the boundaries are a guess (start = byte position, from 1)")
        for c in cols:
            s, width = c.width or (0, 0)
            w(f"    - {{name: {_yaml_scalar(c.name)}, start: {s + 1}, width: {width}}}   # 样例 e.g. {_yaml_scalar(_sample(c, c.values[0]) if c.values else '')}")
    w("constants:")
    if "mof_div_code" in names and not used.get("mof_div_code"):
        w('  mof_div_code: "130000000"   # TODO 待确认 / to decide: 本地的财政区划代码 the region')
    if "fiscal_year" in names and not used.get("fiscal_year"):
        w("  fiscal_year: null           # 运行时给出 given at run time: --set fiscal_year=2024")
    w("filters:")
    w("  - blank")
    w("  - subtotal")
    w("  - notes_below")
    if source["format"] in ("csv", "xlsx"):
        w("  - header_repeat")
    w("targets:")
    conf_note = "" if entity else f"   # TODO 待确认 / to decide: 按列覆盖推测 guessed from the columns (confidence {conf:.2f})"
    w(f"  - entity: {chosen}{conf_note}")
    w("    fields:")
    mapped: set[str] = set()
    unmapped: list[Column] = []
    for c in cols:
        if not c.target or c.target not in names or c.target in mapped:
            unmapped.append(c)
            continue
        mapped.add(c.target)
        line = f"      {c.target}: {{from: {_yaml_scalar(c.shown or c.name)}, transform: {_transform_text(c.transforms)}}}"
        remarks = [c.why] + c.notes
        if c.confidence < 0.8 or used[c.target] > 1 or c.notes:
            line += f"   # TODO 待确认 / to decide (confidence {c.confidence:.2f}): " + "；".join(r for r in remarks if r)
        else:
            line += f"   # {c.why} (confidence {c.confidence:.2f})"
        w(line)
    for f in ent.fields:
        if f.required and f.name not in mapped and f.name not in ("mof_div_code", "fiscal_year"):
            w(f"      # {f.name}: {{from: TODO}}   # TODO 必填字段未映射 / required field not mapped: {f.element.name_zh} {f.element.name_en}")
    if unmapped:
        w("    # 未映射的列 columns not mapped (TODO 待确认 / to decide):")
        for c in unmapped:
            sample = ", ".join(_yaml_scalar(_sample(c, v)) for v in c.values[:3] if v not in (None, ""))
            hint = f" — 可能是 {c.target}? maybe {c.target}?" if c.target else ""
            hint += f" — {c.why}" if c.why else ""
            hint += f" — 建议转换 suggested transforms {_transform_text(c.transforms)}" if c.transforms and c.transforms != ["trim"] else ""
            w(f"    #   {_one_line(c.shown or c.name)}: 样例 e.g. {sample}{hint}")
    return "\n".join(out) + "\n"
