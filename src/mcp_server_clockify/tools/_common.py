"""Parameter types and phrases shared by several tool modules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal, cast

from pydantic import Field
from pydantic.fields import FieldInfo

from ..registry import OWNER_USER, OWNER_WORKSPACE, DefaultPageSize
from ..types import Id, Page, PageSize

# Optional everywhere: omitted, they are the API key owner's active workspace and the key owner (declare them
# `= None`). Their names say what they are and the server's instructions say the default once, so the schema
# carries no description for them: 60 repeats of "Workspace id." cost 1.7 KB of tools/list on every turn.
WorkspaceId = Annotated[Id | None, OWNER_WORKSPACE]
UserId = Annotated[Id | None, OWNER_USER]
ProjectId = Annotated[Id, Field(description="Project id.")]
OptProjectId = Annotated[Id | None, Field(description="Project id.")]
OptTaskId = Annotated[Id | None, Field(description="Task id.")]
OptTagIds = Annotated[list[Id] | None, Field(description="Tag ids.")]
PolicyId = Annotated[Id, Field(description="Time-off policy id.")]

OptSortOrder = Annotated[Literal["ASCENDING", "DESCENDING"] | None, Field(description="Sort direction.")]

# Aliases named Opt* are optional (`... | None` inside the Annotated): a description attached to a union
# member is lost, so never write `Alias | None` for an alias that carries a description.
PageArg = Annotated[Page | None, Field(description="Page number.")]


def page_size_field(default: int, maximum: int | None = None, *, alias: str = "page-size") -> Any:
    """The page-size field of a tool that pages: `default` is Clockify's page size when it is omitted, stated
    only here (the description shows it; the Operation reads it for its paging notes)."""
    limit = f", at most {maximum}" if maximum else ""
    description = f"Page size (default {default}{limit})."
    # Field() is typed as returning its default (so `x: int = Field(...)` checks); it returns a FieldInfo
    info = cast(FieldInfo, Field(None, alias=alias, le=maximum, description=description))
    info.metadata.append(DefaultPageSize(default))
    return info


def check_order(
    first: date | datetime | None, last: date | datetime | None, first_name: str = "start", last_name: str = "end"
) -> None:
    """Raise `ValueError("<last_name>: ...")` when `last` is before `first` (for model validators).

    A date-time without an offset gets its zone only when the request is built, so when just one of the two
    has an offset they are compared as if both were UTC and rejected only when no zone (UTC-12 to UTC+14)
    could put them in order.
    """
    if first is None or last is None:
        return
    if not isinstance(first, datetime):  # a bare calendar day: from its start
        first = datetime.combine(first, datetime.min.time())
    if not isinstance(last, datetime):  # ... to its end
        last = datetime.combine(last, datetime.max.time())
    slack = timedelta(0)
    if isinstance(first, datetime) and isinstance(last, datetime) and (first.tzinfo is None) != (last.tzinfo is None):
        first, last = _as_utc(first), _as_utc(last)
        slack = timedelta(hours=26)
    if last + slack < first:
        raise ValueError(f"{last_name}: must not be before {first_name}")


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


__all__ = [
    "OptProjectId",
    "OptSortOrder",
    "OptTagIds",
    "OptTaskId",
    "PageArg",
    "PageSize",
    "PolicyId",
    "ProjectId",
    "UserId",
    "WorkspaceId",
    "check_order",
    "page_size_field",
]
