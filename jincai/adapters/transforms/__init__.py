"""Named, pure transforms on raw legacy values (the ``transform:`` chains of a mapping profile).

A profile writes a chain per canonical field::

    gross_amt: {from: 应发金额, transform: [trim, fullwidth_to_halfwidth, thousands, money]}
    dep_code:  {from: 科目, transform: [{split_code_name: code}, {crosswalk: pre2007}]}

Each item is a transform name, or a one-key mapping ``{name: args}`` where ``args`` is a mapping of
the transform's arguments or, for transforms with a *shorthand* argument, a single scalar
(``{date_format: "%Y%m%d"}`` = ``{date_format: {format: "%Y%m%d"}}``).

Every transform is compiled once per profile (``compile_chain``) into a plain function
``value -> value``. A value that cannot be translated raises ``Reject`` with a stable reason code
and a reason in Chinese and English: the engine turns it into a rejected row, so no exception
escapes and nothing is "repaired" by guessing (a lost leading zero or an account number mangled by
Excel's scientific notation is rejected, never reconstructed). ``None`` (an empty cell) passes
through every transform unchanged except ``constant``; whether a field may be empty is decided by
the standard (required fields) at the end of the chain.

Values that arrive are ``str`` for text formats and native cell values (``int``, ``float``,
``Decimal``, ``date``, ``datetime``, ``bool``) for Excel and DBF; multi-column mappings
(``from: [a, b]``, ``derive: [x, y]``) pass a ``tuple``.

Layout (as sqlglot keeps one module per dialect): ``_registry`` (``TransformDef``, ``REGISTRY``,
``Reject``, ``BuildContext``), ``_helpers``, ``_chain`` (parsing and compiling a chain),
``_reasons`` (reason codes), and one module per family — ``text``, ``money``, ``dates``,
``codes``, ``guards``, ``derive``. Every module of this package whose name does not start with
``_`` is imported when the package is (``_discover``): a new family module registers its
transforms and reason codes itself, and no shared file is edited to add one.
"""

from __future__ import annotations

import importlib
import pkgutil

from jincai.adapters.transforms._chain import TransformSpecError, apply, args_json_schema, build_item, compile_chain, parse_item
from jincai.adapters.transforms._helpers import _CENT, _FULLWIDTH_DIGITS, _NUMBER_TEXT, _as_text, _hint_fullwidth, _k, _parse_decimal, _show, _text_fn, to_money  # noqa: F401 - used as T._show, T.to_money …
from jincai.adapters.transforms._reasons import REASONS
from jincai.adapters.transforms._registry import REGISTRY, BuildContext, Example, Fn, NoArgs, Reject, TransformDef, _Args, _register


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_discover()


def __getattr__(name: str):
    """A family's names (``T.MoneyArgs``, ``T.WS``, ``T.Crosswalk`` …) from the package, as before the split."""
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if name in vars(mod):
            return vars(mod)[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
