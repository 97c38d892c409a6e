"""Statistical disclosure control: the one rule every published number goes through. Pure.

Government Statistical Service practice, as chosen for this project (docs/statistics.md):

* a count from 1 to 4 is shown as ``[c]`` (primary suppression); 0 stays 0;
* **secondary suppression**, not rounding: further cells are shown as ``[c]`` until no
  suppressed count can be worked out from the row and column totals and the other cells.
  For every primary cell there is a rectangle of suppressed cells (interior or totals)
  through it along which a unit shift keeps every total and every suppressed cell at 1 or
  more, so another table, equally consistent with everything published, gives that cell a
  different value. Zeros are never suppressed (they are shown), so they are never corners;
* a median or quartile is shown only when it is based on at least 10 people;
* a share (per cent) is shown only when its numerator and denominator are both shown.

Rounding totals to 5 was rejected: with one suppressed cell in a row, the rounded total and
the row's other cells can still pin the cell to one value (e.g. cells ``[c]`` and 16 with a
total rounded to 15 leave only 1).

**Across tables** (:func:`publish_together`): tables that show some of the same numbers (a
total in one table and its parts in another, or the same margin broken down two ways) are
suppressed consistently, so nothing can be worked out by subtracting one from the other: a
number suppressed anywhere is suppressed everywhere it is shown, and in every table where it
is suppressed it is protected like a small count (a rectangle of suppressed cells through
it), repeated until nothing changes. A shared number is protected both ways (up by 1, and
down by 1 unless it is 1), but only the ways every table showing it allows: a row total of 2
made of two suppressed 1s cannot be 1 less, so no other table may protect a small count by
lowering it. Protection avoids the shared numbers when it can.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

__all__ = [
    "FEWEST_PEOPLE_FOR_MEDIAN",
    "NOT_APPLICABLE",
    "SMALLEST_SHOWN_COUNT",
    "SUPPRESSED",
    "CountTable",
    "Place",
    "PublishedTable",
    "publish",
    "publish_median",
    "publish_share",
    "publish_together",
    "shown",
]

SUPPRESSED = "[c]"
"""The symbol of a suppressed ("confidential") value, as the GSS guidance writes it."""
NOT_APPLICABLE = "[x]"
"""The symbol of a value that does not apply (a change with no previous month, a share of 0)."""
SMALLEST_SHOWN_COUNT = 5
"""Counts from 1 to ``SMALLEST_SHOWN_COUNT - 1`` are suppressed."""
FEWEST_PEOPLE_FOR_MEDIAN = 10
"""A median or quartile of fewer people than this is suppressed."""

_MARGIN_COST = 10_000
_GRAND_TOTAL_COST = 1_000_000
_SHARED_COST = 100_000_000

Cell = tuple[int, int]


@dataclass(frozen=True)
class CountTable:
    """True counts before publication: ``counts[row][column]``, all non-negative."""

    title: str
    row_heading: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows):
            raise ValueError(f"table {self.title!r}: {len(self.rows)} rows, {len(self.counts)}")
        for row in self.counts:
            if len(row) != len(self.columns) or any(n < 0 for n in row):
                raise ValueError(f"table {self.title!r}: a row has the wrong size or a count < 0")


@dataclass(frozen=True)
class PublishedTable:
    """A table as it may be published: each value an int, or None where it is ``[c]``."""

    title: str
    row_heading: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None

    def value(self, row: str, column: str) -> int | None:
        """The published value of one cell (None: suppressed)."""
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    def text_rows(self, total_label: str = "Total") -> list[list[str]]:
        """Heading row, one row per row label with its total, then the totals row: as text."""
        head = [self.row_heading, *self.columns, total_label]
        body = [
            [label, *(shown(v) for v in cells), shown(total)]
            for label, cells, total in zip(self.rows, self.cells, self.row_totals, strict=True)
        ]
        foot = [total_label, *(shown(v) for v in self.column_totals), shown(self.grand_total)]
        return [head, *body, foot]


def shown(value: int | float | None) -> str:
    """How a published value is written: ``[c]`` when suppressed, else the number."""
    if value is None:
        return SUPPRESSED
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


@dataclass(frozen=True)
class Place:
    """Where one number is shown among tables published together: the table's position in
    the list, and its row and column labels (None: the totals row, the totals column)."""

    table: int
    row: str | None
    column: str | None


def publish(table: CountTable) -> PublishedTable:
    """The table with primary and secondary suppression applied (see the module docstring)."""
    return publish_together([table], [])[0]


def publish_together(
    tables: Sequence[CountTable], same_numbers: Sequence[Sequence[Place]]
) -> tuple[PublishedTable, ...]:
    """Publish ``tables`` so that no count from 1 to 4 can be worked out from any of them or
    from several together. Each entry of ``same_numbers`` lists the places that show one
    number (a place whose row or column a table lacks is left out: it shows nothing).

    Raises ValueError when the places of one number hold different counts."""
    grids = [_extended(t.counts, len(t.columns)) for t in tables]
    groups = [_resolved(tables, grids, places) for places in same_numbers]
    groups = [group for group in groups if len(group) > 1]
    moves = _shared_moves(grids, groups)
    hidden = [_small_cells(grid) for grid in grids]
    protect = [set(cells) for cells in hidden]
    changed = True
    while changed:
        for index, grid in enumerate(grids):
            for cell in sorted(protect[index]):
                for direction in sorted(moves[index].get(cell, {0})):
                    if not _protected(cell, grid, hidden[index], direction, moves[index]):
                        hidden[index] |= _cheapest_protection(
                            cell, grid, hidden[index], direction, moves[index]
                        )
        changed = False
        for group in groups:
            if any(cell in hidden[index] for index, cell in group):
                for index, cell in group:
                    if cell not in protect[index]:
                        hidden[index].add(cell)
                        protect[index].add(cell)
                        changed = True
    return tuple(
        _published(table, grid, cells)
        for table, grid, cells in zip(tables, grids, hidden, strict=True)
    )


Moves = dict[Cell, frozenset[int]]
"""For each number a table shares with others: which ways (+1, -1) a reader could believe it
moves, in every table that shows it."""


def _shared_moves(
    grids: list[list[list[int]]], groups: list[list[tuple[int, Cell]]]
) -> list[Moves]:
    """Which ways each shared number can move by 1 in every table showing it, other numbers
    staying consistent: up always can (with its totals); down only if each table can lower it
    (a row total of 2 made of two 1s cannot go down). Worked out until nothing changes, since
    a rectangle may move other shared numbers too."""
    allowed = [frozenset({1, -1} if _at(grids[g[0][0]], g[0][1]) >= 2 else {1}) for g in groups]

    def moves() -> list[Moves]:
        found: list[Moves] = [{} for _ in grids]
        for group, ways in zip(groups, allowed, strict=True):
            for index, cell in group:
                found[index][cell] = ways
        return found

    changed = True
    while changed:
        changed = False
        current = moves()
        for number, group in enumerate(groups):
            ways = frozenset(
                way
                for way in allowed[number]
                if all(_rectangles(cell, grids[i], way, current[i]) for i, cell in group)
            )
            if ways != allowed[number]:
                allowed[number], changed = ways, True
    return moves()


def _resolved(
    tables: Sequence[CountTable], grids: list[list[list[int]]], places: Sequence[Place]
) -> list[tuple[int, Cell]]:
    """The cells of the places that exist, checked to hold the same count."""
    found: list[tuple[int, Cell]] = []
    for place in places:
        table = tables[place.table]
        if (place.row is not None and place.row not in table.rows) or (
            place.column is not None and place.column not in table.columns
        ):
            continue
        row = len(table.rows) if place.row is None else table.rows.index(place.row)
        column = len(table.columns) if place.column is None else table.columns.index(place.column)
        found.append((place.table, (row, column)))
    values = {_at(grids[index], cell) for index, cell in found}
    if len(values) > 1:
        titles = ", ".join(repr(tables[index].title) for index, _ in found)
        raise ValueError(f"tables {titles}: one shared number has counts {sorted(values)}")
    return found


def _small_cells(grid: list[list[int]]) -> set[Cell]:
    return {cell for cell in _cells(grid) if 1 <= _at(grid, cell) < SMALLEST_SHOWN_COUNT}


def _published(table: CountTable, grid: list[list[int]], hidden: set[Cell]) -> PublishedTable:
    width = len(table.columns)
    values = [
        [None if (r, c) in hidden else grid[r][c] for c in range(width + 1)]
        for r in range(len(grid))
    ]
    body = values[:-1]
    return PublishedTable(
        title=table.title,
        row_heading=table.row_heading,
        rows=table.rows,
        columns=table.columns,
        cells=tuple(tuple(row[:width]) for row in body),
        row_totals=tuple(row[width] for row in body),
        column_totals=tuple(values[-1][:width]),
        grand_total=values[-1][width],
    )


def publish_median(value: float | None, people: int) -> float | None:
    """A median (or quartile) of ``people`` values, or None when it must be suppressed."""
    return value if people >= FEWEST_PEOPLE_FOR_MEDIAN else None


def publish_share(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage of two published counts; None (``[c]``) if either is suppressed or the
    denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(100.0 * numerator / denominator, 1)


def _extended(counts: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """The counts with a total column on the right and a totals row at the bottom."""
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(row[c] for row in grid) for c in range(width + 1)])
    return grid


def _cells(grid: list[list[int]]) -> list[Cell]:
    return [(r, c) for r in range(len(grid)) for c in range(len(grid[0]))]


def _at(grid: list[list[int]], cell: Cell) -> int:
    return grid[cell[0]][cell[1]]


def _sign(grid: list[list[int]], cell: Cell) -> int:
    """+1 for interior cells and the grand total, -1 for the other totals: with these signs
    every row and column of the extended table sums to zero."""
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    return -1 if (cell[0] == last_row) != (cell[1] == last_column) else 1


def _rectangles(
    cell: Cell, grid: list[list[int]], direction: int = 0, moves: Moves | None = None
) -> list[tuple[Cell, ...]]:
    """Rectangles through ``cell`` whose corners are all non-zero and along which a unit
    shift keeps every corner at 1 or more and moves every shared corner a way it can move
    (``moves``): a shift either way (``direction`` 0), or one that moves ``cell`` itself up
    (+1) or down (-1)."""
    row, column = cell
    moves = moves or {}
    found: list[tuple[Cell, ...]] = []
    for other_row in range(len(grid)):
        for other_column in range(len(grid[0])):
            if other_row == row or other_column == column:
                continue
            corners = (cell, (row, other_column), (other_row, column), (other_row, other_column))
            if any(_at(grid, corner) == 0 for corner in corners):
                continue
            # Shift +1 along the rectangle (signed +, -, -, +): real change per corner.
            changes = [
                _sign(grid, corner) * step
                for corner, step in zip(corners, (1, -1, -1, 1), strict=True)
            ]
            up, down = (_shift_keeps(corners, grid, changes, moves, way) for way in (1, -1))
            raises, lowers = (up, down) if changes[0] > 0 else (down, up)
            if (up or down) if direction == 0 else (raises if direction == 1 else lowers):
                found.append(corners)
    return found


def _shift_keeps(
    corners: tuple[Cell, ...], grid: list[list[int]], changes: list[int], moves: Moves, way: int
) -> bool:
    """Whether shifting the rectangle ``way`` keeps every corner at 1 or more and moves each
    shared corner a way it can move."""
    for corner, change in zip(corners, changes, strict=True):
        moved = change * way
        if moved < 0 and _at(grid, corner) < 2:
            return False
        if corner in moves and moved not in moves[corner]:
            return False
    return True


def _protected(
    cell: Cell,
    grid: list[list[int]],
    hidden: set[Cell],
    direction: int = 0,
    moves: Moves | None = None,
) -> bool:
    return any(all(k in hidden for k in rect) for rect in _rectangles(cell, grid, direction, moves))


def _cost(cell: Cell, grid: list[list[int]], shared: AbstractSet[Cell]) -> int:
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    margins = (cell[0] == last_row) + (cell[1] == last_column)
    extra = (0, _MARGIN_COST, _GRAND_TOTAL_COST)[margins]
    return _at(grid, cell) + extra + (_SHARED_COST if cell in shared else 0)


def _cheapest_protection(
    cell: Cell,
    grid: list[list[int]],
    hidden: set[Cell],
    direction: int = 0,
    moves: Moves | None = None,
) -> set[Cell]:
    """The corners to suppress so that ``cell`` is protected (moving ``direction``), hiding
    as little as possible (small counts first, totals only when no interior rectangle works,
    numbers other tables show last)."""
    shared = moves or {}
    best: tuple[int, tuple[Cell, ...]] | None = None
    for rect in _rectangles(cell, grid, direction, moves):
        cost = sum(_cost(k, grid, shared.keys()) for k in rect if k not in hidden)
        if best is None or (cost, rect) < best:
            best = (cost, rect)
    if best is None:  # cannot happen: the row total, column total and grand total always do
        raise AssertionError("no protecting rectangle")
    return set(best[1])
