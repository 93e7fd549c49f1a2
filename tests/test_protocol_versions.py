"""Every protocol version the SDK speaks, over stdio against the real process; stdout carries only JSON-RPC."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS

from fake_http import fake_clockify
from helpers import ENTRY, WS, text
from mcp_server_clockify.tools import OPERATIONS
from servers import server_command, server_env

pytestmark = pytest.mark.e2e

ALL_TOOLS = {op.name for op in OPERATIONS}


def route(method: str, path: str, body: bytes) -> tuple[int, object]:
    if method == "GET" and path == f"/api/v1/workspaces/{WS}/time-entries/{ENTRY}":
        return 200, {"id": ENTRY, "description": "raw"}
    return 500, {"message": "unexpected", "code": 500}


class RawStdio:
    """A minimal JSON-RPC peer on the server's stdin/stdout, so any protocol version can be offered."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [server_command(), *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.lines: list[bytes] = []
        self._id = 0

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._id += 1
        self.send({"jsonrpc": "2.0", "id": self._id, "method": method, **({"params": params} if params else {})})
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            assert line, f"server closed stdout; stderr: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
            self.lines.append(line)
            message = json.loads(line)
            if message.get("id") == self._id:
                return message

    def close(self) -> tuple[bytes, bytes]:
        """Close stdin (the end of the session) and collect what is left of stdout and stderr."""
        out, err = self.proc.communicate(timeout=30)
        return out, err


@pytest.mark.parametrize("version", HANDSHAKE_PROTOCOL_VERSIONS)
def test_handshake_versions(version: str) -> None:
    assert "2025-06-18" in HANDSHAKE_PROTOCOL_VERSIONS and "2025-11-25" in HANDSHAKE_PROTOCOL_VERSIONS
    with fake_clockify(route) as fake:
        peer = RawStdio(env=server_env(CLOCKIFY_API_URL=fake.url))
        try:
            init = peer.request(
                "initialize",
                {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
            )
            assert init["result"]["protocolVersion"] == version
            assert "get_current_user" in init["result"]["instructions"]
            peer.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
            listed = peer.request("tools/list")
            assert {t["name"] for t in listed["result"]["tools"]} == ALL_TOOLS
            good = peer.request(
                "tools/call",
                {"name": "clockify_time_tracking_get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}},
            )
            assert good["result"]["isError"] is False
            assert json.loads(good["result"]["content"][0]["text"]) == {"id": ENTRY, "description": "raw"}
            bad = peer.request("tools/call", {"name": "clockify_time_tracking_get_entry", "arguments": {"id": 7}})
            assert bad["result"]["isError"] is True
        finally:
            peer.close()


@pytest.mark.anyio
@pytest.mark.parametrize("mode", [*MODERN_PROTOCOL_VERSIONS, "auto", "legacy"])
async def test_sdk_client_each_era_over_stdio(mode: str) -> None:
    with fake_clockify(route) as fake:
        params = StdioServerParameters(command=server_command(), env=server_env(CLOCKIFY_API_URL=fake.url))
        async with Client(params, mode=mode) as client:
            if mode in MODERN_PROTOCOL_VERSIONS:
                assert client.protocol_version == mode
            tools = await client.list_tools()
            assert {t.name for t in tools.tools} == ALL_TOOLS
            result = await client.call_tool("clockify_time_tracking_get_entry", {"workspaceId": WS, "id": ENTRY})
            assert json.loads(text(result))["description"] == "raw"


def test_stdout_carries_only_json_rpc_even_with_debug_logging() -> None:
    """Byte for byte: every line on stdout is a JSON-RPC message; the debug log went to stderr."""
    with fake_clockify(route) as fake:
        peer = RawStdio("-v", env=server_env(CLOCKIFY_API_URL=fake.url))
        peer.request(
            "initialize",
            {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
        )
        peer.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        peer.request("tools/list")
        peer.request(
            "tools/call", {"name": "clockify_time_tracking_get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}}
        )
        peer.request(
            "tools/call", {"name": "clockify_time_tracking_create_time_entry", "arguments": {"workspaceId": WS}}
        )
        peer.request("tools/call", {"name": "nope", "arguments": {}})
        peer.send({"jsonrpc": "2.0", "id": 99, "method": "no/such/method"})
        rest, err = peer.close()
    stdout = b"".join(peer.lines) + rest
    assert stdout.endswith(b"\n")
    for line in stdout.splitlines():
        message = json.loads(line)
        assert message["jsonrpc"] == "2.0"
        assert "id" in message or "method" in message
    assert b"DEBUG" in err  # the debug log exists, and it is on stderr
