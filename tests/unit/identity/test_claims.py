"""Claims map to exactly one role, tied to the right agency or subject."""

from __future__ import annotations

from typing import Any

import pytest

from broker.identity.claims import ClaimsError, principal_from_claims
from broker.identity.principal import Principal, PrincipalError, Role
from broker.settings import ClaimMapping
from tests.unit.identity.keys import agencies


def _principal(claims: dict[str, Any], mapping: ClaimMapping | None = None) -> Principal:
    return principal_from_claims(claims, mapping or ClaimMapping(), agencies())


def test_dpo_of_a_named_agency() -> None:
    """A DPO token names the agency the DPO acts for."""
    principal = _principal({"sub": "u1", "iom_role": "dpo", "iom_agency": "gdas"})

    assert principal.role is Role.DPO
    assert principal.is_agency("gdas")
    assert not principal.is_agency("gwent-police")


def test_supervisee_is_linked_to_exactly_one_subject() -> None:
    """A supervisee token carries one subject reference, and sees only that subject."""
    principal = _principal({"sub": "p1", "iom_role": "supervisee", "iom_subject_ref": "s-1"})

    assert principal.may_see_subject("s-1")
    assert not principal.may_see_subject("s-2")
    assert "s-1" not in repr(principal)


def test_supervisee_with_two_subject_refs_is_refused() -> None:
    """A supervisee token listing two subjects is refused (no access to someone else)."""
    claims = {"sub": "p1", "iom_role": "supervisee", "iom_subject_ref": ["s-1", "s-2"]}

    with pytest.raises(ClaimsError, match="ambiguous_claim"):
        _principal(claims)


def test_supervisee_without_subject_ref_is_refused() -> None:
    """A supervisee token must name its subject."""
    with pytest.raises(ClaimsError, match="incomplete_claims"):
        _principal({"sub": "p1", "iom_role": "supervisee"})


def test_dpo_of_an_unknown_agency_is_refused() -> None:
    """A DPO of an agency not in the registry is refused."""
    with pytest.raises(ClaimsError, match="unknown_agency"):
        _principal({"sub": "u1", "iom_role": "dpo", "iom_agency": "mi5"})


@pytest.mark.parametrize("role", [None, "", "admin", 7, []])
def test_missing_or_unknown_role_is_refused(role: object) -> None:
    """A token without a recognised role grants nothing."""
    with pytest.raises(ClaimsError, match="no_role"):
        _principal({"sub": "u1", "iom_role": role})


def test_two_roles_are_ambiguous() -> None:
    """A token holding both auditor and operator roles is refused rather than guessed."""
    with pytest.raises(ClaimsError, match="ambiguous_role"):
        _principal({"sub": "u1", "iom_role": ["auditor", "operator"]})


def test_an_external_idps_role_names_and_claim_are_mapped() -> None:
    """Configured claim names and role values map an IdP's own vocabulary onto ours."""
    mapping = ClaimMapping(
        role_claim="roles", agency_claim="org", role_values={"IOM.DPO": Role.DPO}
    )

    principal = _principal({"sub": "u1", "roles": ["User.Read", "IOM.DPO"], "org": "gdas"}, mapping)

    assert (principal.role, principal.agency) == (Role.DPO, "gdas")


def test_auditor_carries_no_agency_even_if_the_token_names_one() -> None:
    """Agency claims on roles not tied to an agency are ignored, not trusted."""
    principal = _principal({"sub": "a1", "iom_role": "auditor", "iom_agency": "gdas"})

    assert principal.agency is None


def test_principal_invariants_are_enforced() -> None:
    """An agency system without an agency cannot be constructed."""
    with pytest.raises(PrincipalError, match="agency_system principal needs an agency"):
        Principal(subject="x", role=Role.AGENCY_SYSTEM)


def test_a_dpos_name_claim_is_kept_in_one_line() -> None:
    """A DPO's token's ``name`` is kept (spaces tidied) so the console can say who acted."""
    claims = {"sub": "u1", "iom_role": "dpo", "iom_agency": "gwent-police"}
    assert _principal({**claims, "name": "  Rhian\n Evans "}).name == "Rhian Evans"
    assert _principal(claims).name is None
    assert _principal({**claims, "name": ["not", "text"]}).name is None


def test_the_name_claim_is_configurable() -> None:
    """An identity provider that puts the name elsewhere is mapped by ``name_claim``."""
    claims = {"sub": "u1", "iom_role": "dpo", "iom_agency": "gwent-police", "display": "Sian"}
    assert _principal(claims, ClaimMapping(name_claim="display")).name == "Sian"


def test_a_supervisee_or_systems_name_is_never_kept() -> None:
    """Data minimisation: a supervisee's or a system's token's name is dropped."""
    person = {"sub": "s1", "iom_role": "supervisee", "iom_subject_ref": "subj-abc", "name": "X"}
    assert _principal(person).name is None
    with pytest.raises(PrincipalError, match="supervisee principal cannot have a name"):
        Principal(subject="s1", role=Role.SUPERVISEE, subject_ref="subj-abc", name="X")
