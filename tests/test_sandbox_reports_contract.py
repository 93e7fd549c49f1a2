"""Contract for the sandbox's Reports API: every request the tools send and every answer the simulator gives is
checked against tests/data/reports-api.schema.json (written from Clockify's public Reports API documentation,
since the official OpenAPI document covers only the main API; see tests/data/README.md), and the reports agree
with the time entries the main API serves."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from jsonschema import Draft4Validator

from helpers import DATA
from mcp_server_clockify.config import SANDBOX_REPORTS_URL
from mcp_server_clockify.sandbox import (
    DEVELOPER_ID,
    OWNER_ID,
    PROJECT_MOBILE_ID,
    SANDBOX_API_KEY,
    TAG_BUGFIX_ID,
    WORKSPACE_ID,
    create_app,
    transport,
)
from sandbox_contract import TODAY

pytestmark = pytest.mark.anyio

SCHEMA = json.loads((DATA / "reports-api.schema.json").read_text())
WEEK = {
    "dateRangeStart": "2026-11-15T23:00:00.000Z",
    "dateRangeEnd": "2026-11-22T22:59:59.999Z",
    "timeZone": "Europe/Berlin",
}


def problems(name: str, instance: Any) -> list[str]:
    schema = {"$ref": f"#/definitions/{name}", "definitions": SCHEMA["definitions"]}
    return [e.message for e in Draft4Validator(schema).iter_errors(instance)]


async def post(kind: str, body: dict[str, Any], status: int = 200) -> Any:
    assert not problems("request", body), problems("request", body)
    app = create_app(today=TODAY)
    async with httpx2.AsyncClient(transport=transport(app), base_url=SANDBOX_REPORTS_URL) as http:
        answer = await http.post(
            f"/workspaces/{WORKSPACE_ID}/reports/{kind}", json=body, headers={"X-Api-Key": SANDBOX_API_KEY}
        )
    assert answer.status_code == status, answer.text
    shape = kind if status == 200 else "error"
    assert not problems(shape, answer.json()), problems(shape, answer.json())
    return answer.json()


async def test_summary_report_shape_and_totals() -> None:
    body = {**WEEK, "summaryFilter": {"groups": ["USER", "PROJECT", "TIMEENTRY"]}, "exportType": "JSON"}
    answer = await post("summary", body)
    total = answer["totals"][0]["totalTime"]
    assert total == sum(g["duration"] for g in answer["groupOne"]) > 0
    for user in answer["groupOne"]:
        assert user["duration"] == sum(p["duration"] for p in user["children"])


async def test_summary_filters_by_users_projects_tags_billable_description() -> None:
    filters = {
        "users": {"ids": [DEVELOPER_ID], "contains": "CONTAINS", "status": "ALL"},
        "projects": {"ids": [PROJECT_MOBILE_ID], "contains": "CONTAINS", "status": "ALL"},
        "tags": {"ids": [TAG_BUGFIX_ID], "contains": "CONTAINS", "status": "ALL"},
        "billable": True,
        "description": "crash",
    }
    answer = await post("summary", {**WEEK, **filters, "summaryFilter": {"groups": ["TAG"]}})
    assert [g["name"] for g in answer["groupOne"]] == ["bugfix"]
    assert answer["totals"][0]["entriesCount"] >= 1


async def test_detailed_report_pages_and_names() -> None:
    body = {**WEEK, "users": {"ids": [OWNER_ID]}, "detailedFilter": {"page": 1, "pageSize": 4, "sortColumn": "DATE"}}
    first = await post("detailed", body)
    count = first["totals"][0]["entriesCount"]
    assert len(first["timeentries"]) == 4 < count
    last_page = -(-count // 4)
    last = await post("detailed", {**body, "detailedFilter": {"page": last_page, "pageSize": 4}})
    assert len(last["timeentries"]) == count - 4 * (last_page - 1)
    entry = first["timeentries"][0]
    assert entry["userName"] and entry["timeInterval"]["duration"] >= 0


async def test_weekly_report_days_and_the_seven_day_rule() -> None:
    answer = await post("weekly", {**WEEK, "weeklyFilter": {"group": "USER", "subgroup": "TIME"}})
    assert [d["date"] for d in answer["totalsByDay"]] == [f"2026-11-{d}" for d in range(16, 23)]
    assert sum(d["duration"] for d in answer["totalsByDay"]) == answer["totals"][0]["totalTime"]
    long = {**WEEK, "dateRangeEnd": "2026-11-25T22:59:59.999Z", "weeklyFilter": {"group": "PROJECT"}}
    refused = await post("weekly", long, status=400)
    assert "7 days" in refused["message"]


async def test_a_report_without_its_filter_object_is_a_400() -> None:
    await post("summary", WEEK, status=400)
