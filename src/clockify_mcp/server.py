"""The MCP server: `tools/list` and `tools/call` served from the registry on the SDK's low-level Server.

The lifespan owns the process's one ClockifyClient (one httpx connection pool).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import mcp_types as types
from mcp.server.lowlevel import Server

from . import __version__, results
from .client import ClockifyClient
from .config import Settings
from .execute import run_tool
from .registry import Operation
from .schema import input_schema
from .tools import OPERATIONS

__all__ = ["AppState", "build_server", "tool_definition"]

log = logging.getLogger(__name__)

INSTRUCTIONS = """\
Clockify time tracking. Ids are 24 hexadecimal characters; find them first:
1. clockify_time_tracking_get_current_user: your user id, active workspace id and time zone.
2. get_workspaces, get_projects (hydrated=true adds task ids), get_users, get_time_off_policies for other ids.
Date-times: 2026-11-28T09:00:00Z or with an offset (+01:00); without an offset they are read in {zone}; \
a bare date means midnight; "now" means the current time. Holiday dates are yyyy-MM-dd.
List tools page with page/page-size and tell you when another page exists.\
"""


@dataclass(slots=True)
class AppState:
    """What every tool call needs: the settings and the shared Clockify client."""

    settings: Settings
    client: ClockifyClient


def tool_definition(op: Operation) -> types.Tool:
    return types.Tool(
        name=op.name,
        title=op.title,
        description=op.description,
        input_schema=input_schema(op.model),
        annotations=types.ToolAnnotations(
            title=op.title,
            read_only_hint=op.read_only,
            destructive_hint=op.destructive,
            idempotent_hint=op.idempotent,
            open_world_hint=True,
        ),
    )


def instructions(settings: Settings) -> str:
    zone = settings.timezone.key if settings.timezone else "your Clockify profile's time zone"
    return INSTRUCTIONS.format(zone=zone)


TransportFactory = Callable[[], httpx.AsyncBaseTransport | None]


def build_server(
    settings: Settings,
    *,
    operations: Iterable[Operation] = OPERATIONS,
    transport: TransportFactory | None = None,
) -> Server[AppState]:
    """A ready-to-run MCP server for `settings`.

    `transport` makes the httpx transport the client uses (tests pass a fake; None means the network).
    """
    ops = {op.name: op for op in operations}
    tools = [tool_definition(op) for op in ops.values()]
    listing = types.ListToolsResult(tools=tools)

    @asynccontextmanager
    async def lifespan(_: Server[AppState]) -> AsyncIterator[AppState]:
        async with ClockifyClient(settings, transport=transport() if transport else None) as client:
            yield AppState(settings, client)

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return listing

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        op = ops.get(params.name)
        if op is None:
            return results.error(f"Unknown tool {params.name!r}. Call tools/list for the available tools.")
        state: AppState = ctx.lifespan_context
        try:
            return await run_tool(op, params.arguments, state.client, settings)
        except Exception:
            log.exception("unexpected error in %s", op.name)
            return results.error(f"{op.name} failed with an unexpected internal error; nothing more is known.")

    return Server(
        "clockify-mcp",
        version=__version__,
        title="Clockify",
        instructions=instructions(settings),
        lifespan=lifespan,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
