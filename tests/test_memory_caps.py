"""Issue 11, finding 4, measured where it matters: the real server process's resident memory.

A 200 MB answer peaked at 1.4 GB (642 MB still held after) and a 1 MB gzip bomb at 3.2 GB. The server now
streams the body, inflates it in bounded pieces and drops it at the cap (20 MB by default). The server runs as
a subprocess spoken to over stdio by hand, so its peak (VmHWM) and final (VmRSS) resident sizes can be read from
/proc; the upstream is a loopback server in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import ENTRY, WS
from hostile_upstream import answer, gzip_bomb, hostile_upstream, huge

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads resident memory from /proc"),
]

LIMIT_MB = 100


def _memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


class StdioServer:
    """The server as a subprocess, driven with newline-delimited JSON-RPC."""

    def __init__(self, url: str, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
        env.update({"CLOCKIFY_API_KEY": "memory-test-key-123", "CLOCKIFY_API_URL": url, "CLOCKIFY_TIMEZONE": "UTC"})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mcp_server_clockify"],
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._id = 0
        self.request(
            "initialize",
            {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
        )
        self.notify("notifications/initialized")

    def notify(self, method: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}) + "\n")
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self._id += 1
        self.process.stdin.write(
            json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}) + "\n"
        )
        self.process.stdin.flush()
        while True:
            message = json.loads(self.process.stdout.readline())
            if message.get("id") == self._id:
                return message

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.mark.parametrize(
    "kind",
    ["plain-200MB", "plain-200MB-no-length", "gzip-bomb-1MB"],
)
def test_huge_answers_stay_under_100_mb_resident(tmp_path: Path, kind: str) -> None:
    if kind.startswith("plain-200MB"):
        handler = huge(200_000_000, declared=not kind.endswith("no-length"))
    else:
        bomb, _ = gzip_bomb(1 << 30)  # 1 GiB of zeros in about 1 MB
        assert len(bomb) < 1_100_000
        handler = answer(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    with hostile_upstream(handler) as upstream:
        server = StdioServer(upstream.url, tmp_path)
        try:
            warm = server.request("tools/list", {})
            assert warm["result"]["tools"]
            before = _memory_mb(server.process.pid)
            reply = server.request(
                "tools/call",
                {"name": "clockify_time_tracking_get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}},
            )
            after = _memory_mb(server.process.pid)
        finally:
            server.close()
    result = reply["result"]
    assert result["isError"] and "CLOCKIFY_MAX_RESPONSE_MB" in result["content"][0]["text"]
    print(
        f"{kind}: resident before {before['VmRSS']:.1f} MB, peak {after['VmHWM']:.1f} MB, after {after['VmRSS']:.1f} MB"
    )
    assert after["VmHWM"] < LIMIT_MB
    assert after["VmRSS"] < before["VmRSS"] + 10  # the dropped body's memory was given back
