"""Replay recorded traffic through two policy versions and report what would change.

Traffic is either a YAML file of events (``events:`` list, each like a scenario's ``event``)
or every committed record of the agencies' ingress topics, in time order. Cohort membership
is rebuilt from the replayed enrolments and deselections, as the router would have done, and
each event is decided as at the time it occurred.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import CatalogueError
from broker.domain.agency import AgencyDirectory
from broker.domain.cohort_table import CohortTable, IdentifierConflict
from broker.domain.decision import DENY_NO_RULE, Decision
from broker.domain.event import Event
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import ingress_topic
from broker.policy.engine import CompiledPolicy
from broker.policy.problems import PolicyError, PolicyUnreadable
from broker.policy.simulate import DecisionPair, SimulationReport, compare_decisions
from broker.policy.yaml_source import LineList, parse_yaml
from broker.policy_admin.scenario_runs import build_event
from broker.router.subject_tracker import NotCohortAuthority, SubjectTracker

_REPLAY_KEY = b"simulation-only-subject-key".ljust(32, b"\0")


def simulate(
    events: Sequence[Event], current: CompiledPolicy, proposed: CompiledPolicy
) -> SimulationReport:
    """Replay ``events`` under both versions and compare every decision."""
    pairs = list(replay(events, current, proposed))
    return compare_decisions(pairs, len(events), current.version, proposed.version)


def replay(
    events: Iterable[Event], current: CompiledPolicy, proposed: CompiledPolicy
) -> Iterator[DecisionPair]:
    """Each recipient's pair of decisions on each event, with cohort state replayed."""
    tracker = SubjectTracker(CohortTable(_REPLAY_KEY))
    for event in events:
        now = event.occurred_at
        try:
            subject, _ = tracker.before(event, now, current)
        except (IdentifierConflict, NotCohortAuthority):
            tracker.cohort.discard()
            continue
        before = {d.recipient: d for d in current.evaluate(event, subject, now)}
        after = {d.recipient: d for d in proposed.evaluate(event, subject, now)}
        tracker.after(event, subject, now)
        tracker.cohort.commit()
        for recipient in sorted(before.keys() | after.keys()):
            yield DecisionPair(
                event.source_agency,
                event.event_type,
                before.get(recipient) or _not_a_recipient(recipient, current.version),
                after.get(recipient) or _not_a_recipient(recipient, proposed.version),
            )


def events_from_file(path: Path, codec: AvroCodec) -> list[Event]:
    """The events of a traffic file, checked against the catalogue; raise PolicyError."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    except OSError as error:
        raise PolicyUnreadable(f"{path}: cannot read ({error.strerror})") from None
    items = data.get("events")
    if not isinstance(items, LineList) or not items:
        raise PolicyError(f"{path}:{data.line}: expected a non-empty 'events' list")
    events = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PolicyError(f"{path}:{items.line_of(index)}: each event must be a mapping")
        try:
            events.append(build_event(codec, item, f"{path}#{index}"))
        except ValueError as error:
            raise PolicyError(f"{path}:{items.line_of(index)}: {error}") from None
    return sorted(events, key=lambda e: e.occurred_at)


async def events_from_kafka(
    bootstrap_servers: str,
    codec: AvroCodec,
    agencies: AgencyDirectory,
    client_options: Mapping[str, Any] | None = None,
) -> list[Event]:
    """Every decodable committed ingress record, in time order (dead letters are skipped)."""
    found: list[tuple[int, str, int, int, Event]] = []
    for agency in agencies.ids:
        topic = ingress_topic(agency)
        for record in await read_topic(bootstrap_servers, topic, client_options=client_options):
            event = _decoded(codec, record.value)
            if event is not None and event.source_agency == agency:
                key = (record.timestamp, record.topic, record.partition, record.offset)
                found.append((*key, event))
    return [entry[-1] for entry in sorted(found, key=lambda entry: entry[:4])]


def _decoded(codec: AvroCodec, value: Any) -> Event | None:
    if not value:
        return None
    try:
        decoded = codec.decode_event(value)
    except CatalogueError:
        return None
    event = Event.from_record(decoded.schema_id, decoded.record)
    return None if event.subject.is_empty() else event


def _not_a_recipient(recipient: str, version: str) -> Decision:
    return Decision.deny(recipient, version, DENY_NO_RULE)
