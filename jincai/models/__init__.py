"""Pydantic models of the standard: one class per entity (generated), plus lookup helpers.

``model_for("payment_voucher")`` → ``PaymentVoucher``; ``PaymentVoucher.model_validate_json(line)``
checks structure and identifiers (C01–C09, C11–C14); ``.canonical()`` gives the canonical record.

The generated classes are imported lazily (``from jincai.models import PaymentVoucher`` works), so
that the generator can import ``jincai.models.types`` even when ``generated.py`` is missing or stale.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jincai.errors import JincaiError
from jincai.models.types import FiscalRecord

if TYPE_CHECKING:
    from jincai.models.generated import *  # noqa: F401,F403
    from jincai.models.generated import MODELS, STANDARD_ID, STANDARD_VERSION  # noqa: F401


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    generated = importlib.import_module("jincai.models.generated")
    try:
        return getattr(generated, name)
    except AttributeError:
        raise AttributeError(f"module 'jincai.models' has no attribute {name!r}") from None


def model_for(entity_id: str) -> type[FiscalRecord]:
    """The model class of an entity; ``JincaiError`` (``unknown-entity``) listing the known ones."""
    from jincai.models.generated import MODELS

    try:
        return MODELS[entity_id]
    except KeyError:
        known = ", ".join(sorted(MODELS))
        raise JincaiError(
            "unknown-entity",
            f"标准中没有实体 {entity_id}；已有：{known}",
            f"the standard has no entity {entity_id}; known: {known}",
        ) from None


__all__ = ["FiscalRecord", "MODELS", "STANDARD_ID", "STANDARD_VERSION", "model_for"]
