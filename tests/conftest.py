from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from mcp_server_clockify.client import ClockifyClient

# In CI (CI=true) property tests are derandomized: the same examples on every run, so a red build is
# reproducible and never depends on luck; locally they explore new examples (and remember failures).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() in ("true", "1"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits are recorded instead of slept, so retry tests are instant and can check the delays."""
    waited: list[float] = []

    async def record(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(ClockifyClient, "wait", staticmethod(record))
    return waited


@pytest.fixture(autouse=True)
def processes_need_the_e2e_marker(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a process (directly, through asyncio/anyio or the SDK's stdio client: all go through
    subprocess.Popen) must carry the `e2e` marker, so `-m "not e2e"` runs exactly the in-process tests."""
    if request.node.get_closest_marker("e2e") is not None:
        return

    def refuse(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"{request.node.nodeid} starts a process but is not marked e2e")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
