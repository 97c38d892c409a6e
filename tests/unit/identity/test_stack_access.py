"""How processes reach a development stack: secured with their own key, or plaintext."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broker.devtools.devstack.stack_access import StackAccess
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.kafka.secured_local_kafka import SecuredLocalStack
from broker.settings import load_settings


def _stack_file(tmp_path: Path, *, secured: bool) -> Path:
    info = {
        "state_dir": str(tmp_path),
        "bootstrap_servers": "127.0.0.1:19092",
        "kafka_auth": secured,
        "token_issuer_url": "https://127.0.0.1:18443" if secured else None,
        "ca_file": str(tmp_path / "pki" / "ca.crt") if secured else None,
    }
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(info))
    return path


def test_secured_stack_gives_a_process_its_own_key_issuer_and_ca(tmp_path: Path) -> None:
    """A secured stack's env names the principal, its key file, the issuer and the CA."""
    DevClientStore(tmp_path / "identity" / "clients").ensure("iom-router")
    access = StackAccess.from_stack_file(_stack_file(tmp_path, secured=True))

    env = access.process_env("iom-router")

    assert env["IOM_SECURITY__KAFKA_AUTH"] == "true"
    assert env["IOM_IDENTITY__CLIENT_ID"] == "iom-router"
    assert env["IOM_IDENTITY__CLIENT_KEY_FILE"] == str(
        tmp_path / "identity" / "clients" / "iom-router.key"
    )
    assert env["IOM_IDENTITY__ISSUER"] == "https://127.0.0.1:18443"
    assert env["IOM_SECURITY__KAFKA_CA_FILE"] == str(tmp_path / "pki" / "ca.crt")


def test_unknown_principal_is_refused_by_name(tmp_path: Path) -> None:
    """A client id the stack's issuer does not know is refused, naming it."""
    access = StackAccess.from_stack_file(_stack_file(tmp_path, secured=True))

    with pytest.raises(ValueError, match="'nobody-adapter'"):
        access.process_env("nobody-adapter")


def test_insecure_stack_connects_in_plaintext(tmp_path: Path) -> None:
    """A `dev up --insecure` stack gives plaintext options and turns Kafka auth off."""
    access = StackAccess.from_stack_file(_stack_file(tmp_path, secured=False))

    options = access.client_options("gwent-police-adapter", load_settings())

    assert access.process_env("iom-router")["IOM_SECURITY__KAFKA_AUTH"] == "false"
    assert options["security_protocol"] == "PLAINTEXT"
    assert options["bootstrap_servers"] == "127.0.0.1:19092"


def test_secured_settings_use_sasl_ssl_with_the_stack_ca(tmp_path: Path) -> None:
    """An agency connecting to a secured stack uses SASL_SSL, its own client id and the dev CA."""
    clients = tmp_path / "clients"
    stack = SecuredLocalStack("127.0.0.1:19092", "https://127.0.0.1:18443", tmp_path, clients)

    settings = StackAccess(stack.bootstrap_servers, stack).settings_for(
        "gdas-adapter", load_settings()
    )

    assert settings.security.kafka_auth is True
    assert settings.security.kafka_security_protocol == "SASL_SSL"
    assert settings.identity.client_id == "gdas-adapter"
    assert settings.identity.client_key_file == clients / "gdas-adapter.key"
