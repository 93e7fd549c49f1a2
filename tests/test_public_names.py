"""Every module's `__all__` is true: each name in it exists, and every name another module or a test imports
from a module of the package is in that module's `__all__` (private names, with a leading underscore, aside)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mcp_server_clockify"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"}
USERS = {
    **{_module_name(p): p for p in PACKAGE.rglob("*.py")},
    **{f"tests.{p.stem}": p for p in sorted((ROOT / "tests").glob("*.py"))},
    **{f"benchmarks.{p.stem}": p for p in sorted((ROOT / "benchmarks").glob("*.py"))},
}


def _imported_names() -> dict[str, set[tuple[str, str]]]:
    """module -> {(name, user)} for every `from module import name` and `module.name` after `from pkg import module`."""
    found: dict[str, set[tuple[str, str]]] = {}
    for user, path in USERS.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = user if path.name == "__init__.py" else user.rpartition(".")[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # `from pkg import module`: the names it then reads off the module
                    local = alias.asname or alias.name
                    for use in ast.walk(tree):
                        if isinstance(use, ast.Attribute) and isinstance(use.value, ast.Name) and use.value.id == local:
                            found.setdefault(sub, set()).add((use.attr, user))
                elif target in MODULES and alias.name != "*":
                    found.setdefault(target, set()).add((alias.name, user))
    return found


IMPORTED = _imported_names()


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if n != "mcp_server_clockify.tools" and "__all__" in MODULES[n].read_text())
)
def test_all_is_true(name: str) -> None:
    module = importlib.import_module(name)
    public = set(module.__all__)
    assert not [n for n in module.__all__ if not hasattr(module, n)], "__all__ names what the module lacks"
    outside = sorted(
        {f"{n} (used by {user})" for n, user in IMPORTED.get(name, ()) if n not in public and not n.startswith("_")}
    )
    assert not outside, f"{name} is used for names its __all__ does not list: {outside}"
