"""The transform registry: what a transform is (``TransformDef``), what it may use when it is
compiled (``BuildContext``), how it rejects a value (``Reject``), and ``REGISTRY`` where each
family module registers its transforms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict


Fn = Callable[[Any], Any]


class Reject(Exception):
    """A value that cannot be translated: a stable reason code and a reason in zh and en."""

    __slots__ = ("code", "zh", "en")

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(code)
        self.code = code
        self.zh = zh
        self.en = en

    def __repr__(self) -> str:
        return f"Reject({self.code!r}, {self.zh!r}, {self.en!r})"


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(_Args):
    pass


@dataclass(frozen=True)
class Example:
    input: Any
    output: Any  # a value, or "reject:<code>"
    args: Any = None


@dataclass(frozen=True)
class TransformDef:
    name: str
    summary_zh: str
    summary_en: str
    args: type[_Args]
    build: Callable[[Any, "BuildContext"], Fn]
    shorthand: str | None = None  # the argument a scalar ``{name: value}`` fills
    multi: bool = False  # takes a tuple (from: [a, b] / derive: [x, y])
    reasons: tuple[str, ...] = ()  # reason codes it can reject with
    examples: tuple[Example, ...] = ()
    arity: Callable[[Any], int | None] | None = None  # inputs its arguments require (checked when the profile loads)


@dataclass
class BuildContext:
    """What a transform may need when it is compiled: crosswalk tables (already loaded), the profile
    folder, and lazily the code-list registry."""

    crosswalks: dict[str, "Crosswalk"] = field(default_factory=dict)
    profile_dir: Path | None = None
    registry_factory: Callable[[], Any] | None = None
    #: the canonical field the chain is compiled for (named in reasons; None outside a target)
    field: str | None = None

    def registry(self) -> Any:
        if self.registry_factory is not None:
            return self.registry_factory()
        from jincai import codelists  # owned by the code-list helper

        return codelists.registry()


REGISTRY: dict[str, TransformDef] = {}


def _register(d: TransformDef) -> None:
    REGISTRY[d.name] = d
