"""The Kafka server JVM's command line that the local launcher runs."""

from __future__ import annotations

from pathlib import Path

from broker.devtools.kafka.jvm import (
    CLUSTER_NODE_HEAP_OPTS,
    JVM_HEAP_OPTS,
    QUIET_LOGGERS,
    kafka_server_command,
)
from broker.devtools.kafka.server_security import ALLOWED_URLS_PROPERTY, KafkaSecurity

LIB = Path("/cache/kafka/4.4.0/lib")
PROPERTIES = Path("/state/kafka/server.properties")


def test_single_node_runs_kafka_with_its_properties_on_the_jar_classpath() -> None:
    """The command ends with the main class and the node's server.properties, jars as classpath."""
    command = kafka_server_command("java", LIB, PROPERTIES)

    assert command[0] == "java"
    assert command[-4:] == ["-cp", f"{LIB}/*", "kafka.Kafka", str(PROPERTIES)]
    assert command[1:3] == list(JVM_HEAP_OPTS)


def test_cluster_node_gets_the_smaller_heap() -> None:
    """A node of a local cluster starts with the smaller heap, so three fit beside the tests."""
    command = kafka_server_command("java", LIB, PROPERTIES, cluster_node=True)

    assert command[1:3] == list(CLUSTER_NODE_HEAP_OPTS)
    assert "-Xmx768m" not in command


def test_token_validator_loggers_are_off_in_every_command() -> None:
    """Every logger that would write a refused token's claims to server.log is switched off."""
    for command in (
        kafka_server_command("java", LIB, PROPERTIES),
        kafka_server_command("java", LIB, PROPERTIES, cluster_node=True),
    ):
        for logger in QUIET_LOGGERS:
            assert f"-Dorg.slf4j.simpleLogger.log.{logger}=off" in command


def test_secured_node_allows_exactly_its_issuer_jwks_url() -> None:
    """A secured node's JVM may fetch the issuer's JWKS URL; a plaintext node names none."""
    security = KafkaSecurity(
        jwks_url="https://127.0.0.1:8443/jwks.json",
        issuer="https://127.0.0.1:8443",
        audience="iom-broker",
        ca_file=Path("/s/pki/ca.crt"),
        node_keystore=Path("/s/pki/iom-kafka-node.pem"),
    )

    secured = kafka_server_command("java", LIB, PROPERTIES, security=security)
    plain = kafka_server_command("java", LIB, PROPERTIES)

    assert f"-D{ALLOWED_URLS_PROPERTY}=https://127.0.0.1:8443/jwks.json" in secured
    assert not any(ALLOWED_URLS_PROPERTY in arg for arg in plain)
