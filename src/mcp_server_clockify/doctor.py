"""`mcp-server-clockify doctor`: check the configuration against Clockify before the first tool call.

One line per check, `ok`, `warn` or `FAIL`, and for a failure what to do about it. It reads only: each
toolset is probed with the cheapest read one of its own tools makes (a GET for one item), never a write.
Exit code 0 when everything the configuration enables works, 1 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .client import ClockifyClient, ClockifyError, TransportFailure
from .config import DEFAULT_API_URL, Settings
from .registry import Request

__all__ = ["PREFIX", "PROBES", "Probe", "run"]

PREFIX = "clockify_time_tracking_"


@dataclass(frozen=True, slots=True)
class Probe:
    """The read that shows whether a toolset works for this user: one of the toolset's own read tools."""

    tool: str
    """Short tool name (without the clockify_time_tracking_ prefix)."""
    arguments: Callable[[str, str, str], dict[str, Any]]
    """(workspace id, user id, today as yyyy-MM-dd) -> the tool's arguments."""


PROBES: dict[str, Probe] = {
    "time_entries": Probe("get_entries", lambda ws, user, day: {"workspaceId": ws, "userId": user, "page-size": 1}),
    "approvals": Probe("get_approval_requests", lambda ws, user, day: {"workspaceId": ws, "page-size": 1}),
    "time_off": Probe(
        "get_balances_for_user", lambda ws, user, day: {"workspaceId": ws, "userId": user, "page-size": 1}
    ),
    "holidays": Probe(
        "get_holidays_in_period",
        lambda ws, user, day: {"workspaceId": ws, "assigned-to": user, "start": day, "end": f"{day}T23:59:59"},
    ),
    "scheduling": Probe(
        "get_all_assignments",
        lambda ws, user, day: {
            "workspaceId": ws,
            "start": f"{day}T00:00:00Z",
            "end": f"{day}T23:59:59Z",
            "page-size": 1,
        },
    ),
    "discovery": Probe("get_projects", lambda ws, user, day: {"workspaceId": ws, "page-size": 1}),
    # Clockify's own reports (POST, paid plans) are not probed: the doctor only reads with GET. The summary
    # built from time entries works on every plan.
    "reports": Probe("get_time_summary", lambda ws, user, day: {"workspaceId": ws, "range": "today"}),
}
"""One probe per toolset of toolsets.NAMES (a test checks that each has one, a GET tool of that toolset)."""


@dataclass
class Report:
    out: TextIO
    failed: bool = False
    lines: list[str] = field(default_factory=list)

    def line(self, status: str, check: str, text: str) -> None:
        if status == "FAIL":
            self.failed = True
        line = f"{status:<4} {check}: {text}"
        self.lines.append(line)
        print(line, file=self.out, flush=True)


async def run(settings: Settings, *, out: TextIO = sys.stdout, transport: Any = None) -> int:
    """Run every check, print one line each, and return the exit code."""
    report = Report(out)
    if settings.sandbox and transport is None:
        from . import sandbox

        transport = sandbox.transport(sandbox.create_app())
    where = "the built-in sandbox (demo data)" if settings.sandbox else settings.api_url
    async with ClockifyClient(settings, transport=transport) as client:
        user = await _check_key(client, settings, report, where)
        if user is None:
            return 1
        workspace = await _check_workspaces(client, user, report)
        zone = _check_timezone(settings, user, report)
        if workspace:
            await _check_toolsets(client, settings, zone, workspace, str(user.get("id") or ""), report)
    if settings.read_only:
        report.line("ok", "mode", "read-only: only tools that read are offered (CLOCKIFY_READ_ONLY)")
    if settings.dry_run:
        report.line("ok", "mode", "dry run: write tools show their request and send nothing (CLOCKIFY_DRY_RUN)")
    return 1 if report.failed else 0


async def _check_key(client: ClockifyClient, settings: Settings, report: Report, where: str) -> dict[str, Any] | None:
    key_name = "CLOCKIFY_ADDON_TOKEN" if settings.addon_token else "CLOCKIFY_API_KEY"
    try:
        response = await client.send(Request("GET", "/user"))
    except TransportFailure as exc:
        report.line(
            "FAIL",
            "url",
            f"no answer from {where} ({exc.reason}): check the network, a proxy, and CLOCKIFY_REGION or "
            f"CLOCKIFY_API_URL (default {DEFAULT_API_URL})",
        )
        return None
    except ClockifyError as exc:
        report.line("ok", "url", f"{where} answers")
        if exc.status == 401:
            report.line(
                "FAIL",
                "key",
                f"Clockify rejected {key_name} (HTTP 401: {exc.message}): create a key at "
                "https://app.clockify.me/user/preferences#advanced and set it; if your workspace lives in a "
                "regional data center, set CLOCKIFY_REGION (euc1, use2, euw2, apse2) too",
            )
        elif exc.status == 404 or "instead of a JSON" in exc.message:
            report.line(
                "FAIL",
                "url",
                f"{where} is not the Clockify API (HTTP {exc.status} for /user): CLOCKIFY_API_URL must be the "
                "API base, ending in /api/v1",
            )
        else:
            report.line("FAIL", "key", f"reading your profile failed (HTTP {exc.status}: {exc.message})")
        return None
    user = response.body if isinstance(response.body, dict) else {}
    report.line("ok", "url", f"{where} answers")
    name, email = user.get("name") or "(no name)", user.get("email") or "(no email)"
    report.line("ok", "key", f"{key_name} accepted: it belongs to {name} <{email}> (user id {user.get('id')})")
    return user


async def _check_workspaces(client: ClockifyClient, user: dict[str, Any], report: Report) -> str | None:
    try:
        response = await client.send(Request("GET", "/workspaces"))
    except (ClockifyError, TransportFailure) as exc:
        report.line("FAIL", "workspaces", f"listing your workspaces failed ({exc}); try again, then check the key")
        return None
    workspaces = [w for w in response.body or [] if isinstance(w, dict)] if isinstance(response.body, list) else []
    active = str(user.get("activeWorkspace") or user.get("defaultWorkspace") or "")
    if not workspaces:
        report.line("FAIL", "workspaces", "the key sees no workspace: create or join one in Clockify")
        return None
    names = ", ".join(f"{w.get('name')}{' (active)' if w.get('id') == active else ''}" for w in workspaces)
    report.line("ok", "workspaces", f"{len(workspaces)} visible: {names}")
    current = next((w for w in workspaces if w.get("id") == active), None)
    if current is None:
        first = workspaces[0]
        report.line(
            "warn",
            "workspace",
            f"your active workspace is not among them; the checks below use {first.get('name')} ({first.get('id')})"
            ": switch workspaces in Clockify if that is wrong",
        )
        return str(first.get("id"))
    report.line("ok", "workspace", f"active: {current.get('name')} (id {active})")
    return active


def _check_timezone(settings: Settings, user: dict[str, Any], report: Report) -> tzinfo:
    """Report the zone that dates are read in, and return it."""
    profile_name = str((user.get("settings") or {}).get("timeZone") or "")
    try:
        profile: tzinfo | None = ZoneInfo(profile_name) if profile_name else None
    except (ZoneInfoNotFoundError, ValueError):
        profile = None
    if settings.timezone is not None:
        zone = settings.timezone.key
        same = profile_name in ("", zone)
        note = "" if same else f"; your Clockify profile says {profile_name}, so times may be shifted"
        report.line("warn" if not same else "ok", "time zone", f"{zone} (CLOCKIFY_TIMEZONE){note}")
        return settings.timezone
    if profile is not None:
        report.line("ok", "time zone", f"{profile_name} (from your Clockify profile; CLOCKIFY_TIMEZONE overrides)")
        return profile
    report.line(
        "warn",
        "time zone",
        f"your profile's zone {profile_name!r} is unknown here, so UTC is used: set CLOCKIFY_TIMEZONE "
        "(e.g. Europe/Berlin)",
    )
    return ZoneInfo("UTC")


async def _check_toolsets(
    client: ClockifyClient, settings: Settings, zone: tzinfo, workspace: str, user_id: str, report: Report
) -> None:
    from . import catalogue
    from .toolsets import NAMES

    today = datetime.now(zone).date().isoformat()
    enabled = [t for t in NAMES if settings.toolsets is None or t in settings.toolsets]
    working: list[str] = []
    for toolset in NAMES:
        if toolset not in enabled:
            report.line("ok", f"toolset {toolset}", "not enabled (CLOCKIFY_TOOLSETS); not checked")
            continue
        probe = PROBES.get(toolset)
        op = catalogue.operation(PREFIX + probe.tool) if probe else None
        if probe is None or op is None:
            report.line("warn", f"toolset {toolset}", "no probe known for it; not checked")
            continue
        try:
            args = op.model.model_validate(probe.arguments(workspace, user_id, today))
            if op.compute is None:
                await client.send(op.build(args, tz=zone, account_tz=zone))
            else:  # a tool answered from several reads: probe the first read it makes, one item
                path = op.fill(op.path, {"workspaceId": workspace, "userId": user_id})
                await client.send(Request("GET", path, (("page-size", "1"),)))
        except ClockifyError as exc:
            if exc.status in (401, 402, 403):
                what = (
                    "your role or this workspace's plan does not allow it (a workspace admin can grant the "
                    "permission or enable the feature)"
                )
            else:
                what = "Clockify refused the probe"
            report.line(
                "FAIL",
                f"toolset {toolset}",
                f"{probe.tool} answered HTTP {exc.status} ({exc.message}): {what}; or leave it out with "
                "CLOCKIFY_TOOLSETS",
            )
            continue
        except TransportFailure as exc:
            report.line("FAIL", f"toolset {toolset}", f"{probe.tool}: no answer ({exc.reason}); try again")
            continue
        working.append(toolset)
        report.line("ok", f"toolset {toolset}", f"works ({probe.tool} answered)")
    failing = [t for t in enabled if t not in working]
    if failing and working:
        report.line(
            "warn",
            "toolsets",
            f"to offer only what works: CLOCKIFY_TOOLSETS={','.join(working)} (or --toolsets {','.join(working)})",
        )
