"""Who a DPO is, in words: the name the console shows for the account that did something.

The console signs DPOs in by their identity provider's account (the token's ``sub``), which
means nothing to a reader. A DPO is named by the role the agency registry gives their agency
(``agencies.yaml`` ``dpo.name``, e.g. "Probation Service Data Protection Officer"; in Welsh,
"Swyddog Diogelu Data" and the agency's Welsh name), with the agency; when their token said
their name (``identity.claims.name_claim``, kept by :mod:`broker.records.people_names`), the
name comes first: "Rhian Evans (Probation Service Data Protection Officer)". Which agency
an account acts for is learned from the records: the agency each proposal was made for and
each approval was given for (a DPO's token names one agency). The account itself stays
available for an auditor (``Person.account``).
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.domain.agency import AgencyDirectory
from broker.http.sentences import Language, agency_name
from broker.policy_admin.workspace import PolicyWorkspace

__all__ = ["DpoNames", "Person"]

_ROLE = {"en": "Data Protection Officer", "cy": "Swyddog Diogelu Data"}
_SOMEONE = {"en": "A data protection officer", "cy": "Swyddog diogelu data"}


@dataclass(frozen=True)
class Person:
    """A DPO as shown: their name (a role title), their agency's name, their account."""

    name: str
    agency: str
    account: str


class DpoNames:
    """Names for the accounts that acted on proposals, in one language."""

    def __init__(self, workspace: PolicyWorkspace, agencies: AgencyDirectory, lang: Language):
        self.agencies = agencies
        self.lang = lang
        self.agency_of: dict[str, str] = {}
        self.called = workspace.people.names()
        for proposal in workspace.proposals():
            self.agency_of.setdefault(proposal.proposer, proposal.agency)
            for agency, dpo in workspace.approvals(proposal).items():
                self.agency_of.setdefault(dpo, agency)

    def of(self, actor: str, agency: str | None = None) -> Person:
        """The person behind ``actor`` (an account, or ``dpo:<account>`` as the audit says):
        "Name (role)" when their name is known, else the role."""
        role = self._role(actor, agency)
        called = self.called.get(role.account)
        if called is None:
            return role
        return Person(f"{called} ({role.name})", role.agency, role.account)

    def _role(self, actor: str, agency: str | None) -> Person:
        account = actor.removeprefix("dpo:")
        agency = agency or self.agency_of.get(account)
        if agency is None or agency not in self.agencies:
            return Person(_SOMEONE[self.lang], "", account)
        named = agency_name(self.agencies, agency, self.lang)
        contact = self.agencies.get(agency).dpo
        if self.lang == "en" and contact is not None:
            return Person(contact.name, named, account)
        return Person(f"{_ROLE[self.lang]}, {named}", named, account)
