"""Fuzz the adapters' parsers: HMPPS domain events, FHIR resources and custody exports.

    .venv/bin/python -m fuzz.adapter_parsers -max_total_time=600

The first byte picks the adapter and document kind; the rest is the document. Conversion
never raises; events pass the catalogue; rejections and skips read cleanly.
"""

from __future__ import annotations

from broker.catalogue import AvroCodec, default_catalogue
from fuzz.harness import check_message, run
from iom_adapters.health import FhirAdapter
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.outcomes import Converted
from iom_adapters.sdk.source import SourceDocument

CATALOGUE = default_catalogue()
CODEC = AvroCodec(CATALOGUE)
TARGETS = [
    (HmppsDomainEventsAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "m.json"),
    (HmppsDomainEventsAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "m.jsonl"),
    (FhirAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "bundle.json"),
    (FhirAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "r.ndjson"),
    (CustodyExportAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "export.csv"),
    (CustodyExportAdapter.create(agency=None, options=None, catalogue=CATALOGUE), "export.json"),
]


def test_one_input(data: bytes) -> None:
    """Convert one document with the adapter its first byte chooses."""
    if not data:
        return
    adapter, name = TARGETS[data[0] % len(TARGETS)]
    for outcome in adapter.convert(SourceDocument(name, data[1:])):
        if isinstance(outcome, Converted):
            CODEC.encode_event(outcome.event)
        else:
            check_message(outcome.message(), b"")


if __name__ == "__main__":
    run(test_one_input)
