"""Exact requests and formatted results for the 6 approval tools, against a fake Clockify."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers import OTHER_USER, WS, call, rejected, reply, result_json, sample, session, settings, text

pytestmark = pytest.mark.anyio

APPROVAL = "567687e29ae1f428e7ebf564"
_, LIST_BODY = sample("20260520-210956-get.workspaces.approval-requests-happy-path.json")
# The recorded list item's approvalRequest is the ApprovalRequestDtoV1 that the write routes answer with.
REQUEST_BODY: dict[str, Any] = LIST_BODY[0]["approvalRequest"]
REJECTED_BODY = {
    **REQUEST_BODY,
    "status": {**REQUEST_BODY["status"], "state": "REJECTED", "note": "Missing Friday"},
}
SUBMIT_ARGS = {"workspaceId": WS, "period": "WEEKLY", "periodStart": "2026-11-23T00:00:00+01:00"}
SUBMIT_WIRE = {"period": "WEEKLY", "periodStart": "2026-11-22T23:00:00Z"}


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
    assert result_json(result) == LIST_BODY
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
    result, [request] = await call("create_apprroval_request", SUBMIT_ARGS, reply(201, REQUEST_BODY))
    assert (request.method, request.path, request.query) == ("POST", f"/workspaces/{WS}/approval-requests", [])
    assert request.body == SUBMIT_WIRE
    assert request.headers["content-type"] == "application/json"
    assert not result.is_error
    assert result_json(result) == REQUEST_BODY


@pytest.mark.parametrize(
    ("given", "wire"),
    [
        ("2026-11-23", "2026-11-22T23:00:00Z"),  # midnight in the configured zone (Berlin)
        ("2026-11-23T00:00", "2026-11-22T23:00:00Z"),
        ("2020-01-01T00:00:00.000Z", "2020-01-01T00:00:00Z"),  # the spec's example: milliseconds dropped
        ("2026-11-23T00:00:00-05:00", "2026-11-23T05:00:00Z"),
    ],
)
async def test_period_start_goes_out_as_utc_without_fractions(given: str, wire: str) -> None:
    _, [request] = await call(
        "create_apprroval_request",
        {"workspaceId": WS, "periodStart": given},
        reply(201, REQUEST_BODY),
        config=settings(timezone=ZoneInfo("Europe/Berlin")),
    )
    assert request.body == {"periodStart": wire}


async def test_create_approval_for_other_exact_request() -> None:
    result, [request] = await call(
        "create_approval_for_other", {**SUBMIT_ARGS, "userId": OTHER_USER}, reply(201, REQUEST_BODY)
    )
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/approval-requests/users/{OTHER_USER}",
        [],
    )
    assert request.body == SUBMIT_WIRE
    assert result_json(result) == REQUEST_BODY


async def test_resubmit_approval_request_exact_request() -> None:
    result, [request] = await call("resubmit_approval_request", SUBMIT_ARGS, reply(200, REQUEST_BODY))
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/approval-requests/resubmit-entries-for-approval",
        [],
    )
    assert request.body == SUBMIT_WIRE
    assert result_json(result) == REQUEST_BODY


async def test_resubmit_approval_request_for_other_exact_request() -> None:
    result, [request] = await call(
        "resubmit_approval_request_for_other",
        {"workspaceId": WS, "userId": OTHER_USER, "periodStart": "2026-11-01T00:00:00Z", "period": "MONTHLY"},
        reply(200, REQUEST_BODY),
    )
    assert (request.method, request.path, request.query) == (
        "POST",
        f"/workspaces/{WS}/approval-requests/users/{OTHER_USER}/resubmit-entries-for-approval",
        [],
    )
    assert request.body == {"period": "MONTHLY", "periodStart": "2026-11-01T00:00:00Z"}
    assert result_json(result) == REQUEST_BODY


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
    assert result_json(result) == REJECTED_BODY


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
    result, [request] = await call("create_apprroval_request", SUBMIT_ARGS, reply(400, body))
    assert request.method == "POST"
    assert result.is_error
    assert "HTTP 400, code 501" in text(result)
    assert "doesn't match workspace settings" in text(result)
    assert f"Request: POST /workspaces/{WS}/approval-requests" in text(result)
