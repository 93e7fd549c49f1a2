"""Exact requests and formatted results for the 8 time-off tools, against a fake Clockify."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers import OTHER_USER, POLICY, USER, WS, call, rejected, reply, result_json, sample, session, settings, text
from mcp_server_clockify.present import clean
from mcp_server_clockify.tools import time_off

pytestmark = pytest.mark.anyio

REQUEST = "6308850156b7d75ea8fd3fbd"
GROUP = "5b715612b079875110791342"

_, SEARCH_BODY = sample("findings-time-off.requests-search-200.json")
FULL_REQUEST: dict[str, Any] = SEARCH_BODY["requests"][0]  # TimeOffRequestFullV1Dto, as create answers
_, APPROVED_STATUS = sample("findings-time-off.request-status-approved.json")
_, POLICY_BALANCES = sample("20260520-224037-get.workspaces.time-off.balance.policy-happy-path.json")
_, USER_BALANCES = sample("20260520-224214-get.workspaces.time-off.balance.user-happy-path.json")

# TimeOffRequestV1Dto (change status, delete), shaped like the official spec's example.
REQUEST_V1 = {
    "id": REQUEST,
    "workspaceId": WS,
    "policyId": POLICY,
    "userId": USER,
    "note": "Time Off Request Note",
    "createdAt": "2026-11-20T08:32:01.640708Z",
    "balanceDiff": 3.0,
    "status": APPROVED_STATUS,
    "timeOffPeriod": {
        "period": {"start": "2026-12-20T23:00:00Z", "end": "2026-12-23T22:59:00Z"},
        "halfDay": False,
        "halfDayPeriod": "NOT_DEFINED",
        "halfDayHours": None,
    },
}

DAYS_PERIOD = {"period": {"start": "2026-12-21", "days": 3}, "isHalfDay": False, "halfDayPeriod": "NOT_DEFINED"}
BASE = {"workspaceId": WS, "policyId": POLICY}


async def test_create_time_off_request_days_policy_exact_request() -> None:
    result, [request] = await call(
        "create_time_off_request",
        {**BASE, "note": "Christmas", "timeOffPeriod": DAYS_PERIOD},
        reply(200, FULL_REQUEST),
    )
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/time-off/policies/{POLICY}/requests",
        [],
    )
    assert request.body == {
        "note": "Christmas",
        "timeOffPeriod": {
            "period": {"start": "2026-12-21", "days": 3},
            "isHalfDay": False,
            "halfDayPeriod": "NOT_DEFINED",
        },
    }
    assert request.headers["content-type"] == "application/json"
    assert result_json(result) == clean(FULL_REQUEST)  # without null noise


async def test_create_time_off_request_hours_policy_goes_out_without_milliseconds() -> None:
    period = {"period": {"start": "2026-12-21T09:00:00.000+01:00", "end": "2026-12-21T13:30:00+01:00"}}
    result, [request] = await call(
        "create_time_off_request", {**BASE, "timeOffPeriod": period}, reply(200, FULL_REQUEST)
    )
    assert request.body == {
        "timeOffPeriod": {"period": {"start": "2026-12-21T08:00:00Z", "end": "2026-12-21T12:30:00Z"}}
    }
    assert not result.is_error


async def test_hours_period_without_offset_is_read_in_the_configured_zone() -> None:
    period = {"period": {"start": "2026-07-01T09:00", "end": "2026-07-01T11:00:00"}}
    _, [request] = await call(
        "create_time_off_request",
        {**BASE, "timeOffPeriod": period},
        reply(200, FULL_REQUEST),
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    assert request.body["timeOffPeriod"]["period"] == {"start": "2026-07-01T07:00:00Z", "end": "2026-07-01T09:00:00Z"}


async def test_hours_period_without_offset_fetches_the_profile_zone_once() -> None:
    def respond(request):
        if request.url.path.endswith("/user"):
            return reply(200, {"id": USER, "settings": {"timeZone": "America/New_York"}})(request)
        return reply(200, FULL_REQUEST)(request)

    period = {"period": {"start": "2026-12-21T09:00", "end": "2026-12-21T17:00"}}
    result, sent = await call(
        "create_time_off_request", {**BASE, "timeOffPeriod": period}, respond, config=settings(timezone=None)
    )
    assert [s.path for s in sent] == ["/user", f"/workspaces/{WS}/time-off/policies/{POLICY}/requests"]
    assert sent[1].body == {
        "timeOffPeriod": {"period": {"start": "2026-12-21T14:00:00Z", "end": "2026-12-21T22:00:00Z"}}
    }
    # the answer's instants in the person's zone, same moments: the recorded userTimeZone is a placeholder
    # ("<string>"), so the zone of the call's person (the profile's, New York) is used
    shown = result_json(result)
    assert shown["timeOffPeriod"]["period"] == {
        "start": "2026-04-21T18:00:00-04:00",
        "end": "2026-04-24T17:59:00-04:00",
    }
    assert shown["createdAt"] == "2026-04-22T10:45:45.679797762-04:00"
    assert {k: v for k, v in shown.items() if k not in {"timeOffPeriod", "createdAt", "status"}} == {
        k: v for k, v in clean(FULL_REQUEST).items() if k not in {"timeOffPeriod", "createdAt", "status"}
    }


async def test_days_period_date_is_sent_as_given_whatever_the_zone() -> None:
    _, [request] = await call(
        "create_time_off_request",
        {**BASE, "timeOffPeriod": {"period": {"start": "2026-12-21", "days": 1}}},
        reply(200, FULL_REQUEST),
        config=settings(timezone=ZoneInfo("Pacific/Auckland")),
    )
    assert request.body == {"timeOffPeriod": {"period": {"start": "2026-12-21", "days": 1}}}


async def test_create_time_off_request_for_other_exact_request() -> None:
    half_day = {"period": {"start": "2026-12-24", "days": 1}, "isHalfDay": True, "halfDayPeriod": "SECOND_HALF"}
    result, [request] = await call(
        "create_time_off_request_for_other",
        {**BASE, "userId": OTHER_USER, "note": "Half day", "timeOffPeriod": half_day},
        reply(200, FULL_REQUEST),
    )
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/time-off/policies/{POLICY}/users/{OTHER_USER}/requests",
        [],
    )
    assert request.body == {"note": "Half day", "timeOffPeriod": half_day}
    assert result_json(result) == clean(FULL_REQUEST)  # without null noise


SHAPE = "timeOffPeriod.period: a DAYS policy takes start (yyyy-MM-dd) and days"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ({"period": {"start": "2026-12-21", "end": "2026-12-23T17:00:00Z"}}, SHAPE),
        ({"period": {"start": "2026-12-21T09:00:00Z", "days": 2}}, SHAPE),
        ({"period": {"start": "2026-12-21", "days": 2, "end": "2026-12-23T00:00:00Z"}}, SHAPE),
        ({"period": {"start": "2026-12-21T09:00:00Z", "end": "2026-12-21T12:00:00Z", "days": 1}}, SHAPE),
        ({"period": {"start": "2026-12-21"}}, SHAPE),
        ({"period": {"start": "2026-12-21T09:00:00Z"}}, SHAPE),
        (
            {"period": {"start": "2026-12-21T12:00:00Z", "end": "2026-12-21T09:00:00Z"}},
            "timeOffPeriod.period.end: must be after start",
        ),
        ({"period": {"start": "21/12/2026", "days": 1}}, "timeOffPeriod.period.start: expected a date like"),
        ({"period": {"start": "2026-12-21", "days": 0}}, "timeOffPeriod.period.days:"),
        ({"period": {"start": "2026-12-21", "days": 1000}}, "timeOffPeriod.period.days:"),
        ({"period": {"start": "2026-12-21", "days": 1}, "timeZone": "Europe/Berlin"}, "timeOffPeriod.timeZone:"),
        ({"period": {"start": "2026-12-21", "days": 1}, "halfDayPeriod": "MORNING"}, "timeOffPeriod.halfDayPeriod:"),
        ({"period": {"end": "2026-12-21T09:00:00Z", "days": 1}}, "timeOffPeriod.period.start:"),
        ({"isHalfDay": True}, "timeOffPeriod.period:"),
    ],
)
@pytest.mark.parametrize("tool", ["create_time_off_request", "create_time_off_request_for_other"])
async def test_bad_period_is_rejected_before_sending(tool: str, period: dict[str, Any], expected: str) -> None:
    args = {**BASE, "timeOffPeriod": period}
    if tool.endswith("_for_other"):
        args["userId"] = OTHER_USER
    await rejected(tool, args, f"- {expected}")


async def test_change_time_off_request_status_exact_request() -> None:
    result, [request] = await call(
        "change_time_off_request_status",
        {**BASE, "requestId": REQUEST, "status": "APPROVED", "note": "Enjoy"},
        reply(200, REQUEST_V1),
    )
    assert (request.method, request.path, request.query) == (
        "PATCH",
        f"/workspaces/{WS}/time-off/policies/{POLICY}/requests/{REQUEST}",
        [],
    )
    assert request.body == {"note": "Enjoy", "status": "APPROVED"}
    assert result_json(result) == clean(REQUEST_V1)  # without null noise
    assert result_json(result)["status"]["statusType"] == "APPROVED"


async def test_change_time_off_request_status_without_note() -> None:
    _, [request] = await call(
        "change_time_off_request_status", {**BASE, "requestId": REQUEST, "status": "REJECTED"}, reply(200, REQUEST_V1)
    )
    assert request.body == {"status": "REJECTED"}


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ({}, "- status: required parameter is missing"),
        ({"status": "PENDING"}, "- status:"),
        ({"status": "WITHDRAWN"}, "- status:"),
        ({"status": "approved"}, "- status:"),
    ],
)
async def test_change_time_off_request_status_needs_approved_or_rejected(extra: dict[str, Any], line: str) -> None:
    await rejected("change_time_off_request_status", {**BASE, "requestId": REQUEST, **extra}, line)


async def test_delete_off_request_exact_request() -> None:
    withdrawn = {**REQUEST_V1, "status": {**APPROVED_STATUS, "statusType": "PENDING", "changedAt": None}}
    result, [request] = await call("delete_off_request", {**BASE, "requestId": REQUEST}, reply(200, withdrawn))
    assert (request.method, request.path, request.query, request.raw) == (
        "DELETE",
        f"/workspaces/{WS}/time-off/policies/{POLICY}/requests/{REQUEST}",
        [],
        b"",
    )
    assert result_json(result) == clean(withdrawn)  # without null noise


async def test_delete_approved_request_is_a_clear_error() -> None:
    body = {"message": "Approved time off requests cannot be withdrawn", "code": 501}
    result, _ = await call("delete_off_request", {**BASE, "requestId": REQUEST}, reply(400, body))
    assert result.is_error
    assert "HTTP 400, code 501" in text(result) and "cannot be withdrawn" in text(result)


async def test_get_off_request_exact_request() -> None:
    args = {
        "workspaceId": WS,
        "start": "2026-11-01T00:00:00Z",
        "end": "2026-12-01T00:00:00+01:00",
        "page": 1,
        "pageSize": 50,
        "statuses": ["PENDING", "APPROVED"],
        "users": [USER, OTHER_USER],
        "userGroups": [GROUP],
    }
    result, [request] = await call("get_off_request", args, reply(200, SEARCH_BODY))
    assert (request.method, request.path, request.query) == ("POST", f"/workspaces/{WS}/time-off/requests", [])
    assert request.body == {
        "end": "2026-11-30T23:00:00Z",
        "page": 1,
        "pageSize": 50,
        "start": "2026-11-01T00:00:00Z",
        "statuses": ["PENDING", "APPROVED"],
        "userGroups": [GROUP],
        "users": [USER, OTHER_USER],
    }
    assert type(request.body["page"]) is int and type(request.body["pageSize"]) is int
    assert "page-size" not in request.body
    assert text(result) == text(result).splitlines()[0]  # count 1: no further page
    assert result_json(result) == clean(SEARCH_BODY)  # without null noise


async def test_get_off_request_with_no_filters_sends_an_empty_object() -> None:
    result, [request] = await call("get_off_request", {"workspaceId": WS}, reply(200, {"count": 0, "requests": []}))
    assert (request.method, request.raw) == ("POST", b"{}")
    assert request.headers["content-type"] == "application/json"
    assert result_json(result) == {"count": 0, "requests": []}


async def test_get_off_request_envelope_count_gives_a_paging_note() -> None:
    body = {"count": 3, "requests": SEARCH_BODY["requests"]}
    result, _ = await call("get_off_request", {"workspaceId": WS, "pageSize": 1}, reply(200, body))
    assert text(result).splitlines()[1] == "(more results: call again with page=2 and the same pageSize)"
    result, _ = await call("get_off_request", {"workspaceId": WS, "page": 3, "pageSize": 1}, reply(200, body))
    assert "more results" not in text(result)
    result, _ = await call(
        "get_off_request", {"workspaceId": WS, "page": 4, "pageSize": 1}, reply(200, {"count": 3, "requests": []})
    )
    assert text(result).splitlines()[1] == "(page 4 is empty: there are no more results)"


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"statuses": ["WITHDRAWN"]}, "statuses[0]"),
        ({"statuses": "PENDING"}, "statuses"),
        ({"pageSize": 201}, "pageSize"),
        ({"page-size": 10}, "page-size"),
        ({"page": 1001}, "page"),
        ({"users": ["not-an-id"]}, "users[0]"),
        ({"policyId": POLICY}, "policyId"),
    ],
)
async def test_get_off_request_bad_filters_are_rejected(extra: dict[str, Any], param: str) -> None:
    await rejected("get_off_request", {"workspaceId": WS, **extra}, f"- {param}:")


async def test_get_balances_for_policy_exact_request() -> None:
    args = {**BASE, "page": 1, "page-size": 1, "sort": "BALANCE", "sort-order": "DESCENDING"}
    result, [request] = await call("get_balances_for_policy", args, reply(200, POLICY_BALANCES))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/time-off/balance/policy/{POLICY}")
    assert request.query == [("page", "1"), ("page-size", "1"), ("sort", "BALANCE"), ("sort-order", "DESCENDING")]
    assert request.raw == b""
    assert result_json(result) == POLICY_BALANCES
    # {balances: [1 item], count: 5} with page-size 1 and no Last-Page header: the count says there is more
    assert text(result).splitlines()[1] == "(more results: call again with page=2 and the same page-size)"


async def test_get_balances_for_user_sends_integer_pages() -> None:
    args = {"workspaceId": WS, "userId": USER, "page": 2, "page-size": 3, "sort": "POLICY", "sort-order": "ASCENDING"}
    result, [request] = await call("get_balances_for_user", args, reply(200, USER_BALANCES))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/time-off/balance/user/{USER}")
    assert request.query == [("page", "2"), ("page-size", "3"), ("sort", "POLICY"), ("sort-order", "ASCENDING")]
    assert result_json(result) == USER_BALANCES
    assert text(result).splitlines()[1] == "(more results: call again with page=3 and the same page-size)"


async def test_get_balances_last_page_header_wins_over_count() -> None:
    result, _ = await call(
        "get_balances_for_user",
        {"workspaceId": WS, "userId": USER, "page-size": 3},
        reply(200, USER_BALANCES, {"Last-Page": "true"}),
    )
    assert "more results" not in text(result)


@pytest.mark.parametrize(
    ("tool", "extra", "param"),
    [
        ("get_balances_for_user", {"page": "abc"}, "page"),
        ("get_balances_for_user", {"page-size": "abc"}, "page-size"),
        ("get_balances_for_user", {"page-size": 201}, "page-size"),
        ("get_balances_for_user", {"sort": "NAME"}, "sort"),
        ("get_balances_for_policy", {"sort": "user"}, "sort"),
        ("get_balances_for_policy", {"sort-order": "UP"}, "sort-order"),
        ("get_balances_for_policy", {"page": 0}, "page"),
    ],
)
async def test_balance_reads_reject_bad_paging_and_sorting(tool: str, extra: dict[str, Any], param: str) -> None:
    ids = {"workspaceId": WS, "userId": USER} if tool.endswith("_user") else BASE
    await rejected(tool, {**ids, **extra}, f"- {param}:")


async def test_update_balance_exact_request_and_empty_answer() -> None:
    result, [request] = await call(
        "update_balance",
        {**BASE, "note": "Carry-over from 2025", "userIds": [USER, OTHER_USER], "value": 2.5},
        reply(204),
    )
    assert (request.method, request.path, request.query) == (
        "PATCH",
        f"/workspaces/{WS}/time-off/balance/policy/{POLICY}",
        [],
    )
    assert request.body == {"note": "Carry-over from 2025", "userIds": [USER, OTHER_USER], "value": 2.5}
    assert not result.is_error
    assert result.content[0].text == '{"status":204,"message":"Balance updated"}'
    assert "Clockify returned no body" in text(result)


async def test_update_balance_negative_whole_value() -> None:
    _, [request] = await call("update_balance", {**BASE, "userIds": [USER], "value": -3}, reply(204))
    assert request.body == {"userIds": [USER], "value": -3}


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        ({"userIds": [USER, USER], "value": 1}, "- userIds: list each user id once"),
        ({"userIds": [], "value": 1}, "- userIds:"),
        ({"userIds": [USER], "value": 10000.5}, "- value:"),
        ({"userIds": [USER], "value": -10001}, "- value:"),
        ({"userIds": [USER]}, "- value: required parameter is missing"),
    ],
)
async def test_update_balance_bad_values_are_rejected(extra: dict[str, Any], line: str) -> None:
    await rejected("update_balance", {**BASE, **extra}, line)


async def test_enumerations_and_period_shapes_are_in_the_schema() -> None:
    async with session() as (client, _):
        tools = {t.name.removeprefix("clockify_time_tracking_"): t for t in (await client.list_tools()).tools}
    status = tools["change_time_off_request_status"].input_schema
    assert status["properties"]["status"]["enum"] == ["APPROVED", "REJECTED"]
    assert "status" in status["required"]
    search = tools["get_off_request"].input_schema["properties"]
    assert search["statuses"]["items"]["enum"] == ["PENDING", "APPROVED", "REJECTED", "ALL"]
    for name in ("get_balances_for_policy", "get_balances_for_user"):
        props = tools[name].input_schema["properties"]
        assert props["sort"]["enum"] == ["USER", "POLICY", "USED", "BALANCE", "TOTAL"]
        assert props["page"]["type"] == props["page-size"]["type"] == "integer"
    period = tools["create_time_off_request"].input_schema["properties"]["timeOffPeriod"]
    # no timeZone: docs/clockify-api-notes.md §time-off-period
    assert set(period["properties"]) == {"period", "isHalfDay", "halfDayPeriod"}
    assert period["properties"]["halfDayPeriod"]["enum"] == ["FIRST_HALF", "SECOND_HALF", "NOT_DEFINED"]
    inner = period["properties"]["period"]
    assert inner["required"] == ["start"]
    assert inner["properties"]["start"]["anyOf"] == [
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date-time"},
    ]
    assert inner["properties"]["end"]["format"] == "date-time"
    assert (inner["properties"]["days"]["minimum"], inner["properties"]["days"]["maximum"]) == (1, 999)
    assert "DAYS policy" in inner["description"] and "HOURS policy" in inner["description"]


def test_paged_tools_declare_their_default_page_size() -> None:
    sizes = {op.short_name: op.default_page_size for op in time_off.OPERATIONS if op.default_page_size}
    assert sizes == {"get_off_request": 50, "get_balances_for_policy": 50, "get_balances_for_user": 50}
