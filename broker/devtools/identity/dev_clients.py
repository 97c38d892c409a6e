"""Credentials of the development issuer's OAuth2 clients, kept in the issuer's state dir.

For each client id: ``clients/<id>.key`` (EC P-256 private key, for ``private_key_jwt``;
what the client holds) and ``clients/<id>.secret`` (for ``client_secret_basic``). The issuer
reads only the public key and a digest of the secret. Development only: in production each
agency holds its own key and registers only the public half with its IdP.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey

from broker.secrets.private_files import read_private_bytes, write_private_bytes

__all__ = ["ClientCredentialFiles", "DevClientStore"]

_CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class ClientCredentialFiles:
    """Where one client's private key and secret are."""

    client_id: str
    key_file: Path
    secret_file: Path


class DevClientStore:
    """Client credentials under ``directory``, created on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def ensure(self, client_id: str) -> ClientCredentialFiles:
        """Create the client's key and secret if absent; return their paths."""
        if not _CLIENT_ID.match(client_id):
            raise ValueError(f"client id {client_id!r} must be a lower-case slug")
        files = ClientCredentialFiles(
            client_id,
            self.directory / f"{client_id}.key",
            self.directory / f"{client_id}.secret",
        )
        if not files.key_file.exists():
            key = ECKey.generate_key("P-256", parameters={"alg": "ES256"}, auto_kid=True)
            write_private_bytes(files.key_file, key.as_pem(private=True))
        if not files.secret_file.exists():
            write_private_bytes(files.secret_file, secrets.token_urlsafe(32).encode())
        return files

    def public_jwk(self, client_id: str) -> dict[str, Any]:
        """The public JWK the issuer verifies this client's assertions with."""
        files = self.ensure(client_id)
        key = ECKey.import_key(read_private_bytes(files.key_file, "client key"))
        key.ensure_kid()
        return {**key.as_dict(private=False), "alg": "ES256"}

    def secret_digest(self, client_id: str) -> bytes:
        """SHA-256 of the client's secret, for a constant-time comparison."""
        files = self.ensure(client_id)
        return hashlib.sha256(
            read_private_bytes(files.secret_file, "client secret").strip()
        ).digest()
