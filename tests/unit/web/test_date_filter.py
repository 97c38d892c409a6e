"""The timeline's date filter: complete, real dates in order, or a clear error per date."""

from __future__ import annotations

from datetime import date

import pytest

from broker.web.date_filter import read_date_range


def _dates(**fields: str) -> dict[str, str]:
    return {k.replace("_", "-"): v for k, v in fields.items()}


def test_no_dates_is_an_open_range() -> None:
    """Leaving both dates empty filters nothing and is not an error."""
    found = read_date_range({})

    assert (found.since, found.until, found.errors) == (None, None, [])


def test_both_dates_give_the_range_and_are_kept_for_links() -> None:
    """Two real dates in order become since/until and stay in the page's links."""
    found = read_date_range(
        _dates(
            from_day="9",
            from_month="1",
            from_year="2025",
            to_day="15",
            to_month="01",
            to_year="2025",
        )
    )

    assert (found.since, found.until) == (date(2025, 1, 9), date(2025, 1, 15))
    assert ("from-day", "9") in found.query and ("to-month", "01") in found.query


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"from_day": "9", "from_year": "2025"}, "from-month", "date_from_incomplete"),
        ({"to_month": "2"}, "to-day", "date_to_incomplete"),
        (
            {"from_day": "31", "from_month": "2", "from_year": "2025"},
            "from-day",
            "date_from_invalid",
        ),
        ({"to_day": "1", "to_month": "1", "to_year": "25"}, "to-year", "date_to_invalid"),
        ({"to_day": "x", "to_month": "1", "to_year": "2025"}, "to-day", "date_to_invalid"),
        (
            {"from_day": "1", "from_month": "13", "from_year": "2025"},
            "from-month",
            "date_from_invalid",
        ),
        (
            {"from_day": "\u0661", "from_month": "1", "from_year": "2025"},
            "from-day",
            "date_from_invalid",
        ),
    ],
)
def test_bad_dates_name_the_field_to_fix(
    fields: dict[str, str], field_id: str, message: str
) -> None:
    """An incomplete or unreal date gives one error pointing at the field to correct."""
    found = read_date_range(_dates(**fields))

    assert [(e.field_id, e.message) for e in found.errors] == [(field_id, message)]
    assert (found.since, found.until, found.query) == (None, None, [])


def test_to_before_from_is_refused() -> None:
    """A range ending before it starts is an error on the second date."""
    found = read_date_range(
        _dates(
            from_day="2", from_month="2", from_year="2025", to_day="1", to_month="2", to_year="2025"
        )
    )

    assert [e.message for e in found.errors] == ["date_order"]


def test_typed_values_are_kept_but_bounded() -> None:
    """What was typed is shown again (so it can be fixed), cut to a few characters."""
    found = read_date_range(_dates(from_day="123456789012", from_month="1", from_year="2025"))

    assert found.values["from-day"] == "12345678"
    assert found.errors
