"""Operations: the declarative description of one tool, and the one generic way to turn its arguments
into a Clockify request.

An Operation names the tool, its argument model, the HTTP method and path template and its behaviour hints.
It is declared once, in the `OPERATIONS` list of the module of its toolset (`tools/<toolset>.py`, see
toolsets.py), with its name without the common prefix: the full name (`clockify_time_tracking_<name>`) and
the toolset follow from that. Where each argument goes follows from the model and the method:

- a field whose wire name appears as `{name}` in the path is a path parameter;
- a field marked `QUERY` goes to the query string, one marked `BODY` into the JSON body, one marked
  `RAW_BODY` *is* the JSON body (a top-level array, for instance);
- any other field goes to the query for GET and DELETE, and into the JSON body otherwise.

A tool pages when its model has a page-size field made by `tools._common.page_size_field` (which carries the
default page size, stated once there).
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from pydantic_core import PydanticSerializationError

from .types import Args, NeedsTimezone

__all__ = [
    "BODY",
    "OWNER_USER",
    "OWNER_WORKSPACE",
    "QUERY",
    "RAW_BODY",
    "TOOL_PREFIX",
    "Answer",
    "CannotAnswer",
    "DefaultPageSize",
    "Loc",
    "Operation",
    "Owner",
    "Prepared",
    "Preview",
    "ReadBack",
    "Request",
    "Shape",
]

TOOL_PREFIX = "clockify_time_tracking_"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class Loc(enum.Enum):
    PATH = "path"
    QUERY = "query"
    BODY = "body"
    RAW_BODY = "raw_body"


QUERY = Loc.QUERY
BODY = Loc.BODY
RAW_BODY = Loc.RAW_BODY


class Owner(enum.Enum):
    """Marks an optional id field that, when omitted, means the API key owner's (see profile.Profile)."""

    WORKSPACE = "workspace"
    USER = "user"


OWNER_WORKSPACE = Owner.WORKSPACE
OWNER_USER = Owner.USER


@dataclass(frozen=True, slots=True)
class DefaultPageSize:
    """Marks a model's page-size field (in its metadata) with the page size Clockify uses when it is omitted."""

    size: int


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request to Clockify, fully built and ready to send (or to show in dry-run mode)."""

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    json: Any = None
    has_body: bool = False

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.params:
            query: dict[str, Any] = {}
            for key, value in self.params:
                if key in query:
                    prior = query[key]
                    query[key] = [*prior, value] if isinstance(prior, list) else [prior, value]
                else:
                    query[key] = value
            out["query"] = query
        if self.has_body:
            out["body"] = self.json
        return out


Shape = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Answer:
    """What a computed tool answers: its JSON body and the notes that go with it."""

    body: Any
    notes: tuple[str, ...] = ()


class CannotAnswer(Exception):
    """A computed tool cannot answer (its message says why and what to pass instead); nothing was changed."""


Compute = Callable[[Any, Any], Awaitable[Answer]]
"""`compute(args, ctx)` for tools answered from several reads (ctx: execute.CallContext)."""


@dataclass(frozen=True, slots=True)
class ReadBack:
    """How to read the object a replace-style update overwrites, so fields the caller omits are kept.

    `path` is a path template filled from the same arguments; `select` picks the object out of the answer
    (for routes that only list); `to_fields` turns the object into request body fields. With `each`, the
    body is an array of items and `each` gives the path of the object every item replaces (in order).
    `adjust(merged, given, current)` fixes up a merge (for example: clearing a project also clears its task).
    `lister` names the tool that lists valid ids, for an object that is not there.
    """

    path: str
    to_fields: Callable[[Any], dict[str, Any]]
    select: Callable[[Any, Args], Any] | None = None
    each: Callable[[Args], list[str]] | None = None
    adjust: Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None
    lister: str | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """What an Operation's `prepare` step decided before the request is built.

    `args` may differ from the caller's (a day snapped to its period's first day); `after` turns the
    successful answer into notes that say what happened in the user's terms; `refuse` stops the call
    with that message before anything is sent.
    """

    args: Args
    after: Callable[[Any], Awaitable[list[str]]] | None = None
    refuse: str | None = None


Prepare = Callable[[Args, Any], Awaitable[Prepared]]
"""`prepare(args, lookup)`: `lookup` (execute.Lookup) finds people, their zones and reads Clockify."""


A = TypeVar("A", bound=Args)


@dataclass(frozen=True, slots=True)
class Preview(Generic[A]):
    """What to read, and how to show it, so a confirmation says exactly what will change."""

    reads: Callable[[A], list[str]]
    """Paths (already filled) of the objects the call will change."""
    line: Callable[[Any], str]
    """One human-readable line per object read."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One tool: its argument model, the Clockify route it calls and how it behaves."""

    name: str
    """Declared without the prefix (`get_entries`); holds the full tool name (`clockify_time_tracking_get_entries`)."""
    title: str
    description: str
    model: type[Args]
    method: str
    path: str
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    shape: Shape | None = None
    """Trims or reshapes a successful response body before it is shown (discovery tools)."""
    merge: ReadBack | None = None
    """For replace-style updates: read the current object and keep every field the caller omits."""
    preview: Preview[Any] | None = None
    """For destructive tools: what the confirmation shows (default: the request and the arguments)."""
    empty_result: str | None = None
    """What an empty 2xx body means for this tool, if more specific than the generic confirmation."""
    subject: str | None = None
    """Wire name of the field holding the user whose data this is (their zone reads bare dates and shows
    results); None: the key owner."""
    prepare: Prepare | None = None
    """Resolves what needs Clockify's data before building (periods, zones) and the notes after success."""
    reads: tuple[str, ...] = ()
    """Route templates `prepare` may GET besides the tool's own (and `/user`, and the workspace's users for a
    `subject`), so what a tool can touch is declared, not hidden in a hook."""
    compute: Compute | None = None
    """For tools answered from several reads (summaries, reports): replaces the one request. `path` then
    names the route it reads (relative to the Reports API's base for the Reports API's tools); its
    placeholders may be filled by the computation rather than by a field."""
    call: str | None = None
    """How the README describes the Clockify call, when `method path` alone would mislead."""
    toolset: str = ""
    """Never written in a declaration: the module the Operation is declared in names it (tools/<toolset>.py)."""
    _paging: tuple[str, int] | None = field(init=False, repr=False, compare=False)
    _where: Mapping[str, Loc] = field(init=False, repr=False, compare=False)
    _wire: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _owner: Mapping[str, Owner] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", TOOL_PREFIX + self.name.removeprefix(TOOL_PREFIX))
        if not self.toolset:
            # like namedtuple's __module__: the caller of the generated __init__ is the declaring module
            object.__setattr__(self, "toolset", _toolset_of(sys._getframe(2).f_globals.get("__name__", "")))
        if self.read_only and self.method not in {"GET", "POST"}:
            raise ValueError(f"{self.name}: a read-only tool cannot use {self.method}")
        in_path = set(_PLACEHOLDER.findall(self.path))
        default = Loc.QUERY if self.method in {"GET", "DELETE"} else Loc.BODY
        where: dict[str, Loc] = {}
        wire: dict[str, str] = {}
        paging: tuple[str, int] | None = None
        owner: dict[str, Owner] = {}
        for attr, info in self.model.model_fields.items():
            name = info.alias or attr
            wire[attr] = name
            paging = next(((name, m.size) for m in info.metadata if isinstance(m, DefaultPageSize)), paging)
            owner.update((attr, m) for m in info.metadata if isinstance(m, Owner))
            marks = [m for m in info.metadata if isinstance(m, Loc)]
            if name in in_path:
                where[attr] = Loc.PATH
            elif marks:
                where[attr] = marks[0]
            else:
                where[attr] = default
        missing = in_path - {wire[a] for a, loc in where.items() if loc is Loc.PATH}
        if missing and self.compute is None:
            raise ValueError(f"{self.name}: path placeholders without a field: {sorted(missing)}")
        if sum(loc is Loc.RAW_BODY for loc in where.values()) > 1:
            raise ValueError(f"{self.name}: at most one raw body field")
        object.__setattr__(self, "_where", where)
        object.__setattr__(self, "_wire", wire)
        object.__setattr__(self, "_paging", paging)
        object.__setattr__(self, "_owner", owner)

    @property
    def short_name(self) -> str:
        return self.name.removeprefix(TOOL_PREFIX)

    @property
    def default_page_size(self) -> int | None:
        """For tools that page: the page size Clockify uses when the caller gives none."""
        return self._paging[1] if self._paging else None

    @property
    def page_size_name(self) -> str | None:
        """For tools that page: the wire name of the page-size parameter (`page-size` or `pageSize`)."""
        return self._paging[0] if self._paging else None

    @property
    def owner_fields(self) -> dict[str, Owner]:
        """Wire names of the optional id fields that default to the key owner's workspace or user id."""
        return {self._wire[attr]: kind for attr, kind in self._owner.items()}

    def owner_defaults(self, args: Args) -> dict[str, Owner]:
        """The owner-defaulted fields (attribute names) that `args` leaves out."""
        return {attr: kind for attr, kind in self._owner.items() if getattr(args, attr) is None}

    def wire_name(self, attr: str) -> str:
        return self._wire[attr]

    def fields_at(self, loc: Loc) -> list[str]:
        """Wire names of the fields that go to `loc`."""
        return [self._wire[a] for a, where in self._where.items() if where is loc]

    def sends_body(self) -> bool:
        return any(loc in (Loc.BODY, Loc.RAW_BODY) for loc in self._where.values())

    def build(self, args: Args, *, tz: tzinfo | None = None, account_tz: tzinfo | None = None) -> Request:
        """Build the request for validated `args`.

        Raises `NeedsTimezone` when a date-time without an offset (or a wall-clock filter) needs a zone
        that was not given; the caller resolves it and builds again.
        """
        try:
            data = args.model_dump(
                mode="json",
                by_alias=True,
                exclude_unset=True,
                context={"tz": tz, "account_tz": account_tz},
            )
        except PydanticSerializationError as exc:
            if isinstance(exc.__cause__, NeedsTimezone):
                raise NeedsTimezone from None
            raise
        path_values: dict[str, str] = {}
        params: list[tuple[str, str]] = []
        body: dict[str, Any] = {}
        raw: Any = None
        has_raw = False
        for attr, loc in self._where.items():
            name = self._wire[attr]
            if name not in data:
                continue
            value = data[name]
            if loc is Loc.PATH:
                path_values[name] = quote(str(value), safe="")
            elif loc is Loc.QUERY:
                if value is not None:
                    params.extend((name, _query_text(v)) for v in _as_list(value))
            elif loc is Loc.RAW_BODY:
                raw, has_raw = value, True
            else:
                body[name] = value
        path = self.fill(self.path, path_values)
        if has_raw:
            return Request(self.method, path, tuple(params), raw, True)
        if not body and not self.sends_body():
            return Request(self.method, path, tuple(params))
        return Request(self.method, path, tuple(params), body, True)

    def value_of(self, args: Args, wire_name: str) -> Any:
        """The value of the argument whose wire name is `wire_name` (None when the tool has no such field)."""
        attr = next((a for a, w in self._wire.items() if w == wire_name), None)
        return getattr(args, attr) if attr is not None else None

    def path_values(self, args: Args) -> dict[str, str]:
        """Percent-encoded values of the path parameters in `args`."""
        return {
            self._wire[a]: quote(str(getattr(args, a)), safe="") for a, loc in self._where.items() if loc is Loc.PATH
        }

    @staticmethod
    def fill(template: str, values: Mapping[str, str]) -> str:
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)

    def page_request(self, args: Args) -> tuple[int, int] | None:
        """(page, page size) this call asked for, when the tool pages."""
        if self._paging is None:
            return None
        size_name, default = self._paging
        values = {self._wire[a]: getattr(args, a) for a in self._wire}
        page = values.get("page") or 1
        return int(page), int(values.get(size_name) or default)


def _toolset_of(module: str) -> str:
    """The toolset of an Operation declared in `module`: the module's own name (tools/<toolset>.py)."""
    from . import toolsets

    package, _, toolset = module.rpartition(".")
    if package == f"{__package__}.tools" and toolset not in toolsets.NAMES:
        raise ValueError(f"{module}: not a toolset; add it to mcp_server_clockify.toolsets.TOOLSETS")
    return toolset


def _as_list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else [value]


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):  # pragma: no cover - dumped as text already in json mode
        return value.isoformat()
    return str(value)
