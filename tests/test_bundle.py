"""The Claude Desktop bundle (.mcpb) and the MCP registry's server.json.

The bundle test builds it with scripts/build-mcpb, unpacks it, and starts the server exactly as manifest.json
says (command, args, env), with `${__dirname}` and each `${user_config.*}` substituted the way Claude Desktop
does, then calls tools/list and a sandbox tool. `uv` resolves offline from this checkout's wheels (offline_uv.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import offline_uv
from mcp_server_clockify import __version__, catalogue

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# MCPB manifest schema v0.4, from github.com/modelcontextprotocol/mcpb schemas/ (commit 27083dc, MIT license).
MANIFEST_SCHEMA = json.loads((ROOT / "tests/data/schemas/mcpb-manifest-v0.4.schema.json").read_text())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mcpb")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build-mcpb"), str(out)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    [built] = out.glob("*.mcpb")
    assert built.name == f"mcp-server-clockify-{__version__}.mcpb"
    return built


def manifest_of(bundle: Path) -> dict[str, Any]:
    with zipfile.ZipFile(bundle) as zf:
        return json.loads(zf.read("manifest.json"))


def test_manifest_follows_the_mcpb_schema_and_the_package(bundle: Path) -> None:
    manifest = manifest_of(bundle)
    jsonschema.validate(manifest, MANIFEST_SCHEMA)
    assert manifest["name"] == PROJECT["name"] and manifest["version"] == __version__
    assert manifest["license"] == "MIT"
    assert [t["name"] for t in manifest["tools"]] == [e.name for e in catalogue.entries()]
    config = manifest["user_config"]
    assert set(config) == {"api_key", "region", "read_only", "timezone"}
    assert config["api_key"]["sensitive"] is True and config["api_key"]["type"] == "string"
    assert config["read_only"]["type"] == "boolean"
    env = manifest["server"]["mcp_config"]["env"]
    used = set(re.findall(r"\$\{user_config\.(\w+)\}", json.dumps(manifest["server"])))
    assert used == set(config), "every setting the form asks for reaches the server"
    assert env["CLOCKIFY_API_KEY"] == "${user_config.api_key}"
    assert "${user_config" not in json.dumps(manifest["server"]["mcp_config"]["args"]), "the key never goes in argv"


def test_bundle_holds_the_package_and_nothing_of_the_checkout_s_tooling(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
    manifest = manifest_of(bundle)
    assert {"manifest.json", "pyproject.toml", "README.md", "LICENSE", manifest["server"]["entry_point"]} <= names
    assert "src/mcp_server_clockify/catalogue.json" in names and "src/mcp_server_clockify/cli.py" in names
    assert not [n for n in names if n.startswith(("tests/", ".venv/", "server/lib/")) or "__pycache__" in n]


def substitute(value: str, dirname: Path, user_config: dict[str, Any]) -> str:
    """What Claude Desktop does with `${__dirname}` and `${user_config.KEY}` (booleans as true/false)."""
    value = value.replace("${__dirname}", str(dirname))

    def config(match: re.Match[str]) -> str:
        got = user_config[match.group(1)]
        return ("true" if got else "false") if isinstance(got, bool) else str(got)

    return re.sub(r"\$\{user_config\.(\w+)\}", config, value)


def test_bundle_starts_as_its_manifest_says_and_answers(bundle: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "Claude Extensions" / "mcp-server-clockify"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unpacked)
    manifest = json.loads((unpacked / "manifest.json").read_text())
    mcp_config = manifest["server"]["mcp_config"]
    # The form as a user fills it: no key (the sandbox), default region, read-only on, a time zone.
    user_config = {"api_key": "", "region": "", "read_only": True, "timezone": "America/New_York"}
    for key, spec in manifest["user_config"].items():
        assert key in user_config or "default" in spec
    command = mcp_config["command"]
    assert command == "uv"  # Claude Desktop runs it with the uv it manages; here, the uv of the dev extras
    args = [substitute(a, unpacked, user_config) for a in mcp_config["args"]]
    env = {k: substitute(v, unpacked, user_config) for k, v in mcp_config["env"].items()}
    env.update({"PATH": offline_uv.DESKTOP_PATH, "HOME": str(tmp_path)})
    env.update(offline_uv.uv_env(tmp_path))
    answers = offline_uv.converse(
        [offline_uv.tool("uv"), *args], env, tmp_path, "clockify_time_tracking_get_workspaces"
    )
    init = answers[1]["result"]
    assert "America/New_York" in init["instructions"] and "SANDBOX MODE" in init["instructions"]
    tools = answers[2]["result"]["tools"]
    read_only = {e.name for e in catalogue.entries() if e.read_only}
    assert {t["name"] for t in tools} == read_only, "read_only=true reached the server"
    result = answers[3]["result"]
    assert not result.get("isError"), result
    assert "Sandbox Workspace" in result["content"][0]["text"]


# server.json: the MCP registry's rules (static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json and
# the official registry's requirements), checked field by field.
SERVER = json.loads((ROOT / "server.json").read_text())
PACKAGE_KEYS = {
    "registryType",
    "registryBaseUrl",
    "identifier",
    "version",
    "fileSha256",
    "runtimeHint",
    "transport",
    "runtimeArguments",
    "packageArguments",
    "environmentVariables",
}
INPUT_KEYS = {"name", "description", "isRequired", "format", "value", "isSecret", "default", "placeholder", "choices"}


def test_server_json_follows_the_registry_schema() -> None:
    assert SERVER["$schema"].startswith("https://static.modelcontextprotocol.io/schemas/")
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", SERVER["name"]) and 3 <= len(SERVER["name"]) <= 200
    assert SERVER["name"].startswith("io.github.")
    assert 1 <= len(SERVER["description"]) <= 100
    assert SERVER["version"] == __version__
    assert SERVER["repository"]["source"] == "github"
    assert SERVER["repository"]["url"] == PROJECT["urls"]["Homepage"]
    [package] = SERVER["packages"]
    assert set(package) <= PACKAGE_KEYS
    assert package["registryType"] == "pypi" and package["identifier"] == PROJECT["name"]
    assert package["version"] == __version__ and package["transport"] == {"type": "stdio"}
    for variable in package["environmentVariables"]:
        assert set(variable) <= INPUT_KEYS and variable["format"] in ("string", "boolean", "number", "filepath")
        assert all(isinstance(variable.get(k, False), bool) for k in ("isRequired", "isSecret"))


def test_server_json_names_only_real_settings_and_marks_the_key_secret() -> None:
    [package] = SERVER["packages"]
    names = [v["name"] for v in package["environmentVariables"]]
    configuration = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{n}`" in configuration for n in names)
    key = package["environmentVariables"][0]
    assert key["name"] == "CLOCKIFY_API_KEY" and key["isSecret"] is True


README = (ROOT / "README.md").read_text()


def test_readme_carries_the_registry_ownership_line() -> None:
    """PyPI packages prove ownership with `mcp-name: <server name>` in the README PyPI shows."""
    assert f"mcp-name: {SERVER['name']}" in README
