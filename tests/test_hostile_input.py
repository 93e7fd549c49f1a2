"""Property-based: every tool driven with arbitrary JSON arguments.

For any arguments: no unhandled exception, no request to a path outside the tool's own route (or the reads
the tool is declared to make), and every rejection names a parameter.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import httpx2
import pytest
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from mcp import Client

from helpers import settings
from mcp_server_clockify.registry import Operation
from mcp_server_clockify.server import build_server, tool_definition
from mcp_server_clockify.tools import OPERATIONS
from test_bad_input import baseline

OPS = {op.name: op for op in OPERATIONS}
ID = "[0-9a-fA-F]{24}"
HOSTILE = st.sampled_from(
    [
        "../../user",
        "..",
        "%2e%2e%2f",
        "a/b",
        "?x=1",
        "#frag",
        "5f1d8c2e9a3b4c5d6e7f8a90/../x",
        "\x00",
        " ",
        "\U0001d518nicode",
        "A" * 5000,
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | HOSTILE,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def route(template: str, base: str = "/api/v1") -> re.Pattern[str]:
    return re.compile("^" + base + re.sub(r"\\\{[^}]+\\\}", ID, re.escape(template)) + "$")


def allowed_routes(op: Operation) -> list[re.Pattern[str]]:
    templates = [op.path, "/user", *op.reads] + ([op.merge.path] if op.merge else [])
    if op.subject:  # the person the call is about: their zone, from the workspace's users
        templates.append("/workspaces/{workspaceId}/users")
    routes = [route(t) for t in templates]
    if op.compute is not None and "/reports/" in op.path:  # the Reports API, on reports.api.clockify.me/v1
        routes.append(route(op.path, "/v1"))
    return routes


def arguments(op: Operation) -> st.SearchStrategy[dict[str, Any]]:
    props = list(tool_definition(op).input_schema["properties"])
    base = baseline(op.name)
    keys = (st.sampled_from(props) | st.text(max_size=12)) if props else st.text(max_size=12)
    kept = st.sets(st.sampled_from(sorted(base)), max_size=len(base)) if base else st.just(set())
    return st.builds(
        lambda keep, extra: {**{k: base[k] for k in keep}, **extra},
        kept,
        st.dictionaries(keys, JSON, max_size=4),
    )


def respond(request: httpx2.Request) -> httpx2.Response:
    if request.method == "GET":
        return httpx2.Response(200, json={"id": "5f1d8c2e9a3b4c5d6e7f8a90", "settings": {"timeZone": "UTC"}})
    return httpx2.Response(200, json={})


def test_ci_runs_the_property_tests_derandomized() -> None:
    assert hsettings.get_profile("ci").derandomize
    if os.environ.get("CI", "").lower() in ("true", "1"):
        assert hsettings().derandomize and hsettings().database is None


@pytest.mark.parametrize("name", sorted(OPS))
def test_arbitrary_arguments(name: str) -> None:
    """Through the whole server (an MCP client in this process): an exception anywhere in the tool's path would
    come back as the server's "unexpected internal error" result, which no input may produce."""
    op = OPS[name]
    routes = allowed_routes(op)
    names = set(tool_definition(op).input_schema["properties"])
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return respond(request)

    server = build_server(settings(timezone=None), transport=lambda: httpx2.MockTransport(handler))
    with start_blocking_portal() as portal, portal.wrap_async_context_manager(Client(server)) as client:

        @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(args=arguments(op))
        def check(args: dict[str, Any]) -> None:
            seen.clear()
            result = portal.call(client.call_tool, name, args)
            text = result.content[0].text
            assert "unexpected internal error" not in text, text
            for request in seen:
                assert any(r.match(request.url.path) for r in routes), f"{request.method} {request.url.path}"
            if result.is_error and text.startswith("Invalid arguments"):
                assert not seen
                for line in text.splitlines()[1:]:
                    problem = line.removeprefix("- ")
                    if problem.startswith('"'):  # an odd key is shown as a JSON string
                        param, _ = json.JSONDecoder().raw_decode(problem)
                    else:
                        param = re.split(r"[.:\[]", problem, maxsplit=1)[0]
                    assert param in names or param in args, f"rejection names no parameter: {line!r}"

        check()
