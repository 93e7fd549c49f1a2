"""Holidays (docs/clockify-api-notes.md): list, list in a period, create, replace, delete.

Live rules kept here: lists ignore paging and send no `Last-Page`; create answers 200 and needs at least
one user or user group; update is a full replace (name, datePeriod and occursAnnually are required, name at
most 50 characters, `automaticTimeEntryCreation` must be the request object, never the boolean the reads
show); delete answers 200 with the longer HolidayDto; there is no single-holiday GET (405).
"""

from __future__ import annotations

import re
from typing import Any

from ..clock import parse_date
from ..errors import bad_value, must_not_be_null, not_in_workspace
from ..ids import Kind
from ..model import Holiday, State
from ..params import Fields
from ..routing import Call, Reply, Route, ok

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}"
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_CONTAINS = ("CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY")


def holiday_view(state: State, holiday: Holiday) -> dict[str, Any]:
    """HolidayDtoV1: what the lists, create and update answer."""
    return {
        "id": holiday.id,
        "workspaceId": state.workspace.id,
        "name": holiday.name,
        "userIds": list(holiday.user_ids),
        "userGroupIds": list(holiday.user_group_ids),
        "datePeriod": {"startDate": holiday.start_date.isoformat(), "endDate": holiday.end_date.isoformat()},
        "occursAnnually": holiday.occurs_annually,
        "everyoneIncludingNew": holiday.everyone_including_new,
        "automaticTimeEntryCreation": holiday.auto_enabled,
        "projectId": holiday.auto_project_id,
        "taskId": holiday.auto_task_id,
    }


def deleted_view(state: State, holiday: Holiday) -> dict[str, Any]:
    """HolidayDto: the shape DELETE answers with."""
    return {
        "id": holiday.id,
        "workspaceId": state.workspace.id,
        "name": holiday.name,
        "color": holiday.color,
        "datePeriod": {"startDate": holiday.start_date.isoformat(), "endDate": holiday.end_date.isoformat()},
        "occursAnnually": holiday.occurs_annually,
        "everyoneIncludingNew": holiday.everyone_including_new,
        "automaticTimeEntryCreation": {
            "enabled": holiday.auto_enabled,
            "defaultEntities": {"projectId": holiday.auto_project_id, "taskId": holiday.auto_task_id},
        },
        "users": [{"id": u, "name": state.users[u].name} for u in holiday.user_ids if u in state.users],
        "userGroups": [],
        "userIds": list(holiday.user_ids),
        "userGroupIds": list(holiday.user_group_ids),
    }


def get_holidays(call: Call) -> Reply:
    state = call.state
    assigned = call.query.get("assigned-to")
    if assigned is not None:
        state.user(assigned)
    found = [h for h in state.holidays.values() if assigned is None or h.applies_to(assigned)]
    return ok([holiday_view(state, h) for h in sorted(found, key=lambda h: (h.start_date, h.name))])


def get_holidays_in_period(call: Call) -> Reply:
    state, q = call.state, call.query
    user = state.user(q.require("assigned-to"))
    start = q.instant("start", required=True)
    end = q.instant("end", required=True)
    first, last = start.astimezone(user.tz).date(), end.astimezone(user.tz).date()
    found = [h for h in state.holidays.values() if h.applies_to(user.id) and h.overlaps(first, last)]
    return ok([holiday_view(state, h) for h in sorted(found, key=lambda h: (h.start_date, h.name))])


def _assignees(state: State, f: Fields, key: str, *, groups: bool) -> list[str]:
    """The ids a `users`/`userGroups` filter object names (DOES_NOT_CONTAIN: everyone else)."""
    spec = f.obj(key, java_type="ContainsUsersFilterRequest")
    if spec is None:
        return []
    contains = spec.choice("contains", _CONTAINS, java_type="ContainsFilter") or "CONTAINS"
    spec.text("status")
    spec.texts("statuses")
    ids = list(dict.fromkeys(spec.texts("ids") or []))
    if groups and ids:
        raise not_in_workspace("User group")  # the sandbox workspace has no user groups
    for user_id in ids:
        state.user(user_id)
    if contains == "DOES_NOT_CONTAIN" and not groups:
        return [u for u in state.users if u not in ids]
    return ids


def _read(state: State, f: Fields, holiday: Holiday, *, max_name: int, min_name: int) -> Holiday:
    """The holiday a create or update body describes (every field replaced)."""
    name = f.text("name", required=True) or ""
    if not min_name <= len(name) <= max_name:
        raise bad_value(f"name: size must be between {min_name} and {max_name}")
    period = f.obj("datePeriod", required=True, java_type="DatePeriodRequest") or Fields({})
    start, end = (parse_date(period.text(k, required=True)) for k in ("startDate", "endDate"))
    if start is None or end is None:
        raise bad_value("invalid date format (expected yyyy-MM-dd)")
    if end < start:
        raise bad_value("The holiday's end date can't be before its start date")
    color = f.text("color")
    if color is not None and not _COLOR.fullmatch(color):
        raise bad_value('color: must match "^#(?:[0-9a-fA-F]{6}){1}$"')
    auto = f.obj("automaticTimeEntryCreation", java_type="AutomaticTimeEntryCreationRequest")
    project_id = task_id = None
    if auto is not None:
        entities = auto.obj("defaultEntities", required=True, java_type="DefaultEntitiesRequest") or Fields({})
        project_id, task_id = entities.text("projectId"), entities.text("taskId")
        if project_id is not None:
            state.project(project_id)
        if task_id is not None and state.task(task_id).project_id != project_id:
            raise bad_value("Task doesn't belong to Project")
    holiday.name, holiday.start_date, holiday.end_date = name, start, end
    holiday.occurs_annually = bool(f.flag("occursAnnually"))
    holiday.everyone_including_new = bool(f.flag("everyoneIncludingNew"))
    holiday.color = color or holiday.color
    holiday.user_ids = _assignees(state, f, "users", groups=False)
    holiday.user_group_ids = _assignees(state, f, "userGroups", groups=True)
    holiday.auto_enabled = bool(auto and auto.flag("enabled"))
    holiday.auto_project_id, holiday.auto_task_id = project_id, task_id
    return holiday


def create_holiday(call: Call) -> Reply:
    state = call.state
    f = call.fields("CreateHolidayRequestV1")
    blank = Holiday(state.ids.new(Kind.HOLIDAY), "", state.today, state.today, False, False, [])
    holiday = _read(state, f, blank, min_name=2, max_name=100)
    if not holiday.user_ids and not holiday.user_group_ids:
        raise bad_value("At least one user or user group must be assigned")
    state.holidays[holiday.id] = holiday
    return ok(holiday_view(state, holiday))


def update_holiday(call: Call) -> Reply:
    state = call.state
    current = state.holiday(call.params["holidayId"])
    f = call.fields("UpdateHolidayRequestV1")
    if f.flag("occursAnnually") is None:
        raise must_not_be_null()
    draft = Holiday(current.id, "", current.start_date, current.end_date, False, False, [], color=current.color)
    state.holidays[current.id] = _read(state, f, draft, min_name=1, max_name=50)
    return ok(holiday_view(state, state.holidays[current.id]))


def delete_holiday(call: Call) -> Reply:
    state = call.state
    holiday = state.holiday(call.params["holidayId"])
    del state.holidays[holiday.id]
    return ok(deleted_view(state, holiday))


ROUTES = [
    Route("GET", WS + "/holidays", get_holidays),
    Route("GET", WS + "/holidays/in-period", get_holidays_in_period),
    Route("POST", WS + "/holidays", create_holiday),
    Route("PUT", WS + "/holidays/{holidayId}", update_holiday),
    Route("DELETE", WS + "/holidays/{holidayId}", delete_holiday),
]
