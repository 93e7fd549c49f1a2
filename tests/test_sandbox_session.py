"""A realistic agent session that uses every one of the 42 seed tools (and the discovery tools) against the
sandbox and checks the state changes, end to end over stdio with the SDK client:

- against `mcp-server-clockify --sandbox` (the simulator in the server's own process), and
- against `mcp-server-clockify sandbox-server` over real loopback HTTP (CLOCKIFY_API_URL points at it).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters

from helpers import P, seed, text
from mcp_server_clockify import catalogue
from mcp_server_clockify.sandbox import (
    APPROVAL_PENDING_ID,
    CONTRACTOR_ID,
    DESIGNER_ID,
    DEVELOPER_ID,
    OWNER_ID,
    POLICY_DOCTOR_ID,
    POLICY_VACATION_ID,
    PROJECT_MOBILE_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    SANDBOX_API_KEY,
    TAG_MEETING_ID,
    TASK_WEBSITE_DESIGN_ID,
    TIME_OFF_PENDING_ID,
    WORKSPACE_ID,
)
from servers import sandbox_server, server_command, server_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

SEED_TOOLS = set(seed())
TODAY = date(2026, 11, 25)
"""The sandbox's demo data is built around this day (not the clock's), so a session cannot race midnight."""
WS = WORKSPACE_ID


class Agent:
    """Calls tools like an agent would, and remembers which tools it used."""

    def __init__(self, client: Client, *, sandbox_note: bool) -> None:
        self.client = client
        self.used: set[str] = set()
        self.sandbox_note = sandbox_note

    async def _call(self, tool: str, args: dict[str, Any]) -> tuple[bool, str, str]:
        self.used.add(P + tool)
        result = await self.client.call_tool(P + tool, args)
        body = text(result)
        if self.sandbox_note:
            assert body.endswith("(sandbox: simulated Clockify demo data, not a real account)")
        first = result.content[0].text if isinstance(result.content[0], types.TextContent) else ""
        return bool(result.is_error), body, first

    async def ok(self, tool: str, **args: Any) -> Any:
        """A successful call's answer: its first content block, which must be JSON alone (issue 13)."""
        is_error, body, first = await self._call(tool, args)
        assert not is_error, f"{tool}: {body}"
        assert 'confirm: "' not in body, f"{tool} was held for confirmation: {body}"
        return json.loads(first)

    async def _token(self, tool: str, args: dict[str, Any]) -> str:
        """A destructive call without elicitation: a preview that sends nothing, and a single-use token."""
        is_error, body, _ = await self._call(tool, args)
        assert not is_error and "Nothing was sent" in body, f"{tool}: {body}"
        match = re.search(r'confirm: "([^"]+)"', body)
        assert match, f"{tool}: no confirmation token in {body}"
        return match[1]

    async def confirmed(self, tool: str, **args: Any) -> Any:
        """What an agent does after the user agreed to the preview: the same call with the token."""
        return await self.ok(tool, **args, confirm=await self._token(tool, args))

    async def confirmed_fails(self, tool: str, **args: Any) -> str:
        return await self.fails(tool, **args, confirm=await self._token(tool, args))

    async def fails(self, tool: str, **args: Any) -> str:
        is_error, body, _ = await self._call(tool, args)
        assert is_error, f"{tool} should have failed: {body}"
        return body


def next_monday() -> date:
    return TODAY + timedelta(days=7 - TODAY.weekday())


async def session(agent: Agent) -> None:
    monday = next_monday()
    week_after = monday + timedelta(days=7)

    # --- discovery: who am I, where, with what ---------------------------------------------------------------
    me = await agent.ok("get_current_user")
    assert (me["id"], me["activeWorkspace"], me["settings"]["timeZone"]) == (OWNER_ID, WS, "Europe/Berlin")
    [workspace] = await agent.ok("get_workspaces")
    assert "demo data" in workspace["name"]
    projects = await agent.ok("get_projects", workspaceId=WS, hydrated=True)
    website = next(p for p in projects if p["id"] == PROJECT_WEBSITE_ID)
    assert TASK_WEBSITE_DESIGN_ID in {t["id"] for t in website["tasks"]}
    users = await agent.ok("get_users", workspaceId=WS)
    assert {OWNER_ID, DEVELOPER_ID, DESIGNER_ID, CONTRACTOR_ID} <= {u["id"] for u in users}
    policies = {p["id"]: p for p in await agent.ok("get_time_off_policies", workspaceId=WS)}
    assert (policies[POLICY_VACATION_ID]["timeUnit"], policies[POLICY_DOCTOR_ID]["timeUnit"]) == ("DAYS", "HOURS")

    # --- time entries: the running timer, then a whole entry lifecycle -------------------------------------
    running = await agent.ok("get_in_progress_time_entries", workspaceId=WS)
    assert RUNNING_ENTRY_ID in {e["id"] for e in running}
    stopped = await agent.ok("stop_running_time_entry", workspaceId=WS, userId=OWNER_ID, end="now")
    assert stopped["id"] == RUNNING_ENTRY_ID and stopped["timeInterval"]["end"]
    no_timer = await agent.fails("stop_running_time_entry", workspaceId=WS, userId=OWNER_ID, end="now")
    assert "HTTP 404" in no_timer and "no timer is running" in no_timer

    day = monday.isoformat()
    entry = await agent.ok(
        "create_time_entry",
        workspaceId=WS,
        start=f"{day}T14:00",  # local time in the profile's zone (Europe/Berlin)
        end=f"{day}T15:30",
        description="Review checkout flow",
        projectId=PROJECT_WEBSITE_ID,
        taskId=TASK_WEBSITE_DESIGN_ID,
        tagIds=[TAG_MEETING_ID],
        billable=True,
    )
    entry_id = entry["id"]
    two_pm = datetime.combine(monday, time(14), ZoneInfo("Europe/Berlin")).astimezone(UTC)
    # shown as the owner lives it: 14:00 with Berlin's offset, the same instant Clockify stored
    local_two_pm = datetime.combine(monday, time(14), ZoneInfo("Europe/Berlin"))
    assert entry["timeInterval"]["start"] == local_two_pm.isoformat()
    assert datetime.fromisoformat(entry["timeInterval"]["start"]) == two_pm
    listed = await agent.ok("get_entries", workspaceId=WS, userId=OWNER_ID, start=day, end=f"{day}T23:59:59")
    assert [e["id"] for e in listed] == [entry_id]
    await agent.ok("update_time_entry", workspaceId=WS, id=entry_id, description="Review checkout flow (done)")
    hydrated = await agent.ok("get_entry", workspaceId=WS, id=entry_id, hydrated=True)
    assert hydrated["description"] == "Review checkout flow (done)"
    assert (hydrated["projectId"], hydrated["taskId"], hydrated["billable"]) == (
        PROJECT_WEBSITE_ID,
        TASK_WEBSITE_DESIGN_ID,
        True,
    )  # the update kept what it was not told to change
    assert hydrated["project"]["name"] == website["name"]

    copy = await agent.ok("duplicate_time_entry", workspaceId=WS, userId=OWNER_ID, id=entry_id)
    assert copy["id"] != entry_id and copy["description"] == hydrated["description"]
    rewritten = await agent.confirmed(
        "replace_many",
        workspaceId=WS,
        userId=OWNER_ID,
        body=[
            {
                "id": copy["id"],
                "start": f"{day}T16:00",
                "end": f"{day}T16:45",
                "description": "Follow-up call",
                "projectId": PROJECT_WEBSITE_ID,
            }
        ],
    )
    assert [(e["id"], e["description"]) for e in rewritten] == [(copy["id"], "Follow-up call")]
    await agent.ok("update_invoiced_status", workspaceId=WS, invoiced=True, timeEntryIds=[entry_id, {"id": copy["id"]}])
    for_dev = await agent.ok(
        "create_for_others",
        workspaceId=WS,
        userId=DEVELOPER_ID,
        start=f"{day}T09:00:00Z",
        end=f"{day}T10:00:00Z",
        description="Pairing with Alex",
        projectId=PROJECT_MOBILE_ID,
    )
    assert for_dev["userId"] == DEVELOPER_ID
    deleted = await agent.confirmed("delete_many", workspaceId=WS, userId=OWNER_ID, **{"time-entry-ids": [copy["id"]]})
    assert [e["id"] for e in deleted] == [copy["id"]]
    await agent.confirmed("delete_entry", workspaceId=WS, id=entry_id)
    gone = await agent.fails("get_entry", workspaceId=WS, id=entry_id)
    assert "HTTP 400" in gone and "doesn't belong to Workspace" in gone
    assert await agent.ok("get_entries", workspaceId=WS, userId=OWNER_ID, start=day, end=f"{day}T23:59:59") == []
    timer = await agent.ok("create_time_entry", workspaceId=WS, start="now", description="Timer from the agent")
    assert timer["timeInterval"]["end"] is None
    await agent.ok("stop_running_time_entry", workspaceId=WS, userId=OWNER_ID, end="now")

    # --- approvals ------------------------------------------------------------------------------------------
    pending = await agent.ok("get_approval_requests", workspaceId=WS, status="PENDING", **{"page-size": 5})
    assert APPROVAL_PENDING_ID in {r["approvalRequest"]["id"] for r in pending}
    approved = await agent.confirmed(
        "update_approval_status", workspaceId=WS, approvalRequestId=APPROVAL_PENDING_ID, state="APPROVED", note="OK"
    )
    assert approved["status"]["state"] == "APPROVED"
    this_week = (TODAY - timedelta(days=TODAY.weekday())).isoformat()
    mine = await agent.ok("create_apprroval_request", workspaceId=WS, periodStart=this_week, period="WEEKLY")
    assert mine["owner"]["userId"] == OWNER_ID and mine["status"]["state"] == "PENDING"
    theirs = await agent.ok("create_approval_for_other", workspaceId=WS, userId=CONTRACTOR_ID, periodStart=this_week)
    assert theirs["owner"]["userId"] == CONTRACTOR_ID
    again = await agent.ok("resubmit_approval_request", workspaceId=WS, periodStart=this_week)
    assert again["id"] == mine["id"]
    again = await agent.ok(
        "resubmit_approval_request_for_other", workspaceId=WS, userId=CONTRACTOR_ID, periodStart=this_week
    )
    assert again["id"] == theirs["id"]
    approved_now = await agent.ok("get_approval_requests", workspaceId=WS, status="APPROVED")
    assert APPROVAL_PENDING_ID in {r["approvalRequest"]["id"] for r in approved_now}

    # --- time off: request, approve, balance moves; withdraw a pending one; set a balance --------------------
    def vacation(balances: dict[str, Any]) -> dict[str, Any]:
        return next(b for b in balances["balances"] if b["policyId"] == POLICY_VACATION_ID)

    before = vacation(await agent.ok("get_balances_for_user", workspaceId=WS, userId=DESIGNER_ID, page=1))
    request = await agent.ok(
        "create_time_off_request_for_other",
        workspaceId=WS,
        policyId=POLICY_VACATION_ID,
        userId=DESIGNER_ID,
        note="Ski trip",
        timeOffPeriod={"period": {"start": week_after.isoformat(), "days": 2}},
    )
    assert request["status"]["statusType"] == "PENDING"
    decided = await agent.confirmed(
        "change_time_off_request_status",
        workspaceId=WS,
        policyId=POLICY_VACATION_ID,
        requestId=request["id"],
        status="APPROVED",
        note="Have fun",
    )
    assert decided["status"]["statusType"] == "APPROVED"
    after = vacation(await agent.ok("get_balances_for_user", workspaceId=WS, userId=DESIGNER_ID))
    assert (after["used"], after["balance"]) == (before["used"] + 2, before["balance"] - 2)
    doctor = await agent.ok(
        "create_time_off_request",
        workspaceId=WS,
        policyId=POLICY_DOCTOR_ID,
        timeOffPeriod={"period": {"start": f"{day}T09:00:00+01:00", "end": f"{day}T10:30:00+01:00"}},
    )
    nine = datetime.combine(date.fromisoformat(day), time(9), ZoneInfo("Europe/Berlin"))
    assert doctor["timeOffPeriod"]["period"]["start"] == nine.isoformat()  # the requester's zone, same instant
    search = await agent.ok("get_off_request", workspaceId=WS, statuses=["PENDING"], pageSize=50)
    assert TIME_OFF_PENDING_ID in {r["id"] for r in search["requests"]}
    await agent.confirmed(
        "delete_off_request", workspaceId=WS, policyId=POLICY_VACATION_ID, requestId=TIME_OFF_PENDING_ID
    )
    search = await agent.ok("get_off_request", workspaceId=WS, statuses=["PENDING"])
    assert TIME_OFF_PENDING_ID not in {r["id"] for r in search["requests"]}
    refused = await agent.confirmed_fails(
        "delete_off_request", workspaceId=WS, policyId=POLICY_VACATION_ID, requestId=request["id"]
    )
    assert "cannot be withdrawn" in refused
    await agent.confirmed(
        "update_balance",
        workspaceId=WS,
        policyId=POLICY_VACATION_ID,
        userIds=[CONTRACTOR_ID],
        value=12,
        note="Carry-over",
    )
    by_policy = await agent.ok("get_balances_for_policy", workspaceId=WS, policyId=POLICY_VACATION_ID)
    assert next(b for b in by_policy["balances"] if b["userId"] == CONTRACTOR_ID)["balance"] == 12

    # --- holidays: create, list, update (assignees kept), delete --------------------------------------------
    holiday = await agent.ok(
        "create_holiday",
        workspaceId=WS,
        name="Hack day",
        datePeriod={"startDate": week_after.isoformat(), "endDate": week_after.isoformat()},
        users={"ids": [OWNER_ID, DEVELOPER_ID]},
        color="#8BC34A",
    )
    assert holiday["name"] == "Hack day"
    assert holiday["id"] in {h["id"] for h in await agent.ok("get_holidays", workspaceId=WS)}
    in_period = await agent.ok(
        "get_holidays_in_period",
        workspaceId=WS,
        **{"assigned-to": DEVELOPER_ID},
        start=f"{week_after}T00:00:00Z",
        end=f"{week_after}T23:59:59Z",
    )
    assert holiday["id"] in {h["id"] for h in in_period}
    renamed = await agent.ok("update_holiday", workspaceId=WS, holidayId=holiday["id"], name="Hack day (all hands)")
    assert renamed["name"] == "Hack day (all hands)"
    assert set(renamed["userIds"]) == {OWNER_ID, DEVELOPER_ID}  # kept
    await agent.confirmed("delete_holiday", workspaceId=WS, holidayId=holiday["id"])
    assert holiday["id"] not in {h["id"] for h in await agent.ok("get_holidays", workspaceId=WS)}

    # --- scheduling: create a series, copy, publish, totals change, edit, shorten, delete -------------------
    window = {"start": f"{week_after}T00:00:00Z", "end": f"{week_after + timedelta(days=13)}T23:59:59Z"}

    async def my_hours() -> float:
        totals = await agent.ok("get_user_totals_for_single_user", workspaceId=WS, userId=OWNER_ID, **window)
        if not isinstance(totals, dict):  # an empty answer: nothing scheduled
            return 0.0
        return sum(day["totalHours"] for day in totals["totalHoursPerDay"])

    assert await my_hours() == 0.0
    created = await agent.ok(
        "create_recurring",
        workspaceId=WS,
        userId=OWNER_ID,
        projectId=PROJECT_MOBILE_ID,
        start=f"{week_after}T00:00:00Z",
        end=f"{week_after + timedelta(days=4)}T00:00:00Z",
        hoursPerDay=4,
        note="Mobile QA",
        recurringAssignment={"weeks": 2, "repeat": True},
    )
    assert len(created) == 2
    assignment = created[0]["id"]
    assert await my_hours() > 0.0
    listed = await agent.ok("get_all_assignments", workspaceId=WS, **window)
    assert assignment in {a["id"] for a in listed}
    copies = await agent.ok(
        "copy_assignment", workspaceId=WS, assignmentId=assignment, userId=DESIGNER_ID, seriesUpdateOption="THIS_ONE"
    )
    assert copies[0]["userId"] == DESIGNER_ID
    await agent.ok("publish_assignments", workspaceId=WS, notifyUsers=False, **window)
    project_totals = await agent.ok("get_filtered_project_totals", workspaceId=WS, pageSize=50, **window)
    assert PROJECT_MOBILE_ID in {p["projectId"] for p in project_totals}
    single = await agent.ok(
        "get_project_totals_for_single_project", workspaceId=WS, projectId=PROJECT_MOBILE_ID, **window
    )
    assert single["projectId"] == PROJECT_MOBILE_ID
    users_totals = await agent.ok("get_user_totals", workspaceId=WS, pageSize=50, **window)
    assert OWNER_ID in {u["userId"] for u in users_totals}
    hours = await my_hours()
    edited = await agent.ok(
        "edit_recurring",
        workspaceId=WS,
        assignmentId=assignment,
        start=f"{week_after}T00:00:00Z",
        end=f"{week_after + timedelta(days=4)}T00:00:00Z",
        hoursPerDay=6,
        seriesUpdateOption="ALL",
    )
    assert {a["hoursPerDay"] for a in edited} == {6}
    assert await my_hours() > hours
    shortened = await agent.confirmed(
        "edit_recurring_period", workspaceId=WS, assignmentId=assignment, weeks=1, repeat=True
    )
    assert len(shortened) >= 1
    await agent.confirmed(
        "delete_rrecurring_assignment", workspaceId=WS, assignmentId=assignment, seriesUpdateOption="ALL"
    )
    assert await my_hours() == 0.0

    # --- the extensions: ids by default, names, discovery of the rest, summaries -----------------------------
    tags = await agent.ok("get_tags", name="meet")
    assert [t["id"] for t in tags] == [TAG_MEETING_ID]
    assert await agent.ok("get_clients")
    tasks = await agent.ok("get_tasks", projectId=PROJECT_WEBSITE_ID)
    assert TASK_WEBSITE_DESIGN_ID in {t["id"] for t in tasks}
    mine = await agent.ok("get_entries", **{"page-size": 5})  # no ids: the key owner's, with names
    assert {e["userId"] for e in mine} == {OWNER_ID} and any("projectName" in e for e in mine)
    # The sandbox's entries are dated from its TODAY; a named range ("this_month") is counted from the real clock
    # and missed them all once the real month had turned. So the two weeks the sandbox seeds, by date.
    seeded = {"start": (TODAY - timedelta(days=14)).isoformat(), "end": TODAY.isoformat()}
    summary = await agent.ok("get_time_summary", **seeded, groupBy=["PROJECT", "DAY"])
    assert summary["total"]["hours"] > 0 and summary["groups"][0]["groups"]
    week = {"start": monday.isoformat(), "end": (monday + timedelta(days=6)).isoformat()}
    report = await agent.ok("get_summary_report", **week, groupBy=["USER"])
    assert report["total"]["hours"] >= 0 and "groups" in report
    detailed = await agent.ok("get_detailed_report", **week, pageSize=5)
    assert detailed["page"] == 1 and "entries" in detailed
    weekly = await agent.ok("get_weekly_report", **week)
    assert len(weekly["days"]) == 7

    every = {entry.name for entry in catalogue.entries()}
    assert agent.used >= SEED_TOOLS, f"not used: {sorted(SEED_TOOLS - agent.used)}"
    assert agent.used == every, f"not used: {sorted(every - agent.used)}"  # every tool's answer parsed as JSON


async def test_agent_session_over_stdio_on_the_embedded_sandbox() -> None:
    env = server_env(CLOCKIFY_SANDBOX_TODAY=TODAY.isoformat())
    del env["CLOCKIFY_API_KEY"]  # no account needed
    del env["CLOCKIFY_TIMEZONE"]  # the profile's zone comes from the sandbox
    params = StdioServerParameters(command=server_command(), args=["--sandbox"], env=env)
    async with Client(params) as client:
        assert client.instructions and client.instructions.startswith("SANDBOX MODE")
        await session(Agent(client, sandbox_note=True))


async def test_agent_session_against_sandbox_server_over_loopback_http() -> None:
    with sandbox_server("--today", TODAY.isoformat()) as sandbox:
        env = server_env(CLOCKIFY_API_URL=sandbox.url, CLOCKIFY_API_KEY=SANDBOX_API_KEY)
        del env["CLOCKIFY_TIMEZONE"]
        params = StdioServerParameters(command=server_command(), env=env)
        async with Client(params) as client:
            await session(Agent(client, sandbox_note=False))
    assert sandbox.stdout == ""  # the sandbox server logs to stderr only
