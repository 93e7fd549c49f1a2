"""Issue 12 on the sandbox: bare dates are the right person's calendar days, periods snap to the workspace's
approval period, and results show instants in the relevant zone (day labels stay days).

The sandbox is seeded for Wednesday 25 November 2026: last week is Mon 16 - Sun 22 November. The key owner
(Alex) is in Europe/Berlin (UTC+1 in winter), the designer (Jordan) in America/New_York (UTC-5).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest
from mcp import Client

from helpers import P, result_json, text
from mcp_server_clockify.config import Settings
from mcp_server_clockify.sandbox import (
    DESIGNER_ID,
    OWNER_ID,
    POLICY_VACATION_ID,
    PROJECT_WEBSITE_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    WORKSPACE_ID,
    Simulator,
    create_app,
    transport,
)
from mcp_server_clockify.sandbox.api.scheduling import assignment_days
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY

pytestmark = pytest.mark.anyio

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


@asynccontextmanager
async def sandbox_client(app: Simulator | None = None, **overrides: Any) -> AsyncIterator[Any]:
    """Our server on the sandbox as sandbox mode configures it (no CLOCKIFY_TIMEZONE: the profile's zone)."""
    app = app or create_app(today=TODAY)
    values: dict[str, Any] = {"api_key": SANDBOX_API_KEY, "api_url": SANDBOX_BASE_URL, "confirm": "off"}
    values.update(overrides)
    async with Client(build_server(Settings(**values), transport=lambda: transport(app))) as client:

        async def call(tool: str, **arguments: Any):
            return await client.call_tool(P + tool, arguments)

        yield call


# --- approvals: any day of the period, the owner's week -----------------------------------------------------


@pytest.mark.parametrize("day", ["2026-11-16", "2026-11-19", "2026-11-22"])
async def test_own_approval_for_any_day_of_last_week_covers_monday_to_sunday(day: str) -> None:
    app = create_app(today=TODAY)
    async with sandbox_client(app) as call:
        result = await call("create_apprroval_request", workspaceId=WORKSPACE_ID, periodStart=day)
    assert not result.is_error, text(result)
    [made] = [r for r in app.state.approvals.values() if r.owner_id == OWNER_ID]
    assert made.start == local_midnight(date(2026, 11, 16), BERLIN)
    assert made.end == local_midnight(date(2026, 11, 23), BERLIN) - timedelta(seconds=1)
    shown = result_json(result)
    assert shown["dateRange"] == {"start": "2026-11-16T00:00:00+01:00", "end": "2026-11-22T23:59:59+01:00"}
    assert "Mon 16 Nov to Sun 22 Nov 2026, Europe/Berlin" in text(result)


async def test_approval_for_a_teammate_uses_their_week_in_their_zone() -> None:
    app = create_app(today=TODAY)
    async with sandbox_client(app) as call:
        result = await call(
            "create_approval_for_other", workspaceId=WORKSPACE_ID, userId=DESIGNER_ID, periodStart="2026-11-22"
        )
    assert not result.is_error, text(result)
    made = next(r for r in app.state.approvals.values() if r.owner_id == DESIGNER_ID and r.state == "PENDING")
    assert made.start == local_midnight(date(2026, 11, 16), NEW_YORK)
    assert "Mon 16 Nov to Sun 22 Nov 2026, America/New_York" in text(result)


async def test_a_period_that_is_not_the_workspace_setting_is_refused_before_sending() -> None:
    app = create_app(today=TODAY)
    before = dict(app.state.approvals)
    async with sandbox_client(app) as call:
        result = await call(
            "create_apprroval_request", workspaceId=WORKSPACE_ID, periodStart="2026-11-16", period="MONTHLY"
        )
    assert result.is_error
    assert "period" in text(result) and "WEEKLY" in text(result) and "nothing was sent" in text(result).lower()
    assert app.state.approvals == before


# --- scheduling: the assignee's days -----------------------------------------------------------------------


async def test_recurring_for_the_new_york_teammate_books_exactly_monday_to_wednesday() -> None:
    app = create_app(today=TODAY)
    async with sandbox_client(app) as call:
        result = await call(
            "create_recurring",
            workspaceId=WORKSPACE_ID,
            userId=DESIGNER_ID,
            projectId=PROJECT_WEBSITE_ID,
            start="2026-12-07",
            end="2026-12-09",
            hoursPerDay=4,
        )
    assert not result.is_error, text(result)
    [made] = [a for a in app.state.assignments.values() if a.user_id == DESIGNER_ID and a.hours_per_day == 4]
    assert assignment_days(app.state, made) == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
    [shown] = result_json(result)
    assert shown["period"]["start"] == "2026-12-07T00:00:00-05:00"
    assert "Mon 7 Dec, Tue 8 Dec, Wed 9 Dec 2026" in text(result) and "12 h" in text(result)


# --- results: instants in the person's zone, day labels stay days -------------------------------------------


async def test_a_friday_day_off_reads_as_friday() -> None:
    async with sandbox_client() as call:
        result = await call(
            "create_time_off_request",
            workspaceId=WORKSPACE_ID,
            policyId=POLICY_VACATION_ID,
            timeOffPeriod={"period": {"start": "2026-12-04", "days": 1}},
        )
    assert not result.is_error, text(result)
    period = result_json(result)["timeOffPeriod"]["period"]
    assert period["start"] == "2026-12-04T00:00:00+01:00"
    assert period["start"][:10] == "2026-12-04"  # Friday, as the agent will read it
    assert "Time off for Alex Morgan: Fri 4 Dec 2026 (Europe/Berlin), 1 day, PENDING." in text(result)


async def test_day_labels_stay_days_and_instants_keep_their_moment() -> None:
    async with sandbox_client() as call:
        result = await call(
            "get_user_totals_for_single_user",
            workspaceId=WORKSPACE_ID,
            userId=DESIGNER_ID,
            start="2026-11-30",
            end="2026-12-06",
        )
    assert not result.is_error, text(result)
    days = [row["date"] for row in result_json(result)["totalHoursPerDay"]]
    assert days[0] == "2026-11-30" and days[-1] == "2026-12-06"


async def test_instants_in_results_name_the_same_moment() -> None:
    from mcp_server_clockify.present import localise

    body = {"timeInterval": {"start": "2026-12-03T23:00:00Z", "end": None}, "date": "2026-12-04T00:00:00Z"}
    shown = localise(body, BERLIN)
    assert shown == {"timeInterval": {"start": "2026-12-04T00:00:00+01:00", "end": None}, "date": "2026-12-04"}
    instant = datetime.fromisoformat(shown["timeInterval"]["start"])
    assert instant == datetime.fromisoformat("2026-12-03T23:00:00+00:00")


async def test_new_timer_says_it_stopped_the_running_one() -> None:
    app = create_app(today=TODAY)
    async with sandbox_client(app) as call:
        result = await call(
            "create_time_entry", workspaceId=WORKSPACE_ID, start="2026-11-25T11:00", description="Call with client"
        )
    assert not result.is_error, text(result)
    assert "Stopped the running timer" in text(result)
    assert "Prepare weekly status report" in text(result)
    assert "11:00" in text(result)


@pytest.mark.parametrize("names", [True, False])
async def test_a_teammates_days_and_names_read_the_user_list_once(names: bool) -> None:
    """The teammate's zone (for bare dates and shown times) and their name come from one read of the list."""
    app = create_app(today=TODAY)
    inner = transport(app)
    sent: list[str] = []

    class Counting(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            sent.append(f"{request.method} {request.url.path}")
            return await inner.handle_async_request(request)

    values: dict[str, Any] = {"api_key": SANDBOX_API_KEY, "api_url": SANDBOX_BASE_URL, "names": names}
    async with Client(build_server(Settings(**values), transport=Counting)) as client:
        result = await client.call_tool(
            P + "get_entries",
            {"workspaceId": WORKSPACE_ID, "userId": DESIGNER_ID, "start": "2026-11-16", "end": "2026-11-22"},
        )
    assert not result.is_error, text(result)
    entries = result_json(result)
    assert entries and all(e["timeInterval"]["start"].endswith("-05:00") for e in entries)
    assert all(e.get("userName") == ("Jordan Lee" if names else None) for e in entries)
    assert sent.count(f"GET /api/v1/workspaces/{WORKSPACE_ID}/users") == 1, sent


async def _count_user_list_reads(arguments: dict[str, Any], users_status: int | None = None) -> tuple[Any, int]:
    """One get_entries call with names on, counting the reads of the workspace's user list (answered with
    `users_status` and an error body instead, when given)."""
    inner = transport(create_app(today=TODAY))
    users_path = f"/api/v1/workspaces/{WORKSPACE_ID}/users"
    reads: list[str] = []

    class Counting(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.url.path == users_path:
                reads.append(request.url.query.decode())
                if users_status is not None:
                    return httpx2.Response(users_status, json={"message": "Access denied", "code": 1000})
            return await inner.handle_async_request(request)

    settings = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL, names=True)
    async with Client(build_server(settings, transport=Counting)) as client:
        result = await client.call_tool(P + "get_entries", {"workspaceId": WORKSPACE_ID, **arguments})
    return result, len(reads)


async def test_a_user_the_list_does_not_show_is_not_looked_up_twice() -> None:
    """The names read just listed the workspace's users; an id that is not among them is not read for again.
    The call goes on in the owner's zone, and Clockify says what it says about such a user."""
    stranger = "5a02000000000000000000ff"
    result, reads = await _count_user_list_reads({"userId": stranger, "start": "2026-11-16", "end": "2026-11-22"})
    assert reads == 1
    assert result.is_error and "User doesn't belong to Workspace" in text(result), text(result)


async def test_a_failed_user_list_read_is_tried_again_and_its_error_reaches_the_caller() -> None:
    """The names read swallows its failure (names are optional); the zone is not, so the list is read again,
    and Clockify's message comes back as the call's error."""
    result, reads = await _count_user_list_reads(
        {"userId": DESIGNER_ID, "start": "2026-11-16", "end": "2026-11-22"}, users_status=403
    )
    assert result.is_error and "Access denied" in text(result), text(result)
    assert reads == 2
