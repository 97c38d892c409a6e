"""Area diff shows how Gwent and Dyfed-Powys differ: justice by geography, made visible."""

from __future__ import annotations

from broker.policy.area_diff import area_diff
from tests.unit.policy.support import agencies, shipped


def differences(left: str, right: str) -> dict[tuple[str, str, str], list[str]]:
    """Each differing flow (by agency kinds) with what differs."""
    found = area_diff(shipped().policy, agencies(), left, right)
    return {d.flow: d.differences() for d in found}


def test_local_variations_between_gwent_and_dyfed_powys_are_listed() -> None:
    """Conditions, fields, transforms and flows only one area has all show up."""
    found = differences("gwent", "dyfed-powys")
    assert found[("probation", "police", "breach")] == [
        "condition: (none) -> payload.action != 'WARNING'"
    ]
    assert found[("housing", "probation", "accommodation_change")] == [
        "fields: -payload.address_line, payload.postcode as is -> generalise"
    ]
    assert found[("probation", "housing", "recall")] == ["only in one area"]
    assert ("police", "probation", "arrest") not in found


def test_an_area_does_not_differ_from_itself() -> None:
    """Comparing an area with itself finds nothing."""
    assert differences("gwent", "gwent") == {}
