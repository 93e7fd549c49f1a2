"""Time off: request it (for yourself or a user), approve or reject, withdraw, search, read and set balances."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    SerializationInfo,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticSerializationError

from ..localtime import day_words, parse_utc, zone_named
from ..registry import Operation, Prepared
from ..types import Args, Date, DateTime, Id, NeedsTimezone, Nested, Page, PageSize
from ._common import OptSortOrder, PolicyId, UserId, WorkspaceId, page_size_field

RequestId = Annotated[Id, Field(description="Time-off request id (from get_off_request).")]
OptNote = Annotated[str | None, Field(description="Note for the request.")]

# --- the period of a request -------------------------------------------------------------------------------
#
# Clockify takes a different period per policy unit (docs/clockify-api-notes.md §time-off-period): a DAYS
# policy wants {start: yyyy-MM-dd, days: N} (an end is refused), an HOURS policy wants {start, end} as
# date-times without milliseconds.
# `start` therefore accepts either a date or a date-time, and the model checks the combination.

_DAY = TypeAdapter(Date)
_INSTANT = TypeAdapter(DateTime)


def _day_or_instant(value: Any) -> Any:
    if isinstance(value, date):  # a date, or a datetime (a subclass)
        return value
    try:
        if isinstance(value, str) and len(value.strip()) == 10:
            return _DAY.validate_python(value)
        return _INSTANT.validate_python(value)
    except ValidationError:
        raise PydanticCustomError(
            "period_start",
            "expected a date like 2026-11-28 (DAYS policy) or a date-time like 2026-11-28T09:00:00Z (HOURS policy)",
        ) from None


def _dump_day_or_instant(value: datetime | date, info: SerializationInfo) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    try:
        text: str = _INSTANT.dump_python(value, mode="json", context=info.context)
        return text
    except PydanticSerializationError as exc:
        if isinstance(exc.__cause__, NeedsTimezone):
            raise NeedsTimezone from None
        raise


DayOrInstant = Annotated[
    datetime | date,
    BeforeValidator(_day_or_instant),
    PlainSerializer(_dump_day_or_instant, return_type=str),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
]
"""A bare date (sent as yyyy-MM-dd) or a date-time (sent as UTC yyyy-MM-ddThh:mm:ssZ)."""


class PeriodV1(Nested):
    start: Annotated[
        DayOrInstant,
        Field(
            description="DAYS policy: first day, yyyy-MM-dd. HOURS policy: start date-time, e.g. 2026-11-28T09:00:00Z."
        ),
    ]
    end: Annotated[DateTime | None, Field(description="HOURS policy only: end date-time.")] = None
    days: Annotated[int | None, Field(ge=1, le=999, description="DAYS policy only: number of days (1-999).")] = None


HalfDay = Literal["FIRST_HALF", "SECOND_HALF", "NOT_DEFINED"]


class TimeOffPeriodV1(Nested):
    period: Annotated[
        PeriodV1,
        Field(description="DAYS policy: {start: yyyy-MM-dd, days}. HOURS policy: {start, end} as date-times."),
    ]
    isHalfDay: Annotated[bool | None, Field(description="true for a half day (policies that allow half days).")] = None
    halfDayPeriod: Annotated[HalfDay | None, Field(description="Which half, with isHalfDay=true.")] = None


PERIOD_SHAPE = (
    "timeOffPeriod.period: a DAYS policy takes start (yyyy-MM-dd) and days; "
    "an HOURS policy takes start and end date-times"
)


class CreateTimeOffRequest(Args):
    workspaceId: WorkspaceId = None
    policyId: PolicyId
    note: OptNote = None
    timeOffPeriod: Annotated[
        TimeOffPeriodV1,
        Field(description="Period and half-day settings; the period's shape depends on the policy's unit."),
    ]

    @model_validator(mode="after")
    def _period_shape(self) -> CreateTimeOffRequest:
        period = self.timeOffPeriod.period
        if isinstance(period.start, datetime):
            if period.end is None or period.days is not None:
                raise ValueError(PERIOD_SHAPE)
            same_kind = (period.start.tzinfo is None) == (period.end.tzinfo is None)
            if same_kind and period.end <= period.start:
                raise ValueError("timeOffPeriod.period.end: must be after start")
        elif period.days is None or period.end is not None:
            raise ValueError(PERIOD_SHAPE)
        return self


class CreateTimeOffRequestForOther(CreateTimeOffRequest):
    userId: UserId = None


class ChangeTimeOffRequestStatus(Args):
    workspaceId: WorkspaceId = None
    policyId: PolicyId
    requestId: RequestId
    note: Annotated[str | None, Field(description="Note for the decision (e.g. why it was rejected).")] = None
    status: Annotated[
        Literal["APPROVED", "REJECTED"],
        Field(description="APPROVED or REJECTED (required; the only values Clockify accepts)."),
    ]


class DeleteTimeOffRequest(Args):
    workspaceId: WorkspaceId = None
    policyId: PolicyId
    requestId: RequestId


def _no_duplicates(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("list each user id once")
    return values


class GetTimeOffRequests(Args):
    workspaceId: WorkspaceId = None
    end: Annotated[DateTime | None, Field(description="Only requests created before this date-time.")] = None
    page: Annotated[Page | None, Field(le=1000, description="Page, 1-1000.")] = None
    pageSize: PageSize | None = page_size_field(50, 200, alias="pageSize")
    start: Annotated[DateTime | None, Field(description="Only requests created after this date-time.")] = None
    statuses: Annotated[
        list[Literal["PENDING", "APPROVED", "REJECTED", "ALL"]] | None,
        Field(description="Only requests with these statuses (ALL for every status)."),
    ] = None
    userGroups: Annotated[list[Id] | None, Field(description="Only requests of users in these user group ids.")] = None
    users: Annotated[list[Id] | None, Field(description="Only requests of these user ids (omit for everyone).")] = None


BalancePage = Annotated[Page | None, Field(le=1000, description="Page, 1-1000.")]
OptBalanceSort = Annotated[
    Literal["USER", "POLICY", "USED", "BALANCE", "TOTAL"] | None, Field(description="Sort by this column.")
]


class _BalanceList(Args):
    """Paging and sorting shared by both balance lists."""

    workspaceId: WorkspaceId = None
    page: BalancePage = None
    page_size: PageSize | None = page_size_field(50, 200)
    sort: OptBalanceSort = None
    sort_order: Annotated[OptSortOrder, Field(alias="sort-order")] = None


class GetBalancesForPolicy(_BalanceList):
    policyId: PolicyId


class GetBalancesForUser(_BalanceList):
    userId: UserId = None


class UpdateBalance(Args):
    workspaceId: WorkspaceId = None
    policyId: PolicyId
    note: Annotated[str | None, Field(description="Reason for the change (recommended).")] = None
    userIds: Annotated[
        list[Id], AfterValidator(_no_duplicates), Field(min_length=1, description="Ids of the users to update.")
    ]
    value: Annotated[
        float, Field(ge=-10000, le=10000, description="New balance, in the policy's unit (-10000 to 10000).")
    ]


def time_off_note(body: Any, fallback: Any) -> list[str]:
    """`Time off: Mon 11 Jan to Wed 13 Jan 2027 (America/New_York), 3 days, PENDING.` (the person's days)."""
    if not isinstance(body, dict):
        return []
    period = ((body.get("timeOffPeriod") or {}).get("period")) or {}
    start, end = parse_utc(period.get("start")), parse_utc(period.get("end"))
    zone = zone_named(body.get("userTimeZone")) or fallback
    if start is None or end is None or zone is None:
        return []
    a, b = start.astimezone(zone), end.astimezone(zone)
    if body.get("timeUnit") == "HOURS":
        when = f"{day_words(a.date())} {a:%H:%M} to " + (
            f"{b:%H:%M}" if a.date() == b.date() else f"{day_words(b.date())} {b:%H:%M}"
        )
    else:
        when = (
            day_words(a.date())
            if a.date() == b.date()
            else f"{day_words(a.date(), year=a.year != b.year)} to {day_words(b.date())}"
        )
    amount = body.get("balanceDiff")
    unit = "hour" if body.get("timeUnit") == "HOURS" else "day"
    taken = f", {amount:g} {unit}{'' if amount == 1 else 's'}" if isinstance(amount, int | float) else ""
    status = (body.get("status") or {}).get("statusType")
    who = f" for {body['userName']}" if body.get("userName") else ""
    return [f"Time off{who}: {when} ({getattr(zone, 'key', zone)}){taken}" + (f", {status}." if status else ".")]


async def _note_the_days(args: Any, lookup: Any) -> Prepared:
    async def after(body: Any) -> list[str]:
        return time_off_note(body, await lookup.display_zone())

    return Prepared(args, after=after)


OPERATIONS = [
    Operation(
        name="create_time_off_request",
        title="Request time off",
        description=(
            "Request time off for yourself. The period follows the policy's unit (get_time_off_policies): "
            "DAYS {start: yyyy-MM-dd, days}, HOURS {start, end} date-times. No timeZone field exists."
        ),
        model=CreateTimeOffRequest,
        method="POST",
        path="/workspaces/{workspaceId}/time-off/policies/{policyId}/requests",
        prepare=_note_the_days,
    ),
    Operation(
        name="create_time_off_request_for_other",
        title="Request time off for a user",
        description=(
            "Request time off for a user (admin or manager rights). Period as in create_time_off_request: "
            "DAYS {start: yyyy-MM-dd, days}, HOURS {start, end}."
        ),
        model=CreateTimeOffRequestForOther,
        method="POST",
        path="/workspaces/{workspaceId}/time-off/policies/{policyId}/users/{userId}/requests",
        subject="userId",
        prepare=_note_the_days,
    ),
    Operation(
        name="change_time_off_request_status",
        title="Approve or reject a time-off request",
        description=(
            "Approve or reject a time-off request. status is required (the live API wins over the schema). "
            "REJECTED is final."
        ),
        model=ChangeTimeOffRequestStatus,
        method="PATCH",
        path="/workspaces/{workspaceId}/time-off/policies/{policyId}/requests/{requestId}",
        destructive=True,
        idempotent=True,
    ),
    Operation(
        name="delete_off_request",
        title="Withdraw a time-off request",
        description=(
            "Withdraw (delete) a PENDING time-off request; Clockify refuses approved ones. "
            "Returns the withdrawn request."
        ),
        model=DeleteTimeOffRequest,
        method="DELETE",
        path="/workspaces/{workspaceId}/time-off/policies/{policyId}/requests/{requestId}",
        destructive=True,
        idempotent=True,
    ),
    Operation(
        name="get_off_request",
        title="Search time-off requests",
        description=(
            "Search time-off requests (a read-only POST; all filters optional). start/end filter on when a "
            "request was created, not the time off. No policy filter: check policyId."
        ),
        model=GetTimeOffRequests,
        method="POST",
        path="/workspaces/{workspaceId}/time-off/requests",
        read_only=True,
    ),
    Operation(
        name="get_balances_for_policy",
        title="Get time-off balances of a policy",
        description="Every user's balance (balance, used, total) on one time-off policy.",
        model=GetBalancesForPolicy,
        method="GET",
        path="/workspaces/{workspaceId}/time-off/balance/policy/{policyId}",
        read_only=True,
    ),
    Operation(
        name="get_balances_for_user",
        title="Get time-off balances of a user",
        description=(
            "One user's balances (balance, used, total) on every policy. page and page-size are integers (the "
            "schema says strings; the live API wins)."
        ),
        model=GetBalancesForUser,
        method="GET",
        path="/workspaces/{workspaceId}/time-off/balance/user/{userId}",
        read_only=True,
    ),
    Operation(
        name="update_balance",
        title="Update time-off balances",
        description=(
            "Set the balance of the listed users on a policy (value is the new balance). No response body: "
            "check with get_balances_for_user."
        ),
        model=UpdateBalance,
        method="PATCH",
        path="/workspaces/{workspaceId}/time-off/balance/policy/{policyId}",
        destructive=True,
        empty_result="Balance updated",
    ),
]
