"""The one way jincai reads YAML: libyaml's C parser, bounded before anything is built.

Profiles come from vendors and offices; a 4 KB "billion laughs" of nested aliases expands to
gigabytes once something walks it, and a few thousand ``[`` nest deep enough to overflow a
recursive composer. So the document is first read as a stream of parser events (libyaml's parser is
not recursive) and measured there — nesting depth, alias count, the size the document would have
with every alias expanded, duplicate keys, recursive aliases — and only a document within the
limits (``jincai.limits``: ``yaml_depth``, ``yaml_aliases``, ``yaml_nodes``, and a size limit) is
built, by ``yaml.CSafeLoader`` (no Python tags, no object construction). Every error is a
``JincaiError`` with ``file:line:column``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jincai import limits
from jincai.errors import JincaiError

try:  # libyaml is part of PyYAML's wheels; the pure-Python loader is a slow but equal fallback
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - a PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: part of every cache key: change it when what ``load`` returns for the same bytes changes
_CACHE_VERSION = "1"

_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def load_file(path: str | Path, size_limit: str | None = "profile_bytes", where: str | None = None, cache: bool = False) -> Any:
    """The data of a YAML file (UTF-8, a BOM allowed), read at most to the size limit.

    ``cache`` (for files shipped with jincai: the standard, the catalogue) keeps the data in
    ``jincai.cache`` under the SHA-256 of the file's bytes, so the next command skips parsing."""
    where = where or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.limit(size_limit) + 1) if size_limit else fh.read()
    except OSError as exc:
        raise JincaiError("yaml-unreadable", f"无法读取 YAML 文件：{exc.strerror}", f"cannot read the YAML file: {exc.strerror}", where) from None
    if cache:
        from jincai import cache as _cache

        key = _cache.digest("yaml", _CACHE_VERSION, yaml.__version__, data)
        return _cache.cached("yaml", key, lambda: load(data, where, size_limit))
    return load(data, where, size_limit)


def load(data: str | bytes, where: str = "<yaml>", size_limit: str | None = "profile_bytes") -> Any:
    """The data of one YAML document, checked against the limits first (see the module docstring).

    ``size_limit`` names the ``jincai.limits`` entry that bounds the text's size in bytes (``None``
    for files shipped with jincai itself, such as the standard)."""
    if isinstance(data, bytes):
        if size_limit:
            limits.check(size_limit, len(data), where)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JincaiError("yaml-encoding", f"YAML 文件必须是 UTF-8 编码（字节偏移 {exc.start}）", f"a YAML file must be UTF-8 (byte offset {exc.start})", where, {"offset": exc.start}) from None
    else:
        text = data.removeprefix("\ufeff")
        if size_limit:
            limits.check(size_limit, len(text.encode("utf-8")), where)
    _measure(text, where)
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _syntax(exc, where) from None
    finally:
        loader.dispose()


def compose(text: str, where: str = "<yaml>") -> yaml.Node | None:
    """The node tree of a document (for finding the line of a YAML path), within the same limits."""
    _measure(text, where)
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax(exc, where) from None
    finally:
        loader.dispose()


def _measure(text: str, where: str) -> None:
    """Walk the event stream once and refuse what would be too big or ambiguous to build."""
    max_depth, max_aliases, max_nodes = limits.limit("yaml_depth"), limits.limit("yaml_aliases"), limits.limit("yaml_nodes")
    # one frame per open collection: [expanded node count, anchor, is mapping, next is a key, keys seen]
    stack: list[list[Any]] = []
    sizes: dict[str, int] = {}  # anchor → expanded node count of its (finished) node
    aliases = nodes = 0
    parser = _Loader(text)
    try:
        while True:
            try:
                event = parser.get_event()
            except yaml.YAMLError as exc:
                raise _syntax(exc, where) from None
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if not isinstance(event, (*_NODE, *_END)):
                continue
            size = 0
            if isinstance(event, _START):
                if len(stack) >= max_depth:
                    raise limits.exceeded("yaml_depth", f">{max_depth}", _at(where, event))
                _key_check(stack, event, where)
                stack.append([1, event.anchor, isinstance(event, yaml.MappingStartEvent), True, set()])
                nodes += 1
            elif isinstance(event, _END):
                frame = stack.pop()
                if frame[1] is not None:
                    sizes[frame[1]] = frame[0]
                size = frame[0]
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > max_aliases:
                    raise limits.exceeded("yaml_aliases", f">{max_aliases}", _at(where, event))
                if any(f[1] == event.anchor for f in stack):
                    raise JincaiError(
                        "yaml-recursive-alias",
                        f"别名 *{event.anchor} 引用了包含它自身的节点",
                        f"the alias *{event.anchor} refers to a node that contains it",
                        _at(where, event),
                    )
                if event.anchor not in sizes:
                    continue  # an undefined alias: the loader reports it with its position
                _key_check(stack, event, where)
                size = sizes[event.anchor]
                nodes += size
            else:  # a scalar
                _key_check(stack, event, where)
                if event.anchor is not None:
                    sizes[event.anchor] = 1
                size = 1
                nodes += 1
            if nodes > max_nodes:
                raise limits.exceeded("yaml_nodes", f">{max_nodes}", _at(where, event))
            if stack and not isinstance(event, _START):
                stack[-1][0] += size
    finally:
        parser.dispose()


def _key_check(stack: list[list[Any]], event: Any, where: str) -> None:
    """Keep track of key/value turns in the innermost mapping; a repeated plain key is an error
    (PyYAML would keep the last one silently, and half a profile would vanish)."""
    if not stack or not stack[-1][2]:
        return
    frame = stack[-1]
    is_key = frame[3]
    frame[3] = not is_key
    if is_key and isinstance(event, yaml.ScalarEvent) and event.value != "<<":
        key = (event.tag, event.value, event.implicit[0])
        if key in frame[4]:
            raise JincaiError(
                "yaml-duplicate-key",
                f"同一映射中键 {event.value} 出现了两次",
                f"the key {event.value} appears twice in the same mapping",
                _at(where, event),
                {"key": event.value},
            )
        frame[4].add(key)


def _at(where: str, event: Any) -> str:
    mark = event.start_mark
    return f"{where}:{mark.line + 1}:{mark.column + 1}"


def _syntax(exc: yaml.YAMLError, where: str) -> JincaiError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    location = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    reason = f"{context}: {problem}" if context else problem
    details = {"line": mark.line + 1, "column": mark.column + 1} if mark is not None else {}
    if isinstance(exc, yaml.constructor.ConstructorError):  # !!python/… and other tags: data only
        return JincaiError("yaml-tag-refused", f"YAML 标签不允许：{reason}", f"YAML tag not allowed: {reason}", location, details)
    return JincaiError("yaml-syntax", f"YAML 语法错误：{reason}", f"YAML syntax error: {reason}", location, details)
