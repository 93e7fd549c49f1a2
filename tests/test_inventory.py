"""The whole tool inventory against the seed (tests/data/seed-tools.json) and the conventions every tool keeps."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import seed
from mcp_server_clockify.server import tool_definition
from mcp_server_clockify.tools import OPERATIONS, TOOLSETS

SEED = seed()
TOOLS = {op.name: tool_definition(op) for op in OPERATIONS}
OPS = {op.name: op for op in OPERATIONS}

# Each toolset's tools, by short name. Adding a tool means adding it here too.
TOOLSET_TOOLS: dict[str, set[str]] = {}
TOOLSET_TOOLS["time_entries"] = {
    "create_time_entry",
    "create_for_others",
    "get_entries",
    "get_entry",
    "update_time_entry",
    "delete_entry",
    "delete_many",
    "replace_many",
    "duplicate_time_entry",
    "stop_running_time_entry",
    "get_in_progress_time_entries",
    "update_invoiced_status",
}
TOOLSET_TOOLS["approvals"] = {
    "get_approval_requests",
    "create_apprroval_request",
    "create_approval_for_other",
    "resubmit_approval_request",
    "resubmit_approval_request_for_other",
    "update_approval_status",
}
TOOLSET_TOOLS["time_off"] = {
    "create_time_off_request",
    "create_time_off_request_for_other",
    "change_time_off_request_status",
    "delete_off_request",
    "get_off_request",
    "get_balances_for_policy",
    "get_balances_for_user",
    "update_balance",
}
TOOLSET_TOOLS["holidays"] = {
    "get_holidays",
    "get_holidays_in_period",
    "create_holiday",
    "update_holiday",
    "delete_holiday",
}
TOOLSET_TOOLS["scheduling"] = {
    "get_all_assignments",
    "get_filtered_project_totals",
    "get_project_totals_for_single_project",
    "publish_assignments",
    "create_recurring",
    "edit_recurring",
    "edit_recurring_period",
    "delete_rrecurring_assignment",
    "copy_assignment",
    "get_user_totals",
    "get_user_totals_for_single_user",
}
TOOLSET_TOOLS["discovery"] = {
    "get_current_user",
    "get_workspaces",
    "get_projects",
    "get_users",
    "get_time_off_policies",
}

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


# Every tool's behaviour hints, reviewed in one place: (read_only, destructive, idempotent). Destructive means
# it loses data or cannot be undone, and so asks for confirmation; updates that read, merge and write are not.
HINTS: dict[str, tuple[bool, bool, bool]] = {
    "get_current_user": (True, False, False),
    "get_workspaces": (True, False, False),
    "get_projects": (True, False, False),
    "get_users": (True, False, False),
    "get_time_off_policies": (True, False, False),
    "create_time_entry": (False, False, False),
    "create_for_others": (False, False, False),
    "get_entries": (True, False, False),
    "get_entry": (True, False, False),
    "update_time_entry": (False, False, True),  # read-merge-write: nothing is lost
    "delete_entry": (False, True, True),
    "delete_many": (False, True, True),
    "replace_many": (False, True, True),  # a true replace of several entries
    "duplicate_time_entry": (False, False, False),
    "stop_running_time_entry": (False, False, False),
    "get_in_progress_time_entries": (True, False, False),
    "update_invoiced_status": (False, False, True),
    "get_approval_requests": (True, False, False),
    "create_apprroval_request": (False, False, False),
    "create_approval_for_other": (False, False, False),
    "resubmit_approval_request": (False, False, True),
    "resubmit_approval_request_for_other": (False, False, True),
    "update_approval_status": (False, True, True),
    "create_time_off_request": (False, False, False),
    "create_time_off_request_for_other": (False, False, False),
    "change_time_off_request_status": (False, True, True),  # REJECTED is final; APPROVED moves the balance
    "delete_off_request": (False, True, True),
    "get_off_request": (True, False, False),
    "get_balances_for_policy": (True, False, False),
    "get_balances_for_user": (True, False, False),
    "update_balance": (False, True, False),  # set or add is undocumented: not assumed idempotent
    "get_holidays": (True, False, False),
    "get_holidays_in_period": (True, False, False),
    "create_holiday": (False, False, False),
    "update_holiday": (False, False, True),  # read-merge-write: nothing is lost
    "delete_holiday": (False, True, True),
    "get_all_assignments": (True, False, False),
    "get_filtered_project_totals": (True, False, False),
    "get_project_totals_for_single_project": (True, False, False),
    "publish_assignments": (False, False, False),  # notifies people: not repeated blindly
    "create_recurring": (False, False, False),
    "edit_recurring": (False, False, True),  # a PATCH that can be changed back
    "edit_recurring_period": (False, True, True),  # shortening a series deletes occurrences
    "delete_rrecurring_assignment": (False, True, True),
    "copy_assignment": (False, False, False),
    "get_user_totals": (True, False, False),
    "get_user_totals_for_single_user": (True, False, False),
}


def test_behaviour_hints_of_every_tool() -> None:
    got = {}
    for op in OPERATIONS:
        ann = tool_definition(op).annotations
        assert ann is not None and ann.open_world_hint is True
        got[op.short_name] = (ann.read_only_hint, ann.destructive_hint, ann.idempotent_hint)
    assert got == HINTS


def seed_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        inner = items.get("type")
        return f"{inner}[]" if inner else "array"
    return str(kind)


def implemented_seed_tools() -> list[str]:
    return sorted(name for name in SEED if name in TOOLS)


@pytest.mark.parametrize("toolset", sorted(TOOLSET_TOOLS))
def test_each_toolset_holds_exactly_its_tools(toolset: str) -> None:
    assert {op.short_name for op in OPERATIONS if op.toolset == toolset} == TOOLSET_TOOLS[toolset]


def test_every_tool_belongs_to_a_known_toolset() -> None:
    assert {op.toolset for op in OPERATIONS} <= set(TOOLSET_TOOLS)
    assert set(TOOLSETS) == {"time_entries", "approvals", "time_off", "holidays", "scheduling", "discovery"}


def test_all_42_seed_tools_are_registered() -> None:
    assert len(SEED) == 42
    missing = sorted(set(SEED) - set(TOOLS))
    assert not missing, f"seed tools without an implementation: {missing}"


def test_every_non_discovery_tool_is_a_seed_tool() -> None:
    extra = {op.name for op in OPERATIONS if op.toolset != "discovery"} - set(SEED)
    assert not extra, f"tools that the seed does not name: {sorted(extra)}"


@pytest.mark.parametrize("name", implemented_seed_tools())
def test_parameters_match_the_seed(name: str) -> None:
    short = name.removeprefix("clockify_time_tracking_")
    schema = TOOLS[name].input_schema
    props = schema["properties"]
    seed_params = {p["name"]: p for p in SEED[name]["params"]}
    assert set(props) == set(seed_params), "parameter names differ from the seed"
    required = set(schema.get("required", []))
    for pname, param in seed_params.items():
        want_required = param["required"]
        if (short, pname) in REQUIRED_CORRECTIONS:
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
    assert not missing, f"parameters without a description: {missing}"


@pytest.mark.parametrize("name", sorted(TOOLS))
def test_every_tool_is_annotated_and_described(name: str) -> None:
    tool = TOOLS[name]
    ann = tool.annotations
    assert ann is not None
    assert ann.title and ann.title == OPS[name].title
    for hint in (ann.read_only_hint, ann.destructive_hint, ann.idempotent_hint, ann.open_world_hint):
        assert isinstance(hint, bool)
    if ann.read_only_hint:
        assert not ann.destructive_hint
    assert tool.description and len(tool.description) >= 20
    assert OPS[name].toolset in TOOLSETS


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
