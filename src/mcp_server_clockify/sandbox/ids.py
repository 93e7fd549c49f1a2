"""Ids: the fixed ids of the seeded data, and the factory for ids of objects created at run time.

Every id is 24 hex characters like Clockify's: `5a` + a two-digit kind + zeros + an eight-digit number.
Seeded objects are numbered from 1; objects created through the API from 0x100000, so they never collide.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator

__all__ = [
    "API_KEYS",
    "APPROVAL_APPROVED_ID",
    "APPROVAL_PENDING_ID",
    "ASSIGNMENT_DRAFT_ID",
    "ASSIGNMENT_ONE_OFF_ID",
    "ASSIGNMENT_SERIES_ID",
    "CLIENT_ACME_ID",
    "CLIENT_GLOBEX_ID",
    "CONTRACTOR_ID",
    "DESIGNER_ID",
    "DEVELOPER_ID",
    "HOLIDAY_CHRISTMAS_ID",
    "HOLIDAY_INDEPENDENCE_ID",
    "HOLIDAY_LABOUR_DAY_ID",
    "HOLIDAY_NEW_YEAR_ID",
    "HOLIDAY_RETREAT_ID",
    "OWNER_ID",
    "POLICY_DOCTOR_ID",
    "POLICY_VACATION_ID",
    "PROJECT_INTERNAL_ID",
    "PROJECT_LEGACY_ID",
    "PROJECT_MOBILE_ID",
    "PROJECT_WEBSITE_ID",
    "RUNNING_ENTRY_ID",
    "SERIES_ID",
    "TAG_BUGFIX_ID",
    "TAG_MEETING_ID",
    "TAG_REMOTE_ID",
    "TASK_INTERNAL_ADMIN_ID",
    "TASK_INTERNAL_MEETINGS_ID",
    "TASK_MOBILE_API_ID",
    "TASK_MOBILE_QA_ID",
    "TASK_WEBSITE_DESIGN_ID",
    "TASK_WEBSITE_FRONTEND_ID",
    "TIME_OFF_APPROVED_ID",
    "TIME_OFF_DOCTOR_ID",
    "TIME_OFF_PENDING_ID",
    "WORKSPACE_ID",
    "IdFactory",
    "Kind",
    "make_id",
]


class Kind:
    """The two hex digits after `5a` in an id, per kind of object."""

    WORKSPACE = 0x01
    USER = 0x02
    CLIENT = 0x03
    PROJECT = 0x04
    TASK = 0x05
    TAG = 0x06
    TIME_ENTRY = 0x07
    POLICY = 0x08
    BALANCE = 0x09
    TIME_OFF_REQUEST = 0x0A
    HOLIDAY = 0x0B
    ASSIGNMENT = 0x0C
    SERIES = 0x0D
    APPROVAL = 0x0E
    CURRENCY = 0x0F


def make_id(kind: int, number: int) -> str:
    return f"5a{kind:02x}{0:08x}{number:012x}"


FIRST_RUNTIME_NUMBER = 0x100000

WORKSPACE_ID = make_id(Kind.WORKSPACE, 1)

OWNER_ID = make_id(Kind.USER, 1)
"""Alex Morgan: workspace owner and manager, the API key's user; profile zone Europe/Berlin."""
DEVELOPER_ID = make_id(Kind.USER, 2)
"""Priya Shah: developer, Europe/Berlin, 8 h capacity."""
DESIGNER_ID = make_id(Kind.USER, 3)
"""Jordan Lee: designer, America/New_York, 6 h capacity."""
CONTRACTOR_ID = make_id(Kind.USER, 4)
"""Sam Rivera: contractor, Europe/Lisbon, no scheduling capacity."""

CLIENT_ACME_ID = make_id(Kind.CLIENT, 1)
CLIENT_GLOBEX_ID = make_id(Kind.CLIENT, 2)

PROJECT_WEBSITE_ID = make_id(Kind.PROJECT, 1)
PROJECT_MOBILE_ID = make_id(Kind.PROJECT, 2)
PROJECT_INTERNAL_ID = make_id(Kind.PROJECT, 3)
PROJECT_LEGACY_ID = make_id(Kind.PROJECT, 4)
"""Archived."""

TASK_WEBSITE_DESIGN_ID = make_id(Kind.TASK, 1)
TASK_WEBSITE_FRONTEND_ID = make_id(Kind.TASK, 2)
TASK_MOBILE_API_ID = make_id(Kind.TASK, 3)
TASK_MOBILE_QA_ID = make_id(Kind.TASK, 4)
TASK_INTERNAL_MEETINGS_ID = make_id(Kind.TASK, 5)
TASK_INTERNAL_ADMIN_ID = make_id(Kind.TASK, 6)

TAG_MEETING_ID = make_id(Kind.TAG, 1)
TAG_BUGFIX_ID = make_id(Kind.TAG, 2)
TAG_REMOTE_ID = make_id(Kind.TAG, 3)

RUNNING_ENTRY_ID = make_id(Kind.TIME_ENTRY, 1)
"""The owner's running timer (started today)."""

POLICY_VACATION_ID = make_id(Kind.POLICY, 1)
"""Vacation: a DAYS policy that needs approval."""
POLICY_DOCTOR_ID = make_id(Kind.POLICY, 2)
"""Doctor visits: an HOURS policy without approval (requests are approved at once)."""

TIME_OFF_APPROVED_ID = make_id(Kind.TIME_OFF_REQUEST, 1)
"""The developer's approved vacation (3 days, in about two weeks)."""
TIME_OFF_PENDING_ID = make_id(Kind.TIME_OFF_REQUEST, 2)
"""The designer's pending vacation (2 days, in about three weeks)."""
TIME_OFF_DOCTOR_ID = make_id(Kind.TIME_OFF_REQUEST, 3)
"""The developer's doctor visit next week (2 hours, approved)."""

HOLIDAY_NEW_YEAR_ID = make_id(Kind.HOLIDAY, 1)
HOLIDAY_LABOUR_DAY_ID = make_id(Kind.HOLIDAY, 2)
HOLIDAY_INDEPENDENCE_ID = make_id(Kind.HOLIDAY, 3)
HOLIDAY_CHRISTMAS_ID = make_id(Kind.HOLIDAY, 4)
HOLIDAY_RETREAT_ID = make_id(Kind.HOLIDAY, 5)
"""A two-day company retreat ten days from `today` (not annual)."""

SERIES_ID = make_id(Kind.SERIES, 1)
ASSIGNMENT_SERIES_ID = make_id(Kind.ASSIGNMENT, 1)
"""First occurrence of a weekly series (developer on Website Redesign, 4 weeks from this week)."""
ASSIGNMENT_ONE_OFF_ID = make_id(Kind.ASSIGNMENT, 5)
"""The owner on Mobile App next week (published)."""
ASSIGNMENT_DRAFT_ID = make_id(Kind.ASSIGNMENT, 6)
"""The designer on Website Redesign next week (a draft, not published)."""

APPROVAL_PENDING_ID = make_id(Kind.APPROVAL, 1)
"""The developer's timesheet for last week, waiting for approval."""
APPROVAL_APPROVED_ID = make_id(Kind.APPROVAL, 2)
"""The designer's timesheet for the week before last, approved."""


class IdFactory:
    """Fresh ids for objects created through the API, numbered per kind (deterministic for one app)."""

    def __init__(self) -> None:
        self._counters: defaultdict[int, Iterator[int]] = defaultdict(lambda: itertools.count(FIRST_RUNTIME_NUMBER))

    def new(self, kind: int) -> str:
        return make_id(kind, next(self._counters[kind]))


API_KEYS: dict[str, str] = {
    OWNER_ID: "sandbox-key-alex",
    DEVELOPER_ID: "sandbox-key-priya",
    DESIGNER_ID: "sandbox-key-jordan",
    CONTRACTOR_ID: "sandbox-key-sam",
}
"""Each seeded user's API key (`sandbox-server --print-keys` lists them): a request sees Clockify as its key's
owner. The owner's is the key sandbox mode sends (config.SANDBOX_API_KEY)."""
