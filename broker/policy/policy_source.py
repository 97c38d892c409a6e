"""The texts a policy version is made of, and the content hash that names the version.

A policy version is a set of files: the vocabularies and every agreement, keyed by their
path relative to the policy directory. The same texts give the same version on every router,
whether read from disk or from the ``policies`` topic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

PURPOSES_FILE = "vocabulary/purposes.yaml"
LEGAL_BASES_FILE = "vocabulary/legal-bases.yaml"
AREAS_FILE = "vocabulary/areas.yaml"
SPECIAL_CATEGORY_FILE = "vocabulary/special-category.yaml"
VOCABULARY_FILES = (PURPOSES_FILE, LEGAL_BASES_FILE, AREAS_FILE, SPECIAL_CATEGORY_FILE)
AGREEMENTS_DIR = "agreements/"
VERSION_PREFIX = "sha256:"
VERSION_HEX_CHARS = 16


@dataclass(frozen=True)
class PolicySource:
    """Policy file texts by relative path; ``label`` prefixes paths in messages."""

    files: Mapping[str, str]
    label: str = ""
    version: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", MappingProxyType(dict(sorted(self.files.items()))))
        object.__setattr__(self, "version", policy_version(self.files))

    def where(self, path: str) -> str:
        """How messages name ``path``: under the label, e.g. ``policies/agreements/x.yaml``."""
        return f"{self.label.rstrip('/')}/{path}" if self.label else path

    def agreement_paths(self) -> tuple[str, ...]:
        """The agreement files, in path order."""
        return tuple(
            path
            for path in self.files
            if path.startswith(AGREEMENTS_DIR) and path.endswith((".yaml", ".yml"))
        )


def policy_version(files: Mapping[str, str]) -> str:
    """``sha256:`` and 16 hex digits over every path and text, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        for part in (path, files[path]):
            encoded = part.encode()
            digest.update(len(encoded).to_bytes(8, "big"))
            digest.update(encoded)
    return VERSION_PREFIX + digest.hexdigest()[:VERSION_HEX_CHARS]
