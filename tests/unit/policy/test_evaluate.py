"""Evaluation: default deny, per-area layering, conditions, consent, and failing closed."""

from __future__ import annotations

from dataclasses import replace

from broker.domain.decision import (
    DENY_CONDITION_FALSE,
    DENY_CONSENT_WITHDRAWN,
    DENY_EVALUATION_ERROR,
    DENY_NO_CONSENT,
    DENY_NO_RULE,
    DENY_NOT_IN_COHORT,
    Decision,
)
from broker.domain.subject import SubjectRecord
from tests.unit.policy.support import (
    ARREST_RULE,
    NOW,
    event,
    person,
    shipped,
    single,
)

CONSENT_RULE = ARREST_RULE.replace("dpa2018_part3_s35", "explicit_consent")


def decided(
    event_type: str,
    subject: SubjectRecord | None,
    policy_rules: str | None = None,
    **payload: object,
) -> dict[str, Decision]:
    """Decisions per recipient on an example event (shipped policy unless rules are given)."""
    policy = shipped() if policy_rules is None else single(policy_rules)
    return {d.recipient: d for d in policy.evaluate(event(event_type, **payload), subject, NOW)}


def test_gwent_people_are_shared_about_with_gwent_agencies_only() -> None:
    """Recipients are the agencies serving the person's area plus the all-Wales ones."""
    assert set(decided("breach", person(area="gwent"))) == {
        "gwent-police",
        "aneurin-bevan-uhb",
        "newport-housing",
        "gdas",
    }
    assert set(decided("breach", person(area="dyfed-powys"))) == {
        "dyfed-powys-police",
        "hywel-dda-uhb",
        "carmarthenshire-housing",
        "ddas",
    }


def test_a_kind_in_the_baseline_means_the_area_s_own_agency() -> None:
    """``to: police`` reaches Gwent Police for a Gwent person, Dyfed-Powys Police otherwise."""
    assert decided("recall", person(area="gwent"))["gwent-police"].permitted
    assert decided("recall", person(area="dyfed-powys"))["dyfed-powys-police"].permitted


def test_a_local_rule_replaces_the_baseline_for_its_area() -> None:
    """Dyfed-Powys keeps breach warnings from the police; Gwent follows the baseline."""
    gwent = decided("breach", person(area="gwent"), action="WARNING")["gwent-police"]
    dyfed = decided("breach", person(area="dyfed-powys"), action="WARNING")["dyfed-powys-police"]
    assert gwent.permitted and gwent.rule_id == "probation-breach-to-police"
    assert not dyfed.permitted and dyfed.reason == DENY_CONDITION_FALSE
    assert dyfed.rule_ids == ("dp-breach-enforcement-to-police",)


def test_an_enrolment_area_name_or_the_lead_agency_selects_the_area() -> None:
    """'Newport' is in Gwent; an unknown area falls back to the lead agency's area."""
    newport = person(area="Newport")
    assert "gwent-police" in decided("recall", newport)
    unknown = replace(person(area="Wales"), lead_agency="dyfed-powys-police")
    assert "dyfed-powys-police" in decided("recall", unknown)


def test_someone_whose_area_is_unknown_can_reach_all_wales_services_only() -> None:
    """An area matching no name (and no local lead agency) fails closed to all-Wales agencies."""
    assert set(decided("arrest", person(area="Atlantis"))) == {"probation-wales"}


def test_someone_managed_at_national_level_is_under_the_baseline_everywhere() -> None:
    """Enrolled for 'Wales' by an all-Wales lead: every force is 'the police', no local rules."""
    national = replace(person(area="Wales"), lead_agency="probation-wales")
    decisions = decided("recall", national)
    assert {r for r, d in decisions.items() if d.permitted} == {
        "gwent-police",
        "dyfed-powys-police",
    }
    housing = decided("recall", national)["newport-housing"]
    assert housing.reason == DENY_NO_RULE  # Gwent's local recall-to-housing rule does not apply


def test_nobody_receives_anything_about_someone_not_in_iom() -> None:
    """Every possible recipient is refused with reason not_in_iom_cohort."""
    decisions = decided("arrest", None)
    assert set(decisions) == {"probation-wales", "aneurin-bevan-uhb", "newport-housing", "gdas"}
    assert {d.reason for d in decisions.values()} == {DENY_NOT_IN_COHORT}


def test_a_condition_that_holds_permits_and_one_that_does_not_refuses() -> None:
    """Risk changes reach the police only into or out of high risk."""
    high = decided("risk_level_change", person(), previous_level="MEDIUM", new_level="HIGH")
    low = decided("risk_level_change", person(), previous_level="LOW", new_level="MEDIUM")
    assert high["gwent-police"].permitted
    assert low["gwent-police"].reason == DENY_CONDITION_FALSE
    assert low["gwent-police"].rule_ids == ("probation-risk-to-police",)


def test_conditions_can_read_the_subject() -> None:
    """A condition on the cohort sees the person's cohort."""
    rules = ARREST_RULE + "    when: subject.cohort == 'FIXED' && subject.area == 'gwent'\n"
    assert decided("arrest", person(cohort="FIXED"), rules)["probation-wales"].permitted
    flex = decided("arrest", person(cohort="FLEX"), rules)["probation-wales"]
    assert flex.reason == DENY_CONDITION_FALSE


def test_consent_based_rules_follow_the_recorded_consent() -> None:
    """Given: shared; withdrawn: refused as consent_withdrawn; never recorded: refused."""
    given = person(consents=(("iom_case_management", "given"),))
    withdrawn = person(consents=(("iom_case_management", "withdrawn"),))
    assert decided("arrest", given, CONSENT_RULE)["probation-wales"].permitted
    assert decided("arrest", withdrawn, CONSENT_RULE)["probation-wales"].reason == (
        DENY_CONSENT_WITHDRAWN
    )
    assert decided("arrest", person(), CONSENT_RULE)["probation-wales"].reason == DENY_NO_CONSENT


def test_a_later_rule_can_still_permit_when_an_earlier_condition_is_false() -> None:
    """Within a layer the first rule whose condition holds decides."""
    narrow = ARREST_RULE.replace("id: arrest-to-probation", "id: narrow") + (
        "    when: payload.offence_category == 'Robbery'\n"
    )
    decision = decided("arrest", person(), narrow + ARREST_RULE)["probation-wales"]
    assert decision.permitted and decision.rule_id == "arrest-to-probation"


def test_an_error_while_evaluating_a_condition_is_a_deny() -> None:
    """A condition failing at run time (a missing optional value compared) refuses the recipient."""
    rules = ARREST_RULE + "    when: payload.location_postcode.startsWith('NP')\n"
    decision = decided("arrest", person(), rules, location_postcode=None)["probation-wales"]
    assert not decision.permitted and decision.reason == DENY_EVALUATION_ERROR
    assert decision.rule_ids == ("arrest-to-probation",)


def test_every_decision_names_the_policy_version() -> None:
    """Permits and refusals alike carry the version hash of the policy that made them."""
    policy = shipped()
    decisions = policy.evaluate(event("prison_release"), person(), NOW)
    assert {d.policy_version for d in decisions} == {policy.version}


def test_no_rule_is_the_reason_when_nothing_covers_the_flow() -> None:
    """An arrest reaches no one but probation; the others are refused for want of a rule."""
    decisions = decided("arrest", person())
    assert {r: d.reason for r, d in decisions.items() if not d.permitted} == {
        "aneurin-bevan-uhb": DENY_NO_RULE,
        "newport-housing": DENY_NO_RULE,
        "gdas": DENY_NO_RULE,
    }


def test_an_unusable_subject_record_is_refused_to_everyone_not_raised() -> None:
    """Even when the recipients cannot be worked out, evaluation denies rather than raises."""
    broken = replace(person(), area=42)  # type: ignore[arg-type]
    decisions = shipped().evaluate(event("arrest"), broken, NOW)
    assert decisions and {d.reason for d in decisions} == {DENY_EVALUATION_ERROR}
    assert not any(d.permitted for d in decisions)
