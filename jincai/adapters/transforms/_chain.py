"""Compiling a profile's ``transform:`` chain: parse and validate each item, build it once, compose."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from jincai.adapters.transforms._registry import BuildContext, Fn, REGISTRY, TransformDef


class TransformSpecError(ValueError):
    """A transform item that is not valid: ``where`` is the path inside the chain item."""

    def __init__(self, where: str, zh: str, en: str):
        super().__init__(en)
        self.where = where
        self.zh = zh
        self.en = en


def parse_item(item: Any) -> tuple[TransformDef, Any]:
    """One chain item → (definition, validated args). ``TransformSpecError`` when invalid."""
    if isinstance(item, str):
        name, raw = item, None
    elif isinstance(item, dict) and len(item) == 1:
        name, raw = next(iter(item.items()))
    else:
        raise TransformSpecError(
            "",
            "转换应写作名称，或只有一个键的映射 {名称: 参数}",
            "a transform is a name or a one-key mapping {name: args}",
        )
    d = REGISTRY.get(name) if isinstance(name, str) else None
    if d is None:
        known = ", ".join(sorted(REGISTRY))
        raise TransformSpecError("", f"未知的转换 {name}；可用：{known}", f"unknown transform {name}; available: {known}")
    if raw is None:
        data: dict[str, Any] = {}
    elif isinstance(raw, dict):
        data = raw
    elif d.shorthand:
        data = {d.shorthand: raw}
    else:
        raise TransformSpecError(
            f".{name}",
            f"转换 {name} 的参数应为映射",
            f"the arguments of {name} must be a mapping",
        )
    try:
        args = d.args(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
        raise TransformSpecError(
            f".{name}{loc}",
            f"转换 {name} 的参数有误：{err['msg']}",
            f"invalid arguments for {name}: {err['msg']}",
        ) from None
    except TypeError as exc:
        raise TransformSpecError(f".{name}", f"转换 {name} 的参数有误：{exc}", f"invalid arguments for {name}: {exc}") from None
    return d, args


def build_item(item: Any, ctx: BuildContext) -> tuple[TransformDef, Fn]:
    d, args = parse_item(item)
    try:
        return d, d.build(args, ctx)
    except ValueError as exc:
        raise TransformSpecError(f".{d.name}", f"转换 {d.name} 的参数有误：{exc}", f"invalid arguments for {d.name}: {exc}") from None


def compile_chain(items: list[Any], ctx: BuildContext) -> Fn | None:
    """A list of chain items → one function (``None`` for an empty chain)."""
    fns = [build_item(item, ctx)[1] for item in items]
    if not fns:
        return None
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        f0, f1 = fns
        return lambda v: f1(f0(v))
    if len(fns) == 3:
        f0, f1, f2 = fns
        return lambda v: f2(f1(f0(v)))

    def chain(v: Any) -> Any:
        for f in fns:
            v = f(v)
        return v

    return chain


def apply(name: str, value: Any, args: Any = None, ctx: BuildContext | None = None) -> Any:
    """Run one transform on one value — for tests and documentation examples."""
    item: Any = name if args is None else {name: args}
    return build_item(item, ctx or BuildContext())[1](value)


def args_json_schema(d: TransformDef) -> dict[str, Any]:
    """JSON Schema of one chain item for this transform (used by the profile schema)."""
    schema = d.args.model_json_schema()
    schema.pop("title", None)
    props = schema.get("properties", {})
    for p in props.values():
        p.pop("title", None)
    arg_forms: list[dict[str, Any]] = [schema]
    if d.shorthand:
        short = dict(props.get(d.shorthand, {}))
        short.pop("default", None)
        short.pop("description", None)
        arg_forms.append(short or {})
    if not schema.get("required"):
        arg_forms.append({"type": "null"})
    obj = {
        "type": "object",
        "description": f"{d.summary_zh} / {d.summary_en}",
        "properties": {d.name: {"anyOf": arg_forms} if len(arg_forms) > 1 else arg_forms[0]},
        "required": [d.name],
        "additionalProperties": False,
    }
    return obj
