"""Clockify's Reports API tools (issue 13): on the reports host derived from the API URL, with the weekly
seven-day rule checked before sending, the detailed report paged in its nested filter, answers in decimal
hours with names, a 403 pointing to get_time_summary; and on the sandbox, agreeing with get_time_summary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from mcp import Client

from helpers import PROJECT, USER, WS, P, call, result_json, settings, text
from mcp_server_clockify import summaries
from mcp_server_clockify.config import Settings, reports_url_for
from mcp_server_clockify.sandbox import (
    DEVELOPER_ID,
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

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
LAST_WEEK = {"start": "2026-11-16", "end": "2026-11-22"}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summaries, "utc_now", lambda: NOW)


def sandbox() -> tuple[Any, Settings]:
    app = create_app(today=TODAY)
    app.state.clock = lambda: NOW
    return app, Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)


async def test_the_summary_report_of_last_week_agrees_with_the_time_summary() -> None:
    app, config = sandbox()
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        report = result_json(await client.call_tool(P + "get_summary_report", LAST_WEEK))
        summary = result_json(await client.call_tool(P + "get_time_summary", {"range": "last_week"}))
        team = result_json(
            await client.call_tool(
                P + "get_summary_report",
                {**LAST_WEEK, "users": [OWNER_ID, DEVELOPER_ID], "groupBy": ["USER", "PROJECT"]},
            )
        )
        team_summary = result_json(
            await client.call_tool(
                P + "get_time_summary", {**LAST_WEEK, "users": [OWNER_ID, DEVELOPER_ID], "groupBy": ["USER", "PROJECT"]}
            )
        )
    # The report covers the whole workspace unless filtered; the summary is the key owner's: filter to compare.
    assert (report["start"], report["end"], report["timeZone"]) == ("2026-11-16", "2026-11-22", "Europe/Berlin")
    assert report["total"]["hours"] >= summary["total"]["hours"] > 0
    assert {g["name"] for g in team["groups"]} == {u["user"] for u in team_summary["users"]}
    assert team["total"] == team_summary["total"]
    by_user = {g["name"]: {c["name"]: c["hours"] for c in g["groups"]} for g in team["groups"]}
    by_user_summary = {g["user"]: {c["project"]: c["hours"] for c in g["groups"]} for g in team_summary["groups"]}
    assert by_user == by_user_summary


async def test_the_owners_summary_report_equals_the_time_summary_per_project() -> None:
    app, config = sandbox()
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        report = result_json(await client.call_tool(P + "get_summary_report", {**LAST_WEEK, "users": [OWNER_ID]}))
        summary = result_json(await client.call_tool(P + "get_time_summary", {"range": "last_week"}))
    assert report["total"] == summary["total"]
    assert {g["name"]: g["hours"] for g in report["groups"]} == {g["project"]: g["hours"] for g in summary["groups"]}
    assert {g["id"] for g in report["groups"]} == {g["projectId"] for g in summary["groups"]}


async def test_the_detailed_report_pages_in_its_nested_filter_with_names_and_hours() -> None:
    app, config = sandbox()
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        first = await client.call_tool(P + "get_detailed_report", {**LAST_WEEK, "users": [OWNER_ID], "pageSize": 10})
        body = result_json(first)
        pages = [body]
        while "more results" in text(first):
            first = await client.call_tool(
                P + "get_detailed_report", {**LAST_WEEK, "users": [OWNER_ID], "pageSize": 10, "page": len(pages) + 1}
            )
            pages.append(result_json(first))
        summary = result_json(await client.call_tool(P + "get_time_summary", {"range": "last_week"}))
    entries = [e for page in pages for e in page["entries"]]
    assert len(entries) == body["total"]["entries"] == summary["total"]["entries"] and len(pages) > 1
    assert round(sum(e["hours"] for e in entries), 2) == pytest.approx(summary["total"]["hours"], abs=0.05)
    assert all(e["user"] == app.state.users[OWNER_ID].name for e in entries)
    assert all(e["start"].endswith("+01:00") for e in entries)  # local times, Berlin in November
    assert any("project" in e and "client" in e for e in entries)


async def test_the_weekly_report_has_seven_days_that_add_up() -> None:
    app, config = sandbox()
    async with Client(build_server(config, transport=lambda: transport(app))) as client:
        week = result_json(await client.call_tool(P + "get_weekly_report", {**LAST_WEEK, "group": "USER"}))
    assert list(week["days"]) == [f"2026-11-{d}" for d in range(16, 23)]
    assert round(sum(week["days"].values()), 2) == pytest.approx(week["total"]["hours"], abs=0.05)
    for row in week["groups"]:
        assert round(sum(row["days"].values()), 2) == pytest.approx(row["hours"], abs=0.05)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"start": "2026-11-16", "end": "2026-11-23"}, "exactly seven days"),
        ({"start": "2026-11-16", "end": "2026-11-20"}, "exactly seven days"),
        ({"start": "2026-11-16", "end": "2026-11-10"}, "end: must not be before start"),
    ],
)
async def test_the_weekly_seven_day_rule_is_checked_before_sending(args: dict[str, Any], problem: str) -> None:
    result, sent = await call("get_weekly_report", {"workspaceId": WS, **args})
    assert result.is_error and problem in text(result) and not sent


ME = {"id": USER, "activeWorkspace": WS, "settings": {"timeZone": "Europe/Berlin", "weekStart": "MONDAY"}}


def reports_answer(request: httpx2.Request) -> httpx2.Response:
    if request.url.path.endswith("/user"):
        return httpx2.Response(200, json=ME)
    return httpx2.Response(
        200,
        json={
            "totals": [{"_id": "", "totalTime": 9000, "totalBillableTime": 5400, "entriesCount": 3, "totalAmount": 1}],
            "groupOne": [{"_id": PROJECT, "name": "Website", "duration": 9000, "amount": 1}],
        },
    )


async def test_exact_request_on_the_reports_host() -> None:
    args = {"start": "2026-11-16", "end": "2026-11-22", "projects": [PROJECT], "billable": True, "description": "call"}
    result, sent = await call("get_summary_report", args, reports_answer, config=settings(timezone=None))
    assert not result.is_error, text(result)
    request = sent[1]
    assert (request.method, request.path) == ("POST", f"/v1/workspaces/{WS}/reports/summary")
    assert request.headers["host"] == "reports.api.clockify.me"
    assert request.body == {
        "dateRangeStart": "2026-11-15T23:00:00.000Z",
        "dateRangeEnd": "2026-11-22T22:59:59.999Z",
        "timeZone": "Europe/Berlin",
        "exportType": "JSON",
        "projects": {"ids": [PROJECT], "contains": "CONTAINS", "status": "ALL"},
        "billable": True,
        "description": "call",
        "summaryFilter": {"groups": ["PROJECT"]},
    }
    assert result_json(result) == {
        "start": "2026-11-16",
        "end": "2026-11-22",
        "timeZone": "Europe/Berlin",
        "groupBy": ["PROJECT"],
        "total": {"hours": 2.5, "billableHours": 1.5, "entries": 3},
        "groups": [{"name": "Website", "id": PROJECT, "hours": 2.5}],
    }


async def test_detailed_paging_travels_in_the_nested_filter() -> None:
    args = {"workspaceId": WS, **LAST_WEEK, "page": 3, "pageSize": 20}
    result, sent = await call("get_detailed_report", args, reports_answer, config=settings())
    assert not result.is_error
    body = sent[-1].body
    assert body["detailedFilter"] == {
        "page": 3,
        "pageSize": 20,
        "sortColumn": "DATE",
        "options": {"totals": "CALCULATE"},
    }
    assert (body["dateRangeStart"], body["dateRangeEnd"]) == ("2026-11-16T00:00:00.000Z", "2026-11-22T23:59:59.999Z")


def test_the_reports_host_follows_the_api_url_and_can_be_overridden() -> None:
    assert reports_url_for("https://api.clockify.me/api/v1") == "https://reports.api.clockify.me/v1"
    assert reports_url_for("https://euc1.clockify.me/api/v1") == "https://euc1.clockify.me/report/v1"
    assert reports_url_for("https://acme.clockify.me/api/v1/") == "https://acme.clockify.me/report/v1"
    assert reports_url_for("http://127.0.0.1:8765/api/v1") == "http://127.0.0.1:8765/report/v1"
    env = {"CLOCKIFY_API_KEY": "k" * 20}
    assert Settings.from_env({**env, "CLOCKIFY_REGION": "apse2"}).reports_base == "https://apse2.clockify.me/report/v1"
    custom = Settings.from_env({**env, "CLOCKIFY_REPORTS_URL": "https://reports.example.test/v1/"})
    assert custom.reports_base == "https://reports.example.test/v1"


async def test_a_plan_without_reports_points_to_the_time_summary() -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(403, json={"message": "Feature not available on this plan", "code": 403})

    result, sent = await call("get_summary_report", {"workspaceId": WS, **LAST_WEEK}, refuse)
    assert result.is_error and "HTTP 403" in text(result) and "get_time_summary" in text(result)
    assert len(sent) == 1  # a refused report is not retried


@pytest.mark.e2e
async def test_the_reports_on_the_sandbox_server_over_http_use_its_report_path() -> None:
    from servers import sandbox_server

    with sandbox_server() as server:
        base = server.url.removesuffix("/api/v1")
        body = {
            "dateRangeStart": "2026-11-16T00:00:00.000Z",
            "dateRangeEnd": "2026-11-22T23:59:59.999Z",
            "summaryFilter": {"groups": ["PROJECT"]},
        }
        async with httpx2.AsyncClient() as http:
            answer = await http.post(
                f"{base}/report/v1/workspaces/{WORKSPACE_ID}/reports/summary",
                json=body,
                headers={"X-Api-Key": SANDBOX_API_KEY},
            )
    assert answer.status_code == 200 and "totals" in answer.json()
