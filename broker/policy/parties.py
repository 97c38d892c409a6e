"""Who a rule's ``from`` and ``to`` mean in an area: agency ids, or kinds such as ``police``.

A kind stands for the agencies of that kind serving the area (its own and the all-Wales ones),
so the national baseline can say ``to: police`` and mean Gwent Police for someone managed in
Gwent and Dyfed-Powys Police for someone managed in Dyfed-Powys.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from broker.domain.agency import AGENCY_KINDS, AgencyDirectory
from broker.policy.vocabulary import NATIONAL_AREA, Area


def is_kind(name: str) -> bool:
    """True when ``name`` is an agency kind rather than an agency id."""
    return name in AGENCY_KINDS


def serving_agencies(areas: Mapping[str, Area], area: str | None) -> tuple[str, ...]:
    """Agencies that serve ``area``: its own, then the all-Wales ones.

    For the national area itself that is every agency of every area (all of them serve some
    part of Wales); for an area that is not in the vocabulary, only the all-Wales ones.
    """
    national = areas[NATIONAL_AREA].agencies if NATIONAL_AREA in areas else ()
    if area == NATIONAL_AREA:
        local = tuple(a for key, v in areas.items() if key != NATIONAL_AREA for a in v.agencies)
        return (*national, *local)
    local = areas[area].agencies if area is not None and area in areas else ()
    return (*local, *national)


def resolve(name: str, candidates: Collection[str], agencies: AgencyDirectory) -> tuple[str, ...]:
    """The candidate agencies ``name`` stands for: itself, or every one of that kind."""
    if is_kind(name):
        return tuple(a for a in candidates if a in agencies and agencies.get(a).kind == name)
    return (name,) if name in candidates else ()


def covers(party: str, name: str, agencies: AgencyDirectory) -> bool:
    """True when an agreement party (id or kind) covers a rule's ``from`` or ``to`` entry."""
    if party == name:
        return True
    return is_kind(party) and name in agencies and agencies.get(name).kind == party


def kind_of(name: str, agencies: AgencyDirectory) -> str | None:
    """The kind of an agency id, or the kind itself."""
    if is_kind(name):
        return name
    return agencies.get(name).kind if name in agencies else None
