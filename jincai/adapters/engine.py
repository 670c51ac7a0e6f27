"""Translate legacy files into canonical records with a mapping profile, losing nothing silently.

``translate(profile, inputs, out_dir, fmt)`` streams every input through its reader, then for each
row: the profile's filters (a filtered row is recorded with its reason), the targets (``when``,
``unpivot``), each field's source, transform chain, the final coercion to the element's canonical
Python type and the check against the standard's pydantic model; a row whose every record passes is
written, any other row is rejected as a whole with all its problems, so that the county fixes and
resubmits the row. Outputs in ``out_dir``:

* ``<entity>.jsonl`` (canonical JSON Lines, byte-identical to ``jincai.canonical.dumps_record``) or
  ``<entity>.avro`` (``jincai.avro_io`` schema and datum form);
* ``rejected.csv`` — UTF-8 with BOM (Excel opens it), one line per rejected row: 文件 file, 工作表
  sheet, 行号 row, 列 column, 原始值 raw value, 原因代码 reason code, 原因 reason (zh), reason (en),
  then the row's own columns, so the county can correct them and send the rows again; several
  problems of one row are joined with `` | `` in the first eight columns, in the same order.
  It holds the rejected rows' values unmasked (the county must see what to correct): it is
  sensitive, like the source files. Cells that a spreadsheet would take as a formula carry a
  leading ``'`` (``jincai.safe_output``; a value that itself starts with ``'`` gets one more), which
  ``safe_output.restore`` takes off again, so a corrected file round-trips exactly;
* ``ledger.json`` and ``ledger_rows.csv`` (see ``jincai.adapters.ledger``).

Memory stays flat as files grow: rows stream from the reader to the writers; rejected rows go to a
temporary file; only counts, totals and bounded value caches are kept.

Speed: each target's row function is generated Python (one ``try`` per field, no inner loops) and the
per-field checks use the model's own field types with a bounded cache of values already checked
(codes, regions, years and repeated amounts are checked once). The cache is only used when the model
has no model-level or field validators; otherwise each record goes through ``model_validate``.

A reader may attach to a row ``extra["reject"] = {"code", "zh", "en", "column", "raw"}`` (a record
of the wrong length, an undecodable byte) — the row is then rejected with that reason before any
filter sees it (values read from a damaged record cannot be trusted to say "not data"), except for
the codes in ``readers._batch.FILTERABLE_REJECTIONS`` (a CSV row with another number of cells, whose
cells are still readable: a filter may claim it first); with ``"money": True`` in it (a row the reader
read but rejects, e.g. one a SQL join dropped or doubled) the row still goes through the filters and
the transforms so that its money is booked to the ledger's rejected total. ``extra["filtered"] =
CODE``, a row the reader itself knows is not data (a fixed-width control record, an Excel sheet the
profile does not select, an XML element off the record path), is recorded as filtered with that code;
``extra["deleted"] = True`` (DBF), which the ``deleted`` filter uses; and ``extra["doc"]``, the
file's document values, which the profile reads as the pseudo-columns ``_doc.<name>``.

After each file: a file that gave no data row is the finding ``no-data-rows``, and the profile's
``controls`` (a trailer's count and total …) are checked against the file's rows (see
``jincai.adapters.ledger``); findings make ``translate`` exit 1.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable

from pydantic import TypeAdapter, ValidationError

from jincai import safe_output
from jincai.adapters import patterns
from jincai.adapters import transforms as T
from jincai.adapters.ledger import FileStats, Ledger, MoneyTally
from jincai.adapters.profile import (
    DOC_PREFIX,
    BlankFilter,
    Control,
    DeletedFilter,
    FieldMap,
    HeaderRepeatFilter,
    PSEUDO_COLUMNS,
    MatchFilter,
    NotesBelowFilter,
    Profile,
    SubtotalFilter,
    Target,
    all_readers,
    control_entity,
    derive_order,
    is_pseudo,
)
from jincai.adapters.readers import SourceRow
from jincai.adapters.readers._batch import FILTERABLE_REJECTIONS
from jincai.adapters.transforms import WS, Reject
from jincai.canonical import datetime_text
from jincai.models.types import is_identifier_check, without_identifier_checks
from jincai.errors import JincaiError
from jincai.standard import Element, Entity, Standard, standard

CACHE_LIMIT = 1 << 16
FLUSH_EVERY = 4096

# ---------------------------------------------------------------------------------------------
# final coercion to the element's canonical Python type
# ---------------------------------------------------------------------------------------------

_INT_TEXT = re.compile(r"\s*[+-]?[0-9]+\s*").fullmatch
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


def _type_reject(element: Element, value: Any, hint_zh: str = "", hint_en: str = "") -> Reject:
    return Reject(
        "value-type",
        f"{element.name_zh}：{type(value).__name__} 类型的值 {T._show(value)} 不能作为{_TYPE_ZH[element.type]}{hint_zh}",
        f"{element.name_en}: a {type(value).__name__} value {T._show(value)} cannot be a {element.type}{hint_en}",
    )


_TYPE_ZH = {"text": "文本", "code": "代码", "integer": "整数", "money": "金额", "decimal": "小数", "date": "日期", "datetime": "时间戳", "boolean": "布尔值"}


def finisher(element: Element) -> Callable[[Any], Any]:
    """The last step of every chain: the value as the canonical Python type of ``element``, an
    empty value as ``None`` (C06), or a ``Reject``. Never guesses: a float in a code field is only
    accepted when it is a whole number below 10^15 (exact in a double)."""
    kind = element.type
    empty_ok = element.empty_allowed

    if kind in ("code", "text"):

        def fin_str(v: Any) -> Any:
            if type(v) is str:
                return v if (v or empty_ok) else None
            if v is None:
                return None
            if type(v) is int:
                return str(v)
            if isinstance(v, float):
                if v == v and abs(v) < 1e15 and v == int(v):
                    return str(int(v))
                raise Reject(
                    "scientific-notation",
                    f"{element.name_zh}：值 {T._show(v)} 被 Excel 改成了科学计数法或小数，原值已丢失",
                    f"{element.name_en}: the value {T._show(v)} was mangled by Excel into scientific notation or a float; the original is lost",
                )
            if isinstance(v, Decimal) and v == v.to_integral_value() and v.as_tuple().exponent == 0:
                return str(v)
            raise _type_reject(element, v)

        return fin_str

    if kind == "integer":

        def fin_int(v: Any) -> Any:
            if type(v) is int:
                return v
            if v is None or v == "":
                return None
            if type(v) is str:
                if _INT_TEXT(v):
                    return int(v)
                zh, en = T._hint_fullwidth(v)
                raise Reject("integer-invalid", f"{element.name_zh}：{T._show(v)} 不是整数{zh}", f"{element.name_en}: {T._show(v)} is not an integer{en}")
            if isinstance(v, (float, Decimal)) and not isinstance(v, bool) and v == v and v == int(v):
                return int(v)
            raise _type_reject(element, v)

        return fin_int

    if kind in ("money", "decimal"):
        scale = element.effective_scale or 0
        quantum = Decimal(1).scaleb(-scale)
        money_fn = T.REGISTRY["money"].build(T.MoneyArgs(), T.BuildContext()) if kind == "money" else None

        def fin_dec(v: Any) -> Any:
            if type(v) is Decimal and v.as_tuple().exponent == -scale:
                return v
            if v is None or v == "":
                return None
            if money_fn is not None and type(v) is str:
                return money_fn(v)
            d = T._parse_decimal(v, element.id)
            try:
                q = d.quantize(quantum)
            except InvalidOperation:
                raise Reject("decimal-out-of-range", f"{element.name_zh}：{T._show(v)} 超出范围", f"{element.name_en}: {T._show(v)} is out of range") from None
            if q != d:
                raise Reject(
                    f"{'money' if kind == 'money' else 'decimal'}-too-many-decimals",
                    f"{element.name_zh}：{T._show(v)} 超过 {scale} 位小数（不做四舍五入）",
                    f"{element.name_en}: {T._show(v)} has more than {scale} decimals (never rounded)",
                )
            return q

        return fin_dec

    if kind == "date":

        def fin_date(v: Any) -> Any:
            if type(v) is date:
                return v
            if v is None or v == "":
                return None
            if isinstance(v, datetime):
                if v.time() == datetime.min.time() and v.tzinfo is None:
                    return v.date()
                raise Reject("date-has-time", f"{element.name_zh}：{v} 带有时间", f"{element.name_en}: {v} carries a time")
            if type(v) is str and _ISO_DATE(v.strip()):
                try:
                    return date.fromisoformat(v.strip())
                except ValueError:
                    raise Reject("date-not-in-calendar", f"{element.name_zh}：{v} 不是真实存在的日期", f"{element.name_en}: {v} is not a real calendar date") from None
            raise Reject(
                "date-invalid",
                f"{element.name_zh}：{T._show(v)} 不是 YYYY-MM-DD 日期（可用 date_format、chinese_date、excel_serial_date 转换）",
                f"{element.name_en}: {T._show(v)} is not a YYYY-MM-DD date (use date_format, chinese_date or excel_serial_date)",
            )

        return fin_date

    if kind == "datetime":
        from jincai.models.types import parse_datetime

        def fin_dt(v: Any) -> Any:
            if isinstance(v, datetime):
                if v.utcoffset() is None:
                    raise Reject("datetime-no-offset", f"{element.name_zh}：{v} 没有时区偏移（用 datetime_format 指定 offset）", f"{element.name_en}: {v} has no UTC offset (use datetime_format with an offset)")
                return v
            if v is None or v == "":
                return None
            if type(v) is str:
                try:
                    return parse_datetime(v.strip())
                except ValueError:
                    pass
            raise Reject("datetime-invalid", f"{element.name_zh}：{T._show(v)} 不是带时区的 RFC 3339 时间", f"{element.name_en}: {T._show(v)} is not an RFC 3339 datetime with an offset")

        return fin_dt

    def fin_bool(v: Any) -> Any:
        if type(v) is bool or v is None:
            return v
        if v == "":
            return None
        if type(v) is str and v.strip() in ("true", "false"):
            return v.strip() == "true"
        raise Reject("boolean-invalid", f"{element.name_zh}：{T._show(v)} 不是 true/false（可用 map 转换）", f"{element.name_en}: {T._show(v)} is not true/false (use map)")

    return fin_bool


# ---------------------------------------------------------------------------------------------
# checks against the model
# ---------------------------------------------------------------------------------------------

_PYDANTIC_ZH = {
    "string_pattern_mismatch": "不符合数据元的格式",
    "string_too_long": "超过最大长度",
    "string_too_short": "长度不足",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "less_than_equal": "超过最大值",
    "greater_than_equal": "小于最小值",
    "missing": "必填字段缺失",
}


def reject_from_validation(element: Element, exc: ValidationError) -> Reject:
    err = exc.errors(include_url=False)[0]
    code = err["type"]
    msg = str(err["msg"])
    if " / " in msg:
        zh, en = msg.split(" / ", 1)
    else:
        zh, en = _PYDANTIC_ZH.get(code, "不符合标准"), msg
    return Reject(code.replace("_", "-"), f"{element.name_zh}：{zh}", f"{element.name_en}: {en}")


class FieldCheck:
    """The model's own type for one field, with a bounded cache of values already checked."""

    def __init__(self, model: Any, name: str, element: Element, use_cache: bool = True):
        info = model.model_fields[name]
        # identifier check characters are validation's (ident.*), not translation's: see is_identifier_check
        meta = [m for m in info.metadata if not is_identifier_check(m)]
        base = without_identifier_checks(info.annotation)
        ann = Annotated[(base, *meta)] if meta else base
        self.validate = TypeAdapter(ann).validate_python
        self.element = element
        self.cache: dict[Any, Any] = {}
        self.use_cache = use_cache

    def __call__(self, v: Any) -> Any:
        cache = self.cache
        try:
            r = cache[v]
        except KeyError:
            try:
                r = self.validate(v)
            except ValidationError as exc:
                r = reject_from_validation(self.element, exc)
                r = (r.code, r.zh, r.en)
            if self.use_cache:
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[v] = r
        except TypeError:  # unhashable: no cache
            try:
                r = self.validate(v)
            except ValidationError as exc:
                raise reject_from_validation(self.element, exc) from None
        if r.__class__ is tuple:
            raise Reject(*r)
        return r


# ---------------------------------------------------------------------------------------------
# canonical JSON Lines, generated per entity
# ---------------------------------------------------------------------------------------------


def _json_value(v: Any) -> str:
    t = type(v)
    if t is str:
        return encode_basestring(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is Decimal:
        return '"' + format(v, "f") + '"'
    if t is date:
        return '"' + v.isoformat() + '"'
    if t is datetime:
        return '"' + datetime_text(v) + '"'  # the canonical text (C03)
    return json.dumps(v, ensure_ascii=False)


def compile_dumps(entity: Entity) -> Callable[[dict[str, Any]], str]:
    """``rec -> JSON line`` equal to ``jincai.canonical.dumps_record(entity, rec)`` for a checked
    record (fields in the entity's order, absent/None left out, no ASCII escaping, compact)."""
    lines = ["def dumps(rec):", "    parts = []"]
    enc_for = {"code": "E", "text": "E", "integer": "str", "money": "D", "decimal": "D", "date": "ISO", "datetime": "DT", "boolean": "B"}
    for f in entity.fields:
        key = json.dumps(f.name) + ":"
        fn = enc_for[f.element.type]
        lines.append(f"    v = rec.get({f.name!r})")
        lines.append("    if v is not None:")
        if fn == "D":
            lines.append(f"        parts.append({key + chr(34)!r} + format(v, 'f') + '\"')")
        elif fn == "ISO":
            lines.append(f"        parts.append({key + chr(34)!r} + v.isoformat() + '\"')")
        elif fn == "DT":
            lines.append(f"        parts.append({key + chr(34)!r} + DT(v) + '\"')")
        elif fn == "B":
            lines.append(f"        parts.append({key!r} + ('true' if v else 'false'))")
        else:
            lines.append(f"        parts.append({key!r} + {fn}(v))")
    lines.append("    return '{' + ','.join(parts) + '}'")
    ns: dict[str, Any] = {"E": encode_basestring, "DT": datetime_text}
    exec("\n".join(lines), ns)  # noqa: S102 - generated from the standard, not from input
    return ns["dumps"]


# ---------------------------------------------------------------------------------------------
# compiled targets
# ---------------------------------------------------------------------------------------------

_UNPARSED = object()


@dataclass
class FieldPlan:
    name: str
    element: Element
    required: bool
    column: str  # for the rejected-rows file: the source column(s) or "<const>" / "<derived>"
    cols: tuple[str, ...] | None  # source columns (None for const / derive)
    multi: bool
    chain: Callable[[Any], Any] | None
    finish: Callable[[Any], Any]
    check: Callable[[Any], Any]
    derive: tuple[str, ...] | None = None


@dataclass
class TargetPlan:
    target: Target
    entity: Entity
    fields: list[FieldPlan]
    consts: dict[str, Any]
    derived: list[FieldPlan]
    money: list[str]
    key: tuple[str, ...]
    run: Callable[[dict[str, Any], list, dict], dict[str, Any]] = None  # type: ignore[assignment]
    whole_model: Any = None  # model_validate per record when the model has its own validators
    when: Callable[[dict[str, Any]], bool] | None = None
    dumps: Callable[[dict[str, Any]], str] | None = None
    columns: set[str] = field(default_factory=set)


def cell_text(v: Any) -> str:
    """A cell's text form for comparisons (``when``, ``match`` filters): trimmed text;
    ``str(int)``; ``format(Decimal, "f")``; ``repr(float)`` without a trailing ``.0``; ISO dates."""
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v.strip(WS)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is Decimal:
        return format(v, "f")
    if t is float:
        r = repr(v)
        return r[:-2] if r.endswith(".0") else r
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v).strip(WS)


def _when(target: Target) -> Callable[[dict[str, Any]], bool] | None:
    w = target.when
    if w is None:
        return None
    col = w.column

    def text(values: dict[str, Any]) -> str:
        return cell_text(values.get(col))

    if w.equals is not None:
        eq = w.equals
        return lambda values: text(values) == eq
    if w.in_ is not None:
        allowed = frozenset(w.in_)
        return lambda values: text(values) in allowed
    whole = patterns.compile(w.pattern or "").matches_whole
    return lambda values: whole(text(values))


def _missing(fp: FieldPlan, raw: Any) -> tuple:
    return (fp.name, fp.column, raw, "missing", f"必填字段 {fp.name}（{fp.element.name_zh}）为空", f"required field {fp.name} ({fp.element.name_en}) is empty")


def _crash(fp: FieldPlan, raw: Any, exc: Exception) -> tuple:
    return (fp.name, fp.column, raw, "transform-failed", f"转换 {fp.name} 时出错：{type(exc).__name__}: {exc}", f"transforming {fp.name} failed: {type(exc).__name__}: {exc}")


def _generate_run(tp: TargetPlan) -> Callable:
    """Generate ``run(values, errs, money) -> rec`` for one target (see the module docstring)."""
    ns: dict[str, Any] = {"Reject": Reject, "_missing": _missing, "_crash": _crash, "UNPARSED": _UNPARSED}
    lines = ["def run(values, errs, money):", "    rec = dict(CONSTS)"]
    ns["CONSTS"] = tp.consts
    money = set(tp.money)

    def emit(i: int, fp: FieldPlan, raw_expr: str) -> None:
        ns[f"fp{i}"] = fp
        ns[f"ch{i}"] = fp.chain
        ns[f"fin{i}"] = fp.finish
        ns[f"chk{i}"] = fp.check
        is_money = fp.name in money
        lines.append(f"    raw = {raw_expr}")
        lines.append("    try:")
        lines.append(f"        v = fin{i}(ch{i}(raw))" if fp.chain else f"        v = fin{i}(raw)")
        if is_money:
            lines.append(f"        money[{fp.name!r}] = v")
        lines.append("        if v is None:")
        if fp.required:
            lines.append(f"            errs.append(_missing(fp{i}, raw))")
        else:
            lines.append("            pass")
        lines.append("        else:")
        lines.append(f"            rec[{fp.name!r}] = chk{i}(v)")
        lines.append("    except Reject as r:")
        if is_money:
            lines.append(f"        if {fp.name!r} not in money: money[{fp.name!r}] = UNPARSED")
        lines.append(f"        errs.append(({fp.name!r}, fp{i}.column, raw, r.code, r.zh, r.en))")
        lines.append("    except Exception as e:")
        if is_money:
            lines.append(f"        if {fp.name!r} not in money: money[{fp.name!r}] = UNPARSED")
        lines.append(f"        errs.append(_crash(fp{i}, raw, e))")

    for i, fp in enumerate(tp.fields):
        assert fp.cols is not None
        if fp.multi:
            raw = "(" + "".join(f"values.get({c!r}), " for c in fp.cols) + ")"
        else:
            raw = f"values.get({fp.cols[0]!r})"
        emit(i, fp, raw)
    base = len(tp.fields)
    for j, fp in enumerate(tp.derived):
        assert fp.derive is not None
        i = base + j
        ns[f"need{i}"] = fp.derive
        # a derived field whose input failed is skipped (the input's own problem is reported)
        lines.append(f"    if not errs or not any(e[0] in need{i} for e in errs):")
        before = len(lines)
        raw = "(" + "".join(f"rec.get({c!r}), " for c in fp.derive) + ")" if fp.multi else f"rec.get({fp.derive[0]!r})"
        emit(i, fp, raw)
        for k in range(before, len(lines)):
            lines[k] = "    " + lines[k]
    lines.append("    return rec")
    exec("\n".join(lines), ns)  # noqa: S102 - generated from the profile's structure, values are bound, not inlined
    return ns["run"]


def compile_target(target: Target, profile: Profile, std: Standard, ctx: T.BuildContext) -> TargetPlan:
    from jincai.models import model_for

    entity = std.entity(target.entity)
    model = model_for(entity.id)
    decorators = model.__pydantic_decorators__
    own_validators = bool(decorators.model_validators or decorators.field_validators or decorators.validators or decorators.root_validators)
    fields: list[FieldPlan] = []
    derived: list[FieldPlan] = []
    consts: dict[str, Any] = {}
    columns: set[str] = set()

    def plan(name: str, fm: FieldMap | None) -> FieldPlan:
        ef = entity.field(name)
        el = ef.element
        chain = T.compile_chain(fm.transform, dataclasses.replace(ctx, field=name)) if fm is not None else None
        check = FieldCheck(model, name, el)
        if fm is None or fm.const is not None:
            col = "<const>"
        elif fm.derive is not None:
            col = "<" + ",".join(fm.sources) + ">"
        else:
            col = " + ".join(fm.sources)
        return FieldPlan(
            name=name,
            element=el,
            required=ef.required,
            column=col,
            cols=tuple(fm.sources) if fm is not None and fm.from_ is not None else None,
            multi=fm.multi if fm is not None else False,
            chain=chain,
            finish=finisher(el),
            check=check,
            derive=tuple(fm.sources) if fm is not None and fm.derive is not None else None,
        )

    def constant(name: str, value: Any, fm: FieldMap | None, where: str) -> None:
        fp = plan(name, fm)
        try:
            v = fp.finish(fp.chain(value) if fp.chain else value)
            if v is None:
                if fp.required:
                    raise Reject("missing", "必填字段没有值", "required field has no value")
                return
            consts[name] = fp.check(v)
        except Reject as r:
            hint = (
                f"；可在命令行用 --set {name}=值 给出",
                f"; give it on the command line with --set {name}=VALUE",
            ) if where == "constants" else ("", "")
            raise JincaiError(
                "adapter-constant-invalid",
                f"{where}.{name} 的值 {value!r} 无效：{r.zh}{hint[0]}",
                f"{where}.{name}: the value {value!r} is not valid: {r.en}{hint[1]}",
                f"{where}.{name}",
            ) from None

    for name, fm in target.fields.items():
        assert isinstance(fm, FieldMap)
        if fm.const is not None:
            constant(name, fm.const, fm, f"targets[{entity.id}].fields")
        elif fm.derive is not None:
            continue
        else:
            fields.append(plan(name, fm))
            columns.update(fm.sources)
    for name in derive_order(target):
        derived.append(plan(name, target.field_map(name)))
    for name, value in profile.constants.items():
        if name in target.fields or name not in entity.field_names:
            continue
        constant(name, value, None, "constants")
    money = [f.name for f in entity.fields if f.element.type == "money" and (f.name in target.fields or f.name in consts)]
    tp = TargetPlan(target, entity, fields, consts, derived, money, tuple(entity.key), columns=columns)
    tp.run = _generate_run(tp)
    tp.when = _when(target)
    if own_validators:
        tp.whole_model = model
    if target.unpivot is not None:
        tp.columns -= {target.unpivot.key_as, target.unpivot.value_as}
    if target.when is not None:
        tp.columns.add(target.when.column)
    return tp


# ---------------------------------------------------------------------------------------------
# filters
# ---------------------------------------------------------------------------------------------


_ABSENT = object()
_PSEUDO_GET: dict[str, Callable[[SourceRow], Any]] = {
    "_file": lambda row: os.path.basename(row.file),
    "_sheet": lambda row: row.sheet,
    "_row": lambda row: row.row,
    "_query": lambda row: row.extra.get("query"),
}
assert set(_PSEUDO_GET) == set(PSEUDO_COLUMNS)


def pseudo_getter(name: str) -> Callable[[SourceRow], Any] | None:
    """How to read the pseudo-column ``name`` off a row (``None`` if it is not one)."""
    got = _PSEUDO_GET.get(name)
    if got is None and name.startswith(DOC_PREFIX):
        key = name[len(DOC_PREFIX) :]

        def got(row: SourceRow, key: str = key) -> Any:
            doc = row.extra.get("doc") if row.extra else None
            return doc.get(key) if doc else None

    return got


def pseudo_columns_used(profile: Profile) -> list[str]:
    """The pseudo-columns (``_file`` …, ``_doc.<name>``) a profile refers to in ``from``, ``when`` or filters."""
    used: set[str] = set()
    for t in profile.targets:
        for fm in t.fields.values():
            if isinstance(fm, FieldMap) and fm.from_ is not None:
                used.update(fm.sources)
        if t.when is not None:
            used.add(t.when.column)
    for f in profile.filter_list():
        for attr in ("column", "columns"):
            v = getattr(f, attr, None)
            if isinstance(v, str):
                used.add(v)
            elif isinstance(v, list):
                used.update(v)
    return sorted(c for c in used if is_pseudo(c))


def compile_filters(profile: Profile) -> list[tuple[Callable[[SourceRow, dict], bool], str, str, str]]:
    """``[(predicate(row, state), code, zh, en)]``; ``state`` is per (file, sheet)."""
    out = []
    for f in profile.filter_list():
        code, zh, en = f.reason()
        if isinstance(f, BlankFilter):

            def pred(row: SourceRow, state: dict) -> bool:
                for k, v in row.values.items():
                    if v is None or k in PSEUDO_COLUMNS:
                        continue
                    if type(v) is str:
                        if v.strip(WS):
                            return False
                    else:
                        return False
                return True

        elif isinstance(f, SubtotalFilter):
            rx = patterns.compile(f.pattern).found_in
            cols = f.columns
            getters = {c: pseudo_getter(c) for c in cols or () if is_pseudo(c)}

            def pred(row: SourceRow, state: dict, rx=rx, cols=cols, getters=getters) -> bool:
                vals = row.values
                cells = ((getters[c](row) if c in getters and c not in vals else vals.get(c)) for c in cols) if cols else (v for k, v in vals.items() if k not in PSEUDO_COLUMNS)
                for v in cells:
                    if type(v) is str and rx(v):
                        return True
                return False

        elif isinstance(f, NotesBelowFilter):
            rx = patterns.compile(f.pattern).found_in
            col = f.column
            getter = pseudo_getter(col) if col is not None and is_pseudo(col) else None

            def pred(row: SourceRow, state: dict, rx=rx, col=col, getter=getter) -> bool:
                if state.get("notes"):
                    return True
                if col is not None:
                    v = row.values.get(col, _ABSENT)
                    if v is _ABSENT:
                        v = getter(row) if getter is not None else None
                else:
                    v = next((x for k, x in row.values.items() if x is not None and k not in PSEUDO_COLUMNS and (type(x) is not str or x.strip(WS))), None)
                if isinstance(v, str) and rx(v):
                    state["notes"] = True
                    return True
                return False

        elif isinstance(f, HeaderRepeatFilter):
            need = f.min_cells

            def pred(row: SourceRow, state: dict, need=need) -> bool:
                same = 0
                for k, v in row.values.items():
                    if k in PSEUDO_COLUMNS or v is None or (type(v) is str and not v.strip(WS)):
                        continue
                    if type(v) is not str or v.strip(WS) != k:
                        return False
                    same += 1
                return same >= need

        elif isinstance(f, DeletedFilter):

            def pred(row: SourceRow, state: dict) -> bool:
                return bool(row.extra.get("deleted"))

        elif isinstance(f, MatchFilter):
            rx = patterns.compile(f.pattern)
            m = rx.matches_whole if f.fullmatch else rx.found_in
            col = f.column
            pseudo = pseudo_getter(col)

            def pred(row: SourceRow, state: dict, m=m, col=col, pseudo=pseudo) -> bool:
                v = row.values.get(col, _ABSENT)
                if v is _ABSENT:
                    v = pseudo(row) if pseudo is not None else None
                if v is None:
                    return False
                return m(v if type(v) is str else cell_text(v))

        else:  # pragma: no cover - the profile model admits no other kind
            raise AssertionError(f)
        out.append((pred, code, zh, en))
    return out


# ---------------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------------


class _JsonlWriter:
    def __init__(self, path: Path, entity: Entity):
        self.path = path
        self.tmp = path.with_name(path.name + ".part")
        self.fh = open(self.tmp, "wb")
        self.dumps = compile_dumps(entity)
        self.buf: list[str] = []
        self.count = 0

    def write(self, rec: dict[str, Any]) -> None:
        self.buf.append(self.dumps(rec))
        if len(self.buf) >= FLUSH_EVERY:
            self.flush()

    def write_lines(self, lines: Any) -> None:
        """A polars Series of ready JSON lines (the columnar path)."""
        self.flush()
        if len(lines):
            lines.to_frame().write_csv(self.fh, include_header=False, quote_style="never")
            self.count += len(lines)

    def flush(self) -> None:
        if self.buf:
            self.fh.write(("\n".join(self.buf) + "\n").encode("utf-8"))
            self.count += len(self.buf)
            self.buf.clear()

    def close(self, keep: bool) -> None:
        self.flush()
        self.fh.close()
        if keep:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


class _AvroWriter:
    def __init__(self, path: Path, entity: Entity):
        import fastavro.write

        from jincai.avro_io import avro_schema, to_datum

        self.path = path
        self.tmp = path.with_name(path.name + ".part")
        self.fh = open(self.tmp, "wb")
        self.entity = entity
        self.to_datum = to_datum
        self.writer = fastavro.write.Writer(self.fh, avro_schema(entity.id), codec="deflate")
        self.count = 0

    def write(self, rec: dict[str, Any]) -> None:
        self.writer.write(self.to_datum(self.entity, rec))
        self.count += 1

    def flush(self) -> None:
        pass

    def close(self, keep: bool) -> None:
        self.writer.flush()
        self.fh.close()
        if keep:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


REJECTED_HEADER = ["文件 file", "工作表 sheet", "行号 row", "列 column", "原始值 raw value", "原因代码 reason code", "原因 reason", "reason"]


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, tuple):
        return " + ".join("" if x is None else str(_plain(x)) for x in v)
    return str(v)


class _Rejections:
    """Rejected rows go to a temporary JSON Lines file while the run streams, and become
    ``rejected.csv`` (with the union of the rows' columns) at the end."""

    def __init__(self, out_dir: Path):
        self.tmp = out_dir / ".rejected.tmp.jsonl"
        self.fh = open(self.tmp, "w", encoding="utf-8")
        self.columns: dict[str, None] = {}
        self.count = 0

    def add(self, row: SourceRow, problems: list[tuple], added: tuple[str, ...] = ()) -> None:
        if added:
            row = SourceRow(row.file, row.row, {k: v for k, v in row.values.items() if k not in added}, row.sheet, row.byte_offset, row.extra)
        for k in row.values:
            if k not in self.columns:
                self.columns[k] = None
        obj = {
            "f": row.file,
            "s": row.sheet,
            "r": row.row,
            "p": [(p[1], _plain(p[2]), p[3], p[4], p[5]) for p in problems],
            "v": {k: _plain(v) for k, v in row.values.items()},
        }
        self.fh.write(json.dumps(obj, ensure_ascii=False))
        self.fh.write("\n")
        self.count += 1

    def finish(self, path: Path) -> None:
        self.fh.close()
        cols = list(self.columns)
        header = REJECTED_HEADER + [c if c not in REJECTED_HEADER else f"{c}（源）" for c in cols]
        # formula-like cells get a reversible quote prefix (jincai.safe_output): a resubmission
        # read with safe_output.read_rows gets every value back exactly
        with safe_output.open_csv(path) as out, open(self.tmp, encoding="utf-8") as src:
            w = safe_output.csv_writer(out)
            w.writerow(header)
            for line in src:
                o = json.loads(line)
                ps = o["p"]
                first = [
                    o["f"],
                    o["s"] or "",
                    o["r"],
                    " | ".join(str(p[0]) for p in ps),
                    " | ".join("" if p[1] is None else str(p[1]) for p in ps),
                    " | ".join(p[2] for p in ps),
                    " | ".join(p[3] for p in ps),
                    " | ".join(p[4] for p in ps),
                ]
                vals = o["v"]
                w.writerow(first + ["" if vals.get(c) is None else vals.get(c) for c in cols])
        self.tmp.unlink()

    def abort(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------


def _check_columns(path: str, sheet: str | None, values: dict[str, Any], plans: list[TargetPlan], unpivots: dict[int, list]) -> None:
    have = set(values) | set(PSEUDO_COLUMNS)  # the engine supplies those
    missing: list[str] = []
    for i, tp in enumerate(plans):
        need = set(tp.columns)
        if tp.target.unpivot is not None:
            cols = unpivots.get(i) or []
            if not cols:
                u = tp.target.unpivot
                raise JincaiError(
                    "adapter-column-missing",
                    f"{path}{'/' + sheet if sheet else ''}：没有要展开（unpivot）的列（{u.pattern or u.columns}）",
                    f"{path}{'/' + sheet if sheet else ''}: no column to unpivot ({u.pattern or u.columns})",
                    path,
                )
            need |= {c for _, m in cols for c in m.values()}
        missing += sorted(c for c in need - have if not is_pseudo(c))
    if missing:
        shown = "、".join(list(values)[:60])
        raise JincaiError(
            "adapter-column-missing",
            f"{path}{'/' + sheet if sheet else ''}：缺少配置引用的列 {'、'.join(dict.fromkeys(missing))}（文件中的列：{shown}）",
            f"{path}{'/' + sheet if sheet else ''}: the columns {', '.join(dict.fromkeys(missing))} used by the profile are missing (the file has: {shown})",
            path,
            {"missing": list(dict.fromkeys(missing))},
        )


def check_document(path: str, sheet: str | None, doc: dict[str, Any] | None, pseudo: list[str]) -> None:
    """A document value the profile uses (``_doc.<name>``) that the file lacks is a file-level error
    (the readers raise it themselves where they can say more about where it should have been)."""
    missing = [n for n in pseudo if n.startswith(DOC_PREFIX) and n[len(DOC_PREFIX) :] not in (doc or {})]
    if missing:
        where = f"{path}{'/' + sheet if sheet else ''}"
        raise JincaiError(
            "adapter-document-missing",
            f"{where}：文件没有配置使用的文件级值 {'、'.join(missing)}",
            f"{where}: the file lacks the document values {', '.join(missing)} the profile uses",
            where,
            {"missing": missing},
        )


def prepare(profile: Profile, sets: dict[str, str] | None = None) -> tuple[list[TargetPlan], list]:
    """Compile a profile: target plans and filters (``JincaiError`` for invalid constants)."""
    std = standard()
    if sets:
        fields = {f for t in profile.targets for f in std.entity(t.entity).field_names}
        unknown = sorted(k for k in sets if k not in fields)
        if unknown:
            raise JincaiError(
                "adapter-usage",
                f"--set 的 {'、'.join(unknown)} 不是任何目标实体的字段",
                f"--set {', '.join(unknown)}: not a field of any target entity",
                "--set",
            )
        profile = profile.with_constants(sets)
    ctx = T.BuildContext(crosswalks=profile.crosswalk_tables(), profile_dir=profile.base_dir)
    plans = [compile_target(t, profile, std, ctx) for t in profile.targets]
    return plans, compile_filters(profile)


def translate(
    profile: Profile,
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    fmt: str = "jsonl",
    *,
    sets: dict[str, str] | None = None,
    trail: bool = True,
    workers: int | None = None,
) -> Ledger:
    """Translate ``inputs`` with ``profile`` into ``out_dir`` (see the module docstring).

    ``workers``: files translated at the same time, each in its own process, merged in file order
    into exactly what one process writes (``jincai.adapters.parallel``). ``None``: the
    ``JINCAI_TRANSLATE_WORKERS`` setting, else one per core when there are several JSON Lines
    outputs to make from at least 64 MiB of input (below that, starting processes costs more)."""
    if fmt not in ("jsonl", "avro"):
        raise JincaiError("adapter-usage", f"未知的输出格式 {fmt}（jsonl 或 avro）", f"unknown output format {fmt} (jsonl or avro)")
    inputs = [str(p) for p in inputs]
    seen: dict[str, str] = {}
    for p in inputs:
        if not os.path.isfile(p):
            raise JincaiError("adapter-unreadable-file", f"输入文件不存在：{p}", f"no such input file: {p}", p)
        real = os.path.realpath(p)
        if real in seen:  # its rows would be translated twice, and their ledger lines would not be told apart
            raise JincaiError("adapter-usage", f"同一输入文件给了两次：{seen[real]}、{p}", f"the same input file is given twice: {seen[real]}, {p}", p)
        seen[real] = p
    plans, filters = prepare(profile, sets)
    controls = compile_controls(profile)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_workers = _workers(workers, inputs, fmt)

    ledger = new_ledger(profile, plans, fmt)
    writers = open_writers(plans, out, fmt)
    rejections = _Rejections(out)
    if trail:
        ledger.open_trail(out / "ledger_rows.csv")
    ok = False
    try:
        if n_workers > 1:
            from jincai.adapters import parallel

            parallel.translate_files(profile, inputs, sets, trail, n_workers, out, writers, rejections, ledger)
        else:
            for path in inputs:
                _translate_file(profile, path, plans, filters, writers, rejections, ledger, controls)
        ok = True
    finally:
        for w in writers.values():
            w.close(ok)
        ledger.close_trail()
        if ok:
            rejections.finish(out / "rejected.csv")
        else:
            rejections.abort()
            (out / "ledger_rows.csv").unlink(missing_ok=True)
    for entity_id, w in writers.items():
        ledger.records_written[entity_id] += w.count
        ledger.outputs[entity_id] = str(w.path)
    ledger.outputs["rejected"] = str(out / "rejected.csv")
    if trail:
        ledger.outputs["ledger_rows"] = str(out / "ledger_rows.csv")
    ledger.outputs["ledger"] = str(out / "ledger.json")
    ledger.write(out / "ledger.json")
    return ledger


PARALLEL_MIN_BYTES = 64 << 20  # inputs smaller than this together: one process (a worker's start-up ≈ 1 s)


def _workers(workers: int | None, inputs: list[str], fmt: str) -> int:
    if workers is None:
        env = os.environ.get("JINCAI_TRANSLATE_WORKERS")
        if env:
            try:
                workers = int(env)
            except ValueError:
                raise JincaiError("adapter-usage", f"JINCAI_TRANSLATE_WORKERS 应为正整数，实为 {env!r}", f"JINCAI_TRANSLATE_WORKERS must be a positive integer, got {env!r}") from None
        elif sum(os.path.getsize(p) for p in inputs) >= PARALLEL_MIN_BYTES:
            workers = os.cpu_count() or 1
        else:
            workers = 1
    if workers < 1:
        raise JincaiError("adapter-usage", f"并行数应为正整数，实为 {workers}", f"workers must be a positive integer, got {workers}")
    # Avro container files cannot be joined by bytes: one process writes them
    return min(workers, len(inputs)) if fmt == "jsonl" else 1


def new_ledger(profile: Profile, plans: list[TargetPlan], fmt: str) -> Ledger:
    """An empty ledger with a money tally for every money field the targets write."""
    ledger = Ledger(profile.id, fmt)
    for tp in plans:
        for name in tp.money:
            key = (tp.entity.id, name)
            if key not in ledger.money:
                ledger.money[key] = MoneyTally(tp.entity.id, name, tp.entity.field(name).element.name_zh)
    return ledger


def open_writers(plans: list[TargetPlan], out: Path, fmt: str) -> dict[str, Any]:
    writers: dict[str, Any] = {}
    for tp in plans:
        if tp.entity.id not in writers:
            path = out / f"{tp.entity.id}.{fmt}"
            writers[tp.entity.id] = _JsonlWriter(path, tp.entity) if fmt == "jsonl" else _AvroWriter(path, tp.entity)
    return writers


def _row_outcome(row: SourceRow, plans: list[TargetPlan], tallies: list, rejections: _Rejections, ledger: Ledger, lines: dict, pseudo: list[str]) -> tuple[str, str]:
    """The row path for one row that passed the filters (used by the columnar path for the rows it
    does not translate itself): ``("rejected", codes)`` after recording the rejection, or
    ``("translated", "")`` with the records' (target index, JSON line, key) put in ``lines[row.row]``."""
    values = row.values
    rj = row.extra.get("reject") if row.extra else None
    reason_text = ledger.reason_text
    if rj is not None:
        ledger.rejected_by_reason[rj["code"]] += 1
        if rj["code"] not in reason_text:
            reason_text[rj["code"]] = T.REASONS.get(rj["code"]) or (rj["zh"], rj["en"])
        rejections.add(row, [(rj.get("column"), rj.get("column") or "", rj.get("raw"), rj["code"], rj["zh"], rj["en"])])
        for tl in tallies:
            for _, tally in tl:
                tally.unparsed_rejected += 1
        return "rejected", rj["code"]
    added = tuple(name for name in pseudo if name not in values)
    for name in added:
        values[name] = pseudo_getter(name)(row)  # type: ignore[misc]
    errs: list[tuple] = []
    outcomes = []
    for i, tp in enumerate(plans):
        if tp.when is not None and not tp.when(values):
            continue
        money: dict[str, Any] = {}
        rec = tp.run(values, errs, money)
        outcomes.append((i, rec, money))
    if not outcomes and not errs:
        errs.append((None, "", None, "no-target", "没有任何目标（targets 的 when）接受这一行", "no target (targets' when) accepts this row"))
    if not errs:
        for i, rec, money in outcomes:
            tp = plans[i]
            if tp.dumps is None:
                tp.dumps = compile_dumps(tp.entity)
            lines.setdefault(row.row, []).append((i, tp.dumps(rec), "|".join([str(rec[k]) for k in tp.key])))
            for name, tally in tallies[i]:
                v = money.get(name, rec.get(name))
                if v is None:
                    tally.empty += 1
                    continue
                tally.source += v
                tally.translated += rec[name]
        return "translated", ""
    codes = _record_rejection(row, errs, added, outcomes, tallies, rejections, ledger)
    return "rejected", " | ".join(codes)


def _record_rejection(row: SourceRow, errs: list[tuple], added: tuple, outcomes: list, tallies: list, rejections: _Rejections, ledger: Ledger) -> list[str]:
    """Book a rejected row: its reason codes, its rejected-rows entry and its money (shared by both paths)."""
    codes: list[str] = []
    for e in errs:
        if e[3] not in codes:
            codes.append(e[3])
            ledger.rejected_by_reason[e[3]] += 1
            if e[3] not in ledger.reason_text:
                ledger.reason_text[e[3]] = T.REASONS.get(e[3]) or (e[4], e[5])
    rejections.add(row, errs, added)
    for i, rec, money in outcomes:
        for name, tally in tallies[i]:
            v = money.get(name, rec.get(name))
            if v is _UNPARSED:
                tally.unparsed_rejected += 1
            elif v is None:
                tally.empty += 1
            else:
                tally.source += v
                tally.rejected += v
    return codes


def compile_controls(profile: Profile) -> list[tuple[Control, str | None, Callable[[Any], Any]]]:
    """``[(control, entity, reader of the stated value)]``: the stated value goes through the
    control's chain (default ``integer`` for a count, ``money`` for a total)."""
    ctx = T.BuildContext(profile_dir=profile.base_dir)
    out = []
    for c in profile.controls:
        chain = T.compile_chain(c.transform or (["integer"] if c.kind == "count" else ["money"]), ctx)
        assert chain is not None
        out.append((c, control_entity(profile, c), chain))
    return out


def _translate_file(profile: Profile, path: str, plans: list[TargetPlan], filters: list, writers: dict, rejections: _Rejections, ledger: Ledger, controls: list | None = None) -> None:
    """One file through the columnar or the row path, then its findings."""
    reader = all_readers().get_reader(profile.source.format)
    before = {k: (t.source, t.translated, t.rejected, t.unparsed_rejected) for k, t in ledger.money.items()}
    from jincai.adapters import columnar

    why = columnar.ineligible(profile, plans, reader, ledger.output_format)
    if why is None:
        ledger.paths[path] = "columnar"
        columnar.translate_file(__import__(__name__, fromlist=["_"]), profile, path, reader, plans, writers, rejections, ledger)
    else:
        ledger.paths[path] = f"rows ({why})"
        _translate_rows(profile, path, reader, plans, filters, writers, rejections, ledger)
    stats = ledger.files[path]
    doc = (getattr(reader, "info", None) or {}).get("document")
    stats.document = dict(doc) if isinstance(doc, dict) else {}
    _file_findings(path, stats, ledger, controls or [], before)


def _file_findings(path: str, stats: FileStats, ledger: Ledger, controls: list, before: dict) -> None:
    """``no-data-rows`` and the profile's controls for one translated file (see ``ledger``)."""
    rows = stats.translated + stats.rejected
    if rows == 0:
        ledger.finding(
            "no-data-rows",
            path,
            f"文件没有任何数据行（空文件、只有表头，或所有行都被过滤：{stats.filtered} 行）",
            f"the file has no data row (empty, header only, or every row filtered: {stats.filtered})",
            {"filtered": stats.filtered},
        )
        return
    for c, entity, read in controls:
        name = c.document
        result: dict[str, Any] = {"file": path, "kind": c.kind, "document": name, "entity": entity, "field": c.field}
        stated = stats.document.get(name)
        try:
            if stated is None:
                raise Reject("control-value-invalid", "文件没有这个值", "the file does not have this value")
            expected = read(stated)
            if c.kind == "count" and type(expected) is not int:
                raise Reject("control-value-invalid", f"{T._show(stated)} 不是整数", f"{T._show(stated)} is not an integer")
            if c.kind == "total" and type(expected) is not Decimal:
                raise Reject("control-value-invalid", f"{T._show(stated)} 不是金额", f"{T._show(stated)} is not an amount")
        except Reject as r:
            result.update(expected=stated, actual="", ok=False, code="control-value-invalid")
            ledger.controls.append(result)
            ledger.finding(
                "control-value-invalid",
                path,
                f"控制数 {name}（{c.kind}）读不出来：{r.zh}",
                f"the stated {c.kind} {name} cannot be read: {r.en}",
                {"document": name, "value": stated},
            )
            continue
        if c.kind == "count":
            actual: Any = rows
            result.update(expected=expected, actual=actual, translated=stats.translated, rejected=stats.rejected)
            ok, code = expected == actual, "control-count-mismatch"
            zh = f"文件所载笔数 {name} = {expected}，文件的数据行为 {actual}（转换 {stats.translated} + 拒绝 {stats.rejected}）"
            en = f"the file states {name} = {expected} rows, it has {actual} data rows (translated {stats.translated} + rejected {stats.rejected})"
        else:
            tally = ledger.money[(entity, c.field)]
            b = before.get((entity, c.field), (Decimal(0), Decimal(0), Decimal(0), 0))
            actual = tally.source - b[0]
            unparsed = tally.unparsed_rejected - b[3]
            result.update(expected=format(expected, "f"), actual=format(actual, "f"), translated=format(tally.translated - b[1], "f"),
                          rejected=format(tally.rejected - b[2], "f"), rejected_unparsed_rows=unparsed)
            if unparsed:
                ok, code = False, "control-total-unverifiable"
                zh = f"文件所载合计 {name} = {expected}；有 {unparsed} 个拒绝行的 {c.field} 无法解析，无法核对（可解析部分合计 {actual}）"
                en = f"the file states {name} = {expected}; {unparsed} rejected rows have an unparseable {c.field}, so it cannot be checked (the parseable rows total {actual})"
            else:
                ok, code = expected == actual, "control-total-mismatch"
                zh = f"文件所载合计 {name} = {expected}，文件数据行的 {entity}.{c.field} 合计为 {actual}（差 {actual - expected}）"
                en = f"the file states {name} = {expected}, its data rows' {entity}.{c.field} total {actual} (difference {actual - expected})"
        result.update(ok=ok, code="" if ok else code)
        ledger.controls.append(result)
        if not ok:
            ledger.finding(code, path, zh, en, {"document": name, "expected": str(result["expected"]), "actual": str(result["actual"])})


def _translate_rows(profile: Profile, path: str, reader: Any, plans: list[TargetPlan], filters: list, writers: dict, rejections: _Rejections, ledger: Ledger) -> None:
    """The row path: every row through the filters and the generated target functions."""
    stats = FileStats(path)
    ledger.files[path] = stats
    options = profile.source.options()
    reason_text = ledger.reason_text
    for _, code, zh, en in filters:
        reason_text[code] = (zh, en)
    filtered_by = ledger.filtered_by_reason
    rejected_by = ledger.rejected_by_reason
    from_rows = ledger.records_from_rows
    tallies = [[(name, ledger.money[(tp.entity.id, name)]) for name in tp.money] for tp in plans]
    single = len(plans) == 1 and plans[0].target.unpivot is None and plans[0].when is None and plans[0].whole_model is None
    trail_buf: list[tuple] = []
    trail_on = ledger._trail is not None
    states: dict[Any, dict] = {}
    seen_layout: set[Any] = set()
    unpivots: dict[Any, dict[int, list]] = {}
    n_source = n_translated = n_rejected = n_filtered = 0
    pseudo = pseudo_columns_used(profile)
    getters = {name: pseudo_getter(name) for name in pseudo}

    def reader_reject(row: SourceRow, rj: dict) -> None:
        code = rj["code"]
        rejected_by[code] += 1
        if code not in reason_text:
            reason_text[code] = T.REASONS.get(code) or (rj["zh"], rj["en"])
        rejections.add(row, [(rj.get("column"), rj.get("column") or "", rj.get("raw"), code, rj["zh"], rj["en"])])
        for tl in tallies:
            for _, tally in tl:
                tally.unparsed_rejected += 1
        if trail_on:
            trail_buf.append((path, row.sheet or "", row.row, "rejected", "", "", code, 0, row.byte_offset))

    if single:
        tp0 = plans[0]
        run0 = tp0.run
        write0 = writers[tp0.entity.id].write
        key0 = tp0.key
        money0 = tallies[0]
        entity0 = tp0.entity.id

    for row in reader.read(path, options):
        n_source += 1
        values = row.values
        extra = row.extra
        # ---- what the reader could not read, or knows is not data ----
        rj = None
        held = None  # the reader read the row but rejects it (a SQL join dropped or doubled it): its money is still booked
        if extra:
            rj = extra.get("reject")
            if rj is not None and rj.get("money"):
                held = (rj.get("column"), rj.get("column") or "", rj.get("raw"), rj["code"], rj["zh"], rj["en"])
                rj = None
            elif rj is not None and rj["code"] not in FILTERABLE_REJECTIONS:
                n_rejected += 1
                reader_reject(row, rj)
                continue
            hit = extra.get("filtered")
            if hit is not None:
                n_filtered += 1
                filtered_by[hit] += 1
                if hit not in reason_text:
                    reason_text[hit] = T.REASONS.get(hit) or (hit, hit)
                if trail_on:
                    trail_buf.append((path, row.sheet or "", row.row, "filtered", "", "", hit, 0, row.byte_offset))
                continue
        # ---- filters ----
        if filters:
            skey = row.sheet
            state = states.get(skey)
            if state is None:
                state = states[skey] = {}
            hit = None
            for pred, code, zh, en in filters:
                if pred(row, state):
                    hit = code
                    break
            if hit is not None:
                n_filtered += 1
                filtered_by[hit] += 1
                if trail_on:
                    trail_buf.append((path, row.sheet or "", row.row, "filtered", "", "", hit, 0, row.byte_offset))
                continue
        if rj is not None:  # a filterable rejection no filter claimed
            n_rejected += 1
            reader_reject(row, rj)
            continue
        added: tuple[str, ...] = ()
        if pseudo:
            added = tuple(name for name in pseudo if name not in values)
            for name in added:
                values[name] = getters[name](row)  # type: ignore[misc]
        layout = row.sheet
        if layout not in seen_layout:
            seen_layout.add(layout)
            if getters:
                check_document(path, row.sheet, row.extra.get("doc") if row.extra else None, pseudo)
            ups = {i: tp.target.unpivot.resolve(values) for i, tp in enumerate(plans) if tp.target.unpivot is not None}
            unpivots[layout] = ups
            _check_columns(path, row.sheet, values, plans, ups)
        # ---- translate ----
        errs: list[tuple] = []
        if single:
            money: dict[str, Any] = {}
            rec = run0(values, errs, money)
            if not errs and held is None:
                write0(rec)
                n_translated += 1
                from_rows[entity0] += 1
                for name, tally in money0:
                    v = money.get(name)
                    if v is None:
                        v = rec.get(name)
                        if v is None:
                            tally.empty += 1
                            continue
                    tally.source += v
                    tally.translated += rec[name]
                if trail_on:
                    trail_buf.append((path, row.sheet or "", row.row, "translated", entity0, "|".join([str(rec[k]) for k in key0]), "", 1, row.byte_offset))
                    if len(trail_buf) >= FLUSH_EVERY:
                        ledger.trail_many(trail_buf)
                        trail_buf.clear()
                continue
            outcomes = [(0, rec, money)]
        else:
            outcomes = []
            for i, tp in enumerate(plans):
                if tp.when is not None and not tp.when(values):
                    continue
                if tp.target.unpivot is None:
                    money = {}
                    rec = tp.run(values, errs, money)
                    outcomes.append((i, rec, money))
                    continue
                u = tp.target.unpivot
                for key, cols in unpivots[layout][i]:
                    cells = {pseudo: values.get(col) for pseudo, col in cols.items()}
                    if u.skip_blank and all(c is None or (isinstance(c, str) and not c.strip()) for c in cells.values()):
                        ledger.unpivot_blank_cells += 1
                        continue
                    v2 = dict(values)
                    v2[u.key_as] = key
                    v2.update(cells)
                    money = {}
                    n_before = len(errs)
                    rec = tp.run(v2, errs, money)
                    for k in range(n_before, len(errs)):
                        e = errs[k]
                        col_label = e[1]
                        for pseudo, col in cols.items():
                            if pseudo and pseudo in col_label.split(" + "):
                                col_label = " + ".join(col if p == pseudo else p for p in col_label.split(" + "))
                        if u.key_as in col_label.split(" + "):
                            col_label = col_label + f"（{u.key_as}={key}）"
                        errs[k] = (e[0], col_label, *e[2:])
                    outcomes.append((i, rec, money))
            if not outcomes and not errs:
                errs.append((None, "", None, "no-target", "没有任何目标（targets 的 when）接受这一行", "no target (targets' when) accepts this row"))
            if not errs:
                for i, rec, money in outcomes:
                    wm = plans[i].whole_model
                    if wm is not None:
                        try:
                            wm.model_validate(rec)
                        except ValidationError as exc:
                            err = exc.errors(include_url=False)[0]
                            name = str(err["loc"][0]) if err["loc"] else ""
                            el = plans[i].entity.field(name).element if name in plans[i].entity.field_names else None
                            r = reject_from_validation(el, exc) if el else Reject(err["type"], str(err["msg"]), str(err["msg"]))
                            errs.append((name, name, rec.get(name), r.code, r.zh, r.en))
        if held is not None:
            errs = [held]
        if not errs:
            n_translated += 1
            for item, (i, rec, money) in enumerate(outcomes, 1):
                tp = plans[i]
                writers[tp.entity.id].write(rec)
                from_rows[tp.entity.id] += 1
                for name, tally in tallies[i]:
                    v = money.get(name, rec.get(name))
                    if v is None:
                        tally.empty += 1
                        continue
                    tally.source += v
                    tally.translated += rec[name]
                if trail_on:
                    trail_buf.append((path, row.sheet or "", row.row, "translated", tp.entity.id, "|".join([str(rec[k]) for k in tp.key]), "", item, row.byte_offset))
        else:
            n_rejected += 1
            codes = _record_rejection(row, errs, added, outcomes, tallies, rejections, ledger)
            if trail_on:
                trail_buf.append((path, row.sheet or "", row.row, "rejected", "", "", " | ".join(codes), 0, row.byte_offset))
        if trail_on and len(trail_buf) >= FLUSH_EVERY:
            ledger.trail_many(trail_buf)
            trail_buf.clear()
    if trail_buf:
        ledger.trail_many(trail_buf)
    info = getattr(reader, "info", {}) or {}
    stats.info = {k: v for k, v in info.items() if isinstance(v, (str, int, float, bool, list)) or v is None}
    stats.encoding = info.get("encoding")
    stats.encoding_how = info.get("encoding_how")
    stats.preamble_lines = int(info.get("preamble_lines") or 0)
    stats.source = n_source
    stats.translated = n_translated
    stats.rejected = n_rejected
    stats.filtered = n_filtered
