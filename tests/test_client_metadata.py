"""Client ID metadata documents: an https client_id is fetched (safely) and used as the registration."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from pydantic import AnyUrl

from mcp_server_clockify.auth.client_metadata import MAX_BYTES, ClientMetadataDocuments
from mcp_server_clockify.auth.grants import MemoryGrants
from mcp_server_clockify.auth.provider import OAuthProvider
from mcp_server_clockify.auth.sealing import Sealer

pytestmark = pytest.mark.anyio

URL = "https://client.example/oauth/metadata.json"
GOOD = {"client_id": URL, "client_name": "Example", "redirect_uris": ["https://client.example/cb"]}


def provider(answer: Any, *, addresses: list[str] | None = None, status: int = 200) -> tuple[OAuthProvider, list]:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        return httpx2.Response(status, content=body, headers={"Location": "https://evil.example/"})

    async def resolve(host: str) -> list[str]:
        return addresses if addresses is not None else ["93.184.215.14"]

    documents = ClientMetadataDocuments(httpx2.AsyncClient(transport=httpx2.MockTransport(handler)), resolve=resolve)
    sealer = Sealer(["s" * 40])
    return OAuthProvider(
        public_url="https://mcp.example", sealer=sealer, grants=MemoryGrants(), documents=documents
    ), seen


async def test_a_valid_document_is_the_clients_registration_and_is_cached() -> None:
    p, seen = provider(GOOD)
    client = await p.get_client(URL)
    assert client is not None and client.client_name == "Example" and client.token_endpoint_auth_method == "none"
    assert str(client.validate_redirect_uri(AnyUrl("https://client.example/cb"))) == "https://client.example/cb"
    await p.get_client(URL)
    assert len(seen) == 1 and seen[0].headers["accept"] == "application/json"


@pytest.mark.parametrize(
    "answer",
    [
        {**GOOD, "client_id": "https://client.example/other.json"},  # names another client
        {**GOOD, "client_secret": "s3cret"},  # a public document cannot carry a secret
        {**GOOD, "token_endpoint_auth_method": "client_secret_post"},
        {**GOOD, "redirect_uris": ["http://evil.example/cb"]},  # plain http off loopback
        {**GOOD, "redirect_uris": []},
        {**GOOD, "client_name": "x" * MAX_BYTES},  # too large
        b"not json",
    ],
    ids=["other-id", "secret", "auth-method", "http-redirect", "no-redirect", "too-large", "not-json"],
)
async def test_an_unusable_document_is_no_client(answer: Any) -> None:
    p, seen = provider(answer)
    assert await p.get_client(URL) is None and len(seen) == 1


@pytest.mark.parametrize("addresses", [["127.0.0.1"], ["10.0.0.5"], ["169.254.169.254"], ["::1"], []])
async def test_a_host_on_a_private_network_is_never_fetched(addresses: list[str]) -> None:
    p, seen = provider(GOOD, addresses=addresses)
    assert await p.get_client(URL) is None and seen == []


@pytest.mark.parametrize(
    "client_id",
    ["http://client.example/m.json", "https://client.example/", "https://client.example:8443/m.json"],
)
async def test_only_https_urls_with_a_path_on_the_default_port_are_documents(client_id: str) -> None:
    p, seen = provider({**GOOD, "client_id": client_id})
    assert await p.get_client(client_id) is None and seen == []


async def test_a_redirect_is_not_followed() -> None:
    p, seen = provider(GOOD, status=302)
    assert await p.get_client(URL) is None and [str(r.url) for r in seen] == [URL]
