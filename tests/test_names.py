"""Names next to ids, without the bloat (issue 13): results carry project, client, task, tag, user and policy
names beside their ids, read once per workspace and reused; null fields and empty arrays are left out."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from helpers import ENTRY, PROJECT, TAG, TASK, USER, WS, P, call, result_json, settings, text
from mcp_server_clockify import names as names_module
from mcp_server_clockify.config import Settings
from mcp_server_clockify.names import MEMO_SIZE, REFRESH_AFTER, NameCache
from mcp_server_clockify.present import clean, present
from mcp_server_clockify.registry import Request
from mcp_server_clockify.sandbox import (
    DESIGNER_ID,
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

SANDBOX = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)


class Counting(httpx2.AsyncBaseTransport):
    """The sandbox transport, remembering each request's method, path and query."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(f"{request.method} {request.url.path.removeprefix('/api/v1')}")
        return await self.inner.handle_async_request(request)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


async def test_fifteen_entries_with_names_stay_within_a_quarter_more_bytes_and_cost_no_repeat_requests() -> None:
    app = create_app(today=TODAY)
    counting = Counting(transport(app))
    args = {"workspaceId": WORKSPACE_ID, "userId": OWNER_ID, "page-size": 15}
    async with Client(build_server(SANDBOX, transport=lambda: counting)) as client:
        first = await client.call_tool(P + "get_entries", args)
        after_first = list(counting.sent)
        second = await client.call_tool(P + "get_entries", {**args, "page": 2})
    # What the tool answered before names: Clockify's own JSON, compact, plus the paging note.
    async with httpx2.AsyncClient(transport=transport(app), base_url=SANDBOX_BASE_URL) as http:
        raw = (
            await http.get(
                f"/workspaces/{WORKSPACE_ID}/user/{OWNER_ID}/time-entries",
                params={"page-size": 15},
                headers={"X-Api-Key": SANDBOX_API_KEY},
            )
        ).json()
    entries = result_json(first)
    assert len(entries) == len(raw) == 15
    before = len(compact(raw).encode()) + len("\n(more results: call again with page=2 and the same page-size)")
    now = sum(len(c.text.encode()) for c in first.content)
    assert now <= 1.25 * before, (now, before)

    by_id = {e["id"]: e for e in raw}
    for entry in entries:
        original = by_id[entry["id"]]
        assert entry["userName"] == "Alex Morgan"
        if original["projectId"]:
            project = app.state.projects[original["projectId"]]
            assert entry["projectName"] == project.name
            if project.client_id:
                assert entry["clientName"] == app.state.clients[project.client_id].name
        if original["taskId"]:
            assert entry["taskName"] == app.state.tasks[original["taskId"]].name
        if original["tagIds"]:
            assert entry["tagNames"] == [app.state.tags[t].name for t in original["tagIds"]]
        assert "kioskId" not in entry and "customFieldValues" not in entry and None not in entry.values()
        keys = list(entry)
        if "projectName" in entry:  # the name sits right after its id
            assert keys.index("projectName") == keys.index("projectId") + 1
    running = [e for e in entries if e["timeInterval"]["end"] is None]
    assert len(running) == 1  # a running timer still says so

    # The names cost one read per source the first time (projects with tasks and clients, tags) ... The profile,
    # GET /user, is read once too: it gives the zone the answer's times are shown in, and the key owner's name,
    # so the owner's own entries need no read of the workspace's member list.
    names = {p.split("?")[0] for p in after_first if not p.endswith(("/time-entries", " /user"))}
    assert names == {f"GET /workspaces/{WORKSPACE_ID}/{kind}" for kind in ("projects", "tags")}
    assert after_first.count("GET /user") == 1
    # ... and nothing on the next call.
    assert counting.sent[len(after_first) :] == [f"GET /workspaces/{WORKSPACE_ID}/user/{OWNER_ID}/time-entries"]
    assert result_json(second)[0]["userName"] == "Alex Morgan"


async def test_a_teammates_entries_read_the_member_list_once_and_the_owners_name_stays() -> None:
    app = create_app(today=TODAY)
    counting = Counting(transport(app))
    members = f"GET /workspaces/{WORKSPACE_ID}/users"
    async with Client(build_server(SANDBOX, transport=lambda: counting)) as client:
        own = await client.call_tool(P + "get_entries", {"workspaceId": WORKSPACE_ID, "page-size": 5})
        own_reads = list(counting.sent)
        theirs = await client.call_tool(
            P + "get_entries", {"workspaceId": WORKSPACE_ID, "userId": DESIGNER_ID, "page-size": 5}
        )
        their_reads = counting.sent[len(own_reads) :]
        again = await client.call_tool(P + "get_entries", {"workspaceId": WORKSPACE_ID, "page-size": 5})
    assert not own.is_error and not theirs.is_error and not again.is_error, (text(own), text(theirs))
    assert {e["userName"] for e in result_json(own)} == {"Alex Morgan"}
    assert members not in own_reads
    assert [e["userName"] for e in result_json(theirs)] == ["Jordan Lee"] * len(result_json(theirs)) != []
    assert their_reads.count(members) == 1  # one read serves the teammate's zone and their name
    assert {e["userName"] for e in result_json(again)} == {"Alex Morgan"}
    assert counting.sent.count(members) == 1


class Listing:
    """A client stand-in for NameCache: counts the reads of the workspace's tags and answers one tag."""

    credential_id = "key"

    def __init__(self) -> None:
        self.reads = 0

    async def send(self, request: Request) -> Any:
        assert request.path == f"/workspaces/{WS}/tags", request.path
        self.reads += 1
        return SimpleNamespace(body=[{"id": TAG, "name": "meeting"}])


async def test_a_name_known_without_a_read_spares_the_read_until_an_id_is_missing_and_a_read_source_ages() -> None:
    now = [1000.0]
    cache, client = NameCache(ttl=300, clock=lambda: now[0]), Listing()
    directory = cache.current(client, WS)  # type: ignore[arg-type]
    directory.know("tag", TAG, "meeting")
    assert not await cache.refresh(client, WS, {"tag"}, {})  # type: ignore[arg-type]
    assert client.reads == 0
    assert await cache.refresh(client, WS, {"tag"}, {"tag": {"e" * 24}})  # type: ignore[arg-type]
    assert client.reads == 1 and directory.listed("tags")
    now[0] += REFRESH_AFTER / 2  # a missing id again, too soon: no loop of reads on a deleted tag
    assert not await cache.refresh(client, WS, {"tag"}, {"tag": {"e" * 24}})  # type: ignore[arg-type]
    now[0] += 300  # all names known, but the list they came from is older than the TTL: read again
    assert await cache.refresh(client, WS, {"tag"}, {})  # type: ignore[arg-type]
    assert client.reads == 2


def test_names_written_once_are_reused_until_a_source_is_learnt_anew_or_older_than_the_ttl() -> None:
    """The directory remembers what was written next to each id, so the next answer spends no work on it; an
    id found there is not reported as seen (its name is known and fresh). Learning a source forgets it all, and
    a source older than the TTL forgets what came from it, so the next answer meets those ids again and the caller
    refreshes them."""
    now = [1000.0]
    cache, client = NameCache(ttl=300, clock=lambda: now[0]), SimpleNamespace(credential_id="key")
    directory = cache.current(client, WS)  # type: ignore[arg-type]
    directory.learn("projects", PROJECTS, 1000.0)
    directory.learn("tags", [{"id": TAG, "name": "meeting"}], 1100.0)
    body = [{"id": "e1", "projectId": PROJECT, "tagIds": [TAG]}, {"id": "e2", "projectId": PROJECT, "tagIds": [TAG]}]
    named = [
        {
            "id": e,
            "projectId": PROJECT,
            "projectName": "Website",
            "clientName": "Acme",
            "tagIds": [TAG],
            "tagNames": ["meeting"],
        }
        for e in ("e1", "e2")
    ]

    first = present(body, names=cache.current(client, WS))  # type: ignore[arg-type]
    assert first.body == named and first.seen == {"project", "tag"}
    again = present(body, names=cache.current(client, WS))  # type: ignore[arg-type]
    assert again.body == named and again.seen == set() and again.unknown == {}

    now[0] = 1000.0 + 300 + 1  # the projects read is older than the TTL, the tags read is not
    aged = present(body, names=cache.current(client, WS))  # type: ignore[arg-type]
    assert aged.body == named and aged.seen == {"project"}

    directory.learn("projects", [{**PROJECTS[0], "name": "Web shop"}], now[0])
    renamed = present(body, names=cache.current(client, WS))  # type: ignore[arg-type]
    assert [e["projectName"] for e in renamed.body] == ["Web shop", "Web shop"] and renamed.seen == {"project", "tag"}


def test_ids_without_a_name_are_never_remembered_and_the_memory_is_bounded() -> None:
    cache, client = NameCache(), SimpleNamespace(credential_id="key")
    directory = cache.current(client, WS)  # type: ignore[arg-type]
    directory.learn("tags", [{"id": TAG, "name": "meeting"}], 0.0)
    body = [{"tagIds": [TAG, "g404"]}, {"tagIds": [TAG, "g404"]}]
    for _ in range(2):  # reported by every answer, so that the caller reads the tags again
        shown = present(body, names=directory)
        assert shown.unknown == {"tag": {"g404"}} and "tagNames" not in shown.body[0]
    assert directory.shown["tagIds"] == {}

    directory.learn("tags", [{"id": f"g{i}", "name": f"tag {i}"} for i in range(MEMO_SIZE + 1)], 0.0)
    for i in range(MEMO_SIZE + 1):
        assert present({"tagIds": [f"g{i}"]}, names=directory).body["tagNames"] == [f"tag {i}"]
        assert len(directory.shown["tagIds"]) <= MEMO_SIZE


async def test_a_page_named_from_memory_still_has_its_names_read_again_after_the_ttl(monkeypatch: Any) -> None:
    """Through the server: the second call reads nothing more, and a call after the TTL reads the projects and
    tags again although every name on the page is remembered."""
    now = [1000.0]
    monkeypatch.setitem(names_module.NameCache.__init__.__kwdefaults__, "clock", lambda: now[0])
    app = create_app(today=TODAY)
    counting = Counting(transport(app))
    args = {"workspaceId": WORKSPACE_ID, "userId": OWNER_ID, "page-size": 15}
    sources = [f"GET /workspaces/{WORKSPACE_ID}/{kind}" for kind in ("projects", "tags")]
    async with Client(build_server(SANDBOX, transport=lambda: counting)) as client:
        first = result_json(await client.call_tool(P + "get_entries", args))
        reads = [counting.sent.count(s) for s in sources]
        assert result_json(await client.call_tool(P + "get_entries", args)) == first
        assert [counting.sent.count(s) for s in sources] == reads == [1, 1]
        now[0] += names_module.TTL + 1
        assert result_json(await client.call_tool(P + "get_entries", args)) == first
        assert [counting.sent.count(s) for s in sources] == [2, 2]


ENTRY_BODY = {
    "id": ENTRY,
    "description": "Work",
    "tagIds": [TAG],
    "userId": USER,
    "projectId": PROJECT,
    "taskId": TASK,
    "timeInterval": {"start": "2026-11-25T08:00:00Z", "end": None, "duration": None},
    "customFieldValues": [],
    "kioskId": None,
}
PROJECTS = [
    {
        "id": PROJECT,
        "name": "Website",
        "clientId": "c" * 24,
        "clientName": "Acme",
        "tasks": [{"id": TASK, "name": "Design"}],
    }
]


def directory(request: httpx2.Request) -> httpx2.Response:
    path = request.url.path.removeprefix("/api/v1")
    if path == f"/workspaces/{WS}/projects":
        return httpx2.Response(200, json=PROJECTS)
    if path == f"/workspaces/{WS}/tags":
        return httpx2.Response(200, json=[{"id": TAG, "name": "meeting"}])
    if path == f"/workspaces/{WS}/users":
        return httpx2.Response(403, json={"message": "Forbidden", "code": 403})
    return httpx2.Response(200, json=ENTRY_BODY)


async def test_the_name_reads_are_exact_and_a_failed_one_only_leaves_ids() -> None:
    result, sent = await call("get_entry", {"workspaceId": WS, "id": ENTRY}, directory, config=settings(names=True))
    assert not result.is_error, text(result)
    reads = {s.path: s.query for s in sent[1:]}
    assert reads == {
        f"/workspaces/{WS}/projects": [("hydrated", "true"), ("page", "1"), ("page-size", "500")],
        f"/workspaces/{WS}/tags": [("page", "1"), ("page-size", "500")],
        f"/workspaces/{WS}/users": [("page", "1"), ("page-size", "500")],
    }
    assert result_json(result) == {
        "id": ENTRY,
        "description": "Work",
        "tagIds": [TAG],
        "tagNames": ["meeting"],
        "userId": USER,  # the member list was refused: the id stays, without a name, and the call succeeds
        "projectId": PROJECT,
        "projectName": "Website",
        "clientName": "Acme",
        "taskId": TASK,
        "taskName": "Design",
        "timeInterval": {"start": "2026-11-25T08:00:00Z", "end": None},
    }


async def test_the_name_reads_go_one_after_another_on_one_connection() -> None:
    """In parallel each read would need a connection of its own (a TCP and a TLS handshake each, against
    Clockify) and leave it idle in the pool afterwards; one after another they reuse the call's connection."""
    in_flight, most, order = [0], [0], []

    async def slow_directory(request: httpx2.Request) -> httpx2.Response:
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        order.append(request.url.path.rsplit("/", 1)[-1])
        await anyio.sleep(0.02)
        in_flight[0] -= 1
        return directory(request)

    server = build_server(settings(names=True), transport=lambda: httpx2.MockTransport(slow_directory))
    async with Client(server) as client:
        result = await client.call_tool(P + "get_entry", {"workspaceId": WS, "id": ENTRY})
    assert not result.is_error, text(result)
    assert order == [ENTRY, "projects", "tags", "users"] and most[0] == 1


async def test_a_page_cut_to_the_limit_reads_only_the_names_of_what_it_shows() -> None:
    """1,000 entries of which about 70 fit in 20,000 characters: only those are presented, so the tags that only
    the later entries carry are not read, and the shown entries are named as on a short page."""
    plain = {k: v for k, v in ENTRY_BODY.items() if k != "tagIds"}
    rows = [{**plain, "id": f"{i:024d}", **({"tagIds": [TAG]} if i >= 500 else {})} for i in range(1000)]

    def clockify(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/time-entries"):
            return httpx2.Response(200, json=rows)
        return directory(request)

    args = {"workspaceId": WS, "userId": USER, "page-size": 1000}
    result, sent = await call("get_entries", args, clockify, config=settings(names=True, max_result_chars=20_000))
    shown = result_json(result)
    assert 0 < len(shown) < 500 and "of 1000 items" in text(result)
    assert [s.path for s in sent[1:]] == [f"/workspaces/{WS}/projects", f"/workspaces/{WS}/users"]  # no tags
    assert all(e["projectName"] == "Website" and e["taskName"] == "Design" and "tagNames" not in e for e in shown)


async def test_names_off_keeps_ids_only_and_sends_nothing_more() -> None:
    result, sent = await call("get_entry", {"workspaceId": WS, "id": ENTRY}, directory)
    assert len(sent) == 1 and "projectName" not in result_json(result)


def test_clean_drops_nulls_and_empty_arrays_but_keeps_a_running_timer_end() -> None:
    body = [{"a": None, "b": [], "c": {"end": None, "duration": None, "x": [1]}, "d": "", "e": False, "f": 0}]
    assert clean(body) == [{"c": {"end": None, "x": [1]}, "d": "", "e": False, "f": 0}]
    assert clean([]) == []
    assert clean({"count": 0, "requests": [], "note": None}) == {"count": 0, "requests": []}  # the answer stays


async def test_tags_clients_and_tasks_on_the_sandbox_default_to_the_owners_workspace() -> None:
    app = create_app(today=TODAY)
    async with Client(build_server(SANDBOX, transport=lambda: transport(app))) as client:
        tags = result_json(await client.call_tool(P + "get_tags", {"name": "bug"}))
        clients = result_json(await client.call_tool(P + "get_clients", {}))
        website = next(p for p in app.state.projects.values() if p.name == "Website Redesign")
        tasks = result_json(await client.call_tool(P + "get_tasks", {"projectId": website.id}))
    assert [t["name"] for t in tags] == ["bugfix"]
    assert [c["name"] for c in clients] == sorted(c.name for c in app.state.clients.values())
    assert {t["name"] for t in tasks} == {t.name for t in app.state.tasks.values() if t.project_id == website.id}
