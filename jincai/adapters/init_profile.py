"""``jincai adapter init SAMPLE_FILE... [--entity E] [--encoding ENC]``: read legacy sample files and
draft a mapping profile that ``jincai adapter check`` accepts, every guess marked for a person.

What it does, in order:

1. **Format** from the file name and content: ``.dbf`` → ``dbf``, ``.xlsx``/``.xls`` → ``excel``,
   ``.xml`` → ``xml``, ``.sql`` → ``sql_dump``; other files are text: **encoding** decided over the
   whole file (UTF-8 if it all decodes strictly, else GB18030 — written as ``gbk``; ``--encoding``
   overrides), then **delimited** (a delimiter among ``, \\t | ;`` that splits most lines into the same
   number of fields) or **fixed-width** (records of one length in bytes: ``init_fixed`` finds the
   boundaries from byte statistics over every sample file, the control records H/T with their
   layout, the document values and the trailer's count and totals). The **header row** is the
   first row with the usual number of fields whose cells are mostly text, after any title lines;
   in a workbook, below the titles, over one or two rows, on every sheet that shares it. An XML
   file's record element is its commonest element with children; a dump's table, the one an
   entity covers best. A DBF without a code page is read as GBK when ASCII fails.
2. **Candidate fields per column**, from the column name (``init_names``: the element dictionary,
   usual legacy names, their pinyin initials) and from the sample values (9 digits starting 13 →
   mof_div_code, 7 digits starting 2 → exp_func_code, an 18-character citizen ID or social credit
   code whose check character is right, a 12-digit CNAPS code, dates in their legacy spellings,
   amounts, personal names …), with the transforms the values call for (``thousands``,
   ``paren_negative``, ``fullwidth_to_halfwidth``, ``date_format``, ``chinese_date``,
   ``excel_serial_date``, ``split_code_name``, ``scientific_notation_guard``, ``wan_yuan``,
   ``implied_decimal``).
3. **The entity** whose fields the columns cover best (or ``--entity``); below
   ``ENTITY_CONFIDENCE`` the draft says it does not know and lists the candidates. Then what the
   entity makes clear: gross = deductions + net, a key from a column of distinct values, the header
   entity (voucher, report) a line entity refers to from each group's line 1, one target per
   classification when a code/name column holds two.
4. **A draft profile** (YAML text) where every unsure guess carries a ``# TODO 待确认 / to decide``
   comment with the confidence, columns without a proposal are listed with masked sample values,
   and a required field nothing gives is a constant — from the titles (月报 → 2) or ``null`` for
   ``--set``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jincai import identifiers, limits, masking
from jincai.adapters.init_fixed import decimal_of, implied_decimals, lay_out_controls, split_records
from jincai.adapters.init_fixed import layout as fixed_layout
from jincai.adapters.init_names import SYNONYMS, by_name, norm_name, unit_of  # noqa: F401 - SYNONYMS: the table, re-exported
from jincai.adapters.profile import DEFAULT_SUBTOTAL_PATTERN, all_readers
from jincai.adapters.readers._text import detect, field_limit, last_cut, line_too_long
from jincai.errors import JincaiError
from jincai.standard import standard

SAMPLE_ROWS = 200
LAYOUT_RECORDS = 5000  # fixed width: the records whose byte statistics give the layout (bounded work)
RECORD_TYPE = "记录类型"  # the name the draft gives a fixed-width file's record-type byte

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
    candidates: tuple[str, ...] = ()  # fields the column may be, best first
    name_guess: tuple[Any, ...] = ((), 0.0, "")
    value_guess: tuple[Any, ...] = (None, 0.0, "", [])
    hints: list[str] = field(default_factory=list)  # notes that depend on the chosen target
    found: list[str] = field(default_factory=list)  # why an entity-level inference chose this column
    wan_yuan: bool = False  # the sheet says its amounts are in 万元


@dataclass
class Sample:
    """What the reading of the samples found: the source block and the columns, with notes."""

    source: dict[str, Any]
    cols: list[Column]
    notes: list[str]
    doc_of: dict[str, str] = field(default_factory=dict)  # column → the document value that gives it
    controls: list[dict[str, str]] = field(default_factory=list)  # trailer checks (source.document names)
    filters: list[str] = field(default_factory=list)  # extra filters the format calls for
    fixed: tuple[Any, ...] | None = None  # fixed width: (control records, each file's details, codec)
    context: list[str] = field(default_factory=list)  # titles and labels around the table


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


def _fixed_layout(raw_lines: list[bytes]) -> list[tuple[int, int]]:
    """Fixed-width field boundaries (0-based start, width in bytes): see ``init_fixed.layout``."""
    return fixed_layout(raw_lines)


# ---------------------------------------------------------------------------------------------
# field proposals
# ---------------------------------------------------------------------------------------------


_FULLWIDTH = re.compile("[\uff10-\uff19\uff0c\uff0e\uff0d\uff08\uff09]")
_MONEYISH = re.compile(r"\s*[(（]?-?[0-9０-９][0-9０-９,，]*(\.[0-9]{1,6})?[)）]?\s*")
_PERSON = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,3}")


def _texts(values: list[Any]) -> list[str]:
    return [v.strip() if isinstance(v, str) else (format(v, "f") if hasattr(v, "as_tuple") else str(v)) for v in values if v is not None and (not isinstance(v, str) or v.strip())]


_TOTAL_ROW = re.compile(r"(合|小|总)\s*计$")


def _data_texts(col: Column) -> list[str]:
    """The column's values as text, without the subtotal labels and repeated headers that the
    filters remove (so they do not hide the values' shape)."""
    last = col.name.rsplit("/", 1)[-1]
    return [v for v in _texts(col.values) if v not in (col.name, last) and not _TOTAL_ROW.search(v)]


def _share(values: list[str], pred) -> float:
    return sum(1 for v in values if pred(v)) / len(values) if values else 0.0


def _by_values(values: list[str], raw: list[Any] | None = None, fixed: bool = False) -> tuple[str | None, float, str, list[Any]]:
    """(field, confidence, why, transforms) from the values alone (``fixed``: a fixed-width field,
    where zero-filled integers are amounts with implied decimals rather than codes)."""
    if not values:
        return None, 0.0, "", []
    present = [v for v in raw or [] if v is not None and v != ""]
    if present and all(isinstance(v, datetime) for v in present):
        return None, 0.0, "日期时间单元格 / date-time cells", ["excel_serial_date"] if all(v.time() == datetime.min.time() for v in present) else []
    if present and all(isinstance(v, date) for v in present):
        return None, 0.0, "日期值 / date values", [{"date_format": "%Y%m%d"}]
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
        firsts = {m.group(1)[0] for v in vals if (m := re.match(r"[\[【]?([0-9]+)", v))}
        guess = "exp_func_code" if firsts == {"2"} else "rev_class_code" if firsts == {"1"} else None
        return guess, 0.5, "一格里是“代码 名称” / code and name in one cell", ["trim", {"split_code_name": "code"}]
    if _share(vals, lambda v: re.fullmatch(r"3[0-9]{2}([0-9]{2})?", v)) > 0.9:
        return "dep_bgt_eco_code", 0.6, "3/5 位、以 3 开头（部门经济分类）/ 3 or 5 digits starting 3", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"5[0-9]{2}([0-9]{2})?", v)) > 0.9:
        return "gov_bgt_eco_code", 0.6, "3/5 位、以 5 开头（政府经济分类）/ 3 or 5 digits starting 5", ["trim"]
    if _share(vals, lambda v: re.fullmatch(r"[0-9.]+[eE][+-]?[0-9]+", v)) > 0.2:
        return "per_acct_no", 0.3, "科学计数法——多半是被 Excel 损坏的账号 / scientific notation: probably an account mangled by Excel", ["trim", "scientific_notation_guard"]
    if _share(vals, lambda v: re.fullmatch(r"62[0-9]{14,17}", v)) > 0.9:
        return "per_acct_no", 0.5, "16–19 位、以 62 开头（银联卡号）/ 16-19 digits starting 62 (UnionPay card)", ["trim", "scientific_notation_guard"]
    if fixed and implied_decimals(vals) and _share(vals, lambda v: v.startswith("000")) >= 0.5:
        return None, 0.0, "左补零的等长整数：多半是隐含两位小数的金额（分）/ zero-filled integers of one length: amounts in fen, decimals implied", ["trim", "implied_decimal"]
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
    if _share(vals, lambda v: _PERSON.fullmatch(v)) > 0.9 and len(set(vals)) >= min(10, 0.5 * len(vals)) and len(vals) >= 3:
        return "per_name", 0.4, "2–4 个汉字，多不相同：像人名 / 2-4 Chinese characters, mostly distinct: personal names?", ["trim"]
    return None, 0.0, "", []


def propose(col: Column, fields: set[str] | None = None) -> None:
    """Fill in ``col.candidates``, ``target``, ``confidence``, ``why`` and ``transforms``."""
    texts = _data_texts(col)
    names, c_name, why_name = by_name(col.name)
    by_val, c_val, why_val, tr = _by_values(texts, col.values, col.width is not None)
    col.value_guess = (by_val, c_val, why_val, tr)
    col.name_guess = (names, c_name, why_name)
    cands = list(names)
    if by_val and by_val not in cands:
        cands = [by_val, *cands] if c_val > c_name else [*cands, by_val]
    col.candidates = tuple(cands)
    settle(col, cands[0] if cands else None, fields)


def settle(col: Column, target: str | None, fields: set[str] | None = None) -> None:
    """Set the column's target (one of its candidates, or None) and the transforms it calls for."""
    std = standard()
    texts = _data_texts(col)
    names, c_name, why_name = col.name_guess
    by_val, c_val, why_val, tr = col.value_guess
    tr = list(tr)
    col.hints = []
    unit = unit_of(col.name)
    by_n = target if target in names else None
    if target is None:
        col.target, col.confidence, col.why = None, 0.0, why_val
    elif by_n and by_val == target:
        col.target, col.confidence, col.why = target, min(0.99, c_name + 0.1), f"{why_name}；{why_val}"
    elif by_n:
        other = by_val if by_val and (fields is None or by_val in fields) else None
        col.target, col.confidence, col.why = target, c_name * (0.8 if other else 1.0), why_name + (f"（但值像 {other} / but the values look like {other}）" if other else "")
    elif target == by_val:
        col.target, col.confidence, col.why = target, c_val, why_val
    else:
        col.target, col.confidence, col.why = target, 0.3, col.why or why_val
    el = std.elements.get(col.target) if col.target else None
    if el is not None and by_val and by_val != col.target and std.elements.get(by_val) is not None:
        tr = ["trim"]  # the values' transforms were for another field
    if not tr:
        tr = ["trim"] if not any(isinstance(v, (date, datetime)) for v in col.values) else []
    if el is not None and el.type == "money" and not any(isinstance(t, str) and t in ("money", "wan_yuan", "implied_decimal") for t in tr):
        tr = [t for t in tr if t != "trim"]
        tr = ["trim", *tr, "money"]
    if unit and (unit.group(1) or unit.group(2)) == "万元" or (col.wan_yuan and el is not None and el.type == "money"):
        tr = [("wan_yuan" if t == "money" else t) for t in tr]
        if "wan_yuan" not in tr:
            tr.append("wan_yuan")
        col.hints.append(("列名注明单位为万元：用 wan_yuan 精确换算为元 / the name says 万元: wan_yuan converts exactly" if unit else "表上注明单位为万元：用 wan_yuan 精确换算为元 / the sheet says 万元: wan_yuan converts exactly"))
    if el is not None and el.type == "integer" and "integer" not in tr:
        tr.append("integer")
    col.transforms = tr
    if col.target and fields is not None and col.target not in fields:
        col.hints.append(f"{col.target} 不是所选实体的字段 / not a field of the chosen entity")
    if texts and any(re.fullmatch(r"[0-9]+", v) for v in texts) and el is not None and el.type == "code":
        lengths = {len(v) for v in texts if re.fullmatch(r"[0-9]+", v)}
        if len(lengths) > 1 and el.pattern and re.fullmatch(r"\[0-9\]\{(\d+)\}", el.pattern):
            n = int(re.fullmatch(r"\[0-9\]\{(\d+)\}", el.pattern).group(1))
            col.transforms.append({"leading_zero_guard": n})
            col.hints.append(f"长度不一：可能丢失了前导零（应为 {n} 位）/ lengths vary: leading zeros may be lost")


#: below this, ``adapter init`` says it does not know the entity (and lists the candidates)
ENTITY_CONFIDENCE = 0.5


def rank_entities(cols: list[Column]) -> list[tuple[str, float, float]]:
    """(entity, score, confidence) best first. A column counts for an entity when any of its candidate
    fields is the entity's; the confidence is half the share of the columns with a proposal that the
    entity takes and half the share of its required fields (besides region and year) they cover."""
    std = standard()
    proposed = [set(c.candidates) for c in cols if c.candidates]
    out = []
    for ent in std.entities.values():
        names = set(ent.field_names)
        covered = set().union(*(cands & names for cands in proposed)) if proposed else set()
        hit = sum(1 for cands in proposed if cands & names)
        req = [f.name for f in ent.fields if f.required and f.name not in ("mof_div_code", "fiscal_year")]
        cover = sum(1 for r in req if r in covered) / max(1, len(req))
        score = len(covered) + 2 * cover - 0.05 * (len(proposed) - hit)
        conf = 0.5 * hit / max(1, len(proposed)) + 0.5 * cover
        out.append((ent.id, round(score, 3), round(conf, 2)))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def _choose_entity(cols: list[Column]) -> tuple[str, float]:
    best = rank_entities(cols)[0]
    return best[0], best[2]


# ---------------------------------------------------------------------------------------------
# reading the samples
# ---------------------------------------------------------------------------------------------


SNIFF_BYTES = 16 << 20  # a sample is read up to here (cut at a line end): enough to see the layout


def _text_sample(paths: list[Path], encoding: str | None = None) -> Sample:
    # csv's own field-size error becomes the limit's coded error (never a crash, exit 3)
    with field_limit(str(paths[0])):
        return _text_sample_in(paths, encoding)


def _read_text(path: Path, encoding: str | None) -> tuple[Any, bytes, str]:
    """(detected encoding, the sample's bytes cut at a line end, its text)."""
    enc = detect(str(path), encoding)
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
        if encoding:
            raise JincaiError(
                "adapter-undecodable-bytes", f"样例文件不是 {encoding} 编码：第 {exc.start} 字节无法解码", f"the sample is not {encoding}: byte {exc.start} does not decode",
                f"{path}@{exc.start}",
            ) from None
        raw = raw[: exc.start]
        text = raw.decode(enc.codec)
    return enc, raw, text


def _records(raw: bytes) -> list[bytes]:
    """The sample's non-blank records (line ends of any kind), the first SAMPLE_ROWS and the last."""
    recs = [ln for ln in re.split(rb"\r\n|\r|\n", raw) if ln.strip(b" \t\x00\x1a")]
    return recs[:SAMPLE_ROWS] + recs[-1:] if len(recs) > SAMPLE_ROWS else recs


def _text_sample_in(paths: list[Path], encoding: str | None) -> Sample:
    path = paths[0]
    enc, raw, text = _read_text(path, encoding)
    lines = text.splitlines()
    how = "由 --encoding 给出 / given with --encoding" if encoding else "整个文件检测 / detected over the whole file"
    notes = [f"编码 encoding：{enc.codec}（{how}）"]
    encoding_name = "gbk" if enc.codec == "gb18030" else enc.codec
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
        source: dict[str, Any] = {"format": "csv", "encoding": encoding_name, "delimiter": delim, "header_row": header}
        notes.append(f"分隔符 {delim!r}，表头在第 {header} 行 / delimiter {delim!r}, header on line {header}")
        return Sample(source, cols, notes)
    # fixed width: every sample file's records, laid out together
    files = [_records(raw)] + [_records(_read_text(p, encoding or enc.codec)[1]) for p in paths[1:]]
    per_file, controls, record_type = split_records(files)
    details = [r for recs in per_file for r in recs][:LAYOUT_RECORDS]
    if not details:
        raise JincaiError("adapter-sample-empty", "样例文件没有记录", "the sample has no records", str(path))
    usual = Counter(len(x) for x in details).most_common(1)[0][0]
    body = [x for x in details if len(x) == usual]
    spans = fixed_layout(body, record_type)
    lay_out_controls(controls, spans)
    cols = []
    for i, (s, w) in enumerate(spans):
        vals = [x[s : s + w].decode(enc.codec, errors="replace").strip() for x in body]
        name = RECORD_TYPE if record_type and (s, w) == (0, 1) else f"字段{i + 1}"
        cols.append(Column(name, vals, (s, w)))
    source = {"format": "fixed_width", "encoding": encoding_name, "record_length": usual}
    if record_type:
        source["record_type"] = RECORD_TYPE
    notes.append(
        f"定长记录 {usual} 字节，{len(body)} 条记录、{len(paths)} 个文件；字段边界按各字节列的统计推测（空格列、字符类别的变化、已知的代码形状），"
        f"请对照接口文档 / fixed-width records of {usual} bytes ({len(body)} records, {len(paths)} files); boundaries guessed from "
        "byte-column statistics (blank columns, changes of character class, known code shapes) — check them against the interface document"
    )
    sample = Sample(source, cols, notes)
    sample.fixed = (controls, per_file, enc.codec)
    return sample


def _reader_rows(path: Path, options: dict[str, Any], cap: int = SAMPLE_ROWS) -> tuple[list[Any], Any]:
    reader = all_readers().get_reader(options["format"])
    rows = []
    for row in reader.read(str(path), options):
        if "filtered" in row.extra or "reject" in row.extra:  # what the reader itself did not read
            continue
        rows.append(row)
        if len(rows) >= cap:
            break
    return rows, reader


def _columns(rows: list[Any]) -> list[Column]:
    names: list[str] = []
    for r in rows:
        for k in r.values:
            if k not in names:
                names.append(k)
    return [Column(n, [r.values.get(n) for r in rows]) for n in names]


def _with_hint(exc: JincaiError) -> JincaiError:
    exc.message_zh += "；可用 jincai adapter init --encoding GBK 声明"
    exc.message_en += "; give it with jincai adapter init --encoding GBK"
    return exc


def _dbf_sample(path: Path, encoding: str | None) -> Sample:
    options: dict[str, Any] = {"format": "dbf", **({"encoding": encoding} if encoding else {})}
    notes: list[str] = []
    try:
        rows, reader = _reader_rows(path, options)
    except JincaiError as exc:
        if encoding or exc.code not in ("adapter-undecodable-bytes", "adapter-unknown-encoding"):
            raise _with_hint(exc) if exc.code == "adapter-unknown-encoding" else exc
        # no code page in the header and bytes that are not ASCII: GBK is what these files hold
        try:
            rows, reader = _reader_rows(path, {**options, "encoding": "gbk"})
        except JincaiError:
            raise _with_hint(exc) from None
        encoding = "gbk"
        notes.append("表头未记录代码页，按 GBK 读取可解码——请核实 / the header records no code page; the text decodes as GBK — check")
    info = getattr(reader, "info", {}) or {}
    source: dict[str, Any] = {"format": "dbf"}
    if encoding:
        source["encoding"] = encoding
    elif info.get("encoding"):
        source["encoding"] = "gbk" if info["encoding"] == "gb18030" else info["encoding"]
    cols = _columns(rows)
    notes.insert(0, f"DBF：{info.get('records', len(rows))} 条记录，编码 {source.get('encoding')}（{info.get('encoding_how', '')}）/ DBF records and encoding")
    _mask_names(cols, notes)
    sample = Sample(source, cols, notes)
    if any(r.extra.get("deleted") for r in rows) or info.get("deleted"):
        sample.filters.append("deleted")
    return sample


def _xml_record(path: Path) -> str:
    """The repeating element: the tag path with the most elements that have children or attributes
    (the shallowest of equals, so a record's own sub-elements are not chosen)."""
    from defusedxml.ElementTree import iterparse

    with open(path, "rb") as fh:
        raw = fh.read(SNIFF_BYTES)
    # expat reads no multi-byte legacy encoding (GB2312 …): the text goes to it as UTF-8
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            break
    else:
        m = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", raw)
        codec = (m.group(1).decode("ascii") if m else "utf-8").lower()
        codec = "gb18030" if codec in ("gb2312", "gbk", "gb18030") else codec
    try:
        text = raw.decode(codec, errors="replace")
    except LookupError:
        raise JincaiError("adapter-unknown-encoding", f"XML 声明的编码 {codec} 未知", f"unknown encoding {codec} declared by the XML", str(path)) from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))
    counts: Counter = Counter()
    stack: list[str] = []
    seen = 0
    try:
        for event, el in iterparse(io.BytesIO(text.encode("utf-8")), events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                stack.append(tag)
                continue
            if len(el) or el.attrib:
                counts["/" + "/".join(stack)] += 1
            stack.pop()
            el.clear()
            seen += 1
            if seen > 200_000:
                break
    except Exception as exc:  # noqa: BLE001 - a sample cut short ends the count; anything else is the file's
        if not counts:
            raise JincaiError("adapter-sample-malformed", f"样例 XML 无法解析：{exc}", f"the sample XML cannot be parsed: {exc}", str(path)) from None
    repeated = [(n, p) for p, n in counts.items() if n > 1]
    if not repeated:
        raise JincaiError("adapter-sample-malformed", "样例 XML 中没有重复的元素", "the sample XML has no repeating element", str(path))
    n, p = max(repeated, key=lambda x: (x[0], -x[1].count("/")))
    return p


def _xml_sample(path: Path, encoding: str | None) -> Sample:
    record = _xml_record(path)
    source: dict[str, Any] = {"format": "xml", "record": record}
    if encoding:
        source["encoding"] = encoding
    rows, _ = _reader_rows(path, dict(source))
    cols = _columns(rows)
    notes = [f"重复元素 {record}（出现最多的有子元素的元素）/ the repeating element (the commonest element with children)"]
    _mask_names(cols, notes)
    return Sample(source, cols, notes)


def _sql_dialect(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    for codec in ("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", "gb18030"):
        try:
            text = head.decode(codec, errors="strict" if codec == "gb18030" else "ignore")
            break
        except UnicodeDecodeError:
            text = ""
    if re.search(r"\bVARCHAR2\b|\bto_date\s*\(|\bNUMBER\s*\(", text, re.I):
        return "oracle"
    if "`" in text or re.search(r"\bENGINE\s*=", text, re.I):
        return "mysql"
    return "tsql"


def _sql_sample(path: Path, encoding: str | None) -> Sample:
    dialect = _sql_dialect(path)
    options: dict[str, Any] = {"format": "sql_dump", "dialect": dialect, **({"encoding": encoding} if encoding else {})}
    by_table: dict[str, list[Any]] = {}
    reader = all_readers().get_reader("sql_dump")
    for row in reader.read(str(path), options):
        if "filtered" in row.extra or "reject" in row.extra:
            continue
        rows = by_table.setdefault(row.sheet, [])
        if len(rows) < SAMPLE_ROWS:
            rows.append(row)
    if not by_table:
        raise JincaiError("adapter-sample-empty", "SQL 脚本中没有数据行", "the SQL dump holds no rows", str(path))
    # the table whose columns an entity covers best is the draft's; the others are listed
    best = None
    for table, rows in by_table.items():
        cols = _columns(rows)
        for c in cols:
            propose(c)
        _, score, _ = rank_entities(cols)[0]
        if best is None or score > best[0]:
            best = (score, table, cols)
    _, table, cols = best
    source = {"format": "sql_dump", "dialect": dialect, "query": f"SELECT * FROM {table}"}
    if encoding:
        source["encoding"] = encoding
    notes = [
        f"方言 dialect：{dialect}（推测 guessed）；读取表 {table}（其列最能对上一个实体）/ reads the table whose columns fit an entity best",
        "其他表 other tables: " + ", ".join(f"{t} ({len(r)}+ 行 rows)" for t, r in by_table.items() if t != table)
        + " —— 需要时在 query 中连接（见 docs/adapters）/ join them in the query when needed",
    ]
    _mask_names(cols, notes)
    return Sample(source, cols, notes)


_LABEL = re.compile(r"([\u4e00-\u9fff]{2,6})\s*[:：]\s*(\S.*)")


def _excel_sample(path: Path) -> Sample:
    """Header below titles: the first row, within the first 30 of a sheet, with most of the widest
    row's cells filled and mostly text; a second header row when the next row is text only and fills
    columns the first leaves empty (merged cells over two levels). Sheets whose header is the same as
    the best one's are read too; the cells above the header that read ``标签：值`` become document values."""
    raw, _ = _reader_rows(path, {"format": "excel", "header": False, "sheets": "re:.*"}, cap=10**9)
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for r in raw:
        rows = sheets.setdefault(r.sheet, [])
        if len(rows) < 60:
            rows.append((r.row, r.values))
    found = {}
    for sheet, rows in sheets.items():
        filled = [{k: v for k, v in vals.items() if v is not None and v != ""} for _, vals in rows]
        widest = max((len(f) for f in filled), default=0)
        for i, f in enumerate(filled[:30]):
            texts = [v for v in f.values() if isinstance(v, str)]
            if widest >= 2 and len(f) >= max(2, 0.6 * widest) and len(texts) >= 0.8 * len(f):
                found[sheet] = (i, f, len(filled) - i - 1)
                break
    if not found:
        rows, _ = _reader_rows(path, {"format": "excel"})
        return Sample({"format": "excel"}, _columns(rows), ["找不到表头行，按第 1 行为表头 / no header row found: row 1 taken"])
    main = max(found, key=lambda s: found[s][2])
    i, header, _ = found[main]
    rows = sheets[main]
    header_row = rows[i][0]
    header_rows = 1
    if i + 1 < len(rows):
        nxt = {k: v for k, v in rows[i + 1][1].items() if v is not None and v != ""}
        if nxt and all(isinstance(v, str) for v in nxt.values()) and any(k not in header for k in nxt):
            header_rows = 2
    match = max((v for v in header.values() if isinstance(v, str)), key=len)
    same = [s for s in sheets if s in found and set(map(str, found[s][1].values())) == set(map(str, header.values()))]
    source: dict[str, Any] = {"format": "excel"}
    if same != [next(iter(sheets))]:
        source["sheets"] = same
    source["header_match"] = match
    if header_rows > 1:
        source["header_rows"] = header_rows
    document: dict[str, Any] = {}
    wan_yuan = False
    context = [*same]
    for number, vals in rows[:i]:
        for letter, v in vals.items():
            if not isinstance(v, str):
                continue
            context.append(v)
            m = _LABEL.fullmatch(v.strip())
            if m and m.group(1) not in document:
                document[m.group(1)] = {"label": m.group(1)}
                wan_yuan = wan_yuan or m.group(2).strip() == "万元"
            elif number == rows[0][0] and len(vals) == 1 and "标题" not in document:
                document["标题"] = {"cell": f"{letter}{number}"}
    opts = {k: v for k, v in source.items()}
    plain, _ = _reader_rows(path, opts)
    filled, _ = _reader_rows(path, {**opts, "fill_merged": True})
    count = lambda rs: sum(1 for r in rs for v in r.values.values() if v is not None and v != "")  # noqa: E731
    if count(filled) > count(plain):
        source["fill_merged"] = True
    if document:
        source["document"] = document
    # a row with one cell filled under a wider table is a note or a signature line (notes_below)
    table = [r for r in (filled if source.get("fill_merged") else plain) if sum(1 for v in r.values.values() if v not in (None, "")) > 1]
    cols = _columns(table)
    for c in cols:
        c.wan_yuan = wan_yuan
    notes = [
        f"工作表 sheets：{', '.join(same)}；表头在第 {header_row} 行（{header_rows} 行），由“{match}”找到 / header at row {header_row} "
        f"({header_rows} rows), found by {match!r}"
    ]
    if source.get("fill_merged"):
        notes.append("数据区有合并单元格：fill_merged 填入每一行 / merged cells in the data rows: fill_merged fills them in")
    if wan_yuan:
        notes.append("表上注明“单位：万元”：金额列用 wan_yuan / the sheet says its amounts are in 万元")
    _mask_names(cols, notes)
    return Sample(source, cols, notes, context=context)


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


@dataclass
class Target:
    entity: str
    cols: dict[str, Column]  # field → the column (settled for that field)
    when: dict[str, Any] | None = None


@dataclass
class Draft:
    """``adapter init``'s result: the YAML text and what it decided."""

    text: str
    entity: str | None  # None: not known (the candidates say which were close)
    confidence: float
    candidates: list[tuple[str, float]]


def _assign(cols: list[Column], names: set[str], taken: set[str] | None = None) -> dict[str, Column]:
    """Field → column for one entity: each column takes its first candidate the entity has and no
    surer column took; the surest columns choose first."""
    taken = set(taken or ())
    out: dict[str, Column] = {}
    for c in sorted(cols, key=lambda c: -c.confidence):
        for cand in c.candidates:
            if cand in names and cand not in taken:
                taken.add(cand)
                out[cand] = c
                break
    return out


def _settled(col: Column, target: str, names: set[str]) -> Column:
    c = replace(col, notes=list(col.notes), hints=[])
    settle(c, target, names)
    return c


def _money_texts(c: Column) -> list[Decimal | None]:
    implied = 2 if "implied_decimal" in c.transforms else 0
    return [decimal_of(v, implied) if isinstance(v, str) else (Decimal(str(v)) if isinstance(v, (int, Decimal)) else None) for v in c.values]


def _payroll_amounts(cols: list[Column], assigned: dict[str, Column], names: set[str]) -> None:
    """Three amount columns where one is the sum of the other two in every row: gross = deductions +
    net (the larger of the two, on average, is the net pay)."""
    want = ("gross_amt", "deduct_amt", "net_amt")
    if not set(want) <= names or any(f in assigned for f in want):
        return
    amounts = [c for c in cols if c not in assigned.values() and any(t in ("money", "wan_yuan", "implied_decimal") for t in c.transforms if isinstance(t, str))]
    vals = {id(c): _money_texts(c) for c in amounts}
    for g in amounts:
        for a in amounts:
            for b in amounts:
                if len({id(g), id(a), id(b)}) < 3 or id(a) > id(b):
                    continue
                rows = list(zip(vals[id(g)], vals[id(a)], vals[id(b)]))
                if rows and all(None not in r and r[0] == r[1] + r[2] for r in rows):
                    net, ded = (a, b) if sum(x[1] for x in rows) >= sum(x[2] for x in rows) else (b, a)
                    for fld, col in zip(want, (g, ded, net)):
                        col.candidates = (fld, *col.candidates)
                        col.confidence = 0.6
                        assigned[fld] = col
                        col.found.append("每行 应发 = 扣款 + 实发 / in every row gross = deductions + net")
                    return


def _fill_required(cols: list[Column], assigned: dict[str, Column], ent: Any) -> None:
    """A required field nothing maps, from a column nothing maps whose values all fit the field's
    pattern: a key field from a column of distinct values, any other from one with repeats."""
    std = standard()
    free = [c for c in cols if c not in assigned.values() and c.name != RECORD_TYPE and not any(
        isinstance(t, (str, dict)) and (t in ("money", "wan_yuan", "implied_decimal") or (isinstance(t, dict) and "date_format" in t)) for t in c.transforms)]
    for f in ent.fields:
        if not f.required or f.name in assigned or f.name in ("mof_div_code", "fiscal_year"):
            continue
        el = std.elements[f.name]
        if not el.pattern or el.type != "code":
            continue
        pat = re.compile(el.pattern)
        for c in free:
            texts = _texts(c.values)
            if not texts or not all(pat.fullmatch(v) for v in texts):
                continue
            distinct = len(set(texts)) == len(texts)
            if distinct != (f.name in ent.key):
                continue
            c.candidates = (f.name, *c.candidates)
            c.confidence = 0.3
            c.found.append(f"值符合 {f.name} 的格式{'且各不相同' if distinct else '且有重复'} / the values fit the field's pattern{' and are all different' if distinct else ' and repeat'}")
            assigned[f.name] = c
            free.remove(c)
            break


def _name_fixed(cols: list[Column], assigned: dict[str, Column]) -> None:
    """A fixed-width field is named after the element it is mapped to (字段N otherwise)."""
    std = standard()
    used: set[str] = {RECORD_TYPE}
    for f, c in assigned.items():
        nm = norm_name(std.elements[f].name_zh.split("（")[0])
        if c.name != RECORD_TYPE and nm and nm not in used and not any(x.name == nm for x in cols):
            c.name = nm
            used.add(nm)


def _finish_fixed(sample: Sample, cols: list[Column]) -> None:
    """Name the fixed-width fields after what they hold, lay out the control records, and propose
    the document values and trailer checks (see ``init_fixed``)."""
    std = standard()
    src = sample.source
    src["fields"] = [{"name": c.name, "start": c.width[0] + 1, "width": c.width[1]} for c in cols if c.width]
    controls, per_file, codec = sample.fixed
    if not controls:
        return
    by_span = {c.width: c for c in cols}
    text = lambda b: b.decode(codec, errors="replace").strip()  # noqa: E731
    document: dict[str, dict[str, str]] = {}
    src["control_records"] = {}
    for kind, ctl in controls.items():
        fields, names = [], set()
        for sp in ctl.spans:
            col = by_span.get(sp)
            vals = [text(v[sp]) for v in ctl.values]
            name = None
            if col is not None and col.name == RECORD_TYPE:
                name = RECORD_TYPE
            elif col is not None and col.name not in document and all(
                recs and {text(r[sp[0] : sp[0] + sp[1]]) for r in recs} == {v} for recs, v in zip(per_file, vals)
            ):
                name = col.name  # the same in every record of its file: the file's value
                document[name] = {"record": kind, "field": name}
                sample.doc_of[col.name] = name
            elif "笔数" not in document and all(re.fullmatch(r"[0-9]+", v) and int(v) == len(recs) for v, recs in zip(vals, per_file)):
                name = "笔数"
                document[name] = {"record": kind, "field": name}
                sample.controls.append({"count": name})
            else:
                for mc in cols:
                    el = std.elements.get(mc.target) if mc.target else None
                    if el is None or el.type != "money":
                        continue
                    implied = 2 if "implied_decimal" in mc.transforms else 0
                    sums = [sum((decimal_of(text(r[mc.width[0] : mc.width[0] + mc.width[1]]), implied) or Decimal(0)) for r in recs) for recs in per_file]
                    if all(decimal_of(v, implied) == s for v, s in zip(vals, sums)):
                        name = f"{mc.name}合计"
                        if name not in document:
                            document[name] = {"record": kind, "field": name}
                            sample.controls.append({"total": name, "field": mc.target})
                        break
            if name is None or name in names:
                name = f"{kind}字段{sp[0] + 1}"
            names.add(name)
            fields.append({"name": name, "start": sp[0] + 1, "width": sp[1]})
        src["control_records"][kind] = {"position": ctl.position, "fields": fields}
    if document:
        src["document"] = document


def _targets(sample: Sample, cols: list[Column], ent: Any) -> list[Target]:
    """The main target, split by classification when one code/name column holds two; and before it,
    the header entity the main one refers to, taken from each group's line 1, when the columns cover it."""
    std = standard()
    names = set(ent.field_names)
    assigned = _assign(cols, names)
    _payroll_amounts(cols, assigned, names)
    _fill_required(cols, assigned, ent)
    if sample.source.get("format") == "fixed_width":
        _name_fixed(cols, assigned)
    main = {f: _settled(c, f, names) for f, c in assigned.items()}
    for c in cols:  # what a column shows in the draft: its target for the main entity
        target = next((f for f, x in assigned.items() if x is c), None)
        settle(c, target if target else (c.candidates[0] if c.candidates else None), names)
        if target:
            c.hints = main[target].hints
    when = None
    if sample.source.get("record_type"):
        types = {v for c in cols if c.name == RECORD_TYPE for v in c.values}
        if len(types) == 1:
            when = {"column": RECORD_TYPE, "equals": next(iter(types))}
    targets = [Target(ent.id, main, when)]
    # one code/name column, two classifications (revenue 1…, expenditure 2…): a target for each
    for c in cols:
        if any(isinstance(t, dict) and "split_code_name" in t for t in c.value_guess[3]):
            firsts = sorted({m.group(1)[0] for v in _data_texts(c) if (m := re.match(r"[\[【]?([0-9]+)\s", v))})
            kinds = {"1": "rev_class_code", "2": "exp_func_code"}
            split = [(d, kinds[d]) for d in firsts if d in kinds and kinds[d] in names and (kinds[d] not in main or main[kinds[d]].name == c.name)]
            if len(split) >= 2:
                base = {f: x for f, x in main.items() if x.name != c.name}
                targets = [
                    Target(ent.id, {**base, fld: _settled(c, fld, names)}, {"column": c.name, "pattern": f"{d}[0-9].*"}) for d, fld in split
                ]
                break
    # the header entity, from line 1 of each group
    line = next((main[f] for f in ("line_no",) if f in main), None)
    for ref in getattr(ent, "references", []) or []:
        if ref.optional or line is None:
            continue
        parent = std.entity(ref.entity)
        pnames = set(parent.field_names)
        keys = {pf: main[cf] for cf, pf in ref.fields.items() if cf in main}
        rest = _assign([c for c in cols], pnames - set(keys), set(keys))
        if len(rest) >= 2:
            pcols = {**{f: _settled(c, f, pnames) for f, c in keys.items()}, **{f: _settled(c, f, pnames) for f, c in rest.items()}}
            targets.insert(0, Target(parent.id, pcols, {"column": line.name, "equals": "1"}))
        break
    return targets


def _constants(paths, sample: Sample, targets: list[Target], mapped: set[str], fields: set[str]) -> dict[str, tuple[Any, str]]:
    """Constants for what the columns do not give: the region (a placeholder), the year when the
    file names or titles say it, and each required code of a small code list whose name the titles
    say (月报 → the monthly report code). What stays unknown is ``null``: ``adapter check`` then asks
    for it with ``--set``, and the comment lists the codes."""
    from jincai.codelists import registry

    std = standard()
    context = [p.name for p in paths] + sample.context
    out: dict[str, tuple[Any, str]] = {}
    if "mof_div_code" in fields and "mof_div_code" not in mapped:
        out["mof_div_code"] = ("130000000", "TODO 待确认 / to decide: 本地的财政区划代码 the region")
    if "fiscal_year" in fields and "fiscal_year" not in mapped:
        years = sorted({m.group(1) for t in context for m in re.finditer(r"(?<![0-9])(20[0-9]{2})(?![0-9])", t)})
        if len(years) == 1:
            out["fiscal_year"] = (years[0], f"TODO 待确认 / to decide: 取自文件名或标题 from the file name or title (--set fiscal_year=… 覆盖 overrides)")
        else:
            out["fiscal_year"] = (None, "TODO 运行时给出 given at run time: --set fiscal_year=2024")
    for t in targets:
        for f in std.entity(t.entity).fields:
            if not f.required or f.name in mapped or f.name in out or f.name in ("mof_div_code", "fiscal_year"):
                continue
            el = f.element
            if not el.codelist or el.codelist not in registry():
                continue
            rows = list({r.code: r for r in registry().get(el.codelist)}.values())  # every year's codes
            if len(rows) > 12:
                continue
            said = [r for r in rows if any(r.name_zh in text for text in context)]
            options = "，".join(f"{r.code} {r.name_zh}" for r in rows[:8])
            if len(said) == 1:
                out[f.name] = (said[0].code, f"TODO 待确认 / to decide: 标题或文件名含“{said[0].name_zh}” the title or file name says so（{options}）")
            else:
                out[f.name] = (None, f"TODO 必填、文件中没有 required, not in the file: --set {f.name}=…（{options}）")
    return out


def _sample_of(paths: list[Path], fmt: str, encoding: str | None) -> Sample:
    if fmt == "text":
        return _text_sample(paths, encoding)
    if fmt == "dbf":
        return _dbf_sample(paths[0], encoding)
    if fmt == "xml":
        return _xml_sample(paths[0], encoding)
    if fmt == "sql_dump":
        return _sql_sample(paths[0], encoding)
    return _excel_sample(paths[0])


def draft(samples: list[str], entity: str | None = None, profile_id: str | None = None, encoding: str | None = None) -> Draft:
    """The draft profile (see the module docstring) and what it decided."""
    if not samples:
        raise JincaiError("adapter-usage", "至少需要一个样例文件", "give at least one sample file")
    paths = [Path(s) for s in samples]
    for p in paths:
        if not p.is_file():
            raise JincaiError("adapter-unreadable-file", f"样例文件不存在：{p}", f"no such sample file: {p}", str(p))
    if encoding is not None:
        from jincai.adapters.readers._common import normalize_encoding

        normalize_encoding(encoding, "--encoding")  # an unknown name is a usage error, said once
    # memo files (.FPT/.DBT) travel with their table; they are not samples of their own
    paths = [p for p in paths if p.suffix.lower() not in (".fpt", ".dbt")] or paths
    first = paths[0]
    with open(first, "rb") as fh:
        head = fh.read(8)
    fmt = _format_of(first, head)
    sample = _sample_of(paths, fmt, encoding)
    cols = sample.cols
    std = standard()
    if entity is not None:
        std.entity(entity)
    for c in cols:
        propose(c)
    ranking = rank_entities(cols)
    candidates = [(e, conf) for e, _, conf in ranking[:3]]
    if entity:
        chosen, conf, known = entity, 1.0, True
    else:
        chosen, _, conf = ranking[0]
        known = conf >= ENTITY_CONFIDENCE
    ent = std.entity(chosen)
    targets = _targets(sample, cols, ent)
    if sample.source.get("format") == "fixed_width":
        _finish_fixed(sample, cols)
    text = _write(paths, sample, cols, targets, entity, known, conf, candidates, profile_id)
    return Draft(text, chosen if known else None, conf, candidates)


def draft_profile(samples: list[str], entity: str | None = None, profile_id: str | None = None, encoding: str | None = None) -> str:
    """The draft profile as YAML text with ``# TODO`` comments (see the module docstring)."""
    return draft(samples, entity, profile_id, encoding).text


def _code_hint(fld: str, col: Column) -> list[str]:
    """A note when most of a code column's values are not codes of the field's code list: vendor
    codes (a ``map``) or old codes (a crosswalk)."""
    from jincai.codelists import registry

    el = standard().elements.get(fld)
    if el is None or not el.codelist or el.codelist not in registry() or any(isinstance(t, dict) and "split_code_name" in t for t in col.transforms):
        return []
    values = sorted(set(_data_texts(col)))
    if not values:
        return []
    codes = {r.code for r in registry().get(el.codelist)}
    unknown = [v for v in values if v not in codes]
    if len(unknown) <= len(values) / 2:
        return []
    shown = ", ".join(unknown[:8]) + (" …" if len(unknown) > 8 else "")
    return [f"多数值不是代码集 {el.codelist} 的代码（{shown}）：厂商私有代码写 map，旧代码写 crosswalk / most values are not codes of "
            f"{el.codelist}: vendor codes need a map, old codes a crosswalk"]


def _write(paths, sample: Sample, cols, targets: list[Target], entity, known: bool, conf: float, candidates, profile_id) -> str:
    std = standard()
    source = sample.source
    first = paths[0]
    pid = profile_id or re.sub(r"[^a-z0-9_]", "_", first.stem.lower()).strip("_") or "new_system"
    if not re.match(r"[a-z]", pid):
        pid = "p_" + pid
    shown_cands = "，".join(f"{e} ({c:.2f})" for e, c in candidates)
    out: list[str] = []
    w = out.append
    w(f"# 由 jincai adapter init 从 {', '.join(p.name for p in paths)} 起草——请逐项核对标记为 TODO 的内容。")
    w(f"# Drafted by jincai adapter init from {', '.join(p.name for p in paths)} — check every line marked TODO.")
    for n in sample.notes:
        w(f"# {_one_line(n)}")
    if not known:
        w(f"# TODO 实体未知：没有一个实体的把握达到 {ENTITY_CONFIDENCE:.2f}，请用 --entity 指定 / entity unknown: no entity reaches "
          f"confidence {ENTITY_CONFIDENCE:.2f}; give --entity. 候选 candidates: {shown_cands}")
    w(f"id: {pid}")
    w("name_zh: TODO 系统中文名称   # TODO 待确认 / to decide")
    w("name_en: TODO system name    # TODO 待确认 / to decide")
    w("system:")
    w("  vendor: TODO     # TODO 待确认 / to decide: 厂商 vendor")
    w("  product: TODO    # TODO 待确认 / to decide: 产品 product")
    w("source:")
    by_name = {c.name: c for c in cols}
    for k, v in source.items():
        if k == "query":
            w(f"  query: {_yaml_scalar(v)}   # TODO 待确认 / to decide: 需要连接其他表时改写 rewrite to join other tables")
        elif k == "fields":
            w("  fields:   # TODO 待确认 / to decide: 字段边界是推测的 the boundaries are a guess (start = byte position, from 1)")
            for f in v:
                c = by_name.get(f["name"])
                eg = _yaml_scalar(_sample(c, c.values[0]) if c is not None and c.values else "")
                w(f"    - {{name: {_yaml_scalar(f['name'])}, start: {f['start']}, width: {f['width']}}}   # 样例 e.g. {eg}")
        elif k == "control_records":
            w("  control_records:   # TODO 待确认 / to decide: 批头批尾记录，布局按明细的字段边界推测 control records, laid out on the details' boundaries")
            for kind, rec in v.items():
                w(f"    {_yaml_scalar(kind)}:")
                w(f"      position: {rec['position']}")
                w("      fields:")
                for f in rec["fields"]:
                    w(f"        - {{name: {_yaml_scalar(f['name'])}, start: {f['start']}, width: {f['width']}}}")
        elif k == "document":
            w("  document:   # 文件级的值，下文写作 _doc.<名称> / file-level values, _doc.<name> below")
            for name, spec in v.items():
                w(f"    {_yaml_scalar(name)}: {_yaml_scalar(spec)}")
        else:
            w(f"  {k}: {_yaml_scalar(v)}")
    mapped_anywhere = {f for t in targets for f in t.cols}
    all_fields = {f for t in targets for f in std.entity(t.entity).field_names}
    consts = _constants(paths, sample, targets, mapped_anywhere, all_fields)
    w("constants:" if consts else "constants: {}")
    for name, (value, remark) in consts.items():
        w(f"  {name}: {_yaml_scalar(value)}   # {_one_line(remark)}")
    w("filters:")
    fmt = source["format"]
    w("  - blank")
    if fmt in ("csv", "excel", "xlsx"):
        # labels the default pattern (合计… at the start) misses: 收入合计, 支出小计
        late = [c.shown or c.name for c in cols if any(_TOTAL_ROW.search(v) and not re.match(DEFAULT_SUBTOTAL_PATTERN, v) for v in _texts(c.values))]
        if late:
            w(f"  - {{kind: subtotal, columns: {_yaml_scalar(late)}, pattern: {_yaml_scalar(_TOTAL_ROW.pattern)}}}")
        w("  - subtotal")
        w("  - notes_below")
        w("  - header_repeat")
    for f in sample.filters:
        w(f"  - {f}")
    if sample.controls:
        w("controls:   # 批尾的笔数与合计，按文件核对 / the trailer's count and totals, checked per file")
        for ctl in sample.controls:
            w(f"  - {_yaml_scalar(ctl)}")
    w("targets:")
    shown_entities = set()
    for t in targets:
        ent = std.entity(t.entity)
        names = set(ent.field_names)
        if not known:
            w(f"  - entity: TODO   # TODO 实体未知 entity unknown — 最接近 closest: {t.entity}；候选 candidates: {shown_cands}")
        elif entity or t.entity in shown_entities:
            w(f"  - entity: {t.entity}")
        else:
            w(f"  - entity: {t.entity}   # TODO 待确认 / to decide: 按列覆盖推测 guessed from the columns (confidence {conf:.2f})")
        shown_entities.add(t.entity)
        if t.when:
            w(f"    when: {_yaml_scalar(t.when)}   # TODO 待确认 / to decide")
        w("    fields:")
        for f in ent.field_names:
            c = t.cols.get(f)
            if c is None:
                continue
            src_name = f"_doc.{sample.doc_of[c.name]}" if c.name in sample.doc_of else (c.shown or c.name)
            tr = [x for x in c.transforms if x != "trim"] if src_name.startswith("_doc.") else c.transforms
            line = f"      {f}: {{from: {_yaml_scalar(src_name)}, transform: {_transform_text(tr)}}}"
            remarks = [c.why] + c.found + c.notes + c.hints + _code_hint(f, c)
            if c.confidence < 0.8 or len(remarks) > 1:
                line += f"   # TODO 待确认 / to decide (confidence {c.confidence:.2f}): " + "；".join(_one_line(r) for r in remarks if r)
            else:
                line += f"   # {_one_line(c.why)} (confidence {c.confidence:.2f})"
            w(line)
        for f in ent.fields:
            if f.required and f.name not in t.cols and f.name not in ("mof_div_code", "fiscal_year") and f.name not in consts:
                w(f"      # {f.name}: {{from: TODO}}   # TODO 必填字段未映射 / required field not mapped: {f.element.name_zh} {f.element.name_en}")
    used = {id(c) for t in targets for c in t.cols.values()}
    used_names = {c.name for t in targets for c in t.cols.values()}
    unmapped = [c for c in cols if id(c) not in used and c.name not in used_names and c.name != RECORD_TYPE]
    if unmapped:
        w("    # 未映射的列 columns not mapped (TODO 待确认 / to decide):")
        for c in unmapped:
            sample_vals = ", ".join(_yaml_scalar(_sample(c, v)) for v in c.values[:3] if v not in (None, ""))
            hint = f" — 可能是 {c.target}? maybe {c.target}?" if c.target else ""
            hint += f" — {c.why}" if c.why else ""
            hint += f" — 建议转换 suggested transforms {_transform_text(c.transforms)}" if c.transforms and c.transforms != ["trim"] else ""
            w(f"    #   {_one_line(c.shown or c.name)}: 样例 e.g. {sample_vals}{_one_line(hint)}")
    return "\n".join(out) + "\n"
