"""Hosted mode with per-user keys (`--auth key-header`): every call runs as its user.

The real server process in front of the real `sandbox-server` process (which knows one key per seeded user
and answers each as that user); two users' SDK clients interleave 200 calls, reads and writes, and each
only ever sees their own data.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from helpers import P, result_json, text
from mcp_server_clockify.sandbox import API_KEYS, DESIGNER_ID, DEVELOPER_ID, WORKSPACE_ID
from servers import INIT, MCP_HEADERS, http_server, sandbox_server, server_command, server_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


def hosted_env(api_url: str, **extra: str) -> dict[str, str]:
    env = server_env(CLOCKIFY_API_URL=api_url, **extra)
    del env["CLOCKIFY_API_KEY"], env["CLOCKIFY_TIMEZONE"]  # no server-wide key; each user's own profile zone
    return env


def test_sandbox_server_prints_one_key_per_seeded_user() -> None:
    out = subprocess.run(
        [server_command(), "sandbox-server", "--print-keys"], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()
    assert out == [
        f"{API_KEYS[user]}  {name}"
        for user, name in zip(
            API_KEYS,
            [
                "Alex Morgan <alex.morgan@example.com>",
                "Priya Shah <priya.shah@example.com>",
                "Jordan Lee <jordan.lee@example.com>",
                "Sam Rivera <sam.rivera@example.com>",
            ],
            strict=True,
        )
    ]


async def _user_session(url: str, user: str, log: list[tuple[str, str, Any]], gate: anyio.Event) -> None:
    """100 calls as `user`: who am I, my entries, a new entry; each answer is logged with who asked."""
    async with (
        httpx2.AsyncClient(headers={"X-Clockify-Api-Key": API_KEYS[user]}) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        await gate.wait()  # both users are connected: from here on their calls interleave
        for i in range(100):
            if i % 3 == 0:
                result = await client.call_tool(P + "get_current_user", {})
            elif i % 3 == 1:
                result = await client.call_tool(
                    P + "get_entries", {"workspaceId": WORKSPACE_ID, "userId": user, "page-size": 5}
                )
            else:
                args = {"workspaceId": WORKSPACE_ID, "start": "2026-01-05T09:00:00", "description": f"{user} #{i}"}
                result = await client.call_tool(P + "create_time_entry", {**args, "end": "2026-01-05T10:00:00"})
            assert not result.is_error, text(result)
            log.append((user, ("me", "entries", "created")[i % 3], result_json(result)))
            await anyio.sleep(0)


async def test_two_users_interleaved_each_see_only_their_own_data() -> None:
    with (
        sandbox_server("--quiet") as sandbox,
        http_server("--auth", "key-header", env=hosted_env(sandbox.url)) as server,
    ):
        log: list[tuple[str, str, Any]] = []
        gate = anyio.Event()
        async with anyio.create_task_group() as group:
            for user in (DEVELOPER_ID, DESIGNER_ID):
                group.start_soon(_user_session, server.url, user, log, gate)
            await anyio.sleep(1.0)
            gate.set()
    assert len(log) == 200
    users = [who for who, _, _ in log]
    switches = sum(1 for a, b in itertools.pairwise(users) if a != b)
    assert switches > 20, "the two users' calls did not interleave"
    nine = {DEVELOPER_ID: datetime(2026, 1, 5, 8, tzinfo=UTC), DESIGNER_ID: datetime(2026, 1, 5, 14, tzinfo=UTC)}
    for who, kind, answer in log:
        if kind == "me":
            assert answer["id"] == who
        elif kind == "entries":
            assert answer and {e["userId"] for e in answer} == {who}
        else:  # written with the caller's key, and the local time read in the caller's own profile zone
            assert answer["userId"] == who and answer["description"].startswith(who)
            start = datetime.fromisoformat(answer["timeInterval"]["start"].replace("Z", "+00:00"))
            assert start == nine[who], answer["timeInterval"]  # 09:00 in Berlin and in New York


async def test_key_header_mode_refuses_requests_without_a_key() -> None:
    with sandbox_server("--quiet") as sandbox, http_server("--auth", "key-header", env=hosted_env(sandbox.url)) as s:
        async with httpx2.AsyncClient() as http:
            missing = await http.post(s.url, json=INIT, headers=MCP_HEADERS)
            bearer = await http.post(s.url, json=INIT, headers={**MCP_HEADERS, "Authorization": "Bearer x"})
            region = await http.post(
                s.url, json=INIT, headers={**MCP_HEADERS, "X-Clockify-Api-Key": "k", "X-Clockify-Region": "mars"}
            )
    assert missing.status_code == bearer.status_code == 401
    assert "X-Clockify-Api-Key" in missing.json()["error"]
    assert region.status_code == 400


async def test_key_header_mode_wrong_key_is_clockifys_401_as_a_tool_error() -> None:
    with sandbox_server("--quiet") as sandbox, http_server("--auth", "key-header", env=hosted_env(sandbox.url)) as s:
        async with (
            httpx2.AsyncClient(headers={"X-Clockify-Api-Key": "not-a-sandbox-key"}) as http,
            Client(streamable_http_client(s.url, http_client=http)) as client,
        ):
            result = await client.call_tool(P + "get_current_user", {})
    assert result.is_error and "401" in text(result) and "not-a-sandbox-key" not in text(result)


async def test_key_header_off_loopback_requires_https() -> None:
    with (
        sandbox_server("--quiet") as sandbox,
        http_server("--host", "0.0.0.0", "--auth", "key-header", env=hosted_env(sandbox.url)) as server,
    ):
        url = server.url.replace("0.0.0.0", "127.0.0.1")
        key = {"X-Clockify-Api-Key": API_KEYS[DEVELOPER_ID]}
        async with httpx2.AsyncClient() as http:
            plain = await http.post(url, json=INIT, headers={**MCP_HEADERS, **key})
            # a TLS-terminating proxy on this host says so; uvicorn trusts that from 127.0.0.1 only
            proxied = await http.post(url, json=INIT, headers={**MCP_HEADERS, **key, "X-Forwarded-Proto": "https"})
    assert plain.status_code == 403 and "HTTPS" in plain.json()["error"]
    assert proxied.status_code == 200, proxied.text
    assert json.loads(proxied.text.split("data: ", 1)[-1])["result"]["serverInfo"]["name"] == "mcp-server-clockify"
