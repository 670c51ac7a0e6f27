"""Format readers, one module per format family, found through a registry.

A reader turns a legacy file into ``SourceRow``s: every physical data row with its location and raw
values, nothing dropped — filtering (subtotals, blank rows, notes) is the profile's job, so that the
ledger can account for every row. Adding a format means adding a module here that calls
``register``; no shared file changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol

from jincai.errors import JincaiError


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of a legacy file, exactly as read."""

    file: str  # path as given by the user
    row: int  # 1-based physical row / record number in the file (or sheet)
    values: dict[str, Any]  # source column name -> raw value (str for text formats, native cell value for Excel/DBF)
    sheet: str | None = None  # Excel sheet, XML element path, SQL table …
    byte_offset: int | None = None  # where the row starts, for text formats
    extra: dict[str, Any] = field(default_factory=dict)


class Reader(Protocol):
    """``read(path, options)`` yields every data row; ``options`` is the profile's ``source`` block."""

    name: str

    def read(self, path: str, options: dict[str, Any]) -> Iterator[SourceRow]: ...


_READERS: dict[str, Callable[[], Reader]] = {}


def register(name: str):
    """Class decorator: make a reader available under ``name`` (the profile's ``source.format``)."""

    def deco(cls):
        _READERS[name] = cls
        return cls

    return deco


_discovered = False


def _discover() -> None:
    """Import every reader module once (a reader imported directly must not hide the others)."""
    global _discovered
    if _discovered:
        return
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _discovered = True


def get_reader(name: str) -> Reader:
    _discover()
    try:
        return _READERS[name]()
    except KeyError:
        known = ", ".join(sorted(_READERS))
        raise JincaiError(
            "adapter-unknown-format",
            f"未知的源文件格式 {name}；支持：{known}",
            f"unknown source format {name}; supported: {known}",
        ) from None


def formats() -> list[str]:
    _discover()
    return sorted(_READERS)
