"""OpenTelemetry spans (issue 16): the SDK's span per message is kept when a tracer provider is configured and
dropped when none is (it would record nothing and cost about 7% of each call's CPU)."""

from __future__ import annotations

import pytest
from opentelemetry import trace

from mcp_server_clockify.config import Settings
from mcp_server_clockify.sandbox import SANDBOX_API_KEY, SANDBOX_BASE_URL
from mcp_server_clockify.server import build_server, tracing_configured

SANDBOX = Settings(api_key=SANDBOX_API_KEY, api_url=SANDBOX_BASE_URL)


def _spans(server: object) -> bool:
    return any(type(m).__name__ == "OpenTelemetryMiddleware" for m in getattr(server, "middleware", []))


def test_no_tracer_provider_no_span_middleware() -> None:
    assert not tracing_configured()
    assert not _spans(build_server(SANDBOX))


def test_a_configured_tracer_provider_keeps_the_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: trace.NoOpTracerProvider())
    assert tracing_configured()
    assert _spans(build_server(SANDBOX))
