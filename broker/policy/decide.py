"""Default-deny decisions: for each possible recipient, may it receive this event, and why."""

from __future__ import annotations

from collections.abc import Sequence

from broker.domain.decision import DENY_NO_RULE, DENY_NOT_IN_COHORT, Decision
from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.sharing_policy import SharingPolicy


def decide(
    event: Event,
    subject: SubjectRecord | None,
    policy: SharingPolicy,
    recipients: Sequence[str],
) -> list[Decision]:
    """One decision per recipient other than the source; the first matching rule permits.

    Nothing is shared about a subject who is not enrolled in an IOM cohort (no net-widening).
    """
    decisions = []
    for recipient in recipients:
        if recipient == event.source_agency:
            continue
        if subject is None or not subject.enrolled:
            decisions.append(Decision.deny(recipient, policy.version, DENY_NOT_IN_COHORT))
            continue
        rule = next(
            (
                rule
                for rule in policy.rules
                if rule.source == event.source_agency
                and recipient in rule.recipients
                and event.event_type in rule.event_types
            ),
            None,
        )
        if rule is None:
            decisions.append(Decision.deny(recipient, policy.version, DENY_NO_RULE))
            continue
        decisions.append(
            Decision(
                recipient=recipient,
                permitted=True,
                policy_version=policy.version,
                rule_id=rule.rule_id,
                purpose=rule.purpose,
                legal_basis=rule.legal_basis,
                fields=rule.fields,
                retention=rule.retention,
            )
        )
    return decisions
