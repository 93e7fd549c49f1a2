"""Time entries: create, list, read, edit, stop, duplicate, delete, bulk edit, mark invoiced."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import BeforeValidator, Field, WithJsonSchema

from ..registry import QUERY, RAW_BODY, Operation, Preview, ReadBack
from ..types import AccountDateTime, Args, DateTime, Id, Nested, PageSize
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
    workspaceId: WorkspaceId
    customAttributes: OptCustomAttributes = None


class CreateForOthers(CreateTimeEntry):
    userId: UserId
    from_entry: Annotated[
        Id | None, Field(alias="from-entry", description="Copy the fields of this time entry id."), QUERY
    ] = None


class GetEntries(Args):
    workspaceId: WorkspaceId
    userId: UserId
    description: Annotated[str | None, Field(description="Only entries whose description contains this.")] = None
    start: Annotated[AccountDateTime | None, Field(description="Only entries starting at or after this.")] = None
    end: Annotated[AccountDateTime | None, Field(description="Only entries ending at or before this.")] = None
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
    workspaceId: WorkspaceId
    id: EntryId
    hydrated: OptHydrated = None


class UpdateTimeEntry(_EntryFields):
    workspaceId: WorkspaceId
    id: EntryId
    start: Annotated[DateTime | None, Field(description=START + " Omit to keep the current start.")] = None


class DeleteEntry(Args):
    workspaceId: WorkspaceId
    id: EntryId


class DeleteMany(Args):
    workspaceId: WorkspaceId
    userId: UserId
    time_entry_ids: Annotated[
        list[Id],
        Field(alias="time-entry-ids", min_length=1, description="Ids of the entries to delete (only these)."),
    ]


class BulkEntry(_EntryFields):
    id: EntryId


class ReplaceMany(Args):
    workspaceId: WorkspaceId
    userId: UserId
    hydrated: Annotated[OptHydrated, QUERY] = None
    body: Annotated[
        list[BulkEntry],
        Field(min_length=1, description="Entries to rewrite, each with its id; sent as the request body array."),
        RAW_BODY,
    ]


class DuplicateTimeEntry(Args):
    workspaceId: WorkspaceId
    userId: UserId
    id: EntryId


class StopRunningTimeEntry(Args):
    workspaceId: WorkspaceId
    userId: UserId
    end: Annotated[DateTime, Field(description="When the timer stops: a date-time or now.")]


class GetInProgress(Args):
    workspaceId: WorkspaceId
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
    workspaceId: WorkspaceId
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
    """One line describing a time entry, for confirmations."""
    if not isinstance(entry, dict):
        return "(unreadable entry)"
    interval = entry.get("timeInterval") or {}
    start, end = str(interval.get("start") or "?"), interval.get("end")
    when = f"{start[:10]} {start[11:16]}-{str(end)[11:16] if end else 'running'} UTC"
    duration = f" ({interval['duration']})" if interval.get("duration") else ""
    text = entry.get("description") or "(no description)"
    return f'{when}{duration} "{text}" [{entry.get("id", "?")}]'


def _entry_path(args: Any, entry_id: str) -> str:
    return f"/workspaces/{quote(args.workspaceId, safe='')}/time-entries/{quote(entry_id, safe='')}"


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
            "Change fields of a time entry: only those you give change (null clears one). Clockify's PUT "
            "replaces the whole entry, so the tool reads it first and keeps what you omit."
        ),
        model=UpdateTimeEntry,
        method="PUT",
        path="/workspaces/{workspaceId}/time-entries/{id}",
        idempotent=True,
        merge=ReadBack("/workspaces/{workspaceId}/time-entries/{id}", current_entry_fields),
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
        destructive=True,
        idempotent=True,
        preview=Preview(lambda a: [_entry_path(a, i) for i in a.time_entry_ids], entry_line),
    ),
    Operation(
        name="replace_many",
        title="Bulk edit time entries",
        description=(
            "Rewrite several of a user's time entries at once: body lists them, each with its id and every "
            "field to keep (a replace)."
        ),
        model=ReplaceMany,
        method="PUT",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        destructive=True,
        idempotent=True,
        preview=Preview(lambda a: [_entry_path(a, item.id) for item in a.body], entry_line),
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
