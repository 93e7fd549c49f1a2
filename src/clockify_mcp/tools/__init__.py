"""Every tool, gathered from the per-area modules. Each module only declares Operations."""

from __future__ import annotations

from ..registry import Operation
from . import discovery, time_entries

__all__ = ["OPERATIONS", "TOOLSETS", "by_name"]

OPERATIONS: tuple[Operation, ...] = (
    *discovery.OPERATIONS,
    *time_entries.OPERATIONS,
)

TOOLSETS: tuple[str, ...] = tuple(dict.fromkeys(op.toolset for op in OPERATIONS))


def by_name() -> dict[str, Operation]:
    index = {op.name: op for op in OPERATIONS}
    if len(index) != len(OPERATIONS):
        raise RuntimeError("two tools share a name")
    return index
