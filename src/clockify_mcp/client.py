"""ClockifyClient: the process's one HTTP connection pool to Clockify.

It knows HTTP and Clockify's error conventions, nothing about tools. The API key travels only in the
default headers of the `httpx.AsyncClient`; it is never logged or put into an error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from . import __version__
from .config import Settings
from .registry import Request

__all__ = ["ClockifyClient", "ClockifyError", "Response", "TransportFailure"]

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

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.message}"


@dataclass(slots=True)
class TransportFailure(Exception):
    """No answer from Clockify: the connection failed, timed out or was dropped."""

    reason: str
    request: Request
    may_have_reached: bool
    """True when the request may have been received (a timeout or a dropped connection after sending)."""

    def __str__(self) -> str:
        return self.reason


class ClockifyClient:
    """Sends built `Request`s to Clockify and parses what comes back."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        header, secret = settings.auth_header
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.api_url,
            headers={header: secret, "User-Agent": f"clockify-mcp/{__version__}", "Accept": "application/json"},
            timeout=httpx.Timeout(settings.timeout, connect=10.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=60.0),
            transport=transport,
            follow_redirects=False,
        )
        self._profile_tz: tzinfo | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ClockifyClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def send(self, request: Request) -> Response:
        """Send `request`; return the 2xx response or raise ClockifyError / TransportFailure."""
        kwargs: dict[str, Any] = {"params": list(request.params)}
        if request.has_body:
            kwargs["content"] = json.dumps(request.json, separators=(",", ":"), ensure_ascii=False).encode()
            kwargs["headers"] = {"Content-Type": "application/json"}
        try:
            raw = await self._http.request(request.method, request.path, **kwargs)
        except httpx.ConnectError as exc:
            raise TransportFailure(f"could not connect to Clockify ({_reason(exc)})", request, False) from None
        except httpx.ConnectTimeout:
            raise TransportFailure("timed out connecting to Clockify", request, False) from None
        except httpx.TimeoutException:
            raise TransportFailure("Clockify did not answer in time", request, True) from None
        except httpx.HTTPError as exc:
            raise TransportFailure(f"the connection to Clockify failed ({_reason(exc)})", request, True) from None
        log.debug("%s %s -> %s", request.method, request.path, raw.status_code)
        response = _parse(raw)
        if raw.status_code >= 400:
            raise _error(response, request)
        return response

    @property
    def cached_profile_timezone(self) -> tzinfo | None:
        return self._profile_tz

    async def profile_timezone(self) -> tzinfo:
        """The time zone of the API key owner's Clockify profile (fetched once, then cached)."""
        if self._profile_tz is None:
            response = await self.send(Request("GET", "/user"))
            body = response.body if isinstance(response.body, dict) else {}
            settings = body.get("settings") if isinstance(body.get("settings"), dict) else {}
            name = str(settings.get("timeZone") or "UTC")
            try:
                self._profile_tz = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("profile time zone %r is unknown here; using UTC", name)
                self._profile_tz = ZoneInfo("UTC")
        return self._profile_tz


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _parse(raw: httpx.Response) -> Response:
    text = raw.text
    body: Any = None
    if text.strip():
        try:
            body = json.loads(text)
        except ValueError:
            body = None
    return Response(raw.status_code, raw.headers, body, text)


def _error(response: Response, request: Request) -> ClockifyError:
    body = response.body
    message: str
    code: int | str | None = None
    if isinstance(body, dict) and ("message" in body or "code" in body):
        message = str(body.get("message") or "").strip() or "(no message)"
        code = body.get("code")
    elif response.text.strip():
        kind = "an HTML page" if "<html" in response.text[:500].lower() else "a non-JSON body"
        message = f"Clockify answered with {kind} instead of a JSON error"
    else:
        message = "Clockify answered with an empty body"
    return ClockifyError(response.status, message, code, request, response.headers)
