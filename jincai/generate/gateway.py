"""The gateway API's generated artifacts: Python stubs of the hand-written
``proto/jincai/ingest/v1/ingest.proto``, and ``docs/gateway/errors.md`` from the error-code table
``jincai.gateway.errors.CODES``.

The .proto is written by hand — a service API is designed, not derived from the standard — and
imports the generated ``jincai/fiscal/v1/fiscal.proto`` for the record messages. Its stubs
(``ingest_pb2.py``, ``.pyi`` and ``ingest_pb2_grpc.py`` under ``jincai/proto_gen/``) are produced
here by the pinned grpcio-tools, so ``make generate`` rebuilds them and the drift test fails when
someone edits the .proto without regenerating. protoc writes imports relative to the proto root
(``from jincai.fiscal.v1 import …``); they are rewritten to the package the stubs live in
(``jincai.proto_gen.jincai…``), as tools like protoletariat do.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from jincai import paths
from jincai.generate.protobuf import _INIT, PROTO_REL, STUB_ROOT, render_proto
from jincai.standard import Standard

INGEST_REL = "jincai/ingest/v1/ingest.proto"
INGEST_SOURCE = f"proto/{INGEST_REL}"
_IMPORT = re.compile(rb"^(from|import) jincai\.", re.MULTILINE)


def compile_stubs(ingest_text: str, fiscal_text: str) -> dict[str, bytes]:
    from grpc_tools import protoc

    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        for rel, text in ((PROTO_REL, fiscal_text), (INGEST_REL, ingest_text)):
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_text(text, encoding="utf-8")
        out.mkdir()
        args = ["grpc_tools.protoc", f"-I{src}", f"--python_out={out}", f"--pyi_out={out}", f"--grpc_python_out={out}", INGEST_REL]
        if protoc.main(args) != 0:
            raise RuntimeError(f"grpc_tools.protoc failed on {INGEST_SOURCE}")
        files = {}
        for p in sorted((out / "jincai/ingest").rglob("*")):
            if p.is_file():
                files[f"{STUB_ROOT}/{p.relative_to(out).as_posix()}"] = _IMPORT.sub(rb"\1 jincai.proto_gen.jincai.", p.read_bytes())
    for d in ("jincai/ingest", "jincai/ingest/v1"):
        files[f"{STUB_ROOT}/{d}/__init__.py"] = _INIT.encode("utf-8")
    return dict(sorted(files.items()))


def render(std: Standard) -> dict[str, bytes]:
    from jincai.gateway.errors import render_markdown

    ingest_text = (paths.HOME / INGEST_SOURCE).read_text(encoding="utf-8")
    return {**compile_stubs(ingest_text, render_proto(std)), "docs/gateway/errors.md": render_markdown().encode("utf-8")}
