"""Generators: every derived artifact is rebuilt from ``standards/`` (``python -m jincai.generate``).

One module per artifact, each with ``render(std) -> {relative path: bytes}``:

* ``pydantic_models`` → ``jincai/models/generated.py``
* ``json_schema``     → ``schemas/json/<entity>.schema.json`` and ``schemas/json/meta/annotations.schema.json``
* ``avro``            → ``schemas/avro/<entity>.avsc``
* ``protobuf``        → ``proto/jincai/fiscal/v1/fiscal.proto`` and its Python stubs in ``jincai/proto_gen/``
* ``gateway``         → Python stubs of the hand-written gateway API ``proto/jincai/ingest/v1/ingest.proto``
  and the gateway's error-code table ``docs/gateway/errors.md``
* ``docs``            → ``docs/standard/data-dictionary.{zh,en}.md`` and ``docs/validators/catalogue.md``,
  ``docs/limits.md``

Output is deterministic (no timestamps, fixed order, ``\\n`` line ends, final newline), so a test can
regenerate in memory and compare byte for byte (``--check``).
"""

from __future__ import annotations

from pathlib import Path

from jincai import paths
from jincai.standard import Standard, standard

#: files under these patterns are owned by the generator: anything there that it does not produce
#: is stale (reported by --check, removed by a normal run)
OWNED_PATTERNS = (
    "schemas/json/*.schema.json",
    "schemas/json/meta/*.schema.json",
    "schemas/avro/*.avsc",
    "proto/jincai/fiscal/v1/*.proto",
    "jincai/proto_gen/**/*.py",
    "jincai/proto_gen/**/*.pyi",
    "docs/standard/data-dictionary.*.md",
    "docs/validators/catalogue.md",
    "docs/limits.md",
    "docs/gateway/errors.md",
)


def render_all(std: Standard | None = None) -> dict[str, bytes]:
    """Every generated file, relative path (POSIX) → content."""
    from jincai.generate import avro, docs, gateway, json_schema, protobuf, pydantic_models

    std = std or standard()
    out: dict[str, bytes] = {}
    for module in (pydantic_models, json_schema, avro, protobuf, gateway, docs):
        for rel, content in module.render(std).items():
            if rel in out:
                raise RuntimeError(f"two generators produce {rel}")
            out[rel] = content
    return dict(sorted(out.items()))


def _owned_files(root: Path) -> set[str]:
    found: set[str] = set()
    for pattern in OWNED_PATTERNS:
        base, _, rest = pattern.partition("/**/") if "/**/" in pattern else (None, None, None)
        if base is not None:
            for p in (root / base).rglob(rest):
                if "__pycache__" not in p.parts:
                    found.add(p.relative_to(root).as_posix())
        else:
            directory, name = pattern.rsplit("/", 1)
            for p in (root / directory).glob(name):
                found.add(p.relative_to(root).as_posix())
    return found


def drift(root: Path | None = None, std: Standard | None = None) -> list[tuple[str, str]]:
    """``[(path, what)]`` where what is ``missing``, ``changed`` or ``stale``; empty when up to date."""
    root = root or paths.HOME
    expected = render_all(std)
    problems: list[tuple[str, str]] = []
    for rel, content in expected.items():
        target = root / rel
        if not target.exists():
            problems.append((rel, "missing"))
        elif target.read_bytes() != content:
            problems.append((rel, "changed"))
    for rel in sorted(_owned_files(root) - set(expected)):
        problems.append((rel, "stale"))
    return problems


def write_all(root: Path | None = None, std: Standard | None = None) -> tuple[list[str], list[str]]:
    """Write every generated file that differs; remove stale ones. Returns (written, removed)."""
    root = root or paths.HOME
    expected = render_all(std)
    written: list[str] = []
    for rel, content in expected.items():
        target = root / rel
        if target.exists() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(rel)
    removed = sorted(_owned_files(root) - set(expected))
    for rel in removed:
        (root / rel).unlink()
    return written, removed
