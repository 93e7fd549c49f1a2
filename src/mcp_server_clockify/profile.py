"""Who a credential belongs to: the key owner's id, active workspace, time zone and week start.

Fetched once per credential with `GET /user` and cached (an hour by default), so that tools can default
`workspaceId`/`userId`, read bare dates in the owner's zone and name weeks the way the owner's Clockify
does. The cache is keyed by `credentials.Credential.id` (a digest of key and region), never by the key itself,
so one process can serve many users (hosted mode) without mixing their profiles.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio

__all__ = ["WEEK", "Profile", "ProfileCache"]

log = logging.getLogger(__name__)

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Clockify's day names in `date.weekday()` order."""


@dataclass(frozen=True, slots=True)
class Profile:
    """The parts of `GET /user` that other calls need."""

    user_id: str
    name: str
    workspace_id: str
    """The active workspace (Clockify's `activeWorkspace`, else `defaultWorkspace`)."""
    time_zone: str
    """IANA name from the profile's settings (UTC when Clockify has none or it is unknown here)."""
    week_start: str
    """MONDAY ... SUNDAY (MONDAY when Clockify has none)."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def week_start_index(self) -> int:
        """The week's first day as `date.weekday()` numbers it (0 = Monday)."""
        return WEEK.index(self.week_start)

    @classmethod
    def of(cls, body: Any) -> Profile:
        """Read Clockify's `GET /user` answer (UserDtoV1)."""
        user = body if isinstance(body, dict) else {}
        found = user.get("settings")
        settings: dict[str, Any] = found if isinstance(found, dict) else {}
        zone = str(settings.get("timeZone") or "UTC")
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("profile time zone %r is unknown here; using UTC", zone)
            zone = "UTC"
        week_start = str(settings.get("weekStart") or "MONDAY").upper()
        return cls(
            user_id=str(user.get("id") or ""),
            name=str(user.get("name") or ""),
            workspace_id=str(user.get("activeWorkspace") or user.get("defaultWorkspace") or ""),
            time_zone=zone,
            week_start=week_start if week_start in WEEK else "MONDAY",
        )


Fetch = Callable[[], Awaitable[Any]]
"""Reads `GET /user` for one credential and returns the parsed body."""


class ProfileCache:
    """Profiles per credential id, each fetched at most once per `ttl` seconds (concurrent callers wait for
    the one fetch in flight instead of sending their own)."""

    def __init__(self, ttl: float = 3600.0, *, size: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        """At most this many profiles are kept (the least recently used goes first): a hosted server's users."""
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Profile]] = OrderedDict()
        self._locks: dict[str, anyio.Lock] = {}

    def cached(self, key: str) -> Profile | None:
        """The profile for `key` if it is cached and fresh; never fetches."""
        hit = self._entries.get(key)
        if hit is None or self._clock() - hit[0] > self.ttl:
            return None
        self._entries.move_to_end(key)
        return hit[1]

    async def get(self, key: str, fetch: Fetch) -> Profile:
        """The profile for `key`, fetched with `fetch` when not cached (errors propagate, nothing is cached)."""
        profile = self.cached(key)
        if profile is not None:
            return profile
        lock = self._locks.setdefault(key, anyio.Lock())
        try:
            async with lock:
                profile = self.cached(key)
                if profile is None:
                    profile = Profile.of(await fetch())
                    self._entries[key] = (self._clock(), profile)
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
        finally:
            if not lock.statistics().tasks_waiting:
                self._locks.pop(key, None)
        return profile

    def forget(self, key: str) -> None:
        """Drop `key`'s profile (for example after Clockify rejected the credential)."""
        self._entries.pop(key, None)
