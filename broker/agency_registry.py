"""Read the agency registry file (``policies/agencies.yaml``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from broker.domain.agency import AgencyDirectory, AgencyDirectoryError


def load_agencies(path: Path) -> AgencyDirectory:
    """Read and validate the agency registry file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AgencyDirectoryError(f"{path}: cannot read ({error.strerror})") from None
    except yaml.YAMLError:
        raise AgencyDirectoryError(f"{path}: not valid YAML") from None
    if not isinstance(data, dict):
        raise AgencyDirectoryError(f"{path}: expected a mapping with an 'agencies' list")
    return AgencyDirectory.from_mapping(data, str(path))
