"""Discovery: the API key's user, workspaces, projects (with tasks when hydrated) and workspace members."""

from __future__ import annotations

from typing import Any

from ..model import CURRENCY, WEEKDAYS, State
from ..routing import Call, Reply, Route, ok, paged
from ..views import client_view, membership_view, project_view, tag_view, task_view, user_view

__all__ = ["ROUTES"]

WS = "/workspaces/{workspaceId}"
_ORDER = ("ASCENDING", "DESCENDING")


def get_user(call: Call) -> Reply:
    memberships = bool(call.query.boolean("include-memberships"))
    return ok(user_view(call.state, call.state.caller, memberships=memberships))


def _workspace_view(state: State) -> dict[str, Any]:
    ws = state.workspace
    return {
        "id": ws.id,
        "name": ws.name,
        "hourlyRate": {"amount": ws.hourly_rate, "currency": CURRENCY},
        "costRate": {"amount": ws.cost_rate, "currency": CURRENCY},
        "memberships": [membership_view(state, u) for u in state.users.values()],
        "workspaceSettings": {
            "timeRoundingInReports": False,
            "onlyAdminsSeeBillableRates": True,
            "onlyAdminsCreateProject": True,
            "onlyAdminsSeeDashboard": False,
            "defaultBillableProjects": True,
            "lockTimeEntries": None,
            "lockTimeZone": None,
            "round": {"round": "Round to nearest", "minutes": "15"},
            "projectFavorites": True,
            "canSeeTimeSheet": True,
            "canSeeTracker": True,
            "projectPickerSpecialFilter": False,
            "forceProjects": False,
            "forceTasks": False,
            "forceTags": False,
            "forceDescription": False,
            "onlyAdminsSeeAllTimeEntries": False,
            "onlyAdminsSeePublicProjectsEntries": False,
            "trackTimeDownToSecond": True,
            "projectGroupingLabel": "client",
            "automaticLock": None,
            "onlyAdminsCreateTag": False,
            "onlyAdminsCreateTask": True,
            "timeTrackingMode": "DEFAULT",
            "isProjectPublicByDefault": True,
            "multiFactorEnabled": False,
            "numberFormat": "COMMA_PERIOD",
            "currencyFormat": "CURRENCY_SPACE_VALUE",
            "durationFormat": "FULL",
            "workingDays": list(WEEKDAYS),
            "activeBillableHours": False,
            "onlyAdminsCanChangeBillableStatus": False,
            "projectLabel": "project",
            "taskLabel": "task",
        },
        "imageUrl": "",
        "currencies": [{"id": ws.currency_id, "code": CURRENCY, "isDefault": True}],
        "subdomain": {"enabled": False, "name": None},
    }


def get_workspaces(call: Call) -> Reply:
    call.query.choice("roles", ("WORKSPACE_ADMIN", "OWNER", "TEAM_MANAGER", "PROJECT_MANAGER"), "Role")
    return ok([_workspace_view(call.state)])


def get_projects(call: Call) -> Reply:
    q, state = call.query, call.state
    name = q.get("name")
    strict = q.boolean("strict-name-search")
    archived = q.boolean("archived", None)
    billable = q.boolean("billable", None)
    clients = set(q.all("clients"))
    contains_client = q.boolean("contains-client", True)
    hydrated = bool(q.boolean("hydrated"))
    column = q.choice("sort-column", ("ID", "NAME", "CLIENT_NAME", "DURATION", "BUDGET", "PROGRESS"), "SortColumn")
    order = q.choice("sort-order", _ORDER, "SortOrder")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    projects = list(state.projects.values())
    if name:
        needle = name.lower()
        projects = [p for p in projects if (p.name.lower() == needle if strict else needle in p.name.lower())]
    if archived is not None:
        projects = [p for p in projects if p.archived == archived]
    if billable:
        projects = [p for p in projects if p.billable]
    if clients:
        projects = [p for p in projects if (p.client_id in clients) == contains_client]
    if column == "ID":
        projects.sort(key=lambda p: p.id)
    elif column == "CLIENT_NAME":
        projects.sort(key=lambda p: (state.clients[p.client_id].name if p.client_id else "", p.name.lower()))
    else:
        projects.sort(key=lambda p: p.name.lower())
    if order == "DESCENDING":
        projects.reverse()
    return paged([project_view(state, p, hydrated=hydrated) for p in projects], page, size)


def get_users(call: Call) -> Reply:
    q, state = call.query, call.state
    email, name = q.get("email"), q.get("name")
    status = q.choice("status", ("PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"), "MembershipStatus")
    column = q.choice(
        "sort-column", ("ID", "EMAIL", "NAME", "NAME_LOWERCASE", "ACCESS", "HOURLYRATE", "COSTRATE"), "SortColumn"
    )
    order = q.choice("sort-order", _ORDER, "SortOrder")
    memberships = q.choice("memberships", ("ALL", "NONE", "WORKSPACE", "PROJECT", "USERGROUP"), "MembershipType")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    users = list(state.users.values())
    if email:
        users = [u for u in users if email.lower() in u.email.lower()]
    if name:
        users = [u for u in users if name.lower() in u.name.lower()]
    if status and status != "ALL":
        users = [u for u in users if u.status == status]
    keys = {"ID": lambda u: u.id, "EMAIL": lambda u: u.email, "HOURLYRATE": lambda u: u.hourly_rate}
    users.sort(key=keys.get(column or "", lambda u: u.name.lower()))
    if order == "DESCENDING":
        users.reverse()
    with_memberships = memberships in ("ALL", "WORKSPACE")
    return paged([user_view(state, u, memberships=with_memberships) for u in users], page, size)


def _named(items: list[Any], name: str | None, strict: bool | None) -> list[Any]:
    if not name:
        return items
    needle = name.lower()
    return [i for i in items if (i.name.lower() == needle if strict else needle in i.name.lower())]


def get_tags(call: Call) -> Reply:
    """GET /tags (getTags): name filter (contains, or exact with strict-name-search), archived, sort, paging."""
    q, state = call.query, call.state
    strict = q.boolean("strict-name-search")
    excluded = set(q.all("excluded-ids"))
    archived = q.boolean("archived", None)
    column = q.choice("sort-column", ("ID", "NAME"), "SortColumn")
    order = q.choice("sort-order", _ORDER, "SortOrder")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    tags = [t for t in _named(list(state.tags.values()), q.get("name"), strict) if t.id not in excluded]
    if archived is not None:
        tags = [t for t in tags if t.archived == archived]
    tags.sort(key=(lambda t: t.id) if column == "ID" else (lambda t: t.name.lower()))
    if order == "DESCENDING":
        tags.reverse()
    return paged([tag_view(state, t.id) for t in tags], page, size)


def get_clients(call: Call) -> Reply:
    """GET /clients (getClients): name filter, archived, sort by name, paging."""
    q, state = call.query, call.state
    archived = q.boolean("archived", None)
    q.choice("sort-column", ("ID", "NAME"), "SortColumn")
    order = q.choice("sort-order", _ORDER, "SortOrder")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    clients = _named(list(state.clients.values()), q.get("name"), False)
    if archived is not None:
        clients = [c for c in clients if c.archived == archived]
    clients.sort(key=lambda c: c.name.lower())
    if order == "DESCENDING":
        clients.reverse()
    return paged([client_view(state, c) for c in clients], page, size)


def get_tasks(call: Call) -> Reply:
    """GET /projects/{projectId}/tasks (getTasks): a project's tasks; name, is-active, sort, paging."""
    q, state = call.query, call.state
    project = state.project(call.params["projectId"])
    strict = q.boolean("strict-name-search")
    active = q.boolean("is-active", None)
    column = q.choice("sort-column", ("ID", "NAME"), "SortColumn")
    order = q.choice("sort-order", _ORDER, "SortOrder")
    page = q.integer("page", 1, minimum=1)
    size = q.integer("page-size", 50, minimum=1)
    tasks = [t for t in state.tasks.values() if t.project_id == project.id]
    tasks = _named(tasks, q.get("name"), strict)
    if active:
        tasks = [t for t in tasks if t.status == "ACTIVE"]
    tasks.sort(key=(lambda t: t.id) if column == "ID" else (lambda t: t.name.lower()))
    if order == "DESCENDING":
        tasks.reverse()
    return paged([task_view(state, t) for t in tasks], page, size)


ROUTES = [
    Route("GET", "/user", get_user),
    Route("GET", "/workspaces", get_workspaces),
    Route("GET", WS + "/projects", get_projects),
    Route("GET", WS + "/users", get_users),
    Route("GET", WS + "/tags", get_tags),
    Route("GET", WS + "/clients", get_clients),
    Route("GET", WS + "/projects/{projectId}/tasks", get_tasks),
]
