"""An attacker of published tables, written apart from the suppression code it checks.

It knows what a reader knows: every shown value, that totals are sums, and that a ``[c]``
cell holds at least 1 (zeros are shown). For one suppressed cell it looks for a second
table, consistent with all of that, in which the cell's value differs: finding one proves
the cell cannot be worked out. It only tries changes of -1, 0 or +1 per suppressed cell, so
"no witness" may be a false alarm, never a false all-clear.
"""

from __future__ import annotations

from broker.statistics.disclosure_control import PublishedTable

Grid = list[list[int | None]]


def published_grid(table: PublishedTable) -> Grid:
    """The published values with the totals column and row, as the reader sees them."""
    grid: Grid = [
        [*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)
    ]
    grid.append([*table.column_totals, table.grand_total])
    return grid


def can_be_derived(published: Grid, truth: list[list[int]], cell: tuple[int, int]) -> bool:
    """True when no alternative table gives ``cell`` another value (within unit changes)."""
    hidden = [(r, c) for r, row in enumerate(published) for c, v in enumerate(row) if v is None]
    if cell not in hidden:
        return True
    return not any(_witness(published, truth, hidden, cell, step) for step in (1, -1))


def _balanced(truth: list[list[int]], changes: dict[tuple[int, int], int]) -> bool:
    last_row, last_column = len(truth) - 1, len(truth[0]) - 1
    for r in range(len(truth)):
        row_sum = sum(changes.get((r, c), 0) for c in range(last_column))
        if row_sum != changes.get((r, last_column), 0):
            return False
    for c in range(len(truth[0])):
        column_sum = sum(changes.get((r, c), 0) for r in range(last_row))
        if column_sum != changes.get((last_row, c), 0):
            return False
    return True


def _witness(
    published: Grid,
    truth: list[list[int]],
    hidden: list[tuple[int, int]],
    cell: tuple[int, int],
    step: int,
) -> bool:
    """Depth-first search for unit changes of the hidden cells, ``cell`` changed by ``step``,
    that keep every row and column adding up and every hidden value at 1 or more."""
    others = [k for k in hidden if k != cell]
    last_column = len(truth[0]) - 1
    changes: dict[tuple[int, int], int] = {cell: step}
    if truth[cell[0]][cell[1]] + step < 1:
        return False

    def row_done(index: int) -> bool:
        """Whether the row of others[index] is complete and adds up so far."""
        r = others[index][0]
        if index + 1 < len(others) and others[index + 1][0] == r:
            return True
        if cell[0] == r and any(k[0] == r for k in others[index + 1 :]):
            return True
        row_sum = sum(changes.get((r, c), 0) for c in range(last_column))
        return row_sum == changes.get((r, last_column), 0)

    def search(index: int) -> bool:
        if index == len(others):
            return _balanced(truth, changes)
        r, c = others[index]
        for change in (0, 1, -1):
            if truth[r][c] + change < 1:
                continue
            changes[(r, c)] = change
            if row_done(index) and search(index + 1):
                return True
        del changes[(r, c)]
        return False

    return search(0)
