"""The outcome of asking the policy whether one recipient may receive one event."""

from __future__ import annotations

from dataclasses import dataclass

#: Machine-readable reasons a recipient is refused an event (plain-language text for each is
#: in ``broker.policy.reasons``).
DENY_NOT_IN_COHORT = "not_in_iom_cohort"
DENY_NO_RULE = "no_rule"
DENY_CONDITION_FALSE = "condition_false"
DENY_CONSENT_WITHDRAWN = "consent_withdrawn"
DENY_NO_CONSENT = "no_consent_recorded"
DENY_EVALUATION_ERROR = "evaluation_error"
DENY_AMBIGUOUS_SUBJECT = "ambiguous_subject"


@dataclass(frozen=True)
class Decision:
    """Permit or deny for one recipient, naming the rule(s) and policy version that made it.

    A permit names the one rule that granted it (``rule_id``; ``rule_ids`` is the same rule);
    a deny for ``condition_false`` or a consent reason names in ``rule_ids`` the rules that
    were considered and did not apply. ``fields`` are the fields the recipient receives (after
    ``drop``), ``transforms`` the ``(field, transform)`` pairs applied to them.
    """

    recipient: str
    permitted: bool
    policy_version: str
    rule_id: str | None = None
    purpose: str | None = None
    legal_basis: str | None = None
    fields: tuple[str, ...] = ()
    retention: str | None = None
    reason: str | None = None
    rule_ids: tuple[str, ...] = ()
    transforms: tuple[tuple[str, str], ...] = ()
    agreement: str | None = None

    @classmethod
    def deny(
        cls,
        recipient: str,
        policy_version: str,
        reason: str,
        rule_ids: tuple[str, ...] = (),
    ) -> Decision:
        """A refusal with its reason (and the rules considered, if any)."""
        return cls(
            recipient=recipient,
            permitted=False,
            policy_version=policy_version,
            reason=reason,
            rule_ids=rule_ids,
        )
