"""The oversight measures as tables of true counts, ready for disclosure control. Pure.

Every function takes the stored counters (:class:`Fact`, n) and returns :class:`CountTable`
values (or medians with the number of people behind them); nothing here is published until
it has gone through :mod:`broker.statistics.disclosure_control`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from broker.statistics.disclosure_control import CountTable
from broker.statistics.facts import Fact, Measure

__all__ = [
    "COHORTS",
    "Spread",
    "cohort_flow_table",
    "cohort_size_table",
    "count_table",
    "time_in_cohort",
]

COHORTS = ("FIXED", "FLEX", "FREE")

Counted = Iterable[tuple[Fact, int]]


def count_table(
    title: str,
    row_heading: str,
    counted: Counted,
    row_of: Callable[[Fact], str],
    column_of: Callable[[Fact], str],
    rows: Sequence[str] = (),
    columns: Sequence[str] = (),
    keep: Callable[[Fact], bool] = lambda fact: True,
) -> CountTable:
    """Counts summed by ``row_of`` x ``column_of`` over the facts ``keep`` accepts; the rows
    and columns given come first (so they show even when 0), then any others, sorted."""
    sums: Counter[tuple[str, str]] = Counter()
    for fact, n in counted:
        if keep(fact):
            sums[(row_of(fact), column_of(fact))] += n
    all_rows = [*rows, *sorted({r for r, _ in sums} - set(rows))]
    all_columns = [*columns, *sorted({c for _, c in sums} - set(columns))]
    return CountTable(
        title,
        row_heading,
        tuple(all_rows),
        tuple(all_columns),
        tuple(tuple(sums[(r, c)] for c in all_columns) for r in all_rows),
    )


def cohort_size_table(counted: Counted, month: str, areas: Sequence[str]) -> CountTable:
    """People enrolled at the end of ``month`` (UK time), by area and cohort."""
    return count_table(
        f"People in an IOM cohort at the end of {month}",
        "Area",
        counted,
        lambda f: f.area,
        lambda f: f.cohort,
        areas,
        COHORTS,
        keep=lambda f: f.measure == Measure.COHORT_NET and f.month <= month,
    )


def cohort_flow_table(
    counted: Counted, measure: str, title: str, areas: Sequence[str]
) -> CountTable:
    """Starts, exits or re-enrolments in the period, by area and cohort."""
    return count_table(
        title,
        "Area",
        counted,
        lambda f: f.area,
        lambda f: f.cohort,
        areas,
        COHORTS,
        keep=lambda f: f.measure == measure,
    )


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of whole days, and the number of people they are based on."""

    people: int
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


def _quantile(days: Sequence[tuple[int, int]], people: int, q: float) -> float:
    """The ``q`` quantile of a sorted histogram (day, people), interpolating between ranks."""
    position = q * (people - 1)
    below, above = int(position), min(int(position) + 1, people - 1)

    def at(rank: int) -> int:
        seen = 0
        for day, n in days:
            seen += n
            if rank < seen:
                return day
        return days[-1][0]

    low, high = at(below), at(above)
    return low + (high - low) * (position - below)


def time_in_cohort(counted: Counted) -> dict[tuple[str, str], Spread]:
    """Days in the cohort of the people who left in the period, by (area, cohort)."""
    histograms: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for fact, n in counted:
        if fact.measure == Measure.TIME_IN_COHORT:
            histograms[(fact.area, fact.cohort)][fact.days] += n
    spreads: dict[tuple[str, str], Spread] = {}
    for key, histogram in histograms.items():
        days = sorted(histogram.items())
        people = sum(histogram.values())
        if people == 0:
            continue
        spreads[key] = Spread(
            people,
            _quantile(days, people, 0.25),
            _quantile(days, people, 0.5),
            _quantile(days, people, 0.75),
        )
    return spreads
