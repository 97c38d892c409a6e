"""Partner agencies taking part in IOM information sharing."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from broker.domain.identifier_owners import identifier_owners, owned_types
from broker.domain.subject import IDENTIFIER_TYPES

AGENCY_KINDS = frozenset(
    {"police", "probation", "prison", "health", "housing", "substance_misuse", "local_authority"}
)

#: Principal names the broker keeps for its own components; no agency may take one.
RESERVED_PRINCIPAL_PREFIX = "iom-"

#: Kafka client quota keys an agency entry may set (``quotas:`` in the registry).
QUOTA_KEYS = frozenset({"producer_byte_rate", "consumer_byte_rate", "request_percentage"})

_PRINCIPAL = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class AgencyDirectoryError(ValueError):
    """The agency registry is malformed; the message names the entry."""


@dataclass(frozen=True)
class DpoContact:
    """How to reach an agency's data protection officer (a role address, not a person's)."""

    name: str
    email: str


@dataclass(frozen=True)
class Agency:
    """One partner organisation, named in English and Welsh.

    ``principal`` is the OAuth2 client id of the agency's system and so its Kafka principal
    (``User:<principal>``); it defaults to ``<agency_id>-adapter``.
    """

    agency_id: str
    kind: str
    name_en: str
    name_cy: str
    principal: str = ""
    dpo: DpoContact | None = None
    quotas: tuple[tuple[str, float | None], ...] = ()
    """Overrides of the default Kafka client quotas (``None`` removes one), sorted by key."""

    def __post_init__(self) -> None:
        if not self.principal:
            object.__setattr__(self, "principal", f"{self.agency_id}-adapter")


class AgencyDirectory:
    """The agencies known to the broker, in registry order."""

    def __init__(
        self,
        agencies: list[Agency],
        extra_identifier_owners: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self._identifier_owners = identifier_owners(extra_identifier_owners or {})
        self._by_id = {agency.agency_id: agency for agency in agencies}
        if len(self._by_id) != len(agencies):
            raise AgencyDirectoryError("agency registry: an agency id appears more than once")
        by_principal: dict[str, str] = {}
        for agency in agencies:
            other = by_principal.setdefault(agency.principal, agency.agency_id)
            if other != agency.agency_id:
                raise AgencyDirectoryError(
                    f"agency registry: principal {agency.principal!r} is used by both "
                    f"{other!r} and {agency.agency_id!r}"
                )
        self._by_principal = by_principal

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
                Agency(
                    str(entry["id"]),
                    str(entry["kind"]),
                    entry["name_en"],
                    entry["name_cy"],
                    principal=_principal(entry.get("principal"), where),
                    dpo=_dpo(entry.get("dpo"), where),
                    quotas=_quotas(entry.get("quotas"), where),
                )
            )
        return cls(agencies, _extra_owners(data.get("identifier_owners"), source))

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

    def by_principal(self, principal: str) -> Agency | None:
        """Return the agency whose system authenticates as ``principal``, if any."""
        agency_id = self._by_principal.get(principal)
        return None if agency_id is None else self._by_id[agency_id]

    def owned_identifiers(self, agency_id: str) -> frozenset[str]:
        """The identifier types ``agency_id``'s kind issues, so may add to a person's record."""
        agency = self._by_id.get(agency_id)
        return frozenset() if agency is None else owned_types(self._identifier_owners, agency.kind)

    @property
    def ids(self) -> tuple[str, ...]:
        """Agency ids in registry order."""
        return tuple(self._by_id)


def _principal(raw: object, where: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or not _PRINCIPAL.match(raw):
        raise AgencyDirectoryError(
            f"{where}: principal {raw!r} must be a lower-case name of letters, digits, '.', "
            "'-' or '_'"
        )
    if raw.startswith(RESERVED_PRINCIPAL_PREFIX):
        raise AgencyDirectoryError(
            f"{where}: principal {raw!r} starts with {RESERVED_PRINCIPAL_PREFIX!r}, which is "
            "kept for the broker's own components"
        )
    return raw


def _dpo(raw: object, where: str) -> DpoContact | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise AgencyDirectoryError(f"{where}: dpo must be a mapping with name and email")
    name, email = raw.get("name"), raw.get("email")
    if not isinstance(name, str) or not name.strip():
        raise AgencyDirectoryError(f"{where}: dpo needs a name")
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise AgencyDirectoryError(f"{where}: dpo email {email!r} is not an email address")
    return DpoContact(name.strip(), email)


def _quotas(raw: object, where: str) -> tuple[tuple[str, float | None], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise AgencyDirectoryError(f"{where}: quotas must be a mapping of quota name to number")
    quotas: list[tuple[str, float | None]] = []
    for key, value in sorted(raw.items(), key=lambda item: str(item[0])):
        if key not in QUOTA_KEYS:
            raise AgencyDirectoryError(
                f"{where}: quotas.{key}: unknown quota; use one of {', '.join(sorted(QUOTA_KEYS))}"
            )
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value <= 0
        ):
            raise AgencyDirectoryError(
                f"{where}: quotas.{key}: {value!r} must be a positive number (or null for none)"
            )
        quotas.append((str(key), None if value is None else float(value)))
    return tuple(quotas)


def _extra_owners(raw: object, source: str) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    where = f"{source}: identifier_owners"
    if not isinstance(raw, Mapping):
        raise AgencyDirectoryError(f"{where}: expected a mapping of identifier type to kinds")
    extra: dict[str, frozenset[str]] = {}
    for identifier, kinds in raw.items():
        if identifier not in IDENTIFIER_TYPES:
            raise AgencyDirectoryError(
                f"{where}: unknown identifier type {identifier!r}; use one of "
                f"{', '.join(IDENTIFIER_TYPES)}"
            )
        if not isinstance(kinds, list) or not kinds:
            raise AgencyDirectoryError(f"{where}.{identifier}: expected a list of agency kinds")
        for kind in kinds:
            if kind not in AGENCY_KINDS:
                raise AgencyDirectoryError(f"{where}.{identifier}: unknown kind {kind!r}")
        extra[str(identifier)] = frozenset(kinds)
    return extra
