"""Exact requests and formatted results for the 12 time-entry tools, against a fake Clockify."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx2
import pytest

from helpers import (
    API_KEY,
    ENTRY,
    ENTRY2,
    FIELD,
    OTHER_USER,
    PROJECT,
    TAG,
    TAG2,
    TASK,
    USER,
    WS,
    call,
    reply,
    result_json,
    sample,
    settings,
    text,
    written,
)
from mcp_server_clockify.present import clean

pytestmark = pytest.mark.anyio

_, ENTRY_BODY = sample("20260520-214436-get.workspaces.time-entries-happy-path.json")
_, LIST_BODY = sample("20260520-215801-get.workspaces.user.time-entries-happy-path.json")
_, RUNNING_BODY = sample("20260520-224037-get.workspaces.time-entries.status.in-progress-happy-path.json")

FULL_ENTRY = {
    "billable": True,
    "customFields": [{"customFieldId": FIELD, "sourceType": "TIMEENTRY", "value": "ticket-42"}],
    "description": "Sprint planning",
    "end": "2026-11-27T17:30:00+01:00",
    "projectId": PROJECT,
    "start": "2026-11-27T09:00:00+01:00",
    "tagIds": [TAG, TAG2],
    "taskId": TASK,
    "type": "REGULAR",
}
FULL_ENTRY_WIRE = {
    "billable": True,
    "customFields": [{"customFieldId": FIELD, "sourceType": "TIMEENTRY", "value": "ticket-42"}],
    "description": "Sprint planning",
    "end": "2026-11-27T16:30:00Z",
    "projectId": PROJECT,
    "start": "2026-11-27T08:00:00Z",
    "tagIds": [TAG, TAG2],
    "taskId": TASK,
    "type": "REGULAR",
}
ATTRS = [{"name": "source", "namespace": "crm", "value": "call-7"}]


async def test_create_time_entry_exact_request() -> None:
    result, sent = await call(
        "create_time_entry", {"workspaceId": WS, **FULL_ENTRY, "customAttributes": ATTRS}, reply(201, ENTRY_BODY)
    )
    assert not result.is_error, text(result)
    [request] = sent
    assert (request.method, request.path, request.query) == ("POST", f"/workspaces/{WS}/time-entries", [])
    assert request.body == {**FULL_ENTRY_WIRE, "customAttributes": ATTRS}
    assert request.headers["x-api-key"] == API_KEY
    assert request.headers["content-type"] == "application/json"
    assert result_json(result) == clean(ENTRY_BODY)  # without null noise


async def test_create_time_entry_sends_only_given_fields_and_starts_timer() -> None:
    result, sent = await call(
        "create_time_entry", {"workspaceId": WS, "start": "2026-11-28T08:15:00Z"}, reply(201, RUNNING_BODY[0])
    )
    # a new timer stops the running one silently in Clockify: the tool reads it first to say so
    assert [(s.method, s.path, s.query) for s in sent[:2]] == [
        ("GET", "/user", []),
        (
            "GET",
            f"/workspaces/{WS}/user/{RUNNING_BODY[0]['id']}/time-entries",
            [("in-progress", "true"), ("page-size", "1")],
        ),
    ]
    assert written(sent).body == {"start": "2026-11-28T08:15:00Z"}
    assert not result.is_error


async def test_create_for_others_exact_request() -> None:
    result, [request] = await call(
        "create_for_others",
        {"workspaceId": WS, "userId": OTHER_USER, "from-entry": ENTRY, **FULL_ENTRY, "customAttributes": ATTRS},
        reply(201, ENTRY_BODY),
    )
    assert request.method == "POST"
    assert request.path == f"/workspaces/{WS}/user/{OTHER_USER}/time-entries"
    assert request.query == [("from-entry", ENTRY)]
    assert request.body == {**FULL_ENTRY_WIRE, "customAttributes": ATTRS}
    assert result_json(result)["timeInterval"]["duration"] == "PT8H"


async def test_get_entries_exact_request_with_every_filter() -> None:
    args = {
        "workspaceId": WS,
        "userId": USER,
        "description": "planning",
        "start": "2026-11-01T00:00:00Z",
        "end": "2026-11-08T00:00:00Z",
        "project": PROJECT,
        "task": TASK,
        "tags": [TAG, TAG2],
        "project-required": True,
        "task-required": False,
        "hydrated": True,
        "page": 2,
        "page-size": 3,
        "in-progress": False,
        "get-week-before": "2026-11-08T00:00:00Z",
    }
    result, [request] = await call("get_entries", args, reply(200, LIST_BODY, {"Last-Page": "true"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/user/{USER}/time-entries")
    assert request.query == [
        ("description", "planning"),
        ("start", "2026-11-01T00:00:00Z"),
        ("end", "2026-11-08T00:00:00Z"),
        ("project", PROJECT),
        ("task", TASK),
        ("tags", TAG),
        ("tags", TAG2),
        ("project-required", "true"),
        ("task-required", "false"),
        ("hydrated", "true"),
        ("page", "2"),
        ("page-size", "3"),
        ("in-progress", "false"),
        ("get-week-before", "2026-11-08T00:00:00Z"),
    ]
    assert request.body is None
    assert text(result).splitlines() == [text(result).splitlines()[0]]  # last page: no paging note
    assert result_json(result) == clean(LIST_BODY)  # without null noise


async def test_get_entries_window_is_sent_as_account_wall_clock() -> None:
    """Clockify reads start/end as wall-clock time in the account's zone: 00:00 in Berlin goes out as 00:00Z."""
    config = settings(timezone=ZoneInfo("Europe/Berlin"))
    _, sent = await call(
        "get_entries",
        {"workspaceId": WS, "userId": USER, "start": "2026-11-01", "end": "2026-11-01T23:00:00Z"},
        reply(200, []),
        config=config,
    )
    assert sent[-1].query == [("start", "2026-11-01T00:00:00Z"), ("end", "2026-11-02T00:00:00Z")]


async def test_get_entries_fetches_profile_time_zone_once_when_none_is_configured() -> None:
    def respond(request):
        if request.url.path.endswith("/user"):
            return reply(200, {"id": USER, "settings": {"timeZone": "America/New_York"}})(request)
        return reply(200, [])(request)

    _, sent = await call(
        "get_entries",
        {"workspaceId": WS, "userId": USER, "start": "2026-11-01T00:00:00Z"},
        respond,
        config=settings(timezone=None),
    )
    assert [s.path for s in sent] == ["/user", f"/workspaces/{WS}/user/{USER}/time-entries"]
    assert sent[1].query == [("start", "2026-10-31T20:00:00Z")]


async def test_get_entries_notes_next_page() -> None:
    result, _ = await call(
        "get_entries",
        {"workspaceId": WS, "userId": USER, "page-size": 1},
        reply(200, LIST_BODY, {"Last-Page": "false"}),
    )
    assert "call again with page=2" in text(result)


async def test_get_entry_exact_request() -> None:
    result, [request] = await call(
        "get_entry", {"workspaceId": WS, "id": ENTRY, "hydrated": True}, reply(200, ENTRY_BODY)
    )
    assert (request.method, request.path, request.query) == (
        "GET",
        f"/workspaces/{WS}/time-entries/{ENTRY}",
        [("hydrated", "true")],
    )
    assert request.body is None and request.raw == b""
    assert result_json(result) == clean(ENTRY_BODY)  # without null noise


async def test_update_time_entry_exact_request() -> None:
    result, sent = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, **FULL_ENTRY}, reply(200, ENTRY_BODY)
    )
    read, reread, write = sent  # read to merge, read again right before writing: nobody changed it meanwhile
    assert (read.method, read.path, read.raw) == ("GET", f"/workspaces/{WS}/time-entries/{ENTRY}", b"")
    assert (reread.method, reread.path) == ("GET", f"/workspaces/{WS}/time-entries/{ENTRY}")
    assert (write.method, write.path, write.query) == ("PUT", f"/workspaces/{WS}/time-entries/{ENTRY}", [])
    assert write.body == FULL_ENTRY_WIRE
    assert not result.is_error


CURRENT = {
    "id": ENTRY,
    "description": "Old text",
    "billable": True,
    "projectId": PROJECT,
    "taskId": TASK,
    "tagIds": [TAG, TAG2],
    "type": "REGULAR",
    "userId": USER,
    "workspaceId": WS,
    "customFieldValues": [
        {"customFieldId": FIELD, "name": "Ticket", "timeEntryId": ENTRY, "type": "TXT", "value": "T-1"},
        {
            "customFieldId": "64c777ddd3fcab07cfbb5556",
            "name": "Empty",
            "timeEntryId": ENTRY,
            "type": "TXT",
            "value": None,
        },
    ],
    "timeInterval": {"start": "2026-11-27T08:00:00.123456789Z", "end": "2026-11-27T16:30:00Z", "duration": "PT8H30M"},
}


async def test_update_description_only_keeps_project_tags_billable_and_times() -> None:
    result, [read, _, write] = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "description": "New text"}, reply(200, CURRENT)
    )
    assert read.method == "GET"
    assert write.method == "PUT"
    assert write.body == {
        "start": "2026-11-27T08:00:00Z",
        "end": "2026-11-27T16:30:00Z",
        "billable": True,
        "description": "New text",
        "projectId": PROJECT,
        "taskId": TASK,
        "tagIds": [TAG, TAG2],
        "type": "REGULAR",
        "customFields": [{"customFieldId": FIELD, "value": "T-1"}],
    }
    assert not result.is_error


async def test_update_null_clears_a_field_and_running_entry_stays_running() -> None:
    running = {**CURRENT, "timeInterval": {"start": "2026-11-28T08:00:00Z", "end": None, "duration": None}}
    _, [_, _, write] = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "taskId": None, "tagIds": []}, reply(200, running)
    )
    assert write.body["taskId"] is None and write.body["tagIds"] == []
    assert "end" not in write.body and write.body["start"] == "2026-11-28T08:00:00Z"


async def test_update_of_an_entry_from_another_workspace_sends_no_put() -> None:
    body = {"message": "Time entry doesn't belong to Workspace", "code": 501}
    result, sent = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "description": "x"}, reply(400, body)
    )
    assert result.is_error and "not found in this workspace (deleted, or from another workspace)" in text(result)
    assert "clockify_time_tracking_get_entries" in text(result)
    assert [s.method for s in sent] == ["GET"]


async def test_update_clearing_the_project_clears_its_task_and_a_new_project_drops_the_old_task() -> None:
    _, [_, _, write] = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "projectId": None}, reply(200, CURRENT)
    )
    assert write.body["projectId"] is None and write.body["taskId"] is None
    other = "64c777ddd3fcab07cfbb2222"
    _, [_, _, write] = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "projectId": other}, reply(200, CURRENT)
    )
    assert write.body["projectId"] == other and write.body["taskId"] is None
    _, [_, _, write] = await call(
        "update_time_entry", {"workspaceId": WS, "id": ENTRY, "projectId": other, "taskId": TASK}, reply(200, CURRENT)
    )
    assert write.body["taskId"] == TASK


async def test_update_cannot_clear_the_start() -> None:
    result, sent = await call("update_time_entry", {"workspaceId": WS, "id": ENTRY, "start": None})
    assert result.is_error and "- start: cannot be cleared" in text(result) and not sent


async def test_delete_entry_exact_request_and_empty_answer() -> None:
    result, [request] = await call("delete_entry", {"workspaceId": WS, "id": ENTRY}, reply(204))
    assert (request.method, request.path, request.query, request.raw) == (
        "DELETE",
        f"/workspaces/{WS}/time-entries/{ENTRY}",
        [],
        b"",
    )
    assert not result.is_error
    assert result.content[0].text == '{"status":204,"message":"Time entry deleted"}'
    assert "Clockify returned no body" in text(result)


async def test_delete_entry_accepts_200_with_body() -> None:
    result, _ = await call("delete_entry", {"workspaceId": WS, "id": ENTRY}, reply(200, ENTRY_BODY))
    assert result_json(result)["id"] == ENTRY_BODY["id"]


async def test_delete_many_sends_repeated_query_keys() -> None:
    result, [request] = await call(
        "delete_many", {"workspaceId": WS, "userId": USER, "time-entry-ids": [ENTRY, ENTRY2]}, reply(200, [ENTRY_BODY])
    )
    assert request.method == "DELETE"
    assert request.path == f"/workspaces/{WS}/user/{USER}/time-entries"
    assert request.query == [("time-entry-ids", ENTRY), ("time-entry-ids", ENTRY2)]
    assert request.raw == b""
    assert result_json(result) == clean([ENTRY_BODY])  # without null noise


CURRENT_FIELDS = {
    "start": "2026-11-27T08:00:00Z",
    "end": "2026-11-27T16:30:00Z",
    "billable": True,
    "description": "Old text",
    "projectId": PROJECT,
    "taskId": TASK,
    "tagIds": [TAG, TAG2],
    "type": "REGULAR",
    "customFields": [{"customFieldId": FIELD, "value": "T-1"}],
}
"""CURRENT as the fields of an update request."""


def entries_then(answer: object):
    """Clockify holding CURRENT under every id: GETs answer it, the bulk PUT answers `answer`."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET":
            return httpx2.Response(200, json={**CURRENT, "id": request.url.path.rsplit("/", 1)[-1]})
        return httpx2.Response(200, json=answer)

    return respond


async def test_replace_many_merges_each_item_over_the_current_entry_and_sends_one_array() -> None:
    items = [
        {"id": ENTRY, **FULL_ENTRY},
        {"id": ENTRY2, "start": "2026-11-26T08:00:00Z", "end": "2026-11-26T09:00:00Z"},
    ]
    result, sent = await call(
        "replace_many",
        {"workspaceId": WS, "userId": USER, "hydrated": True, "body": items},
        entries_then([ENTRY_BODY]),
    )
    reads = sorted(s.path for s in sent if s.method == "GET")
    assert reads == sorted(2 * [f"/workspaces/{WS}/time-entries/{ENTRY}", f"/workspaces/{WS}/time-entries/{ENTRY2}"])
    request = written(sent)
    assert (request.method, request.path) == ("PUT", f"/workspaces/{WS}/user/{USER}/time-entries")
    assert request.query == [("hydrated", "true")]
    assert request.body == [
        {**CURRENT_FIELDS, **FULL_ENTRY_WIRE, "id": ENTRY},
        {**CURRENT_FIELDS, "id": ENTRY2, "start": "2026-11-26T08:00:00Z", "end": "2026-11-26T09:00:00Z"},
    ]
    assert isinstance(result_json(result), list)


async def test_replace_many_item_with_only_a_description_changes_only_that() -> None:
    _, sent = await call(
        "replace_many",
        {"workspaceId": WS, "userId": USER, "body": [{"id": ENTRY, "description": "New"}]},
        entries_then([ENTRY_BODY]),
    )
    assert written(sent).body == [{**CURRENT_FIELDS, "id": ENTRY, "description": "New"}]


async def test_duplicate_time_entry_exact_request() -> None:
    result, [request] = await call(
        "duplicate_time_entry", {"workspaceId": WS, "userId": USER, "id": ENTRY}, reply(201, ENTRY_BODY)
    )
    assert request.method == "POST"
    assert request.path == f"/workspaces/{WS}/user/{USER}/time-entries/{ENTRY}/duplicate"
    assert (request.query, request.raw) == ([], b"")
    assert result_json(result) == clean(ENTRY_BODY)  # without null noise


async def test_stop_running_time_entry_exact_request() -> None:
    result, [request] = await call(
        "stop_running_time_entry",
        {"workspaceId": WS, "userId": USER, "end": "2026-11-28T18:05:00+01:00"},
        reply(200, ENTRY_BODY),
    )
    assert (request.method, request.path) == ("PATCH", f"/workspaces/{WS}/user/{USER}/time-entries")
    assert request.body == {"end": "2026-11-28T17:05:00Z"}
    assert not result.is_error


async def test_stop_running_time_entry_now() -> None:
    _, [request] = await call(
        "stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "now"}, reply(200, ENTRY_BODY)
    )
    assert request.body["end"].endswith("Z") and len(request.body["end"]) == 20


async def test_stop_without_running_timer_is_a_clear_error() -> None:
    body = {"message": "Currently running time entry doesn't exist on workspace", "code": 404}
    result, _ = await call(
        "stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "now"}, reply(404, body)
    )
    assert result.is_error
    assert "HTTP 404, code 404" in text(result)
    assert "Currently running time entry doesn't exist" in text(result)
    assert "no timer is running" in text(result)


async def test_get_in_progress_exact_request() -> None:
    result, [request] = await call(
        "get_in_progress_time_entries", {"workspaceId": WS, "page": 1, "page-size": 1}, reply(200, RUNNING_BODY)
    )
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/time-entries/status/in-progress")
    assert request.query == [("page", "1"), ("page-size", "1")]
    assert result_json(result) == clean(RUNNING_BODY)  # without null noise
    assert "call again with page=2" in text(result)  # a full page and no Last-Page header


async def test_update_invoiced_status_sends_id_strings() -> None:
    result, [request] = await call(
        "update_invoiced_status",
        {"workspaceId": WS, "invoiced": True, "timeEntryIds": [ENTRY, {"id": ENTRY2}]},
        reply(200),
    )
    assert (request.method, request.path) == ("PATCH", f"/workspaces/{WS}/time-entries/invoiced")
    assert request.body == {"invoiced": True, "timeEntryIds": [ENTRY, ENTRY2]}
    assert not result.is_error
    assert result.content[0].text == '{"status":200,"message":"Invoiced status updated"}'
    assert "Clockify returned no body" in text(result)


async def test_naive_date_time_uses_configured_time_zone() -> None:
    _, [request] = await call(
        "create_time_entry",
        {"workspaceId": WS, "start": "2026-07-01T09:00", "end": "2026-07-01T10:30:00"},
        reply(201, ENTRY_BODY),
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    assert request.body == {"start": "2026-07-01T07:00:00Z", "end": "2026-07-01T08:30:00Z"}
