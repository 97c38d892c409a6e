"""The development users offered on the issuer's sign-in page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from broker.devtools.demo.front_ends import DEMO_PERSON, list_demo_person, print_front_ends
from broker.devtools.identity.dev_users import (
    DEV_SUPERVISEES_FILE,
    add_dev_supervisee,
    dev_users,
    load_dev_supervisees,
)
from broker.identity.principal import Role
from tests.unit.identity.keys import agencies


def test_listed_supervisees_come_first_then_every_agencys_dpo(tmp_path: Path) -> None:
    """The page offers each listed supervisee and one DPO per registered agency."""
    add_dev_supervisee(tmp_path, "subj-a", "Person A")

    users = dev_users(agencies(), tmp_path)

    assert users[0].user_id == "supervisee:subj-a" and users[0].label_en == "Person A"
    assert users[0].principal.role is Role.SUPERVISEE
    dpos = [u for u in users if u.principal.role is Role.DPO]
    assert [u.principal.agency for u in dpos] == list(agencies().ids)


def test_adding_again_relabels_instead_of_duplicating(tmp_path: Path) -> None:
    """Listing the same subject twice keeps one entry with the newest label."""
    add_dev_supervisee(tmp_path, "subj-a", "Old")
    add_dev_supervisee(tmp_path, "subj-a", "New")

    assert load_dev_supervisees(tmp_path) == [("subj-a", "New")]


def test_bad_subject_reference_is_refused(tmp_path: Path) -> None:
    """A subject reference with spaces or markup is not listed (and not echoed)."""
    with pytest.raises(ValueError, match="subject reference must be") as caught:
        add_dev_supervisee(tmp_path, "<b>x y</b>", "X")
    assert "<b>" not in str(caught.value)


def test_broken_list_file_offers_the_dpos_and_the_oversight_member(tmp_path: Path) -> None:
    """An unreadable list is treated as empty: the page still offers every DPO and, last, the
    oversight group's member (who may read the console's statistics)."""
    (tmp_path / DEV_SUPERVISEES_FILE).write_text("{not json", "utf-8")

    users = dev_users(agencies(), tmp_path)

    assert all(u.principal.role is Role.DPO for u in users[:-1])
    assert users[-1].user_id == "oversight" and users[-1].principal.role is Role.OVERSIGHT


def test_demo_lists_its_person_and_says_who_to_pick(tmp_path: Path) -> None:
    """After the demo, the story's person is on the sign-in page and the demo says so."""
    list_demo_person(tmp_path, "ref-of-rhys")
    out = io.StringIO()

    print_front_ends(Console(file=out, width=200), "https://127.0.0.1:9", tmp_path, "ref-of-rhys")

    assert load_dev_supervisees(tmp_path / "identity") == [("ref-of-rhys", DEMO_PERSON)]
    assert DEMO_PERSON in out.getvalue() and "DEVELOPMENT" in out.getvalue()
