"""``jincai adapter init SAMPLE_FILE... [--entity E] [--encoding ENC]``: read legacy sample files and
draft a mapping profile that ``jincai adapter check`` accepts, every guess marked for a person.

What it does, in order:

1. **Format** from the file name and content: ``.dbf`` → ``dbf``, ``.xlsx``/``.xls`` → ``excel``,
   ``.xml`` → ``xml``, ``.sql`` → ``sql_dump``; other files are text: **encoding** decided over the
   whole file (UTF-8 if it all decodes strictly, else GB18030 — written as ``gbk``; ``--encoding``
   overrides), then **delimited** (a delimiter among ``, \t | ;`` that splits most lines into the same
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

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from jincai.adapters.init_fields import Column, ENTITY_CONFIDENCE, RECORD_TYPE, Sample, _TOTAL_ROW, _data_texts, _sample, _texts, propose, rank_entities, settle
from jincai.adapters.init_fixed import decimal_of
from jincai.adapters.init_names import norm_name
from jincai.adapters.init_samples import _dbf_sample, _excel_sample, _format_of, _sql_sample, _text_sample, _xml_sample
from jincai.adapters.init_samples import _fixed_layout  # noqa: F401 - callers of the one-module version
from jincai.adapters.profile import DEFAULT_SUBTOTAL_PATTERN
from jincai.errors import JincaiError
from jincai.standard import standard


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
        if ctl.length != src["record_length"]:
            src["control_records"][kind]["record_length"] = ctl.length
    if document:
        src["document"] = document


def _targets(sample: Sample, cols: list[Column], ent: Any) -> list[Target]:
    """The main target, split by classification when one code/name column holds two; and before it,
    the header entity the main one refers to, taken from each group's line 1, when the columns cover it."""
    std = standard()
    names = set(ent.field_names)
    own = [c for c in cols if not sample.heads or c.name not in sample.heads]  # a line entity's fields: not the header's
    assigned = _assign(own, names)
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
    first = sample.group_first or ({"column": line.name, "equals": "1"} if line is not None else None)
    for ref in getattr(ent, "references", []) or []:
        if ref.optional or first is None:
            continue
        parent = std.entity(ref.entity)
        pnames = set(parent.field_names)
        keys = {pf: main[cf] for cf, pf in ref.fields.items() if cf in main}
        # the header's own columns first (a joined header's, when the lines carry the same names prefixed)
        heads = [c for c in cols if not sample.lines or c.name not in sample.lines]
        rest = _assign(heads, pnames - set(keys), set(keys))
        if len(rest) >= 2:
            pcols = {**{f: _settled(c, f, pnames) for f, c in keys.items()}, **{f: _settled(c, f, pnames) for f, c in rest.items()}}
            targets.insert(0, Target(parent.id, pcols, first))
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
    ranking = rank_entities([c for c in cols if not sample.heads or c.name not in sample.heads])
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
    col_named = {c.name: c for c in cols}
    for k, v in source.items():
        if k == "query":
            w(f"  query: {_yaml_scalar(v)}   # TODO 待确认 / to decide: 需要连接其他表时改写 rewrite to join other tables")
        elif k == "fields":
            w("  fields:   # TODO 待确认 / to decide: 字段边界是推测的 the boundaries are a guess (start = byte position, from 1)")
            for f in v:
                c = col_named.get(f["name"])
                eg = _yaml_scalar(_sample(c, c.values[0]) if c is not None and c.values else "")
                w(f"    - {{name: {_yaml_scalar(f['name'])}, start: {f['start']}, width: {f['width']}}}   # 样例 e.g. {eg}")
        elif k == "control_records":
            w("  control_records:   # TODO 待确认 / to decide: 批头批尾记录，布局按明细的字段边界推测 control records, laid out on the details' boundaries")
            for kind, rec in v.items():
                w(f"    {_yaml_scalar(kind)}:")
                w(f"      position: {rec['position']}")
                if "record_length" in rec:
                    w(f"      record_length: {rec['record_length']}")
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
