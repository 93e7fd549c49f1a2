"""Stateful HTTP sessions do not pile up: an idle one expires (CLOCKIFY_MCP_SESSION_IDLE) and the number of
live ones is capped (CLOCKIFY_MCP_MAX_SESSIONS)."""

from __future__ import annotations

import json
import time

import httpx2
import pytest

from mcp_server_clockify.config import ConfigError, Settings
from servers import INIT, MCP_HEADERS, http_server, server_env

pytestmark = [pytest.mark.e2e]

PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}


def _open(http: httpx2.Client, url: str) -> httpx2.Response:
    return http.post(url, json=INIT, headers=MCP_HEADERS)


def test_idle_sessions_expire_and_live_sessions_are_capped() -> None:
    env = server_env(CLOCKIFY_MCP_SESSION_IDLE="1.5", CLOCKIFY_MCP_MAX_SESSIONS="2")
    with http_server(env=env) as server, httpx2.Client(timeout=10) as http:
        first, second, third = _open(http, server.url), _open(http, server.url), _open(http, server.url)
        assert (first.status_code, second.status_code, third.status_code) == (200, 200, 503)
        session = {**MCP_HEADERS, "Mcp-Session-Id": second.headers["mcp-session-id"]}
        assert http.post(server.url, json=PING, headers=session).status_code == 200  # alive while used
        time.sleep(3.5)
        assert http.post(server.url, json=PING, headers=session).status_code == 404  # expired when idle
        assert _open(http, server.url).status_code == 200  # and its place is free again


def test_session_settings_defaults_and_errors() -> None:
    s = Settings.from_env({"CLOCKIFY_API_KEY": "k"})
    assert (s.session_idle, s.max_sessions) == (300.0, 1000)
    for name in ("CLOCKIFY_MCP_SESSION_IDLE", "CLOCKIFY_MCP_MAX_SESSIONS"):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({"CLOCKIFY_API_KEY": "k", name: "0"})


def test_only_a_readable_initialize_without_elicitation_gets_plain_json_answers() -> None:
    from mcp_server_clockify.session_guard import may_be_asked

    def opening(capabilities: object) -> bytes:
        params = {"protocolVersion": "2025-06-18", "capabilities": capabilities, "clientInfo": {"name": "c"}}
        return json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}).encode()

    assert not may_be_asked(opening({}))
    assert not may_be_asked(opening({"roots": {"listChanged": True}, "sampling": {}}))
    assert may_be_asked(opening({"elicitation": {}}))
    assert may_be_asked(opening({"elicitation": {"form": {}, "url": {}}}))
    assert may_be_asked(opening("not an object"))  # unreadable: keep event streams
    assert may_be_asked(b'{"jsonrpc": "2.0", "id": 1, "method": "ping"}')
    assert may_be_asked(b"{not json")
