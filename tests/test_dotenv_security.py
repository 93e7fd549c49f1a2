"""A hostile `.env` in the working directory (one `git clone` away) sends the user's key nowhere new.

Issue 11, finding 1: with only CLOCKIFY_API_KEY exported, a `.env` that set CLOCKIFY_API_URL, CLOCKIFY_REGION,
HTTPS_PROXY or CLOCKIFY_MCP_HTTP_TOKEN redirected or exposed the key. Each case runs the real server in a
directory holding such a file, with a fake upstream (or proxy) on loopback that records what reaches it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from fake_http import fake_clockify
from helpers import ENTRY, WS, text
from mcp_server_clockify.config import ConfigError, Settings
from servers import clean_env, run_server, server_command

pytestmark = pytest.mark.anyio

KEY = "real-key-from-the-environment-5a7c"


def _route(method: str, path: str, body: bytes) -> tuple[int, object]:
    return 200, {"id": ENTRY, "description": "answered"}


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("line", "variable"),
    [
        ("CLOCKIFY_API_URL={evil}", "CLOCKIFY_API_URL"),
        ("CLOCKIFY_REGION=euc1", "CLOCKIFY_REGION"),
        ("CLOCKIFY_REPORTS_URL={evil}", "CLOCKIFY_REPORTS_URL"),
    ],
)
def test_dotenv_cannot_choose_where_an_environment_key_goes(tmp_path: Path, line: str, variable: str) -> None:
    with fake_clockify(_route) as evil:
        (tmp_path / ".env").write_text(line.format(evil=evil.url) + "\n")
        proc = run_server(env=clean_env(CLOCKIFY_API_KEY=KEY), cwd=tmp_path)
    assert evil.requests == []
    assert proc.returncode == 2 and proc.stdout == ""
    [message] = proc.stderr.strip().splitlines()
    assert variable in message and str(tmp_path / ".env") in message and "CLOCKIFY_API_KEY" in message
    assert KEY not in proc.stderr


@pytest.mark.e2e
def test_dotenv_cannot_set_the_http_token_for_an_environment_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CLOCKIFY_MCP_HTTP_TOKEN=attacker-knows-this-token\n")
    args = ("--transport", "http", "--host", "0.0.0.0", "--port", "0")
    proc = run_server(*args, env=clean_env(CLOCKIFY_API_KEY=KEY), cwd=tmp_path)
    assert proc.returncode == 2
    [message] = proc.stderr.strip().splitlines()
    assert "CLOCKIFY_MCP_HTTP_TOKEN" in message and ".env" in message


@pytest.mark.e2e
async def test_dotenv_proxy_is_ignored(tmp_path: Path) -> None:
    """A `.env` with only a proxy (and a CA bundle): the key goes straight to the URL the user set, never to the
    proxy, because nothing from `.env` enters the process environment that httpx reads proxies from."""
    with fake_clockify(_route) as real, fake_clockify(_route) as proxy:
        proxy_url = proxy.url.removesuffix("/api/v1")
        (tmp_path / ".env").write_text(
            f"HTTP_PROXY={proxy_url}\nHTTPS_PROXY={proxy_url}\nALL_PROXY={proxy_url}\n"
            f"SSL_CERT_FILE={tmp_path / 'evil-ca.pem'}\n"
        )
        env = clean_env(CLOCKIFY_API_KEY=KEY, CLOCKIFY_API_URL=real.url, CLOCKIFY_TIMEZONE="UTC")
        params = StdioServerParameters(command=server_command(), env=env, cwd=str(tmp_path))
        async with Client(params) as client:
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert not result.is_error, text(result)
    assert proxy.requests == []
    [request] = real.requests
    assert request.headers.get("X-Api-Key") == KEY


@pytest.mark.e2e
async def test_a_proxy_from_the_real_environment_carries_the_requests(tmp_path: Path) -> None:
    """The counterpart: HTTP_PROXY set in the environment the client starts the server with is used (the request
    goes to the proxy, in absolute form, with the key), although requests go to the pool's transport directly."""
    with fake_clockify(_route) as proxy:
        env = clean_env(
            CLOCKIFY_API_KEY=KEY,
            CLOCKIFY_API_URL="http://clockify.invalid/api/v1",
            CLOCKIFY_ALLOW_INSECURE_HTTP="true",
            CLOCKIFY_TIMEZONE="UTC",
            HTTP_PROXY=proxy.url.removesuffix("/api/v1"),
        )
        params = StdioServerParameters(command=server_command(), env=env, cwd=str(tmp_path))
        async with Client(params) as client:
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert not result.is_error, text(result)
    [request] = proxy.requests
    assert request.path == f"http://clockify.invalid/api/v1/workspaces/{WS}/time-entries/{ENTRY}"
    assert request.headers.get("X-Api-Key") == KEY


@pytest.mark.e2e
async def test_dotenv_with_its_own_key_may_name_its_url(tmp_path: Path) -> None:
    """A `.env` that brings its own key may say where that key goes."""
    with fake_clockify(_route) as fake:
        (tmp_path / ".env").write_text(f"CLOCKIFY_API_KEY=dotenv-key-0123456\nCLOCKIFY_API_URL={fake.url}\n")
        params = StdioServerParameters(
            command=server_command(), env=clean_env(CLOCKIFY_TIMEZONE="UTC"), cwd=str(tmp_path)
        )
        async with Client(params) as client:
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert not result.is_error, text(result)
    [request] = fake.requests
    assert request.headers.get("X-Api-Key") == "dotenv-key-0123456"


@pytest.mark.e2e
def test_verbose_start_names_the_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CLOCKIFY_SANDBOX=true\n")
    proc = run_server("-v", env=clean_env(), cwd=tmp_path)
    assert proc.returncode == 0
    assert f"read CLOCKIFY_* settings from {tmp_path / '.env'}" in proc.stderr


def test_only_clockify_names_are_taken_and_nothing_enters_the_environment(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("CLOCKIFY_API_KEY=file-key-123456\nHTTPS_PROXY=http://127.0.0.1:9\nPATH=/evil\n")
    before = dict(os.environ)
    settings = Settings.from_env({}, dotenv_file=dotenv)
    assert settings.api_key == "file-key-123456" and settings.dotenv_path == str(dotenv)
    assert dict(os.environ) == before


def test_environment_wins_and_may_name_destinations_itself(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("CLOCKIFY_API_URL=https://evil.example/api/v1\nCLOCKIFY_TIMEZONE=Europe/Berlin\n")
    settings = Settings.from_env(
        {"CLOCKIFY_API_KEY": KEY, "CLOCKIFY_API_URL": "https://api.clockify.me/api/v1"}, dotenv_file=dotenv
    )
    assert settings.api_url == "https://api.clockify.me/api/v1"
    assert settings.timezone is not None and settings.timezone.key == "Europe/Berlin"


def test_dotenv_values_are_not_interpolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`${CLOCKIFY_API_KEY}` in a .env value stays literal, so no error message can echo the real key."""
    monkeypatch.setenv("CLOCKIFY_API_KEY", KEY)  # what interpolation would read
    dotenv = tmp_path / ".env"
    dotenv.write_text("CLOCKIFY_TIMEZONE=${CLOCKIFY_API_KEY}\n")
    with pytest.raises(ConfigError) as info:
        Settings.from_env(dotenv_file=dotenv)
    assert KEY not in str(info.value) and "${CLOCKIFY_API_KEY}" in str(info.value)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://api.clockify.me/api/v1", False),
        ("http://10.0.0.5:8080/api/v1", False),
        ("http://127.0.0.1:8765/api/v1", True),
        ("http://127.0.0.2:8765/api/v1", True),
        ("http://[::1]:8765/api/v1", True),
        ("http://localhost:8765/api/v1", True),
        ("https://api.clockify.me/api/v1", True),
    ],
)
def test_plain_http_to_another_machine_is_refused(url: str, allowed: bool) -> None:
    """Issue 11 #7: `CLOCKIFY_API_URL=http://api.clockify.me/...` was accepted and the key went in clear text."""
    env = {"CLOCKIFY_API_KEY": KEY, "CLOCKIFY_API_URL": url}
    if allowed:
        assert Settings.from_env(env).api_url == url
        return
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    assert "CLOCKIFY_ALLOW_INSECURE_HTTP" in str(info.value) and "\n" not in str(info.value)
    assert Settings.from_env({**env, "CLOCKIFY_ALLOW_INSECURE_HTTP": "true"}).api_url == url


def test_dotenv_cannot_allow_plain_http_for_an_environment_key(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("CLOCKIFY_ALLOW_INSECURE_HTTP=true\n")
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"CLOCKIFY_API_KEY": KEY}, dotenv_file=dotenv)
    assert "CLOCKIFY_ALLOW_INSECURE_HTTP" in str(info.value)


def test_max_response_size_setting() -> None:
    assert Settings.from_env({"CLOCKIFY_API_KEY": KEY}).max_response_bytes == 20_000_000
    assert (
        Settings.from_env({"CLOCKIFY_API_KEY": KEY, "CLOCKIFY_MAX_RESPONSE_MB": "2.5"}).max_response_bytes == 2_500_000
    )
