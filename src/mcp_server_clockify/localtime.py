"""Showing Clockify's UTC instants in the zone of the person they belong to, and days in words.

Clockify answers every date-time in UTC (`2026-12-03T23:00:00Z`, sometimes with nanoseconds). An agent reads
the date part literally, so a day off on Friday in Berlin would read as Thursday. `instant_shown` rewrites an
instant into the relevant zone with its offset (`2026-12-04T00:00:00+01:00`): the same instant, the right day.
Values that are day labels (scheduling's `date` keys: `2026-12-04T00:00:00Z` means the day 4 December) become
plain dates, never shifted.

The relevant zone for an object is the one it names itself (`userTimeZone`, `timeZone`, `owner.timeZone`),
else the known zone of its `userId`, else the zone of the call (the person the call is about). `present` applies
this to a whole answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DAY_KEYS",
    "SHOWN",
    "SHOWN_SIZE",
    "day_list",
    "day_words",
    "instant_shown",
    "own_zone",
    "parse_utc",
    "show",
    "zone_named",
]

_INSTANT = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?Z")
DAY_KEYS = frozenset({"date"})
"""Keys whose date-time values are day labels (scheduling totals and excluded days)."""

ZoneOf = Callable[[Any], tzinfo | None]


def parse_utc(text: Any) -> datetime | None:
    """A Clockify UTC instant (`...Z`, any fraction) as an aware datetime; None for anything else."""
    if not isinstance(text, str):
        return None
    match = _INSTANT.fullmatch(text)
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)
    except ValueError:
        return None


def show(instant: datetime, zone: tzinfo, fraction: str = "") -> str:
    """`2026-12-04T00:00:00+01:00`: the same instant, in `zone`, with the offset in force then (`Z` in UTC).

    `fraction` (`.679797762`, as Clockify wrote it) is kept as is: offsets are whole minutes.
    """
    local = instant.astimezone(zone)
    if local.year < 1000 or local.microsecond:  # (never from parse_utc) strftime's own year format
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S")
        return stamp + fraction + ("Z" if _is_utc(zone) else local.isoformat()[-6:])
    text = local.isoformat()  # one call: yyyy-mm-ddThh:mm:ss+hh:mm
    return text[:19] + fraction + ("Z" if _is_utc(zone) else text[-6:])


def _is_utc(zone: tzinfo) -> bool:
    return zone is UTC or getattr(zone, "key", None) in ("UTC", "Etc/UTC", "Etc/GMT", "GMT")


def zone_named(value: Any) -> tzinfo | None:
    """The IANA zone `value` names, or None (not a string, or not a zone this system knows)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def own_zone(obj: dict[str, Any], zone_of_user: ZoneOf) -> tzinfo | None:
    """The zone `obj` names itself (`userTimeZone`, `timeZone`, `owner.timeZone`), else its `userId`'s."""
    if "userTimeZone" in obj or "timeZone" in obj or "owner" in obj:  # rare: most objects name none
        for key in ("userTimeZone", "timeZone"):
            found = zone_named(obj.get(key))
            if found:
                return found
        owner = obj.get("owner")
        if isinstance(owner, dict):
            found = zone_named(owner.get("timeZone"))
            if found:
                return found
    user_id = obj.get("userId")
    return zone_of_user(user_id) if user_id is not None else None


SHOWN: dict[tuple[str, tzinfo | None], str] = {}
"""Strings already shown, by (Clockify's text, zone): the same entries are listed again and again, and showing
an instant costs a parse, a zone conversion and a format. A pure function of its key, so shared by all users."""
SHOWN_SIZE = 4096


def instant_shown(value: str, here: tzinfo | None, key: str | None) -> str:
    """`value` shown in `here` if it is a UTC instant (a day label under a DAY_KEYS key); else `value`."""
    if key in DAY_KEYS:
        return value[:10] if parse_utc(value) is not None else value
    found = SHOWN.get((value, here))
    if found is not None:
        return found
    shown = value
    match = _INSTANT.fullmatch(value)
    if match and here is not None and not _is_utc(here):
        try:
            instant = datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)
        except ValueError:
            pass
        else:
            shown = show(instant, here, match.group(2) or "")
    if len(SHOWN) >= SHOWN_SIZE:
        SHOWN.clear()
    SHOWN[(value, here)] = shown
    return shown


def day_words(day: date, *, year: bool = True) -> str:
    """`Mon 16 Nov 2026` (English, as Clockify's UI writes days)."""
    text = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return f"{text} {day.year}" if year else text


def day_list(days: Iterable[date]) -> str:
    """`Mon 7 Dec, Tue 8 Dec, Wed 9 Dec 2026` (the year once, at the end, when all share it)."""
    ordered = sorted(days)
    if not ordered:
        return "no days"
    same_year = len({d.year for d in ordered}) == 1
    parts = [day_words(d, year=not same_year) for d in ordered]
    return ", ".join(parts) + (f" {ordered[0].year}" if same_year else "")
