"""Clockify's error answers: `{"message": ..., "code": ...}` with the status and code the live API uses.

Codes (docs/clockify-api-notes.md §errors): 501 validation or business rule (including
"<Entity> doesn't belong to Workspace"), 3000 request rejected by the framework (unrouted path, wrong verb,
type conversion, unreadable JSON), 3001 missing required query parameter, 1000 auth tokens, 404 no running
timer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "ApiError",
    "bad_value",
    "conversion_error",
    "json_error",
    "missing_parameter",
    "must_not_be_null",
    "not_in_workspace",
]


@dataclass(slots=True)
class ApiError(Exception):
    """An error answer. `message=None` sends an empty body (Clockify does that for a few 404s)."""

    status: int
    message: str | None
    code: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, object] | None:
        if self.message is None:
            return None
        return {"message": self.message, "code": self.code}


def not_in_workspace(entity: str) -> ApiError:
    """An unknown id, or one from elsewhere: 400, not 404 (docs/clockify-api-notes.md §not-found)."""
    return ApiError(400, f"{entity} doesn't belong to Workspace", 501)


def must_not_be_null() -> ApiError:
    """A required body field (or the whole body) is missing."""
    return ApiError(400, "must not be null", 501)


def bad_value(message: str) -> ApiError:
    """A value Clockify's validation or business rules reject."""
    return ApiError(400, message, 501)


def missing_parameter(name: str, java_type: str = "String") -> ApiError:
    return ApiError(
        400, f"Required request parameter '{name}' for method parameter type {java_type} is not present", 3001
    )


def conversion_error(name: str, value: str, java_type: str, detail: str) -> ApiError:
    """Spring's type-conversion failure for a query parameter (the message echoes the value)."""
    return ApiError(
        400,
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' to required type "
        f"'{java_type}'; {detail}",
        3000,
    )


def json_error(detail: str) -> ApiError:
    """Jackson could not read the body into the expected shape."""
    return ApiError(400, f"JSON parse error: {detail}", 3000)
