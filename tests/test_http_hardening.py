"""Issue 11, findings 5 and 6 (and the HTTP parts of 7), against the real server process on loopback.

5. `--host 127.0.0.2`, `127.255.255.254` or `0:0:0:0:0:0:0:1` counted as loopback (no token) without Host/Origin
   protection, and `--host [::1]` did not start.
6. 1,100 half-open connections against a 1,024-file limit locked out every legitimate client and flooded stderr.
"""

from __future__ import annotations

import json
import resource
import socket
import subprocess
import time
from typing import Any

import anyio
import httpx2
import pytest

from servers import INIT, MCP_HEADERS, announced, server_command, server_env

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


def _http(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return announced(
        [server_command(), "--transport", "http", "--port", "0", *args], r"at (http://\S+/mcp)", env=env or server_env()
    )


@pytest.mark.parametrize("host", ["127.0.0.2", "127.255.255.254", "0:0:0:0:0:0:0:1", "[::1]", "::1", "localhost"])
async def test_every_loopback_bind_refuses_a_foreign_host(host: str) -> None:
    with _http("--host", host) as server:
        async with httpx2.AsyncClient(timeout=10) as http:
            good = await http.post(server.url, json=INIT, headers=MCP_HEADERS)
            evil_host = await http.post(server.url, json=INIT, headers={**MCP_HEADERS, "Host": "attacker.example"})
            evil_port = await http.post(server.url, json=INIT, headers={**MCP_HEADERS, "Host": "attacker.example:8000"})
            evil_origin = await http.post(
                server.url, json=INIT, headers={**MCP_HEADERS, "Origin": "http://attacker.example"}
            )
    assert good.status_code == 200, good.text
    assert evil_host.status_code == evil_port.status_code == 421
    assert evil_origin.status_code == 403


def test_ipv6_loopback_url_is_announced_with_brackets() -> None:
    with _http("--host", "[::1]") as server:
        assert server.url.startswith("http://[::1]:")


def test_a_non_loopback_bind_still_needs_the_token() -> None:
    proc = subprocess.run(
        [server_command(), "--transport", "http", "--host", "::", "--port", "0"],
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2 and "CLOCKIFY_MCP_HTTP_TOKEN" in proc.stderr


def _limit_files(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))


async def test_half_open_flood_does_not_stop_a_legitimate_call() -> None:
    """1,100 connections that never finish a request, against a server limited to 1,024 open files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2048:  # this process holds the 1,100 attacking sockets
        if hard != resource.RLIM_INFINITY and hard < 2048:
            pytest.skip(f"needs 2,048 open files in the test process; the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (2048, hard))
    command = [server_command(), "--transport", "http", "--port", "0"]
    process_env = server_env()
    flood: list[socket.socket] = []
    try:
        with announced(["python3", "-c", _WITH_LIMIT, *command], r"at (http://\S+/mcp)", env=process_env) as server:
            port = int(server.url.rsplit(":", 1)[1].split("/")[0])
            for i in range(1100):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                if i % 2:  # half of them start a request and never finish its headers
                    s.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl")
                flood.append(s)
            start = time.monotonic()
            async with httpx2.AsyncClient(timeout=15) as http:
                good = await http.post(server.url, json=INIT, headers=MCP_HEADERS)
            took = time.monotonic() - start
            assert good.status_code == 200 and '"serverInfo"' in good.text
            assert took < 5, f"the legitimate call took {took:.1f} s"
            # a connection that never completes its request is closed by the server
            victim = flood[-1]
            victim.settimeout(15)
            assert victim.recv(1) == b""
        log = "".join(server.stderr)
    finally:
        for s in flood:
            s.close()
    assert len(log) < 20_000, f"stderr grew to {len(log)} characters"
    assert "Traceback" not in log


# The server under attack runs with a 1,024-file limit, as in the finding.
_WITH_LIMIT = (
    "import os, resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024)); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


async def test_bearer_scheme_is_case_insensitive() -> None:
    token = "tok-9f8e7d6c5b4a"
    env = server_env(CLOCKIFY_MCP_HTTP_TOKEN=token, CLOCKIFY_SANDBOX="true")
    with _http("--host", "0.0.0.0", env=env) as server:
        url = server.url.replace("0.0.0.0", "127.0.0.1")
        async with httpx2.AsyncClient(timeout=10) as http:
            answers = {
                scheme: (
                    await http.post(url, json=INIT, headers={**MCP_HEADERS, "Authorization": f"{scheme} {token}"})
                ).status_code
                for scheme in ("Bearer", "bearer", "BEARER", "bEaReR")
            }
            wrong = await http.post(url, json=INIT, headers={**MCP_HEADERS, "Authorization": f"Basic {token}"})
    assert set(answers.values()) == {200}, answers
    assert wrong.status_code == 401


# --- finding 7: sessions, DELETE during a call, stdio errors ---------------------------------------------------


async def _open_session(
    http: httpx2.AsyncClient, url: str, capabilities: dict[str, Any] | None = None
) -> httpx2.Response:
    opening = {**INIT, "params": {**INIT["params"], "capabilities": capabilities or {}}}  # type: ignore[dict-item]
    return await http.post(url, json=opening, headers=MCP_HEADERS)


def _messages(response: httpx2.Response) -> list[dict[str, Any]]:
    """The JSON-RPC messages of an answer: one JSON body, or the data lines of an event stream."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return [response.json()]
    return [
        json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:") and line[5:].strip()
    ]


async def test_one_client_cannot_take_every_session() -> None:
    env = server_env(CLOCKIFY_SANDBOX="true", CLOCKIFY_MCP_SESSIONS_PER_CLIENT="3")
    with _http(env=env) as server:
        async with httpx2.AsyncClient(timeout=10) as http:
            opened = [await _open_session(http, server.url) for _ in range(3)]
            refused = await _open_session(http, server.url)
            assert [r.status_code for r in opened] == [200, 200, 200]
            assert refused.status_code == 429 and refused.json()["error"]["code"] == -32000
            assert "Too many open sessions for this client" in refused.json()["error"]["message"]
            first = opened[0].headers["mcp-session-id"]
            gone = await http.delete(server.url, headers={**MCP_HEADERS, "mcp-session-id": first})
            assert gone.status_code == 200
            again = await _open_session(http, server.url)
            assert again.status_code == 200


async def test_a_session_that_never_calls_expires_soon() -> None:
    env = server_env(CLOCKIFY_SANDBOX="true", CLOCKIFY_MCP_FRESH_SESSION_IDLE="1", CLOCKIFY_MCP_SESSIONS_PER_CLIENT="2")
    with _http(env=env) as server:
        async with httpx2.AsyncClient(timeout=10) as http:
            idle = (await _open_session(http, server.url)).headers["mcp-session-id"]
            busy = (await _open_session(http, server.url)).headers["mcp-session-id"]
            session = {**MCP_HEADERS, "mcp-session-id": busy, "mcp-protocol-version": "2025-06-18"}
            note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
            assert (await http.post(server.url, json=note, headers=session)).status_code == 202
            for _ in range(3):  # the busy session keeps making calls
                await anyio.sleep(0.8)
                listed = await http.post(
                    server.url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=session
                )
                assert listed.status_code == 200
            await anyio.sleep(1.2)
            third = await _open_session(http, server.url)  # triggers the sweep; room again for this client
            stale = await http.post(
                server.url,
                json={"jsonrpc": "2.0", "id": 3, "method": "tools/list"},
                headers={**MCP_HEADERS, "mcp-session-id": idle, "mcp-protocol-version": "2025-06-18"},
            )
            alive = await http.post(
                server.url, json={"jsonrpc": "2.0", "id": 4, "method": "tools/list"}, headers=session
            )
    assert third.status_code == 200
    assert stale.status_code == 404
    assert alive.status_code == 200


def _silent_upstream(h, stop) -> None:  # type: ignore[no-untyped-def]
    stop.wait(60)


@pytest.mark.parametrize(
    ("capabilities", "content_type"),
    [({}, "application/json"), ({"elicitation": {"form": {}}}, "text/event-stream")],
    ids=["cannot-be-asked-json", "can-be-asked-event-stream"],
)
async def test_delete_during_a_call_answers_it_with_a_json_rpc_error(
    capabilities: dict[str, Any], content_type: str
) -> None:
    from hostile_upstream import hostile_upstream

    with hostile_upstream(_silent_upstream) as upstream:
        env = server_env(CLOCKIFY_API_URL=upstream.url, CLOCKIFY_TIMEOUT="30")
        with _http(env=env) as server:
            async with httpx2.AsyncClient(timeout=20) as http:
                opened = await _open_session(http, server.url, capabilities)
                session = {
                    **MCP_HEADERS,
                    "mcp-session-id": opened.headers["mcp-session-id"],
                    "mcp-protocol-version": "2025-06-18",
                }
                await http.post(
                    server.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=session
                )
                call = {
                    "jsonrpc": "2.0",
                    "id": 42,
                    "method": "tools/call",
                    "params": {
                        "name": "clockify_time_tracking_get_entry",
                        "arguments": {"workspaceId": "5f1d8c2e9a3b4c5d6e7f8a90", "id": "6501aa11bb22cc33dd44ee55"},
                    },
                }
                answer: dict[str, httpx2.Response] = {}

                async def run_call() -> None:
                    answer["call"] = await http.post(server.url, json=call, headers=session)

                async with anyio.create_task_group() as group:
                    group.start_soon(run_call)
                    with anyio.fail_after(10):
                        while not upstream.requests:
                            await anyio.sleep(0.05)
                    deleted = await http.delete(server.url, headers=session)
    assert deleted.status_code == 200
    response = answer["call"]
    assert response.headers["content-type"].startswith(content_type)
    messages = _messages(response)
    assert messages, f"the pending call got an empty answer: {response.status_code} {response.text!r}"
    [error] = [m for m in messages if m.get("id") == 42]
    assert error["error"]["code"] == -32800 and "session was deleted" in error["error"]["message"]


def test_stdio_answers_malformed_lines_like_http_does() -> None:
    init = json.dumps(INIT)
    lines = [
        "this is not json",
        '[{"jsonrpc": "2.0", "id": 5, "method": "ping"}]',
        '{"jsonrpc": "2.0", "id": 6}',
        init,
    ]
    proc = subprocess.run(
        [server_command(), "--sandbox"],
        input="\n".join(lines) + "\n",
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a.get("error", {}).get("code") for a in answers[:3]] == [-32700, -32600, -32600]
    assert all(a["id"] is None for a in answers[:3])
    assert answers[3]["id"] == 1 and "serverInfo" in answers[3]["result"]


def test_a_failed_accept_is_one_warning_line_and_other_loop_errors_still_reach_the_old_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """asyncio logs a traceback for every accept that fails for want of file descriptors (the flood above
    showed one when the machine was loaded); here it is one line."""
    import asyncio
    import errno

    from mcp_server_clockify import http_guard

    loop = asyncio.new_event_loop()
    try:
        before: list[dict[str, object]] = []
        loop.set_exception_handler(lambda _loop, context: before.append(context))
        http_guard.quiet_accept_failures(loop)
        failed = OSError(errno.EMFILE, "Too many open files")
        with caplog.at_level("WARNING"):
            loop.call_exception_handler({"message": http_guard.ACCEPT_FAILED, "exception": failed})
            loop.call_exception_handler({"message": "something else", "exception": ValueError("x")})
    finally:
        loop.close()
    [line] = [r for r in caplog.records if r.name == "mcp_server_clockify.http_guard"]
    assert line.getMessage() == "could not accept a connection (Too many open files); asyncio accepts again in 1 s"
    assert line.exc_info is None
    assert [c["message"] for c in before] == ["something else"]
