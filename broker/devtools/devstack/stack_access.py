"""How a process reaches a running development stack, as one principal or another.

With authentication on (the default of ``dev up``) every principal connects with
SASL/OAUTHBEARER over TLS, using its own ``private_key_jwt`` client key from the stack's
``identity/clients/`` folder and a token from the stack's development issuer. With
``dev up --insecure`` everything is plaintext on loopback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broker.devtools.kafka.secured_local_kafka import SecuredLocalStack
from broker.kafka.client_options import kafka_client_options
from broker.settings import Settings, load_settings

__all__ = ["StackAccess"]


@dataclass(frozen=True)
class StackAccess:
    """Bootstrap servers plus, when the stack is secured, its issuer, CA and client keys."""

    bootstrap_servers: str
    secured: SecuredLocalStack | None = None

    @classmethod
    def from_stack_file(cls, stack_file: Path) -> StackAccess:
        """Read ``stack.json`` as written by ``dev up``."""
        info = json.loads(stack_file.read_text(encoding="utf-8"))
        bootstrap = str(info["bootstrap_servers"])
        if not info.get("kafka_auth"):
            return cls(bootstrap)
        state = Path(info["state_dir"])
        secured = SecuredLocalStack(
            bootstrap,
            str(info["token_issuer_url"]),
            Path(info["ca_file"]),
            _clients(state),
            token_url=info.get("token_url"),
            jwks_url=info.get("jwks_url"),
        )
        return cls(bootstrap, secured)

    def settings_for(self, principal: str, base: Settings | None = None) -> Settings:
        """Settings with which ``principal`` (an agency's or a broker client id) connects."""
        base = base or load_settings()
        if self.secured is not None:
            return self.secured.settings_for(principal, base)
        return load_settings(
            kafka=base.kafka.model_copy(update={"bootstrap_servers": self.bootstrap_servers}),
            identity=base.identity,
            security=base.security.model_copy(update={"kafka_auth": False}),
        )

    def client_options(self, principal: str, base: Settings | None = None) -> dict[str, Any]:
        """aiokafka arguments for ``principal`` (one token provider per call)."""
        return kafka_client_options(self.settings_for(principal, base))

    def process_env(self, principal: str) -> dict[str, str]:
        """``IOM_*`` variables that make a broker process connect as ``principal``."""
        env = {"IOM_KAFKA__BOOTSTRAP_SERVERS": self.bootstrap_servers}
        if self.secured is None:
            env["IOM_SECURITY__KAFKA_AUTH"] = "false"
            return env
        key_file = self.secured.clients_dir / f"{principal}.key"
        if not key_file.exists():
            raise ValueError(f"no development client {principal!r} in {self.secured.clients_dir}")
        ca_file = str(self.secured.ca_file)
        env.update(
            {
                "IOM_SECURITY__KAFKA_AUTH": "true",
                "IOM_SECURITY__KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "IOM_SECURITY__KAFKA_CA_FILE": ca_file,
                "IOM_IDENTITY__ISSUER": self.secured.issuer_url,
                **_when_set("IOM_IDENTITY__TOKEN_URL", self.secured.token_url),
                **_when_set("IOM_IDENTITY__JWKS_URL", self.secured.jwks_url),
                "IOM_IDENTITY__CLIENT_ID": principal,
                "IOM_IDENTITY__CLIENT_KEY_FILE": str(key_file),
                "IOM_IDENTITY__CA_FILE": ca_file,
            }
        )
        return env


def _clients(state_dir: Path) -> Path:
    return state_dir / "identity" / "clients"


def _when_set(name: str, value: str | None) -> dict[str, str]:
    return {name: value} if value else {}
