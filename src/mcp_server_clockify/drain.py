"""stdio finishes what it started: when stdin closes, calls already received are still answered.

The SDK's serving loop ends as soon as its read stream ends, cancelling every request still in flight, so
`(printf init; printf call) | mcp-server-clockify` would lose the call's answer. `Drain` sits between the
transport and the loop: it counts the requests it passes on and the answers written back, and when the
client's side closes it holds the end of the stream back until every request is answered or `grace`
seconds have passed, whichever comes first.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

import anyio
from mcp.shared.message import SessionMessage
from mcp_types import JSONRPCError, JSONRPCRequest, JSONRPCResponse

__all__ = ["EOF_GRACE", "Drain"]

log = logging.getLogger(__name__)

EOF_GRACE = 10.0
"""Longest wait, after stdin closed, for the answers to calls already received (seconds)."""

Item = SessionMessage | Exception


class Drain:
    """Wraps the transport's (read, write) stream pair; pass `reader` and `writer` to the serving loop."""

    def __init__(self, read_stream: Any, write_stream: Any, *, grace: float = EOF_GRACE) -> None:
        self._upstream = read_stream
        self._downstream = write_stream
        self._grace = grace
        self._pending: set[str | int] = set()
        self._idle = anyio.Event()
        self._idle.set()
        self.reader = _Reader(self)
        self.writer = _Writer(self)

    async def receive(self) -> Item:
        try:
            item: Item = await self._upstream.receive()
        except anyio.EndOfStream:
            await self._finish()
            raise
        if isinstance(item, SessionMessage) and isinstance(item.message, JSONRPCRequest):
            self._pending.add(item.message.id)
            if self._idle.is_set():
                self._idle = anyio.Event()
        return item

    async def _finish(self) -> None:
        if not self._pending:
            return
        with anyio.move_on_after(self._grace):
            await self._idle.wait()
        if self._pending:
            log.warning("stdin closed; %d call(s) unanswered after %.0f s", len(self._pending), self._grace)

    async def send(self, item: SessionMessage) -> None:
        await self._downstream.send(item)
        message = item.message
        if isinstance(message, JSONRPCResponse | JSONRPCError) and message.id is not None:
            self._pending.discard(message.id)
            if not self._pending:
                self._idle.set()


class _Reader:
    """The read side the serving loop sees (the SDK's `ReadStream` protocol)."""

    def __init__(self, drain: Drain) -> None:
        self._drain = drain

    @property
    def last_context(self) -> contextvars.Context | None:
        return getattr(self._drain._upstream, "last_context", None)

    async def receive(self) -> Item:
        return await self._drain.receive()

    async def aclose(self) -> None:
        await self._drain._upstream.aclose()

    def close(self) -> None:
        self._drain._upstream.close()

    def __aiter__(self) -> _Reader:
        return self

    async def __anext__(self) -> Item:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def __aenter__(self) -> _Reader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class _Writer:
    """The write side the serving loop sees (the SDK's `WriteStream` protocol)."""

    def __init__(self, drain: Drain) -> None:
        self._drain = drain

    async def send(self, item: SessionMessage, /) -> None:
        await self._drain.send(item)

    async def aclose(self) -> None:
        await self._drain._downstream.aclose()

    def close(self) -> None:
        self._drain._downstream.close()

    async def __aenter__(self) -> _Writer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
