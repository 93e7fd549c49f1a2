"""Serving the MCP server: stdio, or streamable HTTP at `/mcp`.

The HTTP stack (starlette, uvicorn) is imported only when HTTP is served, so stdio start-up stays lean.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .config import ConfigError, Settings

__all__ = ["BearerToken", "is_loopback", "listening_socket", "serve_http", "serve_stdio"]

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def serve_stdio(settings: Settings) -> None:
    from mcp.server.stdio import stdio_server

    from .drain import Drain
    from .server import build_server

    server = build_server(settings)
    async with stdio_server() as (read_stream, write_stream):
        drain = Drain(read_stream, write_stream)  # calls received before stdin closes are still answered
        await server.run(drain.reader, drain.writer, server.create_initialization_options())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class BearerToken:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(given, self._expected):
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
    app: ASGIApp = build_server(settings, client=shared_client(settings)).streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=stateless,
        host=host,
        session_idle_timeout=settings.session_idle,
        max_sessions=settings.max_sessions,
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

    app = http_app(settings, host=host, stateless=stateless, token=token, auth=auth)
    sock, origin = listening_socket(host, port)
    print(f"mcp-server-clockify: serving MCP over streamable HTTP at {origin}/mcp", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    await uvicorn.Server(config).serve(sockets=[sock])


def listening_socket(host: str, port: int) -> tuple[socket.socket, str]:
    """A TCP socket already listening on host:port (0: any free port), and its `http://host:port` origin.

    It listens before the address is announced, so a client that reads the address can connect at once.
    """
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
