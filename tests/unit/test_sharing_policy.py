"""The policy file is parsed and validated with file:line errors, and decisions default to deny."""

from datetime import UTC, datetime

import pytest

from broker.domain.decision import DENY_NO_RULE, DENY_NOT_IN_COHORT
from broker.domain.event import Event
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.policy.decide import decide
from broker.policy.minimise import minimise
from broker.policy.sharing_policy import PolicyError, parse_policy, validate_policy

POLICY = """\
agreement: test
rules:
  - id: arrest-to-probation
    from: gwent-police
    to: probation-wales
    events: [arrest]
    purpose: iom_case_management
    legal_basis: dpa2018_part3_s35
    fields: [subject.crn, payload.offence_category]
    retention: P2Y
"""
AGENCIES = ("gwent-police", "probation-wales", "newport-housing")
EVENT_FIELDS = {"arrest": ("offence_category", "offence_description")}
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def arrest() -> Event:
    record = {
        "envelope": {
            "event_id": "e1",
            "event_type": "arrest",
            "occurred_at": T0,
            "source_agency": "gwent-police",
            "subject": {"crn": None, "pnc_id": "P1", "noms_number": None, "nhs_number": None},
            "schema_version": 1,
        },
        "payload": {"offence_category": "theft", "offence_description": "Shop theft"},
    }
    return Event.from_record(1, record)


def enrolled(enrolled: bool = True) -> SubjectRecord:
    ids = SubjectIdentifiers(crn="X1", pnc_id="P1")
    return SubjectRecord("subj-1", "FIXED", enrolled, ids, T0)


def test_permitted_recipient_gets_rule_purpose_and_version() -> None:
    """The recipient a rule names is permitted, with the rule, purpose, basis and version."""
    policy = parse_policy(POLICY, "p.yaml")
    decisions = {d.recipient: d for d in decide(arrest(), enrolled(), policy, AGENCIES)}
    assert set(decisions) == {"probation-wales", "newport-housing"}
    permit = decisions["probation-wales"]
    assert permit.permitted and permit.rule_id == "arrest-to-probation"
    assert permit.purpose == "iom_case_management" and permit.legal_basis == "dpa2018_part3_s35"
    assert permit.policy_version == policy.version and policy.version.startswith("sha256:")


def test_recipient_without_rule_is_denied() -> None:
    """Default deny: an agency no rule names is refused with reason no_rule."""
    decisions = decide(arrest(), enrolled(), parse_policy(POLICY, "p.yaml"), AGENCIES)
    housing = next(d for d in decisions if d.recipient == "newport-housing")
    assert not housing.permitted and housing.reason == DENY_NO_RULE


@pytest.mark.parametrize("subject", [None, enrolled(False)])
def test_nothing_shared_about_someone_not_in_the_cohort(subject: SubjectRecord | None) -> None:
    """Subjects never enrolled, or deselected, are refused to everyone (no net-widening)."""
    decisions = decide(arrest(), subject, parse_policy(POLICY, "p.yaml"), AGENCIES)
    assert decisions and all(d.reason == DENY_NOT_IN_COHORT for d in decisions)


def test_minimise_keeps_only_permitted_fields() -> None:
    """The delivery has the permitted fields, the recipient's own identifier, and nothing else."""
    policy = parse_policy(POLICY, "p.yaml")
    permit = decide(arrest(), enrolled(), policy, AGENCIES)[0]
    subject = enrolled()
    delivery = minimise(arrest(), permit, subject.identifiers.merged_with(arrest().subject))
    assert delivery["payload"] == {"offence_category": "theft", "offence_description": None}
    assert delivery["envelope"]["subject"] == {
        "crn": "X1",
        "pnc_id": None,
        "noms_number": None,
        "nhs_number": None,
    }
    assert delivery["envelope"]["event_id"] == "e1"


def test_policy_version_changes_with_content() -> None:
    """Editing the policy changes its version hash."""
    edited = POLICY.replace("P2Y", "P1Y")
    assert parse_policy(POLICY, "p").version != parse_policy(edited, "p").version


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("to: probation-wales", "to: probaton-wales"),
            r"p\.yaml:3: .*unknown agency 'probaton-wales'",
        ),
        (("events: [arrest]", "events: [arest]"), r"p\.yaml:3: .*unknown event type 'arest'"),
        (
            ("payload.offence_category", "payload.offence"),
            r"p\.yaml:3: .*field 'payload.offence' does not exist in event 'arrest'",
        ),
        (("subject.crn", "subject.passport"), r"field 'subject.passport'"),
    ],
)
def test_validation_names_file_line_and_bad_value(edit: tuple[str, str], message: str) -> None:
    """A rule naming something that does not exist is reported with file, line and the value."""
    policy = parse_policy(POLICY.replace(*edit), "p.yaml")
    with pytest.raises(PolicyError, match=message):
        validate_policy(policy, "p.yaml", AGENCIES, EVENT_FIELDS)


def test_missing_key_is_reported_with_line() -> None:
    """A rule without a legal basis is refused, naming the key and the rule's line."""
    text = POLICY.replace("    legal_basis: dpa2018_part3_s35\n", "")
    with pytest.raises(PolicyError, match=r"p\.yaml:3: 'legal_basis' is required"):
        parse_policy(text, "p.yaml")


def test_duplicate_rule_id_is_refused() -> None:
    """Two rules with one id are refused."""
    text = POLICY + POLICY.split("rules:\n", 1)[1]
    with pytest.raises(PolicyError, match="used twice"):
        parse_policy(text, "p.yaml")


def test_invalid_yaml_names_the_line() -> None:
    """Broken YAML is reported with its line, not a stack trace."""
    with pytest.raises(PolicyError, match=r"p\.yaml:\d+: not valid YAML"):
        parse_policy("rules: [\n", "p.yaml")
