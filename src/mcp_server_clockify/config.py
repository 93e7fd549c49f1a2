"""Settings: read once at start-up from the environment and an optional `.env` file.

The `.env` file in the working directory is read as values, never copied into the process environment, and only
`CLOCKIFY_*` names are taken from it: a cloned project's `.env` cannot set a proxy, a CA bundle or anything else
a library reads from the environment. A credential and the places it is sent to come from the same source: a
key from the real environment is never sent to a destination that only the `.env` named (see SOURCE_BOUND).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import toolsets
from .auth import MODES as AUTH_MODES
from .credentials import Credential

__all__ = [
    "CONFIRM_MODES",
    "DEFAULT_API_URL",
    "REGIONS",
    "SANDBOX_API_KEY",
    "SANDBOX_BASE_URL",
    "SANDBOX_REPORTS_URL",
    "SOURCE_BOUND",
    "ConfigError",
    "Settings",
    "parse_confirm",
    "parse_toolsets",
    "reports_url_for",
]

DEFAULT_API_URL = "https://api.clockify.me/api/v1"
SANDBOX_API_KEY = "sandbox-key-alex"
"""The sandbox's key of its workspace owner (Alex Morgan); the other seeded users have their own keys."""
SANDBOX_BASE_URL = "http://sandbox.clockify.invalid/api/v1"
SANDBOX_REPORTS_URL = "http://reports.sandbox.clockify.invalid/v1"
"""The simulator's Reports API, on its own host like Clockify's."""
"""In sandbox mode the client talks to the in-process simulator at this (never resolvable) address."""
REGIONS = ("euc1", "use2", "euw2", "apse2")
CREDENTIALS = ("CLOCKIFY_API_KEY", "CLOCKIFY_ADDON_TOKEN")
SOURCE_BOUND = (
    "CLOCKIFY_API_URL",
    "CLOCKIFY_REGION",
    "CLOCKIFY_REPORTS_URL",
    "CLOCKIFY_MCP_HTTP_TOKEN",
    "CLOCKIFY_ALLOW_INSECURE_HTTP",
)
"""Where a credential goes (or who may use it): taken from a `.env` only when the credential comes from there too."""


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable and fits on one line."""


@dataclass(frozen=True, slots=True)
class Settings:
    api_key: str | None = field(default=None, repr=False)
    addon_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    reports_url: str = ""
    """Base URL of Clockify's Reports API (CLOCKIFY_REPORTS_URL); empty: derived from `api_url` (see
    `reports_base`)."""
    timezone: ZoneInfo | None = None
    timeout: float = 30.0
    sandbox: bool = False
    """Serve every tool against the embedded simulator (demo data, no account, no network)."""
    sandbox_today: date | None = None
    """CLOCKIFY_SANDBOX_TODAY: the day the sandbox's demo data is built around (default: today, UTC); a fixed
    day makes a demo or a test repeatable."""
    read_only: bool = False
    """Only read-only tools are listed or callable; stronger than every other setting."""
    dry_run: bool = False
    """Write tools return the request they would send instead of sending it; reads still run."""
    toolsets: frozenset[str] | None = None
    """Groups of tools to offer (None: all)."""
    max_rps: float = 50.0
    names: bool = True
    """Write project, task, tag, user and policy names next to their ids in results (CLOCKIFY_NAMES)."""
    max_result_chars: int = 50_000
    """Longest tool result text; longer answers are cut (at an item boundary for lists) with a note."""
    max_response_bytes: int = 20_000_000
    """Largest answer read from Clockify (decoded); a longer one is dropped unread and reported."""
    sessions_per_client: int = 32
    """HTTP: stateful sessions one client (address + credential) may hold at once."""
    fresh_session_idle: float = 60.0
    """HTTP: seconds after which a session that made no request since its handshake is closed."""
    http_token: str | None = field(default=None, repr=False)
    """CLOCKIFY_MCP_HTTP_TOKEN: the bearer token HTTP clients must send (required off loopback)."""
    dotenv_path: str | None = None
    """The `.env` file that was read, if any (logged at start-up with -v)."""
    auth: str | None = None
    """Hosted mode (CLOCKIFY_MCP_AUTH / --auth): "key-header" or "oauth"; None: one key for everyone."""
    public_url: str | None = None
    """--auth oauth: CLOCKIFY_MCP_PUBLIC_URL, the URL users reach (checked when the HTTP app is built)."""
    mcp_secret: str | None = field(default=None, repr=False)
    """--auth oauth: CLOCKIFY_MCP_SECRET, one or more comma-separated secrets (the first seals, all open)."""
    redis_url: str | None = field(default=None, repr=False)
    """--auth oauth with several replicas: CLOCKIFY_MCP_REDIS_URL, their shared single-use/revocation store."""
    access_token_ttl: int = 3600
    """--auth oauth: CLOCKIFY_MCP_ACCESS_TOKEN_TTL, access-token lifetime in seconds."""
    session_idle: float = 300.0
    """Stateful HTTP: seconds without a request after which a session is closed (CLOCKIFY_MCP_SESSION_IDLE)."""
    max_sessions: int = 1000
    """Stateful HTTP: live sessions at most; a new one beyond that is refused (CLOCKIFY_MCP_MAX_SESSIONS)."""
    confirm: str = "auto"
    """How destructive calls are confirmed: auto (elicitation where the client declares it, else token),
    elicit, token or off."""
    confirm_timeout: float = 120.0
    """Seconds an elicitation may stay unanswered before the call ends as not confirmed."""
    confirm_secret: str | None = field(default=None, repr=False)
    """Key that signs confirmation tokens (replicas that share it accept each other's tokens); None: a
    random key per process."""

    @property
    def reports_base(self) -> str:
        """Where the Reports API lives: CLOCKIFY_REPORTS_URL, else derived from the API URL as Clockify lays
        its hosts out (api.clockify.me/api/v1 -> reports.api.clockify.me/v1; <region or subdomain>.clockify.me
        and any other host: .../api/v1 -> .../report/v1)."""
        return self.reports_url or reports_url_for(self.api_url)

    @property
    def auth_header(self) -> tuple[str, str]:
        if self.addon_token:
            return "X-Addon-Token", self.addon_token
        return "X-Api-Key", self.api_key or ""

    @property
    def hosted(self) -> bool:
        """Each HTTP request brings its user's credential; CLOCKIFY_API_KEY is not needed (nor used)."""
        return self.auth is not None

    @property
    def credential(self) -> Credential:
        """The process-wide credential (stdio, single-key HTTP); hosted mode has one per request instead."""
        header, secret = self.auth_header
        return Credential(header, secret, self.api_url)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Credentials to scrub from results and logs (real keys are long; a few characters would garble text)."""
        mcp_secrets = (self.mcp_secret or "").split(",")
        found = (self.api_key, self.addon_token, self.confirm_secret, *mcp_secrets)
        return tuple(s.strip() for s in found if s and len(s.strip()) >= MIN_SECRET_LENGTH)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, dotenv_file: Path | None = None, **overrides: object
    ) -> Settings:
        """Build settings from `env` (default: `os.environ`, with `.env` in the working directory as `dotenv_file`)
        and the `CLOCKIFY_*` values of `dotenv_file`; a variable set in `env` wins over the file.

        `overrides` are values given on the command line; they win over the environment.
        """
        if env is None:
            env = os.environ
            dotenv_file = Path.cwd() / ".env" if dotenv_file is None else dotenv_file
        from_file = _read_dotenv(dotenv_file) if dotenv_file is not None and dotenv_file.is_file() else {}
        if from_file and dotenv_file is not None:
            _check_sources(env, from_file, dotenv_file)
            env = {**from_file, **env}
        api_key = (env.get("CLOCKIFY_API_KEY") or "").strip() or None
        addon = (env.get("CLOCKIFY_ADDON_TOKEN") or "").strip() or None
        sandbox = overrides.pop("sandbox", None)
        auth = overrides.pop("auth", None) or (env.get("CLOCKIFY_MCP_AUTH") or "").strip().lower() or None
        if auth is not None and auth not in AUTH_MODES:
            raise ConfigError(f"CLOCKIFY_MCP_AUTH must be one of {', '.join(AUTH_MODES)}, not {auth!r}")
        hosted = auth is not None
        if not sandbox:
            if (env.get("CLOCKIFY_SANDBOX") or "").strip().lower() == "auto":  # sandbox unless a key is set
                sandbox = not (api_key or addon)
            else:
                sandbox = _flag(env, "CLOCKIFY_SANDBOX")
        reports_url = ""
        if sandbox:  # the simulator takes any key; a real one is never sent anywhere
            api_key, addon, api_url = SANDBOX_API_KEY, None, SANDBOX_BASE_URL
        else:
            if api_key and addon:
                raise ConfigError("set only one of CLOCKIFY_API_KEY and CLOCKIFY_ADDON_TOKEN, not both")
            if not (api_key or addon or hosted):
                raise ConfigError(
                    "CLOCKIFY_API_KEY is not set: create a key at https://app.clockify.me/user/preferences#advanced "
                    "and set CLOCKIFY_API_KEY (or CLOCKIFY_ADDON_TOKEN), or try the built-in sandbox with demo data: "
                    "mcp-server-clockify --sandbox"
                )
            api_url = _api_url(env)
            reports = (env.get("CLOCKIFY_REPORTS_URL") or "").strip()
            if reports:
                if not reports.startswith(("https://", "http://")):
                    raise ConfigError(f"CLOCKIFY_REPORTS_URL must start with https:// (or http://), not {reports!r}")
                reports_url = reports.rstrip("/")
        values: dict[str, object] = {
            "api_key": api_key,
            "addon_token": addon,
            "api_url": api_url,
            "reports_url": reports_url,
            "sandbox": bool(sandbox),
            "sandbox_today": _day(env, "CLOCKIFY_SANDBOX_TODAY"),
            "timezone": _timezone(env),
            "timeout": _positive(env, "CLOCKIFY_TIMEOUT", 30.0),
            "read_only": _flag(env, "CLOCKIFY_READ_ONLY"),
            "dry_run": _flag(env, "CLOCKIFY_DRY_RUN"),
            "names": _flag(env, "CLOCKIFY_NAMES", default=True),
            "max_rps": _positive(env, "CLOCKIFY_MAX_RPS", 50.0),
            "max_result_chars": int(_positive(env, "CLOCKIFY_MAX_RESULT_CHARS", 50_000)),
            "max_response_bytes": int(_positive(env, "CLOCKIFY_MAX_RESPONSE_MB", 20.0) * 1_000_000),
            "sessions_per_client": int(_positive(env, "CLOCKIFY_MCP_SESSIONS_PER_CLIENT", 32)),
            "fresh_session_idle": _positive(env, "CLOCKIFY_MCP_FRESH_SESSION_IDLE", 60.0),
            "http_token": (env.get("CLOCKIFY_MCP_HTTP_TOKEN") or "").strip() or None,
            "dotenv_path": str(dotenv_file) if dotenv_file is not None and dotenv_file.is_file() else None,
            "auth": auth,
            "public_url": (env.get("CLOCKIFY_MCP_PUBLIC_URL") or "").strip() or None,
            "mcp_secret": (env.get("CLOCKIFY_MCP_SECRET") or "").strip() or None,
            "redis_url": (env.get("CLOCKIFY_MCP_REDIS_URL") or "").strip() or None,
            "access_token_ttl": int(_positive(env, "CLOCKIFY_MCP_ACCESS_TOKEN_TTL", 3600)),
            "session_idle": _positive(env, "CLOCKIFY_MCP_SESSION_IDLE", 300.0),
            "max_sessions": int(_positive(env, "CLOCKIFY_MCP_MAX_SESSIONS", 1000)),
            "confirm": parse_confirm(env.get("CLOCKIFY_CONFIRM") or "auto", "CLOCKIFY_CONFIRM"),
            "confirm_timeout": _positive(env, "CLOCKIFY_CONFIRM_TIMEOUT", 120.0),
            "confirm_secret": _secret(env, "CLOCKIFY_CONFIRM_SECRET"),
        }
        if values["redis_url"] and importlib.util.find_spec("redis") is None:
            raise ConfigError(
                "CLOCKIFY_MCP_REDIS_URL needs the Redis client: pip install 'mcp-server-clockify[hosted]'"
            )
        if (env.get("CLOCKIFY_TOOLSETS") or "").strip():
            values["toolsets"] = parse_toolsets(env["CLOCKIFY_TOOLSETS"], "CLOCKIFY_TOOLSETS")
        for key, value in overrides.items():
            if value is not None:
                values[key] = value
        return cls(**values)  # type: ignore[arg-type]


def _read_dotenv(path: Path) -> dict[str, str]:
    """The `CLOCKIFY_*` values of a `.env` file, as plain values: nothing is put into `os.environ` and nothing is
    interpolated (`${CLOCKIFY_API_KEY}` inside a value stays literal, so no setting can echo the key)."""
    from dotenv import dotenv_values  # imported only when there is a file to read

    values = dotenv_values(path, interpolate=False)
    return {k: v for k, v in values.items() if k.startswith("CLOCKIFY_") and v is not None}


def _check_sources(env: Mapping[str, str], from_file: Mapping[str, str], path: Path) -> None:
    """A credential from the real environment may not be sent where only the `.env` file says."""
    credential = next((name for name in CREDENTIALS if (env.get(name) or "").strip()), None)
    if credential is None:
        return  # the key (if any) comes from the file itself: the file names its own destinations
    for name in SOURCE_BOUND:
        if name not in env and (from_file.get(name) or "").strip():
            raise ConfigError(
                f"{path} sets {name}, but {credential} comes from the environment: a .env file may not choose "
                f"where your key goes; set {name} in the environment too, or remove it from {path}"
            )


def parse_toolsets(text: str, source: str) -> frozenset[str]:
    """Toolset names from a comma-separated list; unknown names are an error listing the valid ones."""
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(toolsets.NAMES))
    if unknown or not names:
        what = f"unknown toolset {', '.join(unknown)}" if unknown else "no toolset given"
        raise ConfigError(f"{source}: {what}; valid toolsets: {','.join(toolsets.NAMES)}")
    return frozenset(names)


CONFIRM_MODES = ("auto", "elicit", "token", "off")


def parse_confirm(text: str, source: str) -> str:
    """One of CONFIRM_MODES; anything else is an error naming `source` and the valid values."""
    mode = text.strip().lower() or "auto"
    if mode not in CONFIRM_MODES:
        raise ConfigError(f"{source} must be one of {', '.join(CONFIRM_MODES)}, not {text.strip()!r}")
    return mode


def _secret(env: Mapping[str, str], name: str) -> str | None:
    raw = (env.get(name) or "").strip()
    if raw and len(raw) < 32:
        raise ConfigError(f"{name} must be at least 32 characters (a random secret shared by the replicas)")
    return raw or None


MIN_SECRET_LENGTH = 8
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(env: Mapping[str, str], name: str, *, default: bool = False) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _day(env: Mapping[str, str], name: str) -> date | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a date like 2026-11-25, not {raw!r}") from None


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"{name} must be a positive number, not {raw!r}")
    return value


def reports_url_for(api_url: str) -> str:
    """The Reports API base URL that belongs to `api_url` (see Settings.reports_base)."""
    url = api_url.rstrip("/")
    if url == DEFAULT_API_URL:
        return "https://reports.api.clockify.me/v1"
    if url == SANDBOX_BASE_URL:
        return SANDBOX_REPORTS_URL
    return url.removesuffix("/api/v1") + "/report/v1" if url.endswith("/api/v1") else url + "/report/v1"


def _api_url(env: Mapping[str, str]) -> str:
    url = (env.get("CLOCKIFY_API_URL") or "").strip()
    region = (env.get("CLOCKIFY_REGION") or "").strip().lower()
    if url and region:
        raise ConfigError("set only one of CLOCKIFY_API_URL and CLOCKIFY_REGION")
    if region:
        if region not in REGIONS:
            raise ConfigError(f"CLOCKIFY_REGION must be one of {', '.join(REGIONS)}, not {region!r}")
        return f"https://{region}.clockify.me/api/v1"
    if not url:
        return DEFAULT_API_URL
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"CLOCKIFY_API_URL must start with https:// (or http:// for a local server), not {url!r}")
    if url.startswith("http://") and not _is_local(url) and not _flag(env, "CLOCKIFY_ALLOW_INSECURE_HTTP"):
        raise ConfigError(
            f"CLOCKIFY_API_URL {url!r} is plain http to a host that is not this machine: the key would travel "
            "in clear text; use https://, or set CLOCKIFY_ALLOW_INSECURE_HTTP=true if you really mean it"
        )
    return url.rstrip("/")


def _is_local(url: str) -> bool:
    """Whether an http:// URL points at this machine (loopback), where clear text never crosses a network."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _timezone(env: Mapping[str, str]) -> ZoneInfo | None:
    name = (env.get("CLOCKIFY_TIMEZONE") or "").strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"CLOCKIFY_TIMEZONE must be an IANA time zone such as Europe/Berlin, not {name!r}") from None
