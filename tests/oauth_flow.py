"""Driving `--auth oauth` from tests: start the server in front of sandbox-server, and walk the OAuth flow
by hand (register, authorize, the sign-in page, token) the way a client and a browser would."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2

from servers import INIT, MCP_HEADERS, Running, announced, sandbox_server, server_command, server_env

SECRET = "test-secret-0123456789abcdef-0123456789abcdef"
CALLBACK = "http://127.0.0.1:53682/callback"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Hosted:
    base: str
    sandbox: Running
    server: Running

    @property
    def mcp(self) -> str:
        return f"{self.base}/mcp"

    def clockify_requests(self) -> int:
        """Requests sandbox-server (our Clockify) has answered so far, from its access log."""
        return sum(1 for line in self.sandbox.stderr if "/api/v1/" in line and "HTTP/1.1" in line)


def oauth_env(api_url: str, base: str, **extra: str) -> dict[str, str]:
    env = server_env(CLOCKIFY_API_URL=api_url, CLOCKIFY_MCP_PUBLIC_URL=base, CLOCKIFY_MCP_SECRET=SECRET, **extra)
    del env["CLOCKIFY_API_KEY"], env["CLOCKIFY_TIMEZONE"]
    return env


@contextmanager
def oauth_server(*args: str, sandbox: Running | None = None, **env: str) -> Iterator[Hosted]:
    """`mcp-server-clockify --transport http --auth oauth` on a free port, in front of a sandbox-server."""
    with _sandbox(sandbox) as clockify:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [server_command(), "--transport", "http", "--port", str(port), "--auth", "oauth", *args]
        with announced(command, r"at (http://\S+/mcp)", env=oauth_env(clockify.url, base, **env)) as server:
            yield Hosted(base, clockify, server)


@contextmanager
def _sandbox(running: Running | None) -> Iterator[Running]:
    if running is not None:
        yield running
        return
    with sandbox_server() as fresh:
        yield fresh


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


class Flow:
    """One client and its user's browser (cookies kept)."""

    def __init__(self, hosted: Hosted, http: httpx2.AsyncClient) -> None:
        self.hosted, self.http = hosted, http

    async def register(self, redirect_uris: list[str] | None = None, **extra: Any) -> dict[str, Any]:
        body = {
            "redirect_uris": redirect_uris or [CALLBACK],
            "client_name": "Test client",
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            **extra,
        }
        response = await self.http.post(f"{self.hosted.base}/register", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    async def authorize(self, client_id: str, challenge: str | None, **params: str) -> httpx2.Response:
        query = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": CALLBACK,
            "state": "st-123",
            "resource": self.hosted.mcp,
            **params,
        }
        if challenge is not None:
            query.setdefault("code_challenge", challenge)
            query.setdefault("code_challenge_method", "S256")
        return await self.http.get(f"{self.hosted.base}/authorize", params=query)

    async def signin_page(self, location: str) -> tuple[str, dict[str, str]]:
        page = await self.http.get(location)
        assert page.status_code == 200, page.text
        return page.text, form_fields(page.text)

    async def sign_in(self, location: str, key: str, region: str = "configured") -> httpx2.Response:
        _, fields = await self.signin_page(location)
        return await self.http.post(f"{self.hosted.base}/signin", data={**fields, "api_key": key, "region": region})

    async def code_for(self, client_id: str, key: str, challenge: str, **params: str) -> tuple[str, str]:
        """Authorize and sign in; the code and state the client's redirect URI receives."""
        started = await self.authorize(client_id, challenge, **params)
        assert started.status_code == 302, started.text
        done = await self.sign_in(started.headers["location"], key)
        assert done.status_code == 200, done.text
        target = continue_link(done.text)
        query = parse_qs(urlsplit(target).query)
        return query["code"][0], query["state"][0]

    async def token(self, **form: str) -> httpx2.Response:
        return await self.http.post(f"{self.hosted.base}/token", data=form)

    async def tokens(self, client_id: str, key: str) -> dict[str, Any]:
        verifier, challenge = pkce()
        code, _ = await self.code_for(client_id, key, challenge)
        response = await self.token(
            grant_type="authorization_code",
            code=code,
            redirect_uri=CALLBACK,
            client_id=client_id,
            code_verifier=verifier,
            resource=self.hosted.mcp,
        )
        assert response.status_code == 200, response.text
        return response.json()


def form_fields(page: str) -> dict[str, str]:
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    }


def continue_link(page: str) -> str:
    found = re.search(r'<a class="button" id="continue" href="([^"]+)">', page)
    assert found, page
    return unescape(found.group(1))


async def mcp_status(hosted: Hosted, access_token: str) -> int:
    """The HTTP status of an MCP initialize carrying `access_token`."""
    async with httpx2.AsyncClient() as http:
        response = await http.post(
            hosted.mcp, json=INIT, headers={**MCP_HEADERS, "Authorization": f"Bearer {access_token}"}
        )
    return response.status_code
