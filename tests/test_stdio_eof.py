"""stdio finishes what it started: a call received before stdin closes is still answered, within a bounded grace."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import anyio
import pytest
from mcp.shared.message import SessionMessage
from mcp_types import JSONRPCRequest, JSONRPCResponse

from fake_http import fake_clockify
from helpers import ENTRY, WS
from mcp_server_clockify.drain import EOF_GRACE, Drain
from servers import INIT, KEY, server_command, server_env

INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
CALL = {
    "jsonrpc": "2.0",
    "id": 2,
    "method": "tools/call",
    "params": {"name": "clockify_time_tracking_get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}},
}


@pytest.mark.e2e
def test_piped_call_is_answered_after_stdin_closes(tmp_path: Path) -> None:
    """`(initialize; call) | server`: Clockify takes 1.5 s to answer, stdin is already closed by then."""

    def slow(method: str, path: str, body: bytes) -> tuple[int, object]:
        time.sleep(1.5)
        return 200, {"id": ENTRY, "description": "answered after EOF"}

    with fake_clockify(slow) as fake:
        lines = "".join(json.dumps(m) + "\n" for m in (INIT, INITIALIZED, CALL))
        proc = subprocess.run(
            [server_command()],
            input=lines,
            env=server_env(CLOCKIFY_API_URL=fake.url),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    answers = {m["id"]: m for m in map(json.loads, proc.stdout.splitlines())}
    assert proc.returncode == 0, proc.stderr
    assert set(answers) == {1, 2}
    result = answers[2]["result"]
    assert not result.get("isError"), result
    assert "answered after EOF" in result["content"][0]["text"]
    assert [r.method for r in fake.requests] == ["GET"]
    assert fake.requests[0].headers.get("X-Api-Key") == KEY


def _request(id_: int) -> SessionMessage:
    return SessionMessage(JSONRPCRequest(jsonrpc="2.0", id=id_, method="tools/call", params={}))


@pytest.mark.anyio
async def test_end_of_stream_waits_for_pending_answers_only() -> None:
    send_in, upstream = anyio.create_memory_object_stream[SessionMessage | Exception](10)
    downstream, written = anyio.create_memory_object_stream[SessionMessage](10)
    drain = Drain(upstream, downstream, grace=5)
    await send_in.send(_request(7))
    await send_in.aclose()
    assert isinstance(await drain.reader.receive(), SessionMessage)

    async def answer_later() -> None:
        await anyio.sleep(0.2)
        await drain.writer.send(SessionMessage(JSONRPCResponse(jsonrpc="2.0", id=7, result={})))

    started = time.monotonic()
    async with anyio.create_task_group() as tg:
        tg.start_soon(answer_later)
        with pytest.raises(anyio.EndOfStream):
            await drain.reader.receive()
    assert 0.15 < time.monotonic() - started < 4  # ended when the answer was written, not at the grace limit
    assert (await written.receive()).message.id == 7


@pytest.mark.anyio
async def test_a_call_that_never_finishes_is_abandoned_after_the_grace_period() -> None:
    send_in, upstream = anyio.create_memory_object_stream[SessionMessage | Exception](10)
    downstream, _written = anyio.create_memory_object_stream[SessionMessage](10)
    drain = Drain(upstream, downstream, grace=0.3)
    await send_in.send(_request(8))
    await send_in.aclose()
    await drain.reader.receive()
    started = time.monotonic()
    with pytest.raises(anyio.EndOfStream):
        await drain.reader.receive()
    assert 0.25 < time.monotonic() - started < 3
    assert EOF_GRACE <= 15  # "short": a client that closed stdin is not kept waiting for long


@pytest.mark.anyio
async def test_nothing_pending_ends_at_once() -> None:
    send_in, upstream = anyio.create_memory_object_stream[SessionMessage | Exception](10)
    downstream, _written = anyio.create_memory_object_stream[SessionMessage](10)
    drain = Drain(upstream, downstream, grace=30)
    await send_in.aclose()
    with anyio.fail_after(2):
        with pytest.raises(anyio.EndOfStream):
            await drain.reader.receive()
