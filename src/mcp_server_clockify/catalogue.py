"""The tool catalogue: every tool's advertised definition, generated from the tool modules into catalogue.json.

Serving `tools/list` reads the catalogue and imports no tool module; a tool's module (its pydantic models) is
imported on the tool's first call. That keeps start-up and memory low (see benchmarks/run.py).

After adding or changing a tool, regenerate it (and, in a source checkout, README.md's tools table):

    python -m mcp_server_clockify.catalogue

then review the diff: catalogue.json is the reviewed record of every tool's toolset, hints and schema. A test
fails while catalogue.json, the tool modules and the README table disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Operation

__all__ = ["FILE", "README", "Entry", "entries", "generate", "operation", "readme_table", "render", "with_table"]

FILE = Path(__file__).with_name("catalogue.json")
_HERE = Path(__file__).resolve()
README: Path | None = next(
    (folder / "README.md" for folder in _HERE.parents if folder / "src" / __package__ / _HERE.name == _HERE),
    None,
)
"""The README of the source checkout this module is part of (None for an installed copy, even one in a venv
inside some project: only the checkout whose src/mcp_server_clockify holds this very file counts)."""
TABLE_START = "<!-- tools table: generated from catalogue.json by python -m mcp_server_clockify.catalogue -->"
TABLE_END = "<!-- end of tools table -->"


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    toolset: str
    read_only: bool
    call: str
    """The Clockify request(s) it makes: `GET /path`, or `GET /path, then PUT /path` for a read-merge-write."""
    definition: dict[str, Any]
    """The tool exactly as tools/list advertises it (JSON)."""


@cache
def entries() -> tuple[Entry, ...]:
    return tuple(Entry(**item) for item in json.loads(FILE.read_text(encoding="utf-8")))


@cache
def operation(name: str) -> Operation | None:
    """The Operation behind a catalogued tool, importing its module on first use."""
    from .tools import load

    entry = next((e for e in entries() if e.name == name), None)
    if entry is None:
        return None
    return next((op for op in load(entry.toolset) if op.name == name), None)


def generate() -> list[dict[str, Any]]:
    """The catalogue as the tool modules declare it now."""
    from .server import tool_definition
    from .tools import OPERATIONS

    return [
        {
            "name": op.name,
            "toolset": op.toolset,
            "read_only": op.read_only,
            "call": _call(op),
            "definition": tool_definition(op).model_dump(by_alias=True, exclude_none=True, mode="json"),
        }
        for op in OPERATIONS
    ]


def _call(op: Operation) -> str:
    if op.call:
        return op.call
    call = f"{op.method} {op.path}"
    return f"GET {op.merge.path}, then {call}" if op.merge else call


def render(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, indent=1, ensure_ascii=False) + "\n"


def readme_table(items: list[Entry]) -> str:
    """The README's tools section: one table per toolset, in catalogue order."""
    from .registry import TOOL_PREFIX
    from .toolsets import TOOLSETS

    out: list[str] = []
    for toolset in TOOLSETS:
        out += [f"### {toolset.name.replace('_', ' ').capitalize()}: {toolset.description}", ""]
        out += ["| tool | what it does | Clockify call |", "|---|---|---|"]
        for e in items:
            if e.toolset == toolset.name:
                hints = e.definition.get("annotations", {})
                kind = "Reads only." if e.read_only else "Asks first." if hints.get("destructiveHint") else ""
                what = f"{e.definition['description']} {kind}".strip().replace("|", "\\|")
                call = ", then ".join(f"`{part}`" for part in e.call.split(", then "))
                out.append(f"| `{e.name.removeprefix(TOOL_PREFIX)}` | {what} | {call} |")
        out.append("")
    return "\n".join(out)


def with_table(readme: str, items: list[Entry]) -> str:
    """`readme` with the text between the table markers replaced by the generated tables."""
    head, start, rest = readme.partition(TABLE_START)
    _, end, tail = rest.partition(TABLE_END)
    if not (start and end):
        raise ValueError(f"README.md lacks the markers {TABLE_START!r} ... {TABLE_END!r}")
    return f"{head}{TABLE_START}\n\n{readme_table(items)}\n{TABLE_END}{tail}"


def main() -> None:
    items = generate()
    FILE.write_text(render(items), encoding="utf-8")
    print(f"wrote {FILE}")
    if README is not None and README.is_file():
        README.write_text(with_table(README.read_text(encoding="utf-8"), [Entry(**i) for i in items]), "utf-8")
        print(f"wrote the tools table in {README}")


if __name__ == "__main__":
    main()
