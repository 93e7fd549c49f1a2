"""Ids by default (issue 13): an omitted workspaceId / userId is the key owner's active workspace and the key
owner, from a profile fetched once per credential and cached."""

from __future__ import annotations

import anyio
import httpx2
import pytest
from mcp import Client

from helpers import ENTRY, USER, WS, P, call, result_json, session, settings, text
from mcp_server_clockify.client import ClockifyClient
from mcp_server_clockify.config import Settings
from mcp_server_clockify.profile import Profile, ProfileCache
from mcp_server_clockify.sandbox import (
    OWNER_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    WORKSPACE_ID,
    create_app,
    transport,
)
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY

pytestmark = pytest.mark.anyio

ME = {
    "id": USER,
    "name": "Ada",
    "activeWorkspace": WS,
    "defaultWorkspace": "f" * 24,
    "settings": {"timeZone": "Asia/Tokyo", "weekStart": "SUNDAY"},
}


def clockify(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/user"):
        return httpx2.Response(200, json=ME)
    return httpx2.Response(200, json=[])


async def test_omitted_ids_are_the_key_owner_and_the_profile_is_fetched_once() -> None:
    async with session(clockify) as (client, fake):
        for _ in range(3):
            result = await client.call_tool(P + "get_entries", {"page-size": 5})
            assert not result.is_error, text(result)
        result = await client.call_tool(P + "get_entry", {"id": ENTRY})
    paths = [s.path for s in fake.sent]
    assert paths.count("/user") == 1
    assert paths[1:4] == [f"/workspaces/{WS}/user/{USER}/time-entries"] * 3
    assert paths[4] == f"/workspaces/{WS}/time-entries/{ENTRY}"


async def test_given_ids_are_sent_as_given_without_a_profile_lookup() -> None:
    other = "a" * 24
    result, sent = await call("get_entries", {"workspaceId": other, "userId": other}, clockify)
    assert not result.is_error
    assert [s.path for s in sent] == [f"/workspaces/{other}/user/{other}/time-entries"]


async def test_a_profile_without_a_workspace_is_a_clear_error_and_nothing_else_is_sent() -> None:
    result, sent = await call("get_entries", {}, lambda r: httpx2.Response(200, json={"id": USER}))
    assert result.is_error and "workspaceId" in text(result) and "pass workspaceId" in text(result)
    assert [s.path for s in sent] == ["/user"]


async def test_a_failed_profile_lookup_is_reported_and_not_cached() -> None:
    answers = iter([httpx2.Response(401, json={"message": "Api key does not exist", "code": 4003})])

    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/user"):
            return next(answers, httpx2.Response(200, json=ME))
        return httpx2.Response(200, json=[])

    async with session(respond) as (client, fake):
        first = await client.call_tool(P + "get_entries", {})
        second = await client.call_tool(P + "get_entries", {})
    assert first.is_error and "HTTP 401" in text(first)
    assert not second.is_error
    assert [s.path for s in fake.sent] == ["/user", "/user", f"/workspaces/{WS}/user/{USER}/time-entries"]


async def test_the_profile_reads_zone_and_week_start_and_falls_back_safely() -> None:
    profile = Profile.of(ME)
    assert (profile.user_id, profile.workspace_id, profile.time_zone, profile.week_start) == (
        USER,
        WS,
        "Asia/Tokyo",
        "SUNDAY",
    )
    assert profile.week_start_index == 6 and profile.tz.key == "Asia/Tokyo"
    odd = Profile.of({"id": USER, "defaultWorkspace": WS, "settings": {"timeZone": "Mars/Olympus", "weekStart": "X"}})
    assert (odd.workspace_id, odd.time_zone, odd.week_start) == (WS, "UTC", "MONDAY")


async def test_the_cache_is_per_credential_expires_and_fetches_once_under_concurrency() -> None:
    now = [0.0]
    cache = ProfileCache(ttl=60, clock=lambda: now[0])
    fetched: list[str] = []

    def fetcher(who: str):
        async def fetch() -> dict[str, str]:
            fetched.append(who)
            await anyio.sleep(0.01)
            return {"id": who, "activeWorkspace": WS}

        return fetch

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(cache.get, "key-a", fetcher(USER))
    assert fetched == [USER]
    other = await cache.get("key-b", fetcher("b" * 24))
    assert other.user_id == "b" * 24 and cache.cached("key-a") is not None
    now[0] = 61
    assert cache.cached("key-a") is None
    await cache.get("key-a", fetcher(USER))
    assert fetched == [USER, "b" * 24, USER]


async def test_the_cache_key_is_the_credentials_digest_never_the_key() -> None:
    client = ClockifyClient(settings())
    key = client.credential_id
    assert key == client.credential.id and (settings().api_key or "") not in key
    other = ClockifyClient(settings(api_url="https://euc1.clockify.me/api/v1"))
    assert len(key) == 32 and key != other.credential_id  # the same key in another region is another user


async def test_get_entries_without_ids_returns_the_key_owners_entries_on_the_sandbox() -> None:
    app = create_app(today=TODAY)
    config = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        mine = await client.call_tool(P + "get_entries", {"page-size": 200})
        explicit = await client.call_tool(
            P + "get_entries", {"workspaceId": WORKSPACE_ID, "userId": OWNER_ID, "page-size": 200}
        )
    entries = result_json(mine)
    assert entries and {e["userId"] for e in entries} == {OWNER_ID}
    assert entries == result_json(explicit)
    with_project = [e for e in entries if "projectId" in e]
    assert with_project and all(e["projectName"] == app.state.projects[e["projectId"]].name for e in with_project)
    owners = {e.user_id for e in app.state.entries.values() if e.user_id == OWNER_ID}
    assert len(entries) == sum(1 for e in app.state.entries.values() if e.user_id in owners)
