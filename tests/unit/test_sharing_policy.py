"""Agreements are parsed and validated with file:line errors; decisions default to deny."""

from __future__ import annotations

import re

import pytest

from broker.domain.decision import DENY_NO_RULE, DENY_NOT_IN_COHORT
from broker.domain.subject import SubjectRecord
from broker.policy.build import build_policy
from broker.policy.problems import PolicyError
from tests.unit.policy.support import (
    ARREST_RULE,
    IDENTIFIERS,
    NOW,
    agreement_text,
    context,
    engine,
    event,
    person,
    problems_of,
    single,
    source,
)


def decisions_for(subject: SubjectRecord | None) -> dict[str, object]:
    """Decisions on an example Gwent Police arrest under the one-rule test agreement."""
    decided = single().evaluate(event("arrest"), subject, NOW)
    return {d.recipient: d for d in decided}


def test_permitted_recipient_gets_rule_purpose_and_version() -> None:
    """The recipient a rule names is permitted, with the rule, purpose, basis and version."""
    policy = single()
    decisions = {d.recipient: d for d in policy.evaluate(event("arrest"), person(), NOW)}
    assert set(decisions) == {"probation-wales", "aneurin-bevan-uhb", "newport-housing", "gdas"}
    permit = decisions["probation-wales"]
    assert permit.permitted and permit.rule_id == "arrest-to-probation"
    assert permit.purpose == "iom_case_management" and permit.legal_basis == "dpa2018_part3_s35"
    assert permit.policy_version == policy.version and policy.version.startswith("sha256:")


def test_recipient_without_rule_is_denied() -> None:
    """Default deny: an agency no rule names is refused with reason no_rule."""
    housing = decisions_for(person())["newport-housing"]
    assert not housing.permitted and housing.reason == DENY_NO_RULE  # type: ignore[attr-defined]


@pytest.mark.parametrize("subject", [None, person(enrolled=False)])
def test_nothing_shared_about_someone_not_in_the_cohort(subject: SubjectRecord | None) -> None:
    """Subjects never enrolled, or deselected, are refused to everyone (no net-widening)."""
    decisions = decisions_for(subject)
    assert decisions
    assert all(d.reason == DENY_NOT_IN_COHORT for d in decisions.values())  # type: ignore[attr-defined]


def test_minimise_keeps_only_permitted_fields() -> None:
    """The delivery has the permitted fields, the recipient's own identifier, and nothing else."""
    routed = engine(single()).route(event("arrest"), person(), IDENTIFIERS, NOW)
    delivery = next(r.delivery for r in routed if r.delivery is not None)
    assert {k for k, v in delivery["payload"].items() if v is not None} == {"offence_category"}
    assert delivery["envelope"]["subject"] == {
        "crn": "X123456",
        "pnc_id": None,
        "noms_number": None,
        "nhs_number": None,
    }


def test_policy_version_changes_with_content() -> None:
    """Editing an agreement changes the policy version hash."""
    original = source(("a.yaml", agreement_text()))
    edited = source(("a.yaml", agreement_text(ARREST_RULE.replace("P2Y", "P1Y"))))
    assert original.version != edited.version


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("to: probation-wales", "to: probaton-wales"),
            r"test\.yaml:17: .*unknown agency 'probaton-wales'",
        ),
        (("events: [arrest]", "events: [arest]"), r"test\.yaml:18: .*unknown event type 'arest'"),
        (
            ("payload.offence_category", "payload.offence"),
            r"test\.yaml:21: .*field 'payload.offence' does not exist in event 'arrest'",
        ),
        (("subject.crn", "subject.passport"), r"field 'subject.passport'"),
    ],
)
def test_validation_names_file_line_and_bad_value(edit: tuple[str, str], message: str) -> None:
    """A rule naming something that does not exist is reported with file, line and the value."""
    problems = problems_of(("test.yaml", agreement_text(ARREST_RULE.replace(*edit))))
    assert any(re.search(message, str(p)) for p in problems), problems


def test_missing_key_is_reported_with_line() -> None:
    """A rule without a legal basis is refused, naming the key and the rule's line."""
    rules = ARREST_RULE.replace("    legal_basis: dpa2018_part3_s35\n", "")
    problems = problems_of(("test.yaml", agreement_text(rules)))
    assert [str(p) for p in problems] == [
        "p/agreements/test.yaml:15: rule 'arrest-to-probation' has no 'legal_basis'"
    ]


def test_duplicate_rule_id_is_refused() -> None:
    """Two rules with one id are refused, naming where the id was first used."""
    with pytest.raises(PolicyError, match=r"already used at p/agreements/test\.yaml:15"):
        build_policy(source(("test.yaml", agreement_text(ARREST_RULE + ARREST_RULE))), context())


def test_invalid_yaml_names_the_line() -> None:
    """Broken YAML is reported with its file and line, not a stack trace."""
    problems = problems_of(("test.yaml", "agreement: x\nrules: [\n"))
    assert [p.source for p in problems] == ["p/agreements/test.yaml"]
    assert problems[0].line == 3 and "not valid YAML" in problems[0].message
