"""The log writer's backoff while its store is unreachable."""

from __future__ import annotations

from broker.transparency.log_writer import StoreRetry


def test_waits_grow_exponentially_up_to_a_cap_and_reset_after_a_success() -> None:
    """Waits double from the first up to the cap; a success reports the outage and resets."""
    retry = StoreRetry(first_s=0.5, factor=2.0, most_s=3.0)
    assert retry.succeeded() is None
    assert [retry.next_wait() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    outage = retry.succeeded()
    assert outage is not None and outage[0] == 5 and outage[1] >= 0
    assert retry.next_wait() == 0.5
