"""Time off (docs/clockify-api-notes.md): policies, requests, their status, the request search, and balances.

Live rules kept here: the request period's shape depends on the policy unit (DAYS: `{start: yyyy-MM-dd,
days}`; HOURS: `{start, end}` date-times without milliseconds); only APPROVED or REJECTED are target
statuses; approving takes the request from the balance (used up, balance down), rejecting an approved one
gives it back; only PENDING requests can be withdrawn (deleted); the search is a POST with camelCase
`pageSize` answering `{count, requests}`; balance lists are `{balances, count}` with `Last-Page`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ..clock import iso, local_midnight, parse_date, parse_instant
from ..errors import bad_value, must_not_be_null, not_in_workspace
from ..ids import Kind
from ..model import Balance, Policy, State, TimeOffRequest, User
from ..params import Fields, Query
from ..routing import Call, Reply, Route, empty, ok, page_of, paged

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}"
HALF_DAY = ("FIRST_HALF", "SECOND_HALF", "NOT_DEFINED")
_NO_MILLIS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


def policy_view(state: State, policy: Policy) -> dict[str, Any]:
    """PolicyDtoV1."""
    return {
        "id": policy.id,
        "name": policy.name,
        "workspaceId": state.workspace.id,
        "timeUnit": policy.unit,
        "archived": policy.archived,
        "allowHalfDay": policy.allow_half_day,
        "allowNegativeBalance": policy.allow_negative,
        "approve": {
            "requiresApproval": policy.requires_approval,
            "specificMembers": False,
            "teamManagers": False,
            "userIds": [state.owner_id] if policy.requires_approval else [],
        },
        "automaticAccrual": None,
        "automaticTimeEntryCreation": None,
        "everyoneIncludingNew": True,
        "negativeBalance": None,
        "projectId": None,
        "userGroupIds": [],
        "userIds": list(policy.user_ids),
        "color": policy.color,
    }


def _status_view(state: State, request: TimeOffRequest, status: str | None = None) -> dict[str, Any]:
    changed_by = state.users.get(request.changed_by or "")
    return {
        "statusType": status or request.status,
        "changedByUserId": request.changed_by,
        "changedByUserName": changed_by.name if changed_by else None,
        "changedForUserName": state.users[request.user_id].name,
        "changedAt": iso(request.changed_at),
        "note": request.status_note,
    }


def request_view(state: State, request: TimeOffRequest, *, full: bool, status: str | None = None) -> dict[str, Any]:
    """TimeOffRequestV1Dto, or TimeOffRequestFullV1Dto when `full`."""
    out: dict[str, Any] = {
        "id": request.id,
        "workspaceId": state.workspace.id,
        "policyId": request.policy_id,
        "userId": request.user_id,
        "note": request.note,
        "createdAt": iso(request.created_at),
        "balanceDiff": request.diff,
        "status": _status_view(state, request, status),
        "timeOffPeriod": {
            "period": {"start": iso(request.start), "end": iso(request.end)},
            "halfDay": request.half_day,
            "halfDayPeriod": request.half_day_period,
            "halfDayHours": None,
        },
    }
    if full:
        policy, user = state.policies[request.policy_id], state.users[request.user_id]
        requester = state.users[request.requester_id]
        out |= {
            "policyName": policy.name,
            "timeUnit": policy.unit,
            "userName": user.name,
            "userEmail": user.email,
            "userTimeZone": user.time_zone,
            "requesterUserId": requester.id,
            "requesterUserName": requester.name,
            "balance": state.balance(policy.id, user.id).balance,
        }
    return out


def balance_view(state: State, balance: Balance) -> dict[str, Any]:
    """BalanceDtoV1 (plus negativeBalanceUsed, which the live API also sends)."""
    policy, user = state.policies[balance.policy_id], state.users[balance.user_id]
    return {
        "id": balance.id,
        "workspaceId": state.workspace.id,
        "policyId": policy.id,
        "policyName": policy.name,
        "policyTimeUnit": policy.unit,
        "negativeBalanceLimit": policy.allow_negative,
        "negativeBalanceAmount": policy.negative_limit,
        "negativeBalanceUsed": 0.0,
        "policyArchived": policy.archived,
        "userId": user.id,
        "userName": user.name,
        "balance": balance.balance,
        "used": balance.used,
        "total": balance.total,
    }


def get_time_off_policies(call: Call) -> Reply:
    q, state = call.query, call.state
    page = q.integer("page", 1, minimum=1, maximum=1000)
    size = q.integer("page-size", 50, minimum=1, maximum=200)
    name = q.get("name")
    status = q.choice("status", ("ACTIVE", "ARCHIVED", "ALL"), "PolicyStatus") or "ACTIVE"
    policies = [
        p
        for p in state.policies.values()
        if (status == "ALL" or p.archived == (status == "ARCHIVED")) and (not name or name.lower() in p.name.lower())
    ]
    return paged([policy_view(state, p) for p in policies], page, size)


def _period(policy: Policy, user: User, f: Fields) -> tuple[datetime, datetime, float, bool, str]:
    """(start, end, balance diff, half day, half-day period) from a request body's timeOffPeriod."""
    time_off = f.obj("timeOffPeriod", required=True, java_type="TimeOffRequestPeriodV1Request") or Fields({})
    period = time_off.obj("period", required=True, java_type="PeriodV1Request") or Fields({})
    half_day = bool(time_off.flag("isHalfDay"))
    half_period = (
        time_off.choice("halfDayPeriod", HALF_DAY, java_type="HalfDayPeriod")
        or time_off.choice("timeOffHalfDayPeriod", HALF_DAY, java_type="HalfDayPeriod")
        or "NOT_DEFINED"
    )
    if policy.unit == "DAYS":
        if period.has("end"):
            raise bad_value("Value for number of days is not allowed")
        day = parse_date(period.text("start", required=True))
        if day is None:
            raise bad_value("invalid date format")
        days = period.integer("days", required=True) or 0
        if not 1 <= days <= 999:
            raise bad_value("days: must be between 1 and 999")
        if half_day and not policy.allow_half_day:
            raise bad_value("Half day time off is not allowed for this policy")
        if half_day and days != 1:
            raise bad_value("Half day time off can only be requested for one day")
        start = local_midnight(day, user.tz)
        end = local_midnight(day + timedelta(days=days), user.tz) - timedelta(minutes=1)
        return start, end, 0.5 if half_day else float(days), half_day, half_period
    if period.has("days"):
        raise bad_value("Value for number of days is not allowed")
    texts = [period.text("start", required=True) or "", period.text("end", required=True) or ""]
    if not all(_NO_MILLIS.fullmatch(t) for t in texts):
        raise bad_value("invalid date format")
    first, last = (parse_instant(t) for t in texts)
    if first is None or last is None:
        raise bad_value("invalid date format")
    if last <= first:
        raise bad_value("Time off end has to be after its start")
    return first, last, round((last - first).total_seconds() / 3600, 2), False, "NOT_DEFINED"


def _apply(state: State, request: TimeOffRequest, sign: int) -> None:
    balance = state.balance(request.policy_id, request.user_id)
    balance.used = round(balance.used + sign * request.diff, 2)


def _create(call: Call, user: User) -> Reply:
    state = call.state
    policy = state.policy(call.params["policyId"])
    if policy.archived:
        raise bad_value("Policy is archived")
    f = call.fields("CreateTimeOffRequestV1Request")
    note = f.text("note")
    start, end, diff, half_day, half_period = _period(policy, user, f)
    balance = state.balance(policy.id, user.id)
    if not policy.allow_negative and diff > balance.balance:
        raise bad_value("Requested time off exceeds the available balance")
    now = state.now()
    request = TimeOffRequest(
        state.ids.new(Kind.TIME_OFF_REQUEST),
        policy.id,
        user.id,
        state.caller_id,
        note,
        now,
        start,
        end,
        diff,
        half_day=half_day,
        half_day_period=half_period,
    )
    if not policy.requires_approval:
        request.status, request.changed_by, request.changed_at = "APPROVED", state.caller_id, now
        _apply(state, request, +1)
    state.time_off[request.id] = request
    return ok(request_view(state, request, full=True))


def create_time_off_request(call: Call) -> Reply:
    return _create(call, call.state.caller)


def create_time_off_request_for_other(call: Call) -> Reply:
    return _create(call, call.state.user(call.params["userId"]))


def _policy_request(call: Call) -> TimeOffRequest:
    state = call.state
    policy = state.policy(call.params["policyId"])
    request = state.time_off_request(call.params["requestId"])
    if request.policy_id != policy.id:
        raise not_in_workspace("Time off request")
    return request


def change_time_off_request_status(call: Call) -> Reply:
    state = call.state
    request = _policy_request(call)
    f = call.fields("StatusTimeOffRequestV1Request")
    status = f.text("status", required=True)
    note = f.text("note")
    if status not in ("APPROVED", "REJECTED"):
        raise bad_value("Status can only be changed to APPROVED or REJECTED")
    if request.status == "REJECTED":
        raise bad_value("Rejected time off requests cannot be changed")
    if request.status == status:
        raise bad_value(f"Time off request is already {status.lower()}")
    if status == "APPROVED":
        _apply(state, request, +1)
    elif request.status == "APPROVED":
        _apply(state, request, -1)
    request.status, request.changed_by, request.changed_at = status, state.caller_id, state.now()
    request.status_note = note
    return ok(request_view(state, request, full=False))


def delete_time_off_request(call: Call) -> Reply:
    state = call.state
    request = _policy_request(call)
    if request.status != "PENDING":
        raise bad_value(f"{request.status.capitalize()} time off requests cannot be withdrawn")
    del state.time_off[request.id]
    request.changed_by, request.changed_at = state.caller_id, state.now()
    return ok(request_view(state, request, full=False, status="WITHDRAWN"))


def search_time_off_requests(call: Call) -> Reply:
    state = call.state
    f = call.fields("GetTimeOffRequestsV1Request")
    start, end = f.instant("start"), f.instant("end")
    page = f.integer("page") or 1
    size = f.integer("pageSize") or 50
    if not 1 <= page <= 1000:
        raise bad_value("page: must be between 1 and 1000")
    if not 1 <= size <= 200:
        raise bad_value("pageSize: must be between 1 and 200")
    statuses = set(f.texts("statuses") or [])
    if statuses - {"PENDING", "APPROVED", "REJECTED", "ALL"}:
        raise bad_value("statuses: value must be one of [PENDING, APPROVED, REJECTED, ALL]")
    users = set(f.texts("users") or [])
    groups = f.texts("userGroups") or []
    found = [
        r
        for r in state.time_off.values()
        if (not statuses or "ALL" in statuses or r.status in statuses)
        and (not users or r.user_id in users)
        and not groups  # the sandbox workspace has no user groups
        and (start is None or r.created_at >= start)
        and (end is None or r.created_at <= end)
    ]
    found.sort(key=lambda r: r.created_at, reverse=True)
    chunk = page_of(found, page, size)
    return ok({"count": len(found), "requests": [request_view(state, r, full=True) for r in chunk]})


def _balances(q: Query, state: State, balances: list[Balance]) -> Reply:
    page = q.integer("page", 1, minimum=1, maximum=1000)
    size = q.integer("page-size", 50, minimum=1, maximum=200)
    sort = q.choice("sort", ("USER", "POLICY", "USED", "BALANCE", "TOTAL"), "BalanceSortColumn")
    order = q.choice("sort-order", ("ASCENDING", "DESCENDING"), "SortOrder")
    keys = {
        "POLICY": lambda b: state.policies[b.policy_id].name,
        "USED": lambda b: b.used,
        "BALANCE": lambda b: b.balance,
        "TOTAL": lambda b: b.total,
    }
    balances.sort(key=keys.get(sort or "", lambda b: state.users[b.user_id].name), reverse=order == "DESCENDING")
    views = [balance_view(state, b) for b in balances]
    return paged(views, page, size, wrap=lambda chunk: {"balances": chunk, "count": len(views)})


def get_balances_for_policy(call: Call) -> Reply:
    policy = call.state.policy(call.params["policyId"])
    found = [b for b in call.state.balances.values() if b.policy_id == policy.id]
    return _balances(call.query, call.state, found)


def get_balances_for_user(call: Call) -> Reply:
    user = call.state.user(call.params["userId"])
    found = [b for b in call.state.balances.values() if b.user_id == user.id]
    return _balances(call.query, call.state, found)


def update_balance(call: Call) -> Reply:
    """Sets each listed user's balance on the policy to `value` (the total follows, used is kept)."""
    state = call.state
    policy = state.policy(call.params["policyId"])
    f = call.fields("UpdateBalanceRequestV1")
    user_ids = f.texts("userIds", required=True) or []
    value = f.number("value", required=True)
    f.text("note")
    if not user_ids:
        raise must_not_be_null()
    if value is None or not -10000 <= value <= 10000:
        raise bad_value("value: must be between -10000 and 10000")
    balances = [state.balance(policy.id, state.user(user_id).id) for user_id in user_ids]
    for balance in balances:
        balance.total = round(value + balance.used, 2)
    return empty(204)


ROUTES = [
    Route("GET", WS + "/time-off/policies", get_time_off_policies),
    Route("POST", WS + "/time-off/policies/{policyId}/requests", create_time_off_request),
    Route("POST", WS + "/time-off/policies/{policyId}/users/{userId}/requests", create_time_off_request_for_other),
    Route("PATCH", WS + "/time-off/policies/{policyId}/requests/{requestId}", change_time_off_request_status),
    Route("DELETE", WS + "/time-off/policies/{policyId}/requests/{requestId}", delete_time_off_request),
    Route("POST", WS + "/time-off/requests", search_time_off_requests),
    Route("GET", WS + "/time-off/balance/policy/{policyId}", get_balances_for_policy),
    Route("GET", WS + "/time-off/balance/user/{userId}", get_balances_for_user),
    Route("PATCH", WS + "/time-off/balance/policy/{policyId}", update_balance),
]
