"""The whole tools/list: a byte budget (every agent pays it in context on every turn) and a reviewed snapshot."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from mcp import Client

from clockify_mcp.server import build_server
from helpers import FakeClockify, settings

pytestmark = pytest.mark.anyio

BUDGET = 55_000
"""Bytes of compact JSON for the whole tools/list, with every parameter described and every enum listed."""
SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"


async def listed() -> list[dict]:
    async with Client(build_server(settings(), transport=FakeClockify().transport)) as client:
        tools = (await client.list_tools()).tools
    return [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools]


async def test_tools_list_fits_its_byte_budget() -> None:
    tools = await listed()
    size = len(json.dumps({"tools": tools}, separators=(",", ":")))
    assert size <= BUDGET, f"tools/list is {size:,} bytes, over the {BUDGET:,} budget"
    assert len(tools) == 47


async def test_tools_list_matches_the_reviewed_snapshot() -> None:
    """Any change to a tool's name, description, schema or hints shows up here as a diff to review.

    After an intended change: UPDATE_SNAPSHOTS=1 ./scripts/test tests/test_tool_list.py
    """
    current = json.dumps(await listed(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(current)
    assert SNAPSHOT.read_text() == current, "tools/list changed: review, then UPDATE_SNAPSHOTS=1"
