"""The command line: --help, --version, flags."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mcp_server_clockify import __version__, toolsets
from servers import run_server as run
from servers import server_env

pytestmark = pytest.mark.e2e


def test_version_is_the_one_in_pyproject() -> None:
    proc = run("--version")
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert __version__ == pyproject["project"]["version"]
    assert proc.returncode == 0 and proc.stdout.strip() == f"mcp-server-clockify {__version__}"


def test_python_dash_m_is_the_same_command() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "mcp_server_clockify", "--version"],
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert (module.returncode, module.stdout) == (0, run("--version").stdout)


def test_help_lists_every_flag() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for flag in ("--transport", "--host", "--port", "--stateless", "--read-only", "--dry-run", "--toolsets", "-v"):
        assert flag in proc.stdout
    for toolset in toolsets.NAMES:
        assert toolset in proc.stdout


def test_unknown_flag_is_a_usage_error() -> None:
    proc = run("--bogus")
    assert proc.returncode == 2 and "unrecognized arguments: --bogus" in proc.stderr and proc.stdout == ""
