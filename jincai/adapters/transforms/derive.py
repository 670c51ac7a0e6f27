"""Transforms that derive a value from others: the government economic class of a department class,
exact sums and differences of several columns or fields (never eval)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from jincai.adapters.transforms._helpers import _parse_decimal, _show
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, Reject, TransformDef, _Args, _register
from jincai.adapters.transforms.text import WS


class DeriveGovEcoArgs(_Args):
    pass


def _build_gov_eco(a: DeriveGovEcoArgs, ctx: BuildContext) -> Fn:
    state: dict[str, Any] = {}

    def run(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, tuple) or len(value) != 2:
            raise Reject(
                "derive-gov-eco-args",
                "derive_gov_eco：需要两个输入 derive: [dep_bgt_eco_code, fiscal_year]",
                "derive_gov_eco: needs two inputs, derive: [dep_bgt_eco_code, fiscal_year]",
            )
        dep, year = value
        if dep is None or year is None:
            return None
        if "reg" not in state:
            state["reg"] = ctx.registry()
        try:
            out = state["reg"].dep_to_gov(str(dep), int(year))
        except (KeyError, LookupError, ValueError):
            out = None
        if not out:
            raise Reject(
                "gov-eco-unmapped",
                f"derive_gov_eco：{year} 年部门经济分类 {dep} 没有对应的政府经济分类",
                f"derive_gov_eco: the department economic code {dep} has no government economic code in {year}",
            )
        return out

    return run


_register(
    TransformDef(
        "derive_gov_eco",
        "由部门预算经济分类推出政府预算经济分类（按年度对照表），derive: [dep_bgt_eco_code, fiscal_year]",
        "derive the government economic code from the department economic code (by year's table), "
        "derive: [dep_bgt_eco_code, fiscal_year]",
        DeriveGovEcoArgs,
        _build_gov_eco,
        multi=True,
        reasons=("gov-eco-unmapped",),
        examples=(),
    )
)


class SumArgs(_Args):
    signs: list[Literal["+", "-", "\u2212"]] | None = Field(
        None, description="每个输入的符号（+ 或 -），按输入顺序；不写则全部相加 / the sign of each input, in order; default: all added"
    )
    empty_is_zero: bool = Field(
        False, description="空的输入按 0 计；否则任一输入为空则结果为空 / an empty input counts as 0; otherwise any empty input makes the result empty"
    )


def _build_sum(a: SumArgs, ctx: BuildContext) -> Fn:
    import decimal

    signs = [-1 if s != "+" else 1 for s in a.signs] if a.signs is not None else None
    zero = a.empty_is_zero
    # wide enough for any amount a file can hold; a result that would still need rounding is an
    # error (Inexact is trapped), so the sum is exact or there is none
    exact = decimal.Context(prec=200, Emax=999, Emin=-999, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])

    def run(value: Any) -> Any:
        parts = value if isinstance(value, tuple) else (value,)
        if signs is not None and len(signs) != len(parts):
            raise Reject(
                "sum-arity",
                f"sum：有 {len(parts)} 个输入，signs 给了 {len(signs)} 个符号",
                f"sum: {len(parts)} inputs but {len(signs)} signs",
            )
        total = Decimal(0)
        for i, p in enumerate(parts):
            if p is None or (isinstance(p, str) and not p.strip(WS)):
                if zero:
                    continue
                return None
            d = _parse_decimal(p.strip(WS) if isinstance(p, str) else p, "sum")
            try:
                total = exact.subtract(total, d) if signs is not None and signs[i] < 0 else exact.add(total, d)
            except decimal.DecimalException:
                raise Reject("sum-out-of-range", f"sum：{_show(value)} 的结果超出精确计算的范围", f"sum: the result of {_show(value)} cannot be computed exactly") from None
        return total

    return run


_register(
    TransformDef(
        "sum",
        "多列（from: [a, b]）或多个规范字段（derive: [x, y]）精确相加减（Decimal，+ 与 - 两种运算，不四舍五入），如 应发 = 实发 + 扣款",
        "add or subtract several columns (from: [a, b]) or canonical fields (derive: [x, y]) exactly (Decimal, + and - only, "
        "never rounded), e.g. gross = net + deductions",
        SumArgs,
        _build_sum,
        shorthand="signs",
        multi=True,
        reasons=("sum-not-a-number", "scientific-notation", "sum-arity", "sum-out-of-range"),
        examples=(
            Example(("3112.01", "458.21"), "3570.22"),
            Example(("3570.22", "458.21"), "3112.01", ["+", "-"]),
            Example(("3112.01", None), None),
            Example(("3112.01", ""), "3112.01", {"empty_is_zero": True}),
            Example(("1,000.00", "1"), "reject:sum-not-a-number"),
        ),
        arity=lambda a: len(a.signs) if a.signs is not None else None,
    )
)


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "gov-eco-unmapped": ("部门经济分类没有对应的政府经济分类", "no government economic code for the department code"),
        "sum-arity": ("sum 的符号个数与输入个数不符", "sum: the number of signs differs from the number of inputs"),
        "sum-not-a-number": ("sum 的输入不是数字", "a sum input is not a number"),
        "sum-out-of-range": ("sum 的结果超出精确计算范围", "sum result cannot be computed exactly"),
    }
)
