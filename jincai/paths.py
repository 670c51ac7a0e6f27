"""Where the content folders are.

jincai is run from a checkout (``pip install -e .``): the package reads the top-level content
folders beside it. ``JINCAI_HOME`` points elsewhere, e.g. at an exported copy of the standard.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("JINCAI_HOME") or Path(__file__).resolve().parents[1])
STANDARDS = HOME / "standards"
CODELISTS = STANDARDS / "codelists"
ENTITIES = STANDARDS / "entities"
SCHEMAS = HOME / "schemas"
PROTO = HOME / "proto"
VALIDATORS = HOME / "validators"
ADAPTERS = HOME / "adapters"
CONFORMANCE = HOME / "conformance_tests"
DATACENTER = HOME / "datacenter"
DOCS = HOME / "docs"
