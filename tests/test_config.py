"""Settings from the environment and .env, and the one-line start-up errors."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mcp_server_clockify.config import ConfigError, Settings
from servers import clean_env, run_server


def test_api_key_and_defaults() -> None:
    s = Settings.from_env({"CLOCKIFY_API_KEY": "k1"})
    assert s.auth_header == ("X-Api-Key", "k1")
    assert s.api_url == "https://api.clockify.me/api/v1"
    assert s.timezone is None


def test_addon_token() -> None:
    s = Settings.from_env({"CLOCKIFY_ADDON_TOKEN": "t1"})
    assert s.auth_header == ("X-Addon-Token", "t1")


@pytest.mark.parametrize("region", ["euc1", "use2", "euw2", "apse2"])
def test_regions(region: str) -> None:
    s = Settings.from_env({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_REGION": region.upper()})
    assert s.api_url == f"https://{region}.clockify.me/api/v1"


def test_api_url_local_and_trailing_slash() -> None:
    s = Settings.from_env({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_API_URL": "http://127.0.0.1:8765/api/v1/"})
    assert s.api_url == "http://127.0.0.1:8765/api/v1"


def test_timezone() -> None:
    s = Settings.from_env({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_TIMEZONE": "Europe/Berlin"})
    assert s.timezone == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "CLOCKIFY_API_KEY"),
        ({"CLOCKIFY_API_KEY": "   "}, "CLOCKIFY_API_KEY"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_ADDON_TOKEN": "t"}, "CLOCKIFY_ADDON_TOKEN"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_REGION": "mars1"}, "CLOCKIFY_REGION"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_REGION": "euc1", "CLOCKIFY_API_URL": "https://x"}, "CLOCKIFY_API_URL"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_API_URL": "ftp://x"}, "CLOCKIFY_API_URL"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_TIMEZONE": "Mars/Olympus"}, "CLOCKIFY_TIMEZONE"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_TIMEOUT": "-1"}, "CLOCKIFY_TIMEOUT"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    message = str(info.value)
    assert variable in message and "\n" not in message


def test_secret_not_in_repr() -> None:
    assert "k-secret" not in repr(Settings.from_env({"CLOCKIFY_API_KEY": "k-secret"}))


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({}, "CLOCKIFY_API_KEY"),
        ({"CLOCKIFY_API_KEY": "k", "CLOCKIFY_ADDON_TOKEN": "t"}, "CLOCKIFY_ADDON_TOKEN"),
    ],
)
def test_startup_error_is_one_line_on_stderr_with_exit_code_2(
    tmp_path: Path, extra: dict[str, str], needle: str
) -> None:
    proc = run_server(env=clean_env(**extra), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


@pytest.mark.e2e
def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CLOCKIFY_API_KEY=from-dotenv\nCLOCKIFY_REGION=ab\n")
    proc = run_server(env=clean_env(), cwd=tmp_path)
    # the key came from .env (so no missing-key error); the bad region from .env is reported
    assert proc.returncode == 2
    assert "CLOCKIFY_REGION" in proc.stderr and "from-dotenv" not in proc.stderr
