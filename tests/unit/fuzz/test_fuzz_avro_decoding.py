"""Fuzzing the Avro path: random and mutated frames are decoded or refused cleanly, never crash.

Frames are written straight with fastavro, as a foreign producer (kcat, a Confluent client)
could, so values that our own encoder would refuse still reach the decoder and the router.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import fastavro
from hypothesis import given
from hypothesis import strategies as st

from broker.bootstrap import load_core
from broker.catalogue import AvroCodec, CatalogueError, default_catalogue, frame
from broker.catalogue.codec import DecodedEvent
from broker.domain.cohort_table import CohortTable
from broker.policy.engine import PolicyEngine
from broker.router.dead_letter import HEADER_DETAIL, HEADER_REASON
from broker.router.record_processor import IngressRecord, RecordProcessor
from broker.settings import load_settings
from tests.unit.event_examples import example_disclosure, example_event
from tests.unit.fuzz.budget import FUZZ, MARKER, assert_clean_message

CATALOGUE = default_catalogue()
CODEC = AvroCodec(CATALOGUE)
EVENT_TYPES = CATALOGUE.event_types()
MAX_BYTES = 64 * 1024


@cache
def processor() -> RecordProcessor:
    """A router's record processor on the shipped policy, with an empty cohort."""
    core = load_core(load_settings())
    engine = PolicyEngine(core.policy, b"p" * 32)
    return RecordProcessor(core.codec, engine, core.agencies, CohortTable(b"k" * 32), MAX_BYTES)


def raw_frame(event_type: str, record: dict[str, Any]) -> bytes:
    """``record`` framed with the newest schema of ``event_type``, bypassing our validator."""
    entry = CATALOGUE.latest(event_type)
    body = io.BytesIO()
    fastavro.schemaless_writer(body, entry.schema, record)
    return frame(entry.schema_id, body.getvalue())


def planted(event_type: str, where: str) -> dict[str, Any]:
    """An example event with the marker in one string field (``envelope.x`` or ``payload.x``)."""
    record = example_event(event_type)
    section, _, name = where.partition(".")
    record[section][name] = MARKER
    return record


@cache
def string_fields(event_type: str) -> list[str]:
    """The envelope and payload fields of ``event_type`` that take any text (not enums)."""
    record = example_event(event_type)
    found = []
    for section in ("envelope", "payload"):
        for name, value in record[section].items():
            if isinstance(value, str):
                try:
                    raw_frame(event_type, planted(event_type, f"{section}.{name}"))
                except ValueError:  # an enum symbol: the writer itself refuses other text
                    continue
                found.append(f"{section}.{name}")
    return found


def mutate(data: bytes, position: int, insert: bytes, cut: int) -> bytes:
    """``data`` with ``cut`` bytes at ``position`` replaced by ``insert``."""
    position %= len(data) + 1
    return data[:position] + insert + data[position + cut :]


MUTATIONS = st.tuples(st.integers(0, 4096), st.binary(max_size=8), st.integers(0, 8))


def decode_cleanly(data: bytes) -> DecodedEvent | None:
    """Decode an event frame; a refusal must be a CatalogueError with a clean message."""
    try:
        return CODEC.decode_event(data)
    except CatalogueError as error:
        assert error.reason
        assert_clean_message(str(error))
        return None


def route_cleanly(data: bytes, agency: str) -> None:
    """Route a record: never raises; a dead letter carries a clean reason and detail."""
    outcome = processor().process(IngressRecord(f"ingress.{agency}", 0, 1, b"k", data))
    processor()._cohort.discard()
    if outcome.dead_letter_reason is not None:
        (letter,) = outcome.records
        headers = dict(letter.headers)
        assert headers[HEADER_REASON].decode() == outcome.dead_letter_reason
        assert_clean_message(headers[HEADER_DETAIL].decode() or "(no detail)")


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    """Bytes that are not a frame of ours decode to nothing and raise a clean CatalogueError."""
    decode_cleanly(data)
    route_cleanly(data, "gwent-police")


@FUZZ
@given(
    st.sampled_from(EVENT_TYPES),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.binary(max_size=200),
)
def test_any_schema_id_with_any_body_is_decoded_or_refused(
    event_type: str, schema_id: int, body: bytes
) -> None:
    """A well-formed header with any schema id and body never crashes the decoder or router."""
    data = frame(schema_id % 64 if schema_id % 2 else schema_id, body)
    decode_cleanly(data)
    route_cleanly(data, "gwent-police")


@FUZZ
@given(st.sampled_from(EVENT_TYPES), st.data(), MUTATIONS)
def test_mutated_events_are_decoded_or_refused_without_quoting_them(
    event_type: str, data: st.DataObject, change: tuple[int, bytes, int]
) -> None:
    """A mutated frame carrying the marker in a text field is decoded or refused cleanly."""
    where = data.draw(st.sampled_from(string_fields(event_type)))
    original = raw_frame(event_type, planted(event_type, where))
    mutated = mutate(original, *change)
    decode_cleanly(mutated)
    agency = example_event(event_type)["envelope"]["source_agency"]
    route_cleanly(mutated, agency)


@FUZZ
@given(st.sampled_from(EVENT_TYPES), st.data())
def test_a_foreign_value_in_any_text_field_is_never_quoted(
    event_type: str, data: st.DataObject
) -> None:
    """Whatever text field a foreign producer fills with anything, no message repeats it."""
    where = data.draw(st.sampled_from(string_fields(event_type)))
    agency = example_event(event_type)["envelope"]["source_agency"]
    encoded = raw_frame(event_type, planted(event_type, where))
    decode_cleanly(encoded)
    route_cleanly(encoded, agency)


@FUZZ
@given(MUTATIONS)
def test_mutated_disclosure_records_are_decoded_or_refused(change: tuple[int, bytes, int]) -> None:
    """The log writer's decoder refuses mutated disclosure records with a clean error."""
    mutated = mutate(CODEC.encode_disclosure(example_disclosure()), *change)
    try:
        CODEC.decode_disclosure(mutated)
    except CatalogueError as error:
        assert_clean_message(str(error))


@FUZZ
@given(st.sampled_from(EVENT_TYPES), st.text(max_size=40).map(lambda t: t + MARKER))
def test_a_foreign_event_id_is_refused_without_quoting_it(event_type: str, event_id: str) -> None:
    """An event id that is not a canonical UUID is dead-lettered, its value never repeated."""
    record = example_event(event_type, event_id=event_id)
    record["envelope"]["subject"] = dict.fromkeys(record["envelope"]["subject"])
    agency = record["envelope"]["source_agency"]
    assert decode_cleanly(raw_frame(event_type, record)) is None
    route_cleanly(raw_frame(event_type, record), agency)
