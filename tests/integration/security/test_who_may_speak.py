"""Red-team scenarios through the agencies' own credentials on `dev up`: an agency cannot
enrol or deselect beyond its authority, nor overwrite or plant a person's identifiers."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    dead_letter_reason,
    deselection,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.support.secured_stack import SecuredDevStack
from tests.unit.event_examples import example_event

pytestmark = pytest.mark.kafka

POLICE, PROBATION, HEALTH, HOUSING = (
    "gwent-police",
    "probation-wales",
    "aneurin-bevan-uhb",
    "newport-housing",
)


async def publish(stack: SecuredDevStack, agency: str, record: dict[str, Any]) -> str:
    """Publish ``record`` as ``agency`` with its own token; return the event id."""
    bootstrap, options = stack.info.bootstrap_servers, stack.options(agency)
    async with AgencyPublisher(bootstrap, agency, stack.codec, kafka_options=options) as publisher:
        await publisher.publish(record)
    return str(record["envelope"]["event_id"])


async def decisions(stack: SecuredDevStack, event_id: str) -> dict[str, dict[str, Any]]:
    """Each recipient's committed disclosure of the event (all come in one transaction)."""
    found = await disclosures_for(
        stack.info.bootstrap_servers,
        stack.codec,
        [event_id],
        per_event=1,
        client_options=stack.admin_options(),
    )
    return {d["recipient_agency"]: d for d in found}


async def refused_as(stack: SecuredDevStack, agency: str, event_id: str) -> str:
    """The dead-letter reason of the event, read from ``dlq.<agency>`` with its own token."""
    bootstrap, options = stack.info.bootstrap_servers, stack.options(agency)
    return await dead_letter_reason(bootstrap, agency, event_id, options)


def event(event_type: str, agency: str, subject: dict[str, str | None]) -> dict[str, Any]:
    """A catalogue example of ``event_type`` sent now by ``agency`` about ``subject``."""
    now = datetime.now(UTC).replace(microsecond=0)
    return example_event(event_type, source_agency=agency, subject=subject, occurred_at=now)


async def enrolled_by_probation(stack: SecuredDevStack, subject: dict[str, str | None]) -> str:
    """Probation enrols ``subject`` in Gwent; return the person's subject reference."""
    shared = await decisions(stack, await publish(stack, PROBATION, enrolment(PROBATION, subject)))
    return str(shared[POLICE]["subject_ref"])


async def test_housing_cannot_enrol_a_person_the_police_know(
    secured_stack: SecuredDevStack,
) -> None:
    """Housing's enrolment of a stranger is dead-lettered; the police's arrest of them then
    reaches no one, so probation never learns the offence."""
    stranger = unique_subject()
    enrol = await publish(secured_stack, HOUSING, enrolment(HOUSING, stranger))
    assert await refused_as(secured_stack, HOUSING, enrol) == "not_cohort_authority"

    caught = await decisions(
        secured_stack, await publish(secured_stack, POLICE, arrest(POLICE, stranger))
    )

    assert {d["reason"] for d in caught.values()} == {"not_in_iom_cohort"}
    assert not caught[PROBATION]["permitted"]


async def test_housing_cannot_deselect_a_person_under_supervision(
    secured_stack: SecuredDevStack,
) -> None:
    """Housing's deselection is dead-lettered; the person's next arrest still reaches probation."""
    person = unique_subject()
    await enrolled_by_probation(secured_stack, person)
    exit_attempt = await publish(secured_stack, HOUSING, deselection(HOUSING, person))
    assert await refused_as(secured_stack, HOUSING, exit_attempt) == "not_cohort_authority"

    caught = await decisions(
        secured_stack, await publish(secured_stack, POLICE, arrest(POLICE, person))
    )

    assert caught[PROBATION]["permitted"]


async def test_an_enrolment_cannot_overwrite_an_nhs_number(
    secured_stack: SecuredDevStack,
) -> None:
    """An enrolment naming a known CRN with another NHS number is a conflict: the health board's
    events still find the person, and the planted number finds no one."""
    person = unique_subject()
    planted = unique_subject()["nhs_number"]
    ref = await enrolled_by_probation(secured_stack, person)
    overwrite = enrolment(POLICE, {"crn": person["crn"], "nhs_number": planted})
    attempt = await publish(secured_stack, POLICE, overwrite)
    assert await refused_as(secured_stack, POLICE, attempt) == "identifier_conflict"

    real = event("appointment", HEALTH, {"nhs_number": person["nhs_number"]})
    to_real = await decisions(secured_stack, await publish(secured_stack, HEALTH, real))
    fake = event("appointment", HEALTH, {"nhs_number": planted})
    to_fake = await decisions(secured_stack, await publish(secured_stack, HEALTH, fake))

    assert to_real[PROBATION]["permitted"] and to_real[PROBATION]["subject_ref"] == ref
    assert {d["reason"] for d in to_fake.values()} == {"not_in_iom_cohort"}


async def test_a_planted_identifier_cannot_make_a_person_ambiguous(
    secured_stack: SecuredDevStack,
) -> None:
    """Housing planting Rhys's NHS number (unknown to the broker) on a stranger, or on Rhys,
    changes nothing: the health board's event naming it with his PNC id is shared about him."""
    rhys = unique_subject()
    real_nhs = rhys["nhs_number"]
    ref = await enrolled_by_probation(secured_stack, {**rhys, "nhs_number": None})
    stranger = {**unique_subject(), "nhs_number": real_nhs}
    plant = await publish(secured_stack, HOUSING, enrolment(HOUSING, stranger))
    assert await refused_as(secured_stack, HOUSING, plant) == "not_cohort_authority"
    wrong = event("accommodation_change", HOUSING, {"crn": rhys["crn"], "nhs_number": "N0"})
    await decisions(secured_stack, await publish(secured_stack, HOUSING, wrong))

    missed = event("appointment", HEALTH, {"nhs_number": real_nhs, "pnc_id": rhys["pnc_id"]})
    shared = await decisions(secured_stack, await publish(secured_stack, HEALTH, missed))

    assert shared[PROBATION]["permitted"] and shared[PROBATION]["subject_ref"] == ref


async def dpo_token(stack: SecuredDevStack, agency: str) -> str:
    """A DPO's token from `dev token --dpo`, as a DPO's tools would get one."""
    command = [sys.executable, "-m", "broker.cli", "dev", "token", "--state", str(stack.state)]
    result = await asyncio.to_thread(
        subprocess.run, [*command, "--dpo", agency], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


async def test_the_refusal_is_shown_to_the_senders_dpo_only(
    secured_stack: SecuredDevStack,
) -> None:
    """Housing's DPO reads the refused enrolment (reason, event id, no identifier) through the
    API; the police's DPO sees none of housing's dead letters."""
    stranger = unique_subject()
    attempt = await publish(secured_stack, HOUSING, enrolment(HOUSING, stranger))
    assert await refused_as(secured_stack, HOUSING, attempt) == "not_cohort_authority"
    info = secured_stack.info
    assert info.api_url is not None and info.ca_file is not None
    tls = ssl.create_default_context(cafile=info.ca_file)
    async with httpx.AsyncClient(base_url=info.api_url, verify=tls, timeout=30) as api:
        headers = {"Authorization": f"Bearer {await dpo_token(secured_stack, HOUSING)}"}
        housing = (await api.get("/dead-letters", headers=headers)).json()
        headers = {"Authorization": f"Bearer {await dpo_token(secured_stack, POLICE)}"}
        police = (await api.get("/dead-letters", headers=headers)).json()

    (ours,) = [n for n in housing if attempt in n["detail"]]
    assert ours["reason"] == "not_cohort_authority"
    assert all(str(value) not in ours["detail"] for value in stranger.values() if value)
    assert not any(attempt in n["detail"] for n in police)
