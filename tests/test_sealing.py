"""Sealed tokens: AES-GCM with keys from CLOCKIFY_MCP_SECRET; rotation; purposes kept apart."""

from __future__ import annotations

import pytest

from mcp_server_clockify.auth.sealing import Sealer, parse_secrets
from mcp_server_clockify.config import ConfigError

OLD, NEW = "old-secret-" + "o" * 30, "new-secret-" + "n" * 30


def test_rotation_new_secret_first_keeps_old_tokens_valid_until_dropped() -> None:
    old_token = Sealer([OLD]).seal("access", {"sub": "u"})
    rotated = Sealer([NEW, OLD])
    assert rotated.open("access", old_token) == {"sub": "u"}
    new_token = rotated.seal("access", {"sub": "v"})
    assert Sealer([NEW]).open("access", new_token) == {"sub": "v"}  # sealed with the first secret
    assert Sealer([NEW]).open("access", old_token) is None  # the old secret dropped: its tokens are dead
    assert Sealer([OLD]).open("access", new_token) is None


def test_a_token_opens_only_for_its_purpose_and_only_unaltered() -> None:
    sealer = Sealer([NEW])
    token = sealer.seal("refresh", {"secret": "clockify-key-123"})
    assert "clockify-key-123" not in token and sealer.open("refresh", token) is not None
    assert sealer.open("access", token) is None and sealer.open("code", token) is None
    version, kid, body = token.split(".")
    mid = len(body) // 2
    flipped = body[:mid] + ("A" if body[mid] != "A" else "B") + body[mid + 1 :]
    for altered in (f"{version}.{kid}.{flipped}", f"v2.{kid}.{body}", f"{version}.00000000.{body}", "", "a.b"):
        assert sealer.open("refresh", altered) is None


def test_two_seals_of_the_same_payload_differ() -> None:
    sealer = Sealer([NEW])
    assert sealer.seal("access", {"a": 1}) != sealer.seal("access", {"a": 1})  # a fresh nonce each time


@pytest.mark.parametrize("raw", ["", " , ", "short", f"{NEW},short"])
def test_secrets_must_be_set_and_long(raw: str) -> None:
    with pytest.raises(ConfigError, match="CLOCKIFY_MCP_SECRET"):
        parse_secrets(raw)
    assert parse_secrets(f" {NEW} , {OLD} ") == [NEW, OLD]
