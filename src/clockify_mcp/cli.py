"""Command line: flags -> Settings -> serve over stdio."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence

from . import __version__
from .config import ConfigError, Settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clockify-mcp",
        description="MCP server for the Clockify time-tracking API (stdio).",
        epilog="Configuration comes from the environment or a .env file: CLOCKIFY_API_KEY (or "
        "CLOCKIFY_ADDON_TOKEN), CLOCKIFY_REGION or CLOCKIFY_API_URL, CLOCKIFY_TIMEZONE.",
    )
    parser.add_argument("--version", action="version", version=f"clockify-mcp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging (to stderr)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    options = _parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if options.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"clockify-mcp: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    import anyio

    from .transports import serve_stdio

    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(serve_stdio, settings)
