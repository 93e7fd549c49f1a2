"""Safety: modes (read-only, toolsets, dry-run), confirmations, retries that are safe, rate limit, big answers."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import mcp_types as types
import pytest
from mcp import Client

from helpers import ENTRY, ENTRY2, USER, WS, FakeClockify, P, call, reply, session, settings, text
from mcp_server_clockify import client as client_module
from mcp_server_clockify import toolsets
from mcp_server_clockify.client import RateLimiter
from mcp_server_clockify.config import Settings
from mcp_server_clockify.server import build_server
from mcp_server_clockify.tools import OPERATIONS
from servers import clean_env, run_server
from test_bad_input import baseline

pytestmark = pytest.mark.anyio

READS = {op.name for op in OPERATIONS if op.read_only}
WRITES = {op.name for op in OPERATIONS if not op.read_only}
ENTRY_BODY = {
    "id": ENTRY,
    "description": "Sprint planning",
    "timeInterval": {"start": "2026-11-27T08:00:00Z", "end": "2026-11-27T16:30:00Z", "duration": "PT8H30M"},
}


async def listed(config) -> set[str]:
    async with Client(build_server(config, transport=FakeClockify().transport)) as client:
        return {t.name for t in (await client.list_tools()).tools}


# --- modes ---------------------------------------------------------------------------------------------


async def test_read_only_lists_only_read_tools_derived_from_annotations() -> None:
    assert await listed(settings(read_only=True)) == READS
    assert READS and WRITES


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_read_only_refuses_every_write_tool_by_name(name: str) -> None:
    result, sent = await call(name, {"workspaceId": WS}, config=settings(read_only=True))
    assert result.is_error and "read-only mode" in text(result) and not sent


async def test_read_only_still_serves_reads() -> None:
    result, sent = await call(
        "get_entry", {"workspaceId": WS, "id": ENTRY}, reply(200, ENTRY_BODY), config=settings(read_only=True)
    )
    assert not result.is_error and len(sent) == 1


async def test_read_only_is_stronger_than_toolsets_and_dry_run() -> None:
    config = settings(read_only=True, dry_run=True, toolsets=frozenset({"time_entries"}))
    assert await listed(config) == {op.name for op in OPERATIONS if op.read_only and op.toolset == "time_entries"}
    result, sent = await call("delete_entry", {"workspaceId": WS, "id": ENTRY}, config=config)
    assert result.is_error and "read-only" in text(result) and not sent


async def test_toolsets_limit_the_list_and_the_calls() -> None:
    config = settings(toolsets=frozenset({"discovery"}))
    assert await listed(config) == {op.name for op in OPERATIONS if op.toolset == "discovery"}
    result, sent = await call("get_entry", {"workspaceId": WS, "id": ENTRY}, config=config)
    assert result.is_error and "'time_entries', which is not enabled" in text(result) and not sent


def _run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_server(*args, env=clean_env(CLOCKIFY_API_KEY="k", **env))


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "env"), [(("--toolsets", "time_entries,bogus"), {}), ((), {"CLOCKIFY_TOOLSETS": "bogus"})]
)
def test_unknown_toolset_is_a_startup_error_listing_valid_ones(args: tuple[str, ...], env: dict[str, str]) -> None:
    proc = _run_cli(*args, **env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "bogus" in proc.stderr
    assert f"valid toolsets: {','.join(toolsets.NAMES)}" in proc.stderr


@pytest.mark.e2e
def test_bad_mode_flag_value_is_a_startup_error() -> None:
    proc = _run_cli(CLOCKIFY_READ_ONLY="maybe")
    assert proc.returncode == 2 and "CLOCKIFY_READ_ONLY" in proc.stderr


async def test_dry_run_returns_the_exact_request_and_sends_nothing() -> None:
    args = {"workspaceId": WS, "userId": USER, "time-entry-ids": [ENTRY, ENTRY2]}
    result, sent = await call("delete_many", args, config=settings(dry_run=True))
    assert not result.is_error and not sent
    answer, note = (c.text for c in result.content)
    assert "Dry run" in note and "nothing was sent" in note
    assert json.loads(answer)["dryRun"] is True
    assert json.loads(answer)["request"] == {
        "method": "DELETE",
        "path": f"/workspaces/{WS}/user/{USER}/time-entries",
        "query": {"time-entry-ids": [ENTRY, ENTRY2]},
    }


async def test_dry_run_shows_the_body_and_still_validates() -> None:
    config = settings(dry_run=True)
    result, sent = await call(
        "create_time_entry", {"workspaceId": WS, "start": "2026-11-28T09:00:00+01:00"}, config=config
    )
    assert json.loads(result.content[0].text)["request"] == {
        "method": "POST",
        "path": f"/workspaces/{WS}/time-entries",
        "body": {"start": "2026-11-28T08:00:00Z"},
    }
    assert not sent
    bad, sent = await call("create_time_entry", {"workspaceId": "nope"}, config=config)
    assert bad.is_error and "workspaceId" in text(bad) and not sent


async def test_dry_run_still_runs_reads() -> None:
    result, sent = await call(
        "get_entry", {"workspaceId": WS, "id": ENTRY}, reply(200, ENTRY_BODY), config=settings(dry_run=True)
    )
    assert json.loads(text(result)) == ENTRY_BODY and len(sent) == 1


async def test_dry_run_of_a_merged_update_reads_then_shows_the_whole_put() -> None:
    result, sent = await call(
        "update_time_entry",
        {"workspaceId": WS, "id": ENTRY, "description": "New"},
        reply(200, ENTRY_BODY),
        config=settings(dry_run=True),
    )
    assert [s.method for s in sent] == ["GET"]
    shown = json.loads(result.content[0].text)["request"]
    assert shown["method"] == "PUT"
    assert shown["body"] == {"start": "2026-11-27T08:00:00Z", "end": "2026-11-27T16:30:00Z", "description": "New"}


# --- confirmations ---------------------------------------------------------------------------------------


def entries(request: httpx2.Request) -> httpx2.Response:
    if request.method == "GET":
        entry_id = request.url.path.rsplit("/", 1)[-1]
        return httpx2.Response(200, json={**ENTRY_BODY, "id": entry_id, "description": f"Work {entry_id[-2:]}"})
    return httpx2.Response(200, json=[ENTRY_BODY])


async def confirmed_call(name: str, args: dict[str, Any], answer: types.ElicitResult | None, *, mode: str = "auto"):
    fake = FakeClockify(entries)
    asked: list[str] = []

    async def elicit(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        assert params.requested_schema["properties"]["confirm"]["type"] == "boolean"
        return answer

    callback = elicit if answer is not None else None
    server = build_server(settings(confirm="auto"), transport=fake.transport)
    async with Client(server, mode=mode, elicitation_callback=callback) as client:
        result = await client.call_tool("clockify_time_tracking_" + name, args)
    return result, fake.sent, asked


DELETE_MANY = {"workspaceId": WS, "userId": USER, "time-entry-ids": [ENTRY, ENTRY2]}
ACCEPT = types.ElicitResult(action="accept", content={"confirm": True})


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_destructive_call_asks_and_proceeds_on_accept(mode: str) -> None:
    result, sent, asked = await confirmed_call("delete_many", DELETE_MANY, ACCEPT, mode=mode)
    assert not result.is_error, text(result)
    [message] = asked
    assert "cannot be undone" in message
    assert f"DELETE /workspaces/{WS}/user/{USER}/time-entries" in message
    assert f'"Work 55" [{ENTRY}]' in message and f'"Work 56" [{ENTRY2}]' in message
    assert "2026-11-27 08:00-16:30 UTC (PT8H30M)" in message
    assert [s.method for s in sent if s.method == "DELETE"] == ["DELETE"]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize(
    ("answer", "word"),
    [
        (types.ElicitResult(action="decline"), "declined"),
        (types.ElicitResult(action="cancel"), "cancelled"),
        (types.ElicitResult(action="accept", content={"confirm": False}), "declined"),
    ],
)
async def test_declined_or_cancelled_sends_nothing(mode: str, answer: types.ElicitResult, word: str) -> None:
    result, sent, asked = await confirmed_call("delete_many", DELETE_MANY, answer, mode=mode)
    assert len(asked) == 1
    assert not result.is_error
    assert f"user {word}" in text(result) and "Nothing was sent" in text(result)
    assert all(s.method == "GET" for s in sent)


async def test_client_without_elicitation_gets_a_preview_and_a_token_not_a_deletion() -> None:
    result, sent, asked = await confirmed_call("delete_entry", {"workspaceId": WS, "id": ENTRY}, None)
    assert not asked and not result.is_error
    assert [s.method for s in sent] == ["GET"]  # the entry, read for the preview; nothing deleted
    assert '"Work 55"' in text(result) and 'confirm: "v1.' in text(result)


async def test_non_destructive_writes_do_not_ask() -> None:
    args = {"workspaceId": WS, "start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"}
    _, sent, asked = await confirmed_call("create_time_entry", args, ACCEPT)
    assert not asked and [s.method for s in sent] == ["POST"]


DESTRUCTIVE = sorted(op.name for op in OPERATIONS if op.destructive)


def test_the_deleting_tools_are_destructive() -> None:
    assert {P + "delete_entry", P + "delete_many", P + "replace_many"} <= set(DESTRUCTIVE)


@pytest.mark.parametrize("name", DESTRUCTIVE)
async def test_every_destructive_tool_asks_first(name: str) -> None:
    """With valid arguments and a client that can answer, the tool asks once before writing; declined, it has
    sent nothing but reads."""
    decline = types.ElicitResult(action="decline")
    result, sent, asked = await confirmed_call(name.removeprefix(P), baseline(name), decline)
    assert len(asked) == 1, text(result)
    assert not result.is_error and "user declined" in text(result) and "Nothing was sent" in text(result)
    assert [s.method for s in sent if s.method != "GET"] == []


# --- retries -----------------------------------------------------------------------------------------------


def sequence(*responses: Any):
    """Answer with each response in turn (an exception instance is raised instead)."""
    pending = list(responses)

    def respond(request: httpx2.Request) -> httpx2.Response:
        item = pending.pop(0) if len(pending) > 1 else pending[0]
        if isinstance(item, Exception):
            raise item
        status, headers = item if isinstance(item, tuple) else (item, {})
        if status >= 400:
            return httpx2.Response(status, json={"message": "upstream trouble", "code": status}, headers=headers)
        return httpx2.Response(status, json=ENTRY_BODY, headers=headers)

    return respond


GET = ("get_entry", {"workspaceId": WS, "id": ENTRY})
POST = ("create_time_entry", {"workspaceId": WS, "start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"})
"""A finished entry: no timer, so nothing is read first (a new timer reads the running one to report it)."""
DROP = httpx2.RemoteProtocolError("Server disconnected without sending a response.")
READ_TIMEOUT = httpx2.ReadTimeout("timed out")
REFUSED = httpx2.ConnectError("connection refused")


@pytest.mark.parametrize(
    ("tool", "answers", "attempts", "ok"),
    [
        (GET, [429, 200], 2, True),
        (GET, [503, 502, 200], 3, True),
        (GET, [500, 500, 500, 200], 3, False),  # at most 3 attempts
        (GET, [READ_TIMEOUT, 200], 2, True),
        (GET, [DROP, 200], 2, True),
        (GET, [REFUSED, REFUSED, 200], 3, True),
        (GET, [400, 200], 1, False),  # a client error is final
        (GET, [404, 200], 1, False),
        (POST, [429, 201], 2, True),  # Clockify did not process a 429: safe to repeat
        (POST, [REFUSED, 201], 2, True),  # never reached Clockify
        (POST, [500, 201], 1, False),  # a write is never retried blindly
        (POST, [503, 201], 1, False),
        (POST, [READ_TIMEOUT, 201], 1, False),
        (POST, [DROP, 201], 1, False),
    ],
)
async def test_retry_policy(tool, answers, attempts: int, ok: bool, sleeps: list[float]) -> None:
    result, sent = await call(*tool, sequence(*answers))
    assert len(sent) == attempts
    assert result.is_error is not ok
    assert len(sleeps) == attempts - 1
    for n, delay in enumerate(sleeps):  # exponential backoff with jitter: 0.5 * 2^n, times 0.5..1
        assert 0.25 * 2**n <= delay <= 0.5 * 2**n


@pytest.mark.parametrize("failure", [500, 503, READ_TIMEOUT, DROP])
async def test_failed_write_says_the_outcome_is_unknown_and_how_to_check(failure) -> None:
    result, sent = await call(*POST, sequence(failure))
    assert len(sent) == 1 and result.is_error
    assert "outcome is unknown" in text(result)
    assert "clockify_time_tracking_get_entries" in text(result)


async def test_retry_after_seconds_is_honoured(sleeps: list[float]) -> None:
    result, sent = await call(*GET, sequence((429, {"Retry-After": "3"}), 200))
    assert not result.is_error and len(sent) == 2 and sleeps == [3.0]


async def test_retry_after_http_date_is_honoured(sleeps: list[float]) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    result, _ = await call(*GET, sequence((503, {"Retry-After": when}), 200))
    assert not result.is_error and len(sleeps) == 1 and 3.0 <= sleeps[0] <= 5.0


async def test_retry_after_beyond_the_cap_is_reported_not_waited(sleeps: list[float]) -> None:
    result, sent = await call(*GET, sequence((429, {"Retry-After": "120"}), 200))
    assert result.is_error and len(sent) == 1 and not sleeps
    assert "wait 120 seconds" in text(result)


async def test_rate_limiter_allows_a_burst_then_spaces_requests() -> None:
    waits: list[float] = []
    now = [100.0]

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))

    limiter = RateLimiter(10, clock=lambda: now[0], sleep=sleep)
    for _ in range(15):  # 15 requests at the same instant: 10 go at once, then one every 0.1 s
        await limiter.acquire()
    assert waits == [0.1, 0.2, 0.3, 0.4, 0.5]
    now[0] += 10.0  # after a quiet spell the whole burst is available again
    waits.clear()
    for _ in range(10):
        await limiter.acquire()
    assert waits == []


async def test_rate_limiter_sustained_rate() -> None:
    """Over a long run the limiter lets through `rate` requests per second, not more."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(50, clock=lambda: now[0], sleep=sleep)
    for _ in range(550):
        await limiter.acquire()
    assert 9.9 <= now[0] <= 10.0  # 50 in the first burst, then 500 more at 50 per second


async def test_max_rps_setting_reaches_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLOCKIFY_MAX_RPS=5, seven calls at one instant through the server: five go at once, then one every 0.2 s."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))

    class StillClock(RateLimiter):
        def __init__(self, rate: float, **options: Any) -> None:
            super().__init__(rate, **{**options, "clock": lambda: 100.0, "sleep": sleep})

    monkeypatch.setattr(client_module, "RateLimiter", StillClock)
    config = Settings.from_env({"CLOCKIFY_API_KEY": "k" * 12, "CLOCKIFY_MAX_RPS": "5", "CLOCKIFY_TIMEZONE": "UTC"})
    async with session(reply(200, ENTRY_BODY), config=config) as (client, fake):
        for _ in range(7):
            assert not (await client.call_tool(P + "get_entry", {"workspaceId": WS, "id": ENTRY})).is_error
    assert len(fake.sent) == 7 and [w for w in waits if w] == [0.2, 0.4]  # (the fifth may wait ~1e-16 s)


# --- odd and big answers -------------------------------------------------------------------------------------


async def test_huge_list_is_cut_at_an_item_boundary_with_a_paging_hint() -> None:
    rows = [{**ENTRY_BODY, "description": f"entry {i} " + "x" * 200} for i in range(500)]
    result, _ = await call(
        "get_entries",
        {"workspaceId": WS, "userId": USER, "page-size": 500},
        reply(200, rows),
        config=settings(max_result_chars=10_000),
    )
    body, note = text(result).split("\n")
    kept = json.loads(body)
    assert 0 < len(kept) < 500 and len(body) <= 10_000
    assert kept == rows[: len(kept)]
    assert f"showing the first {len(kept)} of 500 items" in note and f"page-size={len(kept)}" in note


async def test_a_cut_list_is_as_long_as_the_limit_allows_and_never_longer() -> None:
    """Rows of 31 characters: k of them are 32k + 1 characters of JSON. At each limit around a boundary the
    answer keeps the most rows that fit, and presents only as many as it can show (the raw page is over half
    the limit)."""
    rows = [{"id": f"e{i:03d}", "description": "x" * 8} for i in range(300)]
    row = len(json.dumps(rows[0], separators=(",", ":")))
    for limit in range(100 * (row + 1) - 2, 100 * (row + 1) + 3):
        result, _ = await call(
            "get_entries",
            {"workspaceId": WS, "userId": USER, "page-size": 300},
            reply(200, rows),
            config=settings(max_result_chars=limit),
        )
        body, note = text(result).split("\n")
        kept = json.loads(body)
        assert kept == rows[: len(kept)] and len(body) <= limit
        assert len(json.dumps(rows[: len(kept) + 1], separators=(",", ":"))) > limit  # one more would not fit
        assert f"showing the first {len(kept)} of 300 items" in note
    # A page within the limit as Clockify sent it, over it as shown (each instant 5 characters longer in Berlin):
    # presented whole, then cut the same way.
    timed = [{"id": f"e{i:03d}", "start": "2026-11-30T08:00:00Z"} for i in range(300)]
    limit = len(json.dumps(timed, separators=(",", ":")))
    result, _ = await call(
        "get_entries",
        {"workspaceId": WS, "userId": USER, "page-size": 300},
        reply(200, timed),
        config=settings(max_result_chars=limit, timezone=ZoneInfo("Europe/Berlin")),
    )
    body, note = text(result).split("\n")
    kept = json.loads(body)
    assert 0 < len(kept) < 300 and len(body) <= limit < len(body) + len(body) // len(kept) + 2
    assert kept == [{**row, "start": "2026-11-30T09:00:00+01:00"} for row in timed[: len(kept)]]
    assert f"showing the first {len(kept)} of 300 items" in note


async def test_huge_object_is_cut_and_says_so() -> None:
    result, _ = await call(
        *GET, reply(200, {**ENTRY_BODY, "description": "y" * 20_000}), config=settings(max_result_chars=5_000)
    )
    body, note = (c.text for c in result.content)
    assert len(body) <= 5_000 and "cut: text values shortened to" in note
    shown = json.loads(body)  # still the object, with its long text shortened
    assert shown["id"] == ENTRY_BODY["id"] and shown["description"].startswith("yyy")


async def test_empty_200_is_a_confirmation() -> None:
    result, _ = await call(
        "update_invoiced_status", {"workspaceId": WS, "invoiced": False, "timeEntryIds": [ENTRY]}, reply(200)
    )
    assert not result.is_error and "Clockify returned no body" in text(result)


async def test_confirmation_without_a_preview_shows_the_exact_request() -> None:
    args = {"workspaceId": WS, "policyId": ENTRY, "userIds": [USER], "value": 12, "note": "carry-over"}
    result, sent, asked = await confirmed_call("update_balance", args, ACCEPT)
    [message] = asked
    assert f"PATCH /workspaces/{WS}/time-off/balance/policy/{ENTRY}" in message
    assert f'- body: {{"note":"carry-over","userIds":["{USER}"],"value":12.0}}' in message
    assert [s.method for s in sent] == ["PATCH"] and not result.is_error
