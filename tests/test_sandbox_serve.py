"""`serve()` on real loopback: a subprocess on a free port answers one request; it logs to stderr only."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import httpx
import pytest

from clockify_mcp.sandbox import OWNER_ID, SANDBOX_API_KEY

pytestmark = pytest.mark.e2e

CODE = "import datetime; from clockify_mcp.sandbox import serve; serve(port=0, today=datetime.date(2026, 11, 25))"


def test_serve_answers_on_loopback_and_logs_to_stderr_only() -> None:
    process = subprocess.Popen([sys.executable, "-c", CODE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)  # never hang the suite on a server that does not start
    watchdog.start()
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/v1", banner)
        assert match, f"no URL in the first stderr line: {banner!r}"
        url = match.group(0)
        response = None
        for _ in range(100):  # the socket is bound before the banner; uvicorn may still be starting
            try:
                response = httpx.get(f"{url}/user", headers={"X-Api-Key": SANDBOX_API_KEY}, timeout=5)
                break
            except httpx.TransportError:
                threading.Event().wait(0.05)
        assert response is not None and response.status_code == 200
        assert response.json()["id"] == OWNER_ID
        assert response.headers["content-type"] == "application/json"
    finally:
        watchdog.cancel()
        process.terminate()
        stdout, stderr = process.communicate(timeout=15)
    assert stdout == ""
    assert "GET /api/v1/user" in stderr  # the access log, on stderr
