"""JSON Schema for tool arguments, generated once from each pydantic model.

Optimised for the reader (a model, on every turn): no titles, no `null` branches for optional fields (an
optional field is simply left out), no `$ref` indirection (nested objects are inlined), wire names only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .types import ID_PATTERN

__all__ = [
    "SELF_EVIDENT",
    "input_schema",
]


class _CompactSchema(GenerateJsonSchema):
    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        result = super().default_schema(schema)
        if result.get("default", ...) is None:
            result.pop("default")
        return result

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = _inline(defs[ref.removeprefix("#/$defs/")], defs)
            extra = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
            return {**target, **extra}
        return {k: _inline(v, defs) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


SELF_EVIDENT = frozenset(
    {
        "Page number.",
        "Project id.",
        "Task id.",
        "Tag ids.",
        "User ids.",
        "User group ids.",
        "Client ids.",
        "Project ids.",
        "Time-off policy id.",
    }
)
"""Descriptions that only repeat their parameter's name (`projectId`: "Project id."): left out of tools/list,
where they cost a few hundred bytes on every turn and tell a model nothing the name does not."""


def _trim(node: Any, *, top: bool) -> Any:
    """Drop what the tool list repeats dozens of times without telling a reader anything new: the id pattern
    (the server's instructions say ids are 24 hex characters, and validation enforces it) and
    `additionalProperties: false` below the top level (unknown keys are rejected at every level anyway)."""
    if isinstance(node, dict):
        return {
            k: _trim(v, top=False)
            for k, v in node.items()
            if not (k == "pattern" and v == ID_PATTERN)
            and not (k == "additionalProperties" and v is False and not top)
            and not (k == "description" and isinstance(v, str) and v in SELF_EVIDENT)
        }
    if isinstance(node, list):
        return [_trim(v, top=False) for v in node]
    return node


def input_schema(model: type[BaseModel], *, advertised: bool = True) -> dict[str, Any]:
    """The `inputSchema` of a tool: an object schema with wire names, inlined and compact.

    `advertised=False` keeps every detail (id patterns, nested additionalProperties), for tests that derive
    arguments from the schema.
    """
    raw = model.model_json_schema(by_alias=True, schema_generator=_CompactSchema)
    defs = raw.pop("$defs", {})
    schema: dict[str, Any] = _inline(raw, defs)
    schema.pop("description", None)
    schema["type"] = "object"
    if advertised:
        schema = _trim(schema, top=True)
    return schema
