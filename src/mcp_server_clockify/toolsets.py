"""The toolsets: every group of tools, defined once.

A toolset is one module under `mcp_server_clockify.tools` (its name is the module's name) that declares its
tools. Everything else that lists toolsets derives from `TOOLSETS`: the catalogue and its order, the lazy tool
loader, `--help`, `CLOCKIFY_TOOLSETS` / `--toolsets`, the result formatter's "check with" hints, the README
tools table and the tests.

Adding a toolset: add it here and create `tools/<name>.py` with an `OPERATIONS` list; adding a tool to an
existing toolset needs nothing here (see `registry.Operation`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAMES", "TOOLSETS", "Toolset", "get"]


@dataclass(frozen=True, slots=True)
class Toolset:
    name: str
    """Also the name of the module under mcp_server_clockify.tools that declares its tools."""
    description: str
    """What the group is for (a README heading, `--help`)."""
    check_with: tuple[str, ...]
    """Read tools (short names) that show the current state after a write whose outcome is unknown."""

    @property
    def module(self) -> str:
        return f"{__package__}.tools.{self.name}"


TOOLSETS: tuple[Toolset, ...] = (
    Toolset("discovery", "ids for everything else", ("get_current_user",)),
    Toolset("time_entries", "log, read, fix and delete time", ("get_entries", "get_entry")),
    Toolset("approvals", "submit, approve and reject timesheets", ("get_approval_requests",)),
    Toolset("time_off", "request, approve and balance time off", ("get_off_request", "get_balances_for_user")),
    Toolset("holidays", "a workspace's holidays", ("get_holidays",)),
    Toolset("scheduling", "assignments and scheduled capacity", ("get_all_assignments",)),
    Toolset("reports", "hours by project, client, task, tag, day or user", ("get_time_summary",)),
)
"""In catalogue order: tools/list lists the tools toolset by toolset in this order."""

NAMES: tuple[str, ...] = tuple(t.name for t in TOOLSETS)

_BY_NAME = {t.name: t for t in TOOLSETS}


def get(name: str) -> Toolset:
    """The toolset called `name` (KeyError for an unknown one)."""
    return _BY_NAME[name]
