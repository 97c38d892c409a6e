"""Client properties for Kafka's own (Java) command-line tools, from the broker's settings.

The Java counterpart of :func:`broker.kafka.client_options.kafka_client_options`: the same
cluster, security protocol, CA and identity. With ``security.kafka_auth`` the Java client
logs in with SASL/OAUTHBEARER and fetches its own client-credentials tokens from
``identity.effective_token_url`` (refreshing them itself), authenticating with a
``private_key_jwt`` assertion signed with ``identity.client_key_file`` (preferred) or with
``identity.client_secret_file``. Kafka 4 fetches only URLs and reads only key files that
the JVM's ``org.apache.kafka.sasl.oauthbearer.allowed.*`` system properties name, so
:attr:`JavaClientConfig.system_properties` carries those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from broker.secrets.private_files import read_private_bytes, write_private_bytes
from broker.settings import Settings

__all__ = [
    "JavaClientConfig",
    "JavaClientConfigError",
    "java_client_config",
    "properties_text",
    "write_client_properties",
]

_LOGIN_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
_LOGIN_HANDLER = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler"
_ASSERTION_LIFETIME_S = 60
_REFRESH_MARGIN_S = 60


class JavaClientConfigError(ValueError):
    """The settings cannot be expressed as Java client properties; the message is one line."""


@dataclass(frozen=True)
class JavaClientConfig:
    """What a Java Kafka client needs: its properties and the JVM's system properties."""

    bootstrap_servers: str
    properties: Mapping[str, str]
    system_properties: tuple[str, ...]


def java_client_config(settings: Settings) -> JavaClientConfig:
    """The Java client configuration equivalent to ``settings`` (see the module docstring)."""
    security = settings.security
    bootstrap = settings.kafka.bootstrap_servers
    if not security.kafka_auth:
        return JavaClientConfig(bootstrap, {"security.protocol": "PLAINTEXT"}, ())
    identity = settings.identity
    token_url = identity.effective_token_url
    properties: dict[str, str] = {"security.protocol": security.kafka_security_protocol}
    if security.kafka_security_protocol == "SASL_SSL" and security.kafka_ca_file is not None:
        properties |= _pem_truststore(security.kafka_ca_file)
    jaas_options = "".join(
        f' {name}="{_jaas_value(value)}"'
        for name, value in _pem_truststore(identity.ca_file).items()
    )
    properties |= {
        "sasl.mechanism": "OAUTHBEARER",
        "sasl.login.callback.handler.class": _LOGIN_HANDLER,
        "sasl.jaas.config": f"{_LOGIN_MODULE} required{jaas_options};",
        "sasl.oauthbearer.token.endpoint.url": token_url,
        "sasl.oauthbearer.client.credentials.client.id": identity.client_id,
        # Renew a token a minute before it lapses, as the Python clients do (Kafka's default
        # five minutes cannot be met by the development issuer's five-minute tokens).
        "sasl.login.refresh.buffer.seconds": str(_REFRESH_MARGIN_S),
    }
    allowed = [f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls={token_url}"]
    if identity.client_key_file is not None:
        properties |= _assertion(identity.client_id, token_url, identity.client_key_file)
        allowed.append(
            f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.files={identity.client_key_file}"
        )
    elif identity.client_secret_file is not None:
        secret = read_private_bytes(identity.client_secret_file, "client secret")
        properties["sasl.oauthbearer.client.credentials.client.secret"] = secret.decode().strip()
    else:
        raise JavaClientConfigError(
            "identity.client_key_file (IOM_IDENTITY__CLIENT_KEY_FILE) or "
            "identity.client_secret_file is needed to authenticate to Kafka"
        )
    return JavaClientConfig(bootstrap, properties, tuple(allowed))


def properties_text(properties: Mapping[str, str]) -> str:
    """``properties`` in Java ``.properties`` syntax (backslashes and line breaks escaped)."""
    lines = [f"{key}={_escape(value)}" for key, value in properties.items()]
    return "\n".join(lines) + "\n"


def write_client_properties(path: Path, config: JavaClientConfig) -> Path:
    """Write ``config``'s properties to ``path``, owner-only (0600): it may hold a secret."""
    write_private_bytes(path, properties_text(config.properties).encode("utf-8"))
    return path


def _pem_truststore(ca_file: Path | None) -> dict[str, str]:
    if ca_file is None:
        return {}
    return {"ssl.truststore.type": "PEM", "ssl.truststore.location": str(ca_file)}


def _assertion(client_id: str, token_url: str, key_file: Path) -> dict[str, str]:
    algorithm = _signing_algorithm(read_private_bytes(key_file, "client key"))
    if algorithm is None:
        raise JavaClientConfigError(
            f"client key {key_file} is not an EC P-256 or RSA private key (PEM), the "
            "only keys Kafka's client signs assertions with"
        )
    return {
        "sasl.oauthbearer.assertion.algorithm": algorithm,
        "sasl.oauthbearer.assertion.private.key.file": str(key_file),
        "sasl.oauthbearer.assertion.claim.iss": client_id,
        "sasl.oauthbearer.assertion.claim.sub": client_id,
        "sasl.oauthbearer.assertion.claim.aud": token_url,
        "sasl.oauthbearer.assertion.claim.exp.seconds": str(_ASSERTION_LIFETIME_S),
        "sasl.oauthbearer.assertion.claim.jti.include": "true",
    }


def _signing_algorithm(pem: bytes) -> str | None:
    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        return None
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    return None


def _jaas_value(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value:
        raise JavaClientConfigError(f"{value!r} cannot be quoted in a JAAS configuration")
    return value


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
