"""Holidays: list (all, or one user's in a period), create, replace, delete.

Holiday days are plain dates (`datePeriod` in yyyy-MM-dd); only the in-period search takes date-times.
Who a holiday applies to is written as `users` / `userGroups` filter objects, although Clockify reads it
back as flat `userIds` / `userGroupIds`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..registry import Operation, ReadBack
from ..types import Args, Date, DayEnd, DayStart, Id, Nested
from ._common import OptProjectId, OptTaskId, UserId, WorkspaceId, check_order

_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")


def _check_color(value: str) -> str:
    if _COLOR_RE.fullmatch(value):
        return value
    raise PydanticCustomError("color", "expected a color like #8BC34A (# and six hex digits)")


Color = Annotated[str, AfterValidator(_check_color), WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"})]

HolidayId = Annotated[Id, Field(description="Holiday id (from get_holidays).")]
OptColor = Annotated[Color | None, Field(description="Color #RRGGBB, e.g. #8BC34A.")]
OptEveryone = Annotated[bool | None, Field(description="true: applies to everyone, including users who join later.")]
MembershipStatus = Literal["PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"]


class DatePeriod(Nested):
    startDate: Annotated[Date, Field(description="First day, yyyy-MM-dd.")]
    endDate: Annotated[Date, Field(description="Last day, yyyy-MM-dd (equal to startDate for one day).")]


class DefaultEntities(Nested):
    projectId: OptProjectId = None
    taskId: OptTaskId = None


class AutomaticTimeEntryCreation(Nested):
    enabled: Annotated[bool | None, Field(description="true: Clockify logs the holiday as time entries.")] = None
    defaultEntities: Annotated[DefaultEntities, Field(description="Project and task for those entries ({} for none).")]


class Assignees(Nested):
    """Who a new holiday applies to (users or user groups)."""

    ids: Annotated[list[Id] | None, Field(description="User ids (in users) or group ids (in userGroups).")] = None
    contains: Annotated[Literal["CONTAINS", "DOES_NOT_CONTAIN"] | None, Field(description="How ids apply.")] = None
    status: Annotated[Literal["ALL", "ACTIVE", "INACTIVE"] | None, Field(description="Membership status.")] = None


ContainsFilter = Annotated[
    Literal["CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"] | None,
    Field(description="How ids apply."),
]


class UserAssignees(Nested):
    """Who an updated holiday applies to (users)."""

    ids: Annotated[list[Id] | None, Field(description="User ids.")] = None
    contains: ContainsFilter = None
    status: Annotated[Literal["ALL", "ACTIVE", "INACTIVE"] | None, Field(description="Membership status.")] = None
    statuses: Annotated[list[MembershipStatus] | None, Field(description="Membership statuses.")] = None


class GroupAssignees(Nested):
    """Who an updated holiday applies to (user groups)."""

    ids: Annotated[list[Id] | None, Field(description="User group ids.")] = None
    contains: ContainsFilter = None
    status: Annotated[MembershipStatus | None, Field(description="Membership status.")] = None


DatePeriodArg = Annotated[DatePeriod, Field(description="First and last day of the holiday.")]
OptAnnually = Annotated[bool | None, Field(description="true: repeats every year.")]


def _not_a_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "automatic_entries",
            "expected an object {enabled, defaultEntities}; the boolean that get_holidays returns is "
            "rejected by Clockify (omit the field instead)",
        )
    return value


OptAutomatic = Annotated[
    AutomaticTimeEntryCreation | None,
    BeforeValidator(_not_a_boolean),
    Field(description="Log it as time entries (an object, not the boolean get_holidays shows)."),
]


def _check_holiday(
    period: DatePeriod,
    everyone: bool | None,
    users: Assignees | UserAssignees | None,
    groups: Assignees | GroupAssignees | None,
) -> None:
    """Rules for create and update (which replaces the whole holiday, assignees included)."""
    check_order(period.startDate, period.endDate, "datePeriod.startDate", "datePeriod.endDate")
    if not (everyone or (users and users.ids) or (groups and groups.ids)):
        raise ValueError(
            "users: at least one user or user group must be assigned (users.ids or userGroups.ids), "
            "or set everyoneIncludingNew=true"
        )


class CreateHoliday(Args):
    workspaceId: WorkspaceId = None
    name: Annotated[str, Field(min_length=2, max_length=100, description="Holiday name.")]
    datePeriod: DatePeriodArg
    occursAnnually: OptAnnually = None
    everyoneIncludingNew: OptEveryone = None
    users: Annotated[Assignees | None, Field(description="Users it applies to.")] = None
    userGroups: Annotated[Assignees | None, Field(description="User groups it applies to.")] = None
    color: OptColor = None
    automaticTimeEntryCreation: OptAutomatic = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_holiday(self.datePeriod, self.everyoneIncludingNew, self.users, self.userGroups)
        return self


class UpdateHoliday(Args):
    workspaceId: WorkspaceId = None
    holidayId: HolidayId
    name: Annotated[
        str | None, Field(min_length=1, max_length=50, description="New name (live API: at most 50 characters).")
    ] = None
    datePeriod: Annotated[DatePeriod | None, Field(description="New first and last day.")] = None
    occursAnnually: Annotated[bool | None, Field(description="true: repeats every year.")] = None
    everyoneIncludingNew: OptEveryone = None
    users: Annotated[UserAssignees | None, Field(description="Users it applies to (replaces the current ones).")] = None
    userGroups: Annotated[
        GroupAssignees | None, Field(description="User groups it applies to (replaces the current ones).")
    ] = None
    color: OptColor = None
    automaticTimeEntryCreation: OptAutomatic = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.datePeriod is not None:
            check_order(
                self.datePeriod.startDate, self.datePeriod.endDate, "datePeriod.startDate", "datePeriod.endDate"
            )
        return self


def _find_holiday(body: Any, args: Any) -> Any:
    if isinstance(body, list):
        return next((h for h in body if isinstance(h, dict) and h.get("id") == args.holidayId), None)
    return None


def current_holiday_fields(holiday: dict[str, Any]) -> dict[str, Any]:
    """A holiday as get_holidays shows it, turned into the fields of an update (the filter-object shape)."""
    fields: dict[str, Any] = {
        key: holiday[key]
        for key in ("name", "datePeriod", "occursAnnually", "everyoneIncludingNew", "color")
        if holiday.get(key) is not None
    }
    fields["users"] = {"contains": "CONTAINS", "ids": list(holiday.get("userIds") or []), "status": "ALL"}
    fields["userGroups"] = {"contains": "CONTAINS", "ids": list(holiday.get("userGroupIds") or []), "status": "ALL"}
    # get_holidays shows automaticTimeEntryCreation as a boolean, which a PUT rejects; rebuild the object
    automatic = holiday.get("automaticTimeEntryCreation")
    if isinstance(automatic, dict):
        fields["automaticTimeEntryCreation"] = automatic
    elif automatic is True:
        defaults = {k: holiday[k] for k in ("projectId", "taskId") if holiday.get(k)}
        fields["automaticTimeEntryCreation"] = {"enabled": True, "defaultEntities": defaults}
    return fields


class GetHolidays(Args):
    workspaceId: WorkspaceId = None
    assigned_to: Annotated[
        Id | None, Field(alias="assigned-to", description="Only holidays that apply to this user id.")
    ] = None


class GetHolidaysInPeriod(Args):
    workspaceId: WorkspaceId = None
    assigned_to: Annotated[UserId, Field(alias="assigned-to", description="User id whose holidays to list.")] = None
    start: Annotated[DayStart, Field(description="First day (yyyy-MM-dd) or a date-time.")]
    end: Annotated[DayEnd, Field(description="Last day, included (yyyy-MM-dd), or a date-time.")]

    @model_validator(mode="after")
    def _window(self) -> Self:
        check_order(self.start, self.end)
        return self


class DeleteHoliday(Args):
    workspaceId: WorkspaceId = None
    holidayId: HolidayId


OPERATIONS = [
    Operation(
        name="get_holidays",
        title="Get holidays",
        description=(
            "List all holidays of a workspace (not paged); assigned-to keeps one user's. Assignees show as "
            "userIds and userGroupIds."
        ),
        model=GetHolidays,
        method="GET",
        path="/workspaces/{workspaceId}/holidays",
        read_only=True,
    ),
    Operation(
        name="get_holidays_in_period",
        title="Get holidays in a period",
        description=("List the holidays of one user in [start, end]: days (both included) or date-times."),
        model=GetHolidaysInPeriod,
        method="GET",
        path="/workspaces/{workspaceId}/holidays/in-period",
        read_only=True,
    ),
    Operation(
        name="create_holiday",
        title="Create a holiday",
        description=(
            "Create a holiday over datePeriod (yyyy-MM-dd). The live API wins over the schema: someone must "
            "be assigned (users.ids, userGroups.ids or everyoneIncludingNew=true)."
        ),
        model=CreateHoliday,
        method="POST",
        path="/workspaces/{workspaceId}/holidays",
    ),
    Operation(
        name="update_holiday",
        title="Update a holiday",
        description=(
            "Change fields of a holiday: only those you give change. Clockify's PUT replaces the whole "
            "holiday, so the tool reads it first and keeps what you omit, assignees too. Live API wins: name "
            "at most 50 characters."
        ),
        model=UpdateHoliday,
        method="PUT",
        path="/workspaces/{workspaceId}/holidays/{holidayId}",
        idempotent=True,
        merge=ReadBack(
            "/workspaces/{workspaceId}/holidays", current_holiday_fields, select=_find_holiday, lister="get_holidays"
        ),
    ),
    Operation(
        name="delete_holiday",
        title="Delete a holiday",
        description="Delete a holiday; returns the deleted holiday. Cannot be undone.",
        model=DeleteHoliday,
        method="DELETE",
        path="/workspaces/{workspaceId}/holidays/{holidayId}",
        destructive=True,
        idempotent=True,
        empty_result="Holiday deleted",
    ),
]
