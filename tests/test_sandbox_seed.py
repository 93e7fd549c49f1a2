"""The sandbox's demo data: deterministic for a given `today`, realistic, and clearly sandbox data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from mcp import Client

from mcp_server_clockify import sandbox
from mcp_server_clockify.config import ConfigError, Settings
from mcp_server_clockify.sandbox import (
    ASSIGNMENT_SERIES_ID,
    OWNER_ID,
    RUNNING_ENTRY_ID,
    SERIES_ID,
    WORKSPACE_ID,
    create_app,
)
from mcp_server_clockify.sandbox.ids import __all__ as ID_NAMES
from mcp_server_clockify.server import build_server
from sandbox_contract import TODAY, sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"
WINDOW = {"start": "2026-01-01T00:00:00Z", "end": "2027-12-31T00:00:00Z"}


async def _snapshot(app) -> list[bytes]:
    """Every read the tools can make, as raw response bytes."""
    async with sandbox_api(app) as api:
        reads = [
            ("GET", "/user", None, None),
            ("GET", "/workspaces", None, None),
            ("GET", W + "/projects", {"hydrated": "true"}, None),
            ("GET", W + "/users", {"include-roles": "false"}, None),
            ("GET", W + "/time-off/policies", None, None),
            ("GET", W + "/time-entries/status/in-progress", None, None),
            ("GET", W + "/approval-requests", None, None),
            ("POST", W + "/time-off/requests", None, {}),
            ("GET", W + "/holidays", None, None),
            ("GET", W + "/scheduling/assignments/all", WINDOW, None),
            ("POST", W + "/scheduling/assignments/user-filter/totals", None, WINDOW),
            ("POST", W + "/scheduling/assignments/projects/totals", None, WINDOW),
        ]
        reads += [("GET", f"{W}/user/{u}/time-entries", {"page-size": 500}, None) for u in app.state.users]
        reads += [("GET", f"{W}/time-off/balance/user/{u}", None, None) for u in app.state.users]
        return [(await api.call(m, p, params=q, json=b, status=200)).content for m, p, q, b in reads]


async def test_two_apps_with_the_same_today_serve_identical_data() -> None:
    first, second = create_app(today=TODAY), create_app(today=TODAY)
    assert await _snapshot(first) == await _snapshot(second)
    other = await _snapshot(create_app(today=TODAY + timedelta(days=7)))
    assert other != await _snapshot(first)


def test_ids_are_fixed_24_hex_and_distinct() -> None:
    values = [getattr(sandbox, name) for name in ID_NAMES if name.endswith("_ID")]
    assert len(values) == len(set(values)) >= 30
    assert all(re.fullmatch(r"[0-9a-f]{24}", v) for v in values)
    state = create_app(today=TODAY).state
    tables = (state.users, state.projects, state.tasks, state.tags, state.entries, state.policies, state.balances)
    for table in (*tables, state.time_off, state.holidays, state.assignments, state.approvals):
        assert all(re.fullmatch(r"[0-9a-f]{24}", key) for key in table)


def test_the_workspace_says_it_is_sandbox_data() -> None:
    state = create_app(today=TODAY).state
    assert state.workspace.id == WORKSPACE_ID
    assert "Sandbox" in state.workspace.name and "demo data" in state.workspace.name
    assert state.owner_id == OWNER_ID and state.owner.time_zone == "Europe/Berlin" and state.owner.role == "OWNER"
    assert {u.time_zone for u in state.users.values()} == {"Europe/Berlin", "America/New_York", "Europe/Lisbon"}


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 28), date(2027, 5, 3), date(2026, 3, 29)])
def test_two_weeks_of_working_day_entries_and_one_running_timer(today: date) -> None:
    state = create_app(today=today).state
    running = [e for e in state.entries.values() if e.end is None]
    assert [e.id for e in running] == [RUNNING_ENTRY_ID] and running[0].user_id == OWNER_ID
    first = today - timedelta(days=14)
    for entry in state.entries.values():
        if entry.end is None:
            continue
        user = state.users[entry.user_id]
        local = entry.start.astimezone(user.tz)
        assert first <= local.date() < today and local.weekday() < 5
        assert 8 <= local.hour < 18 and entry.end > entry.start
        assert not any(h.covers(local.date()) and h.applies_to(user.id) for h in state.holidays.values())
        assert entry.description and entry.project_id in state.projects
    per_user = {
        u: sorted((e.start, e.end) for e in state.entries.values() if e.user_id == u and e.end) for u in state.users
    }
    for spans in per_user.values():
        assert all(a[1] <= b[0] for a, b in pairwise(spans))  # no overlaps
    assert len(per_user[OWNER_ID]) >= 15


def test_time_off_holidays_approvals_and_schedule_are_seeded() -> None:
    state = create_app(today=TODAY).state
    assert sorted((p.name, p.unit, p.requires_approval) for p in state.policies.values()) == [
        ("Doctor visits", "HOURS", False),
        ("Vacation", "DAYS", True),
    ]
    assert len(state.balances) == len(state.users) * len(state.policies)
    assert sorted(r.status for r in state.time_off.values()) == ["APPROVED", "APPROVED", "PENDING"]
    for request in state.time_off.values():
        assert request.created_at < datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(days=1)
    assert len(state.holidays) == 5 and sum(h.occurs_annually for h in state.holidays.values()) == 4
    assert sorted(a.state for a in state.approvals.values()) == ["APPROVED", "PENDING"]
    series = [a for a in state.assignments.values() if a.series_id == SERIES_ID]
    assert len(series) == 4 and ASSIGNMENT_SERIES_ID in {a.id for a in series}
    assert any(not a.published for a in state.assignments.values())


def test_default_today_keeps_the_running_timer_in_the_past() -> None:
    app = create_app()
    now = datetime.now(UTC)
    assert app.state.today == now.date()
    assert app.state.entries[RUNNING_ENTRY_ID].start <= now


async def test_sandbox_today_setting_anchors_the_embedded_sandbox() -> None:
    """CLOCKIFY_SANDBOX_TODAY reaches the simulator `--sandbox` builds: its running timer started that day."""
    config = Settings.from_env({"CLOCKIFY_SANDBOX": "true", "CLOCKIFY_SANDBOX_TODAY": "2026-03-04"})
    assert config.sandbox_today == date(2026, 3, 4)
    async with Client(build_server(config)) as client:
        result = await client.call_tool(
            "clockify_time_tracking_get_in_progress_time_entries", {"workspaceId": WORKSPACE_ID}
        )
    [timer] = json.loads(result.content[0].text.split("\n", 1)[0])
    assert timer["id"] == RUNNING_ENTRY_ID and timer["timeInterval"]["start"].startswith("2026-03-04")


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", "25.11.2026"])
def test_sandbox_today_must_be_a_date(value: str) -> None:
    with pytest.raises(ConfigError, match="CLOCKIFY_SANDBOX_TODAY must be a date like"):
        Settings.from_env({"CLOCKIFY_SANDBOX": "true", "CLOCKIFY_SANDBOX_TODAY": value})


@pytest.mark.e2e
def test_importing_the_server_does_not_load_the_sandbox() -> None:
    code = (
        "import sys, mcp_server_clockify, mcp_server_clockify.cli, mcp_server_clockify.server\n"
        "print(sorted(m for m in sys.modules if m.startswith('mcp_server_clockify.sandbox')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
