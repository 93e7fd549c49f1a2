"""Turning outcomes into tool results: Clockify's JSON compactly, paging notes, and errors an agent can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import mcp_types as types
from pydantic import ValidationError

from . import toolsets
from .client import ClockifyError, Response, TransportFailure
from .jsontext import compact
from .registry import TOOL_PREFIX, Operation, Request
from .types import Args

__all__ = [
    "TOOL_PREFIX",
    "api_error",
    "compact",
    "dry_run",
    "error",
    "fitted",
    "invalid_arguments",
    "not_confirmed",
    "redacted",
    "sendable",
    "success",
    "token_preview",
    "transport_error",
    "with_note",
]


def _result(text: str, *, is_error: bool = False) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=is_error)


def answer(json_text: str, notes: Iterable[str | None] = ()) -> types.CallToolResult:
    """A successful result: the JSON answer alone in the first block, notes (if any) in a second one, so a
    program can parse the first block and a model still reads both."""
    content: list[types.ContentBlock] = [types.TextContent(type="text", text=json_text)]
    shown = [n for n in notes if n]
    if shown:
        content.append(types.TextContent(type="text", text="\n".join(shown)))
    return types.CallToolResult(content=content, is_error=False)


def with_note(result: types.CallToolResult, note: str) -> types.CallToolResult:
    """`result` with `note` added to its notes: the second block of a success (made if missing), the text of
    an error. The first block of a success stays JSON alone."""
    content = list(result.content)
    if result.is_error or len(content) > 1:
        last = content[-1] if content else None
        if isinstance(last, types.TextContent):
            content[-1] = types.TextContent(type="text", text=f"{last.text}\n{note}")
            return result.model_copy(update={"content": content})
    content.append(types.TextContent(type="text", text=note))
    return result.model_copy(update={"content": content})


def error(text: str) -> types.CallToolResult:
    return _result(text, is_error=True)


def invalid_arguments(op: Operation, exc: ValidationError) -> types.CallToolResult:
    lines = [f"Invalid arguments for {op.name}; nothing was sent to Clockify."]
    lines.extend(f"- {problem}" for problem in describe_validation(exc))
    return error("\n".join(lines))


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+")
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
        for index, part in enumerate(err["loc"]):
            if isinstance(part, int):
                loc += f"[{part}]"
            elif index == 0 or not _is_union_tag(part):
                name = part if _PLAIN_NAME.fullmatch(part) else json.dumps(part)
                loc += f".{name}" if loc else name
        msg = _PLAIN.get(err["type"], err["msg"]).removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return list(dict.fromkeys(out))


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the union member's type name in the location (e.g. "str", "function-after[...]")
    return part in {"str", "int", "float", "bool", "list", "dict"} or "[" in part


def success(
    op: Operation,
    args: Args,
    response: Response,
    body: Any,
    *,
    limit: int = 50_000,
    notes: list[str] | None = None,
    items_in_all: int | None = None,
    texts: list[str] | None = None,
) -> types.CallToolResult:
    """The answer (`body`: Clockify's, as `present` made it) as compact JSON, then notes: what the write did
    in the user's terms, paging, cuts. `items_in_all`: `body` is the first items of a list that held that many
    (`present` stopped at the limit); `texts`: the JSON text of each item of the list `body` (`present` wrote
    them as it went)."""
    said = list(notes or [])
    if response.body is None:
        if response.text.strip():
            snippet = response.text[: min(2000, limit)]
            return answer(
                compact({"status": response.status, "text": snippet}),
                [f"Clockify answered HTTP {response.status} with a non-JSON body."],
            )
        what = op.empty_result or f"{op.title}: done"
        return answer(compact({"status": response.status, "message": what}), ["(Clockify returned no body)", *said])
    return fitted(op, args, body, response, notes=said, limit=limit, items_in_all=items_in_all, texts=texts)


def fitted(
    op: Operation,
    args: Args,
    body: Any,
    response: Response | None = None,
    *,
    notes: Iterable[str] = (),
    limit: int = 50_000,
    items_in_all: int | None = None,
    texts: list[str] | None = None,
) -> types.CallToolResult:
    """`body` as the answer, cut to `limit` if needed, with `notes` and the paging note `response` calls for."""
    if texts is not None and isinstance(body, list) and len(texts) == len(body):
        text, cut_note = _fit_texts(op, texts, limit, items_in_all)
    else:
        text, cut_note = _fit(op, body, limit, items_in_all)
    paging = None if cut_note or response is None else _paging_note(op, args, response)
    return answer(text, [*notes, cut_note, paging])


def _fit(op: Operation, body: Any, limit: int, items_in_all: int | None = None) -> tuple[str, str | None]:
    """The body as compact JSON, cut to `limit` characters (whole list items when it is a list, or holds one).
    `items_in_all`: `body` is the start of a list that held that many items."""
    text = compact(body)
    if len(text) <= limit:
        return text, None
    items, _ = _items(body)
    if items is None:  # keep the structure (still JSON): shorten the long strings in it
        cap = _string_cap(body, limit)
        shown_text = compact(_cap_strings(body, cap))
        if len(shown_text) > limit:
            shown_text = compact(text[:limit])
        return shown_text, (
            f"(cut: text values shortened to {cap:,} characters, {len(text):,} characters in all; the answer is "
            "too large to show whole)"
        )
    envelope = 0 if items is body else len(text) - len(compact(items))  # the text around the list, if any
    kept = items[: _fitting((len(compact(item)) for item in items), envelope, limit)]
    if isinstance(body, list):
        shown: Any = kept
    else:
        shown = {k: (kept if v is items else v) for k, v in body.items()}
    return compact(shown), _cut_note(op, len(kept), items_in_all or len(items))


def _fit_texts(op: Operation, texts: list[str], limit: int, items_in_all: int | None) -> tuple[str, str | None]:
    """`_fit` for a list whose items' JSON texts are known: the most of them that fit, joined (the same text as
    writing those items again)."""
    kept = _fitting(map(len, texts), 0, limit)
    joined = "[" + ",".join(texts[:kept]) + "]"
    if kept == len(texts) and items_in_all is None and len(joined) <= limit:
        return joined, None  # the whole list fits
    return joined, _cut_note(op, kept, items_in_all or len(texts))


def _fitting(lengths: Iterable[int], envelope: int, limit: int) -> int:
    """How many list items fit in `limit` characters, given each item's JSON length in order: "[" and the text
    around the list (`envelope`), then each item and the "," or "]" after it."""
    size, kept = 1 + envelope, 0
    for length in lengths:
        size += length + 1
        if size > limit:
            break
        kept += 1
    return kept


def _cut_note(op: Operation, kept: int, in_all: int) -> str:
    how = (
        f"ask for fewer with {op.page_size_name}={max(1, kept)} and page through"
        if op.page_size_name
        else "narrow the request with its filters"
    )
    return f"(cut: showing the first {kept} of {in_all} items; {how})"


def _cap_strings(value: Any, cap: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= cap else value[:cap] + "…"
    if isinstance(value, list):
        return [_cap_strings(v, cap) for v in value]
    if isinstance(value, dict):
        return {k: _cap_strings(v, cap) for k, v in value.items()}
    return value


def _string_cap(body: Any, limit: int) -> int:
    """The longest string length that makes `body` fit in `limit` characters (0 if nothing does)."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if len(compact(_cap_strings(body, mid))) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def dry_run(op: Operation, request: Request) -> types.CallToolResult:
    return answer(
        compact({"dryRun": True, "request": request.describe()}),
        [f"Dry run ({op.name}): nothing was sent. This is the exact request it would send."],
    )


def not_confirmed(op: Operation, reply: str, timeout: float | None = None) -> types.CallToolResult:
    if reply == "timeout":
        return answer(
            compact({"done": False, "confirmation": "timeout"}),
            [
                f"Not confirmed: nobody answered the confirmation of {op.name} within {timeout:g} seconds. "
                "Nothing was sent to Clockify."
            ],
        )
    how = "declined" if reply == "decline" else "cancelled"
    return answer(
        compact({"done": False, "confirmation": how}),
        [f"Not done: the user {how} {op.name}. Nothing was sent to Clockify."],
    )


def token_preview(op: Operation, lead: str, preview: str, token: str, ttl: float) -> types.CallToolResult:
    """A destructive call held back: what it would change, and the token that runs it."""
    minutes = max(1, round(ttl / 60))
    return answer(
        compact({"done": False, "confirm": token, "validMinutes": minutes}),
        [
            f"{lead} Nothing was sent to Clockify.\n{preview}\n"
            f"Show this to the user. Only if they agree, call {op.name} again with the same arguments and "
            f'confirm: "{token}" (single use, valid {minutes} minutes).'
        ],
    )


def _paging_note(op: Operation, args: Args, response: Response) -> str | None:
    asked = op.page_request(args)
    if asked is None:
        return None
    page, size = asked
    items, total = _items(response.body)
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
        return f"(more results: call again with page={page + 1} and the same {op.page_size_name})"
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


def _unknown_outcome(op: Operation) -> str:
    toolset = next((t for t in toolsets.TOOLSETS if t.name == op.toolset), toolsets.get("discovery"))
    tools = " or ".join(TOOL_PREFIX + name for name in toolset.check_with)
    return (
        "The outcome is unknown: Clockify may or may not have applied this change. It was not retried, so it "
        f"cannot have happened twice. Check the current state with {tools} before trying again."
    )


def api_error(exc: ClockifyError, op: Operation | None = None) -> types.CallToolResult:
    code = f", code {exc.code}" if exc.code is not None else ""
    lines = [f"Clockify error (HTTP {exc.status}{code}): {exc.message}"]
    unknown = op is not None and not op.read_only and (exc.status >= 500 or exc.status < 400)
    if unknown:
        assert op is not None
        lines.append(_unknown_outcome(op))
    hint = None if unknown and exc.status >= 500 else _hint(exc)
    if op is not None and op.toolset == "reports" and exc.status in (402, 403) and op.short_name != "get_time_summary":
        hint = (
            "Clockify's Reports API refused: this workspace's plan may not include reports, or your user may not "
            "see others' time. clockify_time_tracking_get_time_summary answers the same from time entries on "
            "every plan."
        )
    if hint:
        lines.append(f"Hint: {hint}")
    if exc.attempts > 1:
        lines.append(f"(after {exc.attempts} attempts)")
    lines.append(f"Request: {exc.request.method} {exc.request.path}")
    return error("\n".join(lines))


def _hint(exc: ClockifyError) -> str | None:
    message = exc.message.lower()
    if exc.hint:
        return exc.hint
    if exc.status < 400:
        return (
            "this answer did not come from Clockify's API as configured: check CLOCKIFY_API_URL / CLOCKIFY_REGION "
            "(an old or wrong URL redirects; a proxy, captive portal or sign-in page answers in HTML)."
        )
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
        return not_found_hint(exc.message)
    if exc.status == 400 and (str(exc.code) == "3000" or "failed to convert" in message):
        return "Clockify could not read a parameter's value; check formats (dates as yyyy-MM-ddThh:mm:ssZ)."
    if exc.status == 404 and str(exc.code) == "404":
        return "there is nothing to act on (for example no timer is running for this user)."
    if exc.status == 404:
        return "Clockify has no such resource or route; check the ids."
    if exc.status == 405:
        return "Clockify does not allow this method on this route."
    if exc.status == 429:
        wait = (exc.headers.get("Retry-After") or "").strip()
        after = f"Clockify asks to wait {wait} seconds" if wait.isdigit() else "wait a few seconds"
        return f"Clockify is rate-limiting requests; {after} and try again."
    if exc.status >= 500:
        return "Clockify had an internal error; try again later, and check the current state with a read tool first."
    return None


LISTERS = {
    "time entry": "get_entries",
    "project": "get_projects",
    "task": "get_projects (hydrated=true lists tasks)",
    "tag": "get_tags",
    "client": "get_clients",
    "user": "get_users",
    "holiday": "get_holidays",
    "assignment": "get_all_assignments",
    "approval request": "get_approval_requests",
    "policy": "get_time_off_policies",
    "time off request": "get_off_request",
    "balance": "get_balances_for_user",
    "workspace": "get_workspaces",
}
"""Clockify's entity name (as in "<Entity> doesn't belong to Workspace") -> the tool that lists valid ids."""


def not_found_hint(message: str) -> str:
    """Clockify says "<Entity> doesn't belong to Workspace" for ids it does not find there."""
    from .catalogue import entries

    entity = message.split(" doesn't belong", 1)[0].strip().lower()
    lister = LISTERS.get(entity)
    if lister and TOOL_PREFIX + lister.split(" ", 1)[0] not in {e.name for e in entries()}:
        lister = None  # that list tool is not part of this server
    what = message.split(" doesn't belong", 1)[0].strip() or "an id"
    where = (
        f"call {TOOL_PREFIX}{lister} for the valid ids"
        if lister
        else f"look ids up with {TOOL_PREFIX}get_workspaces, get_projects, get_users or the matching list tool"
    )
    return f"{what} not found in this workspace (deleted, or from another workspace): {where}."


def transport_error(exc: TransportFailure, op: Operation) -> types.CallToolResult:
    lines = [f"No answer from Clockify: {exc.reason}."]
    if exc.may_have_reached and not op.read_only:
        lines.append(_unknown_outcome(op))
    elif exc.attempts > 1:
        lines.append(f"(after {exc.attempts} attempts; nothing was changed)")
    lines.append(f"Request: {exc.request.method} {exc.request.path}")
    return error("\n".join(lines))


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def sendable(result: types.CallToolResult) -> types.CallToolResult:
    """The same result with every text encodable as UTF-8. A lone surrogate (Clockify can write one as a
    `\\udxxx` escape, and its text may reach a note or an error) is shown as that escape: the SDK could not
    send it, and the call would never be answered."""
    if all(_encodable(c.text) for c in result.content if isinstance(c, types.TextContent)):
        return result
    content = [
        types.TextContent(type="text", text=c.text.encode("utf-8", "backslashreplace").decode())
        if isinstance(c, types.TextContent)
        else c
        for c in result.content
    ]
    return result.model_copy(update={"content": content})


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def redacted(result: types.CallToolResult, secrets: Iterable[str]) -> types.CallToolResult:
    """The same result with every secret replaced, whatever produced the text (the one choke point)."""
    secrets = [s for s in secrets if s]
    if not any(isinstance(c, types.TextContent) and any(s in c.text for s in secrets) for c in result.content):
        return result
    content = [
        types.TextContent(type="text", text=redact(c.text, secrets)) if isinstance(c, types.TextContent) else c
        for c in result.content
    ]
    return result.model_copy(update={"content": content})
