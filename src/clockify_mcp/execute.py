"""The one generic path of a tool call: validate, build the request, send it, format the result.

Nothing here knows about MCP transports or about any particular tool.
"""

from __future__ import annotations

import logging
from typing import Any

import mcp_types as types
from pydantic import ValidationError

from . import results
from .client import ClockifyClient, ClockifyError, TransportFailure
from .config import Settings
from .registry import Operation, Request
from .types import Args, NeedsTimezone

__all__ = ["build_request", "run_tool"]

log = logging.getLogger(__name__)


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


async def run_tool(
    op: Operation, arguments: dict[str, Any] | None, client: ClockifyClient, settings: Settings
) -> types.CallToolResult:
    try:
        args = op.model.model_validate(arguments or {})
    except ValidationError as exc:
        return results.invalid_arguments(op, exc)
    try:
        request = await build_request(op, args, client, settings)
        if op.prepare is not None:
            request = await op.prepare(op, args, request, client)
        response = await client.send(request)
    except ClockifyError as exc:
        return results.api_error(exc, settings.secrets)
    except TransportFailure as exc:
        return results.transport_error(exc, op)
    return results.success(op, args, response)
