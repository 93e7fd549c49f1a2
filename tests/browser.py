"""Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: commands on fd 3, answers on fd 4, each a NUL-terminated JSON message), so a
test needs no driver or websocket library. Where chromium is missing the tests skip, except in CI."""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium; scripts/test installs it when run as root)")


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above fd 9, so the shell's `3<&N 4>&M` cannot overwrite one with the other."""
    moved = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return moved[0], moved[1]


class Browser:
    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="mcp-clockify-chromium-")
        to_child, self._out = _high(os.pipe())
        self._in, from_child = _high(os.pipe())
        command = [chromium_or_skip(), *FLAGS, f"--user-data-dir={self._profile}", "about:blank"]
        shell = f'exec "$0" "$@" 3<&{to_child} 4>&{from_child}'
        self.process = subprocess.Popen(
            ["bash", "-c", shell, *command],  # bash: dash takes single-digit descriptors only
            pass_fds=(to_child, from_child),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._ids = itertools.count(1)
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=True)

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._in, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    message = json.loads(raw)
                    if "id" in message:
                        with self._lock:
                            waiting = self._answers.get(message["id"])
                        if waiting is not None:
                            waiting.put(message)
                    else:
                        self._events.put(message)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        number = next(self._ids)
        answer: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._answers[number] = answer
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        reply = answer.get(timeout=30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _wait_for_load(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = self._events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event.get("method") == "Page.loadEventFired":
                return
        raise TimeoutError("the page did not load")

    def _drain(self) -> None:
        while not self._events.empty():
            self._events.get_nowait()

    def goto(self, url: str) -> None:
        self._drain()
        self.send("Page.navigate", {"url": url}, session=True)
        self._wait_for_load()

    def run(self, script: str, *, navigates: bool = False) -> Any:
        """Evaluate `script` in the page (what a user's typing and clicking would do)."""
        self._drain()
        result = self.send("Runtime.evaluate", {"expression": script, "returnByValue": True}, session=True)
        if navigates:
            self._wait_for_load()
        return result.get("result", {}).get("value")

    def text(self) -> str:
        return str(self.run("document.body ? document.body.innerText : ''"))

    def wait_for_text(self, wanted: str, timeout: float = 20.0) -> str:
        """The page's text once it contains `wanted` (for navigations the test does not start itself)."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):  # the page may be between documents
                shown = self.text()
                if wanted in shown:
                    return shown
            time.sleep(0.1)
        raise AssertionError(f"{wanted!r} did not appear; the page shows {shown[:300]!r}")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # it may already be gone
            self.send("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        os.close(self._out)
        shutil.rmtree(self._profile, ignore_errors=True)
