"""Probation adapter: HMPPS domain events (nDelius, NOMIS, licences, Refer and Monitor).

Input: one event per document, a JSON array of events, or JSON lines; each event either as
published (``eventType``, ``version``, ``occurredAt``, ``personReference``,
``additionalInformation``) or in its SNS notification wrapper as an SQS consumer receives it.
The mapping table is in docs/adapters.md and :mod:`iom_adapters.probation.mappers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pydantic import Field

from iom_adapters.probation import codes
from iom_adapters.probation.interventions import appointment, referral_outcome, referral_sent
from iom_adapters.probation.mappers import (
    Mapper,
    licence_activated,
    licence_variation_activated,
    prisoner_received,
    prisoner_released,
    recall_decision,
    registration_added,
    registration_deregistered,
)
from iom_adapters.probation.message import read_event
from iom_adapters.sdk.adapter import Adapter, AdapterOptions
from iom_adapters.sdk.outcomes import (
    UNEXPECTED_SHAPES,
    UNMAPPED_EVENT_TYPE,
    Converted,
    MappingError,
    Outcome,
    Rejected,
    SkipRecord,
    shown_type,
    unexpected_shape,
)
from iom_adapters.sdk.source import SourceDocument, json_records

_EVENT_TYPE_SHAPE = re.compile(r"[a-z][a-z0-9-]{0,40}(?:\.[a-z0-9-]{1,40}){1,4}")
"""HMPPS event types look like ``probation-case.registration.added``; others are not quoted."""

#: HMPPS event type -> mapper. Anything else is reported as ``unmapped_event_type``.
MAPPERS: Mapping[str, Mapper] = {
    "probation-case.registration.added": registration_added,
    "probation-case.registration.deregistered": registration_deregistered,
    "prison-offender-events.prisoner.released": prisoner_released,
    "prison-offender-events.prisoner.received": prisoner_received,
    "create-and-vary-a-licence.licence.activated": licence_activated,
    "create-and-vary-a-licence.variation.activated": licence_variation_activated,
    "prison-recall.recommendation.management-oversight": recall_decision,
    "intervention.referral.sent": referral_sent,
    "intervention.referral.assigned": referral_outcome("ACCEPTED"),
    "intervention.referral.concluded": referral_outcome(None),
    "intervention.referral.completed": referral_outcome("COMPLETED"),
    "intervention.referral.cancelled": referral_outcome("DISENGAGED"),
    "intervention.referral.prematurely-ended": referral_outcome("DISENGAGED"),
    "intervention.session-appointment.attended": appointment("session", "ATTENDED"),
    "intervention.session-appointment.missed": appointment("session", "MISSED"),
    "intervention.initial-assessment-appointment.attended": appointment(
        "initial assessment", "ATTENDED"
    ),
    "intervention.initial-assessment-appointment.missed": appointment(
        "initial assessment", "MISSED"
    ),
}


class ProbationOptions(AdapterOptions):
    """Settings of the HMPPS adapter (all have working defaults for Wales)."""

    area: str = "Wales"
    lead_agency: str = "probation-wales"
    iom_register_types: tuple[str, ...] = codes.IOM_REGISTER_TYPES
    cohort_by_category: dict[str, codes.Cohort] = Field(
        default_factory=lambda: dict(codes.COHORT_BY_CATEGORY)
    )
    default_cohort: codes.Cohort = "FIXED"
    prisons: dict[str, str] = Field(default_factory=lambda: dict(codes.PRISONS))
    release_types: dict[str, codes.ReleaseType] = Field(
        default_factory=lambda: dict(codes.RELEASE_TYPES)
    )
    recall_types: dict[str, str] = Field(default_factory=dict)
    contract_types: dict[str, codes.ReferralService] = Field(
        default_factory=lambda: dict(codes.CONTRACT_TYPES)
    )
    referred_to: dict[str, str] = Field(default_factory=lambda: dict(codes.REFERRED_TO))
    delivery_states: dict[str, str] = Field(default_factory=lambda: dict(codes.DELIVERY_STATES))
    check_identifiers: bool = True


class HmppsDomainEventsAdapter(Adapter):
    """HMPPS domain events -> cohort, release, recall, referral and appointment events."""

    name = "probation-hmpps"
    summary = "HMPPS domain events (nDelius registrations, prison movements, licences, CRS)"
    default_agency = "probation-wales"
    file_patterns = ("*.json", "*.jsonl", "*.ndjson")
    options_model = ProbationOptions

    def convert(self, document: SourceDocument) -> Iterator[Outcome]:
        """One outcome per event in the document."""
        options = self.options
        assert isinstance(options, ProbationOptions)
        for item in json_records(document):
            if isinstance(item, Rejected):
                yield item
                continue
            try:
                event = read_event(item.value, check_identifiers=options.check_identifiers)
                mapper = MAPPERS.get(event.event_type)
                if mapper is None:
                    shown = shown_type(event.event_type, _EVENT_TYPE_SHAPE)
                    yield Rejected(
                        item.locator,
                        UNMAPPED_EVENT_TYPE,
                        f"HMPPS event type {shown} has no mapping",
                        "eventType",
                    )
                    continue
                draft = mapper(event, options)
                record = self.events.build(
                    draft.event_type, draft.key, event.occurred_at, event.subject(), draft.payload
                )
                yield Converted(record, item.locator)
            except MappingError as error:
                yield error.at(item.locator)
            except SkipRecord as skip:
                yield skip.at(item.locator)
            except UNEXPECTED_SHAPES as error:
                yield unexpected_shape(item.locator, error)
