"""mcp-server-clockify benchmarks: cold start, per-call overhead, throughput, memory, the size of tools/list, what
each part of a call costs, and how the cost grows with the data.

    python benchmarks/run.py [--quick] [--in-place] [--no-breakdown] [--out benchmarks/RESULTS.md]

Everything runs against the sandbox served on real loopback HTTP (`mcp-server-clockify sandbox-server`), seeded
with 1,000 more time entries over 52 weeks. The server under test is the `mcp-server-clockify` console script
installed, as a user installs it (`pip install .`, no dev extras), into a venv of its own under .cache/bench-venv;
the bare-SDK baseline runs in that same venv. `--in-place` uses the venv of the Python running this script instead.

The per-call targets are measured side by side: every sample is one no-op call to a bare low-level SDK server,
one `get_entry` call to this server (both over stdio) and the same GET made directly with httpx2.AsyncClient,
interleaved so that load on the machine hits all three alike. The breakdown runs the server under cProfile
(switched on after warm-up by SIGUSR1) over many calls. Prints markdown tables (with the targets, met or
missed) and writes them to --out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar, cast

import httpx2

from mcp_server_clockify.sandbox import (
    OWNER_ID,
    PROJECT_WEBSITE_ID,
    RUNNING_ENTRY_ID,
    SANDBOX_API_KEY,
    TAG_MEETING_ID,
    TASK_WEBSITE_DESIGN_ID,
    WORKSPACE_ID,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable  # replaced by the bench venv's python in main()
SERVER = str(Path(PYTHON).with_name("mcp-server-clockify"))
KEY = SANDBOX_API_KEY  # the sandbox server answers only its seeded users' keys
PROTOCOL = "2025-11-25"
MODERN = "2026-07-28"
"""The sessionless protocol era: one POST per call, handled in the HTTP request's own task (SDK 2.3's Client
speaks it by default when the server offers it; older clients and the Inspector use PROTOCOL)."""
META = "io.modelcontextprotocol/"
TOOL = "clockify_time_tracking_"

WS, ENTRY = WORKSPACE_ID, RUNNING_ENTRY_ID  # seeded in the sandbox
SEEDED = 1000  # extra entries of the key owner, spread over the last 52 weeks

# Targets of issue 16, against the figures measured before it (benchmarks/RESULTS.md of 2026-11-28).
OLD_RSS_AFTER = 69.6  # MB after 1,000 calls, measured 2026-11-28 (the same code measures more on a later day)
OLD_BARE_MS = 0.47  # the same no-op call on 2026-11-28 (README): how fast the machine was when the targets were set
BASELINE = "7cd03a3"  # main when issue 16 began: measured again, side by side, in every run


@dataclass
class Row:
    metric: str
    value: str
    target: str = ""
    ok: bool | None = None


# --- helpers ----------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident MB from /proc/<pid>/status: VmRSS (all of it), or RssAnon (its own memory: heap and
    stacks, without the pages of mapped files such as shared libraries, which the page cache holds)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def background(
    command: list[str],
    pattern: str,
    env: dict[str, str] | None = None,
    pids: list[int] | None = None,
) -> Iterator[str]:
    """Start a server process and yield the URL it announces on stderr (its pid is added to `pids`)."""
    proc = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if pids is not None:
        pids.append(proc.pid)
    found: dict[str, str] = {}
    ready = threading.Event()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            match = re.search(pattern, line)
            if match and not found:
                found["url"] = match.group(1)
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    ready.wait(30)
    try:
        if "url" not in found:
            raise SystemExit(f"could not start {command}")
        yield found["url"]
    finally:
        proc.terminate()
        proc.wait(10)


# The client-side limit (CLOCKIFY_MAX_RPS, default 50 like Clockify's) would pace a tight benchmark loop at
# 50 calls per second; it is lifted here so the numbers show the server's own cost.
UNLIMITED = "1000000"


def server_env(api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    env.update(
        {
            "CLOCKIFY_API_KEY": KEY,
            "CLOCKIFY_API_URL": api_url,
            "CLOCKIFY_TIMEZONE": "UTC",
            "CLOCKIFY_MAX_RPS": UNLIMITED,
        }
    )
    return env


T = TypeVar("T")


def rotated(items: Iterable[T], shift: int) -> list[T]:
    """`items` turned left by `shift` (modulo their number): round i of a loop starts with item i.

    In a loop that calls several stdio servers in turn, whichever is called first in a round answers about 0.08 ms
    slower than it does later in the round (two identical servers, 400 rounds: 0.086 ms). Turning the order every
    round makes each server first as often as the others, so that cost falls on none of them in particular."""
    listed = list(items)
    cut = shift % len(listed) if listed else 0
    return listed[cut:] + listed[:cut]


def paired(first: Callable[[], object], second: Callable[[], object], rounds: int) -> tuple[list[float], list[float]]:
    """Seconds per call of `first` and of `second`, called in turn `rounds` times, the order turned every round
    (see rotated; in process the one called first is slower too, by less: 0.007 ms on the 50-entry pass)."""
    spent: tuple[list[float], list[float]] = ([], [])
    calls = (first, second)
    for i in range(rounds):
        for k in rotated((0, 1), i):
            t0 = time.perf_counter()
            calls[k]()
            spent[k].append(time.perf_counter() - t0)
    return spent


def paired_p50(pair: tuple[list[float], list[float]]) -> float:
    """The p50 of the paired differences (first - second) of two series `paired` measured."""
    return statistics.median(a - b for a, b in zip(*pair, strict=True))


class Stdio:
    """A server over stdio, driven with raw JSON-RPC (the thinnest possible client)."""

    def __init__(self, env: dict[str, str], command: list[str] | None = None) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            command or [SERVER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._id = 0

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], bytes]:
        self._id += 1
        self.send({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params or {}})
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server closed stdout")
            message = json.loads(line)
            if message.get("id") == self._id:
                return message, line

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        answer, _ = self.request("tools/call", {"name": name, "arguments": arguments})
        result: dict[str, Any] = answer["result"]
        assert not result.get("isError"), result
        return result

    def handshake(self) -> Stdio:
        self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"},
            },
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return self

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


# The floor: the SDK's low-level server answering a tool that does nothing, over the same stdio transport.
BARE_SERVER = """
import anyio, mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
TOOL = types.Tool(name="noop", input_schema={"type": "object"})
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[TOOL])
async def call_tool(ctx, params):
    return types.CallToolResult(content=[types.TextContent(type="text", text="ok")])
async def main():
    server = Server("bare", on_list_tools=list_tools, on_call_tool=call_tool)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
anyio.run(main)
"""

# The answer's bytes alone: the SDK's low-level server whose one tool answers the text in the file argv[1].
ECHO_SERVER = """
import sys, anyio, mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
TEXT = open(sys.argv[1], encoding="utf-8").read()
TOOL = types.Tool(name="echo", input_schema={"type": "object"})
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[TOOL])
async def call_tool(ctx, params):
    return types.CallToolResult(content=[types.TextContent(type="text", text=TEXT)])
async def main():
    server = Server("echo", on_list_tools=list_tools, on_call_tool=call_tool)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
anyio.run(main)
"""

# The floor with a request: the SDK's low-level server whose one tool makes the same GET with an httpx2.AsyncClient
# used the usual way and answers its body as text; over stdio (argv[5] "stdio") or streamable HTTP (JSON answers and
# no OpenTelemetry span, as this server answers a client that declared no elicitation).
FLOOR_SERVER = """
import socket, sys, anyio, httpx2, mcp_types as types
from mcp.server.lowlevel import Server
upstream = sys.argv[1]
TOOL = types.Tool(name=sys.argv[2], input_schema={"type": "object"})
clients = []
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[TOOL])
async def call_tool(ctx, params):
    if not clients:
        clients.append(httpx2.AsyncClient(headers={"X-Api-Key": sys.argv[3]}))
    answer = await clients[0].get(upstream + sys.argv[4])
    return types.CallToolResult(content=[types.TextContent(type="text", text=answer.text)])
server = Server("floor", on_list_tools=list_tools, on_call_tool=call_tool)
if sys.argv[5] == "stdio":
    from mcp.server.stdio import stdio_server
    async def main():
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())
    anyio.run(main)
else:
    import uvicorn
    server.middleware = []
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"serving at http://127.0.0.1:{sock.getsockname()[1]}/mcp", file=sys.stderr, flush=True)
    config = uvicorn.Config(server.streamable_http_app(json_response=True), log_level="warning", access_log=False)
    anyio.run(lambda: uvicorn.Server(config).serve(sockets=[sock]))
"""


def floor_command(api_url: str, transport: str) -> list[str]:
    """The floor server's command line, its tool named like get_entry and making get_entry's GET."""
    path = f"/workspaces/{WS}/time-entries/{ENTRY}"
    return [PYTHON, "-c", FLOOR_SERVER, api_url, get_entry_args()["name"], KEY, path, transport]


# The server, with cProfile switched on by SIGUSR1 and written to argv[1] by SIGUSR2 (start-up stays out).
PROFILED_SERVER = """
import cProfile, signal, sys, time
out = sys.argv[1]
profile = cProfile.Profile(time.thread_time)  # CPU time of the event loop's thread: load elsewhere does not count
signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
def dump(*_):
    profile.disable()
    profile.dump_stats(out + ".part")
    __import__("os").replace(out + ".part", out)
signal.signal(signal.SIGUSR2, dump)
sys.argv = ["mcp-server-clockify", *sys.argv[2:]]
from mcp_server_clockify.cli import main
main()
"""


# A plain local HTTP server: answers each request with a recorded body chosen by the longest path prefix in
# argv[1] (a JSON map prefix -> file; "" is the default), keep-alive, no parsing beyond the request line and the
# end of the headers. Against it the direct httpx2 GET is the client's cost alone.
STUB_UPSTREAM = """
import asyncio, json, sys
head = b"HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: %d\\r\\n\\r\\n"
bodies = {p: open(f, "rb").read() for p, f in json.load(open(sys.argv[1])).items()}
routes = sorted(((p.encode(), head % len(b) + b) for p, b in bodies.items()), key=lambda r: -len(r[0]))
class Answer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        while b"\\r\\n\\r\\n" in self.buffer:
            request, _, self.buffer = self.buffer.partition(b"\\r\\n\\r\\n")
            target = request.split(b" ", 2)[1]
            path = target.split(b"?", 1)[0].split(b"/api/v1", 1)[-1]
            self.transport.write(next(a for p, a in routes if path.startswith(p)))
async def main():
    server = await asyncio.get_running_loop().create_server(Answer, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"stub at http://127.0.0.1:{port}/api/v1", file=sys.stderr, flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


class HttpCaller:
    """One MCP session over streamable HTTP on one keep-alive connection, driven with raw HTTP/1.1 and JSON-RPC.
    The load generator shares the machine with the server under test, so it should cost as little as possible:
    through httpx it cost two thirds of what the server did per call, and the machine has two cores."""

    def __init__(self, url: str, protocol: str = PROTOCOL) -> None:
        self.protocol = protocol
        """PROTOCOL: a session opened by `initialize`; MODERN: each call stands alone (no session)."""
        parts = httpx2.URL(url)
        self.host, self.port, self.path = parts.host, parts.port or 80, parts.raw_path.decode()
        self.headers = {
            "Host": f"{self.host}:{self.port}",
            "Accept": "application/json, text/event-stream",
            "Content-Type": "application/json",
        }
        self._id = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, message: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = json.dumps(message, separators=(",", ":")).encode()
        head = f"POST {self.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        self.writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readline()
            data = b"".join(chunks)
        else:
            data = b""
        return status, headers, data

    async def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self._id += 1
        status, headers, data = await self.post({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params})
        if status != 200:
            raise RuntimeError(f"{method}: HTTP {status} {data[:200]!r}")
        if "mcp-session-id" in headers:
            self.headers["mcp-session-id"] = headers["mcp-session-id"]
        if headers.get("content-type", "").startswith("text/event-stream"):
            for line in data.decode().splitlines():
                if line.startswith("data:") and line[5:].strip():
                    reply = json.loads(line[5:])
                    if reply.get("id") == self._id:
                        return dict(reply)
            raise RuntimeError(f"no answer to {method} in the event stream")
        return dict(json.loads(data))

    async def open(self) -> HttpCaller:
        if self.protocol == MODERN:
            self.headers["mcp-protocol-version"] = MODERN
            return self
        await self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"},
            },
        )
        self.headers["mcp-protocol-version"] = PROTOCOL
        status, _, _ = await self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert status == 202, status
        return self

    async def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"name": name, "arguments": arguments}
        if self.protocol == MODERN:  # the envelope and routing headers a 2026-07-28 request carries
            params["_meta"] = {META + "protocolVersion": MODERN, META + "clientCapabilities": {}}
            self.headers.update({"Mcp-Method": "tools/call", "Mcp-Name": name})
        reply = await self.request("tools/call", params)
        result: dict[str, Any] = reply["result"]
        assert not result.get("isError"), result
        return result

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def stub_upstream(api_url: str, folder: Path) -> Any:
    """The plain local HTTP server, answering with the sandbox's own bodies: get_entry's for any path, a page of
    50 of the owner's entries, and the workspace's projects, tags and users (what names are read from)."""
    routes = {
        "": f"/workspaces/{WS}/time-entries/{ENTRY}",
        f"/workspaces/{WS}/user/{OWNER_ID}/time-entries": f"/workspaces/{WS}/user/{OWNER_ID}/time-entries?page-size=50",
        f"/workspaces/{WS}/projects": f"/workspaces/{WS}/projects?hydrated=true&page-size=500",
        f"/workspaces/{WS}/tags": f"/workspaces/{WS}/tags?page-size=500",
        f"/workspaces/{WS}/users": f"/workspaces/{WS}/users?page-size=500",
    }
    files = {}
    for i, (prefix, source) in enumerate(routes.items()):
        body = httpx2.get(api_url + source, headers={"X-Api-Key": KEY})
        body.raise_for_status()
        files[prefix] = str(folder / f"stub-{i}.json")
        Path(files[prefix]).write_bytes(body.content)
    (folder / "routes.json").write_text(json.dumps(files))
    return background(
        [PYTHON, "-c", STUB_UPSTREAM, str(folder / "routes.json")],
        r"at (http://\S+/api/v1)",
    )


def get_entry_args() -> dict[str, Any]:
    return {"name": TOOL + "get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}}


def entries_args(size: int) -> dict[str, Any]:
    return {"workspaceId": WS, "userId": OWNER_ID, "page-size": size}


def seed_entries(api_url: str, count: int) -> None:
    """`count` finished entries of the key owner, one every 52 weeks / count, with a project, task and tag."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    step = dt.timedelta(weeks=52) / count
    with httpx2.Client(base_url=api_url, headers={"X-Api-Key": KEY}) as http:
        for i in range(count):
            start = now - step * (i + 1)
            body = {
                "start": start.isoformat().replace("+00:00", "Z"),
                "end": (start + min(step / 2, dt.timedelta(hours=3))).isoformat().replace("+00:00", "Z"),
                "description": f"bench entry {i}",
                "projectId": PROJECT_WEBSITE_ID,
                "taskId": TASK_WEBSITE_DESIGN_ID,
                "tagIds": [TAG_MEETING_ID],
                "billable": True,
            }
            http.post(f"/workspaces/{WS}/time-entries", json=body).raise_for_status()


def result_bytes(result: dict[str, Any]) -> int:
    return sum(len(c.get("text", "").encode()) for c in result["content"])


# --- measurements -----------------------------------------------------------------------------------------------


def cold_start(api_url: str, runs: int) -> tuple[float, float]:
    """Median seconds from process start to the tools/list answer; median of a bare SDK import."""
    times = []
    for _ in range(runs):
        server = Stdio(server_env(api_url)).handshake()
        server.request("tools/list")
        times.append(time.perf_counter() - server.started)
        server.close()
    bare = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-c", "import mcp.server.lowlevel, mcp.server.stdio"], check=True)
        bare.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(bare)


@dataclass
class SideBySide:
    bare: list[float]
    ours: list[float]
    direct: list[float]
    old: list[float]
    floor: list[float]
    """The floor server's get_entry (the SDK's bare server whose tool makes the same GET), interleaved likewise."""
    rss_start: float
    rss_after: float
    old_rss_after: float
    tools_bytes: int


def side_by_side(api_url: str, calls: int, old_server: str | None) -> SideBySide:
    """Interleaved samples over stdio: a no-op call to the bare SDK server, get_entry to ours (and to the old
    server, when given) and to the floor server, and the same GET made directly with httpx2.AsyncClient; then RSS
    after 1,000 calls."""
    env = server_env(api_url)
    ours = Stdio(env).handshake()
    bare = Stdio(env, [PYTHON, "-c", BARE_SERVER]).handshake()
    floor = Stdio(env, floor_command(api_url, "stdio")).handshake()
    old = Stdio(env, [old_server]).handshake() if old_server else None
    listed, _ = ours.request("tools/list")
    time.sleep(0.2)
    rss_start = rss_mb(ours.proc.pid)
    tool = get_entry_args()
    path = f"/workspaces/{WS}/time-entries/{ENTRY}"

    async def run() -> list[list[float]]:
        times: list[list[float]] = [[], [], [], [], []]
        async with httpx2.AsyncClient(base_url=api_url, headers={"X-Api-Key": KEY}) as http:

            async def direct() -> None:
                (await http.get(path)).raise_for_status()

            async def step(server: Stdio | None, name: str, arguments: dict[str, Any]) -> None:
                if server:
                    server.call(name, arguments)

            steps: list[Callable[[], Awaitable[None]]] = [
                lambda: step(bare, "noop", {}),
                lambda: step(ours, tool["name"], tool["arguments"]),
                direct,
                lambda: step(old, tool["name"], tool["arguments"]),
                lambda: step(floor, tool["name"], {}),
            ]
            for i in range(calls + 20):  # the first 20 warm pools and validators
                spent = [0.0] * len(steps)
                for k in rotated(range(len(steps)), i):  # each goes first as often as the others
                    t0 = time.perf_counter()
                    await steps[k]()
                    spent[k] = time.perf_counter() - t0
                if i >= 20:
                    for series, value in zip(times, spent, strict=True):
                        series.append(value)
        return times

    try:
        bare_t, ours_t, direct_t, old_t, floor_t = asyncio.run(run())
        for _ in range(max(0, 1000 - calls - 20)):
            ours.call(tool["name"], tool["arguments"])
            if old:
                old.call(tool["name"], tool["arguments"])
        rss_after = rss_mb(ours.proc.pid)
        old_rss = rss_mb(old.proc.pid) if old else float("nan")
    finally:
        for server in (ours, bare, floor, old):
            if server:
                server.close()
    tools = listed["result"]["tools"]
    size = len(json.dumps(tools, separators=(",", ":")))
    return SideBySide(bare_t, ours_t, direct_t, old_t, floor_t, rss_start, rss_after, old_rss, size)


def memory_after_calls(api_url: str, servers: list[str], rounds: int) -> list[list[tuple[float, float]]]:
    """Resident MB (VmRSS, RssAnon) of each server (fresh process) after 1,000 get_entry calls over stdio, `rounds`
    times, alternating: one reading of RSS moves by a few hundred kB from run to run.

    Two installs are compared by RssAnon. VmRSS also counts the mapped pages of shared libraries, and how many of
    those are resident depends on the page cache, not on the code: two venvs with the same packages and the same
    code measured 66.8 and 65.9 MB of VmRSS after import, with the same 45.76 MB of RssAnon (2026-11-30)."""
    readings: list[list[tuple[float, float]]] = [[] for _ in servers]
    tool = get_entry_args()
    for _ in range(rounds):
        for i, command in enumerate(servers):
            server = Stdio(server_env(api_url), [command]).handshake()
            try:
                server.request("tools/list")
                for _ in range(1000):
                    server.call(tool["name"], tool["arguments"])
                readings[i].append((rss_mb(server.proc.pid), rss_mb(server.proc.pid, "RssAnon")))
            finally:
                server.close()
    return readings


def http_throughput(
    command: list[str], api_url: str, callers: int, calls: int, protocol: str = PROTOCOL
) -> tuple[float, float]:
    """Calls per second with `callers` concurrent sessions over streamable HTTP to one server process (started
    with `command`), and the CPU seconds that process spent per call while they ran."""
    pids: list[int] = []
    with background(command, r"at (http://\S+/mcp)", env=server_env(api_url), pids=pids) as url:
        before: list[float] = []
        mark = lambda: before.append(cpu_seconds(pids[0]))  # noqa: E731
        rate = asyncio.run(_http_load(url, callers, calls, mark, protocol))
        return rate, (cpu_seconds(pids[0]) - before[0]) / (callers * calls)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _http_load(
    url: str, callers: int, calls: int, between: Callable[[], None] | None = None, protocol: str = PROTOCOL
) -> float:
    """Each caller opens a session and calls get_entry `calls` times; `between` runs once all are open and warm."""
    tool = get_entry_args()
    ready = asyncio.Barrier(callers + 1)
    done = asyncio.Barrier(callers + 1)

    async def caller() -> None:
        session = await HttpCaller(url, protocol).open()
        try:
            for _ in range(3):
                await session.call(tool["name"], tool["arguments"])
            await ready.wait()
            for _ in range(calls):
                await session.call(tool["name"], tool["arguments"])
            await done.wait()
        finally:
            session.close()

    async def clock() -> float:
        await ready.wait()
        if between:
            between()
        t0 = time.perf_counter()
        await done.wait()
        return time.perf_counter() - t0

    elapsed, *_ = await asyncio.gather(clock(), *(caller() for _ in range(callers)))
    return callers * calls / elapsed


@dataclass
class NamesCost:
    with_both: list[float]
    without: list[float]
    """Seconds per call, end to end, with names and local times and without (paired by round, all pairs)."""
    added: list[float]
    """Per pair of fresh processes: the p50 of its paired differences (with - without), seconds."""
    control: list[float]
    """The same for each control pair: two servers without names, measured the same way beside each pair."""
    bytes_alone: list[float]
    """The same for each pair of SDK servers answering the two texts (with, without) and doing nothing else."""
    cpu_with: float
    cpu_without: float
    """The server process's CPU seconds per call (all its threads), over the same timed rounds."""
    text_with: int
    text_without: int
    """Characters of the answer's JSON text."""


@dataclass
class PairRun:
    """One pair of fresh stdio servers called in turn: seconds per call, CPU seconds per call, the answer's text."""

    times: tuple[list[float], list[float]]
    cpu: tuple[float, float]
    texts: tuple[str, str]


def pair_run(
    envs: tuple[dict[str, str], dict[str, str]],
    args: dict[str, Any],
    rounds: int,
    swap: bool,
    commands: tuple[list[str] | None, list[str] | None] = (None, None),
    tool: str = TOOL + "get_entries",
) -> PairRun:
    """`tool` with `args` on two fresh stdio servers (this server unless `commands` are given; started with `envs`,
    the second one first when `swap`), called in turn `rounds` times after 20 warm-up rounds."""
    started: dict[int, Stdio] = {}
    try:
        for k in (1, 0) if swap else (0, 1):
            started[k] = Stdio(envs[k], commands[k])
        servers = [started[0], started[1]]
        for server in servers:
            server.handshake()
        first, second = (lambda s=s: s.call(tool, args) for s in servers)
        texts = (first()["content"][0]["text"], second()["content"][0]["text"])
        paired(first, second, 20)  # warms pools, caches and validators
        cpu = [cpu_seconds(server.proc.pid) for server in servers]
        times = paired(first, second, rounds)
        used = [(cpu_seconds(server.proc.pid) - before) / rounds for server, before in zip(servers, cpu, strict=True)]
    finally:
        for server in started.values():
            server.close()
    return PairRun(times, (used[0], used[1]), texts)


def names_cost(stub_url: str, calls: int, pairs: int = 6) -> NamesCost | str:
    """get_entries (a page of 50 entries from the stub) end to end over stdio, interleaved: with names and local
    times (Europe/Berlin, the sandbox owner's zone) and without (CLOCKIFY_NAMES=false, shown in UTC, where an
    instant stays as Clockify wrote it).

    Two processes of the same server differ by themselves: two servers without names, 300 rounds, differed by
    -0.15 to +0.17 ms from one pair of fresh processes to the next (8 pairs, 2026-12-01), as much as the target.
    So the `calls` rounds are spread over `pairs` pairs of fresh processes, the one started first taking turns,
    and the verdict is the median of the pairs' own p50 differences. Beside each pair a control pair, two servers
    without names, is measured the same way: what the method reads when nothing differs. And a pair of the SDK's
    bare servers answering the two texts: what the larger answer's bytes alone cost (the SDK's message, the pipe,
    the client's read)."""
    from mcp_server_clockify.config import Settings

    if "names" not in Settings.__dataclass_fields__:
        return "names next to ids are not on this branch (CLOCKIFY_NAMES)"
    on = {**server_env(stub_url), "CLOCKIFY_TIMEZONE": "Europe/Berlin"}
    off = {**server_env(stub_url), "CLOCKIFY_NAMES": "false"}
    args, rounds = entries_args(50), max(1, calls // pairs)
    cost = NamesCost([], [], [], [], [], 0.0, 0.0, 0, 0)
    with tempfile.TemporaryDirectory() as folder:
        texts = [Path(folder, "with.json"), Path(folder, "without.json")]
        echo = tuple([PYTHON, "-c", ECHO_SERVER, str(text)] for text in texts)
        for i in range(pairs):
            run = pair_run((on, off), args, rounds, swap=i % 2 == 1)
            shown, plain = run.texts
            if "projectName" in plain or "projectName" not in shown or not ("+01:00" in shown or "+02:00" in shown):
                return "names and local times could not be switched off and on (CLOCKIFY_NAMES, CLOCKIFY_TIMEZONE)"
            cost.with_both += run.times[0]
            cost.without += run.times[1]
            cost.added.append(paired_p50(run.times))
            cost.cpu_with += run.cpu[0] / pairs
            cost.cpu_without += run.cpu[1] / pairs
            if i == 0:
                cost.text_with, cost.text_without = len(shown), len(plain)
                for path, text in zip(texts, run.texts, strict=True):
                    path.write_text(text, encoding="utf-8")
            cost.control.append(paired_p50(pair_run((off, off), args, rounds, swap=i % 2 == 1).times))
            alone = pair_run((off, off), {}, rounds, swap=i % 2 == 1, commands=(echo[0], echo[1]), tool="echo")
            cost.bytes_alone.append(paired_p50(alone.times))
    return cost


def names_page(stub_url: str) -> tuple[Any, Any] | str:
    """The stub's page of 50 entries, parsed, and a directory holding the workspace's projects, tags and users (as
    a server has it once it has read them)."""
    try:
        from mcp_server_clockify.names import Directory
    except ImportError:
        return "the names directory is not on this branch"
    get = lambda path: httpx2.get(stub_url + path, headers={"X-Api-Key": KEY}).json()  # noqa: E731
    names = Directory()
    for source in ("projects", "tags", "users"):
        names.learn(source, get(f"/workspaces/{WS}/{source}"), 0.0)
    return get(f"/workspaces/{WS}/user/{OWNER_ID}/time-entries"), names


Shown = Callable[[Any], str]


def names_sides(stub_url: str) -> tuple[str, Shown, Shown] | str:
    """The stub's page of 50 entries as JSON text, and the two sides of the end-to-end pair of `names_cost` as
    functions of a parsed page: the one pass with names and local times (Europe/Berlin) then the JSON text, and
    the same with no names, shown in UTC."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    try:
        from mcp_server_clockify.present import present
        from mcp_server_clockify.results import compact
    except ImportError:
        return "the one-pass presentation is not on this branch"
    page = names_page(stub_url)
    if isinstance(page, str):
        return page
    body, names = page
    berlin = ZoneInfo("Europe/Berlin")
    return (
        json.dumps(body),
        lambda fresh: compact(present(fresh, names=names, times=True, zone=berlin, drop_noise=True).body),
        lambda fresh: compact(present(fresh, times=True, zone=UTC, drop_noise=True).body),
    )


def presentation_cost(stub_url: str, calls: int) -> tuple[list[float], list[float]] | str:
    """In process, on the same page of 50 entries, the two sides of `names_sides`, each on a freshly parsed page
    as a server has it (parsing is not timed). Seconds, (with, without)."""
    sides = names_sides(stub_url)
    if isinstance(sides, str):
        return sides
    text, on, off = sides
    spent: tuple[list[float], list[float]] = ([], [])
    for i in range(calls):
        for k in rotated((0, 1), i):  # see paired
            fresh = json.loads(text)
            t0 = time.perf_counter()
            (on, off)[k](fresh)
            spent[k].append(time.perf_counter() - t0)
    return spent


@dataclass
class MessageCost:
    sdk: tuple[list[float], list[float]]
    """Seconds, (with names, without): the SDK's work on the answer once the tool has returned it, as its stdio
    transport does it: the result to a dict (`model_dump`), the JSON-RPC response, and its JSON line."""
    client: tuple[list[float], list[float]]
    """Seconds, (with, without): the benchmark's client reading that line (`json.loads`)."""
    line: tuple[int, int]
    """Characters of the JSON-RPC line, (with, without)."""


def message_cost(stub_url: str, calls: int) -> MessageCost | str:
    """In process: what the answer's size costs after this server's code, on the page of 50 entries with names
    and local times and without (the two texts of `names_sides`)."""
    import mcp_types as types

    sides = names_sides(stub_url)
    if isinstance(sides, str):
        return sides
    text, on, off = sides
    results = [
        types.CallToolResult(content=[types.TextContent(type="text", text=shown(json.loads(text)))])
        for shown in (on, off)
    ]

    def sent(result: types.CallToolResult) -> str:  # the SDK's runner, dispatcher and stdio writer, in that order
        dumped = result.model_dump(by_alias=True, mode="json", exclude_none=True)
        response = types.JSONRPCResponse(jsonrpc="2.0", id=7, result=dumped)
        return response.model_dump_json(by_alias=True, exclude_unset=True) + "\n"

    lines = [sent(result) for result in results]
    return MessageCost(
        paired(lambda: sent(results[0]), lambda: sent(results[1]), calls),
        paired(lambda: json.loads(lines[0]), lambda: json.loads(lines[1]), calls),
        (len(lines[0]), len(lines[1])),
    )


def in_process_cost(stub_url: str, calls: int) -> tuple[list[float], list[float]]:
    """In process, through the SDK's in-memory client (no stdio, no HTTP framing): get_entry on this server against
    the SDK's low-level server whose one tool makes the same GET with an httpx2.AsyncClient and answers its body,
    interleaved. What is left is this server's own code per call. Seconds per call, (ours, floor)."""
    import anyio
    import mcp_types as types
    from mcp import Client
    from mcp.server.lowlevel import Server

    from mcp_server_clockify.config import Settings
    from mcp_server_clockify.server import build_server

    env = {k: v for k, v in server_env(stub_url).items() if k.startswith("CLOCKIFY_")}
    ours = build_server(Settings.from_env(env, dotenv_file=None))
    tool = get_entry_args()
    path = f"/workspaces/{WS}/time-entries/{ENTRY}"

    async def run() -> tuple[list[float], list[float]]:
        async with httpx2.AsyncClient(base_url=stub_url, headers={"X-Api-Key": KEY}) as http:

            async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
                return types.ListToolsResult(tools=[types.Tool(name="get", input_schema={"type": "object"})])

            async def call_tool(ctx: Any, params: Any) -> types.CallToolResult:
                answer = await http.get(path)
                return types.CallToolResult(content=[types.TextContent(type="text", text=answer.text)])

            floor = Server("floor", on_list_tools=list_tools, on_call_tool=call_tool)
            ours_t: list[float] = []
            floor_t: list[float] = []
            async with Client(ours) as to_ours, Client(floor) as to_floor:
                pair = (
                    lambda: to_ours.call_tool(tool["name"], tool["arguments"]),
                    lambda: to_floor.call_tool("get", {}),
                )
                for i in range(calls + 50):  # the first 50 warm pools, caches and validators
                    spent = [0.0, 0.0]
                    for k in rotated((0, 1), i):  # each goes first every other round (see paired)
                        t0 = time.perf_counter()
                        await pair[k]()
                        spent[k] = time.perf_counter() - t0
                    if i >= 50:
                        ours_t.append(spent[0])
                        floor_t.append(spent[1])
            return ours_t, floor_t

    return anyio.run(run)


def json_text_cost(stub_url: str, calls: int) -> tuple[list[float], list[float]] | str:
    """In process: the JSON text of the presented page of 50 entries, by `json.dumps` (compact, as before) and by
    `jsontext.compact` (pydantic_core.to_json). Seconds, (json.dumps, compact)."""
    from zoneinfo import ZoneInfo

    try:
        from mcp_server_clockify.jsontext import compact
        from mcp_server_clockify.present import present
    except ImportError:
        return "jsontext.compact is not on this branch"
    page = names_page(stub_url)
    if isinstance(page, str):
        return page
    entries, names = page
    body = present(entries, names=names, times=True, zone=ZoneInfo("Europe/Berlin"), drop_noise=True).body
    if compact(body) != json.dumps(body, separators=(",", ":"), ensure_ascii=False):
        return "jsontext.compact wrote another text than json.dumps"
    return paired(lambda: json.dumps(body, separators=(",", ":"), ensure_ascii=False), lambda: compact(body), calls)


@dataclass
class Growth:
    label: str
    items: int
    seconds: float
    text_bytes: int
    extra: str = ""


def entries_growth(api_url: str, sizes: tuple[int, ...], calls: int) -> list[Growth]:
    """get_entries with page-size 10 / 100 / 1,000 over stdio: time and bytes of the answer (cut included). The
    same GET made directly (interleaved) is subtracted: the sandbox's own time grows with what it filters."""
    server = Stdio(server_env(api_url)).handshake()
    rows = []
    try:
        with httpx2.Client(base_url=api_url, headers={"X-Api-Key": KEY}) as http:
            for size in sizes:
                args = entries_args(size)
                result = server.call(TOOL + "get_entries", args)
                path = f"/workspaces/{WS}/user/{OWNER_ID}/time-entries"
                through, direct = [], []
                for _ in range(calls):
                    t0 = time.perf_counter()
                    server.call(TOOL + "get_entries", args)
                    t1 = time.perf_counter()
                    http.get(path, params={"page-size": size}).raise_for_status()
                    through.append(t1 - t0)
                    direct.append(time.perf_counter() - t1)
                text = result["content"][0]["text"]
                shown = _count_items(text)
                cut = "(cut:" in "".join(c.get("text", "") for c in result["content"])
                extra = f"{shown} shown, cut to the result limit" if cut else f"{shown} shown"
                extra += f"; {statistics.median(through) * 1000:.2f} ms end to end"
                own = statistics.median(through) - statistics.median(direct)
                rows.append(Growth("get_entries", size, own, result_bytes(result), extra))
    finally:
        server.close()
    return rows


def _count_items(text: str) -> int:
    try:
        body, _ = json.JSONDecoder().raw_decode(text)  # the JSON, without notes that may follow it
    except ValueError:
        return 0
    if isinstance(body, dict):
        body = next((v for v in body.values() if isinstance(v, list)), [])
    return len(body) if isinstance(body, list) else 0


def summary_growth(api_url: str, weeks: tuple[int, ...], calls: int) -> list[Growth] | str:
    """get_time_summary over 1 / 4 / 52 weeks, in process: requests sent to Clockify, time, peak Python memory."""
    import tracemalloc

    from mcp import Client

    from mcp_server_clockify import catalogue
    from mcp_server_clockify.config import Settings
    from mcp_server_clockify.server import build_server

    name = TOOL + "get_time_summary"
    if catalogue.operation(name) is None:
        return "get_time_summary is not on this branch (issue 13)"
    sent = [0]

    class Counting(httpx2.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            sent[0] += 1
            return await super().handle_async_request(request)

    settings = Settings(api_key=KEY, api_url=api_url, max_rps=float(UNLIMITED))
    server = build_server(settings, transport=Counting)
    today = dt.datetime.now(dt.UTC).date()

    async def run() -> list[Growth]:
        rows = []
        async with Client(server) as client:
            await client.call_tool(TOOL + "get_current_user", {})  # profile and pool warm
            for w in weeks:
                args = {
                    "start": (today - dt.timedelta(days=7 * w - 1)).isoformat(),
                    "end": today.isoformat(),
                }
                first = await client.call_tool(name, args)
                assert not first.is_error, first
                before = sent[0]
                times = []
                for _ in range(calls):
                    t0 = time.perf_counter()
                    await client.call_tool(name, args)
                    times.append(time.perf_counter() - t0)
                requests = (sent[0] - before) / calls
                tracemalloc.start()
                await client.call_tool(name, args)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                text = "".join(getattr(c, "text", "") for c in first.content)
                rows.append(
                    Growth(
                        "get_time_summary",
                        w,
                        statistics.median(times),
                        len(text.encode()),
                        f"{requests:g} {'request' if requests == 1 else 'requests'} to Clockify per call, "
                        f"peak {peak / 1e6:.2f} MB of Python memory",
                    )
                )
        return rows

    return asyncio.run(run())


# --- breakdown of one call (cProfile) -----------------------------------------------------------------------------

PKG = "mcp_server_clockify/"
# part -> (file, function, caller file or None): the part's time is the inclusive time of that function (when
# called from that file); parts of the server's own call_tool, in the order of a call.
PARTS: list[tuple[str, list[tuple[str, str, str | None]]]] = [
    (
        "argument validation (pydantic)",
        [("pydantic/main.py", "model_validate", PKG + "execute.py")],
    ),
    (
        "default ids, request building",
        [
            (PKG + "execute.py", "with_owner_defaults", None),
            (PKG + "execute.py", "build_request", None),
        ],
    ),
    ("rate limiter", [(PKG + "client.py", "acquire", None)]),
    (
        "httpx2 send and receive",
        [
            (PKG + "client.py", "transmit", None),
            (PKG + "capped.py", "read_capped", None),
            ("httpx2/_models.py", "aclose", PKG + "client.py"),
        ],
    ),
    ("JSON decoding", [("json/__init__.py", "loads", PKG + "client.py")]),
    (
        "result shaping: names, local times, no null noise (one pass)",
        [(PKG + "present.py", "present", None)],
    ),
    ("result shaping: JSON text, cut, notes", [(PKG + "results.py", "success", None)]),
    ("redaction", [(PKG + "results.py", "redacted", None)]),
]
IDLE = ("~", "<method 'poll' of 'select.epoll' objects>")


def _inclusive(stats: dict[Any, Any], file: str, function: str, caller: str | None) -> float:
    total = 0.0
    for (path, _, name), (_, _, _, cumulative, callers) in stats.items():
        if name != function or file not in path:
            continue
        if caller is None:
            total += cumulative
        else:
            total += sum(c[3] for (cpath, _, _), c in callers.items() if caller in cpath)
    return total


def breakdown_rows(profile: Path, calls: int) -> list[tuple[str, float, float]]:
    """(part, microseconds per call under the profiler, share of the busy time) from one cProfile dump."""
    stats: dict[Any, Any] = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    busy = sum(v[2] for k, v in stats.items() if k[0] != IDLE[0] or k[2] != IDLE[1])
    ours = _inclusive(stats, PKG + "server.py", "call_tool", None)
    rows = [
        (
            "SDK and transport: JSON-RPC framing, dispatch, validation of messages, stdio or ASGI",
            busy - ours,
        )
    ]
    accounted = 0.0
    for part, functions in PARTS:
        value = sum(_inclusive(stats, *f) for f in functions)
        rows.append((part, value))
        accounted += value
    rows.append(
        (
            "the rest of the server's own call path (dispatch to the tool, context, checks)",
            ours - accounted,
        )
    )
    return [(part, value / calls * 1e6, value / busy) for part, value in rows]


@contextmanager
def profiled(command: list[str], out: Path, pattern: str | None, env: dict[str, str]) -> Iterator[Any]:
    """The server under cProfile; yields (process or url, start(), stop()) controls."""
    out.unlink(missing_ok=True)
    full = [PYTHON, "-c", PROFILED_SERVER, str(out), *command]
    if pattern is None:
        server = Stdio(env, full).handshake()
        try:
            yield server, server.proc.pid
        finally:
            server.close()
        return
    pids: list[int] = []
    with background(full, pattern, env=env, pids=pids) as url:
        yield url, pids[0]


def _signal_and_wait(pid: int, out: Path) -> None:
    os.kill(pid, signal.SIGUSR2)
    for _ in range(600):
        if out.exists():
            return
        time.sleep(0.05)
    raise SystemExit("the profiled server wrote no profile")


def breakdown(api_url: str, calls: int, keep: str | None) -> dict[str, list[tuple[str, float, float]]]:
    tables = {}
    env = server_env(api_url)
    tool = get_entry_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = keep or scratch
        out = Path(tmp) / "stdio.prof"
        with profiled([], out, None, env) as (server, pid):
            for _ in range(50):
                server.call(tool["name"], tool["arguments"])
            os.kill(pid, signal.SIGUSR1)
            time.sleep(0.2)
            for _ in range(calls):
                server.call(tool["name"], tool["arguments"])
            _signal_and_wait(pid, out)
        tables["stdio"] = breakdown_rows(out, calls)
        out = Path(tmp) / "http.prof"
        callers, each = 8, max(10, calls // 8)
        with profiled(["--transport", "http", "--port", "0"], out, r"at (http://\S+/mcp)", env) as (url, pid):
            asyncio.run(_http_load(url, callers, each, between=lambda: os.kill(pid, signal.SIGUSR1)))
            _signal_and_wait(pid, out)
        tables["streamable HTTP, 8 callers"] = breakdown_rows(out, callers * each)
    return tables


def tools_list_bytes() -> tuple[int, int, int, int]:
    from mcp_server_clockify.server import tool_definition
    from mcp_server_clockify.tools import OPERATIONS

    tools = [tool_definition(op).model_dump(by_alias=True, exclude_none=True, mode="json") for op in OPERATIONS]
    sizes = [len(json.dumps(t, separators=(",", ":"))) for t in tools]
    total = len(json.dumps({"tools": tools}, separators=(",", ":")))
    return total, len(tools), round(statistics.mean(sizes)), max(sizes)


# --- hosted: 50 users, each with their own key, signed in through OAuth -----------------------------------------

USERS = 50


@dataclass
class Hosted:
    calls_per_second: float
    p50_ms: float
    p99_ms: float
    rss_before: list[float]
    rss_after: list[float]
    wrong: int
    """Answers with another user's data (must be 0)."""
    failed: dict[str, int]
    """Calls that failed, by reason."""


def hosted_load(replicas: int, calls: int, *, oauth: bool = True) -> Hosted:
    """USERS simulated users (sandbox-server --extra-users, each their own key) sign in through OAuth, then call
    get_current_user concurrently over streamable HTTP (stateless JSON-RPC POSTs), against one replica directly or
    two behind nginx (deploy/nginx.conf) sharing Redis. Every answer must be the caller's own user.
    `oauth=False` is the baseline: the same callers, one replica, no auth, everyone on the one server-wide key."""
    sys.path.insert(0, str(ROOT / "tests"))
    from mcp_server_clockify.sandbox import extra_key
    from oauth_flow import SECRET, Flow, pkce  # the same flow the tests walk
    from oauth_flow import Hosted as Target
    from test_nginx import nginx, redis

    ports = [free_port() for _ in range(replicas)]
    front = free_port() if replicas > 1 else ports[0]
    public = f"http://127.0.0.1:{front}"
    with (
        background(
            [
                SERVER,
                "sandbox-server",
                "--port",
                "0",
                "--quiet",
                "--extra-users",
                str(USERS),
            ],
            r"at (http://\S+/api/v1)",
        ) as api_url,
        redis() as shared,
    ):
        env = {k: v for k, v in server_env(api_url).items() if k not in ("CLOCKIFY_API_KEY", "CLOCKIFY_TIMEZONE")}
        env.update(CLOCKIFY_MCP_PUBLIC_URL=public, CLOCKIFY_MCP_SECRET=SECRET, CLOCKIFY_MCP_REDIS_URL=shared)
        command = [SERVER, "--transport", "http", "--stateless", "--auth", "oauth", "--port"]
        if not oauth:
            env = server_env(api_url)
            command = [SERVER, "--transport", "http", "--stateless", "--port"]
        with contextlib.ExitStack() as stack:
            pids = []
            for port in ports:
                stack.enter_context(
                    background(
                        [*command, str(port)],
                        r"at (http://\S+/mcp)",
                        env=env,
                        pids=pids,
                    )
                )
            if replicas > 1:
                stack.enter_context(nginx(front, (ports[0], ports[1])))

            target = cast(Target, SimpleNamespace(base=public, mcp=f"{public}/mcp"))

            async def sign_in(http: httpx2.AsyncClient, i: int) -> tuple[str, str]:
                flow = Flow(target, http)
                client_id = (await flow.register())["client_id"]
                verifier, challenge = pkce()
                code, _ = await flow.code_for(client_id, extra_key(i), challenge)
                answer = await flow.token(
                    grant_type="authorization_code",
                    code=code,
                    redirect_uri="http://127.0.0.1:53682/callback",
                    client_id=client_id,
                    code_verifier=verifier,
                )
                return f"Member {i:03d}", answer.json()["access_token"]

            async def run() -> tuple[list[float], float, int]:
                users = []
                for i in range(USERS if oauth else 0):  # each from an address of their own, as the proxy reports it
                    forwarded = {"X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}"}
                    async with httpx2.AsyncClient(follow_redirects=False, timeout=60, headers=forwarded) as http:
                        users.append(await sign_in(http, i))
                if not oauth:  # everyone is the key's owner
                    users = [("Alex Morgan", "")] * USERS
                rss_before.extend(rss_mb(pid) for pid in pids)
                latencies: list[float] = []

                async def user(name: str, token: str) -> None:
                    nonlocal wrong
                    headers = {
                        "Accept": "application/json, text/event-stream",
                        "MCP-Protocol-Version": PROTOCOL,
                    }
                    if token:
                        headers["Authorization"] = f"Bearer {token}"
                    body = {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "tools/call",
                        "params": {
                            "name": "clockify_time_tracking_get_current_user",
                            "arguments": {},
                        },
                    }
                    async with httpx2.AsyncClient(timeout=60) as http:
                        for _ in range(calls):
                            t0 = time.perf_counter()
                            response = await http.post(f"{public}/mcp", json=body, headers=headers)
                            latencies.append(time.perf_counter() - t0)
                            seen = answered_name(response.text) if response.status_code == 200 else None
                            if seen is None:
                                why = f"HTTP {response.status_code}" if response.status_code != 200 else response.text
                                failed[why[-160:]] = failed.get(why[-160:], 0) + 1
                            elif seen != name:
                                wrong += 1

                t0 = time.perf_counter()
                await asyncio.gather(*(user(name, token) for name, token in users))
                return latencies, time.perf_counter() - t0

            rss_before: list[float] = []
            wrong, failed = 0, {}
            latencies, elapsed = asyncio.run(run())
            rss_after = [rss_mb(pid) for pid in pids]
    ms = 1000.0
    return Hosted(
        len(latencies) / elapsed,
        statistics.median(latencies) * ms,
        pct(latencies, 0.99) * ms,
        rss_before,
        rss_after,
        wrong,
        failed,
    )


def answered_name(text: str) -> str | None:
    """The user name in a get_current_user answer (a JSON body, or one SSE event)."""
    if text.startswith("event:"):
        text = text.split("data: ", 1)[1].split("\n", 1)[0]
    result = json.loads(text).get("result") or {}
    if result.get("isError") or not result.get("content"):
        return None
    return json.loads(result["content"][0]["text"].split("\n", 1)[0]).get("name")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the report -------------------------------------------------------------------------------------------------


def bench_venv(name: str = "bench-venv", source: Path = ROOT, extras: str = "[hosted]") -> Path:
    """A venv with mcp-server-clockify installed from `source` the way a user installs it (no dev extras;
    [hosted]: redis-py, for the replicas behind nginx). It is made again when pyproject.toml changed since it was
    made: pip install leaves behind packages no longer required, and one left behind changes what is measured
    (httpcore2 asks sniffio, when installed, on every lock and event of every request)."""
    venv = ROOT / ".cache" / name
    made_for = venv / "made-for-pyproject.toml"
    wanted = (source / "pyproject.toml").read_bytes()
    if venv.exists() and (not made_for.exists() or made_for.read_bytes() != wanted):
        shutil.rmtree(venv)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        made_for.write_bytes(wanted)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, f"{source}{extras}"], check=True)
    return venv


def baseline_server(revision: str) -> str:
    """The server as it was at `revision` (git), installed in a venv of its own: measured in the same run."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", revision],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    venv = ROOT / ".cache" / "bench-venv-baseline"
    marker = venv / "installed-revision"
    if not marker.exists() or marker.read_text() != commit:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", commit],
                check=True,
                capture_output=True,
            )
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            bench_venv("bench-venv-baseline", Path(tmp), extras="")
        marker.write_text(commit)
    return str(venv / "bin" / "mcp-server-clockify")


def main() -> None:
    global PYTHON, SERVER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="measure this Python's venv, not a fresh one",
    )
    parser.add_argument(
        "--no-breakdown",
        action="store_true",
        help="skip the profiled breakdown of one call",
    )
    parser.add_argument(
        "--profiles",
        metavar="DIR",
        help="keep the cProfile dumps of the breakdown in DIR",
    )
    parser.add_argument("--out", help="where the table goes (default benchmarks/RESULTS.md, or RESULTS-hosted.md)")
    parser.add_argument(
        "--hosted-only",
        action="store_true",
        help="only the hosted rows (50 users over OAuth)",
    )
    parser.add_argument(
        "--no-hosted",
        action="store_true",
        help="skip the hosted rows (50 users over OAuth)",
    )
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help=f"git revision measured side by side as 'before' (default {BASELINE}, main when issue 16 began; 'none')",
    )
    options = parser.parse_args()
    if options.out is None:
        options.out = str(ROOT / "benchmarks" / ("RESULTS-hosted.md" if options.hosted_only else "RESULTS.md"))
    runs, calls, few, profiled_calls = (3, 60, 5, 300) if options.quick else (7, 300, 20, 2000)
    if not options.in_place:
        venv = bench_venv()
        PYTHON, SERVER = (
            str(venv / "bin" / "python"),
            str(venv / "bin" / "mcp-server-clockify"),
        )

    each = 10 if options.quick else 40
    rows = []
    if not options.no_hosted:
        baseline = hosted_load(1, each, oauth=False)
        hosted = [hosted_load(n, each) for n in (1, 2)]
        rows = [
            Row(
                f"baseline: {USERS} callers, 1 replica, no auth, one key: throughput",
                f"{baseline.calls_per_second:.0f} calls/s",
            ),
            Row("baseline: latency p50 / p99", f"{baseline.p50_ms:.1f} / {baseline.p99_ms:.1f} ms"),
        ]
        rows += [row for n, h in zip((1, 2), hosted, strict=True) for row in hosted_rows(n, h)]
    if options.hosted_only:
        report(options, runs, calls, rows)
        return
    old = None if options.baseline == "none" else baseline_server(options.baseline)

    sandbox = [SERVER, "sandbox-server", "--port", "0", "--quiet"]
    with (
        background(sandbox, r"at (http://\S+/api/v1)") as api_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        seed_entries(api_url, SEEDED)
        start, bare_import = cold_start(api_url, runs)
        with stub_upstream(api_url, Path(tmp)) as stub_url:
            side = side_by_side(stub_url, calls, old)
            ours_runs: list[tuple[float, float]] = []
            old_runs: list[tuple[float, float]] = []
            floor_runs: list[tuple[float, float]] = []
            again_runs: list[tuple[float, float]] = []  # the control: a second process of the old server
            serve = ["--transport", "http", "--port", "0"]
            floor = floor_command(stub_url, "http")
            each = max(10, calls // 4)
            rounds = 1 if options.quick else 5  # one run's throughput moves by up to 30% from the next: five medians
            for _ in range(rounds):  # alternating: a drift in the machine's speed hits all
                ours_runs.append(http_throughput([SERVER, *serve], stub_url, callers=8, calls=each))
                if old:
                    old_runs.append(http_throughput([old, *serve], stub_url, callers=8, calls=each))
                floor_runs.append(http_throughput(floor, stub_url, callers=8, calls=each))
                if old:
                    again_runs.append(http_throughput([old, *serve], stub_url, callers=8, calls=each))
            modern: dict[str, list[tuple[float, float]]] = {"ours": [], "old": [], "floor": []}
            for _ in range(rounds):  # the same, each call a 2026-07-28 request of its own
                modern["ours"].append(http_throughput([SERVER, *serve], stub_url, 8, each, MODERN))
                if old:
                    modern["old"].append(http_throughput([old, *serve], stub_url, 8, each, MODERN))
                modern["floor"].append(http_throughput(floor, stub_url, 8, each, MODERN))
            per_second = statistics.median(r for r, _ in ours_runs)
            old_per_second = statistics.median(r for r, _ in old_runs) if old else None
            memory = memory_after_calls(stub_url, [SERVER, old] if old else [SERVER], 1 if options.quick else 3)
            tables = {} if options.no_breakdown else breakdown(stub_url, profiled_calls, options.profiles)
            names = names_cost(stub_url, calls * 3)  # a difference of 0.1 ms in calls of 5 ms: more rounds
            shaping = presentation_cost(stub_url, calls * 3)
            message = message_cost(stub_url, calls * 3)
            own = in_process_cost(stub_url, calls * 3)
            json_text = json_text_cost(stub_url, calls * 3)
        growth = entries_growth(api_url, (10, 100, 1000), few)
        summary = summary_growth(api_url, (1, 4, 52), few)
    total, count, mean, largest = tools_list_bytes()

    ms = 1000.0
    p50 = statistics.median
    bare, ours, direct = p50(side.bare), p50(side.ours), p50(side.direct)
    overhead = [o - b - d for o, b, d in zip(side.ours, side.bare, side.direct, strict=True)]
    over = ours - bare - direct
    before = f" (before, {options.baseline}: {{}})" if old else "{}"
    rows += [
        Row("cold start to tools/list (stdio, median)", f"{start * ms:.0f} ms"),
        Row(
            "bare `import mcp.server.lowlevel, mcp.server.stdio` (median)",
            f"{bare_import * ms:.0f} ms",
        ),
        Row(
            "cold start / bare SDK import",
            f"{start / bare_import:.2f}x",
            "<= 1.3x",
            start / bare_import <= 1.3,
        ),
        Row(
            "bare low-level SDK server, a no-op tool over stdio, p50",
            f"{bare * ms:.2f} ms ({OLD_BARE_MS} ms on 2026-11-28: this machine runs "
            + (
                f"{bare * ms / OLD_BARE_MS:.1f}x slower today)"
                if bare * ms >= OLD_BARE_MS
                else f"{OLD_BARE_MS / (bare * ms):.1f}x faster today)"
            ),
        ),
        Row(
            "direct httpx2.AsyncClient GET to the plain local server, p50",
            f"{direct * ms:.2f} ms",
        ),
        Row(
            "get_entry over stdio, end to end, p50",
            f"{ours * ms:.2f} ms" + (before.format(f"{p50(side.old) * ms:.2f} ms") if old else ""),
        ),
        Row(
            "per-call overhead over stdio (get_entry - no-op - direct GET), p50",
            f"{over * ms:.2f} ms" + (before.format(f"{(p50(side.old) - bare - direct) * ms:.2f} ms") if old else ""),
            "<= 0.30 ms",
            over <= 0.0003,
        ),
        Row(
            "the same for the floor: the SDK's bare server whose tool makes the same GET with httpx2 (its get_entry - "
            "no-op - direct GET), p50",
            f"{(p50(side.floor) - bare - direct) * ms:.2f} ms (its call end to end: {p50(side.floor) * ms:.2f} ms)",
        ),
        Row(
            "per-call overhead over stdio, p95 of the paired samples",
            f"{pct(overhead, 0.95) * ms:.2f} ms",
        ),
        Row(
            "get_entry in process (the SDK's in-memory client): this server / the SDK's bare server whose tool makes "
            "the same GET with httpx2, p50; the median of the paired differences",
            f"{p50(own[0]) * ms:.3f} / {p50(own[1]) * ms:.3f} ms; "
            f"{paired_p50(own) * ms:+.3f} ms: this server's own code per call",
        ),
    ]
    if old_per_second:
        rows.append(
            Row(
                "throughput, 8 concurrent callers over streamable HTTP, one process (median of alternating runs)",
                f"{per_second:.0f} calls/s (before: {old_per_second:.0f}, {per_second / old_per_second:.2f}x; runs "
                f"{' '.join(f'{r:.0f}' for r, _ in ours_runs)} vs {' '.join(f'{r:.0f}' for r, _ in old_runs)})",
                ">= 2x before",
                per_second >= 2 * old_per_second,
            )
        )
        again = statistics.median(r for r, _ in again_runs)
        rows.append(
            Row(
                "control: a second process of the before server in each alternation, against the first (what "
                "the ratio reads when nothing differs)",
                f"{again / old_per_second:.2f}x; runs {' '.join(f'{r:.0f}' for r, _ in again_runs)}",
            )
        )
    else:
        rows.append(
            Row(
                "throughput, 8 concurrent callers over streamable HTTP",
                f"{per_second:.0f} calls/s",
            )
        )
    cpu = [f"{statistics.median(c for _, c in runs) * ms:.2f}" for runs in (ours_runs, old_runs, floor_runs) if runs]
    rows.append(
        Row(
            "server CPU per call over streamable HTTP, 8 callers (median): this server"
            + (" / before" if old else "")
            + " / the floor (bare SDK server, JSON answers, whose tool makes the same GET with httpx2)",
            " / ".join(cpu) + " ms",
        )
    )
    rate = [f"{statistics.median(r for r, _ in runs):.0f}" for runs in modern.values() if runs]
    cpu = [f"{statistics.median(c for _, c in runs) * ms:.2f}" for runs in modern.values() if runs]
    rows.append(
        Row(
            f"the same with {MODERN} requests (no session; what SDK 2.3 clients speak by default), this server"
            + (" / before" if old else "")
            + " / the floor: calls/s; server CPU per call",
            " / ".join(rate) + " calls/s; " + " / ".join(cpu) + " ms",
        )
    )
    if isinstance(names, str):
        rows.append(Row("get_entries (50 entries): names and local times, added time", names, "<= 0.2 ms", None))
    else:
        both, plain = p50(names.with_both), p50(names.without)
        added, control = p50(names.added), p50(names.control)
        each = len(names.with_both) // len(names.added)
        rows += [
            Row(
                "get_entries (50 entries) over stdio, names and local times off / on, end to end, p50",
                f"{plain * ms:.2f} / {both * ms:.2f} ms",
            ),
            Row(
                f"get_entries (50 entries): names and local times, added time (median over {len(names.added)} pairs "
                f"of fresh processes of each pair's p50 of {each} paired calls, the order turned every round)",
                f"{added * ms:.2f} ms; pairs " + " ".join(f"{x * ms:+.2f}" for x in names.added),
                "<= 0.2 ms",
                added <= 0.0002,
            ),
            Row(
                "control: the same method on two servers without names, a pair beside each pair above (what it "
                "reads when nothing differs)",
                f"{control * ms:+.2f} ms; pairs " + " ".join(f"{x * ms:+.2f}" for x in names.control),
            ),
            Row(
                "the answers' bytes alone: the same method on two bare SDK servers answering the two texts and "
                "doing nothing else (the SDK's message, the pipe, the client's read)",
                f"{p50(names.bytes_alone) * ms:+.2f} ms; pairs "
                + " ".join(f"{x * ms:+.2f}" for x in names.bytes_alone),
            ),
            Row(
                "the same calls: the server's CPU per call (all its threads), off / on; the answer's JSON text",
                f"{names.cpu_without * ms:.2f} / {names.cpu_with * ms:.2f} ms "
                f"(+{(names.cpu_with - names.cpu_without) * ms:.2f} ms); "
                f"{names.text_without:,} / {names.text_with:,} characters",
            ),
        ]
    if not isinstance(shaping, str):
        both, plain = (p50(x) for x in shaping)
        rows.append(
            Row(
                "the same page in process, this server's part: the pass with names and local times (Europe/Berlin) "
                "/ without names, in UTC (the two sides above), JSON text included, p50; added (paired)",
                f"{both * ms:.3f} / {plain * ms:.3f} ms; +{paired_p50(shaping) * ms:.3f} ms",
            )
        )
    if not isinstance(message, str):
        sdk_on, sdk_off = (p50(x) for x in message.sdk)
        read_on, read_off = (p50(x) for x in message.client)
        rows += [
            Row(
                "the same answers after this server's code: the SDK's result dump, JSON-RPC response and JSON line "
                "(as its stdio writer makes it), with / without names, p50; added (paired)",
                f"{sdk_on * ms:.3f} / {sdk_off * ms:.3f} ms; +{paired_p50(message.sdk) * ms:.3f} ms "
                f"({message.line[0]:,} / {message.line[1]:,} characters)",
            ),
            Row(
                "the benchmark's client reading that line (json.loads), with / without names, p50; added (paired)",
                f"{read_on * ms:.3f} / {read_off * ms:.3f} ms; +{paired_p50(message.client) * ms:.3f} ms",
            ),
        ]
    if not isinstance(shaping, str) and not isinstance(names, str):
        own_part, alone = paired_p50(shaping), p50(names.bytes_alone)
        rows.append(
            Row(
                "names' added time accounted for: this server's pass and JSON text (in process) + the bytes alone "
                "(end to end), against the added time end to end",
                f"{own_part * ms:.2f} + {alone * ms:.2f} = {(own_part + alone) * ms:.2f} ms, "
                f"against {p50(names.added) * ms:.2f} ms",
            )
        )
    if not isinstance(json_text, str):
        slow, fast = (p50(x) for x in json_text)
        rows.append(
            Row(
                "JSON text of that page (30 kB): json.dumps / jsontext.compact (pydantic_core.to_json), p50",
                f"{slow * ms:.3f} / {fast * ms:.3f} ms ({slow / fast:.1f}x)",
            )
        )
    rows += [
        Row("resident memory after start", f"{side.rss_start:.1f} MB"),
        Row(
            "resident memory after 1,000 calls, VmRSS (median of alternating fresh processes)",
            f"{p50(r for r, _ in memory[0]):.1f} MB"
            + (before.format(f"{p50(r for r, _ in memory[1]):.1f} MB") if old else "")
            + f"; readings {' '.join(f'{r:.1f}' for r, _ in memory[0])}"
            + (f" vs {' '.join(f'{r:.1f}' for r, _ in memory[1])}" if old else ""),
            "" if old else f"<= {OLD_RSS_AFTER} MB",
            None if old else p50(r for r, _ in memory[0]) <= OLD_RSS_AFTER,
        ),
    ]
    if old:
        rows.append(
            Row(
                "the server's own resident memory (RssAnon: VmRSS without mapped files) after 1,000 calls",
                f"{p50(a for _, a in memory[0]):.2f} MB"
                + before.format(f"{p50(a for _, a in memory[1]):.2f} MB")
                + f"; readings {' '.join(f'{a:.2f}' for _, a in memory[0])}"
                + f" vs {' '.join(f'{a:.2f}' for _, a in memory[1])}",
                f"<= before (same run; VmRSS {OLD_RSS_AFTER} MB on 2026-11-28)",
                p50(a for _, a in memory[0]) <= p50(a for _, a in memory[1]),
            )
        )
    rows += [
        Row(
            "tools/list, compact JSON",
            f"{total:,} bytes ({count} tools)",
            "<= 55,000 bytes",
            total <= 55_000,
        ),
        Row("tools/list per tool (mean / largest)", f"{mean:,} / {largest:,} bytes"),
    ]
    extra = "\n### Cost as work grows\n\n" + growth_table(growth, summary) + "\n"
    for name, parts in tables.items():
        extra += f"\n### Where one get_entry call goes, {name} ({profiled_calls:,} calls under cProfile)\n\n"
        extra += "| part | us per call (profiled) | share of busy CPU |\n|---|---|---|\n"
        extra += "\n".join(f"| {part} | {us:.0f} | {share:.0%} |" for part, us, share in parts) + "\n"
    report(options, runs, calls, rows, extra)


def hosted_rows(replicas: int, h: Hosted) -> list[Row]:
    where = "1 replica" if replicas == 1 else "2 replicas behind nginx"
    memory = ", ".join(f"{b:.1f} -> {a:.1f} MB" for b, a in zip(h.rss_before, h.rss_after, strict=True))
    return [
        Row(
            f"hosted, {USERS} users over OAuth, {where}: throughput",
            f"{h.calls_per_second:.0f} calls/s",
        ),
        Row(f"hosted, {where}: latency p50 / p99", f"{h.p50_ms:.1f} / {h.p99_ms:.1f} ms"),
        Row(f"hosted, {where}: resident memory per replica, before -> after", memory),
        Row(
            f"hosted, {where}: answers with another user's data",
            str(h.wrong),
            "0",
            h.wrong == 0,
        ),
        Row(
            f"hosted, {where}: failed calls",
            "; ".join(f"{n} x {why}" for why, n in h.failed.items()) or "0",
        ),
    ]


def report(options: argparse.Namespace, runs: int, calls: int, rows: list[Row], extra: str = "") -> None:
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, {os.cpu_count()} "
        f"CPUs ({_cpu_model()}), Python {platform.python_version()}, "
        f"{'this venv' if options.in_place else 'a production install'}, "
        f"load average {os.getloadavg()[0]:.1f} at the end (the machine is shared), "
        + (
            f"{USERS} users x {10 if options.quick else 40} get_current_user calls each, all at once"
            if options.hosted_only
            else f"{runs} cold starts, {calls} timed calls"
        )
        + f"{' (--quick)' if options.quick else ''}; CLOCKIFY_MAX_RPS lifted so the 50/s client-side limit "
        "does not pace the loops. Reproduce: `python benchmarks/run.py"
        + (" --hosted-only`." if options.hosted_only else "`.")
    )
    table = ["| metric | result | target |", "|---|---|---|"]
    for row in rows:
        verdict = "" if row.ok is None else (" (met)" if row.ok else " (MISSED)")
        table.append(f"| {row.metric} | {row.value} | {row.target}{verdict} |")
    text = header + "\n\n" + "\n".join(table) + "\n" + extra
    print(text)
    notes = Path(options.out).with_name("BREAKDOWN.md")
    if extra and notes.exists():
        text += "\n" + notes.read_text()
    Path(options.out).write_text(text)


def growth_table(growth: list[Growth], summary: list[Growth] | str) -> str:
    lines = [
        "| call | size | server time (p50) | per item | answer | per item | |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in growth:
        lines.append(
            f"| get_entries | {g.items:,} entries | {g.seconds * 1000:.2f} ms | {g.seconds / g.items * 1e6:.0f} us | "
            f"{g.text_bytes:,} B | {g.text_bytes / g.items:.0f} B | {g.extra} |"
        )
    if isinstance(summary, str):
        lines.append(f"| get_time_summary | skipped | | | | | {summary} |")
    else:
        for g in summary:
            lines.append(
                f"| get_time_summary | {g.items} {'week' if g.items == 1 else 'weeks'} | {g.seconds * 1000:.2f} ms | "
                f"{g.seconds / g.items * 1e3:.2f} ms per week | {g.text_bytes:,} B | | {g.extra} |"
            )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
