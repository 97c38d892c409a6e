"""Health adapter: FHIR R4 (NHS Wales / UK Core) referrals and appointment attendance.

Input: a resource, a Bundle, a JSON array of resources or NDJSON. ServiceRequest becomes a
``referral``; Appointment and Encounter become an ``appointment`` (attended, missed or
cancelled). The subject is the NHS number (``https://fhir.nhs.uk/Id/nhs-number``); clinical
notes are never copied. Supporting resources (Patient, Practitioner, Organization...) are
read for references and produce nothing; other resource types are reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from iom_adapters.health.mappers import Draft, appointment, encounter, service_request
from iom_adapters.health.options import FhirOptions
from iom_adapters.health.resources import FoundResource, ResourceIndex, read_resources
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.outcomes import (
    UNEXPECTED_SHAPES,
    Converted,
    MappingError,
    Outcome,
    Rejected,
    Skipped,
    SkipRecord,
    unexpected_shape,
)
from iom_adapters.sdk.source import SourceDocument

_MAPPERS: dict[str, Callable[[Mapping[str, Any], ResourceIndex, FhirOptions], Draft]] = {
    "ServiceRequest": service_request,
    "Appointment": appointment,
    "Encounter": encounter,
}
_SUPPORTING = frozenset(
    {
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "HealthcareService",
        "Schedule",
        "Slot",
        "Provenance",
        "MessageHeader",
    }
)
_KNOWN_TYPES = frozenset(
    # other FHIR types a skip names; any other value is not quoted (it could be anything)
    {"Observation", "Condition", "Procedure", "MedicationRequest", "MedicationStatement",
     "DiagnosticReport", "CarePlan", "CareTeam", "Consent", "DocumentReference", "EpisodeOfCare",
     "Flag", "Immunization", "AllergyIntolerance", "Communication", "Task", "QuestionnaireResponse",
     "Bundle", "OperationOutcome", "Coverage", "Claim", "Device", "Specimen", "RelatedPerson"}
)  # fmt: skip


class FhirAdapter(Adapter):
    """FHIR R4 ServiceRequest, Appointment and Encounter -> referral and appointment events."""

    name = "health-fhir"
    summary = "FHIR R4 (NHS Wales): ServiceRequest -> referral, Appointment/Encounter -> attendance"
    default_agency = "aneurin-bevan-uhb"
    file_patterns = ("*.json", "*.ndjson", "*.jsonl")
    options_model = FhirOptions

    def convert(self, document: SourceDocument) -> Iterator[Outcome]:
        """One outcome per mapped (or unmappable) resource; supporting resources yield none."""
        options = self.options
        assert isinstance(options, FhirOptions)
        found, index = read_resources(document)
        for item in found:
            if isinstance(item, Rejected):
                yield item
                continue
            outcome = self._one(item, index, options)
            if outcome is not None:
                yield outcome

    def _one(
        self, item: FoundResource, index: ResourceIndex, options: FhirOptions
    ) -> Outcome | None:
        kind = str(item.resource.get("resourceType"))
        mapper = _MAPPERS.get(kind)
        if mapper is None:
            if kind in _SUPPORTING:
                return None
            shown = repr(kind) if kind in _KNOWN_TYPES else "of this type"
            return Skipped(item.locator, f"FHIR resources {shown} are not shared")
        try:
            draft = mapper(item.resource, index, options)
        except MappingError as error:
            return error.at(item.locator)
        except SkipRecord as skip:
            return skip.at(item.locator)
        except UNEXPECTED_SHAPES as error:
            return unexpected_shape(item.locator, error)
        event = self.events.build(
            draft.event_type,
            (kind if draft.event_type == "referral" else "visit", *draft.key),
            draft.occurred_at,
            {"nhs_number": draft.nhs_number},
            draft.payload,
        )
        return Converted(event, item.locator)
