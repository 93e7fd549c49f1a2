"""Keeping the HTTP server answering when clients are slow or many: a request deadline, a connection limit below
the file-descriptor limit, and rate-limited warnings.

uvicorn has no timeout for a request that never finishes arriving (a connection that sends nothing, or a header
a byte at a time), and it accepts until the process runs out of file descriptors, then logs a traceback per
failed accept. Here every connection must deliver a complete request within `REQUEST_TIMEOUT` of opening (or of
its previous response); at `limit` open connections the oldest one that is still waiting for its request is
closed to make room, so a flood of half-open connections cannot lock out a client that sends a real request.
For real exposure, put a proxy built for slow clients in front (README: nginx).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "ACCEPT_BATCH",
    "ACCEPT_FAILED",
    "IDLE_TIMEOUT",
    "REQUEST_TIMEOUT",
    "RateLimitedLog",
    "connection_limit",
    "guarded_protocol",
    "quiet_accept_failures",
    "raise_fd_limit",
]

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 10.0
"""Seconds a connection may take to deliver a whole request (headers and body)."""
IDLE_TIMEOUT = 5
"""Seconds an idle keep-alive connection stays open (uvicorn's timeout_keep_alive)."""
MAX_CONNECTIONS = 4096
ACCEPT_BATCH = 64
"""asyncio accepts up to `backlog` connections in one go before any of them is counted: keep that batch within
FD_RESERVE, or a flood runs the process out of file descriptors between two checks."""
FD_RESERVE = 160
"""File descriptors kept free for everything else: the Clockify pool (64), the listening socket, stdio, logs."""


def raise_fd_limit() -> int:
    """Raise the soft open-files limit to the hard one (no privilege needed); return the soft limit now in force
    (on systems without `resource`, such as Windows, a conservative guess)."""
    try:
        import resource
    except ImportError:
        return 2048
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def connection_limit(fd_limit: int) -> int:
    return max(16, min(MAX_CONNECTIONS, fd_limit - FD_RESERVE))


def guarded_protocol(limit: int, request_timeout: float = REQUEST_TIMEOUT) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a request deadline and a connection limit that evicts the oldest waiting one."""

    waiting: dict[GuardedH11, float] = {}
    """Open connections that have not delivered a complete request yet, with when they started waiting."""

    class GuardedH11(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limit:
                oldest = min(waiting, key=waiting.__getitem__, default=None)
                if oldest is None:  # every connection is busy with a request: refuse this one
                    _warn("connection limit (%d) reached with every connection busy; refusing a connection", limit)
                    transport.close()
                    return
                _warn("connection limit (%d) reached; closing the oldest connection still waiting for a request", limit)
                oldest._close()
            self._wait()

        def _wait(self) -> None:
            waiting[self] = time.monotonic()
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(request_timeout, self._too_slow)

        def _too_slow(self) -> None:
            self._deadline = None
            if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
                _warn("closing a connection that sent no complete request within %g s", request_timeout)
                self._close()

        def _close(self) -> None:
            waiting.pop(self, None)
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
                waiting.pop(self, None)  # the request is in: the app's own timeouts take over

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._wait()  # keep-alive: the next request has the same deadline

        def connection_lost(self, exc: Exception | None) -> None:
            waiting.pop(self, None)
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

    return GuardedH11


def _warn(message: str, *args: Any) -> None:
    log.warning(message, *args)


ACCEPT_FAILED = "socket.accept() out of system resource"
"""What asyncio reports when an accept fails for want of file descriptors (it then waits a second and accepts
again). The connection count lags the accepts by a few batches, so a flood that outruns it can get here."""


def quiet_accept_failures(loop: asyncio.AbstractEventLoop) -> None:
    """A failed accept as one warning line (rate-limited like every warning), not asyncio's traceback per
    failure; anything else goes to the handler that was there."""
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == ACCEPT_FAILED:
            exc = context.get("exception")
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            log.warning("could not accept a connection (%s); asyncio accepts again in 1 s", reason)
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)


class RateLimitedLog(logging.Filter):
    """Lets through at most `burst` warnings (or worse) per message template every `period` seconds, then one
    line saying how many were dropped. Debug and info lines pass untouched."""

    def __init__(self, burst: int = 5, period: float = 60.0) -> None:
        super().__init__()
        self._burst = burst
        self._period = period
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, str(record.msg))
        now = time.monotonic()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self._period:
            if count > self._burst:
                record.msg = f"{record.msg} (and {count - self._burst} more like it in the last {self._period:g} s)"
            start, count = now, 0
        count += 1
        self._windows[key] = (start, count)
        if count <= self._burst:
            return True
        if len(self._windows) > 1000:  # a flood of distinct messages must not grow this without bound
            self._windows.clear()
        return False
