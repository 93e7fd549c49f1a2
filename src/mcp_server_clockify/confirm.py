"""Confirmation tokens: how a client without elicitation confirms a destructive call.

The first call sends nothing and answers a preview and a token; the same call repeated with
`confirm: "<token>"` runs. A token is `v1.<payload>.<mac>` where the payload (base64url) holds the expiry,
a random nonce and the digest of the state the preview showed, and the MAC is HMAC-SHA256 (stdlib `hmac`)
over the payload, the key owner's digest and the digest of the exact request. Nothing is stored per session:
any process holding the key can check a token (replicas share CLOCKIFY_CONFIRM_SECRET, or CLOCKIFY_MCP_SECRET
in hosted mode; without either, each process signs with its own random key). Single use is enforced by
claiming each token's nonce until it expires: in the process, or on Redis when CLOCKIFY_MCP_REDIS_URL is set
(then a token used on one replica is used on all of them; the same store as OAuth's single-use codes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import struct
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .auth.grants import Grants, MemoryGrants

__all__ = ["TTL", "Tokens", "digest", "keys_from"]

TTL = 300.0
"""Seconds a token stays valid."""
_VERSION = "v1"
_NONCE = 12
_STATE = 16


def digest(value: Any) -> str:
    """A stable digest of a JSON-able value (keys sorted, compact)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def keys_from(env: Mapping[str, str], configured: str | None) -> list[bytes]:
    """Signing keys: the configured secret, else CLOCKIFY_MCP_SECRET (comma-separated: the first signs, all
    verify), else one random key for this process."""
    texts = [configured] if configured else [k.strip() for k in (env.get("CLOCKIFY_MCP_SECRET") or "").split(",")]
    keys = [hashlib.sha256(b"mcp-server-clockify confirm\0" + t.encode()).digest() for t in texts if t]
    return keys or [secrets.token_bytes(32)]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Tokens:
    """Issues and checks single-use confirmation tokens bound to a key owner and a request digest."""

    def __init__(
        self,
        keys: bytes | Sequence[bytes] | None = None,
        *,
        ttl: float = TTL,
        clock: Callable[[], float] = time.time,
        spent: Grants | None = None,
    ) -> None:
        if keys is None:
            keys = [os.urandom(32)]
        self._keys = [keys] if isinstance(keys, bytes) else list(keys)
        self.ttl = ttl
        self._clock = clock
        self._spent = spent if spent is not None else MemoryGrants(clock)
        """Where used tokens are remembered until they expire (shared by replicas when it is Redis)."""

    def _mac(self, key: bytes, payload: bytes, owner: str, request: str) -> bytes:
        message = b"\0".join([_VERSION.encode(), payload, owner.encode(), request.encode()])
        return hmac.new(key, message, hashlib.sha256).digest()[:16]

    def issue(self, owner: str, request: str, state: str = "") -> str:
        expiry = int(self._clock() + self.ttl)
        payload = struct.pack(">Q", expiry) + secrets.token_bytes(_NONCE) + bytes.fromhex(digest(state))[:_STATE]
        return f"{_VERSION}.{_b64(payload)}.{_b64(self._mac(self._keys[0], payload, owner, request))}"

    async def check(self, token: str, owner: str, request: str, state: str = "") -> str | None:
        """None when `token` confirms this request for this owner (it is then spent); else why not."""
        try:
            version, payload_text, mac_text = token.strip().split(".")
            payload, mac = _unb64(payload_text), _unb64(mac_text)
        except (ValueError, AttributeError):
            return "this confirmation token is malformed; call the tool again without confirm to get a new one."
        if version != _VERSION or len(payload) != 8 + _NONCE + _STATE:
            return "this confirmation token is malformed; call the tool again without confirm to get a new one."
        if not any(hmac.compare_digest(mac, self._mac(k, payload, owner, request)) for k in self._keys):
            return (
                "this confirmation token does not match this call: it was issued for other arguments, another "
                "user or another server, or it was altered. Call the tool again without confirm for a new preview."
            )
        now = self._clock()
        (expiry,) = struct.unpack(">Q", payload[:8])
        if now > expiry:
            return "this confirmation token has expired; call the tool again without confirm for a new preview."
        if payload[8 + _NONCE :] != bytes.fromhex(digest(state))[:_STATE]:
            return "what this call changes has changed since the preview (someone edited it); look again:"
        nonce = payload[8 : 8 + _NONCE]
        if not await self._spent.claim(f"confirm:{nonce.hex()}", max(1, int(expiry - now) + 1)):
            return "this confirmation token was already used; call the tool again without confirm for a new one."
        return None
