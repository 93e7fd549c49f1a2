"""mcp-server-clockify: the Clockify time-tracking API as MCP tools."""

__version__ = "0.1.0"
