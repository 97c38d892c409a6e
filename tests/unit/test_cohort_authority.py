"""Only the area's cohort authority (police and probation by default) may enrol or deselect."""

from __future__ import annotations

from typing import Any

from broker.kafka.topics import SUBJECTS_TOPIC
from broker.policy.build import build_policy
from broker.policy.policy_source import PolicySource
from broker.policy.problems import CODE_NO_COHORT_AUTHORITY
from broker.router.outgoing import RoutingOutcome
from broker.router.router_metrics import RouterMetrics
from tests.unit.event_examples import EXAMPLE_SUBJECT, example_event
from tests.unit.policy.support import check_policy_problems, context, shipped_source
from tests.unit.routing_support import dead_letter, delivered_to, new_processor, route

STRANGER = {"crn": None, "pnc_id": "2020/0000001Z", "noms_number": None, "nhs_number": None}
AREAS_FILE = "vocabulary/areas.yaml"


def shipped_with_gwent(line: str) -> PolicySource:
    """The shipped policy with ``line`` added to Gwent's entry of the areas file."""
    files = dict(shipped_source().files)
    gwent = "    agencies: [gwent-police, aneurin-bevan-uhb, newport-housing, gdas]\n"
    files[AREAS_FILE] = files[AREAS_FILE].replace(gwent, f"{gwent}    {line}\n")
    return PolicySource(files, label="p")


def enrolment(agency: str, subject: dict[str, Any] | None = None, **payload: Any) -> dict[str, Any]:
    """A cohort enrolment sent by ``agency``."""
    return example_event(
        "cohort_enrolment",
        source_agency=agency,
        subject=subject or dict(EXAMPLE_SUBJECT),
        **payload,
    )


def arrest() -> dict[str, Any]:
    """Gwent Police arrest the example person."""
    return example_event("arrest")


def test_housing_cannot_enrol_a_stranger() -> None:
    """A housing enrolment is dead-lettered; the person stays outside IOM and arrests stay put."""
    processor = new_processor()
    outcome = route(processor, enrolment("newport-housing", STRANGER))
    reason, detail = dead_letter(outcome)
    assert reason == "not_cohort_authority"
    assert "2020/0000001Z" not in detail and "newport-housing" in detail
    later = route(processor, example_event("arrest", subject=STRANGER))
    assert delivered_to(later) == set()


def test_housing_cannot_deselect_an_enrolled_person() -> None:
    """A housing deselection is refused and the person's next arrest still reaches probation."""
    processor = new_processor()
    route(processor, enrolment("probation-wales"))
    outcome = route(processor, example_event("cohort_deselection", source_agency="newport-housing"))
    assert dead_letter(outcome)[0] == "not_cohort_authority"
    assert delivered_to(route(processor, arrest())) == {"probation-wales"}


def test_police_and_probation_of_the_area_enrol_and_deselect() -> None:
    """Gwent Police may enrol someone in Gwent, and probation may deselect them."""
    processor = new_processor()
    enrolled = route(processor, enrolment("gwent-police"))
    assert not enrolled.dead_lettered and any(r.topic == SUBJECTS_TOPIC for r in enrolled.records)
    deselected = route(processor, example_event("cohort_deselection"))
    assert not deselected.dead_lettered
    assert delivered_to(route(processor, arrest())) == set()


def test_another_areas_police_cannot_move_a_person_into_its_area() -> None:
    """Dyfed-Powys Police re-enrolling a Gwent person in Carmarthenshire is refused."""
    processor = new_processor()
    route(processor, enrolment("probation-wales"))
    moved = route(processor, enrolment("dyfed-powys-police", area="Carmarthenshire"))
    assert dead_letter(moved) == (
        "not_cohort_authority",
        f"event {moved_event_id(moved)}: agency 'dyfed-powys-police' may not change who is in "
        "the IOM cohort in area 'gwent'",
    )
    assert delivered_to(route(processor, arrest())) == {"probation-wales"}


def test_another_areas_police_cannot_enrol_into_an_area_it_does_not_serve() -> None:
    """Dyfed-Powys Police cannot enrol a new person into Gwent's cohort."""
    outcome = route(new_processor(), enrolment("dyfed-powys-police", STRANGER, area="Newport"))
    assert dead_letter(outcome)[0] == "not_cohort_authority"


def test_an_area_can_widen_its_cohort_authority() -> None:
    """An area naming housing among its cohort authority lets housing enrol people there."""
    changed = shipped_with_gwent("cohort_authority: [police, probation, newport-housing]")
    policy, _ = build_policy(changed, context())
    processor = new_processor(policy)
    assert not route(processor, enrolment("newport-housing", STRANGER)).dead_lettered
    later = route(processor, example_event("arrest", subject=STRANGER))
    assert delivered_to(later) == {"probation-wales"}


def test_validate_reports_an_area_with_no_cohort_authority() -> None:
    """An area whose cohort authority matches no agency serving it is reported by validate."""
    changed = shipped_with_gwent("cohort_authority: [prison, dyfed-powys-police]")
    problems = check_policy_problems(changed)
    assert [(p.code, p.is_error) for p in problems] == [(CODE_NO_COHORT_AUTHORITY, False)]
    assert "area 'gwent' has no cohort authority" in str(problems[0])


def test_validate_refuses_an_unknown_cohort_authority() -> None:
    """A cohort authority that is neither an agency nor a kind is an error naming it."""
    changed = shipped_with_gwent("cohort_authority: [police, the-mayor]")
    lines = changed.files[AREAS_FILE].splitlines()
    line = lines.index("    cohort_authority: [police, the-mayor]") + 1
    errors = [str(p) for p in check_policy_problems(changed) if p.is_error]
    assert errors == [
        f"p/vocabulary/areas.yaml:{line}: area 'gwent': cohort_authority names unknown 'the-mayor'"
    ]


def test_refused_cohort_changes_are_counted_by_reason() -> None:
    """The router's metrics count dead letters per agency and reason."""
    metrics = RouterMetrics()
    refused = route(new_processor(), enrolment("newport-housing", STRANGER))
    metrics.count("newport-housing", [refused, RoutingOutcome(records=())])
    text = metrics.exposition().decode()
    expected = (
        'iom_router_dead_letter_reasons_total{agency="newport-housing",'
        'reason="not_cohort_authority"} 1.0'
    )
    assert expected in text


def moved_event_id(outcome: RoutingOutcome) -> str:
    """The event id quoted in a dead letter's detail."""
    return dead_letter(outcome)[1].split()[1].rstrip(":")
