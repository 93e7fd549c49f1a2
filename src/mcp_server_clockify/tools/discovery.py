"""Discovery: the ids every other tool needs (you, your workspaces, projects and tasks, users, policies).

No seed tool returns ids, so these come first in an agent's session. Their results are trimmed to the
fields an agent uses, because the raw objects carry large membership and settings blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import Field

from ..registry import Operation
from ..types import Args, PageSize
from ._common import PageArg, ProjectId, WorkspaceId, page_size_field


def _pick(obj: Any, keys: Iterable[str]) -> Any:
    if not isinstance(obj, dict):
        return obj
    return {k: obj[k] for k in keys if k in obj}


def _each(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda body: [fn(item) for item in body] if isinstance(body, list) else fn(body)


def _user(body: Any) -> Any:
    out = _pick(body, ("id", "name", "email", "status", "activeWorkspace", "defaultWorkspace"))
    settings = body.get("settings") if isinstance(body, dict) else None
    if isinstance(settings, dict):
        out["settings"] = _pick(settings, ("timeZone", "weekStart", "dateFormat", "timeFormat"))
    return out


_WORKSPACE_SETTINGS = ("forceProjects", "forceTasks", "forceTags", "forceDescription", "timeTrackingMode")


def _workspace(body: Any) -> Any:
    out = _pick(body, ("id", "name", "featureSubscriptionType"))
    settings = body.get("workspaceSettings") if isinstance(body, dict) else None
    if isinstance(settings, dict):
        out["workspaceSettings"] = _pick(settings, _WORKSPACE_SETTINGS)
    return out


def _project(body: Any) -> Any:
    out = _pick(body, ("id", "name", "clientId", "clientName", "billable", "archived", "color", "public"))
    tasks = body.get("tasks") if isinstance(body, dict) else None
    if isinstance(tasks, list):
        out["tasks"] = [_pick(t, ("id", "name", "status", "billable")) for t in tasks]
    return out


def _member(body: Any) -> Any:
    out = _pick(body, ("id", "name", "email", "status"))
    settings = body.get("settings") if isinstance(body, dict) else None
    if isinstance(settings, dict) and "timeZone" in settings:
        out["timeZone"] = settings["timeZone"]
    return out


_POLICY_KEYS = ("id", "name", "timeUnit", "archived", "allowHalfDay", "allowNegativeBalance", "everyoneIncludingNew")
_policy = _each(lambda p: _pick(p, _POLICY_KEYS))


class GetCurrentUser(Args):
    pass


class GetWorkspaces(Args):
    pass


class GetProjects(Args):
    workspaceId: WorkspaceId = None
    name: Annotated[str | None, Field(description="Only projects whose name contains this.")] = None
    archived: Annotated[bool | None, Field(description="true: only archived projects; false: only active.")] = None
    hydrated: Annotated[bool | None, Field(description="true to include each project's tasks (task ids).")] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class GetUsers(Args):
    workspaceId: WorkspaceId = None
    name: Annotated[str | None, Field(description="Only users whose name contains this.")] = None
    email: Annotated[str | None, Field(description="Only users whose email contains this.")] = None
    status: Annotated[
        Literal["PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"] | None,
        Field(description="Membership status filter."),
    ] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class GetTimeOffPolicies(Args):
    workspaceId: WorkspaceId = None
    name: Annotated[str | None, Field(description="Only policies whose name contains this.")] = None
    status: Annotated[
        Literal["ACTIVE", "ARCHIVED", "ALL"] | None, Field(description="Policy status filter (default ACTIVE).")
    ] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50, 200)


_NAME = "Name contains this."
_ARCHIVED = "true: only archived; false: only active."


class GetTags(Args):
    workspaceId: WorkspaceId = None
    name: Annotated[str | None, Field(description=_NAME)] = None
    archived: Annotated[bool | None, Field(description=_ARCHIVED)] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


class GetClients(GetTags):
    pass


class GetTasks(Args):
    workspaceId: WorkspaceId = None
    projectId: ProjectId
    name: Annotated[str | None, Field(description=_NAME)] = None
    is_active: Annotated[bool | None, Field(alias="is-active", description="Only active tasks.")] = None
    page: PageArg = None
    page_size: PageSize | None = page_size_field(50)


_tag = _each(lambda t: _pick(t, ("id", "name", "archived")))
_client = _each(lambda c: _pick(c, ("id", "name", "archived", "note")))
_task = _each(lambda t: _pick(t, ("id", "name", "status", "billable", "assigneeIds", "estimate", "duration")))


OPERATIONS = [
    Operation(
        name="get_current_user",
        title="Get the current user",
        description=(
            "Who the API key belongs to: your user id, name, email, active and default workspace ids and "
            "time zone and week start."
        ),
        model=GetCurrentUser,
        method="GET",
        path="/user",
        read_only=True,
        shape=_user,
    ),
    Operation(
        name="get_workspaces",
        title="Get workspaces",
        description="Workspaces you belong to: ids, names and the settings that make fields required.",
        model=GetWorkspaces,
        method="GET",
        path="/workspaces",
        read_only=True,
        shape=_each(_workspace),
    ),
    Operation(
        name="get_projects",
        title="Get projects",
        description="Projects of a workspace (id, name, client, billable); hydrated=true adds their tasks.",
        model=GetProjects,
        method="GET",
        path="/workspaces/{workspaceId}/projects",
        read_only=True,
        shape=_each(_project),
    ),
    Operation(
        name="get_users",
        title="Get users",
        description="Members of a workspace: user ids, names, emails, status, time zones.",
        model=GetUsers,
        method="GET",
        path="/workspaces/{workspaceId}/users",
        read_only=True,
        shape=_each(_member),
    ),
    Operation(
        name="get_time_off_policies",
        title="Get time-off policies",
        description="Time-off policies of a workspace: ids, names and unit (DAYS or HOURS, which decides the period).",
        model=GetTimeOffPolicies,
        method="GET",
        path="/workspaces/{workspaceId}/time-off/policies",
        read_only=True,
        shape=_policy,
    ),
    Operation(
        name="get_tags",
        title="Get tags",
        description="Tags of a workspace: ids and names.",
        model=GetTags,
        method="GET",
        path="/workspaces/{workspaceId}/tags",
        read_only=True,
        shape=_tag,
    ),
    Operation(
        name="get_clients",
        title="Get clients",
        description="Clients of a workspace: ids and names (get_projects shows each project's client).",
        model=GetClients,
        method="GET",
        path="/workspaces/{workspaceId}/clients",
        read_only=True,
        shape=_client,
    ),
    Operation(
        name="get_tasks",
        title="Get tasks of a project",
        description="Tasks of one project: ids, names, status, billable.",
        model=GetTasks,
        method="GET",
        path="/workspaces/{workspaceId}/projects/{projectId}/tasks",
        read_only=True,
        shape=_task,
    ),
]
