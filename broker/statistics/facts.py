"""One aggregate cell: a measure and the dimensions it is counted by. No personal data. Pure."""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["DIMENSIONS", "SAR_OUTCOMES", "Fact", "Measure"]


class Measure:
    """The names of the counted measures (the ``measure`` column of the store)."""

    DISCLOSED = "disclosed"
    """A permitted disclosure: area, sender, recipient, event type, purpose, legal basis."""
    REFUSED = "refused"
    """A refusal: area, sender, recipient, event type, reason."""
    RECEIVED = "received"
    """An ingress record the router decided on (not dead-lettered): area, sender."""
    DEAD_LETTERED = "dead_lettered"
    """An ingress record turned away: area, agency, reason."""
    COHORT_NET = "cohort_net"
    """Net change in the people enrolled (+1 joined, -1 left): area, cohort."""
    ENROLMENTS = "enrolments"
    """Starts in a cohort (first or repeat): area, cohort."""
    RE_ENROLMENTS = "re_enrolments"
    """Starts by someone deselected before: area, cohort."""
    DESELECTIONS = "deselections"
    """Exits from a cohort: area, cohort."""
    TIME_IN_COHORT = "time_in_cohort"
    """Exits by whole days spent in the cohort (``days``): area, cohort."""
    SAR_OUTCOME = "sar_outcome"
    """Subject access requests received, by what became of them (``reason``): agency."""
    SAR_EXTENSION = "sar_extension"
    """Subject access requests received, ``extended`` or ``not_extended``: agency."""


#: What became of a subject access request (the ``reason`` of ``sar_outcome``).
SAR_OUTCOMES = ("answered_on_time", "answered_late", "open_in_time", "open_overdue")


@dataclass(frozen=True, order=True)
class Fact:
    """The key of one counter: ``measure`` in ``month`` (UK time) by its dimensions; a
    dimension that does not apply is the empty string (``days``: -1)."""

    measure: str
    month: str
    area: str = ""
    cohort: str = ""
    agency: str = ""
    recipient: str = ""
    event_type: str = ""
    purpose: str = ""
    legal_basis: str = ""
    reason: str = ""
    days: int = -1

    def as_row(self) -> tuple[str | int, ...]:
        """The key's values in :data:`DIMENSIONS` order."""
        return tuple(getattr(self, name) for name in DIMENSIONS)


DIMENSIONS = tuple(f.name for f in fields(Fact))
