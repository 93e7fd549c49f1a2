"""Issue 12 on the sandbox: nothing is lost by omission, a concurrent edit is reported rather than
overwritten, null clears on purpose, and unknown ids lead to the tool that lists the valid ones."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest
from mcp import Client

from helpers import P, text
from mcp_server_clockify.config import Settings
from mcp_server_clockify.sandbox import (
    HOLIDAY_RETREAT_ID,
    OWNER_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    WORKSPACE_ID,
    Simulator,
    create_app,
    transport,
)
from mcp_server_clockify.sandbox.model import TimeEntry
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY
from test_local_days import sandbox_client

pytestmark = pytest.mark.anyio


def finished_entry_with_everything(app: Simulator) -> TimeEntry:
    """One of the owner's finished entries that has a project, a task, tags and is billable."""
    return next(
        e
        for e in sorted(app.state.entries.values(), key=lambda e: e.start)
        if e.user_id == OWNER_ID and not e.running and e.project_id and e.task_id and e.tag_ids and e.billable
    )


async def test_replace_many_item_with_only_a_description_changes_only_the_description() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)
    before = (entry.start, entry.end, entry.project_id, entry.task_id, list(entry.tag_ids or []), entry.billable)
    async with sandbox_client(app) as call:
        result = await call(
            "replace_many",
            workspaceId=WORKSPACE_ID,
            userId=OWNER_ID,
            body=[{"id": entry.id, "description": "Renamed only"}],
        )
    assert not result.is_error, text(result)
    after = app.state.entries[entry.id]
    assert after.description == "Renamed only"
    assert (
        after.start,
        after.end,
        after.project_id,
        after.task_id,
        list(after.tag_ids or []),
        after.billable,
    ) == before


async def test_replace_many_null_still_clears_on_purpose() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)
    async with sandbox_client(app) as call:
        result = await call(
            "replace_many", workspaceId=WORKSPACE_ID, userId=OWNER_ID, body=[{"id": entry.id, "tagIds": None}]
        )
    assert not result.is_error, text(result)
    after = app.state.entries[entry.id]
    assert not after.tag_ids and after.project_id == entry.project_id and after.end == entry.end


async def test_replace_many_confirmation_lists_old_and_new_values_per_field() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)
    async with sandbox_client(app, confirm="token") as call:
        result = await call(
            "replace_many",
            workspaceId=WORKSPACE_ID,
            userId=OWNER_ID,
            body=[{"id": entry.id, "description": "Renamed", "billable": False}],
        )
    shown = text(result)
    assert f'description: "{entry.description}" -> "Renamed"' in shown
    assert "billable: true -> false" in shown
    assert "projectId" not in shown.split("Will change", 1)[1]  # unchanged fields are not listed
    assert app.state.entries[entry.id].description == entry.description  # nothing sent yet


async def test_update_time_entry_clearing_the_project_clears_its_task() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)
    async with sandbox_client(app) as call:
        result = await call("update_time_entry", workspaceId=WORKSPACE_ID, id=entry.id, projectId=None)
    assert not result.is_error, text(result)
    after = app.state.entries[entry.id]
    assert after.project_id is None and after.task_id is None
    assert after.description == entry.description and after.end == entry.end


def colleague_edits_after_first_read(app: Simulator, path_end: str, edit: Callable[[], None]) -> httpx2.ASGITransport:
    """A transport into the sandbox where a colleague edits the object right after our first read of it."""
    inner = transport(app)
    seen = {"reads": 0}

    class Racing(httpx2.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            response = await inner.handle_async_request(request)
            if request.method == "GET" and request.url.path.endswith(path_end):
                seen["reads"] += 1
                if seen["reads"] == 1:
                    edit()
            return response

    return Racing()  # type: ignore[return-value]


async def _racing_call(app: Simulator, race: httpx2.AsyncBaseTransport, tool: str, **arguments: object):
    settings = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL, confirm="off")
    async with Client(build_server(settings, transport=lambda: race)) as client:  # type: ignore[arg-type,return-value]
        return await client.call_tool(P + tool, arguments)


async def test_update_time_entry_reports_a_concurrent_edit_instead_of_overwriting_it() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)

    def colleague() -> None:
        app.state.entries[entry.id].description = "Colleague's fix"

    race = colleague_edits_after_first_read(app, f"/time-entries/{entry.id}", colleague)
    result = await _racing_call(app, race, "update_time_entry", workspaceId=WORKSPACE_ID, id=entry.id, billable=False)
    assert result.is_error
    assert "changed since it was read" in text(result) and "Colleague's fix" in text(result)
    assert "Nothing was written" in text(result)
    after = app.state.entries[entry.id]
    assert after.description == "Colleague's fix" and after.billable is True


async def test_replace_many_reports_a_concurrent_edit() -> None:
    app = create_app(today=TODAY)
    entry = finished_entry_with_everything(app)

    def colleague() -> None:
        app.state.entries[entry.id].description = "Colleague's fix"

    race = colleague_edits_after_first_read(app, f"/time-entries/{entry.id}", colleague)
    result = await _racing_call(
        app, race, "replace_many", workspaceId=WORKSPACE_ID, userId=OWNER_ID, body=[{"id": entry.id, "billable": False}]
    )
    assert result.is_error and "Colleague's fix" in text(result)
    assert app.state.entries[entry.id].billable is True


async def test_update_holiday_reports_a_concurrent_edit() -> None:
    app = create_app(today=TODAY)

    def colleague() -> None:
        app.state.holidays[HOLIDAY_RETREAT_ID].name = "Team retreat (moved)"

    race = colleague_edits_after_first_read(app, "/holidays", colleague)
    result = await _racing_call(
        app, race, "update_holiday", workspaceId=WORKSPACE_ID, holidayId=HOLIDAY_RETREAT_ID, color="#FF0000"
    )
    assert result.is_error and "Team retreat (moved)" in text(result)
    assert app.state.holidays[HOLIDAY_RETREAT_ID].color != "#FF0000"


@pytest.mark.parametrize(
    ("tool", "arguments", "lister"),
    [
        ("get_entry", {"id": "6501aa11bb22cc33dd44ee99"}, "get_entries"),
        ("delete_holiday", {"holidayId": "6501aa11bb22cc33dd44ee99"}, "get_holidays"),
    ],
)
async def test_an_unknown_id_is_not_found_and_names_the_list_tool(tool: str, arguments: dict, lister: str) -> None:
    async with sandbox_client() as call:
        result = await call(tool, workspaceId=WORKSPACE_ID, **arguments)
    assert result.is_error
    shown = text(result)
    assert "not found in this workspace (deleted, or from another workspace)" in shown
    assert P + lister in shown
    assert "other workspaces" not in shown


async def test_replace_many_unknown_entry_is_reported_before_writing() -> None:
    app = create_app(today=TODAY)
    async with sandbox_client(app) as call:
        result = await call(
            "replace_many",
            workspaceId=WORKSPACE_ID,
            userId=OWNER_ID,
            body=[{"id": "6501aa11bb22cc33dd44ee99", "description": "x"}],
        )
    assert result.is_error and "not found in this workspace" in text(result)
    assert P + "get_entries" in text(result)
