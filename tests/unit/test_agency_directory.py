"""The agency registry file is validated and names its bad entries."""

from pathlib import Path

import pytest

from broker.agency_registry import load_agencies
from broker.domain.agency import AgencyDirectory, AgencyDirectoryError
from broker.settings import PROJECT_ROOT


def test_shipped_registry_loads_with_welsh_names() -> None:
    """The shipped registry lists the Gwent and Dyfed-Powys partners, named in both languages."""
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    assert "gwent-police" in agencies
    assert agencies.get("gwent-police").name_cy == "Heddlu Gwent"
    assert agencies.get("dyfed-powys-police").name_cy == "Heddlu Dyfed-Powys"
    assert len(agencies) == 9


def test_entry_without_welsh_name_is_refused() -> None:
    """An agency missing its Welsh name is refused, naming the entry."""
    data = {"agencies": [{"id": "a", "kind": "police", "name_en": "A"}]}
    with pytest.raises(AgencyDirectoryError, match=r"agencies\[0\]: missing name_cy"):
        AgencyDirectory.from_mapping(data, "agencies.yaml")


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    """An agency of an unknown kind is refused, quoting the kind."""
    data = {"agencies": [{"id": "a", "kind": "bank", "name_en": "A", "name_cy": "A"}]}
    with pytest.raises(AgencyDirectoryError, match="'bank'"):
        AgencyDirectory.from_mapping(data)
