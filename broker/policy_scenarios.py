"""Run scenario files against a policy: build each event as the router would see it, compare.

The scenario's event is completed (optional fields null, a stable event id), encoded with the
catalogue (so a scenario with a wrong field fails like a bad adapter would) and decoded again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.domain.event import Event
from broker.domain.subject import IDENTIFIER_TYPES
from broker.policy.engine import PolicyEngine, Routed
from broker.policy.problems import PolicyError, Problem
from broker.policy.scenario import DEFAULT_TIME, Scenario, compare, parse_scenario

_SCENARIO_NAMESPACE = uuid.UUID("0b7e4f0c-5a43-4d4e-9f8e-6a1d2c3b4a50")
#: The pseudonym key scenarios run with (pseudonyms in scenarios are examples, not secrets).
SCENARIO_PSEUDONYM_KEY = b"scenario-pseudonym-key".ljust(32, b"\0")


def build_event(codec: AvroCodec, spec: Mapping[str, Any], name: str) -> Event:
    """The decoded event for a scenario's (or an explain file's) ``event`` mapping.

    Raise ValueError with a one-line message when it does not match the catalogue.
    """
    event_type = str(spec.get("type", ""))
    try:
        entry = codec.catalogue.latest(event_type)
    except CatalogueError:
        raise ValueError(f"unknown event type {event_type!r}") from None
    payload_fields = codec.catalogue.payload_fields(event_type)
    given_payload = dict(spec.get("payload") or {})
    unknown = sorted(set(given_payload) - set(payload_fields))
    if unknown:
        raise ValueError(f"event {event_type!r} has no payload field {unknown[0]!r}")
    identifiers = dict(spec.get("subject") or {})
    record = {
        "envelope": {
            "event_id": str(uuid.uuid5(_SCENARIO_NAMESPACE, name)),
            "event_type": event_type,
            "occurred_at": spec.get("occurred_at", DEFAULT_TIME),
            "source_agency": str(spec.get("from", "")),
            "subject": {kind: _text(identifiers.get(kind)) for kind in IDENTIFIER_TYPES},
            "schema_version": entry.version,
        },
        "payload": {name: given_payload.get(name) for name in payload_fields},
    }
    try:
        decoded = codec.decode_event(codec.encode_event(record))
    except CatalogueError as error:
        raise ValueError(str(error)) from None
    return Event.from_record(decoded.schema_id, decoded.record)


def run_scenario(scenario: Scenario, engine: PolicyEngine, codec: AvroCodec) -> list[Routed]:
    """What the policy does with the scenario's event."""
    event = build_event(codec, scenario.event, scenario.source)
    subject = scenario.subject
    identifiers = subject.identifiers.merged_with(event.subject) if subject else event.subject
    return engine.route(event, subject, identifiers, scenario.decided_at)


def check_scenario_file(path: Path, engine: PolicyEngine, codec: AvroCodec) -> list[Problem]:
    """Problems of one scenario file: unreadable, malformed, or expectations not met."""
    try:
        scenario = parse_scenario(path.read_text(encoding="utf-8"), str(path))
    except OSError as error:
        return [Problem(str(path), 0, f"cannot read ({error.strerror})")]
    except PolicyError as error:
        return list(error.problems) or [Problem(str(path), 0, str(error))]
    try:
        routed = run_scenario(scenario, engine, codec)
    except ValueError as error:
        return [Problem(str(path), scenario.event_line, f"event: {error}")]
    return compare(scenario, routed)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
