"""The MCP server: `tools/list` and `tools/call` served from the registry on the SDK's low-level Server.

The lifespan owns the process's one ClockifyClient (one httpx2 connection pool).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from . import __version__, catalogue, credentials, results
from .auth.grants import Grants, grants_from_url
from .client import ClockifyClient
from .config import Settings
from .confirm import Tokens, keys_from
from .execute import CallContext, Confirm, offered, run_tool
from .registry import Operation
from .schema import input_schema

if TYPE_CHECKING:
    import httpx2

__all__ = ["AppState", "build_server", "shared_client", "tool_definition", "tracing_configured"]

log = logging.getLogger(__name__)

INSTRUCTIONS = """\
Clockify time tracking. Omit workspaceId and userId to mean your active workspace and yourself (the API \
key's owner). Other ids are 24 hexadecimal characters: find them with get_projects (hydrated=true adds \
task ids), get_users, get_time_off_policies, get_workspaces, get_current_user.
Date-times: 2026-11-28T09:00:00Z or with an offset (+01:00); without an offset they are read in {zone}; \
a bare date means midnight; "now" means the current time. Holiday dates are yyyy-MM-dd.
List tools page with page/page-size and tell you when another page exists.\
"""


@dataclass(slots=True)
class AppState:
    """What every tool call needs: the settings and the shared Clockify client."""

    settings: Settings
    client: ClockifyClient
    tokens: Tokens


CONFIRM_PROPERTY = {"type": "string", "description": "The preview's token, once the user agreed."}
"""Destructive tools take an optional confirmation token (CLOCKIFY_CONFIRM=token or a client without forms)."""


def tool_definition(op: Operation) -> types.Tool:
    """The advertised tool. The title travels in the annotations only (clients fall back to it). Hints that
    say nothing are left out: openWorldHint is true by default (every tool reaches Clockify), idempotentHint
    false by default, and the spec gives destructiveHint and idempotentHint meaning only when readOnlyHint is
    false."""
    schema = input_schema(op.model)
    if op.destructive:
        schema["properties"] = {**schema.get("properties", {}), "confirm": CONFIRM_PROPERTY}
    return types.Tool(
        name=op.name,
        description=op.description,
        input_schema=schema,
        annotations=types.ToolAnnotations(
            title=op.title,
            read_only_hint=op.read_only,
            destructive_hint=None if op.read_only else op.destructive,
            idempotent_hint=(op.idempotent or None) if not op.read_only else None,
        ),
    )


SANDBOX_NOTE = "(sandbox: simulated Clockify demo data, not a real account)"
SANDBOX_INSTRUCTIONS = (
    "SANDBOX MODE: this server talks to a built-in Clockify simulator with demo data (workspace "
    '"Sandbox Workspace (demo data)"). Nothing here is anyone\'s real data and nothing reaches a real Clockify '
    "account; the data resets when the server restarts.\n"
)


def instructions(settings: Settings) -> str:
    zone = settings.timezone.key if settings.timezone else "your Clockify profile's time zone"
    text = INSTRUCTIONS.format(zone=zone)
    return SANDBOX_INSTRUCTIONS + text if settings.sandbox else text


def sandbox_transport(today: date | None = None) -> TransportFactory:
    """One simulator per server (its state lives as long as the process), reached in-process."""
    from . import sandbox

    app = sandbox.create_app(today=today)
    return lambda: sandbox.transport(app)


def _mark_sandbox(result: types.CallToolResult) -> types.CallToolResult:
    return results.with_note(result, SANDBOX_NOTE)


TransportFactory = Callable[[], "httpx2.AsyncBaseTransport | None"]


def shared_client(settings: Settings) -> ClockifyClient:
    """The one ClockifyClient (one connection pool) of an HTTP server, for all its sessions and users. Stateless
    HTTP runs the server's lifespan for every request: a client made there would open a new pool (and new
    connections to Clockify) per call. See benchmarks/run.py."""
    transport = sandbox_transport(settings.sandbox_today) if settings.sandbox else None
    return ClockifyClient(settings, transport=transport() if transport else None)


def build_server(
    settings: Settings,
    *,
    transport: TransportFactory | None = None,
    client: ClockifyClient | None = None,
    grants: Grants | None = None,
) -> Server[AppState]:
    """A ready-to-run MCP server for `settings`.

    Only the tools the settings offer are listed (read-only mode and toolsets); calling any other is an
    isError result. The tools come from the catalogue (no tool module is imported until its tool is called).
    `transport` makes the httpx2 transport the client uses (tests pass a fake; None means the network).
    """
    if settings.sandbox and transport is None:
        transport = sandbox_transport(settings.sandbox_today)
    tools = [types.Tool.model_validate(e.definition) for e in catalogue.entries() if offered(e, settings)]
    listing = types.ListToolsResult(tools=tools)
    schemas = {t.name: t.input_schema for t in tools}
    """For the SDK's check of `Mcp-Param-*` headers on 2026-07-28 calls: without it, the SDK runs the whole
    tools/list (54 tools, 54 kB) on every such call to find one schema, which doubled the call's CPU."""
    # CLOCKIFY_MCP_SECRET as the settings read it (environment or .env): replicas then check each other's tokens
    tokens = Tokens(
        keys_from({"CLOCKIFY_MCP_SECRET": settings.mcp_secret or ""}, settings.confirm_secret),
        # with Redis, a token used on one replica is used on all; the OAuth app passes its own store (one client)
        spent=grants if grants is not None else grants_from_url(settings.redis_url),
    )

    @asynccontextmanager
    async def lifespan(_: Server[AppState]) -> AsyncIterator[AppState]:
        if client is not None:  # HTTP: the process's one pool serves every session (see shared_client)
            yield AppState(settings, client, tokens)
            return
        async with ClockifyClient(settings, transport=transport() if transport else None) as own:
            yield AppState(settings, own, tokens)

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return listing

    async def call_tool(
        ctx: ServerRequestContext[AppState], params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        op = catalogue.operation(params.name)
        if op is None:
            return results.error(f"Unknown tool {params.name!r}. Call tools/list for the available tools.")
        state = ctx.lifespan_context
        client, secrets = state.client, settings.secrets
        user = credentials.from_scope(ctx.request)
        if user is not None:  # hosted mode: the call runs as the signed-in user
            client, secrets = client.for_user(user), (*secrets, user.secret)
        elif settings.hosted:  # never fall back to the server's own key
            return results.error("This server is hosted: sign in (or send your Clockify key) first. Nothing was sent.")
        call = CallContext(client, settings, confirm=_confirmer(ctx, params), tokens=state.tokens, names=client.names)
        try:
            result = await run_tool(op, params.arguments, call)
        except AskClient as ask:
            return ask.result
        except Exception:
            log.exception("unexpected error in %s", op.name)
            return results.error(f"{op.name} failed with an unexpected internal error; nothing more is known.")
        result = results.sendable(results.redacted(result, secrets))
        return _mark_sandbox(result) if settings.sandbox else result

    server = Server(
        "mcp-server-clockify",
        version=__version__,
        title="Clockify (sandbox)" if settings.sandbox else "Clockify",
        instructions=instructions(settings),
        lifespan=lifespan,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        get_tool_input_schema=schemas.get,
    )
    if not tracing_configured():
        server.middleware = [m for m in server.middleware if type(m).__name__ != "OpenTelemetryMiddleware"]
    return server


def tracing_configured() -> bool:
    """Whether an OpenTelemetry tracer provider is in place (set by the program or `opentelemetry-instrument`, or
    named by OTEL_PYTHON_TRACER_PROVIDER). Without one the SDK's span per message records nothing and still
    costs about 7% of a call's CPU (benchmarks/RESULTS.md), so the server drops that middleware; with one, every
    message gets its span as the SDK intends."""
    from opentelemetry import trace

    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)


CONFIRM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"confirm": {"type": "boolean", "title": "Confirm", "description": "Yes, do it."}},
    "required": ["confirm"],
}


class AskClient(Exception):
    """On 2026-07-28+ connections a question travels back as the call's result; the client retries."""

    def __init__(self, result: types.InputRequiredResult) -> None:
        self.result = result


def _confirmer(ctx: ServerRequestContext[AppState], params: types.CallToolRequestParams) -> Confirm | None:
    """How to ask this client's human for a yes/no, or None when the client declared no form elicitation."""
    caps = ctx.session.client_capabilities
    elicitation = caps.elicitation if caps is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return None
    modern = ctx.protocol_version in MODERN_PROTOCOL_VERSIONS

    async def confirm(message: str) -> str:
        digest = hashlib.sha256(message.encode()).hexdigest()
        question = types.ElicitRequestFormParams(message=message, requested_schema=CONFIRM_SCHEMA)
        if modern:
            answer = (params.input_responses or {}).get("confirm")
            if params.request_state == digest and isinstance(answer, types.ElicitResult):
                return _action(answer)
            raise AskClient(
                types.InputRequiredResult(
                    input_requests={"confirm": types.ElicitRequest(params=question)}, request_state=digest
                )
            )
        try:
            result = await ctx.session.elicit_form(message, CONFIRM_SCHEMA, related_request_id=ctx.request_id)
        except Exception as exc:  # the client could not ask: do nothing rather than act unconfirmed
            log.warning("elicitation failed: %s", exc)
            return "cancel"
        return _action(result)

    return confirm


def _action(result: types.ElicitResult) -> str:
    if result.action == "accept":
        return "accept" if (result.content or {}).get("confirm") is True else "decline"
    return result.action
