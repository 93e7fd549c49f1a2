"""Time summaries computed from time entries: works on every Clockify plan (no Reports API needed).

A window of calendar days in the key owner's zone (named ranges follow the owner's week start), every
entry of each user that starts in it (paging through all of them), grouped by one or two dimensions, in
decimal hours with names. A running timer is counted up to now, and the answer says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import anyio

from .names import Directory
from .registry import Answer, CannotAnswer, Request

if TYPE_CHECKING:
    from .client import ClockifyClient
    from .execute import CallContext

__all__ = ["GROUPS", "RANGES", "Window", "fetch_entries", "group_entries", "time_summary", "window"]

RANGES = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month")
GROUPS = ("PROJECT", "CLIENT", "TASK", "TAG", "DAY", "USER")
PAGE_SIZE = 1000
MAX_PAGES = 50
"""At most 50,000 entries per user and window."""


@dataclass(frozen=True, slots=True)
class Window:
    first: date
    last: date
    """Inclusive."""
    zone: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time(), self.zone)

    @property
    def end(self) -> datetime:
        """The instant the day after `last` begins (exclusive end)."""
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), self.zone)


def window(
    range_name: str | None, first: date | None, last: date | None, *, today: date, week_start: int, zone: tzinfo
) -> Window:
    """The days a summary covers: a named range around `today`, or `first`..`last` (default: one day)."""
    if range_name is None:
        assert first is not None
        return Window(first, last or first, zone)
    if range_name in ("today", "yesterday"):
        day = today - timedelta(days=0 if range_name == "today" else 1)
        return Window(day, day, zone)
    if range_name in ("this_week", "last_week"):
        monday = today - timedelta(days=(today.weekday() - week_start) % 7)
        if range_name == "last_week":
            monday -= timedelta(days=7)
        return Window(monday, monday + timedelta(days=6), zone)
    month = today.replace(day=1)
    if range_name == "last_month":
        month = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return Window(month, following - timedelta(days=1), zone)


def _wall(instant: datetime, account: tzinfo) -> str:
    """Clockify reads a time-entry filter as wall-clock time in the account's zone (it ignores the Z)."""
    return instant.astimezone(account).strftime("%Y-%m-%dT%H:%M:%SZ")


async def fetch_entries(
    client: ClockifyClient, workspace_id: str, user_id: str, span: Window, account: tzinfo
) -> list[dict[str, Any]]:
    """Every entry of `user_id` that starts in `span` (all pages), as Clockify returns them."""
    path = f"/workspaces/{quote(workspace_id, safe='')}/user/{quote(user_id, safe='')}/time-entries"
    out: list[dict[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        params = (
            ("start", _wall(span.start, account)),
            ("end", _wall(span.end, account)),
            ("page", str(page)),
            ("page-size", str(PAGE_SIZE)),
        )
        response = await client.send(Request("GET", path, params))
        chunk = [e for e in response.body if isinstance(e, dict)] if isinstance(response.body, list) else []
        out.extend(chunk)
        last = (response.headers.get("Last-Page") or "").strip().lower()
        if len(chunk) < PAGE_SIZE or last == "true":
            break
    return out


def _instant(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(slots=True)
class _Entry:
    id: str
    seconds: float
    billable: bool
    keys: dict[str, list[str | None]]


@dataclass(slots=True)
class _Group:
    key: str | None
    seconds: float = 0.0
    billable: float = 0.0
    ids: set[str] = field(default_factory=set)
    children: dict[str | None, _Group] = field(default_factory=dict)

    def add(self, entry: _Entry) -> None:
        self.seconds += entry.seconds
        self.billable += entry.seconds if entry.billable else 0.0
        self.ids.add(entry.id)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


_LABEL = {"PROJECT": "project", "CLIENT": "client", "TASK": "task", "TAG": "tag", "USER": "user"}
_NONE = {"PROJECT": "(no project)", "CLIENT": "(no client)", "TASK": "(no task)", "TAG": "(no tag)"}


def _entry(raw: dict[str, Any], span: Window, now: datetime, names: Directory) -> tuple[_Entry | None, bool]:
    found = raw.get("timeInterval")
    interval: dict[str, Any] = found if isinstance(found, dict) else {}
    start = _instant(interval.get("start"))
    if start is None or not (span.start <= start < span.end):
        return None, False
    end = _instant(interval.get("end"))
    running = end is None
    seconds = max(0.0, ((end or now) - start).total_seconds())
    project = raw.get("projectId") or None
    tags = [t for t in raw.get("tagIds") or [] if isinstance(t, str)]
    keys: dict[str, list[str | None]] = {
        "PROJECT": [project],
        "CLIENT": [names.name("project_client_id", project) if project else None],
        "TASK": [raw.get("taskId") or None],
        "TAG": list(tags) or [None],
        "DAY": [start.astimezone(span.zone).date().isoformat()],
        "USER": [raw.get("userId") or None],
    }
    return _Entry(str(raw.get("id") or id(raw)), seconds, bool(raw.get("billable")), keys), running


def group_entries(
    raw_entries: Iterable[dict[str, Any]], span: Window, group_by: Sequence[str], names: Directory, now: datetime
) -> tuple[dict[str, Any], bool]:
    """The summary body for `raw_entries`, and whether a running timer was counted up to `now`."""
    root = _Group(None)
    running = False
    for raw in raw_entries:
        entry, is_running = _entry(raw, span, now, names)
        if entry is None:
            continue
        running = running or is_running
        root.add(entry)
        _place(root, entry, group_by)
    body: dict[str, Any] = {
        "start": span.first.isoformat(),
        "end": span.last.isoformat(),
        "timeZone": getattr(span.zone, "key", str(span.zone)),
        "groupBy": list(group_by),
        "total": _totals(root),
        "groups": _render(root, group_by, names),
    }
    if running:
        body["runningTimerCountedToNow"] = True
    return body, running


def _place(node: _Group, entry: _Entry, group_by: Sequence[str]) -> None:
    if not group_by:
        return
    for key in dict.fromkeys(entry.keys[group_by[0]]):
        child = node.children.setdefault(key, _Group(key))
        child.add(entry)
        _place(child, entry, group_by[1:])


def _totals(node: _Group) -> dict[str, Any]:
    return {"hours": _hours(node.seconds), "billableHours": _hours(node.billable), "entries": len(node.ids)}


def _render(node: _Group, group_by: Sequence[str], names: Directory) -> list[dict[str, Any]]:
    if not group_by:
        return []
    dimension = group_by[0]
    out: list[tuple[Any, dict[str, Any]]] = []
    for child in node.children.values():
        item: dict[str, Any]
        if dimension == "DAY":
            item = {"day": child.key}
            order: Any = (child.key or "",)
        else:
            label = _LABEL[dimension]
            name = _name(dimension, child.key, names)
            item = {f"{label}Id": child.key, label: name} if child.key else {label: name}
            order = (-child.seconds, name.lower())
        item.update(_totals(child))
        sub = _render(child, group_by[1:], names)
        if sub:
            item["groups"] = sub
        out.append((order, item))
    out.sort(key=lambda pair: pair[0])
    return [item for _, item in out]


def _name(dimension: str, key: str | None, names: Directory) -> str:
    if key is None:
        return _NONE.get(dimension, "(none)")
    kind = {"PROJECT": "project", "CLIENT": "client", "TASK": "task", "TAG": "tag", "USER": "user"}[dimension]
    return names.name(kind, key) or key


def utc_now() -> datetime:
    """The current instant (tests replace it)."""
    return datetime.now(UTC)


async def time_summary(args: Any, ctx: CallContext) -> Answer:
    """The get_time_summary tool: see the module docstring."""
    client, settings = ctx.client, ctx.settings
    profile = await client.profile()
    zone = settings.timezone or profile.tz
    now = utc_now()
    span = window(
        args.range,
        args.start,
        args.end,
        today=now.astimezone(zone).date(),
        week_start=profile.week_start_index,
        zone=zone,
    )
    workspace = args.workspaceId
    if not args.users and not profile.user_id:
        raise CannotAnswer("users: Clockify's profile of this key names no user id; pass users. Nothing was read.")
    users = list(dict.fromkeys(args.users or [profile.user_id]))
    found: dict[str, list[dict[str, Any]]] = {}

    async def read(user_id: str) -> None:
        found[user_id] = await fetch_entries(client, workspace, user_id, span, zone)

    async with anyio.create_task_group() as group:
        for user_id in users:
            group.start_soon(read, user_id)
    entries = [e for user_id in users for e in found[user_id]]
    group_by = list(dict.fromkeys(args.groupBy or ["PROJECT"]))
    names = Directory()
    if ctx.names is not None and settings.names:
        wanted: dict[str, set[str]] = {"user": set(users)}
        projects = {str(e["projectId"]) for e in entries if e.get("projectId")}
        if projects:
            wanted["project"] = projects
        tags = {t for e in entries for t in e.get("tagIds") or [] if isinstance(t, str)}
        if "TAG" in group_by and tags:
            wanted["tag"] = tags
        names = await ctx.names.directory(client, workspace, wanted)
    body, running = group_entries(entries, span, group_by, names, now)
    if len(users) > 1 or users != [profile.user_id]:
        body["users"] = [{"userId": u, "user": names.name("user", u) or u} for u in users]
    notes = []
    if running:
        local_now = now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        notes.append(f"(a running timer is counted up to now, {local_now} {body['timeZone']})")
    if "TAG" in group_by:
        notes.append("(an entry with several tags counts in each tag's group; the total counts it once)")
    return Answer(body, tuple(notes))
