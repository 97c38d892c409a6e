"""The police custody export adapter: documented columns to arrest, charge and release."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.sdk.outcomes import Converted
from iom_adapters.sdk.source import SourceDocument
from iom_adapters.sdk.yaml_lines import ConfigFileError
from tests.unit.adapters.samples import convert, events, rejected


@pytest.fixture(scope="module")
def adapter() -> CustodyExportAdapter:
    """The adapter with the default column layout."""
    return CustodyExportAdapter.create(agency=None, options=None, catalogue=default_catalogue())


def test_csv_rows_become_arrest_charges_and_release(adapter: CustodyExportAdapter) -> None:
    """One custody record's rows map to an arrest, two charges and a release."""
    found = events(convert(adapter, "police", "custody-export.csv"))
    first = [e for e in found if e["envelope"]["subject"]["pnc_id"] == "2019/0412873N"]
    assert [e["envelope"]["event_type"] for e in first] == [
        "arrest",
        "charge",
        "charge",
        "custody_release",
    ]
    arrest, charge, _, release = first
    assert arrest["payload"] == {
        "offence_category": "Theft",
        "offence_description": "Theft from a shop, value under £200",
        "custody_suite": "Newport Central",
        "location_postcode": "NP20 1DW",
        "arresting_force": None,
    }
    assert charge["payload"]["court"] == "Newport Magistrates' Court"
    assert charge["payload"]["first_hearing_date"] == date(2026, 3, 23)
    assert release["payload"]["outcome"] == "CHARGED_AND_BAILED"
    assert len({e["envelope"]["event_id"] for e in first}) == 4


def test_local_times_are_converted_to_utc(adapter: CustodyExportAdapter) -> None:
    """UK local times in the export (BST in April) become UTC instants."""
    found = events(convert(adapter, "police", "custody-export.csv"))
    burglary = next(e for e in found if e["payload"].get("offence_category") == "Burglary")
    assert burglary["envelope"]["occurred_at"] == datetime(2026, 4, 2, 16, 20, tzinfo=UTC)


def test_cross_border_arrest_names_the_arresting_force(adapter: CustodyExportAdapter) -> None:
    """An arrest by another force carries that force in arresting_force (arrest v2)."""
    found = events(convert(adapter, "police", "custody-export.csv"))
    burglary = next(e for e in found if e["payload"].get("offence_category") == "Burglary")
    assert burglary["payload"]["arresting_force"] == "dyfed-powys-police"
    assert burglary["envelope"]["schema_version"] == 2


def test_bad_rows_are_reported_with_their_lines(adapter: CustodyExportAdapter) -> None:
    """Wrong check letter, unknown disposal, missing category and a ragged row: four reports."""
    problems = rejected(convert(adapter, "police", "custody-export.csv"))
    assert [(p.locator, p.reason, p.field) for p in problems] == [
        ("custody-export.csv:8", "invalid_identifier", "PNCID"),
        ("custody-export.csv:9", "invalid_value", "Disposal"),
        ("custody-export.csv:10", "missing_field", "OffenceCategory"),
        ("custody-export.csv:11", "malformed_input", ""),
    ]


def test_json_export_with_records_list(adapter: CustodyExportAdapter) -> None:
    """The JSON export's ``records`` map like CSV rows, located by JSON path."""
    outcomes = convert(adapter, "police", "custody-export.json")
    mapped = [o for o in outcomes if isinstance(o, Converted)]
    assert [o.locator for o in mapped] == [
        "custody-export.json#/records/0",
        "custody-export.json#/records/1",
        "custody-export.json#/records/2",
    ]
    assert mapped[2].event["payload"]["outcome"] == "REMANDED"
    (problem,) = rejected(outcomes)
    assert (problem.locator, problem.field) == ("custody-export.json#/records/3", "EventType")


def test_renamed_columns_through_options() -> None:
    """A force whose export says ``PNC ID`` maps it through the ``columns`` option."""
    renamed = CustodyExportAdapter.create(
        agency=None, options={"columns": {"pnc_id": "PNC ID"}}, catalogue=default_catalogue()
    )
    text = (
        "EventType,CustodyNumber,EventDateTime,PNC ID,OffenceCategory,OffenceDescription,"
        "CustodySuite\nARREST,62/1/26,01/05/2026 10:00,2019/0412873N,Theft,Shoplifting,Newport\n"
    )
    (outcome,) = renamed.convert(SourceDocument("export.csv", text.encode()))
    assert isinstance(outcome, Converted)
    assert outcome.event["envelope"]["subject"]["pnc_id"] == "2019/0412873N"


def test_unknown_column_field_fails_at_start() -> None:
    """A misspelt logical field in ``columns`` is a configuration error naming it."""
    with pytest.raises(ConfigFileError, match="unknown field 'pnc'"):
        CustodyExportAdapter.create(
            agency=None, options={"columns": {"pnc": "PNC"}}, catalogue=default_catalogue()
        )
