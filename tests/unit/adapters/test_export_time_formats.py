"""The fast reader of numeric export time formats agrees with ``datetime.strptime``."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from iom_adapters.sdk.values import _numeric_format, _strptime

FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d%H%M")


def _variants(rng: random.Random) -> list[str]:
    """Export-like texts: well-formed, one-digit fields, odd spacing, digits swapped."""
    moment = datetime(rng.randrange(1, 9999), rng.randrange(1, 13), rng.randrange(1, 29))
    text = moment.replace(hour=rng.randrange(24), minute=rng.randrange(60)).strftime(
        rng.choice(FORMATS)
    )
    return [
        text,
        text.replace("0", "", 1),
        text.replace(" ", "   "),
        " " + text,
        text + "\n",
        text.replace(str(rng.randrange(10)), str(rng.randrange(10)), 1),
        text.replace("1", "3").replace("2", "3"),
    ]


def _outcome(parse: object, text: str, fmt: str) -> datetime | str:
    try:
        return parse(text, fmt)  # type: ignore[operator, no-any-return]
    except ValueError:
        return "refused"


@pytest.mark.parametrize("fmt", FORMATS)
def test_numeric_formats_read_exactly_what_strptime_reads(fmt: str) -> None:
    """An export time is read to the same instant, or refused, as strptime would."""
    assert _numeric_format(fmt) is not None
    rng = random.Random(fmt)
    for _ in range(3000):
        for text in _variants(rng):
            assert _outcome(_strptime, text, fmt) == _outcome(datetime.strptime, text, fmt), text


def test_formats_with_other_directives_are_left_to_strptime() -> None:
    """A format naming a month by name still parses, through strptime itself."""
    assert _numeric_format("%d %b %Y") is None
    assert _strptime("01 Mar 2026", "%d %b %Y") == datetime(2026, 3, 1)
