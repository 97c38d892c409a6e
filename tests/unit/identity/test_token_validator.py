"""The token validator refuses every hostile token with a stable reason and never echoes it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from broker.devtools.identity.signing_keys import public_jwks
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Role
from broker.identity.token_validator import TokenRejected
from broker.settings import ClaimMapping
from tests.identity_attacks import ATTACKS, claims_for, sign
from tests.unit.identity.keys import AUDIENCE, ISSUER, issuer_key, validator

AGENCY_CLAIMS = {"iom_role": "agency_system", "iom_agency": "gwent-police"}
EXPECTED_REASON = {
    "forged": "bad_signature",
    "expired": "expired",
    "wrong_audience": "wrong_audience",
    "wrong_issuer": "wrong_issuer",
    "alg_none": "algorithm_not_allowed",
    "unknown_kid": "unknown_kid",
    "hmac_with_public_key": "algorithm_not_allowed",
}


def _claims(**extra: Any) -> dict[str, Any]:
    return claims_for(ISSUER, AUDIENCE, "gwent-police-adapter", **{**AGENCY_CLAIMS, **extra})


def test_valid_agency_token_gives_the_agency_principal() -> None:
    """A current token signed by the issuer for our audience names the agency system."""
    principal = validator().validate(sign(_claims(), issuer_key()))

    assert principal.role is Role.AGENCY_SYSTEM
    assert principal.agency == "gwent-police"
    assert principal.kafka_principal == "User:gwent-police-adapter"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_hostile_tokens_are_refused_with_their_reason(attack: str) -> None:
    """Forged, expired, wrong-audience, wrong-issuer, alg=none, unknown-kid and HMAC-confusion
    tokens are each refused with a reason naming the attack."""
    token = ATTACKS[attack](issuer_key(), _claims())

    with pytest.raises(TokenRejected) as refused:
        validator().validate(token)

    assert refused.value.reason == EXPECTED_REASON[attack]
    assert token not in str(refused.value)
    assert token.split(".")[1] not in str(refused.value)


def test_token_not_yet_valid_is_refused() -> None:
    """A token whose nbf lies beyond the leeway is refused."""
    token = sign(_claims(nbf=int(time.time()) + 600), issuer_key())

    with pytest.raises(TokenRejected, match="not_yet_valid"):
        validator().validate(token)


def test_token_without_expiry_is_refused() -> None:
    """A token must carry exp; one without is refused naming the claim."""
    claims = _claims()
    del claims["exp"]

    with pytest.raises(TokenRejected, match=r"missing_claim.*'exp'"):
        validator().validate(sign(claims, issuer_key()))


def test_small_clock_skew_is_tolerated() -> None:
    """A token that expired within the leeway (30 s) is still accepted."""
    claims = _claims(exp=int(time.time()) - 10)

    assert validator().validate(sign(claims, issuer_key())).subject == "gwent-police-adapter"


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", "x" * 20000])
def test_garbage_is_refused_as_malformed(token: str) -> None:
    """Strings that are not compact JWS tokens are refused before any key is looked up."""
    with pytest.raises(TokenRejected, match="malformed"):
        validator().validate(token)


def test_a_rotated_issuer_key_is_picked_up_on_refresh() -> None:
    """A token signed with a key the issuer published after our cache was filled validates,
    because an unknown kid triggers one refresh of the key set."""
    new_key = RSAKey.generate_key(2048, parameters={"alg": "RS256"}, auto_kid=True)

    class Rotating(StaticKeySource):
        def refresh(self) -> Any:
            return StaticKeySource(public_jwks([issuer_key(), new_key])).key_set()

    checker = validator(keys=Rotating(public_jwks([issuer_key()])))

    assert checker.validate(sign(_claims(), new_key)).agency == "gwent-police"


def test_symmetric_algorithms_cannot_be_configured() -> None:
    """Allowing HS256 (or none) in a validator is refused at construction."""
    with pytest.raises(ValueError, match="HS256"):
        validator(algorithms=("RS256", "HS256"))


def test_agency_token_whose_subject_is_not_the_registered_principal_is_refused() -> None:
    """A token claiming agency gwent-police for a client other than its registered principal
    is refused."""
    claims = claims_for(ISSUER, AUDIENCE, "gdas-adapter", **AGENCY_CLAIMS)

    with pytest.raises(TokenRejected, match="principal_mismatch"):
        validator().validate(sign(claims, issuer_key()))


def test_an_access_token_naming_no_client_is_refused() -> None:
    """RFC 9068: an access token without ``client_id`` (or ``azp``) is refused."""
    claims = _claims()
    del claims["client_id"]

    with pytest.raises(TokenRejected) as refused:
        validator().validate(sign(claims, issuer_key()))

    assert refused.value.reason == "missing_client_id"


def test_the_client_claims_are_configurable() -> None:
    """``azp`` does by default (Keycloak, Entra ID v2); Entra ID v1's ``appid`` when mapped; no
    client claim is needed when the mapping lists none."""
    claims = _claims()
    del claims["client_id"]
    with_azp = sign({**claims, "azp": "gwent-police-adapter"}, issuer_key())
    with_appid = sign({**claims, "appid": "gwent-police-adapter"}, issuer_key())

    assert validator().validate(with_azp).agency == "gwent-police"
    entra_v1 = validator(mapping=ClaimMapping(client_id_claims=("appid",)))
    assert entra_v1.validate(with_appid).agency == "gwent-police"
    with pytest.raises(TokenRejected, match="missing_client_id"):
        entra_v1.validate(with_azp)
    unchecked = validator(mapping=ClaimMapping(client_id_claims=()))
    assert unchecked.validate(sign(claims, issuer_key())).agency == "gwent-police"
