"""``jincai standard`` — look at the standard and export its release bundle.

* ``jincai standard show ENTITY [--json]`` — the entity's fields: name, 中文名, English, type,
  required, length/pattern, code list, personal.
* ``jincai standard export --out DIR`` — the release bundle: a copy of ``standards/``, the JSON and
  Avro schemas, the proto file, the data dictionary, and ``MANIFEST.json`` (sha256 of every file,
  the standard's id and version). The artifacts are rendered from the standard, not copied, so the
  bundle always matches it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import typer

from jincai.errors import JincaiError

standard_app = typer.Typer(
    help="数据标准：查看实体、导出发布包 / the standard: show an entity, export the release bundle",
    no_args_is_help=True,
)


def _length_pattern(element: Any) -> str:
    from jincai.models.types import number_pattern

    kind = element.type
    if kind in ("text", "code"):
        lo, hi = element.effective_min_length, element.max_length
        size = f"{lo}..{hi}" if hi is not None else f"{lo}.."
        return f"{size} {element.pattern}" if kind == "code" else f"{size} (C14)"
    if kind == "integer":
        lo = "" if element.minimum is None else element.minimum
        hi = "" if element.maximum is None else element.maximum
        return f"{lo}..{hi}"
    if kind in ("money", "decimal"):
        return f"scale {element.effective_scale} {number_pattern(element)}"
    if kind == "date":
        return "YYYY-MM-DD (C02)"
    if kind == "datetime":
        return "RFC 3339 + offset (C03)"
    return ""


def field_rows(entity_id: str) -> dict[str, Any]:
    """The data behind ``show``: the entity and one row per field."""
    from jincai.standard import standard

    entity = standard().entity(entity_id)
    return {
        "entity": entity.id,
        "name_zh": entity.name_zh,
        "name_en": entity.name_en,
        "key": list(entity.key),
        "fields": [
            {
                "field": f.name,
                "tag": f.tag,
                "name_zh": f.element.name_zh,
                "name_en": f.element.name_en,
                "type": f.element.type,
                "required": f.required,
                "length_pattern": _length_pattern(f.element),
                "codelist": f.element.codelist,
                "identifier": f.element.identifier,
                "personal": f.element.personal,
            }
            for f in entity.fields
        ],
    }


@standard_app.command("show")
def show(
    entity: str = typer.Argument(..., help="实体，如 payment_voucher / entity id, e.g. payment_voucher"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 / print JSON"),
) -> None:
    """显示实体的字段 / show an entity's fields."""
    data = field_rows(entity)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{data['name_zh']} {data['name_en']} ({data['entity']}) — 业务键 key: {', '.join(data['key'])}",
    )
    for header in ("字段 field", "中文名", "English", "类型 type", "必填 required", "长度/模式 length/pattern", "代码集 code list", "个人 personal"):
        table.add_column(header)
    for row in data["fields"]:
        table.add_row(
            row["field"],
            row["name_zh"],
            row["name_en"],
            row["type"] + (f" ({row['identifier']})" if row["identifier"] else ""),
            "必填 yes" if row["required"] else "选填 no",
            row["length_pattern"],
            row["codelist"] or "",
            "是 yes" if row["personal"] else "",
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # pipes and files: do not wrap at 80 columns
    console.print(table)


def bundle_files() -> dict[str, bytes]:
    """Every file of the release bundle except the manifest, relative path → content."""
    from jincai import paths
    from jincai.generate import avro, docs, json_schema, protobuf
    from jincai.standard import standard

    std = standard()
    files: dict[str, bytes] = {}
    for p in sorted(paths.STANDARDS.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            files[f"standards/{p.relative_to(paths.STANDARDS).as_posix()}"] = p.read_bytes()
    files.update(json_schema.render(std))
    files.update(avro.render(std))
    files[protobuf.PROTO_TARGET] = protobuf.render_proto(std).encode("utf-8")
    files.update(docs.render(std))
    return dict(sorted(files.items()))


def manifest(files: dict[str, bytes]) -> dict[str, Any]:
    from jincai.standard import standard

    std = standard()
    return {
        "standard": {"id": std.id, "version": std.version, "name_zh": std.name_zh, "name_en": std.name_en},
        "files": {rel: hashlib.sha256(content).hexdigest() for rel, content in sorted(files.items())},
    }


@standard_app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="输出目录（须为空或不存在）/ output directory (empty or new)"),
) -> None:
    """导出标准发布包 / export the standard's release bundle (with MANIFEST.json)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise JincaiError(
            "export-dir-not-empty",
            f"输出目录 {out} 已存在且不为空；请指定新目录",
            f"the output directory {out} exists and is not empty; choose a new one",
            str(out),
        )
    files = bundle_files()
    man = manifest(files)
    files["MANIFEST.json"] = (json.dumps(man, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    for rel, content in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    std = man["standard"]
    typer.echo(f"已导出 {len(files)} 个文件到 {out}（标准 {std['id']} {std['version']}）/ exported {len(files)} files to {out} (standard {std['id']} {std['version']})")


def register(app: typer.Typer) -> None:
    app.add_typer(standard_app, name="standard")
