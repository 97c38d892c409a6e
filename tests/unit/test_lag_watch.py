"""The lag alarm fires once when lag goes high and once when it recovers (no log spam)."""

import pytest

from broker.router.lag_watch import LagWatch


def test_lag_alarm_is_edge_triggered_with_hysteresis() -> None:
    """A lag hovering around the high mark logs one 'high', then one 'recovered' below the
    recovery mark, and nothing in between."""
    watch = LagWatch(high=100, recovered=50)
    changes = [watch.observe(lag) for lag in (0, 80, 101, 150, 99, 120, 60, 50, 40, 101)]
    assert changes == [None, None, "high", None, None, None, None, "recovered", None, "high"]


def test_recovery_mark_must_be_below_the_high_mark() -> None:
    """A watch that could never recover is refused with the marks named."""
    with pytest.raises(ValueError, match="recovery mark 100"):
        LagWatch(high=100, recovered=100)
