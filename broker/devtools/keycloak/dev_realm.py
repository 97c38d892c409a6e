"""The development realm of a state folder: its client keys, its people, its URLs.

DEVELOPMENT ONLY. :func:`set_up_dev_realm` gathers what the realm needs from the state folder
(each client's public key from ``identity/clients/``, created on first use, the same keys the
agencies' adapters sign with; the generated password of the development people in
``identity/dev-people.password``, mode 0600; the listed supervisees) and applies
:func:`~broker.devtools.keycloak.realm_plan.realm_plan` to the running Keycloak.
:class:`DevRealm` says where the realm's endpoints are.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_users import load_dev_supervisees
from broker.devtools.keycloak.local_keycloak import KeycloakEndpoints
from broker.devtools.keycloak.realm_admin import apply_realm
from broker.devtools.keycloak.realm_plan import (
    DEV_REALM,
    DEV_TOKEN_CLIENT,
    KAFKA_AUDIENCE,
    RealmPlan,
    realm_plan,
    service_principals,
)
from broker.domain.agency import AgencyDirectory
from broker.secrets.private_files import read_private_bytes, write_private_bytes
from broker.settings import Settings

__all__ = [
    "DEV_PEOPLE_PASSWORD_FILE",
    "DevRealm",
    "dev_people_password",
    "dev_realm_plan",
    "set_up_dev_realm",
]

DEV_PEOPLE_PASSWORD_FILE = "dev-people.password"
APPLIED_PLAN_FILE = "realm-applied.sha256"
"""A digest of the realm plan last applied (so an unchanged realm is not applied again)."""


@dataclass(frozen=True)
class DevRealm:
    """Where the development realm answers and where its clients' keys are."""

    issuer: str
    ca_file: Path
    clients_dir: Path
    password_file: Path
    kafka_audience: str = KAFKA_AUDIENCE
    dev_token_client: str = DEV_TOKEN_CLIENT

    @property
    def token_url(self) -> str:
        """The token endpoint."""
        return f"{self.issuer}/protocol/openid-connect/token"

    @property
    def jwks_url(self) -> str:
        """The JWKS of the realm's signing keys."""
        return f"{self.issuer}/protocol/openid-connect/certs"

    @property
    def authorization_url(self) -> str:
        """The authorization endpoint (Keycloak's sign-in page)."""
        return f"{self.issuer}/protocol/openid-connect/auth"


def dev_people_password(identity_dir: Path) -> str:
    """The development people's shared password, generated on first use (mode 0600)."""
    path = Path(identity_dir) / DEV_PEOPLE_PASSWORD_FILE
    if not path.exists():
        write_private_bytes(path, secrets.token_urlsafe(18).encode())
    return read_private_bytes(path, "development people's password").decode().strip()


def dev_realm_plan(
    state_dir: Path,
    settings: Settings,
    agencies: AgencyDirectory,
    redirect_uris: Sequence[str] = (),
) -> RealmPlan:
    """The development realm of ``state_dir``: its clients' public keys (made on first use),
    its listed supervisees and its people's password."""
    identity_dir = Path(state_dir).resolve() / "identity"
    store = DevClientStore(identity_dir / "clients")
    client_ids = [a.principal for a in agencies] + service_principals(settings)
    client_ids.append(settings.sign_in.client_id)
    return realm_plan(
        agencies,
        settings,
        client_jwks={cid: store.public_jwk(cid) for cid in client_ids},
        redirect_uris=redirect_uris,
        supervisees=load_dev_supervisees(identity_dir),
        dev_password=dev_people_password(identity_dir),
    )


def set_up_dev_realm(
    endpoints: KeycloakEndpoints,
    state_dir: Path,
    settings: Settings,
    agencies: AgencyDirectory,
    *,
    redirect_uris: Sequence[str] = (),
    force: bool = False,
) -> DevRealm:
    """Apply the realm generated from ``agencies`` to the Keycloak of ``state_dir``; skipped
    when the same plan was applied last time (a warm ``dev up``), unless ``force``."""
    state_dir = Path(state_dir).resolve()
    identity_dir = state_dir / "identity"
    plan = dev_realm_plan(state_dir, settings, agencies, redirect_uris)
    keycloak_dir = state_dir / "keycloak"
    fingerprint = hashlib.sha256(
        json.dumps([endpoints.base_url, asdict(plan)], sort_keys=True).encode()
    ).hexdigest()
    applied = keycloak_dir / APPLIED_PLAN_FILE
    if force or not applied.exists() or applied.read_text("utf-8").strip() != fingerprint:
        apply_realm(endpoints, keycloak_dir, plan)
        applied.write_text(fingerprint, "utf-8")
    return DevRealm(
        issuer=endpoints.issuer(DEV_REALM),
        ca_file=endpoints.ca_file,
        clients_dir=identity_dir / "clients",
        password_file=identity_dir / DEV_PEOPLE_PASSWORD_FILE,
    )
