"""The demo data every new simulator starts with: fixed ids, dates relative to `today`, nothing random.

One workspace ("Sandbox Workspace (demo data)"), four people in three time zones, two clients, four
projects with tasks, three tags, two weeks of working-day time entries plus the owner's running timer,
two time-off policies with balances and requests, five holidays, two timesheet approvals and three
scheduled assignments (one a weekly series).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from . import ids
from .clock import local_midnight, zone
from .ids import Kind, make_id
from .model import (
    ApprovalRequest,
    Assignment,
    Balance,
    Client,
    Holiday,
    Policy,
    Project,
    State,
    Tag,
    Task,
    TimeEntry,
    TimeOffRequest,
    User,
    Workspace,
)

__all__ = ["EXTRA_FROM", "WORKSPACE_NAME", "add_members", "extra_key", "key_lines", "seed_state"]

WORKSPACE_NAME = "Sandbox Workspace (demo data)"

Activity = tuple[str, str | None, str | None, tuple[str, ...], bool]
"""(description, project id, task id, tag ids, billable)."""

_P_WEB, _P_MOB, _P_INT, _P_OLD = (
    ids.PROJECT_WEBSITE_ID,
    ids.PROJECT_MOBILE_ID,
    ids.PROJECT_INTERNAL_ID,
    ids.PROJECT_LEGACY_ID,
)
_MEET, _BUG, _REMOTE = ids.TAG_MEETING_ID, ids.TAG_BUGFIX_ID, ids.TAG_REMOTE_ID

# Per person: the weekdays they work (0 = Monday) and their daily slots, each with activities that rotate
# from day to day. Times are local to the person's profile zone.
_DAYS: dict[str, tuple[tuple[int, ...], list[tuple[str, str, list[Activity]]]]] = {
    ids.OWNER_ID: (
        (0, 1, 2, 3, 4),
        [
            ("09:00", "09:30", [("Daily stand-up", _P_INT, ids.TASK_INTERNAL_MEETINGS_ID, (_MEET,), False)]),
            (
                "09:30",
                "12:30",
                [
                    ("Sprint planning with the Acme team", _P_WEB, ids.TASK_WEBSITE_FRONTEND_ID, (_MEET,), True),
                    ("Reviewing pull requests", _P_MOB, ids.TASK_MOBILE_API_ID, (), True),
                    ("Client workshop preparation", _P_WEB, ids.TASK_WEBSITE_DESIGN_ID, (), True),
                    ("Budget and invoicing review", _P_INT, ids.TASK_INTERNAL_ADMIN_ID, (), False),
                ],
            ),
            (
                "13:30",
                "17:00",
                [
                    ("Release coordination for the mobile app", _P_MOB, ids.TASK_MOBILE_QA_ID, (), True),
                    ("Hiring interviews", _P_INT, ids.TASK_INTERNAL_ADMIN_ID, (_MEET,), False),
                    ("Roadmap update for Globex", _P_MOB, ids.TASK_MOBILE_API_ID, (_MEET,), True),
                ],
            ),
        ],
    ),
    ids.DEVELOPER_ID: (
        (0, 1, 2, 3, 4),
        [
            (
                "09:15",
                "12:45",
                [
                    ("Implement checkout page", _P_WEB, ids.TASK_WEBSITE_FRONTEND_ID, (), True),
                    ("Fix navigation bug on mobile Safari", _P_WEB, ids.TASK_WEBSITE_FRONTEND_ID, (_BUG,), True),
                    ("Add pagination to the orders API", _P_MOB, ids.TASK_MOBILE_API_ID, (), True),
                    ("Write integration tests for login", _P_MOB, ids.TASK_MOBILE_QA_ID, (), True),
                    ("Refactor authentication module", _P_MOB, ids.TASK_MOBILE_API_ID, (), True),
                ],
            ),
            (
                "13:30",
                "17:45",
                [
                    ("Code review", _P_WEB, ids.TASK_WEBSITE_FRONTEND_ID, (), True),
                    ("Fix crash on app start", _P_MOB, ids.TASK_MOBILE_API_ID, (_BUG,), True),
                    ("Performance profiling", _P_WEB, ids.TASK_WEBSITE_FRONTEND_ID, (), True),
                    ("Team retro", _P_INT, ids.TASK_INTERNAL_MEETINGS_ID, (_MEET,), False),
                ],
            ),
        ],
    ),
    ids.DESIGNER_ID: (
        (0, 1, 2, 3, 4),
        [
            (
                "09:00",
                "12:00",
                [
                    ("Homepage mockups", _P_WEB, ids.TASK_WEBSITE_DESIGN_ID, (_REMOTE,), True),
                    ("Icon set for the mobile app", _P_MOB, None, (_REMOTE,), True),
                    ("User research interview notes", _P_WEB, ids.TASK_WEBSITE_DESIGN_ID, (_REMOTE,), True),
                ],
            ),
            (
                "13:00",
                "16:00",
                [
                    ("Design review with Alex", _P_WEB, ids.TASK_WEBSITE_DESIGN_ID, (_MEET, _REMOTE), True),
                    ("Style guide update", _P_WEB, ids.TASK_WEBSITE_DESIGN_ID, (_REMOTE,), True),
                    ("Onboarding screens", _P_MOB, None, (_REMOTE,), True),
                ],
            ),
        ],
    ),
    ids.CONTRACTOR_ID: (
        (1, 3),
        [
            (
                "10:00",
                "14:00",
                [
                    ("Regression testing on Android", _P_MOB, ids.TASK_MOBILE_QA_ID, (), True),
                    ("Bug triage for legacy support", _P_OLD, None, (_BUG,), True),
                ],
            )
        ],
    ),
}


EXTRA_FROM = 1000
"""Extra members (`sandbox-server --extra-users N`) are numbered from here."""


def extra_key(i: int) -> str:
    return f"sandbox-key-member-{i:03d}"


def add_members(state: State, count: int) -> list[User]:
    """`count` more members (Europe/Berlin, no time entries), for load tests that need many distinct users."""
    added = [
        User(
            make_id(Kind.USER, EXTRA_FROM + i),
            f"Member {i:03d}",
            f"member{i:03d}@example.com",
            "Europe/Berlin",
            "MEMBER",
            8 * 3600,
            5000,
            3000,
        )
        for i in range(count)
    ]
    state.users.update({u.id: u for u in added})
    return added


def key_lines() -> list[str]:
    """One line per seeded user: the API key, then the name and email (`sandbox-server --print-keys`)."""
    users = _users()
    return [f"{key}  {users[user].name} <{users[user].email}>" for user, key in ids.API_KEYS.items()]


def _users() -> dict[str, User]:
    people = [
        User(ids.OWNER_ID, "Alex Morgan", "alex.morgan@example.com", "Europe/Berlin", "OWNER", 8 * 3600, 9000, 5500),
        User(ids.DEVELOPER_ID, "Priya Shah", "priya.shah@example.com", "Europe/Berlin", "MEMBER", 8 * 3600, 7500, 4500),
        User(
            ids.DESIGNER_ID, "Jordan Lee", "jordan.lee@example.com", "America/New_York", "MEMBER", 6 * 3600, 7000, 4200
        ),
        User(ids.CONTRACTOR_ID, "Sam Rivera", "sam.rivera@example.com", "Europe/Lisbon", "MEMBER", None, 6000, 6000),
    ]
    return {u.id: u for u in people}


def _catalogue() -> tuple[dict[str, Client], dict[str, Project], dict[str, Task], dict[str, Tag]]:
    clients = [Client(ids.CLIENT_ACME_ID, "Acme Corp"), Client(ids.CLIENT_GLOBEX_ID, "Globex Ltd")]
    projects = [
        Project(_P_WEB, "Website Redesign", ids.CLIENT_ACME_ID, "#2196F3", True, 12000, note="New public website"),
        Project(_P_MOB, "Mobile App", ids.CLIENT_GLOBEX_ID, "#4CAF50", True, 11000, note="iOS and Android app"),
        Project(_P_INT, "Internal", None, "#9E9E9E", False, None, note="Meetings, hiring, admin"),
        Project(_P_OLD, "Legacy Support", ids.CLIENT_ACME_ID, "#795548", True, 9000, archived=True),
    ]
    tasks = [
        Task(ids.TASK_WEBSITE_DESIGN_ID, _P_WEB, "Design"),
        Task(ids.TASK_WEBSITE_FRONTEND_ID, _P_WEB, "Frontend development"),
        Task(ids.TASK_MOBILE_API_ID, _P_MOB, "API integration"),
        Task(ids.TASK_MOBILE_QA_ID, _P_MOB, "QA testing"),
        Task(ids.TASK_INTERNAL_MEETINGS_ID, _P_INT, "Meetings", billable=False),
        Task(ids.TASK_INTERNAL_ADMIN_ID, _P_INT, "Admin", billable=False),
    ]
    tags = [Tag(_MEET, "meeting"), Tag(_BUG, "bugfix"), Tag(_REMOTE, "remote")]
    return (
        {c.id: c for c in clients},
        {p.id: p for p in projects},
        {t.id: t for t in tasks},
        {t.id: t for t in tags},
    )


def _holidays(today: date) -> dict[str, Holiday]:
    year = today.year
    everyone = list(_DAYS)
    retreat = today + timedelta(days=10)
    while retreat.weekday() >= 4:  # a Monday to Thursday start keeps both days on weekdays
        retreat += timedelta(days=1)
    holidays = [
        Holiday(ids.HOLIDAY_NEW_YEAR_ID, "New Year's Day", date(year, 1, 1), date(year, 1, 1), True, True, everyone),
        Holiday(
            ids.HOLIDAY_LABOUR_DAY_ID,
            "Labour Day",
            date(year, 5, 1),
            date(year, 5, 1),
            True,
            False,
            [ids.OWNER_ID, ids.DEVELOPER_ID, ids.CONTRACTOR_ID],
        ),
        Holiday(
            ids.HOLIDAY_INDEPENDENCE_ID,
            "Independence Day",
            date(year, 7, 4),
            date(year, 7, 4),
            True,
            False,
            [ids.DESIGNER_ID],
        ),
        Holiday(
            ids.HOLIDAY_CHRISTMAS_ID, "Christmas Day", date(year, 12, 25), date(year, 12, 25), True, True, everyone
        ),
        Holiday(
            ids.HOLIDAY_RETREAT_ID,
            "Company retreat",
            retreat,
            retreat + timedelta(days=1),
            False,
            False,
            everyone,
            color="#FF9800",
            auto_enabled=True,
            auto_project_id=_P_INT,
            auto_task_id=ids.TASK_INTERNAL_MEETINGS_ID,
        ),
    ]
    return {h.id: h for h in holidays}


def _at(day: date, clock: str, tz_name: str) -> datetime:
    """`clock` (hh:mm) local on `day` in `tz_name`, as a UTC instant."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=zone(tz_name)).astimezone(UTC)


def _entries(
    today: date, users: dict[str, User], holidays: dict[str, Holiday], timer_start: datetime
) -> dict[str, TimeEntry]:
    running = TimeEntry(
        ids.RUNNING_ENTRY_ID,
        ids.OWNER_ID,
        timer_start,
        None,
        "Prepare weekly status report",
        _P_INT,
        ids.TASK_INTERNAL_ADMIN_ID,
        None,
        False,
    )
    entries = [running]
    number = 2
    for offset in range(14, 0, -1):
        day = today - timedelta(days=offset)
        for user_id, (weekdays, slots) in _DAYS.items():
            if day.weekday() not in weekdays:
                continue
            if any(h.covers(day) and h.applies_to(user_id) for h in holidays.values()):
                continue
            tz_name = users[user_id].time_zone
            for index, (begin, end, activities) in enumerate(slots):
                description, project, task, tags, billable = activities[(day.toordinal() + index) % len(activities)]
                entries.append(
                    TimeEntry(
                        make_id(Kind.TIME_ENTRY, number),
                        user_id,
                        _at(day, begin, tz_name),
                        _at(day, end, tz_name),
                        description,
                        project,
                        task,
                        list(tags) or None,
                        billable,
                    )
                )
                number += 1
    return {e.id: e for e in entries}


def _time_off(
    today: date, users: dict[str, User]
) -> tuple[dict[str, Policy], dict[str, Balance], dict[str, TimeOffRequest]]:
    everyone = list(users)
    policies = [
        Policy(ids.POLICY_VACATION_ID, "Vacation", "DAYS", True, True, False, 0.0, everyone, "#03A9F4"),
        Policy(ids.POLICY_DOCTOR_ID, "Doctor visits", "HOURS", False, False, False, 0.0, everyone, "#E91E63"),
    ]
    monday = today - timedelta(days=today.weekday())
    berlin, new_york = users[ids.DEVELOPER_ID].tz, users[ids.DESIGNER_ID].tz
    vacation_start = monday + timedelta(days=16)
    pending_start = monday + timedelta(days=22)
    doctor_day = monday + timedelta(days=10)
    requests = [
        TimeOffRequest(
            ids.TIME_OFF_APPROVED_ID,
            ids.POLICY_VACATION_ID,
            ids.DEVELOPER_ID,
            ids.DEVELOPER_ID,
            "Family trip",
            _at(today - timedelta(days=5), "09:12", "UTC"),
            local_midnight(vacation_start, berlin),
            local_midnight(vacation_start + timedelta(days=3), berlin) - timedelta(minutes=1),
            3.0,
            status="APPROVED",
            changed_by=ids.OWNER_ID,
            changed_at=_at(today - timedelta(days=3), "10:00", "UTC"),
            status_note="Enjoy!",
        ),
        TimeOffRequest(
            ids.TIME_OFF_PENDING_ID,
            ids.POLICY_VACATION_ID,
            ids.DESIGNER_ID,
            ids.DESIGNER_ID,
            "Long weekend",
            _at(today - timedelta(days=1), "15:30", "UTC"),
            local_midnight(pending_start, new_york),
            local_midnight(pending_start + timedelta(days=2), new_york) - timedelta(minutes=1),
            2.0,
        ),
        TimeOffRequest(
            ids.TIME_OFF_DOCTOR_ID,
            ids.POLICY_DOCTOR_ID,
            ids.DEVELOPER_ID,
            ids.DEVELOPER_ID,
            "Dentist",
            _at(today - timedelta(days=2), "08:05", "UTC"),
            _at(doctor_day, "14:00", "Europe/Berlin"),
            _at(doctor_day, "16:00", "Europe/Berlin"),
            2.0,
            status="APPROVED",
            changed_by=ids.DEVELOPER_ID,
            changed_at=_at(today - timedelta(days=2), "08:05", "UTC"),
        ),
    ]
    balances: list[Balance] = []
    number = 1
    for policy in policies:
        total = 25.0 if policy.unit == "DAYS" else 16.0
        for user_id in everyone:
            used = sum(
                r.diff for r in requests if r.policy_id == policy.id and r.user_id == user_id and r.status == "APPROVED"
            )
            balances.append(Balance(make_id(Kind.BALANCE, number), policy.id, user_id, total, used))
            number += 1
    return {p.id: p for p in policies}, {b.id: b for b in balances}, {r.id: r for r in requests}


def _assignments(today: date, users: dict[str, User]) -> dict[str, Assignment]:
    monday = today - timedelta(days=today.weekday())
    dev, owner, designer = users[ids.DEVELOPER_ID], users[ids.OWNER_ID], users[ids.DESIGNER_ID]
    series = [
        Assignment(
            make_id(Kind.ASSIGNMENT, week + 1),
            dev.id,
            _P_WEB,
            local_midnight(monday + timedelta(weeks=week), dev.tz),
            local_midnight(monday + timedelta(weeks=week, days=4), dev.tz),
            6.0,
            task_id=ids.TASK_WEBSITE_FRONTEND_ID,
            note="Checkout and account pages",
            published=True,
            series_id=ids.SERIES_ID,
            repeat=True,
            weeks=4,
        )
        for week in range(4)
    ]
    one_off = Assignment(
        ids.ASSIGNMENT_ONE_OFF_ID,
        owner.id,
        _P_MOB,
        local_midnight(monday + timedelta(days=8), owner.tz),
        local_midnight(monday + timedelta(days=10), owner.tz),
        4.0,
        task_id=ids.TASK_MOBILE_API_ID,
        note="Release support",
        published=True,
    )
    draft = Assignment(
        ids.ASSIGNMENT_DRAFT_ID,
        designer.id,
        _P_WEB,
        local_midnight(monday + timedelta(days=7), designer.tz),
        local_midnight(monday + timedelta(days=9), designer.tz),
        5.0,
        task_id=ids.TASK_WEBSITE_DESIGN_ID,
        note="Checkout redesign",
    )
    return {a.id: a for a in [*series, one_off, draft]}


def _approvals(today: date, users: dict[str, User]) -> dict[str, ApprovalRequest]:
    monday = today - timedelta(days=today.weekday())
    dev, designer = users[ids.DEVELOPER_ID], users[ids.DESIGNER_ID]
    pending = ApprovalRequest(
        ids.APPROVAL_PENDING_ID,
        dev.id,
        dev.id,
        local_midnight(monday - timedelta(days=7), dev.tz),
        local_midnight(monday, dev.tz) - timedelta(seconds=1),
        "PENDING",
        _at(monday - timedelta(days=3), "16:30", dev.time_zone),
        dev.id,
    )
    approved = ApprovalRequest(
        ids.APPROVAL_APPROVED_ID,
        designer.id,
        designer.id,
        local_midnight(monday - timedelta(days=14), designer.tz),
        local_midnight(monday - timedelta(days=7), designer.tz) - timedelta(seconds=1),
        "APPROVED",
        _at(monday - timedelta(days=7), "10:00", "Europe/Berlin"),
        ids.OWNER_ID,
        note="Looks good",
    )
    return {a.id: a for a in (pending, approved)}


def seed_state(today: date, *, not_after: datetime | None = None) -> State:
    """A fresh state for `today`. `not_after` (the real current time, when `today` is today) keeps the
    seeded running timer from starting in the future."""
    users = _users()
    clients, projects, tasks, tags = _catalogue()
    holidays = _holidays(today)
    timer_start = _at(today, "09:00", users[ids.OWNER_ID].time_zone)
    if not_after is not None:
        timer_start = min(timer_start, not_after.replace(microsecond=0) - timedelta(minutes=20))
    policies, balances, requests = _time_off(today, users)
    return State(
        today=today,
        workspace=Workspace(ids.WORKSPACE_ID, WORKSPACE_NAME, 5000, 3000, make_id(Kind.CURRENCY, 1)),
        owner_id=ids.OWNER_ID,
        users=users,
        clients=clients,
        projects=projects,
        tasks=tasks,
        tags=tags,
        entries=_entries(today, users, holidays, timer_start),
        policies=policies,
        balances=balances,
        time_off=requests,
        holidays=holidays,
        assignments=_assignments(today, users),
        approvals=_approvals(today, users),
    )
