"""mcp-server-clockify benchmarks: cold start, per-call overhead, throughput, memory and the size of tools/list.

    python benchmarks/run.py [--quick] [--out benchmarks/RESULTS.md]

Everything runs against the sandbox served on real loopback HTTP (`mcp-server-clockify sandbox-server`). The server
under test is the `mcp-server-clockify` console script installed, as a user installs it (`pip install .`, no dev
extras), into a venv of its own under .cache/bench-venv; the bare-SDK baseline runs in that same venv.
`--in-place` uses the venv of the Python running this script instead. Prints a markdown table (with the
targets) and writes it to --out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import httpx

from mcp_server_clockify.sandbox import RUNNING_ENTRY_ID, SANDBOX_API_KEY, WORKSPACE_ID

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable  # replaced by the bench venv's python in main()
SERVER = str(Path(PYTHON).with_name("mcp-server-clockify"))
KEY = SANDBOX_API_KEY  # the sandbox server answers only its seeded users' keys
PROTOCOL = "2025-11-25"

WS, ENTRY = WORKSPACE_ID, RUNNING_ENTRY_ID  # seeded in the sandbox


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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def background(
    command: list[str], pattern: str, env: dict[str, str] | None = None, pids: list[int] | None = None
) -> Iterator[str]:
    """Start a server process and yield the URL it announces on stderr (its pid is added to `pids`)."""
    proc = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
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


class Stdio:
    """The server over stdio, driven with raw JSON-RPC (the thinnest possible client)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [SERVER], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
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

    def handshake(self) -> None:
        self.request(
            "initialize",
            {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def get_entry_args() -> dict[str, Any]:
    return {"name": "clockify_time_tracking_get_entry", "arguments": {"workspaceId": WS, "id": ENTRY}}


# --- measurements -----------------------------------------------------------------------------------------------


def cold_start(api_url: str, runs: int) -> tuple[float, float]:
    """Median seconds from process start to the tools/list answer; median of a bare SDK import."""
    times = []
    for _ in range(runs):
        server = Stdio(server_env(api_url))
        server.handshake()
        server.request("tools/list")
        times.append(time.perf_counter() - server.started)
        server.close()
    bare = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-c", "import mcp.server.lowlevel, mcp.server.stdio"], check=True)
        bare.append(time.perf_counter() - t0)
    return statistics.median(times), statistics.median(bare)


def stdio_calls(api_url: str, calls: int) -> tuple[list[float], float, float, float]:
    """Round trips of get_entry over stdio, RSS after start and after the calls, tools/list bytes."""
    server = Stdio(server_env(api_url))
    server.handshake()
    listed, _ = server.request("tools/list")
    time.sleep(0.2)
    rss_start = rss_mb(server.proc.pid)
    for _ in range(20):  # warm the connection pool and the validators
        server.request("tools/call", get_entry_args())
    times = []
    for _ in range(calls):
        t0 = time.perf_counter()
        answer, _ = server.request("tools/call", get_entry_args())
        times.append(time.perf_counter() - t0)
        assert not answer["result"].get("isError"), answer
    for _ in range(max(0, 1000 - calls - 20)):
        server.request("tools/call", get_entry_args())
    rss_after = rss_mb(server.proc.pid)
    server.close()
    tools = listed["result"]["tools"]
    return times, rss_start, rss_after, float(len(json.dumps(tools, separators=(",", ":"))))


def in_memory_calls(api_url: str, calls: int) -> tuple[list[float], list[float]]:
    """get_entry through an in-process SDK client (no stdio), and the direct httpx.AsyncClient baseline."""
    from mcp import Client

    from mcp_server_clockify.config import Settings
    from mcp_server_clockify.server import build_server

    async def run() -> tuple[list[float], list[float]]:
        server = build_server(Settings(api_key=KEY, api_url=api_url, max_rps=float(UNLIMITED)))
        tool = get_entry_args()
        through: list[float] = []
        async with Client(server) as client:
            for i in range(calls + 20):
                t0 = time.perf_counter()
                await client.call_tool(tool["name"], tool["arguments"])
                if i >= 20:
                    through.append(time.perf_counter() - t0)
        direct: list[float] = []
        async with httpx.AsyncClient(base_url=api_url, headers={"X-Api-Key": KEY}) as http:
            for i in range(calls + 20):
                t0 = time.perf_counter()
                (await http.get(f"/workspaces/{WS}/time-entries/{ENTRY}")).raise_for_status()
                if i >= 20:
                    direct.append(time.perf_counter() - t0)
        return through, direct

    return asyncio.run(run())


def http_throughput(api_url: str, callers: int, calls: int) -> float:
    """Calls per second with `callers` concurrent SDK clients over the streamable HTTP transport."""
    from mcp import Client

    with background(
        [SERVER, "--transport", "http", "--port", "0"], r"at (http://\S+/mcp)", env=server_env(api_url)
    ) as url:

        async def caller() -> None:
            async with Client(url, mode="legacy") as client:
                tool = get_entry_args()
                for _ in range(calls):
                    result = await client.call_tool(tool["name"], tool["arguments"])
                    assert not result.is_error

        async def run() -> float:
            t0 = time.perf_counter()
            await asyncio.gather(*(caller() for _ in range(callers)))
            return time.perf_counter() - t0

        elapsed = asyncio.run(run())
    return callers * calls / elapsed


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


def hosted_load(replicas: int, calls: int) -> Hosted:
    """USERS simulated users (sandbox-server --extra-users, each their own key) sign in through OAuth, then call
    get_current_user concurrently over streamable HTTP (stateless JSON-RPC POSTs), against one replica directly or
    two behind nginx (deploy/nginx.conf) sharing Redis. Every answer must be the caller's own user."""
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
            [SERVER, "sandbox-server", "--port", "0", "--quiet", "--extra-users", str(USERS)],
            r"at (http://\S+/api/v1)",
        ) as api_url,
        redis() as shared,
    ):
        env = {k: v for k, v in server_env(api_url).items() if k not in ("CLOCKIFY_API_KEY", "CLOCKIFY_TIMEZONE")}
        env.update(CLOCKIFY_MCP_PUBLIC_URL=public, CLOCKIFY_MCP_SECRET=SECRET, CLOCKIFY_MCP_REDIS_URL=shared)
        command = [SERVER, "--transport", "http", "--stateless", "--auth", "oauth", "--port"]
        with contextlib.ExitStack() as stack:
            pids = []
            for port in ports:
                stack.enter_context(background([*command, str(port)], r"at (http://\S+/mcp)", env=env, pids=pids))
            if replicas > 1:
                stack.enter_context(nginx(front, (ports[0], ports[1])))

            target = cast(Target, SimpleNamespace(base=public, mcp=f"{public}/mcp"))

            async def sign_in(http: httpx.AsyncClient, i: int) -> tuple[str, str]:
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
                for i in range(USERS):  # each from an address of their own, as the proxy reports it
                    forwarded = {"X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}"}
                    async with httpx.AsyncClient(follow_redirects=False, timeout=60, headers=forwarded) as http:
                        users.append(await sign_in(http, i))
                rss_before.extend(rss_mb(pid) for pid in pids)
                latencies: list[float] = []

                async def user(name: str, token: str) -> None:
                    nonlocal wrong
                    headers = {
                        "Accept": "application/json, text/event-stream",
                        "MCP-Protocol-Version": PROTOCOL,
                        "Authorization": f"Bearer {token}",
                    }
                    body = {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "tools/call",
                        "params": {"name": "clockify_time_tracking_get_current_user", "arguments": {}},
                    }
                    async with httpx.AsyncClient(timeout=60) as http:
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


def tools_list_bytes() -> tuple[int, int, int, int]:
    from mcp_server_clockify.server import tool_definition
    from mcp_server_clockify.tools import OPERATIONS

    tools = [tool_definition(op).model_dump(by_alias=True, exclude_none=True, mode="json") for op in OPERATIONS]
    sizes = [len(json.dumps(t, separators=(",", ":"))) for t in tools]
    total = len(json.dumps({"tools": tools}, separators=(",", ":")))
    return total, len(tools), round(statistics.mean(sizes)), max(sizes)


# --- the report -------------------------------------------------------------------------------------------------


def entries_bytes() -> tuple[int, int]:
    """Bytes of a 15-entry get_entries answer on the embedded sandbox: with names next to ids (and no null
    noise), and Clockify's id-only JSON as the tool answered before names (compact, plus the paging note)."""
    from mcp import Client

    from mcp_server_clockify.config import Settings
    from mcp_server_clockify.sandbox import SANDBOX_API_KEY, SANDBOX_BASE_URL, create_app, transport
    from mcp_server_clockify.server import build_server

    async def run() -> tuple[int, int]:
        app = create_app()
        settings = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)
        async with Client(build_server(settings, transport=lambda: transport(app))) as client:
            result = await client.call_tool("clockify_time_tracking_get_entries", {"page-size": 15})
        named = sum(len(c.text.encode()) for c in result.content if hasattr(c, "text"))
        async with httpx.AsyncClient(transport=transport(app), base_url=SANDBOX_BASE_URL) as http:
            user = (await http.get("/user", headers={"X-Api-Key": SANDBOX_API_KEY})).json()
            path = f"/workspaces/{user['activeWorkspace']}/user/{user['id']}/time-entries"
            raw = (await http.get(path, params={"page-size": 15}, headers={"X-Api-Key": SANDBOX_API_KEY})).json()
        note = "\n(more results: call again with page=2 and the same page-size)"
        return named, len(json.dumps(raw, separators=(",", ":")).encode()) + len(note)

    return asyncio.run(run())


def bench_venv() -> Path:
    """A venv with mcp-server-clockify installed from this checkout the way a user installs it (no dev extras)."""
    venv = ROOT / ".cache" / "bench-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, f"{ROOT}[hosted]"],  # [hosted]: redis-py, for the replicas behind nginx
        check=True,
    )
    return venv


def main() -> None:
    global PYTHON, SERVER
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    parser.add_argument("--in-place", action="store_true", help="measure this Python's venv, not a fresh one")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--hosted-only", action="store_true", help="only the hosted rows (50 users over OAuth)")
    options = parser.parse_args()
    runs, calls = (3, 60) if options.quick else (7, 300)
    if not options.in_place:
        venv = bench_venv()
        PYTHON, SERVER = str(venv / "bin" / "python"), str(venv / "bin" / "mcp-server-clockify")

    hosted = [hosted_load(n, 10 if options.quick else 40) for n in (1, 2)]
    rows = [row for n, h in zip((1, 2), hosted, strict=True) for row in hosted_rows(n, h)]
    if options.hosted_only:
        report(options, runs, calls, rows)
        return
    with background([SERVER, "sandbox-server", "--port", "0", "--quiet"], r"at (http://\S+/api/v1)") as api_url:
        start, bare = cold_start(api_url, runs)
        over_stdio, rss_start, rss_after, _ = stdio_calls(api_url, calls)
        through, direct_async = in_memory_calls(api_url, calls)
        per_second = http_throughput(api_url, callers=8, calls=max(10, calls // 6))
    total, count, mean, largest = tools_list_bytes()
    named, ids_only = entries_bytes()

    floor = statistics.median(direct_async)  # the same GET with httpx.AsyncClient, as the server makes it
    stdio_over = [t - floor for t in over_stdio]
    mem_over = [t - floor for t in through]
    ms = 1000.0
    rows = [
        *rows,
        Row("cold start to tools/list (stdio, median)", f"{start * ms:.0f} ms"),
        Row("bare `import mcp.server.lowlevel, mcp.server.stdio` (median)", f"{bare * ms:.0f} ms"),
        Row("cold start / bare SDK import", f"{start / bare:.2f}x", "<= 1.3x", start / bare <= 1.3),
        Row("direct httpx.AsyncClient GET to the sandbox server (median)", f"{floor * ms:.2f} ms"),
        Row(
            "per-call overhead over stdio, p50",
            f"{statistics.median(stdio_over) * ms:.2f} ms",
            "<= 1.0 ms",
            statistics.median(stdio_over) <= 0.001,
        ),
        Row("per-call overhead over stdio, p95", f"{pct(stdio_over, 0.95) * ms:.2f} ms"),
        Row("per-call overhead in memory (no stdio), p50", f"{statistics.median(mem_over) * ms:.2f} ms"),
        Row("per-call overhead in memory (no stdio), p95", f"{pct(mem_over, 0.95) * ms:.2f} ms"),
        Row("throughput, 8 concurrent callers over streamable HTTP", f"{per_second:.0f} calls/s"),
        Row("resident memory after start", f"{rss_start:.1f} MB", "<= 70 MB", rss_start <= 70),
        Row("resident memory after 1,000 calls", f"{rss_after:.1f} MB", "<= 70 MB", rss_after <= 70),
        Row(
            "tools/list, compact JSON",
            f"{total:,} bytes ({count} tools)",
            "<= 55,000 bytes",
            total <= 55_000,
        ),
        Row("tools/list per tool (mean / largest)", f"{mean:,} / {largest:,} bytes"),
        Row(
            "get_entries, 15 entries: with names / ids only",
            f"{named:,} / {ids_only:,} bytes ({named / ids_only:.2f}x)",
            "<= 1.25x",
            named <= 1.25 * ids_only,
        ),
    ]
    report(options, runs, calls, rows)


def hosted_rows(replicas: int, h: Hosted) -> list[Row]:
    where = "1 replica" if replicas == 1 else "2 replicas behind nginx"
    memory = ", ".join(f"{b:.1f} -> {a:.1f} MB" for b, a in zip(h.rss_before, h.rss_after, strict=True))
    return [
        Row(f"hosted, {USERS} users over OAuth, {where}: throughput", f"{h.calls_per_second:.0f} calls/s"),
        Row(f"hosted, {where}: latency p50 / p99", f"{h.p50_ms:.1f} / {h.p99_ms:.1f} ms"),
        Row(f"hosted, {where}: resident memory per replica, before -> after", memory),
        Row(f"hosted, {where}: answers with another user's data", str(h.wrong), "0", h.wrong == 0),
        Row(f"hosted, {where}: failed calls", "; ".join(f"{n} x {why}" for why, n in h.failed.items()) or "0"),
    ]


def report(options: argparse.Namespace, runs: int, calls: int, rows: list[Row]) -> None:
    header = (
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {'this venv' if options.in_place else 'a production install'}, "
        f"load average {os.getloadavg()[0]:.1f} at the end (the machine is shared), "
        f"{runs} cold starts, {calls} timed calls"
        f"{' (--quick)' if options.quick else ''}; CLOCKIFY_MAX_RPS lifted so the 50/s client-side limit "
        "does not pace the loops. Reproduce: `python benchmarks/run.py`."
    )
    table = ["| metric | result | target |", "|---|---|---|"]
    for row in rows:
        verdict = "" if row.ok is None else (" (met)" if row.ok else " (MISSED)")
        table.append(f"| {row.metric} | {row.value} | {row.target}{verdict} |")
    text = header + "\n\n" + "\n".join(table) + "\n"
    print(text)
    Path(options.out).write_text(text)


if __name__ == "__main__":
    main()
