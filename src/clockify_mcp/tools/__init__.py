"""Every tool, gathered from the per-area modules. Each module only declares Operations."""

from __future__ import annotations

from ..registry import Operation
from . import approvals, discovery, holidays, scheduling, time_entries, time_off

__all__ = ["OPERATIONS", "TOOLSETS"]

OPERATIONS: tuple[Operation, ...] = (
    *discovery.OPERATIONS,
    *time_entries.OPERATIONS,
    *approvals.OPERATIONS,
    *time_off.OPERATIONS,
    *holidays.OPERATIONS,
    *scheduling.OPERATIONS,
)

TOOLSETS: tuple[str, ...] = tuple(
    module.TOOLSET for module in (time_entries, approvals, time_off, holidays, scheduling, discovery)
)
