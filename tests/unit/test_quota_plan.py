"""Each agency principal's Kafka quotas come from the settings' defaults and the registry."""

from __future__ import annotations

import pytest

from broker.domain.agency import AgencyDirectory, AgencyDirectoryError
from broker.kafka.quotas import quota_plan

DEFAULTS = {"producer_byte_rate": 1024.0, "consumer_byte_rate": 4096.0, "request_percentage": 50.0}


def _registry(**quotas: object) -> AgencyDirectory:
    entries: list[dict[str, object]] = [
        {"id": "gwent-police", "kind": "police", "name_en": "P", "name_cy": "H"},
        {"id": "gdas", "kind": "substance_misuse", "name_en": "G", "name_cy": "G"},
    ]
    if quotas:
        entries[0]["quotas"] = quotas
    return AgencyDirectory.from_mapping({"agencies": entries})


def test_every_agency_principal_gets_the_default_quotas() -> None:
    """Without overrides each agency's principal is planned with every default quota."""
    plan = quota_plan(_registry(), DEFAULTS)
    assert plan == {"gwent-police-adapter": DEFAULTS, "gdas-adapter": DEFAULTS}


def test_registry_overrides_and_removes_quotas_for_one_agency() -> None:
    """An agency's ``quotas:`` entry changes only its own limits; ``null`` drops one."""
    plan = quota_plan(_registry(producer_byte_rate=8192, request_percentage=None), DEFAULTS)
    assert plan["gwent-police-adapter"] == {
        "consumer_byte_rate": 4096.0,
        "producer_byte_rate": 8192.0,
    }
    assert plan["gdas-adapter"] == DEFAULTS


def test_unset_defaults_give_no_quota() -> None:
    """A default set to None (no limit) is left out of the plan."""
    plan = quota_plan(_registry(), {"producer_byte_rate": 1024.0, "consumer_byte_rate": None})
    assert plan["gdas-adapter"] == {"producer_byte_rate": 1024.0}


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ({"bandwidth": 5}, r"agencies\[0\]: quotas.bandwidth: unknown quota"),
        ({"producer_byte_rate": -1}, r"quotas.producer_byte_rate: -1 must be a positive number"),
        ({"producer_byte_rate": "fast"}, r"quotas.producer_byte_rate: 'fast' must be"),
    ],
)
def test_bad_registry_quotas_are_refused_naming_the_entry(
    quotas: dict[str, object], message: str
) -> None:
    """A misspelt quota or a bad value is a one-line error naming the agency entry and key."""
    with pytest.raises(AgencyDirectoryError, match=message):
        _registry(**quotas)
