"""An adapter's run configuration (YAML), validated once with ``file:line`` errors.

Every section has defaults for the local development stack: plaintext Kafka on
127.0.0.1:9092, no authentication, state under ``.state/adapters/<agency>``. Secrets are never
written in the file: the file names an environment variable or a file that holds them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from iom_adapters.sdk.kafka_options import SecurityProtocol
from iom_adapters.sdk.yaml_lines import ConfigFileError, LocatedYaml, load_located

_STRICT = ConfigDict(extra="forbid", frozen=True)


class KafkaSection(BaseModel):
    """Where Kafka is and how to reach it."""

    model_config = _STRICT
    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: SecurityProtocol | None = None
    ca_file: Path | None = None


class AuthSection(BaseModel):
    """OAuth2 client credentials of the agency's adapter (``kind: none`` for local dev)."""

    model_config = _STRICT
    kind: Literal["none", "client_credentials"] = "none"
    token_url: str | None = None
    client_id: str | None = None
    client_secret_env: str | None = None
    client_secret_file: Path | None = None
    client_key_file: Path | None = None
    """The agency's private key (PEM, owner-only) for ``auth_method: private_key_jwt``."""
    scope: str | None = None
    audience: str | None = None
    auth_method: Literal["client_secret_basic", "client_secret_post", "private_key_jwt"] = (
        "client_secret_basic"
    )
    refresh_margin_seconds: float = Field(default=60.0, ge=0)
    ca_file: Path | None = None

    @model_validator(mode="after")
    def _complete(self) -> AuthSection:
        if self.kind == "client_credentials":
            if not self.token_url or not self.client_id:
                raise ValueError("client_credentials needs token_url and client_id")
            secrets = (self.client_secret_env, self.client_secret_file)
            if self.auth_method == "private_key_jwt":
                if self.client_key_file is None or any(s is not None for s in secrets):
                    raise ValueError("private_key_jwt needs client_key_file and no client secret")
            elif (self.client_secret_env is None) == (self.client_secret_file is None):
                raise ValueError("name exactly one of client_secret_env and client_secret_file")
        return self


class OutboxSection(BaseModel):
    """The durable outbox file and its disk budget."""

    model_config = _STRICT
    path: Path | None = None
    max_bytes: int = Field(default=256 * 1024 * 1024, gt=0)
    ledger_max_rows: int = Field(default=1_000_000, gt=0)
    ledger_days: float = Field(default=30.0, gt=0)
    transactional_id: str | None = None
    """The relay's Kafka transactional id: ``<agency>.`` then anything, one per outbox file;
    default ``<agency>.outbox-<token>``, the token random and kept in the outbox file."""


class InboxSection(BaseModel):
    """The folder the agency's system drops native files into."""

    model_config = _STRICT
    path: Path
    poll_seconds: float = Field(default=1.0, gt=0)


class ReceiveSection(BaseModel):
    """What to do with records delivered to the agency."""

    model_config = _STRICT
    sink: Literal["none", "jsonl", "webhook", "print"] = "none"
    folder: Path | None = None
    url: str | None = None
    secret_env: str | None = None
    secret_file: Path | None = None
    max_attempts: int = Field(default=5, ge=1)
    timeout_seconds: float = Field(default=10.0, gt=0)
    group_id: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> ReceiveSection:
        if self.sink == "jsonl" and self.folder is None:
            raise ValueError("sink jsonl needs folder")
        if self.sink == "webhook":
            if not self.url:
                raise ValueError("sink webhook needs url")
            if (self.secret_env is None) == (self.secret_file is None):
                raise ValueError("sink webhook needs exactly one of secret_env and secret_file")
        return self


class AdapterConfig(BaseModel):
    """Everything ``iom-broker adapter run`` needs."""

    model_config = _STRICT
    agency: str | None = None
    state_dir: Path | None = None
    kafka: KafkaSection = KafkaSection()
    auth: AuthSection = AuthSection()
    outbox: OutboxSection = OutboxSection()
    inbox: InboxSection | None = None
    receive: ReceiveSection = ReceiveSection()
    options: dict[str, Any] = Field(default_factory=dict)


_PATH_FIELDS = (
    ("state_dir",),
    ("kafka", "ca_file"),
    ("auth", "client_secret_file"),
    ("auth", "client_key_file"),
    ("auth", "ca_file"),
    ("outbox", "path"),
    ("inbox", "path"),
    ("receive", "folder"),
    ("receive", "secret_file"),
)


def load_config(path: Path) -> tuple[AdapterConfig, LocatedYaml]:
    """Read and validate a config file; relative paths are taken from the file's folder."""
    located = load_located(path)
    data = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise located.error((), "expected a mapping of settings")
    try:
        config = AdapterConfig.model_validate(data)
    except ValidationError as error:
        raise located.validation_error(error) from None
    return resolve_paths(config, path.parent), located


def resolve_paths(config: AdapterConfig, base: Path) -> AdapterConfig:
    """The config with every relative path made relative to ``base``."""
    data = config.model_dump()
    for keys in _PATH_FIELDS:
        holder: Any = data
        for key in keys[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(keys[-1]), Path):
            holder[keys[-1]] = (base / holder[keys[-1]]).resolve()
    return AdapterConfig.model_validate(data)


def read_secret(env: str | None, file: Path | None, what: str) -> str:
    """A secret from the named environment variable or file; the error names where, not it."""
    if env is not None:
        value = os.environ.get(env)
        if not value:
            raise ConfigFileError(f"{what}: environment variable {env} is not set")
        return value
    if file is not None:
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigFileError(f"{what}: cannot read {file} ({error.strerror})") from None
        if not value:
            raise ConfigFileError(f"{what}: {file} is empty")
        return value
    raise ConfigFileError(f"{what}: no secret configured")
