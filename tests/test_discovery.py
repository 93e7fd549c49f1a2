"""Exact requests and trimmed results for the discovery tools."""

from __future__ import annotations

import pytest

from helpers import API_KEY, POLICY, PROJECT, TASK, USER, WS, call, reply, result_json, text

pytestmark = pytest.mark.anyio

PROFILE = {
    "id": USER,
    "email": "ann@example.com",
    "name": "Ann Example",
    "memberships": [{"userId": USER, "targetId": WS, "membershipType": "WORKSPACE", "membershipStatus": "ACTIVE"}],
    "profilePicture": "https://img.clockify.me/no-user-image.png",
    "activeWorkspace": WS,
    "defaultWorkspace": WS,
    "settings": {
        "weekStart": "MONDAY",
        "timeZone": "Europe/Berlin",
        "timeFormat": "HOUR24",
        "dateFormat": "DD/MM/YYYY",
        "sendNewsletter": False,
        "weeklyUpdates": False,
        "longRunning": False,
        "theme": "DARK",
    },
    "status": "ACTIVE",
    "customFields": [],
}


async def test_get_current_user() -> None:
    result, [request] = await call("get_current_user", {}, reply(200, PROFILE))
    assert (request.method, request.path, request.query, request.raw) == ("GET", "/user", [], b"")
    assert request.headers["x-api-key"] == API_KEY
    assert result_json(result) == {
        "id": USER,
        "name": "Ann Example",
        "email": "ann@example.com",
        "status": "ACTIVE",
        "activeWorkspace": WS,
        "defaultWorkspace": WS,
        "settings": {
            "timeZone": "Europe/Berlin",
            "weekStart": "MONDAY",
            "dateFormat": "DD/MM/YYYY",
            "timeFormat": "HOUR24",
        },
    }


async def test_get_current_user_takes_no_arguments() -> None:
    result, sent = await call("get_current_user", {"workspaceId": WS})
    assert result.is_error and "workspaceId" in text(result) and not sent


async def test_get_workspaces() -> None:
    body = [
        {
            "id": WS,
            "name": "Acme",
            "hourlyRate": {"amount": 0, "currency": "USD"},
            "memberships": [{"userId": USER}] * 3,
            "workspaceSettings": {
                "forceProjects": True,
                "forceTasks": False,
                "forceTags": False,
                "forceDescription": False,
                "timeTrackingMode": "DEFAULT",
                "round": {"round": "Round to nearest"},
            },
            "featureSubscriptionType": "PRO_YEAR",
            "imageUrl": "",
        }
    ]
    result, [request] = await call("get_workspaces", {}, reply(200, body))
    assert (request.method, request.path, request.query) == ("GET", "/workspaces", [])
    assert result_json(result) == [
        {
            "id": WS,
            "name": "Acme",
            "featureSubscriptionType": "PRO_YEAR",
            "workspaceSettings": {
                "forceProjects": True,
                "forceTasks": False,
                "forceTags": False,
                "forceDescription": False,
                "timeTrackingMode": "DEFAULT",
            },
        }
    ]


async def test_get_projects() -> None:
    body = [
        {
            "id": PROJECT,
            "name": "Website",
            "clientId": "64c777ddd3fcab07cfbb9999",
            "clientName": "Acme",
            "billable": True,
            "archived": False,
            "color": "#03A9F4",
            "public": True,
            "workspaceId": WS,
            "memberships": [{"userId": USER, "hourlyRate": None}],
            "note": "",
            "duration": "PT10H",
            "tasks": [
                {
                    "id": TASK,
                    "name": "Design",
                    "status": "ACTIVE",
                    "billable": True,
                    "assigneeIds": [],
                    "projectId": PROJECT,
                }
            ],
        }
    ]
    args = {"workspaceId": WS, "name": "Web", "archived": False, "hydrated": True, "page": 1, "page-size": 1}
    result, [request] = await call("get_projects", args, reply(200, body, {"Last-Page": "false"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/projects")
    assert request.query == [
        ("name", "Web"),
        ("archived", "false"),
        ("hydrated", "true"),
        ("page", "1"),
        ("page-size", "1"),
    ]
    assert result_json(result) == [
        {
            "id": PROJECT,
            "name": "Website",
            "clientId": "64c777ddd3fcab07cfbb9999",
            "clientName": "Acme",
            "billable": True,
            "archived": False,
            "color": "#03A9F4",
            "public": True,
            "tasks": [{"id": TASK, "name": "Design", "status": "ACTIVE", "billable": True}],
        }
    ]
    assert "call again with page=2" in text(result)


async def test_get_users() -> None:
    body = [dict(PROFILE), {**PROFILE, "id": "60a1b2c3d4e5f60718293a4c", "name": "Bo", "email": "bo@example.com"}]
    args = {"workspaceId": WS, "name": "a", "email": "example.com", "status": "ACTIVE", "page": 2, "page-size": 10}
    result, [request] = await call("get_users", args, reply(200, body, {"Last-Page": "true"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/users")
    assert request.query == [
        ("name", "a"),
        ("email", "example.com"),
        ("status", "ACTIVE"),
        ("page", "2"),
        ("page-size", "10"),
    ]
    assert result_json(result)[1] == {
        "id": "60a1b2c3d4e5f60718293a4c",
        "name": "Bo",
        "email": "bo@example.com",
        "status": "ACTIVE",
        "timeZone": "Europe/Berlin",
    }
    assert "more results" not in text(result)


async def test_get_time_off_policies() -> None:
    body = [
        {
            "id": POLICY,
            "name": "Vacation",
            "timeUnit": "DAYS",
            "archived": False,
            "allowHalfDay": True,
            "allowNegativeBalance": False,
            "everyoneIncludingNew": True,
            "workspaceId": WS,
            "userIds": [USER],
            "approve": {"requiresApproval": True},
            "negativeBalance": None,
        },
    ]
    args = {"workspaceId": WS, "name": "Vac", "status": "ACTIVE", "page": 1, "page-size": 200}
    result, [request] = await call("get_time_off_policies", args, reply(200, body))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/time-off/policies")
    assert request.query == [("name", "Vac"), ("status", "ACTIVE"), ("page", "1"), ("page-size", "200")]
    assert result_json(result) == [
        {
            "id": POLICY,
            "name": "Vacation",
            "timeUnit": "DAYS",
            "archived": False,
            "allowHalfDay": True,
            "allowNegativeBalance": False,
            "everyoneIncludingNew": True,
        }
    ]


async def test_policy_page_size_limit() -> None:
    result, sent = await call("get_time_off_policies", {"workspaceId": WS, "page-size": 201})
    assert result.is_error and "page-size" in text(result) and not sent


async def test_addon_token_is_sent_instead_of_a_key() -> None:
    from helpers import settings

    _, [request] = await call(
        "get_workspaces", {}, reply(200, []), config=settings(api_key=None, addon_token="addon-tok")
    )
    assert request.headers["x-addon-token"] == "addon-tok"
    assert "x-api-key" not in request.headers


TAG_ID, CLIENT_ID = "64c777ddd3fcab07cfbb4444", "64c777ddd3fcab07cfbb6666"


async def test_get_tags_exact_request_and_trimmed_result() -> None:
    body = [{"id": TAG_ID, "name": "meeting", "workspaceId": WS, "archived": False}]
    args = {"workspaceId": WS, "name": "meet", "archived": False, "page": 2, "page-size": 1}
    result, [request] = await call("get_tags", args, reply(200, body, {"Last-Page": "false"}))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/tags")
    assert request.query == [("name", "meet"), ("archived", "false"), ("page", "2"), ("page-size", "1")]
    assert result_json(result) == [{"id": TAG_ID, "name": "meeting", "archived": False}]
    assert "page=3" in result.content[1].text  # the paging note travels in the second block


async def test_get_clients_exact_request_and_trimmed_result() -> None:
    body = [
        {
            "id": CLIENT_ID,
            "name": "Acme",
            "email": None,
            "workspaceId": WS,
            "archived": False,
            "address": None,
            "note": None,
            "ccEmails": None,
            "currencyId": "64c777ddd3fcab07cfbb7777",
            "currencyCode": "USD",
        }
    ]
    result, [request] = await call("get_clients", {"workspaceId": WS, "name": "ac"}, reply(200, body))
    assert (request.method, request.path, request.query) == ("GET", f"/workspaces/{WS}/clients", [("name", "ac")])
    assert result_json(result) == [{"id": CLIENT_ID, "name": "Acme", "archived": False}]


async def test_get_tasks_exact_request_and_trimmed_result() -> None:
    body = [
        {
            "id": TASK,
            "name": "Design",
            "projectId": PROJECT,
            "assigneeIds": [],
            "assigneeId": None,
            "userGroupIds": [],
            "estimate": "PT0S",
            "status": "ACTIVE",
            "duration": "PT12H",
            "billable": True,
            "hourlyRate": None,
            "costRate": None,
        }
    ]
    args = {"workspaceId": WS, "projectId": PROJECT, "name": "des", "is-active": True}
    result, [request] = await call("get_tasks", args, reply(200, body))
    assert (request.method, request.path) == ("GET", f"/workspaces/{WS}/projects/{PROJECT}/tasks")
    assert request.query == [("name", "des"), ("is-active", "true")]
    assert result_json(result) == [
        {"id": TASK, "name": "Design", "status": "ACTIVE", "billable": True, "estimate": "PT0S", "duration": "PT12H"}
    ]


async def test_get_tasks_needs_the_project() -> None:
    result, sent = await call("get_tasks", {"workspaceId": WS})
    assert result.is_error and "projectId: required parameter is missing" in text(result) and not sent
