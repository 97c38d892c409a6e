"""Identifier checks and idempotent event ids."""

from __future__ import annotations

import uuid

import pytest

from iom_adapters.sdk import identifiers
from iom_adapters.sdk.event_factory import EVENT_ID_NAMESPACE, event_id
from iom_adapters.sdk.outcomes import MappingError


def test_event_id_is_uuid5_of_agency_type_and_key() -> None:
    """The same record gives the same id; any other agency, type or key gives another."""
    one = event_id("gwent-police", "arrest", ("62/1/26", "arrest", "1"))
    assert one == event_id("gwent-police", "arrest", ("62/1/26", "arrest", "1"))
    assert uuid.UUID(one).version == 5
    assert one == str(
        uuid.uuid5(EVENT_ID_NAMESPACE, "gwent-police\x1farrest\x1f62/1/26\x1farrest\x1f1")
    )
    others = {
        event_id("probation-wales", "arrest", ("62/1/26", "arrest", "1")),
        event_id("gwent-police", "charge", ("62/1/26", "arrest", "1")),
        event_id("gwent-police", "arrest", ("62/1/26", "arrest", "2")),
        event_id("gwent-police", "arrest", ("62/1/2", "6arrest", "1")),
    }
    assert one not in others
    assert len(others) == 4


def test_nhs_number_check_digit() -> None:
    """A valid NHS number loses its spaces; a wrong check digit is refused."""
    assert identifiers.nhs_number("943 476 5919", "f") == "9434765919"
    with pytest.raises(MappingError, match="check digit"):
        identifiers.nhs_number("9434765918", "f")
    with pytest.raises(MappingError, match="ten digits"):
        identifiers.nhs_number("94347659", "f")


def test_pnc_id_is_normalised_and_checked() -> None:
    """Two-digit years are expanded, serials zero-padded, and the check letter verified."""
    assert identifiers.pnc_id("19/412873N", "f") == "2019/0412873N"
    assert identifiers.pnc_id(" 2019/0412873n ", "f") == "2019/0412873N"
    with pytest.raises(MappingError, match="check letter"):
        identifiers.pnc_id("2019/0412873M", "f")
    assert identifiers.pnc_id("2019/0412873M", "f", check_letter=False) == "2019/0412873M"


def test_identifier_errors_never_quote_the_value() -> None:
    """An invalid identifier's error names the field and the expected form, not the value."""
    for check, value in (
        (identifiers.crn, "Z99"),
        (identifiers.noms_number, "Q12"),
        (identifiers.pnc_id, "1999/123"),
        (identifiers.nhs_number, "1234567890"),
    ):
        with pytest.raises(MappingError) as caught:
            check(value, "source.field")
        assert value not in str(caught.value)
        assert caught.value.field == "source.field"
