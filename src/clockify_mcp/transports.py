"""Serving the MCP server over a transport."""

from __future__ import annotations

from .config import Settings

__all__ = ["serve_stdio"]


async def serve_stdio(settings: Settings) -> None:
    from mcp.server.stdio import stdio_server

    from .server import build_server

    server = build_server(settings)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
