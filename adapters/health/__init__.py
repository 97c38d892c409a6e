"""Health adapter: FHIR R4 resources to catalogue events."""

from adapters.health.adapter import FhirAdapter
from adapters.health.options import FhirOptions

__all__ = ["FhirAdapter", "FhirOptions"]
