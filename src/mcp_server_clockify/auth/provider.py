"""The OAuth 2.1 authorization server behind `--auth oauth`, as the MCP SDK's provider interface.

The SDK's handlers do the protocol (metadata, /authorize, /token, /register, /revoke, PKCE S256 checks,
redirect-URI and client checks, 401 with WWW-Authenticate); this provider decides what is valid. Nothing is
stored per client or per user: a registered client's metadata is sealed into its client_id, and every code
and token is sealed (`sealing.Sealer`) with what it grants, the user's Clockify credential included. Only
single use (codes, rotated refresh tokens) and revocation need state (`grants.Grants`).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlencode, urlsplit

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    OAuthAuthorizationServerProvider,
    RefreshToken,
    RegistrationError,
    TokenError,
)
from mcp.shared.auth import InvalidRedirectUriError, OAuthClientInformationFull, OAuthToken
from pydantic import AnyUrl, ConfigDict, Field

from ..credentials import Credential
from .client_metadata import ClientMetadataDocuments, is_metadata_url
from .grants import Grants
from .sealing import Sealer

__all__ = ["SIGNIN_PATH", "Client", "HostedAccessToken", "OAuthProvider", "Pending", "TokenLifetimes"]

SIGNIN_PATH = "/signin"


@dataclass(frozen=True, slots=True)
class TokenLifetimes:
    code: int = 300
    pending: int = 900
    """How long a sign-in page stays usable."""
    access: int = 3600
    refresh: int = 30 * 86400


def is_loopback_redirect(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return False
    try:
        return ip_address(parts.hostname).is_loopback
    except ValueError:
        return parts.hostname == "localhost"


def _same_but_port(a: str, b: str) -> bool:
    x, y = urlsplit(a), urlsplit(b)
    return (x.scheme, x.hostname, x.path, x.query) == (y.scheme, y.hostname, y.path, y.query)


class Client(OAuthClientInformationFull):
    """A registered client. Redirect URIs match exactly, except that a loopback one (http://127.0.0.1,
    http://[::1], http://localhost) matches on any port, as native apps bind a free port (RFC 8252 §7.3,
    OAuth 2.1 §8.4.2)."""

    def validate_redirect_uri(self, redirect_uri: AnyUrl | None) -> AnyUrl:
        registered = [str(u) for u in self.redirect_uris or []]
        if redirect_uri is None:
            if len(registered) == 1:
                return AnyUrl(registered[0])
            raise InvalidRedirectUriError("redirect_uri is required: the client registered several")
        wanted = str(redirect_uri)
        for uri in registered:
            if wanted == uri or (is_loopback_redirect(uri) and _same_but_port(uri, wanted)):
                return redirect_uri
        raise InvalidRedirectUriError("redirect_uri is not registered for this client")


class HostedAccessToken(AccessToken):
    """An access token this server issued, opened: who it is for, and the Clockify credential it carries."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    credential: Credential = Field(exclude=True, repr=False)
    grant: str = Field(exclude=True)


class HostedCode(AuthorizationCode):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    credential: Credential = Field(exclude=True, repr=False)
    grant: str
    once: str


class HostedRefresh(RefreshToken):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    credential: Credential = Field(exclude=True, repr=False)
    grant: str
    once: str


@dataclass(frozen=True, slots=True)
class Pending:
    """An authorization request waiting for its user to sign in (sealed into the sign-in page's URL)."""

    client_id: str
    client_name: str
    redirect_uri: str
    redirect_uri_explicit: bool
    code_challenge: str
    state: str | None
    scopes: list[str]
    resource: str


def _check_redirect_uris(uris: list[str]) -> None:
    for text in uris:
        scheme = urlsplit(text).scheme
        if "#" in text:
            raise RegistrationError("invalid_redirect_uri", "a redirect URI must not have a fragment")
        if scheme == "http" and not is_loopback_redirect(text):
            raise RegistrationError("invalid_redirect_uri", f"{text}: http is allowed on loopback only")
        if scheme in ("javascript", "data", "file", "about", "vbscript", "blob", "ftp", "ws", "wss"):
            raise RegistrationError("invalid_redirect_uri", f"{text}: not a redirect URI")


def _token_fields(token: str, p: dict[str, Any]) -> dict[str, Any]:
    """What an access and a refresh token carry alike, from their opened payload."""
    return {
        "token": token,
        "client_id": p["cid"],
        "scopes": p["sc"],
        "expires_at": p["exp"],
        "resource": p["res"],
        "subject": p["sub"],
        "credential": _cred(p),
        "grant": p["grant"],
    }


def _cred(payload: dict[str, Any]) -> Credential:
    header, secret, api_url = payload["cred"]
    return Credential(str(header), str(secret), str(api_url))


class OAuthProvider(OAuthAuthorizationServerProvider[HostedCode, HostedRefresh, HostedAccessToken]):
    """`OAuthAuthorizationServerProvider` for the SDK's auth routes (the protocol's own default refuses the
    identity-assertion grant, which this server does not enable), and their `TokenVerifier`."""

    def __init__(
        self,
        *,
        public_url: str,
        sealer: Sealer,
        grants: Grants,
        lifetimes: TokenLifetimes | None = None,
        clock: Any = time.time,
        documents: ClientMetadataDocuments | None = None,
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.resource = self.public_url + "/mcp"
        self.sealer = sealer
        self.grants = grants
        self.lifetimes = lifetimes or TokenLifetimes()
        self.clock = clock
        self.documents = documents
        """Client ID metadata documents (https client ids), if enabled."""

    # -- clients -------------------------------------------------------------------------------------------

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        if self.documents is not None and is_metadata_url(client_id):
            return await self._document_client(client_id)
        payload = self.sealer.open("client", client_id)
        if payload is None:
            return None
        return Client.model_validate({**payload["meta"], "client_id": client_id, "client_secret": payload["secret"]})

    async def _document_client(self, client_id: str) -> Client | None:
        assert self.documents is not None
        document = await self.documents.get(client_id)
        if document is None:
            return None
        fields = {k: document[k] for k in ("redirect_uris", "client_name", "client_uri", "logo_uri") if k in document}
        try:
            client = Client.model_validate(
                {
                    **fields,
                    "client_id": client_id,
                    "token_endpoint_auth_method": "none",
                    "grant_types": ["authorization_code", "refresh_token"],
                    "response_types": ["code"],
                }
            )
            _check_redirect_uris([str(u) for u in client.redirect_uris or []])
        except (ValueError, RegistrationError):
            return None
        return client

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        """Dynamic client registration (RFC 7591) without a database: the validated metadata, and the secret the
        SDK minted, are sealed into the client_id this returns (the SDK answers with `client_info` as changed
        here). Redirect URIs must be https, loopback http, or a private-use scheme of a native app."""
        _check_redirect_uris([str(u) for u in client_info.redirect_uris or []])
        meta = client_info.model_dump(
            mode="json", exclude={"client_id", "client_secret"}, exclude_none=True, exclude_unset=False
        )
        client_info.client_id = self.sealer.seal("client", {"meta": meta, "secret": client_info.client_secret})

    # -- authorization -------------------------------------------------------------------------------------

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        """Send the user to the sign-in page; the pending request travels sealed in its URL."""
        if params.resource is not None and params.resource.rstrip("/") != self.resource:
            raise AuthorizeError("invalid_target", f"this server issues tokens for {self.resource} only")
        pending = {
            "cid": client.client_id,
            "name": client.client_name or "",
            "ru": str(params.redirect_uri),
            "rux": params.redirect_uri_provided_explicitly,
            "cc": params.code_challenge,
            "st": params.state,
            "sc": params.scopes or [],
            "res": self.resource,
            "exp": int(self.clock()) + self.lifetimes.pending,
        }
        return f"{self.public_url}{SIGNIN_PATH}?" + urlencode({"request": self.sealer.seal("pending", pending)})

    def open_pending(self, sealed: str) -> Pending | None:
        p = self.sealer.open("pending", sealed)
        if p is None or p["exp"] < self.clock():
            return None
        return Pending(p["cid"], p["name"], p["ru"], p["rux"], p["cc"], p["st"], p["sc"], p["res"])

    def issue_code(self, pending: Pending, credential: Credential, subject: str) -> str:
        """The authorization code for a user who signed in (called by the sign-in page)."""
        payload = {
            "cid": pending.client_id,
            "ru": pending.redirect_uri,
            "rux": pending.redirect_uri_explicit,
            "cc": pending.code_challenge,
            "sc": pending.scopes,
            "res": pending.resource,
            "sub": subject,
            "cred": [credential.header, credential.secret, credential.api_url],
            "grant": secrets.token_urlsafe(16),
            "once": secrets.token_urlsafe(16),
            "exp": self.clock() + self.lifetimes.code,
        }
        return self.sealer.seal("code", payload)

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> HostedCode | None:
        p = self.sealer.open("code", authorization_code)
        if p is None or p["cid"] != client.client_id or await self.grants.revoked(p["grant"]):
            return None
        return HostedCode(
            code=authorization_code,
            scopes=p["sc"],
            expires_at=p["exp"],
            client_id=p["cid"],
            code_challenge=p["cc"],
            redirect_uri=AnyUrl(p["ru"]),
            redirect_uri_provided_explicitly=p["rux"],
            resource=p["res"],
            subject=p["sub"],
            credential=_cred(p),
            grant=p["grant"],
            once=p["once"],
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: HostedCode
    ) -> OAuthToken:
        code = authorization_code
        if not await self.grants.claim(code.once, self.lifetimes.code):
            # A code used twice: someone else may hold it. Revoke what the first use issued (OAuth 2.1 §4.1.3).
            await self.grants.revoke(code.grant, self.lifetimes.refresh)
            raise TokenError("invalid_grant", "authorization code was already used")
        return self._tokens(client.client_id, code.scopes, code.resource or self.resource, code.subject, code)

    # -- tokens --------------------------------------------------------------------------------------------

    def _tokens(
        self, client_id: str, scopes: list[str], resource: str, subject: str | None, source: HostedCode | HostedRefresh
    ) -> OAuthToken:
        now = int(self.clock())
        cred = [source.credential.header, source.credential.secret, source.credential.api_url]
        base = {"cid": client_id, "sc": scopes, "res": resource, "sub": subject, "cred": cred, "grant": source.grant}
        access = self.sealer.seal("access", {**base, "exp": now + self.lifetimes.access})
        refresh = self.sealer.seal(
            "refresh", {**base, "exp": now + self.lifetimes.refresh, "once": secrets.token_urlsafe(16)}
        )
        return OAuthToken(
            access_token=access,
            token_type="Bearer",
            expires_in=self.lifetimes.access,
            refresh_token=refresh,
            scope=" ".join(scopes) or None,
        )

    async def load_refresh_token(self, client: OAuthClientInformationFull, refresh_token: str) -> HostedRefresh | None:
        p = self.sealer.open("refresh", refresh_token)
        if p is None or p["cid"] != client.client_id or p["exp"] < self.clock():
            return None
        if await self.grants.revoked(p["grant"]):
            return None
        return HostedRefresh(**_token_fields(refresh_token, p), once=p["once"])

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: HostedRefresh, scopes: list[str]
    ) -> OAuthToken:
        """Rotation: each refresh token works once. A second use means it leaked, so the whole grant is revoked
        (OAuth 2.1 §4.3.1): the thief and the user both have to sign in again, and the user will."""
        if not await self.grants.claim(refresh_token.once, self.lifetimes.refresh):
            await self.grants.revoke(refresh_token.grant, self.lifetimes.refresh)
            raise TokenError("invalid_grant", "refresh token was already used")
        resource = refresh_token.resource or self.resource
        return self._tokens(client.client_id, scopes, resource, refresh_token.subject, refresh_token)

    async def verify_token(self, token: str) -> AccessToken | None:
        """`TokenVerifier` for the resource server: a bearer token is valid when it loads as an access token."""
        return await self.load_access_token(token)

    async def load_access_token(self, token: str) -> HostedAccessToken | None:
        p = self.sealer.open("access", token)
        if p is None or p["exp"] < self.clock() or p["res"] != self.resource:
            return None
        if await self.grants.revoked(p["grant"]):
            return None
        return HostedAccessToken(**_token_fields(token, p))

    async def revoke_token(self, token: AccessToken | RefreshToken) -> None:
        """Revoking either token revokes the grant: the access and the refresh token of that sign-in."""
        grant = getattr(token, "grant", None)
        if isinstance(grant, str):
            await self.grants.revoke(grant, self.lifetimes.refresh)
