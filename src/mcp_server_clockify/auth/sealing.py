"""Sealed tokens: AES-256-GCM (from `cryptography`) over a small JSON payload, so a token carries what it
grants (the user's Clockify key included) and only this deployment can read or make one.

`CLOCKIFY_MCP_SECRET` holds one or more secrets, comma-separated. The first seals; all of them open, so a
secret is rotated by putting the new one first, keeping the old one until the tokens it sealed have expired
(at most the refresh-token lifetime), then dropping it. Each secret is stretched into a key with HKDF-SHA256.
A token names the key that sealed it (a short key id, not the key), and its purpose is authenticated data:
an access token cannot be replayed as a refresh token, an authorization code or a client id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..config import ConfigError

__all__ = ["MIN_SECRET_LENGTH", "Sealer", "parse_secrets"]

MIN_SECRET_LENGTH = 32
VERSION = "v1"
_INFO = b"mcp-server-clockify token sealing v1"


def parse_secrets(raw: str, name: str = "CLOCKIFY_MCP_SECRET") -> list[str]:
    secrets = [part.strip() for part in raw.split(",") if part.strip()]
    if not secrets:
        raise ConfigError(f"{name} is not set: generate one with `openssl rand -base64 48` (same on every replica)")
    if any(len(s) < MIN_SECRET_LENGTH for s in secrets):
        raise ConfigError(
            f"{name}: each secret must be at least {MIN_SECRET_LENGTH} characters (openssl rand -base64 48)"
        )
    return secrets


class Sealer:
    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets:
            raise ValueError("at least one secret")
        self._keys: list[tuple[str, AESGCM]] = []
        for secret in secrets:
            key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
            kid = hashlib.sha256(b"kid" + key).hexdigest()[:8]
            self._keys.append((kid, AESGCM(key)))

    def seal(self, purpose: str, payload: dict[str, Any]) -> str:
        kid, aead = self._keys[0]
        nonce = os.urandom(12)
        data = json.dumps(payload, separators=(",", ":")).encode()
        sealed = aead.encrypt(nonce, data, f"{VERSION}.{kid}.{purpose}".encode())
        return f"{VERSION}.{kid}.{_b64(nonce + sealed)}"

    def open(self, purpose: str, token: str) -> dict[str, Any] | None:
        """The payload, or None for anything this deployment did not seal for `purpose` (or that was altered)."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != VERSION or len(token) > 16_384:
            return None
        aead = next((a for kid, a in self._keys if kid == parts[1]), None)
        if aead is None:
            return None
        try:
            raw = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
            data = aead.decrypt(raw[:12], raw[12:], f"{VERSION}.{parts[1]}.{purpose}".encode())
            payload = json.loads(data)
        except (InvalidTag, ValueError):
            return None
        return payload if isinstance(payload, dict) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
