"""Partner agencies taking part in IOM information sharing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

AGENCY_KINDS = frozenset(
    {"police", "probation", "prison", "health", "housing", "substance_misuse", "local_authority"}
)


class AgencyDirectoryError(ValueError):
    """The agency registry is malformed; the message names the entry."""


@dataclass(frozen=True)
class Agency:
    """One partner organisation, named in English and Welsh."""

    agency_id: str
    kind: str
    name_en: str
    name_cy: str


class AgencyDirectory:
    """The agencies known to the broker, in registry order."""

    def __init__(self, agencies: list[Agency]) -> None:
        self._by_id = {agency.agency_id: agency for agency in agencies}
        if len(self._by_id) != len(agencies):
            raise AgencyDirectoryError("agency registry: an agency id appears more than once")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "agencies") -> AgencyDirectory:
        """Build the directory from the parsed registry file (``agencies:`` list of mappings)."""
        entries = data.get("agencies")
        if not isinstance(entries, list) or not entries:
            raise AgencyDirectoryError(f"{source}: expected a non-empty 'agencies' list")
        agencies = []
        for index, entry in enumerate(entries):
            where = f"{source}: agencies[{index}]"
            if not isinstance(entry, Mapping):
                raise AgencyDirectoryError(f"{where}: expected a mapping")
            missing = [k for k in ("id", "kind", "name_en", "name_cy") if not entry.get(k)]
            if missing:
                raise AgencyDirectoryError(f"{where}: missing {', '.join(missing)}")
            if entry["kind"] not in AGENCY_KINDS:
                raise AgencyDirectoryError(f"{where}: unknown kind {entry['kind']!r}")
            agencies.append(
                Agency(str(entry["id"]), str(entry["kind"]), entry["name_en"], entry["name_cy"])
            )
        return cls(agencies)

    def __contains__(self, agency_id: object) -> bool:
        return agency_id in self._by_id

    def __iter__(self) -> Iterator[Agency]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, agency_id: str) -> Agency:
        """Return the agency, or raise KeyError naming the unknown id."""
        try:
            return self._by_id[agency_id]
        except KeyError:
            raise KeyError(f"unknown agency {agency_id!r}") from None

    @property
    def ids(self) -> tuple[str, ...]:
        """Agency ids in registry order."""
        return tuple(self._by_id)
