"""Catalogue events as JSON text: Avro's JSON encoding, or plain JSON for reading.

``avro`` is the Avro specification's JSON encoding with the event's writer schema (unions
tagged, e.g. ``{"string": "X123456"}``; timestamps as epoch milliseconds); any Avro tool can
read it back. ``plain`` is easier to read: nulls as null, times as ISO 8601.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal

import fastavro

from broker.catalogue.catalogue import SchemaCatalogue

JsonForm = Literal["avro", "plain"]


def event_json(
    catalogue: SchemaCatalogue, record: Mapping[str, Any], form: JsonForm = "avro"
) -> str:
    """One event as one line of JSON in ``form``."""
    if form == "plain":
        return json.dumps(_plain(record), ensure_ascii=False, separators=(",", ":"))
    envelope = record["envelope"]
    entry = next(
        e
        for e in catalogue.versions(envelope["event_type"])
        if e.version == envelope["schema_version"]
    )
    out = io.StringIO()
    fastavro.json_writer(out, entry.schema, [dict(record)])
    return out.getvalue().strip()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
