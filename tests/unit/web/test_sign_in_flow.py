"""The front ends' relying party against the development issuer, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from broker.identity.jwks_source import StaticKeySource
from broker.identity.sign_in_flow import RelyingParty, SignInFailed
from broker.identity.token_validator import TokenValidator
from tests.unit.identity.dev_sign_in_setup import (
    CONSOLE_CALLBACK,
    PORTAL_CALLBACK,
    URL,
    IssuerUnderTest,
    issuer_under_test,
    pick,
    query_of,
    relying_party,
)
from tests.unit.identity.keys import agencies


@pytest.fixture
async def idp(tmp_path: Path) -> AsyncIterator[IssuerUnderTest]:
    """A fresh issuer with its sign-in page."""
    found = issuer_under_test(tmp_path)
    yield found
    await found.http.aclose()


@pytest.fixture
def party(idp: IssuerUnderTest) -> RelyingParty:
    """The front ends' client, reaching the issuer's token endpoint in-process."""
    return relying_party(idp)


async def _callback(
    idp: IssuerUnderTest, party: RelyingParty, user: str = "supervisee:subj-a"
) -> tuple[str, dict[str, str]]:
    url, state = party.begin(PORTAL_CALLBACK, "portal", "en")
    answer = await pick(idp.http, url.removeprefix(URL), user)
    return state, query_of(answer.headers["location"])


def _access_principal(idp: IssuerUnderTest, token: str) -> object:
    keys = StaticKeySource(idp.issuer.jwks())
    validator = TokenValidator(issuer=URL, audience="iom-broker", keys=keys, agencies=agencies())
    return validator.validate(token)


async def test_sign_in_returns_the_picked_persons_access_token(
    idp: IssuerUnderTest, party: RelyingParty
) -> None:
    """A completed flow yields an access token the API's validator accepts for that person."""
    state, back = await _callback(idp, party)

    signed = await party.finish(
        "portal", state=back["state"], expected_state=state, code=back["code"]
    )

    principal = _access_principal(idp, signed.tokens.access_token)
    assert getattr(principal, "subject_ref", None) == "subj-a"
    assert signed.subject == "dev-supervisee"
    assert signed.tokens.id_token is not None, "kept for RP-initiated logout"


async def test_authorization_url_asks_for_pkce_s256_state_and_nonce(party: RelyingParty) -> None:
    """The browser is sent with response_type=code, S256 challenge, state and nonce."""
    url, state = party.begin(PORTAL_CALLBACK, "portal", "cy")

    asked = query_of(url)
    assert asked["response_type"] == "code" and asked["code_challenge_method"] == "S256"
    assert asked["state"] == state and len(asked["nonce"]) >= 32
    assert asked["redirect_uri"] == PORTAL_CALLBACK and asked["ui_locales"] == "cy"
    assert len(asked["code_challenge"]) == 43


async def test_state_mismatch_is_refused(idp: IssuerUnderTest, party: RelyingParty) -> None:
    """A callback whose state is not the browser's own (login CSRF) is refused."""
    _, back = await _callback(idp, party)

    with pytest.raises(SignInFailed, match="state_mismatch"):
        await party.finish("portal", state=back["state"], expected_state="other", code=back["code"])


async def test_callback_without_cookie_is_refused(
    idp: IssuerUnderTest, party: RelyingParty
) -> None:
    """A callback arriving in a browser that did not start the sign-in is refused."""
    _, back = await _callback(idp, party)

    with pytest.raises(SignInFailed, match="state_mismatch"):
        await party.finish("portal", state=back["state"], expected_state=None, code=back["code"])


async def test_replayed_callback_is_refused(idp: IssuerUnderTest, party: RelyingParty) -> None:
    """The same callback cannot complete a sign-in twice."""
    state, back = await _callback(idp, party)
    await party.finish("portal", state=back["state"], expected_state=state, code=back["code"])

    with pytest.raises(SignInFailed, match="unknown_or_expired_state"):
        await party.finish("portal", state=back["state"], expected_state=state, code=back["code"])


async def test_code_from_another_sign_in_fails_pkce(
    idp: IssuerUnderTest, party: RelyingParty
) -> None:
    """A code injected into a different pending sign-in fails PKCE at the token endpoint."""
    _, mine = party.begin(PORTAL_CALLBACK, "portal", "en")
    _, stolen = await _callback(idp, party)

    with pytest.raises(SignInFailed, match="code_refused"):
        await party.finish("portal", state=mine, expected_state=mine, code=stolen["code"])


async def test_portal_state_does_not_open_the_console(
    idp: IssuerUnderTest, party: RelyingParty
) -> None:
    """A sign-in started for the portal cannot be finished on the console's callback."""
    state, back = await _callback(idp, party)

    with pytest.raises(SignInFailed, match="unknown_or_expired_state"):
        await party.finish("console", state=back["state"], expected_state=state, code=back["code"])


async def test_idp_error_is_refused(party: RelyingParty) -> None:
    """An error answer from the IdP ends the sign-in without a session."""
    _, state = party.begin(CONSOLE_CALLBACK, "console", "en")

    with pytest.raises(SignInFailed, match="idp_refused"):
        await party.finish(
            "console", state=state, expected_state=state, code=None, error="access_denied"
        )


async def test_the_refresh_token_renews_once_and_rotates(
    idp: IssuerUnderTest, party: RelyingParty
) -> None:
    """The sign-in's refresh token gets a new access token for the same person and a new
    refresh token at the issuer's token endpoint; the used one is refused afterwards."""
    state, back = await _callback(idp, party)
    signed = await party.finish(
        "portal", state=back["state"], expected_state=state, code=back["code"]
    )
    assert signed.tokens.refresh_token is not None

    renewed = await party.refresh(signed.tokens)

    assert renewed.refresh_token not in (None, signed.tokens.refresh_token)
    assert renewed.id_token == signed.tokens.id_token, "kept for logout"
    principal = _access_principal(idp, renewed.access_token)
    assert getattr(principal, "subject_ref", None) == "subj-a"
    with pytest.raises(SignInFailed, match="refresh_refused"):
        await party.refresh(signed.tokens)
