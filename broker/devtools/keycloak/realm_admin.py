"""Apply a :class:`RealmPlan` to a running Keycloak through its admin REST API, idempotently.

DEVELOPMENT ONLY. The first time, it authenticates with the temporary bootstrap admin client
Keycloak created on its first start (secret in ``keycloak/bootstrap-admin.secret``), creates a
permanent admin client in the master realm that authenticates with a signed JWT (key in
``keycloak/admin/``, mode 0600), then deletes the temporary client and its secret: no default
or temporary admin is left. Later applications use the signed-JWT admin client. Each
application writes the realm's settings, lets unmanaged user attributes (``agency``,
``subject_ref``) be set by administrators only, loads the Welsh sign-in texts and overwrites
roles, clients and users with a partial import.
"""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import httpx
import structlog

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.keycloak.local_keycloak import BOOTSTRAP_CLIENT_ID, KeycloakEndpoints
from broker.devtools.keycloak.realm_plan import RealmPlan
from broker.identity.token_client import TokenClient, TokenRequestError, load_client_key
from broker.secrets.private_files import read_private_bytes

__all__ = ["ADMIN_CLIENT_ID", "RealmAdminError", "apply_realm", "realm_admin_token"]

ADMIN_CLIENT_ID = "iom-keycloak-admin"
_MASTER = "master"
_BOOTSTRAP_SECRET = "bootstrap-admin.secret"

log = structlog.get_logger(__name__)


class RealmAdminError(RuntimeError):
    """An admin request failed; the message names the request and the HTTP status."""


def apply_realm(endpoints: KeycloakEndpoints, keycloak_dir: Path, plan: RealmPlan) -> None:
    """Create or update ``plan``'s realm, then retire the bootstrap admin if it is still there."""
    keycloak_dir = Path(keycloak_dir)
    bootstrapping = (keycloak_dir / _BOOTSTRAP_SECRET).exists()
    token = realm_admin_token(endpoints, keycloak_dir)
    context = ssl.create_default_context(cafile=str(endpoints.ca_file))
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(
        base_url=f"{endpoints.base_url}/admin/realms", headers=headers, verify=context, timeout=60
    ) as admin:
        realm = plan.realm["realm"]
        if admin.get(f"/{realm}").status_code == 404:
            _check(admin.post("", json=plan.realm), "create realm")
        else:
            _check(admin.put(f"/{realm}", json=plan.realm), "update realm")
        profile = _check(admin.get(f"/{realm}/users/profile"), "read user profile").json()
        profile["unmanagedAttributePolicy"] = "ADMIN_EDIT"
        _check(admin.put(f"/{realm}/users/profile", json=profile), "update user profile")
        _put_client_scopes(admin, realm, plan.client_scopes)
        for locale, texts in plan.localization.items():
            _check(admin.post(f"/{realm}/localization/{locale}", json=texts), "load texts")
        _check(admin.post(f"/{realm}/partialImport", json=plan.partial_import()), "import")
        if bootstrapping:
            _retire_bootstrap_admin(admin, endpoints, keycloak_dir)
    log.info("keycloak.realm_applied", realm=realm, clients=len(plan.clients))


def _put_client_scopes(admin: httpx.Client, realm: str, scopes: list[dict[str, Any]]) -> None:
    """Create each client scope, or update one of the same name and replace its mappers (a
    scope clients use cannot be deleted)."""
    existing = {
        s["name"]: s["id"]
        for s in _check(admin.get(f"/{realm}/client-scopes"), "list client scopes").json()
    }
    for scope in scopes:
        scope_id = existing.get(scope["name"])
        if scope_id is None:
            _check(admin.post(f"/{realm}/client-scopes", json=scope), "create client scope")
            continue
        path = f"/{realm}/client-scopes/{scope_id}"
        _check(admin.put(path, json={**scope, "id": scope_id}), "update client scope")
        mappers = _check(admin.get(f"{path}/protocol-mappers/models"), "list mappers").json()
        for mapper in mappers:
            _check(admin.delete(f"{path}/protocol-mappers/models/{mapper['id']}"), "drop mapper")
        for mapper in scope.get("protocolMappers", []):
            _check(admin.post(f"{path}/protocol-mappers/models", json=mapper), "add mapper")


def realm_admin_token(endpoints: KeycloakEndpoints, keycloak_dir: Path) -> str:
    """An admin access token: the bootstrap client's while it exists, else the signed-JWT
    admin client's."""
    keycloak_dir = Path(keycloak_dir)
    secret_file = keycloak_dir / _BOOTSTRAP_SECRET
    if secret_file.exists():
        secret = read_private_bytes(secret_file, "bootstrap admin secret").decode().strip()
        client = TokenClient(
            _master_token_url(endpoints),
            BOOTSTRAP_CLIENT_ID,
            secret=secret,
            ssl_context=ssl.create_default_context(cafile=str(endpoints.ca_file)),
        )
    elif _admin_key_file(keycloak_dir).exists():
        client = _signed_jwt_admin(endpoints, keycloak_dir)
    else:
        raise RealmAdminError(
            f"no Keycloak admin credentials in {keycloak_dir}; remove that folder to start "
            "Keycloak afresh"
        )
    try:
        return client.fetch_sync().value
    except TokenRequestError as error:
        raise RealmAdminError(str(error)) from None


def _signed_jwt_admin(endpoints: KeycloakEndpoints, keycloak_dir: Path) -> TokenClient:
    return TokenClient(
        _master_token_url(endpoints),
        ADMIN_CLIENT_ID,
        private_key=load_client_key(_admin_key_file(keycloak_dir)),
        ssl_context=ssl.create_default_context(cafile=str(endpoints.ca_file)),
    )


def _master_token_url(endpoints: KeycloakEndpoints) -> str:
    return f"{endpoints.issuer(_MASTER)}/protocol/openid-connect/token"


def _admin_key_file(keycloak_dir: Path) -> Path:
    return _admin_store(keycloak_dir).directory / f"{ADMIN_CLIENT_ID}.key"


def _retire_bootstrap_admin(
    admin: httpx.Client, endpoints: KeycloakEndpoints, keycloak_dir: Path
) -> None:
    store = _admin_store(keycloak_dir)
    jwk = store.public_jwk(ADMIN_CLIENT_ID)
    client: dict[str, Any] = {
        "clientId": ADMIN_CLIENT_ID,
        "name": "iom-broker development realm administration",
        "enabled": True,
        "publicClient": False,
        "standardFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "serviceAccountsEnabled": True,
        "clientAuthenticatorType": "client-jwt",
        "attributes": {
            "use.jwks.string": "true",
            "jwks.string": json.dumps({"keys": [{**jwk, "use": "sig"}]}),
            "token.endpoint.auth.signing.alg": "ES256",
            "access.token.lifespan": "120",
        },
    }
    account = {
        "username": f"service-account-{ADMIN_CLIENT_ID}",
        "enabled": True,
        "serviceAccountClientId": ADMIN_CLIENT_ID,
        "realmRoles": ["admin"],
    }
    body = {"ifResourceExists": "OVERWRITE", "clients": [client], "users": [account]}
    _check(admin.post(f"/{_MASTER}/partialImport", json=body), "create admin client")
    _signed_jwt_admin(endpoints, keycloak_dir).fetch_sync()  # works before the bootstrap goes
    found = _check(
        admin.get(f"/{_MASTER}/clients", params={"clientId": BOOTSTRAP_CLIENT_ID}),
        "find bootstrap admin",
    ).json()
    for entry in found:
        _check(admin.delete(f"/{_MASTER}/clients/{entry['id']}"), "delete bootstrap admin")
    (keycloak_dir / _BOOTSTRAP_SECRET).unlink(missing_ok=True)
    log.info("keycloak.bootstrap_admin_retired", admin_client=ADMIN_CLIENT_ID)


def _admin_store(keycloak_dir: Path) -> DevClientStore:
    return DevClientStore(keycloak_dir / "admin")


def _check(response: httpx.Response, doing: str) -> httpx.Response:
    if response.status_code >= 300:
        raise RealmAdminError(
            f"Keycloak admin API refused to {doing}: HTTP {response.status_code} "
            f"{response.request.method} {response.request.url.path}"
        )
    return response
