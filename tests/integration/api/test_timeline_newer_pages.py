"""Paging back: from any page of the timeline, "Newer entries" opens exactly the page that led
to it, with or without a filter."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Principal, Role
from broker.supervisee.disclosures import (
    FIRST_PAGE,
    TimelineFilter,
    disclosure_page,
    newer_page,
)
from broker.transparency.log import TransparencyLog
from tests.support.log_records import START, disclosure

ME = Principal("person-a", Role.SUPERVISEE, subject_ref="subj-a")


def _pages(context: ApiContext, agency: str | None) -> list[tuple[str | None, list[str]]]:
    """Each page's token (None: the first) and its disclosure ids, walking "Older"."""
    pages: list[tuple[str | None, list[str]]] = []
    token: str | None = None
    while True:
        shown = disclosure_page(context, ME, "subj-a", "en", 10, token, agency, None, None)
        pages.append((token, [i.disclosure_id for i in shown.items]))
        if shown.next_page is None:
            return pages
        token = shown.next_page


@pytest.mark.parametrize("agency", [None, "newport-housing"])
def test_newer_opens_the_page_before(
    context: ApiContext, transparency_log: TransparencyLog, agency: str | None
) -> None:
    """Over 45 entries (some the same minute, some about someone else), each page's newer
    page is the one before it; the second page's is the first; the first has none."""
    records = [
        disclosure(
            i,
            "subj-b" if i % 7 == 3 else "subj-a",
            decided_at=START + timedelta(minutes=i // 2),
            recipient_agency="newport-housing" if i % 3 else "probation-wales",
        )
        for i in range(45)
    ]
    transparency_log.append_disclosures(records)
    pages = _pages(context, agency)
    assert len(pages) >= 3
    wanted = TimelineFilter(agency=agency)
    assert newer_page(context, "subj-a", 10, None, wanted) is None
    for (before_token, before_ids), (token, _) in itertools.pairwise(pages):
        newer = newer_page(context, "subj-a", 10, token, wanted)
        assert (newer == FIRST_PAGE) == (before_token is None)
        shown = disclosure_page(context, ME, "subj-a", "en", 10, newer or None, agency, None, None)
        assert [i.disclosure_id for i in shown.items] == before_ids
