"""scheduling tools (to be declared)."""

from __future__ import annotations

from ..registry import Operation

TOOLSET = "scheduling"

OPERATIONS: list[Operation] = []
