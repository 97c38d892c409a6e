"""Token hygiene: long-lived tokens and subject references that could forge text are refused."""

from __future__ import annotations

import time
from typing import Any

import pytest

from broker.devtools.identity.signing_keys import public_jwks
from broker.domain.subject_ref_syntax import is_subject_ref
from broker.identity.claims import ClaimsError, principal_from_claims
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Principal, PrincipalError, Role
from broker.identity.token_validator import TokenRejected, TokenValidator
from broker.settings import ClaimMapping, IdentitySettings
from tests.identity_attacks import claims_for, sign
from tests.unit.identity.keys import AUDIENCE, ISSUER, agencies, issuer_key, validator

HOUR = 3600
YEAR = 365 * 24 * HOUR
BAD_REFS = {
    "newline": "subj-a\nforged log line",
    "trailing newline": "subj-a\n",
    "carriage return": "subj-a\r",
    "nul": "subj-\x00a",
    "right-to-left override": "subj-\u202ea",
    "left-to-right isolate": "\u2066subj-a",
    "arabic letter mark": "subj-a\u061c",
    "space": "subj a",
    "non-ASCII letter": "subj-å",
    "empty": "",
    "leading dash": "-subj-a",
    "too long": "s" * 129,
}
GOOD_REFS = ["subj-0123456789abcdef0123456789abcdef", "subj-a", "S1", "x:y.z_w-1", "s" * 128]


def _agency_token(**extra: Any) -> str:
    claims = claims_for(
        ISSUER,
        AUDIENCE,
        "gwent-police-adapter",
        iom_role="agency_system",
        iom_agency="gwent-police",
        **extra,
    )
    return sign(claims, issuer_key())


def _supervisee_token(subject_ref: str) -> str:
    claims = claims_for(
        ISSUER, AUDIENCE, "person-1", iom_role="supervisee", iom_subject_ref=subject_ref
    )
    return sign(claims, issuer_key())


def test_a_hundred_year_token_is_refused() -> None:
    """A correctly signed, current token that expires in 100 years is refused as too long-lived."""
    now = int(time.time())
    token = _agency_token(iat=now, nbf=now, exp=now + 100 * YEAR)

    with pytest.raises(TokenRejected) as refused:
        validator().validate(token)

    assert refused.value.reason == "lifetime_too_long"
    assert token.split(".")[1] not in str(refused.value)


def test_a_token_of_exactly_the_maximum_lifetime_is_accepted() -> None:
    """A one-hour token (the default maximum) is accepted; one second more is refused."""
    now = int(time.time())
    accepted = _agency_token(iat=now, nbf=now, exp=now + HOUR)
    refused = _agency_token(iat=now, nbf=now, exp=now + HOUR + 1)

    assert validator().validate(accepted).agency == "gwent-police"
    with pytest.raises(TokenRejected, match="lifetime_too_long"):
        validator().validate(refused)


def test_the_maximum_lifetime_is_configurable() -> None:
    """A deployment whose IdP issues 90-minute tokens can raise the maximum to accept them."""
    now = int(time.time())
    token = _agency_token(iat=now, nbf=now, exp=now + 90 * 60)

    with pytest.raises(TokenRejected, match="lifetime_too_long"):
        validator().validate(token)
    assert validator(max_lifetime_s=2 * HOUR).validate(token).agency == "gwent-police"


def test_the_setting_defaults_to_one_hour_and_reaches_the_validator() -> None:
    """identity.max_token_lifetime_seconds is 3600 by default and the validator built from the
    settings enforces the configured value."""
    assert IdentitySettings().max_token_lifetime_seconds == HOUR
    now = int(time.time())
    token = _agency_token(iat=now, nbf=now, exp=now + 20 * 60)
    keys = StaticKeySource(public_jwks([issuer_key()]))
    strict = IdentitySettings(issuer=ISSUER, audience=AUDIENCE, max_token_lifetime_seconds=600)

    checker = TokenValidator.from_settings(strict, keys, agencies())

    with pytest.raises(TokenRejected, match="lifetime_too_long"):
        checker.validate(token)


def test_a_token_without_iat_is_refused() -> None:
    """Without iat a token's lifetime cannot be known, so it is refused naming the claim."""
    claims = claims_for(
        ISSUER,
        AUDIENCE,
        "gwent-police-adapter",
        iom_role="agency_system",
        iom_agency="gwent-police",
    )
    del claims["iat"]

    with pytest.raises(TokenRejected, match=r"missing_claim.*'iat'"):
        validator().validate(sign(claims, issuer_key()))


def test_a_backdated_iat_cannot_stretch_an_expired_window() -> None:
    """An iat two hours back with exp one hour ahead is a three-hour token: refused."""
    now = int(time.time())
    token = _agency_token(iat=now - 2 * HOUR, nbf=now - 2 * HOUR, exp=now + HOUR)

    with pytest.raises(TokenRejected, match="lifetime_too_long"):
        validator().validate(token)


@pytest.mark.parametrize("ref", GOOD_REFS)
def test_real_subject_references_are_accepted(ref: str) -> None:
    """The broker's own subj-<hex> references and short test references fit the character set."""
    assert is_subject_ref(ref)
    assert validator().validate(_supervisee_token(ref)).may_see_subject(ref)


@pytest.mark.parametrize("name", sorted(BAD_REFS))
def test_hostile_subject_references_do_not_fit_the_character_set(name: str) -> None:
    """Control, newline, bidirectional and non-ASCII characters (and empty, over-long or
    dash-first references) are outside the documented character set."""
    assert not is_subject_ref(BAD_REFS[name])


@pytest.mark.parametrize("name", sorted(set(BAD_REFS) - {"empty"}))
def test_a_token_with_a_hostile_subject_reference_is_refused(name: str) -> None:
    """A supervisee token whose subject reference is outside the character set is refused with
    a reason that does not repeat the reference."""
    ref = BAD_REFS[name]
    with pytest.raises(TokenRejected) as refused:
        validator().validate(_supervisee_token(ref))

    assert refused.value.reason == "invalid_subject_ref"
    assert ref not in str(refused.value)


def test_the_claim_mapping_names_the_refused_claim() -> None:
    """With a custom subject claim, the refusal names that claim (not the value)."""
    mapping = ClaimMapping(subject_ref_claim="person_ref")
    claims = {"sub": "p1", "iom_role": "supervisee", "person_ref": "subj-\u202ea"}

    with pytest.raises(ClaimsError, match="'person_ref'") as refused:
        principal_from_claims(claims, mapping)

    assert refused.value.reason == "invalid_subject_ref"
    assert "\u202e" not in str(refused.value)


def test_a_principal_cannot_be_built_with_a_hostile_subject_reference() -> None:
    """Every way of making a supervisee principal (tokens, dev users) checks the reference."""
    with pytest.raises(PrincipalError, match="subject reference must be"):
        Principal("p1", Role.SUPERVISEE, subject_ref="subj-a\nx")
