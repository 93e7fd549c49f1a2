"""Every tool, declared in one module per toolset (see toolsets.py; each module only declares Operations).

Importing this package imports none of them: the server serves tools/list from the catalogue and imports a
module when one of its tools is first called (`load`). `OPERATIONS` (every tool, in catalogue order) imports
all modules on first access.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .. import toolsets

if TYPE_CHECKING:
    from ..registry import Operation

__all__ = ["OPERATIONS", "load"]


def load(toolset: str) -> tuple[Operation, ...]:
    """The tools of `toolset`, importing its module on first use."""
    module = importlib.import_module(toolsets.get(toolset).module)
    return tuple(module.OPERATIONS)


def __getattr__(name: str) -> Any:
    if name == "OPERATIONS":
        operations = tuple(op for toolset in toolsets.NAMES for op in load(toolset))
        globals()["OPERATIONS"] = operations
        return operations
    raise AttributeError(name)
