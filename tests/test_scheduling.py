"""Exact requests, formatted results and the rules of the 11 scheduling tools, against a fake Clockify."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from helpers import (
    OTHER_USER,
    PROJECT,
    TASK,
    USER,
    WS,
    call,
    rejected,
    reply,
    result_json,
    sample,
    settings,
    text,
    written,
)
from mcp_server_clockify.present import clean
from mcp_server_clockify.server import tool_definition
from mcp_server_clockify.tools import OPERATIONS

pytestmark = pytest.mark.anyio

ASSIGNMENT = "5b641568b07987035750505e"
SERIES = "64c777ddd3fcab07cfbb210c"
GROUP = "5b715612b079875110791342"

_, ALL_BODY = sample("20260520-215801-get.workspaces.scheduling.assignments.all-happy-path.json")
_, ALL_TEMPLATE = sample("findings-scheduling.assignments-all-200.json")
_, PATCH_ENVELOPE = sample("20260520-233247-patch.workspaces.scheduling.assignments.recurring-happy-path.json")
EDITED = PATCH_ENVELOPE["data"]  # the upstream array inside the prober's envelope
_, PROJECT_TOTALS = sample("20260521-000000-get.workspaces.scheduling.projects.totals.single-happy-path.json")
_, USER_TOTALS = sample("20260521-000800-get.workspaces.scheduling.users.totals-happy-path.json")
_, USER_TOTALS_TEMPLATE = sample("findings-scheduling.user-totals-200.json")


def occurrence(start: str, end: str, **extra: Any) -> dict[str, Any]:
    """An AssignmentDtoV1 shaped as the official spec's example."""
    return {
        "id": extra.pop("id", ASSIGNMENT),
        "workspaceId": WS,
        "userId": USER,
        "projectId": PROJECT,
        "taskId": TASK,
        "period": {"start": start, "end": end},
        "hoursPerDay": 7.5,
        "startTime": "10:00:00",
        "note": "This is a sample note for an assignment.",
        "billable": True,
        "includeNonWorkingDays": False,
        "excludeDays": [{"date": "2026-06-06T00:00:00Z", "type": "WEEKEND"}],
        "published": False,
        "recurring": {"repeat": True, "seriesId": SERIES, "weeks": 2},
        **extra,
    }


WEEKLY = [
    occurrence("2026-06-01T00:00:00Z", "2026-06-05T00:00:00Z"),
    occurrence("2026-06-08T00:00:00Z", "2026-06-12T00:00:00Z", id="5b641568b07987035750505f"),
]
WINDOW = {"start": "2026-05-01T00:00:00Z", "end": "2026-05-31T23:59:59Z"}
USER_FILTER = {
    "contains": "CONTAINS",
    "ids": [USER, OTHER_USER],
    "status": "ACTIVE",
    "statuses": ["ACTIVE", "PENDING"],
    "sourceType": "USER_GROUP",
}
GROUP_FILTER = {"contains": "DOES_NOT_CONTAIN", "ids": [GROUP], "status": "ALL"}


def as_days(body: Any) -> Any:
    """`body` as results show it: day labels (`date` keys, `2026-06-06T00:00:00Z`) as the days they name."""
    if isinstance(body, dict):
        return {k: (v[:10] if k == "date" and isinstance(v, str) else as_days(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [as_days(v) for v in body]
    return body


def single_line(result: Any) -> bool:
    return "\n" not in text(result)


# --- get_all_assignments ----------------------------------------------------------------------------------------


async def test_get_all_assignments_exact_request_and_result() -> None:
    args = {
        "workspaceId": WS,
        "start": "2026-05-01T02:00:00+02:00",
        "end": "2026-05-31T23:59:59Z",
        "name": "Bugfixing",
        "sort-column": "USER",
        "sort-order": "ASCENDING",
        "page": 1,
        "page-size": 3,
    }
    result, [request] = await call("get_all_assignments", args, reply(200, ALL_BODY, {"Last-Page": "true"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/scheduling/assignments/all")
    assert request.query == [
        ("start", "2026-05-01T00:00:00Z"),
        ("end", "2026-05-31T23:59:59Z"),
        ("name", "Bugfixing"),
        ("sort-column", "USER"),
        ("sort-order", "ASCENDING"),
        ("page", "1"),
        ("page-size", "3"),
    ]
    assert request.raw == b""
    assert result_json(result) == clean(as_days(ALL_BODY))  # without null noise
    assert single_line(result)


async def test_get_all_assignments_notes_the_next_page() -> None:
    result, _ = await call(
        "get_all_assignments",
        {"workspaceId": WS, **WINDOW, "page-size": 1},
        reply(200, ALL_TEMPLATE, {"Last-Page": "false"}),
    )
    assert result_json(result) == clean(as_days(ALL_TEMPLATE))  # without null noise
    assert text(result).endswith("(more results: call again with page=2 and the same page-size)")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"sort-column": "NAME"}, "- sort-column: Input should be 'PROJECT', 'USER' or 'ID'"),
        ({"sort-order": "UP"}, "- sort-order: Input should be 'ASCENDING' or 'DESCENDING'"),
        ({"end": "2026-04-30T00:00:00Z"}, "- end: must not be before start"),
        ({"start": "May 1st"}, "- start: expected a date-time"),
    ],
)
async def test_get_all_assignments_rules(extra: dict[str, Any], expected: str) -> None:
    await rejected("get_all_assignments", {"workspaceId": WS, **WINDOW, **extra}, expected)


async def test_get_all_assignments_needs_a_window() -> None:
    body = await rejected("get_all_assignments", {"workspaceId": WS}, "- start: required parameter is missing")
    assert "- end: required parameter is missing" in body


# --- get_filtered_project_totals ---------------------------------------------------------------------------------


async def test_get_filtered_project_totals_exact_request_and_result() -> None:
    args = {
        "workspaceId": WS,
        **WINDOW,
        "search": "DEMO",
        "statusFilter": "PUBLISHED",
        "page": 2,
        "pageSize": 200,
    }
    result, [request] = await call("get_filtered_project_totals", args, reply(200, [PROJECT_TOTALS]))
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/scheduling/assignments/projects/totals",
        [],
    )
    assert request.body == {**WINDOW, "search": "DEMO", "statusFilter": "PUBLISHED", "page": 2, "pageSize": 200}
    assert result_json(result) == clean(as_days([PROJECT_TOTALS]))  # without null noise
    assert single_line(result)


async def test_get_filtered_project_totals_full_page_notes_camel_case_page_size() -> None:
    result, [request] = await call(
        "get_filtered_project_totals", {"workspaceId": WS, **WINDOW, "pageSize": 1}, reply(200, [PROJECT_TOTALS])
    )
    assert request.body == {**WINDOW, "pageSize": 1}
    assert text(result).endswith("(more results: call again with page=2 and the same pageSize)")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"pageSize": 201}, "- pageSize: Input should be less than or equal to 200"),
        ({"pageSize": 0}, "- pageSize: Input should be greater than or equal to 1"),
        ({"page-size": 10}, "- page-size: unknown parameter"),
        ({"statusFilter": "DRAFT"}, "- statusFilter: Input should be 'PUBLISHED', 'UNPUBLISHED' or 'ALL'"),
        ({"projectId": PROJECT}, "- projectId: unknown parameter"),
        ({"start": "2026-06-01T00:00:00Z"}, "- end: must not be before start"),
    ],
)
async def test_get_filtered_project_totals_rules(extra: dict[str, Any], expected: str) -> None:
    await rejected("get_filtered_project_totals", {"workspaceId": WS, **WINDOW, **extra}, expected)


# --- get_project_totals_for_single_project ---------------------------------------------------------------------


async def test_get_project_totals_for_single_project_exact_request_and_result() -> None:
    result, [request] = await call(
        "get_project_totals_for_single_project",
        {"workspaceId": WS, "projectId": PROJECT, **WINDOW},
        reply(200, PROJECT_TOTALS),
    )
    assert (request.method, request.path) == (
        "GET",
        f"/workspaces/{WS}/scheduling/assignments/projects/totals/{PROJECT}",
    )
    assert request.query == [("start", WINDOW["start"]), ("end", WINDOW["end"])]
    assert request.raw == b""
    assert result_json(result) == clean(as_days(PROJECT_TOTALS))  # without null noise
    assert single_line(result)


async def test_get_project_totals_for_single_project_empty_answer() -> None:
    result, _ = await call(
        "get_project_totals_for_single_project", {"workspaceId": WS, "projectId": PROJECT, **WINDOW}, reply(200)
    )
    assert not result.is_error
    assert result.content[0].text == '{"status":200,"message":"No scheduled capacity for this project in that range"}'
    assert "Clockify returned no body" in text(result)


# --- publish_assignments ----------------------------------------------------------------------------------------


async def test_publish_assignments_exact_request_and_empty_answer() -> None:
    args = {
        "workspaceId": WS,
        **WINDOW,
        "notifyUsers": True,
        "search": "DEMO",
        "viewType": "TEAM",
        "userFilter": USER_FILTER,
        "userGroupFilter": GROUP_FILTER,
    }
    result, [request] = await call("publish_assignments", args, reply(200))
    assert (request.method, request.path, request.query) == (
        "PUT",
        f"/workspaces/{WS}/scheduling/assignments/publish",
        [],
    )
    assert request.body == {k: v for k, v in args.items() if k != "workspaceId"}
    assert not result.is_error
    assert result.content[0].text == '{"status":200,"message":"Assignments published"}'
    assert "Clockify returned no body" in text(result)


async def test_publish_assignments_recorded_minimal_body() -> None:
    """The live-verified call: {start, end, notifyUsers:false}; bare dates go out as date-times covering both
    days whole (as the recorded live probes wrote windows: 00:00:00Z to 23:59:59Z)."""
    _, [request] = await call(
        "publish_assignments", {"workspaceId": WS, "start": "2026-05-21", "end": "2026-05-28", "notifyUsers": False}
    )
    assert request.body == {"start": "2026-05-21T00:00:00Z", "end": "2026-05-28T23:59:59Z", "notifyUsers": False}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"viewType": "CALENDAR"}, "- viewType: Input should be 'PROJECTS', 'TEAM' or 'ALL'"),
        ({"userFilter": {"contains": "MAYBE"}}, "- userFilter.contains: Input should be"),
        ({"userFilter": {"status": "GONE"}}, "- userFilter.status: Input should be"),
        ({"userFilter": {"statuses": ["ACTIVE", "GONE"]}}, "- userFilter.statuses[1]: Input should be"),
        ({"userFilter": {"sourceType": "USER"}}, "- userFilter.sourceType: Input should be 'USER_GROUP'"),
        ({"userFilter": {"ids": ["../x"]}}, "- userFilter.ids[0]: expected a Clockify id"),
        ({"userGroupFilter": {"status": "GONE"}}, "- userGroupFilter.status: Input should be"),
        ({"userGroupFilter": {"sourceType": "USER_GROUP"}}, "- userGroupFilter.sourceType: unknown parameter"),
        ({"end": "2026-04-01T00:00:00Z"}, "- end: must not be before start"),
    ],
)
async def test_publish_assignments_rules(extra: dict[str, Any], expected: str) -> None:
    await rejected("publish_assignments", {"workspaceId": WS, **WINDOW, **extra}, expected)


# --- create_recurring -------------------------------------------------------------------------------------------

CREATE = {
    "workspaceId": WS,
    "userId": USER,
    "projectId": PROJECT,
    "start": "2026-06-01T00:00:00Z",
    "end": "2026-06-05T00:00:00Z",
    "hoursPerDay": 7.5,
    "taskId": TASK,
    "billable": True,
    "includeNonWorkingDays": False,
    "note": "This is a sample note for an assignment.",
    "startTime": "10:00:00",
    "recurringAssignment": {"weeks": 2, "repeat": True},
}


async def test_create_recurring_exact_request_and_array_answer() -> None:
    result, sent = await call("create_recurring", CREATE, reply(201, WEEKLY))
    request = written(sent)
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/scheduling/assignments/recurring",
        [],
    )
    assert request.body == {k: v for k, v in CREATE.items() if k != "workspaceId"}
    assert not result.is_error
    assert result_json(result) == as_days(WEEKLY)  # one element per weekly occurrence, passed on whole
    _, note = text(result).split("\n")  # not a list tool: no paging note, but the days it booked
    assert note == (
        "Scheduled Mon 1 Jun, Tue 2 Jun, Wed 3 Jun, Thu 4 Jun, Fri 5 Jun, Mon 8 Jun, Tue 9 Jun, Wed 10 Jun, "
        "Thu 11 Jun, Fri 12 Jun 2026 (UTC): 7.5 h a day, 75 h in all."
    )


async def test_create_recurring_one_off_without_recurring_assignment() -> None:
    args = {k: v for k, v in CREATE.items() if k in {"workspaceId", "userId", "projectId", "start", "end"}}
    result, sent = await call("create_recurring", {**args, "hoursPerDay": 8}, reply(201, WEEKLY[:1]))
    assert written(sent).body == {
        "userId": USER,
        "projectId": PROJECT,
        "start": "2026-06-01T00:00:00Z",
        "end": "2026-06-05T00:00:00Z",
        "hoursPerDay": 8,
    }
    assert result_json(result)[0]["id"] == ASSIGNMENT


async def test_create_recurring_bare_days_go_out_as_days_for_the_assignee() -> None:
    """As recorded live (PATCH .../recurring, API-MAP 2.37): yyyy-MM-dd is accepted and read as the assignee's
    day (it came back as the day's midnight in their zone, 22:00 UTC the day before in Berlin in summer)."""
    _, sent = await call(
        "create_recurring",
        {**CREATE, "start": "2026-05-26", "end": "2026-05-30"},
        reply(201, WEEKLY),
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    request = written(sent)
    assert (request.body["start"], request.body["end"]) == ("2026-05-26", "2026-05-30")


async def test_create_recurring_local_times_are_read_in_the_assignees_zone() -> None:
    def team(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/user"):
            return httpx2.Response(200, json={"id": USER, "settings": {"timeZone": "Europe/Berlin"}})
        if request.url.path.endswith("/users"):
            ny = {"id": OTHER_USER, "settings": {"timeZone": "America/New_York"}}
            return httpx2.Response(200, json=[ny])
        return httpx2.Response(201, json=WEEKLY)

    _, sent = await call(
        "create_recurring",
        {**CREATE, "userId": OTHER_USER, "start": "2026-06-01T09:00", "end": "2026-06-05T09:00"},
        team,
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    assert (written(sent).body["start"], written(sent).body["end"]) == ("2026-06-01T13:00:00Z", "2026-06-05T13:00:00Z")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"startTime": "9:00"}, "- startTime: expected a time of day like 09:30:00"),
        ({"startTime": "25:00:00"}, "- startTime: expected a time of day"),
        ({"recurringAssignment": {"weeks": 0}}, "- recurringAssignment.weeks: Input should be greater than or equal"),
        ({"recurringAssignment": {"weeks": 100}}, "- recurringAssignment.weeks: Input should be less than or equal"),
        ({"recurringAssignment": {"repeat": True}}, "- recurringAssignment.weeks: required parameter is missing"),
        ({"hoursPerDay": 0}, "- hoursPerDay: Input should be greater than 0"),
        ({"hoursPerDay": 24.5}, "- hoursPerDay: Input should be less than or equal to 24"),
        ({"note": "x" * 101}, "- note: String should have at most 100 characters"),
        ({"end": "2026-05-31T00:00:00Z"}, "- end: must not be before start"),
        ({"seriesUpdateOption": "ALL"}, "- seriesUpdateOption: unknown parameter"),
    ],
)
async def test_create_recurring_rules(extra: dict[str, Any], expected: str) -> None:
    await rejected("create_recurring", {**CREATE, **extra}, expected)


# --- edit_recurring ---------------------------------------------------------------------------------------------


async def test_edit_recurring_exact_request_with_series_option_in_the_body() -> None:
    args = {
        "workspaceId": WS,
        "assignmentId": ASSIGNMENT,
        "start": "2026-05-25T22:00:00Z",
        "end": "2026-05-29T22:00:00Z",
        "hoursPerDay": 6,
        "taskId": TASK,
        "billable": False,
        "includeNonWorkingDays": True,
        "note": "MCP-LIVE-RECON-BATCH-B-20260520-sched-updated",
        "startTime": "08:30:00",
        "seriesUpdateOption": "THIS_AND_FOLLOWING",
    }
    result, sent = await call("edit_recurring", args, reply(200, EDITED))
    request = written(sent)
    assert (request.method, request.path, request.query) == (
        "PATCH",
        f"/workspaces/{WS}/scheduling/assignments/recurring/{ASSIGNMENT}",
        [],
    )
    assert request.body == {k: v for k, v in args.items() if k not in {"workspaceId", "assignmentId"}}
    assert request.body["seriesUpdateOption"] == "THIS_AND_FOLLOWING"
    assert result_json(result) == clean(as_days(EDITED))  # without null noise
    assert result_json(result)[0]["recurring"] == {"repeat": False, "weeks": 0}  # seriesId: null left out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"seriesUpdateOption": "EVERYTHING"}, "- seriesUpdateOption: Input should be 'THIS_ONE'"),
        ({"start": None}, "- start:"),
        ({"end": "2026-05-01"}, "- end: must not be before start"),
        ({"end": "2026-05-01T00:00:00Z"}, "- end: must not be before start"),  # one with an offset, one without
        ({"projectId": PROJECT}, "- projectId: unknown parameter"),
    ],
)
async def test_edit_recurring_rules(args: dict[str, Any], expected: str) -> None:
    base = {"workspaceId": WS, "assignmentId": ASSIGNMENT, "start": "2026-05-26", "end": "2026-05-30"}
    await rejected("edit_recurring", {**base, **args}, expected)


async def test_window_with_one_offset_is_left_to_clockify_when_a_zone_could_order_it() -> None:
    """2026-05-26 (local) may be 2026-05-25T22:00Z in Berlin: an end an hour later in UTC is not rejected."""
    args = {"workspaceId": WS, "assignmentId": ASSIGNMENT, "start": "2026-05-26", "end": "2026-05-25T23:00:00Z"}
    berlin = settings(timezone=ZoneInfo("Europe/Berlin"))
    result, sent = await call("edit_recurring", args, reply(200, EDITED), config=berlin)
    assert not result.is_error
    assert (written(sent).body["start"], written(sent).body["end"]) == ("2026-05-26", "2026-05-25T23:00:00Z")


async def test_edit_recurring_needs_start_and_end() -> None:
    body = await rejected(
        "edit_recurring", {"workspaceId": WS, "assignmentId": ASSIGNMENT, "hoursPerDay": 6}, "- start: required"
    )
    assert "- end: required parameter is missing" in body


# --- edit_recurring_period --------------------------------------------------------------------------------------


async def test_edit_recurring_period_exact_request_and_array_answer() -> None:
    result, [request] = await call(
        "edit_recurring_period",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "weeks": 1, "repeat": True},
        reply(200, WEEKLY),
    )
    assert (request.method, request.path, request.query) == (
        "PUT",
        f"/workspaces/{WS}/scheduling/assignments/series/{ASSIGNMENT}",
        [],
    )
    assert request.body == {"weeks": 1, "repeat": True}
    assert result_json(result) == as_days(WEEKLY)


@pytest.mark.parametrize(("weeks", "expected"), [(0, "greater than or equal to 1"), (100, "less than or equal to 99")])
async def test_edit_recurring_period_weeks_are_1_to_99(weeks: int, expected: str) -> None:
    await rejected(
        "edit_recurring_period",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "weeks": weeks},
        f"- weeks: Input should be {expected}",
    )


# --- delete_rrecurring_assignment ---------------------------------------------------------------------------------


async def test_delete_rrecurring_assignment_sends_series_option_as_query() -> None:
    result, [request] = await call(
        "delete_rrecurring_assignment",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "seriesUpdateOption": "ALL"},
        reply(200, WEEKLY),
    )
    assert (request.method, request.path) == (
        "DELETE",
        f"/workspaces/{WS}/scheduling/assignments/recurring/{ASSIGNMENT}",
    )
    assert request.query == [("seriesUpdateOption", "ALL")]
    assert request.raw == b""
    assert result_json(result) == as_days(WEEKLY)


async def test_delete_rrecurring_assignment_without_option_and_empty_answer() -> None:
    result, [request] = await call(
        "delete_rrecurring_assignment", {"workspaceId": WS, "assignmentId": ASSIGNMENT}, reply(200)
    )
    assert (request.query, request.raw) == ([], b"")
    assert result.content[0].text == '{"status":200,"message":"Assignment deleted"}'
    assert "Clockify returned no body" in text(result)


async def test_delete_rrecurring_assignment_rejects_unknown_series_option() -> None:
    await rejected(
        "delete_rrecurring_assignment",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "seriesUpdateOption": "THIS"},
        "- seriesUpdateOption: Input should be 'THIS_ONE', 'THIS_AND_FOLLOWING' or 'ALL'",
    )


# --- copy_assignment --------------------------------------------------------------------------------------------


async def test_copy_assignment_exact_request_and_array_answer() -> None:
    copies = [occurrence("2026-06-01T00:00:00Z", "2026-06-05T00:00:00Z", id=SERIES, userId=OTHER_USER)]
    result, [request] = await call(
        "copy_assignment",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "userId": OTHER_USER, "seriesUpdateOption": "THIS_ONE"},
        reply(200, copies),
    )
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/scheduling/assignments/{ASSIGNMENT}/copy",
        [],
    )
    assert request.body == {"userId": OTHER_USER, "seriesUpdateOption": "THIS_ONE"}
    assert result_json(result) == as_days(copies)


async def test_copy_assignment_needs_user_and_valid_option() -> None:
    await rejected("copy_assignment", {"workspaceId": WS, "assignmentId": ASSIGNMENT}, "- userId: required")
    await rejected(
        "copy_assignment",
        {"workspaceId": WS, "assignmentId": ASSIGNMENT, "userId": USER, "seriesUpdateOption": "NONE"},
        "- seriesUpdateOption: Input should be",
    )


# --- get_user_totals --------------------------------------------------------------------------------------------


async def test_get_user_totals_exact_request_and_result() -> None:
    args = {
        "workspaceId": WS,
        **WINDOW,
        "search": "Firstname",
        "statusFilter": "UNPUBLISHED",
        "userFilter": USER_FILTER,
        "userGroupFilter": GROUP_FILTER,
        "page": 1,
        "pageSize": 5,
    }
    answer = [USER_TOTALS, USER_TOTALS_TEMPLATE]
    result, [request] = await call("get_user_totals", args, reply(200, answer))
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/scheduling/assignments/user-filter/totals",
        [],
    )
    assert request.body == {k: v for k, v in args.items() if k != "workspaceId"}
    assert result_json(result) == as_days(answer)
    assert single_line(result)  # 2 of 5: the last page


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"pageSize": 500}, "- pageSize: Input should be less than or equal to 200"),
        ({"statusFilter": "published"}, "- statusFilter: Input should be"),
        ({"userFilter": {"contains": "CONTAINS_ALL"}}, "- userFilter.contains: Input should be"),
        ({"userGroupFilter": "Ops"}, "- userGroupFilter: expected an object"),
    ],
)
async def test_get_user_totals_rules(extra: dict[str, Any], expected: str) -> None:
    await rejected("get_user_totals", {"workspaceId": WS, **WINDOW, **extra}, expected)


# --- get_user_totals_for_single_user ----------------------------------------------------------------------------


async def test_get_user_totals_for_single_user_exact_request_and_result() -> None:
    result, [request] = await call(
        "get_user_totals_for_single_user",
        {"workspaceId": WS, "userId": USER, **WINDOW, "page": 1, "page-size": 1},
        reply(200, USER_TOTALS),
    )
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/scheduling/assignments/users/{USER}/totals")
    assert request.query == [("start", WINDOW["start"]), ("end", WINDOW["end"]), ("page", "1"), ("page-size", "1")]
    assert result_json(result) == as_days(USER_TOTALS)
    assert result_json(result)["capacityPerDay"] == 28800
    assert single_line(result)  # one object: its daily list is not a page


async def test_get_user_totals_for_single_user_empty_answer() -> None:
    result, _ = await call("get_user_totals_for_single_user", {"workspaceId": WS, "userId": USER, **WINDOW}, reply(200))
    assert not result.is_error
    assert result.content[0].text == '{"status":200,"message":"No scheduled capacity for this user in that range"}'
    assert "Clockify returned no body" in text(result)


# --- the whole toolset ------------------------------------------------------------------------------------------


def test_array_answers_are_explained_in_descriptions() -> None:
    ops = {op.short_name: op for op in OPERATIONS if op.toolset == "scheduling"}
    for short in ("create_recurring", "edit_recurring", "edit_recurring_period", "copy_assignment"):
        assert "array of assignments" in ops[short].description
    assert "delete_rrecurring_assignment" in ops  # Clockify's own operationId typo, kept
    assert "array of assignments" in ops["delete_rrecurring_assignment"].description
    assert "first element's id is the assignment id" in ops["create_recurring"].description
    assert "notifyUsers" in ops["publish_assignments"].description


def test_enumerations_are_listed_in_the_schema() -> None:
    schemas = {op.short_name: tool_definition(op).input_schema for op in OPERATIONS if op.toolset == "scheduling"}
    props = schemas["get_all_assignments"]["properties"]
    assert props["sort-column"]["enum"] == ["PROJECT", "USER", "ID"]
    assert props["sort-order"]["enum"] == ["ASCENDING", "DESCENDING"]
    for short in ("edit_recurring", "copy_assignment", "delete_rrecurring_assignment"):
        assert schemas[short]["properties"]["seriesUpdateOption"]["enum"] == ["THIS_ONE", "THIS_AND_FOLLOWING", "ALL"]
    publish = schemas["publish_assignments"]["properties"]
    assert publish["viewType"]["enum"] == ["PROJECTS", "TEAM", "ALL"]
    assert publish["userFilter"]["properties"]["contains"]["enum"] == ["CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"]
    assert publish["userGroupFilter"]["properties"]["status"]["enum"] == [
        "PENDING",
        "ACTIVE",
        "DECLINED",
        "INACTIVE",
        "ALL",
    ]
    for short in ("get_filtered_project_totals", "get_user_totals"):
        assert schemas[short]["properties"]["statusFilter"]["enum"] == ["PUBLISHED", "UNPUBLISHED", "ALL"]
        assert schemas[short]["properties"]["pageSize"]["maximum"] == 200
    recurring = schemas["create_recurring"]["properties"]["recurringAssignment"]
    assert (recurring["properties"]["weeks"]["minimum"], recurring["properties"]["weeks"]["maximum"]) == (1, 99)
    assert json.dumps(schemas).count("$ref") == 0
