"""Language choice for supervisees, and the per-caller token bucket."""

from __future__ import annotations

import pytest

from broker.http.language import choose_language
from broker.http.rate_limit import TokenBucketLimiter


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("cy", "cy"),
        ("cy-GB,en;q=0.5", "cy"),
        ("en-GB,cy;q=0.9", "en"),
        ("fr, cy;q=0.3, en;q=0.2", "cy"),
        ("cy;q=0, en", "en"),
        ("de", "en"),
        ("cy;q=abc", "en"),
    ],
)
def test_accept_language_picks_welsh_or_english(header: str | None, expected: str) -> None:
    """The best-weighted of Welsh and English wins; anything else falls back to English."""
    assert choose_language(None, header) == expected


def test_explicit_parameter_beats_the_header() -> None:
    """?lang= wins over Accept-Language."""
    assert choose_language("en", "cy") == "en"


def test_bucket_allows_a_burst_then_refills() -> None:
    """Burst requests pass, the next waits 1/rate seconds, and time refills the bucket."""
    now = [0.0]
    limiter = TokenBucketLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)
    assert limiter.take("b") == 0.0
    now[0] = 0.5
    assert limiter.take("a") == 0.0
