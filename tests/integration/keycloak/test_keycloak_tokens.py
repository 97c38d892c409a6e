"""A real Keycloak, its realm generated from the registry, issues the tokens the API accepts."""

from __future__ import annotations

import stat

import httpx
import pytest

from broker.devtools.keycloak.local_keycloak import BOOTSTRAP_CLIENT_ID
from broker.devtools.keycloak.realm_plan import CLIENT_TOKEN_LIFETIME_S, KAFKA_AUDIENCE
from broker.identity.principal import Role
from broker.identity.token_client import TokenClient, TokenRequestError
from broker.identity.token_validator import TokenRejected
from tests.identity_attacks import ATTACKS, sign
from tests.support.keycloak_session import SUPERVISEE_REF, KeycloakSession, token_claims

pytestmark = pytest.mark.kafka

AGENCY = "gwent-police"
AGENCY_CLIENT = "gwent-police-adapter"


async def test_an_agency_system_gets_a_token_with_its_signed_jwt_key(
    keycloak: KeycloakSession,
) -> None:
    """An agency's adapter authenticates to Keycloak with private_key_jwt and the API accepts
    the token as that agency's system."""
    token = await keycloak.client(AGENCY_CLIENT).fetch()

    principal = keycloak.api_validator().validate(token.value)

    assert (principal.subject, principal.role, principal.agency) == (
        AGENCY_CLIENT,
        Role.AGENCY_SYSTEM,
        AGENCY,
    )


async def test_client_tokens_live_five_minutes_and_name_both_audiences(
    keycloak: KeycloakSession,
) -> None:
    """A client's token lives at most five minutes, names its client (RFC 9068 client_id) and
    carries both the API's and Kafka's audiences."""
    token = await keycloak.client("iom-router").fetch()
    claims = token_claims(token.value)

    assert claims["exp"] - claims["iat"] <= CLIENT_TOKEN_LIFETIME_S
    assert claims["client_id"] == "iom-router"
    assert set(claims["aud"]) == {keycloak.settings.identity.audience, KAFKA_AUDIENCE}


def test_a_dpo_token_carries_the_agency_and_the_api_audience_only(
    keycloak: KeycloakSession,
) -> None:
    """A DPO's token says DPO of their agency, is for the API alone and names its client."""
    token = keycloak.person_token(f"dpo-{AGENCY}")

    principal = keycloak.api_validator().validate(token)

    assert (principal.role, principal.agency) == (Role.DPO, AGENCY)
    claims = token_claims(token)
    assert claims["aud"] == keycloak.settings.identity.audience
    assert claims["client_id"] == keycloak.realm.dev_token_client


def test_a_supervisee_token_carries_their_subject_reference(keycloak: KeycloakSession) -> None:
    """A supervisee's token carries the subject reference from their account's attribute."""
    token = keycloak.person_token(f"supervisee-{SUPERVISEE_REF}")

    principal = keycloak.api_validator().validate(token)

    assert (principal.role, principal.subject_ref) == (Role.SUPERVISEE, SUPERVISEE_REF)


def test_the_oversight_member_gets_the_oversight_role(keycloak: KeycloakSession) -> None:
    """The development oversight member's token says oversight, with no agency."""
    principal = keycloak.api_validator().validate(keycloak.person_token("oversight"))

    assert (principal.role, principal.agency) == (Role.OVERSIGHT, None)


def test_a_wrong_password_gets_no_token(keycloak: KeycloakSession) -> None:
    """A development person with a wrong password is refused by Keycloak."""
    answer = httpx.post(
        keycloak.realm.token_url,
        data={
            "grant_type": "password",
            "client_id": keycloak.realm.dev_token_client,
            "username": f"dpo-{AGENCY}",
            "password": "not-the-password",
        },
        verify=keycloak.context,
    )

    assert answer.status_code == 401


def test_the_temporary_admin_is_gone_after_set_up(keycloak: KeycloakSession) -> None:
    """After the realm is set up the bootstrap admin client no longer exists, its secret file
    is deleted, and the admin client's signing key is readable by its owner only."""
    keycloak_dir = keycloak.state_dir / "keycloak"
    master = keycloak.endpoints.issuer("master") + "/protocol/openid-connect/token"
    bootstrap = TokenClient(
        master, BOOTSTRAP_CLIENT_ID, secret="any-secret", ssl_context=keycloak.context
    )

    with pytest.raises(TokenRequestError, match="invalid_client"):
        bootstrap.fetch_sync()
    assert not (keycloak_dir / "bootstrap-admin.secret").exists()
    key_file = keycloak_dir / "admin" / "iom-keycloak-admin.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


async def test_the_realm_can_be_applied_again(keycloak: KeycloakSession) -> None:
    """Applying the realm a second time succeeds and the agency's client still gets tokens."""
    keycloak.reapply_realm([])

    token = await keycloak.client(AGENCY_CLIENT).fetch()

    assert keycloak.api_validator().validate(token.value).agency == AGENCY


async def test_the_api_refuses_a_kafka_only_audience(keycloak: KeycloakSession) -> None:
    """A token whose only audience is Kafka's is refused by the API's validator."""
    claims = token_claims((await keycloak.client(AGENCY_CLIENT).fetch()).value)

    token = ATTACKS["wrong_audience"](keycloak.signing_key, {**claims, "aud": KAFKA_AUDIENCE})

    with pytest.raises(TokenRejected, match="wrong_audience"):
        keycloak.api_validator().validate(token)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_the_api_refuses_hostile_tokens_built_on_keycloaks(
    keycloak: KeycloakSession, attack: str
) -> None:
    """Forged, expired, wrong-audience, wrong-issuer, alg=none, unknown-kid and HMAC-confused
    tokens built on a real Keycloak token's claims are refused by the API."""
    claims = token_claims((await keycloak.client(AGENCY_CLIENT).fetch()).value)

    with pytest.raises(TokenRejected):
        keycloak.api_validator().validate(ATTACKS[attack](keycloak.signing_key, claims))


async def test_the_realms_key_signs_the_attack_controls(keycloak: KeycloakSession) -> None:
    """The same claims signed with the realm's key (no attack) are accepted, so the refusals
    above are the attacks' doing."""
    claims = token_claims((await keycloak.client(AGENCY_CLIENT).fetch()).value)

    principal = keycloak.api_validator().validate(sign(claims, keycloak.signing_key))

    assert principal.subject == AGENCY_CLIENT
