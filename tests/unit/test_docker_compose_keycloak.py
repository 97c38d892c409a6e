"""docker-compose.yml's Keycloak: the image of the launcher's version, HTTPS with the stack's
certificate, PostgreSQL, and the realm file `iom-broker dev keycloak-realm` generates."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from broker.agency_registry import load_agencies
from broker.cli import app
from broker.devtools.identity.dev_pki import LOOPBACK_NAMES
from broker.devtools.keycloak.dev_realm import dev_realm_plan
from broker.devtools.keycloak.distribution import KEYCLOAK_VERSION
from broker.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
REALM_FILE = "/iom/keycloak/iom-realm.json"
PUBLIC_URL = "https://localhost:8443"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return dict(loaded["services"])


def _realm_job_args(services: dict[str, Any]) -> list[str]:
    """The ``iom-broker`` arguments of the keycloak-realm job's first step."""
    first = services["keycloak-realm"]["command"][0].split("&&")[0]
    words = shlex.split(first)
    assert words[0] == "iom-broker"
    return words[1:]


def test_keycloak_runs_the_launchers_version_over_https_with_the_stacks_certificate(
    services: dict[str, Any],
) -> None:
    """Compose runs the Keycloak release the local launcher builds, HTTPS only with the
    dev CA's iom-http certificate (which the pki job makes name "keycloak" and localhost),
    published on the host's loopback only."""
    keycloak = services["keycloak"]
    env = keycloak["environment"]

    assert keycloak["image"] == f"quay.io/keycloak/keycloak:{KEYCLOAK_VERSION}"
    assert env["KC_HTTP_ENABLED"] == "false"
    assert env["KC_HTTPS_CERTIFICATE_FILE"] == "/iom/pki/iom-http.crt"
    assert env["KC_HTTPS_CERTIFICATE_KEY_FILE"] == "/iom/pki/keycloak-tls.key"
    assert "--host keycloak" in services["pki"]["command"][0] and "localhost" in LOOPBACK_NAMES
    assert "chown 1000 /iom/pki/keycloak-tls.key" in services["pki"]["command"][0]
    assert keycloak["ports"] == ["127.0.0.1:8444:8443"]
    assert env["KC_HOSTNAME"] == "https://localhost:8444"


def test_keycloak_keeps_its_data_in_the_composes_postgres_over_verified_tls(
    services: dict[str, Any],
) -> None:
    """Keycloak's database is the compose's PostgreSQL (schema keycloak, made by a one-shot
    job), TLS verified against the dev CA, with the generated password."""
    keycloak = services["keycloak"]
    env = keycloak["environment"]
    schema_job = services["keycloak-schema"]

    assert env["KC_DB"] == "postgres"
    assert env["KC_DB_URL"].startswith("jdbc:postgresql://postgres:5432/iom?")
    assert "sslmode=verify-full" in env["KC_DB_URL"]
    assert env["KC_DB_SCHEMA"] == "keycloak"
    assert "CREATE SCHEMA IF NOT EXISTS keycloak" in schema_job["command"]
    assert schema_job["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert 'KC_DB_PASSWORD="$$(cat /iom/postgres/keycloak.password)"' in keycloak["command"][0]
    done = {"condition": "service_completed_successfully"}
    assert keycloak["depends_on"] == {"keycloak-realm": done, "keycloak-schema": done}


def test_keycloak_imports_the_file_the_realm_job_writes(services: dict[str, Any]) -> None:
    """The keycloak-realm job runs `iom-broker dev keycloak-realm --out FILE` and Keycloak
    starts with --import-realm from a copy of that same FILE."""
    args = _realm_job_args(services)
    script = services["keycloak"]["command"][0]

    assert args[:2] == ["dev", "keycloak-realm"]
    assert args[args.index("--out") + 1] == REALM_FILE
    assert args[args.index("--public-url") + 1] == PUBLIC_URL
    assert f"cp {REALM_FILE} /opt/keycloak/data/import/" in script
    assert "kc.sh start --import-realm" in script


def test_the_realm_file_is_what_realm_plan_produces(
    services: dict[str, Any], tmp_path: Path
) -> None:
    """The command the job runs writes exactly the realm realm_plan produces for the same
    state folder and public URL, 0600 (it holds the development people's password)."""
    args = _realm_job_args(services)
    out = tmp_path / "realm.json"
    args[args.index("--out") + 1] = str(out)
    args[args.index("--state") + 1] = str(tmp_path / "state")

    written = CliRunner().invoke(app, args, prog_name="iom-broker")

    assert written.exit_code == 0, written.output
    settings = load_settings()
    plan = dev_realm_plan(
        tmp_path / "state",
        settings,
        load_agencies(settings.agencies_file),
        [f"{PUBLIC_URL}/portal/signed-in", f"{PUBLIC_URL}/console/signed-in"],
    )
    assert json.loads(out.read_text("utf-8")) == plan.realm_import()
    assert out.stat().st_mode & 0o777 == 0o600
    web = next(c for c in plan.clients if c["clientId"] == settings.sign_in.client_id)
    assert web["redirectUris"] == [
        f"{PUBLIC_URL}/console/signed-in",
        f"{PUBLIC_URL}/portal/signed-in",
    ]
