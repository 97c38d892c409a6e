"""Schema evolution: every registered version reads the data of the version before it (BACKWARD)."""

from __future__ import annotations

import copy
import io
import itertools
import json
import random
from typing import Any

import fastavro
import pytest
from fastavro.utils import generate_many

from broker.catalogue import (
    AvroCodec,
    CatalogueEntry,
    backward_problems,
    default_catalogue,
    frame,
)
from tests.unit.event_examples import example_event

CATALOGUE = default_catalogue()


def _successions() -> list[Any]:
    """(older, newer) pairs of consecutive versions of every event, delivery and audit type."""
    by_type: dict[tuple[str, str], list[CatalogueEntry]] = {}
    for entry in CATALOGUE.entries():
        by_type.setdefault((entry.kind, entry.event_type), []).append(entry)
    return [
        pytest.param(older, newer, id=f"{kind}-{event_type}-v{older.version}-v{newer.version}")
        for (kind, event_type), entries in by_type.items()
        for older, newer in itertools.pairwise(entries)
    ]


SUCCESSIONS = _successions()
OLDER_EVENT_VERSIONS = [
    pytest.param(entry, id=f"{entry.event_type}-v{entry.version}")
    for event_type in CATALOGUE.event_types()
    for entry in CATALOGUE.versions(event_type)[:-1]
]


def _json(entry: CatalogueEntry) -> Any:
    return json.loads(entry.schema_json)


def _write(schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    body = io.BytesIO()
    fastavro.schemaless_writer(body, schema, record)
    return body.getvalue()


def test_the_catalogue_has_at_least_one_succession_to_check() -> None:
    """Arrest v1 -> v2 (event and delivery) exists, so the evolution checks are not vacuous."""
    assert {p.id for p in SUCCESSIONS} >= {"event-arrest-v1-v2", "delivery-arrest-v1-v2"}


@pytest.mark.parametrize(("older", "newer"), SUCCESSIONS)
def test_each_version_reads_the_previous_version(
    older: CatalogueEntry, newer: CatalogueEntry
) -> None:
    """The newer schema, as reader, resolves everything the older one could have written."""
    assert backward_problems(_json(newer), _json(older)) == []


@pytest.mark.parametrize(("older", "newer"), SUCCESSIONS)
def test_generated_old_records_decode_with_the_new_reader(
    older: CatalogueEntry, newer: CatalogueEntry
) -> None:
    """fastavro agrees: random records of the old schema read with the new schema as reader."""
    random.seed(older.schema_id)
    for record in generate_many(older.schema, 25):
        data = _write(older.schema, record)
        fastavro.schemaless_reader(io.BytesIO(data), older.schema, newer.schema)


@pytest.mark.parametrize("older", OLDER_EVENT_VERSIONS)
def test_old_versions_decode_through_the_codec(older: CatalogueEntry) -> None:
    """A record framed with an old id decodes via the codec into the newest shape, defaults set."""
    codec = AvroCodec(CATALOGUE)
    newest = CATALOGUE.latest(older.event_type)
    old_fields = {f["name"] for f in _json(older)["fields"][1]["type"]["fields"]}
    record = example_event(older.event_type, schema_version=older.version)
    record["payload"] = {k: v for k, v in record["payload"].items() if k in old_fields}
    decoded = codec.decode_event(frame(older.schema_id, _write(older.schema, record)))
    assert decoded.schema_id == older.schema_id
    assert tuple(decoded.record["payload"]) == CATALOGUE.payload_fields(newest.event_type)
    for name, value in decoded.record["payload"].items():
        assert value == record["payload"].get(name)


@pytest.mark.parametrize("event_type", CATALOGUE.event_types())
def test_a_delivery_reader_can_read_event_data(event_type: str) -> None:
    """Delivery types alias the event names, so a recipient's reader resolves a full event."""
    event, delivery = CATALOGUE.latest(event_type), CATALOGUE.delivery(event_type)
    record = example_event(event_type)
    decoded = fastavro.schemaless_reader(
        io.BytesIO(_write(event.schema, record)), event.schema, delivery.schema
    )
    assert isinstance(decoded, dict)
    decoded["envelope"]["event_id"] = str(decoded["envelope"]["event_id"])  # fastavro: a UUID
    assert decoded == record


# --- the checker catches real breaks of the real schemas --------------------------------


def _payload_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = schema["fields"][1]["type"]["fields"]
    return fields


def test_adding_a_required_payload_field_is_caught() -> None:
    """An arrest v3 with a new field lacking a default would break v2 data, and is reported."""
    current = _json(CATALOGUE.latest("arrest"))
    broken = copy.deepcopy(current)
    _payload_fields(broken).append({"name": "bail_refused", "type": "boolean", "doc": "x"})
    assert backward_problems(broken, current) == [
        "Arrest.payload.bail_refused: field added without a default; "
        "data written by the old schema has no value for it"
    ]


def test_removing_an_enum_symbol_is_caught() -> None:
    """Dropping VERY_HIGH from RiskLevel would leave old data unreadable, and is reported."""
    current = _json(CATALOGUE.latest("risk_level_change"))
    broken = copy.deepcopy(current)
    level = _payload_fields(broken)[1]["type"]
    level["symbols"].remove("VERY_HIGH")
    assert backward_problems(broken, current) == [
        "RiskLevelChange.payload.previous_level: enum RiskLevel lost symbol(s) VERY_HIGH "
        "and has no default; old data may hold them"
    ]


def test_changing_int_to_string_is_caught() -> None:
    """Turning envelope.schema_version into a string is reported with its path."""
    current = _json(CATALOGUE.latest("charge"))
    broken = copy.deepcopy(current)
    broken["fields"][0]["type"]["fields"][5]["type"] = "string"
    assert backward_problems(broken, current) == [
        "Charge.envelope.schema_version: int written by the old schema cannot be read as string"
    ]


def test_narrowing_a_delivery_field_is_caught() -> None:
    """Making an optional delivery field required again is reported (old deliveries hold nulls)."""
    current = _json(CATALOGUE.delivery("breach"))
    broken = copy.deepcopy(current)
    _payload_fields(broken)[1]["type"] = "string"
    del _payload_fields(broken)[1]["default"]
    assert backward_problems(broken, current) == [
        "Breach.payload.breach_reason: null written by the old schema cannot be read as string "
        "(writer union branch)"
    ]
