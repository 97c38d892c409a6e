"""Keyed pseudonyms with key ids, so keys can be rotated without breaking old pseudonyms. Pure.

A pseudonym is ``<kid>.<base32 HMAC-SHA256>``. The HMAC key is derived per recipient from a
master key (``HMAC(master, "iom-pseudonym/v1/" + recipient)``), so two recipients get
unrelated pseudonyms for the same value and cannot join their data. New pseudonyms use the
current (last added) key; a pseudonym made under an older key still verifies, because its
key id says which key to use. Retiring a key is removing it from the ring.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping

__all__ = ["MIN_KEY_BYTES", "PseudonymError", "PseudonymKeyring", "parse_keyring"]

MIN_KEY_BYTES = 32
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_CONTEXT = b"iom-pseudonym/v1/"


class PseudonymError(ValueError):
    """A keyring or pseudonym is malformed; the message names the key id, never the key."""


class PseudonymKeyring:
    """Master keys by key id; ``current`` makes new pseudonyms."""

    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if not keys:
            raise PseudonymError("a pseudonym keyring needs at least one key")
        for kid, key in keys.items():
            if not _KID.match(kid):
                raise PseudonymError(f"key id {kid!r} must be 1-32 letters, digits, '-' or '_'")
            if len(key) < MIN_KEY_BYTES:
                raise PseudonymError(f"key {kid!r} is shorter than {MIN_KEY_BYTES} bytes")
        if current not in keys:
            raise PseudonymError(f"current key id {current!r} is not in the keyring")
        self._keys = dict(keys)
        self.current = current

    def __repr__(self) -> str:
        return f"PseudonymKeyring(key_ids={sorted(self._keys)!r}, current={self.current!r})"

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The key ids held, in insertion order."""
        return tuple(self._keys)

    def pseudonym(self, value: str, recipient: str) -> str:
        """The pseudonym of ``value`` for ``recipient`` under the current key."""
        return self._make(self.current, value, recipient)

    def matches(self, pseudonym: str, value: str, recipient: str) -> bool:
        """Whether ``pseudonym`` was made from ``value`` for ``recipient`` under any held key."""
        kid = key_id_of(pseudonym)
        if kid not in self._keys:
            return False
        return hmac.compare_digest(self._make(kid, value, recipient), pseudonym)

    def refresh(self, pseudonym: str, value: str, recipient: str) -> str:
        """Re-key a verified pseudonym under the current key (for re-pseudonymisation jobs)."""
        if not self.matches(pseudonym, value, recipient):
            raise PseudonymError("the pseudonym does not belong to this value and recipient")
        return self.pseudonym(value, recipient)

    def _make(self, kid: str, value: str, recipient: str) -> str:
        derived = hmac.new(self._keys[kid], _CONTEXT + recipient.encode(), hashlib.sha256)
        mac = hmac.new(derived.digest(), value.encode(), hashlib.sha256).digest()
        return f"{kid}.{base64.b32encode(mac).decode().rstrip('=').lower()}"


def key_id_of(pseudonym: str) -> str:
    """The key id a pseudonym was made under."""
    kid, sep, _ = pseudonym.partition(".")
    if not sep or not _KID.match(kid):
        raise PseudonymError("a pseudonym looks like '<kid>.<digest>'")
    return kid


def parse_keyring(text: str, source: str) -> PseudonymKeyring:
    """Parse ``kid=base64`` entries (one a line, or comma separated; ``#`` comments).

    The last entry is the current key, so rotating is appending a line.
    """
    keys: dict[str, bytes] = {}
    entries = [e.strip() for line in text.splitlines() for e in line.split("#")[0].split(",")]
    for number, entry in enumerate((e for e in entries if e), start=1):
        kid, sep, encoded = entry.partition("=")
        kid = kid.strip()
        if not sep or not kid:
            raise PseudonymError(f"{source}: entry {number} is not 'kid=base64'")
        if kid in keys:
            raise PseudonymError(f"{source}: key id {kid!r} appears twice")
        try:
            keys[kid] = _b64decode(encoded.strip())
        except ValueError:
            raise PseudonymError(f"{source}: key {kid!r} is not base64") from None
    if not keys:
        raise PseudonymError(f"{source}: no pseudonymisation keys")
    try:
        return PseudonymKeyring(keys, current=list(keys)[-1])
    except PseudonymError as error:
        raise PseudonymError(f"{source}: {error}") from None


def _b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not; anything else is an error."""
    normalised = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(normalised + "=" * (-len(normalised) % 4), validate=True)
