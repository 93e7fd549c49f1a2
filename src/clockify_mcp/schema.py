"""JSON Schema for tool arguments, generated once from each pydantic model.

Optimised for the reader (a model, on every turn): no titles, no `null` branches for optional fields (an
optional field is simply left out), no `$ref` indirection (nested objects are inlined), wire names only.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

__all__ = ["input_schema"]


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


def input_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The `inputSchema` of a tool: an object schema with wire names, inlined and compact."""
    raw = model.model_json_schema(by_alias=True, schema_generator=_CompactSchema)
    defs = raw.pop("$defs", {})
    schema = _inline(raw, defs)
    schema.pop("description", None)
    schema["type"] = "object"
    return schema
