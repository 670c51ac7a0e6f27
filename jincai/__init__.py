"""金财 jincai — the engine that reads the canonical fiscal data standard in ``standards/``.

The content (standard, rule catalogue, adapter profiles, conformance cases) lives in the
top-level folders of the repository; this package only reads and applies it.
"""

__version__ = "1.0.0"
