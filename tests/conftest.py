from __future__ import annotations

import pytest

from mcp_server_clockify.client import ClockifyClient


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
