"""Kafka's own command-line tools: the Java client properties built from the broker's
settings, and the java command line that runs a tool with them."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import ECKey, OKPKey, RSAKey
from typer.testing import CliRunner

from broker.cli import app
from broker.devtools.kafka.jars import KafkaToolingError
from broker.devtools.kafka.kafka_tools import KAFKA_TOOLS, kafka_tool_command
from broker.kafka.java_client_config import (
    JavaClientConfig,
    JavaClientConfigError,
    java_client_config,
    properties_text,
    write_client_properties,
)
from broker.secrets.private_files import write_private_bytes
from broker.settings import Settings, load_settings

ISSUER = "https://127.0.0.1:8443"
TOKEN_URL = f"{ISSUER}/token"


def _secured(tmp_path: Path, **identity: Any) -> Settings:
    return load_settings(
        kafka={"bootstrap_servers": "127.0.0.1:19092"},
        identity={"issuer": ISSUER, "client_id": "iom-admin", "ca_file": tmp_path / "ca.crt"}
        | identity,
        security={
            "kafka_auth": True,
            "kafka_security_protocol": "SASL_SSL",
            "kafka_ca_file": tmp_path / "ca.crt",
        },
    )


def _key_file(tmp_path: Path, key: ECKey | RSAKey | OKPKey) -> Path:
    path = tmp_path / "client.key"
    write_private_bytes(path, key.as_pem(private=True))
    return path


def test_plaintext_settings_give_a_plaintext_client() -> None:
    """Without kafka_auth the tool connects in plaintext and the JVM needs no allowances."""
    config = java_client_config(load_settings(kafka={"bootstrap_servers": "127.0.0.1:19092"}))

    assert config == JavaClientConfig("127.0.0.1:19092", {"security.protocol": "PLAINTEXT"}, ())


def test_secured_settings_sign_assertions_with_the_clients_key(tmp_path: Path) -> None:
    """With kafka_auth and a key file, the Java client logs in with OAUTHBEARER, trusts the
    stack's CA for Kafka and the issuer, and signs private_key_jwt assertions (ES256) whose
    issuer and subject are its client id; the JVM may fetch only the token URL and key."""
    key_file = _key_file(tmp_path, ECKey.generate_key("P-256"))

    config = java_client_config(_secured(tmp_path, client_key_file=key_file))

    props = config.properties
    assert props["security.protocol"] == "SASL_SSL"
    assert props["ssl.truststore.type"] == "PEM"
    assert props["ssl.truststore.location"] == str(tmp_path / "ca.crt")
    assert props["sasl.mechanism"] == "OAUTHBEARER"
    assert props["sasl.jaas.config"] == (
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
        f' ssl.truststore.type="PEM" ssl.truststore.location="{tmp_path / "ca.crt"}";'
    )
    assert props["sasl.oauthbearer.token.endpoint.url"] == TOKEN_URL
    assert props["sasl.oauthbearer.client.credentials.client.id"] == "iom-admin"
    assert props["sasl.oauthbearer.assertion.algorithm"] == "ES256"
    assert props["sasl.oauthbearer.assertion.private.key.file"] == str(key_file)
    assert props["sasl.oauthbearer.assertion.claim.iss"] == "iom-admin"
    assert props["sasl.oauthbearer.assertion.claim.sub"] == "iom-admin"
    assert props["sasl.oauthbearer.assertion.claim.aud"] == TOKEN_URL
    assert props["sasl.oauthbearer.assertion.claim.jti.include"] == "true"
    assert "sasl.oauthbearer.client.credentials.client.secret" not in props
    assert config.system_properties == (
        f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls={TOKEN_URL}",
        f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.files={key_file}",
    )


def test_an_rsa_client_key_signs_with_rs256(tmp_path: Path) -> None:
    """An RSA client key is named to Kafka as RS256, the other algorithm its client signs."""
    key_file = _key_file(tmp_path, RSAKey.generate_key(2048))

    config = java_client_config(_secured(tmp_path, client_key_file=key_file))

    assert config.properties["sasl.oauthbearer.assertion.algorithm"] == "RS256"


def test_an_ed25519_client_key_is_refused_in_one_line(tmp_path: Path) -> None:
    """Kafka's client cannot sign with Ed25519, so such a key is refused before java runs."""
    key_file = _key_file(tmp_path, OKPKey.generate_key("Ed25519"))

    with pytest.raises(JavaClientConfigError, match="not an EC P-256 or RSA private key"):
        java_client_config(_secured(tmp_path, client_key_file=key_file))


def test_a_client_secret_is_used_when_there_is_no_key(tmp_path: Path) -> None:
    """Without a key file the client secret authenticates, and only the token URL is allowed."""
    secret_file = tmp_path / "client.secret"
    write_private_bytes(secret_file, b"s3cret-value\n")

    config = java_client_config(_secured(tmp_path, client_secret_file=secret_file))

    assert config.properties["sasl.oauthbearer.client.credentials.client.secret"] == "s3cret-value"
    assert "sasl.oauthbearer.assertion.private.key.file" not in config.properties
    assert config.system_properties == (
        f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls={TOKEN_URL}",
    )


def test_no_client_credentials_is_a_one_line_error(tmp_path: Path) -> None:
    """A secured client with neither key nor secret names the setting to give."""
    with pytest.raises(JavaClientConfigError, match="IOM_IDENTITY__CLIENT_KEY_FILE"):
        java_client_config(_secured(tmp_path))


def test_properties_file_is_owner_only_and_escapes_backslashes(tmp_path: Path) -> None:
    """The properties file (it may hold a client secret) is 0600, in .properties syntax."""
    config = JavaClientConfig("b:9092", {"a": "C:\\x", "b": "line\nbreak"}, ())

    path = write_client_properties(tmp_path / "tools" / "iom-admin.properties", config)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (
        path.read_text("utf-8")
        == properties_text(config.properties)
        == ("a=C:\\\\x\nb=line\\nbreak\n")
    )


CLIENT = JavaClientConfig("127.0.0.1:19092", {}, ("-Dallowed=1",))


def test_tool_command_runs_the_tools_main_class_on_the_tools_classpath() -> None:
    """The command runs the named tool's main class with Kafka's tool JVM options, the
    client's system properties, then the connection options before the caller's arguments."""
    command = kafka_tool_command(
        "consumer-groups",
        ["--describe", "--all-groups"],
        java="/usr/bin/java",
        classpath=Path("/cache/4.4.0/tools"),
        client=CLIENT,
        properties_file=Path("/state/kafka-tools/iom-admin.properties"),
    )

    assert command == [
        "/usr/bin/java",
        "-Xmx256m",
        "-Djava.awt.headless=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dallowed=1",
        "-cp",
        "/cache/4.4.0/tools/*",
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        "--bootstrap-server",
        "127.0.0.1:19092",
        "--command-config",
        "/state/kafka-tools/iom-admin.properties",
        "--describe",
        "--all-groups",
    ]


def test_callers_own_bootstrap_and_config_are_kept() -> None:
    """A caller's --bootstrap-controller or --command-config replaces the tool's defaults."""
    command = kafka_tool_command(
        "metadata-quorum",
        ["--bootstrap-controller=127.0.0.1:19093", "--command-config", "mine.properties"],
        java="java",
        classpath=Path("tools"),
        client=CLIENT,
        properties_file=Path("ours.properties"),
    )

    assert "--bootstrap-server" not in command and "ours.properties" not in command
    assert command[-3:] == [
        "--bootstrap-controller=127.0.0.1:19093",
        "--command-config",
        "mine.properties",
    ]


def test_unknown_tool_names_the_tools_there_are() -> None:
    """A mistyped tool name fails in one line listing every tool."""
    with pytest.raises(KafkaToolingError) as caught:
        kafka_tool_command(
            "consumer-group",
            [],
            java="java",
            classpath=Path(),
            client=CLIENT,
            properties_file=Path("p"),
        )

    assert "unknown Kafka tool 'consumer-group'" in str(caught.value)
    assert all(name in str(caught.value) for name in KAFKA_TOOLS)


def test_tool_command_needs_a_running_stack_and_a_known_tool(tmp_path: Path) -> None:
    """`kafka tool` names a mistyped tool (exit 2) and says to run `dev up` when STATE holds
    no stack (exit 1), before starting java or downloading anything."""
    runner = CliRunner()

    unknown = runner.invoke(app, ["kafka", "tool", "--state", str(tmp_path), "consumer-group"])
    no_stack = runner.invoke(app, ["kafka", "tool", "--state", str(tmp_path), "topics", "--list"])

    assert unknown.exit_code == 2 and "unknown Kafka tool 'consumer-group'" in unknown.output
    assert no_stack.exit_code == 1 and "run dev up" in no_stack.output
