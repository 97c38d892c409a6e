"""docker-compose.yml cannot run here, so it is held in step with the local launcher."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from broker.kafka.local_kafka import JVM_HEAP_OPTS, KAFKA_VERSION
from broker.kafka.server_properties import single_node_properties
from broker.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

# The container-specific parameters: the only ways compose may differ from the launcher.
CONTAINER_PARAMETERS: dict[str, Any] = {
    "port": 9092,
    "controller_port": 9093,
    "log_dir": "/var/lib/kafka/data",
    "host": "0.0.0.0",
    "advertised_host": "kafka",
}
# Variables the apache/kafka image reads itself instead of turning into properties.
IMAGE_VARIABLES = {"CLUSTER_ID", "KAFKA_HEAP_OPTS"}


def _env_name(key: str) -> str:
    """The apache/kafka image's variable name for a property ('.'->'_', '_'->'__', '-'->'___')."""
    return "KAFKA_" + key.upper().replace("_", "__").replace("-", "___").replace(".", "_")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return loaded


@pytest.fixture(scope="module")
def kafka_env(compose: dict[str, Any]) -> dict[str, Any]:
    env: dict[str, Any] = compose["services"]["kafka"]["environment"]
    return env


def test_kafka_image_is_the_launcher_version(compose: dict[str, Any]) -> None:
    """Compose runs the same Kafka release the local launcher downloads."""
    assert compose["services"]["kafka"]["image"] == f"apache/kafka:{KAFKA_VERSION}"


def test_every_launcher_setting_appears_in_compose_with_the_same_value(
    kafka_env: dict[str, Any],
) -> None:
    """Each server.properties setting has a KAFKA_* variable carrying the same value."""
    props = single_node_properties(**CONTAINER_PARAMETERS)

    expected = {_env_name(key): value for key, value in props.items()}
    actual = {name: kafka_env.get(name) for name in expected}

    assert actual == expected


def test_compose_sets_nothing_the_launcher_does_not(kafka_env: dict[str, Any]) -> None:
    """A KAFKA_* variable with no launcher counterpart means the two have drifted."""
    props = single_node_properties(**CONTAINER_PARAMETERS)
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


def test_topics_job_creates_topics_once_kafka_is_healthy(compose: dict[str, Any]) -> None:
    """The one-shot topics job waits for a healthy Kafka and points at kafka:9092."""
    topics = compose["services"]["topics"]

    assert topics["command"] == ["kafka", "topics", "--bootstrap", "kafka:9092"]
    assert topics["depends_on"] == {"kafka": {"condition": "service_healthy"}}
    assert topics["restart"] == "no"
    assert (
        "--bootstrap-server localhost:9092"
        in compose["services"]["kafka"]["healthcheck"]["test"][1]
    )


def test_router_starts_after_topics_and_its_settings_load(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The router runs once topics exist, and its environment parses to kafka:9092."""
    router = compose["services"]["router"]
    assert router["command"] == ["router", "run"]
    assert router["depends_on"] == {"topics": {"condition": "service_completed_successfully"}}

    for variable, value in router["environment"].items():
        monkeypatch.setenv(variable, value)
    assert load_settings().kafka.bootstrap_servers == "kafka:9092"


def test_broker_services_build_the_project_image(compose: dict[str, Any]) -> None:
    """Both broker services use the image the Dockerfile builds, whose entrypoint is the CLI."""
    for name in ("topics", "router"):
        assert compose["services"][name]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert 'ENTRYPOINT ["iom-broker"]' in dockerfile
    assert "RUN pip install ." in dockerfile
