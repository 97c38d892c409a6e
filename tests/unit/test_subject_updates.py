"""The router keeps each subject's supervision status and consents up to date from events."""

from __future__ import annotations

from datetime import UTC, datetime

from broker.domain.event import Event
from broker.router.subject_codec import decode_subject, encode_subject
from broker.router.subject_updates import CONSENT_EVENT, subject_after
from tests.unit.policy.support import event, person

AT = datetime(2026, 7, 1, tzinfo=UTC)


def test_release_puts_someone_on_licence_and_recall_in_custody() -> None:
    """Supervision follows prison releases and recalls."""
    released = subject_after(event("prison_release"), person(), AT)
    assert released is not None and released.supervision == "on_licence"
    recalled = subject_after(event("recall"), released, AT)
    assert recalled is not None and recalled.supervision == "in_custody"


def test_an_event_that_changes_nothing_gives_no_update() -> None:
    """An arrest does not change supervision status."""
    assert subject_after(event("arrest"), person(supervision="on_licence"), AT) is None


def test_a_consent_event_records_and_withdraws_consent() -> None:
    """Given, then withdrawn: the latest state per purpose is kept."""
    base = event("arrest")

    def consent(status: str) -> Event:
        payload = {"purpose": "substance_misuse_treatment", "status": status}
        record = {"envelope": base.record["envelope"], "payload": payload}
        return Event(base.event_id, CONSENT_EVENT, AT, "gdas", base.subject, 0, record)

    given = subject_after(consent("GIVEN"), person(), AT)
    assert given is not None and given.consent("substance_misuse_treatment") == "given"
    withdrawn = subject_after(consent("WITHDRAWN"), given, AT)
    assert withdrawn is not None and withdrawn.consent("substance_misuse_treatment") == "withdrawn"


def test_area_supervision_and_consents_survive_the_subjects_topic() -> None:
    """The compacted subjects record keeps what the policy needs to decide."""
    subject = person(area="Newport", supervision="on_licence", consents=(("x", "given"),))
    assert decode_subject(encode_subject(subject)) == subject
