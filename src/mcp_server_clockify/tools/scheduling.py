"""Scheduling: assignments (list, create, edit, copy, delete, publish) and scheduled-capacity totals.

All windows are date-times (`start`/`end`); an assignment's daily start is a time of day (`startTime`).
Assignment writes answer with an array of assignments, one per weekly occurrence, even for a single one;
publishing answers with no body at all.
The totals searches are POSTs with a camelCase `pageSize` in the body (a kebab `page-size` is ignored there).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from ..localtime import day_list, parse_utc
from ..registry import BODY, QUERY, Operation, Prepared
from ..types import Args, ClockTime, DayEnd, DayOrDateTime, DayStart, Id, Nested, PageSize
from ._common import (
    OptSortOrder,
    OptTaskId,
    PageArg,
    ProjectId,
    UserId,
    WorkspaceId,
    check_order,
    page_size_field,
)

AssignmentId = Annotated[Id, Field(description="Assignment id.")]
Start = Annotated[DayStart, Field(description="Window start: a day (yyyy-MM-dd) or a date-time.")]
End = Annotated[DayEnd, Field(description="Window end: a day (included) or a date-time.")]
SeriesOption = Literal["THIS_ONE", "THIS_AND_FOLLOWING", "ALL"]
OptSeriesOption = Annotated[SeriesOption | None, Field(description="Which occurrences of a series.")]
MembershipStatus = Literal["PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"]
ContainsFilter = Annotated[
    Literal["CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"] | None,
    Field(description="How ids apply."),
]
OptStatusFilter = Annotated[
    Literal["PUBLISHED", "UNPUBLISHED", "ALL"] | None,
    Field(description="Count published, unpublished or all assignments."),
]


OptBillable = Annotated[bool | None, Field(description="Billable or not.")]
OptHoursPerDay = Annotated[float | None, Field(gt=0, le=24, description="Hours per day.")]
OptNonWorking = Annotated[bool | None, Field(description="true: also schedule weekends and other non-working days.")]
OptNote = Annotated[str | None, Field(max_length=100, description="Note (at most 100 characters).")]
OptStartTime = Annotated[ClockTime | None, Field(description="Start time of day, hh:mm:ss (24-hour).")]


class UserFilter(Nested):
    ids: Annotated[list[Id] | None, Field(description="User ids.")] = None
    contains: ContainsFilter = None
    status: Annotated[MembershipStatus | None, Field(description="Membership status.")] = None
    statuses: Annotated[list[MembershipStatus] | None, Field(description="Membership statuses.")] = None
    sourceType: Annotated[
        Literal["USER_GROUP"] | None, Field(description="Authorization source type (only USER_GROUP).")
    ] = None


class UserGroupFilter(Nested):
    ids: Annotated[list[Id] | None, Field(description="User group ids.")] = None
    contains: ContainsFilter = None
    status: Annotated[MembershipStatus | None, Field(description="Membership status.")] = None


OptUserFilter = Annotated[UserFilter | None, Field(description="Only these users.")]
OptUserGroupFilter = Annotated[UserGroupFilter | None, Field(description="Only users of these groups.")]


class RecurringAssignment(Nested):
    weeks: Annotated[int, Field(ge=1, le=99, description="Number of weeks (1 to 99).")]
    repeat: Annotated[bool | None, Field(description="true: the assignment repeats weekly.")] = None


class _Window(Args):
    """A workspace's tool over a [start, end] window, which must be in order."""

    workspaceId: WorkspaceId = None
    start: Start
    end: End

    @model_validator(mode="after")
    def _window(self) -> Self:
        check_order(self.start, self.end)
        return self


class GetAllAssignments(_Window):
    name: Annotated[str | None, Field(description="Only assignments matching this name.")] = None
    sort_column: Annotated[
        Literal["PROJECT", "USER", "ID"] | None, Field(alias="sort-column", description="Sort by this column.")
    ] = None
    sort_order: Annotated[OptSortOrder, Field(alias="sort-order")] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class GetFilteredProjectTotals(_Window):
    search: Annotated[str | None, Field(description="Only projects or clients whose name contains this.")] = None
    statusFilter: OptStatusFilter = None
    page: PageArg = None
    pageSize: PageSize | None = page_size_field(50, 200, alias="pageSize")  # in the body: not kebab


class GetProjectTotalsForSingleProject(_Window):
    projectId: ProjectId


class PublishAssignments(_Window):
    notifyUsers: Annotated[bool | None, Field(description="true: email the people whose schedule is published.")] = None
    search: Annotated[str | None, Field(description="Only assignments matching this search text.")] = None
    viewType: Annotated[
        Literal["PROJECTS", "TEAM", "ALL"] | None, Field(description="Scheduling view the publish applies to.")
    ] = None
    userFilter: OptUserFilter = None
    userGroupFilter: OptUserGroupFilter = None


class CreateRecurring(_Window):
    userId: Annotated[Id, Field(description="User to schedule (from get_users).")]
    projectId: ProjectId
    start: Annotated[DayOrDateTime, Field(description="First day, e.g. 2026-05-26 (the assignee's day).")]
    end: Annotated[DayOrDateTime, Field(description="Last day, e.g. 2026-05-30.")]
    hoursPerDay: Annotated[float, Field(gt=0, le=24, description="Hours per day, e.g. 7.5.")]
    taskId: OptTaskId = None
    billable: OptBillable = None
    includeNonWorkingDays: OptNonWorking = None
    note: OptNote = None
    startTime: OptStartTime = None
    recurringAssignment: Annotated[
        RecurringAssignment | None, Field(description="Repeat weekly: {weeks, repeat}. Omit for a one-off.")
    ] = None


class EditRecurring(_Window):
    assignmentId: AssignmentId
    start: Annotated[DayOrDateTime, Field(description="First day, e.g. 2026-05-26 (required on every edit).")]
    end: Annotated[DayOrDateTime, Field(description="Last day (required on every edit).")]
    hoursPerDay: OptHoursPerDay = None
    taskId: OptTaskId = None
    billable: OptBillable = None
    includeNonWorkingDays: OptNonWorking = None
    note: OptNote = None
    startTime: OptStartTime = None
    seriesUpdateOption: Annotated[OptSeriesOption, BODY] = None


class EditRecurringPeriod(Args):
    workspaceId: WorkspaceId = None
    assignmentId: AssignmentId
    weeks: Annotated[int, Field(ge=1, le=99, description="Number of weeks the series runs (1 to 99).")]
    repeat: Annotated[bool | None, Field(description="true: the assignment repeats weekly.")] = None


class DeleteRecurringAssignment(Args):
    workspaceId: WorkspaceId = None
    assignmentId: AssignmentId
    seriesUpdateOption: Annotated[OptSeriesOption, QUERY] = None


class CopyAssignment(Args):
    workspaceId: WorkspaceId = None
    assignmentId: AssignmentId
    userId: Annotated[Id, Field(description="User who gets the copy (from get_users).")]
    seriesUpdateOption: Annotated[OptSeriesOption, BODY] = None


class GetUserTotals(_Window):
    search: Annotated[str | None, Field(description="Only users whose name or email contains this.")] = None
    statusFilter: OptStatusFilter = None
    userFilter: OptUserFilter = None
    userGroupFilter: OptUserGroupFilter = None
    page: PageArg = None
    pageSize: PageSize | None = page_size_field(50, 200, alias="pageSize")  # in the body: not kebab


class GetUserTotalsForSingleUser(_Window):
    userId: UserId = None
    page: PageArg = None
    page_size: Annotated[PageSize | None, Field(alias="page-size", description="Ignored by Clockify here.")] = None


DAYS_SHOWN = 21
"""Scheduled days listed by name at most in a write's note (longer series are summarised)."""


def scheduled_days(assignment: dict[str, Any], zone: Any) -> list[date]:
    """The assignee's days an assignment (AssignmentDtoV1) books hours on: its period minus excluded days."""
    period = assignment.get("period") or {}
    start, end = parse_utc(period.get("start")), parse_utc(period.get("end"))
    if start is None or end is None:
        return []
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    excluded = {str(d.get("date"))[:10] for d in assignment.get("excludeDays") or [] if isinstance(d, dict)}
    days, day = [], first
    while day <= last:
        if day.isoformat() not in excluded:
            days.append(day)
        day += timedelta(days=1)
    return days


def schedule_note(body: Any, zone_of: Any) -> list[str]:
    """`Scheduled Mon 7 Dec, Tue 8 Dec, Wed 9 Dec 2026 (America/New_York): 4 h a day, 12 h in all.`"""
    items = [a for a in body if isinstance(a, dict)] if isinstance(body, list) else []
    days: list[date] = []
    hours = 0.0
    zones = set()
    for item in items:
        zone = zone_of(item.get("userId"))
        zones.add(getattr(zone, "key", str(zone)))
        booked = scheduled_days(item, zone)
        days += booked
        hours += len(booked) * float(item.get("hoursPerDay") or 0)
    if not items:
        return []
    per_day = sorted({float(i.get("hoursPerDay") or 0) for i in items})
    shown = (
        day_list(days)
        if len(days) <= DAYS_SHOWN
        else f"{len(days)} days from {day_list(days[:1])} to {day_list(days[-1:])}"
    )
    rate = f"{per_day[0]:g} h a day, " if len(per_day) == 1 else ""
    return [f"Scheduled {shown} ({', '.join(sorted(zones))}): {rate}{hours:g} h in all."]


async def assignee_days(args: Any, lookup: Any) -> Prepared:
    """Resolve the assignee's zone (bare dates are their days) so the note names the days booked."""
    person = await lookup.whose()

    async def after(body: Any) -> list[str]:
        return schedule_note(body, lambda user_id: lookup.zone_of_user(user_id) or person.zone)

    return Prepared(args, after=after)


async def edited_days(args: Any, lookup: Any) -> Prepared:
    owner = await lookup.owner()

    async def after(body: Any) -> list[str]:
        users = {a.get("userId") for a in body if isinstance(a, dict)} if isinstance(body, list) else set()
        for user_id in users:
            if isinstance(user_id, str):
                await lookup.person(user_id)  # caches their zone (one list call for the team)
        return schedule_note(body, lambda user_id: lookup.zone_of_user(user_id) or owner.zone)

    return Prepared(args, after=after)


OPERATIONS = [
    Operation(
        name="get_all_assignments",
        title="Get all assignments",
        description=(
            "List the scheduled assignments in a workspace that overlap [start, end] (both required), with "
            "user, project, client and task names."
        ),
        model=GetAllAssignments,
        method="GET",
        path="/workspaces/{workspaceId}/scheduling/assignments/all",
        read_only=True,
    ),
    Operation(
        name="get_filtered_project_totals",
        title="Get scheduled totals per project",
        description=(
            "Scheduled hours per project in [start, end], with the days that have assignments. A read-only "
            "POST search, paged with page and camelCase pageSize."
        ),
        model=GetFilteredProjectTotals,
        method="POST",
        path="/workspaces/{workspaceId}/scheduling/assignments/projects/totals",
        read_only=True,
    ),
    Operation(
        name="get_project_totals_for_single_project",
        title="Get scheduled totals of a project",
        description=(
            "Scheduled hours of one project in [start, end], with the days that have assignments. An empty "
            "answer means nothing is scheduled on it in that range."
        ),
        model=GetProjectTotalsForSingleProject,
        method="GET",
        path="/workspaces/{workspaceId}/scheduling/assignments/projects/totals/{projectId}",
        read_only=True,
        empty_result="No scheduled capacity for this project in that range",
    ),
    Operation(
        name="publish_assignments",
        title="Publish assignments",
        description=(
            "Publish every draft assignment overlapping [start, end] (narrow with search or the filters); "
            "notifyUsers=true emails the people concerned. No response body."
        ),
        model=PublishAssignments,
        method="PUT",
        path="/workspaces/{workspaceId}/scheduling/assignments/publish",
        empty_result="Assignments published",
    ),
    Operation(
        name="create_recurring",
        title="Create a scheduled assignment",
        description=(
            "Schedule a user on a project for [start, end] at hoursPerDay; recurringAssignment repeats it "
            "weekly (omit for a one-off). Answers an array of assignments, one per week; the first element's "
            "id is the assignment id."
        ),
        model=CreateRecurring,
        method="POST",
        path="/workspaces/{workspaceId}/scheduling/assignments/recurring",
        subject="userId",
        prepare=assignee_days,
    ),
    Operation(
        name="edit_recurring",
        title="Update a scheduled assignment",
        description=(
            "Change an assignment (start and end are always required); for a series, seriesUpdateOption picks "
            "the occurrences. Answers an array of assignments, one per changed week."
        ),
        model=EditRecurring,
        method="PATCH",
        path="/workspaces/{workspaceId}/scheduling/assignments/recurring/{assignmentId}",
        idempotent=True,
        prepare=edited_days,
        reads=("/workspaces/{workspaceId}/users",),
    ),
    Operation(
        name="edit_recurring_period",
        title="Change the recurring period",
        description=(
            "Set how many weeks an assignment series runs and whether it repeats; Clockify accepts it only if "
            "the assignment spans at most a week. Answers an array of assignments, one per week."
        ),
        model=EditRecurringPeriod,
        method="PUT",
        path="/workspaces/{workspaceId}/scheduling/assignments/series/{assignmentId}",
        destructive=True,
        idempotent=True,
    ),
    Operation(
        name="delete_rrecurring_assignment",
        title="Delete a scheduled assignment",
        description=(
            "Delete an assignment; for a series, seriesUpdateOption picks the occurrences. Answers an array "
            "of assignments (the deleted ones). Cannot be undone."
        ),
        model=DeleteRecurringAssignment,
        method="DELETE",
        path="/workspaces/{workspaceId}/scheduling/assignments/recurring/{assignmentId}",
        destructive=True,
        idempotent=True,
        empty_result="Assignment deleted",
    ),
    Operation(
        name="copy_assignment",
        title="Copy a scheduled assignment",
        description=(
            "Copy an assignment to another user (userId) over the same days. Answers an array of assignments; "
            "the first element's id is the new assignment's id."
        ),
        model=CopyAssignment,
        method="POST",
        path="/workspaces/{workspaceId}/scheduling/assignments/{assignmentId}/copy",
    ),
    Operation(
        name="get_user_totals",
        title="Get scheduled capacity of users",
        description=(
            "Each user's capacity (capacityPerDay in seconds) and scheduled hours per day in [start, end]. A "
            "read-only POST search, paged with page and camelCase pageSize."
        ),
        model=GetUserTotals,
        method="POST",
        path="/workspaces/{workspaceId}/scheduling/assignments/user-filter/totals",
        read_only=True,
    ),
    Operation(
        name="get_user_totals_for_single_user",
        title="Get scheduled capacity of a user",
        description=(
            "One user's capacity (capacityPerDay in seconds) and scheduled hours per day in [start, end]. An "
            "empty answer means no capacity data; page and page-size change nothing."
        ),
        model=GetUserTotalsForSingleUser,
        method="GET",
        path="/workspaces/{workspaceId}/scheduling/assignments/users/{userId}/totals",
        read_only=True,
        empty_result="No scheduled capacity for this user in that range",
    ),
]
