"""Every form post of the portal and the console needs the page's CSRF token, else a 403 page;
the OpenID Connect sign-in (all GETs) passes the check and rebinds the token to the new session."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.server.app import create_app
from tests.support.api_callers import bearer
from tests.unit.identity.dev_sign_in_setup import (
    URL,
    IssuerUnderTest,
    pick,
    signing_in_through,
)

_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_SITE = "https://portal.test"
"""Where the browser reaches the app (the issuer has its callbacks registered)."""


@pytest.fixture
def signing_in_context(context: ApiContext, idp: IssuerUnderTest) -> ApiContext:
    """The app's context, trusting the development issuer and signing in through it."""
    return signing_in_through(context, idp)


def _browser(context: ApiContext) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(context)), base_url=_SITE)


@pytest.fixture
async def browser(signing_in_context: ApiContext) -> AsyncIterator[httpx.AsyncClient]:
    """A browser (cookie jar) on the app over HTTPS."""
    async with _browser(signing_in_context) as http:
        yield http


async def _sign_in(browser: httpx.AsyncClient, idp: IssuerUnderTest, area: str, user: str) -> str:
    """Sign in to ``area`` as ``user`` through the issuer's page; the first page's token."""
    start = await browser.get(f"/{area}/sign-in/start")
    assert start.status_code == 303
    chosen = await pick(idp.http, start.headers["location"].removeprefix(URL), user)
    callback = chosen.headers["location"]
    assert callback.startswith(f"{_SITE}/{area}/signed-in?")
    assert (await browser.get(callback)).status_code == 200
    landing = await browser.get(
        f"/{area}" + ("/subject-access-requests" if area == "portal" else "")
    )
    assert landing.status_code == 200
    found = _FIELD.search(landing.text)
    assert found is not None
    return found.group(1)


async def test_subject_access_request_needs_the_token(
    browser: httpx.AsyncClient, idp: IssuerUnderTest
) -> None:
    """After signing in, the SAR form is refused with a 403 page without or with a wrong token
    and accepted with the page's token."""
    good = await _sign_in(browser, idp, "portal", "supervisee:subj-a")
    form = "/portal/subject-access-requests"
    missing = await browser.post(form, data={})
    assert missing.status_code == 403
    assert "This form has expired" in missing.text
    wrong = await browser.post(form, data={"csrf_token": good[:-2] + "xx"})
    assert wrong.status_code == 403
    assert (await browser.get(form)).text.count("<tbody") == 0, "nothing was requested"
    made = await browser.post(form, data={"csrf_token": good})
    assert made.status_code == 303
    assert "<tbody" in (await browser.get(form)).text


async def test_refusal_page_is_in_welsh_for_welsh_readers(client: httpx.AsyncClient) -> None:
    """A refused form says so in Welsh when the reader chose Welsh."""
    refused = await client.post("/portal/sign-out?lang=cy", data={"x": "y"})
    assert refused.status_code == 403
    assert "ffurflen hon wedi dod i ben" in refused.text
    assert 'lang="cy"' in refused.text


async def test_token_of_another_session_is_refused(
    browser: httpx.AsyncClient, idp: IssuerUnderTest, signing_in_context: ApiContext
) -> None:
    """A token taken from one DPO's session does not work in another DPO's session."""
    police = await _sign_in(browser, idp, "console", "dpo:gwent-police")
    async with _browser(signing_in_context) as other:
        await _sign_in(other, idp, "console", "dpo:gdas")
        stolen = await other.post("/console/sign-out", data={"csrf_token": police})
        assert stolen.status_code == 403
    out = await browser.post("/console/sign-out", data={"csrf_token": police})
    assert out.status_code == 303


async def test_signing_in_again_retires_the_old_token(
    browser: httpx.AsyncClient, idp: IssuerUnderTest
) -> None:
    """A new sign-in in the same browser gives its pages a token that works, and a form left
    open from the session before is refused."""
    before = await _sign_in(browser, idp, "console", "dpo:gwent-police")
    after = await _sign_in(browser, idp, "console", "dpo:gdas")
    assert after != before
    stale = await browser.post("/console/sign-out", data={"csrf_token": before})
    assert stale.status_code == 403
    assert "Sharing agreements" in (await browser.get("/console")).text, "still signed in"
    out = await browser.post("/console/sign-out", data={"csrf_token": after})
    assert out.status_code == 303
    assert out.headers["location"] == "/console/sign-in"


@pytest.mark.parametrize(
    "path",
    [
        "/console/sign-out",
        "/console/agreements/wales-iom-baseline/edit",
        "/console/agreements/wales-iom-baseline/check",
        "/console/proposals/00000000-0000-4000-8000-000000000000/approve",
        "/console/signed-in",
        "/console/proposals/00000000-0000-4000-8000-000000000000/activate",
        "/console/proposals/00000000-0000-4000-8000-000000000000/schedule",
        "/console/proposals/00000000-0000-4000-8000-000000000000/cancel-activation",
        "/console/proposals/00000000-0000-4000-8000-000000000000/withdraw",
        "/console/agreements/wales-iom-baseline/rules/x/change",
        "/portal/sign-out",
        "/portal/subject-access-requests",
        "/portal/signed-in",
    ],
)
async def test_every_form_post_is_checked(
    browser: httpx.AsyncClient, idp: IssuerUnderTest, path: str
) -> None:
    """A signed-in browser's post without a token never reaches the route."""
    await _sign_in(browser, idp, "console", "dpo:gdas")
    await _sign_in(browser, idp, "portal", "supervisee:subj-a")
    refused = await browser.post(path, data={"text": "x", "token": "y"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text


async def test_live_validation_takes_the_token_as_a_header(
    browser: httpx.AsyncClient, idp: IssuerUnderTest
) -> None:
    """The editor's script sends the token in X-CSRF-Token; without it the check is refused."""
    good = await _sign_in(browser, idp, "console", "dpo:gdas")
    check = "/console/agreements/gwent-gdas-treatment-dda/check"
    body = {"text": "agreement: [broken"}
    assert (await browser.post(check, data=body)).status_code == 403
    answered = await browser.post(check, data=body, headers={"X-CSRF-Token": good})
    assert answered.status_code == 200
    problems = answered.json()["problems"]
    assert problems and problems[0].startswith("policies/agreements/gwent-gdas-treatment-dda.yaml:")


async def test_bearer_api_routes_need_no_token(client: httpx.AsyncClient) -> None:
    """The JSON API (bearer tokens, no cookies) is not a form and is not CSRF-checked."""
    made = await client.post(
        "/policies/proposals",
        json={"files": {"agreements/x.yaml": None}},
        headers=bearer(Role.DPO, agency="gdas"),
    )
    assert made.status_code in (201, 422)
    assert made.headers["content-type"].startswith("application/")
    assert "This form has expired" not in made.text
