"""The agency registry names each agency's principal and DPO contact, validated."""

from __future__ import annotations

from typing import Any

import pytest

from broker.domain.agency import AgencyDirectory, AgencyDirectoryError
from tests.unit.identity.keys import agencies


def _entry(**extra: Any) -> dict[str, Any]:
    return {"id": "a", "kind": "police", "name_en": "A", "name_cy": "A", **extra}


def test_every_shipped_agency_has_a_principal_and_a_dpo() -> None:
    """Each agency in the shipped registry has a distinct principal and a DPO email."""
    shipped = list(agencies())

    assert len({a.principal for a in shipped}) == len(shipped)
    assert all(a.dpo is not None and "@" in a.dpo.email for a in shipped)
    assert agencies().by_principal("gwent-police-adapter") == agencies().get("gwent-police")


def test_principal_defaults_to_the_agency_id_with_adapter() -> None:
    """An entry without a principal authenticates as '<id>-adapter'."""
    directory = AgencyDirectory.from_mapping({"agencies": [_entry()]})

    assert directory.get("a").principal == "a-adapter"
    assert directory.get("a").dpo is None


@pytest.mark.parametrize(
    ("principal", "message"),
    [
        ("User:a", "principal 'User:a'"),
        ("a;b", "principal 'a;b'"),
        ("iom-router", "kept for the broker's own components"),
    ],
)
def test_bad_or_reserved_principals_are_refused(principal: str, message: str) -> None:
    """A principal that could break ACLs, or that takes a broker principal's name, is refused."""
    with pytest.raises(AgencyDirectoryError, match=message):
        AgencyDirectory.from_mapping({"agencies": [_entry(principal=principal)]}, "agencies.yaml")


def test_two_agencies_cannot_share_a_principal() -> None:
    """A principal used by two agencies would merge their rights; it is refused."""
    data = {"agencies": [_entry(principal="p"), {**_entry(principal="p"), "id": "b"}]}

    with pytest.raises(AgencyDirectoryError, match="principal 'p' is used by both 'a' and 'b'"):
        AgencyDirectory.from_mapping(data)


@pytest.mark.parametrize(
    ("dpo", "message"),
    [
        ({"name": "DPO", "email": "not-an-email"}, "dpo email 'not-an-email'"),
        ({"email": "dpo@a.example"}, "dpo needs a name"),
        ("dpo@a.example", "dpo must be a mapping"),
    ],
)
def test_bad_dpo_contacts_are_refused(dpo: object, message: str) -> None:
    """A DPO contact without a name or a valid email is refused, naming the entry."""
    with pytest.raises(AgencyDirectoryError, match=rf"agencies\[0\]: {message}"):
        AgencyDirectory.from_mapping({"agencies": [_entry(dpo=dpo)]})
