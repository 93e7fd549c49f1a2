"""Streamable HTTP: the real server process, reached by the SDK client and by raw HTTP (security checks)."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from fake_http import fake_clockify
from helpers import ENTRY, WS, settings, text
from mcp_server_clockify.tools import OPERATIONS
from servers import INIT, KEY, MCP_HEADERS, http_server, run_server, server_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

ALL_TOOLS = {op.name for op in OPERATIONS}


def route(method: str, path: str, body: bytes) -> tuple[int, object]:
    if path.startswith(f"/api/v1/workspaces/{WS}/time-entries/{ENTRY}"):
        return 200, {"id": ENTRY, "description": "over http"}
    return 404, {"message": "No static resource", "code": 3000}


@pytest.mark.parametrize("mode", ["auto", "legacy", "2026-07-28"])
@pytest.mark.parametrize("stateless", [False, True])
async def test_sdk_client_over_http(mode: str, stateless: bool) -> None:
    with (
        fake_clockify(route) as fake,
        http_server(*(["--stateless"] if stateless else []), env=server_env(CLOCKIFY_API_URL=fake.url)) as server,
    ):
        async with Client(server.url, mode=mode) as client:
            tools = await client.list_tools()
            assert {t.name for t in tools.tools} == ALL_TOOLS
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert not result.is_error and json.loads(text(result))["description"] == "over http"
            bad = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": "../x", "id": ENTRY})
            assert bad.is_error and "workspaceId" in text(bad)
    assert [r.headers.get("X-Api-Key") for r in fake.requests] == [KEY]


async def test_foreign_host_and_origin_are_refused_on_loopback() -> None:
    with http_server() as server:
        async with httpx2.AsyncClient() as http:
            good = await http.post(server.url, json=INIT, headers=MCP_HEADERS)
            assert good.status_code == 200
            evil_host = await http.post(server.url, json=INIT, headers={**MCP_HEADERS, "Host": "evil.example:80"})
            evil_origin = await http.post(
                server.url, json=INIT, headers={**MCP_HEADERS, "Origin": "http://evil.example"}
            )
    assert evil_host.status_code in (400, 403, 421)
    assert evil_origin.status_code in (400, 403)


def test_non_loopback_without_token_refuses_to_start() -> None:
    proc = run_server("--transport", "http", "--host", "0.0.0.0", "--port", "0")
    assert proc.returncode == 2
    assert "CLOCKIFY_MCP_HTTP_TOKEN" in proc.stderr and proc.stdout == ""


async def test_token_is_checked_on_every_request() -> None:
    token = "tok-3b1f9d2a7c"
    with (
        fake_clockify(route) as fake,
        http_server(
            "--host", "0.0.0.0", env=server_env(CLOCKIFY_MCP_HTTP_TOKEN=token, CLOCKIFY_API_URL=fake.url)
        ) as server,
    ):
        url = server.url.replace("0.0.0.0", "127.0.0.1")
        async with httpx2.AsyncClient() as http:
            missing = await http.post(url, json=INIT, headers=MCP_HEADERS)
            wrong = await http.post(url, json=INIT, headers={**MCP_HEADERS, "Authorization": "Bearer nope"})
            other_path = await http.get(url.replace("/mcp", "/"))
        assert missing.status_code == wrong.status_code == other_path.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as authed,
            Client(streamable_http_client(url, http_client=authed)) as client,
        ):
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert not result.is_error


def test_port_in_use_is_a_clear_error() -> None:
    with http_server() as server:
        port = server.url.rsplit(":", 1)[1].split("/")[0]
        proc = run_server("--transport", "http", "--port", port)
    assert proc.returncode == 2 and "cannot listen" in proc.stderr


def test_a_2026_07_28_call_finds_its_schema_without_running_tools_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK checks `Mcp-Param-*` headers of a 2026-07-28 tools/call against the tool's input schema. Without
    `get_tool_input_schema` it ran the whole tools/list for that on every call (half the call's CPU)."""
    import mcp.server._streamable_http_modern as modern
    from starlette.testclient import TestClient

    from mcp_server_clockify.transports import http_app

    served: list[str] = []
    serve_one = modern.serve_one

    async def recording(app: Any, dctx: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        served.append(method)
        return await serve_one(app, dctx, method, *args, **kwargs)

    monkeypatch.setattr(modern, "serve_one", recording)
    name = "clockify_time_tracking_get_entry"
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    call = {"name": name, "arguments": {"workspaceId": WS, "id": ENTRY}, "_meta": meta}
    headers = {**MCP_HEADERS, "mcp-protocol-version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": name}
    with fake_clockify(route) as fake:
        config = settings(api_url=fake.url)
        app = http_app(config, host="127.0.0.1", stateless=False, token=None)
        with TestClient(app, base_url="http://127.0.0.1:8000") as http:  # type: ignore[arg-type]
            reply = http.post(
                "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": call}, headers=headers
            )
    assert reply.status_code == 200, reply.text
    assert json.loads(reply.json()["result"]["content"][0]["text"])["description"] == "over http"
    assert served == ["tools/call"]


async def test_the_schema_the_sdk_checks_headers_against_is_the_listed_one() -> None:
    from mcp_server_clockify.server import build_server

    server = build_server(settings())
    async with Client(server) as client:
        tools = (await client.list_tools()).tools
    lookup = server.get_tool_input_schema
    assert lookup is not None and len(tools) == len(ALL_TOOLS)
    assert {t.name: lookup(t.name) for t in tools} == {t.name: t.input_schema for t in tools}
    assert lookup("clockify_time_tracking_no_such_tool") is None
