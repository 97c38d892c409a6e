"""Small readers of FHIR datatypes: codings, CodeableConcepts, identifiers, references."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from iom_adapters.health.resources import ResourceIndex
from iom_adapters.sdk import identifiers
from iom_adapters.sdk.outcomes import NO_SUBJECT, MappingError

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


def codings(concepts: Any) -> Iterator[Mapping[str, Any]]:
    """Every coding of a CodeableConcept or a list of them."""
    items = concepts if isinstance(concepts, list) else [concepts]
    for concept in items:
        if isinstance(concept, Mapping):
            for coding in concept.get("coding") or ():
                if isinstance(coding, Mapping):
                    yield coding


def concept_texts(concepts: Any) -> Iterator[str]:
    """Every human-readable text of a CodeableConcept (or list): ``text`` then displays."""
    items = concepts if isinstance(concepts, list) else [concepts]
    for concept in items:
        if isinstance(concept, Mapping) and isinstance(concept.get("text"), str):
            yield concept["text"]
    for coding in codings(concepts):
        if isinstance(coding.get("display"), str):
            yield coding["display"]


def identifier_value(resource: Mapping[str, Any], system: str) -> str | None:
    """The value of the resource's identifier in ``system``, if any."""
    for identifier in resource.get("identifier") or ():
        if isinstance(identifier, Mapping) and identifier.get("system") == system:
            value = identifier.get("value")
            if isinstance(value, str) and value.strip():
                return value
    return None


def business_id(resource: Mapping[str, Any]) -> str | None:
    """The resource's logical id, or else the value of its first identifier."""
    if isinstance(resource.get("id"), str) and resource["id"]:
        return str(resource["id"])
    for identifier in resource.get("identifier") or ():
        if isinstance(identifier, Mapping) and isinstance(identifier.get("value"), str):
            return str(identifier["value"])
    return None


def nhs_number_of(
    reference: Any, field: str, index: ResourceIndex, container: Mapping[str, Any], system: str
) -> str:
    """The NHS number of the patient a Reference points to, checked (modulus 11)."""
    if isinstance(reference, Mapping):
        identifier = reference.get("identifier")
        if isinstance(identifier, Mapping) and identifier.get("system") == system:
            value = identifier.get("value")
            if isinstance(value, str):
                return identifiers.nhs_number(value, f"{field}.identifier")
        target = reference.get("reference")
        if isinstance(target, str):
            patient = index.patient(target, container)
            if patient is not None:
                value = identifier_value(patient, system)
                if value is not None:
                    return identifiers.nhs_number(value, f"{field} -> Patient.identifier")
    raise MappingError(NO_SUBJECT, field, f"no patient identifier in system {system}")


def reference_id(reference: Any) -> str | None:
    """The id part of a literal reference such as ``Appointment/123``."""
    if isinstance(reference, Mapping) and isinstance(reference.get("reference"), str):
        return str(reference["reference"]).rstrip("/").rsplit("/", 1)[-1] or None
    return None
