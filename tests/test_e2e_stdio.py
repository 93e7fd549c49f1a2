"""End to end: the installed `mcp-server-clockify` command as a subprocess, driven over stdio by the SDK client,
calling a fake Clockify over real loopback HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from fake_http import fake_clockify
from helpers import ENTRY, WS, text
from mcp_server_clockify.tools import OPERATIONS
from servers import server_command, server_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

KEY = "e2e-key-c0ffee"


def route(method: str, path: str, body: bytes) -> tuple[int, object]:
    if method == "GET" and path == f"/api/v1/workspaces/{WS}/time-entries/{ENTRY}?hydrated=true":
        return 200, {"id": ENTRY, "description": "Writing tests", "timeInterval": {"duration": "PT1H"}}
    return 404, {"message": f"No static resource {path}", "code": 3000}


async def test_installed_server_over_stdio_against_loopback_fake(tmp_path: Path) -> None:
    with fake_clockify(route) as fake:
        env = server_env(CLOCKIFY_API_KEY=KEY, CLOCKIFY_API_URL=fake.url)
        params = StdioServerParameters(command=server_command(), env=env, cwd=str(tmp_path))
        async with Client(params) as client:
            assert client.instructions and "get_current_user" in client.instructions
            listed = await client.list_tools()
            assert {t.name for t in listed.tools} == {op.name for op in OPERATIONS}
            result = await client.call_tool(
                "clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY, "hydrated": True}
            )
            assert not result.is_error, text(result)
            assert json.loads(text(result)) == {
                "id": ENTRY,
                "description": "Writing tests",
                "timeInterval": {"duration": "PT1H"},
            }
            bad = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": "../user"})
            assert bad.is_error and "id:" in text(bad)
    [request] = fake.requests
    assert request.method == "GET"
    assert request.headers.get("X-Api-Key") == KEY
    assert request.headers.get("User-Agent", "").startswith("mcp-server-clockify/")


async def test_a_lone_surrogate_from_clockify_comes_back_as_the_escape_it_was_sent_as(tmp_path: Path) -> None:
    """`\\ud800` alone is valid JSON but no UTF-8 text: the SDK could not send a result holding it, and the call
    was never answered (this test timed out). Now the answer and an error quoting it both arrive, exact."""
    import anyio

    odd = "bad \ud800 text"

    def odd_route(method: str, path: str, body: bytes) -> tuple[int, object]:
        if method == "GET":
            return 200, {"id": ENTRY, "description": odd}
        return 400, {"message": f"Rejected {odd}", "code": 501}

    with fake_clockify(odd_route) as fake:
        env = server_env(CLOCKIFY_API_KEY=KEY, CLOCKIFY_API_URL=fake.url, CLOCKIFY_CONFIRM="off")
        params = StdioServerParameters(command=server_command(), env=env, cwd=str(tmp_path))
        async with Client(params) as client:
            with anyio.fail_after(20):
                read = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
                failed = await client.call_tool("clockify_time_tracking_delete_entry", {"workspaceId": WS, "id": ENTRY})
    assert not read.is_error and "\\ud800" in text(read)
    assert json.loads(text(read)) == {"id": ENTRY, "description": odd}
    assert failed.is_error and "Rejected bad \\ud800 text" in text(failed)
