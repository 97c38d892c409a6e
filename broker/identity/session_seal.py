"""A web session's id and its tokens sealed under a key only the browser's cookie holds.

The cookie carries a random session id (256 bits). The server keeps only its SHA-256 (to find
the session) and the session's tokens encrypted with AES-256-GCM under a key derived from the
id (HKDF-SHA256): someone who copies the records database finds neither a cookie to replay nor
a token to use.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "MAX_SESSION_ID",
    "SessionTokens",
    "new_session_id",
    "seal_tokens",
    "session_hash",
    "unseal_tokens",
]

_ID_BYTES = 32
MAX_SESSION_ID = 64
"""A cookie value longer than this is not one of ours (``token_urlsafe(32)`` is 43)."""
_NONCE_BYTES = 12
_KEY_INFO = b"iom-broker web session tokens v1"
_HASH_PREFIX = b"iom-broker web session id v1\x00"


@dataclass(frozen=True)
class SessionTokens:
    """What the identity provider gave for one signed-in person (never logged)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    id_token: str | None = field(default=None, repr=False)
    """Kept for RP-initiated logout (``id_token_hint``)."""


def new_session_id() -> str:
    """A fresh, unguessable session id for a cookie."""
    return secrets.token_urlsafe(_ID_BYTES)


def session_hash(session_id: str) -> str:
    """The id under which the server keeps the session (hex SHA-256; the id has 256 bits)."""
    return hashlib.sha256(_HASH_PREFIX + session_id.encode()).hexdigest()


def _key(session_id: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO)
    return hkdf.derive(session_id.encode())


def seal_tokens(session_id: str, tokens: SessionTokens) -> str:
    """``tokens`` encrypted for the session ``session_id`` (bound to its hash)."""
    plain = json.dumps(
        {"a": tokens.access_token, "r": tokens.refresh_token, "i": tokens.id_token}
    ).encode()
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_key(session_id)).encrypt(nonce, plain, session_hash(session_id).encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal_tokens(session_id: str, sealed: str) -> SessionTokens | None:
    """The tokens sealed for ``session_id``, or None (another id, or altered)."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        plain = AESGCM(_key(session_id)).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], session_hash(session_id).encode()
        )
        values = json.loads(plain)
    except (ValueError, InvalidTag):
        return None
    access, refresh, id_token = values.get("a"), values.get("r"), values.get("i")
    if not isinstance(access, str):
        return None
    return SessionTokens(
        access,
        refresh if isinstance(refresh, str) else None,
        id_token if isinstance(id_token, str) else None,
    )
