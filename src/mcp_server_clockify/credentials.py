"""Credential: whose Clockify key a request is sent with, and where (the key owner's region).

Over stdio and in single-key HTTP mode there is one, from the settings. In hosted mode (`--auth oauth` or
`--auth key-header`) every HTTP request brings its own: the transport puts it into the request scope and
the tool call picks it up from there, so each call runs as its user.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SCOPE_KEY", "Credential", "from_scope"]

SCOPE_KEY = "clockify.credential"
"""Where hosted-mode middleware stores the caller's Credential in the ASGI scope."""


@dataclass(frozen=True, slots=True)
class Credential:
    header: str
    """X-Api-Key (a user's API key) or X-Addon-Token."""
    secret: str = field(repr=False)
    api_url: str
    """The Clockify API base URL of the key owner's region, e.g. https://api.clockify.me/api/v1."""

    id: str = field(init=False, repr=False, compare=False)
    """A stable, non-reversible id for caches and rate limits: never key anything by the secret itself. Computed
    once (every cache and the rate limiter look it up on each call)."""

    def __post_init__(self) -> None:
        digest = hashlib.sha256(f"{self.header}\0{self.api_url}\0{self.secret}".encode())
        object.__setattr__(self, "id", digest.hexdigest()[:32])


def from_scope(scope: Any) -> Credential | None:
    """The Credential a hosted-mode middleware attached to this ASGI scope (or starlette Request), if any."""
    scope = getattr(scope, "scope", scope)
    if not isinstance(scope, dict):
        return None
    found = scope.get(SCOPE_KEY)
    if found is None:  # --auth oauth: the SDK's bearer middleware put the opened access token there
        found = getattr(getattr(scope.get("user"), "access_token", None), "credential", None)
    return found if isinstance(found, Credential) else None
