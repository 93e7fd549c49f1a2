"""The Reports API (its own host: `reports.api.clockify.me/v1`, or `/report/v1` beside a regional API):
summary, detailed (paged in its nested `detailedFilter`) and weekly reports, computed from the same time
entries the main API serves, so the two always agree.

Shapes follow Clockify's public Reports API documentation (see docs/clockify-api-notes.md §reports):
durations in seconds, `totals` as a one-item list, `groupOne` trees with `_id`/`name`/`duration`/`children`,
`timeentries` with names inlined. A weekly report longer than seven days is a 400, as Clockify answers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from ..errors import ApiError
from ..model import State, TimeEntry
from ..params import Fields
from ..routing import Call, Reply, Route, ok
from ..views import entry_seconds, hourly_rate_of

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}/reports"
GROUPS = ("PROJECT", "CLIENT", "TASK", "TAG", "DATE", "USER", "TIMEENTRY")
_FILTERS = ("users", "projects", "clients", "tasks", "tags")


def _bad(message: str) -> ApiError:
    return ApiError(400, message, 501)


def _selected(state: State, body: Fields) -> tuple[list[TimeEntry], datetime, datetime]:
    start = body.instant("dateRangeStart", required=True)
    end = body.instant("dateRangeEnd", required=True)
    assert start is not None and end is not None
    if end < start:
        raise _bad("dateRangeEnd must be after dateRangeStart")
    entries = [e for e in state.entries.values() if start <= e.start <= end]
    for key in _FILTERS:
        spec = body.obj(key)
        if spec is None:
            continue
        ids = set(spec.texts("ids") or [])
        if not ids:
            continue
        contains = spec.choice("contains", ("CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"), java_type="Contains")
        keep = contains != "DOES_NOT_CONTAIN"
        entries = [e for e in entries if bool(_keys(state, e, key) & ids) == keep]
    billable = body.flag("billable")
    if billable is not None:
        entries = [e for e in entries if e.billable == billable]
    description = body.text("description")
    if description:
        entries = [e for e in entries if description.lower() in e.description.lower()]
    return entries, start, end


def _client_id(state: State, entry: TimeEntry) -> str | None:
    project = state.projects.get(entry.project_id or "")
    return project.client_id if project else None


def _keys(state: State, entry: TimeEntry, key: str) -> set[str]:
    if key == "users":
        return {entry.user_id}
    if key == "projects":
        return {entry.project_id} if entry.project_id else set()
    if key == "clients":
        client = _client_id(state, entry)
        return {client} if client else set()
    if key == "tasks":
        return {entry.task_id} if entry.task_id else set()
    return set(entry.tag_ids or [])


def _seconds(state: State, entry: TimeEntry) -> int:
    if entry.end is None:
        return int((state.now() - entry.start).total_seconds())
    return entry_seconds(entry)


def _amount(state: State, entry: TimeEntry) -> float:
    if not entry.billable:
        return 0.0
    return round(hourly_rate_of(state, entry) * _seconds(state, entry) / 3600, 2)


def _totals(state: State, entries: list[TimeEntry]) -> list[dict[str, Any]]:
    return [
        {
            "_id": "",
            "totalTime": sum(_seconds(state, e) for e in entries),
            "totalBillableTime": sum(_seconds(state, e) for e in entries if e.billable),
            "entriesCount": len(entries),
            "totalAmount": round(sum(_amount(state, e) for e in entries), 2),
        }
    ]


def _group_keys(state: State, entry: TimeEntry, group: str, zone: Any) -> list[tuple[str, str]]:
    """(id, name) of each group the entry belongs to (an entry with two tags is in both)."""
    if group == "PROJECT":
        project = state.projects.get(entry.project_id or "")
        return [(project.id, project.name)] if project else [("", "Without project")]
    if group == "CLIENT":
        client = state.clients.get(_client_id(state, entry) or "")
        return [(client.id, client.name)] if client else [("", "Without client")]
    if group == "TASK":
        task = state.tasks.get(entry.task_id or "")
        return [(task.id, task.name)] if task else [("", "Without task")]
    if group == "TAG":
        tags = [state.tags[t] for t in entry.tag_ids or [] if t in state.tags]
        return [(t.id, t.name) for t in tags] or [("", "Without tag")]
    if group == "DATE":
        day = entry.start.astimezone(zone).date().isoformat()
        return [(day, day)]
    if group == "USER":
        user = state.users[entry.user_id]
        return [(user.id, user.name)]
    return [(entry.id, entry.description or "(no description)")]


def _tree(state: State, entries: list[TimeEntry], groups: list[str], zone: Any) -> list[dict[str, Any]]:
    if not groups:
        return []
    buckets: dict[tuple[str, str], list[TimeEntry]] = {}
    for entry in entries:
        for key in _group_keys(state, entry, groups[0], zone):
            buckets.setdefault(key, []).append(entry)
    out = []
    for (id_, name), members in buckets.items():
        node: dict[str, Any] = {
            "_id": id_,
            "duration": sum(_seconds(state, e) for e in members),
            "amount": round(sum(_amount(state, e) for e in members), 2),
            "name": name,
            "nameLowerCase": name.lower(),
        }
        children = _tree(state, members, groups[1:], zone)
        if children:
            node["children"] = children
        out.append(node)
    if groups[0] == "DATE":
        out.sort(key=lambda n: n["_id"])
    else:
        out.sort(key=lambda n: (-n["duration"], n["nameLowerCase"]))
    return out


def _zone(state: State, body: Fields) -> Any:
    from ..clock import zone

    name = body.text("timeZone")
    try:
        return zone(name) if name else state.owner.tz
    except Exception:
        raise _bad(f"Unknown time zone {name}") from None


def _json_only(body: Fields) -> None:
    export = body.choice("exportType", ("JSON", "JSON_V1", "PDF", "CSV", "XLSX", "ZIP"), java_type="ExportType")
    if export not in (None, "JSON", "JSON_V1"):
        raise _bad("The sandbox answers JSON reports only")


def summary(call: Call) -> Reply:
    body = call.fields("SummaryReportRequest")
    _json_only(body)
    entries, _, _ = _selected(call.state, body)
    spec = body.obj("summaryFilter", required=True, java_type="SummaryFilter")
    assert spec is not None
    groups = spec.texts("groups") or ["PROJECT"]
    if not 1 <= len(groups) <= 3 or any(g not in GROUPS for g in groups):
        raise _bad(f"summaryFilter.groups must be one to three of {', '.join(GROUPS)}")
    zone = _zone(call.state, body)
    return ok({"totals": _totals(call.state, entries), "groupOne": _tree(call.state, entries, groups, zone)})


def _detailed_entry(state: State, entry: TimeEntry) -> dict[str, Any]:
    project = state.projects.get(entry.project_id or "")
    client = state.clients.get(_client_id(state, entry) or "")
    task = state.tasks.get(entry.task_id or "")
    user = state.users[entry.user_id]
    return {
        "_id": entry.id,
        "description": entry.description,
        "userId": user.id,
        "userName": user.name,
        "userEmail": user.email,
        "billable": entry.billable,
        "projectId": project.id if project else "",
        "projectName": project.name if project else "",
        "projectColor": project.color if project else "",
        "clientId": client.id if client else "",
        "clientName": client.name if client else "",
        "taskId": task.id if task else "",
        "taskName": task.name if task else "",
        "tags": [{"_id": t, "name": state.tags[t].name} for t in entry.tag_ids or [] if t in state.tags],
        "timeInterval": {
            "start": entry.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": entry.end.strftime("%Y-%m-%dT%H:%M:%SZ") if entry.end else None,
            "duration": _seconds(state, entry),
        },
        "rate": hourly_rate_of(state, entry),
        "amount": _amount(state, entry),
        "isLocked": False,
    }


def detailed(call: Call) -> Reply:
    body = call.fields("DetailedReportRequest")
    _json_only(body)
    entries, _, _ = _selected(call.state, body)
    spec = body.obj("detailedFilter", required=True, java_type="DetailedFilter")
    assert spec is not None
    page = spec.integer("page") or 1
    size = spec.integer("pageSize") or 50
    if page < 1 or not 1 <= size <= 1000:
        raise _bad("detailedFilter.page must be at least 1 and pageSize between 1 and 1000")
    entries.sort(key=lambda e: e.start, reverse=True)
    shown = entries[(page - 1) * size : page * size]
    return ok({"totals": _totals(call.state, entries), "timeentries": [_detailed_entry(call.state, e) for e in shown]})


def _days(state: State, entries: Iterable[TimeEntry], first: Any, zone: Any) -> list[dict[str, Any]]:
    out = []
    for offset in range(7):
        day = first + timedelta(days=offset)
        members = [e for e in entries if e.start.astimezone(zone).date() == day]
        out.append(
            {
                "date": day.isoformat(),
                "duration": sum(_seconds(state, e) for e in members),
                "amount": round(sum(_amount(state, e) for e in members), 2),
            }
        )
    return out


def weekly(call: Call) -> Reply:
    body = call.fields("WeeklyReportRequest")
    _json_only(body)
    entries, start, end = _selected(call.state, body)
    if end - start > timedelta(days=7):
        raise _bad("Weekly report date range can not be longer than 7 days")
    spec = body.obj("weeklyFilter", required=True, java_type="WeeklyFilter")
    assert spec is not None
    group = spec.choice("group", ("PROJECT", "USER"), java_type="WeeklyGroup") or "PROJECT"
    spec.choice("subgroup", ("TIME", "EARNED", "COST", "PROFIT"), java_type="WeeklySubgroup")
    zone = _zone(call.state, body)
    first = start.astimezone(zone).date()
    rows = []
    for node in _tree(call.state, entries, [group], zone):
        members = [e for e in entries if (node["_id"] or "") in {k for k, _ in _group_keys(call.state, e, group, zone)}]
        rows.append({**node, "totalsByDay": _days(call.state, members, first, zone)})
    return ok(
        {
            "totals": _totals(call.state, entries),
            "totalsByDay": _days(call.state, entries, first, zone),
            "groupOne": rows,
        }
    )


ROUTES = [
    Route("POST", WS + "/summary", summary),
    Route("POST", WS + "/detailed", detailed),
    Route("POST", WS + "/weekly", weekly),
]
