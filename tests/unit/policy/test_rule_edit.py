"""The form editor's rule choices written into an agreement's text."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from broker.policy.build import build_policy
from broker.policy.policy_source import PolicySource
from broker.policy.rule_edit import choices_of, edit_rule
from tests.unit.policy.support import context, shipped, shipped_source

PATH = "agreements/dyfed-powys-iom-isp.yaml"


def _edited(rule_id: str, **changes: Any) -> tuple[str, str]:
    source = shipped_source()
    policy = shipped().policy
    agreement = next(a for a in policy.agreements if a.file == source.where(PATH))
    rule = next(r for r in agreement.rules if r.rule_id == rule_id)
    text = source.files[PATH]
    return text, edit_rule(text, agreement, rule, replace(choices_of(rule), **changes))


def _rule_after(text: str, rule_id: str):  # type: ignore[no-untyped-def]
    files = dict(shipped_source().files) | {PATH: text}
    compiled, _ = build_policy(PolicySource(files, label="policies"), context())
    return next(r for a in compiled.policy.agreements for r in a.rules if r.rule_id == rule_id)


def test_unchanged_choices_keep_the_text_byte_for_byte() -> None:
    """Sending the form without changing anything gives back the file exactly as written."""
    text, edited = _edited("dp-custody-release-to-probation")
    assert edited == text


def test_a_changed_retention_rewrites_only_its_line() -> None:
    """Changing how long a rule's data is kept changes that one line and nothing else."""
    text, edited = _edited("dp-custody-release-to-probation", retention="P3Y")
    changed = [(a, b) for a, b in zip(text.split("\n"), edited.split("\n"), strict=True) if a != b]
    assert changed == [("    retention: P2Y", "    retention: P3Y")]
    assert _rule_after(edited, "dp-custody-release-to-probation").retention == "P3Y"


def test_removing_a_detail_and_its_transform_keeps_comments() -> None:
    """Unticking a masked detail removes it and its transform; the comments stay."""
    text, edited = _edited(
        "dp-custody-release-to-probation",
        fields=("subject.crn", "payload.outcome"),
        transforms=MappingProxyType({}),
    )
    rule = _rule_after(edited, "dp-custody-release-to-probation")
    assert rule.fields == ("subject.crn", "payload.outcome")
    assert dict(rule.transforms) == {}
    assert [line for line in text.split("\n") if "#" in line] == [
        line for line in edited.split("\n") if "#" in line
    ]


def test_a_new_condition_and_transform_are_added_to_the_rule() -> None:
    """A condition and a transform the rule did not have are written into it, and parse back."""
    _, edited = _edited(
        "dp-arrest-referral-to-ddas",
        recipients=("ddas", "hywel-dda-uhb"),
        transforms=MappingProxyType({"payload.custody_suite": "mask"}),
        condition="subject.cohort in ['FIXED', 'FLEX'] && payload.offence_category != 'x: #y'",
    )
    rule = _rule_after(edited, "dp-arrest-referral-to-ddas")
    assert rule.recipients == ("ddas", "hywel-dda-uhb")
    assert dict(rule.transforms) == {"payload.custody_suite": "mask"}
    assert rule.condition == (
        "subject.cohort in ['FIXED', 'FLEX'] && payload.offence_category != 'x: #y'"
    )
    assert _rule_after(edited, "dp-arrest-to-health-planning").retention == "P3Y"


def test_a_removed_condition_leaves_the_rule_always_on() -> None:
    """Clearing the condition removes the rule's ``when:`` line."""
    _, edited = _edited("dp-arrest-to-health-planning", condition=None)
    assert _rule_after(edited, "dp-arrest-to-health-planning").condition is None
