"""The sign-in page in a real headless browser (Debian's chromium): a person pastes a key, picks a region,
sees the workspace, continues to the client; a page on another site cannot post the form for them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx2
import pytest

from browser import Browser, chromium_or_skip
from mcp_server_clockify.sandbox import API_KEYS, DESIGNER_ID
from oauth_flow import CALLBACK, Flow, Hosted, mcp_status, oauth_server, pkce

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium_or_skip()
    opened = Browser()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def hosted() -> Iterator[Hosted]:
    with oauth_server() as running:
        yield running


async def _authorize_url(hosted: Hosted, challenge: str) -> tuple[str, str]:
    async with httpx2.AsyncClient() as http:
        client = await Flow(hosted, http).register()
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": CALLBACK,
        "state": "browser-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": hosted.mcp,
    }
    return client["client_id"], f"{hosted.base}/authorize?{urlencode(query)}"


def _fill(key: str) -> str:
    return (
        f"document.querySelector('#api_key').value = {json.dumps(key)};"
        "document.querySelector('#region').value = 'configured';"
        "document.querySelector('button[type=submit]').click();"
    )


async def test_a_person_signs_in_in_chromium_and_the_client_gets_a_working_token(
    browser: Browser, hosted: Hosted
) -> None:
    verifier, challenge = pkce()
    client_id, url = await _authorize_url(hosted, challenge)
    browser.goto(url)
    assert "Sign in to Clockify" in browser.text()
    assert browser.run("document.querySelector('#api_key').type") == "password"
    assert browser.run("document.scripts.length") == 0  # no JavaScript on the page
    browser.run(_fill("not-a-key-" + "q" * 20), navigates=True)
    assert "did not accept this API key" in browser.text()
    assert "not-a-key-" not in browser.run("document.documentElement.outerHTML")  # not echoed back
    browser.run(_fill(API_KEYS[DESIGNER_ID]), navigates=True)
    shown = browser.text()
    assert "Jordan Lee" in shown and "Sandbox Workspace (demo data)" in shown
    target = browser.run("document.querySelector('#continue').href")
    assert API_KEYS[DESIGNER_ID] not in target and API_KEYS[DESIGNER_ID] not in shown
    query = parse_qs(urlsplit(target).query)
    assert target.startswith(CALLBACK) and query["state"] == ["browser-state"]
    async with httpx2.AsyncClient() as http:
        tokens = await Flow(hosted, http).token(
            grant_type="authorization_code",
            code=query["code"][0],
            redirect_uri=CALLBACK,
            client_id=client_id,
            code_verifier=verifier,
        )
    assert tokens.status_code == 200
    assert await mcp_status(hosted, tokens.json()["access_token"]) == 200
    assert API_KEYS[DESIGNER_ID] not in "".join(hosted.server.stderr)


async def test_another_site_cannot_post_the_signin_form(browser: Browser, hosted: Hosted) -> None:
    _, url = await _authorize_url(hosted, pkce()[1])
    browser.goto(url)  # the victim has the sign-in page open (and its cookie)
    sealed = browser.run("document.querySelector('input[name=request]').value")
    before = hosted.clockify_requests()
    forged = (
        f"<form method='post' action='{hosted.base}/signin'>"
        f"<input name='request' value='{sealed}'><input name='api_key' value='{API_KEYS[DESIGNER_ID]}'>"
        "<input name='region' value='configured'></form><script>document.forms[0].submit()</script>"
    )
    browser.goto("data:text/html," + quote(forged))
    assert "missing or wrong CSRF token" in browser.wait_for_text("Sign-in refused")
    assert hosted.clockify_requests() == before
