"""Shared helpers: the sample files under tests/adapters_samples and converting them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.outcomes import Converted, Outcome, Rejected, Skipped
from iom_adapters.sdk.source import SourceDocument

SAMPLES = Path(__file__).resolve().parents[2] / "adapters_samples"

#: Every personal identifier and free-text value the samples contain that must never appear in
#: a report, a log line or an error.
SAMPLE_PERSONAL_VALUES = (
    "E482913",
    "A4821CD",
    "H220417",
    "9731182047",
    "973 118 2047",
    "9434765919",
    "9465528307",
    "9434765918",
    "2019/0412873N",
    "2021/0093318B",
    "2008/1177410Q",
    "2008/1177410P",
    "2023/0650029C",
    "2017/0338215H",
    "Example Terrace",
    "Sample Court",
    "Kingsway Centre",
    "Caravan",
    "Cautioned",
    "Rescheduled",
    "STOP_SEARCH",
    "E48291",
)


def convert(adapter: Adapter, *parts: str) -> list[Outcome]:
    """Every outcome of the sample file at ``SAMPLES/<parts>``."""
    return list(adapter.convert(SourceDocument.read(SAMPLES.joinpath(*parts))))


def events(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """The events among outcomes, each checked against its catalogue schema."""
    codec = AvroCodec(default_catalogue())
    found = [o.event for o in outcomes if isinstance(o, Converted)]
    for event in found:
        codec.encode_event(event)
    return found


def rejected(outcomes: list[Outcome]) -> list[Rejected]:
    """The rejections among outcomes."""
    return [o for o in outcomes if isinstance(o, Rejected)]


def skipped(outcomes: list[Outcome]) -> list[Skipped]:
    """The deliberate skips among outcomes."""
    return [o for o in outcomes if isinstance(o, Skipped)]


def only(outcomes: list[Outcome]) -> Outcome:
    """The single outcome of a one-record sample."""
    assert len(outcomes) == 1, outcomes
    return outcomes[0]
