"""The columnar fast path of ``translate`` for text formats (``csv``, ``fixed_width``).

The row path (``engine._translate_file``) is the reference: this module must produce exactly the
same outputs — records, rejected rows, ledger — only faster, by working on batches of rows as
polars columns. ``tests/test_adapter_engine.py`` translates random mixes of good and bad rows both
ways and compares every output file.

How it stays equal to the row path:

* **Claims.** Each transform that has a columnar form computes its result only for the values whose
  shape it fully understands (``3514.7`` for ``money``, a code without full-width characters for
  ``fullwidth_to_halfwidth`` …) and *claims* them; every other value — and every value of a field
  whose chain has a transform without a columnar form (dates, code/name splits, crosswalks …) —
  goes through the row path's own compiled chain, once per distinct value in the batch.
* **The model's own constraints.** A claimed value is checked against the constraints the
  generated pydantic model carries for the field (its pattern and lengths — Rust regex in both
  pydantic-core and polars —, integer bounds, the money pattern); identifier checks (the model's
  validators) run in Python once per distinct value; a field whose model type is not understood
  here is checked by the model type itself, per distinct value.
* **Rejections from the row path.** A row that is not translated is handed whole to the row path,
  which gives its reasons, its money amounts and its rejected-rows line — so reasons and messages
  are the row path's by construction. (Should the row path accept a row the columnar path did
  not, the row path's record is written.)

Not handled here (the row path runs instead): other formats, Avro output, ``unpivot``, derived
fields, models with their own validators, two targets writing the same entity, and patterns that
Rust's regex engine cannot compile (look-around, back-references).
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

import polars as pl

from jincai import safe_output
from jincai.adapters import patterns
from jincai.adapters import transforms as T
from jincai.adapters.profile import (
    BlankFilter,
    DeletedFilter,
    FieldMap,
    HeaderRepeatFilter,
    MatchFilter,
    NotesBelowFilter,
    Profile,
    SubtotalFilter,
    DOC_PREFIX,
    is_pseudo,
)
from jincai.adapters.readers._batch import FILTERABLE_REJECTIONS, META, frame_rows
from jincai.adapters.transforms import Reject
from jincai.canonical import datetime_text

Expr = pl.Expr

# ---------------------------------------------------------------------------------------------
# value states: (kind, value expression, claim expression)
#   kind "str"            Utf8 text
#   kind ("dec", scale)   Int64 = value × 10^scale, exactly
#   kind "int"            Int64
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    kind: Any
    val: Expr
    claim: Expr
    # (column, expression) pairs materialised before ``val`` and ``claim`` are: a value both use
    # is computed once (an eager ``with_columns`` computes a repeated subexpression again each time)
    pre: tuple[tuple[str, Expr], ...] = ()


def _temp(st: State, what: str) -> str:
    """The name of a helper column of the field whose value ``st`` holds."""
    return f"{st.val.meta.output_name()}~{what}"


_MAX_DIGITS = 16  # integer digits a claimed number may have (C05), so that ×10^6 fits in Int64


def _no(state: State, cond: Expr) -> State:
    """Unclaim the rows where ``cond`` holds."""
    return State(state.kind, state.val, state.claim & ~cond.fill_null(False), state.pre)


def _decimal_ok(v: Expr, max_scale: int, max_int: int = _MAX_DIGITS) -> Expr:
    return v.str.contains(rf"^-?[0-9]{{1,{max_int}}}(\.[0-9]{{1,{max_scale}}})?$").fill_null(False)


def _decimal_text(v: Expr, max_scale: int, max_int: int = _MAX_DIGITS, ok: Expr | None = None) -> tuple[Expr, Expr]:
    """``-?[0-9]+(\\.[0-9]{1,max_scale})?`` text → (Int64 = value × 10^max_scale, claim). The cast
    never rounds: only values the pattern admits (at most ``max_scale`` decimals) are claimed.
    ``ok``: that pattern's verdict, already computed."""
    if ok is None:
        ok = _decimal_ok(v, max_scale, max_int)
    val = pl.when(ok).then(v.cast(pl.Decimal(38, max_scale), strict=False).to_physical().cast(pl.Int64)).otherwise(None)
    return val, ok


def _str_only(fn: Callable[[Any, State], State | None]) -> Callable[[Any, State], State | None]:
    def wrapped(args: Any, st: State) -> State | None:
        if st.kind != "str":
            return None
        return fn(args, st)

    return wrapped


@_str_only
def _v_trim(a: T.TrimArgs, st: State) -> State:
    v = st.val.str.strip_chars(a.chars) if a.chars is not None else st.val.str.strip_chars()
    if not a.empty_is_null:
        return State("str", v, st.claim)
    t = _temp(st, "trim")
    return State("str", pl.when(pl.col(t) == "").then(None).otherwise(pl.col(t)), st.claim, ((t, v),))


@_str_only
def _v_fullwidth(a: T.FullwidthArgs, st: State) -> State:
    chars = "\uff01-\uff5e\u3000\u2212\ufe63" + ("\u3002" if a.ideographic_period else "")
    return _no(st, st.val.str.contains(f"[{chars}]"))


@_str_only
def _v_upper(a: Any, st: State) -> State:
    st = _no(st, st.val.str.len_bytes() != st.val.str.len_chars())  # ASCII only: same as str.upper
    return State("str", st.val.str.to_uppercase(), st.claim)


@_str_only
def _v_null_if(a: T.NullIfArgs, st: State) -> State:
    hit = st.val.str.strip_chars().is_in(list(a.values))
    return State("str", pl.when(hit.fill_null(False)).then(None).otherwise(st.val), st.claim)


_CTRL_WS = "[\x1c-\x1f]"  # whitespace to Python's str.strip(), not to Rust: leave such values to Python
# what ``\s`` matches in Rust's regex (Unicode White_Space), spelled out for strip_chars
_RUST_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u2028\u2029\u202f\u205f\u3000"


@_str_only
def _v_thousands(a: T.ThousandsArgs, st: State) -> State:
    v = st.val
    has = v.str.contains(",", literal=True)
    grouped = r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?"
    ok = ~has | (v.str.contains(f"^(?:{grouped}|\\({grouped}\\))$") if a.strict else pl.lit(True))
    st = _no(st, ~ok.fill_null(True))
    return State("str", pl.when(has).then(v.str.replace_all(",", "", literal=True)).otherwise(v), st.claim)


@_str_only
def _v_paren(a: Any, st: State) -> State:
    v = st.val
    has, inner = pl.col(_temp(st, "has")), pl.col(_temp(st, "inner"))
    pre = (
        (_temp(st, "has"), v.str.contains("[()（）]")),
        (_temp(st, "inner"), v.str.extract(r"^[(（]([^()（）]*)[)）]$", 1).str.strip_chars()),
    )
    ok = ~has | (inner.is_not_null() & ~inner.str.contains("^[-+]") & ~v.str.contains(_CTRL_WS))
    st = _no(st, ~ok.fill_null(True))
    return State("str", pl.when(has).then(pl.concat_str([pl.lit("-"), inner])).otherwise(v), st.claim, pre)


@_str_only
def _v_split(a: T.SplitCodeNameArgs, st: State) -> State:
    v = st.val
    if a.part == "code":
        # the rest of the row path's pattern matches any remainder, so the code is the longest
        # prefix the first part matches (no backtracking can change it). Whole matches are several
        # times faster than a capture group: the match is the code behind an opening of white
        # space and one bracket, none of which a code character is, so stripping them leaves it.
        code = v.str.extract(r"^\s*[\[【(（]?\s*[0-9A-Za-z][0-9A-Za-z.\-]*", 0).str.strip_chars_start(_RUST_WS + "[【(（")
        st = _no(st, v.is_not_null() & ~v.str.contains(r"^\s*[\[【(（]?\s*[0-9A-Za-z][^\x1c-\x1f]*$"))
        return State("str", code, st.claim)
    rx = r"(?s)^\s*[\[【(（]?\s*([0-9A-Za-z][0-9A-Za-z.\-]*)\s*[\]】)）]?\s*[-—:：、]?\s*(.*?)\s*$"
    groups = v.str.extract_groups(rx)
    code = groups.struct.field("1")
    name = groups.struct.field("2")
    st = _no(st, (code.is_null() & v.is_not_null()) | v.str.contains(_CTRL_WS))
    return State("str", pl.when(name == "").then(None).otherwise(name), st.claim)


@_str_only
def _v_money(a: Any, st: State) -> State:
    t = _temp(st, "ok")
    val, ok = _decimal_text(st.val, 2, ok=pl.col(t))
    return State(("dec", 2), val, st.claim & (ok | st.val.is_null()), ((t, _decimal_ok(st.val, 2)),))


@_str_only
def _v_wan_yuan(a: Any, st: State) -> State:
    # x 万元 with up to 6 decimals = (x × 10^6) fen: exact, two decimals in yuan
    val, ok = _decimal_text(st.val, 6, 12)
    return State(("dec", 2), val, st.claim & (ok | st.val.is_null()))


@_str_only
def _v_implied(a: T.ImpliedDecimalArgs, st: State) -> State:
    v = st.val.str.strip_chars()
    ok = v.str.contains(rf"^[+-]?[0-9]{{1,{_MAX_DIGITS}}}$").fill_null(False)
    val = pl.when(ok).then(v.str.strip_prefix("+").cast(pl.Int64, strict=False)).otherwise(None)
    return State(("dec", a.places), val, st.claim & (ok | st.val.is_null()))


@_str_only
def _v_integer(a: Any, st: State) -> State:
    ok = st.val.str.contains(rf"^[+-]?[0-9]{{1,{_MAX_DIGITS}}}$").fill_null(False)
    val = pl.when(ok).then(st.val.str.strip_prefix("+").cast(pl.Int64, strict=False)).otherwise(None)
    return State("int", val, st.claim & (ok | st.val.is_null()))


@_str_only
def _v_lengths_factory(a: Any, st: State) -> State:
    if isinstance(a, T.LeadingZeroArgs):
        allowed = sorted(set(a.lengths or []) | ({a.length} if a.length else set()))
    else:
        allowed = sorted(set(a.lengths))
    return _no(st, ~st.val.str.len_chars().is_in(allowed))


@_str_only
def _v_sci_guard(a: Any, st: State) -> State:
    return _no(st, st.val.str.contains("[eE.]"))


@_str_only
def _v_slice(a: T.SliceArgs, st: State) -> State:
    if a.exact and a.end is not None:
        st = _no(st, st.val.str.len_chars() < a.end)
    length = None if a.end is None else max(a.end - a.start, 0)
    return State("str", st.val.str.slice(a.start, length), st.claim)


def _v_map(a: T.MapArgs, st: State) -> State | None:
    if st.kind != "str" or not all(isinstance(v, str) for v in a.values.values()):
        return None
    keys = [str(k) for k in a.values]
    has_default = "default" in a.model_fields_set
    if has_default and not (a.default is None or isinstance(a.default, str)):
        return None
    mapped = st.val.replace_strict(keys, list(a.values.values()), default=a.default if has_default else None, return_dtype=pl.Utf8)
    claim = st.claim if has_default else st.claim & (st.val.is_in(keys) | st.val.is_null())
    return State("str", mapped, claim)


VECTOR: dict[str, Callable[[Any, State], State | None]] = {
    "trim": _v_trim,
    "fullwidth_to_halfwidth": _v_fullwidth,
    "upper": _v_upper,
    "null_if": _v_null_if,
    "thousands": _v_thousands,
    "paren_negative": _v_paren,
    "money": _v_money,
    "wan_yuan": _v_wan_yuan,
    "implied_decimal": _v_implied,
    "integer": _v_integer,
    "leading_zero_guard": _v_lengths_factory,
    "length_check": _v_lengths_factory,
    "scientific_notation_guard": _v_sci_guard,
    "slice": _v_slice,
    "map": _v_map,
    "split_code_name": _v_split,
}

# ---------------------------------------------------------------------------------------------
# the model's own constraints for one field
# ---------------------------------------------------------------------------------------------


@dataclass
class ModelCheck:
    pattern: str | None = None  # anchored, for text/code/money text
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    python: list[Callable[[Any], Any]] | None = None  # validators to run per distinct value
    understood: bool = True


def model_check(model: Any, name: str) -> ModelCheck:
    """What the generated model checks for ``name``, read from the field's own metadata."""
    import annotated_types
    from pydantic import AfterValidator, StringConstraints

    from jincai.models import types as MT

    info = model.model_fields[name]
    ann = info.annotation
    meta = list(info.metadata)
    # Optional[Annotated[T, ...]] → its metadata
    for arg in typing.get_args(ann):
        if typing.get_origin(arg) is typing.Annotated:
            meta += list(arg.__metadata__)
    mc = ModelCheck()
    for m in meta:
        if isinstance(m, StringConstraints):
            if m.strip_whitespace or m.to_upper or m.to_lower:
                mc.understood = False
            mc.pattern = m.pattern if isinstance(m.pattern, str) else (m.pattern.pattern if m.pattern is not None else None)
            mc.min_length, mc.max_length = m.min_length, m.max_length
        elif isinstance(m, AfterValidator) and MT.is_identifier_check(m):
            continue  # check characters are validation's (ident.*), not translation's
        elif isinstance(m, AfterValidator):
            mc.python = (mc.python or []) + [m.func]
        elif isinstance(m, MT._DecimalString):
            mc.pattern = MT.anchored(m.pattern)
        elif isinstance(m, annotated_types.Interval):
            mc.ge, mc.le = m.ge, m.le
        elif isinstance(m, (annotated_types.Ge, annotated_types.Le)):
            if isinstance(m, annotated_types.Ge):
                mc.ge = m.ge
            else:
                mc.le = m.le
        elif type(m).__name__ == "Strict":
            continue
        else:
            mc.understood = False
    return mc


# ---------------------------------------------------------------------------------------------
# the plan of one field
# ---------------------------------------------------------------------------------------------


@dataclass
class VField:
    fp: Any  # engine.FieldPlan
    scale: int | None  # money/decimal scale
    steps: list[tuple[Any, Callable[[State], State]]] | None  # (kind in, step); None: every value goes through Python
    check: ModelCheck
    out_kind: str  # "str" | "int" | "dec" | "py"

    @property
    def vector(self) -> bool:
        return self.steps is not None


def _finish(el: Any, st: State) -> State | None:
    """The columnar finisher (``engine.finisher``) for the element type, or ``None``."""
    kind = el.type
    if kind in ("code", "text"):
        if st.kind != "str":
            return None
        if el.empty_allowed:
            return st
        return State("str", pl.when(st.val == "").then(None).otherwise(st.val), st.claim)
    if kind == "integer":
        if st.kind == "int":
            return st
        if st.kind == "str":
            v = st.val.str.strip_chars()
            ok = v.str.contains(rf"^[+-]?[0-9]{{1,{_MAX_DIGITS}}}$").fill_null(False)
            val = pl.when(st.val == "").then(None).when(ok).then(v.str.strip_prefix("+").cast(pl.Int64, strict=False)).otherwise(None)
            return State("int", val, st.claim & (ok | st.val.is_null() | (st.val == "")))
        return None
    if kind in ("money", "decimal"):
        scale = el.effective_scale or 0
        if st.kind == "str":
            if kind == "money":
                v = pl.when(st.val == "").then(None).otherwise(st.val)
                val, ok = _decimal_text(v, 2)
                return State(("dec", 2), val, st.claim & (ok | v.is_null()))
            return None
        if isinstance(st.kind, tuple) and st.kind[0] == "dec":
            s = st.kind[1]
            if s == scale:
                return State(("dec", scale), st.val, st.claim)
            if s < scale:
                return State(("dec", scale), st.val * (10 ** (scale - s)), st.claim)
            f = 10 ** (s - scale)
            exact = (st.val % f) == 0
            return State(("dec", scale), st.val // f, st.claim & (exact.fill_null(True)))
        return None
    return None  # date, datetime, boolean: Python per distinct value


def plan_field(fp: Any, model: Any, ctx_items: list) -> VField:
    el = fp.element
    check = model_check(model, fp.name)
    scale = el.effective_scale if el.type in ("money", "decimal") else None
    out_kind = {"code": "str", "text": "str", "integer": "int", "money": "dec", "decimal": "dec"}.get(el.type, "py")
    steps: list[tuple[Any, Callable[[State], State]]] | None = None
    if fp.cols is not None and not fp.multi and out_kind != "py" and check.understood:
        # Each step reads the previous step's materialised column (see _batch): composing the
        # expressions instead would repeat the whole chain inside every use of its value.
        steps = []
        kind: Any = "str"
        for item in ctx_items:
            d, args = T.parse_item(item)
            fn = VECTOR.get(d.name)
            probe = fn(args, State(kind, pl.col("__probe"), pl.lit(True))) if fn is not None else None
            if probe is None:
                steps = None
                break
            steps.append((kind, lambda st, fn=fn, args=args: fn(args, st)))
            kind = probe.kind
        if steps is not None:
            probe = _finish(el, State(kind, pl.col("__probe"), pl.lit(True)))
            if probe is None:
                steps = None
            else:
                steps.append((kind, lambda st, el=el: _finish(el, st)))
    return VField(fp, scale, steps, check, out_kind)


# ---------------------------------------------------------------------------------------------
# eligibility
# ---------------------------------------------------------------------------------------------


def _rx(pattern: str) -> str:
    """A profile pattern as RE2 runs it on the row path (``patterns.translate``: Python's \\d \\s \\w
    spelled out), which Rust's regex reads with the same meaning."""
    return patterns.compile(pattern).translated


def _rust_ok(pattern: str) -> bool:
    try:
        pl.Series([""], dtype=pl.Utf8).str.contains(pattern)
        return True
    except Exception:
        return False


def ineligible(profile: Profile, plans: list, reader: Any, fmt: str) -> str | None:
    """Why the columnar path cannot run this profile (``None`` if it can)."""
    if not hasattr(reader, "read_batches"):
        return "reader without batches"
    if fmt != "jsonl":
        return "output format"
    if os.environ.get("JINCAI_ADAPTER_ROWS"):
        return "JINCAI_ADAPTER_ROWS is set"
    seen = set()
    for tp in plans:
        if tp.target.unpivot is not None or tp.derived or tp.whole_model is not None:
            return "unpivot, derived fields or model validators"
        if tp.entity.id in seen:
            return "two targets write one entity"
        seen.add(tp.entity.id)
        w = tp.target.when
        if w is not None and w.pattern is not None and not _rust_ok(f"^(?:{_rx(w.pattern)})$"):
            return "when pattern"
    for f in profile.filter_list():
        pat = getattr(f, "pattern", None)
        if pat is not None and not _rust_ok(_rx(pat)):
            return "filter pattern"
    return None


# ---------------------------------------------------------------------------------------------
# filters and when, as expressions
# ---------------------------------------------------------------------------------------------


def _blank(c: str) -> Expr:
    return pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")


def _no_row_can(frame: pl.DataFrame | None, test: Expr) -> bool:
    """Whether no row of the batch passes ``test``, a cheap condition that every row a filter
    meets must pass (its first cell is blank; some cell holds a character the pattern needs): then
    no row meets the filter, whose full expression need not run on this batch."""
    return frame is not None and not frame.select(test.fill_null(False).any()).item()


def filter_exprs(profile: Profile, source_cols: list[str], frame: pl.DataFrame | None = None) -> list[tuple[str, Expr, bool]]:
    """``[(code, expr, is_notes)]`` in profile order (for the batch ``frame``, when given)."""
    out = []
    for f in profile.filter_list():
        code = f.reason()[0]
        if isinstance(f, BlankFilter):
            if source_cols and _no_row_can(frame, _blank(source_cols[0])):
                e = pl.lit(False)
            else:
                e = pl.all_horizontal([_blank(c) for c in source_cols]) if source_cols else pl.lit(True)
            out.append((code, e, False))
        elif isinstance(f, SubtotalFilter):
            cols = [c for c in (f.columns or source_cols)]
            need = patterns.required_char(f.pattern)
            seen = [c for c in cols if c in source_cols or is_pseudo(c)]
            if need is not None and seen and _no_row_can(frame, pl.any_horizontal([pl.col(c).str.contains(need, literal=True) for c in seen])):
                out.append((code, pl.lit(False), False))  # no cell holds a character every match needs
                continue
            e = pl.any_horizontal([pl.col(c).str.contains(_rx(f.pattern)).fill_null(False) if c in source_cols or is_pseudo(c) else pl.lit(False) for c in cols]) if cols else pl.lit(False)
            out.append((code, e, False))
        elif isinstance(f, NotesBelowFilter):
            if f.column is not None:
                cell = pl.col(f.column) if f.column in source_cols or is_pseudo(f.column) else pl.lit(None, pl.Utf8)
            else:
                cell = pl.coalesce([pl.when(~_blank(c)).then(pl.col(c)) for c in source_cols]) if source_cols else pl.lit(None, pl.Utf8)
            out.append((code, cell.str.contains(_rx(f.pattern)).fill_null(False), True))
        elif isinstance(f, HeaderRepeatFilter):
            c0 = source_cols[0] if source_cols else None
            if c0 is not None and _no_row_can(frame, _blank(c0) | (pl.col(c0).str.strip_chars() == c0)):
                out.append((code, pl.lit(False), False))
                continue
            parts, eqs = [], []
            for c in source_cols:
                b = _blank(c)
                eq = (pl.col(c).str.strip_chars() == c).fill_null(False)
                parts.append(b | eq)
                eqs.append((eq & ~b).cast(pl.Int32))
            e = pl.all_horizontal(parts) & (pl.sum_horizontal(eqs) >= f.min_cells) if source_cols else pl.lit(False)
            out.append((code, e, False))
        elif isinstance(f, DeletedFilter):
            out.append((code, pl.lit(False), False))
        elif isinstance(f, MatchFilter):
            pat = f"^(?:{_rx(f.pattern)})$" if f.fullmatch else _rx(f.pattern)
            col = pl.col(f.column).cast(pl.Utf8) if f.column in source_cols or is_pseudo(f.column) else pl.lit(None, pl.Utf8)
            out.append((code, col.str.contains(pat).fill_null(False), False))
    return out


def when_expr(tp: Any, source_cols: list[str]) -> Expr | None:
    w = tp.target.when
    if w is None:
        return None
    col = pl.col(w.column).cast(pl.Utf8) if w.column in source_cols or is_pseudo(w.column) else pl.lit(None, pl.Utf8)
    text = col.str.strip_chars().fill_null("")
    if w.equals is not None:
        return text == w.equals
    if w.in_ is not None:
        return text.is_in(list(w.in_))
    return text.str.contains(f"^(?:{_rx(w.pattern)})$")


# ---------------------------------------------------------------------------------------------
# canonical JSON from columns
# ---------------------------------------------------------------------------------------------


def _money_text(fen: Expr, scale: int) -> Expr:
    """The canonical text of an amount held as an integer × 10^scale (``-0.05``, ``12.30``): the
    integer as a decimal of scale 0 times 10^-scale, an exact product that polars writes with
    exactly ``scale`` decimals (3× faster than cutting and padding the integer's digits)."""
    if scale == 0:
        return fen.cast(pl.Utf8)
    return (fen.cast(pl.Decimal(38, 0)) * pl.lit(Decimal(1).scaleb(-scale))).cast(pl.Utf8)


def json_piece(name: str, el: Any, col: Any, escape: bool) -> Expr:
    """``"name":value`` for one field, null when the value is null."""
    c = pl.col(col) if isinstance(col, str) else col
    kind = el.type
    if kind in ("code", "text"):
        v = c.str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True) if escape else c
        return pl.concat_str([pl.lit(f'"{name}":"'), v, pl.lit('"')])
    if kind == "integer":
        return pl.concat_str([pl.lit(f'"{name}":'), c.cast(pl.Utf8)])
    if kind in ("money", "decimal"):
        return pl.concat_str([pl.lit(f'"{name}":"'), _money_text(c, el.effective_scale or 0), pl.lit('"')])
    if kind == "boolean":
        return pl.concat_str([pl.lit(f'"{name}":'), pl.when(c).then(pl.lit("true")).otherwise(pl.lit("false"))])
    # date / datetime are kept as their canonical text
    return pl.concat_str([pl.lit(f'"{name}":"'), c, pl.lit('"')])


def _value_text(el: Any, c: Expr, escape: bool) -> tuple[Expr, bool]:
    """(text of the value in JSON, whether it is written between quotes)."""
    kind = el.type
    if kind in ("code", "text"):
        return (c.str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True) if escape else c), True
    if kind == "integer":
        return c.cast(pl.Utf8), False
    if kind in ("money", "decimal"):
        return _money_text(c, el.effective_scale or 0), True
    if kind == "boolean":
        return pl.when(c).then(pl.lit("true")).otherwise(pl.lit("false")), False
    return c, True  # date / datetime: their canonical text


def json_line(entity: Any, colmap: dict[str, Expr], escape: dict[str, bool]) -> Expr:
    """The canonical JSON line (as ``canonical.dumps_record``) as one flat concatenation: required
    fields are never null in a translated row; an optional field's piece, comma included, is null
    when the value is — and left out. Consecutive required fields are one ``pl.format`` (a quarter
    faster than concatenating their pieces); the braces stay outside it, so that no piece of its
    template needs escaping (field names are identifiers)."""
    present = [f for f in entity.fields if f.name in colmap]
    if present and not present[0].required:  # pragma: no cover - every entity begins with required fields
        pieces = [json_piece(f.name, f.element, colmap[f.name], escape.get(f.name, False)) for f in present]
        return pl.concat_str([pl.lit("{"), pl.concat_str(pieces, separator=",", ignore_nulls=True), pl.lit("}")])
    parts: list[Expr] = [pl.lit("{")]
    run: tuple[str, list[Expr]] = ("", [])  # consecutive required fields: their template and values

    def close_run() -> None:
        nonlocal run
        if run[1]:
            parts.append(pl.format(run[0], *run[1]))
        run = ("", [])

    for i, f in enumerate(present):
        text, quoted = _value_text(f.element, colmap[f.name], escape.get(f.name, False))
        q = '"' if quoted else ""
        head = ("" if i == 0 else ",") + f'"{f.name}":' + q
        assert not set(head) & set("{}"), f.name  # a template with no brace but its placeholders
        if f.required or i == 0:
            run = (run[0] + head + "{}" + q, run[1] + [text])
        else:
            close_run()
            parts.append(pl.format(head + "{}" + q, text))  # null when the value is
    close_run()
    parts.append(pl.lit("}"))
    return pl.concat_str(parts, ignore_nulls=True)


# ---------------------------------------------------------------------------------------------
# Python per distinct value
# ---------------------------------------------------------------------------------------------

def _to_column_value(vf: VField, v: Any) -> Any:
    """A canonical Python value → its column form."""
    if v is None:
        return None
    k = vf.out_kind
    if k == "dec":
        return int(v.scaleb(vf.scale or 0))
    if k == "py":
        if isinstance(v, datetime):
            return datetime_text(v)  # the canonical text (C03)
        if hasattr(v, "isoformat"):
            return v.isoformat()
        return v
    return v


class PyField:
    """Runs the row path's chain, finisher and check for one field on distinct values."""

    def __init__(self, vf: VField):
        self.vf = vf
        self.cache: dict[Any, tuple] = {}
        self.good: pl.Series | None = None  # values known to pass the model's Python validators

    def remember_good(self, values: list, dtype: Any) -> None:
        if not values:
            return
        new = pl.Series(values, dtype=dtype)
        if self.good is None or len(self.good) > 1 << 18:
            self.good = new
        else:
            self.good = pl.concat([self.good, new])

    def result(self, raw: Any) -> tuple[bool, Any]:
        """(accepted, column value) — the row path's verdict on one value (rejected values are
        handed to the row path again, whole rows at a time, for their reasons)."""
        try:
            return self.cache[raw]
        except KeyError:
            pass
        fp = self.vf.fp
        try:
            v = fp.finish(fp.chain(raw) if fp.chain else raw)
            r = (not fp.required, None) if v is None else (True, _to_column_value(self.vf, fp.check(v)))
        except Exception:  # Reject, or a transform's bug: either way the row path decides
            r = (False, None)
        if len(self.cache) > 1 << 16:
            self.cache.clear()
        self.cache[raw] = r
        return r

    def checked(self, value: Any) -> bool:
        """The model's Python validators (identifiers) on a value already in column form."""
        key = ("chk", value)
        try:
            return self.cache[key][0]
        except KeyError:
            pass
        ok = True
        for fn in self.vf.check.python or []:
            try:
                fn(value)
            except Exception:
                ok = False
                break
        if len(self.cache) > 1 << 16:
            self.cache.clear()
        self.cache[key] = (ok,)
        return ok


# ---------------------------------------------------------------------------------------------
# the run over one file
# ---------------------------------------------------------------------------------------------


def _dtype(vf: VField) -> Any:
    if vf.out_kind == "py":
        return pl.Boolean if vf.fp.element.type == "boolean" else pl.Utf8
    return {"str": pl.Utf8, "int": pl.Int64, "dec": pl.Int64}[vf.out_kind]


def model_ok(vf: VField, v: Expr) -> Expr:
    """The model's constraints on a claimed value, as an expression (null passes: presence of
    required fields is checked apart)."""
    mc = vf.check
    conds: list[Expr] = []
    if vf.out_kind == "str":
        if mc.pattern is not None:
            conds.append(v.str.contains(mc.pattern))
        if mc.min_length is not None:
            conds.append(v.str.len_chars() >= mc.min_length)
        if mc.max_length is not None:
            conds.append(v.str.len_chars() <= mc.max_length)
    elif vf.out_kind == "int":
        if mc.ge is not None:
            conds.append(v >= mc.ge)
        if mc.le is not None:
            conds.append(v <= mc.le)
    elif vf.out_kind == "dec" and mc.pattern is not None:
        from jincai.models.types import anchored, number_pattern

        el = vf.fp.element
        if mc.pattern == anchored(number_pattern(el)):
            # the generator's money/decimal pattern, said with numbers: at most 18 digits in all,
            # no minus sign when the minimum is 0
            conds.append(v.abs() < 10**18)
            if el.minimum is not None:
                conds.append(v >= 0)
        else:
            conds.append(_money_text(v, vf.scale or 0).str.contains(mc.pattern))
    ok: Expr = pl.lit(True)
    for c in conds:
        ok = ok & c.fill_null(True)
    if vf.fp.required:
        ok = ok & v.is_not_null()
    return ok


class _FilePlan:
    """Everything about a profile's targets that does not change from batch to batch."""

    def __init__(self, plans: list):
        self.targets = []
        for tp in plans:
            model = _model(tp)
            vfs = []
            for fp in tp.fields:
                fm = tp.target.fields[fp.name]
                assert isinstance(fm, FieldMap)
                vfs.append(plan_field(fp, model, fm.transform))
            consts = {}
            for name, value in tp.consts.items():
                el = tp.entity.field(name).element
                if el.type in ("money", "decimal"):
                    consts[name] = (int(value.scaleb(el.effective_scale or 0)), pl.Int64)
                elif el.type == "integer":
                    consts[name] = (value, pl.Int64)
                elif el.type == "boolean":
                    consts[name] = (value, pl.Boolean)
                else:
                    consts[name] = (value.isoformat() if hasattr(value, "isoformat") else value, pl.Utf8)
            self.targets.append((tp, vfs, {vf.fp.name: PyField(vf) for vf in vfs}, consts))


def translate_file(engine: Any, profile: Profile, path: str, reader: Any, plans: list, writers: dict, rejections: Any, ledger: Any) -> None:
    """Translate one file in batches (see the module docstring); same effects as the row path."""
    from jincai.adapters.ledger import FileStats

    stats = FileStats(path)
    ledger.files[path] = stats
    options = profile.source.options()
    for f in profile.filter_list():
        code, zh, en = f.reason()
        ledger.reason_text[code] = (zh, en)
    pseudo = engine.pseudo_columns_used(profile)
    fplan = _FilePlan(plans)
    tallies = [[(name, ledger.money[(tp.entity.id, name)]) for name in tp.money] for tp in plans]
    notes_on = False
    checked_layout = False
    base = os.path.basename(path)
    counts = {"source": 0, "translated": 0, "rejected": 0, "filtered": 0}
    trail_fh = ledger._trail_bin

    doc = None
    for frame in prefetch(reader.read_batches(path, options)):
        if doc is None:  # the reader knows the file's document values before its first batch
            doc = dict((getattr(reader, "info", None) or {}).get("document") or {})
        notes_on, checked_layout = _batch(engine, profile, path, base, frame, fplan, plans, pseudo, tallies, writers, rejections, ledger, trail_fh, counts, notes_on, checked_layout, doc)
    info = getattr(reader, "info", {}) or {}
    stats.info = {k: v for k, v in info.items() if isinstance(v, (str, int, float, bool, list)) or v is None}
    stats.encoding = info.get("encoding")
    stats.encoding_how = info.get("encoding_how")
    stats.preamble_lines = int(info.get("preamble_lines") or 0)
    stats.source = counts["source"]
    stats.translated = counts["translated"]
    stats.rejected = counts["rejected"]
    stats.filtered = counts["filtered"]


def prefetch(batches: Any, depth: int = 1) -> Any:
    """Read the next batch in a thread while this one is translated (Arrow and polars kernels
    release the GIL, so the two overlap on two cores). Errors come out where they happened."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for b in batches:
                while not stop.is_set():
                    try:
                        q.put(("ok", b), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("ok", done))
        except BaseException as exc:  # handed over to the consumer
            q.put(("err", exc))

    t = threading.Thread(target=work, name="jincai-prefetch", daemon=True)
    t.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "err":
                raise item
            if item is done:
                return
            yield item
    finally:
        stop.set()
        t.join(timeout=5)


REDO_SLICE = 16384  # rows handed to the row path at a time: their SourceRows are short-lived


def _reader_filtered_only(path, frame, ledger, trail_fh, counts) -> bool:
    """A batch of rows the reader itself marked as not data (a fixed-width file's header and
    trailer come as batches of their own): recorded without the whole pipeline."""
    flt = frame["__jc_flt"]
    if flt.null_count():
        return False
    counts["source"] += frame.height
    counts["filtered"] += frame.height
    for code, cnt in frame.group_by("__jc_flt").len().rows():
        ledger.filtered_by_reason[code] += cnt
        if code not in ledger.reason_text:
            ledger.reason_text[code] = T.REASONS.get(code) or (code, code)
    if trail_fh is not None:
        frame.select(
            pl.lit(path).alias("file"), pl.lit(None, pl.Utf8).alias("sheet"), pl.col("__jc_row"), pl.lit("filtered").alias("outcome"),
            pl.lit(None, pl.Utf8).alias("entity"), pl.lit(None, pl.Utf8).alias("key"), pl.col("__jc_flt").alias("code"),
            pl.lit(0, pl.Int32).alias("item"), pl.col("__jc_off"),
        ).write_csv(trail_fh, include_header=False, quote_style="necessary")
    return True


def _batch(engine, profile, path, base, frame, fplan, plans, pseudo, tallies, writers, rejections, ledger, trail_fh, counts, notes_on, checked_layout, doc=None):
    if _reader_filtered_only(path, frame, ledger, trail_fh, counts):
        return notes_on, checked_layout
    frame = frame.rechunk()  # one chunk per column: string kernels are many times slower on many
    height = frame.height
    counts["source"] += height
    source_cols = [c for c in frame.columns if c not in META]
    doc = doc or {}
    pre = []
    if pseudo:
        pmap = {"_file": pl.lit(base, pl.Utf8), "_row": pl.col("__jc_row").cast(pl.Utf8), "_sheet": pl.lit(None, pl.Utf8), "_query": pl.lit(None, pl.Utf8)}
        for p in pseudo:
            if p.startswith(DOC_PREFIX):
                v = doc.get(p[len(DOC_PREFIX) :])
                pmap[p] = pl.lit(None if v is None else str(v), pl.Utf8)
        pre += [pmap[p].alias(p) for p in pseudo if p not in frame.columns]
    pre.append(pl.int_range(0, pl.len(), dtype=pl.Int64).alias("__jc_i"))
    # a column the profile needs that this file lacks: null here, so that the expressions can be
    # built; the first row that reaches the targets then fails the column check, as on the row path
    have = set(frame.columns) | set(pseudo)
    pre += [pl.lit(None, pl.Utf8).alias(c) for c in sorted({c for tp in plans for c in tp.columns} - have)]
    frame = frame.with_columns(pre)

    # ---- stage A: filters, when, claimed values and their checks — one pass ----
    # a row the reader rejected (but for a filterable rejection) or marked as not data never
    # reaches the profile's filters: the same order as the row path
    rej = pl.col("__jc_rej")
    hard = rej.is_not_null() & ~rej.is_in(list(FILTERABLE_REJECTIONS))
    eligible = ~hard & pl.col("__jc_flt").is_null()
    fexprs = filter_exprs(profile, source_cols, frame)
    matched: Expr = pl.lit(False)
    finals: list[tuple[str, Expr]] = []
    trig_cols = []
    for i, (code, e, is_notes) in enumerate(fexprs):
        if is_notes:
            trig = (e & ~matched & eligible).alias(f"__jc_n{i}")
            trig_cols.append(trig)
            e = pl.col(f"__jc_n{i}").cast(pl.Int8).cum_max().cast(pl.Boolean) | pl.lit(notes_on)
        finals.append((code, e))
        matched = matched | e
    if trig_cols:
        frame = frame.with_columns(trig_cols)
    code_expr: Expr = pl.lit(None, pl.Utf8)
    for code, e in reversed(finals):
        code_expr = pl.when(e).then(pl.lit(code)).otherwise(code_expr)
    code_expr = pl.when(pl.col("__jc_flt").is_not_null()).then(pl.col("__jc_flt")).when(hard).then(pl.lit(None, pl.Utf8)).otherwise(code_expr)
    exprs = [code_expr.alias("__jc_filter")]
    chains = []
    for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
        w = when_expr(tp, source_cols)
        exprs.append((w if w is not None else pl.lit(True)).fill_null(False).alias(f"__jc_w{ti}"))
        for fi, vf in enumerate(vfs):
            vname, cname = f"__jc_v{ti}_{fi}", f"__jc_c{ti}_{fi}"
            if not vf.vector:
                exprs.append(pl.lit(None, _dtype(vf)).alias(vname))
                exprs.append(pl.lit(False).alias(cname))
                continue
            exprs.append(pl.col(vf.fp.cols[0]).alias(vname))
            exprs.append(pl.lit(True).alias(cname))
            chains.append((vf, vname, cname))
    frame = frame.with_columns(exprs)
    # the transform chains, one step of every field at a time, each step on materialised columns
    for k in range(max((len(vf.steps) for vf, _, _ in chains), default=0)):
        pre_exprs, step_exprs = [], []
        for vf, vname, cname in chains:
            if k < len(vf.steps):
                kind, fn = vf.steps[k]
                st = fn(State(kind, pl.col(vname), pl.col(cname)))
                pre_exprs += [e.alias(name) for name, e in st.pre]
                step_exprs += [st.val.alias(vname), st.claim.fill_null(False).alias(cname)]
        if pre_exprs:
            frame = frame.with_columns(pre_exprs)
        frame = frame.with_columns(step_exprs)
    frame = frame.with_columns(
        *[(pl.col(cname) & model_ok(vf, pl.col(vname))).fill_null(False).alias(cname) for vf, vname, cname in chains],
        (pl.col("__jc_filter").is_null() & pl.col("__jc_rej").is_null()).alias("__jc_active"),
    )
    if trig_cols:
        notes_on = notes_on or bool(frame.select(pl.any_horizontal([pl.col(f"__jc_n{i}").any() for i, (_, _, n) in enumerate(fexprs) if n])).item())
    if not checked_layout:
        first = frame.filter(pl.col("__jc_active")).head(1)
        if first.height:
            values = {c: first[c][0] for c in source_cols}
            engine._check_columns(path, None, values, plans, {})
            engine.check_document(path, None, doc, pseudo)
            checked_layout = True

    # ---- stage B: what the columnar path did not claim goes through Python ----
    patches = []
    for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
        applies = pl.col("__jc_active") & pl.col(f"__jc_w{ti}")
        for fi, vf in enumerate(vfs):
            vname, cname = f"__jc_v{ti}_{fi}", f"__jc_c{ti}_{fi}"
            pyf = pys[vf.fp.name]
            if vf.check.python and vf.vector:
                cand = frame.filter(applies & pl.col(cname) & pl.col(vname).is_not_null()).select(pl.col(vname).unique())
                if pyf.good is not None:
                    cand = cand.filter(~pl.col(vname).is_in(pyf.good.implode()))
                cand_list = cand.to_series().to_list()
                bad = [x for x in cand_list if not pyf.checked(x)]
                pyf.remember_good([x for x in cand_list if x not in set(bad)], _dtype(vf))
                if bad:
                    frame = frame.with_columns((pl.col(cname) & ~pl.col(vname).is_in(bad)).alias(cname))
            redo = frame.filter(applies & ~pl.col(cname)).select(["__jc_i", *vf.fp.cols])
            if not redo.height:
                continue
            if len(vf.fp.cols) == 1 and not vf.fp.multi:
                src = redo[vf.fp.cols[0]].to_list()
            else:
                src = list(zip(*[redo[c].to_list() for c in vf.fp.cols]))
            res = [pyf.result(x) for x in src]
            patches.append((vname, cname, redo["__jc_i"], pl.Series([r[1] for r in res], dtype=_dtype(vf)), pl.Series([r[0] for r in res], dtype=pl.Boolean)))
    for vname, cname, idx, vals, oks in patches:
        frame = frame.with_columns(frame[vname].scatter(idx, vals).alias(vname), frame[cname].scatter(idx, oks).alias(cname))

    # ---- stage C: outcome of every row ----
    ok: Expr = pl.col("__jc_active")
    anyw: Expr = pl.lit(False)
    for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
        tok: Expr = pl.lit(True)
        for fi, vf in enumerate(vfs):
            tok = tok & pl.col(f"__jc_c{ti}_{fi}")
        ok = ok & (tok | ~pl.col(f"__jc_w{ti}"))
        anyw = anyw | pl.col(f"__jc_w{ti}")
    frame = frame.with_columns((ok & anyw).alias("__jc_ok"))

    # counts of filtered rows by reason, and of translated rows — one small aggregation
    fcounts = frame.group_by("__jc_filter").len().rows()
    for code, cnt in fcounts:
        if code is not None:
            ledger.filtered_by_reason[code] += cnt
            counts["filtered"] += cnt
            if code not in ledger.reason_text:  # a row the reader itself marked as not data
                ledger.reason_text[code] = T.REASONS.get(code) or (code, code)
    n_ok = int(frame.select(pl.col("__jc_ok").sum()).item() or 0)
    # the rows the columnar path does not translate go to the row path, which decides and records
    redo_rows = frame.filter(pl.col("__jc_filter").is_null() & ~pl.col("__jc_ok")).select(source_cols + list(META) + ["__jc_i"])
    # compact results (indices into the batch), never one object per row kept for the whole batch
    rej_idx: list[int] = []
    rej_codes: list[str] = []
    py_idx: dict[int, list[int]] = {}
    py_line: dict[int, list[str]] = {}
    py_key: dict[int, list[str]] = {}
    n_py = 0
    for at in range(0, redo_rows.height, REDO_SLICE):
        part = redo_rows.slice(at, REDO_SLICE)
        for row, i in zip(frame_rows(part.drop("__jc_i"), path, doc), part["__jc_i"].to_list()):
            got: dict[int, list[tuple[int, str, str]]] = {}
            outcome, codes = engine._row_outcome(row, plans, tallies, rejections, ledger, got, pseudo)
            if outcome == "rejected":
                rej_idx.append(i)
                rej_codes.append(codes)
                continue
            n_py += 1
            for t, ln, k in got.get(row.row, ()):
                py_idx.setdefault(t, []).append(i)
                py_line.setdefault(t, []).append(ln)
                py_key.setdefault(t, []).append(k)
    counts["rejected"] += len(rej_idx)
    counts["translated"] += n_ok + n_py

    # ---- stage D: records, money, trail ----
    lines_exprs, sum_exprs, keys = [], [], []
    for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
        colmap = {vf.fp.name: pl.col(f"__jc_v{ti}_{fi}") for fi, vf in enumerate(vfs)}
        colmap.update({n: pl.lit(v, dt) for n, (v, dt) in consts.items()})
        take = pl.col("__jc_ok") & pl.col(f"__jc_w{ti}")
        texts = [f for f in tp.entity.fields if f.name in colmap and f.element.type == "text" and f.name not in consts]
        escape = {}
        if texts and n_ok:
            flags = frame.select([(take & colmap[f.name].str.contains(r'["\\]')).any().alias(f.name) for f in texts]).row(0, named=True)
            escape = {k: bool(v) for k, v in flags.items()}
        line = json_line(tp.entity, colmap, escape)
        lines_exprs.append(pl.when(take).then(line).otherwise(None).alias(f"__jc_line{ti}"))
        keys.append(pl.when(take).then(pl.concat_str([colmap[k].cast(pl.Utf8) for k in tp.key], separator="|")).otherwise(None).alias(f"__jc_key{ti}"))
        for name, _ in tallies[ti]:
            if name in colmap:
                sum_exprs.append(colmap[name].filter(take).sum().alias(f"s{ti}_{name}"))
                sum_exprs.append(colmap[name].filter(take).null_count().alias(f"e{ti}_{name}"))
    if sum_exprs and n_ok:
        agg = frame.select(sum_exprs).row(0, named=True)
        for ti in range(len(fplan.targets)):
            for name, tally in tallies[ti]:
                if f"s{ti}_{name}" in agg:
                    amount = Decimal(int(agg[f"s{ti}_{name}"] or 0)).scaleb(-2)
                    tally.source += amount
                    tally.translated += amount
                    tally.empty += int(agg[f"e{ti}_{name}"] or 0)
    out = frame.select(pl.col("__jc_row"), pl.col("__jc_off"), pl.col("__jc_filter"), *lines_exprs, *keys)
    # the records the row path translated after all, at their rows (one scatter per target)
    for t, idx in py_idx.items():
        out = out.with_columns(
            out[f"__jc_line{t}"].scatter(idx, pl.Series(py_line[t], dtype=pl.Utf8)),
            out[f"__jc_key{t}"].scatter(idx, pl.Series(py_key[t], dtype=pl.Utf8)),
        )
    for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
        lines = out.get_column(f"__jc_line{ti}").drop_nulls()
        writers[tp.entity.id].write_lines(lines)
        ledger.records_from_rows[tp.entity.id] += len(lines)
    if trail_fh is not None:
        rcode = pl.Series("__jc_rcode", [None] * out.height, dtype=pl.Utf8)
        if rej_idx:
            rcode = rcode.scatter(rej_idx, rej_codes)
        out = out.with_columns(rcode)
        parts = []
        before: Expr = pl.lit(0, pl.Int32)  # the record's place among the row's records (the row path's order)
        for ti, (tp, vfs, pys, consts) in enumerate(fplan.targets):
            has = pl.col(f"__jc_line{ti}").is_not_null()
            parts.append(out.filter(has).select(
                pl.col("__jc_row"), pl.lit(ti, pl.Int32).alias("__t"), pl.lit("translated").alias("outcome"),
                pl.lit(tp.entity.id).alias("entity"), pl.col(f"__jc_key{ti}").alias("key"), pl.lit(None, pl.Utf8).alias("code"),
                (before + 1).cast(pl.Int32).alias("item"), pl.col("__jc_off"),
            ))
            before = before + has.cast(pl.Int32)
        parts.append(out.filter(pl.col("__jc_filter").is_not_null() | pl.col("__jc_rcode").is_not_null()).select(
            pl.col("__jc_row"), pl.lit(-1, pl.Int32).alias("__t"),
            pl.when(pl.col("__jc_filter").is_not_null()).then(pl.lit("filtered")).otherwise(pl.lit("rejected")).alias("outcome"),
            pl.lit(None, pl.Utf8).alias("entity"), pl.lit(None, pl.Utf8).alias("key"),
            pl.coalesce([pl.col("__jc_filter"), pl.col("__jc_rcode")]).alias("code"),
            pl.lit(0, pl.Int32).alias("item"), pl.col("__jc_off"),
        ))
        trail = parts[0] if len(parts) == 1 or all(p.height == 0 for p in parts[1:]) and len(fplan.targets) == 1 else pl.concat(parts).sort(["__jc_row", "__t"])
        trail.select(
            pl.lit(safe_output.neutralise(path)).alias("file"), pl.lit(None, pl.Utf8).alias("sheet"), pl.col("__jc_row"), pl.col("outcome"),
            pl.col("entity"), safe_output.polars_neutralise(_masked_keys(trail)).alias("key"), pl.col("code"), pl.col("item"), pl.col("__jc_off"),
        ).write_csv(trail_fh, include_header=False, quote_style="necessary")
    return notes_on, checked_layout


def _masked_keys(trail: Any) -> Any:
    """The trail's key column, ID- and account-like digit runs masked (``jincai.masking``); the
    Python function only runs when some key has a run long enough to be one."""
    import polars as pl

    from jincai.masking import mask_text

    key = pl.col("key")
    if trail.select(key.str.contains(r"[0-9\uff10-\uff19]{15}").any()).item():
        return key.map_elements(mask_text, return_dtype=pl.Utf8)
    return key


def _model(tp: Any) -> Any:
    from jincai.models import model_for

    return model_for(tp.entity.id)
