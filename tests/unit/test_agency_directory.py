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


def test_each_kind_owns_the_identifiers_it_issues() -> None:
    """Police own PNC ids, probation CRNs and NOMS numbers, health NHS numbers; housing none."""
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    assert agencies.owned_identifiers("gwent-police") == {"pnc_id"}
    assert agencies.owned_identifiers("probation-wales") == {"crn", "noms_number"}
    assert agencies.owned_identifiers("aneurin-bevan-uhb") == {"nhs_number"}
    assert agencies.owned_identifiers("newport-housing") == frozenset()


def test_registry_can_add_an_owning_kind() -> None:
    """``identifier_owners`` lets a deployment's drug and alcohol services add NHS numbers."""
    data = {
        "agencies": [{"id": "a", "kind": "substance_misuse", "name_en": "A", "name_cy": "A"}],
        "identifier_owners": {"nhs_number": ["substance_misuse"]},
    }
    assert AgencyDirectory.from_mapping(data).owned_identifiers("a") == {"nhs_number"}


@pytest.mark.parametrize(
    ("owners", "message"),
    [
        ({"passport": ["police"]}, "identifier_owners: unknown identifier type 'passport'"),
        ({"nhs_number": ["bank"]}, r"identifier_owners\.nhs_number: unknown kind 'bank'"),
        ({"nhs_number": "health"}, r"identifier_owners\.nhs_number: expected a list"),
    ],
)
def test_bad_identifier_owners_are_refused(owners: object, message: str) -> None:
    """An unknown identifier type or kind in ``identifier_owners`` is refused, quoting it."""
    data = {
        "agencies": [{"id": "a", "kind": "police", "name_en": "A", "name_cy": "A"}],
        "identifier_owners": owners,
    }
    with pytest.raises(AgencyDirectoryError, match=message):
        AgencyDirectory.from_mapping(data, "agencies.yaml")
