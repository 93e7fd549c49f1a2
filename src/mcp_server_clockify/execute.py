"""The one generic path of a tool call: check the mode, validate, build the request, keep what a replace
would lose, confirm what cannot be undone, send, format.

Nothing here knows about MCP transports or about any particular tool.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import anyio
import mcp_types as types
from pydantic import ValidationError

from . import results
from .client import ClockifyClient, ClockifyError, TransportFailure
from .config import Settings
from .registry import Operation, Request
from .types import Args, NeedsTimezone

__all__ = ["CallContext", "Confirm", "build_request", "offered", "refusal", "run_tool"]

log = logging.getLogger(__name__)

Confirm = Callable[[str], Awaitable[str]]
"""Asks the human to confirm `message`; answers "accept", "decline" or "cancel"."""

PREVIEW_LIMIT = 20
"""Objects read and listed at most in a confirmation message."""


@dataclass(frozen=True, slots=True)
class CallContext:
    client: ClockifyClient
    settings: Settings
    confirm: Confirm | None = None
    """None when the client cannot be asked (it declared no elicitation support)."""


class Tool(Protocol):
    """What the modes look at: an Operation, or a catalogue entry of one."""

    name: str
    toolset: str
    read_only: bool


def offered(op: Tool, settings: Settings) -> bool:
    """Whether the settings offer this tool (read-only mode wins over everything)."""
    return refusal(op, settings) is None


def refusal(op: Tool, settings: Settings) -> str | None:
    if settings.read_only and not op.read_only:
        return (
            f"{op.name} changes data in Clockify, and this server runs in read-only mode "
            "(CLOCKIFY_READ_ONLY / --read-only). Nothing was sent."
        )
    if settings.toolsets is not None and op.toolset not in settings.toolsets:
        enabled = ",".join(sorted(settings.toolsets))
        return (
            f"{op.name} belongs to the toolset {op.toolset!r}, which is not enabled "
            f"(CLOCKIFY_TOOLSETS / --toolsets = {enabled}). Nothing was sent."
        )
    return None


async def build_request(op: Operation, args: Args, client: ClockifyClient, settings: Settings) -> Request:
    """Build the request, fetching the profile time zone once if a date-time needs it.

    CLOCKIFY_TIMEZONE, when set, stands for the account's zone too; otherwise the profile's zone is used.
    """
    zone = settings.timezone or client.cached_profile_timezone
    try:
        return op.build(args, tz=zone, account_tz=zone)
    except NeedsTimezone:
        zone = await client.profile_timezone()
        return op.build(args, tz=zone, account_tz=zone)


class _Gone(Exception):
    """The object a replace-style update should keep fields of is not there."""


async def _merge(op: Operation, args: Args, request: Request, client: ClockifyClient) -> Request:
    """Read the current object and send it back with the caller's fields on top."""
    spec = op.merge
    assert spec is not None
    current = (await client.send(Request("GET", op.fill(spec.path, op.path_values(args))))).body
    if spec.select is not None:
        current = spec.select(current, args)
    if not isinstance(current, dict):
        raise _Gone(f"{op.name}: the object to update was not found in Clockify; nothing was sent.")
    merged = {**spec.to_fields(current), **(request.json or {})}
    return Request(request.method, request.path, request.params, merged, True)


async def _confirmation(op: Operation, args: Args, request: Request, client: ClockifyClient) -> str:
    """What the human is asked: the tool, the exact request, and the objects it changes when they can be read."""
    lines = [f"{op.title} ({op.name}): this cannot be undone.", f"{request.method} {request.path}"]
    preview = op.preview
    if preview is None:
        shown = request.describe()
        lines.extend(f"- {key}: {results.compact(shown[key])}" for key in ("query", "body") if key in shown)
        return "\n".join(lines)
    paths = preview.reads(args)
    found: list[str] = [""] * min(len(paths), PREVIEW_LIMIT)

    async def read(i: int, path: str) -> None:
        try:
            found[i] = "- " + preview.line((await client.send(Request("GET", path))).body)
        except (ClockifyError, TransportFailure):
            found[i] = f"- {path.rsplit('/', 1)[-1]} (could not be read)"

    async with anyio.create_task_group() as group:
        for i, path in enumerate(paths[:PREVIEW_LIMIT]):
            group.start_soon(read, i, path)
    lines.append(f"Will change {len(paths)}:")
    lines.extend(found)
    if len(paths) > PREVIEW_LIMIT:
        lines.append(f"... and {len(paths) - PREVIEW_LIMIT} more")
    return "\n".join(lines)


async def run_tool(op: Operation, arguments: dict[str, Any] | None, ctx: CallContext) -> types.CallToolResult:
    refused = refusal(op, ctx.settings)
    if refused:
        return results.error(refused)
    try:
        args = op.model.model_validate(arguments or {})
    except ValidationError as exc:
        return results.invalid_arguments(op, exc)
    client, settings = ctx.client, ctx.settings
    try:
        request = await build_request(op, args, client, settings)
        if op.merge is not None:
            request = await _merge(op, args, request, client)
        if settings.dry_run and not op.read_only:
            return results.dry_run(op, request)
        if op.destructive and ctx.confirm is not None:
            answer = await ctx.confirm(await _confirmation(op, args, request, client))
            if answer != "accept":
                return results.not_confirmed(op, answer)
        response = await client.send(request, retry_safe=op.read_only)
    except ClockifyError as exc:
        return results.api_error(exc, op)
    except TransportFailure as exc:
        return results.transport_error(exc, op)
    except _Gone as exc:
        return results.error(str(exc))
    return results.success(op, args, response, limit=settings.max_result_chars)
