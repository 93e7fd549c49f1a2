"""Stateful streamable-HTTP sessions that one client cannot exhaust, and that end honestly.

The SDK's session manager caps sessions for the whole server (10,000 by default) and expires them after 30 idle
minutes, so one client that opens sessions in a loop locks everyone else out for half an hour. In front of it:

- each client (peer address plus the credential it presents) may hold `per_client` sessions; one more is
  refused with 429 and a JSON-RPC error;
- a session that has made no request since its handshake is deleted after `fresh_idle` seconds (its client,
  if it ever comes back, gets 404 and initializes again, as the MCP spec prescribes);
- a session deleted (`DELETE /mcp`) while one of its calls is still running answers that call with a JSON-RPC
  error instead of closing its stream empty;
- a session whose client declared no elicitation (nothing can be asked of it: confirmations go by token) gets each
  answer as one JSON body instead of an event stream, which the spec lets the server choose per request. An event
  stream per call costs the server a third of its CPU (see benchmarks/BREAKDOWN.md); a client that can be asked
  keeps the stream, which carries the question.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio

from .asgi import ASGIApp, Message, Receive, Scope, Send

__all__ = ["FRESH_IDLE", "PER_CLIENT", "SessionGuard", "answer_pending_calls_on_delete", "may_be_asked"]

log = logging.getLogger(__name__)


PER_CLIENT = 32
FRESH_IDLE = 60.0
SESSION_HEADER = b"mcp-session-id"
IDENTITY_HEADERS = (b"authorization", b"x-clockify-api-key")
OPENING_PEEK = 65_536
"""Bytes of an opening request read to learn the client's capabilities (a longer one keeps event streams)."""


@dataclass
class _Session:
    client: str
    headers: list[tuple[bytes, bytes]]
    """What the opening request carried that a DELETE for it needs (Host, Origin, credentials)."""
    last_seen: float = field(default_factory=time.monotonic)
    requests: int = 0


class SessionGuard:
    """ASGI middleware for the stateful `/mcp` endpoint; see the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_client: int = PER_CLIENT,
        fresh_idle: float = FRESH_IDLE,
        session_idle: float = 1800.0,
        live: Callable[[], Any] | None = None,
    ) -> None:
        self.app = app
        self.per_client = per_client
        self.fresh_idle = fresh_idle
        self.session_idle = session_idle
        self._live = live
        """Returns the SDK's open session ids (a container), or None when they cannot be seen."""
        self._sessions: dict[str, _Session] = {}
        self._swept = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != "/mcp":  # sign-in pages, OAuth endpoints: not sessions
            await self.app(scope, receive, send)
            return
        headers = list(scope.get("headers") or [])
        session_id = next((v.decode("latin-1") for k, v in headers if k == SESSION_HEADER), None)
        await self._sweep()
        if session_id is not None:
            known = self._sessions.get(session_id)
            if known is not None:
                known.requests += 1
                known.last_seen = time.monotonic()
            await self.app(scope, receive, send)
            if scope.get("method") == "DELETE":
                self._sessions.pop(session_id, None)
            return
        if scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        client = _client(scope, headers)
        held = sum(1 for s in self._sessions.values() if s.client == client)
        if held >= self.per_client:
            log.warning("refusing a new MCP session: this client already holds %d", held)
            await _refuse(send, self.per_client)
            return
        kept = [(k, v) for k, v in headers if k in (b"host", b"origin", *IDENTITY_HEADERS)]
        opening = bytearray()
        opened: list[str] = []

        async def peek() -> Message:
            message = await receive()
            if message.get("type") == "http.request" and len(opening) <= OPENING_PEEK:
                opening.extend(message.get("body", b""))
            return message

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                for name, value in message.get("headers") or []:
                    if name.lower() == SESSION_HEADER:
                        opened.append(value.decode("latin-1"))
                        self._sessions[opened[-1]] = _Session(client, kept)
            await send(message)

        await self.app(scope, peek, remember)
        if opened and len(opening) <= OPENING_PEEK and not may_be_asked(bytes(opening)):
            self._answer_in_json(opened[-1])

    def _answer_in_json(self, session_id: str) -> None:
        live = self._live() if self._live is not None else None
        transport = live.get(session_id) if isinstance(live, dict) else None
        if transport is not None and hasattr(transport, "is_json_response_enabled"):
            transport.is_json_response_enabled = True

    async def _sweep(self) -> None:
        """Forget sessions the SDK has ended, and delete those that never got past their handshake in time."""
        now = time.monotonic()
        if now - self._swept < 1.0:
            return
        self._swept = now
        live = self._live() if self._live is not None else None
        for session_id, session in list(self._sessions.items()):
            idle = now - session.last_seen
            if (live is not None and session_id not in live) or idle > self.session_idle:
                self._sessions.pop(session_id, None)
            elif session.requests <= 1 and idle > self.fresh_idle:  # only `notifications/initialized`, if that
                self._sessions.pop(session_id, None)
                log.info("closing an MCP session that made no call within %g s", self.fresh_idle)
                await self._delete(session_id, session)

    async def _delete(self, session_id: str, session: _Session) -> None:
        """End a session through the SDK's own DELETE handling (no private API)."""
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "DELETE",
            "scheme": "http",
            "path": "/mcp",
            "raw_path": b"/mcp",
            "root_path": "",
            "query_string": b"",
            "headers": [*session.headers, (SESSION_HEADER, session_id.encode("latin-1"))],
            "client": None,
            "server": None,
        }

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def discard(message: Message) -> None:
            pass

        with anyio.move_on_after(5):
            await self.app(scope, receive, discard)


def may_be_asked(opening: bytes) -> bool:
    """Whether the client that sent this opening request declared it can be asked something mid-call
    (elicitation). Anything that is not a readable `initialize` counts as yes: it keeps its event streams."""
    try:
        message = json.loads(opening)
    except ValueError:
        return True
    if not isinstance(message, dict) or message.get("method") != "initialize":
        return True
    params = message.get("params")
    capabilities = params.get("capabilities") if isinstance(params, dict) else None
    return not isinstance(capabilities, dict) or "elicitation" in capabilities


def _client(scope: Scope, headers: list[tuple[bytes, bytes]]) -> str:
    """Who opens a session: the peer address and a digest of the credential it presents (behind a proxy every
    user shares the address; with per-user tokens each still counts apart)."""
    peer = (scope.get("client") or ("?", 0))[0]
    credential = b"|".join(v for k, v in headers if k in IDENTITY_HEADERS)
    return f"{peer}/{hashlib.sha256(credential).hexdigest()[:16]}"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": None,
            "error": {
                "code": -32000,
                "message": f"Too many open sessions for this client (at most {limit}): close some (DELETE /mcp) "
                "or reuse one",
            },
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [(b"content-type", b"application/json"), (b"retry-after", b"60")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def answer_pending_calls_on_delete() -> None:
    """Make the SDK's session termination answer every request still in flight with a JSON-RPC error.

    Without this a `DELETE /mcp` during a tool call closes the call's event stream with nothing in it, and the
    client sees an empty 200 where it waits for an answer. Installed once, for the process.
    """
    from mcp.server import streamable_http as sdk

    transport_class: Any = sdk.StreamableHTTPServerTransport
    if getattr(transport_class, "_clockify_answers_pending", False):
        return
    original = transport_class.terminate

    async def terminate(self: Any) -> None:
        from mcp_types import ErrorData, JSONRPCError

        pending = [key for key in list(self._request_streams) if key != sdk.GET_STREAM_KEY]
        for key in pending:
            error = JSONRPCError(
                jsonrpc="2.0",
                id=int(key) if key.lstrip("-").isdigit() else key,
                error=ErrorData(
                    code=sdk.REQUEST_CANCELLED,
                    message="The session was deleted while this request was running; its outcome is unknown",
                ),
            )
            try:
                self._request_streams[key][0].send_nowait(sdk.EventMessage(error))
            except (anyio.WouldBlock, anyio.ClosedResourceError, anyio.BrokenResourceError, KeyError):
                continue
        with anyio.move_on_after(1):  # let each call's event writer put its error on the wire
            while any(key in self._request_streams for key in pending):
                await anyio.sleep(0.01)
        await original(self)

    transport_class.terminate = terminate
    transport_class._clockify_answers_pending = True
