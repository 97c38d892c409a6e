"""Which kinds of agency issue each identifier type, and so may add it to a person's record.

A PNC id is the police's, a CRN the Probation Service's, a NOMS number probation's or a
prison's, an NHS number a health board's. An event from any other kind of agency can name the
identifier to find the person but never adds it; no event ever replaces a different value.
The agency registry may add kinds to a type (``identifier_owners:`` in ``agencies.yaml``).
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_IDENTIFIER_OWNERS: Mapping[str, frozenset[str]] = {
    "pnc_id": frozenset({"police"}),
    "crn": frozenset({"probation"}),
    "noms_number": frozenset({"probation", "prison"}),
    "nhs_number": frozenset({"health"}),
}


def identifier_owners(extra: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The default owners of each identifier type, with the registry's extra kinds added."""
    return {
        kind: owners | extra.get(kind, frozenset())
        for kind, owners in DEFAULT_IDENTIFIER_OWNERS.items()
    }


def owned_types(owners: Mapping[str, frozenset[str]], agency_kind: str) -> frozenset[str]:
    """The identifier types an agency of ``agency_kind`` may add to a person's record."""
    return frozenset(kind for kind, kinds in owners.items() if agency_kind in kinds)
