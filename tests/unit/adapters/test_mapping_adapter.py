"""The declarative mapping adapter on the housing (CSV) and drug & alcohol (JSON) samples."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.mapping import DeclarativeMappingAdapter
from iom_adapters.sdk.outcomes import Skipped
from iom_adapters.sdk.yaml_lines import ConfigFileError
from tests.unit.adapters.samples import SAMPLES, convert, events, rejected


def mapping_adapter(
    folder: str, mapping: str, agency: str | None = None
) -> DeclarativeMappingAdapter:
    """The mapping adapter for a sample mapping file."""
    return DeclarativeMappingAdapter.create(
        agency=agency,
        options={"mapping": mapping},
        catalogue=default_catalogue(),
        base_dir=SAMPLES / folder,
    )


@pytest.fixture(scope="module")
def housing() -> DeclarativeMappingAdapter:
    """Newport housing's mapping."""
    return mapping_adapter("housing", "newport-housing.mapping.yaml")


@pytest.fixture(scope="module")
def gdas() -> DeclarativeMappingAdapter:
    """The drug and alcohol service's mapping."""
    return mapping_adapter("gdas", "gdas.mapping.yaml")


def test_housing_rows_map_to_accommodation_and_referral_outcome(
    housing: DeclarativeMappingAdapter,
) -> None:
    """Rows select their rule by Record Type; tenure is mapped and the postcode upper-cased."""
    found = events(convert(housing, "housing", "housing-extract.csv"))
    assert [e["envelope"]["event_type"] for e in found] == [
        "accommodation_change",
        "referral_outcome",
        "accommodation_change",
    ]
    move = found[0]
    assert move["envelope"]["source_agency"] == "newport-housing"
    assert move["envelope"]["subject"]["crn"] == "E482913"
    assert move["envelope"]["occurred_at"] == datetime(2026, 3, 9, 16, 20, tzinfo=UTC)
    assert move["payload"] == {
        "accommodation_type": "TEMPORARY",
        "address_line": "Room 4, 12 Example Terrace",
        "postcode": "NP20 5AA",
        "effective_from": date(2026, 3, 9),
    }
    assert found[1]["payload"] == {
        "referral_id": "7f0c2b9e-1d4a-4c1e-8a55-2b7f3c9d0e61",
        "service": "HOUSING",
        "outcome": "ACCEPTED",
        "notes": None,
    }


def test_housing_problems_are_reported(housing: DeclarativeMappingAdapter) -> None:
    """Bad CRN, tenure missing from the map and missing referral id are rejected; an
    unselected row is skipped."""
    outcomes = convert(housing, "housing", "housing-extract.csv")
    assert [(p.locator, p.reason, p.field) for p in rejected(outcomes)] == [
        ("housing-extract.csv:5", "invalid_identifier", "Probation CRN"),
        ("housing-extract.csv:6", "invalid_value", "Tenure"),
        ("housing-extract.csv:8", "missing_field", "Referral Ref"),
    ]
    assert [s.locator for s in outcomes if isinstance(s, Skipped)] == ["housing-extract.csv:7"]


def test_gdas_json_items_by_path(gdas: DeclarativeMappingAdapter) -> None:
    """JSON paths read nested values; both identifiers travel when present."""
    found = events(convert(gdas, "gdas", "gdas-export.json"))
    assert [e["envelope"]["event_type"] for e in found] == [
        "referral_outcome",
        "appointment",
        "appointment",
    ]
    assert found[0]["envelope"]["subject"]["nhs_number"] == "9731182047"
    assert found[1]["payload"]["outcome"] == "ATTENDED"
    assert found[1]["payload"]["clinical_notes"] is None
    assert found[2]["payload"]["outcome"] == "MISSED"
    assert found[2]["payload"]["scheduled_for"] == datetime(2026, 4, 8, 10, 0, tzinfo=UTC)


def test_gdas_problems_are_located_by_json_path(gdas: DeclarativeMappingAdapter) -> None:
    """Unknown attendance and a client without identifiers are rejected at their item."""
    problems = rejected(convert(gdas, "gdas", "gdas-export.json"))
    assert [(p.locator, p.reason) for p in problems] == [
        ("gdas-export.json#/items/3", "invalid_value"),
        ("gdas-export.json#/items/4", "missing_field"),
    ]


def test_agency_must_match_the_mapping_file() -> None:
    """A config naming another agency than the mapping file fails at start."""
    with pytest.raises(ConfigFileError, match="differs from 'gdas'"):
        mapping_adapter("gdas", "gdas.mapping.yaml", agency="newport-housing")


def test_missing_mapping_option_is_named() -> None:
    """Without ``options.mapping`` the adapter says what to set."""
    with pytest.raises(ConfigFileError, match=r"options\.mapping"):
        DeclarativeMappingAdapter.create(agency=None, options={}, catalogue=default_catalogue())
