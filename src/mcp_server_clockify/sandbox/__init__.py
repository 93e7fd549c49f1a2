"""An embedded, stateful Clockify simulator: the routes mcp-server-clockify's tools call, on seeded demo data.

- `create_app(today=...)`: a fresh ASGI app with its own in-memory workspace (routes under /api/v1).
- `transport(app)`: an httpx2 transport into it (base URL SANDBOX_BASE_URL), for in-process use.
- `serve(host, port, today=...)`: the same on real HTTP (uvicorn), logging to stderr.
- API_KEYS (one per seeded user; SANDBOX_API_KEY is the owner's), `key_lines()` to show them, and the
  seeded ids (WORKSPACE_ID, OWNER_ID, PROJECT_WEBSITE_ID, ...).

It follows the live API where that differs from the published spec (docs/clockify-api-notes.md): 400 for unknown ids,
empty bodies and array answers where Clockify sends them, wall-clock time windows, error bodies and codes.
Import it only in sandbox mode; `import mcp_server_clockify` does not load it.
"""

from __future__ import annotations

from .app import SANDBOX_API_KEY, SANDBOX_BASE_URL, Simulator, create_app, transport
from .ids import *  # noqa: F403 - the seeded ids are part of the public interface
from .ids import __all__ as _ids
from .seed import WORKSPACE_NAME, extra_key, key_lines
from .server import serve

__all__ = [
    "SANDBOX_API_KEY",
    "SANDBOX_BASE_URL",
    "WORKSPACE_NAME",
    "Simulator",
    "create_app",
    "extra_key",
    "key_lines",
    "serve",
    "transport",
    *_ids,
]
