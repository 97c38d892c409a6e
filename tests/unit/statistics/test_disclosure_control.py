"""The small-number rule: [c] for 1 to 4, secondary suppression, medians of fewer than 10."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from broker.statistics.disclosure_control import (
    SUPPRESSED,
    CountTable,
    PublishedTable,
    publish,
    publish_median,
    publish_share,
    shown,
)
from tests.unit.statistics.table_attacker import can_be_derived, published_grid

counts = st.one_of(st.sampled_from([0, 0, 1, 2, 3, 4]), st.integers(min_value=5, max_value=40))


@st.composite
def count_tables(draw: st.DrawFn) -> CountTable:
    """Small tables with many zeros and small counts."""
    height = draw(st.integers(min_value=1, max_value=4))
    width = draw(st.integers(min_value=1, max_value=4))
    rows = tuple(tuple(draw(counts) for _ in range(width)) for _ in range(height))
    return CountTable(
        "t",
        "Area",
        tuple(f"r{i}" for i in range(height)),
        tuple(f"c{j}" for j in range(width)),
        rows,
    )


def _truth(table: CountTable) -> list[list[int]]:
    grid = [[*row, sum(row)] for row in table.counts]
    grid.append([sum(row[c] for row in grid) for c in range(len(table.columns) + 1)])
    return grid


def _small_cells(truth: list[list[int]]) -> list[tuple[int, int]]:
    return [(r, c) for r, row in enumerate(truth) for c, v in enumerate(row) if 1 <= v <= 4]


@settings(max_examples=300, deadline=None)
@given(count_tables())
def test_no_count_from_1_to_4_can_be_worked_out_from_a_published_table(table: CountTable) -> None:
    """For every cell or total of 1 to 4, another table consistent with everything published
    gives it a different value, so a reader cannot derive it."""
    truth = _truth(table)
    published = published_grid(publish(table))
    for cell in _small_cells(truth):
        assert not can_be_derived(published, truth, cell), (truth, published, cell)


@settings(max_examples=300, deadline=None)
@given(count_tables())
def test_published_values_are_true_and_never_small(table: CountTable) -> None:
    """Every shown value equals the true count, zeros stay 0, and none is from 1 to 4."""
    truth = _truth(table)
    published = published_grid(publish(table))
    for true_row, shown_row in zip(truth, published, strict=True):
        for true_value, value in zip(true_row, shown_row, strict=True):
            if true_value == 0:
                assert value == 0
            if value is not None:
                assert value == true_value and not 1 <= value <= 4


def test_the_attacker_finds_a_cell_suppressed_on_its_own() -> None:
    """Hiding only the small cell is not enough: its row total gives it away (the attacker
    used by the property test does find it)."""
    truth = [[3, 10, 13], [7, 12, 19], [10, 22, 32]]
    primary_only: list[list[int | None]] = [[None, 10, 13], [7, 12, 19], [10, 22, 32]]
    assert can_be_derived(primary_only, truth, (0, 0))


def test_a_lone_small_cell_hides_the_smallest_other_cells_of_its_row_and_column() -> None:
    """Secondary suppression picks interior cells over totals, and small ones first."""
    table = CountTable("t", "Area", ("a", "b"), ("x", "y", "z"), ((3, 50, 8), (9, 40, 60)))
    published = publish(table)
    assert published.cells == ((None, 50, None), (None, 40, None))
    assert published.row_totals == (61, 109)
    assert published.column_totals == (12, 90, 68)
    assert published.grand_total == 170


def test_a_single_column_with_one_small_count_hides_its_total() -> None:
    """With nothing to pair it with, the total column and grand total go too."""
    table = CountTable("t", "Reason", ("only",), ("n",), ((2,),))
    published = publish(table)
    assert published.cells == ((None,),)
    assert published.grand_total is None


def test_text_rows_show_c_for_suppressed_and_totals_last() -> None:
    """The table as text: a heading row, the rows, then the totals row, [c] where hidden."""
    published = PublishedTable("t", "Area", ("a",), ("x",), ((None,),), (None,), (0,), 7)
    assert published.text_rows() == [
        ["Area", "x", "Total"],
        ["a", SUPPRESSED, SUPPRESSED],
        ["Total", "0", "7"],
    ]


def test_medians_of_fewer_than_ten_people_are_suppressed() -> None:
    """A median of 9 people is [c]; of 10 it is shown."""
    assert publish_median(42.0, 9) is None
    assert publish_median(42.0, 10) == 42.0
    assert shown(publish_median(42.5, 10)) == "42.5"


def test_a_share_of_a_suppressed_count_is_suppressed() -> None:
    """A percentage is shown only when both its counts are."""
    assert publish_share(None, 100) is None
    assert publish_share(5, None) is None
    assert publish_share(0, 0) is None
    assert publish_share(5, 40) == 12.5
