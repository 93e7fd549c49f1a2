"""The whole tools/list: a byte budget (every agent pays it in context on every turn), the catalogue the server
serves it from (kept equal to the tool modules), and lazy loading of the tool modules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from mcp import Client

from helpers import FakeClockify, settings
from mcp_server_clockify import catalogue, toolsets
from mcp_server_clockify.server import build_server

pytestmark = pytest.mark.anyio

BUDGET = 55_000
"""Bytes of compact JSON for the whole tools/list, with every parameter described and every enum listed."""


async def listed() -> list[dict]:
    async with Client(build_server(settings(), transport=FakeClockify().transport)) as client:
        tools = (await client.list_tools()).tools
    return [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools]


async def test_tools_list_fits_its_byte_budget() -> None:
    tools = await listed()
    size = len(json.dumps({"tools": tools}, separators=(",", ":")))
    assert size <= BUDGET, f"tools/list is {size:,} bytes, over the {BUDGET:,} budget"


def test_catalogue_matches_the_tool_modules() -> None:
    """The served definitions are exactly what the models generate; after changing a tool run
    `python -m mcp_server_clockify.catalogue` and review the diff of catalogue.json."""
    assert catalogue.FILE.read_text(encoding="utf-8") == catalogue.render(catalogue.generate()), (
        "catalogue.json is stale: run python -m mcp_server_clockify.catalogue"
    )


async def test_served_list_is_the_catalogue() -> None:
    assert await listed() == [e.definition for e in catalogue.entries()]


def test_catalogue_lists_the_toolsets_in_their_order() -> None:
    """tools/list groups the tools toolset by toolset, in the order toolsets.TOOLSETS gives, none empty."""
    order = [e.toolset for e in catalogue.entries()]
    assert list(dict.fromkeys(order)) == list(toolsets.NAMES)


@pytest.mark.e2e
def test_tool_modules_load_only_when_their_tools_are_called() -> None:
    code = """
import sys, anyio, httpx2
from mcp import Client
from mcp_server_clockify import catalogue
from mcp_server_clockify.config import Settings
from mcp_server_clockify.server import build_server

def loaded():
    prefix = "mcp_server_clockify.tools."
    return sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith(prefix) and "._" not in m)

async def main():
    fake = lambda: httpx2.MockTransport(lambda r: httpx2.Response(200, json={}))
    server = build_server(Settings(api_key="k" * 12, timezone=None), transport=fake)
    async with Client(server) as client:
        assert len((await client.list_tools()).tools) == len(catalogue.entries())
        print(loaded())
        await client.call_tool("clockify_time_tracking_get_workspaces", {})
        print(loaded())

anyio.run(main)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    before, after = out.stdout.splitlines()
    assert before == "[]"
    assert after == "['discovery']"
