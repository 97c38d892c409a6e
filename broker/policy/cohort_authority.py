"""Who may say who is in IOM: the agencies that may enrol and deselect people, per area.

In IOM the cohort is a joint police and probation decision, so by default the police force and
the Probation Service serving the person's area hold that authority; an area of the areas file
may name others (``cohort_authority:``, agency ids or kinds). The cohort is the gate against
net-widening, so no other agency's system can open or close it.
"""

from __future__ import annotations

from collections.abc import Mapping

from broker.domain.agency import AgencyDirectory
from broker.policy.parties import resolve, serving_agencies
from broker.policy.vocabulary import NATIONAL_AREA, Area


def cohort_authorities(
    areas: Mapping[str, Area], agencies: AgencyDirectory
) -> dict[str, frozenset[str]]:
    """Area id -> the agency ids that may change cohort membership of people managed there.

    ``''`` (an area the policy does not know) follows the national area's setting over the
    all-Wales agencies only.
    """
    found: dict[str, frozenset[str]] = {}
    for area_id in (*areas, ""):
        area = areas.get(area_id) or areas.get(NATIONAL_AREA)
        named = area.cohort_authority if area is not None else ()
        serving = [a for a in serving_agencies(areas, area_id) if a in agencies]
        found[area_id] = frozenset(a for name in named for a in resolve(name, serving, agencies))
    return found
