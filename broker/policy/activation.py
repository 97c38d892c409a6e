"""The record that activates a policy version: its files, who activated it and when (JSON).

Written to the compacted ``policies`` topic under the key ``active`` (the version every router
follows) and under ``version/<version>`` (kept, so any past version can be read back to
explain a disclosure made under it). A reader recomputes the version from the files: a record
whose content does not match its version is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from broker.policy.policy_source import PolicySource
from broker.policy.problems import PolicyError

ACTIVE_KEY = b"active"
FORMAT = 1


@dataclass(frozen=True)
class Activation:
    """A policy version as activated."""

    source: PolicySource
    activated_at: datetime
    activated_by: str

    @property
    def version(self) -> str:
        """The activated policy version."""
        return self.source.version


def archive_key(version: str) -> bytes:
    """The key under which a version is kept for later reading."""
    return f"version/{version}".encode()


def encode_activation(activation: Activation) -> bytes:
    """The JSON record for the ``policies`` topic."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": activation.version,
            "activated_at": activation.activated_at.isoformat(),
            "activated_by": activation.activated_by,
            "files": dict(activation.source.files),
        },
        sort_keys=True,
        ensure_ascii=False,
    ).encode()


def decode_activation(data: bytes, label: str = "policies topic") -> Activation:
    """Read an activation record; raise PolicyError (one line) if it is malformed."""
    try:
        raw = json.loads(data)
        files = raw["files"]
        if raw.get("format") != FORMAT or not isinstance(files, dict):
            raise ValueError("unsupported format")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
            raise ValueError("files must map paths to texts")
        activated_at = datetime.fromisoformat(raw["activated_at"])
        activated_by = str(raw["activated_by"])
        claimed = str(raw["version"])
    except (ValueError, KeyError, TypeError) as error:
        raise PolicyError(f"{label}: not a policy activation record ({error})") from None
    source = PolicySource(files, label=f"{label} {claimed}")
    if source.version != claimed:
        raise PolicyError(
            f"{label}: record claims version {claimed!r} but its files are {source.version!r}"
        )
    return Activation(source, activated_at, activated_by)
