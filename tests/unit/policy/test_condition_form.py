"""A rule's condition split into the form editor's fields and joined back."""

from __future__ import annotations

from broker.policy.condition_form import ConditionParts, join_condition, split_condition


def test_cohorts_and_consent_get_their_own_fields() -> None:
    """A cohort list and consent for the rule's purpose become ticked boxes; the rest stays."""
    parts = split_condition(
        "subject.cohort in ['FIXED', 'FLEX'] && subject.consents.housing_support == 'given'"
        " && payload.action != 'WARNING'",
        "housing_support",
    )
    assert parts == ConditionParts(("FIXED", "FLEX"), True, "payload.action != 'WARNING'")


def test_joining_the_fields_gives_the_condition_back() -> None:
    """The fields join into a condition that splits into the same fields."""
    parts = ConditionParts(("FLEX",), True, "payload.action != 'WARNING'")
    joined = join_condition(parts, "public_protection")
    assert joined == (
        "subject.cohort == 'FLEX' && subject.consents.public_protection == 'given'"
        " && payload.action != 'WARNING'"
    )
    assert split_condition(joined, "public_protection") == parts


def test_an_or_condition_is_kept_whole_for_experts() -> None:
    """A condition with ``||`` is not taken apart, and is bracketed when a cohort is added."""
    text = "subject.cohort == 'FIXED' || payload.action == 'RECALL'"
    assert split_condition(text, "p") == ConditionParts(other=text)
    assert (
        join_condition(ConditionParts(("FREE",), other=text), "p")
        == f"subject.cohort == 'FREE' && ({text})"
    )


def test_no_fields_means_always() -> None:
    """Nothing ticked and no other condition means the rule applies always (no ``when:``)."""
    assert join_condition(ConditionParts(), "p") is None
    assert split_condition(None, "p") == ConditionParts()
