"""holidays tools (to be declared)."""

from __future__ import annotations

from ..registry import Operation

TOOLSET = "holidays"

OPERATIONS: list[Operation] = []
