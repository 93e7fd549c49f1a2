"""JSON renderings used by several areas: users, memberships, rates, projects, tasks, tags, time entries.

Field names and nesting follow the official schemas (UserDtoV1, ProjectDtoV1, TaskDtoV1, TagDtoV1,
TimeEntryDtoImplV1, TimeEntryWithRatesDtoV1) and the recorded samples; unset optional values are sent as
null, the way the live API serialises them.
"""

from __future__ import annotations

from typing import Any

from .clock import duration, iso
from .model import CURRENCY, Client, Project, State, Task, TimeEntry, User

__all__ = [
    "NO_IMAGE",
    "client_view",
    "entry_seconds",
    "entry_view",
    "hourly_rate_of",
    "membership_view",
    "project_view",
    "rate",
    "tag_view",
    "task_view",
    "user_view",
]

NO_IMAGE = "https://img.clockify.me/no-user-image.png"


def rate(amount: int | None) -> dict[str, Any] | None:
    return None if amount is None else {"amount": amount, "currency": CURRENCY}


def membership_view(state: State, user: User) -> dict[str, Any]:
    return {
        "userId": user.id,
        "hourlyRate": rate(user.hourly_rate),
        "costRate": rate(user.cost_rate),
        "targetId": state.workspace.id,
        "membershipType": "WORKSPACE",
        "membershipStatus": user.status,
    }


def user_view(state: State, user: User, *, memberships: bool = False) -> dict[str, Any]:
    """UserDtoV1 (GET /user and the workspace's users)."""
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "memberships": [membership_view(state, user)] if memberships else [],
        "profilePicture": NO_IMAGE,
        "activeWorkspace": state.workspace.id,
        "defaultWorkspace": state.workspace.id,
        "settings": {
            "weekStart": user.week_start,
            "timeZone": user.time_zone,
            "timeFormat": "HOUR24",
            "dateFormat": "DD/MM/YYYY",
            "sendNewsletter": False,
            "weeklyUpdates": False,
            "longRunning": True,
            "scheduledReports": True,
            "approval": True,
            "pto": True,
            "alerts": True,
            "reminders": True,
            "timeTrackingManual": False,
            "summaryReportSettings": {"group": "PROJECT", "subgroup": "CLIENT"},
            "isCompactViewOn": False,
            "dashboardSelection": "ME",
            "dashboardViewType": "PROJECT",
            "dashboardPinToTop": False,
            "projectListCollapse": 50,
            "collapseAllProjectLists": False,
            "groupSimilarEntriesDisabled": False,
            "myStartOfDay": "09:00",
            "projectPickerTaskFilter": False,
            "lang": "EN",
            "multiFactorEnabled": False,
            "theme": "DEFAULT",
            "scheduling": True,
            "onboarding": False,
            "showOnlyWorkingDays": False,
        },
        "status": "ACTIVE",
        "customFields": [],
    }


def entry_seconds(entry: TimeEntry) -> int:
    return 0 if entry.end is None else int((entry.end - entry.start).total_seconds())


def _tracked(state: State, *, project_id: str | None = None, task_id: str | None = None) -> str:
    seconds = sum(
        entry_seconds(e)
        for e in state.entries.values()
        if (project_id is None or e.project_id == project_id) and (task_id is None or e.task_id == task_id)
    )
    return duration(seconds)


def task_view(state: State, task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "name": task.name,
        "projectId": task.project_id,
        "assigneeIds": [],
        "assigneeId": None,
        "userGroupIds": [],
        "estimate": "PT0S",
        "status": task.status,
        "duration": _tracked(state, task_id=task.id),
        "billable": task.billable,
        "hourlyRate": None,
        "costRate": None,
    }


def project_view(state: State, project: Project, *, hydrated: bool = False) -> dict[str, Any]:
    """ProjectDtoV1 plus clientId/clientName (and `tasks` when hydrated), as the live API sends them."""
    client = state.clients.get(project.client_id or "")
    out: dict[str, Any] = {
        "id": project.id,
        "name": project.name,
        "hourlyRate": rate(project.hourly_rate),
        "clientId": client.id if client else "",
        "workspaceId": state.workspace.id,
        "billable": project.billable,
        "memberships": [],
        "color": project.color,
        "estimate": {"estimate": "PT0S", "type": "AUTO"},
        "archived": project.archived,
        "duration": _tracked(state, project_id=project.id),
        "clientName": client.name if client else "",
        "note": project.note,
        "costRate": None,
        "timeEstimate": {
            "estimate": "PT0S",
            "type": "AUTO",
            "resetOption": None,
            "active": False,
            "includeNonBillable": True,
        },
        "budgetEstimate": None,
        "template": False,
        "public": True,
    }
    if hydrated:
        out["tasks"] = [task_view(state, t) for t in state.tasks.values() if t.project_id == project.id]
    return out


def tag_view(state: State, tag_id: str) -> dict[str, Any]:
    tag = state.tags[tag_id]
    return {"id": tag.id, "name": tag.name, "workspaceId": state.workspace.id, "archived": tag.archived}


def client_view(state: State, client: Client) -> dict[str, Any]:
    """ClientWithCurrencyDtoV1."""
    return {
        "id": client.id,
        "name": client.name,
        "email": None,
        "workspaceId": state.workspace.id,
        "archived": client.archived,
        "address": None,
        "note": None,
        "ccEmails": None,
        "currencyId": state.workspace.currency_id,
        "currencyCode": CURRENCY,
    }


def hourly_rate_of(state: State, entry: TimeEntry) -> int:
    project = state.projects.get(entry.project_id or "")
    if project is not None and project.hourly_rate is not None:
        return project.hourly_rate
    return state.users[entry.user_id].hourly_rate


def entry_view(state: State, entry: TimeEntry, *, rates: bool = False, hydrated: bool = False) -> dict[str, Any]:
    """TimeEntryDtoImplV1; `rates` adds hourlyRate/costRate (TimeEntryWithRatesDtoV1); `hydrated` adds the
    project, task, tags and user objects."""
    out: dict[str, Any] = {
        "id": entry.id,
        "description": entry.description,
        "tagIds": None if entry.tag_ids is None else list(entry.tag_ids),
        "userId": entry.user_id,
        "billable": entry.billable,
        "taskId": entry.task_id,
        "projectId": entry.project_id,
        "workspaceId": state.workspace.id,
        "timeInterval": {
            "start": iso(entry.start),
            "end": iso(entry.end),
            "duration": None if entry.end is None else duration(entry_seconds(entry)),
        },
        "customFieldValues": [],
        "type": entry.type,
        "kioskId": None,
        "isLocked": False,
    }
    if rates or hydrated:
        out["hourlyRate"] = rate(hourly_rate_of(state, entry))
        out["costRate"] = rate(state.users[entry.user_id].cost_rate)
    if hydrated:
        project = state.projects.get(entry.project_id or "")
        task = state.tasks.get(entry.task_id or "")
        user = state.users[entry.user_id]
        out["project"] = None if project is None else project_view(state, project)
        out["task"] = None if task is None else task_view(state, task)
        out["tags"] = [tag_view(state, t) for t in entry.tag_ids or [] if t in state.tags]
        out["user"] = {"id": user.id, "name": user.name, "email": user.email, "status": user.status}
    return out
