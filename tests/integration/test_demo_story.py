"""The demo's IOM story, told through the real broker, shares exactly what the policy allows."""

from __future__ import annotations

from rich.console import Console

from broker.bootstrap import load_core
from broker.devtools.demo.run_demo import play_story
from broker.devtools.demo.story import DAFYDD, demo_story
from broker.devtools.devstack.stack_access import StackAccess
from tests.integration.router_fixture import RunningRouter


async def test_story_shares_what_the_policy_allows_and_nothing_after_deselection(
    running_router: RunningRouter,
) -> None:
    """Clinical notes stay in health; referrals reach their service only; nothing after exit."""
    steps = demo_story()
    console = Console(record=True, width=120)
    settings = running_router.settings
    access = StackAccess(running_router.bootstrap)
    report = await play_story(access, load_core(settings), settings, console, steps)
    events = [s.record for s in steps if s.record is not None and not s.refused]
    event_ids = {e["envelope"]["event_id"] for e in events}
    story_disclosures = [d for d in report.disclosures if d["event_id"] in event_ids]
    assert len(story_disclosures) == len(events) * 4
    assert report.dead_letters == [
        ("newport-housing", "not_cohort_authority"),
        ("newport-housing", "undecodable"),
    ]

    def decisions_for(step_index: int) -> list[dict[str, object]]:
        event_id = steps[step_index].record["envelope"]["event_id"]  # type: ignore[index]
        return [d for d in story_disclosures if d["event_id"] == event_id]

    dafydd_arrest = next(
        i
        for i, s in enumerate(steps)
        if s.record and not s.refused and s.record["envelope"]["subject"] == DAFYDD
    )
    refused_enrolment = next(i for i, s in enumerate(steps) if s.refused)
    assert report.disclosures and not [
        d
        for d in report.disclosures
        if d["event_id"] == steps[refused_enrolment].record["envelope"]["event_id"]  # type: ignore[index]
    ]
    assert {d["reason"] for d in decisions_for(dafydd_arrest)} == {"not_in_iom_cohort"}
    assert {d["reason"] for d in decisions_for(len(steps) - 1)} == {"not_in_iom_cohort"}

    appointments = [
        r
        for r in report.deliveries["probation-wales"]
        if r["envelope"]["event_type"] == "appointment"
    ]
    assert appointments and all(r["payload"]["clinical_notes"] is None for r in appointments)
    assert appointments[-1]["payload"]["outcome"] == "MISSED"
    assert "Clinical detail" not in console.export_text()

    referral = next(i for i, s in enumerate(steps) if s.record and s.caption.endswith("housing"))
    refusals = {d["recipient_agency"]: d["reason"] for d in decisions_for(referral)}
    assert refusals["gdas"] == refusals["aneurin-bevan-uhb"] == "condition_false"
    moves = [
        r
        for r in report.deliveries["probation-wales"]
        if r["envelope"]["event_type"] == "accommodation_change"
    ]
    assert moves and moves[-1]["payload"]["postcode"] == "NP20 2ZZ"  # Gwent's housing pathway
