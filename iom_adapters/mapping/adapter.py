"""Declarative mapping adapter: onboard a partner (housing, drug and alcohol services...) with
a mapping file instead of code.

The options name the mapping file (``options: {mapping: mappings/newport-housing.yaml}``);
the file says which agency publishes, how to read the export (CSV, JSON or JSON lines) and
how each column or JSON path becomes a catalogue field. It is validated once, at start.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Self

from broker.catalogue.catalogue import SchemaCatalogue
from iom_adapters.mapping.apply import drafts, lookup
from iom_adapters.mapping.compile import load_mapping
from iom_adapters.mapping.spec import MappingSpec
from iom_adapters.sdk.adapter import Adapter, AdapterOptions
from iom_adapters.sdk.event_factory import EventFactory
from iom_adapters.sdk.outcomes import (
    MALFORMED_INPUT,
    Converted,
    MappingError,
    Outcome,
    Rejected,
    SkipRecord,
)
from iom_adapters.sdk.source import SourceDocument, csv_rows, json_records
from iom_adapters.sdk.yaml_lines import ConfigFileError, LocatedYaml


class MappingOptions(AdapterOptions):
    """The mapping file (relative paths are read from the config file's folder)."""

    mapping: Path


class DeclarativeMappingAdapter(Adapter):
    """CSV/JSON exports -> any catalogue event, as a mapping file says."""

    name = "mapping"
    summary = "Declarative mapping file for CSV/JSON exports (housing, drug & alcohol services)"
    file_patterns = ("*.csv", "*.json", "*.jsonl")
    options_model = MappingOptions

    @classmethod
    def create(
        cls,
        *,
        agency: str | None,
        options: Mapping[str, Any] | None,
        catalogue: SchemaCatalogue,
        config: LocatedYaml | None = None,
        base_dir: Path | None = None,
    ) -> Self:
        """Load and validate the mapping file; its ``agency`` is the publishing agency."""
        raw = dict(options or {})
        if not isinstance(raw.get("mapping"), str | Path):
            where = f"{config.where(('options',))}: " if config else ""
            raise ConfigFileError(f"{where}options.mapping: name the mapping file")
        path = (base_dir or Path.cwd()) / raw["mapping"]
        spec = load_mapping(path, catalogue)
        if agency is not None and agency != spec.agency:
            where = f"{config.where(('agency',))}: " if config else ""
            raise ConfigFileError(
                f"{where}agency {agency!r} differs from {spec.agency!r} in the mapping file {path}"
            )
        options_model = cls.options_model.model_validate({"mapping": path})
        adapter = cls(spec.agency, options_model, EventFactory(catalogue, spec.agency))
        adapter.spec = spec
        return adapter

    spec: MappingSpec

    def input_patterns(self) -> tuple[str, ...]:
        """File patterns of the mapping's input format."""
        return {"csv": ("*.csv",), "json": ("*.json",), "jsonl": ("*.jsonl", "*.ndjson")}[
            self.spec.input_format
        ]

    def convert(self, document: SourceDocument) -> Iterator[Outcome]:
        """Zero or more events per record, as the mapping's rules select."""
        for item in self._records(document):
            if isinstance(item, Rejected):
                yield item
                continue
            locator, record = item
            try:
                produced = list(drafts(self.spec, record))
            except MappingError as error:
                yield error.at(locator)
                continue
            except SkipRecord as skip:
                yield skip.at(locator)
                continue
            for draft in produced:
                event = self.events.build(
                    draft.event_type, draft.key, draft.occurred_at, draft.subject, draft.payload
                )
                yield Converted(event, locator)

    def _records(self, document: SourceDocument) -> Iterator[tuple[str, Any] | Rejected]:
        spec = self.spec
        if spec.input_format == "csv":
            for row in csv_rows(document, delimiter=spec.delimiter):
                yield row if isinstance(row, Rejected) else (row.locator, row.values)
            return
        for item in json_records(document, lines=spec.input_format == "jsonl"):
            if isinstance(item, Rejected):
                yield item
                continue
            records = lookup(item.value, spec.records_path) if spec.records_path else None
            if spec.records_path is not None and not isinstance(records, list):
                yield Rejected(item.locator, MALFORMED_INPUT, "the records list is missing")
                continue
            if isinstance(records, list):
                pointer = "/".join(str(p) for p in spec.records_path or ())
                base = item.locator if "#" in item.locator else item.locator + "#"
                for index, record in enumerate(records):
                    yield f"{base}/{pointer}/{index}", record
            else:
                yield item.locator, item.value
