"""Date transforms: Chinese dates, Excel serial dates, declared date and datetime formats."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import Field, field_validator

from jincai.adapters.transforms._helpers import _as_text, _hint_fullwidth, _parse_decimal, _show
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import BuildContext, Example, Fn, Reject, TransformDef, _Args, _register


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_DATE = re.compile(r"\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?\s*")
_CHINESE_DATE_HANZI = re.compile(r"\s*([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*[日号]\s*")


def _hanzi_number(s: str) -> int | None:
    """一..九, 十, 十一..十九, 二十.., 三十一 (months and days)."""
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    head, _, tail = s.partition("十")
    tens = 1 if head == "" else _CN_DIGITS.get(head)
    ones = 0 if tail == "" else _CN_DIGITS.get(tail)
    if tens is None or ones is None or len(head) > 1 or len(tail) > 1:
        return None
    return tens * 10 + ones


def _make_date(y: int, m: int, d: int, name: str, raw: Any) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise Reject(
            "date-not-in-calendar",
            f"{name}：{_show(raw)} 不是真实存在的日期",
            f"{name}: {_show(raw)} is not a real calendar date",
        ) from None


class ChineseDateArgs(_Args):
    hanzi: bool = Field(True, description="也接受汉字数字（二〇〇七年三月五日）/ also accept Chinese numerals")


def _build_chinese_date(a: ChineseDateArgs, ctx: BuildContext) -> Fn:
    hanzi = a.hanzi

    def run(value: Any) -> Any:
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        s = _as_text(value, "chinese_date")
        m = _CHINESE_DATE.fullmatch(s)
        if m:
            return _make_date(int(m[1]), int(m[2]), int(m[3]), "chinese_date", s)
        if hanzi:
            m = _CHINESE_DATE_HANZI.fullmatch(s)
            if m:
                y = int("".join(str(_CN_DIGITS[c]) for c in m[1]))
                mo, d = _hanzi_number(m[2]), _hanzi_number(m[3])
                if mo is not None and d is not None:
                    return _make_date(y, mo, d, "chinese_date", s)
        zh, en = _hint_fullwidth(s)
        raise Reject(
            "chinese-date-invalid",
            f"chinese_date：{_show(s)} 不是“2007年3月5日”形式的日期{zh}",
            f"chinese_date: {_show(s)} is not a date like 2007年3月5日{en}",
        )

    return run


_register(
    TransformDef(
        "chinese_date",
        "中文日期 → 日期：2007年3月5日、2007年03月05日、二〇〇七年三月五日",
        "Chinese dates → date: 2007年3月5日, 2007年03月05日, 二〇〇七年三月五日",
        ChineseDateArgs,
        _build_chinese_date,
        reasons=("chinese-date-invalid", "date-not-in-calendar"),
        examples=(Example("2007年3月5日", "2007-03-05"), Example("二〇〇七年三月五日", "2007-03-05"), Example("2007年2月30日", "reject:date-not-in-calendar")),
    )
)


class ExcelSerialArgs(_Args):
    system: Literal[1900, 1904] = Field(1900, description="Excel 日期系统：1900（Windows，含 1900-02-29 错误）或 1904（旧版 Mac）/ date system")
    allow_time: bool = Field(False, description="允许带时间的小数部分（丢弃时间）/ accept a time fraction (dropped)")


_D1899_12_30 = date(1899, 12, 30)
_D1899_12_31 = date(1899, 12, 31)
_D1904_01_01 = date(1904, 1, 1)


def excel_serial_to_date(serial: int, system: int = 1900) -> date:
    """Excel serial day number → date. 1900 system: 1 = 1900-01-01, 60 is Excel's fictitious
    1900-02-29 (``ValueError``), 61 = 1900-03-01. 1904 system: 0 = 1904-01-01."""
    if system == 1904:
        if serial < 0:
            raise ValueError("negative serial")
        return _D1904_01_01 + timedelta(days=serial)
    if serial < 1:
        raise ValueError("serial before 1900-01-01")
    if serial == 60:
        raise ValueError("1900-02-29 does not exist")
    if serial < 60:
        return _D1899_12_31 + timedelta(days=serial)
    return _D1899_12_30 + timedelta(days=serial)


def date_to_excel_serial(d: date, system: int = 1900) -> int:
    """The inverse of ``excel_serial_to_date``."""
    if system == 1904:
        return (d - _D1904_01_01).days
    n = (d - _D1899_12_30).days
    return n if n > 60 else n - 1


def _build_excel_serial(a: ExcelSerialArgs, ctx: BuildContext) -> Fn:
    system, allow_time = a.system, a.allow_time

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.time() != datetime.min.time() and not allow_time:
                raise Reject("excel-date-has-time", f"excel_serial_date：{value} 带有时间", f"excel_serial_date: {value} carries a time")
            return value.date()
        if isinstance(value, date):
            return value
        try:
            d = _parse_decimal(value, "excel_serial_date")
        except Reject:
            raise Reject(
                "excel-date-invalid",
                f"excel_serial_date：{_show(value)} 不是 Excel 日期序号",
                f"excel_serial_date: {_show(value)} is not an Excel date serial number",
            ) from None
        whole = int(d)
        if d != whole and not allow_time:
            raise Reject(
                "excel-date-has-time",
                f"excel_serial_date：{_show(value)} 含时间（小数部分）",
                f"excel_serial_date: {_show(value)} has a time part (fraction)",
            )
        try:
            return excel_serial_to_date(whole, system)
        except (ValueError, OverflowError) as exc:
            raise Reject(
                "excel-date-invalid",
                f"excel_serial_date：{_show(value)} 不是有效的 Excel 日期序号（{exc}）",
                f"excel_serial_date: {_show(value)} is not a valid Excel serial ({exc})",
            ) from None

    return run


_register(
    TransformDef(
        "excel_serial_date",
        "Excel 日期序号 → 日期（1900 系统含 1900-02-29 错误：60 拒绝；或 1904 系统）",
        "Excel serial date → date (1900 system with its 1900-02-29 bug: 60 is rejected; or the 1904 system)",
        ExcelSerialArgs,
        _build_excel_serial,
        shorthand="system",
        reasons=("excel-date-invalid", "excel-date-has-time"),
        examples=(Example(39146, "2007-03-05"), Example(61, "1900-03-01"), Example(60, "reject:excel-date-invalid"), Example(0, "1904-01-01", 1904)),
    )
)

_DIRECTIVES = {"Y": r"([0-9]{4})", "m": None, "d": None, "H": None, "M": None, "S": None}


def compile_date_format(fmt: str) -> tuple[re.Pattern[str], list[str]]:
    """``%Y%m%d``-style format → (full-match regex, directive order). ``%m %d %H %M %S`` take one or
    two digits when a literal separates them from the next directive, exactly two otherwise (so
    ``%Y%m%d`` is never ambiguous). ``%%`` is a literal ``%``."""
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%":
            if i + 1 >= len(fmt):
                raise ValueError("format ends with %")
            d = fmt[i + 1]
            if d == "%":
                items.append(("lit", "%"))
            elif d in _DIRECTIVES:
                items.append(("dir", d))
            else:
                raise ValueError(f"unsupported directive %{d} (supported: %Y %m %d %H %M %S %%)")
            i += 2
        else:
            items.append(("lit", c))
            i += 1
    order: list[str] = []
    parts: list[str] = []
    for k, (kind, v) in enumerate(items):
        if kind == "lit":
            parts.append(re.escape(v))
            continue
        if v in order:
            raise ValueError(f"directive %{v} appears twice")
        order.append(v)
        if v == "Y":
            parts.append(_DIRECTIVES["Y"])
            continue
        prev_dir = k > 0 and items[k - 1][0] == "dir"
        next_dir = k + 1 < len(items) and items[k + 1][0] == "dir"
        parts.append(r"([0-9]{2})" if (prev_dir or next_dir) else r"([0-9]{1,2})")
    if "Y" not in order or "m" not in order or "d" not in order:
        raise ValueError("a date format needs %Y, %m and %d")
    return re.compile(r"\s*" + "".join(parts) + r"\s*"), order


class DateFormatArgs(_Args):
    format: str = Field(description="格式，如 %Y%m%d、%Y/%m/%d、%Y-%m-%d %H:%M:%S / the format")

    @field_validator("format")
    @classmethod
    def _valid(cls, v: str) -> str:
        compile_date_format(v)
        return v


def _build_date_format(a: DateFormatArgs, ctx: BuildContext) -> Fn:
    rx, order = compile_date_format(a.format)
    iy, im, idd = order.index("Y") + 1, order.index("m") + 1, order.index("d") + 1
    fmt = a.format

    def run(value: Any) -> Any:
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        s = _as_text(value, "date_format")
        m = rx.fullmatch(s)
        if m is None:
            zh, en = _hint_fullwidth(s)
            raise Reject(
                "date-format-mismatch",
                f"date_format：{_show(s)} 不符合日期格式 {fmt}{zh}",
                f"date_format: {_show(s)} does not match the date format {fmt}{en}",
            )
        return _make_date(int(m[iy]), int(m[im]), int(m[idd]), "date_format", s)

    return run


_register(
    TransformDef(
        "date_format",
        "按格式解析日期（%Y %m %d，时间 %H %M %S 会被校验后丢弃）；不符即拒绝",
        "parse a date with a format (%Y %m %d; %H %M %S are matched and dropped); a mismatch is rejected",
        DateFormatArgs,
        _build_date_format,
        shorthand="format",
        reasons=("date-format-mismatch", "date-not-in-calendar"),
        examples=(Example("20070305", "2007-03-05", "%Y%m%d"), Example("2007/3/5", "2007-03-05", "%Y/%m/%d"), Example("2007135", "reject:date-format-mismatch", "%Y%m%d")),
    )
)


class DatetimeFormatArgs(_Args):
    format: str = Field(description="格式，如 %Y-%m-%d %H:%M:%S / the format")
    offset: str = Field("+08:00", pattern=r"^[+-][0-9]{2}:[0-5][0-9]$", description="源系统的时区偏移 / the source system's UTC offset")

    @field_validator("format")
    @classmethod
    def _valid(cls, v: str) -> str:
        compile_date_format(v)
        return v


def _build_datetime_format(a: DatetimeFormatArgs, ctx: BuildContext) -> Fn:
    rx, order = compile_date_format(a.format)
    idx = {k: order.index(k) + 1 for k in order}
    sign = 1 if a.offset[0] == "+" else -1
    tz = timezone(sign * timedelta(hours=int(a.offset[1:3]), minutes=int(a.offset[4:6])))
    fmt = a.format

    def run(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        s = _as_text(value, "datetime_format")
        m = rx.fullmatch(s)
        if m is None:
            raise Reject(
                "date-format-mismatch",
                f"datetime_format：{_show(s)} 不符合格式 {fmt}",
                f"datetime_format: {_show(s)} does not match the format {fmt}",
            )
        parts = [int(m[idx[k]]) if k in idx else 0 for k in ("Y", "m", "d", "H", "M", "S")]
        try:
            return datetime(*parts, tzinfo=tz)
        except ValueError:
            raise Reject(
                "date-not-in-calendar",
                f"datetime_format：{_show(s)} 不是真实存在的时间",
                f"datetime_format: {_show(s)} is not a real date and time",
            ) from None

    return run


_register(
    TransformDef(
        "datetime_format",
        "按格式解析时间戳，并加上源系统的时区偏移（默认 +08:00）",
        "parse a datetime with a format and attach the source system's UTC offset (default +08:00)",
        DatetimeFormatArgs,
        _build_datetime_format,
        shorthand="format",
        reasons=("date-format-mismatch", "date-not-in-calendar"),
        examples=(Example("2024-03-05 10:22:33", "2024-03-05T10:22:33+08:00", "%Y-%m-%d %H:%M:%S"),),
    )
)


# this family's reason codes (see _reasons.py)
REASONS.update(
    {
        "chinese-date-invalid": ("不是“2007年3月5日”形式的中文日期", "not a Chinese date like 2007年3月5日"),
        "date-format-mismatch": ("日期不符合声明的格式", "date does not match the declared format"),
        "date-not-in-calendar": ("日期不存在", "date not in the calendar"),
        "excel-date-has-time": ("Excel 日期带时间", "Excel date with a time part"),
        "excel-date-invalid": ("不是有效的 Excel 日期序号", "not a valid Excel date serial"),
    }
)
