"""Time entries: create, list, read, edit, stop, duplicate, delete, bulk edit, mark invoiced."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self
from urllib.parse import quote

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from ..localtime import day_words, parse_utc
from ..registry import QUERY, RAW_BODY, Operation, Prepared, Preview, ReadBack
from ..types import AccountDateTime, AccountDateTimeEnd, Args, DateTime, Id, Nested, PageSize
from ._common import OptProjectId, OptTagIds, OptTaskId, PageArg, UserId, WorkspaceId, page_size_field

EntryId = Annotated[Id, Field(description="Time entry id.")]
OptType = Annotated[Literal["REGULAR", "BREAK"] | None, Field(description="Entry type.")]
OptBillable = Annotated[bool | None, Field(description="Billable or not.")]
OptDescription = Annotated[str | None, Field(max_length=3000, description="What was done.")]
START = "Start date-time, or now."
OptStart = Annotated[DateTime | None, Field(description=START)]
OptEnd = Annotated[DateTime | None, Field(description="End; omit to start a timer.")]
OptHydrated = Annotated[bool | None, Field(description="true to include project, task, tag and user objects.")]


class CustomFieldValue(Nested):
    customFieldId: Annotated[Id, Field(description="Custom field id.")]
    sourceType: Annotated[
        Literal["WORKSPACE", "PROJECT", "TIMEENTRY"] | None, Field(description="Where the value comes from.")
    ] = None
    value: Annotated[
        str | int | float | bool | list[str] | None,
        Field(description="Value, per the field's type."),
    ] = None


class CustomAttribute(Nested):
    name: Annotated[str, Field(min_length=1, description="Attribute name.")]
    namespace: Annotated[str, Field(min_length=1, description="Attribute namespace.")]
    value: Annotated[str, Field(min_length=1, description="Attribute value.")]


OptCustomFields = Annotated[
    list[CustomFieldValue] | None,
    Field(max_length=50, description="Custom field values (at most 50)."),
]
OptCustomAttributes = Annotated[
    list[CustomAttribute] | None, Field(max_length=10, description="Custom attributes (at most 10; for add-ons).")
]


class _EntryFields(Args):
    billable: OptBillable = None
    customFields: OptCustomFields = None
    description: OptDescription = None
    end: OptEnd = None
    projectId: OptProjectId = None
    start: OptStart = None
    tagIds: OptTagIds = None
    taskId: OptTaskId = None
    type: OptType = None


class CreateTimeEntry(_EntryFields):
    workspaceId: WorkspaceId = None
    customAttributes: OptCustomAttributes = None


class CreateForOthers(CreateTimeEntry):
    userId: UserId = None
    from_entry: Annotated[
        Id | None, Field(alias="from-entry", description="Copy the fields of this time entry id."), QUERY
    ] = None


class GetEntries(Args):
    workspaceId: WorkspaceId = None
    userId: UserId = None
    description: Annotated[str | None, Field(description="Only entries whose description contains this.")] = None
    start: Annotated[AccountDateTime | None, Field(description="Only entries starting at or after this.")] = None
    end: Annotated[
        AccountDateTimeEnd | None, Field(description="Only entries ending at or before this (a date: that whole day).")
    ] = None
    project: Annotated[Id | None, Field(description="Only entries of this project id.")] = None
    task: Annotated[Id | None, Field(description="Only entries of this task id.")] = None
    tags: Annotated[list[Id] | None, Field(description="Only entries with these tag ids.")] = None
    project_required: Annotated[
        bool | None, Field(alias="project-required", description="true: only entries that have a project.")
    ] = None
    task_required: Annotated[
        bool | None, Field(alias="task-required", description="true: only entries that have a task.")
    ] = None
    hydrated: OptHydrated = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)
    in_progress: Annotated[
        bool | None,
        Field(alias="in-progress", description="true: only the running entry (a boolean: the live API wins)."),
    ] = None
    get_week_before: Annotated[
        AccountDateTime | None,
        Field(alias="get-week-before", description="Only entries in the week before this date-time."),
    ] = None


class GetEntry(Args):
    workspaceId: WorkspaceId = None
    id: EntryId
    hydrated: OptHydrated = None


class UpdateTimeEntry(_EntryFields):
    workspaceId: WorkspaceId = None
    id: EntryId
    start: Annotated[DateTime | None, Field(description=START + " Omit to keep the current start.")] = None

    @model_validator(mode="after")
    def _start_stays(self) -> Self:
        if "start" in self.model_fields_set and self.start is None:
            raise ValueError("start: cannot be cleared (every entry has a start); omit it to keep the current one")
        return self


class DeleteEntry(Args):
    workspaceId: WorkspaceId = None
    id: EntryId


class DeleteMany(Args):
    workspaceId: WorkspaceId = None
    userId: UserId = None
    time_entry_ids: Annotated[
        list[Id],
        Field(alias="time-entry-ids", min_length=1, description="Ids of the entries to delete (only these)."),
    ]


class BulkEntry(_EntryFields):
    id: EntryId


class ReplaceMany(Args):
    workspaceId: WorkspaceId = None
    userId: UserId = None
    hydrated: Annotated[OptHydrated, QUERY] = None
    body: Annotated[
        list[BulkEntry],
        Field(min_length=1, description="Entries to rewrite, each with its id; sent as the request body array."),
        RAW_BODY,
    ]


class DuplicateTimeEntry(Args):
    workspaceId: WorkspaceId = None
    userId: UserId = None
    id: EntryId


class StopRunningTimeEntry(Args):
    workspaceId: WorkspaceId = None
    userId: UserId = None
    end: Annotated[DateTime, Field(description="When the timer stops: a date-time or now.")]


class GetInProgress(Args):
    workspaceId: WorkspaceId = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(10, 1000)


def _entry_id_text(value: Any) -> Any:
    """Accept an id string or an object `{"id": ...}` (the seed's shape); Clockify wants the string."""
    if isinstance(value, dict) and set(value) == {"id"}:
        return value["id"]
    return value


_ID_SCHEMA = {"type": "string", "pattern": "^[0-9a-fA-F]{24}$"}
EntryIdOrObject = Annotated[
    Id,
    BeforeValidator(_entry_id_text),
    WithJsonSchema({"anyOf": [_ID_SCHEMA, {"type": "object", "properties": {"id": _ID_SCHEMA}, "required": ["id"]}]}),
]


class UpdateInvoicedStatus(Args):
    workspaceId: WorkspaceId = None
    invoiced: Annotated[bool, Field(description="true marks the entries invoiced, false not invoiced.")]
    timeEntryIds: Annotated[
        list[EntryIdOrObject],
        Field(min_length=1, description='Time entry ids: strings, or objects {"id": "..."}.'),
    ]


def _instant(value: Any) -> Any:
    """Clockify's answer times (sometimes with nanoseconds) in the form its requests take."""
    if not isinstance(value, str) or len(value) < 19:
        return value
    return value[:19] + "Z"


def current_entry_fields(entry: dict[str, Any]) -> dict[str, Any]:
    """A time entry as Clockify returns it, turned into the fields of an update request."""
    interval = entry.get("timeInterval") or {}
    fields: dict[str, Any] = {}
    if interval.get("start"):
        fields["start"] = _instant(interval["start"])
    if interval.get("end"):
        fields["end"] = _instant(interval["end"])
    for key in ("billable", "description", "projectId", "taskId", "tagIds"):
        if entry.get(key) is not None:
            fields[key] = entry[key]
    if entry.get("type") in ("REGULAR", "BREAK"):
        fields["type"] = entry["type"]
    custom = [
        {"customFieldId": v["customFieldId"], "value": v["value"]}
        for v in entry.get("customFieldValues") or []
        if isinstance(v, dict) and v.get("customFieldId") and v.get("value") is not None
    ]
    if custom:
        fields["customFields"] = custom
    return fields


def entry_line(entry: Any) -> str:
    """One line describing a time entry (times as shown: local with their offset, or UTC), for confirmations."""
    if not isinstance(entry, dict):
        return "(unreadable entry)"
    interval = entry.get("timeInterval") or {}
    start, end = str(interval.get("start") or "?"), interval.get("end")
    offset = "UTC" if start.endswith("Z") or len(start) < 20 else f"UTC{start[19:]}"
    when = f"{start[:10]} {start[11:16]}-{str(end)[11:16] if end else 'running'} {offset}"
    duration = f" ({interval['duration']})" if interval.get("duration") else ""
    text = entry.get("description") or "(no description)"
    return f'{when}{duration} "{text}" [{entry.get("id", "?")}]'


USER_ENTRIES = "/workspaces/{workspaceId}/user/{userId}/time-entries"


def _entry_path(args: Any, entry_id: str) -> str:
    return f"/workspaces/{quote(args.workspaceId, safe='')}/time-entries/{quote(entry_id, safe='')}"


def _task_follows_project(merged: dict[str, Any], given: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Clearing or changing the project drops the old task (it belonged to the old project) unless one is given."""
    if "projectId" in given and "taskId" not in given and given["projectId"] != current.get("projectId"):
        merged["taskId"] = None
    return merged


def _entries_of(args: Any) -> list[str]:
    return [_entry_path(args, item.id) for item in args.body]


async def _stopped_timer(args: Any, lookup: Any) -> Prepared:
    """A new timer (no end) stops the user's running one, silently in Clockify: read it first to say so."""
    if "end" in args.model_fields_set or lookup.settings.dry_run:
        return Prepared(args)
    person = await lookup.whose()
    path = f"/workspaces/{quote(args.workspaceId, safe='')}/user/{quote(person.user_id, safe='')}/time-entries"
    running = await lookup.get(path, (("in-progress", "true"), ("page-size", "1")))
    timer = running[0] if isinstance(running, list) and running and isinstance(running[0], dict) else None

    async def after(body: Any) -> list[str]:
        if timer is None or not isinstance(body, dict) or body.get("id") == timer.get("id"):
            return []
        began = parse_utc((timer.get("timeInterval") or {}).get("start"))
        stopped = parse_utc((body.get("timeInterval") or {}).get("start"))
        if began is None or stopped is None:
            return []
        zone = person.zone
        a, b = began.astimezone(zone), stopped.astimezone(zone)
        when = f"{day_words(b.date())} {b:%H:%M}" if a.date() != b.date() else f"{b:%H:%M}"
        return [
            f'Stopped the running timer "{timer.get("description") or "(no description)"}" (started '
            f"{day_words(a.date())} {a:%H:%M}, {getattr(zone, 'key', zone)}) at {when}: Clockify stops a running "
            "timer when a new one starts."
        ]

    return Prepared(args, after=after)


OPERATIONS = [
    Operation(
        name="create_time_entry",
        title="Add a new time entry",
        description=(
            "Add a time entry for yourself: start and end log time; omit end to start a timer. Workspaces "
            "that force projects, tasks or tags reject entries without them."
        ),
        model=CreateTimeEntry,
        method="POST",
        path="/workspaces/{workspaceId}/time-entries",
        prepare=_stopped_timer,
        reads=(USER_ENTRIES,),
    ),
    Operation(
        name="create_for_others",
        title="Add a new time entry for another user",
        description=(
            "Add a time entry for another user (needs admin or manager rights). Same fields as "
            "create_time_entry; from-entry copies an existing entry."
        ),
        model=CreateForOthers,
        method="POST",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        subject="userId",
        prepare=_stopped_timer,
        reads=(USER_ENTRIES,),
    ),
    Operation(
        name="get_entries",
        title="Get time entries for a user",
        description=(
            "List a user's time entries, newest first. Clockify reads start/end as wall-clock time in the "
            "account's zone; the tool converts them so the window is the one you mean."
        ),
        model=GetEntries,
        method="GET",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        read_only=True,
        subject="userId",
    ),
    Operation(
        name="get_entry",
        title="Get a time entry",
        description="Get one time entry by id. An id from another workspace gives HTTP 400, not 404.",
        model=GetEntry,
        method="GET",
        path="/workspaces/{workspaceId}/time-entries/{id}",
        read_only=True,
    ),
    Operation(
        name="update_time_entry",
        title="Update a time entry",
        description=(
            "Change fields of a time entry: the tool keeps what you omit (Clockify's PUT replaces all). null "
            "clears a field; clearing or changing projectId clears taskId unless given."
        ),
        model=UpdateTimeEntry,
        method="PUT",
        path="/workspaces/{workspaceId}/time-entries/{id}",
        idempotent=True,
        merge=ReadBack(
            "/workspaces/{workspaceId}/time-entries/{id}",
            current_entry_fields,
            adjust=_task_follows_project,
            lister="get_entries",
        ),
    ),
    Operation(
        name="delete_entry",
        title="Delete a time entry",
        description="Delete one time entry. Cannot be undone.",
        model=DeleteEntry,
        method="DELETE",
        path="/workspaces/{workspaceId}/time-entries/{id}",
        destructive=True,
        idempotent=True,
        preview=Preview(lambda a: [_entry_path(a, a.id)], entry_line),
        empty_result="Time entry deleted",
    ),
    Operation(
        name="delete_many",
        title="Delete time entries of a user",
        description=(
            "Delete the listed time entries of a user (only the ids in time-entry-ids, not all entries). "
            "Returns the deleted entries. Cannot be undone."
        ),
        model=DeleteMany,
        method="DELETE",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        subject="userId",
        destructive=True,
        idempotent=True,
        preview=Preview(lambda a: [_entry_path(a, i) for i in a.time_entry_ids], entry_line),
    ),
    Operation(
        name="replace_many",
        title="Bulk edit time entries",
        description=(
            "Edit several of a user's time entries at once: body lists them, each with its id and only the "
            "fields to change (null clears); the rest is kept, as in update_time_entry."
        ),
        model=ReplaceMany,
        method="PUT",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        destructive=True,
        idempotent=True,
        subject="userId",
        merge=ReadBack(
            "/workspaces/{workspaceId}/time-entries/{id}",
            current_entry_fields,
            each=_entries_of,
            adjust=_task_follows_project,
            lister="get_entries",
        ),
    ),
    Operation(
        name="duplicate_time_entry",
        title="Duplicate a time entry",
        description="Copy a time entry (same times and fields); returns the new entry.",
        model=DuplicateTimeEntry,
        method="POST",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries/{id}/duplicate",
    ),
    Operation(
        name="stop_running_time_entry",
        title="Stop the running timer",
        description=(
            "Stop the user's running timer at end (end=now to stop it now). HTTP 404 means no timer is running."
        ),
        model=StopRunningTimeEntry,
        method="PATCH",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        subject="userId",
    ),
    Operation(
        name="get_in_progress_time_entries",
        title="Get running timers in a workspace",
        description="List the running time entries of everyone in the workspace (needs admin rights).",
        model=GetInProgress,
        method="GET",
        path="/workspaces/{workspaceId}/time-entries/status/in-progress",
        read_only=True,
    ),
    Operation(
        name="update_invoiced_status",
        title="Mark time entries as invoiced",
        description=(
            "Mark time entries invoiced or not. timeEntryIds go out as id strings, which the live API accepts "
            "(the published schema's objects are rejected)."
        ),
        model=UpdateInvoicedStatus,
        method="PATCH",
        path="/workspaces/{workspaceId}/time-entries/invoiced",
        idempotent=True,
        empty_result="Invoiced status updated",
    ),
]
