"""Names next to ids in results, from a short-lived directory of each workspace's names.

Clockify answers ids (`projectId`, `taskId`, `tagIds`, `userId`, `policyId`, `clientId`); an agent wants the
names. `hydrated=true` repeats whole objects in every item (three times the bytes), so instead the server
keeps, per credential and workspace, the names it has read (projects with their clients and tasks in one
hydrated list, tags, members, time-off policies) for `TTL` seconds and fetches only the kinds a result needs;
`present` writes `projectName` (etc.) right after each id. A name that cannot be read is simply left out: names never
turn a good answer into an error.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import anyio

from .registry import Request

if TYPE_CHECKING:
    from .client import ClockifyClient

__all__ = ["ID_KEYS", "MEMO_SIZE", "REFRESH_AFTER", "SOURCE", "TTL", "Directory", "NameCache", "Named"]

log = logging.getLogger(__name__)

TTL = 300.0
"""Seconds a workspace's names are reused (an id that is not found triggers one earlier re-read)."""
REFRESH_AFTER = 10.0
"""An unknown id re-reads its kind only if the names are older than this (no loop on deleted objects)."""
PAGE_SIZE = 500
MAX_PAGES = 20

# id key -> (the kind it names, the key its name is written to)
ID_KEYS: dict[str, tuple[str, str]] = {
    "projectId": ("project", "projectName"),
    "clientId": ("client", "clientName"),
    "taskId": ("task", "taskName"),
    "userId": ("user", "userName"),
    "policyId": ("policy", "policyName"),
    "tagIds": ("tag", "tagNames"),
}
# kind -> the list that holds it (clients and tasks come with the hydrated projects)
SOURCE = {"project": "projects", "client": "projects", "task": "projects", "tag": "tags", "user": "users"}
SOURCE["policy"] = "policies"
_ROUTES = {
    "projects": ("/projects", (("hydrated", "true"),)),
    "tags": ("/tags", ()),
    "users": ("/users", ()),
    "policies": ("/time-off/policies", (("status", "ALL"),)),
}

Named = tuple[str, Any, str | None]
"""What an object with an id gets next to it: the name key (`projectName`), the name (or list of names), and for
a project its client's name (or None)."""
MEMO_SIZE = 4096
"""Ids (or lists of ids) a directory remembers per id key what was written next to, at most (then it starts
again): a bound for a long-lived hosted server, far above the projects, tasks, tags and members of a workspace."""


@dataclass(slots=True)
class Directory:
    """The names of one workspace, by kind and id, with when each source was read."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    read_at: dict[str, float] = field(default_factory=dict)
    """When each source was last read, or last failed to be read (then it is in `failed` too)."""
    failed: set[str] = field(default_factory=set)
    shown: dict[str, dict[Any, Named]] = field(default_factory=lambda: {key: {} for key in ID_KEYS})
    """What `present` wrote next to an id, per id key then id (or tuple of ids), for the next answers to reuse
    (a page of entries names the same few projects, users and tags, and so does the next page). It holds only
    names known and fresh: it is emptied whenever names are learnt, and per source once that source is older than
    the TTL (`forget_shown`), so that an answer meets those ids anew and has their names refreshed."""

    def name(self, kind: str, id_: str) -> str | None:
        return self.names.get(kind, {}).get(id_)

    def listed(self, source: str) -> bool:
        """True when the last read of `source` succeeded: its names are what Clockify listed then."""
        return source in self.read_at and source not in self.failed

    def know(self, kind: str, id_: str, name: str) -> None:
        """A name learnt without reading its source (the key owner's, from the profile). A read of the source
        replaces it; until then it spares that read when it is the only name of its kind an answer needs."""
        if self.name(kind, id_) is None:
            self._add(kind, id_, name)  # (what `shown` holds stays true: it names only ids known already)

    def learn(self, source: str, items: Iterable[Any], now: float) -> None:
        self._forget_all_shown()
        self.read_at[source] = now
        self.failed.discard(source)
        if source == "projects":
            for kind in ("project", "client", "task", "project_client", "project_client_id"):
                self.names[kind] = {}
            for p in items:
                if not isinstance(p, dict):
                    continue
                self._add("project", p.get("id"), p.get("name"))
                self._add("client", p.get("clientId"), p.get("clientName"))
                self._add("project_client", p.get("id"), p.get("clientName"))
                self._add("project_client_id", p.get("id"), p.get("clientId"))
                for t in p.get("tasks") or []:
                    if isinstance(t, dict):
                        self._add("task", t.get("id"), t.get("name"))
            return
        kind = {"tags": "tag", "users": "user", "policies": "policy"}[source]
        self.names[kind] = {}
        for item in items:
            if isinstance(item, dict):
                self._add(kind, item.get("id"), item.get("name"))

    def forget_shown(self, before: float) -> None:
        """Forget what was written next to ids whose names come from a source read before `before`."""
        for key, memo in self.shown.items():
            if memo:
                read_at = self.read_at.get(SOURCE[ID_KEYS[key][0]])
                if read_at is not None and read_at < before:
                    memo.clear()

    def _forget_all_shown(self) -> None:
        for memo in self.shown.values():
            memo.clear()

    def _add(self, kind: str, id_: Any, name: Any) -> None:
        if isinstance(id_, str) and id_ and isinstance(name, str) and name:
            self.names.setdefault(kind, {})[id_] = name


class NameCache:
    """Directories per (credential, workspace); reads each source at most once at a time."""

    SIZE = 10_000
    """Directories kept at most (the least recently used goes first): a hosted server's users' workspaces."""

    def __init__(self, ttl: float = TTL, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._dirs: OrderedDict[tuple[str, str], Directory] = OrderedDict()
        self._locks: dict[tuple[str, str, str], anyio.Lock] = {}

    def current(self, client: ClockifyClient, workspace_id: str) -> Directory:
        """The names of `workspace_id` known now (nothing is read)."""
        key = (client.credential_id, workspace_id)
        directory = self._dirs.get(key)
        if directory is None:
            directory = self._dirs[key] = Directory()
            while len(self._dirs) > self.SIZE:
                self._dirs.popitem(last=False)
        else:
            self._dirs.move_to_end(key)
            if directory.read_at and min(directory.read_at.values()) < (before := self._clock() - self.ttl):
                directory.forget_shown(before)  # names older than the TTL are met anew, and so refreshed
        return directory

    async def directory(self, client: ClockifyClient, workspace_id: str, wanted: dict[str, set[str]]) -> Directory:
        """The directory of `workspace_id`, with every source read that a wanted id (kind -> ids) needs."""
        directory = self.current(client, workspace_id)
        unknown = {kind: ids for kind, ids in wanted.items() if any(directory.name(kind, i) is None for i in ids)}
        await self.refresh(client, workspace_id, wanted, unknown)
        return directory

    async def refresh(
        self, client: ClockifyClient, workspace_id: str, seen: Iterable[str], unknown: dict[str, set[str]]
    ) -> bool:
        """Read the sources the kinds in `seen` need: a source never read or older than REFRESH_AFTER when one
        of its kind's ids had no known name (`unknown`), else a source read before and now older than the TTL.
        True when something was read."""
        directory = self.current(client, workspace_id)
        now = self._clock()
        sources: set[str] = set()
        for kind in seen:
            source = SOURCE[kind]
            read_at = directory.read_at.get(source)
            if kind in unknown:
                due = read_at is None or now - read_at > REFRESH_AFTER
            else:  # every id has its name: only names this source gave are refreshed, once they are old
                due = read_at is not None and now - read_at > self.ttl
            if due:
                sources.add(source)
        # One source after another, on the connection the call's own request has just given back. In parallel each
        # read needs a connection of its own, and a new HTTPS connection costs two round trips (TCP, then TLS)
        # before its request goes: unless the pool happens to hold that many spare warm connections, parallel
        # reads take as long as sequential ones, pay a TLS handshake each, and leave connections idle in the pool
        # that every later request checks (see benchmarks/BREAKDOWN.md).
        for source in sorted(sources):
            await self._read(client, workspace_id, directory, source)
        return bool(sources)

    async def _read(self, client: ClockifyClient, workspace_id: str, directory: Directory, source: str) -> None:
        lock = self._locks.setdefault((client.credential_id, workspace_id, source), anyio.Lock())
        async with lock:
            if self._clock() - directory.read_at.get(source, -1e18) <= REFRESH_AFTER:
                return  # another call read it while this one waited
            from .client import ClockifyError, TransportFailure  # the client holds this cache: import late

            path, extra = _ROUTES[source]
            items: list[Any] = []
            try:
                for page in range(1, MAX_PAGES + 1):
                    params = (*extra, ("page", str(page)), ("page-size", str(PAGE_SIZE)))
                    request = Request("GET", f"/workspaces/{quote(workspace_id, safe='')}{path}", params)
                    body = (await client.send(request)).body
                    chunk = body if isinstance(body, list) else []
                    items.extend(chunk)
                    if len(chunk) < PAGE_SIZE:
                        break
            except (ClockifyError, TransportFailure) as exc:
                log.info("names: could not read %s (%s); results keep ids only", source, exc)
                directory.read_at[source] = self._clock()  # do not retry on every call
                directory.failed.add(source)
                return
            directory.learn(source, items, self._clock())
            if source == "users":  # the same list tells each member's zone and week start
                from .people import learn_members

                learn_members(client, items)
