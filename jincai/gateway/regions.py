"""The region hierarchy (province → city → county) from the ``mof_div`` code list."""

from __future__ import annotations

from functools import lru_cache

from jincai.codelists import registry


@lru_cache(maxsize=1)
def _tree() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    mof = registry().get("mof_div")
    codes = frozenset(r.code for r in mof)
    return codes, {c: tuple(mof.ancestors(c)) for c in codes}


def known(code: str) -> bool:
    return code in _tree()[0]


def ancestors(code: str) -> tuple[str, ...]:
    return _tree()[1].get(code, ())


def within(target: str, root: str) -> bool:
    """``target`` is ``root`` or lies below it."""
    return target == root or root in ancestors(target)


def subtree(root: str) -> list[str]:
    """``root`` and every region below it, sorted."""
    codes, anc = _tree()
    return sorted(c for c in codes if c == root or root in anc[c])
