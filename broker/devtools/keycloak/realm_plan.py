"""The development realm, generated from the agency registry: pure, no I/O.

DEVELOPMENT ONLY (it holds test people with a shared generated password and a direct-grant
client). :func:`realm_plan` returns Keycloak representations (the admin REST API's JSON):

- one confidential client per agency system and per broker service, authenticating with a
  signed JWT (``private_key_jwt``, ES256, the public key registered as a JWKS string), service
  account only, tokens living :data:`CLIENT_TOKEN_LIFETIME_S`; its service-account user's id is
  the principal, so ``sub`` is the principal the registry and Kafka's ACLs name;
- the web client of the portal and console: authorization code with PKCE S256 only, exact
  redirect URIs and exactly the matching post-logout redirect URIs (the portal's signed-out
  page, the console's sign-in page), signed-JWT client authentication, API audience only;
- the development-token client: the resource-owner password grant for ``dev token`` and
  tests, enabled only in this realm;
- people: each listed supervisee (``subject_ref`` attribute), one DPO per agency (``agency``
  attribute, a first and last name), an oversight member, an operator and an auditor;
- claims in the names the broker's validator reads (``iom_role``, ``iom_agency``,
  ``iom_subject_ref``, ``name``), and two audiences: the API's (everyone) and Kafka's
  (agency systems and the broker's services only), so a person's token never authenticates
  to Kafka.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from broker.domain.agency import AgencyDirectory
from broker.http.sentences import Language
from broker.identity.principal import Role
from broker.identity.sign_in_flow import AREAS, SIGNED_IN_PATH, SIGNED_OUT_PATHS
from broker.settings import Settings
from broker.web.texts import TEXTS

__all__ = [
    "CLIENT_TOKEN_LIFETIME_S",
    "DEV_REALM",
    "DEV_TOKEN_CLIENT",
    "KAFKA_AUDIENCE",
    "KAFKA_SCOPE",
    "DevPerson",
    "RealmPlan",
    "dev_people",
    "login_texts",
    "post_logout_redirect_uris",
    "realm_plan",
    "service_principals",
    "supervisee_username",
]

DEV_REALM = "iom"
KAFKA_AUDIENCE = "iom-kafka"
"""The audience Kafka expects; only agency systems' and the broker's own tokens carry it."""
KAFKA_SCOPE = "kafka"
"""The client scope that adds Kafka's audience; a default scope of machine clients only."""
DEV_TOKEN_CLIENT = "iom-dev-token"
"""Development only: the password-grant client ``dev token --dpo/--supervisee`` uses."""
CLIENT_TOKEN_LIFETIME_S = 300
PERSON_TOKEN_LIFETIME_S = 300
SESSION_IDLE_S = 30 * 60
SESSION_MAX_S = 10 * 60 * 60
_OIDC = "openid-connect"
_MAX_ID = 36
"""Keycloak's user ids are at most 36 characters (a UUID's length)."""
_PERSON_NAME_UNSAFE = re.compile(r"[^\w '.-]")
"""Characters Keycloak's user profile refuses in names (an account with one is not set up)."""
DPO_FIRST_NAMES = (
    "Alys", "Bryn", "Carys", "Dafydd", "Eleri", "Ffion",
    "Gethin", "Heledd", "Iwan", "Llinos", "Meirion", "Nia",
)  # fmt: skip
"""Development DPOs' first names (their last name is ``Development``), one per agency in
order: the console shows a DPO by the token's ``name``."""
DEV_LAST_NAME = "Development"


@dataclass(frozen=True)
class DevPerson:
    """A development user: Keycloak user id (the token's ``sub``; Keycloak picks one when
    ``None``), username, role, claims."""

    user_id: str | None
    username: str
    role: Role
    first_name: str
    last_name: str = DEV_LAST_NAME
    agency: str | None = None
    subject_ref: str | None = None


@dataclass(frozen=True)
class RealmPlan:
    """What the realm should hold: its settings, then what a partial import overwrites."""

    realm: dict[str, Any]
    client_scopes: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    clients: list[dict[str, Any]]
    users: list[dict[str, Any]]
    localization: dict[str, dict[str, str]]

    def partial_import(self) -> dict[str, Any]:
        """The body of ``POST /admin/realms/<realm>/partialImport`` (overwrite what exists)."""
        return {
            "ifResourceExists": "OVERWRITE",
            "roles": {"realm": self.roles},
            "clients": self.clients,
            "users": self.users,
        }

    def realm_import(self) -> dict[str, Any]:
        """The whole realm as one representation: the file Keycloak imports when it starts
        (``kc.sh start --import-realm``), as ``POST /admin/realms`` would create it."""
        return {
            **self.realm,
            "clientScopes": self.client_scopes,
            "roles": {"realm": self.roles},
            "clients": self.clients,
            "users": self.users,
            "localizationTexts": self.localization,
        }


def service_principals(settings: Settings) -> list[str]:
    """The broker's own client ids (router, log writer, statistics, admin), sorted."""
    security = settings.security
    return sorted(
        {
            security.router_principal,
            security.log_writer_principal,
            security.statistics_principal,
            security.admin_principal,
        }
    )


def supervisee_username(subject_ref: str) -> str:
    """The development supervisee's username (Keycloak keeps usernames in lower case)."""
    return f"supervisee-{subject_ref.lower()}"


def dev_people(
    agencies: AgencyDirectory, supervisees: Sequence[tuple[str, str]]
) -> list[DevPerson]:
    """The development users: listed supervisees (Keycloak-chosen subjects), each agency's DPO,
    oversight, operator, auditor (subjects as ``dev token`` printed before Keycloak)."""
    people = [
        DevPerson(None, supervisee_username(ref), Role.SUPERVISEE, label, subject_ref=ref)
        for ref, label in supervisees
    ]
    people += [
        DevPerson(
            f"dev-dpo-{a.agency_id}",
            f"dpo-{a.agency_id}",
            Role.DPO,
            DPO_FIRST_NAMES[index % len(DPO_FIRST_NAMES)],
            agency=a.agency_id,
        )
        for index, a in enumerate(agencies)
    ]
    people += [
        DevPerson("dev-oversight", "oversight", Role.OVERSIGHT, "Oversight"),
        DevPerson("dev-operator", "operator", Role.OPERATOR, "Operator"),
        DevPerson("dev-auditor", "auditor", Role.AUDITOR, "Auditor"),
    ]
    return people


def post_logout_redirect_uris(redirect_uris: Sequence[str]) -> list[str]:
    """For each area's sign-in callback ``<base>/<area>/signed-in`` among ``redirect_uris``,
    the page RP-initiated logout returns to (``<base>/<area>/<signed-out path>``), sorted."""
    found = set()
    for uri in redirect_uris:
        for area in AREAS:
            suffix = f"/{area}/{SIGNED_IN_PATH}"
            if uri.endswith(suffix):
                found.add(f"{uri.removesuffix(suffix)}/{area}/{SIGNED_OUT_PATHS[area]}")
    return sorted(found)


def realm_plan(
    agencies: AgencyDirectory,
    settings: Settings,
    *,
    client_jwks: Mapping[str, Mapping[str, Any]],
    redirect_uris: Sequence[str],
    supervisees: Sequence[tuple[str, str]],
    dev_password: str,
    realm: str = DEV_REALM,
) -> RealmPlan:
    """The development realm for ``agencies``; ``client_jwks`` maps each client id (agency
    principals, services, the web client) to the public JWK it signs assertions with."""
    api = settings.identity.audience
    clients = [_machine_client(a.principal, client_jwks, api, agency=a.agency_id) for a in agencies]
    clients += [_machine_client(cid, client_jwks, api) for cid in service_principals(settings)]
    web = settings.sign_in.client_id
    clients.append(_web_client(web, client_jwks, api, redirect_uris))
    clients.append(_dev_token_client(api))
    users = [_service_account(a.principal, Role.AGENCY_SYSTEM) for a in agencies] + [
        _service_account(cid, Role.SERVICE) for cid in service_principals(settings)
    ]
    users += [_person(p, dev_password) for p in dev_people(agencies, supervisees)]
    return RealmPlan(
        realm=_realm_settings(realm),
        client_scopes=[_kafka_scope()],
        roles=[{"name": role.value, "description": role.__doc__ or ""} for role in Role],
        clients=clients,
        users=users,
        localization={"en": login_texts("en"), "cy": login_texts("cy")},
    )


def _kafka_scope() -> dict[str, Any]:
    """The ``kafka`` scope: Kafka's audience, and a non-empty ``scope`` claim (Kafka refuses
    a token whose ``scope`` claim is an empty string)."""
    return {
        "name": KAFKA_SCOPE,
        "description": "Kafka's audience: agency systems and the broker's services only",
        "protocol": _OIDC,
        "attributes": {"include.in.token.scope": "true", "display.on.consent.screen": "false"},
        "protocolMappers": [_audience(KAFKA_AUDIENCE)],
    }


def _realm_settings(realm: str) -> dict[str, Any]:
    return {
        "realm": realm,
        "enabled": True,
        "displayName": "IOM broker (development)",
        "sslRequired": "all",
        "registrationAllowed": False,
        "resetPasswordAllowed": False,
        "rememberMe": False,
        "bruteForceProtected": True,
        "accessTokenLifespan": PERSON_TOKEN_LIFETIME_S,
        "ssoSessionIdleTimeout": SESSION_IDLE_S,
        "ssoSessionMaxLifespan": SESSION_MAX_S,
        "revokeRefreshToken": True,
        "refreshTokenMaxReuse": 0,
        "internationalizationEnabled": True,
        "supportedLocales": ["en", "cy"],
        "defaultLocale": "en",
        "defaultSignatureAlgorithm": "RS256",
    }


def _machine_client(
    client_id: str,
    client_jwks: Mapping[str, Mapping[str, Any]],
    api_audience: str,
    *,
    agency: str | None = None,
) -> dict[str, Any]:
    mappers = [_audience(api_audience), _role_claim()]
    if agency is not None:
        mappers.append(_hardcoded("iom_agency", agency))
    return {
        "clientId": client_id,
        "enabled": True,
        "protocol": _OIDC,
        "publicClient": False,
        "bearerOnly": False,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": True,
        "fullScopeAllowed": True,
        "consentRequired": False,
        **_signed_jwt_authentication(client_id, client_jwks),
        "attributes": {
            **_signed_jwt_attributes(client_id, client_jwks),
            "access.token.lifespan": str(CLIENT_TOKEN_LIFETIME_S),
            "use.refresh.tokens": "false",
            "client_credentials.use_refresh_token": "false",
        },
        "defaultClientScopes": ["basic", "service_account", KAFKA_SCOPE],
        "optionalClientScopes": [],
        "protocolMappers": mappers,
    }


def _web_client(
    client_id: str,
    client_jwks: Mapping[str, Mapping[str, Any]],
    api_audience: str,
    redirect_uris: Sequence[str],
) -> dict[str, Any]:
    return {
        "clientId": client_id,
        "name": "IOM portal and DPO console",
        "enabled": True,
        "protocol": _OIDC,
        "publicClient": False,
        "standardFlowEnabled": True,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": False,
        "frontchannelLogout": False,
        "consentRequired": False,
        "redirectUris": sorted(set(redirect_uris)),
        "webOrigins": [],
        **_signed_jwt_authentication(client_id, client_jwks),
        "attributes": {
            **_signed_jwt_attributes(client_id, client_jwks),
            "pkce.code.challenge.method": "S256",
            "post.logout.redirect.uris": "##".join(post_logout_redirect_uris(redirect_uris)),
        },
        "defaultClientScopes": ["basic", "web-origins", "acr"],
        "optionalClientScopes": [],
        "protocolMappers": _person_mappers(client_id, api_audience),
    }


def _dev_token_client(api_audience: str) -> dict[str, Any]:
    """A public client allowed the password grant only: development realm only."""
    return {
        "clientId": DEV_TOKEN_CLIENT,
        "name": "Development tokens (iom-broker dev token; development only)",
        "enabled": True,
        "protocol": _OIDC,
        "publicClient": True,
        "standardFlowEnabled": False,
        "implicitFlowEnabled": False,
        "directAccessGrantsEnabled": True,
        "serviceAccountsEnabled": False,
        "consentRequired": False,
        "attributes": {"use.refresh.tokens": "false"},
        "defaultClientScopes": ["basic"],
        "optionalClientScopes": [],
        "protocolMappers": _person_mappers(DEV_TOKEN_CLIENT, api_audience),
    }


def _person_mappers(client_id: str, api_audience: str) -> list[dict[str, Any]]:
    """People's tokens: the API audience only, their claims, and RFC 9068's ``client_id``
    (Keycloak adds it to service accounts' tokens by itself)."""
    return [
        _audience(api_audience),
        _hardcoded("client_id", client_id),
        _role_claim(),
        _attribute_claim("agency", "iom_agency"),
        _attribute_claim("subject_ref", "iom_subject_ref"),
        _full_name_claim(),
    ]


def _signed_jwt_authentication(
    client_id: str, client_jwks: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    if client_id not in client_jwks:
        raise KeyError(f"no public key given for client {client_id!r}")
    return {"clientAuthenticatorType": "client-jwt"}


def _signed_jwt_attributes(
    client_id: str, client_jwks: Mapping[str, Mapping[str, Any]]
) -> dict[str, str]:
    jwks = {"keys": [{**client_jwks[client_id], "use": "sig"}]}
    return {
        "use.jwks.url": "false",
        "use.jwks.string": "true",
        "jwks.string": json.dumps(jwks, sort_keys=True),
        "token.endpoint.auth.signing.alg": "ES256",
        "token.endpoint.auth.signing.max.exp": str(CLIENT_TOKEN_LIFETIME_S),
    }


def _service_account(client_id: str, role: Role) -> dict[str, Any]:
    """The client's service-account user, whose id (so ``sub``) is the client id."""
    if len(client_id) > _MAX_ID:
        raise ValueError(
            f"client id {client_id!r} is longer than Keycloak's {_MAX_ID}-character ids"
        )
    return {
        "id": client_id,
        "username": f"service-account-{client_id}",
        "enabled": True,
        "serviceAccountClientId": client_id,
        "realmRoles": [role.value],
    }


def _person(person: DevPerson, password: str) -> dict[str, Any]:
    attributes: dict[str, list[str]] = {}
    if person.agency:
        attributes["agency"] = [person.agency]
    if person.subject_ref:
        attributes["subject_ref"] = [person.subject_ref]
    fixed_id = {"id": person.user_id} if person.user_id and len(person.user_id) <= _MAX_ID else {}
    return {
        **fixed_id,
        "username": person.username,
        "enabled": True,
        "firstName": _PERSON_NAME_UNSAFE.sub(" ", person.first_name)[:80].strip() or "Development",
        "lastName": person.last_name,
        "email": f"{person.username}@dev.invalid",
        "emailVerified": True,
        "attributes": attributes,
        "realmRoles": [person.role.value],
        "credentials": [{"type": "password", "value": password, "temporary": False}],
        "requiredActions": [],
    }


def _mapper(name: str, kind: str, config: Mapping[str, str]) -> dict[str, Any]:
    return {"name": name, "protocol": _OIDC, "protocolMapper": kind, "config": dict(config)}


def _audience(audience: str) -> dict[str, Any]:
    return _mapper(
        f"audience {audience}",
        "oidc-audience-mapper",
        {
            "included.custom.audience": audience,
            "access.token.claim": "true",
            "id.token.claim": "false",
            "introspection.token.claim": "true",
        },
    )


_IN_TOKENS = {
    "access.token.claim": "true",
    "id.token.claim": "true",
    "introspection.token.claim": "true",
}
"""A claim in the access and ID tokens and in introspection."""


def _role_claim() -> dict[str, Any]:
    config = {"claim.name": "iom_role", "multivalued": "true", "jsonType.label": "String"}
    return _mapper("iom_role", "oidc-usermodel-realm-role-mapper", config | _IN_TOKENS)


def _full_name_claim() -> dict[str, Any]:
    """OpenID Connect's ``name`` (first and last name) in the access and ID tokens."""
    config = {"userinfo.token.claim": "true"}
    return _mapper("name", "oidc-full-name-mapper", config | _IN_TOKENS)


def _attribute_claim(attribute: str, claim: str) -> dict[str, Any]:
    config = {"user.attribute": attribute, "id.token.claim": "true"}
    return _claim(claim, "oidc-usermodel-attribute-mapper", config)


def _hardcoded(claim: str, value: str) -> dict[str, Any]:
    config = {"claim.value": value, "id.token.claim": "false"}
    return _claim(claim, "oidc-hardcoded-claim-mapper", config)


def _claim(claim: str, kind: str, config: Mapping[str, str]) -> dict[str, Any]:
    """A string claim in the access token (and the ID token if ``config`` says so)."""
    common = {
        "claim.name": claim,
        "jsonType.label": "String",
        "access.token.claim": "true",
        "introspection.token.claim": "true",
    }
    return _mapper(claim, kind, {**common, **config})


def _message(text: str) -> str:
    """``text`` as a Java message format (Keycloak's): an apostrophe is written ``''``."""
    return text.replace("'", "''")


def login_texts(lang: Language) -> dict[str, str]:
    """The realm's words for Keycloak's pages in ``lang``: above the form, the portal's own
    name for the service ("What was shared about me"), not the realm's technical name, so a
    supervisee sees they are still signing in to the same service."""
    service = _message(TEXTS[lang]["service"])
    sign_in = _message(TEXTS[lang]["sign_in_title"])
    texts = {
        "locale_cy": "Cymraeg",
        "locale_en": "English",
        "loginTitle": f"{sign_in} \u2013 {service}",
        "loginTitleHtml": service,
    }
    return texts | (WELSH_LOGIN_TEXTS if lang == "cy" else ENGLISH_LOGIN_TEXTS)


ENGLISH_LOGIN_TEXTS = {"doLogIn": "Sign in"}
"""English words changed from Keycloak's own: sentence case, as on the portal's buttons."""
WELSH_LOGIN_TEXTS = {
    "loginAccountTitle": "Mewngofnodi i''ch cyfrif",
    "username": "Enw defnyddiwr",
    "usernameOrEmail": "Enw defnyddiwr neu e-bost",
    "password": "Cyfrinair",
    "doLogIn": "Mewngofnodi",
    "invalidUserMessage": "Enw defnyddiwr neu gyfrinair annilys.",
    "showPassword": "Dangos cyfrinair",
    "hidePassword": "Cuddio cyfrinair",
    "languages": "Ieithoedd",
}
"""Welsh for the sign-in page's words: Keycloak's theme ships no Welsh messages, so the
realm supplies them. Keycloak formats them as Java message formats: an apostrophe is ``''``."""
