"""Test helpers: a fake Clockify at the HTTP layer, an in-process MCP client, and the reference data in tests/data."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import httpx2
import mcp_types as types
from mcp import Client

from mcp_server_clockify.config import Settings
from mcp_server_clockify.server import build_server

DATA = Path(__file__).resolve().parent / "data"
"""Reference data extracted by scripts/extract-reference-data (sources: tests/data/README.md)."""

API_KEY = "test-key-7f3a9c2e-DO-NOT-LEAK"
WS = "5f1d8c2e9a3b4c5d6e7f8a90"
USER = "60a1b2c3d4e5f60718293a4b"
OTHER_USER = "60a1b2c3d4e5f60718293a4c"
ENTRY = "6501aa11bb22cc33dd44ee55"
ENTRY2 = "6501aa11bb22cc33dd44ee56"
PROJECT = "64c777ddd3fcab07cfbb210c"
TASK = "64c777ddd3fcab07cfbb3333"
TAG = "64c777ddd3fcab07cfbb4444"
TAG2 = "64c777ddd3fcab07cfbb4445"
FIELD = "64c777ddd3fcab07cfbb5555"
POLICY = "63a0b1c2d3e4f5a6b7c8d9e0"
P = "clockify_time_tracking_"
BASE = "https://api.clockify.me/api/v1"

Responder = Callable[[httpx2.Request], httpx2.Response]


def settings(**overrides: Any) -> Settings:
    """Settings for exact-request tests against a fake Clockify: UTC, destructive calls not held for confirmation
    (the confirmation modes have their own tests: test_safety.py, test_confirm_modes.py), and no names next to
    ids (they read the workspace's projects, tags and users, which these fakes do not model; test_names.py
    tests them)."""
    values: dict[str, Any] = {"api_key": API_KEY, "timezone": ZoneInfo("UTC"), "confirm": "off", "names": False}
    values.update(overrides)
    return Settings(**values)


@dataclass
class Sent:
    """One request as Clockify received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any
    headers: httpx2.Headers
    raw: bytes

    @classmethod
    def of(cls, request: httpx2.Request) -> Sent:
        raw = request.content
        path = request.url.path.removeprefix("/api/v1")
        return cls(
            method=request.method,
            path=path,
            query=parse_qsl(request.url.query.decode(), keep_blank_values=True),
            body=json.loads(raw) if raw else None,
            headers=request.headers,
            raw=raw,
        )


@dataclass
class FakeClockify:
    """Answers every request with `responder` and keeps what was sent."""

    responder: Responder = field(default=lambda request: httpx2.Response(200, json={}))
    sent: list[Sent] = field(default_factory=list)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.sent.append(Sent.of(request))
        return self.responder(request)

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)


def reply(
    status: int = 200, body: Any = None, headers: dict[str, str] | None = None, text: str | None = None
) -> Responder:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if text is not None:
            return httpx2.Response(status, text=text, headers=headers)
        if body is None:
            return httpx2.Response(status, headers=headers)
        return httpx2.Response(status, json=body, headers=headers)

    return respond


@asynccontextmanager
async def session(
    responder: Responder | None = None, *, config: Settings | None = None
) -> AsyncIterator[tuple[Client, FakeClockify]]:
    """An in-process MCP client connected to our server, which talks to a fake Clockify."""
    fake = FakeClockify(responder or reply(200, {}))
    server = build_server(config or settings(), transport=fake.transport)
    async with Client(server) as client:
        yield client, fake


async def call(
    tool: str,
    arguments: dict[str, Any] | None,
    responder: Responder | None = None,
    *,
    config: Settings | None = None,
) -> tuple[types.CallToolResult, list[Sent]]:
    """Call one tool through a real in-process MCP client; return the result and what Clockify received."""
    config = config or settings()
    async with session(responder, config=config) as (client, fake):
        result = await client.call_tool(tool if tool.startswith(P) else P + tool, arguments)
    header, secret = config.auth_header
    for sent in fake.sent:  # every request carries exactly the configured credential
        assert sent.headers.get(header) == secret
        assert not ({"x-api-key", "x-addon-token", "authorization"} - {header.lower()}) & set(sent.headers.keys())
    return result, fake.sent


def assert_rejected(result: types.CallToolResult, sent: list[Sent], expected: str = "") -> str:
    """`result` refuses the call before anything went out: an isError that says nothing was sent and contains
    `expected` (the parameter and what is wrong), and Clockify received no request. Returns the error text."""
    body = text(result)
    assert result.is_error, f"accepted: {body}"
    assert "nothing was sent" in body, body
    assert expected in body, body
    assert sent == [], f"requests were sent: {sent}"
    return body


async def rejected(tool: str, arguments: dict[str, Any] | None, expected: str = "") -> str:
    """Call `tool` with bad `arguments` and `assert_rejected` the outcome."""
    result, sent = await call(tool, arguments)
    return assert_rejected(result, sent, expected)


def written(sent: list[Sent]) -> Sent:
    """The one write among the requests (reads before it resolve zones and periods; reads after it name days)."""
    [write] = [s for s in sent if s.method != "GET"]
    return write


def text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


def result_json(result: types.CallToolResult) -> Any:
    """The JSON part of a successful result (the first line holds it; notes follow on later lines)."""
    return json.loads(text(result).split("\n", 1)[0])


def seed() -> dict[str, Any]:
    """The seed's 42 tools: {tool name: {"params": [{name, type, required}]}}."""
    return json.loads((DATA / "seed-tools.json").read_text(encoding="utf-8"))


def sample(name: str) -> tuple[int, Any]:
    """Status and body of a recorded Clockify response (tests/data/samples)."""
    data = json.loads((DATA / "samples" / name).read_text(encoding="utf-8"))
    return data["status"], data["body"]
