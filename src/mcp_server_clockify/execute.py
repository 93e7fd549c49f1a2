"""The one generic path of a tool call: check the mode, validate, resolve whose days the dates are, build the
request, keep what a replace would lose, confirm what cannot be undone, check nothing changed meanwhile,
send, format in local terms.

Nothing here knows about MCP transports or about any particular tool.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, Protocol

import anyio
import mcp_types as types
from pydantic import ValidationError

from . import people, results
from .client import ClockifyClient, ClockifyError, Response, TransportFailure, one_deadline, restart_deadline
from .config import Settings
from .confirm import Tokens, digest
from .names import NameCache
from .present import Presented, clean, localise, present
from .registry import CannotAnswer, Operation, Owner, Prepared, Request
from .types import Args, NeedsTimezone, too_long

__all__ = [
    "CallContext",
    "Confirm",
    "Lookup",
    "build_request",
    "offered",
    "refusal",
    "run_tool",
    "with_owner_defaults",
]

log = logging.getLogger(__name__)

Confirm = Callable[[str], Awaitable[str]]
"""Asks the human to confirm `message`; answers "accept", "decline" or "cancel"."""

PREVIEW_LIMIT = 20
"""Objects read and listed at most in a confirmation message."""
CONFIRM_FIELD = "confirm"
"""The optional argument of destructive tools that carries a confirmation token."""


@dataclass(frozen=True, slots=True)
class CallContext:
    client: ClockifyClient
    settings: Settings
    confirm: Confirm | None = None
    """None when the client cannot be asked (it declared no elicitation support)."""
    tokens: Tokens | None = None
    names: NameCache | None = None
    """Where names next to ids come from (None: results keep ids only)."""
    """Signs and checks confirmation tokens (one per server process)."""


class Tool(Protocol):
    """What the modes look at: an Operation, or a catalogue entry of one (both frozen: read-only members)."""

    @property
    def name(self) -> str: ...
    @property
    def toolset(self) -> str: ...
    @property
    def read_only(self) -> bool: ...


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


@dataclass(slots=True)
class Lookup:
    """People and reads for one call: the key owner, the person the call is about, their zones."""

    client: ClockifyClient
    settings: Settings
    workspace_id: str | None = None
    subject_id: str | None = None
    subject: people.Person | None = field(default=None)

    async def owner(self) -> people.Person:
        return await people.owner(self.client, self.settings)

    async def person(self, user_id: str | None = None) -> people.Person:
        """`user_id`'s zone and week start (the key owner's when None)."""
        if not user_id:
            return await self.owner()
        return await people.member(self.client, self.settings, self.workspace_id or "", user_id)

    async def whose(self) -> people.Person:
        """The person this call's data belongs to."""
        if self.subject is None:
            self.subject = await self.person(self.subject_id)
        return self.subject

    async def get(self, path: str, params: tuple[tuple[str, str], ...] = ()) -> Any:
        return (await self.client.send(Request("GET", path, params), retry_safe=True)).body

    def known_zone(self) -> tzinfo | None:
        """The zone of this call's person if known without a request (configured or cached); None if not."""
        if self.subject is not None:
            return self.subject.zone
        if self.subject_id:
            found = people.known_zone(self.client, self.settings, self.subject_id)
            me = people.cached_owner(self.client, self.settings)
            if found is not None or me is None or me.user_id != self.subject_id:
                return found
        return self.settings.timezone or _zone(people.cached_owner(self.client, self.settings))

    async def display_zone(self) -> tzinfo | None:
        """The zone to show times in: this call's person's if known, else the key owner's (fetched once
        when CLOCKIFY_TIMEZONE is not set). Objects that name their own zone are shown in it anyway."""
        zone = self.known_zone() or self.settings.timezone
        if zone is not None:
            return zone
        try:
            return (await self.owner()).zone
        except (ClockifyError, TransportFailure) as exc:
            log.warning("could not read the profile's time zone (%s); times stay in UTC", exc)
            return None

    def zone_of_user(self, user_id: Any) -> tzinfo | None:
        return people.known_zone(self.client, self.settings, user_id)


def _zone(person: people.Person | None) -> tzinfo | None:
    return person.zone if person else None


async def with_owner_defaults(op: Operation, args: Args, client: ClockifyClient) -> Args:
    """`args` with every omitted owner-defaulted id filled in: the key owner's active workspace and user id."""
    missing = op.owner_defaults(args)
    if not missing:
        return args
    profile = await client.profile()
    ids = {Owner.WORKSPACE: profile.workspace_id, Owner.USER: profile.user_id}
    for attr, kind in missing.items():
        if not ids[kind]:
            name = op.wire_name(attr)
            raise _Stop(
                f"{name}: Clockify's profile of this key names no {kind.value} id; pass {name}. Nothing was sent."
            )
    return args.model_copy(update={attr: ids[kind] for attr, kind in missing.items()})


def lookup_for(op: Operation, args: Args, client: ClockifyClient, settings: Settings) -> Lookup:
    workspace = getattr(args, "workspaceId", None)
    subject = op.value_of(args, op.subject) if op.subject is not None else None
    return Lookup(
        client,
        settings,
        workspace if isinstance(workspace, str) else None,
        subject if isinstance(subject, str) else None,
    )


async def build_request(
    op: Operation, args: Args, client: ClockifyClient, settings: Settings, lookup: Lookup | None = None
) -> Request:
    """Build the request, fetching a zone only when a date needs one.

    Date-times without an offset and bare dates are read in the zone of the person the data belongs to
    (the key owner, or the user the call names); wall-clock filters are written in the key owner's zone.
    CLOCKIFY_TIMEZONE, when set, is the key owner's zone.
    """
    lookup = lookup or lookup_for(op, args, client, settings)
    account = settings.timezone or _zone(people.cached_owner(client, settings))
    try:
        return op.build(args, tz=lookup.known_zone(), account_tz=account)
    except NeedsTimezone:
        zone = (await lookup.whose()).zone
        account = settings.timezone or (await lookup.owner()).zone
        return op.build(args, tz=zone, account_tz=account)


class _Stop(Exception):
    """Ends the call with this message as an error result; nothing (more) is sent."""


@dataclass(slots=True)
class _Read:
    """The objects a read-merge-write read, as update fields, to merge over and to compare before writing."""

    paths: list[str]
    fields: list[dict[str, Any]]
    labels: list[str]


async def _read_current(op: Operation, args: Args, client: ClockifyClient) -> _Read:
    spec = op.merge
    assert spec is not None
    paths = spec.each(args) if spec.each is not None else [op.fill(spec.path, op.path_values(args))]
    found: list[Any] = [None] * len(paths)

    async def read(i: int, path: str) -> None:
        try:
            body = (await client.send(Request("GET", path), retry_safe=True)).body
        except ClockifyError as exc:
            if exc.status in (400, 404):
                found[i] = exc
                return
            raise
        found[i] = spec.select(body, args) if spec.select is not None else body

    async with anyio.create_task_group() as group:
        for i, path in enumerate(paths):
            group.start_soon(read, i, path)
    missing = [paths[i].rsplit("/", 1)[-1] for i, body in enumerate(found) if not isinstance(body, dict)]
    if missing:
        where = f" List the valid ones with {results.TOOL_PREFIX}{spec.lister}." if spec.lister else ""
        raise _Stop(
            f"{op.name}: {', '.join(missing)} not found in this workspace (deleted, or from another workspace); "
            f"nothing was sent.{where}"
        )
    labels = [_label(body) for body in found]
    return _Read(paths, [spec.to_fields(body) for body in found], labels)


def _label(body: dict[str, Any]) -> str:
    name = body.get("description") if "description" in body else body.get("name")
    text = f' "{name}"' if isinstance(name, str) and name else ""
    return f"{body.get('id', '?')}{text}"


def _merge(op: Operation, request: Request, current: _Read) -> Request:
    """The request with every field the caller omitted taken from the current object(s)."""
    spec = op.merge
    assert spec is not None
    given_items = request.json if spec.each is not None else [request.json or {}]
    merged_items = []
    for now, given in zip(current.fields, given_items, strict=True):
        merged = {**now, **given}
        if spec.adjust is not None:
            merged = spec.adjust(merged, given, now)
        merged_items.append(merged)
    body: Any = merged_items if spec.each is not None else merged_items[0]
    return Request(request.method, request.path, request.params, body, True)


def _changes(op: Operation, request: Request, current: _Read, zone: tzinfo | None) -> list[str]:
    """Per object, the fields that will change: `field: old -> new` (times in local terms)."""
    spec = op.merge
    assert spec is not None
    items = request.json if spec.each is not None else [request.json]
    lines = []
    for label, old, new in zip(current.labels, current.fields, items, strict=True):
        diffs = [
            f"  {key}: {_shown(old.get(key), zone)} -> {_shown(new.get(key), zone)}"
            for key in dict.fromkeys([*old, *new])
            if key != "id" and old.get(key) != new.get(key)
        ]
        lines.append(f"- {label}: " + ("no change" if not diffs else ""))
        lines.extend(diffs)
    return lines


def _shown(value: Any, zone: tzinfo | None) -> str:
    return results.compact(localise(value, zone))


async def _confirmation(
    op: Operation, args: Args, request: Request, client: ClockifyClient, zone: tzinfo | None, changes: list[str]
) -> str:
    """What the human is asked: the tool, the exact request, and the objects it changes when they can be read."""
    lines = [f"{op.title} ({op.name}): this cannot be undone.", f"{request.method} {request.path}"]
    if changes:
        lines.append("Will change:")
        lines.extend(changes)
        return "\n".join(lines)
    preview = op.preview
    if preview is None:
        shown = request.describe()
        lines.extend(f"- {key}: {results.compact(shown[key])}" for key in ("query", "body") if key in shown)
        return "\n".join(lines)
    paths = preview.reads(args)
    found: list[str] = [""] * min(len(paths), PREVIEW_LIMIT)

    async def read(i: int, path: str) -> None:
        try:
            body = (await client.send(Request("GET", path))).body
            found[i] = "- " + preview.line(localise(body, zone))
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


async def _confirmed(
    op: Operation,
    args: Args,
    token: str | None,
    request: Request,
    signed: Request,
    ctx: CallContext,
    zone: tzinfo | None,
    current: _Read | None,
    changes: list[str],
) -> types.CallToolResult | None:
    """None when the call may go ahead; else the result to return instead (preview, refusal, not confirmed)."""
    settings = ctx.settings
    mode = settings.confirm
    if mode == "off" or not op.destructive:
        return None
    if mode == "auto":
        mode = "elicit" if ctx.confirm is not None else "token"
    if mode == "elicit":
        if ctx.confirm is None:
            return results.error(
                f"{op.name} needs a confirmation, and this client cannot show one (it declares no MCP "
                "elicitation) while CLOCKIFY_CONFIRM=elicit. Nothing was sent. Use CLOCKIFY_CONFIRM=token "
                "(or auto) for this client."
            )
        message = await _confirmation(op, args, request, ctx.client, zone, changes)
        answer = "timeout"
        with anyio.move_on_after(settings.confirm_timeout):
            answer = await ctx.confirm(message)
        if answer != "accept":
            return results.not_confirmed(op, answer, settings.confirm_timeout)
        restart_deadline(settings.timeout)  # the person's time to answer is not Clockify's
        return None
    tokens = ctx.tokens or _TOKENS
    owner = people.credential_key(settings, ctx.client)
    request_digest = digest([op.name, signed.describe()])
    state = digest(current.fields) if current is not None else ""
    if token:
        problem = await tokens.check(token, owner, request_digest, state)
        if problem is None:
            return None
        if not problem.startswith("what this call changes"):
            return results.error(f"Not done: {problem} Nothing was sent to Clockify.")
        lead = f"Not done: {problem}"
    else:
        lead = f"Not done yet: {op.title} ({op.name}) cannot be undone and needs the user's confirmation."
    message = await _confirmation(op, args, request, ctx.client, zone, changes)
    return results.token_preview(op, lead, message, tokens.issue(owner, request_digest, state), tokens.ttl)


_TOKENS = Tokens()
"""Used when a caller gives no Tokens (tests of run_tool alone); the server passes its own."""


async def _unchanged(op: Operation, args: Args, client: ClockifyClient, first: _Read) -> None:
    """Read the objects again right before writing; stop when someone changed them since the first read."""
    again = await _read_current(op, args, client)
    lines = []
    for label, before, now in zip(first.labels, first.fields, again.fields, strict=True):
        diffs = [
            f"  {key}: {results.compact(before.get(key))} -> {results.compact(now.get(key))}"
            for key in dict.fromkeys([*before, *now])
            if before.get(key) != now.get(key)
        ]
        if diffs:
            lines.append(f"- {label}:")
            lines.extend(diffs)
    if lines:
        raise _Stop(
            f"{op.name}: not done, the object changed since it was read (someone else edited it). Nothing was "
            "written, so their change is kept. What changed:\n" + "\n".join(lines) + "\nRead it again and "
            "decide whether your change still applies."
        )


async def run_tool(op: Operation, arguments: dict[str, Any] | None, ctx: CallContext) -> types.CallToolResult:
    refused = refusal(op, ctx.settings)
    if refused:
        return results.error(refused)
    oversized = too_long(arguments or {})
    if oversized:
        lines = [f"Invalid arguments for {op.name}; nothing was sent to Clockify.", *(f"- {p}" for p in oversized)]
        return results.error("\n".join(lines))
    arguments = dict(arguments or {})
    token = arguments.pop(CONFIRM_FIELD, None) if op.destructive else None
    if token is not None and not isinstance(token, str):
        return results.error(
            f"Invalid arguments for {op.name}; nothing was sent to Clockify.\n- confirm: expected a string"
        )
    try:
        args = op.model.model_validate(arguments)
    except ValidationError as exc:
        return results.invalid_arguments(op, exc)
    client, settings = ctx.client, ctx.settings
    with one_deadline(settings.timeout):  # every request of this call: CLOCKIFY_TIMEOUT in all
        try:
            args = await with_owner_defaults(op, args, client)
            if op.compute is not None:
                answer = await op.compute(args, ctx)
                return results.fitted(op, args, clean(answer.body), notes=answer.notes, limit=settings.max_result_chars)
            lookup = lookup_for(op, args, client, settings)
            prepared = Prepared(args)
            if op.prepare is not None:
                prepared = await op.prepare(args, lookup)
                if prepared.refuse:
                    return results.error(prepared.refuse)
            args = prepared.args
            request = await build_request(op, args, client, settings, lookup)
            signed = request
            current: _Read | None = None
            changes: list[str] = []
            zone = await lookup.display_zone() if (op.merge is not None or op.destructive) else None
            if op.merge is not None:
                current = await _read_current(op, args, client)
                request = _merge(op, request, current)
                changes = _changes(op, request, current, zone)
            if settings.dry_run and not op.read_only:
                return results.dry_run(op, request)
            stop = await _confirmed(op, args, token, request, signed, ctx, zone, current, changes)
            if stop is not None:
                return stop
            if current is not None:
                await _unchanged(op, args, client, current)
            response = await client.send(request, retry_safe=op.read_only)
            notes = await prepared.after(response.body) if prepared.after is not None else []
            shown = await _presented(op, args, response, ctx, lookup)
        except ClockifyError as exc:
            return results.api_error(exc, op)
        except TransportFailure as exc:
            return results.transport_error(exc, op)
        except (_Stop, CannotAnswer) as exc:
            return results.error(str(exc))
        return results.success(
            op,
            args,
            response,
            shown.body,
            limit=settings.max_result_chars,
            notes=notes,
            items_in_all=shown.items_in_all,
            texts=shown.texts,
        )


async def _presented(op: Operation, args: Args, response: Response, ctx: CallContext, lookup: Lookup) -> Presented:
    """Clockify's answer as the agent reads it: the tool's own cut (`shape`), then one pass for names next to
    ids, local times and no null noise (a second pass only when names had to be read first). A list whose text is
    over the result limit is presented only as far as the answer can show it (`present`'s `limit`)."""
    body = response.body
    if body is None:
        return Presented(None)
    if op.shape is not None:
        body = op.shape(body)
    limit = ctx.settings.max_result_chars
    # Names and local times make an entry's text longer, dropped nulls shorter, and `fitted` cuts exactly either
    # way: this only decides whether presenting can stop early. Below the limit, one pass over the whole list is
    # cheaper than measuring each item's text (a page of 50 entries: 28 kB from Clockify, 31 kB shown).
    until = limit if len(response.text) > limit else None
    zone = await lookup.display_zone()
    workspace: str = getattr(args, "workspaceId", None) or ""
    cache = ctx.names if ctx.settings.names and isinstance(workspace, str) and workspace else None
    directory = cache.current(ctx.client, workspace) if cache is not None else None
    if directory is not None and (owner := people.cached_owner(ctx.client, ctx.settings)) is not None:
        directory.know("user", owner.user_id, owner.name)  # the key owner's own entries need no read of the list

    def walk() -> Presented:
        return present(
            body, names=directory, times=True, zone=zone, zone_of_user=lookup.zone_of_user, drop_noise=True, limit=until
        )

    shown = walk()
    if cache is not None and shown.seen and await cache.refresh(ctx.client, workspace, shown.seen, shown.unknown):
        shown = walk()
    return shown
