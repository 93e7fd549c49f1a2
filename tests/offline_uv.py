"""Launching the server with uv, as users do, without a package index.

`uvx mcp-server-clockify` normally fetches the package and its dependencies from PyPI. Here uv is run with
`UV_OFFLINE` (no network at all) and `UV_FIND_LINKS` pointing at a folder that holds the wheel built from this
checkout plus the dependency wheels scripts/test downloaded (CLOCKIFY_MCP_WHEELHOUSE): the same resolution and
install uv does from PyPI, with the index swapped for a local folder, the way a company mirror swaps it.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESKTOP_PATH = "/usr/bin:/bin"
"""What a desktop app launched from the dock or start menu gives its servers: not the shell's PATH."""


@cache
def dist() -> Path:
    """`python -m build` of this checkout, offline: the sdist, and the wheel built from the unpacked sdist."""
    out = Path(tempfile.mkdtemp(prefix="mcp-server-clockify-dist-"))
    atexit.register(shutil.rmtree, out, True)
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (out / "log.txt").write_text(proc.stdout + proc.stderr)
    return out / "dist"


def tool(name: str) -> str:
    """uv or uvx as installed with the dev extras (beside this interpreter)."""
    found = Path(sys.executable).with_name(name)
    path = str(found) if found.exists() else shutil.which(name)
    if not path:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (it comes with the dev extras: pip install -e '.[dev]')")
        pytest.skip(f"{name} is not installed")
    return path


@cache
def find_links() -> Path:
    """A folder with the dependency wheels and this checkout's own wheel, as an index would offer them."""
    wheelhouse = os.environ.get("CLOCKIFY_MCP_WHEELHOUSE")
    if not wheelhouse or not Path(wheelhouse).is_dir():
        message = "no dependency wheels (CLOCKIFY_MCP_WHEELHOUSE; ./scripts/test downloads them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    links = Path(tempfile.mkdtemp(prefix="mcp-server-clockify-links-"))
    atexit.register(shutil.rmtree, links, True)
    for wheel in [*Path(wheelhouse).glob("*.whl"), *dist().glob("*.whl")]:
        (links / wheel.name).symlink_to(wheel)
    return links


@cache
def cache_dir() -> Path:
    """One uv cache for the session, as a user's machine keeps one (the first launch fills it)."""
    path = Path(tempfile.mkdtemp(prefix="mcp-server-clockify-uv-cache-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def uv_env(home: Path) -> dict[str, str]:
    """The environment uv needs to resolve offline from `find_links()`."""
    return {
        "UV_OFFLINE": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(find_links()),
        "UV_CACHE_DIR": str(cache_dir()),
        "UV_TOOL_DIR": str(home / "uv-tools"),
        "UV_NO_CONFIG": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        # The interpreter the dependency wheels were downloaded for (a user's uv finds or downloads one).
        "UV_PYTHON": getattr(sys, "_base_executable", sys.executable),
    }


def converse(argv: list[str], env: dict[str, str], cwd: Path, tool: str) -> dict[int, dict]:
    """Start `argv` as a desktop client does, send initialize, tools/list and a call of `tool`, close stdin;
    return the answers by id (1: initialize, 2: tools/list, 3: the call)."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "desktop", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": tool, "arguments": {}}},
    ]
    proc = subprocess.run(
        argv,
        input="".join(json.dumps(m) + "\n" for m in messages),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    answers = {m["id"]: m for m in map(json.loads, proc.stdout.splitlines())}
    assert set(answers) == {1, 2, 3}, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert answers[1]["result"]["serverInfo"]["name"] == "mcp-server-clockify"
    return answers
