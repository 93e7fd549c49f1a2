"""The simulator's in-memory state: one workspace and everything in it, as plain dataclasses.

Instants are timezone-aware UTC datetimes; calendar days are dates. Lookups raise the error Clockify
gives for an unknown or foreign id (400 "<Entity> doesn't belong to Workspace").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from .clock import zone
from .errors import not_in_workspace
from .ids import IdFactory

__all__ = [
    "CURRENCY",
    "WEEK",
    "WEEKDAYS",
    "ApprovalRequest",
    "Assignment",
    "Balance",
    "Client",
    "Holiday",
    "Policy",
    "Project",
    "State",
    "Tag",
    "Task",
    "TimeEntry",
    "TimeOffRequest",
    "User",
    "Workspace",
]

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Day names in `date.weekday()` order."""
WEEKDAYS = WEEK[:5]
CURRENCY = "USD"


@dataclass(slots=True)
class Workspace:
    id: str
    name: str
    hourly_rate: int
    cost_rate: int
    currency_id: str
    approval_period: str = "WEEKLY"


@dataclass(slots=True)
class User:
    id: str
    name: str
    email: str
    time_zone: str
    role: str
    """OWNER, WORKSPACE_ADMIN, TEAM_MANAGER or MEMBER."""
    capacity: int | None
    """Scheduling capacity per working day, in seconds (None: no capacity set)."""
    hourly_rate: int
    cost_rate: int
    working_days: tuple[str, ...] = WEEKDAYS
    week_start: str = "MONDAY"
    status: str = "ACTIVE"

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.time_zone)


@dataclass(slots=True)
class Client:
    id: str
    name: str
    archived: bool = False


@dataclass(slots=True)
class Project:
    id: str
    name: str
    client_id: str | None
    color: str
    billable: bool
    hourly_rate: int | None
    archived: bool = False
    note: str = ""


@dataclass(slots=True)
class Task:
    id: str
    project_id: str
    name: str
    billable: bool = True
    status: str = "ACTIVE"


@dataclass(slots=True)
class Tag:
    id: str
    name: str
    archived: bool = False


@dataclass(slots=True)
class TimeEntry:
    id: str
    user_id: str
    start: datetime
    end: datetime | None
    description: str = ""
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: list[str] | None = None
    billable: bool = False
    type: str = "REGULAR"
    invoiced: bool = False

    @property
    def running(self) -> bool:
        return self.end is None


@dataclass(slots=True)
class Policy:
    id: str
    name: str
    unit: str
    """DAYS or HOURS."""
    requires_approval: bool
    allow_half_day: bool
    allow_negative: bool
    negative_limit: float
    user_ids: list[str]
    color: str
    archived: bool = False


@dataclass(slots=True)
class Balance:
    id: str
    policy_id: str
    user_id: str
    total: float
    used: float = 0.0

    @property
    def balance(self) -> float:
        return self.total - self.used


@dataclass(slots=True)
class TimeOffRequest:
    id: str
    policy_id: str
    user_id: str
    requester_id: str
    note: str | None
    created_at: datetime
    start: datetime
    end: datetime
    diff: float
    """Days or hours (the policy's unit) the request takes from the balance."""
    status: str = "PENDING"
    half_day: bool = False
    half_day_period: str = "NOT_DEFINED"
    changed_by: str | None = None
    changed_at: datetime | None = None
    status_note: str | None = None


@dataclass(slots=True)
class Holiday:
    id: str
    name: str
    start_date: date
    end_date: date
    occurs_annually: bool
    everyone_including_new: bool
    user_ids: list[str]
    color: str = "#8BC34A"
    user_group_ids: list[str] = field(default_factory=list)
    auto_enabled: bool = False
    auto_project_id: str | None = None
    auto_task_id: str | None = None

    def overlaps(self, first: date, last: date) -> bool:
        """True when the holiday (any year's occurrence, if annual) falls on a day in [first, last]."""
        if not self.occurs_annually:
            return self.start_date <= last and self.end_date >= first
        for year in range(first.year - 1, last.year + 1):
            shift = year - self.start_date.year
            try:
                start = self.start_date.replace(year=self.start_date.year + shift)
                end = self.end_date.replace(year=self.end_date.year + shift)
            except ValueError:  # 29 February in a common year
                continue
            if start <= last and end >= first:
                return True
        return False

    def covers(self, day: date) -> bool:
        return self.overlaps(day, day)

    def applies_to(self, user_id: str) -> bool:
        return self.everyone_including_new or user_id in self.user_ids


@dataclass(slots=True)
class Assignment:
    id: str
    user_id: str
    project_id: str
    start: datetime
    end: datetime
    """The start of the last day (as Clockify answers a date-only period)."""
    hours_per_day: float
    task_id: str | None = None
    start_time: str | None = None
    note: str | None = None
    billable: bool = True
    include_non_working_days: bool = False
    published: bool = False
    series_id: str | None = None
    repeat: bool = False
    weeks: int = 0


@dataclass(slots=True)
class ApprovalRequest:
    id: str
    owner_id: str
    creator_id: str
    start: datetime
    end: datetime
    state: str
    updated_at: datetime
    updated_by: str
    note: str = ""


T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(slots=True)
class State:
    """Everything one simulator instance knows."""

    today: date
    workspace: Workspace
    owner_id: str
    users: dict[str, User]
    clients: dict[str, Client]
    projects: dict[str, Project]
    tasks: dict[str, Task]
    tags: dict[str, Tag]
    entries: dict[str, TimeEntry]
    policies: dict[str, Policy]
    balances: dict[str, Balance]
    time_off: dict[str, TimeOffRequest]
    holidays: dict[str, Holiday]
    assignments: dict[str, Assignment]
    approvals: dict[str, ApprovalRequest]
    ids: IdFactory = field(default_factory=IdFactory)
    clock: Callable[[], datetime] = _utc_now
    caller_id: str = ""
    """The user whose API key the request being handled carries (set per request; handlers never await, so
    requests cannot interleave). Empty: the workspace owner."""

    def now(self) -> datetime:
        return self.clock()

    @property
    def owner(self) -> User:
        return self.users[self.owner_id]

    @property
    def caller(self) -> User:
        """Who is asking: `GET /user` answers with them, and what they create or change is theirs."""
        return self.users[self.caller_id or self.owner_id]

    def user(self, key: str) -> User:
        return _find(self.users, key, "User")

    def project(self, key: str) -> Project:
        return _find(self.projects, key, "Project")

    def task(self, key: str) -> Task:
        return _find(self.tasks, key, "Task")

    def tag(self, key: str) -> Tag:
        return _find(self.tags, key, "Tag")

    def entry(self, key: str) -> TimeEntry:
        return _find(self.entries, key, "Time entry")

    def policy(self, key: str) -> Policy:
        return _find(self.policies, key, "Policy")

    def time_off_request(self, key: str) -> TimeOffRequest:
        return _find(self.time_off, key, "Time off request")

    def holiday(self, key: str) -> Holiday:
        return _find(self.holidays, key, "Holiday")

    def assignment(self, key: str) -> Assignment:
        return _find(self.assignments, key, "Assignment")

    def approval(self, key: str) -> ApprovalRequest:
        return _find(self.approvals, key, "Approval request")

    def balance(self, policy_id: str, user_id: str) -> Balance:
        for balance in self.balances.values():
            if balance.policy_id == policy_id and balance.user_id == user_id:
                return balance
        raise not_in_workspace("Balance")


def _find(table: dict[str, T], key: str, entity: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise not_in_workspace(entity) from None
