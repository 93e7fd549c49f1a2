"""The whole tool inventory against the seed (tests/data/seed-tools.json) and the conventions every tool keeps."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

import pytest

from helpers import seed
from mcp_server_clockify import toolsets
from mcp_server_clockify.registry import TOOL_PREFIX, Operation
from mcp_server_clockify.schema import SELF_EVIDENT, input_schema
from mcp_server_clockify.server import tool_definition
from mcp_server_clockify.tools import OPERATIONS
from mcp_server_clockify.types import Args

SEED = seed()
TOOLS = {op.name: tool_definition(op) for op in OPERATIONS}
OPS = {op.name: op for op in OPERATIONS}

# Where the live API disagrees with the seed (docs/clockify-api-notes.md), the live API wins. Each entry is
# (tool, parameter) -> (what the seed says, what we expose, why).
TYPE_CORRECTIONS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("get_entries", "in-progress"): ("string", "boolean", "§in-progress-flag: a boolean flag on the wire"),
    ("update_invoiced_status", "timeEntryIds"): (
        "object[]",
        "array",
        "§invoiced-ids: Clockify wants id strings; objects {id} are accepted too",
    ),
    ("get_balances_for_user", "page"): (
        "string",
        "integer",
        "§balance-paging: the wire parses page as an integer (non-numeric: 400 code 3000)",
    ),
    ("get_balances_for_user", "page-size"): (
        "string",
        "integer",
        "§balance-paging: the wire parses page-size as an integer (non-numeric: 400 code 3000)",
    ),
}
REQUIRED_CORRECTIONS: dict[tuple[str, str], tuple[bool, bool, str]] = {
    ("change_time_off_request_status", "status"): (
        False,
        True,
        "§time-off-status: the only meaningful field; only APPROVED or REJECTED are accepted",
    ),
    **{
        ("update_holiday", name): (
            True,
            False,
            "the tool reads the holiday and sends it back whole, so omitted fields are kept (no silent data loss)",
        )
        for name in ("name", "datePeriod", "occursAnnually")
    },
    ("update_time_entry", "start"): (
        True,
        False,
        "the tool reads the entry and sends it back whole, so an omitted start is kept (no silent data loss)",
    ),
}


def test_hints_follow_from_what_a_tool_does() -> None:
    """Each tool's hints are reviewed in catalogue.json (a test keeps it equal to the modules); these are the rules
    no tool may break: reads change nothing, and a DELETE cannot be undone, so it asks first."""
    for op in OPERATIONS:
        ann = tool_definition(op).annotations
        # openWorldHint is left out (its default, true, is what every tool is); see server.tool_definition
        assert ann is not None and ann.open_world_hint is None
        if op.read_only:
            assert not op.destructive and not op.merge, op.name
        if op.method == "DELETE":
            assert op.destructive, op.name


OWNER_FIELDS = {op.name: op.owner_fields for op in OPERATIONS}


def test_owner_defaults_are_the_ids_of_the_key_owner() -> None:
    """Every required workspaceId / userId of the seed became an owner default, and nothing else did."""
    for name, fields in OWNER_FIELDS.items():
        assert {kind.value for kind in fields.values()} <= {"workspace", "user"}
        assert set(fields) <= {"workspaceId", "userId", "assigned-to"}, name
        if "workspaceId" in TOOLS[name].input_schema["properties"]:
            assert "workspaceId" in fields, name


def seed_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        inner = items.get("type")
        return f"{inner}[]" if inner else "array"
    return str(kind)


def implemented_seed_tools() -> list[str]:
    return sorted(name for name in SEED if name in TOOLS)


def test_every_toolset_has_tools_and_its_check_with_tools_are_its_reads() -> None:
    for toolset in toolsets.TOOLSETS:
        reads = {op.short_name for op in OPERATIONS if op.toolset == toolset.name and op.read_only}
        assert reads, f"{toolset.name}: no read tool"
        assert set(toolset.check_with) <= reads, toolset.name
    assert {op.toolset for op in OPERATIONS} == set(toolsets.NAMES)


def test_an_operation_takes_its_prefix_and_toolset_from_where_it_is_declared() -> None:
    def declare(module: str) -> Operation:
        code = "Operation(name='x', title='X', description='x', model=Args, method='GET', path='/x')"
        return eval(code, {"__name__": module, "Operation": Operation, "Args": Args})

    op = declare("mcp_server_clockify.tools.holidays")
    assert (op.name, op.short_name, op.toolset) == (TOOL_PREFIX + "x", "x", "holidays")
    assert dataclasses.replace(op, title="Y").toolset == "holidays"
    with pytest.raises(ValueError, match=r"toolsets\.TOOLSETS"):
        declare("mcp_server_clockify.tools.bogus")


def test_tool_modules_do_not_restate_prefix_or_toolset() -> None:
    for toolset in toolsets.TOOLSETS:
        source = Path(importlib.import_module(toolset.module).__file__ or "").read_text()
        assert TOOL_PREFIX not in source and "toolset=" not in source, toolset.module


def test_all_42_seed_tools_are_registered() -> None:
    assert len(SEED) == 42
    missing = sorted(set(SEED) - set(TOOLS))
    assert not missing, f"seed tools without an implementation: {missing}"


def test_every_tool_outside_discovery_and_reports_is_a_seed_tool() -> None:
    """Extensions live in their own toolsets (ids to find, hours to sum); the seed's areas hold only its tools."""
    extra = {op.name for op in OPERATIONS if op.toolset not in ("discovery", "reports")} - set(SEED)
    assert not extra, f"tools that the seed does not name: {sorted(extra)}"


@pytest.mark.parametrize("name", implemented_seed_tools())
def test_parameters_match_the_seed(name: str) -> None:
    short = name.removeprefix("clockify_time_tracking_")
    schema = TOOLS[name].input_schema
    props = schema["properties"]
    seed_params = {p["name"]: p for p in SEED[name]["params"]}
    extension = {"confirm"} if TOOLS[name].annotations.destructive_hint else set()  # optional confirmation token
    assert set(props) - extension == set(seed_params), "parameter names differ from the seed"
    assert not extension & set(schema.get("required", []))
    required = set(schema.get("required", []))
    for pname, param in seed_params.items():
        want_required = param["required"]
        if pname in OWNER_FIELDS[name]:  # issue 13: omitted, they are the key owner's workspace / user id
            assert want_required, "stale owner default"
            want_required = False
        elif (short, pname) in REQUIRED_CORRECTIONS:
            seed_flag, ours, _why = REQUIRED_CORRECTIONS[(short, pname)]
            assert seed_flag == want_required, "stale correction"
            want_required = ours
        assert (pname in required) == want_required, f"{pname}: required flag"
        want_type = param["type"]
        if (short, pname) in TYPE_CORRECTIONS:
            seed_said, ours, _why = TYPE_CORRECTIONS[(short, pname)]
            assert seed_said == want_type, "stale correction"
            want_type = ours
        assert seed_type(props[pname]) == want_type, f"{pname}: JSON type"


def _self_evident(op: Operation) -> set[str]:
    """Dotted paths of the parameters whose description the advertised schema leaves out as self-evident."""
    found: set[str] = set()

    def walk(schema: dict[str, Any], path: str) -> None:
        for key, prop in schema.get("properties", {}).items():
            if prop.get("description") in SELF_EVIDENT:
                found.add(f"{path}{key}")
            walk(prop, f"{path}{key}.")
            if isinstance(prop.get("items"), dict):
                walk(prop["items"], f"{path}{key}[].")

    walk(input_schema(op.model, advertised=False), "")
    return found


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_every_parameter_is_described(name: str) -> None:
    missing: list[str] = []

    def walk(schema: dict[str, Any], path: str) -> None:
        for key, prop in schema.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{path}{key}")
            walk(prop, f"{path}{key}.")
            if isinstance(prop.get("items"), dict):
                walk(prop["items"], f"{path}{key}[].")

    walk(TOOLS[name].input_schema, "")
    # workspaceId / userId default to the key owner's: the server's instructions say so once for every tool;
    # a description that only repeats its name ("Project id.") is left out of tools/list (schema.SELF_EVIDENT).
    generic = _self_evident(OPS[name])
    missing = [m for m in missing if m not in OWNER_FIELDS[name] and m not in generic]
    assert not missing, f"parameters without a description: {missing}"


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_every_tool_is_annotated_and_described(name: str) -> None:
    tool = TOOLS[name]
    ann = tool.annotations
    assert ann is not None
    assert ann.title and ann.title == OPS[name].title
    assert isinstance(ann.read_only_hint, bool)
    if ann.read_only_hint:
        assert ann.destructive_hint is None and ann.idempotent_hint is None  # meaningless for reads (MCP spec)
    else:
        # idempotentHint is left out when false (its default in the MCP spec)
        assert isinstance(ann.destructive_hint, bool) and ann.idempotent_hint in (True, None)
    assert tool.description and len(tool.description) >= 20
    assert OPS[name].toolset in toolsets.NAMES


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_schema_is_a_plain_object_schema(name: str) -> None:
    schema = TOOLS[name].input_schema
    assert schema["type"] == "object"
    assert schema.get("additionalProperties") is False
    for key in ("anyOf", "oneOf", "allOf", "$ref", "$defs"):
        assert key not in schema
    assert "$ref" not in str(schema)


def test_read_only_tools_use_safe_methods() -> None:
    for op in OPERATIONS:
        if op.read_only:
            assert op.method == "GET" or (op.method == "POST" and op.short_name.startswith("get_"))


def test_corrections_are_documented_in_descriptions() -> None:
    """A tool that departs from the seed says so, in its own description or in the parameter's."""
    for short, param in [*TYPE_CORRECTIONS, *REQUIRED_CORRECTIONS]:
        op = OPS["clockify_time_tracking_" + short]
        said = op.description + " " + tool_definition(op).input_schema["properties"][param]["description"]
        assert "live API" in said or "keeps what you omit" in said, f"{short}.{param}: {said}"
