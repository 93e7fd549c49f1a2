"""Issue 12: confirmations in every client (CLOCKIFY_CONFIRM = auto | elicit | token | off).

A client without elicitation gets a preview and a single-use token bound to the exact request and the key
owner; a client that declares elicitation but never answers ends on time with nothing sent.
"""

from __future__ import annotations

import re
import time
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client

from helpers import P, text
from mcp_server_clockify.config import ConfigError, Settings
from mcp_server_clockify.confirm import Tokens
from mcp_server_clockify.sandbox import (
    OWNER_ID,
    RUNNING_ENTRY_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    WORKSPACE_ID,
    Simulator,
    create_app,
    transport,
)
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY
from servers import clean_env, http_server

pytestmark = pytest.mark.anyio

TOKEN = re.compile(r'confirm: "([^"]+)"')


def owner_entries(app: Simulator) -> list[str]:
    return sorted(e.id for e in app.state.entries.values() if e.user_id == OWNER_ID and not e.running)


def config(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"api_key": SANDBOX_API_KEY, "api_url": SANDBOX_BASE_URL}
    values.update(overrides)
    return Settings(**values)


async def test_token_flow_in_a_client_without_elicitation() -> None:
    app = create_app(today=TODAY)
    first, second = owner_entries(app)[:2]
    description = app.state.entries[first].description
    async with Client(build_server(config(), transport=lambda: transport(app))) as client:
        args = {"workspaceId": WORKSPACE_ID, "id": first}
        preview = await client.call_tool(P + "delete_entry", args)
        shown = text(preview)
        assert first in app.state.entries, "a preview sends nothing"
        assert "Nothing was sent" in shown and description in shown
        assert "+01:00" in shown or "CET" in shown  # local times in the preview
        token = TOKEN.search(shown)
        assert token, shown

        other = await client.call_tool(
            P + "delete_entry", {"workspaceId": WORKSPACE_ID, "id": second, "confirm": token[1]}
        )
        assert other.is_error and "does not match" in text(other)
        assert second in app.state.entries

        done = await client.call_tool(P + "delete_entry", {**args, "confirm": token[1]})
        assert not done.is_error, text(done)
        assert first not in app.state.entries

        replay = await client.call_tool(P + "delete_entry", {**args, "confirm": token[1]})
        assert replay.is_error and "already used" in text(replay)

        forged = await client.call_tool(P + "delete_entry", {**args, "confirm": token[1][:-4] + "AAAA"})
        assert forged.is_error and "does not match" in text(forged)


async def test_token_survives_another_replica_with_the_same_secret_and_not_with_another() -> None:
    app = create_app(today=TODAY)
    [entry] = owner_entries(app)[:1]
    args = {"workspaceId": WORKSPACE_ID, "id": entry}
    shared = "0123456789abcdef0123456789abcdef"
    async with Client(build_server(config(confirm_secret=shared), transport=lambda: transport(app))) as one:
        token = TOKEN.search(text(await one.call_tool(P + "delete_entry", args)))
    assert token
    async with Client(build_server(config(confirm_secret="f" * 32), transport=lambda: transport(app))) as stranger:
        refused = await stranger.call_tool(P + "delete_entry", {**args, "confirm": token[1]})
    assert refused.is_error and entry in app.state.entries
    async with Client(build_server(config(confirm_secret=shared), transport=lambda: transport(app))) as two:
        done = await two.call_tool(P + "delete_entry", {**args, "confirm": token[1]})
    assert not done.is_error, text(done)
    assert entry not in app.state.entries


async def test_tokens_are_bound_to_the_key_owner_and_expire() -> None:
    now = [1_000_000.0]
    tokens = Tokens(b"k" * 32, ttl=300, clock=lambda: now[0])
    token = tokens.issue("owner-a", "request-1")
    assert await tokens.check(token, "owner-b", "request-1") is not None
    now[0] += 301
    assert "expired" in (await tokens.check(token, "owner-a", "request-1") or "")
    fresh = tokens.issue("owner-a", "request-1")
    assert await tokens.check(fresh, "owner-a", "request-1") is None
    assert "already used" in (await tokens.check(fresh, "owner-a", "request-1") or "")
    assert await tokens.check("garbage", "owner-a", "request-1") is not None


@pytest.mark.e2e
async def test_with_redis_a_token_used_on_one_replica_is_used_on_every_replica() -> None:
    """Replicas share the signing key, so each accepts the other's tokens; with CLOCKIFY_MCP_REDIS_URL they also
    share which tokens were used (without it, each process remembered its own, and a token could be replayed
    once on another replica within its 5 minutes)."""
    from mcp_server_clockify.auth.grants import RedisGrants
    from test_nginx import redis

    with redis() as url:
        one, other = (Tokens(b"k" * 32, spent=RedisGrants(url)) for _ in range(2))
        token = one.issue("owner-a", "request-1")
        assert await one.check(token, "owner-a", "request-1") is None
        assert "already used" in (await other.check(token, "owner-a", "request-1") or "")
        second = other.issue("owner-a", "request-1")
        assert await other.check(second, "owner-a", "request-1") is None
        assert "already used" in (await one.check(second, "owner-a", "request-1") or "")


def test_a_redis_url_without_the_redis_client_stops_the_start_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "redis" else real(name, *a))
    env = {"CLOCKIFY_API_KEY": "k", "CLOCKIFY_MCP_REDIS_URL": "redis://127.0.0.1:6379/0"}
    with pytest.raises(ConfigError, match=r"CLOCKIFY_MCP_REDIS_URL needs the Redis client.*\[hosted\]"):
        Settings.from_env(env)


async def test_off_runs_destructive_tools_directly() -> None:
    app = create_app(today=TODAY)
    [entry] = owner_entries(app)[:1]
    async with Client(build_server(config(confirm="off"), transport=lambda: transport(app))) as client:
        done = await client.call_tool(P + "delete_entry", {"workspaceId": WORKSPACE_ID, "id": entry})
    assert not done.is_error and entry not in app.state.entries


async def test_an_elicitation_that_is_never_answered_ends_on_time_with_nothing_sent() -> None:
    app = create_app(today=TODAY)
    [entry] = owner_entries(app)[:1]

    async def never(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    server = build_server(config(confirm_timeout=0.5), transport=lambda: transport(app))
    async with Client(server, mode="legacy", elicitation_callback=never) as client:
        started = time.monotonic()
        with anyio.fail_after(10):
            result = await client.call_tool(P + "delete_entry", {"workspaceId": WORKSPACE_ID, "id": entry})
        elapsed = time.monotonic() - started
    assert elapsed < 5
    assert "not confirmed" in text(result).lower() and "nothing was sent" in text(result).lower()
    assert entry in app.state.entries


async def test_confirm_is_advertised_on_destructive_tools_only() -> None:
    async with Client(build_server(config(), transport=lambda: transport(create_app(today=TODAY)))) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        has = "confirm" in (tool.input_schema.get("properties") or {})
        assert has == bool(tool.annotations and tool.annotations.destructive_hint), tool.name


def test_confirm_setting_is_checked() -> None:
    assert Settings.from_env({"CLOCKIFY_SANDBOX": "true", "CLOCKIFY_CONFIRM": "token"}).confirm == "token"
    assert Settings.from_env({"CLOCKIFY_SANDBOX": "true"}).confirm == "auto"
    with pytest.raises(ConfigError, match="CLOCKIFY_CONFIRM"):
        Settings.from_env({"CLOCKIFY_SANDBOX": "true", "CLOCKIFY_CONFIRM": "maybe"})


@pytest.mark.e2e
@pytest.mark.parametrize("stateless", [False, True])
async def test_token_flow_over_http_across_connections(stateless: bool) -> None:
    """The real server over streamable HTTP on its embedded sandbox: the preview comes on one connection, the
    confirmation on another (a new session, or none at all when stateless): the token depends on no session."""
    args = {"workspaceId": WORKSPACE_ID, "id": RUNNING_ENTRY_ID}
    tool = P + "delete_entry"
    env = clean_env(CLOCKIFY_SANDBOX="true", CLOCKIFY_SANDBOX_TODAY=TODAY.isoformat())
    with http_server(*(["--stateless"] if stateless else []), env=env) as server:
        async with Client(server.url) as first:
            preview = await first.call_tool(tool, args)
        shown = text(preview)
        assert not preview.is_error and "Nothing was sent" in shown and "Prepare weekly status report" in shown
        token = TOKEN.search(shown)
        assert token, shown
        async with Client(server.url) as second:
            still_there = await second.call_tool(P + "get_entry", args)
            assert not still_there.is_error, text(still_there)
            done = await second.call_tool(tool, {**args, "confirm": token[1]})
            assert not done.is_error, text(done)
            replay = await second.call_tool(tool, {**args, "confirm": token[1]})
            assert replay.is_error and "already used" in text(replay)
            gone = await second.call_tool(P + "get_entry", args)
            assert gone.is_error and "not found in this workspace" in text(gone)


async def test_the_time_a_person_takes_to_confirm_is_not_counted_against_clockify_timeout() -> None:
    """One deadline covers a call's requests (CLOCKIFY_TIMEOUT, here 1 s), but not the person reading the question:
    confirmed after 1.5 s, the delete is still sent."""
    app = create_app(today=TODAY)
    [entry] = owner_entries(app)[:1]

    async def slow_yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        await anyio.sleep(1.5)
        return types.ElicitResult(action="accept", content={"confirm": True})

    server = build_server(config(timeout=1.0), transport=lambda: transport(app))
    async with Client(server, mode="legacy", elicitation_callback=slow_yes) as client:
        result = await client.call_tool(P + "delete_entry", {"workspaceId": WORKSPACE_ID, "id": entry})
    assert not result.is_error, text(result)
    assert entry not in app.state.entries
