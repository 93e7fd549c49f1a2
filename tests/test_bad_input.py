"""Bad input for every tool: a clear isError naming the parameter, and nothing sent to Clockify.

Arguments are derived from each tool's own schema, so a new tool is covered the moment it is registered.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from helpers import WS, assert_rejected, session, text
from mcp_server_clockify.registry import Loc
from mcp_server_clockify.schema import input_schema
from mcp_server_clockify.server import tool_definition
from mcp_server_clockify.tools import OPERATIONS

pytestmark = pytest.mark.anyio

OPS = {op.name: op for op in OPERATIONS}
VALID_OVERRIDES: dict[str, dict[str, Any]] = {}
_HOLIDAY = {"workspaceId": WS, "name": "Labour Day", "datePeriod": {"startDate": "2026-05-01", "endDate": "2026-05-01"}}
VALID_OVERRIDES["create_holiday"] = {**_HOLIDAY, "users": {"ids": [WS]}}
VALID_OVERRIDES["update_holiday"] = {**_HOLIDAY, "holidayId": WS, "occursAnnually": True, "users": {"ids": [WS]}}
VALID_OVERRIDES["get_time_summary"] = {"workspaceId": WS, "range": "today", "users": [WS]}
VALID_OVERRIDES["get_weekly_report"] = {"workspaceId": WS, "start": "2026-11-23", "end": "2026-11-29"}
"""Baselines that a schema alone cannot produce (cross-field rules), keyed by tool short name."""

# A time-off period is {start date, days} or {start date-time, end date-time}; the schema makes only start required.
_DAYS_PERIOD = {"period": {"start": "2026-11-28", "days": 1}}
VALID_OVERRIDES["create_time_off_request"] = {"workspaceId": WS, "policyId": WS, "timeOffPeriod": _DAYS_PERIOD}
VALID_OVERRIDES["create_time_off_request_for_other"] = {
    "workspaceId": WS,
    "policyId": WS,
    "userId": WS,
    "timeOffPeriod": _DAYS_PERIOD,
}


def valid_value(schema: dict[str, Any]) -> Any:
    if "anyOf" in schema:
        return valid_value(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        if schema.get("pattern") == "^[0-9a-fA-F]{24}$":
            return WS
        if schema.get("format") == "date-time":
            return "2026-11-28T09:00:00Z"
        if schema.get("format") == "date":
            return "2026-11-28"
        if "pattern" in schema and "\\d\\d:" in schema["pattern"]:
            return "09:00:00"
        if "pattern" in schema and schema["pattern"].startswith("^#"):
            return "#FF0000"
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "boolean":
        return True
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "array":
        return [valid_value(schema.get("items", {"type": "string"}))]
    if kind == "object":
        return {k: valid_value(v) for k, v in schema.get("properties", {}).items() if k in schema.get("required", [])}
    return "x"


def baseline(name: str) -> dict[str, Any]:
    """Valid arguments: the required ones, and the ids that would otherwise default to the key owner's (so
    no case depends on a profile lookup)."""
    op = OPS[name]
    if op.short_name in VALID_OVERRIDES:
        return dict(VALID_OVERRIDES[op.short_name])
    schema = input_schema(op.model, advertised=False)
    wanted = {*schema.get("required", []), *op.owner_fields}
    return {k: valid_value(v) for k, v in schema["properties"].items() if k in wanted}


WRONG = {
    "string": 12345,
    "boolean": "maybe",
    "integer": "many",
    "number": "lots",
    "array": "not-a-list",
    "object": "not-an-object",
}


def cases() -> list[tuple[str, str, dict[str, Any], str]]:
    """(tool, case, arguments, parameter that must be named)."""
    out: list[tuple[str, str, dict[str, Any], str]] = []
    for name, op in OPS.items():
        schema = tool_definition(op).input_schema
        props = schema["properties"]
        base = baseline(name)
        out.append((name, "unknown key", {**base, "bogusParam": 1}, "bogusParam"))
        for param in schema.get("required", []):
            args = dict(base)
            del args[param]
            out.append((name, f"missing {param}", args, param))
        for param, prop in props.items():
            kind = prop.get("type") or "string"
            out.append((name, f"wrong type {param}", {**base, param: WRONG[kind]}, param))
            if prop.get("format") in {"date-time", "date"}:
                out.append((name, f"malformed date {param}", {**base, param: "28/11/2026 9am"}, param))
        path_params = op.fields_at(Loc.PATH)
        for param in path_params:
            for evil in ("../../user", f"{WS}/../x", "a/b", f"{WS}?x=1", "%2e%2e"):
                out.append((name, f"hostile id {param}={evil}", {**base, param: evil}, param))
    return out


CASES = cases()


@pytest.mark.parametrize("name", sorted(OPS))
async def test_baseline_arguments_are_accepted(name: str) -> None:
    """The derived baseline is valid, so each bad-input case differs from a good call by one thing."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and request.url.path.endswith("/holidays"):  # update_holiday reads the list
            return httpx2.Response(200, json=[{"id": WS, "name": "Day", "datePeriod": {"startDate": "2026-12-25"}}])
        return httpx2.Response(200, json={})

    async with session(respond) as (client, fake):
        result = await client.call_tool(name, baseline(name))
    assert not result.is_error, text(result)
    assert len(fake.sent) >= 1


@pytest.mark.parametrize("name", sorted(OPS))
async def test_bad_input_is_rejected_before_sending(name: str) -> None:
    mine = [c for c in CASES if c[0] == name]
    assert mine
    async with session() as (client, fake):
        for _, case, args, param in mine:
            body = assert_rejected(await client.call_tool(name, args), fake.sent)
            assert f"- {param}" in body or f"{param}:" in body, f"{case}: parameter not named in {body!r}"


async def test_none_for_a_required_parameter_is_rejected() -> None:
    async with session() as (client, fake):
        result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": None})
    assert result.is_error and "id:" in text(result) and not fake.sent


async def test_unknown_tool_is_an_error_result() -> None:
    async with session() as (client, fake):
        result = await client.call_tool("clockify_time_tracking_nope", {})
    assert result.is_error and "Unknown tool" in text(result) and not fake.sent


async def test_arguments_missing_entirely() -> None:
    async with session() as (client, fake):
        result = await client.call_tool("clockify_time_tracking_get_entry", None)
    assert result.is_error and "id: required parameter is missing" in text(result)
    assert "workspaceId" not in text(result)  # omitted, it is the key owner's active workspace
    assert not fake.sent
