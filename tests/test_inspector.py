"""The MCP Inspector (a real third-party client, pinned in scripts/test) drives the server over stdio and HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from clockify_mcp.tools import OPERATIONS
from fake_http import fake_clockify
from helpers import ENTRY, WS
from servers import KEY, http_server, server_command, server_env

pytestmark = pytest.mark.e2e

ALL_TOOLS = {op.name for op in OPERATIONS}
P = "clockify_time_tracking_"


def inspector() -> str:
    path = os.environ.get("CLOCKIFY_MCP_INSPECTOR") or shutil.which("mcp-inspector")
    if path and Path(path).exists():
        return path
    if os.environ.get("CLOCKIFY_MCP_REQUIRE_INSPECTOR"):
        pytest.fail("the MCP Inspector is required here but not installed (scripts/test installs it with npm)")
    pytest.skip("MCP Inspector not installed (scripts/test installs it when npm is available)")


def route(method: str, path: str, body: bytes) -> tuple[int, object]:
    if method == "GET" and path.startswith(f"/api/v1/workspaces/{WS}/time-entries/{ENTRY}"):
        return 200, {"id": ENTRY, "description": "seen by the inspector"}
    if method == "POST" and path == f"/api/v1/workspaces/{WS}/time-entries":
        return 201, {"id": ENTRY, **json.loads(body)}
    return 404, {"message": "No static resource", "code": 3000}


def run(target: list[str], *args: str) -> tuple[int, Any, str]:
    proc = subprocess.run(
        [inspector(), "--cli", *target, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    try:
        out = json.loads(proc.stdout) if proc.stdout.strip() else None
    except ValueError:
        out = proc.stdout
    return proc.returncode, out, proc.stderr


def session_checks(target: list[str]) -> None:
    code, listed, err = run(target, "--method", "tools/list", "--strict")
    assert code == 0, err  # --strict: the Inspector found no schema portability problem in any tool
    assert {t["name"] for t in listed["tools"]} == ALL_TOOLS
    for tool in listed["tools"]:
        assert tool["annotations"]["title"] and "readOnlyHint" in tool["annotations"]

    code, read, err = run(
        target,
        "--method",
        "tools/call",
        "--tool-name",
        P + "get_entry",
        "--tool-arg",
        f"workspaceId={WS}",
        f"id={ENTRY}",
    )
    assert code == 0, err
    assert json.loads(read["content"][0]["text"])["description"] == "seen by the inspector"

    code, wrote, err = run(
        target,
        "--method",
        "tools/call",
        "--tool-name",
        P + "create_time_entry",
        "--tool-arg",
        f"workspaceId={WS}",
        "start=2026-11-28T09:00:00Z",
        "description=From the Inspector",
    )
    assert code == 0, err
    assert json.loads(wrote["content"][0]["text"])["description"] == "From the Inspector"

    code, bad, err = run(
        target,
        "--method",
        "tools/call",
        "--tool-name",
        P + "get_entry",
        "--tool-arg",
        "workspaceId=../x",
        f"id={ENTRY}",
    )
    assert code != 0 and bad["isError"] is True
    assert "workspaceId: expected a Clockify id" in bad["content"][0]["text"]
    assert "tool_is_error" in err


def test_inspector_over_stdio() -> None:
    with fake_clockify(route) as fake:
        env = server_env(CLOCKIFY_API_URL=fake.url)
        target = [f"-e{key}={env[key]}" for key in ("CLOCKIFY_API_KEY", "CLOCKIFY_API_URL", "CLOCKIFY_TIMEZONE")]
        session_checks([*target, server_command()])
    assert [r.method for r in fake.requests] == ["GET", "POST"]
    assert all(r.headers.get("X-Api-Key") == KEY for r in fake.requests)


def test_inspector_over_http() -> None:
    with fake_clockify(route) as fake, http_server(env=server_env(CLOCKIFY_API_URL=fake.url)) as server:
        session_checks([server.url, "--transport", "http"])
    assert [r.method for r in fake.requests] == ["GET", "POST"]
