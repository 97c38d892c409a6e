"""``dev token`` against a stack whose identity provider is Keycloak.

DEVELOPMENT ONLY. An agency system's token comes from the client-credentials grant with the
agency's own signed-JWT key; a person's (DPO, supervisee, oversight, operator) from the
password grant of the development-token client, which only the development realm has. A
supervisee not yet in the realm is added to the development list and the realm re-applied.
Keycloak decides the lifetime (five minutes).
"""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from broker.devtools.identity.dev_users import add_dev_supervisee, load_dev_supervisees
from broker.devtools.keycloak.dev_realm import DevRealm, dev_people_password, set_up_dev_realm
from broker.devtools.keycloak.local_keycloak import LocalKeycloak
from broker.domain.agency import AgencyDirectory
from broker.identity.token_client import TokenClient, TokenRequestError, load_client_key
from broker.settings import Settings

__all__ = ["client_token", "person_token", "running_realm"]


def running_realm(state_dir: Path, settings: Settings, agencies: AgencyDirectory) -> DevRealm:
    """The development realm of the running Keycloak of ``state_dir`` (applied if changed)."""
    keycloak = LocalKeycloak(state_dir)
    if keycloak.running_pid is None:
        raise TokenRequestError(f"no Keycloak runs in {state_dir}; run dev up --identity keycloak")
    return set_up_dev_realm(keycloak.endpoints(), state_dir, settings, agencies)


def client_token(realm: DevRealm, client_id: str) -> str:
    """An access token for machine client ``client_id`` (its signed-JWT key)."""
    context = ssl.create_default_context(cafile=str(realm.ca_file))
    key = load_client_key(realm.clients_dir / f"{client_id}.key")
    client = TokenClient(realm.token_url, client_id, private_key=key, ssl_context=context)
    return client.fetch_sync().value


def person_token(
    state_dir: Path,
    settings: Settings,
    agencies: AgencyDirectory,
    username: str,
    *,
    subject_ref: str | None = None,
) -> str:
    """A development person's access token (``dpo-<agency>``, ``oversight``, ``operator``,
    or the supervisee of ``subject_ref``)."""
    identity_dir = Path(state_dir) / "identity"
    if subject_ref is not None and subject_ref not in dict(load_dev_supervisees(identity_dir)):
        add_dev_supervisee(identity_dir, subject_ref, "Development supervisee")
    realm = running_realm(state_dir, settings, agencies)
    answer = httpx.post(
        realm.token_url,
        data={
            "grant_type": "password",
            "client_id": realm.dev_token_client,
            "username": username,
            "password": dev_people_password(identity_dir),
        },
        verify=ssl.create_default_context(cafile=str(realm.ca_file)),
        timeout=30,
    )
    body = (
        answer.json()
        if answer.headers.get("content-type", "").startswith("application/json")
        else {}
    )
    token = body.get("access_token") if isinstance(body, dict) else None
    if answer.status_code != 200 or not isinstance(token, str):
        code = body.get("error", "no error code") if isinstance(body, dict) else "no error code"
        raise TokenRequestError(
            f"Keycloak refused a development token for {username!r}: HTTP {answer.status_code} "
            f"{code}"
        )
    return token
