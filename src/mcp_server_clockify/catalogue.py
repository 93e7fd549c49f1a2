"""The tool catalogue: every tool's advertised definition, generated from the tool modules into catalogue.json.

Serving `tools/list` reads the catalogue and imports no tool module; a tool's module (its pydantic models) is
imported on the tool's first call. That keeps start-up and memory low (see benchmarks/run.py).

After changing a tool, regenerate it:

    python -m mcp_server_clockify.catalogue

A test fails while catalogue.json and the tool modules disagree.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Operation

__all__ = ["TOOLSETS", "Entry", "entries", "generate", "operation"]

TOOLSETS: tuple[str, ...] = ("time_entries", "approvals", "time_off", "holidays", "scheduling", "discovery")
"""The groups of tools; each is also the name of the module under mcp_server_clockify.tools that declares them."""

FILE = Path(__file__).with_name("catalogue.json")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    toolset: str
    read_only: bool
    definition: dict[str, Any]
    """The tool exactly as tools/list advertises it (JSON)."""


@cache
def entries() -> tuple[Entry, ...]:
    return tuple(Entry(**item) for item in json.loads(FILE.read_text(encoding="utf-8")))


@cache
def operation(name: str) -> Operation | None:
    """The Operation behind a catalogued tool, importing its module on first use."""
    entry = next((e for e in entries() if e.name == name), None)
    if entry is None:
        return None
    module = importlib.import_module(f"{__package__}.tools.{entry.toolset}")
    return next((op for op in module.OPERATIONS if op.name == name), None)


def generate() -> list[dict[str, Any]]:
    """The catalogue as the tool modules declare it now."""
    from .server import tool_definition
    from .tools import OPERATIONS

    return [
        {
            "name": op.name,
            "toolset": op.toolset,
            "read_only": op.read_only,
            "definition": tool_definition(op).model_dump(by_alias=True, exclude_none=True, mode="json"),
        }
        for op in OPERATIONS
    ]


def render(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    FILE.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {FILE}")


if __name__ == "__main__":
    main()
