"""README stays true: every tool is listed, and the two commands it gives exist."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_server_clockify.tools import OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_every_tool_is_in_the_readme() -> None:
    missing = [op.short_name for op in OPERATIONS if f"`{op.short_name}`" not in README]
    assert not missing


def test_readme_commands_exist_and_ci_calls_the_test_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert blocks[0].strip().startswith("./scripts/serve")
    assert blocks[1].strip() == "./scripts/test"
    for script in ("scripts/serve", "scripts/test", ".ci/run"):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
    assert "./scripts/test" in (ROOT / ".ci/run").read_text()
