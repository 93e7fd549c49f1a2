"""The simulator as a plain ASGI application, plus an httpx2 transport to use it in-process.

Every request is authenticated first (exactly one of X-Api-Key / X-Addon-Token, carrying one of the seeded
users' keys, `API_KEYS`) and then handled as that user: `GET /user` answers with them, and what they create
is theirs. Any other key is 401 with Clockify's code. Ids in the path that are not this workspace's answer
403 "Access Denied" (code 501), as the live API does for a workspace the key has no access to.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx2

from ..config import SANDBOX_API_KEY, SANDBOX_BASE_URL
from .api import REPORT_ROUTES, ROUTES
from .errors import ApiError
from .ids import API_KEYS
from .model import State
from .params import Query
from .routing import REPORTS_PREFIXES, Call, Reply, Router
from .seed import add_members, extra_key, seed_state

__all__ = ["SANDBOX_API_KEY", "SANDBOX_BASE_URL", "Simulator", "create_app", "transport"]

log = logging.getLogger(__name__)

# What mcp-server-clockify sends in sandbox mode (the owner's key), and the base URL of the in-process
# transport (`.invalid` never resolves, so nothing can leak out). Defined with the settings.

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

_AUTH_HEADERS = (b"x-api-key", b"x-addon-token")


class Simulator:
    """An ASGI app serving one in-memory Clockify workspace; `state` is there for tests to inspect."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.keys = {key: user for user, key in API_KEYS.items()}
        """API key -> the seeded user it belongs to."""
        self.router = Router(ROUTES)
        self.reports = Router(REPORT_ROUTES, REPORTS_PREFIXES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":  # pragma: no cover - websockets are not part of the API
            return
        body = await _read_body(receive)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        reply = self.handle(scope["method"], scope["path"], scope.get("headers", []), query, body)
        await _send_reply(reply, send)

    def handle(
        self,
        method: str,
        path: str,
        headers: Iterable[tuple[bytes, bytes]],
        query: Iterable[tuple[str, str]],
        body: bytes = b"",
    ) -> Reply:
        try:
            tokens = [
                (name.lower(), value) for name, value in headers if name.lower() in _AUTH_HEADERS and value.strip()
            ]
            if len(tokens) != 1:
                raise ApiError(401, "Multiple or none auth tokens present", 1000)
            kind, token = tokens[0]
            caller = self.keys.get(token.decode("latin-1"))
            if caller is None:
                if kind == b"x-api-key":
                    raise ApiError(401, "Api key does not exist", 4003)
                raise ApiError(401, "Token is not valid", 4017)
            self.state.caller_id = caller
            router = self.reports if self.reports.serves(path) else self.router
            route, params = router.resolve(method, path)
            workspace = params.get("workspaceId")
            if workspace is not None and workspace != self.state.workspace.id:
                raise ApiError(403, "Access Denied", 501)
            return route.handler(Call(self.state, params, Query(query), body))
        except ApiError as exc:
            return Reply(exc.status, exc.body(), dict(exc.headers))
        except Exception:
            log.exception("sandbox: %s %s failed", method, path)
            return Reply(500, {"message": "Internal server error (sandbox)", "code": 500})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _send_reply(reply: Reply, send: Send) -> None:
    data = b"" if reply.body is None else json.dumps(reply.body, separators=(",", ":")).encode()
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers.items()]
    if data:
        headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(data)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def create_app(*, today: date | None = None, extra_users: int = 0) -> Simulator:
    """A fresh simulator with its own seeded state. `today` anchors the demo data (default: the UTC date).
    `extra_users` adds that many members with keys `extra_key(i)` (for load tests with many users)."""
    if today is None:
        now = datetime.now(UTC)
        app = Simulator(seed_state(now.date(), not_after=now))
    else:
        app = Simulator(seed_state(today))
    for i, user in enumerate(add_members(app.state, extra_users)):
        app.keys[extra_key(i)] = user.id
    return app


def transport(app: Simulator | None = None) -> httpx2.ASGITransport:
    """An httpx2 transport into `app` (a new simulator if None); use it with base URL SANDBOX_BASE_URL."""
    return httpx2.ASGITransport(app=app if app is not None else create_app())
