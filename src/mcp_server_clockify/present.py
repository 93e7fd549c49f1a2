"""What an agent reads of Clockify's answer, made in one pass: names next to ids, instants in local time, no
null noise.

Three things are done to every answer, and each used to walk the whole body on its own (four walks with the
one that looked for ids): `present` does them together, copying each value once. What each does is defined in
its own module: the names in `names` (a `Directory`), the instants and day labels in `localtime`, the noise
here (`KEEP_NULL`). The walk also reports which kinds of ids it met and which of them had no known name, so the
caller reads a workspace's names only when an answer needs them (and walks again only then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from .jsontext import compact
from .localtime import DAY_KEYS, SHOWN, instant_shown, own_zone
from .names import ID_KEYS, MEMO_SIZE, Directory, Named

__all__ = ["KEEP_NULL", "Presented", "clean", "localise", "present"]

KEEP_NULL = frozenset({"end"})
"""`timeInterval.end: null` says a timer is running: kept. Other nulls and empty arrays are noise."""

ZoneOf = Callable[[Any], tzinfo | None]


@dataclass(slots=True)
class Presented:
    body: Any
    seen: set[str] = field(default_factory=set)
    """Kinds of ids (`project`, `tag`, ...) the body holds, except ids the directory remembers naming in an
    earlier answer (their names are known and younger than the TTL: see `Directory.shown`)."""
    unknown: dict[str, set[str]] = field(default_factory=dict)
    """Of those, the ids the directory has no name for (kind -> ids)."""
    items_in_all: int | None = None
    """When a list was presented only up to `limit` (see `present`): the items it held. `body` then holds the
    first of them, whose JSON text is just over the limit."""
    texts: list[str] | None = None
    """When a list was presented item by item (a `limit` was given): each shown item's compact JSON text, in
    order. `results.fitted` joins them instead of writing the items again."""


def present(
    body: Any,
    *,
    names: Directory | None = None,
    times: bool = False,
    zone: tzinfo | None = None,
    zone_of_user: ZoneOf | None = None,
    drop_noise: bool = False,
    limit: int | None = None,
) -> Presented:
    """`body` copied once, with (each when asked for)

    - `names`: each known name written right after its id (`projectName` after `projectId`, an entry's
      `clientName` from its project), unless the object already has it;
    - `times`: every UTC instant shown in its relevant zone (the one the object names, else its `userId`'s,
      else `zone`), and values under a day key (`date`) as plain dates;
    - `drop_noise`: null fields (except `KEEP_NULL`) and empty arrays dropped. An empty list in an envelope (a
      top-level object without an id, like `{"count": 0, "requests": []}`) is the answer, and stays;
    - `limit`: a list is presented item by item only until its JSON text passes `limit` characters, the length
      at which the answer will be cut (`results.fitted`), and the rest is not presented: a page of 1,000 entries
      of which 80 can be shown costs the presentation of about 80 (`items_in_all` says how many it held), and
      each shown item's JSON text is kept for the answer (`texts`).
    """
    result = Presented(None)
    known = names.names if names is not None else None
    seen, unknown = result.seen, result.unknown
    zones: dict[Any, tzinfo | None] = {}

    def user_zone(user_id: Any) -> tzinfo | None:
        if not isinstance(user_id, str):
            return None
        if user_id not in zones:
            zones[user_id] = zone_of_user(user_id) if zone_of_user is not None else None
        return zones[user_id]

    def name_of(kind: str, id_: str) -> str | None:
        found = known.get(kind, {}).get(id_) if known is not None else None
        if found is None:
            unknown.setdefault(kind, set()).add(id_)
        return found

    def named(key: str, value: Any) -> Named | None:
        """What an object with `key: value` gets: the name key (`projectName`), the name (or list of names), and
        for a project its client's name (or None). None when `value` holds no id, or an id without a known name
        (or a list with one)."""
        kind, name_key = ID_KEYS[key]
        if type(value) is list:
            ids = [v for v in value if isinstance(v, str) and v]
            if not ids:
                return None
            seen.add(kind)
            found = [name_of(kind, v) for v in ids]
            return (name_key, found, None) if len(ids) == len(value) and all(found) else None
        if type(value) is not str or not value:
            return None
        seen.add(kind)
        name = name_of(kind, value)
        if not name:
            return None
        client = known.get("project_client", {}).get(value) if kind == "project" and known is not None else None
        return (name_key, name, client or None)

    memos: dict[str, dict[Any, Named]] = names.shown if names is not None else {}
    """What `named` gave for ids with known names, per id key then id (or tuple of ids): the directory keeps it
    for the next answers. An id found there has a known, fresh name, and is not reported in `seen` again."""
    nameless: set[tuple[str, Any]] = set()
    """Ids (or tuples of ids) met in this answer without a name: reported once, then passed over."""

    def first_named(key: str, value: Any, memo: dict[Any, Named], memo_key: Any) -> Named | None:
        if (key, memo_key) in nameless:
            return None
        given = named(key, value)
        if given is None:
            nameless.add((key, memo_key))
        else:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[memo_key] = given
        return given

    remembered = SHOWN.get
    with_names = names is not None

    def walk_dict(obj: dict[str, Any], here: tzinfo | None, top: bool) -> dict[str, Any]:
        given: Named | None  # (a bare annotation: nothing runs)
        if times:
            if "userTimeZone" in obj or "timeZone" in obj or "owner" in obj:
                here = own_zone(obj, user_zone) or here
            elif "userId" in obj:
                user_id = obj["userId"]
                found = zones[user_id] if type(user_id) is str and user_id in zones else user_zone(user_id)
                here = found or here
        top = top and "id" not in obj
        out: dict[str, Any] = {}
        for key, value in obj.items():
            kind = type(value)  # JSON values: exactly str, dict, list, int, float, bool or None
            if kind is str:
                if times and value[-1:] == "Z":  # only a string ending in Z can be an instant
                    seen_before = remembered((value, here)) if key not in DAY_KEYS else None
                    out[key] = seen_before if seen_before is not None else instant_shown(value, here, key)
                else:
                    out[key] = value
                if with_names and key in memos:  # (operators, not method calls: this runs for every string)
                    memo = memos[key]
                    try:
                        given = memo[value]
                    except KeyError:
                        given = first_named(key, value, memo, value)
                    if given is not None and given[0] not in obj:  # an object that has its name already keeps it
                        out[given[0]] = given[1]
                        if given[2] is not None and "clientId" not in obj and "clientName" not in obj:
                            out["clientName"] = given[2]  # its project's client, unless it has a client of its own
            elif kind is dict:
                out[key] = walk_dict(value, here, False)
            elif kind is list:
                if drop_noise and not value and not top:
                    continue
                out[key] = walk_list(value, here, key)
                if with_names and key in memos:
                    memo = memos[key]
                    try:
                        ids = tuple(value)
                        given = memo[ids]
                    except KeyError:
                        given = first_named(key, value, memo, ids)
                    except TypeError:  # a list holding objects: not remembered
                        given = named(key, value)
                    if given is not None and given[0] not in obj:
                        out[given[0]] = given[1]
            elif value is None and drop_noise and key not in KEEP_NULL:
                continue
            else:
                out[key] = value
        return out

    def walk_list(items: list[Any], here: tzinfo | None, key: str | None) -> list[Any]:
        out: list[Any] = []
        for value in items:
            kind = type(value)
            if kind is str:
                out.append(instant_shown(value, here, key) if times and value[-1:] == "Z" else value)
            elif kind is dict:
                out.append(walk_dict(value, here, False))
            elif kind is list:
                out.append(walk_list(value, here, key))
            else:
                out.append(value)
        return out

    if isinstance(body, dict):
        result.body = walk_dict(body, zone, True)
    elif isinstance(body, list) and limit is not None:
        shown: list[Any] = []
        texts: list[str] = []
        size = 1  # "[", then each item and the "," or "]" after it: the length of compact(shown)
        for item in body:
            shown += walk_list([item], zone, None)
            texts.append(compact(shown[-1]))
            size += len(texts[-1]) + 1
            if size > limit:
                break
        result.body, result.texts = shown, texts
        result.items_in_all = len(body) if len(shown) < len(body) else None
    elif isinstance(body, list):
        result.body = walk_list(body, zone, None)
    elif isinstance(body, str) and times:
        result.body = instant_shown(body, zone, None)
    else:
        result.body = body
    return result


def localise(body: Any, zone: tzinfo | None, zone_of_user: ZoneOf | None = None) -> Any:
    """`body` with every UTC instant shown in its relevant zone, and day labels as plain dates."""
    return present(body, times=True, zone=zone, zone_of_user=zone_of_user).body


def clean(body: Any) -> Any:
    """`body` without null fields and empty arrays (Clockify's `kioskId: null`, `customFieldValues: []`)."""
    return present(body, drop_noise=True).body
