"""`mcp-server-clockify sandbox-server` on real loopback: it answers on a free port and logs to stderr only."""

from __future__ import annotations

import httpx2
import pytest

from mcp_server_clockify.sandbox import OWNER_ID, SANDBOX_API_KEY, WORKSPACE_ID
from servers import sandbox_server

pytestmark = pytest.mark.e2e


def test_sandbox_server_answers_on_loopback_and_logs_to_stderr_only() -> None:
    with sandbox_server() as server:
        response = httpx2.get(f"{server.url}/user", headers={"X-Api-Key": SANDBOX_API_KEY}, timeout=5)
        assert response.status_code == 200
        assert response.json()["id"] == OWNER_ID
        assert response.headers["content-type"] == "application/json"
    assert server.stdout == ""
    assert any("GET /api/v1/user" in line for line in server.stderr)  # the access log, on stderr


def test_quiet_sandbox_server_has_no_access_log_and_today_anchors_the_data() -> None:
    with sandbox_server("--quiet", "--today", "2026-03-04") as server:
        timers = httpx2.get(
            f"{server.url}/workspaces/{WORKSPACE_ID}/time-entries/status/in-progress",
            headers={"X-Api-Key": SANDBOX_API_KEY},
            timeout=5,
        )
    assert timers.status_code == 200
    assert [t["timeInterval"]["start"][:10] for t in timers.json()] == ["2026-03-04"]
    assert not any("GET /api/v1/" in line for line in server.stderr)
