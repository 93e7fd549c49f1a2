"""The sign-in page of `--auth oauth`: the user pastes their Clockify API key once and picks a region.

Plain server-rendered HTML, no JavaScript. The key is checked with `GET /user` (and the active workspace
named with `GET /workspaces`) before anything is issued; the page then shows who signed in and the workspace
the tools will use, with a link back to the client carrying the authorization code. The key travels only in
the POST body and, sealed, inside the code: never in a URL, a log line or an error page. A POST must carry
the CSRF token of the page it came from, bound to a cookie (SameSite=Strict, HttpOnly) and to the pending
request; attempts are rate-limited per client address.
"""

from __future__ import annotations

import hashlib
import html
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

from mcp.server.auth.provider import construct_redirect_uri
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..client import ClockifyClient, ClockifyError, Recent, TransportFailure
from ..config import DEFAULT_API_URL, REGIONS
from ..credentials import Credential
from ..registry import Request as ApiRequest
from .provider import SIGNIN_PATH, OAuthProvider, Pending

__all__ = ["SignIn", "region_choices"]

log = logging.getLogger(__name__)

REGION_NAMES = {"euc1": "EU (Germany)", "use2": "USA", "euw2": "UK", "apse2": "Australia"}


def region_choices(api_url: str) -> dict[str, tuple[str, str]]:
    """Region value -> (label, API base URL). A server pointed at its own Clockify URL offers only that."""
    standard = {DEFAULT_API_URL, *(f"https://{r}.clockify.me/api/v1" for r in REGIONS)}
    if api_url not in standard:
        return {"configured": (f"This server's Clockify ({urlsplit(api_url).netloc})", api_url)}
    choices = {"global": ("Global (app.clockify.me)", DEFAULT_API_URL)}
    choices.update({r: (REGION_NAMES[r], f"https://{r}.clockify.me/api/v1") for r in REGIONS})
    return choices


class AttemptLimit:
    """At most `count` sign-in attempts per client address in `window` seconds."""

    def __init__(self, count: int = 10, window: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.count, self.window, self.clock = count, window, clock
        self._seen: Recent[deque[float]] = Recent(50_000)

    def allow(self, who: str) -> bool:
        now = self.clock()
        times = self._seen.get(who) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.count:
            return False
        times.append(now)
        self._seen.put(who, times)
        return True


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}"
    "label{display:block;margin:1rem 0 .25rem;font-weight:600}input,select{width:100%;padding:.5rem;font:inherit}"
    "button,a.button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;background:#03a9f4;color:#fff;border:0;"
    "border-radius:4px;text-decoration:none;display:inline-block}.error{color:#b00020}.muted{color:#666}"
)


def _page(title: str, body: str, status: int = 200, cookie: tuple[str, str, bool] | None = None) -> Response:
    text = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style></head><body>{body}</body></html>'
    )
    response = HTMLResponse(text, status_code=status, headers=HEADERS)
    if cookie is not None:
        name, value, secure = cookie
        response.set_cookie(name, value, max_age=900, path="/", secure=secure, httponly=True, samesite="strict")
    return response


class SignIn:
    def __init__(self, provider: OAuthProvider, client: ClockifyClient, api_url: str) -> None:
        self.provider = provider
        self.client = client
        self.regions = region_choices(api_url)
        self.limit = AttemptLimit()
        self.secure = provider.public_url.startswith("https://")
        self.cookie = "__Host-clockify-signin" if self.secure else "clockify-signin"

    def routes(self) -> list[Route]:
        return [Route(SIGNIN_PATH, self.handle, methods=["GET", "POST"])]

    async def handle(self, request: Request) -> Response:
        try:
            if request.method == "GET":
                return self._form(request.query_params.get("request", ""), request.cookies.get(self.cookie))
            return await self._submit(request)
        except Exception:  # never a traceback (or anything from the form) on the page or in the log
            log.error("sign-in failed with an internal error")
            return _page("Sign-in failed", "<h1>Sign-in failed</h1><p>An internal error occurred.</p>", 500)

    def _csrf(self, cookie: str, sealed_request: str) -> str:
        exp = time.time() + self.provider.lifetimes.pending
        return self.provider.sealer.seal("csrf", {"c": _digest(cookie), "r": _digest(sealed_request), "exp": exp})

    def _form(
        self, sealed: str, cookie: str | None, *, error: str = "", region: str = "", status: int = 200
    ) -> Response:
        pending = self.provider.open_pending(sealed)
        if pending is None:
            return _expired()
        cookie = cookie or secrets.token_urlsafe(32)
        client = html.escape(pending.client_name or "An MCP client")
        back = urlsplit(pending.redirect_uri).netloc or pending.redirect_uri
        options = "".join(
            f'<option value="{value}"{" selected" if value == region else ""}>{html.escape(label)}</option>'
            for value, (label, _) in self.regions.items()
        )
        body = (
            f"<h1>Sign in to Clockify</h1><p><strong>{client}</strong> wants to use Clockify as you through this "
            "MCP server. Paste your Clockify API key (Clockify: Profile settings, Advanced, API key). The server keeps "
            "it only inside the encrypted tokens it gives the client.</p>"
            + (f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "")
            + f'<form method="post" action="{SIGNIN_PATH}">'
            f'<input type="hidden" name="request" value="{html.escape(sealed)}">'
            f'<input type="hidden" name="csrf" value="{html.escape(self._csrf(cookie, sealed))}">'
            '<label for="api_key">Clockify API key</label>'
            '<input id="api_key" name="api_key" type="password" autocomplete="off" required>'
            f'<label for="region">Region</label><select id="region" name="region">{options}</select>'
            '<button type="submit">Sign in</button></form>'
            f'<p class="muted">You will be sent back to {html.escape(back)}.</p>'
        )
        return _page("Sign in to Clockify", body, status, cookie=(self.cookie, cookie, self.secure))

    async def _submit(self, request: Request) -> Response:
        form = await request.form()
        sealed = str(form.get("request") or "")
        cookie = request.cookies.get(self.cookie) or ""
        token = self.provider.sealer.open("csrf", str(form.get("csrf") or ""))
        if (
            token is None
            or not cookie
            or token["c"] != _digest(cookie)
            or token["r"] != _digest(sealed)
            or token["exp"] < time.time()
        ):
            return _page(
                "Sign-in refused",
                "<h1>Sign-in refused</h1><p>This form is not from this page "
                "(missing or wrong CSRF token). Start the sign-in again from your client.</p>",
                403,
            )
        pending = self.provider.open_pending(sealed)
        if pending is None:
            return _expired()
        who = request.client.host if request.client else "?"
        if not self.limit.allow(who):
            return self._form(sealed, cookie, error="Too many sign-in attempts. Wait a few minutes.", status=429)
        region = str(form.get("region") or "")
        key = str(form.get("api_key") or "").strip()
        if region not in self.regions:
            return self._form(sealed, cookie, error="Pick a region from the list.", status=400)
        if not key:
            return self._form(sealed, cookie, error="Paste your Clockify API key.", region=region, status=400)
        credential = Credential("X-Api-Key", key, self.regions[region][1])
        return await self._check(pending, credential, sealed, cookie, region)

    async def _check(self, pending: Pending, credential: Credential, sealed: str, cookie: str, region: str) -> Response:
        client = self.client.for_user(credential)
        try:
            user = (await client.send(ApiRequest("GET", "/user"))).body
            workspaces = (await client.send(ApiRequest("GET", "/workspaces"))).body
        except ClockifyError as exc:
            why = (
                "Clockify did not accept this API key in this region."
                if exc.status in (401, 403)
                else f"Clockify answered with an error (HTTP {exc.status})."
            )
            return self._form(sealed, cookie, error=why, region=region, status=400)
        except TransportFailure:
            return self._form(
                sealed, cookie, error="Clockify could not be reached; try again.", region=region, status=502
            )
        user = user if isinstance(user, dict) else {}
        workspace_id = str(user.get("activeWorkspace") or user.get("defaultWorkspace") or "")
        names = {str(w.get("id")): str(w.get("name") or "") for w in workspaces or [] if isinstance(w, dict)}
        code = self.provider.issue_code(pending, credential, str(user.get("id") or ""))
        target = construct_redirect_uri(pending.redirect_uri, code=code, state=pending.state)
        body = (
            f"<h1>Signed in</h1><p>Signed in as <strong>{html.escape(str(user.get('name') or ''))}</strong> "
            f'({html.escape(str(user.get("email") or ""))}).</p><p>Workspace: <strong id="workspace">'
            f"{html.escape(names.get(workspace_id, workspace_id))}</strong></p>"
            f"<p>{html.escape(pending.client_name or 'Your client')} will use Clockify as you in this workspace.</p>"
            f'<a class="button" id="continue" href="{html.escape(target)}">Continue</a>'
        )
        return _page("Signed in", body)


def _expired() -> Response:
    return _page(
        "Sign-in expired",
        "<h1>This sign-in link is not valid</h1><p>It expired or was altered. Start again from your client.</p>",
        400,
    )
