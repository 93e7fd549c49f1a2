"""Time entries: create, list, read, replace, delete, bulk, duplicate, stop, invoiced (docs/clockify-api-notes.md).

Live rules kept here: PUT replaces the whole entry (omitted fields are cleared, billable becomes false);
a user has at most one running timer (starting another stops it); the list's start/end are read as
wall-clock time in the account's profile zone (a trailing `Z` is ignored); unknown ids answer 400.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from ..errors import ApiError, bad_value, missing_parameter, must_not_be_null, not_in_workspace
from ..ids import Kind
from ..model import State, TimeEntry, User
from ..params import Fields, wrong_type
from ..routing import Call, Reply, Route, created, empty, ok, paged
from ..views import entry_view

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}"
NO_TIMER = "Currently running time entry doesn't exist on workspace"


@dataclass(slots=True)
class EntryInput:
    """The fields of a create or replace body, checked against the workspace."""

    start: datetime
    end: datetime | None
    description: str
    project_id: str | None
    task_id: str | None
    tag_ids: list[str] | None
    billable: bool
    type: str

    def apply(self, entry: TimeEntry) -> TimeEntry:
        return replace(
            entry,
            start=self.start,
            end=self.end,
            description=self.description,
            project_id=self.project_id,
            task_id=self.task_id,
            tag_ids=self.tag_ids,
            billable=self.billable,
            type=self.type,
        )


def read_entry(state: State, f: Fields, defaults: TimeEntry | None = None) -> EntryInput:
    """Read an entry body. With `defaults` (from-entry), fields the body omits are copied from it."""

    def pick(key: str, value: Any, fallback: Any) -> Any:
        return value if f.has(key) or defaults is None else fallback

    d = defaults
    start = pick("start", f.instant("start", required=d is None), d and d.start)
    end = pick("end", f.instant("end"), d and d.end)
    if end is not None and end < start:
        raise bad_value("Time entry end has to be after its start")
    description = pick("description", f.text("description"), d and d.description) or ""
    if len(description) > 3000:
        raise bad_value("description: size must be between 0 and 3000")
    project_id = pick("projectId", f.text("projectId"), d and d.project_id)
    task_id = pick("taskId", f.text("taskId"), d and d.task_id)
    tag_ids = pick("tagIds", f.texts("tagIds"), d and d.tag_ids)
    if project_id is not None:
        state.project(project_id)  # archived projects are accepted, as live
    if task_id is not None:
        task = state.task(task_id)
        if project_id is None:
            project_id = task.project_id
        elif task.project_id != project_id:
            raise bad_value("Task doesn't belong to Project")
    for tag_id in tag_ids or []:
        state.tag(tag_id)
    for custom in f.objects("customFields", "UpdateCustomFieldRequest"):
        custom.text("customFieldId", required=True)
        raise not_in_workspace("Custom field")  # the sandbox workspace has no custom fields
    for attribute in f.objects("customAttributes", "CreateCustomAttributeRequest"):
        for key in ("name", "namespace", "value"):
            attribute.text(key, required=True)
    billable = pick("billable", f.flag("billable"), d and d.billable) or False
    kind = pick("type", f.choice("type", ("REGULAR", "BREAK"), java_type="TimeEntryType"), d and d.type)
    return EntryInput(start, end, description, project_id, task_id, tag_ids, billable, kind or "REGULAR")


def keep_one_timer(state: State, entry: TimeEntry) -> None:
    """Starting a timer stops the user's other running timer where the new one starts."""
    if not entry.running:
        return
    for other in state.entries.values():
        if other.id != entry.id and other.user_id == entry.user_id and other.running:
            other.end = max(other.start, entry.start)


def _save(state: State, entry: TimeEntry) -> TimeEntry:
    state.entries[entry.id] = entry
    keep_one_timer(state, entry)
    return entry


def _new_entry(state: State, user: User, data: EntryInput) -> TimeEntry:
    return _save(state, data.apply(TimeEntry(state.ids.new(Kind.TIME_ENTRY), user.id, data.start, None)))


def _own_entry(state: State, user_id: str, entry_id: str) -> TimeEntry:
    entry = state.entry(entry_id)
    if entry.user_id != user_id:
        raise not_in_workspace("Time entry")
    return entry


def create_time_entry(call: Call) -> Reply:
    state = call.state
    data = read_entry(state, call.fields("CreateTimeEntryRequest"))
    return created(entry_view(state, _new_entry(state, state.caller, data)))


def create_for_others(call: Call) -> Reply:
    state = call.state
    user = state.user(call.params["userId"])
    source_id = call.query.get("from-entry")
    source = None
    if source_id is not None:
        source = state.entries.get(source_id)
        if source is None:
            raise ApiError(404, None)  # live: unknown from-entry answers 404 with an empty body
    data = read_entry(state, call.fields("CreateTimeEntryRequest"), source)
    return created(entry_view(state, _new_entry(state, user, data)))


def get_entries(call: Call) -> Reply:
    q, state = call.query, call.state
    user = state.user(call.params["userId"])
    description = q.get("description")
    start = q.wall_clock("start")
    end = q.wall_clock("end")
    project, task, tags = q.get("project"), q.get("task"), set(q.all("tags"))
    project_required = q.boolean("project-required")
    task_required = q.boolean("task-required")
    hydrated = bool(q.boolean("hydrated"))
    in_progress = q.boolean("in-progress", None)
    week_before = q.wall_clock("get-week-before")
    q.boolean("consider-duration-format")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    # The window is wall-clock time in the account's (API key owner's) profile zone, whatever the suffix says.
    account = state.caller.tz

    def instant(wall: datetime) -> datetime:
        return wall.replace(tzinfo=account)

    entries = [e for e in state.entries.values() if e.user_id == user.id]
    if description:
        entries = [e for e in entries if description.lower() in e.description.lower()]
    if start is not None:
        entries = [e for e in entries if e.start >= instant(start)]
    if end is not None:
        limit = instant(end)
        entries = [e for e in entries if (e.end or state.now()) <= limit]
    if week_before is not None:
        until = instant(week_before)
        entries = [e for e in entries if until - timedelta(days=7) <= e.start < until and (e.project_id or e.task_id)]
    if project:
        entries = [e for e in entries if e.project_id == project]
    if task:
        entries = [e for e in entries if e.task_id == task]
    if tags:
        entries = [e for e in entries if tags & set(e.tag_ids or [])]
    if project_required:
        entries = [e for e in entries if e.project_id]
    if task_required:
        entries = [e for e in entries if e.task_id]
    if in_progress:
        entries = [e for e in entries if e.running]
    entries.sort(key=lambda e: e.start, reverse=True)
    return paged([entry_view(state, e, rates=True, hydrated=hydrated) for e in entries], page, size)


def get_entry(call: Call) -> Reply:
    hydrated = bool(call.query.boolean("hydrated"))
    call.query.boolean("consider-duration-format")
    entry = call.state.entry(call.params["id"])
    return ok(entry_view(call.state, entry, rates=True, hydrated=hydrated))


def update_time_entry(call: Call) -> Reply:
    state = call.state
    entry = state.entry(call.params["id"])
    data = read_entry(state, call.fields("UpdateTimeEntryRequest"))
    return ok(entry_view(state, _save(state, data.apply(entry))))


def delete_entry(call: Call) -> Reply:
    entry = call.state.entry(call.params["id"])
    del call.state.entries[entry.id]
    return empty(204)


def delete_many(call: Call) -> Reply:
    state = call.state
    user = state.user(call.params["userId"])
    wanted = call.query.all("time-entry-ids")
    if not wanted:
        raise missing_parameter("time-entry-ids", "List")
    doomed = [_own_entry(state, user.id, entry_id) for entry_id in dict.fromkeys(wanted)]
    for entry in doomed:
        del state.entries[entry.id]
    return ok([entry_view(state, e) for e in doomed])


def replace_many(call: Call) -> Reply:
    state = call.state
    user = state.user(call.params["userId"])
    hydrated = bool(call.query.boolean("hydrated"))
    body = call.body()
    if body is None:
        raise must_not_be_null()
    if not isinstance(body, list):
        raise wrong_type("java.util.List<UpdateTimeEntryBulkRequest>", body)
    if not body:
        raise bad_value("must not be empty")
    changes = []
    for item in body:
        f = Fields.of(item, "UpdateTimeEntryBulkRequest")
        entry = _own_entry(state, user.id, f.text("id", required=True) or "")
        changes.append(read_entry(state, f).apply(entry))
    saved = [_save(state, entry) for entry in changes]
    return ok([entry_view(state, e, hydrated=hydrated) for e in saved])


def duplicate_time_entry(call: Call) -> Reply:
    state = call.state
    source = _own_entry(state, state.user(call.params["userId"]).id, call.params["id"])
    copy = replace(source, id=state.ids.new(Kind.TIME_ENTRY), tag_ids=source.tag_ids and list(source.tag_ids))
    if copy.running:  # copying a running timer continues the work: a new timer from now
        copy.start = state.now()
    return created(entry_view(state, _save(state, copy)))


def stop_running_time_entry(call: Call) -> Reply:
    state = call.state
    user = state.user(call.params["userId"])
    end = call.fields("StopTimeEntryRequest").instant("end", required=True)
    running = [e for e in state.entries.values() if e.user_id == user.id and e.running]
    if not running:
        raise ApiError(404, NO_TIMER, 404)
    entry = max(running, key=lambda e: e.start)
    if end is None or end < entry.start:
        raise bad_value("Time entry end has to be after its start")
    entry.end = end
    return ok(entry_view(state, entry))


def get_in_progress(call: Call) -> Reply:
    page = call.query.integer("page", 1, minimum=1)
    size = call.query.integer("page-size", 10, minimum=1, maximum=1000)
    running = sorted((e for e in call.state.entries.values() if e.running), key=lambda e: e.start, reverse=True)
    return paged([entry_view(call.state, e, rates=True) for e in running], page, size)


def update_invoiced_status(call: Call) -> Reply:
    state = call.state
    f = call.fields("UpdateInvoicedStatusRequest")
    invoiced = f.flag("invoiced", required=True)
    ids = f.texts("timeEntryIds", required=True) or []  # strings on the wire; objects are a parse error
    if not ids:
        raise bad_value("timeEntryIds: must not be empty")
    entries = [state.entry(entry_id) for entry_id in ids]
    for entry in entries:
        entry.invoiced = bool(invoiced)
    return empty(200)


ROUTES = [
    Route("POST", WS + "/time-entries", create_time_entry),
    Route("POST", WS + "/user/{userId}/time-entries", create_for_others),
    Route("GET", WS + "/user/{userId}/time-entries", get_entries),
    Route("GET", WS + "/time-entries/{id}", get_entry),
    Route("PUT", WS + "/time-entries/{id}", update_time_entry),
    Route("DELETE", WS + "/time-entries/{id}", delete_entry),
    Route("DELETE", WS + "/user/{userId}/time-entries", delete_many),
    Route("PUT", WS + "/user/{userId}/time-entries", replace_many),
    Route("POST", WS + "/user/{userId}/time-entries/{id}/duplicate", duplicate_time_entry),
    Route("PATCH", WS + "/user/{userId}/time-entries", stop_running_time_entry),
    Route("GET", WS + "/time-entries/status/in-progress", get_in_progress),
    Route("PATCH", WS + "/time-entries/invoiced", update_invoiced_status),
]
