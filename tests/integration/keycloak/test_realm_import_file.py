"""The realm file `dev keycloak-realm` writes (what the compose file's Keycloak imports) makes
a working realm in a real Keycloak."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from broker.cli import app
from broker.devtools.keycloak.realm_admin import realm_admin_token
from broker.devtools.keycloak.realm_plan import KAFKA_AUDIENCE, dev_people
from broker.identity.token_client import TokenClient, load_client_key
from tests.support.keycloak_session import KeycloakSession, token_claims

pytestmark = pytest.mark.kafka

FILE_REALM = "iom-from-file"


def test_the_generated_realm_file_imports_into_keycloak(
    keycloak: KeycloakSession, tmp_path: Path
) -> None:
    """Keycloak creates a realm from the file (as its start-up import would): an agency
    system's signed-JWT token carries Kafka's audience, and a DPO's password-grant token
    their role, agency and name, with the API's audience only."""
    out = tmp_path / "realm.json"
    written = CliRunner().invoke(
        app,
        ["dev", "keycloak-realm", "--state", str(keycloak.state_dir), "--out", str(out)],
        prog_name="iom-broker",
    )
    assert written.exit_code == 0, written.output
    assert out.stat().st_mode & 0o777 == 0o600, "the file holds the people's password"
    realm = json.loads(out.read_text("utf-8")) | {"realm": FILE_REALM}
    for user in realm["users"]:  # user ids are unique across realms: the session's has them
        user.pop("id", None)
    endpoints, context = keycloak.endpoints, keycloak.context
    token = realm_admin_token(endpoints, keycloak.state_dir / "keycloak")
    with httpx.Client(
        base_url=f"{endpoints.base_url}/admin/realms",
        headers={"Authorization": f"Bearer {token}"},
        verify=context,
        timeout=120,
    ) as admin:
        admin.delete(f"/{FILE_REALM}")
        admin.post("", json=realm).raise_for_status()
    issuer = endpoints.issuer(FILE_REALM)
    token_url = f"{issuer}/protocol/openid-connect/token"
    agency = keycloak.agencies.get("gwent-police").principal
    machine = TokenClient(
        token_url,
        agency,
        private_key=load_client_key(keycloak.realm.clients_dir / f"{agency}.key"),
        ssl_context=context,
    ).fetch_sync()
    person = httpx.post(
        token_url,
        data={
            "grant_type": "password",
            "client_id": keycloak.realm.dev_token_client,
            "username": "dpo-gdas",
            "password": keycloak.realm.password_file.read_text().strip(),
        },
        verify=context,
    ).raise_for_status()

    assert KAFKA_AUDIENCE in token_claims(machine.value)["aud"]
    claims = token_claims(person.json()["access_token"])
    [gdas] = [p for p in dev_people(keycloak.agencies, []) if p.username == "dpo-gdas"]
    assert claims["aud"] == keycloak.settings.identity.audience
    assert claims["iom_role"] == ["dpo"] and claims["iom_agency"] == "gdas"
    assert claims["name"] == f"{gdas.first_name} {gdas.last_name}"
