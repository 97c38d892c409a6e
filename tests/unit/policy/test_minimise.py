"""Minimisation: exactly the listed fields reach a recipient, transformed, schema intact."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from broker.domain.decision import DENY_EVALUATION_ERROR
from broker.policy.engine import Routed
from broker.policy.transforms import generalise_postcode, generalise_to_month
from tests.unit.policy.support import (
    ARREST_RULE,
    IDENTIFIERS,
    NOW,
    codec,
    engine,
    event,
    person,
    single,
)


def routed_to(recipient: str, rules: str, event_type: str = "arrest", **payload: object) -> Routed:
    """What ``recipient`` gets from an example event under one test agreement."""
    outcome = engine(single(rules)).route(event(event_type, **payload), person(), IDENTIFIERS, NOW)
    return next(r for r in outcome if r.decision.recipient == recipient)


def with_transforms(fields: str, transforms: str) -> str:
    """The arrest rule sharing ``fields`` with a ``transform`` block."""
    rule = ARREST_RULE.replace("[subject.crn, payload.offence_category]", fields)
    return rule + "    transform:\n" + transforms


@pytest.mark.parametrize(
    ("value", "district"),
    [("NP20 1AA", "NP20"), ("np201aa", "NP20"), ("SA15", "SA15"), ("not a postcode", None)],
)
def test_a_postcode_is_generalised_to_its_district(value: str, district: str | None) -> None:
    """The outward code is kept; anything that is not a postcode becomes null rather than leak."""
    assert generalise_postcode(value) == district


def test_dates_and_times_are_generalised_to_the_first_of_the_month() -> None:
    """Type is kept: a date stays a date, a timestamp stays an aware timestamp."""
    assert generalise_to_month(date(2027, 1, 9)) == date(2027, 1, 1)
    assert generalise_to_month(datetime(2027, 1, 9, 15, 30, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def test_an_offence_description_is_generalised_to_its_category() -> None:
    """The free-text description is replaced by the offence category."""
    rules = with_transforms(
        "[subject.crn, payload.offence_description]",
        "      payload.offence_description: generalise\n",
    )
    delivery = routed_to("probation-wales", rules).delivery
    assert delivery is not None
    assert delivery["payload"]["offence_description"] == "Burglary"
    assert delivery["payload"]["offence_category"] is None


def test_masking_hides_the_value_but_says_one_exists() -> None:
    """An identifier keeps its last three characters; text becomes '[withheld]'."""
    rules = with_transforms(
        "[subject.crn, payload.custody_suite]",
        "      subject.crn: mask\n      payload.custody_suite: mask\n",
    )
    delivery = routed_to("probation-wales", rules).delivery
    assert delivery is not None
    assert delivery["envelope"]["subject"]["crn"] == "****456"
    assert delivery["payload"]["custody_suite"] == "[withheld]"


def test_pseudonyms_are_stable_per_recipient_and_differ_between_recipients() -> None:
    """Two recipients cannot join their data on a pseudonym; one recipient can link its own."""
    rule = with_transforms("[subject.pnc_id]", "      subject.pnc_id: pseudonymise\n").replace(
        "to: probation-wales", "to: [probation-wales, newport-housing]"
    )
    first = engine(single(rule)).route(event("arrest"), person(), IDENTIFIERS, NOW)
    again = engine(single(rule)).route(event("arrest"), person(), IDENTIFIERS, NOW)
    pseudonyms = {
        r.decision.recipient: r.delivery["envelope"]["subject"]["pnc_id"]
        for r in first
        if r.delivery is not None
    }
    assert len(set(pseudonyms.values())) == 2
    assert all(p.startswith("pn-") and IDENTIFIERS.pnc_id not in p for p in pseudonyms.values())
    repeated = {r.decision.recipient: r.delivery for r in again if r.delivery is not None}
    again_pnc = repeated["probation-wales"]["envelope"]["subject"]["pnc_id"]
    assert again_pnc == pseudonyms["probation-wales"]


def test_a_dropped_field_is_not_sent_and_not_recorded_as_shared() -> None:
    """``drop`` documents that a field is withheld; the disclosure does not list it."""
    rules = with_transforms(
        "[subject.crn, payload.offence_category, payload.custody_suite]",
        "      payload.custody_suite: drop\n",
    )
    outcome = routed_to("probation-wales", rules)
    assert outcome.delivery is not None and outcome.delivery["payload"]["custody_suite"] is None
    assert outcome.decision.fields == ("subject.crn", "payload.offence_category")


def test_transformed_deliveries_fit_the_delivery_schema() -> None:
    """Every transform keeps the Avro type, so the record encodes and decodes unchanged."""
    rules = (
        ARREST_RULE.replace("from: gwent-police", "from: probation-wales")
        .replace("to: probation-wales", "to: gwent-police")
        .replace("events: [arrest]", "events: [prison_release]")
        .replace(
            "[subject.crn, payload.offence_category]",
            "[subject.crn, payload.licence_end_date, payload.release_address_postcode,"
            " payload.prison]",
        )
        + "    transform:\n"
        + "      payload.licence_end_date: generalise\n"
        + "      payload.release_address_postcode: generalise\n"
        + "      payload.prison: mask\n"
        + "      subject.crn: pseudonymise\n"
    )
    outcome = routed_to("gwent-police", rules, "prison_release")
    assert outcome.delivery is not None
    decoded = codec().decode_delivery(codec().encode_delivery("prison_release", outcome.delivery))
    assert decoded["payload"]["licence_end_date"] == date(2026, 1, 1)
    assert decoded["payload"]["release_address_postcode"] == "NP19"
    assert decoded["payload"]["prison"] == "[withheld]"


def test_a_failure_while_minimising_refuses_instead_of_half_sharing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If building the delivery fails, the recipient is refused with evaluation_error."""
    policy = single()

    def broken(*args: object) -> dict[str, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(policy, "minimise", broken)
    (permit,) = [
        r
        for r in engine(policy).route(event("arrest"), person(), IDENTIFIERS, NOW)
        if r.decision.recipient == "probation-wales"
    ]
    assert permit.delivery is None and permit.decision.reason == DENY_EVALUATION_ERROR
