"""Second implementations for the interop tests, installed from the npm registry.

``node_dir`` runs ``npm ci`` in ``tests/interop/node/`` (the committed package.json and
package-lock.json: ajv, ajv-formats, @bufbuild/buf, protobufjs, avsc) once, and again only when the
lock file changes. Without node or npm the tests fail with the reason — they are never skipped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).parent / "node"
_STAMP = NODE_DIR / "node_modules" / ".jincai-lock-sha256"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: the interop tests need Node 20 and npm (apt-get install nodejs npm)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def node_dir() -> Path:
    _tool("node")
    npm = _tool("npm")
    digest = hashlib.sha256((NODE_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not (_STAMP.exists() and _STAMP.read_text() == digest):
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"npm ci failed in {NODE_DIR}:\n{result.stdout}\n{result.stderr}", pytrace=False)
        _STAMP.write_text(digest)
    return NODE_DIR


def run_node(node_dir: Path, script: str, *args: str, stdin: str | None = None) -> str:
    """Run a script of tests/interop/node/ and return its standard output (fails with its stderr)."""
    result = subprocess.run(["node", script, *args], cwd=node_dir, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"node {script} failed:\n{result.stderr[-4000:]}", pytrace=False)
    return result.stdout


def node_versions(node_dir: Path) -> dict[str, Any]:
    lock = json.loads((node_dir / "package-lock.json").read_text())
    versions = {
        name.removeprefix("node_modules/"): p["version"]
        for name, p in lock["packages"].items()
        if name.count("node_modules/") == 1 and (node_dir / name).is_dir()  # installed here (not another platform's buf)
    }
    versions["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return versions
