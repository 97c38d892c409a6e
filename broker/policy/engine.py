"""Evaluate a compiled policy: pure functions from (event, subject, time) to decisions.

Default deny, fail closed: a recipient is permitted only by a rule that covers the flow, whose
consent requirement is met and whose condition holds. Nothing is shared about anyone not
enrolled in an IOM cohort. Any error while deciding or minimising for a recipient is a deny
with reason ``evaluation_error``; it never escapes as an exception and never half-shares.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import cel

from broker.domain.decision import (
    DENY_CONDITION_FALSE,
    DENY_CONSENT_WITHDRAWN,
    DENY_EVALUATION_ERROR,
    DENY_NO_CONSENT,
    DENY_NOT_IN_COHORT,
    Decision,
)
from broker.domain.event import Event
from broker.domain.subject import IDENTIFIER_TYPES, SubjectIdentifiers, SubjectRecord
from broker.policy.compiled import CompiledRule, CompiledTables
from broker.policy.condition_context import condition_context, merge_reads
from broker.policy.conditions import CONSENT_GIVEN, CONSENT_WITHDRAWN
from broker.policy.policy_set import PolicySet
from broker.policy.transforms import recipient_pseudonym_key
from broker.policy.vocabulary import NATIONAL_AREA, area_key

#: Envelope fields every recipient of a permitted event receives.
ENVELOPE_FIELDS = ("event_id", "event_type", "occurred_at", "source_agency", "schema_version")
_REASON_ORDER = (DENY_CONSENT_WITHDRAWN, DENY_NO_CONSENT, DENY_CONDITION_FALSE)


@dataclass(frozen=True)
class Routed:
    """One recipient's decision and, when permitted, the minimised record it receives."""

    decision: Decision
    delivery: dict[str, Any] | None


class CompiledPolicy:
    """A validated policy version, ready to decide and minimise."""

    def __init__(self, policy: PolicySet, tables: CompiledTables) -> None:
        self.policy = policy
        self.version = policy.version
        self._tables = tables
        self._reads = merge_reads(tables.conditions)
        self._purposes = tuple(policy.vocabulary.purposes)
        self._denials: dict[tuple[str, str], Decision] = {}
        self._areas_seen: dict[tuple[str | None, str | None], str] = {}

    def evaluate(
        self, event: Event, subject: SubjectRecord | None, now: datetime
    ) -> list[Decision]:
        """One decision per recipient the event could reach (the source excluded).

        Never raises: if even the recipients cannot be worked out, every agency with an area
        is refused with ``evaluation_error``.
        """
        try:
            return self._evaluate(event, subject, now)
        except Exception:
            source = event.source_agency
            recipients = [r for r in self._tables.all_recipients if r != source]
            return [self._deny(r, DENY_EVALUATION_ERROR) for r in recipients]

    def _evaluate(
        self, event: Event, subject: SubjectRecord | None, now: datetime
    ) -> list[Decision]:
        source = event.source_agency
        if subject is None or not subject.enrolled:
            return [self._deny(r, DENY_NOT_IN_COHORT) for r in self._refusals(source, subject)]
        area = self.area_of(subject)
        table = self._tables.areas.get(area, self._tables.unknown_area)
        context: list[cel.Context] = []
        decisions = []
        for route in table.routes_for(source, event.event_type):
            if route.settled is not None:  # no rule, or a first rule that always grants
                decisions.append(route.settled)
                continue
            recipient, rules = route.recipient, route.rules
            try:
                decisions.append(self._decide(recipient, rules, event, subject, now, context))
            except Exception:
                ids = tuple(rule.rule.rule_id for rule in rules)
                decisions.append(Decision.deny(recipient, self.version, DENY_EVALUATION_ERROR, ids))
        return decisions

    def minimise(
        self, event: Event, decision: Decision, identifiers: SubjectIdentifiers, key: bytes
    ) -> dict[str, Any]:
        """The delivery record: envelope basics plus exactly the permitted fields, transformed.

        ``identifiers`` are everything known about the subject, so a recipient can be given
        the identifier it uses even when the source does not know it. ``key`` is the
        recipient's pseudonym key. Fields not permitted are null, never copied.
        """
        plan = self._tables.plans[(str(decision.rule_id), event.event_type)]
        payload = event.payload
        subject: dict[str, Any] | None = None
        if plan.subject:
            subject = dict.fromkeys(IDENTIFIER_TYPES)
            for name, step in plan.subject:
                value = getattr(identifiers, name)
                subject[name] = step(value, payload, key) if step else value
            if all(value is None for value in subject.values()):
                subject = None
        delivered: dict[str, Any] = dict.fromkeys(payload)
        get = payload.get
        for name in plan.copied:
            delivered[name] = get(name)
        for name, step in plan.transformed:
            delivered[name] = step(get(name), payload, key)
        envelope = event.record["envelope"]
        return {
            "envelope": {  # ENVELOPE_FIELDS, spelt out: this runs once per delivery
                "event_id": envelope["event_id"],
                "event_type": envelope["event_type"],
                "occurred_at": envelope["occurred_at"],
                "source_agency": envelope["source_agency"],
                "schema_version": envelope["schema_version"],
                "subject": subject,
            },
            "payload": delivered,
        }

    def _decide(
        self,
        recipient: str,
        rules: tuple[CompiledRule, ...],
        event: Event,
        subject: SubjectRecord,
        now: datetime,
        context: list[cel.Context],
    ) -> Decision:
        refused: list[tuple[str, str]] = []
        for compiled in rules:
            rule = compiled.rule
            if compiled.needs_consent:
                state = subject.consent(rule.purpose)
                if state != CONSENT_GIVEN:
                    reason = (
                        DENY_CONSENT_WITHDRAWN if state == CONSENT_WITHDRAWN else DENY_NO_CONSENT
                    )
                    refused.append((reason, rule.rule_id))
                    continue
            if compiled.condition is not None:
                if not context:
                    reads = self._tables.condition_reads.get(event.event_type, self._reads)
                    area = self.area_of(subject)
                    context.append(
                        condition_context(reads, event, subject, area, now, self._purposes)
                    )
                if not compiled.condition.holds(context[0]):
                    refused.append((DENY_CONDITION_FALSE, rule.rule_id))
                    continue
            return compiled.permits[recipient]
        reason = min((r for r, _ in refused), key=_REASON_ORDER.index)
        return Decision.deny(recipient, self.version, reason, tuple(i for _, i in refused))

    def _deny(self, recipient: str, reason: str) -> Decision:
        found = self._denials.get((recipient, reason))
        if found is None:
            found = self._denials[(recipient, reason)] = Decision.deny(
                recipient, self.version, reason
            )
        return found

    def area_of(self, subject: SubjectRecord) -> str:
        """The policy area managing ``subject`` ('' when the enrolment's area is unknown)."""
        return self.area_named(subject.area, subject.lead_agency)

    def area_named(self, area: str | None, lead_agency: str | None) -> str:
        """The policy area of an enrolment naming ``area`` by ``lead_agency`` ('' if unknown).

        The enrolment's area, matched by id or name; if that is the national area or matches
        nothing, the lead agency's local area if it has one. A person managed at national level
        is in ``wales``: every agency can be a recipient, under the national baseline only. An
        unknown area gets only the all-Wales agencies (fail closed).
        """
        key = (area, lead_agency)
        found = self._areas_seen.get(key)
        if found is None:
            named = self._tables.area_names.get(area_key(area or ""))
            if named is None or named == NATIONAL_AREA:
                lead = self._tables.home_areas.get(lead_agency or "")
                if lead is not None and lead != NATIONAL_AREA:
                    named = lead
            found = self._areas_seen[key] = named or ""
        return found

    def may_change_cohort(self, agency: str, area: str) -> bool:
        """True when ``agency`` may enrol or deselect people managed in policy area ``area``."""
        return agency in self._tables.cohort_authority.get(area, frozenset())

    def owned_identifiers(self, agency: str) -> frozenset[str]:
        """The identifier types ``agency`` may add to a person's record."""
        return self._tables.owned_identifiers.get(agency, frozenset())

    def _refusals(self, source: str, subject: SubjectRecord | None) -> Collection[str]:
        if subject is not None:
            area = self.area_of(subject)
        else:
            area = self._tables.home_areas.get(source, NATIONAL_AREA)
        table = self._tables.areas.get(area, self._tables.unknown_area)
        return [r for r in table.recipients if r != source]


class PolicyEngine:
    """A compiled policy plus the pseudonym key: decides and minimises, failing closed."""

    def __init__(self, policy: CompiledPolicy, pseudonym_key: bytes) -> None:
        self.policy = policy
        self._master_key = pseudonym_key
        self._recipient_keys: dict[str, bytes] = {}

    @property
    def version(self) -> str:
        """The policy version decisions are made under."""
        return self.policy.version

    def with_policy(self, policy: CompiledPolicy) -> PolicyEngine:
        """The same engine (same pseudonym key) deciding under another policy version."""
        return PolicyEngine(policy, self._master_key)

    def route(
        self,
        event: Event,
        subject: SubjectRecord | None,
        identifiers: SubjectIdentifiers,
        now: datetime,
    ) -> list[Routed]:
        """Decide for every recipient and minimise each permitted record."""
        routed = []
        for decision in self.policy.evaluate(event, subject, now):
            if not decision.permitted:
                routed.append(Routed(decision, None))
                continue
            try:
                key = self._key(decision.recipient)
                delivery = self.policy.minimise(event, decision, identifiers, key)
            except Exception:
                denial = Decision.deny(
                    decision.recipient,
                    decision.policy_version,
                    DENY_EVALUATION_ERROR,
                    decision.rule_ids,
                )
                routed.append(Routed(denial, None))
                continue
            routed.append(Routed(decision, delivery))
        return routed

    def _key(self, recipient: str) -> bytes:
        key = self._recipient_keys.get(recipient)
        if key is None:
            key = self._recipient_keys[recipient] = recipient_pseudonym_key(
                self._master_key, recipient
            )
        return key
