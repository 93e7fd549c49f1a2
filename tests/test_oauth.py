"""`--auth oauth` end to end: the real server in front of the real sandbox-server, the MCP SDK's own OAuth
client, and every hostile case refused with nothing sent to Clockify (each case its own test)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from helpers import P, result_json
from mcp_server_clockify.auth.sealing import Sealer
from mcp_server_clockify.sandbox import API_KEYS, DESIGNER_ID, DEVELOPER_ID
from oauth_flow import CALLBACK, SECRET, Flow, Hosted, continue_link, mcp_status, oauth_server, pkce

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

PRIYA, JORDAN = API_KEYS[DEVELOPER_ID], API_KEYS[DESIGNER_ID]
NO_SECRET = {"client_secret": ""}
"""The SDK's /revoke handler requires the field even from a public client (mcp 2.3); it may be empty."""


@pytest.fixture(scope="module")
def hosted() -> Iterator[Hosted]:
    with oauth_server() as running:
        yield running


def flow(hosted: Hosted) -> tuple[httpx2.AsyncClient, Flow]:
    http = httpx2.AsyncClient(follow_redirects=False, timeout=30)
    return http, Flow(hosted, http)


class Untouched:
    """Asserts that Clockify (sandbox-server) received no request inside the block."""

    def __init__(self, hosted: Hosted) -> None:
        self.hosted = hosted

    async def __aenter__(self) -> None:
        await anyio.sleep(0.3)
        self.before = self.hosted.clockify_requests()

    async def __aexit__(self, *exc: object) -> None:
        await anyio.sleep(0.3)
        assert self.hosted.clockify_requests() == self.before, "a request reached Clockify"


# -- discovery -------------------------------------------------------------------------------------------------


async def test_metadata_and_401_with_www_authenticate(hosted: Hosted) -> None:
    async with httpx2.AsyncClient() as http:
        unauthenticated = await http.post(hosted.mcp, json={})
        prm = (await http.get(f"{hosted.base}/.well-known/oauth-protected-resource/mcp")).json()
        asm = (await http.get(f"{hosted.base}/.well-known/oauth-authorization-server")).json()
    assert unauthenticated.status_code == 401
    assert (
        f'resource_metadata="{hosted.base}/.well-known/oauth-protected-resource/mcp"'
        in (unauthenticated.headers["www-authenticate"])
    )
    assert prm["resource"] == hosted.mcp and prm["authorization_servers"] == [hosted.base]
    assert asm["issuer"] == hosted.base and asm["code_challenge_methods_supported"] == ["S256"]
    assert asm["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert {"registration_endpoint", "revocation_endpoint", "token_endpoint"} <= set(asm)
    assert asm["client_id_metadata_document_supported"] is True
    assert "none" in asm["token_endpoint_auth_methods_supported"]  # public clients, PKCE instead of a secret


# -- the SDK's own OAuth client --------------------------------------------------------------------------------


class Memory:
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


def sdk_auth(hosted: Hosted, key: str, storage: Memory) -> OAuthClientProvider:
    """The SDK's OAuth client; its "browser" opens the authorization URL and signs in with `key`."""
    opened: list[str] = []

    async def redirect(url: str) -> None:
        opened.append(url)

    async def callback() -> AuthorizationCodeResult:
        async with httpx2.AsyncClient(follow_redirects=False) as browser:
            started = await browser.get(opened[-1])
            assert started.status_code == 302, started.text
            done = await Flow(hosted, browser).sign_in(started.headers["location"], key)
        query = dict(httpx2.URL(continue_link(done.text)).params)
        return AuthorizationCodeResult(code=query["code"], state=query.get("state"))

    metadata = OAuthClientMetadata(
        redirect_uris=[CALLBACK],
        client_name="SDK test client",
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        token_endpoint_auth_method="none",
    )
    return OAuthClientProvider(hosted.mcp, metadata, storage, redirect_handler=redirect, callback_handler=callback)


async def test_sdk_oauth_client_registers_signs_in_calls_refreshes_and_revokes() -> None:
    with oauth_server(CLOCKIFY_MCP_ACCESS_TOKEN_TTL="2") as hosted:
        storage = Memory()
        async with (
            httpx2.AsyncClient(auth=sdk_auth(hosted, PRIYA, storage), timeout=30) as http,
            Client(streamable_http_client(hosted.mcp, http_client=http)) as client,
        ):
            me = result_json(await client.call_tool(P + "get_current_user", {}))
            assert me["id"] == DEVELOPER_ID
            first = storage.tokens
            assert first is not None and first.refresh_token and PRIYA not in first.access_token
            await anyio.sleep(3)  # the access token expires; the SDK client refreshes before its next call
            me = result_json(await client.call_tool(P + "get_current_user", {}))
            assert me["id"] == DEVELOPER_ID
            second = storage.tokens
            assert second is not None and second.access_token != first.access_token
            assert second.refresh_token != first.refresh_token  # rotated
        assert storage.client is not None
        async with httpx2.AsyncClient() as http:
            revoked = await http.post(
                f"{hosted.base}/revoke",
                data={"token": second.access_token, "client_id": storage.client.client_id, **NO_SECRET},
            )
            assert revoked.status_code == 200
            refresh = await http.post(
                f"{hosted.base}/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": second.refresh_token or "",
                    "client_id": storage.client.client_id,
                },
            )
        assert await mcp_status(hosted, second.access_token) == 401
        assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
        assert PRIYA not in "".join(hosted.server.stderr)


async def test_two_users_signed_in_at_once_each_see_only_their_own_data(hosted: Hosted) -> None:
    answers: list[tuple[str, Any]] = []

    async def user(who: str, key: str) -> None:
        storage = Memory()
        async with (
            httpx2.AsyncClient(auth=sdk_auth(hosted, key, storage), timeout=30) as http,
            Client(streamable_http_client(hosted.mcp, http_client=http)) as client,
        ):
            for _ in range(100):
                answers.append((who, result_json(await client.call_tool(P + "get_current_user", {}))))

    async with anyio.create_task_group() as group:
        group.start_soon(user, DEVELOPER_ID, PRIYA)
        group.start_soon(user, DESIGNER_ID, JORDAN)
    assert len(answers) == 200 and all(answer["id"] == who for who, answer in answers)
    assert {who for who, _ in answers[:120]} == {DEVELOPER_ID, DESIGNER_ID}  # interleaved


# -- hostile cases ---------------------------------------------------------------------------------------------


async def test_missing_pkce_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http, Untouched(hosted):
        client = await f.register()
        response = await f.authorize(client["client_id"], None)
    assert response.status_code == 302 and response.headers["location"].startswith(CALLBACK)
    assert "error=invalid_request" in response.headers["location"] and "/signin" not in response.headers["location"]


async def test_plain_pkce_method_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http, Untouched(hosted):
        client = await f.register()
        response = await f.authorize(client["client_id"], "a" * 43, code_challenge_method="plain")
    assert response.status_code == 302 and "error=invalid_request" in response.headers["location"]


async def test_wrong_code_verifier_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        client = await f.register()
        _, challenge = pkce()
        code, _ = await f.code_for(client["client_id"], PRIYA, challenge)
        async with Untouched(hosted):
            response = await f.token(
                grant_type="authorization_code",
                code=code,
                redirect_uri=CALLBACK,
                client_id=client["client_id"],
                code_verifier=pkce()[0],
            )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


async def test_reused_authorization_code_is_refused_and_revokes_what_it_issued(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        client = await f.register()
        verifier, challenge = pkce()
        code, _ = await f.code_for(client["client_id"], PRIYA, challenge)
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": client["client_id"],
            "code_verifier": verifier,
        }
        first = await f.token(**form)
        assert first.status_code == 200
        async with Untouched(hosted):
            second = await f.token(**form)
            assert await mcp_status(hosted, first.json()["access_token"]) == 401
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


async def test_unregistered_redirect_uri_is_refused_without_redirecting(hosted: Hosted) -> None:
    http, f = flow(hosted)
    _, challenge = pkce()
    async with http, Untouched(hosted):
        client = await f.register()
        evil = await f.authorize(client["client_id"], challenge, redirect_uri="https://evil.example/callback")
        other_path = await f.authorize(client["client_id"], challenge, redirect_uri=CALLBACK + "/x")
        # a loopback redirect URI matches on any port (RFC 8252 §7.3), nothing else about it may change
        other_port = await f.authorize(client["client_id"], challenge, redirect_uri=CALLBACK.replace("53682", "4000"))
        registration = await http.post(
            f"{hosted.base}/register", json={"redirect_uris": ["http://evil.example/cb"], "client_name": "x"}
        )
    for refused in (evil, other_path):
        assert refused.status_code == 400 and "location" not in refused.headers
        assert refused.json()["error"] == "invalid_request"
    assert other_port.status_code == 302 and "/signin?request=" in other_port.headers["location"]
    assert registration.status_code == 400 and registration.json()["error"] == "invalid_redirect_uri"


async def test_authorization_for_another_resource_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    _, challenge = pkce()
    async with http, Untouched(hosted):
        client = await f.register()
        response = await f.authorize(client["client_id"], challenge, resource="https://other.example/mcp")
    assert response.status_code == 302 and "error=invalid_target" in response.headers["location"]


def _sealed_access(hosted: Hosted, **changes: Any) -> str:
    """An access token made with the deployment's own secret (what another deployment sharing it could make)."""
    payload = {
        "cid": "x",
        "sc": [],
        "res": hosted.mcp,
        "sub": DEVELOPER_ID,
        "cred": ["X-Api-Key", PRIYA, "http://127.0.0.1:1/api/v1"],
        "grant": "g",
        "exp": int(time.time()) + 600,
        **changes,
    }
    return Sealer([SECRET]).seal("access", payload)


async def test_token_for_another_audience_is_refused(hosted: Hosted) -> None:
    async with Untouched(hosted):
        assert await mcp_status(hosted, _sealed_access(hosted, res="https://other.example/mcp")) == 401
        assert await mcp_status(hosted, _sealed_access(hosted, res=hosted.base + "/other")) == 401


async def test_expired_token_is_refused(hosted: Hosted) -> None:
    async with Untouched(hosted):
        assert await mcp_status(hosted, _sealed_access(hosted, exp=int(time.time()) - 5)) == 401


async def test_tampered_token_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        tokens = await f.tokens((await f.register())["client_id"], PRIYA)
    token = tokens["access_token"]
    assert await mcp_status(hosted, token) == 200
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    async with Untouched(hosted):
        assert await mcp_status(hosted, tampered) == 401
        assert await mcp_status(hosted, Sealer(["another-secret-" + "x" * 40]).seal("access", {})) == 401
        # a refresh token (sealed for another purpose) is not an access token
        assert await mcp_status(hosted, tokens["refresh_token"]) == 401


async def test_revoked_token_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        client_id = (await f.register())["client_id"]
        tokens = await f.tokens(client_id, PRIYA)
        assert await mcp_status(hosted, tokens["access_token"]) == 200
        revoke = await http.post(
            f"{hosted.base}/revoke", data={"token": tokens["refresh_token"], "client_id": client_id, **NO_SECRET}
        )
        assert revoke.status_code == 200
        async with Untouched(hosted):
            assert await mcp_status(hosted, tokens["access_token"]) == 401
            refresh = await f.token(
                grant_type="refresh_token", refresh_token=tokens["refresh_token"], client_id=client_id
            )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


async def test_refresh_token_reused_after_rotation_is_refused_and_revokes_the_grant(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        client_id = (await f.register())["client_id"]
        old = await f.tokens(client_id, PRIYA)
        rotated = await f.token(grant_type="refresh_token", refresh_token=old["refresh_token"], client_id=client_id)
        assert rotated.status_code == 200
        new = rotated.json()
        assert new["refresh_token"] != old["refresh_token"] and await mcp_status(hosted, new["access_token"]) == 200
        async with Untouched(hosted):
            reused = await f.token(grant_type="refresh_token", refresh_token=old["refresh_token"], client_id=client_id)
            assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
            # the leak is contained: the rotated tokens die with the grant
            assert await mcp_status(hosted, new["access_token"]) == 401
            again = await f.token(grant_type="refresh_token", refresh_token=new["refresh_token"], client_id=client_id)
    assert again.status_code == 400


async def test_forged_signin_post_without_csrf_token_is_refused(hosted: Hosted) -> None:
    http, f = flow(hosted)
    async with http:
        client = await f.register()
        started = await f.authorize(client["client_id"], pkce()[1])
        _, fields = await f.signin_page(started.headers["location"])
        async with Untouched(hosted):
            no_token = await http.post(
                f"{hosted.base}/signin", data={"request": fields["request"], "api_key": PRIYA, "region": "configured"}
            )
            # a token from a page another browser loaded does not fit this browser's cookie
            other_http, other = flow(hosted)
            async with other_http:
                _, others = await other.signin_page(started.headers["location"])
            stolen = await http.post(f"{hosted.base}/signin", data={**others, "api_key": PRIYA, "region": "configured"})
    assert no_token.status_code == stolen.status_code == 403
    assert "code=" not in no_token.text + stolen.text


async def test_signin_checks_the_key_and_never_shows_it(hosted: Hosted) -> None:
    http, f = flow(hosted)
    wrong = "wrong-key-" + "s3cr3t" * 4
    async with http:
        client = await f.register()
        started = await f.authorize(client["client_id"], pkce()[1])
        page, _ = await f.signin_page(started.headers["location"])
        refused = await f.sign_in(started.headers["location"], wrong)
        accepted = await f.sign_in(started.headers["location"], JORDAN)
    assert 'type="password"' in page and "<script" not in page
    assert refused.status_code == 400 and "did not accept" in refused.text and wrong not in refused.text
    assert "code=" not in refused.text
    assert accepted.status_code == 200 and "Jordan Lee" in accepted.text and "Sandbox Workspace" in accepted.text
    assert JORDAN not in accepted.text and wrong not in "".join(hosted.server.stderr)
    assert accepted.headers["x-frame-options"] == "DENY" and accepted.headers["cache-control"] == "no-store"


async def test_signin_attempts_are_rate_limited() -> None:
    with oauth_server() as hosted:
        http, f = flow(hosted)
        async with http:
            client = await f.register()
            started = await f.authorize(client["client_id"], pkce()[1])
            statuses = [(await f.sign_in(started.headers["location"], f"bad-{i}")).status_code for i in range(10)]
            async with Untouched(hosted):
                limited = await f.sign_in(started.headers["location"], PRIYA)
    assert statuses == [400] * 10
    assert limited.status_code == 429 and "code=" not in limited.text
