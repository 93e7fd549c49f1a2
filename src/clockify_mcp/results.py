"""Turning outcomes into tool results: Clockify's JSON compactly, paging notes, and errors an agent can act on."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import mcp_types as types
from pydantic import ValidationError

from .client import ClockifyError, Response, TransportFailure
from .registry import Operation, Request
from .types import Args

__all__ = [
    "api_error",
    "error",
    "invalid_arguments",
    "success",
    "transport_error",
]


def _result(text: str, *, is_error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=is_error)


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def error(text: str) -> types.CallToolResult:
    return _result(text, is_error=True)


def invalid_arguments(op: Operation, exc: ValidationError) -> types.CallToolResult:
    lines = [f"Invalid arguments for {op.name}; nothing was sent to Clockify."]
    lines.extend(f"- {problem}" for problem in describe_validation(exc))
    return error("\n".join(lines))


_PLAIN = {
    "missing": "required parameter is missing",
    "extra_forbidden": "unknown parameter (not part of this tool; check the spelling against the schema)",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected an integer",
    "int_parsing": "expected an integer",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "list_type": "expected an array",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
}


def describe_validation(exc: ValidationError) -> list[str]:
    """One `param: problem` line per error, the parameter named by its wire name and its path inside it."""
    out: list[str] = []
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = ""
        for part in err["loc"]:
            if isinstance(part, int):
                loc += f"[{part}]"
            elif not _is_union_tag(part):
                loc += f".{part}" if loc else str(part)
        msg = _PLAIN.get(err["type"], err["msg"]).removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return list(dict.fromkeys(out))


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the union member's type name in the location (e.g. "str", "function-after[...]")
    return part in {"str", "int", "float", "bool", "list", "dict"} or "[" in part


def success(op: Operation, args: Args, response: Response) -> types.CallToolResult:
    body = response.body
    if body is None:
        if response.text.strip():
            return _result(f"Clockify answered HTTP {response.status} with a non-JSON body: {response.text[:2000]}")
        what = op.empty_result or f"{op.title}: done"
        return _result(f"{what} (HTTP {response.status}; Clockify returned no body).")
    if op.shape is not None:
        body = op.shape(body)
    text = compact(body)
    note = _paging_note(op, args, response)
    return _result(f"{text}\n{note}" if note else text)


def _paging_note(op: Operation, args: Args, response: Response) -> str | None:
    asked = op.page_request(args)
    if asked is None:
        return None
    page, size = asked
    body = response.body
    items, total = _items(body)
    if items is None:
        return None
    last = (response.headers.get("Last-Page") or "").strip().lower()
    if last == "true":
        more = False
    elif last == "false":
        more = bool(items)
    elif total is not None:
        more = page * size < total
    else:
        more = len(items) >= size
    if not items and page > 1:
        return f"(page {page} is empty: there are no more results)"
    if more:
        page_key = "pageSize" if "pageSize" in op.wire_names else "page-size"
        return f"(more results: call again with page={page + 1} and the same {page_key})"
    return None


def _items(body: Any) -> tuple[list[Any] | None, int | None]:
    if isinstance(body, list):
        return body, None
    if isinstance(body, dict):
        total = body.get("count") if isinstance(body.get("count"), int) else None
        for value in body.values():
            if isinstance(value, list):
                return value, total
    return None, None


def api_error(exc: ClockifyError, secrets: Iterable[str] = ()) -> types.CallToolResult:
    code = f", code {exc.code}" if exc.code is not None else ""
    lines = [f"Clockify error (HTTP {exc.status}{code}): {exc.message}"]
    hint = _hint(exc)
    if hint:
        lines.append(f"Hint: {hint}")
    lines.append(f"Request: {exc.request.method} {exc.request.path}")
    return error(redact("\n".join(lines), secrets))


def _hint(exc: ClockifyError) -> str | None:
    message = exc.message.lower()
    if exc.status == 401:
        return (
            "Clockify rejected the credentials: check CLOCKIFY_API_KEY (or CLOCKIFY_ADDON_TOKEN) and that "
            "CLOCKIFY_REGION / CLOCKIFY_API_URL match the region your workspace lives in."
        )
    if exc.status == 403:
        return (
            "your Clockify user lacks the permission for this action (admin or manager rights), or the feature "
            "(approvals, time off, scheduling, holidays) is not enabled or not in this workspace's plan."
        )
    if exc.status == 400 and "doesn't belong to" in message:
        return (
            "an id in this call is wrong or belongs to another workspace: look ids up with "
            "clockify_time_tracking_get_workspaces, get_projects, get_users or the matching list tool."
        )
    if exc.status == 400 and (str(exc.code) == "3000" or "failed to convert" in message):
        return "Clockify could not read a parameter's value; check formats (dates as yyyy-MM-ddThh:mm:ssZ)."
    if exc.status == 404 and str(exc.code) == "404":
        return "there is nothing to act on (for example no timer is running for this user)."
    if exc.status == 404:
        return "Clockify has no such resource or route; check the ids."
    if exc.status == 405:
        return "Clockify does not allow this method on this route."
    if exc.status == 429:
        return "Clockify is rate-limiting requests; wait a few seconds and try again."
    if exc.status >= 500:
        return "Clockify had an internal error; try again later, and check the current state with a read tool first."
    return None


def transport_error(exc: TransportFailure, op: Operation) -> types.CallToolResult:
    text = f"No answer from Clockify: {exc.reason}. Request: {exc.request.method} {exc.request.path}"
    return error(text)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def describe_request(request: Request) -> str:
    return compact(request.describe())
