"""Approvals: list approval requests, submit and resubmit timesheets (your own or a user's), approve or reject."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..client import ClockifyError, TransportFailure
from ..localtime import day_words, parse_utc
from ..registry import Operation, Prepared
from ..types import Args, Id, PageSize, parse_day_or_datetime
from ._common import OptSortOrder, PageArg, UserId, WorkspaceId, page_size_field

PERIODS = ("WEEKLY", "SEMI_MONTHLY", "MONTHLY")
LIST_PATH = "/workspaces/{workspaceId}/approval-requests"


def _any_day(value: Any) -> Any:
    try:
        return parse_day_or_datetime(value)
    except PydanticCustomError:
        raise PydanticCustomError("period_day", "expected a day like 2026-11-23 (any day of the period)") from None


def _first_day_text(value: date | datetime) -> str:
    """The period's first day as Clockify takes it: `yyyy-MM-ddT12:00:00Z`.

    Noon UTC falls on that calendar day whether Clockify reads the text's date or the instant in any
    owner's zone from UTC-12 to UTC+11 (further east it is the second day, still inside the period), so
    the period is the same under either reading (docs/clockify-api-notes.md §whose-days: no evidence says which).
    """
    day = value.date() if isinstance(value, datetime) else value
    return f"{day.isoformat()}T12:00:00Z"


PeriodStart = Annotated[
    date | datetime,
    BeforeValidator(_any_day),
    PlainSerializer(_first_day_text, return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
    Field(description="Any day of the period, e.g. 2026-11-23; sent as the period's first day in the owner's zone."),
]
OptPeriod = Annotated[
    Literal["WEEKLY", "SEMI_MONTHLY", "MONTHLY"] | None,
    Field(description="Must equal the workspace's approval period."),
]


class GetApprovalRequests(Args):
    workspaceId: WorkspaceId = None
    status: Annotated[
        Literal["PENDING", "APPROVED", "WITHDRAWN_APPROVAL"] | None, Field(description="Only requests in this state.")
    ] = None
    sort_column: Annotated[
        Literal["ID", "USER_ID", "START", "UPDATED_AT"] | None,
        Field(alias="sort-column", description="Sort by this column."),
    ] = None
    sort_order: Annotated[OptSortOrder, Field(alias="sort-order")] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class SubmitApproval(Args):
    workspaceId: WorkspaceId = None
    period: OptPeriod = None
    periodStart: PeriodStart


class SubmitApprovalForOther(SubmitApproval):
    userId: UserId = None


class UpdateApprovalStatus(Args):
    workspaceId: WorkspaceId = None
    approvalRequestId: Annotated[
        Id, Field(description="Approval request id (approvalRequest.id from get_approval_requests).")
    ]
    note: Annotated[str | None, Field(description="Note shown with the new state (e.g. why it was rejected).")] = None
    state: Annotated[
        Literal["PENDING", "APPROVED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL", "REJECTED"],
        Field(description="New state of the request."),
    ]


def period_of(day: date, period: str, week_start: int) -> tuple[date, date]:
    """First and last day of the approval period `day` falls in (weekly: from the owner's week start)."""
    if period == "WEEKLY":
        first = day - timedelta(days=(day.weekday() - week_start) % 7)
        return first, first + timedelta(days=6)
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    if period == "SEMI_MONTHLY":
        return (
            (day.replace(day=1), day.replace(day=15))
            if day.day <= 15
            else (day.replace(day=16), day.replace(day=last_of_month))
        )
    return day.replace(day=1), day.replace(day=last_of_month)


async def workspace_period(lookup: Any) -> str | None:
    """The workspace's approval period, read off its newest approval request (Clockify has no route that
    shows the setting itself); None when there is none to read."""
    path = LIST_PATH.format(workspaceId=lookup.workspace_id)
    query = (("sort-column", "START"), ("sort-order", "DESCENDING"), ("page-size", "1"))
    try:
        body = await lookup.get(path, query)
    except (ClockifyError, TransportFailure):
        return None
    item = body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else {}
    span = (item.get("approvalRequest") or {}).get("dateRange") or {}
    start, end = parse_utc(span.get("start")), parse_utc(span.get("end"))
    if start is None or end is None:
        return None
    days = round((end - start).total_seconds() / 86400)
    return "WEEKLY" if days <= 7 else "SEMI_MONTHLY" if days <= 16 else "MONTHLY"


async def snap_to_period(args: Any, lookup: Any) -> Prepared:
    """Read periodStart as a day of the owner, check the period, send the period's first day."""
    person = await lookup.whose()
    given = args.periodStart
    if isinstance(given, datetime):
        day = given.astimezone(person.zone).date() if given.tzinfo else given.date()
    else:
        day = given
    setting = await workspace_period(lookup)
    if setting and args.period and args.period != setting:
        return Prepared(
            args,
            refuse=(
                f"Invalid arguments; nothing was sent to Clockify.\n- period: {args.period} is not this workspace's "
                f"approval period, which is {setting} (omit period to use it)."
            ),
        )
    period = setting or args.period or "WEEKLY"
    first, last = period_of(day, period, person.week_start_index)
    update: dict[str, Any] = {"periodStart": first}
    if setting or args.period:
        update["period"] = period
    whose = f"{person.name}'s" if person.name and lookup.subject_id else "the"
    zone = getattr(person.zone, "key", str(person.zone))
    span = f"{day_words(first, year=first.year != last.year)} to {day_words(last)}, {zone}"

    async def after(_: Any) -> list[str]:
        return [
            f"Period: {span} ({whose} {period.lower().replace('_', '-')} approval period containing {day.isoformat()})."
        ]

    return Prepared(args.model_copy(update=update), after=after)


OPERATIONS = [
    Operation(
        name="get_approval_requests",
        title="Get approval requests",
        description=(
            "List approval requests (submitted timesheets) with totals, entries and expenses. Items are "
            "large: use a small page-size."
        ),
        model=GetApprovalRequests,
        method="GET",
        path=LIST_PATH,
        read_only=True,
    ),
    Operation(
        name="create_apprroval_request",
        title="Submit an approval request",
        description=(
            "Submit your time (and expenses) of one approval period for approval. The name's typo is "
            "Clockify's own operation id."
        ),
        model=SubmitApproval,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests",
        prepare=snap_to_period,
        reads=(LIST_PATH,),
    ),
    Operation(
        name="create_approval_for_other",
        title="Submit an approval request for a user",
        description="Submit a user's time of one approval period for approval (admin or manager rights).",
        model=SubmitApprovalForOther,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/users/{userId}",
        subject="userId",
        prepare=snap_to_period,
        reads=(LIST_PATH,),
    ),
    Operation(
        name="resubmit_approval_request",
        title="Resubmit entries for approval",
        description="Add your rejected or withdrawn entries/expenses to the period's existing approval request.",
        model=SubmitApproval,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/resubmit-entries-for-approval",
        idempotent=True,
        prepare=snap_to_period,
        reads=(LIST_PATH,),
    ),
    Operation(
        name="resubmit_approval_request_for_other",
        title="Resubmit a user's entries for approval",
        description=(
            "Add a user's rejected or withdrawn entries/expenses to the period's approval request (admin or "
            "manager rights)."
        ),
        model=SubmitApprovalForOther,
        method="POST",
        path="/workspaces/{workspaceId}/approval-requests/users/{userId}/resubmit-entries-for-approval",
        idempotent=True,
        subject="userId",
        prepare=snap_to_period,
        reads=(LIST_PATH,),
    ),
    Operation(
        name="update_approval_status",
        title="Approve, reject or withdraw an approval request",
        description=(
            "Set an approval request's state: APPROVED or REJECTED (approvers), WITHDRAWN_SUBMISSION (the "
            "submitter), WITHDRAWN_APPROVAL (undo an approval) or PENDING."
        ),
        model=UpdateApprovalStatus,
        method="PATCH",
        path="/workspaces/{workspaceId}/approval-requests/{approvalRequestId}",
        destructive=True,
        idempotent=True,
    ),
]
