"""End to end on the real broker: enrolment, minimised deliveries, refusals and deselection."""

from __future__ import annotations

from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    deliveries_to,
    deselection,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.integration.router_fixture import RunningRouter

OTHER_AGENCIES = 4  # five agencies in the registry, less the source


async def test_arrest_of_enrolled_subject_reaches_probation_minimised(
    running_router: RunningRouter,
) -> None:
    """Probation receives an enrolled subject's arrest with only permitted fields, and headers."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    subject = unique_subject()
    enrol = enrolment("probation-wales", subject)
    event = arrest("gwent-police", {**subject, "crn": None, "nhs_number": None})
    async with AgencyPublisher(bootstrap, "probation-wales", codec) as probation:
        await probation.publish(enrol)
    await disclosures_for(bootstrap, codec, [enrol["envelope"]["event_id"]], OTHER_AGENCIES)
    async with AgencyPublisher(bootstrap, "gwent-police", codec) as police:
        await police.publish(event)
    event_id = event["envelope"]["event_id"]
    disclosures = await disclosures_for(bootstrap, codec, [event_id], OTHER_AGENCIES)

    by_recipient = {d["recipient_agency"]: d for d in disclosures}
    assert len(disclosures) == OTHER_AGENCIES
    assert by_recipient["probation-wales"]["permitted"]
    assert by_recipient["probation-wales"]["rule_id"] == "police-arrest-to-probation"
    assert by_recipient["newport-housing"]["reason"] == "no_rule"

    records = [
        r
        for r in await deliveries_to(bootstrap, "probation-wales")
        if codec.decode_delivery(r.value)["envelope"]["event_id"] == event_id
    ]
    assert len(records) == 1
    delivered = codec.decode_delivery(records[0].value)
    headers = {k: v.decode() for k, v in records[0].headers}
    assert delivered["envelope"]["subject"]["crn"] == subject["crn"]  # probation's own identifier
    assert delivered["envelope"]["subject"]["pnc_id"] is None
    assert delivered["payload"]["offence_category"] == "theft"
    assert delivered["payload"]["custody_suite"] is None
    assert headers["iom.purpose"] == "iom_case_management"
    assert headers["iom.legal_basis"] == "dpa2018_part3_s35"
    assert headers["iom.policy_version"].startswith("sha256:")
    housing = await deliveries_to(bootstrap, "newport-housing")
    assert all(codec.decode_delivery(r.value)["envelope"]["event_id"] != event_id for r in housing)


async def test_nothing_is_shared_about_someone_never_enrolled(
    running_router: RunningRouter,
) -> None:
    """An arrest of a person outside the IOM cohort is refused to every agency."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    event = arrest("gwent-police", unique_subject())
    async with AgencyPublisher(bootstrap, "gwent-police", codec) as police:
        await police.publish(event)
    disclosures = await disclosures_for(
        bootstrap, codec, [event["envelope"]["event_id"]], OTHER_AGENCIES
    )
    assert len(disclosures) == OTHER_AGENCIES
    assert {d["reason"] for d in disclosures} == {"not_in_iom_cohort"}
    assert not any(d["permitted"] for d in disclosures)


async def test_deselection_is_shared_and_then_nothing_more(running_router: RunningRouter) -> None:
    """Partners are told of a deselection, and a later arrest is refused to all of them."""
    bootstrap, codec = running_router.bootstrap, running_router.codec
    subject = unique_subject()
    enrol, leave = enrolment("probation-wales", subject), deselection("probation-wales", subject)
    later = arrest("gwent-police", subject)
    async with AgencyPublisher(bootstrap, "probation-wales", codec) as probation:
        await probation.publish(enrol)
        await probation.publish(leave)
    leave_id = leave["envelope"]["event_id"]
    shared = await disclosures_for(bootstrap, codec, [leave_id], OTHER_AGENCIES)
    assert any(d["permitted"] and d["recipient_agency"] == "gwent-police" for d in shared)
    async with AgencyPublisher(bootstrap, "gwent-police", codec) as police:
        await police.publish(later)
    refused = await disclosures_for(
        bootstrap, codec, [later["envelope"]["event_id"]], OTHER_AGENCIES
    )
    assert {d["reason"] for d in refused} == {"not_in_iom_cohort"}
