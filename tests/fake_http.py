"""A tiny Clockify stand-in on real loopback HTTP, for end-to-end tests of the installed server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[str, str, bytes], tuple[int, Any]]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeServer:
    url: str
    requests: list[Recorded] = field(default_factory=list)


@contextmanager
def fake_clockify(route: Route) -> Iterator[FakeServer]:
    """Serve `route(method, path_with_query, body) -> (status, json_body)` on 127.0.0.1."""
    holder: dict[str, FakeServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            holder["server"].requests.append(Recorded(self.command, self.path, dict(self.headers), body))
            status, payload = route(self.command, self.path, body)
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    holder["server"] = FakeServer(url=f"http://127.0.0.1:{port}/api/v1")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()
