"""mcp-server-clockify: the Clockify time-tracking API as MCP tools."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("mcp-server-clockify")  # the one place it is written is pyproject.toml
except PackageNotFoundError:  # pragma: no cover - imported from a source tree that was never installed
    __version__ = "0+unknown"
