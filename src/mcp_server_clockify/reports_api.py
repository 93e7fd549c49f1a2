"""Clockify's Reports API (summary, detailed, weekly): requests built from calendar days in the key owner's
zone, answers turned into decimal hours with names.

The Reports API lives on its own host (Settings.reports_base). Request and response shapes follow Clockify's
public API documentation (docs.clockify.me, "Reports API") and Clockify's own forum answers; the official
OpenAPI document describes only the main API. See docs/clockify-api-notes.md §reports.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .config import reports_url_for
from .registry import Answer, Request

if TYPE_CHECKING:
    from .execute import CallContext

__all__ = ["detailed_report", "summary_report", "weekly_report"]

_FILTERS = {"users": "users", "projects": "projects", "clients": "clients", "tags": "tags"}


def _instant(value: datetime) -> str:
    """UTC with milliseconds, as the Reports API's examples write it."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _common(args: Any, zone: tzinfo) -> dict[str, Any]:
    """The filters every report takes: the days as instants in `zone`, ids, billable, description."""
    first = datetime.combine(args.start, time(), zone)
    last = datetime.combine(args.end, time(23, 59, 59, 999000), zone)
    body: dict[str, Any] = {
        "dateRangeStart": _instant(first),
        "dateRangeEnd": _instant(last),
        "timeZone": getattr(zone, "key", "UTC"),
        "exportType": "JSON",
    }
    for attr, key in _FILTERS.items():
        ids = getattr(args, attr, None)
        if ids:
            body[key] = {"ids": list(ids), "contains": "CONTAINS", "status": "ALL"}
    if args.billable is not None:
        body["billable"] = args.billable
    if args.description:
        body["description"] = args.description
    return body


def _hours(seconds: Any) -> float:
    return round(float(seconds or 0) / 3600, 2)


def _total(body: Any) -> dict[str, Any]:
    totals = body.get("totals") if isinstance(body, dict) else None
    first = totals[0] if isinstance(totals, list) and totals and isinstance(totals[0], dict) else {}
    return {
        "hours": _hours(first.get("totalTime")),
        "billableHours": _hours(first.get("totalBillableTime")),
        "entries": int(first.get("entriesCount") or 0),
    }


async def _send(kind: str, args: Any, ctx: CallContext, extra: dict[str, Any]) -> tuple[Any, tzinfo]:
    client, settings = ctx.client, ctx.settings
    zone = settings.timezone or (await client.profile()).tz
    body = {**_common(args, zone), **extra}
    base = settings.reports_url or reports_url_for(client.credential.api_url)  # the caller's region
    url = f"{base}/workspaces/{quote(args.workspaceId, safe='')}/reports/{kind}"
    response = await client.send(Request("POST", url, (), body, True), retry_safe=True)
    return response.body, zone


def _window(args: Any, zone: tzinfo) -> dict[str, Any]:
    return {"start": args.start.isoformat(), "end": args.end.isoformat(), "timeZone": getattr(zone, "key", "UTC")}


def _groups(items: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        group: dict[str, Any] = {"name": item.get("name") or "(none)"}
        if item.get("_id"):
            group["id"] = item["_id"]
        group["hours"] = _hours(item.get("duration"))
        children = _groups(item.get("children"))
        if children:
            group["groups"] = children
        out.append(group)
    return out


async def summary_report(args: Any, ctx: CallContext) -> Answer:
    groups = list(dict.fromkeys(args.groupBy or ["PROJECT"]))
    raw, zone = await _send("summary", args, ctx, {"summaryFilter": {"groups": groups}})
    body = {**_window(args, zone), "groupBy": groups, "total": _total(raw)}
    body["groups"] = _groups(raw.get("groupOne") if isinstance(raw, dict) else None)
    return Answer(body)


def _entry(item: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    found = item.get("timeInterval")
    interval: dict[str, Any] = found if isinstance(found, dict) else {}
    out: dict[str, Any] = {"id": item.get("_id") or item.get("id")}
    for key in ("description", "userName", "projectName", "clientName", "taskName", "billable"):
        if item.get(key) not in (None, ""):
            out[key.removesuffix("Name") if key.endswith("Name") else key] = item[key]
    tags = [t.get("name") for t in item.get("tags") or [] if isinstance(t, dict) and t.get("name")]
    if tags:
        out["tags"] = tags
    for key in ("start", "end"):
        text = interval.get(key)
        if isinstance(text, str) and text:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
                out[key] = moment.astimezone(zone).isoformat(timespec="seconds")
            except ValueError:
                out[key] = text
    out["hours"] = _hours(interval.get("duration"))
    return out


async def detailed_report(args: Any, ctx: CallContext) -> Answer:
    page, size = args.page or 1, args.pageSize or 50
    extra = {
        "detailedFilter": {"page": page, "pageSize": size, "sortColumn": "DATE", "options": {"totals": "CALCULATE"}}
    }
    raw, zone = await _send("detailed", args, ctx, extra)
    entries = raw.get("timeentries") if isinstance(raw, dict) else None
    items = [_entry(e, zone) for e in entries or [] if isinstance(e, dict)]
    total = _total(raw)
    body = {**_window(args, zone), "total": total, "page": page, "entries": items}
    notes = []
    if page * size < total["entries"]:
        notes.append(f"(more results: call again with page={page + 1} and the same pageSize)")
    elif not items and page > 1:
        notes.append(f"(page {page} is empty: there are no more results)")
    return Answer(body, tuple(notes))


async def weekly_report(args: Any, ctx: CallContext) -> Answer:
    group = args.group or "PROJECT"
    raw, zone = await _send("weekly", args, ctx, {"weeklyFilter": {"group": group, "subgroup": "TIME"}})
    days = [(args.start + timedelta(days=i)).isoformat() for i in range(7)]
    body = {**_window(args, zone), "group": group, "total": _total(raw)}
    by_day = _days(raw.get("totalsByDay") if isinstance(raw, dict) else None, days)
    if by_day is not None:
        body["days"] = by_day
    rows = []
    for item in raw.get("groupOne") or [] if isinstance(raw, dict) else []:
        if isinstance(item, dict):
            row: dict[str, Any] = {"name": item.get("name") or "(none)"}
            if item.get("_id"):
                row["id"] = item["_id"]
            row["hours"] = _hours(item.get("duration"))
            row_days = _days(item.get("totalsByDay"), days)
            if row_days is not None:
                row["days"] = row_days
            rows.append(row)
    body["groups"] = rows
    return Answer(body)


def _days(items: Any, days: list[str]) -> dict[str, float] | None:
    """Hours per day (yyyy-MM-dd) for the week, zero where Clockify lists nothing (None: no per-day list)."""
    if not isinstance(items, list):
        return None
    hours = dict.fromkeys(days, 0.0)
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("date"), str):
            day = item["date"][:10]
            if day in hours:
                hours[day] = _hours(item.get("duration"))
    return hours
