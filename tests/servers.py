"""Starting the real `mcp-server-clockify` as a subprocess for end-to-end tests."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

KEY = "e2e-key-c0ffee-0123"


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
}
"""A raw `initialize` request, for tests that speak streamable HTTP without an SDK client."""
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
"""The headers every streamable-HTTP POST carries."""
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ssl_cert_file", "ssl_cert_dir")


def server_command() -> str:
    """The installed console script (what a user runs)."""
    beside = Path(sys.executable).with_name("mcp-server-clockify")
    found = str(beside) if beside.exists() else shutil.which("mcp-server-clockify")
    assert found, "the mcp-server-clockify console script is not installed"
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any CLOCKIFY_ setting or proxy variable, plus `extra`: what a
    started server sees comes from the test alone (not from the developer's shell)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_") and k.lower() not in PROXY_VARS}
    env.update(extra)
    return env


def server_env(**extra: str) -> dict[str, str]:
    """`clean_env` with a test key and UTC, then `extra`."""
    return clean_env(**{"CLOCKIFY_API_KEY": KEY, "CLOCKIFY_TIMEZONE": "UTC", **extra})


def run_server(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`mcp-server-clockify ARGS` to its end, stdin closed; stdout and stderr captured as text."""
    return subprocess.run(
        [server_command(), *args],
        env=server_env() if env is None else env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@dataclass
class Running:
    url: str
    process: subprocess.Popen[str]
    stderr: list[str] = field(default_factory=list)
    stdout: str = ""
    """Everything the process wrote to stdout, once it has stopped."""


@contextmanager
def announced(
    command: list[str], pattern: str, *, env: dict[str, str] | None = None, timeout: float = 30.0
) -> Iterator[Running]:
    """Run `command` and yield once it announces the URL that `pattern`'s first group matches on stderr."""
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            match = re.search(pattern, line)
            if match and not found:
                found["url"] = match.group(1)
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    ready.wait(timeout)
    running = Running(found.get("url", ""), process, lines)
    try:
        assert running.url, f"{command[0]} did not start: {''.join(lines)}"
        yield running
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        assert process.stdout is not None
        running.stdout = process.stdout.read()


def http_server(*args: str, env: dict[str, str] | None = None) -> AbstractContextManager[Running]:
    """`mcp-server-clockify --transport http --port 0 ARGS`, once it listens."""
    command = [server_command(), "--transport", "http", "--port", "0", *args]
    return announced(command, r"at (http://\S+/mcp)", env=env or server_env())


def sandbox_server(*args: str) -> AbstractContextManager[Running]:
    """`mcp-server-clockify sandbox-server --port 0 ARGS`, once it listens; its url ends in /api/v1."""
    return announced([server_command(), "sandbox-server", "--port", "0", *args], r"at (http://\S+/api/v1)")
