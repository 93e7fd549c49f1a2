"""Shared argument types: ids, date-times, dates, and the base model every tool's arguments extend.

Validation here is the only gate between an agent's arguments and a Clockify request, so every type
rejects what Clockify would misread and says what it expects in one short phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "ID_PATTERN",
    "AccountDateTime",
    "AccountDateTimeEnd",
    "Args",
    "ClockTime",
    "Date",
    "DateTime",
    "DayEnd",
    "DayOrDateTime",
    "DayStart",
    "Id",
    "NeedsTimezone",
    "Nested",
    "Page",
    "PageSize",
    "parse_day_or_datetime",
    "too_long",
]

_ID_RE = re.compile(r"[0-9a-fA-F]{24}")
_CLOCK_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


class Args(BaseModel):
    """Base of every tool's argument model: wire names only, unknown keys rejected."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        hide_input_in_errors=True,
        regex_engine="python-re",
        defer_build=True,
    )


MAX_TEXT = 5_000
"""Longest string any argument may hold (Clockify's own longest text field, a description, takes 3,000)."""


def too_long(arguments: Any, path: str = "") -> list[str]:
    """`param: problem` for every string in the raw arguments longer than MAX_TEXT, checked before the model runs,
    so a 10 MB filter is a validation error naming its field, not a request too long to send."""
    found: list[str] = []
    if isinstance(arguments, str):
        if len(arguments) > MAX_TEXT:
            found.append(f"{path or 'argument'}: at most {MAX_TEXT:,} characters (got {len(arguments):,})")
    elif isinstance(arguments, dict):
        for key, value in arguments.items():
            found.extend(too_long(value, f"{path}.{key}" if path else str(key)[:100]))
    elif isinstance(arguments, list):
        for index, value in enumerate(arguments):
            found.extend(too_long(value, f"{path}[{index}]"))
    return found


class Nested(Args):
    """Base of nested request objects (same strictness as the top level)."""


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and _ID_RE.fullmatch(value):
        return value
    raise PydanticCustomError("clockify_id", "expected a Clockify id: 24 hexadecimal characters")


ID_PATTERN = "^[0-9a-fA-F]{24}$"

Id = Annotated[
    str,
    BeforeValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN}),
]
"""A Clockify object id (24 hex characters). Used for every id, so none can smuggle `/` or `..` into a path."""


class NeedsTimezone(Exception):
    """Raised while serialising a date-time given without an offset when no time zone is known yet."""


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "now":
            return datetime.now(UTC).replace(microsecond=0)
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time())
            if "T" in text or " " in text:
                return datetime.fromisoformat(text)
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_time",
        "expected a date-time like 2026-11-28T09:00:00Z, 2026-11-28T10:00:00+01:00, "
        "2026-11-28T09:00 (your time zone), a date 2026-11-28 (midnight) or now",
    )


def _localise(value: datetime, info: SerializationInfo, key: str) -> datetime:
    if value.tzinfo is not None:
        return value
    zone: tzinfo | None = (info.context or {}).get(key)
    if zone is None:
        raise NeedsTimezone
    return value.replace(tzinfo=zone)


def _to_utc(value: datetime, info: SerializationInfo) -> str:
    return _localise(value, info, "tz").astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _to_account_wall_clock(value: datetime, info: SerializationInfo) -> str:
    account: tzinfo | None = (info.context or {}).get("account_tz")
    if account is None:
        raise NeedsTimezone
    return _localise(value, info, "tz").astimezone(account).strftime("%Y-%m-%dT%H:%M:%SZ")


_DATE_TIME_SCHEMA = WithJsonSchema({"type": "string", "format": "date-time"})

DateTime = Annotated[
    datetime,
    BeforeValidator(_parse_datetime),
    PlainSerializer(_to_utc, return_type=str),
    _DATE_TIME_SCHEMA,
]
"""An instant: RFC 3339 with any offset, a local date-time or a bare date; sent as UTC `yyyy-MM-ddThh:mm:ssZ`."""

AccountDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_datetime),
    PlainSerializer(_to_account_wall_clock, return_type=str),
    _DATE_TIME_SCHEMA,
]
"""A date-time filter Clockify reads as wall-clock time in the account's time zone (it ignores the `Z`).

The instant the caller means is converted to that zone's wall-clock time and sent with a `Z`, so the
window Clockify applies is the one asked for.
"""


def parse_day_or_datetime(value: Any) -> Any:
    """A bare date stays a `date` (a calendar day); anything else is read as a date-time."""
    if isinstance(value, date):
        return value
    day = _iso_day(value)
    return day if day is not None else _parse_datetime(value)


def _iso_day(value: Any) -> date | None:
    """`value` as a calendar day if it is text of exactly `yyyy-MM-dd` (surrounding spaces allowed)."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _day_serializer(day_text: Callable[[date], str]) -> Callable[[date | datetime, SerializationInfo], str]:
    def dump(value: date | datetime, info: SerializationInfo) -> str:
        if isinstance(value, datetime):
            return _to_utc(value, info)
        return day_text(value)

    return dump


DayOrDateTime = Annotated[
    date | datetime,
    BeforeValidator(parse_day_or_datetime),
    PlainSerializer(_day_serializer(date.isoformat), return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar day sent as `yyyy-MM-dd` (Clockify reads it in the day's owner's zone), or a date-time sent as UTC."""

DayStart = Annotated[
    date | datetime,
    BeforeValidator(parse_day_or_datetime),
    PlainSerializer(_day_serializer(lambda d: f"{d.isoformat()}T00:00:00Z"), return_type=str),
    _DATE_TIME_SCHEMA,
]
"""A window start where Clockify counts days: a bare date is that day from 00:00:00 as written (`Z`)."""

DayEnd = Annotated[
    date | datetime,
    BeforeValidator(parse_day_or_datetime),
    PlainSerializer(_day_serializer(lambda d: f"{d.isoformat()}T23:59:59Z"), return_type=str),
    _DATE_TIME_SCHEMA,
]
"""A window end where Clockify counts days: a bare date includes that whole day (to 23:59:59 as written)."""


def _parse_datetime_end(value: Any) -> Any:
    """Like a date-time, but a bare date means the end of that day (23:59:59), so the day is included."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return datetime.combine(date.fromisoformat(value.strip()), time(23, 59, 59))
        except ValueError:
            pass
    return _parse_datetime(value)


AccountDateTimeEnd = Annotated[
    datetime,
    BeforeValidator(_parse_datetime_end),
    PlainSerializer(_to_account_wall_clock, return_type=str),
    _DATE_TIME_SCHEMA,
]
"""AccountDateTime for a window's end: a bare date includes the whole day."""


def _parse_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    day = _iso_day(value)
    if day is not None:
        return day
    raise PydanticCustomError("date", "expected a date like 2026-11-28 (yyyy-MM-dd)")


Date = Annotated[
    date,
    BeforeValidator(_parse_date),
    PlainSerializer(lambda v: v.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _check_clock(value: Any) -> Any:
    if isinstance(value, str) and _CLOCK_RE.fullmatch(value):
        return value
    raise PydanticCustomError("clock_time", "expected a time of day like 09:30:00 (hh:mm:ss, 24-hour)")


ClockTime = Annotated[
    str, BeforeValidator(_check_clock), WithJsonSchema({"type": "string", "pattern": "^\\d\\d:\\d\\d:\\d\\d$"})
]

Page = Annotated[int, Field(ge=1, description="Page number, from 1.")]
PageSize = Annotated[int, Field(ge=1, description="Results per page.")]
