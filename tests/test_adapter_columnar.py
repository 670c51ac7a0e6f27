"""The columnar fast path claims only what it computes exactly as the row path does."""

from __future__ import annotations

import json
import os
import random
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jincai.adapters import transforms as T
from jincai.adapters.columnar import VECTOR, State, _finish
from jincai.adapters.engine import finisher, translate
from jincai.adapters.profile import load_profile
from jincai.adapters.readers._fixed import render_record
from jincai.identifiers import make_citizen_id
from jincai.standard import standard

ALPHABET = list("0123456789,.-+()（）EeAbz 　\t") + ["１", "２", "，", "．", "－", "行", "\x1c", "[", "]", "【", "】", ":", "、"]
CASES = [
    ("trim", None), ("trim", {"chars": " 0"}), ("fullwidth_to_halfwidth", None), ("upper", None), ("null_if", ["-", "无"]),
    ("thousands", None), ("thousands", {"strict": False}), ("paren_negative", None), ("money", None), ("wan_yuan", None),
    ("implied_decimal", 2), ("implied_decimal", 3), ("integer", None), ("leading_zero_guard", 6), ("leading_zero_guard", {"lengths": [3, 5, 7]}),
    ("length_check", [16, 19]), ("scientific_notation_guard", None), ("slice", {"start": 1, "end": 3}), ("map", {"values": {"01": "1", "02": "2"}}),
    ("split_code_name", "code"), ("split_code_name", "name"),
]


def _as_int(v: Decimal, scale: int) -> int:
    return int(v.scaleb(scale))


@pytest.mark.parametrize("name, args", CASES, ids=[f"{n}-{a}" for n, a in CASES])
@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12), min_size=1, max_size=40))
def test_vector_transforms_agree_where_they_claim(name, args, values):
    d, parsed = T.parse_item({name: args} if args is not None else name)
    st0 = State("str", pl.col("v"), pl.lit(True))
    out = VECTOR[name](parsed, st0)
    assert out is not None
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8}).with_columns(*[e.alias(n) for n, e in out.pre])  # helper columns first, as _batch does
    frame = frame.select(out.val.alias("o"), out.claim.fill_null(False).alias("c"))
    fn = T.build_item({name: args} if args is not None else name, T.BuildContext())[1]
    for value, (o, claimed) in zip(values, frame.rows()):
        if not claimed:
            continue
        try:
            py = fn(value)
        except T.Reject as r:
            pytest.fail(f"{name}({value!r}) claimed as {o!r} but the row path rejects it: {r.code}")
        if isinstance(out.kind, tuple):
            assert py is None and o is None or _as_int(py, out.kind[1]) == o, (value, py, o)
        else:
            assert py == o, (value, py, o)


@pytest.mark.parametrize("element", ["gross_amt", "pay_month", "agency_code", "add_word", "pay_amt"])
@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=10), min_size=1, max_size=30))
def test_finishers_agree_where_they_claim(element, values):
    el = standard().elements[element]
    out = _finish(el, State("str", pl.col("v"), pl.lit(True)))
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8}).select(out.val.alias("o"), out.claim.fill_null(False).alias("c"))
    fin = finisher(el)
    for value, (o, claimed) in zip(values, frame.rows()):
        if not claimed:
            continue
        try:
            py = fin(value)
        except T.Reject as r:
            pytest.fail(f"{element}({value!r}) claimed but rejected: {r.code}")
        if isinstance(out.kind, tuple):
            assert (py is None and o is None) or _as_int(py, out.kind[1]) == o
        else:
            assert py == o, (value, py, o)


# ---- whole files, both paths ------------------------------------------------------------------


@contextmanager
def _row_path():
    os.environ["JINCAI_ADAPTER_ROWS"] = "1"
    try:
        yield
    finally:
        del os.environ["JINCAI_ADAPTER_ROWS"]


def _both(profile, inputs, tmp_path):
    a = translate(profile, inputs, tmp_path / "col")
    with _row_path():
        b = translate(profile, inputs, tmp_path / "row")
    assert set(a.paths.values()) == {"columnar"}, a.paths
    assert all(v.startswith("rows") for v in b.paths.values())
    for lg in (a, b):
        assert lg.reconciled, lg.problems()
    for f in sorted((tmp_path / "row").iterdir()):
        if f.name == "ledger.json":
            ja, jb = (json.loads((d / f.name).read_text(encoding="utf-8")) for d in (tmp_path / "col", tmp_path / "row"))
            for j in (ja, jb):
                j.pop("outputs")
                for x in j["files"]:
                    x.pop("engine")
            assert ja == jb
        else:
            assert (tmp_path / "col" / f.name).read_bytes() == f.read_bytes(), f.name
    return a


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(0, 60))
def test_bank_payroll_file_both_paths(tmp_path_factory, seed, n):
    tmp = tmp_path_factory.mktemp("fw")
    profile = load_profile("bank_payroll_fixed")
    layout = profile.source.options()
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        cid = make_citizen_id("130681", date(1960 + i % 40, 1 + i % 12, 1 + i % 28), i)
        v = {"记录类型": "D", "财政区划": "130681000", "发放年度": "2024", "发放月份": f"{1 + i % 12:02d}", "流水号": f"GZ{i:08d}", "单位代码": "101001",
             "身份证号": cid, "姓名": rng.choice(["张三", "李四四", "王"]), "账号": "6222253227117133672", "代理行号": "103068100021", "功能科目": "2080505",
             "经济科目": "30101", "应发金额": "3514.74", "扣款金额": "510.22", "实发金额": "3004.52", "指标编号": "ZB1", "凭证号": rng.choice(["ZF1", None])}
        k = rng.randrange(12)
        if k == 1:
            v["应发金额"] = "3514.745"
        elif k == 2:
            v["实发金额"] = "３００４．５２"
        elif k == 3:
            v["身份证号"] = cid[:-1] + ("1" if cid[-1] != "1" else "2")
        elif k == 4:
            v["账号"] = "6.22225E+18"
        elif k == 5:
            v["代理行号"] = "3068100021"
        elif k == 6:
            v["记录类型"] = rng.choice("HT")  # a control type amid the details: rejected, never taken for a control record
        elif k == 7:
            v["发放月份"] = "13"
        elif k == 8:
            v["姓名"] = ""
        rec = render_record(layout, v, {"应发金额": "right", "扣款金额": "right", "实发金额": "right"})
        if k == 9:
            rec = rec[:-5]
        elif k == 10:
            rec = rec[:70] + b"\xff" + rec[71:]
        elif k == 11:
            rec = b""
        lines.append(rec)
    from jincai.adapters.readers._fixed import FixedWidthOptions

    opts = FixedWidthOptions.model_validate(layout)
    control = {"财政区划": "130681000", "发放年度": "2024", "发放月份": "03", "应发总额": "1.00", "实发总额": "1.00"}
    head = render_record(opts.control_layout("H"), {**control, "记录类型": "H", "批次号": "PC1"})
    tail = render_record(opts.control_layout("T"), {**control, "记录类型": "T", "笔数": str(n)})
    src = tmp / "bank.txt"
    src.write_bytes(b"\r\n".join([head, *lines, tail]) + b"\r\n")
    _both(profile, [src], tmp)


MULTI = {
    "id": "t_multi",
    "name_zh": "测试：两个目标",
    "name_en": "test: two targets",
    "source": {"format": "csv", "encoding": "utf-8", "delimiter": "|", "header_row": 2},
    "constants": {"mof_div_code": "130681000", "fiscal_year": "2024"},
    "filters": ["blank", "header_repeat", {"kind": "match", "column": "类型", "pattern": "作废", "code": "voided", "reason_zh": "作废", "reason_en": "voided"}, {"kind": "notes_below", "pattern": "^注"}],
    "targets": [
        {"entity": "payment_detail", "when": {"column": "类型", "in": ["D", "X"]}, "fields": {
            "pay_detail_id": {"from": "编号", "transform": ["trim"]}, "pay_cert_id": "凭证", "agency_code": {"from": "单位", "transform": [{"leading_zero_guard": 6}]},
            "payee_acct_name": "收款人", "payee_acct_no": "账号", "payee_acct_bank_name": {"const": "某银行"},
            "pay_amt": {"from": "金额", "transform": ["trim", "paren_negative", "thousands", "wan_yuan"]}, "add_word": "_file"}},
        {"entity": "agency", "when": {"column": "类型", "equals": "A"}, "fields": {
            "agency_code": "单位", "agency_name": "收款人", "agency_type_code": {"from": "编号", "transform": [{"map": {"values": {"1": "1", "2": "2"}}}]},
            "dept_code": "单位", "budget_level_code": {"const": "3"}}},
    ],
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["D", "X", "A", "作废", "Q", "", "H", "注"]), st.integers(-10**9, 10**9), st.sampled_from(["001234", "1234", "00123a"])), max_size=40))
def test_two_targets_when_filters_pseudo_columns_both_paths(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("multi")
    p = tmp / "p.yaml"
    p.write_text(yaml.safe_dump(MULTI, allow_unicode=True), encoding="utf-8")
    try:
        profile = load_profile(p)
    except Exception as exc:  # pragma: no cover - the test profile must stay valid
        pytest.fail(str(exc))
    out = ["报表", "类型|编号|凭证|单位|收款人|账号|金额"]
    for i, (kind, micro, unit) in enumerate(rows):
        amount = Decimal(micro).scaleb(-6)
        text = f"({abs(amount):,f})" if amount < 0 else f"{amount:,f}"
        if kind == "H":
            out.append("类型|编号|凭证|单位|收款人|账号|金额")
        elif kind == "":
            out.append("||||||")
        elif kind == "注":
            out.append("注：以上为测试|||||| ")
        else:
            out.append(f"{kind}|{1 + i % 3}|ZF{i}|{unit}|某某{i}|6222{i:06d}|{text}")
    src = tmp / "multi.txt"
    src.write_text("\n".join(out) + "\n", encoding="utf-8")
    _both(profile, [src], tmp)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-(10**18) + 1, 10**18 - 1), st.integers(-1000, 1000)), min_size=1, max_size=50), st.sampled_from([0, 1, 2, 6]))
def test_money_text_is_the_canonical_decimal(fens, scale):
    from jincai.adapters.columnar import _money_text

    got = pl.DataFrame({"f": fens}, schema={"f": pl.Int64}).select(_money_text(pl.col("f"), scale)).to_series().to_list()
    assert got == [None if f is None else str(Decimal(f).scaleb(-scale)) if scale else str(f) for f in fens]


_TEXT = st.text(alphabet=st.sampled_from(list('ab 9"\\/中文é') + ["\u3000", "\U0001f600"]), max_size=6)


@pytest.mark.parametrize("entity_id", ["payment_detail", "payment_voucher", "payroll_record", "budget_indicator", "fiscal_report_line"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_json_line_is_the_canonical_line(entity_id, data):
    """The columnar JSON line of a record is ``canonical.dumps_record``'s, byte for byte: any subset
    of fields, optional ones null or not, text with quotes and backslashes (escaped or not)."""
    from jincai.adapters.columnar import json_line
    from jincai.canonical import dumps_record

    entity = standard().entity(entity_id)
    kinds = ("code", "text", "money", "decimal", "integer", "boolean")
    fields = [f for f in entity.fields if f.element.type in kinds and (f.required or data.draw(st.booleans()))]
    rows, records = [], []
    for _ in range(data.draw(st.integers(1, 5))):
        row, rec = {}, {}
        for f in fields:
            t, scale = f.element.type, f.element.effective_scale or 0
            if not f.required and data.draw(st.booleans()):
                row[f.name] = None
                continue
            if t in ("money", "decimal"):
                v = data.draw(st.integers(-(10**15), 10**15))
                row[f.name], rec[f.name] = v, Decimal(v).scaleb(-scale)
            elif t == "integer":
                row[f.name] = rec[f.name] = data.draw(st.integers(-(10**9), 10**9))
            elif t == "boolean":
                row[f.name] = rec[f.name] = data.draw(st.booleans())
            else:
                row[f.name] = rec[f.name] = data.draw(_TEXT)
        rows.append(row)
        records.append(rec)
    dtype = {"money": pl.Int64, "decimal": pl.Int64, "integer": pl.Int64, "boolean": pl.Boolean}
    frame = pl.DataFrame(rows, schema={f.name: dtype.get(f.element.type, pl.Utf8) for f in fields}, orient="row")
    line = json_line(entity, {f.name: pl.col(f.name) for f in fields}, {f.name: True for f in fields})
    got = frame.select(line.alias("line"))["line"].to_list()
    assert got == [dumps_record(entity, r) for r in records]
