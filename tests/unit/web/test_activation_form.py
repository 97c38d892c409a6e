"""The schedule form reads a UK date and time into an aware time, or says what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from broker.web.activation_form import read_chosen_time

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def _form(day: str, month: str, year: str, hour: str, minute: str) -> dict[str, str]:
    return {"day": day, "month": month, "year": year, "hour": hour, "minute": minute}


def test_summer_time_is_converted_to_utc() -> None:
    """14:30 on 1 April (British Summer Time) is 13:30 UTC; 9 March (GMT) stays 14:30."""
    summer = read_chosen_time(_form("1", "4", "2026", "14", "30"), NOW, 366)
    assert summer.at is not None and summer.at.astimezone(UTC) == datetime(
        2026, 4, 1, 13, 30, tzinfo=UTC
    )
    winter = read_chosen_time(_form("9", "3", "2027", "14", "30"), NOW, 366)
    assert winter.at is not None and winter.at.astimezone(UTC).hour == 14


@pytest.mark.parametrize(
    ("form", "error", "field"),
    [
        (_form("", "", "", "", ""), "when_missing", "day"),
        (_form("31", "2", "2026", "10", "00"), "date_real", "day"),
        (_form("x", "4", "2026", "10", "00"), "date_real", "day"),
        (_form("1", "4", "2026", "24", "00"), "time_real", "hour"),
        (_form("1", "4", "2026", "10", ""), "time_real", "hour"),
        (_form("29", "3", "2026", "1", "30"), "time_gap", "hour"),
        (_form("19", "3", "2026", "10", "00"), "past", "day"),
        (_form("1", "4", "2027", "10", "00"), "too_far", "day"),
    ],
)
def test_a_wrong_time_names_its_field(form: dict[str, str], error: str, field: str) -> None:
    """Empty, unreal, skipped (clocks forward), past and too distant times are refused."""
    chosen = read_chosen_time(form, NOW, 366)
    assert (chosen.at, chosen.error, chosen.field) == (None, error, field)
    assert chosen.typed["day"] == form["day"].strip()[:4]
