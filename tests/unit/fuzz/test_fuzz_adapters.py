"""Fuzzing the adapters' parsers: mangled HMPPS, FHIR and custody exports never crash them.

Every record becomes an event that passes the catalogue, a deliberate skip, or a rejection
whose one-line message names where and why, never a value. Values are planted with a marker
in random places of the real samples, so a message that quotes one is caught.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from broker.catalogue import AvroCodec, default_catalogue
from iom_adapters.health import FhirAdapter
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.outcomes import Converted, Rejected, Skipped
from iom_adapters.sdk.source import SourceDocument
from tests.unit.adapters.samples import SAMPLE_PERSONAL_VALUES, SAMPLES
from tests.unit.fuzz.budget import FUZZ, MARKER, assert_clean_message

CODEC = AvroCodec(default_catalogue())


@cache
def adapters() -> dict[str, Adapter]:
    """The three adapters with native parsers, by sample folder."""
    catalogue = default_catalogue()
    return {
        "probation": HmppsDomainEventsAdapter.create(
            agency=None, options=None, catalogue=catalogue
        ),
        "health": FhirAdapter.create(agency=None, options=None, catalogue=catalogue),
        "police": CustodyExportAdapter.create(agency=None, options=None, catalogue=catalogue),
    }


SAMPLE_FILES = sorted(
    (folder, path.name)
    for folder in ("probation", "health", "police")
    for path in (SAMPLES / folder).iterdir()
)
JSON_FILES = [
    (folder, name)
    for folder, name in SAMPLE_FILES
    if name.endswith(".json") and name != "malformed.json"  # that one is not JSON at all
]
CSV_FILES = [(folder, name) for folder, name in SAMPLE_FILES if name.endswith(".csv")]


def sample(folder: str, name: str) -> bytes:
    """A sample file's bytes."""
    return Path(SAMPLES, folder, name).read_bytes()


def convert_cleanly(folder: str, document: SourceDocument) -> None:
    """Convert: no exception, events pass the catalogue, rejections and skips read cleanly."""
    for outcome in adapters()[folder].convert(document):
        if isinstance(outcome, Converted):
            CODEC.encode_event(outcome.event)
            continue
        assert isinstance(outcome, Rejected | Skipped)
        message = outcome.message()
        assert_clean_message(message)
        for value in SAMPLE_PERSONAL_VALUES:
            assert value not in message, "a rejection quotes a value of the record"


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document (containers included)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += leaf_paths(item, (*path, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` replaced."""
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20).map(lambda t: MARKER + t)
    | st.sampled_from([MARKER, "", " ", "2026-02-30", "9999999999", "null", "A" * 300]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@FUZZ
@given(
    st.sampled_from(SAMPLE_FILES),
    st.integers(0, 100_000),
    st.binary(max_size=6),
    st.integers(0, 12),
)
def test_byte_mangled_samples_are_converted_or_rejected(
    file: tuple[str, str], position: int, insert: bytes, cut: int
) -> None:
    """Random byte edits to any sample (truncation, junk, broken UTF-8) never crash a parser."""
    folder, name = file
    data = sample(folder, name)
    position %= len(data) + 1
    convert_cleanly(folder, SourceDocument(name, data[:position] + insert + data[position + cut :]))


@FUZZ
@given(st.sampled_from(JSON_FILES), st.data(), JSON_VALUES)
def test_any_json_value_anywhere_is_converted_or_rejected_unquoted(
    file: tuple[str, str], data: st.DataObject, value: Any
) -> None:
    """Any JSON value in any place of an HMPPS, FHIR or custody document is handled cleanly."""
    folder, name = file
    document = json.loads(sample(folder, name))
    path = data.draw(st.sampled_from(leaf_paths(document)))
    text = json.dumps(replaced(document, path, value))
    convert_cleanly(folder, SourceDocument(name, text.encode()))


@FUZZ
@given(st.sampled_from(CSV_FILES), st.data(), st.text(max_size=30))
def test_any_text_in_any_custody_export_cell_is_converted_or_rejected_unquoted(
    file: tuple[str, str], data: st.DataObject, junk: str
) -> None:
    """Any text (quotes, commas, newlines) in any cell of a custody export is handled cleanly."""
    folder, name = file
    rows = list(csv.reader(io.StringIO(sample(folder, name).decode("utf-8-sig"))))
    row = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.integers(0, len(rows[row]) - 1))
    rows[row][column] = data.draw(st.sampled_from([MARKER + junk, junk + MARKER, MARKER]))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    convert_cleanly(folder, SourceDocument(name, out.getvalue().encode()))
