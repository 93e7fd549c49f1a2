"""time off tools (to be declared)."""

from __future__ import annotations

from ..registry import Operation

TOOLSET = "time_off"

OPERATIONS: list[Operation] = []
