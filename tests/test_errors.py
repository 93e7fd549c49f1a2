"""Clockify errors and odd answers come back as isError results with Clockify's message, code and a hint."""

from __future__ import annotations

import httpx2
import pytest

from helpers import API_KEY, ENTRY, USER, WS, call, reply, sample, settings, text

pytestmark = pytest.mark.anyio

GET_ENTRY = ("get_entry", {"workspaceId": WS, "id": ENTRY})


@pytest.mark.parametrize(
    ("status", "body", "must_contain"),
    [
        (
            401,
            {"message": "Api key does not exist", "code": 4003},
            ["HTTP 401, code 4003", "Api key does not exist", "CLOCKIFY_REGION"],
        ),
        (401, {"message": "Multiple or none auth tokens present", "code": 1000}, ["code 1000", "CLOCKIFY_API_KEY"]),
        (
            403,
            {"message": "You don't have permission to perform this action.", "code": 403},
            ["HTTP 403", "permission", "not enabled"],
        ),
        (
            400,
            {"message": "Time entry doesn't belong to Workspace", "code": 501},
            [
                "HTTP 400, code 501",
                "doesn't belong to Workspace",
                "Time entry not found in this workspace (deleted, or from another workspace)",
                "call clockify_time_tracking_get_entries for the valid ids",
            ],
        ),
        (
            404,
            {"message": "No static resource v1/workspaces/x/nope.", "code": 3000},
            ["HTTP 404, code 3000", "No static resource"],
        ),
        (405, {"message": "Request method 'GET' is not supported", "code": 3000}, ["HTTP 405"]),
        (429, {"message": "Too many requests", "code": 429}, ["HTTP 429", "rate-limiting"]),
        (500, {"message": "Internal server error", "code": 500}, ["HTTP 500", "try again later"]),
    ],
)
async def test_clockify_errors_are_tool_errors_with_hints(status: int, body: dict, must_contain: list[str]) -> None:
    result, sent = await call(*GET_ENTRY, reply(status, body))
    assert result.is_error
    for fragment in must_contain:
        assert fragment in text(result)
    assert f"Request: GET /workspaces/{WS}/time-entries/{ENTRY}" in text(result)
    assert len(sent) == (3 if status in (429, 500) else 1)  # a read is retried on 429 and 5xx


async def test_recorded_type_conversion_error() -> None:
    status, body = sample("20260520-204725-get.user-wrong-type.json")
    result, _ = await call(*GET_ENTRY, reply(status, body))
    assert result.is_error
    assert body["message"] in text(result)
    assert "HTTP 400)" in text(result)  # the recording carries no code
    assert "could not read a parameter" in text(result)


async def test_html_error_page() -> None:
    result, _ = await call(*GET_ENTRY, reply(502, text="<html><body><h1>502 Bad Gateway</h1></body></html>"))
    assert result.is_error
    assert "HTTP 502" in text(result) and "HTML page" in text(result)


async def test_empty_error_body() -> None:
    result, _ = await call(*GET_ENTRY, reply(503))
    assert result.is_error and "HTTP 503" in text(result) and "empty body" in text(result)


async def test_non_json_success_body_is_an_error() -> None:
    """Issue 11: a 2xx whose body is not the JSON asked for is not Clockify's answer; it is an error naming what to
    check (it was reported as success before)."""
    result, _ = await call(*GET_ENTRY, reply(200, text="OK"))
    assert result.is_error
    assert "non-JSON body instead of JSON" in text(result) and "CLOCKIFY_API_URL" in text(result)


async def test_connection_failure_is_reported_not_raised() -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    result, _ = await call(*GET_ENTRY, refuse)
    assert result.is_error and "could not connect" in text(result)


async def test_timeout_is_reported() -> None:
    def slow(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    result, _ = await call("stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "now"}, slow)
    assert result.is_error and "did not answer in time" in text(result)


async def test_error_that_echoes_the_key_is_redacted() -> None:
    body = {"message": f"bad header value {API_KEY}", "code": 3000}
    result, _ = await call(*GET_ENTRY, reply(400, body))
    assert API_KEY not in text(result) and "***" in text(result)


async def test_unexpected_internal_error_is_a_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import mcp_server_clockify.execute as execute

    def boom(*args, **kwargs):
        raise RuntimeError("surprise")

    monkeypatch.setattr(execute.results, "success", boom)
    result, _ = await call(*GET_ENTRY, reply(200, {"id": ENTRY}), config=settings())
    assert result.is_error and "unexpected internal error" in text(result)
