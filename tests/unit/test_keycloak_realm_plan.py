"""The development realm generated from the registry: who gets which audience and how clients
authenticate (pure: no Keycloak)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from broker.agency_registry import load_agencies
from broker.devtools.keycloak.realm_plan import (
    CLIENT_TOKEN_LIFETIME_S,
    DEV_TOKEN_CLIENT,
    KAFKA_AUDIENCE,
    KAFKA_SCOPE,
    RealmPlan,
    realm_plan,
    service_principals,
)
from broker.settings import load_settings

REDIRECTS = ["https://127.0.0.1:8000/portal/signed-in", "https://127.0.0.1:8000/console/signed-in"]
JWK = {"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "kid": "k", "alg": "ES256"}


def _plan() -> RealmPlan:
    settings = load_settings()
    agencies = load_agencies(settings.agencies_file)
    ids = [a.principal for a in agencies] + service_principals(settings)
    ids.append(settings.sign_in.client_id)
    return realm_plan(
        agencies,
        settings,
        client_jwks=dict.fromkeys(ids, JWK),
        redirect_uris=REDIRECTS,
        supervisees=[("subj-a", "Person A")],
        dev_password="dev-password",
    )


def _client(plan: RealmPlan, client_id: str) -> dict[str, Any]:
    [client] = [c for c in plan.clients if c["clientId"] == client_id]
    return client


def _audiences(client: dict[str, Any]) -> set[str]:
    return {
        m["config"]["included.custom.audience"]
        for m in client["protocolMappers"]
        if m["protocolMapper"] == "oidc-audience-mapper"
    }


def test_only_machines_get_kafkas_scope() -> None:
    """Agency systems and the broker's services get the Kafka scope (Kafka's audience); the web
    client and the development-token client get the API audience only."""
    plan = _plan()
    machines = [c for c in plan.clients if c["serviceAccountsEnabled"]]
    people = [c for c in plan.clients if not c["serviceAccountsEnabled"]]

    assert machines and people
    assert all(KAFKA_SCOPE in c["defaultClientScopes"] for c in machines)
    assert all(KAFKA_SCOPE not in c["defaultClientScopes"] for c in people)
    assert all(KAFKA_AUDIENCE not in _audiences(c) for c in people)
    [scope] = plan.client_scopes
    assert _audiences(scope) == {KAFKA_AUDIENCE}


def test_machine_clients_authenticate_with_a_signed_jwt() -> None:
    """Every machine client uses private_key_jwt (ES256, a JWKS whose key is for signing),
    tokens of at most five minutes, and a service-account user whose id is its principal."""
    plan = _plan()

    for client in (c for c in plan.clients if c["serviceAccountsEnabled"]):
        attributes = client["attributes"]
        assert client["clientAuthenticatorType"] == "client-jwt"
        assert attributes["token.endpoint.auth.signing.alg"] == "ES256"
        assert json.loads(attributes["jwks.string"])["keys"][0]["use"] == "sig"
        assert int(attributes["access.token.lifespan"]) <= CLIENT_TOKEN_LIFETIME_S
        [account] = [u for u in plan.users if u.get("serviceAccountClientId") == client["clientId"]]
        assert account["id"] == client["clientId"]


def test_the_web_client_uses_code_with_pkce_and_exact_redirects() -> None:
    """The portal's and console's client: authorization code only, PKCE S256, exactly the
    given redirect URIs, no implicit flow and no password grant."""
    web = _client(_plan(), load_settings().sign_in.client_id)

    assert web["standardFlowEnabled"] is True
    assert web["implicitFlowEnabled"] is False
    assert web["directAccessGrantsEnabled"] is False
    assert web["attributes"]["pkce.code.challenge.method"] == "S256"
    assert web["redirectUris"] == sorted(REDIRECTS)


def test_only_the_development_token_client_allows_the_password_grant() -> None:
    """The password grant is enabled on the development-token client alone."""
    allowed = [c["clientId"] for c in _plan().clients if c["directAccessGrantsEnabled"]]

    assert allowed == [DEV_TOKEN_CLIENT]


def test_people_carry_their_agency_or_subject_reference() -> None:
    """Each agency's DPO has the agency attribute; a listed supervisee has the subject
    reference attribute; both have one role."""
    users = {u["username"]: u for u in _plan().users}

    assert users["dpo-gwent-police"]["attributes"] == {"agency": ["gwent-police"]}
    assert users["dpo-gwent-police"]["realmRoles"] == ["dpo"]
    assert users["supervisee-subj-a"]["attributes"] == {"subject_ref": ["subj-a"]}


def test_a_client_id_too_long_for_keycloak_is_refused() -> None:
    """A principal longer than Keycloak's 36-character user ids is refused, naming it."""
    settings = load_settings()
    long_router = "iom-router-with-a-name-far-too-long-for-keycloak"
    settings = settings.model_copy(
        update={"security": settings.security.model_copy(update={"router_principal": long_router})}
    )
    agencies = load_agencies(settings.agencies_file)
    ids = [a.principal for a in agencies] + service_principals(settings)

    with pytest.raises(ValueError, match=long_router):
        realm_plan(
            agencies,
            settings,
            client_jwks=dict.fromkeys([*ids, settings.sign_in.client_id], JWK),
            redirect_uris=[],
            supervisees=[],
            dev_password="x",
        )


def test_the_web_client_allows_exactly_the_signed_out_pages_after_logout() -> None:
    """After RP-initiated logout Keycloak may return only to the portal's "You have signed out"
    page and the console's sign-in page of the registered callbacks, never to any callback
    ("+") or a wildcard."""
    settings = load_settings()
    web = _client(_plan(), settings.sign_in.client_id)

    allowed = web["attributes"]["post.logout.redirect.uris"].split("##")

    assert allowed == [
        "https://127.0.0.1:8000/console/sign-in",
        "https://127.0.0.1:8000/portal/signed-out",
    ]


def test_people_have_names_and_their_tokens_carry_them() -> None:
    """Each development DPO has a first and last name, and the web client's tokens carry
    OpenID Connect's ``name`` so the console can show who changed an agreement."""
    settings = load_settings()
    plan = _plan()
    dpos = [u for u in plan.users if u["username"].startswith("dpo-")]
    web = _client(plan, settings.sign_in.client_id)

    assert dpos and all(u["firstName"] and u["lastName"] for u in dpos)
    [name] = [m for m in web["protocolMappers"] if m["protocolMapper"] == "oidc-full-name-mapper"]
    assert name["config"]["access.token.claim"] == "true"


def test_keycloaks_page_names_the_service_as_the_portal_does() -> None:
    """Above Keycloak's form, English and Welsh readers see the portal's own name for the
    service (not "IOM broker"), written as Keycloak's message format wants apostrophes."""
    plan = _plan()

    assert plan.localization["en"]["loginTitleHtml"] == "What was shared about me"
    assert plan.localization["cy"]["loginTitleHtml"] == "Beth a rannwyd amdanaf i"
    assert plan.localization["cy"]["loginAccountTitle"] == "Mewngofnodi i''ch cyfrif"
    assert plan.localization["en"]["doLogIn"] == "Sign in"
