"""Validation finds every name that does not exist and every unlawful rule, one line each."""

from __future__ import annotations

import pytest

from broker.policy.problems import CODE_PURPOSE_CONFLICT, CODE_REVIEW_OVERDUE, CODE_UNAPPROVED
from tests.unit.policy.support import (
    ARREST_RULE,
    agreement_text,
    check_policy_problems,
    problems_of,
    shipped_source,
)

HEALTH_RULE = """\
  - id: attendance-to-police
    from: aneurin-bevan-uhb
    to: gwent-police
    events: [appointment]
    purpose: public_protection
    legal_basis: dpa2018_part3_s35
    fields: [subject.pnc_id, payload.outcome]
    retention: P1Y
"""


def printed(rules: str, **kwargs: str) -> list[str]:
    """The problems of one agreement holding ``rules``, as printed."""
    return [str(p) for p in problems_of(("a.yaml", agreement_text(rules, **kwargs)))]


def test_the_shipped_policy_is_valid_with_no_warnings() -> None:
    """The agreements shipped in policies/ pass validation cleanly."""
    assert check_policy_problems(shipped_source()) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("purpose: iom_case_management", "purpose: curiosity"),
            "p/agreements/a.yaml:19: rule 'arrest-to-probation': unknown purpose 'curiosity'",
        ),
        (
            ("legal_basis: dpa2018_part3_s35", "legal_basis: gut_feeling"),
            "p/agreements/a.yaml:20: rule 'arrest-to-probation': unknown legal basis 'gut_feeling'",
        ),
        (
            ("from: gwent-police", "from: mi5"),
            "p/agreements/a.yaml:16: rule 'arrest-to-probation': unknown agency 'mi5'",
        ),
        (
            ("retention: P2Y", "retention: two years"),
            "p/agreements/a.yaml:22: rule 'arrest-to-probation': retention 'two years' is not an"
            " ISO 8601 duration such as P2Y",
        ),
        (
            ("to: probation-wales", "to: gwent-police"),
            "p/agreements/a.yaml:17: rule 'arrest-to-probation': 'gwent-police' cannot share"
            " with itself",
        ),
    ],
)
def test_an_unknown_name_is_quoted_at_its_line(edit: tuple[str, str], expected: str) -> None:
    """Each unknown purpose, legal basis, agency or malformed value is one line, value quoted."""
    assert printed(ARREST_RULE.replace(*edit)) == [expected]


def test_a_transform_on_a_field_not_shared_is_refused() -> None:
    """Transforming a field the rule does not list is an error naming the field."""
    rules = ARREST_RULE + "    transform:\n      payload.custody_suite: mask\n"
    assert printed(rules) == [
        "p/agreements/a.yaml:24: rule 'arrest-to-probation': transform on a field not shared:"
        " 'payload.custody_suite'"
    ]


def test_a_transform_that_cannot_keep_the_type_is_refused() -> None:
    """An enum cannot be masked: the delivery schema could not carry the result."""
    rules = (
        ARREST_RULE.replace("events: [arrest]", "events: [breach]").replace(
            "payload.offence_category]", "payload.action]"
        )
        + "    transform:\n      payload.action: mask\n"
    )
    assert printed(rules) == [
        "p/agreements/a.yaml:24: rule 'arrest-to-probation': cannot mask 'payload.action': only"
        " text fields can be, it is enum in event 'breach'"
    ]


def test_a_cel_syntax_error_is_one_line_with_the_condition_quoted() -> None:
    """A condition that does not parse is reported with its column."""
    rules = ARREST_RULE + "    when: subject.cohort == 'FIXED' &&\n"
    (message,) = printed(rules)
    assert message.startswith(
        "p/agreements/a.yaml:23: rule 'arrest-to-probation': condition"
        " \"subject.cohort == 'FIXED' &&\": CEL syntax error: column 29:"
    )


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("payload.offence == 'Theft'", "field 'payload.offence' does not exist in event 'arrest'"),
        ("subject.postcode == 'NP20'", "unknown field 'subject.postcode'"),
        ("cohort == 'FIXED'", "unknown name 'cohort'"),
        ("subject.consents.gossip == 'given'", "unknown purpose 'gossip'"),
    ],
)
def test_a_condition_naming_something_unknown_is_refused(condition: str, problem: str) -> None:
    """Every name a condition reads must exist for every event type of its rule."""
    (message,) = printed(ARREST_RULE + f'    when: "{condition}"\n')
    assert problem in message, message


@pytest.mark.parametrize(
    ("condition", "problem"),
    [
        ("payload.offence_category + 1 == 2", "Unsupported operation: string + int"),
        ("subject.cohort", "gives str, not true or false"),
    ],
)
def test_a_condition_that_does_not_type_check_is_refused(condition: str, problem: str) -> None:
    """A condition is run on typed samples; a type error or a non-boolean result is refused."""
    (message,) = printed(ARREST_RULE + f'    when: "{condition}"\n')
    assert "does not type-check for event 'arrest'" in message and problem in message


def test_special_category_data_needs_a_basis_that_allows_it() -> None:
    """Health board data under a plain law-enforcement basis is refused."""
    messages = printed(HEALTH_RULE)
    assert messages == [
        "p/agreements/a.yaml:20: rule 'attendance-to-police': shares special category data"
        " (anything from a health agency) but legal basis 'dpa2018_part3_s35' does not allow it;"
        " use a basis with an Article 9 (or DPA 2018 Schedule 8) condition"
    ]
    allowed = HEALTH_RULE.replace("dpa2018_part3_s35", "dpa2018_part3_s35_sensitive")
    assert printed(allowed) == []


def test_a_special_field_from_any_agency_needs_the_basis_too() -> None:
    """A referral's reason can reveal health, whoever sends it."""
    rule = (
        ARREST_RULE.replace("from: gwent-police", "from: probation-wales")
        .replace("to: probation-wales", "to: gdas")
        .replace("events: [arrest]", "events: [referral]")
        .replace("payload.offence_category]", "payload.reason]")
    )
    (message,) = printed(rule)
    assert "shares special category data ('payload.reason' of 'referral')" in message


def test_an_expired_review_date_is_a_warning() -> None:
    """A review date in the past warns (the policy still works)."""
    text = agreement_text().replace("review_date: 2027-01-01", "review_date: 2026-01-01")
    (problem,) = problems_of(("a.yaml", text))
    assert str(problem) == "p/agreements/a.yaml:7: warning: review date '2026-01-01' has passed"
    assert problem.code == CODE_REVIEW_OVERDUE and not problem.is_error


def test_a_party_that_has_not_approved_is_a_warning() -> None:
    """Activation will refuse it, but a draft still validates."""
    text = agreement_text().replace("  - {party: gdas, dpo: A DPO, date: 2026-01-01}\n", "")
    (problem,) = problems_of(("a.yaml", text))
    assert (
        str(problem)
        == "p/agreements/a.yaml:6: warning: party 'gdas' has not approved this agreement"
    )
    assert problem.code == CODE_UNAPPROVED


def test_two_agreements_granting_one_flow_for_different_purposes_warn() -> None:
    """Same sender, recipient and event under two purposes is flagged for the DPOs."""
    other = agreement_text(
        ARREST_RULE.replace("id: arrest-to-probation", "id: arrest-again").replace(
            "iom_case_management", "public_protection"
        )
    ).replace("agreement: test-agreement", "agreement: other-agreement")
    problems = problems_of(("a.yaml", agreement_text()), ("b.yaml", other))
    assert [p.code for p in problems] == [CODE_PURPOSE_CONFLICT]
    assert str(problems[0]) == (
        "p/agreements/a.yaml:19: warning: rule 'arrest-to-probation' and rule 'arrest-again'"
        " (p/agreements/b.yaml:15) both grant gwent-police -> probation-wales 'arrest' with"
        " different purposes ('iom_case_management', 'public_protection')"
    )


def test_a_data_disclosure_agreement_is_one_way() -> None:
    """A DDA whose rules share from two agencies is refused."""
    back = ARREST_RULE.replace("id: arrest-to-probation", "id: back").replace(
        "from: gwent-police\n    to: probation-wales", "from: probation-wales\n    to: gwent-police"
    )
    text = agreement_text(ARREST_RULE + back).replace("kind: isp", "kind: dda")
    (message,) = [str(p) for p in problems_of(("a.yaml", text))]
    assert message.startswith("p/agreements/a.yaml:3: a data disclosure agreement (dda) is one-way")


def test_a_local_agreement_names_only_agencies_serving_its_area() -> None:
    """A Gwent agreement cannot make Hywel Dda a party."""
    messages = printed(ARREST_RULE, parties="[gwent-police, probation-wales, hywel-dda-uhb]")
    assert messages == ["p/agreements/a.yaml:6: party 'hywel-dda-uhb' does not serve area 'gwent'"]


def test_an_unknown_area_is_refused() -> None:
    """The area must be in the areas vocabulary."""
    assert printed(ARREST_RULE, area="mercia") == [
        "p/agreements/a.yaml:5: unknown area 'mercia' (known: dyfed-powys, gwent, wales)"
    ]


def test_a_rule_described_in_one_language_only_is_a_warning() -> None:
    """A description with no Welsh text (or the reverse) is a warning at its line."""
    rules = ARREST_RULE.replace(
        "  - id: arrest-to-probation\n",
        "  - id: arrest-to-probation\n    description: Arrests reach probation.\n",
    )
    assert printed(rules) == [
        "p/agreements/a.yaml:16: warning: rule 'arrest-to-probation' has 'description'"
        " but no 'description_cy'"
    ]
