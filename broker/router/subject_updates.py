"""What an event tells the router about a subject's situation: supervision status, consent.

Conditions in the sharing agreements can read ``subject.supervision`` and the engine honours
recorded consents, so the router keeps both up to date from the events it routes. Pure.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from broker.domain.event import Event
from broker.domain.subject import SubjectRecord
from broker.policy.conditions import CONSENT_GIVEN, CONSENT_WITHDRAWN

ON_LICENCE = "on_licence"
IN_CUSTODY = "in_custody"
UNSUPERVISED = "unsupervised"
_ORDER_STATUS = {
    "LICENCE": ON_LICENCE,
    "COMMUNITY_ORDER": "community_order",
    "SUSPENDED_SENTENCE_ORDER": "suspended_sentence_order",
    "POST_SENTENCE_SUPERVISION": "post_sentence_supervision",
}
#: Consent recorded for one purpose: payload ``purpose`` and ``status`` (GIVEN / WITHDRAWN).
CONSENT_EVENT = "consent_change"


def subject_after(event: Event, subject: SubjectRecord, at: datetime) -> SubjectRecord | None:
    """The subject as this event leaves them, or None when nothing changed."""
    payload = event.payload
    supervision = subject.supervision
    consents = subject.consents
    if event.event_type == "prison_release":
        ended = payload.get("release_type") == "END_OF_SENTENCE"
        supervision = UNSUPERVISED if ended else ON_LICENCE
    elif event.event_type == "recall" or (
        event.event_type == "custody_release" and payload.get("outcome") == "REMANDED"
    ):
        supervision = IN_CUSTODY
    elif event.event_type == "breach":
        supervision = _ORDER_STATUS.get(str(payload.get("order_type")), supervision)
    elif event.event_type == CONSENT_EVENT:
        consents = _with_consent(consents, payload.get("purpose"), payload.get("status"))
    if supervision == subject.supervision and consents == subject.consents:
        return None
    return replace(subject, supervision=supervision, consents=consents, updated_at=at)


def _with_consent(
    consents: tuple[tuple[str, str], ...], purpose: object, status: object
) -> tuple[tuple[str, str], ...]:
    state = {"GIVEN": CONSENT_GIVEN, "WITHDRAWN": CONSENT_WITHDRAWN}.get(str(status).upper())
    if not isinstance(purpose, str) or state is None:
        return consents
    kept = tuple((name, value) for name, value in consents if name != purpose)
    return tuple(sorted((*kept, (purpose, state))))
