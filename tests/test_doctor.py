"""`mcp-server-clockify doctor`: one line per check, what to do about each failure, reads only, exit 0/1."""

from __future__ import annotations

import io
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2
import pytest

from helpers import OTHER_USER, USER, WS, FakeClockify, settings
from mcp_server_clockify import catalogue, doctor, sandbox, toolsets
from mcp_server_clockify.config import Settings
from servers import KEY, Running, sandbox_server, server_command, server_env

ME = {
    "id": USER,
    "name": "Dana Doe",
    "email": "dana@example.com",
    "activeWorkspace": WS,
    "settings": {"timeZone": "Europe/Berlin"},
}
WORKSPACES = [{"id": WS, "name": "Acme"}, {"id": "5f1d8c2e9a3b4c5d6e7f8a91", "name": "Side project"}]


def clockify(denied: tuple[str, ...] = (), status: int = 403) -> FakeClockify:
    """A Clockify that knows Dana and answers 403 (by default) on the paths that contain a `denied` part."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/user":
            return httpx2.Response(200, json=ME)
        if path == "/workspaces":
            return httpx2.Response(200, json=WORKSPACES)
        if any(part in path for part in denied):
            return httpx2.Response(status, json={"message": "Feature not enabled for this workspace", "code": 403})
        return httpx2.Response(200, json=[])

    return FakeClockify(respond)


async def check(config: Settings, fake: FakeClockify) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = await doctor.run(config, out=out, transport=fake.transport())
    return code, out.getvalue().splitlines()


def line(lines: list[str], check_name: str) -> str:
    [found] = [x for x in lines if re.match(rf"^(ok|warn|FAIL) +{re.escape(check_name)}: ", x)]
    return found


@pytest.mark.anyio
async def test_everything_works_exit_0_and_every_check_has_its_line() -> None:
    fake = clockify()
    code, lines = await check(settings(timezone=None), fake)
    assert code == 0, lines
    assert line(lines, "key").startswith(
        "ok   key: CLOCKIFY_API_KEY accepted: it belongs to Dana Doe <dana@example.com>"
    )
    assert line(lines, "workspaces") == "ok   workspaces: 2 visible: Acme (active), Side project"
    assert line(lines, "workspace") == f"ok   workspace: active: Acme (id {WS})"
    assert "Europe/Berlin (from your Clockify profile" in line(lines, "time zone")
    for toolset in toolsets.NAMES:
        assert line(lines, f"toolset {toolset}").startswith("ok ")
    assert {s.method for s in fake.sent} == {"GET"}, "the doctor only reads"
    assert all(s.path.startswith(f"/workspaces/{WS}/") for s in fake.sent[2:]), "probes run in the active workspace"


@pytest.mark.anyio
async def test_a_toolset_the_plan_or_role_does_not_allow_fails_with_what_to_do() -> None:
    fake = clockify(denied=("/approval-requests", "/scheduling/"))
    code, lines = await check(settings(), fake)
    assert code == 1
    approvals = line(lines, "toolset approvals")
    assert approvals.startswith("FAIL toolset approvals: get_approval_requests answered HTTP 403")
    assert "Feature not enabled" in approvals and "workspace admin" in approvals and "CLOCKIFY_TOOLSETS" in approvals
    assert line(lines, "toolset scheduling").startswith("FAIL")
    assert line(lines, "toolset time_entries").startswith("ok")
    assert line(lines, "toolsets") == (
        "warn toolsets: to offer only what works: CLOCKIFY_TOOLSETS=discovery,time_entries,time_off,holidays,reports "
        "(or --toolsets discovery,time_entries,time_off,holidays,reports)"
    )
    assert {s.method for s in fake.sent} == {"GET"}


@pytest.mark.anyio
async def test_a_failing_toolset_the_user_left_out_does_not_fail_the_doctor() -> None:
    fake = clockify(denied=("/approval-requests",))
    code, lines = await check(settings(toolsets=frozenset({"time_entries", "discovery"})), fake)
    assert code == 0, lines
    assert line(lines, "toolset approvals") == "ok   toolset approvals: not enabled (CLOCKIFY_TOOLSETS); not checked"
    assert not any("/approval-requests" in s.path for s in fake.sent)


@pytest.mark.anyio
async def test_rejected_key_says_where_to_get_one_and_stops() -> None:
    fake = FakeClockify(
        lambda r: httpx2.Response(401, json={"message": "Full authentication is required", "code": 1000})
    )
    code, lines = await check(settings(), fake)
    assert code == 1
    assert lines[0] == "ok   url: https://api.clockify.me/api/v1 answers"
    assert lines[1].startswith(
        "FAIL key: Clockify rejected CLOCKIFY_API_KEY (HTTP 401: Full authentication is required)"
    )
    assert "https://app.clockify.me/user/preferences#advanced" in lines[1] and "CLOCKIFY_REGION" in lines[1]
    assert len(lines) == 2 and len(fake.sent) == 1


@pytest.mark.anyio
async def test_a_url_that_is_not_the_api_is_named() -> None:
    fake = FakeClockify(lambda r: httpx2.Response(404, text="<html><body>Not Found</body></html>"))
    code, lines = await check(settings(api_url="https://example.com/clockify"), fake)
    assert code == 1
    assert lines[-1].startswith("FAIL url: https://example.com/clockify is not the Clockify API (HTTP 404 for /user)")
    assert "/api/v1" in lines[-1]


@pytest.mark.anyio
async def test_unreachable_url_says_what_to_check(sleeps: list[float]) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused")

    code, lines = await check(settings(api_url="https://euc1.clockify.me/api/v1"), FakeClockify(refuse))
    assert code == 1
    assert lines == [
        "FAIL url: no answer from https://euc1.clockify.me/api/v1 (could not connect to Clockify (connection "
        "refused)): check the network, a proxy, and CLOCKIFY_REGION or CLOCKIFY_API_URL "
        "(default https://api.clockify.me/api/v1)"
    ]


@pytest.mark.anyio
async def test_a_time_zone_that_differs_from_the_profile_is_a_warning_not_a_failure() -> None:
    code, lines = await check(settings(timezone=ZoneInfo("America/New_York")), clockify())
    assert code == 0
    assert line(lines, "time zone") == (
        "warn time zone: America/New_York (CLOCKIFY_TIMEZONE); your Clockify profile says Europe/Berlin, "
        "so times may be shifted"
    )


def test_every_toolset_has_a_probe_that_is_one_of_its_own_reads() -> None:
    assert set(doctor.PROBES) == set(toolsets.NAMES)
    for toolset, probe in doctor.PROBES.items():
        op = catalogue.operation(doctor.PREFIX + probe.tool)
        assert op is not None and op.toolset == toolset and op.read_only
        assert op.method == "GET", f"{probe.tool}: the doctor never sends anything but a GET"
        op.model.model_validate(probe.arguments(WS, OTHER_USER, "2026-11-30"))


@pytest.mark.e2e
def test_doctor_on_the_embedded_sandbox(tmp_path: Path) -> None:
    env = server_env()
    del env["CLOCKIFY_API_KEY"]
    proc = subprocess.run(
        [server_command(), "doctor", "--sandbox"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert line(lines, "key").startswith("ok   key: CLOCKIFY_API_KEY accepted: it belongs to Alex Morgan")
    assert "(demo data) (active)" in line(lines, "workspaces")
    assert len([x for x in lines if x.startswith("ok   toolset ")]) == len(toolsets.NAMES)
    assert proc.stderr == ""


# One key per seeded user once sandbox-server tells keys apart (sandbox.API_KEYS); until then any key is the owner.
SEEDED_KEYS: dict[str, str] = getattr(sandbox, "API_KEYS", None) or {sandbox.OWNER_ID: KEY}


@pytest.fixture(scope="module")
def clockify_server() -> Iterator[Running]:
    with sandbox_server() as running:
        yield running


@pytest.mark.e2e
@pytest.mark.parametrize("user_id", sorted(SEEDED_KEYS))
def test_doctor_against_sandbox_server_with_each_seeded_users_key(
    user_id: str, tmp_path: Path, clockify_server: Running
) -> None:
    key = SEEDED_KEYS[user_id]
    already = len(clockify_server.stderr)
    proc = subprocess.run(
        [server_command(), "doctor"],
        env=server_env(CLOCKIFY_API_URL=clockify_server.url, CLOCKIFY_API_KEY=key),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = proc.stdout.splitlines()
    assert f"(user id {user_id})" in line(lines, "key"), proc.stdout + proc.stderr
    probed = [x for x in lines if re.match(r"^(ok|FAIL) +toolset \w+: ", x)]
    assert len(probed) == len(toolsets.NAMES)
    assert proc.returncode == (1 if any(x.startswith("FAIL") for x in lines) else 0)
    for _ in range(50):  # the access log line of the last request may trail its answer
        requests = [x for x in clockify_server.stderr[already:] if re.search(r'"[A-Z]+ /api/v1/', x)]
        if len(requests) >= 2 + len(toolsets.NAMES):
            break
        time.sleep(0.1)
    assert len(requests) >= 2 + len(toolsets.NAMES)
    assert all('"GET /api/v1/' in x for x in requests), requests
    assert key not in proc.stdout + proc.stderr


@pytest.mark.e2e
def test_a_configuration_error_is_one_failing_line(tmp_path: Path) -> None:
    env = server_env(CLOCKIFY_REGION="mars")
    proc = subprocess.run(
        [server_command(), "doctor"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1
    assert proc.stdout == "FAIL config: CLOCKIFY_REGION must be one of euc1, use2, euw2, apse2, not 'mars'\n"
