"""Per-user credentials in the client: one connection pool, each user's key, region, rate limit and caches."""

from __future__ import annotations

import httpx2
import pytest

from helpers import settings
from mcp_server_clockify.client import ClockifyClient, Recent, _url
from mcp_server_clockify.credentials import SCOPE_KEY, Credential, from_scope
from mcp_server_clockify.registry import Request

pytestmark = pytest.mark.anyio

EU = "https://euc1.clockify.me/api/v1"
US = "https://use2.clockify.me/api/v1"


async def test_each_view_sends_its_users_key_to_its_region_over_the_one_pool() -> None:
    seen: list[httpx2.Request] = []
    zones = {"key-a": "Europe/Berlin", "key-b": "America/New_York"}

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"settings": {"timeZone": zones[request.headers["X-Api-Key"]]}})

    async with ClockifyClient(settings(timezone=None), transport=httpx2.MockTransport(handler)) as root:
        a = root.for_user(Credential("X-Api-Key", "key-a", EU))
        b = root.for_user(Credential("X-Api-Key", "key-b", US))
        assert str(await a.profile_timezone()) == "Europe/Berlin"
        assert str(await b.profile_timezone()) == "America/New_York"
        await a.profile_timezone(), await b.profile_timezone()  # cached per user: no further request
        await a.send(Request("GET", "/workspaces"))
        assert a._connection() is b._connection() is root._connection()
        assert len(root._shared.limiters) == 2  # one rate limit per key
        assert a.cached_profile_timezone != b.cached_profile_timezone
    assert [(str(r.url), r.headers["X-Api-Key"]) for r in seen] == [
        (f"{EU}/user", "key-a"),
        (f"{US}/user", "key-b"),
        (f"{EU}/workspaces", "key-a"),
    ]


async def test_a_cookie_set_in_one_users_answer_is_never_sent_with_another_users_request() -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={}, headers={"Set-Cookie": "session=of-key-a; Path=/"})

    async with ClockifyClient(settings(), transport=httpx2.MockTransport(handler)) as root:
        a = root.for_user(Credential("X-Api-Key", "key-a", EU))
        b = root.for_user(Credential("X-Api-Key", "key-b", EU))
        await a.send(Request("GET", "/workspaces"))
        await b.send(Request("GET", "/workspaces"))
        await a.send(Request("GET", "/workspaces"))
    assert [r.headers["X-Api-Key"] for r in seen] == ["key-a", "key-b", "key-a"]
    assert [r.headers.get("Cookie") for r in seen] == [None, None, None]


def test_credential_id_is_a_digest_that_separates_keys_and_regions() -> None:
    one = Credential("X-Api-Key", "secret-key-1", EU)
    ids = {one.id, Credential("X-Api-Key", "secret-key-2", EU).id, Credential("X-Api-Key", "secret-key-1", US).id}
    assert len(ids) == 3 and "secret-key-1" not in one.id and "secret-key-1" not in repr(one)
    assert from_scope({SCOPE_KEY: one}) is one and from_scope({}) is None and from_scope(None) is None


def test_per_user_state_is_bounded() -> None:
    recent: Recent[int] = Recent(3)
    for i in range(5):
        recent.put(str(i), i)
    recent.get("2")
    recent.put("5", 5)
    assert len(recent) == 3 and recent.get("2") == 2 and recent.get("3") is None and recent.get("5") == 5


def test_hosted_settings_come_from_the_environment_or_a_dotenv_file(tmp_path) -> None:
    from mcp_server_clockify.config import ConfigError, Settings

    secret = "a-hosted-secret-of-forty-characters-0123"
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"CLOCKIFY_MCP_AUTH=oauth\nCLOCKIFY_MCP_SECRET=new-{secret},{secret}\n")
    s = Settings.from_env({"CLOCKIFY_MCP_PUBLIC_URL": "https://mcp.example"}, dotenv_file=dotenv)
    assert (s.auth, s.hosted, s.public_url, s.api_key) == ("oauth", True, "https://mcp.example", None)
    assert set(s.secrets) == {f"new-{secret}", secret} and secret not in repr(s)
    assert Settings.from_env({"CLOCKIFY_API_KEY": "k"}, auth="key-header").hosted
    with pytest.raises(ConfigError, match="CLOCKIFY_MCP_AUTH"):
        Settings.from_env({"CLOCKIFY_MCP_AUTH": "basic"})
    with pytest.raises(ConfigError, match="CLOCKIFY_API_KEY"):  # not hosted: the one key is required
        Settings.from_env({})


async def test_a_url_is_parsed_once_then_reused_for_the_same_region_path_and_query() -> None:
    seen: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        return httpx2.Response(200, json=[])

    path, query = "/workspaces/w%201/time-entries", (("description", "a&b c"), ("page", "2"))
    async with ClockifyClient(settings(), transport=httpx2.MockTransport(handler)) as root:
        a = root.for_user(Credential("X-Api-Key", "key-a", EU))
        b = root.for_user(Credential("X-Api-Key", "key-b", US))
        _url.cache_clear()
        for view in (a, b, a, b):
            await view.send(Request("GET", path, query))
        await a.send(Request("GET", path, (("description", "a&b c"), ("page", "3"))))
    expected = f"{path}?description=a%26b+c&page="
    assert seen == [EU + expected + "2", US + expected + "2"] * 2 + [EU + expected + "3"]
    assert (_url.cache_info().misses, _url.cache_info().hits) == (3, 2)  # each region, path and query parsed once
