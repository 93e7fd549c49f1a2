"""Contract: every route the tools call, driven through the simulator with requests that match the official
OpenAPI document, answering with bodies that match it too (see sandbox_contract.py for how the spec is read
and for the documented live deviations).

Each area's test must reach every operation of its area with a success status; together the areas cover
the 42 seed tools' operations and the 5 discovery operations.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import seed
from mcp_server_clockify.sandbox import (
    APPROVAL_PENDING_ID,
    CONTRACTOR_ID,
    DESIGNER_ID,
    DEVELOPER_ID,
    HOLIDAY_RETREAT_ID,
    OWNER_ID,
    POLICY_DOCTOR_ID,
    POLICY_VACATION_ID,
    PROJECT_INTERNAL_ID,
    PROJECT_LEGACY_ID,
    PROJECT_MOBILE_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    TAG_BUGFIX_ID,
    TAG_MEETING_ID,
    TASK_INTERNAL_MEETINGS_ID,
    TASK_MOBILE_API_ID,
    TASK_WEBSITE_FRONTEND_ID,
    TIME_OFF_PENDING_ID,
    WORKSPACE_ID,
)
from mcp_server_clockify.sandbox.api import ROUTES
from sandbox_contract import DEVIATIONS, contract_spec, sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"

DISCOVERY = {
    "getLoggedUser",
    "getWorkspacesOfUser",
    "getProjects",
    "getUsersOfWorkspace",
    "findPoliciesForWorkspace",
    "getTags",
    "getClients",
    "getTasks",
}
TIME_ENTRIES = {
    "createTimeEntry",
    "createForOthers",
    "getTimeEntries",
    "getTimeEntry",
    "updateTimeEntry",
    "deleteTimeEntry",
    "deleteMany",
    "replaceMany",
    "duplicateTimeEntry",
    "stopRunningTimeEntry",
    "getInProgressTimeEntries",
    "updateInvoicedStatus",
}
APPROVALS = {
    "getApprovalRequests",
    "createApprrovalRequest",
    "createApprovalForOther",
    "resubmitApprovalRequest",
    "resubmitApprovalRequestForOther",
    "updateApprovalStatus",
}
TIME_OFF = {
    "createTimeOffRequest",
    "createTimeOffRequestForOther",
    "changeTimeOffRequestStatus",
    "deleteTimeOffRequest",
    "getTimeOffRequest",
    "getBalancesForPolicy",
    "getBalancesForUser",
    "updateBalance",
}
HOLIDAYS = {"getHolidays", "getHolidaysInPeriod", "createHoliday", "updateHoliday", "deleteHoliday"}
SCHEDULING = {
    "getAllAssignments",
    "getFilteredProjectTotals",
    "getProjectTotalsForSingleProject",
    "publishAssignments",
    "createRecurring",
    "editRecurring",
    "editRecurringPeriod",
    "deleteRRecurringAssignment",
    "copyAssignment",
    "getUserTotals",
    "getUserTotalsForSingleUser",
}
AREAS = (DISCOVERY, TIME_ENTRIES, APPROVALS, TIME_OFF, HOLIDAYS, SCHEDULING)

# docs/clockify-api-notes.md §tool-names: seed tool names are the snake_case operationIds, except these.
_RENAMED = {
    "delete_entry": "deleteTimeEntry",
    "get_entries": "getTimeEntries",
    "get_entry": "getTimeEntry",
    "delete_off_request": "deleteTimeOffRequest",
    "get_off_request": "getTimeOffRequest",
    "create_apprroval_request": "createApprrovalRequest",
    "delete_rrecurring_assignment": "deleteRRecurringAssignment",
}


def _operation_id(tool: str) -> str:
    short = tool.removeprefix("clockify_time_tracking_")
    first, *rest = short.split("_")
    return _RENAMED.get(short, first + "".join(word.title() for word in rest))


def test_the_areas_cover_the_seed_tools_and_discovery() -> None:
    seeded = {_operation_id(name) for name in seed()}
    assert len(seeded) == 42
    assert set().union(*AREAS) == seeded | DISCOVERY
    assert sum(len(area) for area in AREAS) == len(set().union(*AREAS)), "an operation in two areas"
    assert set().union(*AREAS) <= set(contract_spec().operations)


def test_the_extracted_spec_has_an_operation_for_every_sandbox_route() -> None:
    """tests/data holds only the operations the sandbox serves: a new route needs scripts/extract-reference-data."""
    declared = {
        (info["method"], re.sub(r"\{[^/]+\}", "{}", info["path"])) for info in contract_spec().operations.values()
    }
    routes = {(route.method, re.sub(r"\{[^/]+\}", "{}", route.template)) for route in ROUTES}
    assert routes == declared


@pytest.mark.parametrize("deviation", DEVIATIONS, ids=lambda d: d.ref)
def test_each_documented_deviation_is_needed(deviation) -> None:
    """The official spec alone would judge the live shape differently: the entry is not a blanket skip."""
    assert set(deviation.operations) <= set().union(*AREAS)
    kind, name, instance = deviation.witness

    def accepts(spec) -> bool:
        if kind == "schema":
            return not spec.problems(spec.component(name), instance, response=True)
        if kind == "param":
            op_id, param = name.split(".")
            return not spec.request_problems(op_id, [(param, instance)], None, False)
        if kind == "request":
            return not spec.request_problems(name, [], instance, True)
        assert kind == "empty"
        return not spec.response_problems(name, 200, "")

    assert accepts(contract_spec(deviations=False)) != accepts(contract_spec())


async def test_discovery_contract() -> None:
    async with sandbox_api() as api:
        await api.call("GET", "/user", params={"include-memberships": "true"}, status=200)
        await api.call("GET", "/workspaces", params={"roles": "OWNER"}, status=200)
        await api.call("GET", W + "/projects", params={"hydrated": "true", "page": 1, "page-size": 2}, status=200)
        await api.call("GET", W + "/projects", params={"archived": "true", "name": "legacy"}, status=200)
        users = {"include-roles": "false", "memberships": "WORKSPACE", "status": "ACTIVE", "page-size": 3}
        await api.call("GET", W + "/users", params=users, status=200)
        await api.call("GET", W + "/time-off/policies", params={"status": "ALL", "page": "1"}, status=200)
        tags = {"name": "bug", "archived": "false", "sort-column": "NAME", "sort-order": "ASCENDING", "page-size": 5}
        await api.call("GET", W + "/tags", params=tags, status=200)
        await api.call("GET", W + "/clients", params={"name": "acme", "archived": "false", "page": 1}, status=200)
        tasks = {"name": "design", "is-active": "true", "page": 1, "page-size": 10}
        await api.call("GET", f"{W}/projects/{PROJECT_WEBSITE_ID}/tasks", params=tasks, status=200)
    assert api.covered == DISCOVERY


async def test_time_entries_contract() -> None:
    async with sandbox_api() as api:
        await api.call("GET", W + "/time-entries/status/in-progress", params={"page": 1, "page-size": 5}, status=200)
        window = {"start": "2026-11-16T00:00:00Z", "end": "2026-11-22T23:59:59Z", "page-size": 5, "hydrated": "true"}
        await api.call("GET", f"{W}/user/{OWNER_ID}/time-entries", params=window, status=200)
        filters = {"project": PROJECT_MOBILE_ID, "tags": [TAG_BUGFIX_ID], "project-required": "true", "page": 1}
        await api.call("GET", f"{W}/user/{DEVELOPER_ID}/time-entries", params=filters, status=200)
        await api.call("GET", f"{W}/user/{OWNER_ID}/time-entries", params={"in-progress": "true"}, status=200)
        await api.call("GET", f"{W}/time-entries/{RUNNING_ENTRY_ID}", params={"hydrated": "true"}, status=200)
        body = {
            "start": "2026-11-24T13:00:00Z",
            "end": "2026-11-24T15:30:00Z",
            "billable": True,
            "description": "Customer call about the checkout flow",
            "projectId": PROJECT_WEBSITE_ID,
            "taskId": TASK_WEBSITE_FRONTEND_ID,
            "tagIds": [TAG_MEETING_ID],
            "type": "REGULAR",
            "customAttributes": [{"name": "ticket", "namespace": "crm", "value": "T-7"}],
        }
        mine = (await api.call("POST", W + "/time-entries", json=body, status=201)).json()
        theirs = await api.call(
            "POST",
            f"{W}/user/{DEVELOPER_ID}/time-entries",
            params={"from-entry": mine["id"]},
            json={"description": "Same call, Priya's notes"},
            status=201,
        )
        update = {"start": "2026-11-24T13:00:00Z", "end": "2026-11-24T16:00:00Z", "description": "Longer call"}
        await api.call("PUT", f"{W}/time-entries/{mine['id']}", json=update, status=200)
        bulk = [{"id": theirs.json()["id"], "start": "2026-11-24T13:00:00Z", "end": "2026-11-24T14:00:00Z"}]
        await api.call(
            "PUT", f"{W}/user/{DEVELOPER_ID}/time-entries", params={"hydrated": "true"}, json=bulk, status=200
        )
        copy = (await api.call("POST", f"{W}/user/{OWNER_ID}/time-entries/{mine['id']}/duplicate", status=201)).json()
        await api.call("PATCH", f"{W}/user/{OWNER_ID}/time-entries", json={"end": "2026-11-25T10:00:00Z"}, status=200)
        invoiced = {"invoiced": True, "timeEntryIds": [mine["id"], copy["id"]]}
        await api.call("PATCH", W + "/time-entries/invoiced", json=invoiced, status=200)
        doomed = [("time-entry-ids", copy["id"]), ("time-entry-ids", RUNNING_ENTRY_ID)]
        await api.call("DELETE", f"{W}/user/{OWNER_ID}/time-entries", params=doomed, status=200)
        await api.call("DELETE", f"{W}/time-entries/{mine['id']}", status=204)
    assert api.covered == TIME_ENTRIES


async def test_approvals_contract() -> None:
    async with sandbox_api() as api:
        listing = {"status": "PENDING", "sort-column": "START", "sort-order": "DESCENDING", "page": 1, "page-size": 5}
        await api.call("GET", W + "/approval-requests", params=listing, status=200)
        await api.call("GET", W + "/approval-requests", status=200)
        week = {"periodStart": "2026-11-16T00:00:00Z", "period": "WEEKLY"}
        mine = (await api.call("POST", W + "/approval-requests", json=week, status=201)).json()
        await api.call("POST", f"{W}/approval-requests/users/{DESIGNER_ID}", json=week, status=201)
        withdraw = {"state": "WITHDRAWN_SUBMISSION", "note": "Forgot Friday"}
        await api.call("PATCH", f"{W}/approval-requests/{mine['id']}", json=withdraw, status=200)
        await api.call("POST", W + "/approval-requests/resubmit-entries-for-approval", json=week, status=200)
        again = {"periodStart": "2026-11-09T00:00:00.000Z", "period": "WEEKLY"}
        path = f"{W}/approval-requests/users/{DESIGNER_ID}/resubmit-entries-for-approval"
        await api.call("POST", path, json=again, status=200)
        approve = {"state": "APPROVED", "note": "Thanks"}
        await api.call("PATCH", f"{W}/approval-requests/{APPROVAL_PENDING_ID}", json=approve, status=200)
    assert api.covered == APPROVALS


async def test_time_off_contract() -> None:
    async with sandbox_api() as api:
        days = {"note": "Winter break", "timeOffPeriod": {"period": {"start": "2026-12-14", "days": 2}}}
        vacation = (await api.call("POST", f"{W}/time-off/policies/{POLICY_VACATION_ID}/requests", json=days)).json()
        hours = {"timeOffPeriod": {"period": {"start": "2026-12-03T09:00:00Z", "end": "2026-12-03T10:30:00Z"}}}
        path = f"{W}/time-off/policies/{POLICY_DOCTOR_ID}/users/{DEVELOPER_ID}/requests"
        await api.call("POST", path, json=hours, status=200)
        half = {"timeOffPeriod": {"period": {"start": "2026-12-18", "days": 1}, "isHalfDay": True}}
        path = f"{W}/time-off/policies/{POLICY_VACATION_ID}/users/{CONTRACTOR_ID}/requests"
        await api.call("POST", path, json=half, status=200)
        approve = {"status": "APPROVED", "note": "Have fun"}
        path = f"{W}/time-off/policies/{POLICY_VACATION_ID}/requests/{vacation['id']}"
        await api.call("PATCH", path, json=approve, status=200)
        path = f"{W}/time-off/policies/{POLICY_VACATION_ID}/requests/{TIME_OFF_PENDING_ID}"
        await api.call("DELETE", path, status=200)
        search = {"statuses": ["PENDING", "APPROVED"], "page": 1, "pageSize": 10, "users": [DEVELOPER_ID, OWNER_ID]}
        await api.call("POST", W + "/time-off/requests", json=search, status=200)
        await api.call("POST", W + "/time-off/requests", json={}, status=200)
        sort = {"page": 1, "page-size": 2, "sort": "USED", "sort-order": "DESCENDING"}
        await api.call("GET", f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}", params=sort, status=200)
        await api.call("GET", f"{W}/time-off/balance/user/{DEVELOPER_ID}", params={"page": 1, "page-size": 10})
        update = {"userIds": [DESIGNER_ID, CONTRACTOR_ID], "value": 20, "note": "New contract year"}
        await api.call("PATCH", f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}", json=update, status=204)
    assert api.covered == TIME_OFF


async def test_holidays_contract() -> None:
    async with sandbox_api() as api:
        await api.call("GET", W + "/holidays", status=200)
        await api.call("GET", W + "/holidays", params={"assigned-to": DESIGNER_ID}, status=200)
        period = {"assigned-to": OWNER_ID, "start": "2026-01-01T00:00:00Z", "end": "2026-12-31T23:59:59Z"}
        await api.call("GET", W + "/holidays/in-period", params=period, status=200)
        body = {
            "name": "Founders' Day",
            "datePeriod": {"startDate": "2026-12-11", "endDate": "2026-12-11"},
            "occursAnnually": True,
            "everyoneIncludingNew": False,
            "color": "#3F51B5",
            "users": {"contains": "CONTAINS", "ids": [OWNER_ID, DEVELOPER_ID], "status": "ALL"},
            "automaticTimeEntryCreation": {
                "enabled": True,
                "defaultEntities": {"projectId": PROJECT_INTERNAL_ID, "taskId": TASK_INTERNAL_MEETINGS_ID},
            },
        }
        made = (await api.call("POST", W + "/holidays", json=body, status=200)).json()
        update = {
            "name": "Founders' Day (observed)",
            "datePeriod": {"startDate": "2026-12-11", "endDate": "2026-12-12"},
            "occursAnnually": False,
            "users": {"contains": "CONTAINS_ONLY", "ids": [OWNER_ID], "status": "ACTIVE", "statuses": ["ACTIVE"]},
        }
        await api.call("PUT", f"{W}/holidays/{made['id']}", json=update, status=200)
        await api.call("DELETE", f"{W}/holidays/{made['id']}", status=200)
        await api.call("DELETE", f"{W}/holidays/{HOLIDAY_RETREAT_ID}", status=200)
    assert api.covered == HOLIDAYS


async def test_scheduling_contract() -> None:
    async with sandbox_api() as api:
        month = {"start": "2026-11-01T00:00:00Z", "end": "2026-12-31T23:59:59Z"}
        listing = {**month, "page": 1, "page-size": 10, "sort-column": "PROJECT", "sort-order": "ASCENDING"}
        await api.call("GET", W + "/scheduling/assignments/all", params=listing, status=200)
        body = {
            "userId": CONTRACTOR_ID,
            "projectId": PROJECT_MOBILE_ID,
            "taskId": TASK_MOBILE_API_ID,
            "start": "2026-11-30T00:00:00Z",
            "end": "2026-12-02T00:00:00Z",
            "hoursPerDay": 3.5,
            "billable": True,
            "includeNonWorkingDays": False,
            "note": "API pairing",
            "startTime": "09:00:00",
            "recurringAssignment": {"weeks": 2, "repeat": True},
        }
        series = (await api.call("POST", W + "/scheduling/assignments/recurring", json=body, status=201)).json()
        assert len(series) == 2
        one_off = {k: v for k, v in body.items() if k != "recurringAssignment"}
        single = (await api.call("POST", W + "/scheduling/assignments/recurring", json=one_off, status=201)).json()
        edit = {"start": "2026-11-30", "end": "2026-12-03", "hoursPerDay": 4, "seriesUpdateOption": "ALL"}
        await api.call("PATCH", f"{W}/scheduling/assignments/recurring/{series[0]['id']}", json=edit, status=200)
        path = f"{W}/scheduling/assignments/series/{series[0]['id']}"
        rebuilt = (await api.call("PUT", path, json={"weeks": 3, "repeat": True}, status=200)).json()
        assert len(rebuilt) == 3
        copy = {"userId": DESIGNER_ID, "seriesUpdateOption": "THIS_ONE"}
        await api.call("POST", f"{W}/scheduling/assignments/{single[0]['id']}/copy", json=copy, status=200)
        publish = {**month, "notifyUsers": False, "viewType": "ALL", "userFilter": {"contains": "CONTAINS", "ids": []}}
        await api.call("PUT", W + "/scheduling/assignments/publish", json=publish, status=200)
        totals = {**month, "page": 1, "pageSize": 10, "statusFilter": "ALL", "search": ""}
        await api.call("POST", W + "/scheduling/assignments/projects/totals", json=totals, status=200)
        path = W + "/scheduling/assignments/projects/totals/"
        await api.call("GET", path + PROJECT_WEBSITE_ID, params=month, status=200)
        empty = await api.call("GET", path + PROJECT_LEGACY_ID, params=month, status=200)
        assert empty.content == b""
        users = {**month, "page": 1, "pageSize": 10, "statusFilter": "PUBLISHED", "userFilter": {"ids": [OWNER_ID]}}
        await api.call("POST", W + "/scheduling/assignments/user-filter/totals", json=users, status=200)
        path = W + "/scheduling/assignments/users/{}/totals"
        await api.call("GET", path.format(DEVELOPER_ID), params={**month, "page": 1, "page-size": 5}, status=200)
        nothing = await api.call("GET", path.format(CONTRACTOR_ID), params=month, status=200)
        assert nothing.content == b""
        path = f"{W}/scheduling/assignments/recurring/{rebuilt[1]['id']}"
        await api.call("DELETE", path, params={"seriesUpdateOption": "THIS_AND_FOLLOWING"}, status=200)
    assert api.covered == SCHEDULING


async def test_error_answers_have_the_documented_shape() -> None:
    """Error bodies are {message, code}; the only empty one is the unknown from-entry 404."""
    async with sandbox_api() as api:
        response = await api.call(
            "POST",
            f"{W}/user/{OWNER_ID}/time-entries",
            params={"from-entry": "5a07000000000000000fffff"},
            json={},
            status=404,
        )
        assert response.content == b""
        unknown = await api.call("GET", f"{W}/time-entries/5a07000000000000000fffff", status=400)
        assert json.loads(unknown.text) == {"message": "Time entry doesn't belong to Workspace", "code": 501}
