"""``jincai id check KIND VALUE`` — check one identifier and explain the result in zh and en.

Exit codes: 0 valid, 1 invalid, 2 usage error (unknown KIND, bad option).
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import Optional

import typer

from jincai import identifiers
from jincai.identifiers import IdCheck


class IdKind(str, Enum):
    uscc = "uscc"
    orgcode = "orgcode"
    citizen_id = "citizen-id"
    cnaps = "cnaps"


_LABEL = {
    IdKind.uscc: "统一社会信用代码 unified social credit code (GB 32100-2015)",
    IdKind.orgcode: "组织机构代码 organisation code (GB 11714-1997)",
    IdKind.citizen_id: "公民身份号码 citizen ID number (GB 11643-1999)",
    IdKind.cnaps: "支付系统行号 CNAPS bank branch code（仅校验格式 format only）",
}

id_app = typer.Typer(
    help="标识符校验 / identifier checks: 统一社会信用代码、组织机构代码、公民身份号码、支付系统行号 "
    "(USCC, organisation code, citizen ID, CNAPS)",
    no_args_is_help=True,
)


def _parse_on(text: Optional[str]) -> Optional[date]:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"日期应为 YYYY-MM-DD，实为 {text!r} / date must be YYYY-MM-DD, got {text!r}"
        ) from None


def _run(kind: IdKind, value: str, on: Optional[date]) -> IdCheck:
    if kind is IdKind.uscc:
        return identifiers.check_uscc(value)
    if kind is IdKind.orgcode:
        return identifiers.check_orgcode(value)
    if kind is IdKind.citizen_id:
        return identifiers.check_citizen_id(value, on=on)
    return identifiers.check_cnaps(value)


def _display(value: str) -> str:
    """The value as printed: quoted/escaped when it holds whitespace or non-printable characters."""
    if value.isprintable() and value == value.strip() and not any(c.isspace() for c in value):
        return value
    return json.dumps(value, ensure_ascii=True)


def _dumps(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from undecodable argv bytes
        text = json.dumps(obj, ensure_ascii=True)
    return text


_CHECK_HELP = (
    "校验一个标识符：有效退出码 0，无效 1，用法错误 2。公民身份号码在输出中打码（保留前6位和后4位）。"
    "支付系统行号（CNAPS）只校验格式：没有可信的公开校验位算法。"
    "\n\n"
    "Check one identifier: exit 0 if valid, 1 if invalid, 2 on a usage error. Citizen ID numbers "
    "are masked in the output (first 6 and last 4 kept). CNAPS codes are checked for format "
    "only: no trustworthy public check-digit algorithm exists."
)


@id_app.command("check", help=_CHECK_HELP, short_help="校验一个标识符 / check one identifier")
def check(
    kind: IdKind = typer.Argument(
        ...,
        case_sensitive=True,
        help="标识符类型 / identifier kind: uscc | orgcode | citizen-id | cnaps",
        metavar="KIND",
    ),
    value: str = typer.Argument(..., help="要校验的值 / the value to check", metavar="VALUE"),
    as_json: bool = typer.Option(
        False, "--json", help="输出一个 JSON 对象 / print one JSON object"
    ),
    on: Optional[str] = typer.Option(
        None,
        "--on",
        help="公民身份号码：出生日期不得晚于此日期（默认今天）/ "
        "citizen-id: birth date must not be after this date (default: today)",
        metavar="YYYY-MM-DD",
    ),
) -> None:
    result = _run(kind, value, _parse_on(on))
    shown = identifiers.mask_citizen_id(value) if kind is IdKind.citizen_id else value
    if as_json:
        typer.echo(
            _dumps(
                {
                    "kind": kind.value,
                    "value": shown,
                    "valid": result.valid,
                    "code": result.code,
                    "reason_zh": result.reason_zh,
                    "reason_en": result.reason_en,
                }
            )
        )
    else:
        status = "有效 valid" if result.valid else "无效 invalid"
        typer.echo(f"{status}  [{result.code}]")
        typer.echo(f"类型 kind: {_LABEL[kind]}")
        typer.echo(f"值 value: {_display(shown)}")
        typer.echo(f"原因: {result.reason_zh}")
        typer.echo(f"reason: {result.reason_en}")
    if not result.valid:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.add_typer(id_app, name="id")
