"""`serve()`: the simulator on real HTTP (uvicorn), for `mcp-server-clockify sandbox-server --port N`.

Everything it says goes to stderr, access log included.
"""

from __future__ import annotations

import copy
import logging
import sys
from datetime import date
from typing import Any

from .app import create_app

__all__ = ["serve"]

log = logging.getLogger(__name__)


def _log_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stderr"
    return config


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    today: date | None = None,
    access_log: bool = True,
    extra_users: int = 0,
) -> None:
    """Serve a fresh simulator on http://host:port/api/v1 until interrupted (port 0: any free port)."""
    import uvicorn

    from ..transports import listening_socket

    app = create_app(today=today, extra_users=extra_users)
    sock, origin = listening_socket(host, port)
    print(
        f"Clockify sandbox (demo data, in memory) at {origin}/api/v1 (reports at {origin}/report/v1) - X-Api-Key: "
        "one of the seeded users' keys (sandbox-server --print-keys)",
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(app, log_config=_log_config(), lifespan="on", server_header=False, access_log=access_log)
    uvicorn.Server(config).run(sockets=[sock])
