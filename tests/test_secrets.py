"""The API key never appears in a result, an error, a log line or a dry-run output, on any path."""

from __future__ import annotations

import logging

import httpx2
import pytest

from fake_http import fake_clockify
from helpers import ENTRY, USER, WS, call, reply, settings, text
from mcp_server_clockify.cli import RedactingFormatter
from servers import server_command, server_env

pytestmark = pytest.mark.anyio

KEY = "ck-DISTINCTIVE-5ecret-9f8e7d"
CONFIG = settings(api_key=KEY)
GET_ENTRY = ("get_entry", {"workspaceId": WS, "id": ENTRY})
CREATE = ("create_time_entry", {"workspaceId": WS, "start": "now"})


def echo(status: int, *, html: bool = False, raw: bool = False):
    """A Clockify that repeats the key it was sent back in its answer (the worst case)."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        sent = request.headers.get("x-api-key", "")
        if html:
            return httpx2.Response(status, text=f"<html><body>bad key {sent}</body></html>")
        if raw:
            return httpx2.Response(status, text=f"key={sent}")
        return httpx2.Response(status, json={"message": f"Api key {sent} does not exist", "code": 4003, "key": sent})

    return respond


def boom(exc: Exception):
    def respond(request: httpx2.Request) -> httpx2.Response:
        raise exc

    return respond


SCENARIOS = [
    (GET_ENTRY, echo(401)),
    (GET_ENTRY, echo(403)),
    (GET_ENTRY, echo(400)),
    (GET_ENTRY, echo(404)),
    (GET_ENTRY, echo(405)),
    (GET_ENTRY, echo(429)),
    (GET_ENTRY, echo(500)),
    (GET_ENTRY, echo(502, html=True)),
    (GET_ENTRY, echo(200, raw=True)),
    (GET_ENTRY, echo(200)),
    (CREATE, echo(500)),
    (CREATE, echo(201)),
    (GET_ENTRY, boom(httpx2.ConnectError(f"refused {KEY}"))),
    (GET_ENTRY, boom(httpx2.ReadTimeout(f"timeout {KEY}"))),
    (CREATE, boom(httpx2.RemoteProtocolError(f"dropped {KEY}"))),
    (("get_entry", {"workspaceId": KEY, "id": ENTRY}), reply(200, {})),
    (("stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "now"}), echo(404)),
]


@pytest.mark.parametrize(("tool", "responder"), SCENARIOS)
async def test_key_never_in_results_or_logs(tool, responder, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result, _ = await call(*tool, responder, config=CONFIG)
    assert KEY not in text(result)
    assert KEY not in caplog.text


async def test_key_never_in_dry_run_output() -> None:
    result, sent = await call(*CREATE, config=settings(api_key=KEY, dry_run=True))
    assert not sent and "Dry run" in text(result) and KEY not in text(result)


async def test_unexpected_error_is_logged_without_the_key(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The record the server really logs for an unexpected exception (traceback and all), through the formatter
    the command line installs: the exception's text is there, the key is not."""
    import mcp_server_clockify.execute as execute

    def fail(*args, **kwargs):
        raise RuntimeError(f"something mentioned {KEY}")

    monkeypatch.setattr(execute.results, "success", fail)
    caplog.set_level(logging.ERROR)
    result, _ = await call(*GET_ENTRY, reply(200, {}), config=CONFIG)
    assert result.is_error and "unexpected internal error" in text(result) and KEY not in text(result)
    [record] = [r for r in caplog.records if r.exc_info]
    line = RedactingFormatter("%(levelname)s %(name)s: %(message)s", CONFIG.secrets).format(record)
    assert "RuntimeError: something mentioned ***" in line and KEY not in line


@pytest.mark.e2e
def test_key_not_in_stderr_of_the_real_server_at_debug_level(tmp_path) -> None:
    """The installed server with -v (debug logging), failing calls included: stderr never shows the key."""
    import anyio
    from mcp import Client, StdioServerParameters

    def route(method: str, path: str, body: bytes) -> tuple[int, object]:
        return 500, {"message": "boom", "code": 500}

    with fake_clockify(route) as fake:
        env = server_env(CLOCKIFY_API_KEY=KEY, CLOCKIFY_API_URL=fake.url)
        errlog = tmp_path / "stderr.txt"

        async def session() -> None:
            with errlog.open("w") as err:
                params = StdioServerParameters(command=server_command(), args=["-v"], env=env)
                from mcp.client.stdio import stdio_client

                async with Client(stdio_client(params, errlog=err)) as client:
                    for tool, args in (GET_ENTRY, CREATE):
                        result = await client.call_tool("clockify_time_tracking_" + tool, args)
                        assert result.is_error and KEY not in text(result)

        anyio.run(session)
    logged = errlog.read_text()
    assert "DEBUG" in logged  # debug logging was on
    assert KEY not in logged
    assert all(r.headers.get("X-Api-Key") == KEY for r in fake.requests)  # and it was really sent


async def test_a_very_short_key_does_not_garble_results() -> None:
    """Redaction covers real keys; a few-character test key must not blank out letters everywhere."""
    result, _ = await call("get_entry", {"workspaceId": "x", "id": ENTRY}, config=settings(api_key="x"))
    assert "expected a Clockify id: 24 hexadecimal characters" in text(result)
