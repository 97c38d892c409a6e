"""Who an event is about: agency identifiers and the subject's IOM cohort membership."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

#: Identifier types in the order used to choose a subject's stable reference.
IDENTIFIER_TYPES = ("crn", "pnc_id", "noms_number", "nhs_number")
COHORTS = frozenset({"FIXED", "FLEX", "FREE"})


@dataclass(frozen=True)
class SubjectIdentifiers:
    """The agency identifiers an event carries for its subject (any may be absent)."""

    crn: str | None = None
    pnc_id: str | None = None
    noms_number: str | None = None
    nhs_number: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SubjectIdentifiers:
        """Take the known identifier types from a decoded ``subject`` record."""
        values = {name: data.get(name) for name in IDENTIFIER_TYPES}
        return cls(**{name: str(v) for name, v in values.items() if v not in (None, "")})

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The present identifiers as ``(type, value)`` pairs, in canonical order."""
        return tuple(
            (name, value) for name in IDENTIFIER_TYPES if (value := getattr(self, name)) is not None
        )

    def conflicting_types(self, other: SubjectIdentifiers) -> tuple[str, ...]:
        """Identifier types both name with different values (never merged: a conflict)."""
        return tuple(
            name
            for name, value in other.pairs()
            if (known := getattr(self, name)) is not None and known != value
        )

    def with_added(
        self, other: SubjectIdentifiers, types: Collection[str] = IDENTIFIER_TYPES
    ) -> SubjectIdentifiers:
        """These identifiers plus those of ``types`` that ``other`` names and these lack.

        A value already present is never replaced.
        """
        added = {name: value for name, value in other.pairs() if name in types}
        return SubjectIdentifiers(**{**added, **dict(self.pairs())})

    def is_empty(self) -> bool:
        """True when the event names no identifier at all."""
        return not self.pairs()


@dataclass(frozen=True)
class SubjectRecord:
    """A person's IOM membership: only enrolled subjects are ever shared about.

    ``area`` is the IOM area managing them (it selects the local agreements in force),
    ``supervision`` their supervision status as last reported (e.g. ``on_licence``), and
    ``consents`` the consent recorded per purpose: ``(purpose, "given" | "withdrawn")``.
    """

    subject_ref: str
    cohort: str
    enrolled: bool
    identifiers: SubjectIdentifiers
    updated_at: datetime
    lead_agency: str | None = None
    area: str | None = None
    supervision: str | None = None
    consents: tuple[tuple[str, str], ...] = ()

    def deselected(self, at: datetime) -> SubjectRecord:
        """The same subject after deselection from the cohort."""
        return replace(self, enrolled=False, updated_at=at)

    def consent(self, purpose: str) -> str | None:
        """The consent recorded for ``purpose`` (``given`` / ``withdrawn``), or None."""
        return next((state for name, state in self.consents if name == purpose), None)
