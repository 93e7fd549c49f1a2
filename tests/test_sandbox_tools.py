"""End to end in process: our MCP server's tools calling the sandbox through its httpx transport.

Only the tool modules that exist on this branch (discovery, time entries) are exercised; the settings are
what sandbox mode would use (SANDBOX_API_KEY, SANDBOX_BASE_URL, no CLOCKIFY_TIMEZONE: the profile's zone,
Europe/Berlin, is fetched from the sandbox like from Clockify).
"""

from __future__ import annotations

import pytest
from mcp import Client

from helpers import P, result_json, text
from mcp_server_clockify.config import Settings
from mcp_server_clockify.sandbox import (
    OWNER_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    TASK_WEBSITE_DESIGN_ID,
    WORKSPACE_ID,
    create_app,
    transport,
)
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY

pytestmark = pytest.mark.anyio


async def test_time_entry_tools_against_the_sandbox() -> None:
    app = create_app(today=TODAY)
    settings = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
    async with Client(build_server(settings, transport=lambda: transport(app))) as client:

        async def call(tool: str, **arguments):
            result = await client.call_tool(P + tool, arguments)
            return result, text(result)

        result, _ = await call("get_current_user")
        me = result_json(result)
        assert (me["id"], me["activeWorkspace"], me["settings"]["timeZone"]) == (
            OWNER_ID,
            WORKSPACE_ID,
            "Europe/Berlin",
        )
        result, _ = await call("get_projects", workspaceId=WORKSPACE_ID, hydrated=True, name="Website")
        [project] = result_json(result)
        assert project["id"] == PROJECT_WEBSITE_ID and TASK_WEBSITE_DESIGN_ID in [t["id"] for t in project["tasks"]]

        # A local date-time without offset is read in the profile's zone (Berlin, UTC+1 in November).
        result, body = await call(
            "create_time_entry",
            workspaceId=WORKSPACE_ID,
            start="2026-11-24T18:00",
            end="2026-11-24T19:30",
            description="Evening release check",
            projectId=PROJECT_WEBSITE_ID,
        )
        assert not result.is_error, body
        created = result_json(result)
        assert created["timeInterval"]["start"] == "2026-11-24T18:00:00+01:00"  # 17:00 UTC, shown as lived
        assert app.state.entries[created["id"]].start.isoformat() == "2026-11-24T17:00:00+00:00"

        # get_entries converts the window to the account's wall clock, as the sandbox (and Clockify) read it.
        result, body = await call(
            "get_entries",
            workspaceId=WORKSPACE_ID,
            userId=OWNER_ID,
            start="2026-11-24T00:00:00+01:00",
            end="2026-11-24T23:59:59+01:00",
        )
        assert not result.is_error, body
        day = result_json(result)
        assert (len(day), day[0]["description"]) == (4, "Evening release check")

        result, body = await call(
            "stop_running_time_entry", workspaceId=WORKSPACE_ID, userId=OWNER_ID, end="2026-11-25T10:00:00Z"
        )
        assert not result.is_error, body
        result, body = await call(
            "stop_running_time_entry", workspaceId=WORKSPACE_ID, userId=OWNER_ID, end="2026-11-25T10:00:00Z"
        )
        assert result.is_error and "404" in body and "Currently running time entry" in body

        result, body = await call(
            "update_invoiced_status",
            workspaceId=WORKSPACE_ID,
            invoiced=True,
            timeEntryIds=[{"id": created["id"]}, RUNNING_ENTRY_ID],
        )
        assert not result.is_error, body
        assert app.state.entries[created["id"]].invoiced and app.state.entries[RUNNING_ENTRY_ID].invoiced

        result, body = await call("get_entry", workspaceId=WORKSPACE_ID, id="5a0700000000000000fffff0")
        assert result.is_error and "400" in body and "doesn't belong to Workspace" in body
        assert "not found in this workspace" in body and "get_entries" in body

        result, body = await call("delete_entry", workspaceId=WORKSPACE_ID, id=created["id"], confirm="forged")
        assert result.is_error and created["id"] in app.state.entries
        result, body = await call("delete_entry", workspaceId=WORKSPACE_ID, id=created["id"])
        assert not result.is_error and created["id"] in app.state.entries, body  # a preview: nothing deleted
        token = body.split('confirm: "', 1)[1].split('"', 1)[0]
        result, body = await call("delete_entry", workspaceId=WORKSPACE_ID, id=created["id"], confirm=token)
        assert not result.is_error, body
        assert created["id"] not in app.state.entries
