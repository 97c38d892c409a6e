"""Differencing across tables: two published tables that share numbers (the same column
totals broken down two ways; a column of one that is the row totals of another) never let a
reader subtract one from the other to find a count from 1 to 4."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from broker.statistics.disclosure_control import (
    CountTable,
    Place,
    PublishedTable,
    publish,
    publish_together,
)
from tests.unit.statistics.cross_table_attacker import Spot, can_be_derived_across
from tests.unit.statistics.table_attacker import published_grid

counts = st.one_of(st.sampled_from([0, 0, 1, 2, 3, 4]), st.integers(min_value=5, max_value=30))
Publisher = Callable[[Sequence[CountTable], Sequence[Sequence[Place]]], tuple[PublishedTable, ...]]
Release = tuple[list[CountTable], list[list[Place]]]


def _table(title: str, rows: Sequence[Sequence[int]], columns: Sequence[str]) -> CountTable:
    labels = tuple(f"{title}{i}" for i in range(len(rows)))
    return CountTable(title, "Row", labels, tuple(columns), tuple(tuple(r) for r in rows))


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` as ``parts`` counts, many of them small."""
    found: list[int] = []
    for _ in range(parts - 1):
        found.append(min(draw(counts), total - sum(found)))
    return [*found, total - sum(found)]


@st.composite
def two_breakdowns(draw: st.DrawFn) -> Release:
    """Disclosures by legal basis and area, and by purpose and area: the same area totals and
    grand total in both tables."""
    width = draw(st.integers(min_value=1, max_value=3))
    columns = [f"area{j}" for j in range(width)]
    height = draw(st.integers(min_value=1, max_value=3))
    first = [[draw(counts) for _ in range(width)] for _ in range(height)]
    other_height = draw(st.integers(min_value=1, max_value=3))
    by_column = [_split(draw, sum(r[j] for r in first), other_height) for j in range(width)]
    second = [[by_column[j][i] for j in range(width)] for i in range(other_height)]
    same = [[Place(0, None, c), Place(1, None, c)] for c in (*columns, None)]
    return [_table("a", first, columns), _table("b", second, columns)], same


@st.composite
def total_and_parts(draw: st.DrawFn) -> Release:
    """Records received by agency (decided, dead-lettered) and dead letters by agency and
    reason: the dead-lettered column is the other table's row totals."""
    agencies = draw(st.integers(min_value=1, max_value=3))
    reasons = draw(st.integers(min_value=1, max_value=3))
    parts = [[draw(counts) for _ in range(reasons)] for _ in range(agencies)]
    received = [[draw(counts), sum(row)] for row in parts]
    first = _table("a", received, ("Decided", "Dead-lettered"))
    second = CountTable(
        "b", "Row", first.rows, tuple(f"reason{j}" for j in range(reasons)),
        tuple(tuple(row) for row in parts),
    )  # fmt: skip
    same = [[Place(0, row, "Dead-lettered"), Place(1, row, None)] for row in first.rows]
    same.append([Place(0, None, "Dead-lettered"), Place(1, None, None)])
    return [first, second], same


def _truth(table: CountTable) -> list[list[int]]:
    grid = [[*row, sum(row)] for row in table.counts]
    grid.append([sum(row[c] for row in grid) for c in range(len(table.columns) + 1)])
    return grid


def _spots(tables: Sequence[CountTable], places: Sequence[Place]) -> list[Spot]:
    found: list[Spot] = []
    for place in places:
        table = tables[place.table]
        if place.row is not None and place.row not in table.rows:
            continue
        row = len(table.rows) if place.row is None else table.rows.index(place.row)
        column = len(table.columns) if place.column is None else table.columns.index(place.column)
        found.append((place.table, row, column))
    return found


def _derivable_small_cells(release: Release, publisher: Publisher) -> list[Spot]:
    """The counts from 1 to 4 the attacker works out from the two tables as published."""
    tables, same = release
    truths = [_truth(t) for t in tables]
    published = [published_grid(p) for p in publisher(tables, same)]
    links = [_spots(tables, places) for places in same]
    return [
        (t, r, c)
        for t, truth in enumerate(truths)
        for r, row in enumerate(truth)
        for c, value in enumerate(row)
        if 1 <= value <= 4 and can_be_derived_across(published, truths, links, (t, r, c))
    ]


def _each_on_its_own(
    tables: Sequence[CountTable], same: Sequence[Sequence[Place]]
) -> tuple[PublishedTable, ...]:
    """The guard off: every table protected on its own."""
    return tuple(publish(t) for t in tables)


@pytest.mark.parametrize(
    "releases", [two_breakdowns(), total_and_parts()], ids=["margins", "parts"]
)
def test_no_small_count_can_be_worked_out_by_subtracting_tables(
    releases: st.SearchStrategy[Release],
) -> None:
    """For every count from 1 to 4 in either table, another pair of tables consistent with
    everything both publish gives it a different value."""

    @settings(max_examples=200, deadline=None)
    @given(releases)
    def check(release: Release) -> None:
        assert _derivable_small_cells(release, publish_together) == [], release

    check()


@pytest.mark.parametrize(
    "releases", [two_breakdowns(), total_and_parts()], ids=["margins", "parts"]
)
def test_tables_protected_one_at_a_time_can_be_subtracted(
    releases: st.SearchStrategy[Release],
) -> None:
    """With the guard off (each table suppressed on its own) the same attacker finds a pair
    of tables that gives a small count away (the property above is not vacuous); the guard
    protects that pair."""
    leaking = find(
        releases,
        lambda release: bool(_derivable_small_cells(release, _each_on_its_own)),
        settings=settings(max_examples=2000, deadline=None, database=None),
    )
    assert _derivable_small_cells(leaking, _each_on_its_own)
    assert _derivable_small_cells(leaking, publish_together) == []


def test_a_total_hidden_in_one_table_is_hidden_where_another_shows_it() -> None:
    """Dead letters of 3 (reasons 1 and 2) are [c] in the reasons table, so the same number
    in the records-received table is [c] too, and protected there."""
    received = _table("a", [[40, 3], [50, 9]], ("Decided", "Dead-lettered"))
    reasons = CountTable("b", "Row", received.rows, ("x", "y"), ((1, 2), (4, 5)))
    same = [[Place(0, row, "Dead-lettered"), Place(1, row, None)] for row in received.rows]
    same.append([Place(0, None, "Dead-lettered"), Place(1, None, None)])

    first, second = publish_together([received, reasons], same)

    assert first.cells[0][1] is None and second.row_totals[0] is None
    assert [first.cells[1][1], second.row_totals[1]] in ([None, None], [9, 9])


def test_places_of_one_number_must_hold_the_same_count() -> None:
    """Linking two different counts is a mistake in the caller, named with the tables."""
    first = _table("a", [[5]], ("x",))
    second = _table("b", [[6]], ("x",))
    with pytest.raises(ValueError, match="'a', 'b'"):
        publish_together([first, second], [[Place(0, None, "x"), Place(1, None, "x")]])


def test_a_total_that_cannot_go_down_in_one_table_is_not_relied_on_in_another() -> None:
    """Dead letters of 2 made of reasons 1 and 1 cannot be 1 less (a [c] is at least 1), so
    records received must not protect its decided 1 by lowering that 2: found by the property
    test above, kept as an example."""
    received = _table("a", [[1, 2], [0, 2]], ("Decided", "Dead-lettered"))
    reasons = CountTable("b", "Row", received.rows, ("x", "y"), ((1, 1), (1, 1)))
    same = [[Place(0, row, "Dead-lettered"), Place(1, row, None)] for row in received.rows]
    same.append([Place(0, None, "Dead-lettered"), Place(1, None, None)])

    assert _derivable_small_cells(([received, reasons], same), publish_together) == []
    assert _derivable_small_cells(([received, reasons], same), _each_on_its_own) != []
