"""Whose days a call is about: the key owner's or a teammate's time zone and week start, fetched once and cached.

The key owner comes from `GET /user`; another member from the workspace's user list (`settings.timeZone`,
`settings.weekStart`), which is read a page at a time and caches every member it shows, so a team costs one
call. Caches live as long as the client's shared state (one per server process, shared by every user's view
in hosted mode), are bounded, and are keyed by the credential's digest: one user's lookups never answer
another's.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .client import ClockifyClient, Recent
from .config import Settings
from .registry import Request

__all__ = ["WEEK", "Person", "cached_owner", "credential_key", "known_zone", "learn_members", "member", "owner"]

log = logging.getLogger(__name__)

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
"""Clockify's day names in `date.weekday()` order."""

TTL = 3600.0
MEMBER_PAGE = 200
MEMBER_PAGES = 5
"""At most this many pages of the user list are read to find one member (1,000 members)."""


@dataclass(frozen=True, slots=True)
class Person:
    """The parts of a Clockify user that dates depend on."""

    user_id: str
    name: str
    zone: ZoneInfo
    week_start: str
    """MONDAY ... SUNDAY."""

    @property
    def week_start_index(self) -> int:
        return WEEK.index(self.week_start)

    @classmethod
    def of(cls, user: Any, fallback: ZoneInfo | None = None) -> Person:
        """Read a UserDtoV1 (`GET /user` or an item of the workspace's user list)."""
        user = user if isinstance(user, dict) else {}
        settings = user.get("settings") if isinstance(user.get("settings"), dict) else {}
        name = str(settings.get("timeZone") or "")
        try:
            zone = ZoneInfo(name) if name else (fallback or ZoneInfo("UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("time zone %r is unknown here; using UTC", name)
            zone = ZoneInfo("UTC")
        week = str(settings.get("weekStart") or "MONDAY").upper()
        return cls(str(user.get("id") or ""), str(user.get("name") or ""), zone, week if week in WEEK else "MONDAY")


class _Cache:
    SIZE = 10_000

    def __init__(self) -> None:
        self.owners: Recent[tuple[float, Person]] = Recent(self.SIZE)
        self.members: Recent[tuple[float, Person]] = Recent(self.SIZE)
        """Keyed by `<credential key>:<user id>`."""


_CACHES: WeakKeyDictionary[object, _Cache] = WeakKeyDictionary()


def _cache(client: ClockifyClient) -> _Cache:
    shared = getattr(client, "_shared", client)  # every user's view of one client shares one cache
    found = _CACHES.get(shared)
    if found is None:
        found = _CACHES[shared] = _Cache()
    return found


def _fresh(entry: tuple[float, Person] | None) -> Person | None:
    if entry is None or time.monotonic() - entry[0] > TTL:
        return None
    return entry[1]


def credential_key(settings: Settings, client: ClockifyClient | None = None) -> str:
    """A digest standing for the key owner (the credential in use), never the credential itself."""
    credential = getattr(client, "credential", None)
    ident = getattr(credential, "id", None)
    if isinstance(ident, str) and ident:
        return ident
    header, secret = settings.auth_header
    return hashlib.sha256(f"{header}:{secret}:{settings.api_url}".encode()).hexdigest()[:32]


async def owner(client: ClockifyClient, settings: Settings) -> Person:
    """The key owner (`GET /user`, cached). CLOCKIFY_TIMEZONE, when set, is their zone."""
    cache, key = _cache(client), credential_key(settings, client)
    person = _fresh(cache.owners.get(key))
    if person is None:
        person = Person.of((await client.send(Request("GET", "/user"))).body)
        cache.owners.put(key, (time.monotonic(), person))
        cache.members.put(f"{key}:{person.user_id}", (time.monotonic(), person))
    if settings.timezone is not None and person.zone != settings.timezone:
        person = Person(person.user_id, person.name, settings.timezone, person.week_start)
    return person


def cached_owner(client: ClockifyClient, settings: Settings) -> Person | None:
    return _fresh(_cache(client).owners.get(credential_key(settings, client)))


async def member(client: ClockifyClient, settings: Settings, workspace_id: str, user_id: str | None) -> Person:
    """The person `user_id` names (the key owner when None or their own id), from cache or the user list."""
    me = await owner(client, settings)
    if not user_id or user_id == me.user_id:
        return me
    cache, key = _cache(client), credential_key(settings, client)
    person = _fresh(cache.members.get(f"{key}:{user_id}"))
    if person is not None:
        return person
    if settings.names:  # the names next to ids read the same list: one read serves both (see learn_members)
        await client.names.refresh(client, workspace_id, ("user",), {"user": {user_id}})
        person = _fresh(cache.members.get(f"{key}:{user_id}"))
        if person is not None:
            return person
        if client.names.current(client, workspace_id).listed("users"):
            # Read within REFRESH_AFTER (an unknown id re-reads an older list), up to more pages than below.
            return _not_listed(user_id, me)
        # That read failed: read again here, with retries, so a lasting failure reaches the caller as an error.
    path = f"/workspaces/{quote(workspace_id, safe='')}/users"
    for page in range(1, MEMBER_PAGES + 1):
        params = (("page", str(page)), ("page-size", str(MEMBER_PAGE)))
        body = (await client.send(Request("GET", path, params), retry_safe=True)).body
        users = body if isinstance(body, list) else []
        learn_members(client, users)
        person = _fresh(cache.members.get(f"{key}:{user_id}"))
        if person is not None or len(users) < MEMBER_PAGE:
            break
    return person if person is not None else _not_listed(user_id, me)


def _not_listed(user_id: str, me: Person) -> Person:
    """A user the workspace's list does not show (or beyond the pages read): the owner's zone is the best guess,
    said so in the log."""
    log.warning("user %s not found in the workspace's user list; using the key owner's time zone", user_id)
    return Person(user_id, "", me.zone, me.week_start)


def learn_members(client: ClockifyClient, users: list[Any]) -> None:
    """Every member a read of the workspace's user list showed (the names cache reads it for `userName`)."""
    cache, key, now = _cache(client), credential_key(client.settings, client), time.monotonic()
    for item in users:
        seen = Person.of(item)
        if seen.user_id:
            cache.members.put(f"{key}:{seen.user_id}", (now, seen))


def known_zone(client: ClockifyClient, settings: Settings, user_id: Any) -> ZoneInfo | None:
    """The cached zone of `user_id` as this credential saw it, if any call has fetched it (never fetches)."""
    if not isinstance(user_id, str):
        return None
    person = _fresh(_cache(client).members.get(f"{credential_key(settings, client)}:{user_id}"))
    return person.zone if person else None
