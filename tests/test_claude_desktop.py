"""The Claude Desktop blocks in README.md, run exactly as written: each starts the server and answers initialize."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from servers import KEY

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
SECTION = (ROOT / "README.md").read_text().split("### Claude Desktop", 1)[1].split("\n## ", 1)[0]
BLOCKS = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", SECTION, re.S)]


def test_readme_has_both_blocks() -> None:
    assert len(BLOCKS) == 2
    commands = [b["mcpServers"]["clockify"]["command"] for b in BLOCKS]
    assert commands[0] == "mcp-server-clockify"
    assert commands[1].startswith("/absolute/path/to/mcp-server-clockify/")


@pytest.mark.parametrize("index", [0, 1])
def test_block_starts_the_server_and_answers_initialize(index: int, tmp_path: Path) -> None:
    entry = BLOCKS[index]["mcpServers"]["clockify"]
    # The only substitutions a user makes: where the checkout is, and their key.
    command = entry["command"].replace("/absolute/path/to/mcp-server-clockify", str(ROOT))
    if index == 1 and not Path(command).exists():  # the checkout's .venv is where scripts/test installs
        command = sys.executable
    env = {k: v.replace("your-api-key", KEY) for k, v in entry["env"].items()}
    # Claude Desktop starts servers with a minimal environment: PATH (where the console script is) and HOME.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    env["HOME"] = str(tmp_path)
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "claude-ai", "version": "0"},
        },
    }
    proc = subprocess.run(
        [command, *entry["args"]],
        input=json.dumps(init) + "\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    first = json.loads(proc.stdout.splitlines()[0])
    assert first["id"] == 1
    assert first["result"]["serverInfo"]["name"] == "mcp-server-clockify"
    assert first["result"]["protocolVersion"] == "2025-06-18"
