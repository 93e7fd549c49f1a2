"""`--auth key-header`: each request brings its user's Clockify key in `X-Clockify-Api-Key`.

For clients that can send headers (Claude Code, Cursor, scripts). Off loopback the key must arrive over
HTTPS: the request's scheme must be https (TLS at uvicorn, or at a proxy on this host that sends
`X-Forwarded-Proto: https`, which uvicorn trusts from 127.0.0.1 only). The key never reaches a log line or
an error. `X-Clockify-Region` (euc1, use2, euw2, apse2) optionally picks the key owner's region.
"""

from __future__ import annotations

import json
from typing import Any

from ..config import REGIONS, Settings
from ..credentials import SCOPE_KEY, Credential

__all__ = ["KEY_HEADER", "KeyHeaderAuth"]

KEY_HEADER = "X-Clockify-Api-Key"
REGION_HEADER = "X-Clockify-Region"


class KeyHeaderAuth:
    """ASGI middleware: put the caller's Credential into the scope, or answer 401 (no key) / 403 (no TLS)."""

    def __init__(self, app: Any, settings: Settings, *, loopback: bool) -> None:
        self.app = app
        self.api_url = settings.api_url
        self.loopback = loopback

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers") or []}
        key = headers.get(KEY_HEADER.lower().encode(), b"").decode("latin-1").strip()
        if not self.loopback and scope.get("scheme") != "https":
            await _refuse(send, 403, "HTTPS is required: this server is not on loopback and the request was plain HTTP")
            return
        if not key:
            await _refuse(send, 401, f"send your Clockify API key in the {KEY_HEADER} header")
            return
        region = headers.get(REGION_HEADER.lower().encode(), b"").decode("latin-1").strip().lower()
        if region and region not in REGIONS:
            await _refuse(send, 400, f"{REGION_HEADER} must be one of {', '.join(REGIONS)}")
            return
        api_url = f"https://{region}.clockify.me/api/v1" if region else self.api_url
        scope[SCOPE_KEY] = Credential("X-Api-Key", key, api_url)
        await self.app(scope, receive, send)


async def _refuse(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", f'{KEY_HEADER} realm="mcp-server-clockify"'.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
