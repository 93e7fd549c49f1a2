"""A hostile Clockify stand-in on loopback: each test decides exactly what goes on the wire (redirects, HTML,
answers that drip or never come, huge bodies, gzip bombs), and every request that reached it is recorded."""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler, threading.Event], None]
"""Writes the whole answer (status line, headers, body) itself; the event is set when the test is over."""


@dataclass
class Upstream:
    url: str
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(method, path) of every request received."""


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # many callers at once (socketserver's default backlog is 5)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up mid-answer is what these tests provoke


@contextmanager
def hostile_upstream(handler: Handler) -> Iterator[Upstream]:
    stop = threading.Event()
    holder: dict[str, Upstream] = {}

    class Serve(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            holder["upstream"].requests.append((self.command, self.path))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: as intended
                handler(self, stop)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = _Server(("127.0.0.1", 0), Serve)
    holder["upstream"] = Upstream(url=f"http://127.0.0.1:{httpd.server_address[1]}/api/v1")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["upstream"]
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def answer(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> Callable[[BaseHTTPRequestHandler, threading.Event], None]:
    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        h.send_response(status)
        for name, value in (headers or {"Content-Type": "application/json"}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


def drip(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """A 200 whose body arrives one byte a second, for up to ten minutes."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "600")
    h.end_headers()
    h.wfile.flush()
    for _ in range(600):
        if stop.wait(1.0):
            return
        h.wfile.write(b" ")
        h.wfile.flush()


def silent(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Reads the request and never answers."""
    stop.wait(600)


def huge(total: int, chunk: int = 1 << 20, *, declared: bool = True) -> Handler:
    """A 200 JSON array of `total` bytes, written as it goes (never held in memory whole); without a
    Content-Length when not `declared` (the body then ends when the connection closes)."""

    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        if declared:
            h.send_header("Content-Length", str(total))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        h.wfile.write(b"[")
        piece = b"0," * (chunk // 2)
        sent = 1
        while sent < total - 2 and not stop.is_set():
            part = piece[: total - 2 - sent]
            h.wfile.write(part)
            sent += len(part)
        h.wfile.write(b"0]")

    return handle


def gzip_bomb(expanded: int) -> tuple[bytes, int]:
    """A gzip stream of `expanded` zero bytes (about 1 MB per GB), made without holding it expanded."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(expanded // len(block))]
    parts.append(packer.flush())
    return b"".join(parts), expanded
