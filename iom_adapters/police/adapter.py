"""Police adapter: custody and arrest exports of a records-management system (CSV or JSON).

One row or object per custody event: an arrest, a charge or a release from custody, naming
the person by PNC ID. Column names are configurable; the default layout and every code table
are in :mod:`iom_adapters.police.columns` and docs/adapters.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import Field, field_validator

from iom_adapters.police.columns import DEFAULT_COLUMNS, DISPOSALS, EVENT_TYPES, CustodyOutcome
from iom_adapters.police.records import map_row
from iom_adapters.sdk.adapter import Adapter, AdapterOptions
from iom_adapters.sdk.outcomes import (
    MALFORMED_INPUT,
    UNEXPECTED_SHAPES,
    Converted,
    MappingError,
    Outcome,
    Rejected,
    unexpected_shape,
)
from iom_adapters.sdk.source import SourceDocument, csv_rows, json_records
from iom_adapters.sdk.values import UK_TIME


class PoliceOptions(AdapterOptions):
    """Column names and code tables of a force's export."""

    columns: dict[str, str] = Field(default_factory=dict)
    event_types: dict[str, str] = Field(default_factory=lambda: dict(EVENT_TYPES))
    disposals: dict[str, CustodyOutcome] = Field(default_factory=lambda: dict(DISPOSALS))
    own_force: str = "gwent-police"
    local_zone: str = UK_TIME
    datetime_formats: tuple[str, ...] = ()
    csv_delimiter: str = ","
    check_pnc_letter: bool = True

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_COLUMNS))
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}; fields: {', '.join(DEFAULT_COLUMNS)}")
        return value

    @property
    def column_names(self) -> dict[str, str]:
        """Every logical field's column name, defaults overridden by ``columns``."""
        return {**DEFAULT_COLUMNS, **self.columns}


class CustodyExportAdapter(Adapter):
    """Custody export rows -> arrest, charge and custody_release events."""

    name = "police-custody"
    summary = "Custody/arrest exports (CSV or JSON): arrest, charge, release, with PNC ID"
    default_agency = "gwent-police"
    file_patterns = ("*.csv", "*.json", "*.jsonl")
    options_model = PoliceOptions

    def convert(self, document: SourceDocument) -> Iterator[Outcome]:
        """One outcome per export row."""
        options = self.options
        assert isinstance(options, PoliceOptions)
        for item in self._rows(document, options):
            if isinstance(item, Rejected):
                yield item
                continue
            locator, values = item
            try:
                draft = map_row(values, options)
            except MappingError as error:
                yield error.at(locator)
                continue
            except UNEXPECTED_SHAPES as error:
                yield unexpected_shape(locator, error)
                continue
            subject = {"pnc_id": draft.pnc_id}
            event = self.events.build(
                draft.event_type, draft.key, draft.occurred_at, subject, draft.payload
            )
            yield Converted(event, locator)

    @staticmethod
    def _rows(
        document: SourceDocument, options: PoliceOptions
    ) -> Iterator[tuple[str, Mapping[str, Any]] | Rejected]:
        if document.suffix == ".csv":
            for row in csv_rows(document, delimiter=options.csv_delimiter):
                yield row if isinstance(row, Rejected) else (row.locator, row.values)
            return
        for item in json_records(document):
            if isinstance(item, Rejected):
                yield item
                continue
            value = item.value
            records = value.get("records") if isinstance(value, Mapping) else None
            found = (
                [(f"{item.locator}#/records/{i}", r) for i, r in enumerate(records)]
                if isinstance(records, list)
                else [(item.locator, value)]
            )
            for locator, record in found:
                if isinstance(record, Mapping):
                    yield locator, record
                else:
                    yield Rejected(locator, MALFORMED_INPUT, "expected a JSON object")
