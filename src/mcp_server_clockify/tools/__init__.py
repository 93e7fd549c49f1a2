"""Every tool, declared in one module per Clockify area (each module only declares Operations).

Importing this package imports none of them: the server serves tools/list from the catalogue and imports a
module when one of its tools is first called. `OPERATIONS` (every tool, in catalogue order) and `TOOLSETS`
import all modules on first access.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..catalogue import TOOLSETS

__all__ = ["OPERATIONS", "TOOLSETS"]

_ORDER = ("discovery", "time_entries", "approvals", "time_off", "holidays", "scheduling")


def __getattr__(name: str) -> Any:
    if name == "OPERATIONS":
        modules = [importlib.import_module(f"{__name__}.{toolset}") for toolset in _ORDER]
        if sorted(m.TOOLSET for m in modules) != sorted(TOOLSETS):  # pragma: no cover - a module was added
            raise RuntimeError("mcp_server_clockify.catalogue.TOOLSETS must list the tool modules")
        operations = tuple(op for module in modules for op in module.OPERATIONS)
        globals()["OPERATIONS"] = operations
        return operations
    raise AttributeError(name)
