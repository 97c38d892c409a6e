"""Every form post of the portal and the console needs the page's CSRF token, else a 403 page."""

from __future__ import annotations

import re

import httpx
import pytest

from broker.identity.principal import Role
from tests.integration.api.conftest import bearer, token

_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


async def _signed_in(client: httpx.AsyncClient, area: str, code: str) -> str:
    """Sign in through the ``area``'s form; the token of the first signed-in page."""
    page = await client.get(f"/{area}/sign-in")
    found = _FIELD.search(page.text)
    assert found is not None
    signed = await client.post(
        f"/{area}/sign-in", data={"token": code, "csrf_token": found.group(1)}
    )
    assert signed.status_code == 303
    landing = await client.get(
        f"/{area}" + ("/subject-access-requests" if area == "portal" else "")
    )
    found = _FIELD.search(landing.text)
    assert found is not None
    return found.group(1)


async def test_subject_access_request_needs_the_token(client: httpx.AsyncClient) -> None:
    """The SAR form is refused with a clear 403 page without or with a wrong token."""
    good = await _signed_in(client, "portal", token(Role.SUPERVISEE, "subj-a"))
    form = "/portal/subject-access-requests"
    missing = await client.post(form, data={})
    assert missing.status_code == 403
    assert "This form has expired" in missing.text
    wrong = await client.post(form, data={"csrf_token": good[:-2] + "xx"})
    assert wrong.status_code == 403
    assert (await client.get(form)).text.count("<tbody") == 0, "nothing was requested"
    made = await client.post(form, data={"csrf_token": good})
    assert made.status_code == 303
    assert "<tbody" in (await client.get(form)).text


async def test_refusal_page_is_in_welsh_for_welsh_readers(client: httpx.AsyncClient) -> None:
    """A refused form says so in Welsh when the reader chose Welsh."""
    refused = await client.post("/portal/sign-in?lang=cy", data={"token": "x"})
    assert refused.status_code == 403
    assert "ffurflen hon wedi dod i ben" in refused.text
    assert 'lang="cy"' in refused.text


async def test_token_of_another_session_is_refused(client: httpx.AsyncClient) -> None:
    """A token taken from one DPO's session does not work in another DPO's session."""
    police = await _signed_in(client, "console", token(Role.DPO, agency="gwent-police"))
    other = httpx.AsyncClient(transport=client._transport, base_url="http://api.test")
    async with other:
        await _signed_in(other, "console", token(Role.DPO, agency="gdas"))
        stolen = await other.post("/console/sign-out", data={"csrf_token": police})
        assert stolen.status_code == 403
    out = await client.post("/console/sign-out", data={"csrf_token": police})
    assert out.status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/console/sign-in",
        "/console/sign-out",
        "/console/agreements/wales-iom-baseline/edit",
        "/console/agreements/wales-iom-baseline/check",
        "/console/proposals/00000000-0000-4000-8000-000000000000/approve",
        "/portal/sign-in",
        "/portal/sign-out",
        "/portal/subject-access-requests",
    ],
)
async def test_every_form_post_is_checked(client: httpx.AsyncClient, path: str) -> None:
    """A signed-in browser's post without a token never reaches the route."""
    await _signed_in(client, "console", token(Role.DPO, agency="gdas"))
    await _signed_in(client, "portal", token(Role.SUPERVISEE, "subj-a"))
    refused = await client.post(path, data={"text": "x", "token": "y"})
    assert refused.status_code == 403
    assert "This form has expired" in refused.text


async def test_live_validation_takes_the_token_as_a_header(client: httpx.AsyncClient) -> None:
    """The editor's script sends the token in X-CSRF-Token; without it the check is refused."""
    good = await _signed_in(client, "console", token(Role.DPO, agency="gdas"))
    check = "/console/agreements/gwent-gdas-treatment-dda/check"
    body = {"text": "agreement: [broken"}
    assert (await client.post(check, data=body)).status_code == 403
    answered = await client.post(check, data=body, headers={"X-CSRF-Token": good})
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
