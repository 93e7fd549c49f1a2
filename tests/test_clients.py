"""Every client config block in README.md, launched as written, the way the client launches it.

Each block is parsed (JSON, or the `claude mcp add` command line), the substitutions README names are made (your
key, the checkout's path, where `uvx` is) and nothing else, and the command is started with only the block's
`env`, `HOME` and a desktop app's minimal `PATH`. Blocks that run `uvx` resolve the package offline from this
checkout's wheel (see offline_uv.py). A key block talks to sandbox-server through CLOCKIFY_API_URL, the one
variable the test adds so that no request can reach the real Clockify.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import offline_uv
from mcp_server_clockify import sandbox
from servers import KEY as ANY_KEY
from servers import Running, sandbox_server

# The owner's key once sandbox-server tells seeded users' keys apart (sandbox.API_KEYS); until then any key.
KEY = (getattr(sandbox, "API_KEYS", None) or {}).get(sandbox.OWNER_ID, ANY_KEY)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
CLIENTS = README.split("\n## Connect a client\n", 1)[1].split("\n## ", 1)[0]


def section(title: str) -> str:
    return CLIENTS.split(f"\n### {title}\n", 1)[1].split("\n### ", 1)[0]


def blocks(title: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", section(title), re.S)


def desktop(index: int) -> tuple[str, dict]:
    name, entry = next(iter(json.loads(blocks("Claude Desktop", "json")[index])["mcpServers"].items()))
    return name, entry


def claude_code() -> dict:
    """`claude mcp add [--transport stdio] [--env K=V]... NAME -- COMMAND ARGS...` as the server entry it writes."""
    [line] = blocks("Claude Code", "sh")
    words = shlex.split(line)
    assert words[:3] == ["claude", "mcp", "add"]
    split = words.index("--")
    options, (command, *args) = words[3:split], words[split + 1 :]
    env: dict[str, str] = {}
    while len(options) > 1:
        flag, value = options.pop(0), options.pop(0)
        if flag in ("--env", "-e"):
            key, _, val = value.partition("=")
            env[key] = val
        else:
            assert (flag, value) == ("--transport", "stdio"), flag
    assert options == ["clockify"]
    return {"command": command, "args": args, "env": env}


def vscode() -> dict:
    [text] = blocks("VS Code", "json")
    config = json.loads(text)
    [prompt] = config["inputs"]
    assert prompt["password"] is True and prompt["type"] == "promptString"
    entry = config["servers"]["clockify"]
    assert entry.pop("type") == "stdio"
    # VS Code asks for each ${input:...} once and substitutes the answer.
    entry["env"] = {k: v.replace(f"${{input:{prompt['id']}}}", "your-api-key") for k, v in entry["env"].items()}
    return entry


def cursor() -> dict:
    [text] = blocks("Cursor", "json")
    return json.loads(text)["mcpServers"]["clockify"]


@pytest.fixture(scope="module")
def clockify() -> Iterator[Running]:
    with sandbox_server("--quiet") as running:
        yield running


def launch(entry: dict, home: Path, *, api_url: str | None) -> dict[int, dict]:
    """Start `entry` as a desktop client does, send initialize, tools/list and one call, close stdin."""
    command = entry["command"]
    if command == "uvx":  # README: write uvx's full path (desktop apps do not read the shell's PATH)
        command = offline_uv.tool("uvx")
    command = command.replace("/absolute/path/to/mcp-server-clockify", str(ROOT))
    env = {k: v.replace("your-api-key", KEY) for k, v in entry.get("env", {}).items()}
    if api_url and "CLOCKIFY_API_KEY" in env:
        env["CLOCKIFY_API_URL"] = api_url
    env.update({"PATH": offline_uv.DESKTOP_PATH, "HOME": str(home)})
    if Path(command).name in ("uvx", "uv"):
        env.update(offline_uv.uv_env(home))
    assert Path(command).is_absolute(), command
    argv = [command, *entry.get("args", [])]
    answers = offline_uv.converse(argv, env, home, "clockify_time_tracking_get_current_user")
    assert len(answers[2]["result"]["tools"]) >= 40
    assert KEY not in json.dumps(answers)
    return answers


def me(answers: dict[int, dict]) -> str:
    result = answers[3]["result"]
    assert not result.get("isError"), result
    return "\n".join(block["text"] for block in result["content"] if block.get("type") == "text")  # JSON, then notes


def test_readme_has_a_block_for_every_client() -> None:
    assert len(blocks("Claude Desktop", "json")) == 3
    assert [desktop(i)[1]["command"] for i in range(3)] == [
        "uvx",
        "/absolute/path/to/mcp-server-clockify/.venv/bin/mcp-server-clockify",
        "uvx",
    ]
    assert desktop(0)[1]["args"] == ["mcp-server-clockify"] == claude_code()["args"] == vscode()["args"]
    assert cursor()["args"] == ["mcp-server-clockify"]


def test_claude_desktop_uvx(tmp_path: Path, clockify: Running) -> None:
    assert "Alex Morgan" in me(launch(desktop(0)[1], tmp_path, api_url=clockify.url))


def test_claude_desktop_absolute_path(tmp_path: Path, clockify: Running) -> None:
    entry = desktop(1)[1]
    script = Path(entry["command"].replace("/absolute/path/to/mcp-server-clockify", str(ROOT)))
    if not script.exists():  # ./scripts/test and ./scripts/serve make it; another venv runs these tests
        assert Path(sys.executable).parent != ROOT / ".venv" / "bin"
        pytest.skip(f"{script} is not installed")
    assert "Alex Morgan" in me(launch(entry, tmp_path, api_url=clockify.url))


def test_claude_desktop_sandbox(tmp_path: Path) -> None:
    name, entry = desktop(2)
    assert name == "clockify-sandbox" and "env" not in entry
    text = me(launch(entry, tmp_path, api_url=None))
    assert "Alex Morgan" in text and "sandbox" in text


def test_claude_code(tmp_path: Path, clockify: Running) -> None:
    assert "Alex Morgan" in me(launch(claude_code(), tmp_path, api_url=clockify.url))


def test_vscode(tmp_path: Path, clockify: Running) -> None:
    assert "Alex Morgan" in me(launch(vscode(), tmp_path, api_url=clockify.url))


def test_cursor(tmp_path: Path, clockify: Running) -> None:
    assert "Alex Morgan" in me(launch(cursor(), tmp_path, api_url=clockify.url))


def test_uvx_from_a_wheel_and_from_a_checkout(tmp_path: Path) -> None:
    """README, Install: `uvx --from /path/to/checkout-or-wheel mcp-server-clockify`."""
    [wheel] = offline_uv.dist().glob("*.whl")
    for source in (str(wheel), str(ROOT)):
        entry = {"command": "uvx", "args": ["--from", source, "mcp-server-clockify", "--sandbox"]}
        assert "Alex Morgan" in me(launch(entry, tmp_path, api_url=None))


def test_first_screen_shows_the_two_commands_then_the_uvx_line() -> None:
    first_screen = "\n".join(README.splitlines()[:40])
    commands = [b.strip() for b in re.findall(r"```sh\n(.*?)```", first_screen, re.S)]
    assert commands == ["./scripts/serve", "./scripts/test", "uvx mcp-server-clockify"]
