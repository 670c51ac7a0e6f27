"""``adapter init``: what each column of a sample may be — candidate fields from its name
(``init_names``) and its values, the transforms they call for, the entity the columns fit — and
how sample values are shown (masked)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jincai import identifiers, masking
from jincai.adapters.init_fixed import implied_decimals
from jincai.adapters.init_names import by_name, unit_of
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
    lines: set[str] | None = None  # lines joined to their header: the lines' own columns …
    heads: set[str] | None = None  # … and the header's (the other columns are both's)
    group_first: dict[str, str] | None = None  # the ``when`` that picks each header's first line




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
