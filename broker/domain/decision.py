"""The outcome of asking the policy whether one recipient may receive one event."""

from __future__ import annotations

from dataclasses import dataclass

#: Machine-readable reasons a recipient is refused an event.
DENY_NOT_IN_COHORT = "not_in_iom_cohort"
DENY_NO_RULE = "no_rule"
DENY_AMBIGUOUS_SUBJECT = "ambiguous_subject"


@dataclass(frozen=True)
class Decision:
    """Permit or deny for one recipient, naming the rule and policy version that made it."""

    recipient: str
    permitted: bool
    policy_version: str
    rule_id: str | None = None
    purpose: str | None = None
    legal_basis: str | None = None
    fields: tuple[str, ...] = ()
    retention: str | None = None
    reason: str | None = None

    @classmethod
    def deny(cls, recipient: str, policy_version: str, reason: str) -> Decision:
        """A refusal with its reason."""
        return cls(
            recipient=recipient, permitted=False, policy_version=policy_version, reason=reason
        )
