"""Scheduling: assignments (one-off or weekly series), publishing, capacity totals (docs/clockify-api-notes.md).

Live rules kept here: POST .../assignments/recurring is the only create and answers 201 with an array (one
element per weekly occurrence); edit, series, delete and copy answer arrays too; `seriesUpdateOption` is a
body field on edit and copy but a query parameter on delete; publish answers 200 with no body; the totals
POSTs take camelCase `pageSize`; the single-project and single-user totals answer 200 with an empty body
when there is nothing (no assignment in range, no capacity); a missing start/end is 400 code 3001.

A date-only `start`/`end` (`2026-05-26`) means that day at midnight in the assignee's zone, and a period's
end is the start of its last day, as the live API answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, overload
from zoneinfo import ZoneInfo

from ..clock import days_between, iso, local_midnight, parse_date, parse_instant, utc_day
from ..errors import ApiError, bad_value, json_error, missing_parameter
from ..ids import Kind
from ..model import WEEK, Assignment, State, User
from ..params import Fields
from ..routing import Call, Reply, Route, created, empty, ok, page_of, paged
from ..views import NO_IMAGE

__all__ = ["ROUTES", "assignment_days"]

WS = "/workspaces/{workspaceId}"
SERIES_OPTIONS = ("THIS_ONE", "THIS_AND_FOLLOWING", "ALL")
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


def assignment_days(state: State, assignment: Assignment) -> list[date]:
    """The calendar days (assignee's zone) the assignment books hours on."""
    user = state.users[assignment.user_id]
    first, last = assignment.start.astimezone(user.tz).date(), assignment.end.astimezone(user.tz).date()
    return [
        d
        for d in days_between(first, last)
        if assignment.include_non_working_days or WEEK[d.weekday()] in user.working_days
    ]


def assignment_view(state: State, a: Assignment) -> dict[str, Any]:
    """AssignmentDtoV1."""
    user = state.users[a.user_id]
    first, last = a.start.astimezone(user.tz).date(), a.end.astimezone(user.tz).date()
    weekend = [] if a.include_non_working_days else [d for d in days_between(first, last) if d.weekday() >= 5]
    return {
        "id": a.id,
        "workspaceId": state.workspace.id,
        "userId": a.user_id,
        "projectId": a.project_id,
        "taskId": a.task_id,
        "period": {"start": iso(a.start), "end": iso(a.end)},
        "hoursPerDay": a.hours_per_day,
        "startTime": a.start_time,
        "note": a.note,
        "billable": a.billable,
        "includeNonWorkingDays": a.include_non_working_days,
        "excludeDays": [{"date": utc_day(d), "type": "WEEKEND"} for d in weekend],
        "published": a.published,
        "recurring": {"repeat": a.repeat, "seriesId": a.series_id, "weeks": a.weeks},
    }


def hydrated_view(state: State, a: Assignment) -> dict[str, Any]:
    """AssignmentHydratedDtoV1 (the list of all assignments)."""
    project, user = state.projects[a.project_id], state.users[a.user_id]
    client = state.clients.get(project.client_id or "")
    task = state.tasks.get(a.task_id or "")
    return {
        "id": a.id,
        "workspaceId": state.workspace.id,
        "userId": user.id,
        "userName": user.name,
        "projectId": project.id,
        "projectName": project.name,
        "projectColor": project.color,
        "projectBillable": project.billable,
        "projectArchived": project.archived,
        "clientId": client.id if client else None,
        "clientName": client.name if client else None,
        "taskId": a.task_id,
        "taskName": task.name if task else None,
        "period": {"start": iso(a.start), "end": iso(a.end)},
        "hoursPerDay": a.hours_per_day,
        "startTime": a.start_time,
        "note": a.note,
        "billable": a.billable,
    }


@overload
def _when(f: Fields, key: str, user: User, *, required: Literal[True]) -> datetime: ...
@overload
def _when(f: Fields, key: str, user: User, *, required: bool) -> datetime | None: ...
def _when(f: Fields, key: str, user: User, *, required: bool) -> datetime | None:
    """A start/end: a date (midnight in the assignee's zone) or a date-time."""
    text = f.text(key, required=required)
    if text is None:
        return None
    day = parse_date(text)
    if day is not None:
        return local_midnight(day, user.tz)
    instant = parse_instant(text)
    if instant is None:
        raise json_error(f'Cannot deserialize value of type `java.time.Instant` from String "{text}"')
    return instant


def _range(get: Callable[[str], str | None]) -> tuple[datetime, datetime]:
    """The start/end of a totals or list request, from the query or the body (missing: 400 code 3001)."""
    values = []
    for key in ("start", "end"):
        text = get(key)
        if text is None:
            raise missing_parameter(key)
        parsed = parse_instant(text)
        if parsed is None:
            raise ApiError(400, f"Text '{text}' could not be parsed as a date-time (yyyy-MM-ddThh:mm:ssZ)", 3000)
        values.append(parsed)
    return values[0], values[1]


def _overlapping(state: State, start: datetime, end: datetime) -> list[Assignment]:
    return [a for a in state.assignments.values() if a.start <= end and a.end + timedelta(days=1) > start]


def _days_in(start: datetime, end: datetime) -> tuple[date, date]:
    return start.astimezone(UTC).date(), end.astimezone(UTC).date()


def _check_options(state: State, f: Fields, project_id: str) -> dict[str, Any]:
    """The optional assignment fields a create or edit body sets (only those present)."""
    out: dict[str, Any] = {}
    if f.has("hoursPerDay"):
        hours = f.number("hoursPerDay") or 0.0
        if not 0 < hours <= 24:
            raise bad_value("hoursPerDay: must be between 0 and 24")
        out["hours_per_day"] = hours
    if f.has("taskId"):
        task = state.task(f.text("taskId") or "")
        if task.project_id != project_id:
            raise bad_value("Task doesn't belong to Project")
        out["task_id"] = task.id
    if f.has("note"):
        note = f.text("note") or ""
        if len(note) > 100:
            raise bad_value("note: size must be between 0 and 100")
        out["note"] = note
    if f.has("startTime"):
        start_time = f.text("startTime") or ""
        if not _CLOCK.fullmatch(start_time):
            raise bad_value("startTime: expected hh:mm:ss")
        out["start_time"] = start_time
    for key, attr in (("billable", "billable"), ("includeNonWorkingDays", "include_non_working_days")):
        if f.has(key):
            out[attr] = f.flag(key)
    return out


def _weekly(state: State, first: Assignment, weeks: int, repeat: bool, series_id: str) -> list[Assignment]:
    """`first` and the `weeks - 1` weekly occurrences after it, all in one series."""
    if first.end - first.start >= timedelta(days=7):
        raise bad_value("A recurring assignment can't be longer than one week")
    first.series_id, first.repeat, first.weeks = series_id, repeat, weeks
    return [first] + [
        replace(
            first,
            id=state.ids.new(Kind.ASSIGNMENT),
            start=first.start + timedelta(weeks=n),
            end=first.end + timedelta(weeks=n),
        )
        for n in range(1, weeks)
    ]


def create_recurring(call: Call) -> Reply:
    state = call.state
    f = call.fields("AssignmentCreateRequestV1")
    user = state.user(f.text("userId", required=True) or "")
    project = state.project(f.text("projectId", required=True) or "")
    start = _when(f, "start", user, required=True)
    end = _when(f, "end", user, required=True)
    f.number("hoursPerDay", required=True)
    options = _check_options(state, f, project.id)
    if start is None or end is None or end < start:
        raise bad_value("The assignment's end can't be before its start")
    recurring = f.obj("recurringAssignment", java_type="RecurringAssignmentRequestV1")
    assignment = Assignment(state.ids.new(Kind.ASSIGNMENT), user.id, project.id, start, end, 0.0)
    assignment.billable = project.billable
    for attr, value in options.items():
        setattr(assignment, attr, value)
    made = [assignment]
    if recurring is not None:
        weeks = recurring.integer("weeks", required=True) or 0
        if not 1 <= weeks <= 99:
            raise bad_value("weeks: must be between 1 and 99")
        made = _weekly(state, assignment, weeks, bool(recurring.flag("repeat")), state.ids.new(Kind.SERIES))
    for a in made:
        state.assignments[a.id] = a
    return created([assignment_view(state, a) for a in made])


def _targets(state: State, a: Assignment, option: str) -> list[Assignment]:
    """The assignments a seriesUpdateOption reaches from `a`, in time order."""
    if a.series_id is None or option == "THIS_ONE":
        return [a]
    series = [s for s in state.assignments.values() if s.series_id == a.series_id]
    if option == "THIS_AND_FOLLOWING":
        series = [s for s in series if s.start >= a.start]
    return sorted(series, key=lambda s: s.start)


def edit_recurring(call: Call) -> Reply:
    state = call.state
    a = state.assignment(call.params["assignmentId"])
    user = state.users[a.user_id]
    f = call.fields("AssignmentUpdateRequestV1")
    start = _when(f, "start", user, required=True)
    end = _when(f, "end", user, required=True)
    if start is None or end is None or end < start:
        raise bad_value("The assignment's end can't be before its start")
    option = f.choice("seriesUpdateOption", SERIES_OPTIONS, java_type="SeriesUpdateOption") or "THIS_ONE"
    options = _check_options(state, f, a.project_id)
    shift_start, shift_end = start - a.start, end - a.end
    targets = _targets(state, a, option)
    for target in targets:
        target.start, target.end = target.start + shift_start, target.end + shift_end
        for attr, value in options.items():
            setattr(target, attr, value)
    return ok([assignment_view(state, t) for t in targets])


def edit_recurring_period(call: Call) -> Reply:
    state = call.state
    a = state.assignment(call.params["assignmentId"])
    f = call.fields("RecurringAssignmentRequestV1")
    weeks = f.integer("weeks", required=True) or 0
    if not 1 <= weeks <= 99:
        raise bad_value("weeks: must be between 1 and 99")
    repeat = bool(f.flag("repeat"))
    later = _targets(state, a, "THIS_AND_FOLLOWING")[1:]
    made = _weekly(state, a, weeks, repeat, a.series_id or state.ids.new(Kind.SERIES))
    series_id = a.series_id
    for occurrence in later:
        del state.assignments[occurrence.id]
    for s in state.assignments.values():
        if s.series_id == series_id:
            s.repeat, s.weeks = repeat, weeks
    for occurrence in made:
        state.assignments[occurrence.id] = occurrence
    return ok([assignment_view(state, s) for s in made])


def delete_recurring(call: Call) -> Reply:
    state = call.state
    a = state.assignment(call.params["assignmentId"])
    option = call.query.choice("seriesUpdateOption", SERIES_OPTIONS, "SeriesUpdateOption") or "THIS_ONE"
    doomed = _targets(state, a, option)
    for target in doomed:
        del state.assignments[target.id]
    return ok([assignment_view(state, t) for t in doomed])


def _same_wall_clock(instant: datetime, source: ZoneInfo, target: ZoneInfo) -> datetime:
    """The instant showing in `target` the date and time `instant` shows in `source` (copies keep dates)."""
    return instant.astimezone(source).replace(tzinfo=target).astimezone(UTC)


def copy_assignment(call: Call) -> Reply:
    state = call.state
    a = state.assignment(call.params["assignmentId"])
    f = call.fields("CopyAssignmentRequestV1")
    user = state.user(f.text("userId", required=True) or "")
    option = f.choice("seriesUpdateOption", SERIES_OPTIONS, java_type="SeriesUpdateOption") or "THIS_ONE"
    sources = _targets(state, a, option)
    series_id = state.ids.new(Kind.SERIES) if len(sources) > 1 else None
    source_tz = state.users[a.user_id].tz
    copies = [
        replace(
            s,
            id=state.ids.new(Kind.ASSIGNMENT),
            user_id=user.id,
            start=_same_wall_clock(s.start, source_tz, user.tz),
            end=_same_wall_clock(s.end, source_tz, user.tz),
            published=False,
            series_id=series_id,
            repeat=s.repeat if series_id else False,
            weeks=s.weeks if series_id else 0,
        )
        for s in sources
    ]
    for copy in copies:
        state.assignments[copy.id] = copy
    return ok([assignment_view(state, c) for c in copies])


def _user_filter(f: Fields) -> Callable[[str], bool]:
    """Which user ids a publish/totals body's `userFilter` keeps (no filter or no ids: everyone)."""
    spec = f.obj("userFilter", java_type="ContainsUsersFilterRequestV1")
    f.obj("userGroupFilter", java_type="ContainsUserGroupFilterRequestV1")  # no user groups in the sandbox
    if spec is None:
        return lambda _: True
    ids = set(spec.texts("ids") or [])
    contains = spec.choice("contains", ("CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"), java_type="ContainsFilter")
    if not ids:
        return lambda _: True
    if contains == "DOES_NOT_CONTAIN":
        return lambda user_id: user_id not in ids
    return lambda user_id: user_id in ids


def publish_assignments(call: Call) -> Reply:
    state = call.state
    f = call.fields("PublishAssignmentsRequestV1")
    start = _when(f, "start", state.caller, required=True)
    end = _when(f, "end", state.caller, required=True)
    f.flag("notifyUsers")
    f.choice("viewType", ("PROJECTS", "TEAM", "ALL"), java_type="ViewType")
    search = (f.text("search") or "").lower()
    keep = _user_filter(f)
    for a in _overlapping(state, start, end):
        project, user = state.projects[a.project_id], state.users[a.user_id]
        if keep(a.user_id) and (not search or search in f"{project.name} {user.name}".lower()):
            a.published = True
    return empty(200)


def get_all_assignments(call: Call) -> Reply:
    state, q = call.state, call.query
    start, end = _range(q.get)
    name = (q.get("name") or "").lower()
    column = q.choice("sort-column", ("PROJECT", "USER", "ID"), "AssignmentSortColumn")
    order = q.choice("sort-order", ("ASCENDING", "DESCENDING"), "SortOrder")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    found = [
        a
        for a in _overlapping(state, start, end)
        if not name or name in f"{state.projects[a.project_id].name} {state.users[a.user_id].name}".lower()
    ]
    keys = {
        "PROJECT": lambda a: (state.projects[a.project_id].name, a.start),
        "USER": lambda a: (state.users[a.user_id].name, a.start),
        "ID": lambda a: (a.id, a.start),
    }
    found.sort(key=keys.get(column or "", lambda a: (a.start, a.id)), reverse=order == "DESCENDING")
    return paged([hydrated_view(state, a) for a in found], page, size)


def _status_filter(f: Fields) -> Callable[[Assignment], bool]:
    status = f.choice("statusFilter", ("PUBLISHED", "UNPUBLISHED", "ALL"), java_type="StatusFilter") or "ALL"
    return lambda a: status == "ALL" or a.published == (status == "PUBLISHED")


def _project_totals(
    state: State, project_id: str, assignments: Iterable[Assignment], first: date, last: date
) -> dict[str, Any] | None:
    """SchedulingProjectsTotalsDtoV1 for one project, or None when it has no hours in [first, last]."""
    hours: dict[date, float] = {}
    for a in assignments:
        for day in assignment_days(state, a):
            if first <= day <= last:
                hours[day] = hours.get(day, 0.0) + a.hours_per_day
    if not hours:
        return None
    project = state.projects[project_id]
    client = state.clients.get(project.client_id or "")
    return {
        "workspaceId": state.workspace.id,
        "projectId": project.id,
        "projectName": project.name,
        "projectColor": project.color,
        "projectBillable": project.billable,
        "projectArchived": project.archived,
        "clientName": client.name if client else None,
        "taskId": None,
        "taskName": None,
        "totalHours": sum(hours.values()),
        "assignments": [{"date": utc_day(d), "hasAssignment": True} for d in sorted(hours)],
        "milestones": [],
    }


def _page(f: Fields) -> tuple[int, int]:
    page = f.integer("page") or 1
    size = f.integer("pageSize") or 50  # camelCase only: a kebab-case page-size is ignored, as live
    if page < 1:
        raise bad_value("page: must be greater than or equal to 1")
    if not 1 <= size <= 200:
        raise bad_value("pageSize: must be between 1 and 200")
    return page, size


def get_filtered_project_totals(call: Call) -> Reply:
    state = call.state
    f = call.fields("ProjectTotalsRequestV1")
    start, end = _range(f.text)
    page, size = _page(f)
    search = (f.text("search") or "").lower()
    wanted = _status_filter(f)
    first, last = _days_in(start, end)
    found = [a for a in _overlapping(state, start, end) if wanted(a)]
    totals = []
    for project in sorted(state.projects.values(), key=lambda p: p.name.lower()):
        if search and search not in project.name.lower():
            continue
        row = _project_totals(state, project.id, (a for a in found if a.project_id == project.id), first, last)
        if row is not None:
            totals.append(row)
    return ok(page_of(totals, page, size))


def get_project_totals_for_single_project(call: Call) -> Reply:
    state = call.state
    project = state.project(call.params["projectId"])
    start, end = _range(call.query.get)
    first, last = _days_in(start, end)
    mine = [a for a in _overlapping(state, start, end) if a.project_id == project.id]
    row = _project_totals(state, project.id, mine, first, last)
    return empty(200) if row is None else ok(row)


def _user_totals(state: State, user: User, assignments: list[Assignment], first: date, last: date) -> dict[str, Any]:
    """SchedulingUsersTotalsDtoV1 (capacity in seconds; one row per day in range)."""
    hours = dict.fromkeys(days_between(first, last), 0.0)
    for a in assignments:
        if a.user_id != user.id:
            continue
        for day in assignment_days(state, a):
            if day in hours:
                hours[day] += a.hours_per_day
    return {
        "userId": user.id,
        "workspaceId": state.workspace.id,
        "userName": user.name,
        "userImage": NO_IMAGE,
        "userStatus": user.status,
        "capacityPerDay": float(user.capacity or 0),
        "workingDays": list(user.working_days),
        "totalHoursPerDay": [{"date": utc_day(d), "totalHours": h} for d, h in hours.items()],
    }


def get_user_totals(call: Call) -> Reply:
    state = call.state
    f = call.fields("GetUserTotalsRequestV1")
    start, end = _range(f.text)
    page, size = _page(f)
    search = (f.text("search") or "").lower()
    wanted = _status_filter(f)
    keep = _user_filter(f)
    first, last = _days_in(start, end)
    found = [a for a in _overlapping(state, start, end) if wanted(a)]
    users = sorted(
        (
            u
            for u in state.users.values()
            if u.capacity is not None and keep(u.id) and (not search or search in u.name.lower())
        ),
        key=lambda u: u.name.lower(),
    )
    rows = [_user_totals(state, u, found, first, last) for u in users]
    return ok(page_of(rows, page, size))


def get_user_totals_for_single_user(call: Call) -> Reply:
    state = call.state
    user = state.user(call.params["userId"])
    start, end = _range(call.query.get)
    call.query.integer("page", 1, minimum=1)
    call.query.integer("page-size", 50, minimum=1)
    if user.capacity is None:
        return empty(200)
    first, last = _days_in(start, end)
    return ok(_user_totals(state, user, _overlapping(state, start, end), first, last))


ROUTES = [
    Route("GET", WS + "/scheduling/assignments/all", get_all_assignments),
    Route("POST", WS + "/scheduling/assignments/projects/totals", get_filtered_project_totals),
    Route("GET", WS + "/scheduling/assignments/projects/totals/{projectId}", get_project_totals_for_single_project),
    Route("PUT", WS + "/scheduling/assignments/publish", publish_assignments),
    Route("POST", WS + "/scheduling/assignments/recurring", create_recurring),
    Route("PATCH", WS + "/scheduling/assignments/recurring/{assignmentId}", edit_recurring),
    Route("PUT", WS + "/scheduling/assignments/series/{assignmentId}", edit_recurring_period),
    Route("DELETE", WS + "/scheduling/assignments/recurring/{assignmentId}", delete_recurring),
    Route("POST", WS + "/scheduling/assignments/{assignmentId}/copy", copy_assignment),
    Route("POST", WS + "/scheduling/assignments/user-filter/totals", get_user_totals),
    Route("GET", WS + "/scheduling/assignments/users/{userId}/totals", get_user_totals_for_single_user),
]
