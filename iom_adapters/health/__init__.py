"""Health adapter: FHIR R4 resources to catalogue events."""

from iom_adapters.health.adapter import FhirAdapter
from iom_adapters.health.options import FhirOptions

__all__ = ["FhirAdapter", "FhirOptions"]
