"""The development issuer's sign-in page: authorization code with PKCE, strict redirects."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from broker.devtools.identity.dev_issuer import CLIENT_ASSERTION_TYPE, DEV_ACR
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Role
from broker.identity.token_client import client_assertion, load_client_key
from broker.identity.token_validator import TokenValidator
from tests.unit.identity.dev_sign_in_setup import (
    PORTAL_CALLBACK,
    URL,
    VERIFIER,
    WEB_CLIENT,
    IssuerUnderTest,
    authorize_params,
    issuer_under_test,
    pick,
    query_of,
)
from tests.unit.identity.keys import agencies


@pytest.fixture
async def idp(tmp_path: Path) -> AsyncIterator[IssuerUnderTest]:
    """A fresh issuer with its sign-in page."""
    found = issuer_under_test(tmp_path)
    yield found
    await found.http.aclose()


def _authorize(**overrides: str) -> str:
    return "/authorize?" + urlencode(authorize_params(**overrides))


async def _code(idp: IssuerUnderTest, user: str = "supervisee:subj-a", **overrides: str) -> str:
    answer = await pick(idp.http, _authorize(**overrides), user)
    assert answer.status_code == 303, answer.text
    return query_of(answer.headers["location"])["code"]


def _exchange_form(idp: IssuerUnderTest, code: str, **overrides: str) -> dict[str, str]:
    key = load_client_key(idp.web_key_file)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": PORTAL_CALLBACK,
        "code_verifier": VERIFIER,
        "client_id": WEB_CLIENT,
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": client_assertion(WEB_CLIENT, f"{URL}/token", key, _now()),
    }
    form.update(overrides)
    return form


def _now() -> float:
    return time.time()


def _claims(token: str, idp: IssuerUnderTest) -> dict[str, Any]:
    keys = KeySet.import_key_set(idp.issuer.jwks())  # type: ignore[arg-type]
    return dict(jwt.decode(token, keys).claims)


async def test_page_lists_dev_users_and_says_development_only(idp: IssuerUnderTest) -> None:
    """The page offers the listed supervisee and every agency's DPO, marked development-only."""
    page = await idp.http.get(_authorize())

    assert page.status_code == 200
    assert "DEVELOPMENT ONLY" in page.text
    assert "Test person A" in page.text
    assert "Data protection officer, Gwent Police" in page.text
    assert page.headers["x-frame-options"] == "DENY"


async def test_page_speaks_welsh_when_asked(idp: IssuerUnderTest) -> None:
    """``ui_locales=cy`` gives the Welsh page."""
    page = await idp.http.get(_authorize(ui_locales="cy"))

    assert '<html lang="cy">' in page.text
    assert "DATBLYGU YN UNIG" in page.text
    assert "Swyddog diogelu data, Heddlu Gwent" in page.text


async def test_code_flow_gives_the_dev_token_claims_and_an_id_token(
    idp: IssuerUnderTest,
) -> None:
    """Picking a supervisee yields an access token like ``dev token --supervisee`` and an ID
    token for the web client carrying the nonce and the development-only acr."""
    answer = await pick(idp.http, _authorize(), "supervisee:subj-a")
    redirect = query_of(answer.headers["location"])
    assert answer.headers["location"].startswith(PORTAL_CALLBACK + "?")
    assert redirect["state"] == "state-123"

    tokens = (await idp.http.post("/token", data=_exchange_form(idp, redirect["code"]))).json()

    validator = TokenValidator(
        issuer=URL,
        audience="iom-broker",
        keys=StaticKeySource(idp.issuer.jwks()),
        agencies=agencies(),
    )
    principal = validator.validate(tokens["access_token"])
    assert (principal.subject, principal.role, principal.subject_ref) == (
        "dev-supervisee",
        Role.SUPERVISEE,
        "subj-a",
    )
    id_claims = _claims(tokens["id_token"], idp)
    assert id_claims["aud"] == WEB_CLIENT and id_claims["nonce"] == "nonce-456"
    assert id_claims["acr"] == DEV_ACR and id_claims["sub"] == "dev-supervisee"


async def test_dpo_sign_in_names_the_agency(idp: IssuerUnderTest) -> None:
    """Picking a DPO yields a DPO access token of that agency."""
    code = await _code(idp, "dpo:probation-wales")

    tokens = (await idp.http.post("/token", data=_exchange_form(idp, code))).json()

    claims = _claims(tokens["access_token"], idp)
    assert (claims["iom_role"], claims["iom_agency"], claims["sub"]) == (
        "dpo",
        "probation-wales",
        "dev-dpo-probation-wales",
    )


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.test/portal/signed-in",
        PORTAL_CALLBACK + "/../../evil",
        PORTAL_CALLBACK + "?next=https://evil.test",
        PORTAL_CALLBACK.upper(),
        "",
    ],
)
async def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(
    idp: IssuerUnderTest, redirect_uri: str
) -> None:
    """A redirect URI that is not registered exactly is refused on the page itself."""
    page = await idp.http.get(_authorize(redirect_uri=redirect_uri))

    assert page.status_code == 400
    assert "location" not in page.headers
    assert "redirect_uri is not registered" in page.text
    assert "evil" not in page.text


async def test_unknown_client_gets_an_error_page(idp: IssuerUnderTest) -> None:
    """An agency's system client cannot use the sign-in page."""
    page = await idp.http.get(_authorize(client_id="gwent-police-adapter"))

    assert page.status_code == 400 and "location" not in page.headers


@pytest.mark.parametrize(
    ("override", "described"),
    [
        ({"code_challenge_method": "plain"}, "S256"),
        ({"code_challenge": ""}, "code_challenge"),
        ({"nonce": ""}, "nonce"),
        ({"state": ""}, "state"),
        ({"response_type": "token"}, "response_type"),
        ({"scope": "profile"}, "openid"),
    ],
)
async def test_bad_requests_return_to_the_client_with_an_error(
    idp: IssuerUnderTest, override: dict[str, str], described: str
) -> None:
    """Without PKCE S256, state, nonce, code flow or openid, the client gets an error back."""
    answer = await idp.http.get(_authorize(**override))

    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith(PORTAL_CALLBACK + "?")
    error = query_of(location)
    assert "code" not in error and error["error"] and described in error["error_description"]


async def test_no_user_chosen_asks_again(idp: IssuerUnderTest) -> None:
    """Submitting without choosing a person shows the page again with an error."""
    answer = await pick(idp.http, _authorize(), "")

    assert answer.status_code == 400
    assert "Choose a person" in answer.text


async def test_wrong_code_verifier_is_refused(idp: IssuerUnderTest) -> None:
    """PKCE: a verifier that does not hash to the challenge gets no tokens."""
    code = await _code(idp)

    answer = await idp.http.post("/token", data=_exchange_form(idp, code, code_verifier="w" * 50))

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "access_token" not in answer.json()


async def test_a_code_works_once(idp: IssuerUnderTest) -> None:
    """A code exchanged once is refused the second time."""
    code = await _code(idp)
    first = await idp.http.post("/token", data=_exchange_form(idp, code))
    assert first.status_code == 200

    again = await idp.http.post("/token", data=_exchange_form(idp, code))

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


async def test_code_for_another_redirect_uri_is_refused(idp: IssuerUnderTest) -> None:
    """The token request must repeat the exact redirect URI of the authorization."""
    code = await _code(idp)

    answer = await idp.http.post(
        "/token", data=_exchange_form(idp, code, redirect_uri="https://portal.test/other")
    )

    assert answer.json()["error"] == "invalid_grant"


async def test_code_needs_the_web_clients_own_authentication(idp: IssuerUnderTest) -> None:
    """Another client (an agency's) cannot redeem the web client's code."""
    code = await _code(idp)
    form = _exchange_form(idp, code)
    form.pop("client_assertion")
    form.pop("client_assertion_type")
    form.pop("client_id")

    unauthenticated = await idp.http.post("/token", data=form)

    assert unauthenticated.status_code == 401


async def test_web_client_cannot_use_client_credentials(idp: IssuerUnderTest) -> None:
    """The front ends' client gets no token of its own with client credentials."""
    form = _exchange_form(idp, "unused", grant_type="client_credentials")

    answer = await idp.http.post("/token", data=form)

    assert answer.json()["error"] == "unauthorized_client"
