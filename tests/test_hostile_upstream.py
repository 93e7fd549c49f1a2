"""Issue 11, findings 2 to 4: an upstream that redirects, answers HTML, drips, stays silent or floods.

Each case is a real loopback HTTP server (tests/hostile_upstream.py) reached through the real httpx2 stack.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import anyio
import pytest

from helpers import ENTRY, USER, WS, P, settings, text
from hostile_upstream import Handler, answer, drip, gzip_bomb, hostile_upstream, silent
from mcp_server_clockify.capped import ACCEPT_ENCODING
from mcp_server_clockify.client import ClockifyClient
from mcp_server_clockify.server import build_server

pytestmark = pytest.mark.anyio

CREATE = ("create_time_entry", {"workspaceId": WS, "start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"})
DELETE = ("delete_entry", {"workspaceId": WS, "id": ENTRY})
READ = ("get_entry", {"workspaceId": WS, "id": ENTRY})
STOP = ("stop_running_time_entry", {"workspaceId": WS, "userId": USER, "end": "2026-11-28T10:00:00Z"})


async def _call(url: str, tool: str, arguments: dict[str, object], **overrides: object):
    from mcp import Client

    server = build_server(settings(api_url=url, **overrides))
    async with Client(server) as client:
        return await client.call_tool(f"clockify_time_tracking_{tool}", arguments)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(("tool", "arguments"), [CREATE, DELETE, READ])
async def test_a_redirect_is_an_error_never_success(status: int, tool: str, arguments: dict[str, object]) -> None:
    target = "https://elsewhere.example/api/v1/x"
    with hostile_upstream(answer(status, headers={"Location": target})) as upstream:
        result = await _call(upstream.url, tool, arguments)
    assert result.is_error, text(result)
    message = text(result)
    assert f"HTTP {status}" in message and f"redirect to {target}" in message
    assert "nothing is known to have changed" in message
    assert "done" not in message.lower().split("\n")[0]
    assert len(upstream.requests) == 1  # not followed, not retried


HTML = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Captive portal</body></html>"


@pytest.mark.parametrize(("tool", "arguments"), [CREATE, DELETE, READ, STOP])
async def test_a_2xx_html_page_is_an_error(tool: str, arguments: dict[str, object]) -> None:
    with hostile_upstream(answer(200, HTML, {"Content-Type": "text/html"})) as upstream:
        result = await _call(upstream.url, tool, arguments)
    assert result.is_error, text(result)
    message = text(result)
    assert "HTML page" in message and "CLOCKIFY_API_URL" in message
    if tool != "get_entry":  # a write: the agent is told to look before it repeats anything
        assert "outcome is unknown" in message


async def test_an_empty_2xx_is_still_success() -> None:
    with hostile_upstream(answer(204)) as upstream:
        result = await _call(upstream.url, *DELETE)
    assert not result.is_error and "no body" in text(result)


async def test_json_2xx_is_success() -> None:
    body = json.dumps({"id": ENTRY}).encode()
    with hostile_upstream(answer(200, body)) as upstream:
        result = await _call(upstream.url, *READ)
    assert not result.is_error and json.loads(text(result)) == {"id": ENTRY}


async def test_the_exchange_is_traced_only_until_the_request_starts_going_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A timeout's message needs only the phase the exchange reached (queued, connecting, sending); once the
    headers start going out nothing later changes it, so the steps after that are not traced at all."""
    import httpcore2._trace

    traced: list[str] = []
    original = httpcore2._trace.Trace.atrace

    async def recording(self: Any, name: str, info: dict[str, Any]) -> None:
        traced.append(f"{self.prefix}.{name}")
        await original(self, name, info)

    monkeypatch.setattr(httpcore2._trace.Trace, "atrace", recording)
    with hostile_upstream(answer(200, json.dumps({"id": ENTRY}).encode())) as upstream:
        result = await _call(upstream.url, *READ)
    assert not result.is_error, text(result)
    assert traced == [
        "connection.connect_tcp.started",
        "connection.connect_tcp.complete",
        "http11.send_request_headers.started",
        "http11.send_request_headers.complete",
    ]


# --- finding 3: one deadline over all attempts and the whole body; hung calls starve nobody ---------------------


def _split(slow: Handler) -> Handler:
    """`slow` for time entries, a quick JSON answer for everything else (GET /user, ...)."""
    quick = answer(200, json.dumps({"id": USER, "name": "Quick"}).encode())

    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        (slow if "/time-entries" in h.path else quick)(h, stop)

    return handle


@pytest.mark.parametrize("slow", [drip, silent], ids=["drip", "silent"])
@pytest.mark.parametrize(("tool", "arguments"), [READ, STOP], ids=["read", "write"])
async def test_slow_upstream_ends_by_the_deadline_while_another_tool_answers(
    slow: Handler, tool: str, arguments: dict[str, object]
) -> None:
    from mcp import Client

    timeout = 2.0
    done: dict[str, float] = {}
    results: dict[str, Any] = {}
    with hostile_upstream(_split(slow)) as upstream:
        server = build_server(settings(api_url=upstream.url, timeout=timeout))
        async with Client(server) as client:
            start = time.monotonic()

            async def run(name: str, tool: str, arguments: dict[str, object]) -> None:
                results[name] = await client.call_tool(f"clockify_time_tracking_{tool}", arguments)
                done[name] = time.monotonic() - start

            async with anyio.create_task_group() as group:
                group.start_soon(run, "slow", tool, arguments)
                await anyio.sleep(0.3)
                group.start_soon(run, "quick", "get_current_user", {})
    assert not results["quick"].is_error and done["quick"] < 1.5 and done["quick"] < done["slow"]
    assert timeout - 0.5 <= done["slow"] <= timeout + 1.0
    message = text(results["slow"])
    assert results["slow"].is_error and f"did not answer within {timeout:g} s (CLOCKIFY_TIMEOUT)" in message
    if tool != "get_entry":
        assert "outcome is unknown" in message
    assert sum("/time-entries" in path for _, path in upstream.requests) == 1  # the deadline covers all attempts


async def test_hung_reads_cannot_keep_a_write_from_being_sent() -> None:
    """Finding 3: 20 hung calls exhausted the pool and every other tool failed with "timed out connecting"."""
    from mcp import Client

    hung = ClockifyClient.READ_SLOTS + 12
    stopped = json.dumps({"id": ENTRY}).encode()

    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        (answer(200, stopped) if h.command == "PATCH" else silent)(h, stop)

    with hostile_upstream(handle) as upstream:
        server = build_server(settings(api_url=upstream.url, timeout=8.0, max_rps=1000.0))
        async with Client(server) as client, anyio.create_task_group() as group:
            for _ in range(hung):
                group.start_soon(client.call_tool, P + "get_entry", READ[1])
            with anyio.fail_after(5):  # until every read slot holds a hung call
                while len(upstream.requests) < ClockifyClient.READ_SLOTS:
                    await anyio.sleep(0.05)
            await anyio.sleep(0.3)
            start = time.monotonic()
            write = await client.call_tool(P + "stop_running_time_entry", STOP[1])
            took = time.monotonic() - start
            reads_sent = sum(method == "GET" for method, _ in upstream.requests)
    assert not write.is_error, text(write)
    assert took < 1.5
    assert reads_sent == ClockifyClient.READ_SLOTS  # the other reads wait for a slot, never for a write's


# --- finding 4: a streamed, decoded size cap --------------------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"[" + b"0," * 1_000_000 + b"0]", {"Content-Type": "application/json"}),
        (gzip_bomb(50 << 20)[0], {"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    ],
    ids=["plain-2MB", "gzip-bomb-50MB"],
)
async def test_an_answer_over_the_cap_is_an_error(body: bytes, headers: dict[str, str]) -> None:
    with hostile_upstream(answer(200, body, headers)) as upstream:
        result = await _call(upstream.url, *READ, max_response_bytes=1_000_000)
    assert result.is_error
    assert "larger than 1 MB (CLOCKIFY_MAX_RESPONSE_MB)" in text(result) and "page-size" in text(result)


@pytest.mark.parametrize(
    "encode",
    [_gzip, zlib.compress, lambda data: zlib.compress(data)[2:-4], lambda data: _gzip(data[:9]) + _gzip(data[9:])],
    ids=["gzip", "deflate", "raw-deflate", "gzip-two-members"],
)
async def test_compressed_answers_under_the_cap_are_decoded(encode: Callable[[bytes], bytes]) -> None:
    payload = {"id": ENTRY, "description": "x" * 30_000}
    body = encode(json.dumps(payload).encode())
    encoding = "gzip" if encode in (_gzip,) or body[:2] == b"\x1f\x8b" else "deflate"
    with hostile_upstream(answer(200, body, {"Content-Type": "application/json", "Content-Encoding": encoding})) as up:
        result = await _call(up.url, *READ, max_response_bytes=1_000_000)
    assert not result.is_error, text(result)[:300]
    assert json.loads(text(result)) == payload


async def test_an_encoding_not_asked_for_is_an_error() -> None:
    with hostile_upstream(answer(200, b"\x00\x01", {"Content-Encoding": "br"})) as upstream:
        result = await _call(upstream.url, *READ)
    assert result.is_error and "Content-Encoding br" in text(result)


def test_the_client_asks_only_for_encodings_it_caps() -> None:
    assert ACCEPT_ENCODING == "gzip, deflate"


# --- finding 7: an over-long argument is a validation error naming the field -----------------------------------


async def test_a_10_mb_filter_is_rejected_by_validation_naming_the_field() -> None:
    with hostile_upstream(answer(200, b"[]")) as upstream:
        result = await _call(
            upstream.url, "get_entries", {"workspaceId": WS, "userId": USER, "description": "x" * 10_000_000}
        )
    assert result.is_error
    assert "description: at most 5,000 characters (got 10,000,000)" in text(result)
    assert "nothing was sent" in text(result) and upstream.requests == []


async def test_nested_over_long_strings_are_named_by_their_path() -> None:
    from mcp_server_clockify.types import too_long

    assert too_long({"body": [{"description": "y" * 6000}], "ok": "z"}) == [
        "body[0].description: at most 5,000 characters (got 6,000)"
    ]


# --- one deadline per call: a tool that reads before it writes answers within CLOCKIFY_TIMEOUT in all ---------

UPDATE = ("update_time_entry", {"workspaceId": WS, "id": ENTRY, "description": "new"})
CURRENT = json.dumps(
    {
        "id": ENTRY,
        "description": "old",
        "timeInterval": {"start": "2026-11-28T09:00:00Z", "end": "2026-11-28T10:00:00Z"},
    }
).encode()


def _first_read_slow(delay: float, write: Handler) -> Handler:
    """The first GET of the entry answers after `delay` s, later GETs at once; writes go to `write`."""
    reads: list[None] = []

    def handle(h: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        if h.command != "GET":
            write(h, stop)
            return
        reads.append(None)
        if len(reads) == 1:
            stop.wait(delay)
        answer(200, CURRENT)(h, stop)

    return handle


async def test_the_reads_before_a_write_share_the_calls_deadline() -> None:
    """update_time_entry reads the entry twice (merge, then the check for a concurrent change) and writes: with a
    2 s CLOCKIFY_TIMEOUT, a 1.2 s first read and a write that never answers took 3.2 s (a deadline per request)."""
    timeout = 2.0
    with hostile_upstream(_first_read_slow(1.2, silent)) as upstream:
        start = time.monotonic()
        result = await _call(upstream.url, *UPDATE, timeout=timeout)
        took = time.monotonic() - start
    assert result.is_error and "outcome is unknown" in text(result), text(result)
    assert timeout - 0.3 <= took <= timeout + 0.7
    assert [method for method, _ in upstream.requests] == ["GET", "GET", "PUT"]


async def test_a_write_is_not_started_when_the_reads_left_too_little_of_the_deadline() -> None:
    timeout = 2.0
    with hostile_upstream(_first_read_slow(1.7, answer(200, CURRENT))) as upstream:
        result = await _call(upstream.url, *UPDATE, timeout=timeout)
    message = text(result)
    assert result.is_error and "was not sent and nothing was changed" in message, message
    assert "CLOCKIFY_TIMEOUT" in message and "outcome is unknown" not in message
    assert [method for method, _ in upstream.requests] == ["GET", "GET"]
