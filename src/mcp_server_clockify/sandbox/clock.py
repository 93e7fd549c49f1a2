"""Dates, date-times and durations as Clockify writes and reads them.

Responses carry UTC date-times with a `Z` and whole seconds, durations as ISO-8601 (`PT8H30M`, `PT0S`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

__all__ = [
    "days_between",
    "duration",
    "iso",
    "local_midnight",
    "parse_date",
    "parse_instant",
    "parse_wall_clock",
    "utc_day",
    "zone",
]

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})")
_WALL_CLOCK = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def iso(value: datetime | None) -> str | None:
    """`2026-11-28T08:00:00Z` (UTC, whole seconds), or None."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_day(day: date) -> str:
    """A calendar day the way scheduling totals write it: `2026-11-28T00:00:00Z`."""
    return f"{day.isoformat()}T00:00:00Z"


def duration(seconds: float) -> str:
    """ISO-8601 duration of whole seconds: `PT8H30M`, `PT45S`, `PT0S`."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if secs or text == "PT":
        text += f"{secs}S"
    return text


def parse_instant(text: object) -> datetime | None:
    """An RFC 3339 date-time with `Z` or an offset, in UTC; None if `text` is not one."""
    if not isinstance(text, str) or not _INSTANT.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None


def parse_wall_clock(text: str) -> datetime | None:
    """The local date and time written in `text`, ignoring any `Z` or offset (naive); None if unreadable."""
    match = _WALL_CLOCK.fullmatch(text)
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1))
    except ValueError:
        return None


def parse_date(text: object) -> date | None:
    """`yyyy-MM-dd`, or None."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The instant (UTC) a calendar day starts in `tz`."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def days_between(first: date, last: date) -> Iterator[date]:
    """Every calendar day from `first` to `last`, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
