"""Generate ``proto/jincai/fiscal/v1/fiscal.proto`` and its Python stubs (``jincai/proto_gen``).

proto3, ``package jincai.fiscal.v1``; one message per entity, field numbers = the entity's tags
(never reused), field names = element ids. Money is ``Money { int64 fen }`` (exact, 1.00 yuan =
100, C05); other decimals ``Decimal { string value }`` (the canonical decimal text, C13, like
google.type.Decimal); dates and datetimes are ``string`` with the same (canonical) text as JSON (C02, C03);
integers ``int64``; booleans ``bool``.

Every scalar field is declared ``optional`` (explicit presence), required ones included: proto3
cannot tell an unset ``string`` from ``""`` or an unset ``int64`` from ``0``, and the standard
distinguishes them (C06) — a missing required field must be reported, not read as ``0``. Which
fields are required is stated in the comments and enforced by the validator, as in JSON Schema.

Every message and field has a comment: ``buf lint`` with the STANDARD and COMMENTS rules
(``proto/buf.yaml``) passes, and tests/interop/ runs it.

The stubs are produced by ``grpc_tools.protoc`` (``--python_out``, ``--pyi_out``); their text
depends on the grpcio-tools version, which the project pins.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from jincai.standard import Element, Entity, Standard

PROTO_REL = "jincai/fiscal/v1/fiscal.proto"
PROTO_TARGET = f"proto/{PROTO_REL}"
STUB_ROOT = "jincai/proto_gen"
STUB_MODULE = "jincai.proto_gen.jincai.fiscal.v1.fiscal_pb2"

_SCALAR = {
    "text": "string",
    "code": "string",
    "integer": "int64",
    "date": "string",
    "datetime": "string",
    "boolean": "bool",
}


def proto_type(element: Element) -> str:
    if element.type == "money":
        return "Money"
    if element.type == "decimal":
        return "Decimal"
    return _SCALAR[element.type]


def _comment(element: Element, required: bool) -> str:
    presence = "必填 required" if required else "选填 optional"
    extra = ""
    if element.type == "date":
        extra = "；YYYY-MM-DD，C02"
    elif element.type == "datetime":
        extra = "；RFC 3339 规范文本 canonical text with offset，C03"
    elif element.type == "decimal":
        extra = f"；{element.effective_scale} 位小数 decimals，C13"
    return f"// {element.name_zh} {element.name_en}（{presence}{extra}）"


def _message(entity: Entity) -> list[str]:
    lines = [f"// {entity.name_zh} {entity.name_en} ({entity.id})"]
    for text in (entity.description_zh, entity.description_en):
        if text:
            lines.append(f"// {text}")
    lines.append(f"// 业务键 key: {', '.join(entity.key)}")
    lines.append(f"message {entity.pascal_name} {{")
    if entity.reserved_tags:  # removed fields: their numbers are never reused
        lines.append(f"  reserved {', '.join(str(t) for t in sorted(entity.reserved_tags))};")
    for f in entity.fields:
        t = proto_type(f.element)
        label = "" if t in ("Money", "Decimal") else "optional "
        lines.append(f"  {_comment(f.element, f.required)}")
        lines.append(f"  {label}{t} {f.name} = {f.tag};")
    lines.append("}")
    return lines


def render_proto(std: Standard) -> str:
    out = [
        "// GENERATED from standards/ by `python -m jincai.generate` — do not edit.",
        f"// {std.name_zh} {std.id} {std.version}",
        f"// {std.name_en}",
        "//",
        "// 所有标量字段都声明为 optional（显式存在性）：proto3 无法区分未设置与 \"\"/0，而标准区分 null 与空值（C06）；",
        "// 必填与否见字段注释，由校验器检查。",
        "// Every scalar field is `optional` (explicit presence): proto3 cannot tell unset from \"\"/0 and the",
        "// standard distinguishes null from empty (C06). Whether a field is required is in its comment and",
        "// checked by the validator.",
        'syntax = "proto3";',
        "",
        f"package {std.namespace};",
        "",
        "// 金额：以分为单位的整数，精确（C05）。1.00 元 = 100 分。",
        "// Money, exact, in integer fen (C05): 1.00 yuan = 100.",
        "message Money {",
        "  // 金额的分数，可为负（红字冲销）；1234.50 元 = 123450。",
        "  // The amount in fen, negative for a reversal; 1234.50 yuan = 123450.",
        "  int64 fen = 1;",
        "}",
        "",
        "// 非金额小数：恰好 scale 位小数的规范字符串，如 \"1234.50\"（C13），同 google.type.Decimal。",
        "// A non-money decimal: the canonical decimal text with exactly the element's scale (C13), like",
        "// google.type.Decimal.",
        "message Decimal {",
        "  // 规范小数文本：恰好 scale 位小数，无前导零、千分位、空格或正号，如 \"1234.50\"、\"-0.125\"。",
        "  // The canonical decimal text: exactly the element's scale, no leading zeros, separators, spaces or plus sign.",
        "  string value = 1;",
        "}",
    ]
    for entity in std.entities.values():
        out.append("")
        out.extend(_message(entity))
    return "\n".join(out) + "\n"


_INIT = '"""Python stubs generated from proto/ by grpc_tools.protoc (``python -m jincai.generate``) — do not edit."""\n'


def compile_stubs(proto_text: str) -> dict[str, bytes]:
    """Run grpc_tools.protoc on the proto text; returns the stub files by repository path."""
    from grpc_tools import protoc

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        out = Path(tmp) / "out"
        (src / PROTO_REL).parent.mkdir(parents=True)
        (src / PROTO_REL).write_text(proto_text, encoding="utf-8")
        out.mkdir()
        rc = protoc.main(["grpc_tools.protoc", f"-I{src}", f"--python_out={out}", f"--pyi_out={out}", PROTO_REL])
        if rc != 0:
            raise RuntimeError(f"grpc_tools.protoc failed with exit code {rc}")
        files = {
            f"{STUB_ROOT}/{p.relative_to(out).as_posix()}": p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
    package_dirs = {STUB_ROOT}
    for rel in list(files):
        parent = rel.rsplit("/", 1)[0]
        while parent.startswith(STUB_ROOT):
            package_dirs.add(parent)
            parent = parent.rsplit("/", 1)[0]
    for d in package_dirs:
        files.setdefault(f"{d}/__init__.py", _INIT.encode("utf-8"))
    return dict(sorted(files.items()))


def render(std: Standard) -> dict[str, bytes]:
    proto_text = render_proto(std)
    out = {PROTO_TARGET: proto_text.encode("utf-8")}
    out.update(compile_stubs(proto_text))
    return out
