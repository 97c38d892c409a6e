"""DPOs' names kept in the API's records database, on SQLite and on PostgreSQL, so the
console's history names who acted after they signed out."""

from __future__ import annotations

from broker.records.database import RecordsDatabase
from broker.records.people_names import PeopleNames


def test_names_are_kept_per_account_and_survive_a_restart(records_url: str) -> None:
    """The latest name per account is found again by a freshly started process."""
    first = RecordsDatabase(records_url)
    people = PeopleNames(first)
    people.remember("acc-1", "Rhian Evans")
    people.remember("acc-1", "Rhian Evans-Jones")
    people.remember("acc-2", "Owen Price")
    first.close()
    again = RecordsDatabase(records_url)
    assert PeopleNames(again).names() == {"acc-1": "Rhian Evans-Jones", "acc-2": "Owen Price"}
    again.close()
