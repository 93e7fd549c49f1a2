"""Serving the MCP server: stdio, or streamable HTTP at `/mcp`.

The HTTP stack (starlette, uvicorn) is imported only when HTTP is served, so stdio start-up stays lean.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import socket
import sys
from typing import Any

from .asgi import ASGIApp, Receive, Scope, Send
from .config import ConfigError, Settings

__all__ = [
    "AnswerMalformed",
    "BearerToken",
    "guard_sessions",
    "http_app",
    "is_loopback",
    "listening_socket",
    "rebinding_guard",
    "sdk_app",
    "serve_http",
    "serve_stdio",
]

log = logging.getLogger(__name__)


async def serve_stdio(settings: Settings) -> None:
    from mcp.server.stdio import stdio_server

    from .drain import Drain
    from .server import build_server

    server = build_server(settings)
    async with stdio_server() as (read_stream, write_stream):
        # A malformed line is answered at once; calls received before stdin closes are still answered.
        drain = Drain(AnswerMalformed(read_stream, write_stream), write_stream)
        await server.run(drain.reader, drain.writer, server.create_initialization_options())


class AnswerMalformed:
    """The read side of a stdio connection that answers a line which is not one JSON-RPC message (unparseable:
    -32700; a batch, or an id without a method: -32600) with an error whose id is null, as the HTTP transport
    does, instead of leaving a client waiting. Everything else passes through unchanged."""

    def __init__(self, inner: Any, write_stream: Any) -> None:
        self._inner = inner
        self._write = write_stream

    @property
    def last_context(self) -> Any:
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> Any:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item
            await self._write.send(_malformed(item))

    def __aiter__(self) -> AnswerMalformed:
        return self

    async def __anext__(self) -> Any:
        import anyio

        try:
            return await self.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    def close(self) -> None:
        self._inner.close()

    async def __aenter__(self) -> AnswerMalformed:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _malformed(exc: Exception) -> Any:
    import mcp_types as types
    from mcp.shared.message import SessionMessage
    from pydantic import ValidationError

    errors = exc.errors() if isinstance(exc, ValidationError) else []
    if any(e["type"] == "json_invalid" for e in errors):
        error = types.ErrorData(code=types.PARSE_ERROR, message="Parse error: the line is not valid JSON")
    else:
        error = types.ErrorData(
            code=types.INVALID_REQUEST,
            message="Invalid Request: expected one JSON-RPC 2.0 request, notification or response (no batches)",
        )
    log.debug("answering a malformed stdio message: %s", error.message)
    return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=None, error=error))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def rebinding_guard(host: str) -> Any:
    """DNS-rebinding protection for a loopback bind: only a Host (and Origin) naming exactly the bound address is
    served, with any port; `localhost` too when the bind is the address it resolves to."""
    from mcp.server.transport_security import TransportSecuritySettings

    bare = host.strip("[]")
    names = {bare}
    if bare != "localhost":
        address = ipaddress.ip_address(bare)
        names.add(address.compressed)
        names.add(address.exploded)
        if address in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")):
            names.add("localhost")
    else:
        names.update(("127.0.0.1", "::1"))
    shown = sorted(f"[{n}]" if ":" in n else n for n in names)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[form for n in shown for form in (n, f"{n}:*")],
        allowed_origins=[form for n in shown for form in (f"http://{n}", f"http://{n}:*")],
    )


class BearerToken:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, credentials = given.strip().partition(b" ")
            # The scheme is case-insensitive (RFC 7235 section 2.1); the token is compared in constant time.
            if scheme.lower() != b"bearer" or not hmac.compare_digest(credentials.strip(), self._expected):
                body = json.dumps({"error": "unauthorized: send Authorization: Bearer <CLOCKIFY_MCP_HTTP_TOKEN>"})
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="mcp-server-clockify"'),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body.encode()})
                return
        await self.app(scope, receive, send)


def guard_sessions(app: ASGIApp, server: Any, settings: Settings, *, stateless: bool) -> ASGIApp:
    """`app` with DELETE answering pending calls and, when stateful, the per-client session cap and the short
    expiry of sessions that never made a call (session_guard)."""
    from .session_guard import SessionGuard, answer_pending_calls_on_delete

    answer_pending_calls_on_delete()
    if stateless:
        return app
    manager = getattr(server, "_session_manager", None)
    return SessionGuard(
        app,
        per_client=settings.sessions_per_client,
        fresh_idle=settings.fresh_session_idle,
        session_idle=settings.session_idle,
        live=lambda: getattr(manager, "_server_instances", None),
    )


def sdk_app(server: Any, settings: Settings, *, host: str, stateless: bool, **options: Any) -> Any:
    """The SDK's streamable HTTP app (starlette) at `/mcp` with this server's session limits; `options` go to
    the SDK as they are (transport security, auth)."""
    return server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        json_response=stateless,  # nothing can be asked of a stateless client; stateful: see session_guard
        host=host,
        session_idle_timeout=settings.session_idle,
        max_sessions=settings.max_sessions,
        **options,
    )


def http_app(settings: Settings, *, host: str, stateless: bool, token: str | None, auth: str | None = None) -> ASGIApp:
    """The streamable HTTP app at `/mcp`: DNS-rebinding protection on loopback, a bearer token if given.

    `auth` selects hosted mode (see the `auth` package): "key-header" or "oauth"; None serves the one key
    from the settings to everyone who holds the token.
    """
    from .server import build_server, shared_client

    if auth == "oauth":
        from .auth.oauth import oauth_app

        return oauth_app(settings, host=host, stateless=stateless)
    if not is_loopback(host) and not token and auth is None:
        raise ConfigError(
            f"--host {host} is not a loopback address: set CLOCKIFY_MCP_HTTP_TOKEN (clients then send it as "
            "Authorization: Bearer <token>), or bind to 127.0.0.1"
        )
    server = build_server(settings, client=shared_client(settings))
    security = rebinding_guard(host) if is_loopback(host) else None
    app = guard_sessions(
        sdk_app(server, settings, host=host, stateless=stateless, transport_security=security),
        server,
        settings,
        stateless=stateless,
    )
    if auth == "key-header":
        from .auth.key_header import KeyHeaderAuth

        app = KeyHeaderAuth(app, settings, loopback=is_loopback(host))
    return BearerToken(app, token) if token else app


async def serve_http(
    settings: Settings,
    *,
    host: str,
    port: int,
    stateless: bool = False,
    token: str | None = None,
    auth: str | None = None,
) -> None:
    import uvicorn

    from . import http_guard

    app = http_app(settings, host=host, stateless=stateless, token=token, auth=auth)
    sock, origin = listening_socket(host, port)
    limit = http_guard.connection_limit(http_guard.raise_fd_limit())
    flood_guard = http_guard.RateLimitedLog()
    http_guard.quiet_accept_failures(asyncio.get_running_loop())
    for handler in logging.getLogger().handlers:
        handler.addFilter(flood_guard)
    print(f"mcp-server-clockify: serving MCP over streamable HTTP at {origin}/mcp", file=sys.stderr, flush=True)
    config = uvicorn.Config(
        app,
        log_level="warning",
        log_config=None,  # uvicorn's records go through our (redacting, rate-limited) handler
        lifespan="on",
        access_log=False,
        http=http_guard.guarded_protocol(limit),
        backlog=http_guard.ACCEPT_BATCH,
        timeout_keep_alive=http_guard.IDLE_TIMEOUT,
    )
    await uvicorn.Server(config).serve(sockets=[sock])


def listening_socket(host: str, port: int) -> tuple[socket.socket, str]:
    """A TCP socket already listening on host:port (0: any free port), and its `http://host:port` origin.

    It listens before the address is announced, so a client that reads the address can connect at once.
    """
    host = host.strip("[]")  # --host [::1] names the IPv6 address ::1
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it, Nagle plus delayed ACKs add ~40 ms to every keep-alive
    # response that uvicorn writes in two pieces (headers, then body). See benchmarks/run.py.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    return sock, f"http://{shown}:{sock.getsockname()[1]}"
