"""Sandbox behaviour for time entries: state changes through HTTP, the wall-clock window, paging, timers."""

from __future__ import annotations

import pytest

from mcp_server_clockify.sandbox import (
    DESIGNER_ID,
    DEVELOPER_ID,
    OWNER_ID,
    PROJECT_INTERNAL_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    TAG_BUGFIX_ID,
    TASK_MOBILE_API_ID,
    TASK_WEBSITE_DESIGN_ID,
    WORKSPACE_ID,
)
from sandbox_contract import sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"
MINE = f"{W}/user/{OWNER_ID}/time-entries"


async def test_entry_lifecycle_created_listed_edited_stopped_deleted() -> None:
    async with sandbox_api() as api:
        # A timer started now replaces the seeded running one (one timer per user).
        body = {
            "start": "2026-11-25T09:30:00Z",
            "description": "Write the sandbox docs",
            "projectId": PROJECT_INTERNAL_ID,
        }
        timer = (await api.call("POST", W + "/time-entries", json=body, status=201)).json()
        assert timer["timeInterval"] == {"start": "2026-11-25T09:30:00Z", "end": None, "duration": None}
        assert timer["userId"] == OWNER_ID and timer["billable"] is False and timer["tagIds"] is None
        seeded = (await api.call("GET", f"{W}/time-entries/{RUNNING_ENTRY_ID}", status=200)).json()
        assert seeded["timeInterval"]["end"] == "2026-11-25T09:30:00Z"
        running = (await api.call("GET", W + "/time-entries/status/in-progress", status=200)).json()
        assert [e["id"] for e in running] == [timer["id"]]

        listed = (await api.call("GET", MINE, params={"page-size": 1}, status=200)).json()
        assert [e["id"] for e in listed] == [timer["id"]]  # newest first

        edit = {
            "start": "2026-11-25T09:30:00Z",
            "description": "Write the sandbox docs",
            "projectId": PROJECT_WEBSITE_ID,
            "taskId": TASK_WEBSITE_DESIGN_ID,
            "billable": True,
        }
        edited = (await api.call("PUT", f"{W}/time-entries/{timer['id']}", json=edit, status=200)).json()
        assert (edited["projectId"], edited["taskId"], edited["billable"]) == (
            PROJECT_WEBSITE_ID,
            TASK_WEBSITE_DESIGN_ID,
            True,
        )

        stopped = await api.call("PATCH", MINE, json={"end": "2026-11-25T11:15:00Z"}, status=200)
        assert stopped.json()["timeInterval"] == {
            "start": "2026-11-25T09:30:00Z",
            "end": "2026-11-25T11:15:00Z",
            "duration": "PT1H45M",
        }
        again = await api.call("PATCH", MINE, json={"end": "2026-11-25T12:00:00Z"}, status=404)
        assert again.json() == {"message": "Currently running time entry doesn't exist on workspace", "code": 404}

        await api.call("DELETE", f"{W}/time-entries/{timer['id']}", status=204)
        gone = await api.call("GET", f"{W}/time-entries/{timer['id']}", status=400)
        assert gone.json() == {"message": "Time entry doesn't belong to Workspace", "code": 501}


async def test_update_is_a_full_replace() -> None:
    async with sandbox_api() as api:
        seeded = (await api.call("GET", f"{W}/user/{DEVELOPER_ID}/time-entries", params={"page-size": 1})).json()[0]
        assert seeded["billable"] is True and seeded["projectId"]
        start, end = seeded["timeInterval"]["start"], seeded["timeInterval"]["end"]
        replaced = await api.call("PUT", f"{W}/time-entries/{seeded['id']}", json={"start": start, "end": end})
        body = replaced.json()
        assert (body["billable"], body["projectId"], body["taskId"], body["tagIds"], body["description"]) == (
            False,
            None,
            None,
            None,
            "",
        )
        missing_start = await api.call("PUT", f"{W}/time-entries/{seeded['id']}", json={"end": end}, valid=False)
        assert (missing_start.status_code, missing_start.json()) == (400, {"message": "must not be null", "code": 501})


async def test_create_checks_ids_against_the_workspace() -> None:
    async with sandbox_api() as api:
        base = {"start": "2026-11-24T08:00:00Z", "end": "2026-11-24T09:00:00Z"}
        cases = [
            ({"projectId": "NOT-AN-ID"}, "Project doesn't belong to Workspace"),
            ({"tagIds": ["5a0600000000000000000099"]}, "Tag doesn't belong to Workspace"),
            ({"projectId": PROJECT_WEBSITE_ID, "taskId": TASK_MOBILE_API_ID}, "Task doesn't belong to Project"),
        ]
        for extra, message in cases:
            response = await api.call("POST", W + "/time-entries", json={**base, **extra}, valid=False, status=400)
            assert response.json() == {"message": message, "code": 501}
        task_only = await api.call("POST", W + "/time-entries", json={**base, "taskId": TASK_MOBILE_API_ID}, status=201)
        assert task_only.json()["projectId"] is not None


async def test_create_for_others_copies_from_entry_and_bulk_edit_and_duplicate() -> None:
    async with sandbox_api() as api:
        source = (await api.call("GET", f"{W}/user/{DEVELOPER_ID}/time-entries", params={"tags": TAG_BUGFIX_ID})).json()
        assert source and all(TAG_BUGFIX_ID in e["tagIds"] for e in source)
        copied = await api.call(
            "POST",
            f"{W}/user/{DESIGNER_ID}/time-entries",
            params={"from-entry": source[0]["id"]},
            json={"description": "Pairing on the bug"},
            status=201,
        )
        body = copied.json()
        assert body["userId"] == DESIGNER_ID
        assert body["description"] == "Pairing on the bug"
        assert (body["projectId"], body["tagIds"], body["timeInterval"]) == (
            source[0]["projectId"],
            source[0]["tagIds"],
            source[0]["timeInterval"],
        )

        dup = await api.call("POST", f"{W}/user/{DESIGNER_ID}/time-entries/{body['id']}/duplicate", status=201)
        assert dup.json()["id"] != body["id"] and dup.json()["timeInterval"] == body["timeInterval"]
        wrong_user = await api.call("POST", f"{W}/user/{OWNER_ID}/time-entries/{body['id']}/duplicate", status=400)
        assert wrong_user.json()["code"] == 501

        bulk = [
            {"id": body["id"], "start": "2026-11-24T14:00:00Z", "end": "2026-11-24T15:00:00Z", "billable": True},
            {"id": dup.json()["id"], "start": "2026-11-24T15:00:00Z", "end": "2026-11-24T15:30:00Z"},
        ]
        rows = (
            await api.call("PUT", f"{W}/user/{DESIGNER_ID}/time-entries", json=bulk, params={"hydrated": "true"})
        ).json()
        assert [r["timeInterval"]["duration"] for r in rows] == ["PT1H", "PT30M"]
        assert rows[0]["user"]["id"] == DESIGNER_ID and rows[0]["project"] is None  # a replace: project cleared

        deleted = await api.call(
            "DELETE",
            f"{W}/user/{DESIGNER_ID}/time-entries",
            params=[("time-entry-ids", body["id"]), ("time-entry-ids", dup.json()["id"])],
            status=200,
        )
        assert {e["id"] for e in deleted.json()} == {body["id"], dup.json()["id"]}
        missing = await api.call("DELETE", f"{W}/user/{DESIGNER_ID}/time-entries", valid=False, status=400)
        assert missing.json()["code"] == 3001


async def test_invoiced_takes_id_strings_and_rejects_objects() -> None:
    async with sandbox_api() as api:
        ok = await api.call(
            "PATCH", W + "/time-entries/invoiced", json={"invoiced": True, "timeEntryIds": [RUNNING_ENTRY_ID]}
        )
        assert (ok.status_code, ok.content) == (200, b"")
        assert api.app.state.entries[RUNNING_ENTRY_ID].invoiced is True
        objects = {"invoiced": True, "timeEntryIds": [{"id": RUNNING_ENTRY_ID}]}
        bad = await api.call("PATCH", W + "/time-entries/invoiced", json=objects, valid=False, status=400)
        assert bad.json()["code"] == 3000 and bad.json()["message"].startswith("JSON parse error")


async def test_list_window_is_wall_clock_time_in_the_account_zone() -> None:
    """The live API ignores the Z: 2026-11-24T09:00:00Z means 09:00 in Berlin (08:00 UTC)."""
    async with sandbox_api() as api:
        day = await api.call(
            "GET", MINE, params={"start": "2026-11-24T00:00:00Z", "end": "2026-11-24T23:59:59Z"}, status=200
        )
        starts = [e["timeInterval"]["start"] for e in day.json()]
        assert starts == ["2026-11-24T12:30:00Z", "2026-11-24T08:30:00Z", "2026-11-24T08:00:00Z"]
        # 09:15 Berlin is 08:15 UTC: the 08:30Z entry is inside the window (read as UTC it would not be).
        after = await api.call("GET", MINE, params={"start": "2026-11-24T09:15:00Z", "end": "2026-11-24T23:59:59Z"})
        assert [e["timeInterval"]["start"] for e in after.json()] == ["2026-11-24T12:30:00Z", "2026-11-24T08:30:00Z"]
        # Another user's entries are windowed in the same (account) zone.
        ny = await api.call(
            "GET",
            f"{W}/user/{DESIGNER_ID}/time-entries",
            params={"start": "2026-11-24T00:00:00Z", "end": "2026-11-24T23:59:59Z"},
        )
        assert [e["timeInterval"]["start"] for e in ny.json()] == ["2026-11-24T18:00:00Z", "2026-11-24T14:00:00Z"]


async def test_paging_and_last_page_header() -> None:
    async with sandbox_api() as api:
        everything = (await api.call("GET", MINE, params={"page-size": 200})).json()
        assert len(everything) == 31  # 10 working days x 3 entries + the running timer
        pages = []
        for page in (1, 2, 3, 4):
            response = await api.call("GET", MINE, params={"page": page, "page-size": 10}, status=200)
            pages.append((len(response.json()), response.headers["Last-Page"]))
        assert pages == [(10, "false"), (10, "false"), (10, "false"), (1, "true")]
        beyond = await api.call("GET", MINE, params={"page": 9, "page-size": 10})
        assert (beyond.json(), beyond.headers["Last-Page"]) == ([], "true")
        running = await api.call("GET", W + "/time-entries/status/in-progress")
        assert running.headers["Last-Page"] == "true" and len(running.json()) == 1
        too_big = await api.call(
            "GET", W + "/time-entries/status/in-progress", params={"page-size": 1001}, valid=False, status=400
        )
        assert too_big.json()["code"] == 501


async def test_filters_in_progress_and_week_before() -> None:
    async with sandbox_api() as api:
        only_running = await api.call("GET", MINE, params={"in-progress": "true"})
        assert [e["id"] for e in only_running.json()] == [RUNNING_ENTRY_ID]
        by_text = await api.call("GET", MINE, params={"description": "STAND-UP"})
        assert by_text.json() and all(e["description"] == "Daily stand-up" for e in by_text.json())
        week = await api.call("GET", MINE, params={"get-week-before": "2026-11-23T00:00:00Z"})
        assert len(week.json()) == 15  # Mon 16 - Fri 20 November, three entries a day
        hydrated = (await api.call("GET", MINE, params={"hydrated": "true", "page-size": 2})).json()
        assert hydrated[1]["project"]["name"] and hydrated[1]["user"]["name"] == "Alex Morgan"
        assert hydrated[1]["hourlyRate"]["currency"] == "USD"
