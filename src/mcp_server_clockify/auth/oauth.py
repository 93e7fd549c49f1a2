"""`--auth oauth`: the streamable HTTP app as an OAuth 2.1 resource server and authorization server, per the
MCP authorization specification, assembled from the MCP SDK's auth routes and middleware.

- `/.well-known/oauth-protected-resource/mcp` (RFC 9728) names this server as the authorization server;
  `/.well-known/oauth-authorization-server` (RFC 8414) lists the endpoints; every `/mcp` request without a
  valid token gets 401 with `WWW-Authenticate: Bearer ... resource_metadata="..."`.
- `/register` (RFC 7591), `/authorize` -> `/signin` (the sign-in page) -> the client's redirect URI with a
  code, `/token` (authorization_code with PKCE S256 only; refresh_token, rotating), `/revoke` (RFC 7009).
- Tokens are bound to `CLOCKIFY_MCP_PUBLIC_URL` + `/mcp` (RFC 8707 `resource`, checked on every request).

Settings: CLOCKIFY_MCP_PUBLIC_URL (https, what users reach; http only on loopback), CLOCKIFY_MCP_SECRET (one
or more, comma-separated; the same on every replica), CLOCKIFY_MCP_REDIS_URL (shared single-use and
revocation state when there are several replicas), CLOCKIFY_MCP_ACCESS_TOKEN_TTL (seconds, default 3600).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..asgi import ASGIApp
from ..config import ConfigError, Settings
from ..transports import guard_sessions, is_loopback, rebinding_guard, sdk_app
from .client_metadata import ClientMetadataDocuments
from .grants import grants_from_url
from .provider import OAuthProvider, TokenLifetimes
from .sealing import Sealer, parse_secrets

if TYPE_CHECKING:
    pass

__all__ = ["oauth_app", "public_url"]


def public_url(configured: str | None) -> str:
    url = (configured or "").strip().rstrip("/")
    parts = urlsplit(url)
    if not url:
        raise ConfigError(
            "--auth oauth needs CLOCKIFY_MCP_PUBLIC_URL: the https:// URL users reach this server at (without /mcp)"
        )
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return url
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"CLOCKIFY_MCP_PUBLIC_URL must be an https:// URL (http only on loopback), not {url!r}")
    return url


def oauth_app(settings: Settings, *, host: str, stateless: bool) -> ASGIApp:
    from mcp.server.auth.settings import AuthSettings, ClientRegistrationOptions, RevocationOptions

    from ..server import build_server, shared_client
    from .signin import SignIn

    url = public_url(settings.public_url)
    sealer = Sealer(parse_secrets(settings.mcp_secret or ""))
    import httpx2

    documents = ClientMetadataDocuments(httpx2.AsyncClient(follow_redirects=False, timeout=5.0))
    provider = OAuthProvider(
        documents=documents,
        public_url=url,
        sealer=sealer,
        grants=grants_from_url(settings.redis_url),
        lifetimes=TokenLifetimes(access=settings.access_token_ttl),
    )
    client = shared_client(settings)  # one pool for the sign-in checks and every user's tool calls
    signin = SignIn(provider, client, settings.api_url)
    # validated from text: AnyHttpUrl(url) would add a "/" to a bare origin, and the issuer must match exactly
    auth = AuthSettings.model_validate(
        {
            "issuer_url": url,
            "resource_server_url": provider.resource,
            "client_registration_options": ClientRegistrationOptions(enabled=True),
            "revocation_options": RevocationOptions(enabled=True),
            "validate_token_resource": True,
        }
    )
    server = build_server(settings, client=client, grants=provider.grants)  # one Redis client for both
    app = sdk_app(
        server,
        settings,
        host=host,
        stateless=stateless,
        transport_security=_host_check(host, url),
        auth=auth,
        token_verifier=provider,
        auth_server_provider=provider,
        custom_starlette_routes=signin.routes(),
    )
    app.router.routes.insert(0, _metadata_route(auth))  # ahead of the SDK's own, which it completes
    return guard_sessions(app, server, settings, stateless=stateless)


def _metadata_route(auth: Any) -> Any:
    """RFC 8414 metadata as the SDK builds it, plus what this server also supports: client ID metadata
    documents, and public clients (`none`: PKCE instead of a client secret, OAuth 2.1 §2.1)."""
    from mcp.server.auth.handlers.metadata import MetadataHandler
    from mcp.server.auth.routes import build_metadata, cors_middleware
    from starlette.routing import Route

    metadata = build_metadata(auth.issuer_url, None, auth.client_registration_options, auth.revocation_options)
    metadata.client_id_metadata_document_supported = True
    metadata.token_endpoint_auth_methods_supported = ["none", "client_secret_post", "client_secret_basic"]
    handler = cors_middleware(MetadataHandler(metadata).handle, ["GET", "OPTIONS"])
    return Route("/.well-known/oauth-authorization-server", endpoint=handler, methods=["GET", "OPTIONS"])


def _host_check(host: str, url: str) -> Any:
    """DNS-rebinding protection on loopback, as in single-key mode, that also lets in the public host: replicas
    listen on loopback behind a proxy that passes the Host users reached (`proxy_set_header Host $http_host`)."""
    from mcp.server.transport_security import TransportSecuritySettings

    if not is_loopback(host):
        return None
    public = urlsplit(url)
    guard: TransportSecuritySettings = rebinding_guard(host)  # exactly the bound address (issue 11)
    guard.allowed_hosts.append(public.netloc)
    guard.allowed_origins.append(f"{public.scheme}://{public.netloc}")
    return guard
