"""Exact requests, formatted results and the cross-field rules of the 5 holiday tools, against a fake Clockify."""

from __future__ import annotations

from typing import Any

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
    text,
)
from mcp_server_clockify.present import clean
from mcp_server_clockify.tools import OPERATIONS

pytestmark = pytest.mark.anyio

HOLIDAY = "60f927920658241e3cf35e02"
GROUP = "5b715612b079875110791342"
GROUP2 = "5b715612b079875110791324"

_, LIST_BODY = sample("20260520-210956-get.workspaces.holidays-happy-path.json")
_, IN_PERIOD_BODY = sample("20260520-221429-get.workspaces.holidays.in-period-happy-path.json")
_, PUT_BODY = sample("20260521-040000-put.workspaces.holidays-happy-path.json")
_, TEMPLATE_LIST = sample("findings-holidays.list-200.json")

# HolidayDtoV1 (create/update answer) and HolidayDto (delete answer), shaped as the official spec's examples.
CREATED = {
    "id": HOLIDAY,
    "workspaceId": WS,
    "name": "Labour Day",
    "userIds": [USER, OTHER_USER],
    "userGroupIds": [GROUP],
    "datePeriod": {"startDate": "2026-05-01", "endDate": "2026-05-01"},
    "occursAnnually": True,
    "everyoneIncludingNew": False,
    "automaticTimeEntryCreation": True,
    "projectId": PROJECT,
    "taskId": TASK,
}
DELETED = {
    "id": HOLIDAY,
    "workspaceId": WS,
    "name": "Labour Day",
    "color": "#8BC34A",
    "datePeriod": {"startDate": "2026-05-01", "endDate": "2026-05-01"},
    "occursAnnually": True,
    "everyoneIncludingNew": False,
    "automaticTimeEntryCreation": {"enabled": True, "defaultEntities": {"projectId": PROJECT, "taskId": TASK}},
    "users": [{"id": USER, "name": "Ada"}],
    "userGroups": [{"id": GROUP, "name": "Ops"}],
    "userIds": [USER],
    "userGroupIds": [GROUP],
}

FULL_CREATE = {
    "workspaceId": WS,
    "name": "Labour Day",
    "datePeriod": {"startDate": "2026-05-01", "endDate": "2026-05-01"},
    "occursAnnually": True,
    "everyoneIncludingNew": False,
    "users": {"contains": "CONTAINS", "ids": [USER, OTHER_USER], "status": "ACTIVE"},
    "userGroups": {"contains": "CONTAINS", "ids": [GROUP], "status": "ALL"},
    "color": "#8BC34A",
    "automaticTimeEntryCreation": {"enabled": True, "defaultEntities": {"projectId": PROJECT, "taskId": TASK}},
}
MINIMAL = {
    "workspaceId": WS,
    "name": "Labour Day",
    "datePeriod": {"startDate": "2026-05-01", "endDate": "2026-05-01"},
}
UPDATE_BASE = {**MINIMAL, "holidayId": HOLIDAY, "occursAnnually": False, "everyoneIncludingNew": True}


def body_of(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k not in {"workspaceId", "holidayId"}}


# --- get_holidays -------------------------------------------------------------------------------------------


async def test_get_holidays_exact_request_and_result() -> None:
    result, [request] = await call("get_holidays", {"workspaceId": WS, "assigned-to": USER}, reply(200, LIST_BODY))
    assert (request.method, request.path, request.query) == (
        "GET",
        f"/workspaces/{WS}/holidays",
        [("assigned-to", USER)],
    )
    assert request.raw == b""
    assert not result.is_error
    assert result_json(result) == clean(LIST_BODY)  # without null noise
    assert "\n" not in text(result)  # not paged: no paging note


async def test_get_holidays_without_filter_sends_no_query() -> None:
    result, [request] = await call("get_holidays", {"workspaceId": WS}, reply(200, TEMPLATE_LIST))
    assert (request.path, request.query) == (f"/workspaces/{WS}/holidays", [])
    assert result_json(result)[0]["datePeriod"] == {"startDate": "2026-12-25", "endDate": "2026-12-25"}


# --- get_holidays_in_period ------------------------------------------------------------------------------------


async def test_get_holidays_in_period_exact_request_and_result() -> None:
    args = {
        "workspaceId": WS,
        "assigned-to": USER,
        "start": "2026-01-01T01:00:00+01:00",
        "end": "2026-12-31T23:59:59Z",
    }
    result, [request] = await call("get_holidays_in_period", args, reply(200, IN_PERIOD_BODY))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/holidays/in-period")
    assert request.query == [
        ("assigned-to", USER),
        ("start", "2026-01-01T00:00:00Z"),
        ("end", "2026-12-31T23:59:59Z"),
    ]
    assert request.raw == b""
    assert result_json(result) == IN_PERIOD_BODY


async def test_get_holidays_in_period_sends_full_date_times_for_bare_dates() -> None:
    """Clockify rejects plain dates here; bare dates go out as date-times covering both days whole, the way the
    recorded live probe asked (2026-01-01T00:00:00Z to 2026-12-31T23:59:59Z)."""
    _, [request] = await call(
        "get_holidays_in_period",
        {"workspaceId": WS, "assigned-to": USER, "start": "2026-01-01", "end": "2026-02-01"},
        reply(200, []),
    )
    assert request.query[1:] == [("start", "2026-01-01T00:00:00Z"), ("end", "2026-02-01T23:59:59Z")]


async def test_get_holidays_in_period_rejects_end_before_start() -> None:
    args = {"workspaceId": WS, "assigned-to": USER, "start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
    await rejected("get_holidays_in_period", args, "- end: must not be before start")


async def test_get_holidays_in_period_defaults_assigned_to_to_the_key_owner() -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/user"):
            return httpx2.Response(200, json={"id": USER, "activeWorkspace": WS, "settings": {"timeZone": "UTC"}})
        return httpx2.Response(200, json=[])

    args = {"start": "2026-01-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"}
    result, sent = await call("get_holidays_in_period", args, respond)
    assert not result.is_error, text(result)
    assert [s.path for s in sent] == ["/user", f"/workspaces/{WS}/holidays/in-period"]
    assert ("assigned-to", USER) in sent[1].query


# --- create_holiday --------------------------------------------------------------------------------------------


async def test_create_holiday_exact_request_and_result() -> None:
    result, [request] = await call("create_holiday", FULL_CREATE, reply(200, CREATED))
    assert (request.method, request.path, request.query) == ("POST", f"/workspaces/{WS}/holidays", [])
    assert request.body == body_of(FULL_CREATE)
    assert request.headers["content-type"] == "application/json"
    assert not result.is_error
    assert result_json(result) == CREATED


@pytest.mark.parametrize(
    "who",
    [
        {"everyoneIncludingNew": True},
        {"users": {"ids": [USER]}},
        {"userGroups": {"ids": [GROUP, GROUP2]}},
        {"users": {"ids": []}, "userGroups": {"ids": [GROUP]}},
    ],
)
async def test_create_holiday_accepts_any_kind_of_assignee(who: dict[str, Any]) -> None:
    result, [request] = await call("create_holiday", {**MINIMAL, **who}, reply(200, CREATED))
    assert not result.is_error, text(result)
    assert request.body == body_of({**MINIMAL, **who})


@pytest.mark.parametrize(
    "who",
    [
        {},
        {"everyoneIncludingNew": False},
        {"users": {"ids": []}},
        {"users": {"contains": "CONTAINS", "status": "ACTIVE"}},
        {"users": {"ids": []}, "userGroups": {"ids": []}, "everyoneIncludingNew": False},
    ],
)
async def test_create_holiday_without_assignee_is_rejected_before_sending(who: dict[str, Any]) -> None:
    body = await rejected("create_holiday", {**MINIMAL, **who}, "- users: at least one user or user group")
    assert "userGroups.ids" in body and "everyoneIncludingNew=true" in body


@pytest.mark.parametrize("color", ["red", "#8BC34", "#8BC34AA", "8BC34A", "#GGGGGG", ""])
async def test_create_holiday_color_must_be_rrggbb(color: str) -> None:
    await rejected("create_holiday", {**FULL_CREATE, "color": color}, "- color: expected a color like #8BC34A")


async def test_create_holiday_color_accepts_lower_case_hex() -> None:
    result, [request] = await call("create_holiday", {**FULL_CREATE, "color": "#8bc34a"}, reply(200, CREATED))
    assert not result.is_error and request.body["color"] == "#8bc34a"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ({"startDate": "2026-05-02", "endDate": "2026-05-01"}, "- datePeriod.endDate: must not be before"),
        ({"startDate": "01/05/2026", "endDate": "2026-05-01"}, "- datePeriod.startDate: expected a date like"),
        ({"startDate": "2026-05-01T00:00:00Z", "endDate": "2026-05-01"}, "- datePeriod.startDate: expected a date"),
        ({"startDate": "2026-05-01"}, "- datePeriod.endDate: required parameter is missing"),
        ({"startDate": "2026-05-01", "endDate": "2026-05-01", "days": 1}, "- datePeriod.days: unknown parameter"),
    ],
)
async def test_create_holiday_date_period_rules(period: dict[str, Any], expected: str) -> None:
    await rejected("create_holiday", {**FULL_CREATE, "datePeriod": period}, expected)


async def test_create_holiday_multi_day_period_is_sent_as_dates() -> None:
    args = {**FULL_CREATE, "datePeriod": {"startDate": "2026-12-24", "endDate": "2026-12-26"}}
    _, [request] = await call("create_holiday", args, reply(200, CREATED))
    assert request.body["datePeriod"] == {"startDate": "2026-12-24", "endDate": "2026-12-26"}


@pytest.mark.parametrize("name", ["L", "x" * 101])
async def test_create_holiday_name_is_2_to_100_characters(name: str) -> None:
    await rejected("create_holiday", {**FULL_CREATE, "name": name}, "- name: String should have")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("users", {"ids": [USER], "contains": "CONTAINS_ONLY"}, "- users.contains: Input should be"),
        ("users", {"ids": [USER], "status": "PENDING"}, "- users.status: Input should be"),
        ("userGroups", {"ids": [GROUP], "contains": "INCLUDES"}, "- userGroups.contains: Input should be"),
        ("users", {"ids": ["not-an-id"]}, "- users.ids[0]: expected a Clockify id"),
        ("users", {"ids": [USER], "statuses": ["ACTIVE"]}, "- users.statuses: unknown parameter"),
    ],
)
async def test_create_holiday_assignee_enums(field: str, value: Any, expected: str) -> None:
    await rejected("create_holiday", {**FULL_CREATE, field: value}, expected)


@pytest.mark.parametrize("flag", [False, True])
async def test_create_holiday_rejects_boolean_automatic_time_entry_creation(flag: bool) -> None:
    body = await rejected(
        "create_holiday",
        {**FULL_CREATE, "automaticTimeEntryCreation": flag},
        "- automaticTimeEntryCreation: expected an object {enabled, defaultEntities}",
    )
    assert "omit the field" in body


async def test_create_holiday_automatic_time_entry_creation_needs_default_entities() -> None:
    await rejected(
        "create_holiday",
        {**FULL_CREATE, "automaticTimeEntryCreation": {"enabled": False}},
        "- automaticTimeEntryCreation.defaultEntities: required parameter is missing",
    )


async def test_create_holiday_passes_on_clockify_assignee_error() -> None:
    answer = {"message": "At least one user or user group must be assigned", "code": 501}
    result, [_] = await call(
        "create_holiday",
        {**MINIMAL, "users": {"contains": "DOES_NOT_CONTAIN", "ids": [USER]}},
        reply(400, answer),
    )
    assert result.is_error
    assert "HTTP 400, code 501" in text(result) and "At least one user or user group" in text(result)


# --- update_holiday --------------------------------------------------------------------------------------------


CURRENT = {  # what get_holidays shows for HOLIDAY before the update
    "id": HOLIDAY,
    "workspaceId": WS,
    "name": "Christmas",
    "userIds": [USER, OTHER_USER],
    "userGroupIds": [GROUP],
    "datePeriod": {"startDate": "2026-12-25", "endDate": "2026-12-26"},
    "occursAnnually": True,
    "everyoneIncludingNew": False,
    "color": "#8BC34A",
    "automaticTimeEntryCreation": True,
    "projectId": PROJECT,
    "taskId": TASK,
}
OTHER = {**CURRENT, "id": "60f927920658241e3cf35e03", "name": "Other"}


def holidays_then(answer: Any, listed: list[dict[str, Any]] | None = None):
    """get_holidays lists `listed` (default: CURRENT and another); the PUT answers `answer`."""

    def respond(request):
        if request.method == "GET":
            return reply(200, listed if listed is not None else [OTHER, CURRENT])(request)
        return reply(200, answer)(request)

    return respond


async def test_update_holiday_exact_request_and_result() -> None:
    args = {
        "workspaceId": WS,
        "holidayId": HOLIDAY,
        "name": "__api_harvest___20260114_203101_holiday_001_UPD",
        "datePeriod": {"startDate": "2026-12-25", "endDate": "2026-12-25"},
        "occursAnnually": False,
        "everyoneIncludingNew": True,
        "users": {"contains": "CONTAINS_ONLY", "ids": [USER], "status": "ACTIVE", "statuses": ["ACTIVE", "PENDING"]},
        "userGroups": {"contains": "DOES_NOT_CONTAIN", "ids": [GROUP], "status": "PENDING"},
        "color": "#03A9F4",
        "automaticTimeEntryCreation": {"enabled": False, "defaultEntities": {}},
    }
    result, [read, reread, request] = await call("update_holiday", args, holidays_then(PUT_BODY))
    assert (read.method, read.path, read.query) == ("GET", f"/workspaces/{WS}/holidays", [])
    assert (reread.method, reread.path) == ("GET", f"/workspaces/{WS}/holidays")  # unchanged since: write
    assert (request.method, request.path, request.query) == ("PUT", f"/workspaces/{WS}/holidays/{HOLIDAY}", [])
    assert request.body == body_of(args)
    assert not result.is_error
    assert result_json(result) == clean(PUT_BODY)  # without null noise
    assert result_json(result)["automaticTimeEntryCreation"] is False  # Clockify answers with the boolean


async def test_update_holiday_name_only_keeps_everything_else() -> None:
    """No silent data loss: dates, assignees, annual flag, color and automatic entries survive a rename."""
    _, [_, _, request] = await call(
        "update_holiday", {"workspaceId": WS, "holidayId": HOLIDAY, "name": "Xmas"}, holidays_then(PUT_BODY)
    )
    assert request.body == {
        "name": "Xmas",
        "datePeriod": {"startDate": "2026-12-25", "endDate": "2026-12-26"},
        "occursAnnually": True,
        "everyoneIncludingNew": False,
        "color": "#8BC34A",
        "users": {"contains": "CONTAINS", "ids": [USER, OTHER_USER], "status": "ALL"},
        "userGroups": {"contains": "CONTAINS", "ids": [GROUP], "status": "ALL"},
        "automaticTimeEntryCreation": {"enabled": True, "defaultEntities": {"projectId": PROJECT, "taskId": TASK}},
    }


async def test_update_holiday_recorded_no_op_body() -> None:
    """The recorded live PUT: the holiday re-sent as read, automaticTimeEntryCreation (false) left out."""
    recorded = {**PUT_BODY, "id": HOLIDAY}
    args = {**UPDATE_BASE, "name": recorded["name"], "datePeriod": recorded["datePeriod"]}
    _, [_, _, request] = await call("update_holiday", args, holidays_then(PUT_BODY, [recorded]))
    assert request.body == {
        "name": "__api_harvest___20260114_203101_holiday_001_UPD",
        "datePeriod": {"startDate": "2026-12-25", "endDate": "2026-12-25"},
        "occursAnnually": False,
        "everyoneIncludingNew": True,
        "users": {"contains": "CONTAINS", "ids": [], "status": "ALL"},
        "userGroups": {"contains": "CONTAINS", "ids": [], "status": "ALL"},
    }


async def test_update_holiday_name_is_at_most_50_characters() -> None:
    await rejected("update_holiday", {**UPDATE_BASE, "name": "x" * 51}, "- name: String should have at most 50")
    result, [_, _, request] = await call("update_holiday", {**UPDATE_BASE, "name": "x" * 50}, holidays_then(PUT_BODY))
    assert not result.is_error and request.body["name"] == "x" * 50


async def test_update_of_a_missing_holiday_sends_no_put() -> None:
    result, sent = await call("update_holiday", {**UPDATE_BASE, "name": "New"}, holidays_then(PUT_BODY, [OTHER]))
    assert result.is_error and "not found" in text(result)
    assert [s.method for s in sent] == ["GET"]


async def test_update_holiday_rejects_boolean_automatic_time_entry_creation() -> None:
    await rejected(
        "update_holiday",
        {**UPDATE_BASE, "automaticTimeEntryCreation": False},
        "- automaticTimeEntryCreation: expected an object",
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("users", {"ids": [USER], "status": "DECLINED"}, "- users.status: Input should be"),
        ("users", {"ids": [USER], "statuses": ["SOMETIMES"]}, "- users.statuses[0]: Input should be"),
        ("userGroups", {"ids": [GROUP], "status": "SOMETIMES"}, "- userGroups.status: Input should be"),
        ("datePeriod", {"startDate": "2026-12-26", "endDate": "2026-12-25"}, "- datePeriod.endDate: must not"),
    ],
)
async def test_update_holiday_enums_and_dates(field: str, value: Any, expected: str) -> None:
    await rejected("update_holiday", {**UPDATE_BASE, field: value}, expected)


# --- delete_holiday --------------------------------------------------------------------------------------------


async def test_delete_holiday_exact_request_and_result() -> None:
    result, [request] = await call("delete_holiday", {"workspaceId": WS, "holidayId": HOLIDAY}, reply(200, DELETED))
    assert (request.method, request.path, request.query, request.raw) == (
        "DELETE",
        f"/workspaces/{WS}/holidays/{HOLIDAY}",
        [],
        b"",
    )
    assert result_json(result) == DELETED


async def test_delete_holiday_empty_answer() -> None:
    result, _ = await call("delete_holiday", {"workspaceId": WS, "holidayId": HOLIDAY}, reply(200))
    assert not result.is_error
    assert result.content[0].text == '{"status":200,"message":"Holiday deleted"}'
    assert "Clockify returned no body" in text(result)


# --- the whole toolset ------------------------------------------------------------------------------------------


def test_holiday_descriptions_state_what_the_schema_cannot() -> None:
    ops = {op.short_name: op for op in OPERATIONS if op.toolset == "holidays"}
    assert "live API wins" in ops["create_holiday"].description
    assert "everyoneIncludingNew" in ops["create_holiday"].description
    update = ops["update_holiday"].description
    assert "reads it first" in update and "50" in update and "Live API wins" in update
    assert "date-times" in ops["get_holidays_in_period"].description
