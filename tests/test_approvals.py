"""Exact requests and formatted results for the 6 approval tools, against a fake Clockify."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from helpers import OTHER_USER, WS, call, rejected, reply, result_json, sample, session, settings, text, written
from mcp_server_clockify.present import clean

pytestmark = pytest.mark.anyio

APPROVAL = "567687e29ae1f428e7ebf564"
_, LIST_BODY = sample("20260520-210956-get.workspaces.approval-requests-happy-path.json")
# The recorded list item's approvalRequest is the ApprovalRequestDtoV1 that the write routes answer with.
REQUEST_BODY: dict[str, Any] = LIST_BODY[0]["approvalRequest"]
REJECTED_BODY = {
    **REQUEST_BODY,
    "status": {**REQUEST_BODY["status"], "state": "REJECTED", "note": "Missing Friday"},
}
SUBMIT_ARGS = {"workspaceId": WS, "period": "WEEKLY", "periodStart": "2026-11-25T00:00:00+01:00"}
SUBMIT_WIRE = {"period": "WEEKLY", "periodStart": "2026-11-23T12:00:00Z"}
"""Any day of the period (a Wednesday) goes out as the period's first day (the owner's week starts Monday)."""
SHOWN_RANGE = {"start": "2026-05-18T00:00:00+02:00", "end": "2026-05-24T23:59:59+02:00"}
"""The recorded request's week as its owner (Europe/Belgrade) lives it: Monday 00:00 to Sunday 23:59:59."""
OWNER = {"id": "60a1b2c3d4e5f60718293a4b", "settings": {"timeZone": "Europe/Berlin", "weekStart": "MONDAY"}}
COLLEAGUE = {"id": OTHER_USER, "name": "Jordan", "settings": {"timeZone": "America/New_York", "weekStart": "SUNDAY"}}


def submit(status: int, body: Any) -> Any:
    """Clockify for a submit: the profile, the team, the newest approval request (a week: WEEKLY), the write."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/api/v1")
        if request.method == "GET" and path == "/user":
            return httpx2.Response(200, json=OWNER)
        if request.method == "GET" and path.endswith("/users"):
            return httpx2.Response(200, json=[OWNER, COLLEAGUE])
        if request.method == "GET":
            return httpx2.Response(200, json=LIST_BODY)
        return httpx2.Response(status, json=body)

    return respond


async def test_get_approval_requests_exact_request() -> None:
    args = {
        "workspaceId": WS,
        "status": "PENDING",
        "sort-column": "START",
        "sort-order": "DESCENDING",
        "page": 1,
        "page-size": 1,
    }
    result, [request] = await call("get_approval_requests", args, reply(200, LIST_BODY, {"Last-Page": "false"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/approval-requests")
    assert request.query == [
        ("status", "PENDING"),
        ("sort-column", "START"),
        ("sort-order", "DESCENDING"),
        ("page", "1"),
        ("page-size", "1"),
    ]
    assert request.body is None and request.raw == b""
    shown = result_json(result)
    assert shown[0]["approvalRequest"]["dateRange"] == SHOWN_RANGE
    assert shown[0]["approvalRequest"]["status"]["updatedAt"] == "2026-05-20T15:41:17+02:00"
    assert {k: v for k, v in shown[0].items() if k != "approvalRequest"} == {
        k: v for k, v in clean(LIST_BODY)[0].items() if k != "approvalRequest"
    }
    assert text(result).splitlines()[1] == "(more results: call again with page=2 and the same page-size)"


async def test_get_approval_requests_last_page_has_no_note() -> None:
    result, [request] = await call("get_approval_requests", {"workspaceId": WS}, reply(200, LIST_BODY))
    assert request.query == []
    assert text(result).splitlines() == [text(result).splitlines()[0]]  # 1 item < default page size 50
    result, _ = await call(
        "get_approval_requests", {"workspaceId": WS, "page-size": 1}, reply(200, LIST_BODY, {"Last-Page": "true"})
    )
    assert "more results" not in text(result)


async def test_create_apprroval_request_exact_request() -> None:
    result, sent = await call("create_apprroval_request", SUBMIT_ARGS, submit(201, REQUEST_BODY))
    assert [(s.method, s.path) for s in sent[:-1]] == [
        ("GET", "/user"),
        ("GET", f"/workspaces/{WS}/approval-requests"),
    ]
    assert sent[1].query == [("sort-column", "START"), ("sort-order", "DESCENDING"), ("page-size", "1")]
    request = written(sent)
    assert (request.method, request.path, request.query) == ("POST", f"/workspaces/{WS}/approval-requests", [])
    assert request.body == SUBMIT_WIRE
    assert request.headers["content-type"] == "application/json"
    assert not result.is_error
    assert result_json(result)["dateRange"] == SHOWN_RANGE
    assert "Period: Mon 23 Nov to Sun 29 Nov 2026, UTC" in text(result)  # the configured zone (UTC here)


@pytest.mark.parametrize(
    ("given", "wire"),
    [
        ("2026-11-23", "2026-11-23T12:00:00Z"),  # a Monday: its own week
        ("2026-11-29", "2026-11-23T12:00:00Z"),  # the Sunday of that week
        ("2026-11-29T23:30", "2026-11-23T12:00:00Z"),  # a local time late on Sunday
        ("2026-11-29T23:30:00Z", "2026-11-30T12:00:00Z"),  # an instant: Monday 00:30 in Berlin
        ("2020-01-01T00:00:00.000Z", "2019-12-30T12:00:00Z"),  # the spec's example (a Wednesday)
        ("2026-11-23T00:00:00-05:00", "2026-11-23T12:00:00Z"),
    ],
)
async def test_any_day_goes_out_as_the_first_day_of_its_week(given: str, wire: str) -> None:
    _, sent = await call(
        "create_apprroval_request",
        {"workspaceId": WS, "periodStart": given},
        submit(201, REQUEST_BODY),
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    assert written(sent).body == {"periodStart": wire, "period": "WEEKLY"}


async def test_create_approval_for_other_uses_their_week_start_and_zone() -> None:
    result, sent = await call(
        "create_approval_for_other", {**SUBMIT_ARGS, "userId": OTHER_USER}, submit(201, REQUEST_BODY)
    )
    assert ("GET", f"/workspaces/{WS}/users") in [(s.method, s.path) for s in sent]
    request = written(sent)
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/approval-requests/users/{OTHER_USER}",
        [],
    )
    # 25 Nov 00:00 Berlin is still Tuesday 24 Nov in New York; Jordan's weeks start on Sunday
    assert request.body == {"period": "WEEKLY", "periodStart": "2026-11-22T12:00:00Z"}
    assert "Sun 22 Nov to Sat 28 Nov 2026, America/New_York" in text(result)


async def test_resubmit_approval_request_exact_request() -> None:
    result, sent = await call("resubmit_approval_request", SUBMIT_ARGS, submit(200, REQUEST_BODY))
    request = written(sent)
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/approval-requests/resubmit-entries-for-approval",
        [],
    )
    assert request.body == SUBMIT_WIRE
    assert result_json(result)["dateRange"] == SHOWN_RANGE


async def test_a_period_other_than_the_workspace_setting_is_refused() -> None:
    result, sent = await call(
        "resubmit_approval_request_for_other",
        {"workspaceId": WS, "userId": OTHER_USER, "periodStart": "2026-11-01T00:00:00Z", "period": "MONTHLY"},
        submit(200, REQUEST_BODY),
    )
    assert result.is_error and "WEEKLY" in text(result) and "- period:" in text(result)
    assert all(s.method == "GET" for s in sent)


async def test_without_an_approval_request_to_read_the_given_period_is_used() -> None:
    def none_yet(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/approval-requests") and request.method == "GET":
            return httpx2.Response(200, json=[])
        return submit(200, REQUEST_BODY)(request)

    _, sent = await call(
        "resubmit_approval_request_for_other",
        {"workspaceId": WS, "userId": OTHER_USER, "periodStart": "2026-11-20", "period": "SEMI_MONTHLY"},
        none_yet,
    )
    request = written(sent)
    assert request.path == f"/workspaces/{WS}/approval-requests/users/{OTHER_USER}/resubmit-entries-for-approval"
    assert request.body == {"period": "SEMI_MONTHLY", "periodStart": "2026-11-16T12:00:00Z"}


async def test_update_approval_status_exact_request() -> None:
    result, [request] = await call(
        "update_approval_status",
        {"workspaceId": WS, "approvalRequestId": APPROVAL, "state": "REJECTED", "note": "Missing Friday"},
        reply(200, REJECTED_BODY),
    )
    assert (request.method, request.path, request.query) == (
        "PATCH",
        f"/workspaces/{WS}/approval-requests/{APPROVAL}",
        [],
    )
    assert request.body == {"note": "Missing Friday", "state": "REJECTED"}
    assert result_json(result)["status"]["state"] == "REJECTED"
    assert result_json(result) == {
        **REJECTED_BODY,
        "dateRange": SHOWN_RANGE,
        "status": {**REJECTED_BODY["status"], "updatedAt": "2026-05-20T15:41:17+02:00"},
    }


async def test_update_approval_status_without_note_sends_only_state() -> None:
    _, [request] = await call(
        "update_approval_status",
        {"workspaceId": WS, "approvalRequestId": APPROVAL, "state": "APPROVED"},
        reply(200, REQUEST_BODY),
    )
    assert request.body == {"state": "APPROVED"}


@pytest.mark.parametrize(
    ("tool", "args", "param"),
    [
        ("get_approval_requests", {"workspaceId": WS, "status": "REJECTED"}, "status"),
        ("get_approval_requests", {"workspaceId": WS, "status": "pending"}, "status"),
        ("get_approval_requests", {"workspaceId": WS, "sort-column": "NAME"}, "sort-column"),
        ("get_approval_requests", {"workspaceId": WS, "sort-order": "ASC"}, "sort-order"),
        ("get_approval_requests", {"workspaceId": WS, "page-size": 0}, "page-size"),
        ("get_approval_requests", {"workspaceId": WS, "types": ["TIMESHEET"]}, "types"),
        ("create_apprroval_request", {**SUBMIT_ARGS, "period": "DAILY"}, "period"),
        ("create_apprroval_request", {"workspaceId": WS, "period": "WEEKLY"}, "periodStart"),
        ("create_approval_for_other", {**SUBMIT_ARGS, "userId": OTHER_USER, "period": "BIWEEKLY"}, "period"),
        ("resubmit_approval_request", {**SUBMIT_ARGS, "periodStart": "last monday"}, "periodStart"),
        ("resubmit_approval_request_for_other", {**SUBMIT_ARGS, "userId": OTHER_USER, "period": "YEARLY"}, "period"),
        ("update_approval_status", {"workspaceId": WS, "approvalRequestId": APPROVAL, "state": "DONE"}, "state"),
        ("update_approval_status", {"workspaceId": WS, "approvalRequestId": APPROVAL, "status": "APPROVED"}, "state"),
    ],
)
async def test_bad_enum_or_value_is_rejected_before_sending(tool: str, args: dict[str, Any], param: str) -> None:
    await rejected(tool, args, f"- {param}:")


async def test_enumerations_are_listed_in_the_schema() -> None:
    async with session() as (client, _):
        tools = {t.name.removeprefix("clockify_time_tracking_"): t for t in (await client.list_tools()).tools}
    listed = tools["get_approval_requests"].input_schema["properties"]
    assert listed["status"]["enum"] == ["PENDING", "APPROVED", "WITHDRAWN_APPROVAL"]
    assert listed["sort-column"]["enum"] == ["ID", "USER_ID", "START", "UPDATED_AT"]
    assert listed["sort-order"]["enum"] == ["ASCENDING", "DESCENDING"]
    assert tools["create_apprroval_request"].input_schema["properties"]["period"]["enum"] == [
        "WEEKLY",
        "SEMI_MONTHLY",
        "MONTHLY",
    ]
    assert tools["update_approval_status"].input_schema["properties"]["state"]["enum"] == [
        "PENDING",
        "APPROVED",
        "WITHDRAWN_SUBMISSION",
        "WITHDRAWN_APPROVAL",
        "REJECTED",
    ]


async def test_clockify_error_is_reported_with_the_request_line() -> None:
    body = {"message": "Approval period doesn't match workspace settings", "code": 501}
    result, sent = await call("create_apprroval_request", SUBMIT_ARGS, submit(400, body))
    assert written(sent).method == "POST"
    assert result.is_error
    assert "HTTP 400, code 501" in text(result)
    assert "doesn't match workspace settings" in text(result)
    assert f"Request: POST /workspaces/{WS}/approval-requests" in text(result)
