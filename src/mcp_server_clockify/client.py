"""ClockifyClient: the process's one HTTP connection pool to Clockify.

It knows HTTP and Clockify's error conventions, nothing about tools. The API key travels only in the
headers of each request (its user's, see `for_user`); it is never logged or put into an error.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio

from . import __version__
from .capped import ACCEPT_ENCODING, TooLarge, UnsupportedEncoding, read_capped
from .config import Settings
from .credentials import Credential
from .jsontext import compact_bytes
from .names import NameCache
from .profile import Profile, ProfileCache
from .registry import Request

if TYPE_CHECKING:
    import http.cookiejar

    import httpx2

__all__ = [
    "ClockifyClient",
    "ClockifyError",
    "RateLimiter",
    "Recent",
    "Response",
    "TransportFailure",
    "one_deadline",
    "restart_deadline",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: Any
    """Parsed JSON, or None when the body was empty or not JSON (then see `text`)."""
    text: str = ""


@dataclass(slots=True)
class ClockifyError(Exception):
    """Clockify answered with an error status."""

    status: int
    message: str
    code: int | str | None
    request: Request
    headers: Mapping[str, str] = field(default_factory=dict)
    attempts: int = 1
    hint: str | None = None
    """What to do about it, when the client knows better than the status code does."""

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.message}"


@dataclass(slots=True)
class TransportFailure(Exception):
    """No answer from Clockify: the connection failed, timed out or was dropped."""

    reason: str
    request: Request
    may_have_reached: bool
    """True when the request may have been received (a timeout or a dropped connection after sending)."""
    attempts: int = 1
    out_of_time: bool = False
    """The deadline (CLOCKIFY_TIMEOUT over all attempts) has passed: no further attempt."""

    def __str__(self) -> str:
        return self.reason


_CALL_DEADLINE: ContextVar[float | None] = ContextVar("clockify_call_deadline", default=None)


@contextmanager
def one_deadline(seconds: float) -> Iterator[None]:
    """Every request sent within shares one deadline, `seconds` from now: a tool that reads before it writes, or
    reads names or several pages, answers within CLOCKIFY_TIMEOUT in all (each request alone had its own)."""
    token = _CALL_DEADLINE.set(anyio.current_time() + seconds)
    try:
        yield
    finally:
        _CALL_DEADLINE.reset(token)


def restart_deadline(seconds: float) -> None:
    """The shared deadline again `seconds` from now (after a person answered a confirmation: their time is not
    Clockify's). Nothing happens outside `one_deadline`."""
    if _CALL_DEADLINE.get() is not None:
        _CALL_DEADLINE.set(anyio.current_time() + seconds)


class ClockifyClient:
    """Sends built `Request`s to Clockify and parses what comes back.

    Retries only what is safe: a read (`retry_safe=True`) on 429, 5xx, timeouts and connection errors; any
    request on 429 (Clockify did not process it) or when the connection could not even be opened. At most
    `MAX_ATTEMPTS` attempts, honouring `Retry-After` (capped), otherwise exponential backoff with jitter.
    A client-side limiter keeps the process under `settings.max_rps` requests per second.

    One deadline (`settings.timeout`) covers a request over all its attempts, waits and the whole body, however
    slowly it drips, and within `one_deadline` (a tool call) every request of the call shares it; the decoded body
    is streamed and capped at `settings.max_response_bytes`. Reads may hold at most `READ_SLOTS` of the
    `MAX_CONNECTIONS` connections, so hung reads can never keep a write from being sent.
    """

    MAX_ATTEMPTS = 3
    WRITE_WINDOW = 0.25
    """A write is not started with less than this share of a call's CLOCKIFY_TIMEOUT left: one cut off after
    sending leaves its outcome unknown, one not sent leaves nothing changed."""
    MAX_WAIT = 20.0
    """Longest wait before a retry; a `Retry-After` beyond it is reported instead of waited for."""
    BACKOFF = 0.5
    MAX_CONNECTIONS = 64
    READ_SLOTS = 48
    CONNECT_TIMEOUT = 10.0

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        credential: Credential | None = None,
        _shared: _Shared | None = None,
    ) -> None:
        self.settings = settings
        self.credential = credential if credential is not None else settings.credential
        """Whose key requests go out with (and to which region); see `for_user`."""
        self._shared = _shared if _shared is not None else _Shared(settings, transport)

    def for_user(self, credential: Credential) -> ClockifyClient:
        """This client acting as another user: the same connection pool, that user's key, rate limit and
        caches (everything per user is keyed by `credential.id`). Cheap: made for every hosted-mode call."""
        return ClockifyClient(self.settings, credential=credential, _shared=self._shared)

    def _connection(self) -> httpx2.AsyncClient:
        return self._shared.connection()

    async def aclose(self) -> None:
        await self._shared.aclose()

    async def __aenter__(self) -> ClockifyClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def send(self, request: Request, *, retry_safe: bool | None = None) -> Response:
        """Send `request`; return the 2xx response or raise ClockifyError / TransportFailure.

        `retry_safe` says whether repeating the request could do harm (default: only GET is safe). All attempts
        together end by the deadline `settings.timeout` seconds from now; a retry that could not finish in time
        is not started.
        """
        safe = request.method == "GET" if retry_safe is None else retry_safe
        now = anyio.current_time()
        deadline = now + self.settings.timeout
        shared = _CALL_DEADLINE.get()
        if shared is not None and shared < deadline:
            deadline = shared
            if deadline - now < (0.05 if safe else self.settings.timeout * self.WRITE_WINDOW):
                used = self.settings.timeout - (deadline - now)
                raise TransportFailure(
                    f"this call's earlier requests took {used:.1f} of its {self.settings.timeout:g} s "
                    f"(CLOCKIFY_TIMEOUT), too little to {'read' if safe else 'write'} safely; {request.method} "
                    f"{request.path} was not sent and nothing was changed. Clockify is answering slowly: try again",
                    request,
                    may_have_reached=False,
                    out_of_time=True,
                )
        attempt = 1
        while True:
            failure: ClockifyError | TransportFailure
            try:
                return await self._send_once(request, deadline, read=safe)
            except ClockifyError as exc:
                failure = exc
                retry = exc.status == 429 or (safe and exc.status >= 500)
                wait = _retry_after(exc.headers)
                if not retry or attempt >= self.MAX_ATTEMPTS or (wait is not None and wait > self.MAX_WAIT):
                    exc.attempts = attempt
                    raise
            except TransportFailure as exc:
                failure = exc
                if exc.out_of_time or not (safe or not exc.may_have_reached) or attempt >= self.MAX_ATTEMPTS:
                    exc.attempts = attempt
                    raise
                wait = None
            delay = wait if wait is not None else min(self.MAX_WAIT, self.BACKOFF * 2 ** (attempt - 1))
            if wait is None:
                delay *= 0.5 + random.random() / 2  # jitter, so parallel callers do not retry in step
            if anyio.current_time() + delay >= deadline:
                failure.attempts = attempt
                raise failure
            log.info("retrying %s %s in %.2fs (attempt %d)", request.method, request.path, delay, attempt + 1)
            await self.wait(delay)
            attempt += 1

    @staticmethod
    async def wait(seconds: float) -> None:
        """Pause between attempts (tests replace it to run without sleeping)."""
        await anyio.sleep(seconds)

    async def _send_once(self, request: Request, deadline: float, *, read: bool = False) -> Response:
        import httpx2

        http = self._connection()
        credential = self.credential
        read_slots = self._shared.read_slots(self.READ_SLOTS)
        phase = ["queued"]

        async def trace(event: str, info: object) -> None:  # httpcore2 says where the exchange is
            if ".connect_tcp." in event or ".start_tls." in event:
                phase[0] = "connecting"
            elif event.endswith("send_request_headers.started"):
                phase[0] = "sending"
                # Nothing after this changes what a failure means: the steps still to come (headers sent, body,
                # response, close) find no trace to call (`transmit` put the request's own extensions here).
                kwargs["extensions"].pop("trace", None)

        headers = {credential.header: credential.secret}
        kwargs: dict[str, Any] = {"headers": headers, "extensions": {"trace": trace}}
        if request.has_body:
            kwargs["content"] = compact_bytes(request.json)
            headers["Content-Type"] = "application/json"
        outcome: Response | None = None
        with anyio.CancelScope(deadline=deadline) as scope:
            try:
                await self._shared.limiter(credential.id).acquire()
                if read:
                    try:  # a free slot is taken without a trip through the event loop (anyio's acquire makes one)
                        read_slots.acquire_nowait()
                    except anyio.WouldBlock:
                        await read_slots.acquire()
                    try:
                        outcome = await self._exchange(http, request, kwargs, phase)
                    finally:
                        read_slots.release()
                else:
                    outcome = await self._exchange(http, request, kwargs, phase)
            except httpx2.InvalidURL as exc:  # e.g. a query too long for a URL: it never left this process
                raise TransportFailure(f"the request could not be sent ({_reason(exc)})", request, False) from None
            except httpx2.ConnectError as exc:
                raise TransportFailure(f"could not connect to Clockify ({_reason(exc)})", request, False) from None
            except httpx2.ConnectTimeout:
                raise TransportFailure("timed out connecting to Clockify", request, False) from None
            except httpx2.PoolTimeout:
                raise TransportFailure(self._busy(), request, False) from None
            except httpx2.TimeoutException:
                raise TransportFailure("Clockify did not answer in time", request, True) from None
            except httpx2.HTTPError as exc:
                raise TransportFailure(f"the connection to Clockify failed ({_reason(exc)})", request, True) from None
        if outcome is None or scope.cancelled_caught:
            raise self._late(request, phase[0])
        if outcome.status >= 300 or (outcome.body is None and outcome.text.strip()):
            raise _error(outcome, request)
        return outcome

    def _busy(self) -> str:
        return (
            f"all {self.MAX_CONNECTIONS} connections to Clockify were busy with slower calls; nothing was sent, "
            "try again shortly"
        )

    def _late(self, request: Request, phase: str) -> TransportFailure:
        limit = f"{self.settings.timeout:g} s (CLOCKIFY_TIMEOUT)"
        if phase == "queued":
            reason = f"{self._busy()} (waited {limit})"
        elif phase == "connecting":
            reason = f"timed out connecting to Clockify (deadline {limit})"
        else:
            reason = f"Clockify did not answer within {limit}"
        return TransportFailure(reason, request, phase == "sending", out_of_time=True)

    async def _exchange(
        self, http: httpx2.AsyncClient, request: Request, kwargs: dict[str, Any], phase: list[str]
    ) -> Response:
        """One request and its whole body, streamed: the decoded size is capped, and an answer over the cap is
        dropped (its memory given back) and becomes a ClockifyError."""
        url = _url(self.credential.api_url, request.path, request.params)
        raw = await self._shared.transmit(request.method, url, kwargs)
        phase[0] = "sending"  # a transport without trace events (tests' MockTransport) got this far too
        try:
            limit = self.settings.max_response_bytes
            declared = raw.headers.get("Content-Length", "")
            encoding = raw.headers.get("Content-Encoding")
            if declared.isdigit() and int(declared) > limit and not encoding:
                raise TooLarge
            if raw.is_stream_consumed:  # an in-memory transport handed over the whole body, already decoded
                data: bytes | bytearray = raw.content
                if len(data) > limit:
                    raise TooLarge
            else:
                data = await read_capped(raw.aiter_raw(), encoding, limit)
        except TooLarge:
            raise ClockifyError(
                raw.status_code,
                f"Clockify's answer was larger than {limit / 1_000_000:g} MB (CLOCKIFY_MAX_RESPONSE_MB) and was "
                "dropped unread",
                None,
                request,
                raw.headers,
                hint="ask for less: a smaller page-size, a shorter period or narrower filters.",
            ) from None
        except UnsupportedEncoding as exc:
            raise ClockifyError(
                raw.status_code, f"Clockify answered in Content-Encoding {exc}, which was not asked for", None, request
            ) from None
        finally:
            await raw.aclose()
        log.debug("%s %s -> %s (%d bytes)", request.method, request.path, raw.status_code, len(data))
        return _parse(raw.status_code, raw.headers, data.decode(raw.charset_encoding or "utf-8", errors="replace"))

    @property
    def profiles(self) -> ProfileCache:
        """The one profile cache every user's view shares (keyed by `credential.id`)."""
        return self._shared.profiles

    @property
    def names(self) -> NameCache:
        """The workspaces' names shown next to ids, shared by every user's view (keyed by credential and
        workspace)."""
        return self._shared.names

    @property
    def credential_id(self) -> str:
        """The cache key of the caller's credential (a digest, region included; see credentials.Credential)."""
        return self.credential.id

    @property
    def cached_profile(self) -> Profile | None:
        """The key owner's profile if it was fetched already (never sends a request)."""
        return self.profiles.cached(self.credential.id)

    async def profile(self) -> Profile:
        """The key owner's profile: user id, active workspace, time zone, week start (fetched once, cached)."""

        async def fetch() -> Any:
            return (await self.send(Request("GET", "/user"))).body

        return await self.profiles.get(self.credential.id, fetch)

    @property
    def cached_profile_timezone(self) -> tzinfo | None:
        profile = self.cached_profile
        return None if profile is None else profile.tz

    async def profile_timezone(self) -> tzinfo:
        """The time zone of the API key owner's Clockify profile (fetched once per user, then cached)."""
        return (await self.profile()).tz


V = TypeVar("V")


class Recent(Generic[V]):
    """A bounded map that forgets the least recently used entry: per-user state of a hosted server with
    many users stays within `size` entries."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class _Shared:
    """What every user's view of the client shares: the one connection pool, and per-user state keyed by
    `Credential.id` (rate limiters, cached profiles)."""

    USERS = 10_000

    def __init__(self, settings: Settings, transport: httpx2.AsyncBaseTransport | None) -> None:
        self.settings = settings
        self.transport = transport
        self.http: httpx2.AsyncClient | None = None
        self.limiters: Recent[RateLimiter] = Recent(self.USERS)
        self.profiles = ProfileCache(size=self.USERS)
        self.names = NameCache()
        self.headers = {
            "User-Agent": f"mcp-server-clockify/{__version__}",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        self.timeouts: dict[str, float | None] = {}
        self._read_slots: anyio.CapacityLimiter | None = None

    def read_slots(self, total: int) -> anyio.CapacityLimiter:
        """Connections reads may hold at once (made on first use: it needs the running event loop)."""
        if self._read_slots is None:
            self._read_slots = anyio.CapacityLimiter(total)
        return self._read_slots

    def limiter(self, user: str) -> RateLimiter:
        """The client-side rate limit of one Clockify key (Clockify limits each key on its own)."""
        found = self.limiters.get(user)
        if found is None:
            found = RateLimiter(self.settings.max_rps)
            self.limiters.put(user, found)
        return found

    def connection(self) -> httpx2.AsyncClient:
        """The pool, made on first use: a server that is started but never called (a desktop client starts
        every configured server) pays neither the import of the connection layer (httpcore2) nor the TLS set-up
        (the system trust store). See benchmarks/run.py. Keys are not default headers: each request carries its
        user's."""
        if self.http is None:
            import httpx2

            settings = self.settings
            timeout = httpx2.Timeout(settings.timeout, connect=min(ClockifyClient.CONNECT_TIMEOUT, settings.timeout))
            self.timeouts = timeout.as_dict()
            self.http = httpx2.AsyncClient(
                base_url=settings.api_url,
                headers=self.headers,
                # Per-operation bounds; the deadline over the whole request is enforced in `_send_once`.
                timeout=timeout,
                limits=httpx2.Limits(
                    max_connections=ClockifyClient.MAX_CONNECTIONS, max_keepalive_connections=16, keepalive_expiry=60.0
                ),
                transport=self.transport,
                follow_redirects=False,
                cookies=_no_cookies(),
                # A plain-http URL (the sandbox server, a local test server) never does TLS: skip loading the
                # trust store. Otherwise certificates are checked against the operating system's CAs (httpx2's
                # default; SSL_CERT_FILE or SSL_CERT_DIR first, when set). Redirects are not followed, so no request
                # can move to https and skip checks.
                verify=not settings.api_url.startswith("http://"),
            )
        return self.http

    async def transmit(self, method: str, url: httpx2.URL, kwargs: dict[str, Any]) -> httpx2.Response:
        """`method url` through the pool's transport itself. AsyncClient.send would add an auth flow, a redirect
        loop, event hooks, a cookie jar and a copy of every header on the way (a fifth of each request's CPU;
        see benchmarks/RESULTS.md): none of which this client uses (no auth but the key header, redirects are
        errors, no cookies). The transport is the one the client picked for the URL (a proxy from the
        environment included), with the client's timeouts."""
        import httpx2

        http = self.connection()
        headers = {**self.headers, **kwargs["headers"]}
        extensions = {"timeout": self.timeouts, **kwargs["extensions"]}
        sent = httpx2.Request(method, url, headers=headers, content=kwargs.get("content"), extensions=extensions)
        kwargs["extensions"] = sent.extensions  # the dict the connection reads: a trace may take itself out of it
        response = await http._transport_for_url(sent.url).handle_async_request(sent)
        response.request = sent
        return response

    async def aclose(self) -> None:
        if self.http is not None:
            await self.http.aclose()


class RateLimiter:
    """At most `rate` requests per second on average, with bursts of up to `rate` requests (GCRA).

    Each request is due at the theoretical arrival time `tat`; it may go up to `burst` intervals early and
    otherwise waits. Reading and advancing `tat` happens without an await, so concurrent callers each get their
    own slot. An agent's occasional calls never wait; a bulk loop settles at `rate` per second.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (max(1, int(rate) if burst is None else burst) - 1) * self._interval
        self._tat = 0.0
        self._clock = clock
        self._sleep = sleep

    async def acquire(self) -> None:
        now = self._clock()
        tat = max(self._tat, now)
        self._tat = tat + self._interval
        wait = tat - self._tolerance - now
        if wait > 0:
            await self._sleep(wait)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date), if there is one."""
    raw = (headers.get("Retry-After") or "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _no_cookies() -> http.cookiejar.CookieJar:
    """A cookie jar that keeps nothing. Clockify authenticates every request by its key; the pool is shared by
    every user of a hosted server, so a cookie set in one user's answer must never ride along on another's
    request. (It also spares the client's cookie parsing of every response.) Made with the pool: importing
    http.cookiejar loads urllib.request, which a server that is never called does not need."""
    import http.cookiejar

    class NoCookies(http.cookiejar.CookieJar):
        def extract_cookies(self, response: Any, request: Any) -> None:
            return None

        def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
            return None

    return NoCookies()


URLS_KEPT = 512
"""Parsed request URLs kept (the least recently used goes first): about 0.9 kB each with their keys."""


@lru_cache(maxsize=URLS_KEPT)
def _url(api_url: str, path: str, params: tuple[tuple[str, str], ...]) -> httpx2.URL:
    """The absolute URL of a request, query included, parsed once and kept. httpx parses a URL given as text
    character by character in Python (28 us for a 100-character Clockify URL, the query's encoding on top), while
    a parsed `URL` passes through `Request` as it is, and an agent asks for the same few URLs again and again (its
    entries, a workspace's names). Made from one string, not `params=` and a relative URL (each would be one more
    parse). httpx URLs are immutable, so one can serve many requests. See benchmarks/BREAKDOWN.md."""
    import httpx2

    # A path that is already absolute (the Reports API has a host of its own) is used as it is.
    base = "" if path.startswith(("https://", "http://")) else api_url
    if not params:
        return httpx2.URL(base + path)
    return httpx2.URL(f"{base}{path}?{httpx2.QueryParams(params)}")


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _parse(status: int, headers: Mapping[str, str], text: str) -> Response:
    body: Any = None
    if text.strip():
        try:
            body = json.loads(text)
        except ValueError:
            body = None
    return Response(status, headers, body, text)


def _error(response: Response, request: Request) -> ClockifyError:
    """The error for an answer that is not a usable success: a 4xx/5xx, a redirect (never followed: it would
    send the key elsewhere, and a write that was redirected did not happen where it was sent), or a 2xx whose
    body is not the JSON that was asked for (a proxy's or captive portal's page)."""
    body = response.body
    status = response.status
    message: str
    code: int | str | None = None
    if 300 <= status < 400:
        location = (response.headers.get("Location") or "").strip()[:200] or "(no Location header)"
        message = f"Clockify answered with a redirect to {location}; nothing is known to have changed"
    elif status >= 400 and isinstance(body, dict) and ("message" in body or "code" in body):
        message = str(body.get("message") or "").strip() or "(no message)"
        code = body.get("code")
    elif response.text.strip():
        kind = "an HTML page" if "<html" in response.text[:1000].lower() else "a non-JSON body"
        expected = "a JSON error" if status >= 400 else "JSON"
        message = f"Clockify answered with {kind} instead of {expected}"
    else:
        message = "Clockify answered with an empty body"
    return ClockifyError(status, message, code, request, response.headers)
