"""Run scenario files against a policy: build each event as the router would see it, compare.

The scenario's event is completed (optional fields null, a stable event id), encoded with the
catalogue (so a scenario with a wrong field fails like a bad adapter would) and decoded again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.domain.event import Event
from broker.domain.subject import IDENTIFIER_TYPES
from broker.policy.engine import CompiledPolicy, PolicyEngine, Routed
from broker.policy.problems import PolicyError, Problem
from broker.policy.scenario import DEFAULT_TIME, Scenario, compare, parse_scenario
from broker.policy_admin.policy_directory import scenario_files

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
    identifiers = subject.identifiers.with_added(event.subject) if subject else event.subject
    return engine.route(event, subject, identifiers, scenario.decided_at)


@dataclass(frozen=True)
class ScenarioFailure:
    """A scenario a policy does not pass: its title, its file, and what went wrong."""

    name: str
    """The scenario's ``scenario:`` title (its file name when it cannot be read)."""
    file: str
    problems: tuple[str, ...]
    """``file:line: message`` lines, as ``iom-broker policy validate`` prints them."""


class ScenariosFailed(Exception):
    """A policy was refused because scenarios fail (``failures`` says which and why)."""

    def __init__(self, failures: list[ScenarioFailure]) -> None:
        first = failures[0]
        super().__init__(f"scenario {first.name!r} fails: {first.problems[0]}")
        self.failures = failures


def check_scenario_file(
    path: Path, engine: PolicyEngine, codec: AvroCodec, source: str | None = None
) -> list[Problem]:
    """Problems of one scenario file: unreadable, malformed, or expectations not met.

    ``source`` is how messages name the file (default: its path).
    """
    return _check(path, engine, codec, source or str(path))[1]


def scenario_failures(
    directory: Path, policy: CompiledPolicy, codec: AvroCodec, shown: str | None = None
) -> list[ScenarioFailure]:
    """The scenarios of policy ``directory`` that ``policy`` fails, in file name order.

    The one check ``policy validate``, ``policy activate`` and the API's activation run.
    ``shown`` names the scenarios folder in messages (default: the files' paths).
    """
    engine = PolicyEngine(policy, SCENARIO_PSEUDONYM_KEY)
    failures = []
    for path in scenario_files(directory):
        source = f"{shown}/{path.name}" if shown else str(path)
        name, problems = _check(path, engine, codec, source)
        if problems:
            failures.append(ScenarioFailure(name, source, tuple(str(p) for p in problems)))
    return failures


def _check(
    path: Path, engine: PolicyEngine, codec: AvroCodec, source: str
) -> tuple[str, list[Problem]]:
    """The scenario's title and its problems."""
    try:
        scenario = parse_scenario(path.read_text(encoding="utf-8"), source)
    except OSError as error:
        return path.name, [Problem(source, 0, f"cannot read ({error.strerror})")]
    except PolicyError as error:
        return path.name, list(error.problems) or [Problem(source, 0, str(error))]
    try:
        routed = run_scenario(scenario, engine, codec)
    except ValueError as error:
        return scenario.name, [Problem(source, scenario.event_line, f"event: {error}")]
    return scenario.name, compare(scenario, routed)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
