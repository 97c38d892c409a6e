"""The values conditions see for one event, built once per event and only as far as needed.

Handing values to CEL costs about a microsecond per string, so only the fields some condition
of the policy reads are passed (``Reads``): a policy whose conditions read ``subject.cohort``
and ``payload.urgency`` converts two strings per event, not the whole record.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

import cel

from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.conditions import CONSENT_NONE, Condition, cel_value

#: variable -> field names read (None: the whole variable)
Reads = Mapping[str, frozenset[str] | None]


def merge_reads(conditions: Iterable[Condition]) -> dict[str, frozenset[str] | None]:
    """What any of ``conditions`` reads."""
    merged: dict[str, frozenset[str] | None] = {}
    for condition in conditions:
        for variable, names in condition.reads.items():
            if variable in merged and merged[variable] is None:
                continue
            if names is None:
                merged[variable] = None
            else:
                merged[variable] = (merged.get(variable) or frozenset()) | names
    return merged


def condition_context(
    reads: Reads,
    event: Event,
    subject: SubjectRecord,
    area: str,
    now: datetime,
    purposes: Collection[str],
) -> cel.Context:
    """A CEL context with the variables (and fields) ``reads`` asks for."""
    variables: dict[str, Any] = {}
    if "event" in reads:
        variables["event"] = _pick(reads["event"], _event_values(event))
    if "payload" in reads:
        payload = event.payload
        names = reads["payload"]
        chosen = payload if names is None else {n: payload.get(n) for n in names}
        variables["payload"] = {name: cel_value(value) for name, value in chosen.items()}
    if "subject" in reads:
        names = reads["subject"]
        variables["subject"] = _pick(names, _subject_values(subject, area, purposes, names))
    if "now" in reads:
        variables["now"] = now
    return cel.Context(variables)


def _event_values(event: Event) -> dict[str, Any]:
    return {
        "type": event.event_type,
        "source": event.source_agency,
        "occurred_at": event.occurred_at,
        "schema_version": event.record["envelope"].get("schema_version"),
    }


def _subject_values(
    subject: SubjectRecord, area: str, purposes: Collection[str], names: frozenset[str] | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "cohort": subject.cohort,
        "enrolled": subject.enrolled,
        "area": area,
        "supervision": subject.supervision,
        "lead_agency": subject.lead_agency,
    }
    if names is None or "consents" in names:
        recorded = dict(subject.consents)
        values["consents"] = {p: recorded.get(p, CONSENT_NONE) for p in purposes}
    return values


def _pick(names: frozenset[str] | None, values: dict[str, Any]) -> dict[str, Any]:
    if names is None:
        return values
    return {name: values[name] for name in names if name in values}
