"""Each adapter's samples through outbox, Kafka and the router, to the receiving agency."""

from __future__ import annotations

from pathlib import Path

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.health import FhirAdapter
from iom_adapters.mapping import DeclarativeMappingAdapter
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.adapters.support import new_person, personalised, publish, receive
from tests.integration.helpers import disclosures_for, enrolment
from tests.integration.router_fixture import RunningRouter
from tests.unit.adapters.samples import SAMPLES

OTHER_AGENCIES = 4


async def enrol(running: RunningRouter, subject: dict[str, str | None]) -> None:
    """Enrol a person (all identifiers linked) and wait until the router decided it."""
    event = enrolment("probation-wales", subject)
    async with AgencyPublisher(running.bootstrap, "probation-wales", running.codec) as probation:
        await probation.publish(event)
    await disclosures_for(
        running.bootstrap, running.codec, [event["envelope"]["event_id"]], OTHER_AGENCIES
    )


async def test_police_export_reaches_probation(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """Arrest, charges and release from a custody CSV reach probation under its CRN."""
    person = new_person()
    await enrol(running_router, person.subject())
    adapter = CustodyExportAdapter.create(agency=None, options=None, catalogue=default_catalogue())
    document = personalised("police/custody-export.csv", {"2019/0412873N": person.pnc_id})
    (summary,) = await publish(
        running_router.bootstrap, running_router.codec, adapter, [document], tmp_path
    )
    mine = summary.event_ids[:4]
    received = await receive(
        running_router.bootstrap, running_router.codec, "probation-wales", mine, tmp_path / "drop"
    )
    arrest = received[mine[0]]
    assert arrest["event_type"] == "arrest"
    assert arrest["source_agency"] == "gwent-police"
    assert arrest["rule_id"] and arrest["purpose"] and arrest["legal_basis"]
    assert arrest["subject"]["crn"] == person.crn
    assert arrest["payload"]["offence_category"] == "Theft"
    release = received[mine[3]]
    assert release["payload"]["outcome"] == "CHARGED_AND_BAILED"


async def test_health_attendance_reaches_probation_without_clinical_content(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """A missed NHS appointment reaches probation as attendance under the CRN, nothing more."""
    person = new_person()
    await enrol(running_router, person.subject())
    adapter = FhirAdapter.create(agency=None, options=None, catalogue=default_catalogue())
    document = personalised(
        "health/appointment-noshow.json",
        {"973 118 2047": person.nhs_number, "abuhb-appt-77120": f"appt-{person.crn}"},
    )
    (summary,) = await publish(
        running_router.bootstrap, running_router.codec, adapter, [document], tmp_path
    )
    received = await receive(
        running_router.bootstrap,
        running_router.codec,
        "probation-wales",
        summary.event_ids,
        tmp_path / "drop",
    )
    (missed,) = received.values()
    assert missed["source_agency"] == "aneurin-bevan-uhb"
    assert missed["subject"]["crn"] == person.crn
    assert missed["subject"]["nhs_number"] is None
    assert missed["payload"]["outcome"] == "MISSED"
    assert missed["payload"]["clinical_notes"] is None
    assert missed["payload"]["appointment_id"] is None


async def test_probation_release_reaches_police(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """An HMPPS IOM registration in Gwent enrols the person; their release reaches Gwent Police."""
    person = new_person()
    adapter = HmppsDomainEventsAdapter.create(
        agency=None, options={"area": "Gwent"}, catalogue=default_catalogue()
    )
    ids = {"E482913": person.crn, "A4821CD": person.noms_number}
    bootstrap, codec = running_router.bootstrap, running_router.codec
    (registered,) = await publish(
        bootstrap,
        codec,
        adapter,
        [personalised("probation/registration-added-iom.json", ids)],
        tmp_path,
    )
    enrolled = registered.event_ids[0]
    await disclosures_for(bootstrap, codec, [enrolled], OTHER_AGENCIES)
    (movement,) = await publish(
        bootstrap,
        codec,
        adapter,
        [personalised("probation/prisoner-released.sns.json", ids)],
        tmp_path,
    )
    released = movement.event_ids[0]
    received = await receive(
        bootstrap, codec, "gwent-police", [enrolled, released], tmp_path / "drop"
    )
    assert received[enrolled]["payload"]["cohort"] == "FIXED"
    assert received[released]["rule_id"]
    assert received[released]["payload"]["release_type"] == "CONDITIONAL_RELEASE"


async def test_housing_and_gdas_mappings_reach_probation(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """Housing's CSV and the drug & alcohol service's JSON, by mapping file, reach probation."""
    person = new_person()
    await enrol(running_router, person.subject())
    catalogue = default_catalogue()
    ids = {"E482913": person.crn, "9731182047": person.nhs_number, "HX-2026": f"HX-{person.crn}"}
    ids["GDAS-EV"] = f"GDAS-{person.crn}"
    housing = DeclarativeMappingAdapter.create(
        agency=None,
        options={"mapping": "newport-housing.mapping.yaml"},
        catalogue=catalogue,
        base_dir=SAMPLES / "housing",
    )
    gdas = DeclarativeMappingAdapter.create(
        agency=None,
        options={"mapping": "gdas.mapping.yaml"},
        catalogue=catalogue,
        base_dir=SAMPLES / "gdas",
    )
    (moves,) = await publish(
        running_router.bootstrap,
        running_router.codec,
        housing,
        [personalised("housing/housing-extract.csv", ids)],
        tmp_path,
    )
    (treatment,) = await publish(
        running_router.bootstrap,
        running_router.codec,
        gdas,
        [personalised("gdas/gdas-export.json", ids)],
        tmp_path,
    )
    wanted = [moves.event_ids[0], treatment.event_ids[1]]
    received = await receive(
        running_router.bootstrap, running_router.codec, "probation-wales", wanted, tmp_path / "drop"
    )
    move, appointment = received[wanted[0]], received[wanted[1]]
    assert move["event_type"] == "accommodation_change"
    assert move["rule_id"]
    assert move["subject"]["crn"] == person.crn
    assert appointment["source_agency"] == "gdas"
    assert appointment["payload"]["service"] == "substance misuse key work"
