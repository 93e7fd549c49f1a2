"""Routes, the request a handler sees, the reply it gives, and Spring-like dispatch.

Dispatch follows Spring MVC: among the routes whose path *and* method match, the one with the most literal
segments wins; if the path matches only routes of other methods the answer is 405 with an `Allow` header;
if no route's path matches, 404 "No static resource" (code 3000).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .model import State
from .params import Fields, Query, read_body

__all__ = [
    "REPORTS_PREFIXES",
    "Call",
    "Handler",
    "Reply",
    "Route",
    "Router",
    "created",
    "empty",
    "ok",
    "page_of",
    "paged",
]


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: Any = None
    """JSON-able; None sends an empty body."""
    headers: dict[str, str] = field(default_factory=dict)


def ok(body: Any) -> Reply:
    return Reply(200, body)


def created(body: Any) -> Reply:
    return Reply(201, body)


def empty(status: int = 200) -> Reply:
    return Reply(status)


def page_of(items: Sequence[Any], page: int, size: int) -> list[Any]:
    """Page `page` (from 1) of `size` items."""
    return list(items[(page - 1) * size : page * size])


def paged(items: Sequence[Any], page: int, size: int, *, wrap: Callable[[list[Any]], Any] | None = None) -> Reply:
    """One page of `items` with the `Last-Page` header (as list GETs send it); `wrap` builds an envelope."""
    chunk = page_of(items, page, size)
    last = page * size >= len(items)
    return Reply(200, wrap(chunk) if wrap else chunk, {"Last-Page": "true" if last else "false"})


@dataclass(slots=True)
class Call:
    """One request, as a handler sees it."""

    state: State
    params: dict[str, str]
    query: Query
    raw_body: bytes = b""

    def body(self) -> Any:
        return read_body(self.raw_body)

    def fields(self, java_type: str = "java.lang.Object") -> Fields:
        """The body as an object; no body at all is "must not be null" (as the live API answers)."""
        return Fields.of(self.body(), java_type)


Handler = Callable[[Call], Reply]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str
    """Relative to /api/v1, e.g. `/workspaces/{workspaceId}/time-entries/{id}`."""
    handler: Handler

    @property
    def segments(self) -> list[str]:
        return self.template.strip("/").split("/")

    def match(self, parts: Sequence[str]) -> dict[str, str] | None:
        segments = self.segments
        if len(segments) != len(parts):
            return None
        params: dict[str, str] = {}
        for segment, part in zip(segments, parts, strict=True):
            if segment.startswith("{"):
                if not part:
                    return None
                params[segment[1:-1]] = part
            elif segment != part:
                return None
        return params

    @property
    def literals(self) -> int:
        return sum(not s.startswith("{") for s in self.segments)


PREFIX = "/api/v1"
REPORTS_PREFIXES = ("/v1", "/report/v1")
"""The Reports API: `/v1` on its own host (reports.api.clockify.me), `/report/v1` beside a regional API."""


class Router:
    def __init__(self, routes: Iterable[Route], prefixes: tuple[str, ...] = (PREFIX,)) -> None:
        self.routes = list(routes)
        self.prefixes = prefixes

    def serves(self, path: str) -> bool:
        return any(path.startswith(prefix + "/") for prefix in self.prefixes)

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        prefix = next((p for p in self.prefixes if path.startswith(p + "/")), None)
        if prefix is None:
            raise _no_resource(path)
        parts = path[len(prefix) + 1 :].rstrip("/").split("/")
        matches = [(route, params) for route in self.routes if (params := route.match(parts)) is not None]
        same_method = [(r, p) for r, p in matches if r.method == method]
        if same_method:
            return max(same_method, key=lambda rp: rp[0].literals)
        if matches:
            allowed = ", ".join(sorted({r.method for r, _ in matches}))
            raise ApiError(405, f"Request method '{method}' is not supported", 3000, {"Allow": allowed})
        raise _no_resource(path)


def _no_resource(path: str) -> ApiError:
    shown = path.removeprefix("/api/").lstrip("/")
    return ApiError(404, f"No static resource {shown}.", 3000)
