"""approvals tools (to be declared)."""

from __future__ import annotations

from ..registry import Operation

TOOLSET = "approvals"

OPERATIONS: list[Operation] = []
