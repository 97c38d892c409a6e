"""Load the broker's secrets from settings (environment) or owner-only files; create dev ones.

- Pseudonymisation keys: ``security.pseudonym_keys`` (``IOM_SECURITY__PSEUDONYM_KEYS``) or
  ``security.pseudonym_keys_file``; format in :func:`broker.secrets.pseudonyms.parse_keyring`.
- Log signing key (Ed25519, for transparency-log checkpoints): ``security.log_signing_key``
  (base64 32-byte seed) or ``security.log_signing_key_file`` (PKCS#8 PEM or base64 seed).

Errors name the setting or file, never the secret.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from broker.secrets.private_files import SecretFileError, read_private_bytes, write_private_bytes
from broker.secrets.pseudonyms import PseudonymError, PseudonymKeyring, parse_keyring
from broker.settings import SecuritySettings

__all__ = [
    "SecretFileError",
    "add_pseudonym_key",
    "create_log_signing_key",
    "load_log_signing_key",
    "load_pseudonym_keyring",
]


def load_pseudonym_keyring(security: SecuritySettings) -> PseudonymKeyring:
    """The pseudonymisation keyring from the environment setting, else the file."""
    if security.pseudonym_keys is not None:
        source = "setting security.pseudonym_keys (IOM_SECURITY__PSEUDONYM_KEYS)"
        return parse_keyring(security.pseudonym_keys.get_secret_value(), source)
    if security.pseudonym_keys_file is not None:
        path = security.pseudonym_keys_file
        text = read_private_bytes(path, "pseudonymisation keys file").decode("utf-8", "replace")
        return parse_keyring(text, str(path))
    raise PseudonymError(
        "no pseudonymisation keys: set security.pseudonym_keys_file "
        "(IOM_SECURITY__PSEUDONYM_KEYS_FILE) or IOM_SECURITY__PSEUDONYM_KEYS"
    )


def add_pseudonym_key(path: Path, kid: str) -> PseudonymKeyring:
    """Append a new random key ``kid`` to the keys file (creating it); it becomes current."""
    existing = read_private_bytes(path, "pseudonymisation keys file") if path.exists() else b""
    line = f"{kid}={base64.b64encode(secrets.token_bytes(32)).decode()}\n"
    text = existing.decode("utf-8") + ("" if existing.endswith(b"\n") or not existing else "\n")
    keyring = parse_keyring(text + line, str(path))  # validate before writing
    write_private_bytes(path, (text + line).encode("utf-8"))
    return keyring


def load_log_signing_key(security: SecuritySettings) -> Ed25519PrivateKey:
    """The checkpoint signing key from the environment setting, else the file."""
    if security.log_signing_key is not None:
        where = "setting security.log_signing_key (IOM_SECURITY__LOG_SIGNING_KEY)"
        return _ed25519(security.log_signing_key.get_secret_value().encode(), where)
    if security.log_signing_key_file is not None:
        path = security.log_signing_key_file
        return _ed25519(read_private_bytes(path, "log signing key file"), str(path))
    raise SecretFileError(
        "no log signing key: set security.log_signing_key_file "
        "(IOM_SECURITY__LOG_SIGNING_KEY_FILE) or IOM_SECURITY__LOG_SIGNING_KEY"
    )


def create_log_signing_key(path: Path) -> Ed25519PrivateKey:
    """Generate an Ed25519 key into ``path`` (PKCS#8 PEM, mode 0600); refuse to overwrite."""
    if path.exists():
        raise SecretFileError(f"log signing key {path} already exists; not overwriting it")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private_bytes(path, pem)
    return key


def _ed25519(data: bytes, where: str) -> Ed25519PrivateKey:
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise SecretFileError(f"{where}: not a readable PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SecretFileError(f"{where}: the PEM key is not Ed25519")
        return key
    try:
        seed = base64.b64decode(data.strip(), validate=True)
    except ValueError:
        raise SecretFileError(f"{where}: neither PEM nor a base64 seed") from None
    if len(seed) != 32:
        raise SecretFileError(f"{where}: an Ed25519 seed is 32 bytes, not {len(seed)}")
    return Ed25519PrivateKey.from_private_bytes(seed)
