"""Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document, MCP authorization 2025-11-25):
a client may use an https URL as its client_id; this server fetches the JSON document there and uses it as
the client's registration.

The document must name that very URL as its `client_id`, list its redirect URIs, and be a public client
(`token_endpoint_auth_method` "none": a document is public, so it cannot carry a secret). Fetching is guarded
against server-side request forgery: https only, default port, a host that resolves to public addresses only,
no redirects, a small size limit and a short timeout. Documents are cached for five minutes.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import anyio

from ..client import Recent

__all__ = ["MAX_BYTES", "ClientMetadataDocuments", "is_metadata_url"]

MAX_BYTES = 5_120
TTL = 300.0

Resolve = Callable[[str], Awaitable[list[str]]]


def is_metadata_url(client_id: str) -> bool:
    parts = urlsplit(client_id)
    return (
        parts.scheme == "https"
        and bool(parts.hostname)
        and parts.path not in ("", "/")
        and parts.port in (None, 443)
        and not parts.fragment
        and not parts.username
        and not parts.password
    )


async def _resolve(host: str) -> list[str]:
    infos = await anyio.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


class ClientMetadataDocuments:
    def __init__(self, http: Any, *, resolve: Resolve = _resolve, clock: Callable[[], float] = time.monotonic) -> None:
        self.http = http
        """An httpx2.AsyncClient (redirects off)."""
        self.resolve = resolve
        self.clock = clock
        self._cache: Recent[tuple[float, dict[str, Any] | None]] = Recent(1000)

    async def get(self, url: str) -> dict[str, Any] | None:
        """The client's metadata from its document, or None if it cannot be used."""
        cached = self._cache.get(url)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        document = await self._fetch(url)
        self._cache.put(url, (self.clock() + TTL, document))
        return document

    async def _fetch(self, url: str) -> dict[str, Any] | None:
        if not is_metadata_url(url):
            return None
        host = urlsplit(url).hostname or ""
        try:
            addresses = await self.resolve(host)
        except OSError:
            return None
        if not addresses or not all(_public(a) for a in addresses):
            return None
        try:
            async with self.http.stream(
                "GET", url, headers={"Accept": "application/json"}, follow_redirects=False, timeout=5.0
            ) as response:
                if response.status_code != 200:
                    return None
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        return None
        except Exception:  # any network failure: the client simply is not known
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None
        if not isinstance(document, dict) or document.get("client_id") != url:
            return None
        if document.get("client_secret") or document.get("token_endpoint_auth_method", "none") != "none":
            return None
        uris = document.get("redirect_uris")
        if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
            return None
        return document
