"""get_time_summary (issue 13): hours by project (client, task, tag, day, user) from time entries, in the key
owner's zone and week, equal to what get_entries returns for the same local days."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest
from mcp import Client

from helpers import PROJECT, TAG, USER, WS, P, call, result_json, settings, text
from mcp_server_clockify import summaries
from mcp_server_clockify.config import Settings
from mcp_server_clockify.sandbox import (
    DEVELOPER_ID,
    OWNER_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    create_app,
    transport,
)
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY

pytestmark = pytest.mark.anyio

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday of the sandbox's week, the timer running since 08:00Z


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summaries, "utc_now", lambda: NOW)


def seconds(entry: dict[str, Any]) -> float:
    interval = entry["timeInterval"]
    start = datetime.fromisoformat(interval["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(interval["end"].replace("Z", "+00:00")) if interval.get("end") else NOW
    return (end - start).total_seconds()


async def test_hours_last_week_by_project_is_one_call_that_equals_the_entries_of_that_local_week() -> None:
    app = create_app(today=TODAY)
    config = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        summary = await client.call_tool(P + "get_time_summary", {"range": "last_week"})
        listed = await client.call_tool(
            P + "get_entries", {"start": "2026-11-16T00:00:00", "end": "2026-11-22T23:59:59", "page-size": 1000}
        )
    body = result_json(summary)
    entries = result_json(listed)
    assert entries and {e["userId"] for e in entries} == {OWNER_ID}
    per_project: dict[str, float] = defaultdict(float)
    for entry in entries:
        per_project[entry["projectName"]] += seconds(entry)
    assert (body["start"], body["end"], body["timeZone"], body["groupBy"]) == (
        "2026-11-16",
        "2026-11-22",
        "Europe/Berlin",
        ["PROJECT"],
    )
    got = {g["project"]: g["hours"] for g in body["groups"]}
    assert got == {name: round(total / 3600, 2) for name, total in per_project.items()}
    assert body["total"]["hours"] == round(sum(per_project.values()) / 3600, 2)
    assert body["total"]["entries"] == len(entries) == sum(g["entries"] for g in body["groups"])
    hours = [g["hours"] for g in body["groups"]]
    assert hours == sorted(hours, reverse=True)  # largest first
    billable = sum(seconds(e) for e in entries if e["billable"]) / 3600
    assert body["total"]["billableHours"] == round(billable, 2)
    assert all(g["projectId"] in app.state.projects for g in body["groups"])
    assert "runningTimerCountedToNow" not in body and len(summary.content) == 1  # no note to add


async def test_today_counts_the_running_timer_up_to_now_and_says_so() -> None:
    app = create_app(today=TODAY)
    app.state.clock = lambda: NOW
    config = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        result = await client.call_tool(P + "get_time_summary", {"range": "today", "groupBy": ["DAY", "TAG"]})
    body = result_json(result)
    assert body["runningTimerCountedToNow"] is True and body["start"] == body["end"] == "2026-11-25"
    running = next(e for e in app.state.entries.values() if e.end is None and e.user_id == OWNER_ID)
    expected = (NOW - running.start).total_seconds()
    done = sum(
        (e.end - e.start).total_seconds()
        for e in app.state.entries.values()
        if e.user_id == OWNER_ID and e.end and e.start.astimezone(BERLIN).date() == TODAY
    )
    assert body["total"]["hours"] == round((expected + done) / 3600, 2)
    [day] = body["groups"]
    assert day["day"] == "2026-11-25" and day["groups"]
    assert "running timer is counted up to now, 2026-11-25 11:00 Europe/Berlin" in text(result)


async def test_several_users_grouped_by_user_then_client() -> None:
    app = create_app(today=TODAY)
    config = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        args = {
            "start": "2026-11-16",
            "end": "2026-11-20",
            "users": [OWNER_ID, DEVELOPER_ID],
            "groupBy": ["USER", "CLIENT"],
        }
        result = await client.call_tool(P + "get_time_summary", args)
    body = result_json(result)
    names = {g["user"] for g in body["groups"]}
    assert names == {app.state.users[OWNER_ID].name, app.state.users[DEVELOPER_ID].name}
    for group in body["groups"]:
        assert round(sum(c["hours"] for c in group["groups"]), 2) == pytest.approx(group["hours"], abs=0.02)
        assert {c["client"] for c in group["groups"]} <= {"Acme Corp", "Globex Ltd", "(no client)"}
    assert body["total"]["hours"] == pytest.approx(sum(g["hours"] for g in body["groups"]), abs=0.02)


def entry(id_: str, start: str, end: str | None, **fields: Any) -> dict[str, Any]:
    return {"id": id_, "userId": USER, "timeInterval": {"start": start, "end": end}, **fields}


async def test_exact_requests_page_through_everything_in_the_owners_wall_clock() -> None:
    me = {"id": USER, "activeWorkspace": WS, "settings": {"timeZone": "America/New_York", "weekStart": "SUNDAY"}}
    pages = {
        "1": [
            entry(f"{i:024x}", "2026-11-23T15:00:00Z", "2026-11-23T15:30:00Z", projectId=PROJECT) for i in range(1000)
        ],
        "2": [entry("f" * 24, "2026-11-24T15:00:00Z", "2026-11-24T17:00:00Z", tagIds=[TAG], billable=True)],
    }

    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/user"):
            return httpx2.Response(200, json=me)
        return httpx2.Response(200, json=pages[request.url.params["page"]])

    result, sent = await call("get_time_summary", {"range": "this_week"}, respond, config=settings(timezone=None))
    assert not result.is_error, text(result)
    path = f"/workspaces/{WS}/user/{USER}/time-entries"
    # This week in New York, whose weeks start on Sunday: Sun 22 - Sat 28 November, as New York wall-clock.
    window = [("start", "2026-11-22T00:00:00Z"), ("end", "2026-11-29T00:00:00Z")]
    assert [(s.path, s.query) for s in sent[1:]] == [
        (path, [*window, ("page", "1"), ("page-size", "1000")]),
        (path, [*window, ("page", "2"), ("page-size", "1000")]),
    ]
    body = result_json(result)
    assert body["total"] == {"hours": 502.0, "billableHours": 2.0, "entries": 1001}
    assert [(g.get("projectId"), g["project"], g["hours"]) for g in body["groups"]] == [
        (PROJECT, PROJECT, 500.0),  # names are off here: the id stands in for the name
        (None, "(no project)", 2.0),
    ]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({}, "range: give either range or start"),
        ({"range": "today", "start": "2026-11-01"}, "range: give either range or start"),
        ({"end": "2026-11-01"}, "range: give either"),
        ({"start": "2026-11-02", "end": "2026-11-01"}, "end: must not be before start"),
        ({"range": "last_year"}, "range"),
        ({"range": "today", "groupBy": ["PROJECT", "TAG", "DAY"]}, "groupBy"),
        ({"range": "today", "groupBy": ["WEEK"]}, "groupBy"),
    ],
)
async def test_bad_windows_and_groupings_are_refused_before_sending(args: dict[str, Any], problem: str) -> None:
    result, sent = await call("get_time_summary", {"workspaceId": WS, **args})
    assert result.is_error and problem in text(result) and not sent


def test_named_ranges_follow_the_week_start_and_month_lengths() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    span = summaries.window("this_week", None, None, today=today, week_start=0, zone=UTC)
    assert (span.first, span.last) == (date(2026, 3, 2), date(2026, 3, 8))
    span = summaries.window("last_week", None, None, today=today, week_start=6, zone=UTC)
    assert (span.first, span.last) == (date(2026, 2, 22), date(2026, 2, 28))
    span = summaries.window("last_month", None, None, today=today, week_start=0, zone=UTC)
    assert (span.first, span.last) == (date(2026, 2, 1), date(2026, 2, 28))
    span = summaries.window("this_month", None, None, today=date(2026, 12, 31), week_start=0, zone=UTC)
    assert (span.first, span.last) == (date(2026, 12, 1), date(2026, 12, 31))
    span = summaries.window("yesterday", None, None, today=date(2026, 1, 1), week_start=0, zone=BERLIN)
    assert (span.first, span.start.isoformat()) == (date(2025, 12, 31), "2025-12-31T00:00:00+01:00")


async def test_a_profile_without_a_user_id_asks_for_users_and_reads_nothing() -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"activeWorkspace": WS})

    result, sent = await call("get_time_summary", {"range": "today"}, respond)
    assert result.is_error and "pass users" in text(result)
    assert [s.path for s in sent] == ["/user"]
