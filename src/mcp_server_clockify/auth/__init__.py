"""Hosted mode: many people use one HTTP deployment, each with their own Clockify key.

- `key_header`: every request carries the user's key in `X-Clockify-Api-Key` (clients that can send headers).
- `oauth`: the server is an OAuth 2.1 authorization and resource server per the MCP authorization spec; a
  sign-in page takes the user's key once and seals it into the tokens it issues (`sealing`), so replicas share
  nothing but the secret.

Either way the caller's `Credential` lands in the ASGI scope (`credentials.SCOPE_KEY`), and each tool call
runs with it. Imported only when HTTP is served with `--auth`.
"""

from __future__ import annotations

__all__ = ["MODES"]

MODES = ("key-header", "oauth")
"""The values of `--auth` / CLOCKIFY_MCP_AUTH (unset: one key from the environment for everyone)."""
