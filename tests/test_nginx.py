"""Scale-out: Debian's nginx, with the repository's deploy/nginx.conf (ports changed), round robin in front of
two stateless `--auth oauth` replicas that share nothing but the secret (and Redis). A token issued by one
replica works on the other, and so does a confirmation; with one replica killed mid-load the other keeps
serving, and no call is ever answered with another user's data."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import pytest

from mcp_server_clockify.sandbox import API_KEYS, DESIGNER_ID, DEVELOPER_ID, WORKSPACE_ID
from oauth_flow import CALLBACK, Flow, Hosted, continue_link, free_port, oauth_env, pkce
from servers import Running, announced, sandbox_server, server_command

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[1]
CALL_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-06-18",
}


def nginx_or_skip() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is not installed (.ci/run installs Debian's nginx)")
    pytest.skip("nginx is not installed (apt-get install nginx-light; scripts/test installs it when run as root)")


@contextmanager
def nginx(front: int, replicas: tuple[int, int]) -> Iterator[str]:
    """Debian's nginx with deploy/nginx.conf, listening on `front`, proxying to the two replica ports."""
    binary = nginx_or_skip()
    site = (ROOT / "deploy/nginx.conf").read_text()
    for old, new in (("127.0.0.1:8001", replicas[0]), ("127.0.0.1:8002", replicas[1]), ("127.0.0.1:8080", front)):
        assert old in site, f"deploy/nginx.conf no longer has {old}"
        site = site.replace(old, f"127.0.0.1:{new}")
    prefix = Path(tempfile.mkdtemp(prefix="mcp-clockify-nginx-"))
    prefix.chmod(0o755)
    (prefix / "site.conf").write_text(site)
    temps = "".join(
        f"{kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log warn;\n"
        "events { worker_connections 512; }\n"
        f"http {{ access_log off; {temps} include {prefix}/site.conf; }}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{front}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"nginx did not start: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                httpx2.get(f"{url}/.well-known/oauth-authorization-server", timeout=1)
                break
            except httpx2.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(prefix, ignore_errors=True)


@contextmanager
def redis() -> Iterator[str]:
    """Debian's redis-server on a free port, in memory only."""
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (.ci/run installs it)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@dataclass
class Cluster:
    public: str
    replicas: list[Running]
    sandbox: Running


@contextmanager
def cluster(**env: str) -> Iterator[Cluster]:
    nginx_or_skip()
    ports = (free_port(), free_port())
    front = free_port()
    public = f"http://127.0.0.1:{front}"
    with sandbox_server("--quiet") as clockify, redis() as shared:
        command = [server_command(), "--transport", "http", "--stateless", "--auth", "oauth", "--port"]
        variables = oauth_env(clockify.url, public, CLOCKIFY_MCP_REDIS_URL=shared, **env)
        with (
            announced([*command, str(ports[0])], r"at (http://\S+/mcp)", env=variables) as one,
            announced([*command, str(ports[1])], r"at (http://\S+/mcp)", env=variables) as two,
            nginx(front, ports),
        ):
            yield Cluster(public, [one, two], clockify)


def base(running: Running) -> str:
    return running.url.removesuffix("/mcp")


async def _tokens_from(cluster: Cluster, replica: Running, key: str) -> dict[str, Any]:
    """Register, sign in and redeem the code, all on one replica directly (not through nginx)."""
    direct = Hosted(base(replica), cluster.sandbox, replica)
    resource = f"{cluster.public}/mcp"
    async with httpx2.AsyncClient(follow_redirects=False, timeout=30) as http:
        f = Flow(direct, http)
        client_id = (await f.register())["client_id"]
        verifier, challenge = pkce()
        started = await f.authorize(client_id, challenge, resource=resource)
        location = started.headers["location"].replace(cluster.public, base(replica))
        done = await f.sign_in(location, key)
        code = parse_qs(urlsplit(continue_link(done.text)).query)["code"][0]
        response = await f.token(
            grant_type="authorization_code",
            code=code,
            redirect_uri=CALLBACK,
            client_id=client_id,
            code_verifier=verifier,
            resource=resource,
        )
    assert response.status_code == 200, response.text
    return {**response.json(), "client_id": client_id}


async def _whoami(http: httpx2.AsyncClient, url: str, token: str, n: int) -> tuple[int, str | None]:
    """tools/call get_current_user as one stateless JSON-RPC POST: the HTTP status and the user id answered."""
    call = {
        "jsonrpc": "2.0",
        "id": n,
        "method": "tools/call",
        "params": {"name": "clockify_time_tracking_get_current_user", "arguments": {}},
    }
    try:
        response = await http.post(url, json=call, headers={**CALL_HEADERS, "Authorization": f"Bearer {token}"})
    except httpx2.HTTPError:  # in flight on the replica that was killed: cut off mid-answer
        return 0, None
    if response.status_code != 200:
        return response.status_code, None
    text = response.text
    message = json.loads(text.split("data: ", 1)[1].split("\n", 1)[0] if text.startswith("event:") else text)
    content = message["result"]["content"][0]["text"]
    return 200, json.loads(content.split("\n", 1)[0])["id"]


async def test_a_token_from_one_replica_works_on_the_other_and_through_nginx() -> None:
    with cluster() as c:
        tokens = await _tokens_from(c, c.replicas[0], API_KEYS[DEVELOPER_ID])
        async with httpx2.AsyncClient(timeout=30) as http:
            on_two = await _whoami(http, c.replicas[1].url, tokens["access_token"], 1)
            through = [await _whoami(http, f"{c.public}/mcp", tokens["access_token"], i) for i in range(4)]
            # and the refresh token issued by replica 1 is redeemed by replica 2
            refreshed = await http.post(
                f"{base(c.replicas[1])}/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": tokens["refresh_token"],
                    "client_id": tokens["client_id"],
                },
            )
    assert on_two == (200, DEVELOPER_ID)
    assert through == [(200, DEVELOPER_ID)] * 4
    assert refreshed.status_code == 200, refreshed.text


async def test_one_replica_killed_mid_load_the_other_keeps_serving_each_user_their_own_data() -> None:
    with cluster() as c:
        users = {
            DEVELOPER_ID: (await _tokens_from(c, c.replicas[0], API_KEYS[DEVELOPER_ID]))["access_token"],
            DESIGNER_ID: (await _tokens_from(c, c.replicas[1], API_KEYS[DESIGNER_ID]))["access_token"],
        }
        answers: list[tuple[str, int, float, str | None]] = []
        killed_at: list[float] = []

        async def load(who: str) -> None:
            """Calls until 20 of them started well after the kill (however fast the machine answers)."""
            async with httpx2.AsyncClient(timeout=30) as http:
                for n in range(2000):
                    started = time.monotonic()
                    if killed_at and sum(1 for w, _, at, _ in answers if w == who and at > killed_at[0] + 1.0) >= 20:
                        return
                    status, seen = await _whoami(http, f"{c.public}/mcp", users[who], n)
                    answers.append((who, status, started, seen))

        async def kill() -> None:
            while len(answers) < 40:
                await anyio.sleep(0.01)
            c.replicas[1].process.send_signal(signal.SIGKILL)
            killed_at.append(time.monotonic())

        async with anyio.create_task_group() as group:
            group.start_soon(load, DEVELOPER_ID)
            group.start_soon(load, DESIGNER_ID)
            group.start_soon(kill)
    assert len(answers) >= 80 and killed_at
    wrong = [(who, seen) for who, status, _, seen in answers if status == 200 and seen != who]
    assert not wrong, f"answered with another user's data: {wrong}"
    after = [status for _, status, at, _ in answers if at > killed_at[0] + 1.0]
    assert after and all(status == 200 for status in after), after  # the survivor serves everyone
    failed = [status for _, status, _, _ in answers if status != 200]
    assert len(failed) <= 2, failed  # at most the calls in flight on the killed replica


async def test_single_use_and_revocation_hold_across_replicas() -> None:
    """Redis (CLOCKIFY_MCP_REDIS_URL) is the one thing the replicas share besides the secret."""
    with cluster() as c:
        one, two = base(c.replicas[0]), base(c.replicas[1])
        tokens = await _tokens_from(c, c.replicas[0], API_KEYS[DEVELOPER_ID])
        refresh = {"grant_type": "refresh_token", "client_id": tokens["client_id"]}
        async with httpx2.AsyncClient(timeout=30) as http:
            rotated = await http.post(f"{one}/token", data={**refresh, "refresh_token": tokens["refresh_token"]})
            assert rotated.status_code == 200
            reused = await http.post(f"{two}/token", data={**refresh, "refresh_token": tokens["refresh_token"]})
            assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
            # reuse revoked the grant on every replica
            assert (await _whoami(http, c.replicas[0].url, rotated.json()["access_token"], 1))[0] == 401
            fresh = await _tokens_from(c, c.replicas[1], API_KEYS[DESIGNER_ID])
            assert await _whoami(http, c.replicas[0].url, fresh["access_token"], 2) == (200, DESIGNER_ID)
            revoke = {"token": fresh["access_token"], "client_id": fresh["client_id"], "client_secret": ""}
            assert (await http.post(f"{two}/revoke", data=revoke)).status_code == 200
            assert (await _whoami(http, c.replicas[0].url, fresh["access_token"], 3))[0] == 401


async def _call(http: httpx2.AsyncClient, url: str, token: str, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    """One stateless tools/call; its result (content and isError)."""
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": tool, "arguments": args}}
    response = await http.post(url, json=call, headers={**CALL_HEADERS, "Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    text = response.text
    return dict(
        json.loads(text.split("data: ", 1)[1].split("\n", 1)[0] if text.startswith("event:") else text)["result"]
    )


async def test_a_confirmation_started_on_one_replica_completes_on_the_other() -> None:
    with cluster() as c:
        priya = (await _tokens_from(c, c.replicas[0], API_KEYS[DEVELOPER_ID]))["access_token"]
        jordan = (await _tokens_from(c, c.replicas[1], API_KEYS[DESIGNER_ID]))["access_token"]
        async with httpx2.AsyncClient(timeout=30) as http:
            mine = await http.get(
                f"{c.sandbox.url}/workspaces/{WORKSPACE_ID}/user/{DEVELOPER_ID}/time-entries",
                params={"page-size": "3", "in-progress": "false"},
                headers={"X-Api-Key": API_KEYS[DEVELOPER_ID]},
            )
            entry = mine.json()[0]["id"]
            args = {"workspaceId": WORKSPACE_ID, "id": entry}
            tool = "clockify_time_tracking_delete_entry"
            preview = await _call(http, c.replicas[0].url, priya, tool, args)
            found = re.search(r'confirm: "([^"]+)"', preview["content"][0]["text"] + preview["content"][-1]["text"])
            assert found, preview
            # another user cannot use Priya's confirmation, on any replica
            stolen = await _call(http, c.replicas[1].url, jordan, tool, {**args, "confirm": found[1]})
            assert stolen.get("isError")
            done = await _call(http, c.replicas[1].url, priya, tool, {**args, "confirm": found[1]})
            assert not done.get("isError"), done
            after = await http.get(
                f"{c.sandbox.url}/workspaces/{WORKSPACE_ID}/time-entries/{entry}",
                headers={"X-Api-Key": API_KEYS[DEVELOPER_ID]},
            )
    assert after.status_code in (400, 404)  # gone
