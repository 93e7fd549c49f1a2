"""Shape fidelity: the simulator's answers carry the keys of the recorded live answers (tests/data/samples)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from helpers import sample
from mcp_server_clockify.sandbox import (
    DEVELOPER_ID,
    HOLIDAY_CHRISTMAS_ID,
    OWNER_ID,
    POLICY_VACATION_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    WORKSPACE_ID,
)
from sandbox_contract import sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"
MONTH = {"start": "2026-11-01T00:00:00Z", "end": "2026-11-30T23:59:59Z"}


def recorded(name: str) -> Any:
    """The recorded body of a sample (tests/data/samples)."""
    return sample(name)[1]


def first(body: Any) -> dict[str, Any]:
    return body[0] if isinstance(body, list) else body


@dataclass(frozen=True)
class Case:
    """The keys of `pick(recorded body)` must all be in `pick(simulated body)`."""

    sample: str
    path: str
    query: dict[str, str] | None = None
    pick: Callable[[Any], dict[str, Any]] = first
    method: str = "GET"
    body: Any = None


def _balance(body: Any) -> dict[str, Any]:
    return body["balances"][0]


def _request(body: Any) -> dict[str, Any]:
    return body["requests"][0]


CASES = [
    Case("20260520-214436-get.workspaces.time-entries-happy-path.json", f"{W}/time-entries/{RUNNING_ENTRY_ID}"),
    Case("20260520-215801-get.workspaces.user.time-entries-happy-path.json", f"{W}/user/{OWNER_ID}/time-entries"),
    Case(
        "20260520-224037-get.workspaces.time-entries.status.in-progress-happy-path.json",
        f"{W}/time-entries/status/in-progress",
    ),
    Case("20260520-210956-get.workspaces.approval-requests-happy-path.json", f"{W}/approval-requests"),
    Case(
        "20260520-210956-get.workspaces.approval-requests-happy-path.json",
        f"{W}/approval-requests",
        pick=lambda b: first(b)["approvalRequest"],
    ),
    Case("20260520-210956-get.workspaces.holidays-happy-path.json", f"{W}/holidays"),
    Case("findings-holidays.list-200.json", f"{W}/holidays"),
    Case(
        "20260520-224037-get.workspaces.time-off.balance.policy-happy-path.json",
        f"{W}/time-off/balance/policy/{POLICY_VACATION_ID}",
        pick=_balance,
    ),
    Case(
        "20260520-224214-get.workspaces.time-off.balance.user-happy-path.json",
        f"{W}/time-off/balance/user/{DEVELOPER_ID}",
        pick=_balance,
    ),
    Case("findings-time-off.requests-search-200.json", f"{W}/time-off/requests", method="POST", body={}, pick=_request),
    Case(
        "findings-time-off.requests-search-200.json",
        f"{W}/time-off/requests",
        method="POST",
        body={},
        pick=lambda b: _request(b)["status"],
    ),
    Case(
        "20260520-215801-get.workspaces.scheduling.assignments.all-happy-path.json",
        f"{W}/scheduling/assignments/all",
        MONTH,
    ),
    Case("findings-scheduling.assignments-all-200.json", f"{W}/scheduling/assignments/all", MONTH),
    Case(
        "20260521-000000-get.workspaces.scheduling.projects.totals.single-happy-path.json",
        f"{W}/scheduling/assignments/projects/totals/{PROJECT_WEBSITE_ID}",
        MONTH,
    ),
    Case(
        "20260521-000800-get.workspaces.scheduling.users.totals-happy-path.json",
        f"{W}/scheduling/assignments/users/{DEVELOPER_ID}/totals",
        MONTH,
    ),
    Case("findings-scheduling.user-totals-200.json", f"{W}/scheduling/assignments/users/{DEVELOPER_ID}/totals", MONTH),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.sample}:{c.pick.__name__}" for c in CASES])
async def test_simulated_answers_have_the_recorded_keys(case: Case) -> None:
    async with sandbox_api() as api:
        response = await api.call(case.method, case.path, params=case.query, json=case.body, status=200)
    expected, actual = case.pick(recorded(case.sample)), case.pick(response.json())
    assert set(expected) <= set(actual), f"missing {sorted(set(expected) - set(actual))}"


async def test_holiday_update_answers_the_recorded_full_body_shape() -> None:
    full = recorded("20260521-040000-put.workspaces.holidays-happy-path.json")
    update = {"name": "Christmas Day", "datePeriod": {"startDate": "2026-12-25", "endDate": "2026-12-25"}}
    async with sandbox_api() as api:
        response = await api.call(
            "PUT", f"{W}/holidays/{HOLIDAY_CHRISTMAS_ID}", json={**update, "occursAnnually": True}, status=200
        )
    assert set(response.json()) == set(full)
