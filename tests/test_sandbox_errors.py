"""Sandbox error answers: auth, unrouted paths, wrong verbs, conversions, foreign ids, unreadable bodies.

Where a recorded live body exists (tests/data/samples), the simulator's body is compared with it.
"""

from __future__ import annotations

import httpx2
import pytest

from helpers import sample
from mcp_server_clockify.sandbox import (
    API_KEYS,
    OWNER_ID,
    RUNNING_ENTRY_ID,
    SANDBOX_API_KEY,
    SANDBOX_BASE_URL,
    WORKSPACE_ID,
    create_app,
    extra_key,
    transport,
)
from sandbox_contract import TODAY, sandbox_api

pytestmark = pytest.mark.anyio

W = f"/workspaces/{WORKSPACE_ID}"
AUTH = {"message": "Multiple or none auth tokens present", "code": 1000}


def _bare_client() -> httpx2.AsyncClient:
    """A client without the sandbox key, to try other credentials."""
    return httpx2.AsyncClient(transport=transport(create_app(today=TODAY)), base_url=SANDBOX_BASE_URL)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Api-Key": ""},
        {"X-Api-Key": "one", "X-Addon-Token": "two"},
        {"Authorization": "Bearer something"},
    ],
    ids=["none", "empty", "both", "bearer"],
)
async def test_auth_needs_exactly_one_token(headers) -> None:
    async with _bare_client() as http:
        for path in ("/user", "/no/such/route"):
            response = await http.get(path, headers=headers)
            assert (response.status_code, response.json()) == (401, AUTH)


@pytest.mark.parametrize("header", ["X-Api-Key", "X-Addon-Token"])
async def test_each_seeded_key_sees_clockify_as_its_user(header) -> None:
    async with _bare_client() as http:
        for user, key in API_KEYS.items():
            response = await http.get("/user", headers={header: key})
            assert (response.status_code, response.json()["id"]) == (200, user)
    assert API_KEYS[OWNER_ID] == SANDBOX_API_KEY  # what sandbox mode sends is the owner's key
    assert len(set(API_KEYS.values())) == len(API_KEYS) == 4


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        ({"X-Api-Key": "anything-at-all"}, 4003, "Api key does not exist"),
        ({"X-Api-Key": API_KEYS[OWNER_ID] + "x"}, 4003, "Api key does not exist"),
        ({"X-Addon-Token": "an-addon-token"}, 4017, "Token is not valid"),
    ],
)
async def test_any_other_key_is_401_with_clockifys_code(headers, code, message) -> None:
    async with _bare_client() as http:
        for path in ("/user", f"{W}/projects"):
            response = await http.get(path, headers=headers)
            assert (response.status_code, response.json()) == (401, {"message": message, "code": code})


@pytest.mark.parametrize(
    "path",
    [
        f"{W}/user/{OWNER_ID}/time-entries/stop",
        f"{W}/time-entries/invoiced/bulk",
        f"{W}/time-off/requests/{RUNNING_ENTRY_ID}",
        f"{W}/scheduling/assignments",
        f"{W}/scheduling/assignments/users/totals",
        f"{W}/balance",
        f"{W}/policies",
    ],
)
async def test_unrouted_paths_answer_no_static_resource(path) -> None:
    async with sandbox_api() as api:
        for method in ("GET", "POST", "PATCH"):
            response = await api.call(method, path, valid=False, status=404)
            assert response.json() == {"message": f"No static resource v1{path}.", "code": 3000}


async def test_unrouted_path_matches_the_recorded_body() -> None:
    _, recorded = sample("20260520-215801-get.workspaces.time-off.requests-single-404.json")
    async with sandbox_api() as api:
        response = await api.call("GET", f"{W}/time-off/requests/999nonexistent", valid=False, status=404)
    assert response.json()["message"] == recorded["message"].replace("[REDACTED-WORKSPACE]", WORKSPACE_ID)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", f"{W}/time-entries", "POST"),
        ("GET", f"{W}/time-off/requests", "POST"),
        ("GET", f"{W}/scheduling/assignments/user-filter/totals", "POST"),
        ("GET", f"{W}/scheduling/assignments/publish", "PUT"),
        ("GET", f"{W}/scheduling/assignments/{RUNNING_ENTRY_ID}/copy", "POST"),
        ("PUT", f"{W}/scheduling/assignments/recurring/{RUNNING_ENTRY_ID}", "DELETE, PATCH"),
        ("POST", f"{W}/time-entries/{RUNNING_ENTRY_ID}", "DELETE, GET, PUT"),
    ],
)
async def test_wrong_verb_is_405_with_allow(method, path, allow) -> None:
    async with sandbox_api() as api:
        response = await api.call(method, path, valid=False)
    assert (response.status_code, response.headers["Allow"]) == (405, allow)
    assert response.json() == {"message": f"Request method '{method}' is not supported", "code": 3000}


async def test_get_on_a_post_route_matches_the_recorded_body() -> None:
    _, recorded = sample("findings-time-off.requests-get-405.json")
    async with sandbox_api() as api:
        response = await api.call("GET", f"{W}/time-off/requests", valid=False, status=405)
    assert response.json() == recorded


async def test_query_conversion_errors_echo_the_value() -> None:
    _, boolean = sample("20260520-204725-get.user-wrong-type.json")
    _, integer = sample("20260520-224214-get.workspaces.time-off.balance.user-wrong-type.json")
    async with sandbox_api() as api:
        response = await api.call("GET", "/user", params={"include-memberships": "NOT-A-BOOL"}, valid=False, status=400)
        assert response.json() == {**boolean, "code": 3000}
        path = f"{W}/time-off/balance/user/{OWNER_ID}"
        response = await api.call("GET", path, params={"page-size": "abc"}, valid=False, status=400)
        assert response.json() == integer
        response = await api.call("GET", f"{W}/projects", params={"sort-order": "UP"}, valid=False, status=400)
        assert response.json()["code"] == 3000 and "'sort-order'" in response.json()["message"]
        for value in ("1", "yes", "on", "TRUE"):  # Spring's boolean spellings
            await api.call(
                "GET", f"{W}/time-entries/{RUNNING_ENTRY_ID}", params={"hydrated": value}, valid=False, status=200
            )


@pytest.mark.parametrize(
    ("method", "path", "entity"),
    [
        ("GET", f"{W}/user/5a0200000000000000000099/time-entries", "User"),
        ("GET", f"{W}/time-off/balance/policy/5a0800000000000000000099", "Policy"),
        ("DELETE", f"{W}/holidays/5a0b00000000000000000099", "Holiday"),
        ("DELETE", f"{W}/scheduling/assignments/recurring/5a0c00000000000000000099", "Assignment"),
        ("GET", f"{W}/scheduling/assignments/projects/totals/not-an-id?start=2026-01-01T00:00:00Z", "Project"),
    ],
)
async def test_unknown_ids_are_400_not_in_workspace(method, path, entity) -> None:
    async with sandbox_api() as api:
        response = await api.call(method, path, valid=False, status=400)
    assert response.json() == {"message": f"{entity} doesn't belong to Workspace", "code": 501}


async def test_foreign_workspace_is_access_denied() -> None:
    async with sandbox_api() as api:
        response = await api.call("GET", "/workspaces/5a0100000000000000000099/projects", status=403)
    assert response.json() == {"message": "Access Denied", "code": 501}


async def test_unreadable_bodies() -> None:
    async with sandbox_api() as api:
        broken = await api.call(
            "POST",
            f"{W}/time-entries",
            content=b'{"start": ',
            headers={"Content-Type": "application/json"},
            valid=False,
            status=400,
        )
        assert broken.json()["code"] == 3000 and broken.json()["message"].startswith("JSON parse error")
        latin1 = await api.call(
            "POST",
            f"{W}/time-entries",
            content='{"start": "2026-11-28T09:00:00Z", "description": "Café"}'.encode("latin-1"),
            headers={"Content-Type": "application/json"},
            valid=False,
            status=400,
        )
        assert latin1.json() == {"message": "JSON parse error: Invalid UTF-8 byte 0xe9 at byte 53", "code": 3000}
        wrong = await api.call("POST", f"{W}/time-entries", json={"start": 7}, valid=False, status=400)
        assert wrong.json()["code"] == 3000
        array = await api.call("POST", f"{W}/time-entries", json=[], valid=False, status=400)
        assert array.json()["code"] == 3000
        nothing = await api.call("POST", f"{W}/time-entries", valid=False, status=400)
        assert nothing.json() == {"message": "must not be null", "code": 501}


async def test_extra_members_for_load_tests_have_keys_of_their_own() -> None:
    app = create_app(today=TODAY, extra_users=3)
    async with httpx2.AsyncClient(transport=transport(app), base_url=SANDBOX_BASE_URL) as http:
        answers = [(await http.get("/user", headers={"X-Api-Key": extra_key(i)})).json() for i in range(3)]
    assert [a["name"] for a in answers] == ["Member 000", "Member 001", "Member 002"]
    assert len({a["id"] for a in answers} | set(API_KEYS)) == 7
