"""README stays true: its tools table is the catalogue's, and the two commands it gives exist."""

from __future__ import annotations

import re
from pathlib import Path

from mcp_server_clockify import catalogue

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_tools_table_is_generated_from_the_catalogue() -> None:
    assert catalogue.README == ROOT / "README.md"
    assert catalogue.with_table(README, list(catalogue.entries())) == README, (
        "README.md's tools table is stale: run python -m mcp_server_clockify.catalogue"
    )
    for entry in catalogue.entries():
        assert f"| `{entry.name.removeprefix('clockify_time_tracking_')}` |" in README


def test_readme_commands_exist_and_ci_calls_the_test_command() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert blocks[0].strip().startswith("./scripts/serve")
    assert blocks[1].strip() == "./scripts/test"
    for script in ("scripts/serve", "scripts/test", ".ci/run"):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"
    assert "./scripts/test" in (ROOT / ".ci/run").read_text()
