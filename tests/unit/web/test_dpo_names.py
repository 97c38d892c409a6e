"""Who acted on a proposal, in words: "Name (role)" when their token said their name, else
the role title of their agency's DPO."""

from __future__ import annotations

from broker.records.database import RecordsDatabase
from broker.records.people_names import PeopleNames
from broker.web.dpo_names import DpoNames
from tests.support.api_context import workspace
from tests.unit.identity.keys import agencies


def test_a_named_dpo_is_shown_by_name_then_role_in_both_languages() -> None:
    """A remembered name comes first, with the agency's DPO role in brackets."""
    shared = workspace()
    shared.people.remember("acc-1", "Rhian Evans")
    english = DpoNames(shared, agencies(), "en").of("dpo:acc-1", "gdas")
    welsh = DpoNames(shared, agencies(), "cy").of("acc-1", "gdas")
    assert english.name.startswith("Rhian Evans (") and english.name.endswith(")")
    assert welsh.name.startswith("Rhian Evans (Swyddog Diogelu Data, ")
    assert english.account == "acc-1"


def test_without_a_name_the_role_is_shown_as_before() -> None:
    """An account whose token never said a name is its agency's DPO role, or "A data
    protection officer" when its agency is not known either."""
    names = DpoNames(workspace(), agencies(), "en")
    assert "(" not in names.of("acc-2", "gdas").name
    assert names.of("acc-3").name == "A data protection officer"


def test_the_latest_name_is_kept_once_per_account() -> None:
    """Remembering again replaces the name; other accounts are untouched."""
    people = PeopleNames(RecordsDatabase())
    people.remember("a", "Sian Jones")
    people.remember("b", "Owen Price")
    people.remember("a", "Siân Jones")
    people.remember("a", "Siân Jones")
    assert people.names() == {"a": "Siân Jones", "b": "Owen Price"}
