"""Map a validated token's claims to a :class:`Principal`, as the settings' claim mapping says.

Pure: no JOSE, no I/O. Refusals name the claim, never its value, so nothing a caller sent
(and nothing personal) reaches a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from broker.domain.agency import AgencyDirectory
from broker.domain.subject_ref_syntax import SUBJECT_REF_CHARACTERS, is_subject_ref
from broker.identity.principal import UNNAMED_ROLES, Principal, PrincipalError, Role
from broker.settings import ClaimMapping

__all__ = ["ClaimsError", "principal_from_claims"]


class ClaimsError(ValueError):
    """The claims do not describe an acceptable caller; ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def principal_from_claims(
    claims: Mapping[str, Any],
    mapping: ClaimMapping,
    agencies: AgencyDirectory | None = None,
) -> Principal:
    """Return the caller the claims describe, or raise :class:`ClaimsError`.

    The role claim may be a string or a list (as Entra ID's ``roles``); exactly one
    recognised role must result. With ``agencies``, an agency must be known and an agency
    system's ``sub`` must be the principal the registry gives that agency.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise ClaimsError("missing_claim", "claim 'sub' must be a non-empty string")
    role = _role(claims.get(mapping.role_claim), mapping)
    agency = _optional_string(claims, mapping.agency_claim)
    subject_ref = _optional_string(claims, mapping.subject_ref_claim)
    if role not in (Role.AGENCY_SYSTEM, Role.DPO):
        agency = None
    if role is not Role.SUPERVISEE:
        subject_ref = None
    if subject_ref is not None and not is_subject_ref(subject_ref):
        raise ClaimsError(
            "invalid_subject_ref",
            f"claim {mapping.subject_ref_claim!r} must be {SUBJECT_REF_CHARACTERS}",
        )
    if agencies is not None and agency is not None:
        if agency not in agencies:
            raise ClaimsError("unknown_agency", f"claim {mapping.agency_claim!r} names no agency")
        registered = agencies.get(agency).principal
        if role is Role.AGENCY_SYSTEM and subject != registered:
            raise ClaimsError(
                "principal_mismatch",
                f"'sub' is not the principal registered for agency {agency!r}",
            )
    name = None if role in UNNAMED_ROLES else _name(claims.get(mapping.name_claim))
    try:
        return Principal(
            subject=subject, role=role, agency=agency, subject_ref=subject_ref, name=name
        )
    except PrincipalError as error:
        raise ClaimsError("incomplete_claims", str(error)) from None


def _role(raw: object, mapping: ClaimMapping) -> Role:
    values = raw if isinstance(raw, list) else [raw]
    found: set[Role] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        if value in mapping.role_values:
            found.add(mapping.role_values[value])
        elif value in Role.__members__.values():
            found.add(Role(value))
    if not found:
        raise ClaimsError("no_role", f"claim {mapping.role_claim!r} holds no recognised role")
    if len(found) > 1:
        raise ClaimsError(
            "ambiguous_role",
            f"claim {mapping.role_claim!r} holds several roles: {sorted(r.value for r in found)}",
        )
    return found.pop()


MAX_NAME_LENGTH = 120


def _name(value: object) -> str | None:
    """A person's name as shown: one line of at most ``MAX_NAME_LENGTH`` characters; None
    when the claim is absent or not text (the pages then name the role instead)."""
    if not isinstance(value, str):
        return None
    shown = " ".join(value.split())[:MAX_NAME_LENGTH]
    return shown or None


def _optional_string(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) != 1:
            raise ClaimsError("ambiguous_claim", f"claim {name!r} must hold exactly one value")
        value = value[0]
    if not isinstance(value, str) or not value:
        raise ClaimsError("invalid_claim", f"claim {name!r} must be a non-empty string")
    return value
