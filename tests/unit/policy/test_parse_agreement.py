"""Agreement files are parsed with every structural mistake reported as file:line, value quoted."""

from __future__ import annotations

import pytest

from broker.policy.parse_agreement import parse_agreement
from broker.policy.problems import PolicyError
from tests.unit.policy.support import ARREST_RULE, agreement_text


def messages(text: str) -> list[str]:
    """The problems of parsing ``text`` as ``a.yaml``, as printed."""
    return [str(p) for p in parse_agreement(text, "a.yaml")[1]]


def test_the_format_reads_like_a_waspi_agreement() -> None:
    """Header, parties, approvals and rules come through with their lines."""
    agreement, problems = parse_agreement(agreement_text(), "a.yaml")
    assert problems == [] and agreement is not None
    assert (agreement.agreement_id, agreement.kind, agreement.area) == (
        "test-agreement",
        "isp",
        "gwent",
    )
    assert len(agreement.approvals) == 5 and agreement.approvals[0].dpo == "A DPO"
    (rule,) = agreement.rules
    assert rule.recipients == ("probation-wales",) and rule.line == 15
    assert rule.line_of("fields", "payload.offence_category") == 21


def test_a_mistyped_key_is_named_with_its_line() -> None:
    """``retension`` instead of ``retention`` is reported where it is, quoting the key."""
    text = agreement_text(ARREST_RULE.replace("    retention: P2Y", "    retension: P2Y"))
    assert messages(text) == [
        "a.yaml:22: unknown key 'retension' in a rule (expected one of: description,"
        " description_cy, events, fields, from, id, legal_basis, purpose, retention, to,"
        " transform, when)",
        "a.yaml:15: rule 'arrest-to-probation' has no 'retention'",
    ]


def test_an_unknown_transform_is_quoted() -> None:
    """A transform that does not exist is refused, listing the ones that do."""
    rule = ARREST_RULE + "    transform:\n      payload.offence_category: blur\n"
    assert messages(agreement_text(rule)) == [
        "a.yaml:24: unknown transform 'blur' for 'payload.offence_category'"
        " (use one of: drop, mask, generalise, pseudonymise)"
    ]


def test_an_unknown_kind_of_agreement_is_refused() -> None:
    """Only WASPI ISPs and DDAs exist."""
    text = agreement_text().replace("kind: isp", "kind: mou")
    assert messages(text) == ["a.yaml:3: unknown kind 'mou' (use 'isp' or 'dda')"]


def test_a_review_date_must_be_a_date() -> None:
    """A review date written as words is refused, quoting it."""
    text = agreement_text().replace("review_date: 2027-01-01", "review_date: next spring")
    assert messages(text) == [
        "a.yaml:7: 'review_date' must be a date like 2027-03-31, not 'next spring'"
    ]


def test_a_list_of_names_must_hold_names() -> None:
    """A number in ``to`` is refused at its line."""
    text = agreement_text(ARREST_RULE.replace("to: probation-wales", "to: [probation-wales, 7]"))
    assert messages(text) == ["a.yaml:17: 'to' item 7 is not a name"]


def test_a_key_given_twice_is_refused() -> None:
    """YAML would silently keep the second value; the parser refuses the file instead."""
    text = agreement_text(ARREST_RULE + "    purpose: public_protection\n")
    with pytest.raises(
        PolicyError, match=r"^a\.yaml:23: not valid YAML: key 'purpose' appears twice$"
    ):
        parse_agreement(text, "a.yaml")


def test_welsh_title_and_rule_descriptions_are_read() -> None:
    """``title_cy`` and a rule's ``description``/``description_cy`` are kept; English is the
    fallback when a Welsh text is missing."""
    text = agreement_text(
        ARREST_RULE.replace(
            "  - id: arrest-to-probation\n",
            "  - id: arrest-to-probation\n    description: Arrests reach probation.\n"
            "    description_cy: Mae arestiadau'n cyrraedd y gwasanaeth prawf.\n",
        )
    ).replace("kind: isp\n", "kind: isp\ntitle_cy: Cytundeb prawf\n")
    agreement, problems = parse_agreement(text, "a.yaml")
    assert problems == [] and agreement is not None
    assert (agreement.title_in("cy"), agreement.title_in("en")) == (
        "Cytundeb prawf",
        agreement.title,
    )
    (rule,) = agreement.rules
    assert rule.description_in("cy") == "Mae arestiadau'n cyrraedd y gwasanaeth prawf."
    assert rule.description_in("en") == "Arrests reach probation."
    bare, _ = parse_agreement(agreement_text(), "a.yaml")
    assert bare is not None and bare.title_in("cy") == bare.title
