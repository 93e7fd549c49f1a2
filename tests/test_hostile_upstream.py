"""Issue 11, findings 2 to 4: an upstream that redirects, answers HTML, drips, stays silent or floods.

Each case is a real loopback HTTP server (tests/hostile_upstream.py) reached through the real httpx stack.
"""

from __future__ import annotations

import json

import pytest

from helpers import ENTRY, USER, WS, settings, text
from hostile_upstream import answer, hostile_upstream
from mcp_server_clockify.server import build_server

pytestmark = pytest.mark.anyio

CREATE = ("create_time_entry", {"workspaceId": WS, "start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"})
DELETE = ("delete_entry", {"workspaceId": WS, "id": ENTRY})
READ = ("get_entry", {"workspaceId": WS, "id": ENTRY})
STOP = ("stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "2026-11-28T10:00:00Z"})


async def _call(url: str, tool: str, arguments: dict[str, object], **overrides: object):
    from mcp import Client

    server = build_server(settings(api_url=url, **overrides))
    async with Client(server) as client:
        return await client.call_tool(f"clockify_time_tracking_{tool}", arguments)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(("tool", "arguments"), [CREATE, DELETE, READ])
async def test_a_redirect_is_an_error_never_success(status: int, tool: str, arguments: dict[str, object]) -> None:
    target = "https://elsewhere.example/api/v1/x"
    with hostile_upstream(answer(status, headers={"Location": target})) as upstream:
        result = await _call(upstream.url, tool, arguments)
    assert result.is_error, text(result)
    message = text(result)
    assert f"HTTP {status}" in message and f"redirect to {target}" in message
    assert "nothing is known to have changed" in message
    assert "done" not in message.lower().split("\n")[0]
    assert len(upstream.requests) == 1  # not followed, not retried


HTML = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Captive portal</body></html>"


@pytest.mark.parametrize(("tool", "arguments"), [CREATE, DELETE, READ, STOP])
async def test_a_2xx_html_page_is_an_error(tool: str, arguments: dict[str, object]) -> None:
    with hostile_upstream(answer(200, HTML, {"Content-Type": "text/html"})) as upstream:
        result = await _call(upstream.url, tool, arguments)
    assert result.is_error, text(result)
    message = text(result)
    assert "HTML page" in message and "CLOCKIFY_API_URL" in message
    if tool != "get_entry":  # a write: the agent is told to look before it repeats anything
        assert "outcome is unknown" in message


async def test_an_empty_2xx_is_still_success() -> None:
    with hostile_upstream(answer(204)) as upstream:
        result = await _call(upstream.url, *DELETE)
    assert not result.is_error and "no body" in text(result)


async def test_json_2xx_is_success() -> None:
    body = json.dumps({"id": ENTRY}).encode()
    with hostile_upstream(answer(200, body)) as upstream:
        result = await _call(upstream.url, *READ)
    assert not result.is_error and json.loads(text(result)) == {"id": ENTRY}
