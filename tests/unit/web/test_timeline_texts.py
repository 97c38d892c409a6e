"""The timeline's page texts read simply, and its days, times and cursors are the UK's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import textstat  # type: ignore[import-untyped]

from broker.web.texts_timeline import TIMELINE_TEXTS
from broker.web.timeline_days import cursor_param, page_token, uk_time

#: Labels and fragments, not sentences: the formula says nothing useful about them.
_NOT_PROSE = {
    "any_org",
    "clear_filters",
    "filter_from",
    "filter_to",
    "filter_agency",
    "filter_since",
    "filter_until",
}


@pytest.mark.parametrize(
    "key", sorted(k for k, v in TIMELINE_TEXTS["en"].items() if k not in _NOT_PROSE)
)
def test_page_texts_read_at_grade_6_or_below(key: str) -> None:
    """Each English page text scores Flesch-Kincaid grade 6 or less (IOM's long name aside)."""
    text = TIMELINE_TEXTS["en"][key].replace("Integrated Offender Management", "IOM")
    assert textstat.flesch_kincaid_grade(text) <= 6.0, text


def test_every_english_text_has_a_welsh_one() -> None:
    """Welsh is not treated less favourably: no page text exists only in English."""
    assert set(TIMELINE_TEXTS["en"]) == set(TIMELINE_TEXTS["cy"])


def test_times_are_shown_on_uk_clocks() -> None:
    """23:30 UTC on 30 June is 00:30 on 1 July in the UK (summer time); winter is GMT."""
    summer = uk_time(datetime(2025, 6, 30, 23, 30, tzinfo=UTC))
    assert (summer.date(), summer.strftime("%H:%M")) == (date(2025, 7, 1), "00:30")
    assert uk_time(datetime(2025, 1, 6, 9, 0, tzinfo=UTC)).strftime("%H:%M") == "09:00"


def test_the_cursor_round_trips_without_a_dot() -> None:
    """The service's ``ms.index`` token becomes ``ms-index`` in the URL and back; junk is
    ignored."""
    assert cursor_param("1796671715130.7") == "1796671715130-7"
    assert page_token("1796671715130-7") == "1796671715130.7"
    assert page_token("1796671715130.7") is None
    assert page_token("x-1") is None
