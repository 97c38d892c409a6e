"""Adapter config files: defaults for local dev, ``file:line`` errors, secrets by reference."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from iom_adapters.sdk.config import load_config, read_secret
from iom_adapters.sdk.yaml_lines import ConfigFileError


def write(tmp_path: Path, text: str) -> Path:
    """A config file with ``text``."""
    path = tmp_path / "adapter.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_defaults_are_the_local_dev_stack(tmp_path: Path) -> None:
    """An empty config means local plaintext Kafka, no authentication, no receive sink."""
    config, _ = load_config(write(tmp_path, "agency: gwent-police\n"))
    assert config.kafka.bootstrap_servers == "127.0.0.1:9092"
    assert config.auth.kind == "none"
    assert config.receive.sink == "none"


def test_relative_paths_are_read_from_the_config_folder(tmp_path: Path) -> None:
    """Inbox, outbox and drop folder paths are relative to the config file."""
    config, _ = load_config(
        write(
            tmp_path,
            """\
            inbox: {path: inbox}
            outbox: {path: state/outbox.sqlite}
            receive: {sink: jsonl, folder: received}
            """,
        )
    )
    assert config.inbox is not None and config.inbox.path == (tmp_path / "inbox").resolve()
    assert config.outbox.path == (tmp_path / "state" / "outbox.sqlite").resolve()
    assert config.receive.folder == (tmp_path / "received").resolve()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("kafka:\n  bootstrap: x\n", 2, "kafka.bootstrap: Extra inputs are not permitted"),
        ("outbox:\n  max_bytes: -1\n", 2, "outbox.max_bytes: Input should be greater than 0"),
        (
            "agency: gdas\nreceive:\n  sink: webhook\n  url: https://example.org/hook\n",
            2,
            "receive: Value error, sink webhook needs exactly one of secret_env and secret_file",
        ),
        (
            "auth:\n  kind: client_credentials\n  token_url: https://idp.example/token\n",
            1,
            "auth: Value error, client_credentials needs token_url and client_id",
        ),
    ],
)
def test_bad_settings_are_named_at_their_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    """A wrong setting is one line: ``file:line: setting: problem``."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


def test_secret_errors_name_the_variable_not_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing secret names the environment variable it should come from."""
    monkeypatch.delenv("IOM_TEST_SECRET", raising=False)
    with pytest.raises(ConfigFileError, match="environment variable IOM_TEST_SECRET is not set"):
        read_secret("IOM_TEST_SECRET", None, "receive webhook secret")
    monkeypatch.setenv("IOM_TEST_SECRET", "s3cret")
    assert read_secret("IOM_TEST_SECRET", None, "x") == "s3cret"
