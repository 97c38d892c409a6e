"""The keyed identifier a subject's log entries are indexed under.

The router already replaces agency identifiers (CRN, PNC, NHS number...) with a keyed
``subject_ref``. The log keys it once more with its own secret, so the log's index cannot be
joined with Kafka records or any other store without that key.
"""

from __future__ import annotations

import hashlib
import hmac

INDEX_PREFIX = "lsi-"
KEY_BYTES = 32


def subject_index(key: bytes, subject_ref: str) -> str:
    """The log subject index of ``subject_ref`` under ``key`` (128 bits, hex)."""
    if len(key) < KEY_BYTES:
        raise ValueError(f"subject index key is {len(key)} bytes, expected at least {KEY_BYTES}")
    return INDEX_PREFIX + hmac.digest(key, subject_ref.encode(), hashlib.sha256)[:16].hex()
