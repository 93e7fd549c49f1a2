"""Command line: flags -> Settings -> serve over stdio or streamable HTTP."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from . import __version__, toolsets
from .auth import MODES
from .config import CONFIRM_MODES, ConfigError, Settings, parse_toolsets

__all__ = ["RedactingFormatter", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mcp-server-clockify",
        description="MCP server for the Clockify time-tracking API (stdio by default, or streamable HTTP).",
        epilog="Configuration comes from the environment or a .env file: CLOCKIFY_API_KEY (or "
        "CLOCKIFY_ADDON_TOKEN), CLOCKIFY_REGION or CLOCKIFY_API_URL, CLOCKIFY_TIMEZONE; see README.md. "
        "'mcp-server-clockify doctor' checks the configuration against Clockify (reads only) and says what to fix; "
        "'mcp-server-clockify sandbox-server --port N' serves the Clockify simulator on HTTP.",
    )
    parser.add_argument("--version", action="version", version=f"mcp-server-clockify {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging (to stderr)")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=None,
        help="serve every tool against the built-in Clockify simulator with demo data: no account, no key, "
        "no network (CLOCKIFY_SANDBOX=true)",
    )
    net = parser.add_argument_group("transport")
    net.add_argument(
        "--transport", choices=("stdio", "http"), default="stdio", help="how clients connect (default stdio)"
    )
    net.add_argument("--host", default="127.0.0.1", help="HTTP: address to bind (default 127.0.0.1, loopback only)")
    net.add_argument("--port", type=int, default=8000, help="HTTP: port (default 8000; 0 picks a free one)")
    net.add_argument(
        "--auth",
        choices=MODES,
        help="HTTP, hosted for a team: each user brings their own Clockify key, in the X-Clockify-Api-Key header "
        "(key-header) or by signing in once through OAuth 2.1 (oauth; what claude.ai and ChatGPT connectors need). "
        "CLOCKIFY_MCP_AUTH; default: everyone uses CLOCKIFY_API_KEY",
    )
    net.add_argument(
        "--stateless",
        action="store_true",
        help="HTTP: no server-side sessions, so several replicas can serve behind a load balancer",
    )
    modes = parser.add_argument_group("safety modes (each also an environment variable)")
    modes.add_argument(
        "--read-only",
        action="store_true",
        default=None,
        help="offer only tools that read (CLOCKIFY_READ_ONLY=true); stronger than every other setting",
    )
    modes.add_argument(
        "--dry-run",
        action="store_true",
        default=None,
        help="write tools return the request they would send, and send nothing (CLOCKIFY_DRY_RUN=true)",
    )
    modes.add_argument(
        "--toolsets",
        metavar="LIST",
        help="comma-separated groups of tools to offer (CLOCKIFY_TOOLSETS; default all): "
        + "; ".join(f"{t.name} ({t.description})" for t in toolsets.TOOLSETS),
    )
    modes.add_argument(
        "--confirm",
        choices=CONFIRM_MODES,
        help="how destructive calls are confirmed: auto (elicitation if the client has it, else a token), "
        "elicit, token, or off for scripts (CLOCKIFY_CONFIRM; default auto)",
    )
    return parser


class RedactingFormatter(logging.Formatter):
    """Formats log lines (tracebacks included) with every secret replaced."""

    def __init__(self, fmt: str, secrets: Sequence[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _sandbox_server(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="mcp-server-clockify sandbox-server",
        description="Serve the Clockify simulator (demo data, in memory) on real HTTP at /api/v1, for example "
        "to point CLOCKIFY_API_URL at it.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--quiet", action="store_true", help="no access log (one line per request on stderr)")
    parser.add_argument(
        "--extra-users",
        type=int,
        default=0,
        metavar="N",
        help="add N members with keys sandbox-key-member-000 ... (load tests with many users)",
    )
    parser.add_argument(
        "--print-keys",
        action="store_true",
        help="print each seeded user's API key with their name and email, one per line, and exit",
    )
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the day the demo data is built around (default: today, UTC)"
    )
    options = parser.parse_args(argv)
    from .sandbox import key_lines, serve

    if options.print_keys:
        print("\n".join(key_lines()))
        return

    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve(
                options.host,
                options.port,
                today=options.today,
                access_log=not options.quiet,
                extra_users=options.extra_users,
            )
    except OSError as exc:
        _fail(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}")


def _fail(message: str) -> NoReturn:
    """A start-up error: one line on stderr, exit code 2."""
    print(f"mcp-server-clockify: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["sandbox-server"]:
        _sandbox_server(args[1:])
        return
    doctor = args[:1] == ["doctor"]  # the same flags and settings as serving, then checks instead of a server
    options = _parser().parse_args(args[1:] if doctor else args)
    try:
        toolsets = parse_toolsets(options.toolsets, "--toolsets") if options.toolsets is not None else None
        settings = Settings.from_env(
            sandbox=options.sandbox,
            read_only=options.read_only,
            dry_run=options.dry_run,
            toolsets=toolsets,
            auth=options.auth,
            confirm=options.confirm,
        )
    except ConfigError as exc:
        if doctor:
            print(f"FAIL config: {exc}", flush=True)
            raise SystemExit(1) from None
        _fail(str(exc))
    if settings.auth is not None and options.transport != "http":
        _fail(f"--auth {settings.auth} needs --transport http (over stdio the client starts the server with one key)")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", settings.secrets))
    logging.basicConfig(level=logging.DEBUG if options.verbose else logging.WARNING, handlers=[handler], force=True)
    log = logging.getLogger("mcp_server_clockify")
    if settings.dotenv_path:
        log.info("read CLOCKIFY_* settings from %s (values only; the real environment wins)", settings.dotenv_path)
    else:
        log.info("no .env file in %s; settings come from the environment", os.getcwd())
    if not doctor and options.transport == "stdio" and sys.stdin.isatty():  # started by hand: say what it is
        what = "the built-in sandbox (demo data, no account)" if settings.sandbox else settings.api_url
        print(
            f"mcp-server-clockify {__version__}: an MCP server on stdio, serving {what}. It waits for an MCP client "
            "(Claude Desktop, the MCP Inspector, ...) on stdin; see README.md. Ctrl-C stops it.",
            file=sys.stderr,
        )
    import anyio

    if doctor:
        from . import doctor as checks

        raise SystemExit(anyio.run(checks.run, settings))
    from . import transports

    with contextlib.suppress(KeyboardInterrupt):
        if options.transport == "stdio":
            anyio.run(transports.serve_stdio, settings)
            return
        token = settings.http_token
        serve = functools.partial(
            transports.serve_http,
            settings,
            host=options.host,
            port=options.port,
            stateless=options.stateless,
            token=token,
            auth=settings.auth,
        )
        try:
            anyio.run(serve)
        except ConfigError as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}")
