"""The repository stands alone: its reference data is inside it, and what cites the API notes cites real sections."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import seed

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "clockify-api-notes.md"
CODE = [
    path
    for folder in ("src", "tests", "scripts", ".ci", "benchmarks")
    for path in sorted((ROOT / folder).rglob("*"))
    if path.is_file()
    and path.suffix in ("", ".py", ".sh")
    and not any(part == "__pycache__" or part.endswith(".egg-info") for part in path.parts)
]


def test_the_code_is_found() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in CODE}
    assert {"scripts/test", "scripts/extract-reference-data", ".ci/run", "tests/helpers.py"} <= names


def test_nothing_reads_a_folder_beside_the_checkout() -> None:
    outside = re.compile(r"\.\./shared|[\"']shared[\"']|parents\[2\]")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in CODE
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert not found


def test_cited_sections_of_the_api_notes_exist() -> None:
    sections = set(re.findall(r"^#{2,3} ([a-z][a-z-]*):", NOTES.read_text(encoding="utf-8"), re.M))
    cited = {
        name: path.relative_to(ROOT)
        for path in CODE
        for name in re.findall(r"§([a-z][a-z-]*[a-z])", path.read_text(encoding="utf-8"))
    }
    assert len(cited) >= 10  # the citations are found at all
    assert not {name: str(where) for name, where in cited.items() if name not in sections}


def test_the_seed_table_is_complete() -> None:
    tools = seed()
    assert len(tools) == 42
    assert sum(len(tool["params"]) for tool in tools.values()) == 243
    assert all(set(param) == {"name", "type", "required"} for tool in tools.values() for param in tool["params"])
