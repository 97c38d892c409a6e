"""The authenticated caller: one role, and the agency or subject that role is tied to. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from broker.domain.subject_ref_syntax import SUBJECT_REF_CHARACTERS, is_subject_ref

__all__ = ["UNNAMED_ROLES", "Principal", "PrincipalError", "Role"]


class Role(StrEnum):
    """What a caller is, which decides what it may ask for."""

    AGENCY_SYSTEM = "agency_system"
    """A partner agency's adapter (OAuth2 client credentials)."""
    DPO = "dpo"
    """The data protection officer of one named agency."""
    SUPERVISEE = "supervisee"
    """A person under IOM supervision, linked to exactly one subject reference."""
    AUDITOR = "auditor"
    """An auditor who verifies log checkpoints; sees no content."""
    OPERATOR = "operator"
    """Someone who runs the broker; manages topics and ACLs, sees no content."""
    SERVICE = "service"
    """One of the broker's own components (router, log writer, admin tooling)."""
    OVERSIGHT = "oversight"
    """The national oversight group, police and crime commissioners, regional probation
    directors: the published (suppressed) statistics for all of Wales, nothing else."""


_AGENCY_ROLES = frozenset({Role.AGENCY_SYSTEM, Role.DPO})
UNNAMED_ROLES = frozenset({Role.SUPERVISEE, Role.AGENCY_SYSTEM, Role.SERVICE})
"""Roles whose principal never keeps a name (data minimisation: nobody needs a supervisee's)."""


class PrincipalError(ValueError):
    """A principal's role and attributes do not fit together; the message names the role."""


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``subject`` is the token's ``sub`` (the client id for systems, which is also the Kafka
    principal name). ``agency`` is set exactly for agency systems and DPOs; ``subject_ref``
    exactly for supervisees. ``subject_ref`` is kept out of ``repr`` so it never reaches a log.
    ``name`` is set only for people who work with the broker (DPOs, oversight, operators,
    auditors) whose token says it.
    """

    subject: str
    role: Role
    agency: str | None = None
    subject_ref: str | None = field(default=None, repr=False)
    name: str | None = field(default=None, repr=False, compare=False)
    """What a member of staff is called (the token's name claim), shown to colleagues; never
    kept for a supervisee or a system. Out of ``repr``, so it never reaches a log line."""

    def __post_init__(self) -> None:
        if not self.subject:
            raise PrincipalError(f"a {self.role.value} principal needs a non-empty subject")
        if (self.role in _AGENCY_ROLES) != bool(self.agency):
            need = "needs" if self.role in _AGENCY_ROLES else "cannot have"
            raise PrincipalError(f"a {self.role.value} principal {need} an agency")
        if (self.role is Role.SUPERVISEE) != bool(self.subject_ref):
            need = "needs" if self.role is Role.SUPERVISEE else "cannot have"
            raise PrincipalError(f"a {self.role.value} principal {need} a subject reference")
        if self.name is not None and self.role in UNNAMED_ROLES:
            raise PrincipalError(f"a {self.role.value} principal cannot have a name")
        if self.subject_ref is not None and not is_subject_ref(self.subject_ref):
            raise PrincipalError(f"a subject reference must be {SUBJECT_REF_CHARACTERS}")

    @property
    def kafka_principal(self) -> str:
        """The name Kafka's ACLs know this caller by (``User:<sub>``)."""
        return f"User:{self.subject}"

    def is_agency(self, agency: str) -> bool:
        """Whether this caller acts for ``agency`` (as its system or its DPO)."""
        return self.role in _AGENCY_ROLES and self.agency == agency

    def may_see_subject(self, subject_ref: str) -> bool:
        """Whether a supervisee caller is the person ``subject_ref`` refers to."""
        return self.role is Role.SUPERVISEE and self.subject_ref == subject_ref
