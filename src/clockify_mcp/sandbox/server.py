"""`serve()`: the simulator on real HTTP (uvicorn), for `clockify-mcp sandbox-server --port N`.

Everything it says goes to stderr, access log included.
"""

from __future__ import annotations

import copy
import logging
import socket
import sys
from datetime import date

from .app import create_app

__all__ = ["serve"]

log = logging.getLogger(__name__)


def _log_config() -> dict:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    return config


def serve(host: str = "127.0.0.1", port: int = 0, *, today: date | None = None, access_log: bool = True) -> None:
    """Serve a fresh simulator on http://host:port/api/v1 until interrupted (port 0: any free port)."""
    import uvicorn

    app = create_app(today=today)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it, Nagle plus delayed ACKs add ~40 ms to every keep-alive
    # response that uvicorn writes in two pieces (headers, then body). See benchmarks/run.py.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)  # listening before the address is announced: a client that reads it can connect at once
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(
        f"Clockify sandbox (demo data, in memory) at http://{shown}:{bound}/api/v1 - any non-empty X-Api-Key works",
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(app, log_config=_log_config(), lifespan="on", server_header=False, access_log=access_log)
    uvicorn.Server(config).run(sockets=[sock])
