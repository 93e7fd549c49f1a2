"""Timesheet approvals (docs/clockify-api-notes.md §approvals): list with totals, submit (for yourself or another user),
resubmit, and change the state.

A request covers one week of its owner (the workspace's approval period is WEEKLY), from the owner's week
start at local midnight to the second before the next one, as the recorded sample shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..clock import duration, iso, local_midnight, parse_wall_clock
from ..errors import bad_value, json_error
from ..ids import Kind
from ..model import WEEK, ApprovalRequest, State, TimeEntry, User
from ..routing import Call, Reply, Route, created, ok, paged
from ..views import entry_seconds, hourly_rate_of, rate, tag_view

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}"
STATES = ("PENDING", "APPROVED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL", "REJECTED")
_NEXT = {
    "PENDING": {"APPROVED", "REJECTED", "WITHDRAWN_SUBMISSION"},
    "APPROVED": {"WITHDRAWN_APPROVAL"},
    "REJECTED": {"PENDING"},
    "WITHDRAWN_SUBMISSION": {"PENDING"},
    "WITHDRAWN_APPROVAL": {"PENDING"},
}


def request_view(state: State, request: ApprovalRequest) -> dict[str, Any]:
    """ApprovalRequestDtoV1."""
    owner, creator = state.users[request.owner_id], state.users[request.creator_id]
    return {
        "id": request.id,
        "workspaceId": state.workspace.id,
        "dateRange": {"start": iso(request.start), "end": iso(request.end)},
        "owner": {
            "userId": owner.id,
            "userName": owner.name,
            "timeZone": owner.time_zone,
            "startOfWeek": owner.week_start,
        },
        "creator": {"userId": creator.id, "userName": creator.name, "userEmail": creator.email},
        "status": {
            "state": request.state,
            "note": request.note,
            "updatedAt": iso(request.updated_at),
            "updatedBy": request.updated_by,
            "updatedByUserName": state.users[request.updated_by].name,
        },
        "type": "TIMESHEET",
    }


def _info_view(state: State, entry: TimeEntry, request: ApprovalRequest) -> dict[str, Any]:
    """TimeEntryInfoDto, as approval details list the entries of the period."""
    project = state.projects.get(entry.project_id or "")
    task = state.tasks.get(entry.task_id or "")
    client = state.clients.get(project.client_id or "") if project else None
    return {
        "id": entry.id,
        "description": entry.description,
        "tags": [tag_view(state, t) for t in entry.tag_ids or [] if t in state.tags],
        "billable": entry.billable,
        "type": entry.type,
        "isLocked": request.state == "APPROVED",
        "project": None
        if project is None
        else {
            "id": project.id,
            "name": project.name,
            "color": project.color,
            "clientId": client.id if client else None,
            "clientName": client.name if client else None,
        },
        "task": None if task is None else {"id": task.id, "name": task.name},
        "timeInterval": {
            "start": iso(entry.start),
            "end": iso(entry.end),
            "duration": duration(entry_seconds(entry)),
            "timeZone": state.users[entry.user_id].time_zone,
        },
        "hourlyRate": rate(hourly_rate_of(state, entry)),
        "costRate": rate(state.users[entry.user_id].cost_rate),
        "customFieldValues": [],
        "approvalRequestId": request.id,
    }


def details_view(state: State, request: ApprovalRequest) -> dict[str, Any]:
    """ApprovalDetailsDtoV1: the request, its entries and their totals (amounts in cents)."""
    entries = sorted(
        (
            e
            for e in state.entries.values()
            if e.user_id == request.owner_id and not e.running and request.start <= e.start <= request.end
        ),
        key=lambda e: e.start,
    )
    tracked = sum(entry_seconds(e) for e in entries)
    billable = [e for e in entries if e.billable and e.type == "REGULAR"]
    cost_rate = state.users[request.owner_id].cost_rate
    return {
        "approvalRequest": request_view(state, request),
        "approvedTime": duration(tracked if request.state == "APPROVED" else 0),
        "pendingTime": duration(tracked if request.state == "PENDING" else 0),
        "trackedTime": duration(tracked),
        "billableTime": duration(sum(entry_seconds(e) for e in billable)),
        "breakTime": duration(sum(entry_seconds(e) for e in entries if e.type == "BREAK")),
        "billableAmount": round(sum(entry_seconds(e) * hourly_rate_of(state, e) for e in billable) / 3600, 2),
        "costAmount": round(sum(entry_seconds(e) for e in entries) * cost_rate / 3600, 2),
        "expenseTotal": 0,
        "entries": [_info_view(state, e, request) for e in entries],
        "expenses": [],
    }


def get_approval_requests(call: Call) -> Reply:
    q, state = call.query, call.state
    status = q.choice("status", ("PENDING", "APPROVED", "WITHDRAWN_APPROVAL"), "ApprovalStatus")
    column = q.choice("sort-column", ("ID", "USER_ID", "START", "UPDATED_AT"), "ApprovalSortColumn")
    order = q.choice("sort-order", ("ASCENDING", "DESCENDING"), "SortOrder")
    q.choices("types", ("TIMESHEET", "EXPENSE", "TIMESHEET_AND_EXPENSE"), "ApprovalRequestType")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    requests = [r for r in state.approvals.values() if status is None or r.state == status]
    keys = {"ID": lambda r: r.id, "USER_ID": lambda r: r.owner_id, "UPDATED_AT": lambda r: r.updated_at}
    requests.sort(key=keys.get(column or "", lambda r: r.start), reverse=order != "ASCENDING")
    return paged([details_view(state, r) for r in requests], page, size)


def _week(call: Call, owner: User) -> tuple[datetime, datetime]:
    """The owner's week that a submit body's periodStart falls in (its date, read as written)."""
    state = call.state
    f = call.fields("CreateApprovalRequest")
    text = f.text("periodStart", required=True) or ""
    period = f.choice("period", ("WEEKLY", "SEMI_MONTHLY", "MONTHLY"), java_type="ApprovalPeriod")
    if period is not None and period != state.workspace.approval_period:
        raise bad_value(f"Period must match the workspace approval setting ({state.workspace.approval_period})")
    wall = parse_wall_clock(text)
    if wall is None:
        raise json_error(f'Cannot deserialize value of type `java.time.Instant` from String "{text}"')
    day = wall.date()
    first = day - timedelta(days=(day.weekday() - WEEK.index(owner.week_start)) % 7)
    end = local_midnight(first + timedelta(days=7), owner.tz) - timedelta(seconds=1)
    return local_midnight(first, owner.tz), end


def _existing(state: State, owner: User, start: datetime) -> ApprovalRequest | None:
    return next((r for r in state.approvals.values() if r.owner_id == owner.id and r.start == start), None)


def _new_request(state: State, owner: User, start: datetime, end: datetime) -> ApprovalRequest:
    request = ApprovalRequest(
        state.ids.new(Kind.APPROVAL), owner.id, state.caller_id, start, end, "PENDING", state.now(), state.caller_id
    )
    state.approvals[request.id] = request
    return request


def _submit(call: Call, owner: User) -> ApprovalRequest:
    state = call.state
    start, end = _week(call, owner)
    existing = _existing(state, owner, start)
    if existing is not None and existing.state in ("PENDING", "APPROVED"):
        raise bad_value("Approval request for this period already exists")
    if existing is not None:
        del state.approvals[existing.id]
    return _new_request(state, owner, start, end)


def create_approval_request(call: Call) -> Reply:
    return created(request_view(call.state, _submit(call, call.state.caller)))


def create_approval_for_other(call: Call) -> Reply:
    return created(request_view(call.state, _submit(call, call.state.user(call.params["userId"]))))


def _resubmit(call: Call, owner: User) -> Reply:
    """Send the week's entries for approval again: reopens the week's request, or submits a new one."""
    state = call.state
    start, end = _week(call, owner)
    request = _existing(state, owner, start)
    if request is None:
        request = _new_request(state, owner, start, end)
    else:
        request.state, request.updated_at, request.updated_by = "PENDING", state.now(), state.caller_id
    return ok(request_view(state, request))


def resubmit_approval_request(call: Call) -> Reply:
    return _resubmit(call, call.state.caller)


def resubmit_approval_request_for_other(call: Call) -> Reply:
    return _resubmit(call, call.state.user(call.params["userId"]))


def update_approval_status(call: Call) -> Reply:
    state = call.state
    request = state.approval(call.params["approvalRequestId"])
    f = call.fields("UpdateApprovalRequest")
    new_state = f.choice("state", STATES, java_type="ApprovalState", required=True) or ""
    note = f.text("note")
    if new_state not in _NEXT[request.state]:
        raise bad_value(f"Approval request can't be changed from {request.state} to {new_state}")
    request.state, request.note = new_state, note or ""
    request.updated_at, request.updated_by = state.now(), state.caller_id
    return ok(request_view(state, request))


ROUTES = [
    Route("GET", WS + "/approval-requests", get_approval_requests),
    Route("POST", WS + "/approval-requests", create_approval_request),
    Route("POST", WS + "/approval-requests/users/{userId}", create_approval_for_other),
    Route("POST", WS + "/approval-requests/resubmit-entries-for-approval", resubmit_approval_request),
    Route(
        "POST",
        WS + "/approval-requests/users/{userId}/resubmit-entries-for-approval",
        resubmit_approval_request_for_other,
    ),
    Route("PATCH", WS + "/approval-requests/{approvalRequestId}", update_approval_status),
]
