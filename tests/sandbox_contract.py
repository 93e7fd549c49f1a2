"""The official OpenAPI document as a contract for the sandbox: every request a test sends and every
response the simulator gives is checked against the operation it belongs to.

OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords, so they are checked with jsonschema's
Draft4Validator after two global readings of the spec and a short table of documented live differences:

Global readings (how the official document must be read, for every operation):
- `nullable` is never declared, yet the live API serialises unset optional fields as JSON null (samples:
  `tagIds`, `taskId`, `kioskId`, a running timer's `timeInterval.end`/`duration`, a holiday's `projectId`).
  So a property that is not `required` may be null.
- springdoc renders some enums as `type: object` with `oneOf: [{type: string, enum: [...]}]` (AccountStatus,
  CustomFieldType, ...). The wire value is the string; such a schema is read as that string enum.
- `format: date-time` in a response must be UTC with `Z` (stricter than the spec: what mcp-server-clockify relies on).

DEVIATIONS lists the places where the live API differs from the official schema, each citing its section of
docs/clockify-api-notes.md; validation uses the corrected schema there instead of skipping it, and a test proves
each entry is needed (the unmodified spec rejects the live shape, or accepts what the live API rejects).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import httpx2
from jsonschema import Draft4Validator, FormatChecker

from helpers import DATA
from mcp_server_clockify.sandbox import SANDBOX_API_KEY, SANDBOX_BASE_URL, Simulator, create_app, transport

TODAY = date(2026, 11, 25)
"""The `today` the sandbox tests seed with: a Wednesday (this week Mon 23 - Sun 29 November 2026)."""

SPEC_FILE = DATA / "clockify-openapi.json"
"""The official document, cut down to the operations the sandbox serves (scripts/extract-reference-data)."""
ERROR_SCHEMA = {
    "type": "object",
    "required": ["message", "code"],
    "properties": {"message": {"type": "string"}, "code": {"type": "integer"}},
}
"""docs/clockify-api-notes.md §errors: every error body is {message: string, code: number} (the spec declares none)."""

WEEKDAY = {"type": "string", "enum": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]}


@dataclass(frozen=True)
class Deviation:
    """One documented difference between the official schema and the live API."""

    ref: str
    """The section of docs/clockify-api-notes.md that documents it."""
    what: str
    operations: tuple[str, ...]
    apply: Callable[[dict[str, Any]], None]
    """Edits the official document in place (before the global readings are applied)."""
    witness: tuple[str, str, Any]
    """(kind, name, instance) on which the unmodified spec and the corrected one disagree: kind "schema"
    (name: a component), "param" (`operationId.param`), "request" (an operation's body) or "empty" (an
    operation's 200 with no body)."""


def _set(path: Iterable[str], value: Any) -> Callable[[dict[str, Any]], None]:
    keys = list(path)

    def apply(spec: dict[str, Any]) -> None:
        node = spec
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return apply


def _param(operation_id: str, name: str, schema: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def apply(spec: dict[str, Any]) -> None:
        for param in _operations(spec)[operation_id]["op"].get("parameters", []):
            if param["name"] == name:
                param["schema"] = schema

    return apply


def _empty_ok(operation_id: str) -> Callable[[dict[str, Any]], None]:
    def apply(spec: dict[str, Any]) -> None:
        _operations(spec)[operation_id]["op"]["x-empty-body-ok"] = True

    return apply


def _narrow_request(operation_id: str, schema: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def apply(spec: dict[str, Any]) -> None:
        _operations(spec)[operation_id]["op"]["x-live-request"] = schema

    return apply


def _each(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(spec: dict[str, Any]) -> None:
        for edit in edits:
            edit(spec)

    return apply


def _schema(name: str, *path: str) -> list[str]:
    return ["components", "schemas", name, *path]


_NO_MILLIS = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:\\d{2})$"
LIVE_TIME_OFF_BODY = {
    "type": "object",
    "required": ["timeOffPeriod"],
    "properties": {
        "timeOffPeriod": {
            "type": "object",
            "required": ["period"],
            "properties": {
                "period": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["start", "days"],
                            "not": {"required": ["end"]},
                            "properties": {"start": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}},
                        },
                        {
                            "type": "object",
                            "required": ["start", "end"],
                            "not": {"required": ["days"]},
                            "properties": {
                                "start": {"type": "string", "pattern": _NO_MILLIS},
                                "end": {"type": "string", "pattern": _NO_MILLIS},
                            },
                        },
                    ]
                }
            },
        }
    },
}

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "§invoiced-ids",
        "update_invoiced_status: timeEntryIds is an array of id strings, not TimeEntryId objects",
        ("updateInvoicedStatus",),
        _set(_schema("UpdateInvoicedStatusRequest", "properties", "timeEntryIds", "items"), {"type": "string"}),
        ("schema", "UpdateInvoicedStatusRequest", {"invoiced": True, "timeEntryIds": ["5a0700000000000000000002"]}),
    ),
    Deviation(
        "§balance-paging",
        "get_balances_for_user: page/page-size are integers on the wire (the spec says string)",
        ("getBalancesForUser",),
        _each(
            _param("getBalancesForUser", "page", {"type": "integer", "minimum": 1, "maximum": 1000}),
            _param("getBalancesForUser", "page-size", {"type": "integer", "minimum": 1, "maximum": 200}),
        ),
        ("param", "getBalancesForUser.page-size", "abc"),
    ),
    Deviation(
        "§scheduling-working-days",
        "scheduling user totals: workingDays is an array of weekdays (the spec says one weekday string)",
        ("getUserTotals", "getUserTotalsForSingleUser"),
        _set(_schema("SchedulingUsersTotalsDtoV1", "properties", "workingDays"), {"type": "array", "items": WEEKDAY}),
        ("schema", "SchedulingUsersTotalsDtoV1", {"workingDays": ["MONDAY", "TUESDAY"]}),
    ),
    Deviation(
        "§empty-answers (project totals)",
        "get_project_totals_for_single_project: 200 with an empty body when nothing is scheduled in range",
        ("getProjectTotalsForSingleProject",),
        _empty_ok("getProjectTotalsForSingleProject"),
        ("empty", "getProjectTotalsForSingleProject", None),
    ),
    Deviation(
        "§empty-answers (user totals)",
        "get_user_totals_for_single_user: 200 with an empty body when the user has no capacity",
        ("getUserTotalsForSingleUser",),
        _empty_ok("getUserTotalsForSingleUser"),
        ("empty", "getUserTotalsForSingleUser", None),
    ),
    Deviation(
        "§time-off-withdrawn",
        "time-off request status: WITHDRAWN is a live state (a deleted PENDING request answers with it)",
        ("deleteTimeOffRequest",),
        _set(
            _schema("TimeOffRequestStatus", "properties", "statusType", "enum"),
            ["PENDING", "APPROVED", "REJECTED", "ALL", "WITHDRAWN"],
        ),
        ("schema", "TimeOffRequestStatus", {"statusType": "WITHDRAWN"}),
    ),
    Deviation(
        "§time-off-period",
        "time-off request period: DAYS policy {start: yyyy-MM-dd, days}, HOURS policy {start, end} without "
        "milliseconds (the spec accepts any strings; requests must also match the live shape)",
        ("createTimeOffRequest", "createTimeOffRequestForOther"),
        _each(
            _narrow_request("createTimeOffRequest", LIVE_TIME_OFF_BODY),
            _narrow_request("createTimeOffRequestForOther", LIVE_TIME_OFF_BODY),
        ),
        ("request", "createTimeOffRequest", {"timeOffPeriod": {"period": {"start": "2026-12-01", "end": "x"}}}),
    ),
)


# ---------------------------------------------------------------------------------------------- the spec


def _normalise(node: Any) -> Any:
    """The two global readings (see the module docstring), applied to every schema in the document."""
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    one_of = node.get("oneOf")
    if (
        node.get("type") == "object"
        and isinstance(one_of, list)
        and len(one_of) == 1
        and isinstance(one_of[0], dict)
        and one_of[0].get("type") == "string"
        and "enum" in one_of[0]
    ):
        return {"type": "string", "enum": one_of[0]["enum"]}
    out = {key: _normalise(value) for key, value in node.items()}
    properties = out.get("properties")
    if isinstance(properties, dict) and all(isinstance(v, dict) for v in properties.values()):
        required = set(out.get("required") or [])
        out["properties"] = {
            name: schema if name in required else {"anyOf": [schema, {"type": "null"}]}
            for name, schema in properties.items()
        }
    return out


def _operations(spec: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found[op["operationId"]] = {"method": method.upper(), "path": path.removeprefix("/v1"), "op": op}
    return found


@cache
def raw_spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def build_spec(*, deviations: bool = True) -> Spec:
    document = copy.deepcopy(raw_spec())
    if deviations:
        for deviation in DEVIATIONS:
            deviation.apply(document)
    return Spec(_normalise(document))


_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _checker(*, utc_only: bool) -> FormatChecker:
    checker = FormatChecker(formats=())
    pattern = _UTC if utc_only else _OFFSET
    checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(pattern.fullmatch(v)))
    checker.checks("date")(lambda v: not isinstance(v, str) or bool(_DATE.fullmatch(v)))
    return checker


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.operations = _operations(document)
        self._routes = [
            (info["method"], re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", info["path"]) + "$"), op_id)
            for op_id, info in self.operations.items()
        ]

    def problems(self, schema: Any, instance: Any, *, response: bool) -> list[str]:
        root = {"allOf": [schema], "components": self.document["components"]}
        validator = Draft4Validator(root, format_checker=_checker(utc_only=response))
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:300]}"
            for error in validator.iter_errors(instance)
        ]

    def component(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{name}"}

    def find(self, method: str, path: str) -> str | None:
        """The operationId for a request (the path relative to /api/v1), literal segments winning."""
        found = [(rx.pattern.count("[^/]+"), op_id) for m, rx, op_id in self._routes if m == method and rx.match(path)]
        return min(found)[1] if found else None

    def request_problems(self, op_id: str, query: list[tuple[str, str]], body: Any, has_body: bool) -> list[str]:
        op = self.operations[op_id]["op"]
        problems: list[str] = []
        declared = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        names = {name for name, _ in query}
        problems += [f"query {n}: not a parameter of {op_id}" for n in sorted(names - set(declared))]
        for name, param in declared.items():
            values = [v for n, v in query if n == name]
            if not values:
                if param.get("required"):
                    problems.append(f"query {name}: required")
                continue
            value = _coerce(param["schema"], values)
            problems += [f"query {name}={values}: {p}" for p in self.problems(param["schema"], value, response=False)]
        body_spec = op.get("requestBody")
        if body_spec is None:
            if has_body:
                problems.append(f"{op_id} takes no body")
        elif not has_body:
            if body_spec.get("required"):
                problems.append(f"{op_id} needs a body")
        else:
            schema = body_spec["content"]["application/json"]["schema"]
            problems += [f"body {p}" for p in self.problems(schema, body, response=False)]
            live = op.get("x-live-request")
            if live is not None:
                problems += [f"body (live shape) {p}" for p in self.problems(live, body, response=False)]
        return problems

    def response_problems(self, op_id: str | None, status: int, text: str) -> list[str]:
        body = json.loads(text) if text.strip() else None
        if status >= 400 or op_id is None:
            if body is None:
                return []  # an empty error body: only the documented from-entry 404 (checked by its test)
            return [f"error body {p}" for p in self.problems(ERROR_SCHEMA, body, response=True)]
        op = self.operations[op_id]["op"]
        declared = op["responses"].get(str(status))
        if declared is None:
            return [f"{op_id}: status {status} is not declared (declared: {sorted(op['responses'])})"]
        content = declared.get("content")
        if not content:
            return [] if body is None else [f"{op_id} {status}: the spec declares no body, got {text[:100]}"]
        if body is None:
            return [] if op.get("x-empty-body-ok") else [f"{op_id} {status}: empty body, the spec declares one"]
        schema = next(iter(content.values()))["schema"]  # application/json or */*, both JSON here
        return [f"{op_id} {status} {p}" for p in self.problems(schema, body, response=True)]


def _coerce(schema: dict[str, Any], values: list[str]) -> Any:
    """Query text as the parameter's schema type (repeated keys for arrays)."""
    kind = schema.get("type")
    if kind == "array":
        return [_coerce(schema.get("items", {}), [v]) for v in values]
    value = values[0]
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


# ------------------------------------------------------------------------------------ a checking client


@dataclass
class SandboxAPI:
    """An httpx client for the sandbox that checks every exchange against the spec and records coverage."""

    http: httpx2.AsyncClient
    spec: Spec
    app: Simulator
    covered: set[str] = field(default_factory=set)

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        valid: bool = True,
        status: int | None = None,
    ) -> httpx2.Response:
        """Send one request. `valid=False` marks a request that deliberately breaks the spec (error tests):
        its shape is not checked, the response still is. `status` asserts the answer's status."""
        request = self.http.build_request(method, path, params=params, json=json, content=content, headers=headers)
        relative = request.url.path.removeprefix("/api/v1")
        op_id = self.spec.find(method, relative)
        if valid:
            assert op_id is not None, f"{method} {relative} is not an operation of the official spec"
            query = [(k, v) for k, v in request.url.params.multi_items()]
            has_body = bool(request.content)
            body = _json_loads(request.content) if has_body else None
            problems = self.spec.request_problems(op_id, query, body, has_body)
            assert not problems, f"request {method} {relative} breaks the spec:\n" + "\n".join(problems)
        response = await self.http.send(request)
        problems = self.spec.response_problems(op_id, response.status_code, response.text)
        assert not problems, f"response to {method} {relative} breaks the spec:\n" + "\n".join(problems)
        if status is not None:
            assert response.status_code == status, f"{method} {relative}: {response.status_code} {response.text}"
        if op_id is not None and response.status_code < 400:
            self.covered.add(op_id)
        return response


def _json_loads(raw: bytes) -> Any:
    return json.loads(raw)


# --------------------------------------------------------------------------------------------- fixtures


@cache
def contract_spec(*, deviations: bool = True) -> Spec:
    return build_spec(deviations=deviations)


@asynccontextmanager
async def sandbox_api(app: Simulator | None = None, *, today: date = TODAY) -> AsyncIterator[SandboxAPI]:
    """A checking client on a fresh simulator (or on `app`), authenticated as mcp-server-clockify is in sandbox mode."""
    app = app if app is not None else create_app(today=today)
    headers = {"X-Api-Key": SANDBOX_API_KEY}
    async with httpx2.AsyncClient(transport=transport(app), base_url=SANDBOX_BASE_URL, headers=headers) as http:
        yield SandboxAPI(http, contract_spec(), app)
