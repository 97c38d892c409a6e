"""FHIR R4 documents: the resources in them and the patients their references point to.

A document is one resource, a Bundle (any type; ``DELETE`` entries are ignored), a JSON array
or NDJSON (bulk export). References to patients resolve by ``fullUrl``, by ``Patient/<id>``
inside the same document, or to a contained resource (``#id``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from iom_adapters.sdk.outcomes import MALFORMED_INPUT, Rejected
from iom_adapters.sdk.source import SourceDocument, json_records


@dataclass(frozen=True, slots=True)
class FoundResource:
    """A resource and where it is in the document."""

    locator: str
    resource: Mapping[str, Any]


@dataclass(frozen=True)
class ResourceIndex:
    """Patients of one document, by every name a reference may use."""

    patients: Mapping[str, Mapping[str, Any]]

    def patient(
        self, reference: str, container: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any] | None:
        """The Patient a reference names, if the document holds it."""
        if reference.startswith("#") and container is not None:
            for contained in container.get("contained") or ():
                if isinstance(contained, Mapping) and contained.get("id") == reference[1:]:
                    return contained
            return None
        found = self.patients.get(reference)
        if found is None and "/Patient/" in reference:
            found = self.patients.get("Patient/" + reference.rsplit("/Patient/", 1)[1])
        return found


def read_resources(
    document: SourceDocument,
) -> tuple[list[FoundResource | Rejected], ResourceIndex]:
    """Every resource of the document in order, and the index of its patients."""
    found: list[FoundResource | Rejected] = []
    for item in json_records(document):
        if isinstance(item, Rejected):
            found.append(item)
        elif not isinstance(item.value, Mapping) or "resourceType" not in item.value:
            found.append(
                Rejected(item.locator, MALFORMED_INPUT, "not a FHIR resource", "resourceType")
            )
        elif item.value["resourceType"] == "Bundle":
            found.extend(_bundle_entries(item.locator, item.value))
        else:
            found.append(FoundResource(item.locator, item.value))
    patients: dict[str, Mapping[str, Any]] = {}
    for entry in found:
        if isinstance(entry, FoundResource) and entry.resource.get("resourceType") == "Patient":
            resource = entry.resource
            if isinstance(resource.get("id"), str):
                patients[f"Patient/{resource['id']}"] = resource
            full_url = resource.get("_fullUrl")
            if isinstance(full_url, str):
                patients[full_url] = resource
    return found, ResourceIndex(patients)


def _bundle_entries(locator: str, bundle: Mapping[str, Any]) -> Iterator[FoundResource | Rejected]:
    base = locator if "#" in locator else locator + "#"
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        yield Rejected(locator, MALFORMED_INPUT, "Bundle.entry is not a list", "entry")
        return
    for index, entry in enumerate(entries):
        where = f"{base}/entry/{index}/resource"
        if not isinstance(entry, Mapping):
            yield Rejected(where, MALFORMED_INPUT, "Bundle entry is not an object", "entry")
            continue
        request = entry.get("request")
        if isinstance(request, Mapping) and request.get("method") == "DELETE":
            continue
        resource = entry.get("resource")
        if not isinstance(resource, Mapping) or "resourceType" not in resource:
            yield Rejected(where, MALFORMED_INPUT, "Bundle entry has no resource", "resource")
            continue
        full_url = entry.get("fullUrl")
        if full_url and resource.get("resourceType") == "Patient":
            resource = {**resource, "_fullUrl": full_url}
        yield FoundResource(where, resource)
