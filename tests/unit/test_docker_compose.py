"""docker-compose.yml cannot run here, so it is held in step with the secured local launcher."""

from __future__ import annotations

import base64
import itertools
import json
import re
import shlex
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema_rs
import pytest
import yaml
from typer.testing import CliRunner, Result

from broker.cli import app
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.kafka.jars import KAFKA_VERSION
from broker.devtools.kafka.jvm import JVM_HEAP_OPTS
from broker.devtools.kafka.secured_local_kafka import HTTP_CERT_NAME, NODE_PRINCIPAL
from broker.devtools.kafka.server_security import (
    KafkaSecurity,
    jvm_system_properties,
    secured_single_node_properties,
)
from broker.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

SHARED = PurePosixPath("/iom")
ISSUER = "https://issuer:8443"
# The container-specific parameters: the only ways compose may differ from the launcher.
SECURITY = KafkaSecurity(
    jwks_url=f"{ISSUER}/jwks.json",
    issuer=ISSUER,
    audience=load_settings().identity.audience,
    ca_file=Path(SHARED / "pki" / "ca.crt"),
    node_keystore=Path(SHARED / "pki" / f"{NODE_PRINCIPAL}.pem"),
    node_principal=NODE_PRINCIPAL,
    super_users=(load_settings().security.admin_principal,),
)
CONTAINER_PARAMETERS: dict[str, Any] = {
    "port": 9092,
    "internal_port": 9094,
    "controller_port": 9093,
    "log_dir": "/var/lib/kafka/data",
    "host": "0.0.0.0",
    "advertised_host": "kafka",
    "security": SECURITY,
}
# Variables the apache/kafka image reads itself instead of turning into properties.
IMAGE_VARIABLES = {"CLUSTER_ID", "KAFKA_HEAP_OPTS", "KAFKA_OPTS"}
CLIENT_SERVICES = {
    "topics": "iom-admin",
    "acls": "iom-admin",
    "router": "iom-router",
    "log-writer": "iom-log-writer",
    "statistics": "iom-statistics",
    "api": "iom-admin",
}


def _env_name(key: str) -> str:
    """The apache/kafka image's variable name for a property ('.'->'_', '_'->'__', '-'->'___')."""
    return "KAFKA_" + key.upper().replace("_", "__").replace("-", "___").replace(".", "_")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return loaded


def _uninterpolated(value: str) -> str:
    """The value the container sees: compose turns ``$$`` into ``$``; a lone ``$`` would be
    a variable reference, which the file must not contain."""
    assert not re.search(r"(?<!\$)\$(?!\$)", value.replace("$$", "")), value
    return value.replace("$$", "$")


@pytest.fixture(scope="module")
def kafka_env(compose: dict[str, Any]) -> dict[str, Any]:
    env: dict[str, Any] = compose["services"]["kafka"]["environment"]
    return {k: _uninterpolated(v) for k, v in env.items()}


def test_kafka_image_is_the_launcher_version(compose: dict[str, Any]) -> None:
    """Compose runs the same Kafka release the local launcher downloads."""
    assert compose["services"]["kafka"]["image"] == f"apache/kafka:{KAFKA_VERSION}"


def test_every_launcher_setting_appears_in_compose_with_the_same_value(
    kafka_env: dict[str, Any],
) -> None:
    """Each secured server.properties setting has a KAFKA_* variable with the same value."""
    props = secured_single_node_properties(**CONTAINER_PARAMETERS)

    expected = {_env_name(key): value for key, value in props.items()}
    actual = {name: kafka_env.get(name) for name in expected}

    assert actual == expected


def test_compose_sets_nothing_the_launcher_does_not(kafka_env: dict[str, Any]) -> None:
    """A KAFKA_* variable with no launcher counterpart means the two have drifted."""
    props = secured_single_node_properties(**CONTAINER_PARAMETERS)
    known = {_env_name(key) for key in props} | IMAGE_VARIABLES

    assert sorted(set(kafka_env) - known) == []


def test_environment_values_are_strings(compose: dict[str, Any]) -> None:
    """Compose refuses YAML booleans in environment maps, so every value is quoted."""
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            assert isinstance(value, str), f"{name}.environment.{variable} = {value!r}"


def test_kafka_heap_matches_the_launcher(kafka_env: dict[str, Any]) -> None:
    """The container JVM gets the same heap limits as the local JVM."""
    assert kafka_env["KAFKA_HEAP_OPTS"].split() == list(JVM_HEAP_OPTS)


def test_cluster_id_is_a_kafka_uuid(kafka_env: dict[str, Any]) -> None:
    """The fixed cluster id is 16 bytes in url-safe base64 without padding, as Kafka wants."""
    cluster_id = kafka_env["CLUSTER_ID"]

    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", cluster_id)
    assert not cluster_id.startswith("-")
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_kafka_keeps_its_data_on_a_named_volume(compose: dict[str, Any]) -> None:
    """The log dir is a volume, so a container restart keeps topics and offsets."""
    volumes = compose["services"]["kafka"]["volumes"]

    assert f"kafka-data:{CONTAINER_PARAMETERS['log_dir']}" in volumes
    assert "kafka-data" in compose["volumes"]


def test_kafka_jvm_allows_exactly_the_issuers_jwks_url(kafka_env: dict[str, Any]) -> None:
    """KAFKA_OPTS carries the launcher's JVM system properties (the allowed JWKS URL)."""
    assert kafka_env["KAFKA_OPTS"].split() == list(jvm_system_properties(SECURITY))


def test_kafka_listeners_are_authenticated(kafka_env: dict[str, Any]) -> None:
    """No listener is plaintext or anonymous: clients SASL_SSL, node links mutual TLS."""
    protocols = dict(
        pair.split(":") for pair in kafka_env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
    )
    assert protocols == {"CLIENT": "SASL_SSL", "INTERNAL": "SSL", "CONTROLLER": "SSL"}
    assert kafka_env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"


def test_kafka_waits_for_the_issuer_and_reads_the_shared_certificates(
    compose: dict[str, Any],
) -> None:
    """Kafka starts once the issuer answers, with the pki volume mounted read-only."""
    kafka = compose["services"]["kafka"]
    assert kafka["depends_on"] == {"issuer": {"condition": "service_healthy"}}
    assert f"iom-dev:{SHARED}:ro" in kafka["volumes"]
    probe = kafka["healthcheck"]["test"][1]
    assert "--bootstrap-server kafka:9094" in probe
    assert f"ssl.keystore.location={SECURITY.node_keystore}" in probe


def test_pki_job_certifies_the_names_the_services_use(compose: dict[str, Any]) -> None:
    """The one-shot pki job names kafka and issuer in the certificates and hands each key
    to the user of the service that reads it."""
    pki = compose["services"]["pki"]
    script = pki["command"][0]
    assert "iom-broker identity pki --state /iom --host kafka --host issuer" in script
    assert f"chown 1000 {SECURITY.node_keystore}" in script
    assert "chmod 755 /iom/pki" in script
    assert "chmod 644 /iom/pki/*.crt" in script  # iom-broker writes them 0600 (umask 077)
    assert f"iom-dev:{SHARED}" in pki["volumes"] and pki["restart"] == "no"


def test_issuer_serves_the_url_kafka_trusts(compose: dict[str, Any]) -> None:
    """The issuer's --url is Kafka's expected issuer and its JWKS the allowed URL."""
    issuer = compose["services"]["issuer"]
    command = issuer["command"]
    assert command[:2] == ["identity", "issuer"]
    assert command[command.index("--url") + 1] == SECURITY.issuer
    assert command[command.index("--state") + 1] == str(SHARED)
    assert SECURITY.jwks_url == f"{SECURITY.issuer}/jwks.json"
    assert issuer["depends_on"] == {"pki": {"condition": "service_completed_successfully"}}
    assert HTTP_CERT_NAME == "iom-http"
    assert f"{SECURITY.issuer}/.well-known/openid-configuration" in issuer["healthcheck"]["test"][3]


def test_setup_jobs_run_in_order(compose: dict[str, Any]) -> None:
    """Topics once Kafka is healthy, then the registry's ACLs, then router and log writer
    (the log writer and the API once PostgreSQL is healthy too)."""
    services = compose["services"]
    assert services["topics"]["command"] == ["kafka", "topics", "--bootstrap", "kafka:9092"]
    assert services["topics"]["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    assert services["acls"]["command"] == ["identity", "acls", "--bootstrap", "kafka:9092"]
    done = {"condition": "service_completed_successfully"}
    assert services["acls"]["depends_on"] == {"topics": done}
    healthy = {"condition": "service_healthy"}
    assert services["router"]["depends_on"] == {"acls": done}
    for name in ("log-writer", "api"):
        assert services[name]["depends_on"] == {"acls": done, "postgres": healthy}
    assert services["router"]["command"] == ["router", "run"]


@pytest.mark.parametrize(("service", "principal"), sorted(CLIENT_SERVICES.items()))
def test_each_client_authenticates_as_its_own_principal(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, service: str, principal: str
) -> None:
    """Each broker service's environment loads to SASL_SSL against kafka:9092, the issuer
    Kafka trusts, and its own client key as the issuer writes it."""
    for variable, value in compose["services"][service]["environment"].items():
        monkeypatch.setenv(variable, value)
    settings = load_settings()

    assert settings.kafka.bootstrap_servers == "kafka:9092"
    assert settings.security.kafka_auth is True
    assert settings.security.kafka_security_protocol == "SASL_SSL"
    assert settings.security.kafka_ca_file == SECURITY.ca_file
    assert settings.identity.issuer == SECURITY.issuer
    assert settings.identity.effective_jwks_url == SECURITY.jwks_url
    assert settings.identity.client_id == principal
    clients = DevClientStore(Path(SHARED / "identity" / "clients"))
    expected_key = clients.directory / f"{principal}.key"
    assert settings.identity.client_key_file == expected_key
    assert f"iom-dev:{SHARED}:ro" in compose["services"][service]["volumes"]


def test_broker_services_build_the_project_image(compose: dict[str, Any]) -> None:
    """Both broker services use the image the Dockerfile builds, whose entrypoint is the CLI."""
    for name in ("pki", "issuer", "topics", "acls", "router", "log-writer", "api"):
        assert compose["services"][name]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert 'ENTRYPOINT ["iom-broker"]' in dockerfile
    assert "RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist ." in dockerfile
    assert "RUN pip install /dist/*.whl" in dockerfile


# The Compose Specification's JSON schema, as the dclint package (package.json's
# devDependencies, installed by `npm ci`) ships it.
COMPOSE_SCHEMA = ROOT / "node_modules" / "dclint" / "schemas" / "compose.schema.json"


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    """docker-compose.yml is valid against the Compose Specification's JSON schema."""
    schema = json.loads(COMPOSE_SCHEMA.read_text("utf-8"))
    assert schema["title"] == "Compose Specification"

    errors = [
        f"{'/'.join(map(str, error.instance_path))}: {error.message}"
        for error in jsonschema_rs.validator_for(schema).iter_errors(compose)
    ]

    assert errors == []


def test_the_schema_check_catches_a_misspelt_service_key(compose: dict[str, Any]) -> None:
    """The schema check is not vacuous: a misspelt key in a service makes the file invalid."""
    schema = json.loads(COMPOSE_SCHEMA.read_text("utf-8"))
    broken = json.loads(json.dumps(compose))
    broken["services"]["api"]["depend_on"] = broken["services"]["api"].pop("depends_on")

    assert not jsonschema_rs.validator_for(schema).is_valid(broken)


def _cli_invocations(service: dict[str, Any]) -> list[list[str]]:
    """The ``iom-broker`` argument lists a service runs: its command under the image's
    ``iom-broker`` entrypoint, or each ``iom-broker ...`` step of an ``sh -c`` script."""
    if service.get("entrypoint") == ["sh", "-c"]:
        steps = [shlex.split(step) for step in service["command"][0].split("&&")]
        return [step[1:] for step in steps if step[0] == "iom-broker"]
    return [list(service["command"])]


def _check_cli(args: list[str]) -> tuple[list[str], Result]:
    """Run ``iom-broker ARGS --help`` in-process: the CLI itself resolves the command and
    parses every option (an unknown one is a usage error) before printing the help."""
    path = list(itertools.takewhile(lambda arg: not arg.startswith("-"), args))
    return path, CliRunner().invoke(app, [*args, "--help"], prog_name="iom-broker")


def _broker_services(compose: dict[str, Any]) -> list[str]:
    return sorted(name for name, service in compose["services"].items() if "build" in service)


def test_every_broker_service_runs_a_real_cli_command(compose: dict[str, Any]) -> None:
    """Each service of the project image runs an `iom-broker` command that exists (not a
    group), with options that command accepts."""
    checked = []
    for name in _broker_services(compose):
        for args in _cli_invocations(compose["services"][name]):
            path, result = _check_cli(args)
            assert result.exit_code == 0, f"{name}: iom-broker {shlex.join(args)}: {result.output}"
            assert f"Usage: iom-broker {' '.join(path)} [OPTIONS]" in result.output, name
            assert "Commands" not in result.output, f"{name}: {' '.join(path)} is a group"
            checked.append((name, " ".join(path)))

    assert ("api", "api run") in checked and ("log-writer", "log writer run") in checked
    assert ("pki", "identity pki") in checked and ("statistics", "stats run") in checked
    assert {name for name, _ in checked} == set(_broker_services(compose))


def test_the_command_check_refuses_an_unknown_command_or_option() -> None:
    """The command check is not vacuous: a missing command or a wrong option fails it."""
    _, unknown_command = _check_cli(["api", "serve"])
    _, unknown_option = _check_cli(["api", "run", "--listen", "0.0.0.0"])

    assert unknown_command.exit_code == 2 and "No such command" in unknown_command.output
    assert unknown_option.exit_code == 2 and "No such option" in unknown_option.output


def test_api_serves_https_with_the_stacks_certificate_on_loopback(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API listens on 8443 in the network with the dev CA's iom-http certificate (which
    the pki job makes name "api"), published on the host's loopback only, healthy once
    /healthz answers over verified TLS."""
    api = compose["services"]["api"]
    for variable, value in api["environment"].items():
        monkeypatch.setenv(variable, value)
    settings = load_settings()

    assert api["command"] == ["api", "run", "--host", "0.0.0.0", "--port", "8443"]
    assert settings.api.tls_cert_file == Path(SHARED / "pki" / f"{HTTP_CERT_NAME}.crt")
    assert settings.api.tls_key_file == Path(SHARED / "pki" / f"{HTTP_CERT_NAME}.key")
    assert api["ports"] == ["127.0.0.1:8443:8443"]
    assert "--host api" in compose["services"]["pki"]["command"][0]
    probe = api["healthcheck"]["test"][3]
    assert "https://api:8443/healthz" in probe and f"cafile='{SECURITY.ca_file}'" in probe
    assert settings.sign_in.client_key_file == Path(SHARED / "identity/clients/iom-web.key")


def test_log_writer_and_api_share_one_postgres_log_and_its_keys(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log writer appends to, and the API reads, the same PostgreSQL log with the same
    keys; the API keeps its records in the same database (its own schema)."""
    loaded = {}
    for name in ("log-writer", "api"):
        with monkeypatch.context() as env:
            for variable, value in compose["services"][name]["environment"].items():
                env.setenv(variable, value)
            loaded[name] = load_settings()
        assert "log-state:/app/.state" in compose["services"][name]["volumes"]
    writer, api = loaded["log-writer"].transparency, loaded["api"].transparency

    assert writer == api
    assert writer.store_url == "postgresql://iom@postgres:5432/iom"
    assert loaded["api"].api.store_url == "postgresql://iom@postgres:5432/iom"


def test_postgres_clients_verify_tls_and_use_the_generated_password(
    compose: dict[str, Any],
) -> None:
    """PostgreSQL serves TLS with a certificate the dev CA signed for "postgres"; clients
    insist on verifying it and read the password the pki job generated from a libpq
    password file naming that host, port, database and user."""
    services = compose["services"]
    postgres = services["postgres"]
    server = postgres["command"]
    script = services["pki"]["command"][0]

    assert "ssl=on" in server and f"ssl_cert_file={SHARED}/pki/{HTTP_CERT_NAME}.crt" in server
    assert "--host postgres" in script and "chown 999 /iom/pki/postgres-tls.key" in script
    assert "'postgres:5432:iom:iom:'" in script and "secrets.token_urlsafe(32)" in script
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/iom/postgres/password"
    assert postgres["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "scram-sha-256"
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]
    for name in ("log-writer", "api"):
        env = services[name]["environment"]
        assert env["PGSSLMODE"] == "verify-full"
        assert env["PGSSLROOTCERT"] == str(SECURITY.ca_file)
        assert env["PGPASSFILE"] == "/iom/postgres/pgpass"


def test_the_image_carries_what_the_api_serves() -> None:
    """The image installs the wheel, built with the front-end assets (npm ci of the locked
    production dependencies), the schemas and the policies as package data; no source is
    imported from /app."""
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")

    assert "COPY package.json package-lock.json ./" in dockerfile
    assert "RUN npm ci --omit=dev" in dockerfile
    assert "COPY --from=web-assets /src/node_modules ./node_modules" in dockerfile
    for folder in ("broker", "iom_adapters", "schemas", "policies"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "COPY pyproject.toml setup.py README.md ./" in dockerfile
    assert "PYTHONPATH" not in dockerfile
    assert (ROOT / "broker" / "web" / "templates").is_dir()
