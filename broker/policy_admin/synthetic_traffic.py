"""Generated events for every rule a proposal touches, so a simulation cannot lie by omission.

Recorded traffic exercises only the rules it happens to hit: a change to a rule it never hits
would look like "no difference". Here, for each added, removed or changed rule (before and
after), events of each of its event types are generated from the Avro schemas, from each
agency the rule names as sender, about people enrolled in each area the rule applies to, in
each cohort, with consent given, withdrawn and not recorded. Payload values are typed samples;
each enum field takes each of its symbols in turn and each text field each string its
condition compares with, so the common conditions can hold. Every case is decided under the
current and the proposed policy; a rule is *exercised* when some case was shared under it.
The people and values are made up: no recorded personal data is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.domain.agency import AgencyDirectory
from broker.domain.event import Event
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.policy.agreement import Rule
from broker.policy.conditions import CONSENT_GIVEN, CONSENT_WITHDRAWN
from broker.policy.engine import CompiledPolicy
from broker.policy.event_fields import FieldInfo
from broker.policy.policy_set import PolicySet
from broker.policy.rule_changes import RuleDelta, policy_changes
from broker.policy.simulate import DecisionPair
from broker.policy.validate import PolicyContext
from broker.policy.vocabulary import NATIONAL_AREA
from broker.policy_admin.scenario_runs import build_event

__all__ = ["RuleCoverage", "SyntheticRun", "synthetic_run"]

SYNTHETIC_TIME = datetime(2026, 1, 15, 12, tzinfo=UTC)
COHORTS = ("FIXED", "FLEX", "FREE")
_IDENTIFIERS = {
    "crn": "Z999999",
    "pnc_id": "2000/0000000Z",
    "noms_number": "Z9999ZZ",
    "nhs_number": "9999999999",
}
_LITERAL = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
_SAMPLES: dict[str, Any] = {
    "string": "sample",
    "date": date(2026, 1, 15),
    "timestamp": SYNTHETIC_TIME,
    "int": 1,
    "long": 1,
    "double": 1.0,
    "boolean": True,
}


@dataclass(frozen=True)
class RuleCoverage:
    """Whether a changed rule was exercised: by recorded traffic, by generated events."""

    delta: RuleDelta
    by_traffic: bool
    by_generated: bool

    @property
    def exercised(self) -> bool:
        """Some event was shared under the rule (before or after the change)."""
        return self.by_traffic or self.by_generated


@dataclass(frozen=True)
class SyntheticRun:
    """The generated cases' decision pairs, and each changed rule's coverage."""

    events: int
    pairs: tuple[DecisionPair, ...]
    coverage: tuple[RuleCoverage, ...]

    @property
    def all_exercised(self) -> bool:
        """Every changed rule was exercised (vacuously true when no rule changed)."""
        return all(c.exercised for c in self.coverage)


def synthetic_run(
    current: CompiledPolicy,
    proposed: CompiledPolicy,
    context: PolicyContext,
    codec: AvroCodec,
    traffic_pairs: Sequence[DecisionPair] = (),
) -> SyntheticRun:
    """Generate cases for every rule ``proposed`` changes and decide them under both versions.

    ``traffic_pairs`` (the recorded traffic's decisions, if any) count towards coverage too.
    """
    agencies = context.agencies
    deltas = [r for a in policy_changes(current.policy, proposed.policy) for r in a.rules]
    pairs: list[DecisionPair] = []
    events = 0
    coverage = []
    for delta in deltas:
        mine: list[DecisionPair] = []
        cases = _cases(
            delta, proposed.policy, current.policy, context.event_fields, codec, agencies
        )
        for event, subject in cases:
            events += 1
            before = {d.recipient: d for d in current.evaluate(event, subject, SYNTHETIC_TIME)}
            after = {d.recipient: d for d in proposed.evaluate(event, subject, SYNTHETIC_TIME)}
            for recipient in sorted(before.keys() & after.keys()):
                pair = DecisionPair(
                    event.source_agency, event.event_type, before[recipient], after[recipient]
                )
                mine.append(pair)
        pairs += mine
        coverage.append(RuleCoverage(delta, _applied(delta, traffic_pairs), _applied(delta, mine)))
    return SyntheticRun(events, tuple(pairs), tuple(coverage))


def _applied(delta: RuleDelta, pairs: Sequence[DecisionPair]) -> bool:
    rule_id = delta.rule_id
    return any(
        (p.current.permitted and p.current.rule_id == rule_id and delta.before is not None)
        or (p.proposed.permitted and p.proposed.rule_id == rule_id and delta.after is not None)
        for p in pairs
    )


def _cases(
    delta: RuleDelta,
    proposed: PolicySet,
    current: PolicySet,
    event_fields: Mapping[str, Mapping[str, FieldInfo]],
    codec: AvroCodec,
    agencies: AgencyDirectory,
) -> Iterator[tuple[Event, SubjectRecord]]:
    seen: set[tuple[str, str, str]] = set()
    for rule, policy in ((delta.before, current), (delta.after, proposed)):
        if rule is None:
            continue
        for area in _areas(rule, policy):
            for source in _sources(rule.source, area, policy, agencies):
                for event_type in rule.events:
                    if (area, source, event_type) in seen or event_type not in event_fields:
                        continue
                    seen.add((area, source, event_type))
                    fields = event_fields[event_type]
                    for index, payload in enumerate(_payloads(fields, _literals(delta))):
                        spec = {
                            "type": event_type,
                            "from": source,
                            "occurred_at": SYNTHETIC_TIME,
                            "subject": _IDENTIFIERS,
                            "payload": payload,
                        }
                        name = f"synthetic/{area}/{source}/{event_type}/{index}"
                        try:
                            event = build_event(codec, spec, name)
                        except ValueError:
                            continue
                        for subject in _subjects(area, policy):
                            yield event, subject


def _areas(rule: Rule, policy: PolicySet) -> list[str]:
    """The areas whose people the rule can be about: its own, or every area for the baseline."""
    if rule.area != NATIONAL_AREA:
        return [rule.area]
    return [a for a in policy.vocabulary.areas if a != NATIONAL_AREA] + [NATIONAL_AREA]


def _sources(source: str, area: str, policy: PolicySet, agencies: AgencyDirectory) -> list[str]:
    """The agencies a rule's sender stands for in ``area`` (itself, if it is an agency id)."""
    areas = policy.vocabulary.areas
    serving = [*areas[area].agencies, *areas[NATIONAL_AREA].agencies] if area in areas else []
    if source in serving or not serving:
        return [source]
    from_kind = [a for a in serving if a in agencies and agencies.get(a).kind == source]
    return from_kind or [source]


def _subjects(area: str, policy: PolicySet) -> Iterator[SubjectRecord]:
    purposes = tuple(policy.vocabulary.purposes)
    lead = next(iter(policy.vocabulary.areas[NATIONAL_AREA].agencies), None)
    for cohort in COHORTS:
        for consent in (CONSENT_GIVEN, CONSENT_WITHDRAWN, None):
            consents = () if consent is None else tuple((p, consent) for p in sorted(purposes))
            yield SubjectRecord(
                subject_ref=f"synthetic-{area}-{cohort}-{consent}",
                cohort=cohort,
                enrolled=True,
                identifiers=SubjectIdentifiers.from_mapping(_IDENTIFIERS),
                updated_at=SYNTHETIC_TIME,
                lead_agency=lead,
                area=area,
                supervision="on_licence",
                consents=consents,
            )


def _literals(delta: RuleDelta) -> tuple[str, ...]:
    texts = [rule.condition or "" for rule in delta.rules()]
    found = [a or b for text in texts for a, b in _LITERAL.findall(text)]
    return tuple(dict.fromkeys(found))


def _payloads(
    fields: Mapping[str, FieldInfo], literals: tuple[str, ...]
) -> Iterator[dict[str, Any]]:
    """A base payload, then one variant per other value of each enum or compared text field."""
    payload_fields = [info for info in fields.values() if info.section == "payload"]
    base = {info.name: _sample(info) for info in payload_fields}
    yield base
    for info in payload_fields:
        if info.kind == "enum":
            others: Sequence[Any] = info.symbols[1:]
        elif info.kind == "string":
            others = literals
        else:
            others = ()
        for value in others:
            yield {**base, info.name: value}
    if literals:
        texts = {i.name: literals[0] for i in payload_fields if i.kind == "string"}
        yield {**base, **texts}


def _sample(info: FieldInfo) -> Any:
    if info.kind == "enum":
        return info.symbols[0]
    if info.kind == "string" and info.name.endswith("postcode"):
        return "NP20 1AA"
    return _SAMPLES.get(info.kind)
