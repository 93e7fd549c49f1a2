"""Reports: hours by project, client, task, tag, day or user, from time entries (every plan) and from
Clockify's Reports API (plans that include reports)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..registry import Operation
from ..reports_api import detailed_report, summary_report, weekly_report
from ..summaries import time_summary
from ..types import Args, Date, Id
from ._common import PageArg, WorkspaceId, check_order

Range = Literal["today", "yesterday", "this_week", "last_week", "this_month", "last_month"]
Group = Literal["PROJECT", "CLIENT", "TASK", "TAG", "DAY", "USER"]


class GetTimeSummary(Args):
    workspaceId: WorkspaceId = None
    range: Annotated[Range | None, Field(description="A named range in your zone and week; or start/end.")] = None
    start: Annotated[Date | None, Field(description="First day.")] = None
    end: Annotated[Date | None, Field(description="Last day (default: start).")] = None
    users: Annotated[list[Id] | None, Field(min_length=1, max_length=50, description="User ids (default: you).")] = None
    groupBy: Annotated[
        list[Group] | None, Field(min_length=1, max_length=2, description="One or two groupings (default PROJECT).")
    ] = None

    @model_validator(mode="after")
    def _one_window(self) -> GetTimeSummary:
        if (self.range is None) == (self.start is None):
            raise ValueError("range: give either range or start (with an optional end), not both or neither")
        if self.end is not None and self.start is None:
            raise ValueError("start: required with end")
        check_order(self.start, self.end)
        if self.start and self.end and (self.end - self.start).days > 366:
            raise ValueError("end: at most 367 days after start")
        return self


Ids = list[Id] | None


class _Report(Args):
    """What Clockify's three reports share: a span of days in your zone and the usual filters."""

    workspaceId: WorkspaceId = None
    start: Annotated[Date, Field(description="First day.")]
    end: Annotated[Date, Field(description="Last day.")]
    users: Annotated[Ids, Field(description="User ids.")] = None
    projects: Annotated[Ids, Field(description="Project ids.")] = None
    clients: Annotated[Ids, Field(description="Client ids.")] = None
    tags: Annotated[Ids, Field(description="Tag ids.")] = None
    billable: Annotated[bool | None, Field(description="Billable or not.")] = None
    description: Annotated[str | None, Field(description="Description contains this.")] = None

    @model_validator(mode="after")
    def _span(self) -> _Report:
        check_order(self.start, self.end)
        if (self.end - self.start).days > 366:
            raise ValueError("end: at most 367 days after start")
        return self


class GetSummaryReport(_Report):
    groupBy: Annotated[
        list[Literal["PROJECT", "CLIENT", "TASK", "TAG", "DATE", "USER"]] | None,
        Field(min_length=1, max_length=2, description="One or two groupings (default PROJECT)."),
    ] = None


class GetDetailedReport(_Report):
    page: PageArg = None
    pageSize: Annotated[int | None, Field(ge=1, le=200, description="Entries per page (default 50).")] = None


class GetWeeklyReport(_Report):
    group: Annotated[Literal["PROJECT", "USER"] | None, Field(description="Rows (default PROJECT).")] = None

    @model_validator(mode="after")
    def _seven_days(self) -> GetWeeklyReport:
        if (self.end - self.start).days != 6:
            raise ValueError("end: a weekly report covers exactly seven days (end = start + 6 days)")
        return self


_REPORTS = "Reports API (paid plans)"

OPERATIONS = [
    Operation(
        name="get_time_summary",
        title="Summarise tracked time",
        description=(
            "Hours by project, client, task, tag, day or user in a range: billable hours, entry counts, names, "
            "total. Works on every plan."
        ),
        model=GetTimeSummary,
        method="GET",
        path="/workspaces/{workspaceId}/user/{userId}/time-entries",
        read_only=True,
        compute=time_summary,
        call="GET /workspaces/{workspaceId}/user/{userId}/time-entries for each user, every page",
    ),
    Operation(
        name="get_summary_report",
        title="Summary report",
        description=f"Hours per project (or client, task, tag, date, user), two levels deep. {_REPORTS}.",
        model=GetSummaryReport,
        method="POST",
        path="/workspaces/{workspaceId}/reports/summary",
        call="POST /workspaces/{workspaceId}/reports/summary on the Reports API host",
        read_only=True,
        compute=summary_report,
    ),
    Operation(
        name="get_detailed_report",
        title="Detailed report",
        description=f"Time entries with names and hours, paged, and the total. {_REPORTS}.",
        model=GetDetailedReport,
        method="POST",
        path="/workspaces/{workspaceId}/reports/detailed",
        call="POST /workspaces/{workspaceId}/reports/detailed on the Reports API host",
        read_only=True,
        compute=detailed_report,
    ),
    Operation(
        name="get_weekly_report",
        title="Weekly report",
        description=f"One week (seven days from start): hours per day for each project or user. {_REPORTS}.",
        model=GetWeeklyReport,
        method="POST",
        path="/workspaces/{workspaceId}/reports/weekly",
        call="POST /workspaces/{workspaceId}/reports/weekly on the Reports API host",
        read_only=True,
        compute=weekly_report,
    ),
]
