"""Sandbox behaviour beyond time entries: time off and balances, holidays, scheduling, approvals."""

from __future__ import annotations

import pytest

from mcp_server_clockify.sandbox import (
    APPROVAL_APPROVED_ID,
    APPROVAL_PENDING_ID,
    ASSIGNMENT_DRAFT_ID,
    ASSIGNMENT_SERIES_ID,
    CONTRACTOR_ID,
    DESIGNER_ID,
    DEVELOPER_ID,
    HOLIDAY_INDEPENDENCE_ID,
    HOLIDAY_RETREAT_ID,
    OWNER_ID,
    POLICY_DOCTOR_ID,
    POLICY_VACATION_ID,
    PROJECT_MOBILE_ID,
    PROJECT_WEBSITE_ID,
    SERIES_ID,
    TIME_OFF_APPROVED_ID,
    TIME_OFF_PENDING_ID,
    WORKSPACE_ID,
)
from sandbox_contract import sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"
VACATION = f"{W}/time-off/policies/{POLICY_VACATION_ID}"
BAD = {"code": 501}


async def _balance(api, user_id: str, policy_id: str) -> dict:
    body = (await api.call("GET", f"{W}/time-off/balance/user/{user_id}", status=200)).json()
    assert body["count"] == len(body["balances"]) == 2
    return next(b for b in body["balances"] if b["policyId"] == policy_id)


async def test_time_off_request_approved_changes_the_balance_and_cannot_be_withdrawn() -> None:
    async with sandbox_api() as api:
        before = await _balance(api, DESIGNER_ID, POLICY_VACATION_ID)
        assert (before["total"], before["used"], before["balance"]) == (25.0, 0.0, 25.0)
        body = {"note": "Ski trip", "timeOffPeriod": {"period": {"start": "2027-01-11", "days": 3}}}
        path = f"{VACATION}/users/{DESIGNER_ID}/requests"
        made = (await api.call("POST", path, json=body, status=200)).json()
        assert made["status"]["statusType"] == "PENDING" and made["balanceDiff"] == 3.0
        assert made["timeOffPeriod"]["period"] == {"start": "2027-01-11T05:00:00Z", "end": "2027-01-14T04:59:00Z"}
        assert (made["userTimeZone"], made["requesterUserId"], made["timeUnit"]) == (
            "America/New_York",
            OWNER_ID,
            "DAYS",
        )
        assert (await _balance(api, DESIGNER_ID, POLICY_VACATION_ID))["used"] == 0.0  # pending takes nothing yet

        request = f"{VACATION}/requests/{made['id']}"
        approved = (await api.call("PATCH", request, json={"status": "APPROVED"}, status=200)).json()
        assert approved["status"]["statusType"] == "APPROVED" and approved["status"]["changedByUserId"] == OWNER_ID
        after = await _balance(api, DESIGNER_ID, POLICY_VACATION_ID)
        assert (after["used"], after["balance"]) == (3.0, 22.0)

        refused = await api.call("DELETE", request, status=400)
        assert refused.json() == {"message": "Approved time off requests cannot be withdrawn", "code": 501}
        rejected = await api.call("PATCH", request, json={"status": "REJECTED", "note": "Team offsite"}, status=200)
        assert rejected.json()["status"]["note"] == "Team offsite"
        assert (await _balance(api, DESIGNER_ID, POLICY_VACATION_ID))["balance"] == 25.0
        final = await api.call("PATCH", request, json={"status": "APPROVED"}, status=400)
        assert final.json()["code"] == 501


async def test_time_off_period_shapes_follow_the_policy_unit() -> None:
    async with sandbox_api() as api:
        span = {"timeOffPeriod": {"period": {"start": "2026-12-14", "end": "2026-12-15"}}}
        days = await api.call("POST", VACATION + "/requests", json=span, valid=False, status=400)
        assert days.json() == {"message": "Value for number of days is not allowed", "code": 501}
        millis = {"start": "2026-12-03T09:00:00.000Z", "end": "2026-12-03T10:00:00.000Z"}
        doctor = f"{W}/time-off/policies/{POLICY_DOCTOR_ID}/requests"
        hours = await api.call("POST", doctor, json={"timeOffPeriod": {"period": millis}}, valid=False, status=400)
        assert hours.json() == {"message": "invalid date format", "code": 501}
        empty = await api.call("POST", doctor, json={}, valid=False, status=400)
        assert empty.json() == {"message": "must not be null", "code": 501}
        # Doctor visits need no approval: approved at once, taken from the balance.
        ok = {"timeOffPeriod": {"period": {"start": "2026-12-03T09:00:00Z", "end": "2026-12-03T10:30:00Z"}}}
        made = (await api.call("POST", doctor, json=ok, status=200)).json()
        assert (made["status"]["statusType"], made["balanceDiff"]) == ("APPROVED", 1.5)
        assert (await _balance(api, OWNER_ID, POLICY_DOCTOR_ID))["used"] == 1.5
        status = await api.call("PATCH", f"{doctor}/{made['id']}", json={"status": "PENDING"}, valid=False)
        assert (status.status_code, status.json()["code"]) == (400, 501)


async def test_only_pending_requests_are_withdrawn_and_search_sees_it() -> None:
    async with sandbox_api() as api:
        everything = (await api.call("POST", W + "/time-off/requests", json={})).json()
        assert everything["count"] == 3
        withdrawn = await api.call("DELETE", f"{VACATION}/requests/{TIME_OFF_PENDING_ID}", status=200)
        assert withdrawn.json()["status"]["statusType"] == "WITHDRAWN"
        search = {"statuses": ["ALL"], "pageSize": 1}
        first = (await api.call("POST", W + "/time-off/requests", json=search)).json()
        assert (first["count"], len(first["requests"])) == (2, 1)
        approved = await api.call("DELETE", f"{VACATION}/requests/{TIME_OFF_APPROVED_ID}", status=400)
        assert approved.json()["message"] == "Approved time off requests cannot be withdrawn"
        wrong = {"statuses": ["WITHDRAWN"]}
        refused = await api.call("POST", W + "/time-off/requests", json=wrong, valid=False, status=400)
        assert refused.json()["code"] == 501
        get = await api.call("GET", W + "/time-off/requests", valid=False, status=405)
        assert get.headers["Allow"] == "POST"


async def test_update_balance_and_balance_paging() -> None:
    async with sandbox_api() as api:
        body = {"userIds": [CONTRACTOR_ID], "value": 10, "note": "Part-time"}
        response = await api.call("PATCH", f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}", json=body, status=204)
        assert response.content == b""
        assert (await _balance(api, CONTRACTOR_ID, POLICY_VACATION_ID))["balance"] == 10.0
        page = await api.call("GET", f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}", params={"page-size": 3})
        assert (page.json()["count"], len(page.json()["balances"]), page.headers["Last-Page"]) == (4, 3, "false")
        last = await api.call(
            "GET", f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}", params={"page": 2, "page-size": 3}
        )
        assert (len(last.json()["balances"]), last.headers["Last-Page"]) == (1, "true")
        words = await api.call(
            "GET", f"{W}/time-off/balance/user/{OWNER_ID}", params={"page-size": "abc"}, valid=False, status=400
        )
        assert words.json() == {
            "message": "Method parameter 'page-size': Failed to convert value of type 'java.lang.String' to "
            "required type 'int'; For input string: \"abc\"",
            "code": 3000,
        }


async def test_holiday_created_listed_updated_deleted() -> None:
    async with sandbox_api() as api:
        nobody = {"name": "Snow day", "datePeriod": {"startDate": "2026-12-07", "endDate": "2026-12-07"}}
        refused = await api.call("POST", W + "/holidays", json=nobody, status=400)
        assert refused.json() == {"message": "At least one user or user group must be assigned", "code": 501}
        body = {**nobody, "users": {"contains": "CONTAINS", "ids": [DESIGNER_ID]}}
        made = (await api.call("POST", W + "/holidays", json=body, status=200)).json()
        assert (made["userIds"], made["automaticTimeEntryCreation"], made["occursAnnually"]) == (
            [DESIGNER_ID],
            False,
            False,
        )

        listed = (await api.call("GET", W + "/holidays", params={"assigned-to": DESIGNER_ID})).json()
        assert made["id"] in [h["id"] for h in listed] and HOLIDAY_INDEPENDENCE_ID in [h["id"] for h in listed]
        window = {"assigned-to": DESIGNER_ID, "start": "2026-12-01T00:00:00Z", "end": "2026-12-10T00:00:00Z"}
        in_period = (await api.call("GET", W + "/holidays/in-period", params=window)).json()
        assert [h["name"] for h in in_period] == ["Company retreat", "Snow day"]
        plain = {**window, "start": "2026-12-01"}
        dates = await api.call("GET", W + "/holidays/in-period", params=plain, valid=False, status=400)
        assert dates.json()["code"] == 3000

        missing = {"name": "Snow days", "datePeriod": {"startDate": "2026-12-07", "endDate": "2026-12-08"}}
        partial = await api.call("PUT", f"{W}/holidays/{made['id']}", json=missing, valid=False, status=400)
        assert partial.json() == {"message": "must not be null", "code": 501}
        flag = {**missing, "occursAnnually": False, "automaticTimeEntryCreation": False}
        boolean = await api.call("PUT", f"{W}/holidays/{made['id']}", json=flag, valid=False, status=400)
        assert boolean.json()["code"] == 3000
        long = {**missing, "occursAnnually": False, "name": "x" * 51}
        assert (await api.call("PUT", f"{W}/holidays/{made['id']}", json=long, status=400)).json()["code"] == 501
        update = {**missing, "occursAnnually": False, "everyoneIncludingNew": True}
        updated = (await api.call("PUT", f"{W}/holidays/{made['id']}", json=update, status=200)).json()
        assert (updated["name"], updated["datePeriod"]["endDate"], updated["userIds"]) == (
            "Snow days",
            "2026-12-08",
            [],
        )

        single = await api.call("GET", f"{W}/holidays/{made['id']}", valid=False, status=405)
        assert single.headers["Allow"] == "DELETE, PUT"
        deleted = (await api.call("DELETE", f"{W}/holidays/{made['id']}", status=200)).json()
        assert deleted["automaticTimeEntryCreation"] == {
            "enabled": False,
            "defaultEntities": {"projectId": None, "taskId": None},
        }
        assert made["id"] not in [h["id"] for h in (await api.call("GET", W + "/holidays")).json()]
        assert (await api.call("DELETE", f"{W}/holidays/{made['id']}", status=400)).json()["message"] == (
            "Holiday doesn't belong to Workspace"
        )


async def test_assignment_created_copied_published_and_totals_change() -> None:
    async with sandbox_api() as api:
        week = {"start": "2026-12-07T00:00:00Z", "end": "2026-12-13T23:59:59Z"}
        path = f"{W}/scheduling/assignments/users/{CONTRACTOR_ID}/totals"
        assert (await api.call("GET", path, params=week, status=200)).content == b""  # no capacity

        before = (await api.call("GET", f"{W}/scheduling/assignments/users/{DESIGNER_ID}/totals", params=week)).json()
        assert before["capacityPerDay"] == 21600 and before["workingDays"][0] == "MONDAY"
        assert sum(d["totalHours"] for d in before["totalHoursPerDay"]) == 0

        body = {
            "userId": DEVELOPER_ID,
            "projectId": PROJECT_MOBILE_ID,
            "start": "2026-12-07",
            "end": "2026-12-09",
            "hoursPerDay": 2,
        }
        made = (await api.call("POST", W + "/scheduling/assignments/recurring", json=body, status=201)).json()
        assert isinstance(made, list) and len(made) == 1
        assert made[0]["period"] == {"start": "2026-12-06T23:00:00Z", "end": "2026-12-08T23:00:00Z"}
        assert (made[0]["published"], made[0]["recurring"]) == (False, {"repeat": False, "seriesId": None, "weeks": 0})

        copied = await api.call(
            "POST", f"{W}/scheduling/assignments/{made[0]['id']}/copy", json={"userId": DESIGNER_ID}, status=200
        )
        assert [a["userId"] for a in copied.json()] == [DESIGNER_ID]
        empty = await api.call("POST", f"{W}/scheduling/assignments/{made[0]['id']}/copy", valid=False, status=400)
        assert empty.json() == {"message": "must not be null", "code": 501}

        after = (await api.call("GET", f"{W}/scheduling/assignments/users/{DESIGNER_ID}/totals", params=week)).json()
        assert sum(d["totalHours"] for d in after["totalHoursPerDay"]) == 6.0

        totals = {**week, "statusFilter": "UNPUBLISHED"}
        drafts = (await api.call("POST", W + "/scheduling/assignments/projects/totals", json=totals)).json()
        assert [(p["projectName"], p["totalHours"]) for p in drafts] == [("Mobile App", 12.0)]
        publish = {**week, "userFilter": {"contains": "CONTAINS", "ids": [DESIGNER_ID]}}
        response = await api.call("PUT", W + "/scheduling/assignments/publish", json=publish, status=200)
        assert response.content == b""
        drafts = (await api.call("POST", W + "/scheduling/assignments/projects/totals", json=totals)).json()
        assert [(p["projectName"], p["totalHours"]) for p in drafts] == [("Mobile App", 6.0)]
        single = f"{W}/scheduling/assignments/projects/totals/{PROJECT_MOBILE_ID}"
        assert (await api.call("GET", single, params=week)).json()["totalHours"] == 12.0

        missing = await api.call(
            "POST", W + "/scheduling/assignments/projects/totals", json={}, valid=False, status=400
        )
        assert missing.json()["code"] == 3001
        no_end = await api.call("GET", single, params={"start": week["start"]}, valid=False, status=400)
        assert no_end.json() == {
            "message": "Required request parameter 'end' for method parameter type String is not present",
            "code": 3001,
        }


async def test_recurring_series_edit_and_delete_options() -> None:
    async with sandbox_api() as api:
        listing = {"start": "2026-11-23T00:00:00Z", "end": "2026-12-31T00:00:00Z", "sort-column": "ID"}
        series = [a for a in (await api.call("GET", W + "/scheduling/assignments/all", params=listing)).json()]
        assert [a["id"] for a in series][:1] == [ASSIGNMENT_SERIES_ID] and len(series) == 6
        second = series[1]["id"]
        edit = {
            "start": "2026-12-01",
            "end": "2026-12-04",
            "hoursPerDay": 5,
            "seriesUpdateOption": "THIS_AND_FOLLOWING",
        }
        edited = (await api.call("PATCH", f"{W}/scheduling/assignments/recurring/{second}", json=edit)).json()
        assert [a["hoursPerDay"] for a in edited] == [5, 5, 5]
        assert all(a["recurring"]["seriesId"] == SERIES_ID for a in edited)
        unchanged = api.app.state.assignments[ASSIGNMENT_SERIES_ID]
        assert unchanged.hours_per_day == 6.0
        put = await api.call("PUT", f"{W}/scheduling/assignments/recurring/{second}", json={}, valid=False)
        assert (put.status_code, put.headers["Allow"]) == (405, "DELETE, PATCH")
        gone = await api.call(
            "DELETE", f"{W}/scheduling/assignments/recurring/{second}", params={"seriesUpdateOption": "ALL"}
        )
        assert len(gone.json()) == 4
        rest = (await api.call("GET", W + "/scheduling/assignments/all", params=listing)).json()
        assert [a["id"] for a in rest] == [a["id"] for a in series if a["projectId"] != PROJECT_WEBSITE_ID] + [
            ASSIGNMENT_DRAFT_ID
        ]


async def test_approvals_list_submit_and_change_state() -> None:
    async with sandbox_api() as api:
        listed = await api.call("GET", W + "/approval-requests", params={"status": "PENDING"}, status=200)
        [pending] = listed.json()
        assert pending["approvalRequest"]["id"] == APPROVAL_PENDING_ID
        assert pending["approvalRequest"]["dateRange"] == {
            "start": "2026-11-15T23:00:00Z",
            "end": "2026-11-22T22:59:59Z",
        }
        assert pending["trackedTime"] == "PT38H45M" and pending["pendingTime"] == pending["trackedTime"]
        assert len(pending["entries"]) == 10 and listed.headers["Last-Page"] == "true"

        body = {"periodStart": "2026-11-18T00:00:00Z", "period": "WEEKLY"}
        twice = await api.call("POST", f"{W}/approval-requests/users/{DEVELOPER_ID}", json=body, status=400)
        assert twice.json()["code"] == 501
        monthly = await api.call("POST", W + "/approval-requests", json={**body, "period": "MONTHLY"}, status=400)
        assert monthly.json()["code"] == 501

        approved = await api.call("PATCH", f"{W}/approval-requests/{APPROVAL_PENDING_ID}", json={"state": "APPROVED"})
        assert approved.json()["status"]["state"] == "APPROVED"
        assert approved.json()["status"]["updatedBy"] == OWNER_ID
        states = {
            d["approvalRequest"]["id"]: d["approvalRequest"]["status"]["state"]
            for d in (await api.call("GET", W + "/approval-requests")).json()
        }
        assert states == {APPROVAL_PENDING_ID: "APPROVED", APPROVAL_APPROVED_ID: "APPROVED"}
        back = await api.call("PATCH", f"{W}/approval-requests/{APPROVAL_PENDING_ID}", json={"state": "PENDING"})
        assert (back.status_code, back.json()["code"]) == (400, 501)


async def test_projects_and_users_discovery_filters() -> None:
    async with sandbox_api() as api:
        hydrated = (await api.call("GET", W + "/projects", params={"hydrated": "true", "archived": "false"})).json()
        assert [p["name"] for p in hydrated] == ["Internal", "Mobile App", "Website Redesign"]
        assert [t["name"] for t in hydrated[2]["tasks"]] == ["Design", "Frontend development"]
        assert hydrated[1]["clientName"] == "Globex Ltd"
        plain = (await api.call("GET", W + "/projects", params={"name": "web"})).json()
        assert [p["id"] for p in plain] == [PROJECT_WEBSITE_ID] and "tasks" not in plain[0]
        users = await api.call("GET", W + "/users", params={"include-roles": "false", "email": "priya"})
        assert [u["settings"]["timeZone"] for u in users.json()] == ["Europe/Berlin"]
        me = (await api.call("GET", "/user")).json()
        assert (me["id"], me["settings"]["timeZone"], me["activeWorkspace"]) == (
            OWNER_ID,
            "Europe/Berlin",
            WORKSPACE_ID,
        )
        policies = (await api.call("GET", W + "/time-off/policies")).json()
        assert [(p["name"], p["timeUnit"]) for p in policies] == [("Vacation", "DAYS"), ("Doctor visits", "HOURS")]
        retreat = api.app.state.holidays[HOLIDAY_RETREAT_ID]
        assert retreat.start_date.isoformat() == "2026-12-07"


async def test_series_length_change_is_refused_for_a_long_occurrence_and_changes_nothing() -> None:
    async with sandbox_api() as api:
        path = f"{W}/scheduling/assignments"
        stretch = {"start": "2026-11-23", "end": "2026-12-02", "seriesUpdateOption": "THIS_ONE"}
        await api.call("PATCH", f"{path}/recurring/{ASSIGNMENT_SERIES_ID}", json=stretch, status=200)
        before = sorted(api.app.state.assignments)
        refused = await api.call("PUT", f"{path}/series/{ASSIGNMENT_SERIES_ID}", json={"weeks": 2}, status=400)
        assert refused.json()["code"] == 501
        assert sorted(api.app.state.assignments) == before
        shorter = {"start": "2026-11-23", "end": "2026-11-27"}
        await api.call("PATCH", f"{path}/recurring/{ASSIGNMENT_SERIES_ID}", json=shorter, status=200)
        rebuilt = (await api.call("PUT", f"{path}/series/{ASSIGNMENT_SERIES_ID}", json={"weeks": 2}, status=200)).json()
        assert [a["recurring"]["weeks"] for a in rebuilt] == [2, 2]
        assert len([a for a in api.app.state.assignments.values() if a.series_id == SERIES_ID]) == 2
